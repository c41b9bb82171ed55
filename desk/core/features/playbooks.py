"""Playbooks: a checklist per kind of visit whose steps fall due against the visit's dates.

A playbook is data: a title, the visits it fits (by direction and mode) and its steps,
each "N days before or after the visit's first or last day", with who does it. desk
ships three (`resources/playbooks/*.json`: an incoming delegation, an outgoing mission, a
virtual meeting); the office keeps its own in `<data folder>/playbooks/NAME.json`, and
one named as a shipped one replaces it. [Format](../../../docs/playbooks.md).

Applying a playbook to a visit makes one follow-up per step, with a real due date, in
one operation (one undo). Each follow-up keeps its step (`playbook_step`) and when it
falls due (`anchor`, `offset_days`), so applying again makes nothing twice, moving the
visit moves them (`follow_visit`), and making a letter for the visit ticks the step of
that letter's name (`tick`). Qt-free: the window and `desk playbook` call these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.core.domain.dates import short_date
from desk.core.domain.kinds.visits import VISIT
from desk.core.domain.vocab import PLAYBOOK_ANCHORS, VISIT_DIRECTIONS, VISIT_MODES
from desk.core.errors import DeskError, NotFound, ValidationError
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.operations import Changes, operation, quoted

FORMAT = 1
FOLDER = "playbooks"
MAX_DAYS = 730  # two years either side of a visit: a longer lead is a typo
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}\Z")
_TOP_KEYS = ("format", "title", "description", "visits", "sources", "steps")
_STEP_KEYS = ("key", "title", "days", "before", "after", "who", "notes")
_DATES = ("start_date", "end_date")
# A visit that will not take place gets no checklist.
_CALLED_OFF = frozenset({"cancelled", "declined"})


class PlaybookError(DeskError):
    """A playbook that cannot be read or kept: the message names the file, its line and
    the step and field at fault; `step` (1-based) and `field` say the same for a form."""

    def __init__(self, message: str, *, step: int | None = None, field: str | None = None):
        super().__init__(message)
        self.step = step
        self.field = field


# -- what a playbook is --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str  # stable within its playbook; a letter of this name ticks it
    title: str
    days: int  # 0 or more
    anchor: str = "start"  # "start" or "end": the visit's first or last day
    after: bool = False  # False: `days` before the anchor
    who: str = ""
    notes: str = ""

    @property
    def offset(self) -> int:
        """Days from the anchor as stored on a follow-up: before is negative."""
        return self.days if self.after else -self.days

    def when(self) -> str:
        """'60 days before it starts', '3 days after it ends', 'the day it starts'."""
        verb = "starts" if self.anchor == "start" else "ends"
        if self.days == 0:
            return f"the day it {verb}"
        unit = "day" if self.days == 1 else "days"
        return f"{self.days} {unit} {'after' if self.after else 'before'} it {verb}"

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        """The step's day for a visit of these dates."""
        return day_of(self.anchor, self.offset, start, end)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"key": self.key, "title": self.title, "days": self.days}
        found["after" if self.after else "before"] = self.anchor
        if self.who:
            found["who"] = self.who
        if self.notes:
            found["notes"] = self.notes
        return found


def day_of(anchor: str, offset: int, start: dt.date, end: dt.date) -> dt.date:
    return (start if anchor == "start" else end) + dt.timedelta(days=offset)


