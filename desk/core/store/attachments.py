"""Files attached to records, kept inside the database so one backup holds everything."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any

from desk.core.disk.files import input_file, safe_write
from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError, NotFound, ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes, operation, quoted

MAX_BYTES = 200 * 1024 * 1024


def owner_column(owner_kind: str) -> str:
    """The column of `attachments` that links a file to a record of an attachable kind."""
    return f"{owner_kind}_id"


def attach_file(
    db: Database,
    owner_kind: str,
    owner_id: int | str,
    content: bytes | Path,
    filename: str | None = None,
    description: str | None = None,
) -> Changes:
    """Keep a file with a record, as one operation; `.id` is the new attachment's id."""
    if owner_kind not in KINDS or not KINDS[owner_kind].attachable:
        raise ValidationError(f"Files cannot be attached to a {owner_kind}.")
    if isinstance(content, Path):
        try:
            input_file(content, "the file to attach")
        except DeskError as exc:
            raise ValidationError(str(exc), field="filename") from None
        filename = filename or content.name
        data = content.read_bytes()
    else:
        data = content
    if not filename or not filename.strip():
        raise ValidationError("An attachment needs a file name.", field="filename")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"'{filename}' is {len(data) / 1e6:.0f} MB; attachments are limited to "
            f"{MAX_BYTES // 1024 // 1024} MB.",
            field="filename",
        )
    name = Path(filename).name
    digest = hashlib.sha256(data).hexdigest()
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    spec = KINDS[owner_kind]
    with operation(db, f"Attach {quoted(name)}") as changes:
        owner = records.resolve_id(db, owner_kind, owner_id)
        # The bytes are kept by content: an undone or deleted attachment's file stays
        # until the trash is emptied, so undo and restore can bring it back.
        db.execute(
            "INSERT OR IGNORE INTO blobs(sha256, size, content) VALUES (?, ?, ?)",
            (digest, len(data), data),
        )
        stamp = records.now()
        attachment_id = records.insert(
            db,
            KINDS["attachment"],
            {
                "uid": records.new_uid(),
                "created_at": stamp,
                "updated_at": stamp,
                "filename": name,
                "media_type": media_type,
                "size": len(data),
                "sha256": digest,
                owner_column(owner_kind): owner,
                "description": description,
            },
        )
        # Found by its name and description at once; the text inside follows once read.
        from desk.core.store import index

        index.reindex(db, "attachment", records.get(db, "attachment", attachment_id))
        changes.label = (
            f"Attach {quoted(name)} to {spec.label.lower()} "
            f"{quoted(records.title_of(db, owner_kind, owner))}"
        )
    return changes.about(attachment_id)


def keeps(kind: str) -> bool:
    """Whether records of `kind` are files kept here, with a record of another kind."""
    return KINDS[kind].table == "attachments"


def owner_of(db: Database, kind: str, record_id: int) -> tuple[str, int] | None:
    """The record a kept file belongs with (kind, id); None for a record of any other
    kind, or a file kept with none."""
    if not keeps(kind):
        return None
    owners = [k for k in KINDS if KINDS[k].attachable]
    row = db.execute(
        f"SELECT {', '.join(owner_column(k) for k in owners)} FROM attachments WHERE id = ?",
        (record_id,),
    ).fetchone()
    if row is None:
        return None
    return next(((k, int(v)) for k, v in zip(owners, row, strict=True) if v is not None), None)


def list_for(db: Database, owner_kind: str, owner_id: int) -> list[dict[str, Any]]:
    column = owner_column(owner_kind)
    cursor = db.execute(
        "SELECT id, uid, filename, media_type, size, description, created_at "
        f"FROM attachments WHERE {column} = ? ORDER BY filename COLLATE NOCASE, id",
        (owner_id,),
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def content(db: Database, attachment_id: int) -> tuple[str, bytes]:
    row = db.execute(
        "SELECT a.filename, b.content FROM attachments a JOIN blobs b USING (sha256) "
        "WHERE a.id = ?",
        (attachment_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no attachment {attachment_id}.")
    return row[0], bytes(row[1])


def save_copy(db: Database, attachment_id: int, destination: Path) -> Path:
    """Write an attachment's bytes to `destination`, or into it under the file's own name
    when it is a folder. Never leaves a half file or replaces a device (see core.files)."""
    filename, data = content(db, attachment_id)
    target = destination / filename if destination.is_dir() else destination
    safe_write(target, data)
    return target


def remove(db: Database, attachment_id: int) -> Changes:
    return records.delete(db, "attachment", attachment_id)


def keep_text(db: Database, attachment_id: int, text: str | None, note: str | None) -> None:
    """The text read from an attached file, and what the reading found: derived from the
    file's bytes (read again from them at will), so kept outside the history, in one
    transaction with the file's search entry."""
    from desk.core.store import index
    from desk.core.store.connection import transaction

    with transaction(db):
        db.execute(
            "UPDATE attachments SET content_text = ?, text_note = ? WHERE id = ?",
            (text, note, attachment_id),
        )
        row = records.get(db, "attachment", attachment_id)
        index.reindex(db, "attachment", row)
