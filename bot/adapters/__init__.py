"""Adapters: each translates one platform to and from the core's vocabulary."""
