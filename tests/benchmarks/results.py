"""Every benchmark writes its figures into one machine-readable file, beside its goal, so
the speed goals are watched from run to run (`.ci/run` prints them as a table; a report,
not a timed test that fails on a busy machine).

`record(...)` adds or replaces one figure in `benchmark-results.json` (or the file named
by `DESK_BENCH_RESULTS`); `python -m tests.benchmarks.results` prints them all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any


def results_path() -> Path:
    return Path(os.environ.get("DESK_BENCH_RESULTS", "benchmark-results.json"))


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"figures": {}}
    return data if isinstance(data.get("figures"), dict) else {"figures": {}}


def record(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    *,
    goal: float | None = None,
    lower_is_better: bool = True,
    note: str = "",
) -> None:
    """One figure of one benchmark, beside its goal (None: a figure with no goal)."""
    path = results_path()
    data = _load(path)
    within = None
    if goal is not None:
        within = value <= goal if lower_is_better else value >= goal
    data["figures"][f"{benchmark}: {figure}"] = {
        "benchmark": benchmark,
        "figure": figure,
        "value": round(value, 3),
        "unit": unit,
        "goal": goal,
        "within": within,
        "note": note,
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    data["machine"] = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def table(path: Path) -> str:
    data = _load(path)
    rows = [["figure", "value", "goal", ""]]
    for entry in data["figures"].values():
        goal = "" if entry["goal"] is None else f"{entry['goal']:g} {entry['unit']}"
        mark = {True: "within", False: "OVER", None: ""}[entry["within"]]
        rows.append(
            [
                f"{entry['benchmark']}: {entry['figure']}",
                f"{entry['value']:g} {entry['unit']}",
                goal,
                mark,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    machine = data.get("machine")
    return "\n".join([*lines, *([f"({machine})"] if machine else [])])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    print(table(results_path()))
