from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.store import db as dbmod
from desk.core.store.db import open_database
from tests.conftest import DEMO_TODAY


def run(capsys: pytest.CaptureFixture[str], db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "city.sqlite"
    code, out, _ = run(capsys, path, "demo", "--today", DEMO_TODAY.isoformat())
    assert code == 0 and "250 contacts" in out
    return path


def test_list_show_search(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo_path, "list", "partnerships", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 21
    matsue = next(r for r in rows if r["partner_name"] == "Matsue")
    code, out, _ = run(
        capsys,
        demo_path,
        "list",
        "partnerships",
        "--where",
        "status=active",
        "--sort",
        "established_date",
    )
    assert code == 0 and "Matsue" in out and "Irkutsk" not in out
    assert out.index("Matsue") < out.index("Lviv")  # 1972 before 2022
    code, out, _ = run(capsys, demo_path, "show", "partnership", matsue["uid"])
    assert code == 0 and "松江市" in out and "Status history:" in out
    code, out, _ = run(capsys, demo_path, "search", "Đà Nẵng", "--json")
    assert {h["kind"] for h in json.loads(out)} >= {"partnership"}
    code, out, _ = run(capsys, demo_path, "search", "nobody-by-this-name")
    assert code == 0 and "No matches" in out


def test_add_edit_status_delete(
    demo_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        demo_path,
        "add",
        "partnership",
        "partner_name=Kobe",
        "kind=sister city",
        "country=Japan",
        "--json",
    )
    pid = json.loads(out)["id"]
    assert code == 0
    code, out, _ = run(capsys, demo_path, "edit", "partnership", str(pid), "region=Hyogo")
    assert code == 0 and "Region / province" in out
    code, out, _ = run(
        capsys,
        demo_path,
        "status",
        str(pid),
        "active",
        "--on",
        "2026-01-01",
        "--reason",
        "Council approved",
    )
    assert code == 0
    code, out, _ = run(capsys, demo_path, "history", "partnership", str(pid), "--json")
    assert [h["action"] for h in json.loads(out)] == ["create", "update", "update"]
    scan = tmp_path / "mou.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    code, out, _ = run(capsys, demo_path, "attach", "partnership", str(pid), str(scan))
    assert code == 0
    code, out, _ = run(capsys, demo_path, "delete", "partnership", str(pid))
    assert code == 1 and "Would delete" in out and "2 status changes" in out
    code, out, _ = run(capsys, demo_path, "delete", "partnership", str(pid), "--yes")
    assert code == 0
    code, _, err = run(capsys, demo_path, "show", "partnership", str(pid))
    assert code == 1 and "There is no partnership" in err


def test_a_record_is_named_by_its_name_and_a_year_alone_is_kept(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        demo_path,
        "add",
        "partnership",
        "partner_name=Kaunas",
        "kind=sister city",
        "established_date=1976",
    )
    assert code == 0
    code, out, _ = run(capsys, demo_path, "edit", "partnership", "kaunas", "region=Kaunas County")
    assert code == 0 and "Region / province" in out
    code, out, _ = run(
        capsys, demo_path, "status", "Kaunas", "active", "--on", "June 1991", "--reason", "Signed"
    )
    assert code == 0 and out.strip() == "Partnership Kaunas is now active."
    code, out, _ = run(capsys, demo_path, "show", "partnership", "Kaunas")
    assert code == 0 and "Established" in out and " 1976" in out and "1976-01-01" not in out
    code, out, _ = run(capsys, demo_path, "timeline", "Kaunas")
    assert code == 0 and "6/1991" in out and "1976" in out


def test_errors_are_messages_not_tracebacks(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, demo_path, "add", "visit", "title=Trip", "direction=north")
    assert code == 1 and err.startswith("desk: 'Direction' must be one of")
    code, _, err = run(capsys, demo_path, "list", "spaceships")
    assert code == 1 and "Unknown record kind 'spaceships'" in err
    code, _, err = run(capsys, demo_path, "edit", "contact", "1", "nonsense")
    assert code == 1 and "not FIELD=VALUE" in err


def test_export_import_check(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "dump.json"
    assert run(capsys, demo_path, "export", "json", "--out", str(dump))[0] == 0
    copy = tmp_path / "copy.sqlite"
    code, out, _ = run(capsys, copy, "import", "json", str(dump))
    assert code == 0 and "Imported" in out
    code, out, _ = run(capsys, copy, "check")
    assert code == 0 and "sound" in out
    again = tmp_path / "again.json"
    run(capsys, copy, "export", "json", "--out", str(again))
    assert again.read_bytes() == dump.read_bytes()
    code, _, err = run(capsys, copy, "import", "json", str(dump))
    assert code == 1 and "already holds records" in err
    code, out, _ = run(capsys, copy, "import", "json", str(dump), "--replace")
    assert code == 0 and "Backup written" in out


def test_check_fails_on_a_damaged_database(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = dbmod.open_database(demo_path)
    db.execute("DELETE FROM search_index WHERE kind = 'contact' AND record_id = 5")
    db.close()
    code, out, _ = run(capsys, demo_path, "check")
    assert code == 1 and "Search index misses 1" in out
    code, out, _ = run(capsys, demo_path, "check", "--repair")
    assert code == 0


def test_db_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("DESK_DB", str(target))
    # A path the user named is not made by an ordinary command (a typo stays a typo).
    assert main(["add", "organisation", "name=UCLG"]) == 1
    assert "There is no database" in capsys.readouterr().err and not target.exists()
    open_database(target).close()
    assert main(["add", "organisation", "name=UCLG"]) == 0
    capsys.readouterr()


def test_db_and_read_only_are_taken_wherever_they_are_put(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As people type them: after the command, before it, with `=`, or both options."""
    lines = (
        ["--db", str(demo_path), "list", "partnerships", "--json"],
        ["list", "partnerships", "--json", "--db", str(demo_path)],
        ["list", "--db", str(demo_path), "partnerships", "--json"],
        ["list", "partnerships", f"--db={demo_path}", "--read-only", "--json"],
    )
    answers = []
    for line in lines:
        assert main(line) == 0, line
        answers.append(json.loads(capsys.readouterr().out))
    assert all(a == answers[0] for a in answers) and len(answers[0]) == 21
    # Read-only wherever it is put: a change is refused and nothing is written.
    code = main(["add", "partnership", "partner_name=Tainan", "kind=sister_city",
                 "--db", str(demo_path), "--read-only"])  # fmt: skip
    assert code == 1 and "read-only" in capsys.readouterr().err
    # A --db with no file after it is said plainly.
    with pytest.raises(SystemExit) as missing:
        main(["list", "partnerships", "--db"])
    assert missing.value.code == 2
    assert "argument --db: expected one argument" in capsys.readouterr().err


def test_a_list_names_linked_records_rather_than_numbering_them(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, demo_path, "list", "office_term", "--limit", "3")
    header, _rule, first, *_ = out.splitlines()
    assert code == 0 and header.split()[:3] == ["id", "Office", "Holder"]
    assert "Mayor of" in first  # the office by its title, not its number
