"""Keeping the file safe: backups, restore, repair (salvage and the page scan),
synced-folder warnings, crash logs and per-user choices."""
