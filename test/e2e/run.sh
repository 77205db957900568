#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: test/e2e/run.sh 48|50|51        (make e2e E2E_VERSION=51)
#        E2E_ROOT=/path test/e2e/run.sh N (make e2e E2E_VERSION=46 E2E_ROOT=/path): the same
#        scenarios in a root that already exists, with GNOME Shell N (README.md, "A root of
#        your own"); it is used as it is, never built or changed beyond the session's files.
# End-to-end tests in a real, headless GNOME Shell of that version, as a user would have it:
# the packed zip installed with `gnome-extensions install`, the shell started as an ordinary
# user (`tester`) in a private session, the scenarios of test/e2e/scenarios/ driven from Node.
#
# Environment: E2E_OUT (default build/e2e; results in $E2E_OUT/gnome-VERSION/), E2E_CACHE (the
# roots, default /var/cache/swictation-e2e), E2E_ZIP (default: the zip of `make pack`),
# E2E_SCENARIOS (comma-separated names to run, default all), E2E_START_TIMEOUT (s, default 90),
# E2E_MAIN (the driver program run against the session, default test/e2e/main.ts; bench/run.sh
# passes bench/shell/main.ts),
# E2E_KEEP_SESSION=1 (keep HOME and the runtime dir in the root for a look afterwards),
# E2E_ROOT (see above),
# E2E_LANG (the session's LANG, default C.UTF-8; de_DE.UTF-8 runs the scenarios written for
# German, e.g. `translated`: the locale must be one the root generates, E2E_ROOT_LOCALES).
#
# Everything runs in private PID and mount namespaces: when this script ends, however it
# ends, every process it started and every mount it made end with it. The traps below
# also stop them in order and unmount, so that a normal exit or Ctrl+C is clean and quick.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

