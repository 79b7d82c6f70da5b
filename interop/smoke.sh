#!/usr/bin/env bash
# Smoke check: the interop peers against each other, before any Rust is involved.
# Runs every client scenario (group `everything`) for each client/server pair and
# prints one summary line per pair, then "N passed, M failed" over all scenarios.
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
  printf '%-44s exit %d  %2d ok  %2d failed\n' "$label" "$rc" "$pass" "$fail"
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

echo "interop smoke: $total_pass passed, $total_fail failed"
[[ $pairs_failed == 0 && $total_fail == 0 ]]
