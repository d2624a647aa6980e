// Starts `progdsl lsp` for .prog files; everything else (diagnostics, completion, hover, quick
// fixes, outline) comes from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("progdsl").get("command");
  client = new LanguageClient(
    "progdsl",
    "progdsl",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "progdsl" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
