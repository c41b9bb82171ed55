from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


def pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def folded(text: str) -> str:
    """Extracted text compared as characters: Arabic presentation forms back to letters,
    whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())
