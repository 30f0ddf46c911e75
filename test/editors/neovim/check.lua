-- End-to-end check of the keepalived language server inside a real Neovim (0.7.2 API: no vim.lsp.start).
--
-- Run through test/editors/neovim/run.sh, which copies examples/nginx-failover into a temp folder and sets:
--   KEEPALIVED_LSP_SERVER  absolute path of dist/server.js
--   KEEPALIVED_LSP_FILE    absolute path of the temp copy of keepalived-master.conf
--
-- Prints one "PASS <check>: <detail>" / "FAIL <check>: <detail>" line per check and exits 1 if any failed
-- (a Lua error in the script itself counts as a failure).

local SERVER = os.getenv('KEEPALIVED_LSP_SERVER')
local FILE = os.getenv('KEEPALIVED_LSP_FILE')

local failures = 0
local checks = 0

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function report(ok, name, detail)
  checks = checks + 1
  if not ok then failures = failures + 1 end
  out(string.format('%s %s: %s', ok and 'PASS' or 'FAIL', name, detail or ''))
end

-- Single-line, bounded rendering of any value for FAIL details.
local function show(value)
  local s = type(value) == 'string' and value or vim.inspect(value)
  s = s:gsub('%s+', ' ')
  if #s > 300 then s = s:sub(1, 300) .. '...' end
  return s
end

local function buf_lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

-- 0-based line of the first buffer line matching a Lua pattern, and the 0-based byte column of `needle` in it.
local function find_line(bufnr, pattern, needle)
  for i, line in ipairs(buf_lines(bufnr)) do
    if line:match(pattern) then
      local col = needle and line:find(needle, 1, true)
      return i - 1, col and (col - 1) or nil
    end
  end
  return nil, nil
end

-- Flattens hover contents (MarkupContent, MarkedString or MarkedString[]) to text.
local function hover_text(result)
  if type(result) ~= 'table' or result.contents == nil then return nil end
  local c = result.contents
  if type(c) == 'string' then return c end
  if c.value then return c.value end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == 'string' and item or (item.value or '')
  end
  return table.concat(parts, '\n')
end

local client_id
local bufnr

-- Sends a request to our client only and returns (result, error_message).
local function request(method, params, timeout_ms)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout_ms or 5000)
  if not responses then return nil, 'no response: ' .. tostring(err) end
  local r = responses[client_id]
  if not r then return nil, 'no response from the keepalived client' end
  if r.err or r.error then return nil, show(r.err or r.error) end
  return r.result, nil
end

local function position_params(line, character)
  return {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = character },
  }
end

