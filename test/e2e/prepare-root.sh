#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: test/e2e/prepare-root.sh 48|50|51
# Makes (once) a Debian root with that GNOME Shell, for run.sh:
#   ${E2E_CACHE:-/var/cache/swictation-e2e}/gnome-VERSION
# Reused while its stamp matches; built in a .partial directory and renamed only when
# complete, so an interrupted build is simply redone. One lock per version: builds of
# different versions run side by side. Mounts live in a private mount namespace and are also
# unmounted on exit. Needs root, debootstrap, unshare (util-linux).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

version=${1:?usage: prepare-root.sh 48|50|51}
read -r suite script < <(e2e_suite "$version")
[ "$(id -u)" = 0 ] || e2e_die "prepare-root.sh must run as root"

# A private mount namespace: whatever this script mounts disappears with it.
if [ -z "${E2E_PREPARE_IN_NS:-}" ]; then
    E2E_PREPARE_IN_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi

root=$(e2e_root "$version")
partial="$root.partial"
mkdir -p "$E2E_CACHE"

if [ -z "${E2E_LOCK_HELD:-}" ]; then
    exec 9>"$root.lock"
    flock -n 9 || { e2e_log "waiting for the lock on $root (another run of version $version)"; flock 9; }
fi

want=$(e2e_stamp_text "$version")
if [ -f "$root/.e2e-stamp" ] && [ "$(cat "$root/.e2e-stamp")" = "$want" ]; then
    e2e_log "root for GNOME Shell $version is ready (cached): $root"
    exit 0
fi

trap 'e2e_umount_all' EXIT
trap 'exit 130' INT TERM HUP

remove_tree() {
    [ -e "$1" ] || return 0
    e2e_has_mounts_below "$1" && e2e_die "refusing to delete $1: something is mounted below it"
    rm -rf --one-file-system "$1"
}

t_all=$(e2e_now)
mirror=$(e2e_mirror)
e2e_log "building the root for GNOME Shell $version ($suite) from $mirror into $partial"
remove_tree "$partial"
mkdir -p "$partial"

t=$(e2e_now)
script_path=/usr/share/debootstrap/scripts/$script
[ -f "$script_path" ] || e2e_die "debootstrap has no script $script_path"
if ! debootstrap --variant=minbase "$suite" "$partial" "$mirror" "$script_path" >"$partial.debootstrap.log" 2>&1; then
    tail -n 30 "$partial.debootstrap.log" >&2
    e2e_die "debootstrap $suite failed (log: $partial.debootstrap.log)"
fi
rm -f "$partial.debootstrap.log"
e2e_log "debootstrap $suite: $(e2e_since "$t")"

# No services start in the root; no docs; apt settings (the forky and sid indexes of the
# archive can be past their Valid-Until date: seen on both).
printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
chmod 0755 "$partial/usr/sbin/policy-rc.d"
cat >"$partial/etc/dpkg/dpkg.cfg.d/01-e2e-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
EOF
{
    echo 'APT::Install-Recommends "false";'
    echo 'APT::Install-Suggests "false";'
    echo 'Acquire::Retries "3";'
    echo 'Acquire::Check-Valid-Until "false";'
} >"$partial/etc/apt/apt.conf.d/99-e2e"
cp -L /etc/resolv.conf "$partial/etc/resolv.conf"

t=$(e2e_now)
e2e_mount_all "$partial"
e2e_chroot "$partial" apt-get -q update >"$partial.apt.log" 2>&1 || { tail -n 30 "$partial.apt.log" >&2; e2e_die "apt-get update failed"; }
if ! e2e_chroot "$partial" apt-get -q -y --no-install-recommends install "${E2E_ROOT_PACKAGES[@]}" >>"$partial.apt.log" 2>&1; then
    tail -n 40 "$partial.apt.log" >&2
    e2e_die "apt-get install failed (log: $partial.apt.log)"
fi
for locale in "${E2E_ROOT_LOCALES[@]}"; do
    e2e_chroot "$partial" localedef -i "${locale%%.*}" -f "${locale#*.}" "$locale" ||
        e2e_die "could not generate the locale $locale in the root"
done
e2e_chroot "$partial" apt-get clean
rm -rf "$partial"/var/lib/apt/lists/*_Packages "$partial"/var/lib/apt/lists/*_Translation-*
rm -f "$partial.apt.log"
e2e_log "apt-get install (${#E2E_ROOT_PACKAGES[@]} packages and their dependencies): $(e2e_since "$t")"

# The non-root user the session runs as.
if ! grep -q "^$E2E_TESTER_NAME:" "$partial/etc/passwd"; then
    if [ -x "$partial/usr/sbin/useradd" ]; then
        e2e_chroot "$partial" useradd -m -U -u "$E2E_TESTER_UID" -s /bin/bash "$E2E_TESTER_NAME"
    else
        echo "$E2E_TESTER_NAME:x:$E2E_TESTER_UID:$E2E_TESTER_UID::/home/$E2E_TESTER_NAME:/bin/bash" >>"$partial/etc/passwd"
        echo "$E2E_TESTER_NAME:x:$E2E_TESTER_UID:" >>"$partial/etc/group"
        mkdir -p "$partial/home/$E2E_TESTER_NAME"
        chown "$E2E_TESTER_UID:$E2E_TESTER_UID" "$partial/home/$E2E_TESTER_NAME"
    fi
fi

shell_version=$(e2e_chroot "$partial" gnome-shell --version 2>/dev/null || true)
case "$shell_version" in
    "GNOME Shell $version".*) ;;
    *) e2e_die "expected GNOME Shell $version in $suite, found '$shell_version'" ;;
esac
e2e_umount_all

# Complete: stamp last, then swap the new root in.
printf '%s' "$want" >"$partial/.e2e-stamp"
if [ -e "$root" ]; then
    remove_tree "$root.old"
    mv "$root" "$root.old"
fi
mv "$partial" "$root"
remove_tree "$root.old"
e2e_log "root for $shell_version ready in $(e2e_since "$t_all"): $root ($(du -sh --one-file-system "$root" | cut -f1))"
