"""Options for a briefing packet: which sections, the handling marking, and whether the
copy carries personal details."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QWidget,
)

from desk.reports.briefing.options import MARKINGS, SECTIONS, SHAREABLE_SECTIONS, BriefingOptions


class BriefingDialog(QDialog):
    def __init__(self, incoming: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Briefing packet")
        layout = QFormLayout(self)
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.setAccessibleName("Handling marking")
        self.marking.addItems(list(MARKINGS))
        self.marking.setCurrentIndex(1)
        layout.addRow("Marking", self.marking)
        self.personal = QCheckBox("Include phone numbers, email and dietary needs")
        self.personal.setChecked(True)
        layout.addRow(self.personal)
        self.partner = QCheckBox("A copy for the partner: the program and their delegation only")
        self.partner.setToolTip(
            "Leaves out everything internal: talking points, notes, gift plans, agreements, "
            "markings and personal details."
        )
        self.partner.toggled.connect(self._partner_toggled)
        layout.addRow(self.partner)
        box = QGroupBox("Sections")
        grid = QGridLayout(box)
        self.sections: dict[str, QCheckBox] = {}
        for n, (key, titles) in enumerate(SECTIONS.items()):
            check = QCheckBox(titles[1 if incoming else 0])
            check.setChecked(True)
            grid.addWidget(check, n // 2, n % 2)
            self.sections[key] = check
        layout.addRow(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make packet")
        self.phone = False
        phone = buttons.addButton("Phone pack", QDialogButtonBox.ButtonRole.ActionRole)
        phone.setToolTip(
            "A small PDF for a phone, with the options above: each day's program in "
            "local time, who to call, the travel plan and the delegation."
        )
        phone.clicked.connect(self._phone_chosen)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _partner_toggled(self, on: bool) -> None:
        # What the partner's copy cannot hold is shown as off, not silently dropped.
        self.marking.setEnabled(not on)
        self.personal.setEnabled(not on)
        for key, check in self.sections.items():
            check.setEnabled(not on or key in SHAREABLE_SECTIONS)

    def options(self) -> BriefingOptions:
        return BriefingOptions(
            sections=frozenset(k for k, check in self.sections.items() if check.isChecked()),
            marking=self.marking.currentText().strip(),
            include_personal=self.personal.isChecked() and not self.partner.isChecked(),
            shareable=self.partner.isChecked(),
        )

    def _phone_chosen(self) -> None:
        self.phone = True
        self.accept()
