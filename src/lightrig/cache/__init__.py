"""Caches: results kept so that identical deterministic work is not done twice."""
