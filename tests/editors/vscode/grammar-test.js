// Checks editors/vscode/syntaxes/ladder.tmLanguage.json with the tokenizer
// VS Code itself uses (vscode-textmate on vscode-oniguruma): sample lines,
// the scopes of given tokens, and look-alikes that must not get them.
// Run by tests/scripts/vscode-grammar.sh:
//   NODE_PATH=<folder with the npm modules> node grammar-test.js GRAMMAR
// Prints one TAP line per assertion ("ok - ..." / "not ok - ...").
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = process.argv[2];
let failures = 0;
const out = (line) => process.stdout.write(line + '\n');
function ok(cond, desc, detail) {
  out((cond ? 'ok - ' : 'not ok - ') + desc);
  if (!cond) {
    failures++;
    if (detail) for (const l of detail.split('\n')) out('#   ' + l);
  }
}

// Tokenizes a document line by line (the state carries over, as in VS
// Code) and gives, for each line, the scopes of each character.
function tokenize(grammar, lines) {
  let stack = vsctm.INITIAL;
  return lines.map((text) => {
    const r = grammar.tokenizeLine(text, stack);
    stack = r.ruleStack;
    const chars = [];
    for (const t of r.tokens) {
      for (let i = t.startIndex; i < Math.min(t.endIndex, text.length); i++) chars[i] = t.scopes;
    }
    return { text, chars, tokens: r.tokens };
  });
}

const has = (scopes, q) => (scopes || []).some((s) => s === q || s.startsWith(q + '.'));

function describe(line) {
  return line.tokens
    .map((t) => JSON.stringify(line.text.slice(t.startIndex, t.endIndex)) + ' ' +
      t.scopes.filter((s) => s !== 'source.ladder').join(' '))
    .join('\n');
}

