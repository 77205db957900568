#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: test/e2e/stress.sh COMMAND...     (make test-all E2E_STRESS=1)
# Runs COMMAND while two busy loops eat both cores, as on a loaded CI machine, and stops the
# loops (by their own process ids) however COMMAND ends.
set -uo pipefail
loops=()
child=
stop_loops() {
    local p
    for p in "${loops[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${loops[@]}"; do wait "$p" 2>/dev/null; done
}
# COMMAND runs in the background so that a signal is handled at once, not after it ends.
stop() {
    trap '' INT TERM
    # The whole process group: make's children (vitest, the e2e driver) too.
    [ -n "$child" ] && kill -"$1" -- "-$child" 2>/dev/null && wait "$child" 2>/dev/null
    exit "$2"
}
trap stop_loops EXIT
trap 'stop INT 130' INT
trap 'stop TERM 143' TERM
for _ in 1 2; do
    sh -c 'while :; do :; done' &
    loops+=($!)
done
echo "# stress: busy loops ${loops[*]} running while: $*"
set -m   # COMMAND gets a process group of its own
"$@" &
child=$!
set +m
wait "$child"
rc=$?
child=
echo "# stress: $* exited $rc"
exit "$rc"
