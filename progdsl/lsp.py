"""`progdsl lsp`: a language server over standard input and output, for any editor.

The answers come from `assist.py` and the compiler; this module only translates
between them and the protocol (pygls and lsprotocol). The protocol counts columns in
UTF-16 code units from 0, progdsl in characters from 1: `_position` and `_span`
convert. Diagnostics are published a moment after the last change (`DEBOUNCE_S`),
so a fast typist does not pay for a check on every key.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from . import assist
from .compiler import Result
from .diagnostics import Diagnostic
from .registry import Registry, builtin_registry
from .source import Span
from .version import __version__

DEBOUNCE_S = 0.3

_KINDS = {
    "exercise": types.CompletionItemKind.Function,
    "keyword": types.CompletionItemKind.Keyword,
    "code": types.CompletionItemKind.Constant,
    "colour": types.CompletionItemKind.Color,
    "unit": types.CompletionItemKind.Unit,
}


class ProgramServer(LanguageServer):
    """The server, with the last check of each open document kept for hover and fixes."""

    def __init__(self) -> None:
        super().__init__("progdsl", __version__)
        self.results: dict[str, Result] = {}
        self.registries: dict[str, Registry] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}

    def registry_for(self, uri: str) -> Registry:
        """The registry the document was last checked against (its clinic's, if any)."""
        return self.registries.get(uri) or builtin_registry()


server = ProgramServer()


def _path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _utf16(text: str, chars: int) -> int:
    """Characters → UTF-16 code units, for the first `chars` characters of `text`."""
    prefix = text[:chars]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def _chars(text: str, units: int) -> int:
    """UTF-16 code units → characters."""
    count = 0
    for index, ch in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _range(text: str, span: Span) -> types.Range:
    start = types.Position(span.line - 1, _utf16(_line(text, span.line), span.col - 1))
    end = types.Position(span.end_line - 1, _utf16(_line(text, span.end_line), span.end_col - 1))
    return types.Range(start, end)


def _cursor(text: str, position: types.Position) -> tuple[int, int]:
    """A protocol position as progdsl's 1-based line and character column."""
    line = position.line + 1
    return line, _chars(_line(text, line), position.character) + 1


def _diagnostic(text: str, found: Diagnostic) -> types.Diagnostic:
    severity = types.DiagnosticSeverity.Error if found.is_error else types.DiagnosticSeverity.Warning
    message = found.message + (f"\nhelp: {found.help}" if found.help else "")
    if found.source is not None:  # a fault in a clinic registry file: shown on the first line
        message = f"{found.source.name}:{found.span.line}:{found.span.col}: {message}"
        where = types.Range(types.Position(0, 0), types.Position(0, 0))
    else:
        where = _range(text, found.span)
    return types.Diagnostic(where, message, severity=severity, code=found.code, source="progdsl")


def publish(ls: ProgramServer, uri: str) -> None:
    """Check the document as it is now and send its diagnostics."""
    document = ls.workspace.get_text_document(uri)
    text = document.source
    result, registry = assist.check(text, _path(uri))
    ls.results[uri] = result
    if registry is not None:
        ls.registries[uri] = registry
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri, [_diagnostic(text, d) for d in result.diagnostics], document.version)
    )


def _later(ls: ProgramServer, uri: str) -> None:
    old = ls.pending.pop(uri, None)
    if old is not None:
        old.cancel()
    ls.pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_S, publish, ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ProgramServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ProgramServer, params: types.DidChangeTextDocumentParams) -> None:
    _later(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ProgramServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ProgramServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.results.pop(uri, None)
    ls.registries.pop(uri, None)
    pending = ls.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" "]))
def completion(ls: ProgramServer, params: types.CompletionParams) -> types.CompletionList:
    text = ls.workspace.get_text_document(params.text_document.uri).source
    line, col = _cursor(text, params.position)
    items = [
        types.CompletionItem(
            label=c.label,
            kind=_KINDS[c.kind],
            detail=c.detail or None,
            documentation=types.MarkupContent(types.MarkupKind.Markdown, c.documentation) if c.documentation else None,
            sort_text=c.order or None,
        )
        for c in assist.completions(text, line, col, ls.registry_for(params.text_document.uri))
    ]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: ProgramServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    line, col = _cursor(text, params.position)
    result = ls.results.get(uri)
    found = assist.hover(text, line, col, ls.registry_for(uri), result if result and result.ok else None)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, found)) if found else None


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: ProgramServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    result = ls.results.get(uri) or assist.check(text, _path(uri))[0]
    first, last = params.range.start.line + 1, params.range.end.line + 1
    wanted = [d for d in result.diagnostics if d.source is None and first <= d.span.line <= last]
    return [
        types.CodeAction(
            title=fix.title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[_diagnostic(text, fix.diagnostic)],
            is_preferred=fix.preferred or None,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(_range(text, fix.edit.span), fix.edit.text)]}),
        )
        for fix in assist.fixes(text, wanted)
    ]


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: ProgramServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    text = ls.workspace.get_text_document(params.text_document.uri).source

    def convert(symbol: assist.Symbol) -> types.DocumentSymbol:
        kind = types.SymbolKind.Namespace if symbol.kind == "phase" else types.SymbolKind.Event
        return types.DocumentSymbol(
            name=symbol.name,
            kind=kind,
            range=_range(text, symbol.span),
            selection_range=_range(text, symbol.header),
            detail=symbol.kind,
            children=[convert(child) for child in symbol.children],
        )

    return [convert(symbol) for symbol in assist.outline(text)]


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: ProgramServer, params: types.DefinitionParams) -> types.Location | None:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    named = assist.linked_file(text, params.position.line + 1)
    if named is None:
        return None
    target = (Path(_path(uri)).parent / named).resolve()
    if not target.is_file():
        return None
    start = types.Position(0, 0)
    return types.Location(target.as_uri(), types.Range(start, start))


def serve() -> None:
    """Run the server on standard input and output until the editor closes it."""
    server.start_io()
