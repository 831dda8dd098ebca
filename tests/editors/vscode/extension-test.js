// editors/vscode/extension.js, run under stand-ins for the `vscode` module
// and vscode-languageclient (no VS Code here): activation reads the ladder.*
// settings, builds the server command and initializationOptions as lsp.md
// says, restarts on a settings change; then the command it built is run
// for real: `<ladder.path> lsp` answers initialize with the options and
// ends with status 0 after shutdown and exit.
//   node extension-test.js EXTENSION_DIR LADDER WORKDIR
'use strict';
const path = require('path');
const Module = require('module');
const { spawn } = require('child_process');

const [extDir, ladder, work] = process.argv.slice(2);
let failures = 0;
function ok(cond, desc, detail) {
  process.stdout.write((cond ? 'ok - ' : 'not ok - ') + 'vscode extension: ' + desc + '\n');
  if (!cond) {
    failures++;
    if (detail !== undefined) process.stdout.write('#   ' + JSON.stringify(detail) + '\n');
  }
}

// --- stand-ins --------------------------------------------------------------
let settings = {
  path: ladder, journal: 'books/main.ladder', today: '2011-06-30', strict: true,
  options: { 'max-step': 3 }, rules: {}, 'trace.server': 'off',
};
const commands = {};
let configListener = null;
const clients = [];
const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (k) => (section === 'ladder' ? settings[k] : undefined) }),
    workspaceFolders: [{ uri: { scheme: 'file', fsPath: work } }],
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: (fn) => { configListener = fn; return { dispose() {} }; },
  },
  window: {
    createOutputChannel: (name) => ({ name, appendLine() {}, dispose() {} }),
    showErrorMessage: async () => undefined,
  },
  commands: {
    registerCommand: (name, fn) => { commands[name] = fn; return { dispose() {} }; },
    executeCommand: async () => undefined,
  },
};
const State = { Stopped: 1, Starting: 3, Running: 2 };
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, state: State.Stopped, stops: 0 });
    clients.push(this);
  }
  async start() { this.state = State.Running; }
  async stop() { this.stops++; this.state = State.Stopped; }
}
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode' || request === 'vscode-languageclient/node') return request;
  return origResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
require.cache['vscode-languageclient/node'] = {
  id: 'vscode-languageclient/node', filename: 'vscode-languageclient/node', loaded: true,
  exports: { LanguageClient, State },
};

// A configuration change event for the setting KEY, as VS Code makes it:
// it affects KEY and every section KEY is in.
const changed = (key) => ({
  affectsConfiguration: (section) => key === section || key.startsWith(section + '.'),
});

// --- the server, for real ---------------------------------------------------
function handshake(command, args, initializationOptions) {
  return new Promise((resolve) => {
    const p = spawn(command, args, { cwd: work, stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = Buffer.alloc(0);
    const replies = {};
    const send = (msg) => {
      const body = Buffer.from(JSON.stringify(msg), 'utf8');
      p.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      p.stdin.write(body);
    };
    p.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const m = /Content-Length: *(\d+)/i.exec(buf.slice(0, end).toString());
        const len = m ? Number(m[1]) : 0;
        if (buf.length < end + 4 + len) break;
        const msg = JSON.parse(buf.slice(end + 4, end + 4 + len).toString('utf8'));
        buf = buf.slice(end + 4 + len);
        if (msg.id !== undefined && !msg.method) replies[msg.id] = msg;
        if (msg.id === 1) {
          send({ jsonrpc: '2.0', method: 'initialized', params: {} });
          send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
        } else if (msg.id === 2) {
          send({ jsonrpc: '2.0', method: 'exit' });
          p.stdin.end();
        }
      }
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('error', (e) => { clearTimeout(timer); resolve({ error: String(e), replies }); });
    p.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, replies }); });
    send({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: {
        processId: process.pid, rootUri: 'file://' + work, capabilities: {},
        workspaceFolders: [{ uri: 'file://' + work, name: 'work' }], initializationOptions,
      },
    });
  });
}

async function main() {
  const ext = require(path.join(extDir, 'extension.js'));
  const context = { subscriptions: [] };
  await ext.activate(context);
  ok(clients.length === 1 && clients[0].state === State.Running, 'activate starts one language client');
  const c = clients[0];
  ok(c.serverOptions.command === ladder && JSON.stringify(c.serverOptions.args) === '["lsp"]',
    'the server is <ladder.path> lsp', c.serverOptions);
  const sel = c.clientOptions.documentSelector;
  ok(sel.some((s) => s.language === 'ladder' && s.scheme === 'file') &&
     sel.some((s) => s.language === 'ladder' && s.scheme === 'untitled'),
     'documents: ladder files, saved or untitled', sel);
  ok(c.clientOptions.synchronize.fileEvents.glob === '**/*.ladder', 'journals on disk are watched');
  const io = c.clientOptions.initializationOptions;
  ok(JSON.stringify(io) === JSON.stringify({
    today: '2011-06-30', strict: true, options: { 'max-step': 3 },
    journal: path.join(work, 'books/main.ladder'),
  }), 'initializationOptions: the settings given, the journal made absolute, empty ones left out', io);
  ok(typeof commands['ladder.restartServer'] === 'function', 'the restart command is registered');

  // A ladder.* setting changes: the client is stopped and a new one started.
  settings = Object.assign({}, settings, { strict: false, journal: '' });
  configListener(changed('ladder.strict'));
  await new Promise((r) => setTimeout(r, 50));
  ok(clients.length === 2 && c.stops === 1 && clients[1].state === State.Running &&
     JSON.stringify(clients[1].clientOptions.initializationOptions) ===
       JSON.stringify({ today: '2011-06-30', options: { 'max-step': 3 } }),
     'a settings change restarts the server with the new options',
     clients.map((x) => x.clientOptions.initializationOptions));
  configListener(changed('ladder.trace.server'));
  await new Promise((r) => setTimeout(r, 50));
  ok(clients.length === 2, 'ladder.trace.server alone restarts nothing');
  await ext.deactivate();
  ok(clients[1].state === State.Stopped, 'deactivate stops the client');

  // The command line the extension built, run for real.
  const r = await handshake(c.serverOptions.command, c.serverOptions.args, io);
  const init = r.replies[1];
  ok(init && init.result && init.result.capabilities &&
     init.result.capabilities.textDocumentSync !== undefined,
     'the command starts the server: initialize is answered with capabilities', init || r);
  ok(r.replies[2] && !r.replies[2].error, 'shutdown is answered', r.replies[2]);
  ok(r.code === 0, 'shutdown then exit: status 0', r);
}

main().then(() => process.exit(failures ? 1 : 0),
  (e) => { ok(false, 'the test ran: ' + (e && e.stack || e)); process.exit(1); });
