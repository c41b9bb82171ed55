"""Where a letter's template comes from: the office's own folder (`<data>/letters/*.docx`,
on the city's letterhead), else the plain ones desk ships (`resources/letters/`). An office
template of a shipped template's name replaces it; one named after a letter with a word
added (`thank-you-donors.docx`) is another template of that letter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desk.core.errors import DeskError
from desk.core.paths import data_dir, resource_path

# The letters desk knows how to address, and to whom each goes.
LETTERS: dict[str, str] = {
    "invitation": "an invitation to the partner's lead",
    "visa": "visa support, one letter per member of the visiting delegation",
    "thank-you": "thanks, one letter per counterpart met and their delegation's principal",
    "national-day": "a national-day greeting to the partner's head",
}


@dataclass(frozen=True)
class Template:
    name: str  # the file's name without .docx, as typed on the command line
    letter: str  # which of LETTERS it writes
    path: Path
    office: bool  # the office's own, from its folder
    overrides: bool = False  # an office template in place of a shipped one of its name

    @property
    def source(self) -> str:
        if not self.office:
            return "shipped with desk"
        return "the office's, in place of desk's" if self.overrides else "the office's"


def office_folder() -> Path:
    """The office's own templates: a folder under the user's data folder."""
    return data_dir() / "letters"


def shipped_folder() -> Path:
    return resource_path("letters")


def letter_of(name: str) -> str | None:
    """Which letter a template of this name writes: its name is the letter's, or starts
    with it and a hyphen."""
    folded = name.casefold()
    for letter in sorted(LETTERS, key=len, reverse=True):
        if folded == letter or folded.startswith(letter + "-"):
            return letter
    return None


def _docx_files(folder: Path) -> list[Path]:
    try:
        found = sorted(folder.iterdir())
    except OSError:
        return []
    # Word keeps "~$name.docx" beside a file it has open; neither that nor a hidden file
    # is a template.
    return [
        p
        for p in found
        if p.suffix.casefold() == ".docx" and not p.name.startswith(("~$", ".")) and p.is_file()
    ]


def templates() -> list[Template]:
    """Every template a letter can be written from, by name: the office's first where it
    has one of a shipped template's name."""
    shipped = {
        p.stem.casefold(): Template(p.stem, letter, p, office=False)
        for p in _docx_files(shipped_folder())
        if (letter := letter_of(p.stem)) is not None
    }
    found = dict(shipped)
    for path in _docx_files(office_folder()):
        letter = letter_of(path.stem)
        if letter is None:
            continue
        key = path.stem.casefold()
        found[key] = Template(path.stem, letter, path, office=True, overrides=key in shipped)
    return [found[k] for k in sorted(found)]


def not_templates() -> list[Path]:
    """Word files in the office's folder that name no letter: said by `desk letter --list`
    so a template named 'Invitacion.docx' is not silently passed over."""
    return [p for p in _docx_files(office_folder()) if letter_of(p.stem) is None]


def find(name: str) -> Template:
    wanted = name.strip().removesuffix(".docx").casefold()
    for template in templates():
        if template.name.casefold() == wanted:
            return template
    known = ", ".join(t.name for t in templates()) or "none"
    raise DeskError(
        f"There is no letter template named {name!r}. Templates: {known} "
        f"('desk letter --list' says where each comes from; an office adds its own as "
        f"{office_folder()}/NAME.docx)."
    )
