#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack`, installed into an empty folder (no registry needed: it has
# no runtime dependencies), then `npx keepalived-lint` and `keepalived-language-server --stdio` run from
# there. Also checks what the tarball holds, and that the .vsix (`vsce ls`) holds what README.md shows.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
fail() { echo "FAILED: $*" >&2; exit 1; }

manifest_before="$(sha256sum "$repo/package.json")"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -1)"
contents="$(tar -tzf "$tarball" | sort)"
echo "$contents"
for f in dist/cli.js dist/cli.bundle.js dist/server.js dist/server.bundle.js README.md LICENSE CHANGELOG.md package.json schemas/keepalived-lint.schema.json; do
  grep -qx "package/$f" <<<"$contents" || fail "the tarball lacks $f"
done
if grep -E '^package/(server|client|test|scripts|docs|node_modules)/|\.map$|\.cache$|\.ts$' <<<"$contents"; then
  fail "the tarball holds files a user does not need (above)"
fi
node -e 'const p=require(process.argv[1]); if (Object.keys(p.dependencies||{}).length) { console.error("runtime dependencies:", p.dependencies); process.exit(1) }' "$repo/package.json" ||
  fail "the bundles need no runtime dependency: everything is bundled into dist/"

mkdir "$work/user" && cd "$work/user"
npm init -y >/dev/null
npm install --no-audit --no-fund --offline "$tarball" >/dev/null || fail "npm install of the tarball"
printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    prority 100\n    virtual_ipaddress {\n        192.0.2.10/24\n    }\n}\n' >keepalived.conf
status=0
out="$(npx --no-install keepalived-lint keepalived.conf)" || status=$?
echo "$out"
[ "$status" = 1 ] || fail "npx keepalived-lint exited $status, not 1"
grep -q "keepalived.conf:4:5: error unknown-keyword" <<<"$out" || fail "npx keepalived-lint did not report the typo"

# The language server: initialize over stdio, expect its capabilities, then shutdown and exit.
node - "$work/user/node_modules/.bin/keepalived-language-server" <<'JS' || fail "keepalived-language-server --stdio"
const { spawn } = require('node:child_process');
const server = spawn(process.argv[2], ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const send = (m) => { const s = JSON.stringify({ jsonrpc: '2.0', ...m }); server.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`); };
const timer = setTimeout(() => { console.error('no answer within 20 s'); server.kill(); process.exit(1); }, 20000);
let buffer = '';
server.stdout.on('data', (d) => {
  buffer += d;
  const body = buffer.slice(buffer.indexOf('\r\n\r\n') + 4);
  const length = Number(/Content-Length: (\d+)/.exec(buffer)?.[1]);
  if (!length || Buffer.byteLength(body) < length) return;
  const reply = JSON.parse(body);
  if (reply.id === 1) {
    if (!reply.result?.capabilities?.hoverProvider) { console.error('unexpected', body); process.exit(1); }
    console.log('language server:', reply.result.serverInfo.name, reply.result.serverInfo.version);
    buffer = '';
    send({ id: 2, method: 'shutdown' });
  } else if (reply.id === 2) {
    send({ method: 'exit' });
  }
});
server.on('exit', (code) => { clearTimeout(timer); process.exit(code === 0 ? 0 : 1); });
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
JS

# The .vsix: every image and relative link of README.md is a file in the package.
cd "$repo"
listed="$(npx --no-install vsce ls --no-dependencies 2>/dev/null)"
missing=0
while read -r target; do
  grep -qx "$target" <<<"$listed" || { echo "README.md refers to $target, which is not in the .vsix" >&2; missing=1; }
done < <(grep -oE '\]\([^)#[:space:]]+' README.md | sed 's/^](//' | grep -vE '^[a-z]+:' | sed 's#^\./##' | sort -u)
[ "$missing" = 0 ] || fail "README.md links outside the .vsix (add them to .vscodeignore's allow list)"

# The web extension (package.json "browser") and its worker are in the .vsix; the npm package has no use for them.
for f in dist/extension.js dist/server.js dist/server.bundle.js dist/web/extension.js dist/web/server.js; do
  grep -qx "$f" <<<"$listed" || fail "the .vsix lacks $f"
done
browser="$(node -p 'require("./package.json").browser')"
grep -qx "$browser" <<<"$listed" || fail "package.json browser ($browser) is not in the .vsix"
# The extension's entries are left out of the npm package (prepack: scripts/npm-manifest.mjs), and
# package.json is back as it was after the pack.
for f in dist/extension.js dist/web/extension.js dist/web/server.js; do
  if grep -qx "package/$f" <<<"$contents"; then fail "the npm tarball holds $f, which only the .vsix needs"; fi
done
[ "$(sha256sum "$repo/package.json")" = "$manifest_before" ] || fail "npm pack left package.json changed"
[ ! -e "$repo/package.json.orig" ] || fail "npm pack left package.json.orig behind"
echo "npm package and .vsix: 5 passed, 0 failed"
