"""The generated parser's LALR table, loaded straight from the generated module's data.

Lark rebuilds a stand-alone parser's table with its generic deserializer, which finds the
rule of each of the table's thousands of reduce actions through a namespace it builds afresh
each time: about a third of the time a check spends making its parser. `TableLoadingParser`
reads the same data directly. It is Lark's own LALR parser class with only `deserialize`
replaced, handed to Lark through its `_plugins` option (the hook lark-cython uses to supply
its own parser), so parsing, error recovery and interactive parsing are Lark's, unchanged.

The data is the generated module's, in the form Lark's stand-alone generator writes:
each state maps a token's number to `(0, next state)` for a shift, or to
`(1, {"@": rule})` for a reduce, where the rule is an entry of the memo Lark has already
loaded. tests/test_grammar.py checks the table against the one Lark's deserializer makes.
"""

from __future__ import annotations

from ._lark_standalone import IntParseTable, LALR_Parser, Reduce, _Parser


class TableLoadingParser(LALR_Parser):
    """Lark's LALR parser, made from the generated table without Lark's generic deserializer."""

    @classmethod
    def deserialize(cls, data, memo, callbacks, debug=False):  # type: ignore[override]  # as LALR_Parser's
        # The generated module numbers its actions as its data does (Shift 0, Reduce 1), so
        # only a reduce's rule needs looking up.
        tokens = data["tokens"]
        states = {
            state: {
                tokens[token]: (action, memo[argument["@"]] if action == Reduce else argument)
                for token, (action, argument) in actions.items()
            }
            for state, actions in data["states"].items()
        }
        parser = cls.__new__(cls)
        parser._parse_table = IntParseTable(states, data["start_states"], data["end_states"])
        parser.parser = _Parser(parser._parse_table, callbacks, debug)
        return parser


PLUGINS = {"LALR_Parser": TableLoadingParser}