@dataclass(frozen=True)
class Playbook:
    name: str  # the file's name without .json
    title: str
    steps: tuple[Step, ...]
    description: str = ""
    directions: tuple[str, ...] = ()  # the visits it fits; empty: any
    modes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    office: bool = False  # from the office's folder
    overrides: bool = False  # the office's, in place of a shipped one of its name
    path: Path | None = None

    @property
    def source(self) -> str:
        if not self.office:
            return "shipped with desk"
        return "the office's, in place of desk's" if self.overrides else "the office's own"

    def fits(self, visit: Mapping[str, Any]) -> bool:
        return (not self.directions or visit.get("direction") in self.directions) and (
            not self.modes or (visit.get("mode") or "in_person") in self.modes
        )

    def narrowness(self) -> int:
        """How much a playbook asks of a visit it fits: the closer fit wins."""
        score = len(VISIT_DIRECTIONS) - len(self.directions) if self.directions else 0
        return score + (len(VISIT_MODES) - len(self.modes) if self.modes else 0)

    def fit_words(self) -> str:
        """'incoming visits, in person or hybrid'; 'any visit'."""
        modes = " or ".join(VISIT_MODES[m].lower() for m in self.modes)
        if not self.directions:
            return f"{modes} visits" if modes else "any visit"
        sides = " or ".join(d for d in self.directions)
        return f"{sides} visits" + (f", {modes}" if modes else "")

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"format": FORMAT, "title": self.title}
        if self.description:
            found["description"] = self.description
        fit: dict[str, list[str]] = {}
        if self.directions:
            fit["direction"] = list(self.directions)
        if self.modes:
            fit["mode"] = list(self.modes)
        if fit:
            found["visits"] = fit
        if self.sources:
            found["sources"] = list(self.sources)
        found["steps"] = [s.as_json() for s in self.steps]
        return found

    def text(self) -> str:
        """The playbook as a file holds it."""
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n"


# -- reading files -------------------------------------------------------------------------


def shipped_folder() -> Path:
    from desk.core.paths import resource_path

    return resource_path(FOLDER)


def office_folder() -> Path:
    """Where the office keeps its own playbooks: a folder under the data folder."""
    from desk.core.paths import data_dir

    return data_dir() / FOLDER


def parse(text: str, name: str, *, file: str | None = None) -> Playbook:
    """A playbook from its JSON text, or PlaybookError naming the line, step and field at
    fault (`file` names it in the message; by default NAME.json)."""
    shown = file or f"{name}.json"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlaybookError(
            f"{shown}, line {error.lineno}, column {error.colno}: not JSON ({error.msg})."
        ) from error
    spots = _spots(text)
    return _playbook(raw, name, _Where(shown, spots))


def read_file(path: Path, *, office: bool = False, name: str | None = None) -> Playbook:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlaybookError(f"{path.name}: cannot be read ({error}).") from error
    found = parse(text, name or path.stem, file=path.name)
    return dataclasses.replace(found, office=office, path=path)


def _json_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    except OSError:
        return []


@dataclass(frozen=True)
class Library:
    """The playbooks there are: the shipped ones with the office's over them."""

    playbooks: tuple[Playbook, ...]
    problems: tuple[str, ...] = ()  # office files that could not be read
    folder: Path | None = None  # the office's folder

    def names(self) -> list[str]:
        return [p.name for p in self.playbooks]

    def get(self, name: str) -> Playbook:
        """By name ('incoming-delegation') or title ('Incoming delegation'), any case."""
        wanted = name.strip().casefold()
        for playbook in self.playbooks:
            if wanted in (playbook.name.casefold(), playbook.title.casefold()):
                return playbook
        # The start of one name alone ('outgoing') is enough.
        begun = [
            p
            for p in self.playbooks
            if wanted
            and (p.name.casefold().startswith(wanted) or p.title.casefold().startswith(wanted))
        ]
        if len(begun) == 1:
            return begun[0]
        raise NotFound(f"There is no playbook {name!r}; there are: {', '.join(self.names())}.")

    def for_visit(self, visit: Mapping[str, Any]) -> Playbook:
        """The playbook that fits the visit most closely; refused when none or two do."""
        fitting = sorted(
            (p for p in self.playbooks if p.fits(visit)), key=lambda p: -p.narrowness()
        )
        what = _visit_words(visit)
        if not fitting:
            raise DeskError(f"No playbook fits {what}; name one ({', '.join(self.names())}).")
        if len(fitting) > 1 and fitting[0].narrowness() == fitting[1].narrowness():
            tied = [p.name for p in fitting if p.narrowness() == fitting[0].narrowness()]
            raise DeskError(f"Playbooks {', '.join(tied)} all fit {what}; name one.")
        return fitting[0]


def _visit_words(visit: Mapping[str, Any]) -> str:
    """'“Mission to Matsue” (outgoing mission, virtual)'."""
    direction = VISIT_DIRECTIONS.get(str(visit.get("direction")), "visit").lower()
    mode = VISIT_MODES.get(str(visit.get("mode") or "in_person"), "").lower()
    return f"{quoted(str(visit.get('title') or ''))} ({direction}, {mode})"


