-- Neovim's built-in LSP client (0.7: vim.lsp.start_client and
-- buf_attach_client) against `ladder lsp`: diagnostics on an unsaved buffer
-- (positions converted from UTF-16 on a non-ASCII line), notes as related
-- information, live relinting of edits, completion of clients, rungs and
-- outcomes, go to definition, a quick fix applied, shutdown.
-- Run by tests/scripts/nvim-lsp.sh:
--   nvim --headless -u NONE -i NONE -n -c 'luafile THIS'
-- Environment: LADDER, WORK (sample.ladder, warnings.ladder and ladder's
-- gcc output for them in expected.txt, expected-w.txt), TAP_OUT.
local tap = {}
local function ok(cond, desc, ...)
  table.insert(tap, (cond and 'ok - ' or 'not ok - ') .. desc)
  if not cond then
    for _, more in ipairs({ ... }) do
      for line in (type(more) == 'string' and more or vim.inspect(more)):gmatch('[^\n]+') do
        table.insert(tap, '#   ' .. line)
      end
    end
  end
  return cond
end
local function is(got, want, desc)
  return ok(vim.deep_equal(got, want), desc, 'got:  ' .. vim.inspect(got), 'want: ' .. vim.inspect(want))
end
local function skip(desc, why)
  table.insert(tap, 'ok - ' .. desc .. ' # SKIP ' .. why)
end

local LADDER = os.getenv('LADDER')
local WORK = os.getenv('WORK')
local TIMEOUT = 15000

-- ladder's gcc lines: {lnum (from 0), col (byte, from 0), severity, code, text}
local function read_gcc(file)
  local sev = { error = 1, warning = 2, note = 3 }
  local out = {}
  for _, line in ipairs(vim.fn.readfile(file)) do
    local l, c, s, text = line:match('^.-:(%d+):(%d+): (%a+): (.*)$')
    if l then
      local code = text:match(' %[([%w_-]+)%]$')
      if code then
        text = text:sub(1, #text - #code - 3)
      end
      table.insert(out, { lnum = tonumber(l) - 1, col = tonumber(c) - 1, severity = sev[s], code = code, text = text })
    end
  end
  return out
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function sorted(list)
  table.sort(list, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    if a[2] ~= b[2] then return a[2] < b[2] end
    return tostring(a[4]) < tostring(b[4])
  end)
  return list
end

-- The diagnostics ladder lint reports (notes aside: they are related
-- information), against what Neovim shows.
local function compare(bufnr, expected_file, what)
  local want, got = {}, {}
  for _, w in ipairs(read_gcc(expected_file)) do
    if w.code then table.insert(want, { w.lnum, w.col, w.severity, w.code }) end
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(got, { d.lnum, d.col, d.severity, code_of(d) })
  end
  ok(#want > 0, what .. ': ladder lint reports something to compare')
  is(sorted(got), sorted(want), what .. ': line, byte column, severity and rule of every diagnostic')
  -- The message: ladder lint's text, the rule id apart (in code).
  for _, w in ipairs(read_gcc(expected_file)) do
    if w.code then
      local found
      for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = w.lnum })) do
        if code_of(d) == w.code then found = d end
      end
      ok(found and (found.message == w.text or found.message == w.text .. ' [' .. w.code .. ']')
        and found.source == 'ladder',
        what .. ': ' .. w.code .. ' at line ' .. (w.lnum + 1) .. ' has ladder lint\'s message and source ladder',
        found and found.message or 'no diagnostic', w.text)
    end
  end
end

local function wait_for(pred, ms)
  return vim.wait(ms or TIMEOUT, pred, 20)
end

local function count_code(bufnr, code)
  local n = 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == code then n = n + 1 end
  end
  return n
end

