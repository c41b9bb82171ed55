from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import BinaryIO

import pytest

from desk.core.disk import files
from desk.core.errors import OutputPathError

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_writes_bytes_stream_text_and_path(tmp_path: Path) -> None:
    assert files.safe_write(tmp_path / "a.bin", b"\x00one") == tmp_path / "a.bin"
    files.safe_write(tmp_path / "b.bin", lambda h: h.write(b"two"))
    files.safe_write_text(tmp_path / "c.txt", "drei\n", newline="")
    files.safe_write_text(tmp_path / "d.txt", lambda t: t.write("Łódź"), encoding="utf-8-sig")
    files.safe_write_path(tmp_path / "e.txt", lambda p: p.write_text("five"))
    assert (tmp_path / "a.bin").read_bytes() == b"\x00one"
    assert (tmp_path / "b.bin").read_bytes() == b"two"
    assert (tmp_path / "c.txt").read_bytes() == b"drei\n"
    assert (tmp_path / "d.txt").read_bytes() == "\ufeffŁódź".encode()
    assert (tmp_path / "e.txt").read_text() == "five"
    assert leftovers(tmp_path) == []


@posix_only
def test_replace_keeps_the_old_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o640)
    files.safe_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@posix_only
def test_a_new_file_gets_the_umask_not_mkstemps_0600(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        files.safe_write(tmp_path / "new.txt", b"x")
        files.safe_write_path(tmp_path / "new2.txt", lambda p: p.write_bytes(b"y"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new2.txt").stat().st_mode) == 0o640


def test_file_and_folder_are_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    files.safe_write(tmp_path / "out.txt", b"x")
    assert len(synced) == (2 if os.name == "posix" else 1)


def test_a_failed_check_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    target.write_bytes(b"%PDF-1.4 good %%EOF")
    with pytest.raises(OutputPathError, match=r"failed its check.*cut short"):
        files.safe_write(target, b"%PDF-1.4 half", verify=files.verify_pdf)
    assert target.read_bytes() == b"%PDF-1.4 good %%EOF"
    assert leftovers(tmp_path) == []


def test_verify_sees_the_written_temp_file(tmp_path: Path) -> None:
    seen: list[tuple[str, bytes]] = []
    files.safe_write(
        tmp_path / "x.bin", b"abc", verify=lambda p: seen.append((p.name, p.read_bytes()))
    )
    assert seen[0][0].startswith(".x.bin.") and seen[0][0].endswith(".partial")
    assert seen[0][1] == b"abc"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EIO])
def test_an_os_error_mid_write_is_one_line_and_changes_nothing(tmp_path: Path, code: int) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def write(handle: BinaryIO) -> None:
        handle.write(b"new, half")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputPathError) as caught:
        files.safe_write(target, write)
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path) in message
    if code == errno.ENOSPC:
        assert message == f"Not enough disk space to write {target}; nothing was changed."
    if code == errno.EACCES:
        assert message == f"No permission to write in {tmp_path}."
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_disk_full_at_fsync_and_interrupt_leave_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full)
        with pytest.raises(OutputPathError, match="Not enough disk space"):
            files.safe_write_path(target, lambda p: p.write_bytes(b"new"))

    def interrupted(_p: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.safe_write_path(target, interrupted)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_no_permission_to_create_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    with pytest.raises(OutputPathError) as caught:
        files.safe_write(tmp_path / "out.txt", b"x")
    assert str(caught.value) == f"No permission to write in {tmp_path}."


def test_refused_paths(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError) as caught:
        files.check_output_path(tmp_path / "nowhere" / "out.pdf")
    assert str(caught.value) == (
        f"Folder {tmp_path / 'nowhere'} does not exist; create it or choose another."
    )
    with pytest.raises(OutputPathError, match="is a folder"):
        files.check_output_path(tmp_path)
    (tmp_path / "plain").write_text("")
    with pytest.raises(OutputPathError, match="is not a folder"):
        files.check_output_path(tmp_path / "plain" / "out.pdf")
    assert files.check_output_path(tmp_path / "fine.pdf") == tmp_path / "fine.pdf"


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_is_never_replaced(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    with pytest.raises(OutputPathError, match=f"^{re.escape(device)} is a device"):
        files.safe_write(device, b"x")
    link = tmp_path / "out.csv"
    link.symlink_to(device)
    with pytest.raises(OutputPathError, match=f"^{re.escape(str(link))} is a device"):
        files.safe_write(link, b"x")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not any(p.name.startswith(".null") for p in Path("/dev").iterdir())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OutputPathError, match="is a device or other special file"):
        files.safe_write(tmp_path / "pipe", b"x")


@posix_only
def test_a_symlinked_target_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o600)
    (tmp_path / "link.txt").symlink_to(real)
    files.safe_write(tmp_path / "link.txt", b"new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_two_writers_do_not_share_a_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    names: list[str] = []

    def outer(handle: BinaryIO) -> None:
        handle.write(b"outer")
        files.safe_write(target, b"inner", verify=lambda p: names.append(p.name))

    files.safe_write(target, outer, verify=lambda p: names.append(p.name))
    assert len(names) == 2 and names[0] != names[1]
    assert target.read_bytes() == b"outer"
    assert leftovers(tmp_path) == []


def test_verify_xlsx(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    files.verify_xlsx(good)
    with pytest.raises(ValueError, match="not a zip"):
        files.verify_xlsx(Path(__file__))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:-30])
    with pytest.raises(ValueError):
        files.verify_xlsx(cut)


def test_verify_pdf_allows_trailing_whitespace(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n...\n%%EOF\r\n")
    files.verify_pdf(pdf)
    pdf.write_bytes(b"<html>%%EOF")
    with pytest.raises(ValueError, match="not a PDF"):
        files.verify_pdf(pdf)
