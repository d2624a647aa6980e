"""The editor support in editors/: the VS Code manifest and the TextMate grammar."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from npm import npm_packages

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "progdsl.tmLanguage.json"


def test_the_extension_starts_the_language_server_for_prog_files():
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    assert language["extensions"] == [".prog"]
    assert manifest["contributes"]["grammars"][0]["path"] == "./syntaxes/progdsl.tmLanguage.json"
    assert manifest["contributes"]["configuration"]["properties"]["progdsl.command"]["default"] == ["progdsl", "lsp"]
    assert (VSCODE / manifest["main"]).is_file()


def _faults(*files: Path) -> list[dict]:
    modules = npm_packages(".textmate", "vscode-textmate@9", "vscode-oniguruma@2")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "tokenize.mjs"), str(modules), str(GRAMMAR), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_grammar_scopes_every_example_program_without_a_gap():
    programs = sorted((ROOT / "programs").rglob("*.prog"))
    assert programs
    assert _faults(*programs) == []


def test_the_grammar_marks_what_is_not_the_language(tmp_path):
    odd = tmp_path / "odd.prog"
    odd.write_text('program "x"\nphase "A" 2w daily:\n  clam_shell 3x12 ; each side\n', encoding="utf-8")
    assert [(f["line"], f["text"]) for f in _faults(odd)] == [(3, ";")]


def _complete(words: str) -> list[str]:
    from click.testing import CliRunner

    from progdsl.cli import main

    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_PROGDSL_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = CliRunner().invoke(main, [], env=env, prog_name="progdsl")
    return [line.split(",", 1)[1] for line in done.output.splitlines()]


def test_shell_completion_offers_exercise_ids_backends_and_codes():
    assert "clam_shell" in _complete("progdsl exercise clam")
    assert _complete("progdsl build x.prog --to ") == ["html", "ics", "json", "pdf", "summary"]
    assert "S102" in _complete("progdsl explain S1") and "E201" not in _complete("progdsl explain S1")
    assert "E201" in _complete("progdsl explain e2")
    assert "S506" in _complete("progdsl check x.prog --select S5")
