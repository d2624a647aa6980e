"""A packed program (`progdsl.parcel`) builds where none of its files are: what a Dask worker
on another machine does. Without a cluster, so fast: the files are moved away before unpacking."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import CLINIC_ENTRY, install_backends

from progdsl import plugins
from progdsl.batch import Checked, Rendered, compile_parcel, compile_program
from progdsl.build_settings import BuildSettings
from progdsl.parcel import pack
from progdsl.records import replace

CHIN_TUCK = """\
[towel_press]
name = "Towel press"
category = "mobility"
dose = ["reps"]
one_sided = false
instructions = ["Press a rolled towel into the wall."]
"""

PROTOCOL = 'phase "Mobility" 2w daily:\n  wall_angel 3x10\n  towel_press 3x8\n'
PROGRAM = 'program "Clinic"\nstart 2026-12-07\nregistry "../clinic/exercises.toml"\ninclude "protocol.prog"\n'


@pytest.fixture
def backends(monkeypatch) -> tuple[plugins.Plugin, ...]:
    return install_backends(
        monkeypatch,
        {
            "echo": ("fake_backends:Echo", "acme-backends"),
            "html": ("progdsl.backends.html:HtmlBackend", "acme-backends"),
            "ics": ("progdsl.backends.ics:IcsBackend", "acme-backends"),
            "json": ("progdsl.backends.json:JsonBackend", "acme-backends"),
        },
    )


def site(root: Path, protocol: str = PROTOCOL) -> None:
    """A clinic's folder: a program that names a registry and includes a protocol, a
    second registry given as --registry, a template folder, and last build's outputs."""
    for name, text in {
        "clinic/exercises.toml": CLINIC_ENTRY,
        "shared/more.toml": CHIN_TUCK,
        "programs/p.prog": PROGRAM,
        "programs/protocol.prog": protocol,
        "templates/assets/note.txt": "a clinic's template folder",
        "out/p.echo": "last build's output",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def settings_in(root: Path) -> BuildSettings:
    return BuildSettings(
        Path("out"),
        overrides={"template": str((root / "templates").resolve())},
        registries=(str((root / "shared" / "more.toml").resolve()),),
        backend_timeout=None,
    )


def test_a_parcel_builds_the_same_outputs_with_its_files_gone(tmp_path, monkeypatch, backends):
    root = tmp_path / "site"
    site(root)
    monkeypatch.chdir(root)
    settings = settings_in(root)
    here = compile_program("programs/p.prog", backends, settings)
    suffixes = [".echo", ".html", ".ics", ".json"]
    parcel = pack("programs/p.prog", settings, suffixes, Path("programs/p.prog").read_bytes())
    monkeypatch.chdir(tmp_path)
    root.rename(tmp_path / "elsewhere")  # the worker sees none of the clinic's files

    there = compile_parcel(parcel, backends)

    assert isinstance(here.checked, Checked) and here.checked.result.ok, here.checked
    assert there.name == here.name == "p"
    # The echo backend shows the paths it was given, which are the worker's; the others match byte for byte.
    assert [o for o in there.outputs if o.backend != "echo"] == [o for o in here.outputs if o.backend != "echo"]
    assert len(there.outputs) == 4
    echo = next(o for o in there.outputs if isinstance(o, Rendered) and o.backend == "echo")
    assert b"last build's output" in echo.data  # the previous output travelled with it
    assert echo.output == Path("out/p.echo")
    assert not list(tmp_path.glob("progdsl-parcel-*"))


def test_diagnostics_name_the_files_as_a_local_build_does(tmp_path, monkeypatch, backends):
    root = tmp_path / "site"
    site(root, protocol=PROTOCOL + "  wall_angle 3x10\n")  # a misspelt name in the included file
    monkeypatch.chdir(root)
    settings = settings_in(root)
    here = compile_program("programs/p.prog", backends, settings)
    parcel = pack("programs/p.prog", settings, [".echo"], Path("programs/p.prog").read_bytes())
    (root / "programs" / "protocol.prog").unlink()

    there = compile_parcel(parcel, backends)

    assert isinstance(here.checked, Checked) and isinstance(there.checked, Checked)
    assert not there.checked.result.ok and there.outputs == ()
    assert there.checked.path == "programs/p.prog"
    assert there.checked.result.source.name == "programs/p.prog"
    local = [replace(d, source=None) for d in here.checked.result.diagnostics]
    remote = [replace(d, source=None) for d in there.checked.result.diagnostics]
    assert remote == local
    assert [d.source.name if d.source else None for d in there.checked.result.diagnostics] == [
        d.source.name if d.source else None for d in here.checked.result.diagnostics
    ]
    assert any(d.source and d.source.name == "programs/protocol.prog" for d in there.checked.result.diagnostics)


def test_each_thread_renders_through_a_helper_of_its_own():
    """A Dask worker with several threads builds several programs at once: their renders must not share one pipe."""
    import threading

    from progdsl import batch

    seen = []
    thread = threading.Thread(target=lambda: seen.append(batch._helpers.helper))
    thread.start()
    thread.join()
    assert seen[0] is not batch._helpers.helper
