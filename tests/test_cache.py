"""The on-disk cache keeps one set of entries per Python environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from progdsl import cache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PROGDSL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def in_environment(monkeypatch, prefix, executable=None) -> None:
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.setattr(sys, "executable", str(executable or prefix / "bin" / "python"))


def test_two_environments_have_two_names_and_two_files(folder, tmp_path, monkeypatch):
    in_environment(monkeypatch, tmp_path / "one")
    first = (cache.environment(), cache.cache_path("entry-points"))
    in_environment(monkeypatch, tmp_path / "two")
    second = (cache.environment(), cache.cache_path("entry-points"))
    assert first[0] != second[0] and first[1] != second[1]
    assert Path(first[1]).parent == Path(second[1]).parent == folder
    in_environment(monkeypatch, tmp_path / "one", executable=tmp_path / "other-python")
    assert cache.environment() != first[0]  # the same prefix with another interpreter


def test_python_and_python3_of_one_environment_share_its_entries(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3.11").write_text("")
    for name in ("python", "python3"):
        (tmp_path / "bin" / name).symlink_to("python3.11")
    in_environment(monkeypatch, tmp_path, executable=tmp_path / "bin" / "python")
    first = cache.environment()
    in_environment(monkeypatch, tmp_path, executable=tmp_path / "bin" / "python3")
    assert cache.environment() == first


def test_a_second_environment_does_not_invalidate_the_first(folder, tmp_path, monkeypatch):
    computed = []

    def compute(value):
        def run():
            computed.append(value)
            return value

        return run

    for _turn in range(2):  # the two environments take turns, as two venvs sharing ~/.cache would
        for name in ("one", "two"):
            (tmp_path / name).mkdir(exist_ok=True)
            in_environment(monkeypatch, tmp_path / name)
            assert cache.cached("entry-points", f"{name} fingerprint", compute(name)) == name
    assert computed == ["one", "two"]  # each computed once, then read back in every later turn


def test_the_entries_of_a_deleted_environment_are_removed(folder, tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    in_environment(monkeypatch, gone)
    cache.cached("registry", "x", lambda: 1)
    old = Path(cache.cache_path("registry"))
    assert old.exists()
    gone.rmdir()
    (tmp_path / "kept").mkdir()
    in_environment(monkeypatch, tmp_path / "kept")
    cache.cached("registry", "x", lambda: 2)
    assert not old.exists() and Path(cache.cache_path("registry")).exists()
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".prefix"]


def test_the_registry_comes_back_from_the_cache_as_the_same_records(folder):
    from progdsl.registry import _builtin_exercises, builtin_registry

    builtin_registry.cache_clear()
    try:
        builtin_registry()  # computes, and stores
        path = Path(cache.cache_path("registry"))
        assert path.exists()
        builtin_registry.cache_clear()
        again = {e.id: e for e in builtin_registry()}  # read back, typed, by msgspec
        fresh = {e.id: e for e in _builtin_exercises()}
        assert again == fresh
        assert all(again[id].figure == fresh[id].figure for id in fresh)
        path.write_text('{"fingerprint": "an older layout", "value": {}}')
        builtin_registry.cache_clear()
        assert {e.id: e for e in builtin_registry()} == fresh  # not of the type asked: computed again
    finally:
        builtin_registry.cache_clear()
