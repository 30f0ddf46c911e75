#!/usr/bin/env bash
# End-to-end check of the keepalived language server in a real Emacs + eglot
# (Debian 12: apt-get install -y --no-install-recommends emacs-nox elpa-eglot -> Emacs 28.2, eglot 1.9).
# Usage: test/editors/emacs/run.sh        (build first: npm run build)
# Works on a temp copy of examples/nginx-failover, so nothing in the repo is touched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SERVER="$ROOT/dist/server.js"

for tool in emacs node timeout; do
  command -v "$tool" > /dev/null || { echo "emacs e2e: FAILED ($tool not found)"; exit 1; }
done
[[ -f "$SERVER" ]] || { echo "emacs e2e: FAILED ($SERVER missing; run npm run build)"; exit 1; }

WORK="$(realpath "$(mktemp -d "${TMPDIR:-/tmp}/keepalived-emacs.XXXXXX")")"
trap 'rm -rf "$WORK"' EXIT
cp -R "$ROOT/examples/nginx-failover" "$WORK/"

echo "emacs e2e: $(emacs --version | head -n 1), node $(node --version), workspace $WORK/nginx-failover"
rc=0
# --batch implies -q (no init file); Debian's site-start still puts elpa-eglot on the load path.
# HOME points into the temp folder so nothing of the user's is read or written.
HOME="$WORK" \
  KEEPALIVED_LSP_SERVER="$SERVER" KEEPALIVED_LSP_FILE="$WORK/nginx-failover/keepalived-master.conf" \
  timeout -k 5 120 emacs --batch -l "$HERE/check.el" < /dev/null 2> "$WORK/stderr.log" || rc=$?

if [[ $rc -eq 0 ]]; then
  echo "emacs e2e: PASSED"
else
  echo "--- emacs stderr (last 40 lines) ---"
  tail -n 40 "$WORK/stderr.log" || true
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    echo "emacs e2e: FAILED (timed out after 120 s)"
  else
    echo "emacs e2e: FAILED (exit code $rc)"
  fi
fi
exit "$rc"
