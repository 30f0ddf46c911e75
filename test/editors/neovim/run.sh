#!/usr/bin/env bash
# End-to-end check of the keepalived language server in a real Neovim (Debian's 0.7.2 works; any later 0.x too).
# Usage: test/editors/neovim/run.sh        (build first: npm run build)
# Needs: nvim, node. Works on a temp copy of examples/nginx-failover, so the rename check never touches the repo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SERVER="$ROOT/dist/server.js"

for tool in nvim node timeout; do
  command -v "$tool" > /dev/null || { echo "neovim e2e: FAILED ($tool not found)"; exit 1; }
done
[[ -f "$SERVER" ]] || { echo "neovim e2e: FAILED ($SERVER missing; run npm run build)"; exit 1; }

WORK="$(realpath "$(mktemp -d "${TMPDIR:-/tmp}/keepalived-nvim.XXXXXX")")"
trap 'rm -rf "$WORK"' EXIT
cp -R "$ROOT/examples/nginx-failover" "$WORK/"

echo "neovim e2e: $(nvim --version | head -n 1), node $(node --version), workspace $WORK/nginx-failover"
rc=0
# --clean: no user config or plugins; HOME/XDG point into the temp folder so nothing of the user's is read or written.
HOME="$WORK" XDG_CONFIG_HOME="$WORK/.config" XDG_DATA_HOME="$WORK/.local/share" XDG_STATE_HOME="$WORK/.local/state" \
  XDG_CACHE_HOME="$WORK/.cache" \
  KEEPALIVED_LSP_SERVER="$SERVER" KEEPALIVED_LSP_FILE="$WORK/nginx-failover/keepalived-master.conf" \
  timeout -k 5 120 nvim --headless --clean -c "luafile $HERE/check.lua" < /dev/null 2> "$WORK/stderr.log" || rc=$?

# Filetype detection with the block docs/editors.md documents (included conf.d files, templates, nginx).
if [[ $rc -eq 0 ]]; then
  HOME="$WORK" XDG_CONFIG_HOME="$WORK/.config" XDG_DATA_HOME="$WORK/.local/share" XDG_STATE_HOME="$WORK/.local/state" \
    XDG_CACHE_HOME="$WORK/.cache" KEEPALIVED_DOCS="$ROOT/docs/editors.md" \
    timeout -k 5 60 nvim --headless --clean -c "luafile $HERE/filetypes.lua" < /dev/null 2>> "$WORK/stderr.log" || rc=$?
fi

if [[ $rc -eq 0 ]]; then
  echo "neovim e2e: PASSED"
else
  echo "--- nvim stderr (last 40 lines) ---"
  tail -n 40 "$WORK/stderr.log" || true
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    echo "neovim e2e: FAILED (timed out after 120 s)"
  else
    echo "neovim e2e: FAILED (exit code $rc)"
  fi
fi
exit "$rc"
