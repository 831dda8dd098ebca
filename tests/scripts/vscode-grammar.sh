#!/usr/bin/env bash
# VS Code: editors/vscode's TextMate grammar, tokenized by the library VS
# Code itself uses (npm vscode-textmate on vscode-oniguruma), on sample
# lines: the scopes of given tokens, and look-alikes that must not get them
# (tests/editors/vscode/grammar-test.js).  Also: the extension's JSON files
# parse and agree with each other, and extension.js, run under stand-ins
# for VS Code's modules, starts `ladder lsp` with the settings as lsp.md
# says (tests/editors/vscode/extension-test.js).
# The npm modules are installed into build/node (never into the sources;
# once for the normal and the sanitizer runs) when node and npm are present;
# without them the test is skipped (a TAP "# SKIP" line, counted as skipped
# by tests/harness.sh).
. "$(dirname "$0")/../editors/lib.sh"
EXT=$TOP/editors/vscode
TEXTMATE=vscode-textmate@9.3.2 ONIGURUMA=vscode-oniguruma@2.0.1

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "ok - the VS Code grammar # SKIP node or npm is not installed"
    exit 0
fi

# The modules, once per build folder (a stamp names the versions).
MODS=$TOP/build/node/vscode-grammar
stamp="$TEXTMATE $ONIGURUMA"
if [ "$(cat "$MODS/stamp" 2>/dev/null)" != "$stamp" ] \
   || [ ! -f "$MODS/node_modules/vscode-textmate/package.json" ] \
   || [ ! -f "$MODS/node_modules/vscode-oniguruma/release/onig.wasm" ]; then
    rm -rf "$MODS" && mkdir -p "$MODS" && echo '{"private": true}' >"$MODS/package.json"
    if (cd "$MODS" && timeout 300 npm install --no-audit --no-fund --no-save --loglevel=error \
            --cache "$WORK/npm-cache" "$TEXTMATE" "$ONIGURUMA") >"$WORK/npm.log" 2>&1; then
        echo "$stamp" >"$MODS/stamp"
        ok "npm installed $TEXTMATE and $ONIGURUMA into $MODS"
    else
        not_ok "npm installs $TEXTMATE and $ONIGURUMA"; sed 's/^/#   /' "$WORK/npm.log" | tail -n 30
        finish
    fi
fi

# The extension's manifest files are JSON, and package.json names them.
for f in package.json language-configuration.json syntaxes/ladder.tmLanguage.json; do
    check "editors/vscode/$f is valid JSON" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$EXT/$f"
done
check "package.json: language ladder for .ladder files, its configuration, a ladder.path setting, main extension.js depending on vscode-languageclient" \
    node -e '
const fs = require("fs"), path = require("path"), dir = process.argv[1];
const p = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
const lang = p.contributes.languages.find((l) => l.id === "ladder");
const ok = lang && lang.extensions.includes(".ladder")
  && fs.existsSync(path.join(dir, lang.configuration))
  && p.contributes.configuration.properties["ladder.path"].default === "ladder"
  && p.activationEvents.includes("onLanguage:ladder")
  && fs.existsSync(path.join(dir, p.main))
  && typeof p.dependencies["vscode-languageclient"] === "string";
process.exit(ok ? 0 : 1);' "$EXT"
check "language-configuration.json: ; is the line comment, ( ) pair up" \
    node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
process.exit(c.comments.lineComment === ";" && JSON.stringify(c.brackets) === JSON.stringify([["(", ")"]]) ? 0 : 1);' \
    "$EXT/language-configuration.json"
check "language-configuration.json: Enter indents after a header, client or ladder line; a date typed indented goes back to column 1" \
    node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).indentationRules;
const inc = new RegExp(r.increaseIndentPattern), dec = new RegExp(r.decreaseIndentPattern);
const yes = ["2011-02-14 * (call) Acme | x", "2011/2/14", "client Acme Corp", "ladder"].every((l) => inc.test(l))
  && ["    2011-02-15", "\tclient Globex", "    include q2.ladder"].every((l) => dec.test(l));
const no = ["clients", "    plan  intro", "; 2011-02-14", "ladders"].some((l) => inc.test(l))
  || ["    plan  intro", "    clientele", "    note 2011-02-14"].some((l) => dec.test(l));
process.exit(yes && !no ? 0 : 1);' "$EXT/language-configuration.json"
check "extension.js is valid JavaScript" node --check "$EXT/extension.js"

# extension.js under stand-ins for VS Code's modules, and the server it
# starts (when the ladder under test has one).
if [ -x "$LADDER" ] && "$LADDER" --help 2>&1 | grep -q 'ladder lsp'; then
    mkdir -p "$WORK/ext/books"
    timeout 60 node "$EDITORS/vscode/extension-test.js" "$EXT" "$LADDER" "$WORK/ext" >"$WORK/ext.txt" 2>&1
    rc=$?
    cat "$WORK/ext.txt"
    count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/ext.txt")))
    fails=$((fails + $(grep -c '^not ok ' "$WORK/ext.txt")))
    is "$rc" "$([ "$(grep -c '^not ok ' "$WORK/ext.txt")" -gt 0 ] && echo 1 || echo 0)" "the extension test exits as its assertions say"
else
    echo "ok - the VS Code extension's client # SKIP $LADDER has no lsp command"
fi

NODE_PATH=$MODS/node_modules timeout 120 node "$EDITORS/vscode/grammar-test.js" \
    "$EXT/syntaxes/ladder.tmLanguage.json" >"$WORK/tap.txt" 2>&1
rc=$?
cat "$WORK/tap.txt"
count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/tap.txt")))
fails=$((fails + $(grep -c '^not ok ' "$WORK/tap.txt")))
is "$rc" "$([ "$(grep -c '^not ok ' "$WORK/tap.txt")" -gt 0 ] && echo 1 || echo 0)" "the grammar test exits as its assertions say"
finish
