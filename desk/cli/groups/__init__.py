"""Command groups that each live in one module of this package, found by name, so a new
group of commands is one new file: the module defines

    COMMANDS: frozenset[str]          the commands it answers
    READING: frozenset[str]           those of them that never write (opened read-only)
    def add_parsers(sub) -> None      its subparsers, on the `desk` parser's `sub`
    def run(db, args) -> int          runs one of its commands on an open database

and imports what its commands need inside `run`, so building the parser stays quick.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType


@functools.cache
def groups() -> tuple[ModuleType, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            found.append(importlib.import_module(f"{__name__}.{info.name}"))
    return tuple(found)


def group_of(command: str) -> ModuleType | None:
    return next((g for g in groups() if command in g.COMMANDS), None)


def reading(command: str) -> bool:
    group = group_of(command)
    return group is not None and command in group.READING