version=${1:?usage: test/e2e/run.sh 48|50|51}
if [ -n "${E2E_ROOT:-}" ]; then
    [[ "$version" =~ ^[0-9]+$ ]] || e2e_die "E2E_ROOT needs a GNOME Shell major version, not '$version'"
    [[ "$E2E_ROOT" = /* ]] || e2e_die "E2E_ROOT must be an absolute path: $E2E_ROOT"
    E2E_ROOT=${E2E_ROOT%/}
else
    e2e_suite "$version" >/dev/null
fi
repo=$(cd "$here/../.." && pwd)
E2E_OUT=$(mkdir -p "${E2E_OUT:-$repo/build/e2e}" && cd "${E2E_OUT:-$repo/build/e2e}" && pwd)
out="$E2E_OUT/gnome-$version"
root=$(e2e_root "$version")
uuid=$(sed -n 's/^[[:space:]]*"uuid":[[:space:]]*"\([^"]*\)".*/\1/p' "$repo/metadata.json")
helper_uuid=$(sed -n 's/^[[:space:]]*"uuid":[[:space:]]*"\([^"]*\)".*/\1/p' "$here/helper/metadata.json")
zip=${E2E_ZIP:-$repo/build/$uuid.shell-extension.zip}
session_dir=/tmp/e2e-session                 # inside the root
runtime_dir=/run/user/$E2E_TESTER_UID        # inside the root

# ---------------------------------------------------------------------------------------------
# Outer part: checks, the root, then the inner part in its own namespaces.
if [ -z "${E2E_RUN_INNER:-}" ]; then
    t_total=$(e2e_now)
    e2e_log "host packages this harness needs: ${E2E_HOST_PACKAGES[*]} (and node >= 20)"
    [ "$(id -u)" = 0 ] || e2e_die "run.sh must run as root (debootstrap, chroot, mounts, namespaces)"
    for tool in debootstrap unshare chroot setpriv flock node; do
        command -v "$tool" >/dev/null || e2e_die "missing host tool: $tool (apt-get install ${E2E_HOST_PACKAGES[*]})"
    done
    [ -f "$zip" ] || e2e_die "no extension zip at $zip (make pack)"
    [ -n "$uuid" ] || e2e_die "no uuid in $repo/metadata.json"
    mkdir -p "$E2E_CACHE"

    # One run per version at a time (the root's /run and the mounts are shared).
    exec 9>"$root.lock"
    flock -n 9 || { e2e_log "waiting for another run of version $version"; flock 9; }

    if [ -n "${E2E_ROOT:-}" ]; then
        for f in /usr/bin/env /usr/sbin/chroot /etc/passwd; do
            [ -e "$root$f" ] || e2e_die "E2E_ROOT $root has no $f: not a root (test/e2e/README.md)"
        done
        grep -q "^$E2E_TESTER_NAME:[^:]*:$E2E_TESTER_UID:" "$root/etc/passwd" ||
            e2e_die "E2E_ROOT $root has no user $E2E_TESTER_NAME with uid $E2E_TESTER_UID (test/e2e/README.md)"
        e2e_root_env "$root" >/dev/null
        e2e_log "using the existing root $root"
    else
        t=$(e2e_now)
        E2E_LOCK_HELD=1 bash "$here/prepare-root.sh" "$version"
        e2e_log "prepare root: $(e2e_since "$t")"
    fi

    # --pdeathsig: if this script is SIGKILLed, unshare is too, and --kill-child takes the
    # namespace's PID 1, hence every process in it, and its mounts, along.
    E2E_RUN_INNER=1 setpriv --pdeathsig KILL \
        unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
        bash "$0" "$@" 9>&- &
    ns_pid=$!
    forward() {
        trap '' INT TERM HUP
        e2e_log "interrupted: stopping the session"
        local inner
        inner=$(cat "/proc/$ns_pid/task/$ns_pid/children" 2>/dev/null || true)
        [ -n "$inner" ] && kill -TERM $inner 2>/dev/null
        for _ in $(seq 1 150); do kill -0 "$ns_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$ns_pid" 2>/dev/null || true   # --kill-child: the whole namespace goes with it
        wait "$ns_pid" 2>/dev/null || true
        exit 130
    }
    trap forward INT TERM HUP
    rc=0
    wait "$ns_pid" || rc=$?
    e2e_log "GNOME Shell $version: total $(e2e_since "$t_total"), exit $rc; results in $out"
    exit "$rc"
fi

# ---------------------------------------------------------------------------------------------
# Inner part: PID 1 of a private PID namespace, with a private mount namespace.
pids=()            # started here, stopped in reverse order
driver_pid=
cleanup() {
    local rc=$? i p
    # Cleaning up is best effort: a straggler still exiting must not turn a pass into a failure.
    set +e
    trap - EXIT
    trap '' INT TERM HUP
    [ -n "$driver_pid" ] && kill -TERM "$driver_pid" 2>/dev/null
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        p=${pids[$i]}
        kill -TERM "$p" 2>/dev/null || continue
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
    # Whatever else runs in the root (bus-activated services): it can only be ours.
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null
    done
    wait 2>/dev/null || true
    e2e_umount_all
    if [ -z "${E2E_KEEP_SESSION:-}" ]; then
        rm -rf --one-file-system "${root:?}$session_dir" "${root:?}$runtime_dir" ||
            e2e_log "warning: could not remove the session in the root (removed on the next run)"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# The root's own environment last, so that it wins (e.g. a prefix first on PATH).
mapfile -t root_env < <(e2e_root_env "$root")
as_root() { e2e_chroot "$root" "${root_env[@]}" "$@"; }
session_env=(
    HOME="$session_dir/home" USER="$E2E_TESTER_NAME" LOGNAME="$E2E_TESTER_NAME"
    XDG_RUNTIME_DIR="$runtime_dir" DBUS_SESSION_BUS_ADDRESS="unix:path=$runtime_dir/bus"
    GSETTINGS_BACKEND=keyfile LIBGL_ALWAYS_SOFTWARE=1 XDG_CURRENT_DESKTOP=GNOME
    # Freed memory is overwritten: a use after free crashes rather than reading stale data.
    MALLOC_PERTURB_=165
    LANG="${E2E_LANG:-C.UTF-8}" PATH=/usr/bin:/bin
    "${root_env[@]}"
)
as_tester() {
    chroot --userspec="$E2E_TESTER_UID:$E2E_TESTER_UID" "$root" /usr/bin/env -i "${session_env[@]}" "$@"
}
wait_for_socket() {   # PATH TIMEOUT_S PID
    local i
    for i in $(seq 1 $(($2 * 10))); do
        [ -S "$1" ] && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# The session's language must be a locale the root has: the cached roots generate
# E2E_ROOT_LOCALES (lib.sh); a root of one's own (E2E_ROOT) gets it generated here, once.
case "${E2E_LANG:-C.UTF-8}" in
    C.UTF-8) ;;
    *)
        if ! as_root locale -a | grep -qix "$(sed 's/UTF-8$/utf8/' <<<"$E2E_LANG")"; then
            e2e_log "generating the locale $E2E_LANG in the root"
            as_root localedef -i "${E2E_LANG%%.*}" -f "${E2E_LANG#*.}" "$E2E_LANG" ||
                e2e_die "the root has no locale $E2E_LANG and localedef could not make it (package locales)"
        fi ;;
esac
mkdir -p "$out"
rm -f "$out"/*.png "$out"/*.log "$out"/session.json
e2e_mount_all "$root"

# A fresh session: HOME, runtime dir, work dir (screenshots, zips), all the tester's.
t=$(e2e_now)
rm -rf --one-file-system "${root:?}$session_dir" "${root:?}$runtime_dir" "$root/run/systemd/seats"
mkdir -p "$root$session_dir/home/.config/glib-2.0/settings" "$root$session_dir/work" "$root$runtime_dir" "$root/run/dbus"
rm -f "$root/run/dbus/system_bus_socket" "$root/run/dbus/pid"
cat >"$root$session_dir/home/.config/glib-2.0/settings/keyfile" <<'EOF'
[org/gnome/shell]
disable-user-extensions=false
welcome-dialog-last-shown-version='999'

[org/gnome/desktop/interface]
enable-animations=false
EOF
cp "$zip" "$root$session_dir/work/$uuid.shell-extension.zip"
cp -r "$here/helper" "$root$session_dir/work/helper"
cp "$here/bridge.js" "$root$session_dir/work/bridge.js"
chown -R "$E2E_TESTER_UID:$E2E_TESTER_UID" "$root$session_dir" "$root$runtime_dir"
chmod 0700 "$root$session_dir" "$root$session_dir/home" "$root$runtime_dir"

# Install and enable like a user: the product's zip as packed, and the test helper.
as_tester gnome-extensions pack --force --out-dir="$session_dir/work" "$session_dir/work/helper" >/dev/null
as_tester gnome-extensions install --force "$session_dir/work/$uuid.shell-extension.zip"
as_tester gnome-extensions install --force "$session_dir/work/$helper_uuid.shell-extension.zip"
# Before the shell runs, `gnome-extensions enable` only adds the uuid to enabled-extensions.
as_tester gnome-extensions enable "$uuid"
as_tester gnome-extensions enable "$helper_uuid"
e2e_log "installed $uuid and $helper_uuid: $(e2e_since "$t") (enabled: $(as_tester gsettings get org.gnome.shell enabled-extensions))"

# Buses: the system bus as root (the shell dies without one), the session bus as tester.
t=$(e2e_now)
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin dbus-daemon --system --nofork --nopidfile \
    >"$out/system-bus.log" 2>&1 &
pids+=($!)
wait_for_socket "$root/run/dbus/system_bus_socket" 10 "${pids[-1]}" || e2e_die "the system bus did not start"
as_tester dbus-daemon --session --nofork --nopidfile --address="unix:path=$runtime_dir/bus" \
    >"$out/session-bus.log" 2>&1 &
pids+=($!)
wait_for_socket "$root$runtime_dir/bus" 10 "${pids[-1]}" || e2e_die "the session bus did not start"

# The shell, with the flags this version has (see `gnome-shell --help`).
help=$(as_root gnome-shell --help 2>&1 || true)
has_flag() { grep -Eq -- "^ *$1( |=|$)" <<<"$help"; }
flags=(--headless --virtual-monitor 1280x800)
has_flag --headless || e2e_die "this gnome-shell has no --headless"
has_flag --wayland && flags+=(--wayland)
has_flag --no-x11 && flags+=(--no-x11)
shell_version=$(as_root gnome-shell --version)
[[ "$shell_version" == "GNOME Shell $version".* ]] ||
    e2e_die "the root's gnome-shell is '$shell_version', not GNOME Shell $version"
[ ${#root_env[@]} -eq 0 ] || e2e_log "the root's environment ($E2E_ROOT_ENV_FILE): ${root_env[*]}"
e2e_log "starting $shell_version: gnome-shell ${flags[*]}"
as_tester gnome-shell "${flags[@]}" >"$out/shell.log" 2>&1 &
shell_pid=$!
pids+=("$shell_pid")

# Ready when Eval answers (it answers only once the helper has turned on unsafe mode).
deadline=$(($(date +%s) + ${E2E_START_TIMEOUT:-90}))
until [ "$(as_tester gdbus call --session --dest org.gnome.Shell --object-path /org/gnome/Shell \
            --method org.gnome.Shell.Eval '1 + 1' 2>/dev/null)" = "(true, '2')" ]; do
    if ! kill -0 "$shell_pid" 2>/dev/null; then
        tail -n 40 "$out/shell.log" >&2
        e2e_die "gnome-shell exited during start-up (log: $out/shell.log)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        tail -n 40 "$out/shell.log" >&2
        e2e_die "Eval did not answer within ${E2E_START_TIMEOUT:-90} s (log: $out/shell.log)"
    fi
    sleep 0.2
done
e2e_log "shell up, Eval answers: $(e2e_since "$t")"

# The scenarios: a Node program built from test/e2e/*.ts, told about the session in a file.
t=$(e2e_now)
mkdir -p "$repo/build/e2e"
[ -x "$repo/node_modules/.bin/esbuild" ] || e2e_die "no esbuild in $repo/node_modules (npm ci)"
main_ts=${E2E_MAIN:-$here/main.ts}
main_mjs="$repo/build/e2e/$(basename "$(dirname "$main_ts")")-$(basename "$main_ts" .ts).mjs"
"$repo/node_modules/.bin/esbuild" "$main_ts" --bundle --platform=node --format=esm \
    --target=node20 --log-level=warning --outfile="$main_mjs"
node -e '
    const [file, ...kv] = process.argv.slice(1);
    const s = Object.fromEntries(kv.map(a => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
    s.version = Number(s.version); s.shellPid = Number(s.shellPid); s.testerUid = Number(s.testerUid);
    s.env = JSON.parse(s.env);
    require("fs").writeFileSync(file, JSON.stringify(s, null, 2) + "\n");
' "$out/session.json" version="$version" shellVersion="$shell_version" root="$root" repo="$repo" \
    uuid="$uuid" helperUuid="$helper_uuid" out="$out" shellLog="$out/shell.log" shellPid="$shell_pid" \
    sessionDir="$session_dir" runtimeDir="$runtime_dir" testerUid="$E2E_TESTER_UID" \
    env="$(printf '%s\n' "${session_env[@]}" | node -e '
        const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
        process.stdout.write(JSON.stringify(Object.fromEntries(lines.map(l => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]))));')"
rc=0
E2E_SESSION="$out/session.json" node "$main_mjs" &
driver_pid=$!
wait "$driver_pid" || rc=$?
driver_pid=
e2e_log "scenarios: $(e2e_since "$t")"
exit "$rc"
