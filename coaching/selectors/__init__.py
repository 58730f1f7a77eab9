"""Reads of coaching, one module per area."""