def shipped() -> Library:
    """desk's own playbooks only (the demo city uses these, whatever an office keeps)."""
    return Library(tuple(read_file(p) for p in _json_files(shipped_folder())))


def load(folder: Path | None = None) -> Library:
    """The shipped playbooks with the office's (default: `office_folder()`) over them.

    A fault in a shipped file raises; a fault in the office's is reported in
    `problems`, and a shipped playbook of its name still serves, so a typo in one day
    count never leaves a visit without its checklist."""
    by_name = {p.name: p for p in shipped().playbooks}
    own = folder if folder is not None else office_folder()
    problems = []
    for path in _json_files(own):
        try:
            playbook = read_file(path, office=True)
        except PlaybookError as error:
            problems.append(str(error))
            continue
        overrides = playbook.name in by_name and not by_name[playbook.name].office
        by_name[playbook.name] = dataclasses.replace(playbook, overrides=overrides)
    ordered = sorted(by_name.values(), key=lambda p: (p.title.casefold(), p.name))
    return Library(tuple(ordered), tuple(problems), own)


def check(playbook: Playbook) -> Playbook:
    """The playbook as read back from its own text: raises PlaybookError (with the step
    and field) for what a file could not hold either."""
    found = parse(playbook.text(), playbook.name)
    return dataclasses.replace(
        found, office=playbook.office, overrides=playbook.overrides, path=playbook.path
    )


def save(playbook: Playbook, folder: Path | None = None) -> Playbook:
    """Keep a playbook as the office's file (NAME.json in its folder), checked first."""
    from desk.core.disk.files import safe_write_text

    checked = check(playbook)
    own = folder if folder is not None else office_folder()
    try:
        own.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PlaybookError(f"The folder {own} cannot be made ({error}).") from error
    path = own / f"{playbook.name}.json"
    safe_write_text(path, checked.text(), newline="\n")
    shipped_names = {p.name for p in shipped().playbooks}
    return dataclasses.replace(
        checked, office=True, overrides=playbook.name in shipped_names, path=path
    )


def forget(name: str, folder: Path | None = None) -> bool:
    """Remove the office's file of this name (desk's own, if any, serves again)."""
    path = (folder if folder is not None else office_folder()) / f"{name}.json"
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise PlaybookError(f"{path} cannot be removed ({error}).") from error
    return True


def import_file(source: Path, *, name: str | None = None, folder: Path | None = None) -> Playbook:
    """Read a playbook file (refused with its line and field at fault) and keep it as the
    office's, under `name` or the file's own name."""
    from desk.core.disk.files import input_file

    given = input_file(source, "a playbook file (.json)", PlaybookError)
    found = read_file(given, name=name or given.stem)
    if not _KEY.match(found.name):
        raise PlaybookError(
            f"{given.name}: a playbook's name is its file's, in lowercase letters, digits and "
            f"hyphens ('{found.name}' is not); give one with --name."
        )
    return save(found, folder)


def export(playbook: Playbook, out: Path) -> Path:
    from desk.core.disk.files import check_output_path, safe_write_text

    target = check_output_path(out)
    safe_write_text(target, playbook.text(), newline="\n")
    return target


# -- the file's parts, each checked where it stands -------------------------------------------


@dataclass(frozen=True)
class _Where:
    file: str
    spots: Mapping[tuple[str | int, ...], int]

    def line(self, path: tuple[str | int, ...]) -> int | None:
        while path and path not in self.spots:
            path = path[:-1]
        return self.spots.get(path)

    def fault(
        self,
        path: tuple[str | int, ...],
        message: str,
        *,
        step: int | None = None,
        field: str | None = None,
    ) -> PlaybookError:
        line = self.line(path)
        at = f", line {line}" if line else ""
        return PlaybookError(f"{self.file}{at}: {message}.", step=step, field=field)


