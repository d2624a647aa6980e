"""`progdsl build`: what is written, what is not, and what the user is told."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import LANGUAGE_EXAMPLE, PROGRAMS, install_backends

from progdsl.cli import main

GOOD = 'program "Good"\nstart 2026-12-07\nequipment mat\nphase "A" 1w daily:\n  glute_bridge 3x10 rest 60s\n'
BAD = 'program "Bad"\nstart 2026-12-07\nphase "A" 1w daily:\n  clamshel 3x12\n'


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Replace discovery with the real JSON backend and fakes: built-in `json` and `broken`,
    third-party `echo`, `raises`, `text` and `misnamed`."""
    folder = tmp_path / "fakes"
    folder.mkdir()
    (folder / "broken_backend.py").write_text("import a_module_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(folder))
    install_backends(
        monkeypatch,
        {
            "json": ("progdsl.backends.json:JsonBackend", "progdsl"),
            "broken": ("broken_backend:Backend", "progdsl"),
            "echo": ("fake_backends:Echo", "acme-backends"),
            "raises": ("fake_backends:Raises", "acme-backends"),
            "text": ("fake_backends:Text", "acme-backends"),
            "misnamed": ("fake_backends:Misnamed", "acme-backends"),
        },
    )


@pytest.fixture
def programs(tmp_path) -> Path:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "good.prog").write_text(GOOD)
    (folder / "bad.prog").write_text(BAD)
    (folder / "glutes.prog").write_text(LANGUAGE_EXAMPLE)
    return folder


def build(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["build", *args], env=env)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---- files with errors ---------------------------------------------------------------


def test_a_file_with_errors_writes_nothing(programs, tmp_path):
    out = tmp_path / "out"
    result = build(str(programs / "bad.prog"), "--to", "json", "-o", str(out))
    assert result.exit_code == 1
    assert "E201" in result.stderr and "clamshel" in result.stderr and "^" in result.stderr
    assert "bad.prog: not built, it has errors" in result.stderr
    assert not out.exists()


def test_a_batch_with_one_bad_file_writes_the_others_and_exits_1(programs, tmp_path):
    out = tmp_path / "out"
    result = build(str(programs), "--to", "json", "-o", str(out))
    assert result.exit_code == 1
    assert files(out) == ["glutes.json", "good.json"]
    assert f"wrote {out / 'good.json'}" in result.stdout
    assert "2 written, 0 failed, 0 backend(s) unavailable, 1 file(s) with errors" in result.stderr


def test_a_clean_batch_exits_0_and_lists_what_it_wrote(tmp_path):
    result = build(str(PROGRAMS), "--to", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "out") == sorted(f"{p.stem}.json" for p in PROGRAMS.rglob("*.prog"))
    assert "error" not in result.stderr  # warnings only


def test_an_unreadable_file_is_reported_and_the_others_go_on(programs, tmp_path):
    (programs / "folder.prog").mkdir()  # a folder named like a program
    result = build(
        str(programs / "good.prog"), str(programs / "folder.prog" / ".."), "--to", "json", "-o", str(tmp_path / "o")
    )
    assert result.exit_code == 1
    assert "good.json" in files(tmp_path / "o")


