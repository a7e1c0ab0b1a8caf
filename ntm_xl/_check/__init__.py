"""Checking what was read: marks and their consistency, the village registry, indicators."""