def _spots(text: str) -> dict[tuple[str | int, ...], int]:
    """Line of each value in a JSON text, by its path (("steps", 3, "days"): 12).

    json gives no positions of what it reads; the text is walked again, value by value,
    with its own decoder (only once it is known to be valid JSON)."""
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")
    found: dict[tuple[str | int, ...], int] = {}

    def skip(at: int) -> int:
        match = space.match(text, at)
        return match.end() if match else at

    def walk(at: int, path: tuple[str | int, ...]) -> int:
        at = skip(at)
        found[path] = text.count("\n", 0, at) + 1
        opening = text[at : at + 1]
        if opening not in ("{", "["):
            return decoder.raw_decode(text, at)[1]
        closing = "}" if opening == "{" else "]"
        at = skip(at + 1)
        index = 0
        while text[at : at + 1] != closing:
            if opening == "{":
                key, at = decoder.raw_decode(text, at)
                at = skip(at) + 1  # the colon
                at = walk(at, (*path, str(key)))
            else:
                at = walk(at, (*path, index))
                index += 1
            at = skip(at)
            if text[at : at + 1] == ",":
                at = skip(at + 1)
        return at + 1

    try:
        walk(0, ())
    except (ValueError, IndexError):
        return {}
    return found


def _text(raw: Any, where: _Where, path: tuple[str | int, ...], what: str = "") -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise where.fault(path, f"{what}'{path[-1]}' must be text")
    return " ".join(raw.split())


def _playbook(raw: Any, name: str, where: _Where) -> Playbook:
    if not isinstance(raw, dict):
        raise where.fault((), "holds no playbook (an object with 'title' and 'steps')")
    unknown = [k for k in raw if k not in _TOP_KEYS]
    if unknown:
        raise where.fault(
            (unknown[0],),
            f"'{unknown[0]}' is not part of a playbook (it has {', '.join(_TOP_KEYS)})",
        )
    version = raw.get("format", FORMAT)
    if version != FORMAT:
        raise where.fault(("format",), f"format {version!r} is not one this desk reads ({FORMAT})")
    title = _text(raw.get("title"), where, ("title",))
    if not title:
        raise where.fault(("title",), "'title' is missing")
    directions, modes = _fit(raw.get("visits"), where)
    sources_raw = raw.get("sources", [])
    if not isinstance(sources_raw, list):
        raise where.fault(("sources",), "'sources' must be a list of texts")
    sources = tuple(_text(s, where, ("sources", n), "each of ") for n, s in enumerate(sources_raw))
    steps_raw = raw.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise where.fault(("steps",), "'steps' must be a list of at least one step")
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(steps_raw, start=1):
        made = _step(item, n, where)
        if made.key in seen:
            raise where.fault(
                ("steps", n - 1, "key"),
                f"step {n} ({quoted(made.title, 50)}): its key '{made.key}' is step "
                f"{seen[made.key]}'s too; "
                "each step needs its own",
                step=n,
                field="key",
            )
        seen[made.key] = n
        steps.append(made)
    return Playbook(
        name=name,
        title=title,
        steps=tuple(steps),
        description=_text(raw.get("description"), where, ("description",)),
        directions=directions,
        modes=modes,
        sources=tuple(s for s in sources if s),
    )


def _fit(raw: Any, where: _Where) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if raw is None:
        return (), ()
    if not isinstance(raw, dict):
        raise where.fault(("visits",), "'visits' must say which visits it fits")
    found = []
    for key, vocab in (("direction", VISIT_DIRECTIONS), ("mode", VISIT_MODES)):
        values = raw.get(key, [])
        if isinstance(values, str):
            values = [values]
        wrong = [v for v in values if v not in vocab] if isinstance(values, list) else [values]
        if wrong:
            raise where.fault(
                ("visits", key),
                f"'visits.{key}' must list some of {', '.join(vocab)}; "
                f"{json.dumps(wrong[0])} is not one",
            )
        found.append(tuple(v for v in vocab if v in values))
    unknown = [k for k in raw if k not in ("direction", "mode")]
    if unknown:
        raise where.fault(
            ("visits", unknown[0]), f"'visits' takes 'direction' and 'mode', not '{unknown[0]}'"
        )
    return found[0], found[1]


