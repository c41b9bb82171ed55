"""The undo, redo and trash commands, as a person types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.store.db import open_database


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_delete_trash_undo_redo_and_empty(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(db_path).close()  # 'add' works in a database; it does not make one
    assert (
        run(capsys, db_path, "add", "partnership", "partner_name=Kobe", "kind=sister_city")[0] == 0
    )
    assert (
        run(capsys, db_path, "add", "follow_up", "title=Plan the 70th", "partnership_id=1")[0] == 0
    )
    code, out, _ = run(capsys, db_path, "delete", "partnership", "1", "--yes")
    assert code == 0 and "It is in the trash" in out
    code, out, _ = run(capsys, db_path, "trash")
    assert "Partnership: Kobe (with 2 linked records)" in out  # its follow-up and first status

    code, out, _ = run(capsys, db_path, "undo")
    assert code == 0 and out.strip() == "Undone: Delete partnership “Kobe”."
    assert "Plan the 70th" in run(capsys, db_path, "show", "follow_up", "1")[1]
    code, out, _ = run(capsys, db_path, "redo")
    assert code == 0 and out.strip() == "Redone: Delete partnership “Kobe”."
    code, _out, err = run(capsys, db_path, "redo")
    assert code == 1 and err.strip() == "desk: There is nothing to redo."

    listed = json.loads(run(capsys, db_path, "undo", "--list", "--json")[1])
    assert [entry["label"] for entry in listed][:2] == [
        "Redo Delete partnership “Kobe”",
        "Undo Delete partnership “Kobe”",
    ]
    entry = json.loads(run(capsys, db_path, "trash", "--json")[1])[0]["entry"]
    code, out, _ = run(capsys, db_path, "trash", "--empty")
    assert code == 1 and "Run again with --yes" in out  # asks first
    code, out, _ = run(capsys, db_path, "trash", "--empty", "--yes")
    assert code == 0 and "Removed 1 entry" in out
    code, _out, err = run(capsys, db_path, "trash", "--restore", str(entry))
    assert code == 1 and "nothing in the trash numbered" in err
    code, _out, err = run(capsys, db_path, "undo", "999999")
    assert code == 1 and err.startswith("desk: There is no operation 999999")
