"""The schema as it was shipped, one migration at a time: frozen.

Each migration is the DDL its release ran, written out in full, with nothing taken from
the live code (no constant, no function another module may change later): what a file
of schema N becomes is fixed the day N ships, and `tests/core/test_old_files.py` fails if
an edit changes it. A new schema is a new migration at the end, never an edit here.

The search index is not made here: it is derived from the records, and `store.index`
makes it anew whenever its design moves on (`index.INDEX_VERSION`), after the migrations.
"""

from __future__ import annotations

import functools
import sqlite3
import unicodedata
from collections.abc import Callable

from desk.core.store.schema_tools import add_columns, run_script

# Schema 1: the records.
_V1 = """
CREATE TABLE city_profile (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT,
    office_name TEXT,
    time_zone TEXT NOT NULL DEFAULT 'America/New_York',
    population INTEGER,
    staff_international INTEGER,
    has_director INTEGER NOT NULL DEFAULT 0 CHECK (has_director IN (0, 1)),
    director_title TEXT,
    budget_minor INTEGER,
    budget_currency TEXT NOT NULL DEFAULT 'USD',
    budget_year INTEGER,
    respondent_name TEXT,
    respondent_title TEXT,
    respondent_email TEXT,
    respondent_phone TEXT,
    emergency_contacts TEXT,
    notes TEXT
);

CREATE TABLE organisations (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    name_native TEXT,
    kind TEXT NOT NULL DEFAULT 'other',
    country TEXT,
    city TEXT,
    website TEXT,
    email TEXT,
    phone TEXT,
    notes TEXT
);
CREATE INDEX organisations_name ON organisations(name COLLATE NOCASE, id);

CREATE TABLE contacts (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    given_name TEXT,
    family_name TEXT NOT NULL,
    name_native TEXT,
    name_order TEXT NOT NULL DEFAULT 'given_first',
    honorific TEXT,
    written_address TEXT,
    spoken_address TEXT,
    job_title TEXT,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    country TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    dietary TEXT,
    time_zone TEXT,
    email TEXT,
    phone TEXT,
    mobile TEXT,
    notes TEXT,
    sort_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_sort ON contacts(sort_name COLLATE NOCASE, id);
-- The contact list is the long one: each column it sorts by has an index shaped like the
-- ORDER BY that queries.py writes (empty values last), so no sort runs at 100,000 rows.
CREATE INDEX contacts_given ON contacts(given_name IS NULL, given_name COLLATE NOCASE, id);
CREATE INDEX contacts_native ON contacts(name_native IS NULL, name_native COLLATE NOCASE, id);
CREATE INDEX contacts_job ON contacts(job_title IS NULL, job_title COLLATE NOCASE, id);
CREATE INDEX contacts_organisation ON contacts(organisation_id);
CREATE INDEX contacts_country ON contacts(country IS NULL, country COLLATE NOCASE, id);

CREATE TABLE offices (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    title_native TEXT,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    country TEXT,
    side TEXT NOT NULL DEFAULT 'theirs',
    notes TEXT
);
CREATE INDEX offices_organisation ON offices(organisation_id);

CREATE TABLE office_terms (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    start_date TEXT,
    end_date TEXT,
    notes TEXT
);
CREATE INDEX office_terms_office ON office_terms(office_id);
CREATE INDEX office_terms_contact ON office_terms(contact_id);

CREATE TABLE partnerships (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    partner_name TEXT NOT NULL,
    partner_name_native TEXT,
    partner_level TEXT NOT NULL DEFAULT 'city',
    region TEXT,
    country TEXT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed',
    established_date TEXT,
    priority_areas TEXT NOT NULL DEFAULT '[]',
    lead_department TEXT,
    local_committee TEXT,
    partner_organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    notes TEXT
);
CREATE INDEX partnerships_name ON partnerships(partner_name COLLATE NOCASE, id);
CREATE INDEX partnerships_country ON partnerships(country);

CREATE TABLE partnership_status_changes (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX status_changes_partnership ON partnership_status_changes(partnership_id);

CREATE TABLE partnership_contacts (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    role TEXT,
    UNIQUE (partnership_id, contact_id)
);
CREATE INDEX partnership_contacts_contact ON partnership_contacts(contact_id);

CREATE TABLE agreements (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'mou',
    status TEXT NOT NULL DEFAULT 'draft',
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE SET NULL,
    parties TEXT,
    country TEXT,
    signed_date TEXT,
    effective_date TEXT,
    term_months INTEGER,
    expiry_date TEXT,
    auto_renew INTEGER NOT NULL DEFAULT 0 CHECK (auto_renew IN (0, 1)),
    renewal_term_months INTEGER,
    notice_days INTEGER,
    buffer_days INTEGER NOT NULL DEFAULT 30,
    -- The day a decision to renew or give notice is due: expiry less the notice period
    -- less our own preparation buffer. Computed by SQLite so it can never go stale.
    decision_deadline TEXT GENERATED ALWAYS AS (
        CASE WHEN expiry_date IS NULL THEN NULL
             ELSE date(expiry_date,
                       '-' || (coalesce(notice_days, 0) + buffer_days) || ' days')
        END) VIRTUAL,
    approving_body TEXT,
    approval_date TEXT,
    approval_reference TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    priority_areas TEXT NOT NULL DEFAULT '[]',
    body_text TEXT,
    notes TEXT
);
CREATE INDEX agreements_partnership ON agreements(partnership_id);
CREATE INDEX agreements_expiry ON agreements(expiry_date);

CREATE TABLE agreement_signatories (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    side TEXT NOT NULL DEFAULT 'ours',
    office_id INTEGER REFERENCES offices(id) ON DELETE SET NULL,
    office_title TEXT,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    signed_on TEXT,
    CHECK (office_id IS NOT NULL OR office_title IS NOT NULL)
);
CREATE INDEX signatories_agreement ON agreement_signatories(agreement_id);

CREATE TABLE network_memberships (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    network_name TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'active',
    joined_date TEXT,
    left_date TEXT,
    membership_level TEXT,
    fee_minor INTEGER,
    fee_currency TEXT,
    priority_areas TEXT NOT NULL DEFAULT '[]',
    website TEXT,
    notes TEXT
);

CREATE TABLE visits (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    direction TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'in_person',
    status TEXT NOT NULL DEFAULT 'requested',
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE SET NULL,
    country TEXT,
    city TEXT,
    time_zone TEXT,
    start_date TEXT,
    end_date TEXT,
    principal TEXT,
    requested_by TEXT,
    requester_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    request_date TEXT,
    request_purpose TEXT,
    decision TEXT NOT NULL DEFAULT 'pending',
    decision_date TEXT,
    decision_notes TEXT,
    purpose TEXT,
    objectives TEXT,
    priority_areas TEXT NOT NULL DEFAULT '[]',
    significant INTEGER NOT NULL DEFAULT 1 CHECK (significant IN (0, 1)),
    press_line TEXT,
    outcomes TEXT,
    trip_report TEXT,
    notes TEXT,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX visits_start ON visits(start_date IS NULL, start_date COLLATE NOCASE, id);
CREATE INDEX visits_partnership ON visits(partnership_id);

CREATE TABLE itinerary_items (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'meeting',
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    time_zone TEXT NOT NULL,
    place TEXT,
    address TEXT,
    counterpart TEXT,
    counterpart_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    dress_code TEXT,
    talking_points TEXT,
    likely_asks TEXT,
    sensitivities TEXT,
    notes TEXT,
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX itinerary_visit ON itinerary_items(visit_id, starts_at);

CREATE TABLE visit_participants (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    name TEXT,
    side TEXT NOT NULL DEFAULT 'theirs',
    role TEXT NOT NULL DEFAULT 'delegate',
    notes TEXT,
    CHECK (contact_id IS NOT NULL OR name IS NOT NULL)
);
CREATE INDEX participants_visit ON visit_participants(visit_id);
CREATE INDEX participants_contact ON visit_participants(contact_id);

CREATE TABLE gifts (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER REFERENCES visits(id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    description TEXT NOT NULL,
    value_minor INTEGER CHECK (value_minor IS NULL OR value_minor >= 0),
    currency TEXT,
    giver TEXT,
    giver_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    recipient TEXT,
    recipient_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    exchanged_on TEXT,
    disposition TEXT NOT NULL DEFAULT 'planned',
    notes TEXT
);
CREATE INDEX gifts_visit ON gifts(visit_id);

CREATE TABLE interactions (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'meeting',
    subject TEXT NOT NULL,
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE SET NULL,
    visit_id INTEGER REFERENCES visits(id) ON DELETE SET NULL,
    notes TEXT
);
CREATE INDEX interactions_date ON interactions(occurred_on);

CREATE TABLE interaction_participants (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    UNIQUE (interaction_id, contact_id)
);
CREATE INDEX interaction_participants_contact ON interaction_participants(contact_id);

CREATE TABLE follow_ups (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    due_date TEXT,
    done_on TEXT,
    visit_id INTEGER REFERENCES visits(id) ON DELETE CASCADE,
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE CASCADE,
    agreement_id INTEGER REFERENCES agreements(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    notes TEXT
);
CREATE INDEX follow_ups_due ON follow_ups(done_on, due_date);

-- File contents live apart from their description, keyed by content hash, so lists of
-- attachments never read the bytes and the same scan attached twice is stored once.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE attachments (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    agreement_id INTEGER REFERENCES agreements(id) ON DELETE CASCADE,
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE CASCADE,
    visit_id INTEGER REFERENCES visits(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    description TEXT,
    CHECK ((agreement_id IS NOT NULL) + (partnership_id IS NOT NULL) + (visit_id IS NOT NULL)
           + (contact_id IS NOT NULL) + (organisation_id IS NOT NULL) = 1)
);
CREATE INDEX attachments_agreement ON attachments(agreement_id);
CREATE INDEX attachments_visit ON attachments(visit_id);
CREATE INDEX attachments_partnership ON attachments(partnership_id);
CREATE INDEX attachments_sha ON attachments(sha256);

-- What changed, when: one row per write of one record.
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    record_uid TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX history_record ON history(kind, record_id);

-- One row per searchable record. CJK text is stored one character per token (see
-- search.py) so any run of characters can be found; diacritics fold away. `folded` holds
-- the plain-letter forms of words unicode61 cannot fold itself (Đặng -> Dang).
-- `tag` holds "k<kind>" so a search can keep to one kind inside MATCH, which is fast,
-- instead of filtering every match afterwards.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, record_id UNINDEXED, title, body, folded,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

# Imports: each one a batch that can be undone, and the column mappings people confirmed.
_V2 = """
CREATE TABLE import_batches (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    created INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    undone_at TEXT
);

