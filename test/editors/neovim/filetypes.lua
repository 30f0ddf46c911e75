-- Filetype detection in a real Neovim (0.7.2 API), with the very block docs/editors.md gives after
-- `<!-- neovim-filetypes -->`: included conf.d files, templates, and nginx or systemd files that sit where a
-- keepalived config would. Run through test/editors/neovim/run.sh (KEEPALIVED_DOCS = docs/editors.md).
-- Prints one "PASS <file>: <filetype>" / "FAIL ..." line per case and exits 1 if any failed.

local DOCS = os.getenv('KEEPALIVED_DOCS')
local failures = 0

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function read(path)
  local f = assert(io.open(path, 'r'))
  local text = f:read('*a')
  f:close()
  return text
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local ok, err = pcall(function()
  local docs = read(DOCS)
  local from = assert(docs:find('<!-- neovim-filetypes -->', 1, true), 'marker missing in docs/editors.md')
  local block = docs:match('```vim\n(.-)\n```', from)
  assert(block, 'no ```vim block after the marker')
  local script = vim.fn.tempname() .. '.vim'
  write(script, block .. '\n')
  vim.cmd('source ' .. vim.fn.fnameescape(script))

  local root = vim.fn.tempname()
  local keepalived = 'vrrp_script chk_nginx {\n    script "/usr/bin/pgrep -x nginx"\n}\n'
  local nginx = 'server {\n    listen 80;\n    location / {\n    }\n}\n'
  local cases = {
    { 'lb1/keepalived.conf', 'include conf.d/*.conf\n', 'keepalived' },
    { 'lb1/conf.d/chk_nginx.conf', keepalived, 'keepalived' },
    { 'web/conf.d/default.conf', nginx, nil }, -- no keepalived.conf beside conf.d: not ours
    { 'etc/keepalived/default.conf', nginx, nil }, -- nginx content under keepalived/: not ours
    { 'etc/keepalived/vrrp.conf', keepalived, 'keepalived' },
    { 'etc/keepalived.d/drop.conf', '[Unit]\nDescription=x\n', nil },
    { 'roles/templates/keepalived.conf.j2', '{% if a %}\n{% endif %}\n', 'jinja.keepalived' },
    { 'templates/vrrp_instance.erb', keepalived, nil }, -- an ERB template whose name says nothing
    { 'templates/keepalived/vrrp_instance.erb', keepalived, 'eruby.keepalived' },
    { 'rootfs/keepalived.tmpl', keepalived, 'jinja.keepalived' },
  }
  for _, case in ipairs(cases) do
    local path = root .. '/' .. case[1]
    write(path, case[2])
  end
  for _, case in ipairs(cases) do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. case[1]))
    local ft = vim.bo.filetype
    local good
    if case[3] == nil then
      good = ft ~= 'keepalived' and not ft:match('keepalived')
    else
      good = ft == case[3]
    end
    if not good then failures = failures + 1 end
    out(string.format('%s %s: %s (want %s)', good and 'PASS' or 'FAIL', case[1], ft, case[3] or 'not keepalived'))
    vim.cmd('bwipeout!')
  end
end)

if not ok then
  failures = failures + 1
  out('FAIL script: ' .. tostring(err))
end
out(failures == 0 and 'filetypes: all passed' or ('filetypes: ' .. failures .. ' failed'))
vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
