from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from desk.core.errors import DumpError
from desk.core.features import search
from desk.core.store import attachments, records
from desk.core.store.db import Database, open_database
from desk.io.dump import export_json, import_json


def _digest(db: Database) -> str:
    """Everything stored, in a comparable form."""
    parts = []
    for (table,) in db.execute(
        # file_meta holds the file's own identity, which a dump never carries.
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
        "NOT LIKE 'search_index%' AND name != 'file_meta' ORDER BY name"
    ):
        parts.append(
            json.dumps(
                db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall(),
                default=lambda b: hashlib.sha256(b).hexdigest(),
            )
        )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_round_trip_is_identical(demo_db: Database, tmp_path: Path) -> None:
    first = export_json(demo_db, tmp_path / "first.json")
    fresh = open_database(tmp_path / "fresh.sqlite")
    loaded = import_json(fresh, first)
    assert loaded["contacts"] == 250
    second = export_json(fresh, tmp_path / "second.json")
    assert first.read_bytes() == second.read_bytes()
    assert _digest(fresh) == _digest(demo_db)
    # Search works on the imported records; the attached files came along.
    native = fresh.execute(
        "SELECT name_native FROM contacts WHERE country = 'JP' AND name_native IS NOT NULL"
    ).fetchone()[0]
    assert search.search(fresh, native.split()[0])
    aid = fresh.execute("SELECT id FROM attachments LIMIT 1").fetchone()[0]
    name, data = attachments.content(fresh, aid)
    assert name.endswith(".txt") and data.startswith(b"Sister City Agreement")


def _bad_files(tmp_path: Path, good: dict) -> dict[str, Path]:
    files: dict[str, Path] = {}

    def put(name: str, content: str | bytes) -> None:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        files[name] = path

    put("not-json.json", "{this is not json")
    put("binary.json", bytes(range(256)) * 10)
    put("foreign.json", json.dumps({"contacts": []}))
    put("array.json", "[1, 2, 3]")
    newer = {**good, "format_version": 99}
    put("newer.json", json.dumps(newer))
    unknown_table = json.loads(json.dumps(good))
    unknown_table["tables"]["secrets"] = {"columns": ["id"], "rows": []}
    put("unknown-table.json", json.dumps(unknown_table))
    bad_value = json.loads(json.dumps(good))
    contacts = bad_value["tables"]["contacts"]
    contacts["rows"][-1][contacts["columns"].index("country")] = "Atlantis"
    put("bad-value.json", json.dumps(bad_value))
    broken_ref = json.loads(json.dumps(good))
    terms = broken_ref["tables"]["office_terms"]
    terms["rows"][0][terms["columns"].index("contact_id")] = 999999
    put("broken-ref.json", json.dumps(broken_ref))
    bad_blob = json.loads(json.dumps(good))
    bad_blob["blobs"][0]["base64"] = "aGVsbG8="
    put("bad-blob.json", json.dumps(bad_blob))
    return files


def test_bad_files_are_refused_and_change_nothing(demo_db: Database, tmp_path: Path) -> None:
    good_path = export_json(demo_db, tmp_path / "good.json")
    good = json.loads(good_path.read_text("utf-8"))
    target = open_database(tmp_path / "target.sqlite")
    records.create(target, "organisation", {"name": "Already here"})
    before = _digest(target)
    expectations = {
        "not-json.json": "invalid JSON at line 1",
        "binary.json": "not UTF-8|invalid JSON",
        "foreign.json": "not a desk dump",
        "array.json": "not a desk dump",
        "newer.json": "dump format 99",
        "unknown-table.json": "unknown table 'secrets'",
        "bad-value.json": "table 'contacts', row 250: 'Country' must be a country",
        "broken-ref.json": "office_terms', id 1 refers to a missing contacts",
        "bad-blob.json": "damaged",
    }
    for name, path in _bad_files(tmp_path, good).items():
        with pytest.raises(DumpError, match=expectations[name]):
            import_json(target, path, replace=True)
        assert _digest(target) == before, name
    with pytest.raises(DumpError, match="already holds records"):
        import_json(target, good_path)
    assert _digest(target) == before


def test_replace_swaps_everything(demo_db: Database, tmp_path: Path) -> None:
    good = export_json(demo_db, tmp_path / "good.json")
    target = open_database(tmp_path / "target.sqlite")
    records.create(target, "organisation", {"name": "Going away"})
    import_json(target, good, replace=True)
    assert _digest(target) == _digest(demo_db)
    assert not search.search(target, "going away")