ALTER TABLE history ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
CREATE INDEX history_batch ON history(batch_id);

CREATE TABLE import_mappings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    header TEXT NOT NULL,
    field TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, header)
);
"""

# Operations: every write is one, so any of them can be undone and redone, and a deleted
# record can be restored from the trash. `undone_by` points at the undo that reversed a
# live operation; `deleted_*` name the record an operation deleted (the trash).
_V3 = """
CREATE TABLE operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'do' CHECK (kind IN ('do', 'undo', 'redo')),
    target_id INTEGER REFERENCES operations(id),
    undone_by INTEGER REFERENCES operations(id),
    deleted_kind TEXT,
    deleted_uid TEXT,
    deleted_title TEXT,
    purged_at TEXT
);
CREATE INDEX operations_trash ON operations(deleted_kind) WHERE deleted_kind IS NOT NULL;

ALTER TABLE history ADD COLUMN op_id INTEGER REFERENCES operations(id);
CREATE INDEX history_op ON history(op_id);
CREATE INDEX history_uid ON history(record_uid);

ALTER TABLE import_batches ADD COLUMN op_id INTEGER REFERENCES operations(id);
ALTER TABLE import_batches ADD COLUMN undo_op_id INTEGER REFERENCES operations(id);
"""

# The briefing book: what to avoid, logistics and an advance contact on a visit; purpose,
# attendees and run of show per program item; a contact's biography; and the numbers our
# own travelers need abroad, apart from the local numbers a visiting delegation needs.
_V4 = """
ALTER TABLE visits ADD COLUMN avoid TEXT;
ALTER TABLE visits ADD COLUMN travel TEXT;
ALTER TABLE visits ADD COLUMN lodging TEXT;
ALTER TABLE visits ADD COLUMN advance_contact_id INTEGER
    REFERENCES contacts(id) ON DELETE SET NULL;
