"""Folders that sync clients rewrite behind desk's back: a live SQLite file with its
write-ahead log there can be corrupted, so desk says so, once per database."""

from __future__ import annotations

import contextlib
from pathlib import Path

from desk.core.safety import userconfig

_SYNC_EXACT = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "mobile documents": "iCloud Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "box": "Box",
    "box sync": "Box",
    "box drive": "Box",
    "pcloud drive": "pCloud",
    "pclouddrive": "pCloud",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "sync.com": "Sync.com",
}
_SYNC_PREFIX = {
    "dropbox (": "Dropbox",  # "Dropbox (Personal)", "Dropbox (City of ...)"
    "dropbox-": "Dropbox",  # macOS File Provider: ~/Library/CloudStorage/Dropbox-...
    "onedrive - ": "OneDrive",  # "OneDrive - City of Port Meridian"
    "onedrive-": "OneDrive",
    "googledrive-": "Google Drive",
    "box-": "Box",
    "nextcloud-": "Nextcloud",
    "owncloud-": "ownCloud",
}


def sync_folder(db_path: str | Path) -> str | None:
    """The sync client whose folder holds the database (Dropbox, OneDrive, ...), or None.

    Those clients copy a file while SQLite is writing it and its -wal beside it, and
    put back whichever copy they think is newer: a live database there gets corrupted.
    """
    path = Path(db_path).expanduser().resolve()
    for part in path.parent.parts:
        lowered = part.casefold()
        if lowered in _SYNC_EXACT:
            return _SYNC_EXACT[lowered]
        for prefix, client in _SYNC_PREFIX.items():
            if lowered.startswith(prefix):
                return client
    with contextlib.suppress(ValueError):
        # Sync.com's folder is plain ~/Sync; only that one, not any folder named Sync.
        if path.relative_to(Path.home().resolve()).parts[0].casefold() == "sync":
            return "Sync.com"
    return None


def sync_warning_due(db_path: str | Path) -> str | None:
    """The sync client to warn about, once per database; None when none or already warned."""
    client = sync_folder(db_path)
    if client is None or userconfig.for_database(db_path).get("sync_warning_shown"):
        return None
    return client


def mark_sync_warning_shown(db_path: str | Path) -> None:
    userconfig.update_database(db_path, sync_warning_shown=True)


def sync_warning_text(client: str, db_path: str | Path) -> str:
    return (
        f"{Path(db_path).name} is in a {client} folder. {client} copies the file while desk "
        "is writing it and can put back an older or half-written copy, which damages the "
        "database. Close desk and move the file to a folder that is not synced; desk's own "
        "backups are safe to keep in a synced folder."
    )
