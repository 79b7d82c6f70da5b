#!/usr/bin/env bash
# Installs the interop peers' pinned dependencies. Idempotent: each half is
# skipped while its stamp matches the hash of its lock file and the runtime
# version, so a second run does nothing. Needs only package-registry access.
#
#   interop/python/.venv              <- pip install -r python/requirements.txt
#   interop/typescript/node_modules   <- npm ci (package-lock.json)
#
# Environment: PYTHON (default python3, must be >= 3.10), NODE/NPM (default node/npm, Node >= 20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
NODE="${NODE:-node}"
NPM="${NPM:-npm}"

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

# ------------------------------------------------------------------ python
py_dir="$here/python"
venv="$py_dir/.venv"
py_stamp="$venv/.interop-stamp"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "setup: $PYTHON is missing or older than 3.10 (the mcp SDK needs >= 3.10)" >&2
  exit 1
fi
py_version="$("$PYTHON" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))')"
py_want="requirements=$(hash_of "$py_dir/requirements.txt") python=$py_version"
if [[ -x "$venv/bin/python" && -f "$py_stamp" && "$(cat "$py_stamp")" == "$py_want" ]]; then
  echo "setup: python venv up to date ($venv, Python $py_version)"
else
  echo "setup: creating $venv with Python $py_version"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$py_dir/requirements.txt"
  echo "$py_want" > "$py_stamp"
  echo "setup: installed $("$venv/bin/python" -m pip show mcp 2>/dev/null | sed -n 's/^Version: /mcp /p') and its pinned dependencies"
fi

# -------------------------------------------------------------- typescript
ts_dir="$here/typescript"
ts_stamp="$ts_dir/node_modules/.interop-stamp"
if ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "setup: $NODE is missing or older than Node 20" >&2
  exit 1
fi
node_version="$("$NODE" --version)"
ts_want="lock=$(hash_of "$ts_dir/package-lock.json") node=$node_version"
if [[ -f "$ts_stamp" && "$(cat "$ts_stamp")" == "$ts_want" ]]; then
  echo "setup: node_modules up to date ($ts_dir/node_modules, Node $node_version)"
else
  echo "setup: npm ci in $ts_dir (Node $node_version)"
  (cd "$ts_dir" && "$NPM" ci --no-audit --no-fund --loglevel=error)
  echo "$ts_want" > "$ts_stamp"
  echo "setup: installed @modelcontextprotocol/sdk $("$NODE" -p "require('$ts_dir/node_modules/@modelcontextprotocol/sdk/package.json').version")"
fi