ALTER TABLE itinerary_items ADD COLUMN purpose TEXT;
ALTER TABLE itinerary_items ADD COLUMN our_attendees TEXT;
ALTER TABLE itinerary_items ADD COLUMN their_attendees TEXT;
ALTER TABLE itinerary_items ADD COLUMN run_of_show TEXT;
ALTER TABLE contacts ADD COLUMN bio TEXT;
ALTER TABLE city_profile ADD COLUMN travel_emergency TEXT;
"""

_V5 = """
CREATE INDEX IF NOT EXISTS interactions_partnership ON interactions(partnership_id);
CREATE INDEX IF NOT EXISTS interactions_visit ON interactions(visit_id);
CREATE INDEX IF NOT EXISTS follow_ups_visit ON follow_ups(visit_id);
CREATE INDEX IF NOT EXISTS follow_ups_partnership ON follow_ups(partnership_id);
CREATE INDEX IF NOT EXISTS follow_ups_agreement ON follow_ups(agreement_id);
CREATE INDEX IF NOT EXISTS follow_ups_contact ON follow_ups(contact_id);
CREATE INDEX IF NOT EXISTS status_changes_partnership_day
    ON partnership_status_changes(partnership_id, changed_on);
"""

# Every link between records gets an index on the linking column. SQLite checks each
# link of a record being deleted (foreign_keys=ON), and so does undo before taking a
# record away: without these, each deleted contact read all 132,000 itinerary items of
# a 100,000-contact city, and undoing an import of 100,000 contacts took most of an hour.
_V6 = """
CREATE INDEX IF NOT EXISTS partnerships_partner_organisation
    ON partnerships(partner_organisation_id);
CREATE INDEX IF NOT EXISTS agreement_signatories_contact ON agreement_signatories(contact_id);
CREATE INDEX IF NOT EXISTS agreement_signatories_office ON agreement_signatories(office_id);
CREATE INDEX IF NOT EXISTS network_memberships_partnership
    ON network_memberships(partnership_id);
CREATE INDEX IF NOT EXISTS network_memberships_organisation
    ON network_memberships(organisation_id);
CREATE INDEX IF NOT EXISTS visits_advance_contact ON visits(advance_contact_id);
CREATE INDEX IF NOT EXISTS visits_requester_contact ON visits(requester_contact_id);
CREATE INDEX IF NOT EXISTS itinerary_items_counterpart_contact
    ON itinerary_items(counterpart_contact_id);
CREATE INDEX IF NOT EXISTS gifts_recipient_contact ON gifts(recipient_contact_id);
CREATE INDEX IF NOT EXISTS gifts_giver_contact ON gifts(giver_contact_id);
CREATE INDEX IF NOT EXISTS attachments_organisation ON attachments(organisation_id);
CREATE INDEX IF NOT EXISTS attachments_contact ON attachments(contact_id);
CREATE INDEX IF NOT EXISTS import_batches_undo_op ON import_batches(undo_op_id);
CREATE INDEX IF NOT EXISTS import_batches_op ON import_batches(op_id);
CREATE INDEX IF NOT EXISTS operations_undone_by ON operations(undone_by);
CREATE INDEX IF NOT EXISTS operations_target ON operations(target_id);
-- What an operation touched, by kind, read from the index alone (operations.touched);
-- it leads with op_id, so the index on op_id alone is one write per change too many.
CREATE INDEX IF NOT EXISTS history_op_kind ON history(op_id, action, kind, record_id);
DROP INDEX IF EXISTS history_op;
"""

# Today's agenda, the first thing the window shows, reads these instead of the tables:
# visits not yet over by their last day, partnerships by standing and founding date, and
# agreements by the date their renewal must be decided.
_V7 = """
CREATE INDEX IF NOT EXISTS visits_agenda ON visits(
    coalesce(end_date, start_date), start_date, end_date, status, direction, partnership_id,
    title
);
CREATE INDEX IF NOT EXISTS partnerships_anniversary
    ON partnerships(status, established_date, partner_name);
