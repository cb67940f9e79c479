# Shared helpers for hardrun's integration tests (sourced, bash, as root).
# Every test works in its own temporary directory with a private runc --root,
# so it never sees or touches anyone else's containers.

set -u

: "${HARDRUN:?set HARDRUN to the hardrun binary}"
RUNC=${RUNC:-$(command -v runc)}
PASS=0
FAIL=0

ok () { PASS=$((PASS + 1)); printf 'ok - %s\n' "$*"; }
not_ok () { FAIL=$((FAIL + 1)); printf 'not ok - %s\n' "$*"; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds
check () {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# jqe FILTER [FILE]: jq -e without the output
jqe () { jq -e "$@" > /dev/null; }

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq () {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1 (expected [$2], got [$3])"
    fi
}

# A scratch area: $WORK with a private runc state dir, a private hardrun
# configuration and decision log.
setup_work () {
    WORK=$(mktemp -d /tmp/hardrun-it.XXXXXX)
    STATE=$WORK/state
    mkdir -p "$STATE"
    export HARDRUN_CONFIG=$WORK/hardrun.json
    DECISIONS=$WORK/log/decisions.log
    printf '{ "decision_log": "%s", "runtime": "%s" }\n' "$DECISIONS" "$RUNC" > "$HARDRUN_CONFIG"
}

cleanup_work () {
    local id
    if [ -d "${STATE:-}" ]; then
        for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
            "$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
        done
    fi
    rm -rf "${WORK:?}"
}

# make_rootfs DIR: a busybox rootfs, from the busybox-static package.
make_rootfs () {
    local root=$1 app
    mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" \
        "$root/run" "$root/var/tmp"
    cp "$(command -v busybox)" "$root/bin/busybox"
    for app in sh cat grep ls touch id echo sleep head; do
        ln -sf busybox "$root/bin/$app"
    done
}

ALL_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE","CAP_NET_BIND_SERVICE","CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK","CAP_IPC_OWNER","CAP_SYS_MODULE","CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT","CAP_SYS_NICE","CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE","CAP_AUDIT_WRITE","CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN","CAP_SYSLOG","CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ"]'

# make_bundle DIR SCRIPT: a bundle that is as unhardened as it gets: every
# capability in every set, a writable root, no seccomp filter, no
# noNewPrivileges; the process runs `sh -c SCRIPT`.
make_bundle () {
    local dir=$1 script=$2
    mkdir -p "$dir"
    make_rootfs "$dir/rootfs"
    (cd "$dir" && "$RUNC" spec)
    jq --argjson caps "$ALL_CAPS" --arg script "$script" '
        .process.terminal = false
        | .process.args = ["sh", "-c", $script]
        | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps,
                                   inheritable: $caps, ambient: $caps}
        | .process.noNewPrivileges = false
        | .root.readonly = false
        | del(.linux.seccomp)' "$dir/config.json" > "$dir/config.tmp"
    mv "$dir/config.tmp" "$dir/config.json"
}

STATUS_SCRIPT='grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; if touch /rootfs-probe 2>/dev/null; then echo "root=rw"; else echo "root=ro"; fi; if touch /tmp/probe 2>/dev/null; then echo "tmp=rw"; else echo "tmp=ro"; fi'

# field NAME: the value of "NAME:" or "NAME=" in the captured output $OUT
field () {
    printf '%s\n' "$OUT" | sed -n "s/^$1[:=][[:space:]]*//p" | head -n 1
}

finish () {
    printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASS" "$FAIL"
    [ "$FAIL" -eq 0 ]
}
