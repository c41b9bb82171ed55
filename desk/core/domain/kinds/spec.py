"""What a field and a kind of record declare: everything every surface needs to know of
them (the store, the search index, import, the form, the pages), declared once.

A surface never keeps its own table of fields or kinds; it reads these declarations, so
a field added here is checked, searched, imported and shown without another edit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

# How a field reaches the search index: in the record's title (what a hit is named by),
# in its body (what a snippet shows), or not at all.
SearchRole = Literal["title", "body", "never"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # A name in core/domain/types.TYPES: how the value is cleaned, read from a sheet,
    # shown, searched and edited.
    type: str = "text"
    required: bool = False
    vocab: Mapping[str, str] | None = None
    ref: str | None = None  # kind name, for type "ref"
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    currency_field: str | None = None  # for type "money"
    help: str = ""
    # For type "date": may be known only to its year or month ("1961", "June 1961"), as
    # foundings, signings and terms of office often are in an office's old papers.
    partial: bool = False
    # Whether the search index holds it; a text field of a searched kind must say.
    search: SearchRole | None = None
    # Column headers an office writes for it ("Sister City" for the partner's name); its
    # label is always one.
    aliases: tuple[str, ...] = ()
    # Words offices write for a choice's codes ("twin town" for a sister city).
    synonyms: Mapping[str, str] | None = None
    # The heading of the group of the form this field starts.
    section: str = ""
    # For a link: the text field that keeps the linked record's name when that record
    # is deleted, so a delegation list still says who it was.
    keeps_name: str | None = None
    # For a link read from a sheet: the text field a name goes to when no record has it
    # (an agreement's counterpart that is a port, not a partnership in desk).
    otherwise: str | None = None
    # The stored column that sorts this field in the people's alphabet (core/domain/
    # collation), kept by the store on every write and indexed. The kind holds it as a
    # Computed column of this field alone, unless it declares that column itself (a key
    # of several fields: a contact's family name, then given name).
    sort_key: str | None = None
    # Set only through its own operation: why, said to whoever edits it directly.
    locked: str = ""
    # For a date and time: the field naming the zone its wall clock is read in (a flight
    # leaves in one zone and lands in another).
    zone_field: str = "time_zone"
    # Kept by desk from elsewhere (the text read from an attached file), outside the
    # history: undo neither compares nor restores it; it is read again at will.
    derived: bool = False


@dataclass(frozen=True)
class OneOf:
    """At least one of `fields` is given, or `message` says what is missing, under the
    field `at`."""

    fields: tuple[str, ...]
    message: str
    at: str


@dataclass(frozen=True)
class Importing:
    """How a kind is read from an office's spreadsheet."""

    # What makes a row the same record as one in desk (normalized): a name or title,
    # then what tells two of that name apart.
    match: tuple[str, ...]
    # What a whole file means when it has no column for a field.
    defaults: Mapping[str, object] = field(default_factory=dict)
    # The choice the import window offers for every row at once ("every row is a
    # friendship city").
    every_row: str | None = None
    # Whether a row named "Total" or "Sum" is the sheet's sum rather than a record (a
    # person may be called Count).
    total_rows: bool = True


@dataclass(frozen=True)
class Link:
    """Records of another kind shown under a record: `kind`'s records whose `via` field
    points at it, with `columns`. `opens`: "self" opens the linked record on its own
    page (and unlinks rather than deletes it); a field name opens what that field
    points to; None edits the linked row itself in a dialog."""

    label: str
    kind: str
    via: str
    columns: tuple[str, ...]
    opens: str | None = None


SELF = "self"


