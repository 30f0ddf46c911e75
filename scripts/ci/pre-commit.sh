#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) as a user gets it: pre-commit from pip, `try-repo` on this
# checkout with the system's Node, in a scratch git repository with a keepalived config with a typo (the
# hook must fail and name it), an nginx.conf (not passed to the hook) and then the typo fixed (it passes).
# A pip install that fails (no network) fails this script: it is never skipped.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
if ! "$work/venv/bin/pip" install --quiet pre-commit; then
  echo "FAILED: pip install pre-commit (network or index unreachable); the pre-commit hook was not tested" >&2
  exit 1
fi
export PRE_COMMIT_HOME="$work/cache"

mkdir -p "$work/project/etc/keepalived"
cd "$work/project"
git init -q
printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    prority 100\n    virtual_ipaddress {\n        192.0.2.10/24\n    }\n}\n' >etc/keepalived/keepalived.conf
printf 'server {\n    listen 80;\n}\n' >nginx.conf
git add .
git -c user.email=ci@example.invalid -c user.name=ci commit -qm fixture

status=0
"$work/venv/bin/pre-commit" try-repo "$repo" keepalived-lint --all-files >"$work/out.txt" 2>&1 || status=$?
cat "$work/out.txt"
[ "$status" = 1 ] || { echo "FAILED: the hook should fail on the typo (pre-commit exit $status)" >&2; exit 1; }
grep -q "etc/keepalived/keepalived.conf:4:5: error unknown-keyword" "$work/out.txt" ||
  { echo "FAILED: the hook did not report the typo" >&2; exit 1; }
grep -q "1 error in 1 file" "$work/out.txt" || { echo "FAILED: the hook checked other files than the config" >&2; exit 1; }

sed -i 's/prority/priority/' etc/keepalived/keepalived.conf
git add . && git -c user.email=ci@example.invalid -c user.name=ci commit -qm fixed
"$work/venv/bin/pre-commit" try-repo "$repo" keepalived-lint --all-files ||
  { echo "FAILED: the hook should pass on the fixed config" >&2; exit 1; }
echo "pre-commit hook: 2 passed, 0 failed"
