"""Writes of coaching, one module per area."""