def _step(item: Any, n: int, where: _Where) -> Step:
    at: tuple[str | int, ...] = ("steps", n - 1)

    def fault(key: str | None, message: str) -> PlaybookError:
        path = (*at, key) if key else at
        return where.fault(path, f"step {n}{label}: {message}", step=n, field=key)

    label = ""
    if not isinstance(item, dict):
        raise fault(None, "is not an object with 'key', 'title' and 'days'")
    if isinstance(item.get("title"), str) and item["title"].strip():
        label = f" ({quoted(item['title'], 50)})"
    unknown = [k for k in item if k not in _STEP_KEYS]
    if unknown:
        raise fault(unknown[0], f"'{unknown[0]}' is not part of a step ({', '.join(_STEP_KEYS)})")
    key = item.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise fault(
            "key",
            f"'key' must be a short name in lowercase letters, digits and hyphens, "
            f"such as 'visa' or 'thank-you' (not {json.dumps(key)})",
        )
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fault("title", "'title' is missing: say what is to be done")
    days = item.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DAYS:
        raise fault(
            "days",
            f"'days' must be a whole number of days from 0 to {MAX_DAYS} "
            f"(not {json.dumps(days)}); 'before' or 'after' says which way",
        )
    sides = [k for k in ("before", "after") if k in item]
    if len(sides) != 1:
        raise fault(
            "days" if not sides else sides[-1],
            "needs one of 'before' or 'after', naming \"start\" or \"end\" (the visit's first "
            "or last day)",
        )
    anchor = item[sides[0]]
    if anchor not in PLAYBOOK_ANCHORS:
        raise fault(
            sides[0],
            f'\'{sides[0]}\' must be "start" or "end" (the visit\'s first or last day), '
            f"not {json.dumps(anchor)}",
        )
    texts = {}
    for name in ("who", "notes"):
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise fault(name, f"'{name}' must be text")
        texts[name] = (value or "").strip()
    return Step(
        key=key,
        title=" ".join(title.split()),
        days=days,
        anchor=anchor,
        after=sides[0] == "after",
        who=" ".join(texts["who"].split()),
        notes=texts["notes"],
    )


def new_key(title: str, taken: Iterable[str]) -> str:
    """A step's key from its title ('Send visa letters' -> 'send-visa-letters'), not one
    of `taken`."""
    words = ""
    for word in re.findall(r"[a-z0-9]+", title.casefold()):
        if words and len(words) + 1 + len(word) > 36:
            break
        words = f"{words}-{word}" if words else word[:36]
    words = words or "step"
    used = set(taken)
    key, n = words, 2
    while key in used:
        key, n = f"{words}-{n}", n + 1
    return key


# -- a visit's dates -----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date
    no_end: bool  # the visit gave no last day: its first serves


def span(visit: Mapping[str, Any]) -> Span | None:
    """The visit's first and last days (None without a first day)."""
    start = _date(visit.get("start_date"))
    if start is None:
        return None
    end = _date(visit.get("end_date"))
    return Span(start, end or start, end is None)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def refusal(visit: Mapping[str, Any]) -> str | None:
    """Why a playbook cannot be applied to this visit, in words; None when it can."""
    title = quoted(str(visit.get("title") or ""))
    if visit.get("status") in _CALLED_OFF:
        how = "was declined" if visit["status"] == "declined" else "is canceled"
        return f"{title} {how}: a playbook is for visits that will take place."
    if span(visit) is None:
        return (
            f"{title} has no dates: give it a start date first (a playbook's steps fall "
            "due from the visit's first and last days)."
        )
    return None


# -- applying a playbook -------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    step: Step
    day: dt.date  # the step's own day for this visit
    due: dt.date  # as made: its day, or today where that had passed
    existing: int | None = None  # this step's follow-up, already on the visit
    adopted: int | None = None  # the visit's own follow-up of the step's title

    @property
    def late(self) -> bool:
        return self.due != self.day


