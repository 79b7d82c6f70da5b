#!/usr/bin/env bash
# Smoke check: the interop peers against each other, before any Rust is involved.
# Runs every client scenario (group `everything`) for each client/server pair, over
# stdio and over Streamable HTTP (each server with --http on a free 127.0.0.1 port,
# stateful and --stateless), and prints one summary line per pair, then
# "N passed, M failed" over all scenarios.
# Exit status: 0 when every scenario of every pair passed.
#
#   ./smoke.sh            # runs ./setup.sh first (a no-op when up to date)
#   ./smoke.sh -v         # also print each scenario's JSON line
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
verbose=0
[[ "${1:-}" == "-v" ]] && verbose=1
"$here/setup.sh" >&2 || exit 1

PY="$here/python/.venv/bin/python"
PY_CLIENT=("$PY" "$here/python/client.py")
TS_CLIENT=(node "$here/typescript/client.mjs")
PY_SERVER=("$PY" "$here/python/server.py")
TS_SERVER=(node "$here/typescript/server.mjs")

total_pass=0
total_fail=0
pairs_failed=0
run_pair() {
  local label="$1"; shift
  local out rc pass fail
  out="$("$@" 2>"/tmp/interop-smoke-$$.err")"
  rc=$?
  pass=$(grep -c '"ok": *true' <<<"$out" || true)
  fail=$(grep -c '"ok": *false' <<<"$out" || true)
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  printf '%-62s exit %d  %2d ok  %2d failed\n' "$label" "$rc" "$pass" "$fail"
  if [[ $verbose == 1 || $rc != 0 ]]; then
    sed 's/^/    /' <<<"$out"
  fi
  if [[ $rc != 0 ]]; then
    pairs_failed=$((pairs_failed + 1))
    sed 's/^/    stderr: /' "/tmp/interop-smoke-$$.err" | tail -20
  fi
  rm -f "/tmp/interop-smoke-$$.err"
}

run_pair "python client -> python server (legacy)"     "${PY_CLIENT[@]}" everything -- "${PY_SERVER[@]}"
run_pair "python client -> python server (2026-07-28)" "${PY_CLIENT[@]}" everything --mode modern -- "${PY_SERVER[@]}"
run_pair "python client -> typescript server"          "${PY_CLIENT[@]}" everything -- "${TS_SERVER[@]}"
run_pair "python client -> typescript server (auto)"   "${PY_CLIENT[@]}" everything --mode auto -- "${TS_SERVER[@]}"
run_pair "typescript client -> python server"          "${TS_CLIENT[@]}" everything -- "${PY_SERVER[@]}"
run_pair "typescript client -> typescript server"      "${TS_CLIENT[@]}" everything -- "${TS_SERVER[@]}"

# ------------------------------------------------------------- Streamable HTTP
# One server process per (server, mode), stopped with SIGTERM (it must exit 0).

server_pid=""
server_log="/tmp/interop-smoke-server-$$.err"
stop_server() {
  [[ -z "$server_pid" ]] && return 0
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  local rc=$?
  server_pid=""
  if [[ $rc != 0 ]]; then
    echo "    server exited with $rc on SIGTERM" >&2
    pairs_failed=$((pairs_failed + 1))
  fi
  rm -f "$server_log"
}
trap 'stop_server' EXIT

# start_server <server command...> [--stateless]: serves on a free port, sets $url.
start_server() {
  local port
  port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$@" --http "$port" >/dev/null 2>"$server_log" &
  server_pid=$!
  url="http://127.0.0.1:$port/mcp"
  for _ in $(seq 100); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server did not start: $*" >&2
  cat "$server_log" >&2
  exit 1
}

# Stateless servers cannot carry a server->client request in the middle of a tools/call
# (≤ 2025-11-25): every scenario but those.
without_s2c() {
  "$@" --list | awk -F'\t' '($2 == "all" || $2 == "extra") && $1 !~ /^test_(sampling|elicitation)/ { print $1 }' | paste -sd, -
}
PY_NO_S2C="$(without_s2c "${PY_CLIENT[@]}")"
TS_NO_S2C="$(without_s2c "${TS_CLIENT[@]}")"

start_server "${PY_SERVER[@]}"
run_pair "python client -> python server, http (legacy)"                "${PY_CLIENT[@]}" everything --url "$url"
run_pair "python client -> python server, http (2026-07-28)"            "${PY_CLIENT[@]}" everything --mode modern --url "$url"
run_pair "typescript client -> python server, http"                     "${TS_CLIENT[@]}" everything --url "$url"
stop_server

start_server "${PY_SERVER[@]}" --stateless
run_pair "python client -> python server, http stateless (legacy)*"     "${PY_CLIENT[@]}" --only "$PY_NO_S2C" --url "$url"
run_pair "python client -> python server, http stateless (2026-07-28)"  "${PY_CLIENT[@]}" everything --mode modern --url "$url"
run_pair "typescript client -> python server, http stateless*"          "${TS_CLIENT[@]}" --only "$TS_NO_S2C" --url "$url"
stop_server

start_server "${TS_SERVER[@]}"
run_pair "python client -> typescript server, http"                     "${PY_CLIENT[@]}" everything --url "$url"
run_pair "python client -> typescript server, http (auto)"              "${PY_CLIENT[@]}" everything --mode auto --url "$url"
run_pair "typescript client -> typescript server, http"                 "${TS_CLIENT[@]}" everything --url "$url"
stop_server

start_server "${TS_SERVER[@]}" --stateless
run_pair "python client -> typescript server, http stateless*"          "${PY_CLIENT[@]}" --only "$PY_NO_S2C" --url "$url"
run_pair "python client -> typescript server, http stateless (auto)*"   "${PY_CLIENT[@]}" --mode auto --only "$PY_NO_S2C" --url "$url"
run_pair "typescript client -> typescript server, http stateless*"      "${TS_CLIENT[@]}" --only "$TS_NO_S2C" --url "$url"
stop_server
echo "* without test_sampling, test_elicitation, test_elicitation_sep1034_defaults (no back channel without a session)"

echo "interop smoke: $total_pass passed, $total_fail failed"
[[ $pairs_failed == 0 && $total_fail == 0 ]]
