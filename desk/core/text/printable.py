"""Control characters as their visible Unicode pictures (␛ for ESC, ␇ for BEL): the one
table every output uses, so what a person typed is shown, never obeyed."""

from __future__ import annotations

# C0 controls but line feed and tab, DEL, and the C1 controls (shown as the replacement
# character: they have no pictures).
CONTROL_PICTURES: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
}
# Bidi embeddings, overrides and isolates: they reorder what follows them on a line.
BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
