"""An itinerary item's dialog: it starts in its visit's local time zone, on the visit's
first day, says under each time what it understood, and under the form what the time
it is given is at home. A time a clock change makes happen twice is asked about before
the item is saved, and kept with the offset chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core.domain import dates, when
from desk.core.domain.validate import clean
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.ui import times
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.widgets.editors import DateTimeEditor

_TIMES = ("starts_at", "ends_at")


def which_of_two(parent: QWidget, question: str, choices: list[str]) -> int | None:
    """Which of `choices` the person means (its index); None when they cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Which time?")
    box.setText(question)
    buttons = [box.addButton(text, QMessageBox.ButtonRole.AcceptRole) for text in choices]
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, button in enumerate(buttons) if button is clicked), None)


class ItineraryItemDialog(RecordDialog):
    def _prefill(self) -> None:
        if "visit_id" not in self.preset:
            return
        visit = records.get(self.db, "visit", self.preset["visit_id"])
        zone = visit.get("time_zone") or times.home_zone(self.db)
        self.form.editors["time_zone"].set_value(zone)
        if visit.get("start_date"):
            self.form.editors["starts_at"].set_value(
                f"{visit['start_date']}T09:00", {"time_zone": zone}
            )

    def _zone(self) -> str | None:
        try:
            zone = clean(self.spec.field_map["time_zone"], self.form.editors["time_zone"].value())
        except ValidationError:
            return None
        return str(zone) if zone else None

    def _update_hint(self) -> None:
        zone = self._zone()
        for name in _TIMES:
            editor = self.form.editors.get(name)
            if isinstance(editor, DateTimeEditor):
                editor.set_zone(zone)
        values = self.form.values()
        try:
            starts = clean(self.spec.field_map["starts_at"], values.get("starts_at"), values)
        except ValidationError:
            self.hint.setText("")
            return
        home = times.home_zone(self.db)
        self.hint.setText(
            f"At home ({home}): {times.home_text(starts, zone, home)}" if starts and zone else ""
        )
        self.hint.show()

    def save(self) -> None:
        """Asks which of the two moments a repeated hour is before saving (the core
        refuses it unsaid, naming both), then saves as any record dialog does."""
        zone = self._zone()
        if zone is not None:
            for name in _TIMES:
                editor = self.form.editors.get(name)
                if isinstance(editor, DateTimeEditor) and not self._settle(editor, zone):
                    return
        super().save()

    def _settle(self, editor: DateTimeEditor, zone: str) -> bool:
        """Asks which moment a repeated hour is; False when the person cancelled, True
        otherwise (answered, or nothing to ask)."""
        try:
            reading = when.read(editor.value(), partial=False)
        except when.Unreadable:
            return True  # saving names the field and what it takes
        if reading.time is None or reading.mark is not None:
            return True
        wall = reading.moment
        found = dates.moments_at(wall, zone)
        if len(found) != 2:
            return True
        clock, place = dates.clock(wall), dates.zone_city(zone)
        question = (
            f"{clock} on {dates.long_date(wall)} happens twice in {place}: the clocks go "
            f"back an hour that night. Which {clock} is meant?"
        )
        choices = [
            f"{clock} {dates.clock_mark(moment)} ({dates.utc_offset(zone, moment)}), "
            + ("the first" if i == 0 else "an hour later")
            for i, moment in enumerate(found)
        ]
        chosen = which_of_two(self, question, choices)
        if chosen is None:
            return False
        stored = dates.place_in_zone(wall, zone, dates.offset_text(found[chosen].utcoffset()))
        editor.set_value(stored, {"time_zone": zone})
        return True
