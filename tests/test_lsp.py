"""`progdsl lsp`, spoken to as an editor does: over stdio, through pygls's own client."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

PROGRAM = """\
program "Knee"
equipment mini_band(yellow, green), mat
phase "Early" 2w:
  session "Morning" daily:
    clam_shel 3x12 each side
    quad_set 3x10 hold 5s
    clam_shell 3x12 each side band yellow progress from 8 over 2w
"""


class Editor:
    """A client that remembers the diagnostics the server publishes."""

    def __init__(self, client: LanguageClient):
        self.client = client
        self.published: dict[str, asyncio.Queue] = {}

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def collect(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, asyncio.Queue()).put_nowait(params.diagnostics)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        queue = self.published.setdefault(uri, asyncio.Queue())
        return await asyncio.wait_for(queue.get(), timeout=30)

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="progdsl", version=1, text=text)
            )
        )
        return uri


def run(test):
    """Start the server, initialise it, run `test(editor)`, and shut it down."""

    async def main():
        client = LanguageClient("progdsl-tests", "1")
        editor = Editor(client)
        await client.start_io(sys.executable, "-m", "progdsl", "lsp")
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        try:
            await test(editor)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    asyncio.run(main())


def test_diagnostics_on_open_carry_code_and_help(tmp_path):
    async def test(editor: Editor):
        uri = editor.open(tmp_path / "knee.prog", PROGRAM)
        found = await editor.diagnostics(uri)
        unknown = [d for d in found if d.code == "E201"]
        assert len(unknown) == 1
        assert unknown[0].range.start == types.Position(4, 4)
        assert unknown[0].range.end == types.Position(4, 13)
        assert "did you mean `clam_shell`?" in unknown[0].message

    run(test)


def test_changes_are_checked_again_and_half_typed_lines_never_crash(tmp_path):
    async def test(editor: Editor):
        uri = editor.open(tmp_path / "knee.prog", PROGRAM)
        await editor.diagnostics(uri)
        typed = "    clam_shell 3x1"
        version = 1
        for end in range(1, len(typed) + 1):  # every prefix of a line, as it is typed
            version += 1
            editor.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    [types.TextDocumentContentChangeWholeDocument(text=PROGRAM + typed[:end])],
                )
            )
            items = await editor.client.text_document_completion_async(
                types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(7, end))
            )
            assert items is not None
        found = await editor.diagnostics(uri)  # debounced: one check after the last change
        assert any(d.code == "E201" for d in found)

    run(test)


def test_completion_offers_exercises_colours_and_codes(tmp_path):
    async def test(editor: Editor):
        text = PROGRAM + "    glute_bridge 3x10 band \n    bird_dog 3x8 each side allow \n    cla\n"
        uri = editor.open(tmp_path / "knee.prog", text)

        async def labels(line: int, character: int) -> list[str]:
            found = await editor.client.text_document_completion_async(
                types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
            )
            assert isinstance(found, types.CompletionList)
            return [item.label for item in found.items]

        assert await labels(7, 27) == ["yellow", "green"]
        codes = await labels(8, 33)
        assert "S506" in codes and "S102" in codes
        exercises = await labels(9, 7)
        assert "clam_shell" in exercises and "session" in exercises
        header = await labels(1, 0)
        assert "equipment" in header and "phase" in header and "clam_shell" not in header

    run(test)


def test_hover_explains_an_exercise_a_code_and_a_progression(tmp_path):
    async def test(editor: Editor):
        text = PROGRAM.replace("clam_shel 3x12", "clam_shell 3x12") + '    bird_dog 3x8 each side allow S102 "why"\n'
        uri = editor.open(tmp_path / "knee.prog", text)
        await editor.diagnostics(uri)

        async def hover(line: int, character: int) -> str:
            found = await editor.client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
            )
            assert found is not None and isinstance(found.contents, types.MarkupContent)
            return found.contents.value

        quad = await hover(5, 6)
        assert "quad set" in quad and "Region: knee" in quad
        progression = await hover(6, 6)
        assert "week 1" in progression and "week 2" in progression
        assert "S102" in await hover(7, 33)

    run(test)


def test_quick_fixes_apply_the_suggestion_add_each_side_and_allow(tmp_path):
    async def test(editor: Editor):
        async def fixes(uri: str, line: int) -> dict[str, types.TextEdit]:
            await editor.diagnostics(uri)
            found = await editor.client.text_document_code_action_async(
                types.CodeActionParams(
                    types.TextDocumentIdentifier(uri),
                    types.Range(types.Position(line, 0), types.Position(line, 0)),
                    types.CodeActionContext(diagnostics=[]),
                )
            )
            return {a.title: a.edit.changes[uri][0] for a in found or [] if isinstance(a, types.CodeAction) and a.edit}

        typo = editor.open(tmp_path / "typo.prog", PROGRAM)
        edit = (await fixes(typo, 4))["Change to `clam_shell`"]
        assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (4, 13, "clam_shell")

        clean = PROGRAM.replace("clam_shel 3x12", "clam_shell 3x12") + "    dead_bug 3x8\n"
        warned = editor.open(tmp_path / "warned.prog", clean)
        one_sided = await fixes(warned, 7)
        each_side = one_sided["Add `each side`"]
        assert (each_side.range.start.character, each_side.new_text) == (16, " each side")
        allow = one_sided["Set S506 aside on this line (write the reason)"]
        assert (allow.range.start.character, allow.new_text) == (16, ' allow S506 ""')

    run(test)


def test_outline_and_go_to_registry_file(tmp_path):
    registry = tmp_path / "clinic.toml"
    registry.write_text("", encoding="utf-8")

    async def test(editor: Editor):
        text = 'registry "clinic.toml"\n' + PROGRAM
        uri = editor.open(tmp_path / "knee.prog", text)
        symbols = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
        )
        assert [(s.name, [c.name for c in s.children or []]) for s in symbols or []] == [("Early", ["Morning"])]
        location = await editor.client.text_document_definition_async(
            types.DefinitionParams(types.TextDocumentIdentifier(uri), types.Position(0, 12))
        )
        assert isinstance(location, types.Location)
        assert location.uri == registry.resolve().as_uri()

    run(test)


@pytest.mark.parametrize("line", ["\t", "phase", 'phase "', "  session 3x/", "    clam_shell 3x12 progress to"])
def test_assist_answers_every_half_typed_line(line):
    from progdsl import assist
    from progdsl.registry import builtin_registry

    text = 'program "x"\n' + line + "\n"
    for col in range(1, len(line) + 2):
        assist.completions(text, 2, col, builtin_registry())
        assist.hover(text, 2, col, builtin_registry())
    assist.outline(text)
    assist.fixes(text, assist.check(text, "x.prog")[0].diagnostics)