@dataclass
class Applied:
    playbook: Playbook
    visit_id: int
    visit_title: str
    today: dt.date
    planned: list[Planned]
    no_end: bool = False
    changes: Changes | None = None

    @property
    def made(self) -> list[Planned]:
        return [p for p in self.planned if p.existing is None and p.adopted is None]

    @property
    def already(self) -> list[Planned]:
        return [p for p in self.planned if p.existing is not None]

    @property
    def adopted(self) -> list[Planned]:
        return [p for p in self.planned if p.adopted is not None]

    @property
    def late(self) -> list[Planned]:
        return [p for p in self.made if p.late]

    def lines(self, *, done: bool = True) -> list[str]:
        """What applying did (or, `done=False`, would do), in sentences."""
        visit, book = quoted(self.visit_title), quoted(self.playbook.title)
        made = len(self.made)
        if not made and not self.adopted:
            return [f"Every step of the playbook {book} is already on {visit}: nothing made."]
        verb = "Made" if done else "Would make"
        noun = "follow-up" if made == 1 else "follow-ups"
        lines = [f"{verb} {made} {noun} for {visit} from the playbook {book}."]
        if self.already:
            count = len(self.already)
            lines.append(
                f"{count} step{'s were' if count != 1 else ' was'} already on the visit, "
                "and not made again."
            )
        for plan in self.adopted:
            lines.append(
                f"{quoted(plan.step.title)} was already one of the visit's follow-ups; "
                "it now counts as that step."
            )
        if self.late:
            count = len(self.late)
            days = _some(f"{p.step.title} ({short_date(p.day)})" for p in self.late)
            lines.append(
                f"{count} step{'s' if count != 1 else ''} had a day already past, so "
                f"{'they are' if count != 1 else 'it is'} due today, {short_date(self.today)}: "
                f"{days}."
            )
        if self.no_end:
            lines.append("The visit has no end date: steps after its end count from its first day.")
        return lines


def _some(items: Iterable[str], shown: int = 4) -> str:
    """'a; b; c; d and 5 more': a list in a sentence, cut short."""
    found = list(items)
    head = "; ".join(found[:shown])
    return head + (f" and {len(found) - shown} more" if len(found) > shown else "")


def _open_visit(db: Database, visit: int | str) -> dict[str, Any]:
    return records.get(db, VISIT.name, records.resolve_named(db, VISIT.name, visit))


def plan(
    db: Database,
    visit: int | str,
    playbook: Playbook | str | None = None,
    *,
    today: dt.date | None = None,
    library: Library | None = None,
) -> Applied:
    """What applying a playbook (by default the one that fits) to a visit would make,
    without writing; refused with a ValidationError on the visit's start date when it
    has no dates, and a DeskError when it will not take place."""
    row = _open_visit(db, visit)
    problem = refusal(row)
    dates = span(row)
    if problem is not None or dates is None:
        if row.get("status") in _CALLED_OFF:
            raise DeskError(problem)
        raise ValidationError(problem or "", field="start_date")
    if not isinstance(playbook, Playbook):
        books = library or load()
        playbook = books.get(playbook) if playbook else books.for_visit(row)
    today = today or dt.date.today()
    have = db.execute(
        "SELECT id, title, playbook_step FROM follow_ups WHERE visit_id = ? ORDER BY id",
        (row["id"],),
    ).fetchall()
    by_step = {str(step): int(fid) for fid, _title, step in have if step}
    plain = {str(title).casefold(): int(fid) for fid, title, step in reversed(have) if not step}
    planned = []
    for step in playbook.steps:
        day = step.day(dates.start, dates.end)
        existing = by_step.get(step.key)
        adopted = None if existing is not None else plain.pop(step.title.casefold(), None)
        planned.append(Planned(step, day, max(day, today), existing, adopted))
    return Applied(playbook, int(row["id"]), str(row["title"]), today, planned, dates.no_end)


def apply(
    db: Database,
    visit: int | str,
    playbook: Playbook | str | None = None,
    *,
    today: dt.date | None = None,
    library: Library | None = None,
) -> Applied:
    """Make the visit's follow-ups from a playbook's steps, with real due dates, as one
    operation: a step already on the visit is not made again, a follow-up of the visit
    titled as a step becomes that step, and a step whose day has passed is due today."""
    applied = plan(db, visit, playbook, today=today, library=library)
    label = f"Apply playbook {quoted(applied.playbook.title)} to {quoted(applied.visit_title)}"
    with operation(db, label) as changes:
        for planned in applied.planned:
            step = planned.step
            marks = {"playbook_step": step.key, "anchor": step.anchor, "offset_days": step.offset}
            if planned.adopted is not None:
                records.update(db, "follow_up", planned.adopted, marks)
            elif planned.existing is None:
                records.create(
                    db,
                    "follow_up",
                    {
                        "title": step.title,
                        "due_date": planned.due.isoformat(),
                        "visit_id": applied.visit_id,
                        "notes": notes_for(
                            step,
                            passed=planned.day if planned.late else None,
                            today=applied.today,
                        ),
                        **marks,
                    },
                )
        changes.label = label
    applied.changes = changes if changes else None
    return applied