def test_two_programs_with_the_same_name_do_not_overwrite_each_other(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.prog").write_text(GOOD.replace("Good", folder))
    out = tmp_path / "out"
    result = build(str(tmp_path / "a" / "same.prog"), str(tmp_path / "b" / "same.prog"), "--to", "json", "-o", str(out))
    assert result.exit_code == 1
    assert "would replace those of" in result.stderr
    assert json.loads((out / "same.json").read_text())["program"]["title"] == "a"


# ---- atomic writes ------------------------------------------------------------------


def test_outputs_leave_no_temporary_files(programs, tmp_path):
    out = tmp_path / "out"
    build(str(programs / "good.prog"), "--to", "json", "-o", str(out))
    build(str(programs / "good.prog"), "--to", "json", "-o", str(out))
    assert files(out) == ["good.json"]
    assert oct(os.stat(out / "good.json").st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode


def test_a_full_disk_is_a_clear_message_and_leaves_the_old_file(programs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "good.json").write_bytes(b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("progdsl.output.os.fsync", full)
    result = build(str(programs / "good.prog"), "--to", "json", "-o", str(out))
    assert result.exit_code == 1
    assert f"cannot write {out / 'good.json'}: the disk is full" in result.stderr
    assert "Traceback" not in result.output
    assert files(out) == ["good.json"] and (out / "good.json").read_bytes() == b"old"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_writing_to_dev_full_raises_a_write_error_not_oserror(tmp_path, monkeypatch):
    from progdsl import output

    real_fdopen = os.fdopen

    def onto_dev_full(handle, *args, **kwargs):
        # After the temporary file is locked: a lock on /dev/full itself would be shared by
        # every test run on the machine, and one run would wait for another.
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, handle)
        os.close(full)
        return real_fdopen(handle, *args, **kwargs)

    monkeypatch.setattr(output.os, "fdopen", onto_dev_full)
    with pytest.raises(output.WriteError, match="the disk is full"):
        output.write_atomically(tmp_path / "plan.json", b"x" * 100_000)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "code, message",
    [
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_write_errors_become_messages_and_leave_nothing(tmp_path, monkeypatch, code, message):
    from progdsl import output

    def refuse(**kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    with pytest.raises(output.WriteError, match=f"cannot write .*plan.json: {message}"):
        output.write_atomically(tmp_path / "plan.json", b"{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_message(programs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = build(str(programs / "good.prog"), "--to", "json", "-o", str(out))
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1
    assert "permission denied" in result.stderr and files(out) == []


def test_an_output_folder_that_cannot_be_made_is_a_clear_message(programs, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    result = build(str(programs / "good.prog"), "--to", "json", "-o", str(blocker / "out"))
    assert result.exit_code == 1
    assert "cannot create the output folder" in result.stderr and "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.output


def test_standard_output_is_not_an_output_folder(programs, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = build(str(programs / "good.prog"), "--to", "json", "-o", "-")
    assert result.exit_code == 2
    assert "never standard output" in result.stderr and "progdsl plan" in result.stderr
    assert files(here) == []


def test_a_folder_in_the_way_of_an_output_is_a_clear_message(programs, tmp_path):
    (tmp_path / "out" / "good.json").mkdir(parents=True)
    result = build(str(programs / "good.prog"), "--to", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "a folder of that name is in the way" in result.stderr
    assert files(tmp_path / "out") == ["good.json"]


# ---- backends ---------------------------------------------------------------------------


def test_an_unknown_backend_lists_the_installed_ones(programs, tmp_path):
    result = build(str(programs / "good.prog"), "--to", "jsno", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "unknown backend `jsno` (did you mean `json`?); installed:" in result.stderr
    for name in ("json", "ics", "html", "pdf"):
        assert name in result.stderr.split("installed:")[1]
    assert not (tmp_path / "out").exists()


def test_without_to_every_builtin_backend_is_tried(installed, programs, tmp_path):
    out = tmp_path / "out"
    result = build(str(programs / "good.prog"), "-o", str(out))
    assert result.exit_code == 1
    assert files(out) == ["good.json"]  # echo, raises … are not built in
    assert "backend 'broken' (progdsl 1.0) failed to import: ModuleNotFoundError" in result.stderr


def test_the_real_builtin_backends_are_each_written_or_reported_by_name(programs, tmp_path):
    out = tmp_path / "out"
    result = build(str(programs / "good.prog"), "-o", str(out))
    assert "good.json" in files(out)
    for name, suffix in (("ics", ".ics"), ("html", ".html"), ("pdf", ".pdf")):
        assert f"good{suffix}" in files(out) or f"backend '{name}'" in result.stderr


def test_a_backend_that_raises_or_fails_to_import_is_reported_and_the_rest_completes(installed, programs, tmp_path):
    out = tmp_path / "out"
    result = build(
        str(programs / "good.prog"),
        str(programs / "glutes.prog"),
        "--to",
        "raises",
        "--to",
        "broken",
        "--to",
        "json",
        "--to",
        "echo",
        "-o",
        str(out),
    )
    assert result.exit_code == 1
    assert files(out) == ["glutes.echo", "glutes.json", "good.echo", "good.json"]
    assert result.stderr.count("failed to import") == 1  # once, not once per file
    assert f"{programs / 'good.prog'}: backend 'raises' failed: ValueError: boom (at fake_backends.py:" in result.stderr
    assert f"{programs / 'glutes.prog'}: backend 'raises' failed" in result.stderr
    assert "no broken output is written" in result.stderr
    assert "Traceback" not in result.output


def test_a_backend_returning_text_is_reported(installed, programs, tmp_path):
    result = build(str(programs / "good.prog"), "--to", "text", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "backend 'text' returned str, not bytes" in result.stderr
    assert files(tmp_path / "out") == []


def test_a_backend_that_breaks_the_contract_is_reported(installed, programs, tmp_path):
    result = build(str(programs / "good.prog"), "--to", "misnamed", "--to", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "backend 'misnamed' (acme-backends 1.0) does not keep the backend contract" in result.stderr
    assert "'.json'" in result.stderr and "`render` is not a method" in result.stderr
    assert files(tmp_path / "out") == ["good.json"]


def test_a_backend_that_raises_leaves_the_previous_output_alone(installed, programs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "good.raises").write_text("from last time")
    build(str(programs / "good.prog"), "--to", "raises", "-o", str(out))
    assert (out / "good.raises").read_text() == "from last time"


# ---- templates are the clinic's choice, and run sandboxed ------------------------------


def test_a_template_that_tries_to_run_code_fails_that_backend_and_writes_nothing(programs, tmp_path):
    marker = tmp_path / "MARKER"
    clinic = tmp_path / "clinic"
    (clinic / "partials").mkdir(parents=True)
    (clinic / "partials" / "brand.html").write_text(
        '{{ cycler.__init__.__globals__.os.popen("id; touch MARKER").read() }}'.replace("MARKER", str(marker))
    )
    out = tmp_path / "out"
    result = build(
        str(programs / "good.prog"),
        "--to",
        "html",
        "--to",
        "pdf",
        "--to",
        "json",
        "--template-dir",
        str(clinic),
        "-o",
        str(out),
        "-j",
        "1",
    )
    assert result.exit_code == 1
    assert files(out) == ["good.json"]
    for name in ("html", "pdf"):
        line = next(line for line in result.stderr.splitlines() if f"backend '{name}'" in line)
        assert f"{programs / 'good.prog'}: backend '{name}': the template partials/brand.html" in line, line
        assert "unsafe" in line and "failed:" not in line  # a message for the user, not a bug report
    assert "Traceback" not in result.output and "uid=" not in result.output
    assert not marker.exists()


def test_a_program_that_names_a_template_folder_is_not_built(programs, tmp_path):
    clinic = programs / "clinic"
    (clinic / "partials").mkdir(parents=True)
    (clinic / "partials" / "brand.html").write_text("<p>Riverside Physio</p>")
    (programs / "good.prog").write_text(GOOD.replace("start 2026-12-07\n", 'start 2026-12-07\nset template "clinic"\n'))
    out = tmp_path / "out"
    result = build(str(programs / "good.prog"), "--to", "html", "-o", str(out), "-j", "1")
    assert result.exit_code == 1 and files(out) == []
    assert "good.prog:3:1: E152 error:" in result.stderr and "--template-dir" in result.stderr
    checked = CliRunner().invoke(main, ["check", str(programs / "good.prog")])
    assert checked.exit_code == 1 and "E152" in checked.output and "All clear" not in checked.output


# ---- what backends receive ----------------------------------------------------------------


def echoed(out: Path, *args: str, env: dict | None = None) -> dict:
    result = build(str(out.parent / "programs" / "good.prog"), "--to", "echo", "-o", str(out), *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads((out / "good.echo").read_text())


def test_command_line_settings_reach_backends_as_overrides(installed, programs, tmp_path):
    out = tmp_path / "out"
    assert echoed(out)["overrides"] == {}
    assert echoed(out, "--reminder", "15m")["overrides"] == {"reminder": 900}
    assert echoed(out, "--reminder", "1h")["overrides"] == {"reminder": 3600}
    assert echoed(out, "--no-reminder")["overrides"] == {"reminder": None}
    assert echoed(out, "--reminder-at", "7:15")["overrides"] == {"reminder_at": "07:15"}
    assert echoed(out, "--page-size", "LETTER")["overrides"] == {"page_size": "letter"}
    templates = tmp_path / "templates"
    templates.mkdir()
    assert echoed(out, "--template-dir", str(templates))["overrides"] == {"template": str(templates.resolve())}


def test_source_date_epoch_becomes_the_timestamp(installed, programs, tmp_path):
    out = tmp_path / "out"
    assert echoed(out, env={"SOURCE_DATE_EPOCH": ""})["timestamp"] is None
    assert echoed(out, env={"SOURCE_DATE_EPOCH": "1767225600"})["timestamp"] == "2026-01-01T00:00:00+00:00"


def test_backends_see_the_file_they_replace(installed, programs, tmp_path):
    out = tmp_path / "out"
    assert echoed(out)["previous"] is None
    first = (out / "good.echo").read_text()
    assert echoed(out)["previous"] == first


def test_start_applies_to_programs_without_a_start_line(installed, programs, tmp_path):
    (programs / "good.prog").write_text(GOOD.replace("start 2026-12-07\n", ""))
    assert echoed(tmp_path / "out", "--start", "2027-02-03")["start"] == "2027-02-03"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--reminder", "15m", "--no-reminder"], "not both"),
        (["--reminder", "soon"], "'soon' is not a time"),
        (["--reminder", "0m"], "'0m' is not a time"),
        (["--reminder-at", "24:00"], "'24:00' is not a time of day"),
        (["--reminder-at", "8am"], "'8am' is not a time of day"),
        (["--reminder-at", "08:00", "--no-reminder"], "not both"),
        (["--page-size", "a5"], "'a5' is not one of"),
        (["--start", "7/12/2026"], "YYYY-MM-DD"),
        (["--start", "1899-12-31"], "before 1900-01-01"),
        (["--start", "9001-01-01"], "after 9000-12-31"),
        (["--template-dir", "/no/such/folder"], "does not exist"),
    ],
)
def test_bad_options_are_usage_errors(programs, tmp_path, args, message):
    result = build(str(programs / "good.prog"), "--to", "json", "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "plan"])
@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "-5",
        "²",
        "٣",  # not ASCII digits: int() refuses `²`
        "99999999999999",  # after the year 9000
        "9" * 400,
        "9" * 5000,  # int() refuses strings of over 4,300 digits
    ],
)
def test_bad_source_date_epoch_is_a_usage_error(programs, tmp_path, command, value):
    program = programs / "good.prog"
    program.write_text(GOOD.replace("start 2026-12-07\n", ""))  # so the plan needs today
    args = [str(program), "--to", "json", "-o", str(tmp_path / "out")] if command == "build" else [str(program)]
    result = CliRunner().invoke(main, [command, *args], env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "SOURCE_DATE_EPOCH" in result.stderr
    assert len(result.stderr) < 400  # a huge value is shortened, not echoed whole
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("path", ["-", "no_such_file.prog"])
def test_paths_that_name_no_program_file_are_usage_errors(path, tmp_path):
    result = build(path, "--to", "json", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2


def test_page_size_choices_match_the_setting():
    from progdsl.cli import build as build_command
    from progdsl.settings import SETTINGS

    (option,) = [p for p in build_command.params if p.name == "page_size"]
    assert tuple(option.type.choices) == SETTINGS["page_size"].choices


# ---- plan and schema ----------------------------------------------------------------------


def test_plan_prints_each_session_with_that_days_dose():
    result = CliRunner().invoke(main, ["plan", str(PROGRAMS / "glutes_sore_back.prog")])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "2026-12-" in line.split("  ")[0]]
    assert len(rows) == 22
    assert "Clam shell 3 × 8 each side, hold 1 s, rest 30–60 s" in rows[0] and "Mon" in rows[0]
    assert "Clam shell 3 × 12 each side" in rows[-2]
    assert "4x/week (mon wed fri sun)" in result.stdout
    assert "\x1b[" not in result.stdout  # plain when not a terminal


def test_plan_of_a_file_with_errors_prints_diagnostics_and_exits_1(programs):
    result = CliRunner().invoke(main, ["plan", str(programs / "bad.prog")])
    assert result.exit_code == 1
    assert "E201" in result.stderr and result.stdout == ""


def test_plan_reads_standard_input_and_takes_a_start():
    program = GOOD.replace("start 2026-12-07\n", "")
    result = CliRunner().invoke(main, ["plan", "-", "--start", "2027-03-01"], input=program)
    assert result.exit_code == 0, result.output
    assert "2027-03-01" in result.stdout and "2027-03-07" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_fifo_in_a_folder_is_skipped_with_a_note_not_waited_on(command, tmp_path):
    """A FIFO named *.prog used to block `check` and `build` for ever, waiting for a writer."""
    import subprocess
    import sys

    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "good.prog").write_text(GOOD)
    os.mkfifo(folder / "waiting.prog")
    extra = ["--to", "json", "-o", str(tmp_path / "out")] if command == "build" else []
    done = subprocess.run(
        [sys.executable, "-m", "progdsl", command, str(folder), *extra], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert f"note: skipped {folder / 'waiting.prog'}: not a regular file" in done.stderr


def test_a_later_write_removes_what_a_killed_write_left_behind(tmp_path):
    """A kill between creating the temporary file and renaming it used to leave it for ever."""
    import fcntl
    import time

    from progdsl.output import STALE_AFTER, write_atomically

    old = time.time() - STALE_AFTER - 5
    names = {
        "left": ".plan.json.k1ll3d_x.tmp",  # a killed build's, a minute old: removed
        "fresh": ".plan.json.wr1t1ng0.tmp",  # another build may be writing it right now: kept
        "held": ".plan.json.l0ck3d00.tmp",  # old, but locked by a build still writing: kept
        "other": ".plan.json.ics.abcdefgh.tmp",  # another output's: kept
        "mine": ".plan.json.notours.txt",  # not a temporary name: kept
    }
    for key, name in names.items():
        (tmp_path / name).write_bytes(b"part of a file")
        if key != "fresh":
            os.utime(tmp_path / name, (old, old))
    with open(tmp_path / names["held"], "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        write_atomically(tmp_path / "plan.json", b"{}")
    assert sorted(files(tmp_path)) == sorted([*(n for k, n in names.items() if k != "left"), "plan.json"])
