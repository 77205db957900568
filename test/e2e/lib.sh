# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by prepare-root.sh and run.sh (sourced, not run).
# Facts: /work/shared/docs/headless-shell.md (trixie = GNOME Shell 48, forky = 50, sid = 51).

E2E_CACHE=${E2E_CACHE:-/var/cache/swictation-e2e}
E2E_TESTER_UID=1000
E2E_TESTER_NAME=tester

# Packages of the root. Changing this list changes the stamp, so cached roots are rebuilt.
E2E_ROOT_PACKAGES=(
    gnome-shell dbus dbus-daemon libgl1-mesa-dri gjs
    fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
    libglib2.0-bin          # gsettings, gdbus, glib-compile-schemas (gnome-extensions install)
    gir1.2-gdkpixbuf-2.0    # the bridge crops screenshots with GdkPixbuf
    locales                 # the translated scenario runs the shell in German
)
# Locales generated in the root (glibc ignores LANG for a locale that is not generated, and
# gettext then shows English whatever the extension ships).
E2E_ROOT_LOCALES=(de_DE.UTF-8)

# What the harness needs on the host (Debian 12): printed by run.sh, installed by .ci/run.
# Only debootstrap is missing from a fresh Debian 12; the rest is essential or already there.
E2E_HOST_PACKAGES=(debootstrap debian-archive-keyring util-linux coreutils)   # + node >= 20

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_die() { e2e_log "ERROR: $*"; exit 1; }
e2e_now() { date +%s.%N; }
e2e_since() { awk -v a="$1" -v b="$(e2e_now)" 'BEGIN { printf "%.1f s", b - a }'; }

# e2e_suite VERSION -> "suite debootstrap-script"
e2e_suite() {
    case "$1" in
        48) echo "trixie trixie" ;;
        50) echo "forky sid" ;;    # bookworm's debootstrap has no forky script; sid's works
        51) echo "sid sid" ;;
        *) e2e_die "unknown GNOME Shell version '$1' (48, 50 or 51)" ;;
    esac
}

# The root a run uses: E2E_ROOT when set (a root that already exists on this machine, e.g. a
# shell built by hand; see README.md "A root of your own"), else the cached Debian root.
e2e_root() { echo "${E2E_ROOT:-$E2E_CACHE/gnome-$1}"; }

# The root's own environment: ROOT/etc/swictation-e2e/env, lines NAME=VALUE (values literal,
# complete, no quotes or expansion; # comments), given to every program the harness starts in
# the root except the system bus. Printed one assignment a line; nothing without the file.
E2E_ROOT_ENV_FILE=/etc/swictation-e2e/env
e2e_root_env() {
    local file=$1$E2E_ROOT_ENV_FILE line
    [ -f "$file" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '' | '#'*) continue ;; esac
        [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || e2e_die "$file: not NAME=VALUE: $line"
        printf '%s\n' "$line"
    done <"$file"
}

# The Debian archive the host's apt uses (a deb822 .sources stanza or a one-line .list entry
# for bookworm, not the security archive), unless E2E_MIRROR is set.
e2e_mirror() {
    local url=${E2E_MIRROR:-}
    [ -n "$url" ] || url=$(awk 'BEGIN { RS = "" }
        /(^|\n)Suites:[^\n]*bookworm/ && !/security/ && match($0, /URIs:[ \t]*[^ \t\n]+/) {
            s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null)
    [ -n "$url" ] || url=$(awk '$1 == "deb" && / bookworm / && !/security/ {
            for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
    echo "${url:-http://deb.debian.org/debian}"
}

# Stamp: what a complete root was built from. A root whose stamp differs is rebuilt.
e2e_stamp_text() {
    local v=$1 s
    s=$(e2e_suite "$v")
    printf 'version=%s\nsuite=%s\npackages=%s\nlocales=%s\nformat=1\n' "$v" "${s%% *}" \
        "${E2E_ROOT_PACKAGES[*]}" "${E2E_ROOT_LOCALES[*]}"
}

# Bind the kernel file systems into ROOT; e2e_umount_all undoes exactly what was mounted.
E2E_MOUNTED=()
e2e_mount_all() {
    local root=$1 d
    for d in proc sys dev dev/pts; do
        mkdir -p "$root/$d"
        mount --bind "/$d" "$root/$d" || e2e_die "mount --bind /$d $root/$d failed"
        E2E_MOUNTED+=("$root/$d")
    done
}
e2e_umount_all() {
    local i m
    for ((i = ${#E2E_MOUNTED[@]} - 1; i >= 0; i--)); do
        m=${E2E_MOUNTED[$i]}
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || e2e_log "could not unmount $m"
    done
    E2E_MOUNTED=()
}

# True when something is mounted at or below DIR (then DIR must not be deleted).
e2e_has_mounts_below() {
    local dir
    dir=$(readlink -f "$1")
    awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# Run a command inside ROOT as root, with a clean environment.
e2e_chroot() {
    local root=$1; shift
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