CREATE INDEX IF NOT EXISTS agreements_decision
    ON agreements(decision_deadline, status, expiry_date);
"""

# Outcomes that count: figures (jobs, investment, people exchanged...) on a partnership,
# a visit or an agreement, each with its year, whether it is an estimate, and its source;
# and the Sustainable Development Goals each engagement advances.
_V8 = """
CREATE TABLE IF NOT EXISTS outcomes (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    measure TEXT NOT NULL,
    amount INTEGER,
    value_minor INTEGER,
    currency TEXT,
    year INTEGER,
    estimate INTEGER NOT NULL DEFAULT 0,
    source TEXT,
    partnership_id INTEGER REFERENCES partnerships(id) ON DELETE CASCADE,
    visit_id INTEGER REFERENCES visits(id) ON DELETE CASCADE,
    agreement_id INTEGER REFERENCES agreements(id) ON DELETE CASCADE,
    notes TEXT
);
CREATE INDEX IF NOT EXISTS outcomes_partnership ON outcomes(partnership_id);
CREATE INDEX IF NOT EXISTS outcomes_visit ON outcomes(visit_id);
CREATE INDEX IF NOT EXISTS outcomes_agreement ON outcomes(agreement_id);
CREATE INDEX IF NOT EXISTS outcomes_year ON outcomes(year IS NULL, year COLLATE NOCASE, id);
-- Every email, phone, address and website a contact has beyond the main ones, with
-- its label ("work", "cell"), as an address book keeps them.
CREATE TABLE IF NOT EXISTS contact_details (

    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    label TEXT,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contact_details_contact ON contact_details(contact_id);
-- A value an office's file writes its own way ("Trade agreement"), and the code the
-- person chose for it on import, kept for the next file, as import_mappings keeps columns.
CREATE TABLE IF NOT EXISTS import_values (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    code TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, field, text)
);
"""

# The file's own facts, kept beside the records: which database this is (an identity that
# a restore keeps and a copy of the file carries to a new laptop, so backups belong to a
# database, not to a file name) and the schema version once more, so that a header with
# damaged bytes is told apart from a file written by a newer desk.
_V9 = """
CREATE TABLE IF NOT EXISTS file_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _schema_8(conn: sqlite3.Connection) -> None:
    run_script(conn, _V8)
    # Where the map puts a place the gazetteer does not know: "35.468, 133.049".
    add_columns(conn, "partnerships", {"sdgs": "TEXT", "location": "TEXT"})
    add_columns(conn, "visits", {"sdgs": "TEXT"})
    add_columns(conn, "agreements", {"sdgs": "TEXT"})
    add_columns(conn, "city_profile", {"location": "TEXT"})


def _schema_9(conn: sqlite3.Connection) -> None:
    import datetime as dt
    import uuid

    run_script(conn, _V9)
    conn.execute(
        "INSERT OR IGNORE INTO file_meta (key, value) VALUES ('database_uid', ?)",
        (str(uuid.uuid4()),),
    )
    conn.execute(
        "INSERT OR IGNORE INTO file_meta (key, value) VALUES ('created_at', ?)",
        (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),),
    )
    # An operation that can never be taken back (emptying the trash, a restore): undo
    # stops at it and says so rather than passing over it to older work.
    add_columns(conn, "operations", {"final": "INTEGER NOT NULL DEFAULT 0"})
    conn.execute(
        "UPDATE operations SET final = 1 "
        "WHERE label = 'Empty the trash' AND kind = 'undo' AND target_id IS NULL"
    )
    conn.execute("PRAGMA application_id = 1684370283")  # "desk" in ASCII


def _schema_10(conn: sqlite3.Connection) -> None:
    # A visit names who receives it beside who leads it, so no document has to guess our
    # side from their principal.
    add_columns(conn, "visits", {"host": "TEXT"})


