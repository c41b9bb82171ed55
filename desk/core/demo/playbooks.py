"""The demo's upcoming visits with their playbooks applied, as an office that applied
each when the visit was accepted would have them: the steps whose days have passed done
on their day (one left overdue on every third visit), the rest due ahead, so Today has
a visit's checklist to show."""

from __future__ import annotations

from typing import Any

from desk.core.demo.base import BuilderBase
from desk.core.errors import DeskError
from desk.core.features import playbooks

# Visits not yet agreed, or called off, get no checklist.
_NOT_PLANNED = frozenset({"requested", "under_review", "cancelled", "declined"})


class PlaybooksMixin(BuilderBase):
    def _playbooks(self) -> None:
        library = playbooks.shipped()  # never the office's own: the demo is the same anywhere
        follow_ups: dict[int, list[dict[str, Any]]] = {}
        for row in self.rows["follow_ups"]:
            if row.get("visit_id") is not None:
                follow_ups.setdefault(int(row["visit_id"]), []).append(row)
        for visit in self.rows["visits"]:
            dates = playbooks.span(visit)
            if dates is None or dates.start < self.today or visit["status"] in _NOT_PLANNED:
                continue
            try:
                playbook = library.for_visit(visit)
            except DeskError:
                continue
            self._checklist(visit["id"], playbook, dates, follow_ups.get(visit["id"], []))

    def _checklist(
        self,
        visit_id: int,
        playbook: playbooks.Playbook,
        dates: playbooks.Span,
        own: list[dict[str, Any]],
    ) -> None:
        titled = {str(row["title"]).casefold(): row for row in own if not row.get("playbook_step")}
        days = [step.day(dates.start, dates.end) for step in playbook.steps]
        passed = [day for day in days if day < self.today]
        # The latest step already due is left open on every third visit: overdue work.
        overdue = max(passed) if passed and visit_id % 3 == 0 else None
        for step, day in zip(playbook.steps, days, strict=True):
            marks = {"playbook_step": step.key, "anchor": step.anchor, "offset_days": step.offset}
            mine = titled.pop(step.title.casefold(), None)
            if mine is not None:
                # The visit's own follow-up of that title counts as the step.
                mine.update(marks)
                continue
            done = day < self.today and day != overdue
            self.add(
                "follow_up",
                title=step.title,
                due_date=day.isoformat(),
                done_on=day.isoformat() if done else None,
                visit_id=visit_id,
                notes=playbooks.notes_for(step),
                **marks,
            )