local function request(bufnr, method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if not res then return nil, err end
  for _, r in pairs(res) do
    if r.error then return nil, r.error end
    return r.result
  end
  return nil, 'no answer'
end

local function labels(result)
  local items = result and (result.items or result) or {}
  local out = {}
  for _, it in ipairs(items) do out[it.label] = true end
  return out, #items
end

local function test()
  vim.cmd('edit ' .. vim.fn.fnameescape(WORK .. '/unsaved.ladder'))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'ladder'
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.fn.readfile(WORK .. '/sample.ladder'))
  local uri = vim.uri_from_bufnr(buf)

  local exit_code
  local client_id = vim.lsp.start_client({
    name = 'ladder',
    cmd = { LADDER, 'lsp' },
    root_dir = WORK,
    init_options = { today = '2011-06-30' },
    on_exit = function(code) exit_code = code end,
  })
  if not ok(client_id ~= nil, 'vim.lsp.start_client starts ladder lsp') then return end
  ok(vim.lsp.buf_attach_client(buf, client_id), 'the unsaved buffer is attached')
  local client = vim.lsp.get_client_by_id(client_id)
  if not ok(wait_for(function() return client.initialized or exit_code ~= nil end) and exit_code == nil,
      'the server answers initialize', 'exit code: ' .. tostring(exit_code)) then
    return
  end
  local caps = client.server_capabilities or client.resolved_capabilities or {}

  -- Diagnostics of the unsaved text, as ladder lint reports them.
  local n_want = 0
  for _, w in ipairs(read_gcc(WORK .. '/expected.txt')) do
    if w.code then n_want = n_want + 1 end
  end
  ok(wait_for(function() return #vim.diagnostic.get(buf) >= n_want end),
    'diagnostics arrive for the unsaved buffer', #vim.diagnostic.get(buf) .. ' of ' .. n_want)
  compare(buf, WORK .. '/expected.txt', 'sample')
  ok(vim.fn.filereadable(WORK .. '/unsaved.ladder') == 0, 'the buffer was never written')

  -- Notes as related information: warnings.ladder's duplicate entry.
  vim.cmd('edit ' .. vim.fn.fnameescape(WORK .. '/warnings-unsaved.ladder'))
  local wbuf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(wbuf, 0, -1, false, vim.fn.readfile(WORK .. '/warnings.ladder'))
  vim.lsp.buf_attach_client(wbuf, client_id)
  ok(wait_for(function() return count_code(wbuf, 'duplicate-entry') == 1 end), 'warnings: diagnostics arrive')
  compare(wbuf, WORK .. '/expected-w.txt', 'warnings')
  local dup
  for _, d in ipairs(vim.diagnostic.get(wbuf)) do
    if code_of(d) == 'duplicate-entry' then dup = d end
  end
  local rel = dup and dup.user_data and dup.user_data.lsp and dup.user_data.lsp.relatedInformation or {}
  ok(#rel == 1 and rel[1].location.range.start.line == 3 and rel[1].location.uri == vim.uri_from_bufnr(wbuf),
    'warnings: the note of duplicate-entry is its related information, at line 4', rel)
  vim.cmd('buffer ' .. buf)

  -- Edits are relinted without saving: fix the two errors.
  vim.api.nvim_buf_set_lines(buf, 9, 10, false, { (vim.api.nvim_buf_get_lines(buf, 9, 10, false)[1]:gsub('intr ', 'intro')) })
  vim.api.nvim_buf_set_lines(buf, 14, 15, false, { (vim.api.nvim_buf_get_lines(buf, 14, 15, false)[1]:gsub('maybe', 'later')) })
  ok(wait_for(function()
    return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) == 0
  end), 'fixing the unsaved buffer clears its errors',
    vim.tbl_map(function(d) return d.lnum .. ':' .. d.col .. ' ' .. tostring(code_of(d)) end,
      vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })))
  ok(count_code(buf, 'overdue-next') == 1, 'the warnings stay (overdue-next)')

  -- UTF-16: after a character outside the BMP (two code units) the server
  -- counts what Neovim counts; a long comment keeps the wrong count inside
  -- the line (Neovim keeps a position past the line's end as it is).
  local zoe = '    ask   needs  Zoë 😀 budget -> maybe ; ' .. string.rep('padding ', 6)
  vim.api.nvim_buf_set_lines(buf, 14, 15, false, { zoe })
  local at = zoe:find('maybe', 1, true) - 1
  ok(wait_for(function()
    for _, d in ipairs(vim.diagnostic.get(buf, { lnum = 14 })) do
      if code_of(d) == 'syntax' then return d.col == at and d.end_col == at + 5 end
    end
  end), 'after Zoë 😀 the syntax error covers maybe: bytes ' .. at .. '-' .. (at + 5),
    vim.tbl_map(function(d) return { d.col, d.end_col, code_of(d) } end, vim.diagnostic.get(buf, { lnum = 14 })))
  vim.api.nvim_buf_set_lines(buf, 14, 15, false, { '    ask   needs  Zoë 😀 budget -> later' })

  -- Completion, where lsp.md says.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '', '2011-03-10 * (call) ' })
  local names, n = labels(request(buf, 'textDocument/completion',
    { textDocument = { uri = uri }, position = { line = last + 1, character = 20 } }))
  ok(names['Acme Corp'] and names['acme'], 'completion after a header\'s date: the client and its alias', names, n)
  -- The name being typed is not a client of the journal yet.
  vim.api.nvim_buf_set_lines(buf, last + 1, last + 2, false, { '2011-03-10 * (call) Ac' })
  local typed = labels(request(buf, 'textDocument/completion',
    { textDocument = { uri = uri }, position = { line = last + 1, character = 22 } }))
  ok(typed['Acme Corp'] and not typed['Ac'], 'completion of a partly typed name: not the partial name itself', typed)
  vim.api.nvim_buf_set_lines(buf, last + 1, last + 2, false, { '2011-03-10 * (call) acme', '    ask   ' })
  local rungs = labels(request(buf, 'textDocument/completion',
    { textDocument = { uri = uri }, position = { line = last + 2, character = 10 } }))
  local all = true
  for _, r in ipairs({ 'intro', 'meeting', 'needs', 'strategy', 'visit', 'reference', 'proposal', 'contract' }) do
    all = all and rungs[r] == true
  end
  ok(all, 'completion after ask: the eight rungs of the default ladder', rungs)
  vim.api.nvim_buf_set_lines(buf, last + 2, last + 3, false, { '    ask   meeting  Lunch with the CFO  -> ' })
  local outcomes = labels(request(buf, 'textDocument/completion',
    { textDocument = { uri = uri }, position = { line = last + 2, character = 42 } }))
  ok(outcomes.yes and outcomes.no and outcomes.later, 'completion after ->: yes, no, later', outcomes)
  vim.api.nvim_buf_set_lines(buf, last, -1, false, {})

  -- Go to definition: an alias in a header leads to its client directive.
  local def = request(buf, 'textDocument/definition',
    { textDocument = { uri = uri }, position = { line = 12, character = 25 } })
  if def and def.uri then def = { def } end
  local loc = def and def[1]
  ok(loc and (loc.uri or loc.targetUri) == uri and (loc.range or loc.targetSelectionRange).start.line == 3,
    'definition of acme: the client directive at line 4', def)

  -- Hover on a client's name: where its climb stands.
  local hover = request(buf, 'textDocument/hover',
    { textDocument = { uri = uri }, position = { line = 6, character = 22 } })
  local htext = hover and hover.contents and (hover.contents.value or vim.inspect(hover.contents)) or ''
  ok(htext:find('Acme Corp', 1, true) and htext:lower():find('level', 1, true),
    'hover on Acme Corp in a header: its name and level', hover)

  -- The outline: clients, and entries.
  local symbols = request(buf, 'textDocument/documentSymbol', { textDocument = { uri = uri } }) or {}
  local names = {}
  local function walk(list)
    for _, sym in ipairs(list) do
      table.insert(names, sym.name)
      walk(sym.children or {})
    end
  end
  walk(symbols)
  local joined = table.concat(names, '\n')
  ok(vim.tbl_contains(names, 'Acme Corp') and joined:find('2011-02-14', 1, true)
    and joined:find('2011-02-21', 1, true),
    'document symbols: the client and both entries', names)

  -- A quick fix: unknown-rung's nearest rung, applied to the buffer.
  vim.api.nvim_buf_set_lines(buf, 9, 10, false, { '    ask   intr  Introduction to the CFO  -> yes' })
  ok(wait_for(function() return count_code(buf, 'unknown-rung') == 1 end), 'the unknown rung is back')
  if not caps.codeActionProvider and not caps.code_action then
    skip('a quick fix applied', 'the server offers no code actions')
  else
    local lspdiags = vim.lsp.diagnostic.get_line_diagnostics(buf, 9, {}, client_id)
    local actions = request(buf, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = { line = 9, character = 10 }, ['end'] = { line = 9, character = 14 } },
      context = { diagnostics = lspdiags },
    }) or {}
    local fix
    for _, a in ipairs(actions) do
      local text = vim.inspect(a.edit or {})
      if a.edit and text:find('"intro"', 1, true) and not text:find('ladder-ignore', 1, true) then fix = a end
    end
    if ok(fix ~= nil, 'code actions at the unknown rung include one that writes intro',
        vim.tbl_map(function(a) return a.title end, actions)) then
      ok(fix.kind == nil or fix.kind:find('^quickfix') ~= nil, 'it is a quick fix', fix.kind)
      vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
      is(vim.api.nvim_buf_get_lines(buf, 9, 10, false)[1], '    ask   intro  Introduction to the CFO  -> yes',
        'the quick fix is applied to the buffer')
      ok(wait_for(function() return count_code(buf, 'unknown-rung') == 0 end), 'and the diagnostic goes')
      local ignore
      for _, a in ipairs(actions) do
        if a.edit and vim.inspect(a.edit):find('ladder-ignore: unknown-rung', 1, true) then ignore = a end
      end
      ok(ignore ~= nil, 'a ladder-ignore: unknown-rung action is offered too', vim.tbl_map(function(a) return a.title end, actions))
    end
  end

  -- shutdown, then exit: status 0.
  client.stop()
  ok(wait_for(function() return exit_code ~= nil end), 'the server exits after shutdown and exit')
  is(exit_code, 0, 'with status 0')
end

local done, err = pcall(test)
if not done then ok(false, 'the test raised ' .. tostring(err)) end
vim.fn.writefile(tap, os.getenv('TAP_OUT'))
vim.cmd('qall!')