# Schema 11: names sorted in the people's alphabet. Every column a list sorts names by
# has a key beside it (core/domain/collation) that SQLite compares byte by byte, and an
# index on the key, so a list is read in order instead of sorted: a contact's
# `sort_name` (family, then given name) is keyed anew and the others are added. The
# keys of the rows already there are made here by a copy of the key as this schema
# shipped it (version 1), never by the live one: a file upgraded today and one filled
# by today's desk must hold the same keys (tests/core/test_collation.py compares them).
_V11_COLUMNS = {
    "organisations": {
        "name_key": "TEXT NOT NULL DEFAULT ''",
        "name_native_key": "TEXT",
        "city_key": "TEXT",
    },
    "contacts": {"given_name_key": "TEXT", "name_native_key": "TEXT", "job_title_key": "TEXT"},
    "offices": {"title_key": "TEXT NOT NULL DEFAULT ''"},
    "partnerships": {
        "partner_name_key": "TEXT NOT NULL DEFAULT ''",
        "partner_name_native_key": "TEXT",
    },
    "agreements": {"title_key": "TEXT NOT NULL DEFAULT ''"},
    "network_memberships": {
        "network_name_key": "TEXT NOT NULL DEFAULT ''",
        "membership_level_key": "TEXT",
    },
    "visits": {"title_key": "TEXT NOT NULL DEFAULT ''", "city_key": "TEXT"},
    "interactions": {"subject_key": "TEXT NOT NULL DEFAULT ''"},
}
# (table, key column, the columns it is the key of, whether it is NULL where the first
# of them is empty: where the column may be; a NOT NULL key is '' there).
_V11_KEYS = (
    ("organisations", "name_key", ("name",), False),
    ("organisations", "name_native_key", ("name_native",), True),
    ("organisations", "city_key", ("city",), True),
    ("contacts", "sort_name", ("family_name", "given_name"), False),
    ("contacts", "given_name_key", ("given_name", "family_name"), True),
    ("contacts", "name_native_key", ("name_native",), True),
    ("contacts", "job_title_key", ("job_title",), True),
    ("offices", "title_key", ("title",), False),
    ("partnerships", "partner_name_key", ("partner_name",), False),
    ("partnerships", "partner_name_native_key", ("partner_name_native",), True),
    ("agreements", "title_key", ("title",), False),
    ("network_memberships", "network_name_key", ("network_name",), False),
    ("network_memberships", "membership_level_key", ("membership_level",), True),
    ("visits", "title_key", ("title",), False),
    ("visits", "city_key", ("city",), True),
    ("interactions", "subject_key", ("subject",), False),
)
# The indexes lists read in order: shaped as queries.ListQuery writes its ORDER BY (a
# key that may be empty: empty ones last). The contacts' indexes on the names
# themselves, which only lists read, give way to those on their keys; the name indexes
# of organizations and partnerships stay, for finding a record by its name.
_V11 = """
DROP INDEX IF EXISTS contacts_sort;
DROP INDEX IF EXISTS contacts_given;
DROP INDEX IF EXISTS contacts_native;
DROP INDEX IF EXISTS contacts_job;
CREATE INDEX IF NOT EXISTS contacts_sort_name ON contacts(sort_name, id);
CREATE INDEX IF NOT EXISTS contacts_given_key
    ON contacts(given_name_key IS NULL, given_name_key, id);
CREATE INDEX IF NOT EXISTS contacts_native_key
    ON contacts(name_native_key IS NULL, name_native_key, id);
CREATE INDEX IF NOT EXISTS contacts_job_key ON contacts(job_title_key IS NULL, job_title_key, id);
CREATE INDEX IF NOT EXISTS organisations_name_key ON organisations(name_key, id);
CREATE INDEX IF NOT EXISTS organisations_native_key
    ON organisations(name_native_key IS NULL, name_native_key, id);
CREATE INDEX IF NOT EXISTS organisations_city_key ON organisations(city_key IS NULL, city_key, id);
CREATE INDEX IF NOT EXISTS offices_title_key ON offices(title_key, id);
CREATE INDEX IF NOT EXISTS partnerships_name_key ON partnerships(partner_name_key, id);
CREATE INDEX IF NOT EXISTS partnerships_native_key
    ON partnerships(partner_name_native_key IS NULL, partner_name_native_key, id);
CREATE INDEX IF NOT EXISTS agreements_title_key ON agreements(title_key, id);
-- The agreements' list opens by the day a decision is due.
CREATE INDEX IF NOT EXISTS agreements_deadline
    ON agreements(decision_deadline IS NULL, decision_deadline COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS network_memberships_name_key
    ON network_memberships(network_name_key, id);
CREATE INDEX IF NOT EXISTS network_memberships_level_key
    ON network_memberships(membership_level_key IS NULL, membership_level_key, id);
CREATE INDEX IF NOT EXISTS visits_title_key ON visits(title_key, id);
CREATE INDEX IF NOT EXISTS visits_city_key ON visits(city_key IS NULL, city_key, id);
CREATE INDEX IF NOT EXISTS interactions_subject_key ON interactions(subject_key, id);
-- The interactions' picker opens by date.
CREATE INDEX IF NOT EXISTS interactions_day ON interactions(occurred_on COLLATE NOCASE, id);
"""

# -- the people's alphabet as schema 11 shipped it (core/domain/collation, version 1) --

# Every character of a key is printable (a dump or a JSON list shows keys as they are).
# The key's levels are parted by the lowest of them, the space, so a shorter level sorts
# first; nothing a level holds is a space.
_K1_LEVEL = " "
# Between the parts of a key of several fields (family name, then given name): below
# what a space in a name weighs, so "Li" + "Wei" sorts before "Li Na" + anything.
_K1_PART = "!"
# A letter's accents are its marks, each element's closed by this (the lowest after
# the level mark): no accent sorts before any accent.
_K1_END = "!"
# Third level: small, then a small variant (a compatibility form, an expansion such as
# "ß", katakana), then capital, then a capital variant.
_K1_SMALL, _K1_SMALL_VARIANT, _K1_CAPITAL, _K1_CAPITAL_VARIANT = "!", '"', "#", "$"