def notes_for(
    step: Step, *, passed: dt.date | None = None, today: dt.date | None = None
) -> str | None:
    """A step's follow-up's notes: who does it and the step's own notes, and, for a step
    whose day had `passed` when it was made (`today`), that it had."""
    parts = [f"Who: {step.who}."] if step.who else []
    if step.notes:
        parts.append(step.notes)
    if passed is not None:
        when = f" on {short_date(today)}" if today else ""
        parts.append(
            f"Its day, {short_date(passed)} ({step.when()}), had passed when the playbook "
            f"was applied{when}."
        )
    return "\n".join(parts) or None


# -- moving with the visit -----------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    follow_up_id: int
    title: str
    step: str
    was: str | None  # its due date now
    to: dt.date
    held: str = ""  # "done", "edited" (its date changed by hand), or "" (it follows)
    late: bool = False  # its day has passed: due today

    def words(self) -> str:
        was = short_date(self.was) if self.was else "no date"
        why = {"done": ", done", "edited": ", changed by hand"}.get(self.held, "")
        return f"{self.title} ({was} to {short_date(self.to)}{why})"


@dataclass
class Following:
    visit_id: int
    visit_title: str
    moves: list[Move] = field(default_factory=list)
    move_edited: bool = False
    no_dates: bool = False
    changes: Changes | None = None

    @property
    def moving(self) -> list[Move]:
        return [m for m in self.moves if not m.held or self.move_edited]

    @property
    def held(self) -> list[Move]:
        return [m for m in self.moves if m.held and not self.move_edited]

    def question(self) -> str | None:
        """What to ask before moving the steps done or changed by hand (None: nothing)."""
        held = [m for m in self.moves if m.held]
        if not held:
            return None
        count = len(held)
        which = _some(m.words() for m in held)
        return (
            f"{count} of the playbook's steps for {quoted(self.visit_title)} "
            f"{'are' if count != 1 else 'is'} done or {'were' if count != 1 else 'was'} "
            f"changed by hand: {which}. Move {'them' if count != 1 else 'it'} with the "
            "visit's dates too?"
        )

    def lines(self, *, done: bool = True) -> list[str]:
        visit = quoted(self.visit_title)
        if self.no_dates:
            return [f"{visit} has no dates now: its playbook's steps stay where they are."]
        if not self.moves:
            return [f"The playbook's steps for {visit} are where its dates put them."]
        lines = []
        if self.moving:
            count = len(self.moving)
            verb = "Moved" if done else "Would move"
            lines.append(
                f"{verb} {count} playbook step{'s' if count != 1 else ''} of {visit} with "
                f"its dates: {_some(m.words() for m in self.moving)}."
            )
            late = [m for m in self.moving if m.late]
            if late:
                lines.append(
                    f"{len(late)} of them had a day already past, so "
                    f"{'they are' if len(late) != 1 else 'it is'} due today."
                )
        if self.held:
            count = len(self.held)
            lines.append(
                f"Left where {'they are' if count != 1 else 'it is'}: {count} step"
                f"{'s' if count != 1 else ''} done or changed by hand."
            )
        return lines