@dataclass(frozen=True)
class Looked:
    """A column a list shows that is another record's: an agreement's partner, a
    contact's organization (`column` of the `parent` table, the record `key` names)."""

    name: str
    label: str
    parent: str
    column: str
    key: str
    # The parent's column that sorts `column` (its sort key), when it has one.
    sort_key: str | None = None

    def sql(self, table: str, column: str | None = None) -> str:
        parent = self.parent
        return (
            f"(SELECT {column or self.column} FROM {parent} WHERE {parent}.id = {table}.{self.key})"
        )

    def order_by(self, prefix: str, direction: str) -> str:
        """The parent's order: by its sort key (an index on the key and id answers it),
        else by the name as SQLite compares it."""
        if self.sort_key:
            return f"{prefix}{self.sort_key} {direction}"
        return f"{prefix}{self.column} COLLATE NOCASE {direction}"

    def ordered_ids(self, table: str, direction: str) -> str:
        """Every id of the kind in this column's order, read from the parent's name
        index and the kind's key index rather than sorted: 30 ms for 100,000 contacts
        by organization, where sorting took 130. Records without a parent (or whose
        parent is gone) come last, as in lists sorted by their own columns."""
        parent, key = self.parent, self.key
        return (
            f"SELECT id FROM (SELECT c.id AS id FROM {parent} p CROSS JOIN {table} c "
            f"ON c.{key} = p.id ORDER BY {self.order_by('p.', direction)}, "
            f"p.id {direction}, c.id {direction}) "
            f"UNION ALL SELECT id FROM (SELECT id, {key} FROM {table} "
            f"WHERE {key} IS NULL OR {key} NOT IN (SELECT id FROM {parent}) "
            f"ORDER BY {key} {direction}, id {direction})"
        )


@dataclass(frozen=True)
class Computed:
    """A stored column desk works out itself (never typed): a contact's sort name, an
    agreement's decision deadline. `label` empty: kept for sorting, never shown."""

    name: str
    label: str = ""
    type: str = "text"
    # A sort key (see collation): the fields it orders by, the first the one it sorts,
    # the others breaking its ties in turn (a family name, then the given name).
    key_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    label: str
    plural: str
    fields: tuple[Field, ...]
    # SQL expression (over the table's columns) naming one record in lists and links.
    title_sql: str
    parent: str | None = None  # the field linking a child record to its owner
    # Other names the command line accepts ("delegation" for participants).
    aliases: tuple[str, ...] = ()
    # Where its hits come in search results, first to last; 0: not searched.
    searched: int = 0
    list_columns: tuple[str, ...] = ()
    default_sort: str = "id"
    # Lists start with the latest first (a visit, an interaction).
    newest_first: bool = False
    # Pairs of fields where the second may not come before the first.
    date_order: tuple[tuple[str, str], ...] = ()
    needs_one_of: tuple[OneOf, ...] = ()
    imports: Importing | None = None
    # Files can be kept with its records.
    attachable: bool = False
    # Its place in the window's pages (1 first; 0: no page of its own) and that page's
    # name when not the plural.
    page: int = 0
    page_label: str = ""
    # Counted in the window's status bar.
    counted: bool = False
    links: tuple[Link, ...] = ()
    looked_up: tuple[Looked, ...] = ()
    computed: tuple[Computed, ...] = ()
    # What tells one record from others with the same name: fields or looked-up columns.
    context: tuple[str, ...] = ()
    field_map: Mapping[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_map", MappingProxyType({f.name: f for f in self.fields}))
        # A field's sort key is a column of its own unless the kind declares it.
        declared = {c.name for c in self.computed}
        keys = tuple(
            Computed(f.sort_key, key_of=(f.name,))
            for f in self.fields
            if f.sort_key and f.sort_key not in declared
        )
        object.__setattr__(self, "computed", self.computed + keys)

    @property
    def sort_keys(self) -> tuple[Computed, ...]:
        """The columns that hold sort keys, each with the fields it is made of."""
        return tuple(c for c in self.computed if c.key_of)

    @property
    def derived_names(self) -> set[str]:
        """Columns desk keeps itself (sort keys, text read from files): not a change a
        person made, so never a reason to refuse an undo."""
        return {k.name for k in self.sort_keys} | {f.name for f in self.fields if f.derived}

    @property
    def searchable(self) -> bool:
        return self.searched > 0

    @property
    def importable(self) -> bool:
        return self.imports is not None

    def looked(self, column: str) -> Looked | None:
        return next((c for c in self.looked_up if c.name == column), None)

    def count(self, n: int) -> str:
        """'1 gift', '3 gifts', '2 itinerary items' (a tab says 'Itinerary', a count
        needs the noun)."""
        if n == 1:
            return f"1 {self.label.lower()}"
        plural = self.plural if self.plural.endswith("s") else self.label + "s"
        return f"{n:,} {plural.lower()}"