# Spaces, punctuation and symbols, before digits and letters, in the root order's
# groups: _ - , ; : ! ? . ' " brackets, other punctuation, then symbols.
_K1_SPACE = '"'
_K1_PUNCTUATION = {
    "_": "#",
    ",": "%",
    ";": "&",
    ":": "'",
    "!": "(",
    "?": ")",
    ".": "*",
    "'": "+",
    "\u2019": "+",  # right single quotation mark, the usual apostrophe in names
    "\u2018": "+",
    "\u02bc": "+",  # modifier letter apostrophe (ŉ, Hawaiian and Arabic transliteration)
    "\u02bb": "+",  # ʻokina
    "\u02bf": "+",  # ʿ (ayin)
    "\u02be": "+",  # ʾ (hamza)
    '"': ",",
}
_K1_DASH, _K1_QUOTE, _K1_BRACKET, _K1_OTHER_PUNCTUATION, _K1_SYMBOL = "$", ",", "-", ".", "/"

# Letters the root order reads as others, or as a letter with a mark of its own (the
# letter itself stands for that mark, at the second level).
_K1_LETTERS: dict[str, tuple[str, str, bool]] = {
    # letter: (read as, its mark at the second level, a variant at the third)
    "æ": ("ae", "", True),
    "œ": ("oe", "", True),
    "þ": ("th", "", True),
    "ø": ("o", "ø", False),
    "ł": ("l", "ł", False),
    "đ": ("d", "đ", False),
    "ð": ("d", "ð", False),
    "ħ": ("h", "ħ", False),
    "ŧ": ("t", "ŧ", False),
    "ı": ("i", "ı", False),
    "ŀ": ("l", "ŀ", False),
    "ŋ": ("n", "ŋ", False),
    "ƒ": ("f", "ƒ", False),
    "ƀ": ("b", "ƀ", False),
    "ɨ": ("i", "ɨ", False),
    "ʉ": ("u", "ʉ", False),
    "ɗ": ("d", "ɗ", False),
    "ɓ": ("b", "ɓ", False),
    "ƙ": ("k", "ƙ", False),
    "ƴ": ("y", "ƴ", False),
}


def _k1_ignored(char: str) -> bool:
    """Arabic's tatweel (it only stretches a word), the combining grapheme joiner and
    variation selectors (which pick a glyph, as Japanese names' ideographs may)."""
    return (
        char in "\u0640\u034f"
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
    )


_K1_Element = tuple[str, str, str]  # first level (one character), accents, third level
# An accent with no letter before it in its character: it joins the letter before.
_K1_JOINS = "\x00"


class _K1Table(dict[int, str]):
    """A character's weights at one level, worked out the first time it is met (a
    translation table: `str.translate` weighs a whole name in one call)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def __missing__(self, code: int) -> str:
        elements = _k1_elements(chr(code))
        if self.level == 1:
            found = "".join(weight for weight, _marks, _case in elements if weight)
        elif self.level == 2:
            found = "".join(marks + _K1_END for weight, marks, _case in elements if weight)
            if elements and not elements[0][0]:
                found = _K1_JOINS + elements[0][1] + _K1_END + found
        else:
            found = "".join(case for weight, _marks, case in elements if weight)
        self[code] = found
        return found


_K1_FIRST, _K1_SECOND, _K1_THIRD = _K1Table(1), _K1Table(2), _K1Table(3)


def _people_key_v1(*parts: str | None) -> str:
    """Text (or several fields of it, compared field by field: a family name, then a
    given name) as a key whose code-point order is the people's alphabet; "" for none."""
    first, accents, third = [], [], []
    for part in parts:
        found = _k1_weigh(part) if part else None
        if found is not None:
            first.append(found[0])
            accents.append(found[1])
            third.append(found[2])
    result = _K1_PART.join(first)
    second = _K1_END.join(accents).rstrip(_K1_END)
    cases = _K1_SMALL.join(third).rstrip(_K1_SMALL)
    if cases:
        return f"{result}{_K1_LEVEL}{second}{_K1_LEVEL}{cases}"
    if second:
        return f"{result}{_K1_LEVEL}{second}"
    return result


# A contact book repeats its words (family names, given names, titles): each is weighed
# once.
@functools.lru_cache(maxsize=16384)
def _k1_weigh(part: str) -> tuple[str, str, str] | None:
    """One field's weights at each level (accents and cases in full, one element each),
    or None when nothing in it weighs."""
    text = " ".join(part.split())
    if text.isascii():  # most names: weighed byte by byte, with no accents
        ascii_text = text.encode("ascii")
        weights = ascii_text.translate(_K1_ASCII_FIRST, _K1_ASCII_IGNORED).decode("ascii")
        if not weights:
            return None
        cases = ascii_text.translate(_K1_ASCII_THIRD, _K1_ASCII_IGNORED).decode("ascii")
        return weights, _K1_END * len(weights), cases
    text = unicodedata.normalize("NFC", text)
    weights = text.translate(_K1_FIRST)
    if not weights:
        return None
    marks = text.translate(_K1_SECOND).replace(_K1_END + _K1_JOINS, "")
    while marks.startswith(_K1_JOINS):  # accents on nothing at all
        marks = marks[marks.index(_K1_END) + 1 :]
    return weights, marks, text.translate(_K1_THIRD)


