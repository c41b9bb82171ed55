"""Our city's own profile (one record), and the files kept with records."""

from __future__ import annotations

from desk.core.domain.kinds.shared import notes
from desk.core.domain.kinds.spec import Computed, Field, Kind

CITY = Kind(
    "city",
    "city_profile",
    "City profile",
    "City profile",
    (
        Field("name", "City", required=True, section="Our city"),
        Field("state", "State"),
        Field("office_name", "Office"),
        Field("time_zone", "Home time zone", "time_zone", required=True),
        Field(
            "location",
            "Map position",
            "coordinates",
            help="latitude, longitude of the city hall (45.515, -122.679): only where "
            "the map cannot find the city by its name",
        ),
        Field("population", "Population", "int", minimum=0),
        Field(
            "staff_international",
            "Staff with international duties",
            "int",
            minimum=0,
            section="Staff and budget",
        ),
        Field("has_director", "Dedicated director or manager", "bool", default=False),
        Field("director_title", "Director's title"),
        Field("budget_minor", "Annual budget", "money", currency_field="budget_currency"),
        Field("budget_currency", "Budget currency", "currency", default="USD"),
        Field("budget_year", "Budget year", "year", minimum=1900, maximum=2200),
        Field("respondent_name", "Survey respondent"),
        Field("respondent_title", "Respondent's title"),
        Field("respondent_email", "Respondent's email", "email"),
        Field("respondent_phone", "Respondent's phone"),
        Field(
            "emergency_contacts",
            "Local emergency numbers",
            "longtext",
            help="for delegations visiting us: police, hospital, duty officer",
        ),
        Field(
            "travel_emergency",
            "Emergency numbers for our travelers",
            "longtext",
            help="for our missions abroad, e.g. the State Department's line",
        ),
        Field(
            "retention_days",
            "Clear visitors' passport and health details after (days)",
            "int",
            minimum=1,
            maximum=36500,
            help="after their last visit; empty: kept until erased by hand",
            section="Personal data",
        ),
        notes(search=None),
    ),
    title_sql="name",
    aliases=("profile", "cities"),
    page=7,
    page_label="Our city",
)

ATTACHMENT = Kind(
    "attachment",
    "attachments",
    "Attachment",
    "Attachments",
    (
        Field("filename", "File name", required=True, search="title"),
        Field("media_type", "Type", search="never"),
        Field("description", "Description", search="body"),
        # Read from the file, never typed: what a search finds inside it.
        Field(
            "content_text",
            "Text inside",
            "longtext",
            search="body",
            locked="read from the file itself",
            derived=True,
        ),
        Field("text_note", "Reading the text", search="never", locked="said by desk", derived=True),
    ),
    title_sql="filename",
    searched=13,
    # Set when the file is attached: its bytes' size and hash, and the record it is
    # kept with (an `<owner>_id` for each attachable kind).
    computed=(
        Computed("size", "Size", "int"),
        Computed("sha256"),
        Computed("agreement_id"),
        Computed("partnership_id"),
        Computed("visit_id"),
        Computed("contact_id"),
        Computed("organisation_id"),
    ),
)
