"""Ponte's features, one package each, loaded by the core."""