def _k1_elements(char: str) -> tuple[_K1_Element, ...]:
    """What one character (as NFC leaves it) weighs at each level."""
    if _k1_ignored(char):
        return ()
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs"):
        return ()  # controls, direction marks, joiners: not part of the name
    if char.isspace():
        return ((_K1_SPACE, "", _K1_SMALL),)
    if char in _K1_PUNCTUATION:
        return ((_K1_PUNCTUATION[char], "", _K1_SMALL),)
    decomposed = unicodedata.normalize("NFKD", char)
    variant = decomposed != unicodedata.normalize("NFD", char)
    found: list[_K1_Element] = []
    for piece in decomposed:
        if _k1_ignored(piece):
            continue
        if unicodedata.combining(piece):
            if found:
                found[-1] = (found[-1][0], found[-1][1] + piece, found[-1][2])
            else:
                found.append(("", piece, ""))
            continue
        found += _k1_base(piece, variant)
    return tuple(found)


def _k1_base(piece: str, variant: bool) -> list[_K1_Element]:
    category = unicodedata.category(piece)
    if piece.isspace():
        return [(_K1_SPACE, "", _K1_SMALL)]
    if piece in _K1_PUNCTUATION:
        return [(_K1_PUNCTUATION[piece], "", _K1_SMALL)]
    if category[0] == "P":
        group = {
            "Pd": _K1_DASH,
            "Pi": _K1_QUOTE,
            "Pf": _K1_QUOTE,
            "Ps": _K1_BRACKET,
            "Pe": _K1_BRACKET,
        }
        weight = group.get(
            category, _K1_PUNCTUATION["_"] if category == "Pc" else _K1_OTHER_PUNCTUATION
        )
        return [(weight, "", _K1_SMALL)]
    if category[0] == "S":
        return [(_K1_SYMBOL, "", _K1_SMALL)]
    if category == "Nd":
        digit = unicodedata.decimal(piece)
        return [(str(digit), "", _K1_SMALL_VARIANT if variant or piece > "9" else _K1_SMALL)]
    capital = piece.isupper() or category == "Lt"
    folded = piece.casefold()
    mark = ""
    if folded in _K1_LETTERS:
        folded, mark, expanded = _K1_LETTERS[folded]
        variant = variant or expanded
    elif len(folded) > 1 or folded != piece.lower():
        variant = True  # ß as "ss"
    elif "\u30a1" <= folded <= "\u30f6":
        folded = chr(ord(folded) - 0x60)  # katakana as the hiragana of the same sound
        variant = True
    if capital:
        case = _K1_CAPITAL_VARIANT if variant else _K1_CAPITAL
    else:
        case = _K1_SMALL_VARIANT if variant else _K1_SMALL
    elements = [(letter, "", case) for letter in folded]
    if elements:
        elements[0] = (elements[0][0], mark, case)
    return elements


def _k1_ascii_tables() -> tuple[bytes, bytes, bytes]:
    """The weights of ASCII's characters as byte tables, from `_k1_elements` itself."""
    first, third, ignored = bytearray(range(256)), bytearray(range(256)), bytearray()
    for code in range(128):
        elements = _k1_elements(chr(code))
        if not elements:
            ignored.append(code)
            continue
        ((weight, _marks, case),) = elements
        first[code], third[code] = ord(weight), ord(case)
    return bytes(first), bytes(third), bytes(ignored)


_K1_ASCII_FIRST, _K1_ASCII_THIRD, _K1_ASCII_IGNORED = _k1_ascii_tables()


def _stored_key_v1(nullable: int, *parts: str | None) -> str | None:
    if parts[0] is None or not str(parts[0]).strip():
        return None if nullable else ""
    return _people_key_v1(*parts)


def _schema_11(conn: sqlite3.Connection) -> None:
    for table, columns in _V11_COLUMNS.items():
        add_columns(conn, table, columns)
    conn.create_function("desk_people_key_v1", -1, _stored_key_v1, deterministic=True)
    for table, column, parts, nullable in _V11_KEYS:
        conn.execute(
            f"UPDATE {table} SET {column} = desk_people_key_v1({int(nullable)}, {', '.join(parts)})"
        )
    run_script(conn, _V11)


# Schema 12: a visit's travel and money, and the steps of a playbook.
_V12 = """
CREATE TABLE travel_legs (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES visit_participants(id) ON DELETE SET NULL,
    direction TEXT NOT NULL DEFAULT 'arrival',
    mode TEXT NOT NULL DEFAULT 'air',
    carrier TEXT,
    number TEXT,
    from_place TEXT,
    to_place TEXT,
    departs_at TEXT,
    departs_zone TEXT,
    arrives_at TEXT,
    time_zone TEXT,
    met_by TEXT,
    met_by_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    transport TEXT,
    hotel TEXT,
    room TEXT,
    notes TEXT
);
CREATE INDEX travel_legs_visit ON travel_legs(visit_id);
CREATE INDEX travel_legs_participant ON travel_legs(participant_id);
CREATE INDEX travel_legs_met_by ON travel_legs(met_by_contact_id);

CREATE TABLE costs (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    category TEXT NOT NULL DEFAULT 'other',
    description TEXT,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL DEFAULT 'USD',
    paid_by TEXT NOT NULL DEFAULT 'city',
    sponsor TEXT,
    status TEXT NOT NULL DEFAULT 'estimate',
    incurred_on TEXT,
    usd_rate TEXT,
    rate_on TEXT,
    notes TEXT
);
CREATE INDEX costs_visit ON costs(visit_id);
"""


