#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: test/e2e/stress.sh COMMAND...     (make test-all E2E_STRESS=1)
# Runs COMMAND while two busy loops eat both cores, as on a loaded CI machine, and stops the
# loops (by their own process ids) however COMMAND ends.
set -uo pipefail
loops=()
stop_loops() {
    local p
    for p in "${loops[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${loops[@]}"; do wait "$p" 2>/dev/null; done
}
trap stop_loops EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in 1 2; do
    sh -c 'while :; do :; done' &
    loops+=($!)
done
echo "# stress: busy loops ${loops[*]} running while: $*"
"$@"
rc=$?
echo "# stress: $* exited $rc"
exit "$rc"
