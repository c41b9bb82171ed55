"""An itinerary item's dialog: it starts in its visit's local time zone, on the visit's
first day, and says under the form what the time it is given is at home."""

from __future__ import annotations

from desk.core.domain.validate import clean
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.ui import times
from desk.ui.dialogs.record_dialog import RecordDialog


class ItineraryItemDialog(RecordDialog):
    def _prefill(self) -> None:
        if "visit_id" not in self.preset:
            return
        visit = records.get(self.db, "visit", self.preset["visit_id"])
        zone = visit.get("time_zone") or times.home_zone(self.db)
        self.form.editors["time_zone"].set_value(zone)
        if visit.get("start_date"):
            self.form.editors["starts_at"].set_value(f"{visit['start_date']} 09:00")

    def _update_hint(self) -> None:
        values = self.form.values()
        try:
            starts = clean(self.spec.field_map["starts_at"], values.get("starts_at"))
            zone = clean(self.spec.field_map["time_zone"], values.get("time_zone"))
        except ValidationError:
            self.hint.setText("")
            return
        home = times.home_zone(self.db)
        self.hint.setText(
            f"At home ({home}): {times.home_text(starts, zone, home)}" if starts and zone else ""
        )
        self.hint.show()
