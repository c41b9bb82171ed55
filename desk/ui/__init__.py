"""The only Qt layer."""
