"""The file an output replaces is read for continuity (the calendar's SEQUENCE), but never
without bound, and never in a way that blocks or stops the build."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, install_backends

from progdsl import output
from progdsl.cli import main
from progdsl.output import PREVIOUS_LIMIT, PreviousUnread, read_previous


def echo_only(monkeypatch) -> None:
    """Discovery sees only the Echo backend; the rule catalog, cached per process, is made first."""
    from progdsl.rules import catalog

    catalog()
    install_backends(monkeypatch, {"echo": ("fake_backends:Echo", "acme-backends")})


def test_a_regular_file_is_read_and_a_missing_one_is_none(tmp_path):
    (tmp_path / "old.ics").write_bytes(b"BEGIN:VCALENDAR")
    assert read_previous(tmp_path / "old.ics") == b"BEGIN:VCALENDAR"
    assert read_previous(tmp_path / "missing.ics") is None
    assert read_previous(tmp_path / "missing" / "below.ics") is None


def test_a_file_larger_than_the_limit_is_not_read(tmp_path):
    (tmp_path / "old.ics").write_bytes(b"x" * 11)
    assert read_previous(tmp_path / "old.ics", limit=11) == b"x" * 11
    with pytest.raises(PreviousUnread, match=r"old.ics, the file it replaces, is larger than 0 MB and was not read"):
        read_previous(tmp_path / "old.ics", limit=10)
    assert PREVIOUS_LIMIT == 64 * 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_device_or_folder_in_its_place_is_none_at_once(tmp_path):
    os.mkfifo(tmp_path / "old.ics")
    found: list = []
    reader = threading.Thread(target=lambda: found.append(read_previous(tmp_path / "old.ics")), daemon=True)
    reader.start()
    reader.join(5)
    assert found == [None]  # opening a FIFO with no writer for reading would block for ever
    (tmp_path / "folder.ics").mkdir()
    assert read_previous(tmp_path / "folder.ics") is None
    (tmp_path / "zero.ics").symlink_to("/dev/zero")
    assert read_previous(tmp_path / "zero.ics") is None  # and never an endless read
    (tmp_path / "loop.ics").symlink_to(tmp_path / "loop.ics")
    assert read_previous(tmp_path / "loop.ics") is None


def test_a_file_that_cannot_be_read_is_said_so(tmp_path, monkeypatch):
    (tmp_path / "old.ics").write_bytes(b"old")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "open", denied)
    with pytest.raises(PreviousUnread, match=r"cannot read .*old.ics, the file it replaces: permission denied"):
        read_previous(tmp_path / "old.ics")


def test_a_build_over_a_too_large_previous_file_notes_it_and_writes_the_new_one(tmp_path, monkeypatch):
    echo_only(monkeypatch)
    monkeypatch.setattr(output, "PREVIOUS_LIMIT", 10)
    program = tmp_path / "glutes.prog"
    program.write_text(LANGUAGE_EXAMPLE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "glutes.echo").write_bytes(b"x" * 11)
    result = CliRunner().invoke(main, ["build", str(program), "--to", "echo", "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"note: {program}: {out / 'glutes.echo'}, the file it replaces, is larger than 0 MB and was not read" in (
        result.stderr
    )
    assert b'"previous": null' in (out / "glutes.echo").read_bytes()
    assert f"wrote {out / 'glutes.echo'}" in result.stdout


def test_the_previous_file_reaches_the_backend_when_it_is_within_the_limit(tmp_path, monkeypatch):
    echo_only(monkeypatch)
    program = Path(tmp_path / "glutes.prog")
    program.write_text(LANGUAGE_EXAMPLE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "glutes.echo").write_bytes(b"old")
    result = CliRunner().invoke(main, ["build", str(program), "--to", "echo", "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0 and "note:" not in result.stderr
    assert b'"previous": "old"' in (out / "glutes.echo").read_bytes()
