"""`desk --self-test` checks an installed desk from the inside, and says when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import self_test
from desk.cli.main import main


def test_every_check_holds_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].split()[-1] for line in out[:-1]] == [
        "resources",
        "fonts",
        "demo",
        "documents",
        "workbook",
        "window",
    ]
    assert all(line.startswith("ok ") for line in out[:-1])
    assert out[-1] == "desk self-test: 6 of 6 checks held."


def test_a_missing_resource_fails_the_test_and_the_rest_still_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from desk.core import paths

    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path / "nowhere")
    said: list[str] = []
    assert self_test.run(said.append) == 1
    assert said[0].startswith("FAIL  resources: AssertionError: missing:")
    assert len(said) == len(self_test.CHECKS) + 1  # every check ran and said so
    assert said[-1].endswith("checks held.") and "6 of 6" not in said[-1]
