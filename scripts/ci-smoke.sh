#!/usr/bin/env bash
# Extra smoke checks of the compiled binary, run by .ci/run: the README's Quick start demo
# (embedded example config, real npm servers, a real MCP client) and `parse` on stdin.
set -euo pipefail
BIN=$1
SCRATCH=$2
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
HOME="$SCRATCH" XDG_CONFIG_HOME="$SCRATCH/cfg" XDG_CACHE_HOME="$SCRATCH/cache" timeout 120 "$BIN" demo | tee "$SCRATCH/demo.out"
grep -q "demo OK" "$SCRATCH/demo.out"
echo '["fetch","time"]' | "$BIN" parse servers | grep -q '"name": *"fetch"'
