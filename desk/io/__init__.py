"""Interchange formats: JSON dump, imports, calendars and cards. Never imports Qt."""
