"""What the shortcut sheet reads from an action besides its keys: an action whose text
changes with what it would do ("Undo Apply playbook ...") says there, under this
property, what it does in general ("Undo the last change")."""

SHEET_TEXT = "desk_sheet_text"
