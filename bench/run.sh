#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: every benchmark, then the table and bench/results.json. See bench/README.md.
# Environment: BENCH_E2E_VERSION (the GNOME Shell of benchmarks 4-5 and whose gjs runs 2, 3
# and 5; default $E2E_VERSION or 48), BENCH_SKIP_SHELL=1 (no headless shell), BENCH_GJS_ROOT
# (a Debian root with gjs; default the e2e harness's root of that version; empty = host gjs),
# BENCH_CPU_S / BENCH_MEM_S / BENCH_STALLS_S (window lengths; defaults 60, 180, 30).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
version=${BENCH_E2E_VERSION:-${E2E_VERSION:-48}}
parts=$repo/build/bench/parts
steps=$repo/build/bench/steps.txt
rm -rf "$parts"
mkdir -p "$parts"
: >"$steps"
export BENCH_GJS_ROOT=${BENCH_GJS_ROOT-${E2E_CACHE:-/var/cache/swictation-e2e}/gnome-$version}
t_all=$(date +%s.%N)

step() {   # NAME COMMAND...
    local name=$1 t rc
    shift
    echo "== $name"
    t=$(date +%s.%N)
    "$@"
    rc=$?
    echo "$name $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') $([ $rc = 0 ] && echo ok || echo "exit-$rc")" >>"$steps"
}

# The shell first: its run prepares the Debian root whose gjs the GJS benchmarks use.
if [ -z "${BENCH_SKIP_SHELL:-}" ]; then
    if [ "$(id -u)" = 0 ]; then
        step shell env E2E_MAIN="$repo/bench/shell/main.ts" BENCH_PARTS="$parts" E2E_OUT="$repo/build/bench/e2e" \
            bash test/e2e/run.sh "$version"
    else
        echo "== shell: skipped (the headless shell needs root: sudo make bench)"
        echo "shell 0 skipped-not-root" >>"$steps"
    fi
fi
step core node build/bench/core.mjs "$parts"
step transport node build/bench/transport.mjs "$parts"
step stalls node build/bench/stalls.mjs "$parts"
step memory node build/bench/memory.mjs "$parts"

echo "== results"
BENCH_WALL_S=$(awk -v a="$t_all" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') \
    node build/bench/report.mjs "$parts" "$repo/bench/results.json" "$steps"
! grep -qv -e ' ok$' -e ' skipped' "$steps"
