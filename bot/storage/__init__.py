"""Storage: the SQLAlchemy async engine, sessions and the core's tables."""
