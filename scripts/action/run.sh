#!/usr/bin/env bash
# The GitHub Action's step (action.yml): builds keepalived-lint from the action's checkout on first use,
# runs it on the inputs, writes a SARIF log when asked, and hands the exit code to the steps after it
# (which upload the SARIF log even when there are findings, then fail the job with that code).
# Runs anywhere with bash and Node 20: the tests run it without GitHub (test/unit/action.test.ts).
set -euo pipefail
action_dir="$(cd "$(dirname "$0")/../.." && pwd)"
cli="${KEEPALIVED_LINT:-$action_dir/dist/cli.js}"
if [ ! -f "$cli" ]; then
  echo "::group::Building keepalived-lint"
  (cd "$action_dir" && npm ci --no-audit --no-fund)
  echo "::endgroup::"
fi

# Paths are split on white space (not globbed: the shell does not expand them, keepalived-lint reads folders).
set -f
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true
set +f
options=(--fail-on "${INPUT_FAIL_ON:-error}")
[ -n "${INPUT_VERSION:-}" ] && options+=(--keepalived-version "$INPUT_VERSION")
options+=("${extra[@]}")

code=0
node "$cli" --format "${INPUT_FORMAT:-github}" "${options[@]}" "${paths[@]}" || code=$?
if [ "${INPUT_SARIF:-false}" = true ]; then
  sarif_code=0
  node "$cli" --format sarif "${options[@]}" "${paths[@]}" >"${INPUT_SARIF_FILE:-keepalived-lint.sarif}" || sarif_code=$?
  # Findings are not a failure of the SARIF run; anything else (exit 2) is.
  if [ "$sarif_code" -gt 1 ] && [ "$code" -lt 2 ]; then code=$sarif_code; fi
fi
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
exit 0
