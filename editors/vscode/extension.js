// The ladder extension for VS Code: starts `ladder lsp` (the setting
// ladder.path names the program) for .ladder documents, saved or not, and
// restarts it when a ladder.* setting changes.  Highlighting, comments and
// brackets come from package.json's grammar and language configuration.
'use strict';
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');

let client = null;
let output = null;

// initializationOptions (lsp.md): only the settings the user gave.
function initializationOptions(config) {
  const opts = {};
  const today = config.get('today');
  if (today) opts.today = today;
  if (config.get('strict')) opts.strict = true;
  const options = config.get('options');
  if (options && Object.keys(options).length) opts.options = options;
  const rules = config.get('rules');
  if (rules && Object.keys(rules).length) opts.rules = rules;
  let journal = config.get('journal');
  if (journal) {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    if (!path.isAbsolute(journal) && folder && folder.uri.scheme === 'file') {
      journal = path.join(folder.uri.fsPath, journal);
    }
    opts.journal = journal;
  }
  return opts;
}

async function start() {
  const config = vscode.workspace.getConfiguration('ladder');
  const program = config.get('path') || 'ladder';
  const serverOptions = { command: program, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'ladder' },
      { scheme: 'untitled', language: 'ladder' },
    ],
    synchronize: {
      // Journals that are not open still count (includes, the workspace's
      // journal): tell the server when one changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.ladder'),
    },
    initializationOptions: initializationOptions(config),
    outputChannel: output,
  };
  client = new LanguageClient('ladder', 'ladder', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    const pick = await vscode.window.showErrorMessage(
      `ladder: could not start "${program} lsp" (${err && err.message ? err.message : err}). ` +
      'Install ladder or set ladder.path.', 'Open Settings');
    if (pick) vscode.commands.executeCommand('workbench.action.openSettings', 'ladder.path');
  }
}

async function stop() {
  const c = client;
  client = null;
  if (c && c.state !== State.Stopped) {
    try { await c.stop(); } catch (err) { output.appendLine(`ladder: stopping the server: ${err}`); }
  }
}

async function restart() {
  await stop();
  await start();
}

function activate(context) {
  output = vscode.window.createOutputChannel('ladder');
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand('ladder.restartServer', restart));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('ladder') && !e.affectsConfiguration('ladder.trace')) restart();
  }));
  return start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
