"""Letters from the office's own templates: an invitation, visa support, thanks and a
national-day greeting, filled from the records into Word templates (`.docx` with Jinja
fields; the office's own on its letterhead, else the plain ones desk ships) and written
as Word or PDF. `make` is the way in; docs/letters.md lists the fields a template may use.
"""