def _schema_12(conn: sqlite3.Connection) -> None:
    run_script(conn, _V12)
    add_columns(conn, "visits", {"budget_minor": "INTEGER", "budget_currency": "TEXT"})
    # A follow-up made from a playbook step knows its step and when it falls due against
    # the visit's dates, so moving the visit moves it.
    add_columns(
        conn,
        "follow_ups",
        {"playbook_step": "TEXT", "anchor": "TEXT", "offset_days": "INTEGER"},
    )
    # For visa support letters: recorded only where the office needs them.
    add_columns(
        conn,
        "contacts",
        {
            "passport_number": "TEXT",
            "passport_country": "TEXT",
            "passport_expiry": "TEXT",
            "date_of_birth": "TEXT",
            "nationality": "TEXT",
        },
    )


def _schema_13(conn: sqlite3.Connection) -> None:
    # How often a relationship should hear from us, before Today says it is going quiet.
    add_columns(conn, "partnerships", {"contact_every_months": "INTEGER"})
    # A mail logged as an interaction: its Message-ID, so the same mail is logged once,
    # and who it came from.
    add_columns(conn, "interactions", {"message_id": "TEXT", "mail_from": "TEXT"})
    conn.execute(
        "CREATE INDEX IF NOT EXISTS interactions_message ON interactions(message_id) "
        "WHERE message_id IS NOT NULL"
    )
    # Visitors' sensitive details (passport, dietary and health needs) are cleared this
    # many days after their last visit; empty: kept until erased by hand.
    add_columns(conn, "city_profile", {"retention_days": "INTEGER"})


def _schema_14(conn: sqlite3.Connection) -> None:
    # The text inside an attached file (a PDF's, a Word file's, a mail's), read once in
    # the background, and what the reading found ("a scanned PDF: no text in it").
    add_columns(conn, "attachments", {"content_text": "TEXT", "text_note": "TEXT"})


def _schema_15(conn: sqlite3.Connection) -> None:
    # Each partnership's last contact, read from the index alone: Today asks it of every
    # partnership each time it is read (at 7,000 partners, a third of its reading).
    conn.execute("DROP INDEX IF EXISTS interactions_partnership")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS interactions_partnership_day "
        "ON interactions(partnership_id, occurred_on)"
    )


def _schema_16(conn: sqlite3.Connection) -> None:
    # A delegate's flights go with them: a leg whose traveler was deleted used to lose
    # its traveler (SET NULL) and read as the whole delegation's, on the pickup sheet
    # too. SQLite changes a foreign key only by making the table again. Nothing refers
    # to travel_legs, so it is made anew under its own name and renamed.
    run_script(
        conn,
        """
CREATE TABLE travel_legs_16 (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES visit_participants(id) ON DELETE CASCADE,
    direction TEXT NOT NULL DEFAULT 'arrival',
    mode TEXT NOT NULL DEFAULT 'air',
    carrier TEXT,
    number TEXT,
    from_place TEXT,
    to_place TEXT,
    departs_at TEXT,
    departs_zone TEXT,
    arrives_at TEXT,
    time_zone TEXT,
    met_by TEXT,
    met_by_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    transport TEXT,
    hotel TEXT,
    room TEXT,
    notes TEXT
);
INSERT INTO travel_legs_16 SELECT * FROM travel_legs;
DROP TABLE travel_legs;
ALTER TABLE travel_legs_16 RENAME TO travel_legs;
CREATE INDEX travel_legs_visit ON travel_legs(visit_id);
CREATE INDEX travel_legs_participant ON travel_legs(participant_id);
CREATE INDEX travel_legs_met_by ON travel_legs(met_by_contact_id);
""",
    )


def _script(text: str) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        run_script(conn, text)

    return apply


# Append only. Each entry: (name, function applied inside one transaction).
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("initial schema", _script(_V1)),
    ("import batches and remembered mappings", _script(_V2)),
    ("operations: undo, redo and the trash", _script(_V3)),
    ("the briefing book: logistics, meeting plans, biographies", _script(_V4)),
    # Also made the search index reach itinerary items, interactions, follow-ups and
    # gifts; the index is made after the migrations now (see the module's note).
    ("follow-ups, interactions and status changes indexed by their parent", _script(_V5)),
    ("every link between records indexed, for deletes and undo at scale", _script(_V6)),
    ("Today's agenda read from indexes", _script(_V7)),
    ("outcomes, the Development Goals, map positions, remembered values", _schema_8),
    ("the file's identity; operations that cannot be undone", _schema_9),
    ("who hosts a visit", _schema_10),
    ("sort keys by people's alphabet", _schema_11),
    ("each delegate's travel, a visit's costs and budget, playbook steps", _schema_12),
    ("keeping in touch, mail logged, how long visitors' details are kept", _schema_13),
    ("the text inside attached files", _schema_14),
    ("each partnership's last contact read from an index", _schema_15),
    ("a delegate's travel goes with them", _schema_16),
]
