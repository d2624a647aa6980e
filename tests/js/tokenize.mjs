// Tokenizes .prog files with vscode-textmate (VS Code's own TextMate engine) and the progdsl
// grammar, and prints, as JSON, every piece of text the grammar leaves unscoped or marks invalid.
// Usage: node tokenize.mjs NODE_MODULES GRAMMAR.json FILE.prog...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.argv[2], "noop.js"));
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const wasm = readFileSync(join(process.argv[2], "vscode-oniguruma", "release", "onig.wasm")).buffer;
await oniguruma.loadWASM(wasm);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async () => textmate.parseRawGrammar(readFileSync(process.argv[3], "utf8"), process.argv[3]),
});
const grammar = await registry.loadGrammar("source.progdsl");

const faults = [];
for (const file of process.argv.slice(4)) {
  let state = textmate.INITIAL;
  readFileSync(file, "utf8").split("\n").forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      const bare = token.scopes.length === 1 && text.trim() !== "";
      const invalid = token.scopes.some((scope) => scope.startsWith("invalid"));
      if (bare || invalid) {
        faults.push({ file, line: index + 1, column: token.startIndex + 1, text, scopes: token.scopes });
      }
    }
    state = result.ruleStack;
  });
}
console.log(JSON.stringify(faults));