local function main()
  assert(SERVER and SERVER ~= '', 'KEEPALIVED_LSP_SERVER is not set')
  assert(FILE and FILE ~= '', 'KEEPALIVED_LSP_FILE is not set')
  assert(vim.fn.filereadable(SERVER) == 1, 'server not found: ' .. SERVER)
  assert(vim.fn.filereadable(FILE) == 1, 'file not found: ' .. FILE)
  local root = vim.fn.fnamemodify(FILE, ':h')

  vim.o.swapfile = false -- a swap file left by a killed run would otherwise stop :edit with E325
  vim.cmd('edit ' .. vim.fn.fnameescape(FILE))
  bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'keepalived'

  local exited = nil
  client_id = vim.lsp.start_client({
    name = 'keepalived',
    cmd = { 'node', SERVER, '--stdio' },
    root_dir = root,
    -- Answered through Neovim's default workspace/configuration handler.
    settings = { keepalived = vim.empty_dict() },
    on_exit = function(code, signal)
      exited = string.format('code %s, signal %s', tostring(code), tostring(signal))
    end,
  })
  assert(client_id, 'vim.lsp.start_client returned nil')
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'vim.lsp.buf_attach_client failed')

  local client = vim.lsp.get_client_by_id(client_id)
  local initialized = vim.wait(15000, function()
    return exited ~= nil or (client ~= nil and client.initialized == true)
  end, 50)
  report(initialized and exited == nil, 'initialize', exited and ('server exited: ' .. exited) or
    (initialized and 'client initialized' or 'no initialize response within 15 s'))
  if exited or not initialized then return end

  -- 1. Diagnostics (pushed with textDocument/publishDiagnostics after the server's debounce).
  local script_line = find_line(bufnr, '^%s*script%s+"/usr/bin/pgrep %-x nginx"')
  local function by_code(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code then return d end
    end
  end
  vim.wait(15000, function() return exited ~= nil or by_code('script-runs-as-root') ~= nil end, 50)
  local diags = vim.diagnostic.get(bufnr)
  report(#diags > 0, 'diagnostics arrive', #diags .. ' diagnostic(s) in the buffer')
  local root_diag = by_code('script-runs-as-root')
  report(root_diag ~= nil and root_diag.lnum == script_line and root_diag.source == 'keepalived',
    'diagnostic script-runs-as-root',
    root_diag and string.format('line %d (script line %s), source %s: %s', root_diag.lnum, tostring(script_line),
      tostring(root_diag.source), show(root_diag.message))
      or ('missing; codes: ' .. show(vim.tbl_map(function(d) return d.code end, diags))))
  local sec_diag = by_code('script-security-disabled')
  report(sec_diag ~= nil, 'diagnostic script-security-disabled',
    sec_diag and string.format('line %d: %s', sec_diag.lnum, show(sec_diag.message)) or 'missing')

  -- 2. Hover.
  local prio_line, prio_col = find_line(bufnr, '^%s*priority%s', 'priority')
  local res, err = request('textDocument/hover', position_params(prio_line, prio_col + 2))
  local text = hover_text(res)
  local kind = res and type(res.contents) == 'table' and res.contents.kind or nil
  report(text ~= nil and kind == 'markdown' and text:find('priority', 1, true) ~= nil and text:find('255', 1, true) ~= nil,
    'hover priority', text and string.format('%s, %d chars: %s', tostring(kind), #text, show(text:sub(1, 120)))
      or (err or 'empty hover'))

  local track_line = find_line(bufnr, '^%s*track_script%s*{')
  local ref_line, ref_col
  for i = track_line + 1, #buf_lines(bufnr) - 1 do
    local line = buf_lines(bufnr)[i + 1]
    local col = line:find('chk_nginx', 1, true)
    if col then ref_line, ref_col = i, col - 1 break end
  end
  res, err = request('textDocument/hover', position_params(ref_line, ref_col + 3))
  text = hover_text(res)
  report(text ~= nil and text:find('/usr/bin/pgrep -x nginx', 1, true) ~= nil and text:find('root', 1, true) ~= nil,
    'hover chk_nginx in track_script', text and show(text:sub(1, 160)) or (err or 'empty hover'))

  -- 3. Definition from the reference in track_script.
  local def_line = find_line(bufnr, '^vrrp_script%s+chk_nginx')
  res, err = request('textDocument/definition', position_params(ref_line, ref_col + 3))
  local loc = res
  if type(res) == 'table' and res[1] then loc = res[1] end
  local target = loc and (loc.targetSelectionRange or loc.range)
  local target_uri = loc and (loc.targetUri or loc.uri)
  report(target ~= nil and target.start.line == def_line
      and vim.uri_to_fname(target_uri) == vim.api.nvim_buf_get_name(bufnr),
    'definition chk_nginx', target and string.format('line %d (%s), expected line %s', target.start.line,
      vim.fn.fnamemodify(vim.uri_to_fname(target_uri), ':t'), tostring(def_line)) or (err or show(res)))

  -- 4. Completion on a new empty line inside vrrp_instance. The buffer edit reaches the server as
  -- textDocument/didChange through Neovim's own buffer sync (flushed before the next request).
  local advert_line = find_line(bufnr, '^%s*advert_int%s')
  vim.api.nvim_buf_set_lines(bufnr, advert_line + 1, advert_line + 1, false, { '    ' })
  local new_line = advert_line + 1
  local labels = {}
  vim.wait(5000, function()
    local r = request('textDocument/completion', position_params(new_line, 4), 1000)
    local items = r and (r.items or r) or {}
    labels = {}
    for _, item in ipairs(items) do labels[item.label] = true end
    return next(labels) ~= nil
  end, 50)
  local n = vim.tbl_count(labels)
  report(labels['nopreempt'] == true and labels['router_id'] == nil, 'completion in vrrp_instance',
    string.format('%d items, nopreempt %s, router_id %s', n, labels['nopreempt'] and 'present' or 'MISSING',
      labels['router_id'] and 'PRESENT' or 'absent'))

  -- 5. Rename chk_nginx -> chk_web, applied to the buffer.
  local uri = vim.uri_from_bufnr(bufnr)
  local expected_lines = {}
  for i, line in ipairs(buf_lines(bufnr)) do
    if line:find('chk_nginx', 1, true) then expected_lines[#expected_lines + 1] = i - 1 end
  end
  local params = position_params(ref_line + 1, ref_col + 3) -- +1: the line inserted above
  params.newName = 'chk_web'
  res, err = request('textDocument/rename', params)
  local edits = {}
  if type(res) == 'table' then
    for u, list in pairs(res.changes or {}) do
      if u == uri then vim.list_extend(edits, list) end
    end
    for _, change in ipairs(res.documentChanges or {}) do
      if change.textDocument and change.textDocument.uri == uri then vim.list_extend(edits, change.edits) end
    end
  end
  local files = {}
  if type(res) == 'table' then
    for u in pairs(res.changes or {}) do files[u] = true end
    for _, change in ipairs(res.documentChanges or {}) do
      if change.textDocument then files[change.textDocument.uri] = true end
    end
  end
  local edit_lines = vim.tbl_map(function(e) return e.range.start.line end, edits)
  table.sort(edit_lines)
  report(#edits == 2 and vim.deep_equal(edit_lines, expected_lines), 'rename returns 2 edits',
    res and string.format('%d edit(s) for this file on lines %s (chk_nginx on lines %s); %d file(s) in the edit', #edits,
      table.concat(edit_lines, ','), table.concat(expected_lines, ','), vim.tbl_count(files)) or (err or 'null result'))
  if res then
    vim.lsp.util.apply_workspace_edit(res, 'utf-16')
    local lines = buf_lines(bufnr)
    local body = table.concat(lines, '\n')
    local in_track = false
    local track_start = find_line(bufnr, '^%s*track_script%s*{')
    for i = track_start + 2, #lines do
      if lines[i]:match('}') then break end
      if lines[i]:match('^%s*chk_web%s*$') then in_track = true end
    end
    report(body:find('vrrp_script chk_web', 1, true) ~= nil and in_track and body:find('chk_nginx', 1, true) == nil,
      'rename applied', string.format('vrrp_script chk_web %s, chk_web in track_script %s, chk_nginx left %s',
        body:find('vrrp_script chk_web', 1, true) and 'yes' or 'NO', in_track and 'yes' or 'NO',
        body:find('chk_nginx', 1, true) and 'YES' or 'no'))
  end
end

local ok, e = xpcall(main, debug.traceback)
if not ok then
  failures = failures + 1
  out('FAIL script error: ' .. tostring(e):gsub('\n', ' | '))
end

-- Shut the server down politely so no node process outlives Neovim.
if client_id then
  local client = vim.lsp.get_client_by_id(client_id)
  if client then
    client.stop()
    vim.wait(3000, function() return client.is_stopped() end, 50)
  end
end

out(string.format('neovim %s: %d check(s), %d failed', failures == 0 and 'OK' or 'FAILED', checks, failures))
os.exit(failures == 0 and 0 or 1)
