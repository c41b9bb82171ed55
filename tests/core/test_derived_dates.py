"""Dates desk works out itself (an agreement's expiry from its start and term) stay inside
the years it keeps, so whatever the normal write path stores, desk's own dump takes back:
a term that would carry the expiry past LAST_YEAR is refused, naming the field."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desk.cli.main import main
from desk.core.domain import dates
from desk.core.domain.types.cleaning import FIRST_YEAR, LAST_YEAR
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.io import importer
from desk.io.dump import export_json, import_json


def _agreement(db: Database, **values: Any) -> int:
    made = records.create(db, "agreement", {"title": "Port MOU", **values}).id
    assert made is not None
    return made


def test_a_term_past_the_last_year_is_refused_naming_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        _agreement(db, signed_date="2150-03-01", term_months=1200)
    assert refused.value.field == "term_months"
    assert str(refused.value) == (
        f"'Term (months)' of 1,200 puts the expiry in 2250, past {LAST_YEAR}, the last "
        "year desk keeps; give a shorter term, or leave it empty."
    )
    # The last day desk keeps is still a day it keeps.
    kept = _agreement(db, effective_date=f"{LAST_YEAR - 1}-12-31", term_months=12)
    assert records.get(db, "agreement", kept)["expiry_date"] == f"{LAST_YEAR}-12-31"


def test_an_edit_that_would_carry_the_expiry_past_is_refused(db: Database) -> None:
    aid = _agreement(db, signed_date=f"{LAST_YEAR}-06-01")
    with pytest.raises(ValidationError, match=r"'Term \(months\)' of 7 puts the expiry in 2201"):
        records.update(db, "agreement", aid, {"term_months": 7})
    assert records.get(db, "agreement", aid)["expiry_date"] is None
    records.update(db, "agreement", aid, {"term_months": 6})  # to December 1, 2200
    assert records.get(db, "agreement", aid)["term_months"] == 6
    # An expiry given by hand is the person's, and the term no longer derives one.
    other = _agreement(db, signed_date=f"{LAST_YEAR}-06-01", expiry_date=f"{LAST_YEAR}-07-01")
    records.update(db, "agreement", other, {"term_months": 600})


def test_an_import_row_with_such_a_term_is_a_problem_of_its_row(db: Database) -> None:
    plan = importer.plan_rows(
        db,
        "agreement",
        [
            (2, {"title": "Harbor MOU", "signed_date": "2190-01-15", "term_months": "240"}),
            (3, {"title": "Trade MOU", "signed_date": "2190-01-15", "term_months": "24"}),
        ],
        "agreements.csv",
        "CSV",
    )
    assert plan.counts() == {"new": 1, "match": 0, "problem": 1}
    assert plan.problems() == [
        "Row 2, column 'Term (months)': 'Term (months)' of 240 puts the expiry in 2210, "
        f"past {LAST_YEAR}, the last year desk keeps; give a shorter term, or leave it empty."
    ]


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh database, made once; each example works on a copy."""
    path = tmp_path_factory.mktemp("empty") / "empty.sqlite"
    open_database(path).close()
    return path


def _days(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=first, max_value=last)


# Dates at both ends of the years desk keeps, where a term can carry them out.
_NEAR_BOUNDS = st.one_of(
    _days(dt.date(LAST_YEAR - 101, 1, 1), dt.date(LAST_YEAR, 12, 31)),
    _days(dt.date(FIRST_YEAR, 1, 1), dt.date(FIRST_YEAR + 1, 12, 31)),
    st.sampled_from([dt.date(LAST_YEAR, 12, 31), dt.date(LAST_YEAR, 1, 31)]),
)
_SIGNED = st.one_of(
    st.none(),
    _NEAR_BOUNDS.map(dt.date.isoformat),
    st.sampled_from([str(LAST_YEAR), f"{LAST_YEAR}-12", str(FIRST_YEAR)]),  # year or month
)
_TERMS = st.one_of(
    st.none(), st.integers(1, 60), st.integers(1, 1200), st.sampled_from([1, 12, 1199, 1200])
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    signed=_SIGNED,
    effective=st.one_of(st.none(), _NEAR_BOUNDS.map(dt.date.isoformat)),
    term=_TERMS,
    by_edit=st.booleans(),
)
def test_what_the_write_path_stores_survives_the_dump_round_trip(
    empty_database: Path, signed: str | None, effective: str | None, term: int | None, by_edit: bool
) -> None:
    values = {"signed_date": signed, "effective_date": effective, "term_months": term}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "desk.sqlite"
        shutil.copyfile(empty_database, path)
        db = open_database(path)
        try:
            start = effective or (signed if signed and len(signed) == 10 else None)
            try:
                if by_edit:  # the term given later, on a record already stored
                    aid = _agreement(db, signed_date=signed, effective_date=effective)
                    records.update(db, "agreement", aid, {"term_months": term})
                else:
                    aid = _agreement(db, **values)
            except ValidationError as refused:
                event(f"refused for {refused.field}")
                if refused.field == "term_months":
                    # Refused only when the expiry would really fall outside.
                    assert start is not None and term is not None
                    ends = dates.add_months(dt.date.fromisoformat(start), term)
                    assert ends.year > LAST_YEAR, (start, term, str(refused))
                    assert f"puts the expiry in {ends.year}, past {LAST_YEAR}" in str(refused)
                else:  # the derived expiry falls before the signing: the person's to fix
                    assert refused.field == "expiry_date", str(refused)
                return
            stored = records.get(db, "agreement", aid)
            event("stored with an expiry" if stored["expiry_date"] else "stored")
            if stored["expiry_date"]:
                assert FIRST_YEAR <= int(stored["expiry_date"][:4]) <= LAST_YEAR
            dump = export_json(db, Path(folder) / "dump.json")
            import_json(db, dump, replace=True)
            assert records.get(db, "agreement", aid) == stored
        finally:
            db.close()


def test_the_dump_commands_take_back_an_expiry_on_the_last_day(
    db: Database, db_path: Path, tmp_path: Path, backup_home: Path
) -> None:
    aid = _agreement(db, effective_date=f"{LAST_YEAR - 100}-12-31", term_months=1200)
    stored = records.get(db, "agreement", aid)
    assert stored["expiry_date"] == f"{LAST_YEAR}-12-31"
    dump = tmp_path / "all.json"
    assert main(["--db", str(db_path), "export", "json", "--out", str(dump)]) == 0
    assert main(["--db", str(db_path), "import", "json", str(dump), "--replace"]) == 0
    assert records.get(db, "agreement", aid) == stored


def test_an_edit_that_gives_a_term_stores_the_expiry_it_derives(db: Database) -> None:
    made = records.create(db, "agreement", {"title": "MOU on ports", "signed_date": "2024-03-15"})
    assert records.get(db, "agreement", made.id)["expiry_date"] is None
    changed = records.update(db, "agreement", made.id, {"term_months": "24"})
    assert records.get(db, "agreement", made.id)["expiry_date"] == "2026-03-15"
    assert changed.fields["expiry_date"] == (None, "2026-03-15")