def follow_visit(
    db: Database,
    visit_id: int | str,
    *,
    move_edited: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Following:
    """Move the visit's playbook follow-ups to the days its dates now give them, as one
    operation. Those done, and those whose due date was changed by hand (no longer the
    day their step gave them), stay unless `move_edited`. `dry_run` writes nothing: the
    answer says what would move and `question()` what to ask first."""
    row = _open_visit(db, visit_id)
    found = Following(int(row["id"]), str(row["title"]), move_edited=move_edited)
    dates = span(row)
    if dates is None:
        found.no_dates = True
        return found
    today = today or dt.date.today()
    steps = db.execute(
        "SELECT id, title, due_date, done_on, playbook_step, anchor, offset_days "
        "FROM follow_ups WHERE visit_id = ? AND playbook_step IS NOT NULL "
        "AND anchor IS NOT NULL AND offset_days IS NOT NULL ORDER BY due_date, id",
        (found.visit_id,),
    ).fetchall()
    for fid, title, due, done_on, key, anchor, offset in steps:
        target = day_of(str(anchor), int(offset), dates.start, dates.end)
        late = False
        if not done_on and target < today:
            # A step whose day has passed is due today, unless it is already due.
            current = _date(due)
            if current is not None and current <= today:
                continue
            target, late = today, True
        if due == target.isoformat():
            continue
        held = "done" if done_on else ("" if _as_desk_set(db, fid, row) else "edited")
        found.moves.append(Move(int(fid), str(title), str(key), due, target, held, late))
    moving = found.moving
    if dry_run or not moving:
        return found
    with operation(db, f"Move the playbook steps of {quoted(found.visit_title)}") as changes:
        for move in moving:
            records.update(db, "follow_up", move.follow_up_id, {"due_date": move.to.isoformat()})
        changes.label = f"Move the playbook steps of {quoted(found.visit_title)}"
    found.changes = changes if changes else None
    return found


def _as_desk_set(db: Database, follow_up_id: int, visit: Mapping[str, Any]) -> bool:
    """Whether the follow-up's due date is the one its step gave it: the step's day from
    the visit's dates as they stood when the due date was last written, or the day it
    was written where the step's day had already passed then."""
    row = db.execute(
        "SELECT due_date, anchor, offset_days FROM follow_ups WHERE id = ?", (follow_up_id,)
    ).fetchone()
    due, anchor, offset = row
    written_id, written_on = 0, None
    for hid, at, action, data in db.execute(
        "SELECT id, at, action, changes FROM history WHERE kind = 'follow_up' AND record_id = ? "
        "ORDER BY id DESC",
        (follow_up_id,),
    ):
        if action == "create" or "due_date" in json.loads(data):
            written_id, written_on = int(hid), _local_day(str(at))
            break
    # The visit's dates then: today's, less every later change to them.
    then = {name: visit.get(name) for name in _DATES}
    undone: set[str] = set()
    for (data,) in db.execute(
        "SELECT changes FROM history WHERE kind = ? AND record_id = ? AND action = 'update' "
        "AND id > ? ORDER BY id",
        (VISIT.name, visit["id"], written_id),
    ):
        changed = json.loads(data)
        for name in _DATES:
            if name in changed and name not in undone:
                then[name] = changed[name][0]
                undone.add(name)
    dates = span(then)
    if dates is None:
        return False
    day = day_of(str(anchor), int(offset), dates.start, dates.end)
    if due == day.isoformat():
        return True
    return written_on is not None and day < written_on and due == written_on.isoformat()


def _local_day(stamp: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().date()
    except ValueError:
        return None


def after_edit(
    db: Database, changes: Changes, *, dry_run: bool = False, today: dt.date | None = None
) -> Following | None:
    """After an edit (`records.update`'s answer): when it moved a visit's dates, the
    visit's playbook steps that desk dated follow, as an operation of their own (or,
    `dry_run`, are only planned), and the answer says what moved and what to ask about
    the rest; None when the edit moved no visit with playbook steps."""
    if changes.id is None or not set(_DATES) & set(changes.fields):
        return None
    if (VISIT.name, changes.id) not in changes.updated or not _has_steps(db, changes.id):
        return None
    followed = follow_visit(db, changes.id, dry_run=dry_run, today=today)
    return followed if followed.moves or followed.no_dates else None


def _has_steps(db: Database, visit_id: int) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM follow_ups WHERE visit_id = ? AND playbook_step IS NOT NULL LIMIT 1",
            (visit_id,),
        ).fetchone()
    )


# -- ticking a step ------------------------------------------------------------------------


def tick(
    db: Database, visit_id: int, step_key: str, *, on: dt.date | None = None
) -> Changes | None:
    """Mark the visit's open follow-up of this step done (today unless `on`): called when
    a letter of the step's name is made for the visit. Inside another operation it joins
    it; None when the visit has no such open step."""
    found = db.execute(
        "SELECT id, title FROM follow_ups WHERE visit_id = ? AND playbook_step = ? "
        "AND done_on IS NULL ORDER BY id",
        (visit_id, step_key),
    ).fetchall()
    if not found:
        return None
    day = (on or dt.date.today()).isoformat()
    label = f"Mark done {quoted(str(found[0][1]))}"
    with operation(db, label) as changes:
        for fid, _title in found:
            records.update(db, "follow_up", int(fid), {"done_on": day}, verb="Mark done")
        changes.label = label
    return changes
