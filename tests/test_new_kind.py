"""The recipe for a new kind, tried: a kind declared in one place (its fields, its rules,
how it is searched and imported) and its table made by one migration's DDL gets every
surface of desk without another edit: add, list, show, edit, delete, undo, dump, search
and import, through the command line as a person uses it."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.domain import kinds
from desk.core.domain.kinds import Field, Importing, Kind
from desk.core.store import index
from desk.core.store.db import open_database
from desk.core.store.schema_tools import run_script

TRIAL = Kind(
    "trial",
    "trials",
    "Trial",
    "Trials",
    (
        Field("name", "Name", required=True, search="title", aliases=("trial",)),
        Field("country", "Country", "country", search="body"),
        Field("starts_on", "Starts", "date"),
        Field("ends_on", "Ends", "date"),
        Field("seats", "Seats", "int", minimum=0),
        Field("notes", "Notes", "longtext", search="body"),
    ),
    title_sql="name",
    searched=20,
    list_columns=("name", "country", "starts_on"),
    default_sort="name",
    date_order=(("starts_on", "ends_on"),),
    imports=Importing(match=("name", "country")),
)

# The migration the recipe writes: the table, as every kind's is made.
TRIALS_TABLE = """
CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    starts_on TEXT,
    ends_on TEXT,
    seats INTEGER,
    notes TEXT
);
CREATE INDEX trials_by_name ON trials(name COLLATE NOCASE, id);
"""


@pytest.fixture
def trial_db(tmp_path: Path) -> Iterator[Path]:
    # As a new desk would: the file is brought to the schema (the migration making the
    # kind's table), and the search index is made for the kinds then declared.
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    with db.conn:
        run_script(db.conn, TRIALS_TABLE)
    kinds.register(TRIAL)
    index.rebuild(db)
    db.close()
    try:
        yield path
    finally:
        kinds.unregister("trial")


def desk(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    code = main(["--db", str(path), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_kind_declared_once_gets_every_surface(
    trial_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = desk(capsys, trial_db, "add", "trial", "name=Harbor pilot", "country=Japan", "seats=40")
    assert out.startswith("Created trial #1")
    # Its rules: a required field, a typed value, dates in order, each named.
    for bad, named in (
        (["country=JP"], "Name"),
        (["name=X", "seats=many"], "Seats"),
        (["name=X", "starts_on=5/2/2025", "ends_on=5/1/2025"], "Ends"),
    ):
        code = main(["--db", str(trial_db), "add", "trial", *bad])
        assert code != 0 and named in capsys.readouterr().err
    listed = json.loads(desk(capsys, trial_db, "list", "trials", "--json"))
    assert [(r["name"], r["country"]) for r in listed] == [("Harbor pilot", "JP")]
    trial_id = str(listed[0]["id"])
    shown = desk(capsys, trial_db, "show", "trial", trial_id)
    assert "Harbor pilot" in shown and "Japan" in shown and "40" in shown
    desk(capsys, trial_db, "edit", "trial", trial_id, "notes=Bring the harbor charts")
    hits = json.loads(desk(capsys, trial_db, "search", "charts", "--json"))
    assert [(h["kind"], h["title"]) for h in hits] == [("trial", "Harbor pilot")]
    assert "Harbor pilot" in desk(capsys, trial_db, "search", "japan")
    desk(capsys, trial_db, "undo")
    assert json.loads(desk(capsys, trial_db, "search", "charts", "--json")) == []

    dump = tmp_path / "city.json"
    desk(capsys, trial_db, "export", "json", "--out", str(dump))
    assert [r for r in json.loads(dump.read_text("utf-8"))["tables"]["trials"]["rows"]]

    desk(capsys, trial_db, "delete", "trial", trial_id, "--yes")
    assert json.loads(desk(capsys, trial_db, "list", "trials", "--json")) == []
    desk(capsys, trial_db, "undo")
    assert len(json.loads(desk(capsys, trial_db, "list", "trials", "--json"))) == 1

    sheet = tmp_path / "trials.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out_file:
        writer = csv.writer(out_file)
        writer.writerow(["Trial", "Country", "Seats", "Notes"])
        writer.writerow(["Harbor pilot", "Japan", "40", ""])
        writer.writerow(["Night market", "Taiwan", "12", "Street food permits"])
    out = desk(capsys, trial_db, "import", "trials", str(sheet))
    assert "1 new" in out and "1 already in desk" in out
    names = [r["name"] for r in json.loads(desk(capsys, trial_db, "list", "trials", "--json"))]
    assert names == ["Harbor pilot", "Night market"]
    assert "Night market" in desk(capsys, trial_db, "search", "permits")
