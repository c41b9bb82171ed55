"""Per-user choices about each database, kept outside the database itself.

`config.json` in the user config folder, keyed by the database's resolved path:

    {"databases": {"/abs/path/desk.sqlite": {"backup_folder": "...",
                                             "sync_warning_shown": true}}}

They live here rather than in the file because they belong to this person on this
machine (a backup folder on this laptop's USB stick), and because a restored backup must
not bring back an older choice. Written atomically: a crash leaves the old file or the
new one, never half of either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desk.core import paths
from desk.core.disk.files import safe_write_text

FILE_NAME = "config.json"


def config_path() -> Path:
    return paths.config_dir() / FILE_NAME


def database_key(db_path: str | Path) -> str:
    return str(Path(db_path).expanduser().resolve())


def load() -> dict[str, Any]:
    """The whole file; an unreadable or foreign file counts as empty (it is rewritten
    whole on the next change)."""
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"databases": {}}
    if not isinstance(data, dict) or not isinstance(data.get("databases"), dict):
        return {"databases": {}}
    return data


def for_database(db_path: str | Path) -> dict[str, Any]:
    entry = load()["databases"].get(database_key(db_path))
    return dict(entry) if isinstance(entry, dict) else {}


def update_database(db_path: str | Path, **changes: Any) -> dict[str, Any]:
    """Set (or, with None, remove) settings of one database; returns its settings."""
    data = load()
    key = database_key(db_path)
    entry = data["databases"].get(key)
    entry = dict(entry) if isinstance(entry, dict) else {}
    for name, value in changes.items():
        if value is None:
            entry.pop(name, None)
        else:
            entry[name] = value
    if entry:
        data["databases"][key] = entry
    else:
        data["databases"].pop(key, None)
    write_atomically(config_path(), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return entry


def write_atomically(target: Path, text: str) -> None:
    """The config file goes through the same safe save as every file desk writes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    safe_write_text(target, text, encoding="utf-8")


def identity_path(uid: str) -> str | None:
    """Where this machine last saw the database with this identity."""
    known = load().get("identities")
    path = known.get(uid) if isinstance(known, dict) else None
    return path if isinstance(path, str) else None


def remember_identity(uid: str, db_path: str | Path) -> None:
    data = load()
    known = data.get("identities")
    known = dict(known) if isinstance(known, dict) else {}
    key = database_key(db_path)
    if known.get(uid) == key:
        return
    known[uid] = key
    data["identities"] = known
    write_atomically(config_path(), json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def installation_id() -> str:
    """This desk installation's own id (one per user's settings), made on first use: it
    marks the backups this desk takes, so two laptops that each go on using a copy of
    one database never rotate each other's backups."""
    import uuid

    data = load()
    known = data.get("installation")
    if isinstance(known, str) and known:
        return known
    made = str(uuid.uuid4())
    data["installation"] = made
    write_atomically(config_path(), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return made
