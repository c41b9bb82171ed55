"""A field and a kind are declared once, and every surface reads the declaration: these
tests fail where a stored column, a searched text, an import header or a rule is left
out of it, or where one names a field or kind that is not there."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import pytest

import desk
from desk.core.domain.kinds import KINDS, Kind
from desk.core.domain.names import normalise
from desk.core.domain.types import TYPES, type_of
from desk.core.store import index
from desk.core.store.db import Database
from desk.core.store.hooks import HOOKS
from desk.io.mapping import guess_mapping, importable

# Columns every kind's table has, which the store fills.
_EVERY_TABLE = {"id", "uid", "created_at", "updated_at"}


def _columns(db: Database, table: str) -> set[str]:
    # table_xinfo: generated columns (an agreement's decision deadline) too.
    return {row[1] for row in db.execute(f"PRAGMA table_xinfo({table})").fetchall()}


@pytest.mark.parametrize("spec", KINDS.values(), ids=lambda spec: spec.name)
def test_every_stored_column_is_declared_and_every_declared_field_stored(
    db: Database, spec: Kind
) -> None:
    stored = _columns(db, spec.table) - _EVERY_TABLE
    declared = {f.name for f in spec.fields} | {c.name for c in spec.computed}
    assert stored - declared == set(), "stored but never declared"
    assert declared - stored == set(), "declared but never stored"


def test_a_column_added_without_its_field_is_caught(db: Database) -> None:
    """The check above can fail: a column a migration adds and no Field declares."""
    db.execute("ALTER TABLE organisations ADD COLUMN fax TEXT")
    spec = KINDS["organisation"]
    declared = {f.name for f in spec.fields} | {c.name for c in spec.computed}
    assert _columns(db, spec.table) - _EVERY_TABLE - declared == {"fax"}


@pytest.mark.parametrize("spec", KINDS.values(), ids=lambda spec: spec.name)
def test_every_text_of_a_searched_kind_says_whether_it_is_searched(spec: Kind) -> None:
    if not spec.searchable:
        assert [f.name for f in spec.fields if f.search] == [], "a role in a kind not searched"
        return
    undecided = [f.name for f in spec.fields if type_of(f).words and f.search is None]
    assert undecided == []
    assert [f.name for f in spec.fields if f.search == "title"], "nothing names a hit"
    unsearchable = [
        f.name for f in spec.fields if f.search in ("title", "body") and type_of(f).searched is None
    ]
    assert unsearchable == []


@pytest.mark.parametrize("kind", importable())
def test_every_field_is_imported_by_its_own_label(db: Database, kind: str) -> None:
    spec = KINDS[kind]
    labels = [f.label for f in spec.fields]
    mapping = guess_mapping(db, kind, labels)
    assert [mapping[i] for i in range(len(labels))] == [f.name for f in spec.fields]


@pytest.mark.parametrize("kind", importable())
def test_no_header_names_two_fields(kind: str) -> None:
    named: dict[str, str] = {}
    clashes = []
    for field in KINDS[kind].fields:
        for header in {normalise(field.label), *map(normalise, field.aliases)}:
            if named.setdefault(header, field.name) != field.name:
                clashes.append((header, named[header], field.name))
    assert clashes == []


def test_every_field_names_a_known_type_and_a_field_it_depends_on() -> None:
    problems = []
    for spec in KINDS.values():
        fields = spec.field_map
        for f in spec.fields:
            if f.type not in TYPES:
                problems.append(f"{spec.name}.{f.name}: type {f.type}")
            if (f.type == "ref") != (f.ref is not None) or (f.ref and f.ref not in KINDS):
                problems.append(f"{spec.name}.{f.name}: link to {f.ref}")
            for other in (f.currency_field, f.keeps_name, f.otherwise):
                if other is not None and other not in fields:
                    problems.append(f"{spec.name}.{f.name}: no field {other}")
            if f.vocab is None and type_of(f).choice:
                problems.append(f"{spec.name}.{f.name}: a choice with no choices")
            for code in (f.synonyms or {}).values():
                if code not in (f.vocab or {}):
                    problems.append(f"{spec.name}.{f.name}: synonym for unknown {code}")
    assert problems == []


def test_every_rule_names_fields_its_kind_has(db: Database) -> None:
    problems = []
    for spec in KINDS.values():
        names = set(spec.field_map)
        columns = _columns(db, spec.table)
        for first, second in spec.date_order:
            for name in (first, second):
                if name not in names or spec.field_map[name].type not in ("date", "datetime"):
                    problems.append(f"{spec.name}: date order on {name}")
        for rule in spec.needs_one_of:
            if not set(rule.fields) <= names or rule.at not in names:
                problems.append(f"{spec.name}: one of {rule.fields}")
        if spec.imports is not None:
            problems += [
                f"{spec.name}: import by {key}"
                for key in (*spec.imports.match, *spec.imports.defaults)
                if key not in names
            ]
            if spec.imports.every_row and spec.imports.every_row not in names:
                problems.append(f"{spec.name}: every row's {spec.imports.every_row}")
        for link in spec.links:
            child = KINDS.get(link.kind)
            if child is None or link.via not in child.field_map:
                problems.append(f"{spec.name}: link {link.label}")
            elif child.field_map[link.via].ref != spec.name:
                problems.append(f"{spec.name}: {link.label} via {link.via}")
        for column in spec.context:
            if column not in names and spec.looked(column) is None:
                problems.append(f"{spec.name}: context {column}")
        for looked in spec.looked_up:
            if looked.key not in names:
                problems.append(f"{spec.name}: looked up by {looked.key}")
        for column in (*spec.list_columns, spec.default_sort):
            known = names | {c.name for c in spec.computed} | _EVERY_TABLE
            if column not in known and spec.looked(column) is None:
                problems.append(f"{spec.name}: list column {column}")
        for f in spec.fields:
            if f.sort_key and f.sort_key not in columns:
                problems.append(f"{spec.name}.{f.name}: sorted by {f.sort_key}")
        if spec.attachable and f"{spec.name}_id" not in _columns(db, "attachments"):
            problems.append(f"{spec.name}: files with no column on attachments")
    pages = [spec.page for spec in KINDS.values() if spec.page]
    assert len(pages) == len(set(pages)), "two kinds in one place of the window"
    assert problems == []


def test_hooks_and_views_are_registered_for_kinds_that_exist() -> None:
    from desk.ui.kind_dialogs import DIALOGS
    from desk.ui.kind_pages import PAGES

    assert set(HOOKS) <= set(KINDS)
    assert set(DIALOGS) <= set(KINDS)
    assert set(PAGES) <= {spec.name for spec in KINDS.values() if spec.page}


# The search index's design, as this test last saw it, by INDEX_VERSION. A change to what
# the index holds changes the fingerprint: raise INDEX_VERSION (so files indexed by the
# old design are indexed anew when opened) and record the new fingerprint here.
_INDEX_DESIGNS = {
    2: "f990e7bde20c",
    3: "6453599d3828",
    4: "1bf2aaf2e1c2",
    5: "b735fc9cf50d",
    6: "4be8415cbf62",
}


def _index_design() -> str:
    design = {
        "table": index.SEARCH_INDEX,
        # How the text is cut before the index's tokenizer reads it.
        "cjk": index.CJK.pattern,
        "fold": sorted(index.FOLD.items()),
        "kinds": [
            [kind]
            + [
                [f.name, f.type, f.search]
                for f in KINDS[kind].fields
                if f.search in ("title", "body") and type_of(f).searched is not None
            ]
            for kind in index.searched_kinds()
        ],
    }
    return hashlib.sha256(json.dumps(design).encode()).hexdigest()[:12]


def test_a_change_to_the_index_design_raises_its_version() -> None:
    assert _INDEX_DESIGNS.get(index.INDEX_VERSION) == _index_design(), (
        "the search index's design changed: raise INDEX_VERSION and record "
        f"{index.INDEX_VERSION + 1}: {_index_design()!r}"
    )


# -- kinds are named to decide what desk does only where they are declared or hooked ----

_KIND_PLACES = ("core/domain/kinds/", "core/store/hooks/", "ui/kind_pages.py", "ui/kind_dialogs.py")
# Where demo data is made: it names the kinds it makes, never decides by them.
_MAKERS = ("core/demo/",)


def _kind_decisions(path: Path) -> list[str]:
    """Comparisons of a kind's name with a literal ("spec.name == 'visit'", "kind in
    ('contact', 'visit')") and tables keyed by kinds' names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            literals = []
            for side in sides:
                items = side.elts if isinstance(side, ast.Tuple | ast.Set | ast.List) else [side]
                literals += [
                    item.value
                    for item in items
                    if isinstance(item, ast.Constant) and item.value in KINDS
                ]
            others = [ast.unparse(s) for s in sides if not isinstance(s, ast.Constant)]
            if literals and any("kind" in o.lower() or o.endswith(".name") for o in others):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            if sum(1 for k in keys if k in KINDS) >= 2:
                found.append(f"{node.lineno}: a table keyed by kinds")
    return found


def test_no_kind_is_named_to_decide_outside_its_declaration_and_hooks() -> None:
    root = Path(desk.__file__).parent
    found = {
        str(path.relative_to(root)): decisions
        for path in sorted(root.rglob("*.py"))
        if not str(path.relative_to(root)).startswith(_KIND_PLACES + _MAKERS)
        and (decisions := _kind_decisions(path))
    }
    assert found == {}


def test_the_check_for_kinds_named_to_decide_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "if spec.name == 'visit':\n    pass\n"
        "if kind in ('contact', 'agreement'):\n    pass\n"
        "RULES = {'visit': 1, 'gift': 2}\n"
        "if level == 'city':\n    pass\n",
        "utf-8",
    )
    assert [line.split(":")[0] for line in _kind_decisions(sample)] == ["1", "3", "5"]
