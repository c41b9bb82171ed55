"""desk: the offline desk for a city's international affairs."""

__version__ = "0.1.0"