// Where the nth occurrence of `what` is on the line, or -1.
function find(text, what, nth) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(what, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

// is: `what` (its nth occurrence) is exactly one token of scope `scope`:
// every character has it, the characters on either side do not.
// isnt: no character of `what` has `scope`.
function check(doc, name, [kind, lineNo, what, scope, nth = 0]) {
  const line = doc[lineNo];
  const at = find(line.text, what, nth);
  const desc = `${name}, line ${lineNo + 1}: ${JSON.stringify(what)}${nth ? ' #' + (nth + 1) : ''} ` +
    `${kind === 'is' ? 'is' : 'is not'} ${scope}`;
  if (at < 0) return ok(false, desc, 'not found on the line: ' + line.text);
  const end = at + what.length;
  let good;
  if (kind === 'is') {
    good = true;
    for (let i = at; i < end; i++) good = good && has(line.chars[i], scope);
    if (at > 0) good = good && !has(line.chars[at - 1], scope);
    if (end < line.text.length) good = good && !has(line.chars[end], scope);
  } else {
    good = true;
    for (let i = at; i < end; i++) good = good && !has(line.chars[i], scope);
  }
  ok(good, desc, good ? '' : describe(line));
}

const spec = [
  '; Acme Corp pursuit, 2011',
  'option max-step 2',
  '',
  'client Acme Corp',
  '    alias acme',
  '',
  '2011-02-14 * (call) Acme Corp | First call with Jane, facilities lead',
  '    plan  intro',
  '    gave  Outline of seismic retrofit options',
  '    ask   intro  Introduction to the CFO  -> yes',
  '    next  2011-02-21 meeting  Budget walkthrough with the CFO',
  '',
  '2011-02-21 * (meeting) acme | Budget walkthrough',
  '    plan  needs',
  '    ask   needs  Last three years of maintenance spend  -> later',
  '    next  2011-03-01  Send spend data; review together',
  '',
  '2011-03-01 ! (call) acme | Review of spend data   ; ladder-ignore: no-plan',
];
const specChecks = [
  ['is', 0, '; Acme Corp pursuit, 2011', 'comment.line.semicolon'],
  ['isnt', 0, '2011', 'constant.numeric.date'],
  ['is', 1, 'option', 'keyword.control.directive'],
  ['is', 1, 'max-step', 'variable.parameter.option'],
  ['is', 1, '2', 'constant.numeric.integer'],
  ['is', 3, 'client', 'keyword.control.directive.client'],
  ['is', 3, 'Acme Corp', 'entity.name.function.client'],
  ['is', 4, 'alias', 'keyword.control.directive.alias'],
  ['is', 4, 'acme', 'entity.name.function.client'],
  ['is', 6, '2011-02-14', 'constant.numeric.date'],
  ['is', 6, '*', 'storage.modifier.status.held'],
  ['is', 6, '(', 'punctuation.definition.kind.begin'],
  ['is', 6, 'call', 'entity.name.type.kind'],
  ['is', 6, ')', 'punctuation.definition.kind.end'],
  ['is', 6, 'Acme Corp', 'entity.name.function.client'],
  ['is', 6, '|', 'punctuation.separator.title'],
  ['is', 6, 'First call with Jane, facilities lead', 'string.unquoted.title'],
  ['is', 7, 'plan', 'keyword.other.item.plan'],
  ['is', 7, 'intro', 'support.type.rung'],
  ['is', 8, 'gave', 'keyword.other.item.gave'],
  ['isnt', 8, 'Outline', 'support.type.rung'],
  ['is', 9, 'ask', 'keyword.other.item.ask'],
  ['is', 9, 'intro', 'support.type.rung'],
  ['isnt', 9, 'Introduction', 'support.type.rung'],
  ['is', 9, '->', 'keyword.operator.arrow'],
  ['is', 9, 'yes', 'constant.language.outcome.yes'],
  ['is', 10, 'next', 'keyword.other.item.next'],
  ['is', 10, '2011-02-21', 'constant.numeric.date'],
  ['is', 10, 'meeting', 'support.type.rung'],
  ['isnt', 10, 'Budget walkthrough with the CFO', 'support.type.rung'],
  ['is', 12, 'meeting', 'entity.name.type.kind'],
  ['is', 12, 'acme', 'entity.name.function.client'],
  ['is', 14, 'later', 'constant.language.outcome.later'],
  ['is', 15, '2011-03-01', 'constant.numeric.date'],
  ['isnt', 15, 'Send', 'support.type.rung'],
  ['isnt', 15, 'data; review together', 'comment'],
  ['is', 17, '!', 'storage.modifier.status.planned'],
  ['is', 17, 'Review of spend data', 'string.unquoted.title'],
  ['is', 17, '; ladder-ignore: no-plan', 'comment.line.semicolon'],
  ['is', 17, 'ladder-ignore', 'keyword.other.ladder-ignore'],
  ['is', 17, 'no-plan', 'constant.other.rule-id'],
];

const looks = [
  /* 0 */ '2011-02-14 * Acme #1 | Call #2 about the C# port',
  /* 1 */ '2011-02-14 10:30 Acme',
  /* 2 */ '2011-02-14 * 20:20 Vision | Intro',
  /* 3 */ '2011-02-14 ~ (call) Acme;East ;real comment',
  /* 4 */ '    ask   intro  A -> B -> yes, next week',
  /* 5 */ '    ask   intro  Outline -> maybe',
  /* 6 */ '    ask   intro  Tomorrow -> yesterday',
  /* 7 */ '    ask   intro  noted -> no: budget frozen ; was -> yes',
  /* 8 */ '    ask   intro  -> later',
  /* 9 */ '    planned intro',
  /* 10 */ '    plan  intr',
  /* 11 */ '    note  client Acme; the ladder-ignore trick',
  /* 12 */ '    next  none  Lost to a rival',
  /* 13 */ '    next  2011-03-01  Call back',
  /* 14 */ '    next  2011-03-01 14:00 proposal  Draft',
  /* 15 */ '    # indented hash comment',
  /* 16 */ 'clients Acme',
  /* 17 */ '# ladder-ignore',
  /* 18 */ 'rule over-ask error',
  /* 19 */ 'rule no-plan off ; ladder-ignore: stalled, one-sided -- walk-in visitor',
  /* 20 */ 'include other files/q1.ladder ; shared',
  /* 21 */ 'option touch-kinds email, lunch',
  /* 22 */ 'option since 2011-01-01',
  /* 23 */ 'ladder',
  /* 24 */ '    first   A first contact',
  /* 25 */ '    ; a comment in the block',
  /* 26 */ '# a column-1 comment does not end it',
  /* 27 */ '',
  /* 28 */ '    second  Second',
  /* 29 */ '2011-05-01 * (call) Acme | ladder no more',
  /* 30 */ '    ask   first  -> yes',
  /* 31 */ '2011-02-30x Acme',
  /* 32 */ '2011-6-3',
  /* 33 */ '2011-06-03 | no client ; gone',
  /* 34 */ '2011-06-03 Acme |; a comment at the start of the title',
];
const lookChecks = [
  ['is', 0, 'Acme #1', 'entity.name.function.client'],
  ['is', 0, 'Call #2 about the C# port', 'string.unquoted.title'],
  ['isnt', 0, '#', 'comment', 0],
  ['isnt', 0, '#', 'comment', 1],
  ['isnt', 0, '#', 'comment', 2],
  ['is', 1, '10:30', 'constant.numeric.time'],
  ['is', 1, 'Acme', 'entity.name.function.client'],
  ['is', 2, '20:20 Vision', 'entity.name.function.client'],
  ['isnt', 2, '20:20', 'constant.numeric.time'],
  ['is', 2, 'Intro', 'string.unquoted.title'],
  ['is', 3, '~', 'storage.modifier.status.cancelled'],
  ['is', 3, 'Acme;East', 'entity.name.function.client'],
  ['is', 3, ';real comment', 'comment.line.semicolon'],
  ['isnt', 4, '->', 'keyword.operator.arrow', 0],
  ['is', 4, '->', 'keyword.operator.arrow', 1],
  ['is', 4, 'yes', 'constant.language.outcome.yes'],
  ['isnt', 4, ', next week', 'constant.language.outcome'],
  ['isnt', 4, 'B', 'constant.language.outcome'],
  ['is', 5, 'maybe', 'invalid.illegal.outcome'],
  ['isnt', 5, 'maybe', 'constant.language.outcome'],
  ['isnt', 6, 'yesterday', 'constant.language.outcome'],
  ['isnt', 7, 'noted', 'constant.language.outcome'],
  ['is', 7, 'no', 'constant.language.outcome.no', 1],
  ['isnt', 7, ': budget frozen', 'constant.language.outcome'],
  ['is', 7, '; was -> yes', 'comment.line.semicolon'],
  ['isnt', 7, 'yes', 'constant.language.outcome'],
  ['is', 8, 'later', 'constant.language.outcome.later'],
  ['isnt', 9, 'planned', 'keyword.other.item'],
  ['isnt', 9, 'intro', 'support.type.rung'],
  ['is', 10, 'intr', 'support.type.rung'],
  ['is', 11, 'note', 'keyword.other.item.note'],
  ['isnt', 11, 'client', 'keyword.control.directive'],
  ['isnt', 11, 'Acme; the ladder-ignore trick', 'comment'],
  ['isnt', 11, 'ladder-ignore', 'keyword.other.ladder-ignore'],
  ['is', 12, 'none', 'constant.language.none'],
  ['isnt', 12, 'Lost', 'support.type.rung'],
  ['is', 13, '2011-03-01', 'constant.numeric.date'],
  ['isnt', 13, 'Call', 'support.type.rung'],
  ['is', 14, '14:00', 'constant.numeric.time'],
  ['is', 14, 'proposal', 'support.type.rung'],
  ['isnt', 14, 'Draft', 'support.type.rung'],
  ['is', 15, '# indented hash comment', 'comment.line.number-sign'],
  ['isnt', 16, 'clients', 'keyword.control.directive'],
  ['is', 17, '# ladder-ignore', 'comment.line.number-sign'],
  ['is', 17, 'ladder-ignore', 'keyword.other.ladder-ignore'],
  ['is', 18, 'rule', 'keyword.control.directive.rule'],
  ['is', 18, 'over-ask', 'constant.other.rule-id'],
  ['is', 18, 'error', 'support.constant.severity'],
  ['is', 19, 'off', 'support.constant.severity'],
  ['is', 19, 'stalled', 'constant.other.rule-id'],
  ['is', 19, 'one-sided', 'constant.other.rule-id'],
  ['is', 19, '--', 'punctuation.separator.reason'],
  ['isnt', 19, 'walk-in', 'constant.other.rule-id'],
  ['is', 19, '; ladder-ignore: stalled, one-sided -- walk-in visitor', 'comment.line.semicolon'],
  ['is', 20, 'include', 'keyword.control.directive.include'],
  ['is', 20, 'other files/q1.ladder', 'string.unquoted.path'],
  ['is', 20, '; shared', 'comment.line.semicolon'],
  ['is', 21, 'touch-kinds', 'variable.parameter.option'],
  ['is', 21, 'email, lunch', 'string.unquoted.value'],
  ['is', 22, '2011-01-01', 'constant.numeric.date'],
  ['is', 23, 'ladder', 'keyword.control.directive.ladder'],
  ['is', 24, 'first', 'support.type.rung'],
  ['is', 24, 'A first contact', 'string.unquoted.description'],
  ['is', 25, '; a comment in the block', 'comment.line.semicolon'],
  ['isnt', 25, 'a', 'support.type.rung'],
  ['is', 26, '# a column-1 comment does not end it', 'comment.line.number-sign'],
  ['is', 28, 'second', 'support.type.rung'],
  ['is', 29, '2011-05-01', 'constant.numeric.date'],
  ['isnt', 29, '2011-05-01', 'meta.block.ladder'],
  ['is', 29, 'call', 'entity.name.type.kind'],
  ['is', 29, 'ladder no more', 'string.unquoted.title'],
  ['is', 30, 'ask', 'keyword.other.item.ask'],
  ['is', 30, 'first', 'support.type.rung'],
  ['isnt', 30, 'first', 'string.unquoted.description'],
  ['isnt', 31, '2011-02-30', 'constant.numeric.date'],
  ['is', 32, '2011-6-3', 'constant.numeric.date'],
  ['isnt', 33, 'no client', 'entity.name.function.client'],
  ['is', 33, 'no client', 'string.unquoted.title'],
  ['is', 33, '; gone', 'comment.line.semicolon'],
  ['is', 34, 'Acme', 'entity.name.function.client'],
  ['is', 34, '; a comment at the start of the title', 'comment.line.semicolon'],
];

async function main() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.ladder') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  const grammar = await registry.loadGrammar('source.ladder');
  ok(grammar !== null, 'vscode-textmate loads the grammar as source.ladder');
  if (!grammar) return;

  // package.json points VS Code at this grammar for the language ladder.
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(grammarPath), '..', 'package.json'), 'utf8'));
  const g = pkg.contributes.grammars.find((x) => x.language === 'ladder');
  ok(g && g.scopeName === 'source.ladder' &&
     path.resolve(path.dirname(grammarPath), '..', g.path) === path.resolve(grammarPath),
     'package.json contributes this grammar for the language ladder');

  const a = tokenize(grammar, spec);
  for (const c of specChecks) check(a, 'spec journal', c);
  const b = tokenize(grammar, looks);
  for (const c of lookChecks) check(b, 'look-alikes', c);
}

main().then(() => process.exit(failures ? 1 : 0), (e) => {
  ok(false, 'the grammar test ran: ' + (e && e.stack || e));
  process.exit(1);
});
