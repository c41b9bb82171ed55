from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


def pdftotext(path: Path, *, layout: bool = False, first: int = 0, last: int = 0) -> str:
    """The PDF's text as poppler reads it; `layout` keeps each line's columns, `first`
    and `last` pick pages. Skips the test, saying why, where poppler is missing."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def qpdf_check(*paths: Path) -> None:
    """qpdf's structural check of each PDF. Where qpdf is missing the test is skipped,
    saying so, rather than passed unchecked: call it after the test's own checks, so
    those run either way."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    for path in paths:
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, f"{path.name}: {check.stdout}{check.stderr}"


def folded(text: str) -> str:
    """Extracted text compared as characters: Arabic presentation forms back to letters,
    whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())
