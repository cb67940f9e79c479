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

# make_hardrun_wrapper PATH: an executable that runs hardrun with this
# test's configuration. Engines (conmon, containerd's shim) do not pass their
# environment on to the runtime.
make_hardrun_wrapper () {
    printf '#!/bin/sh\nHARDRUN_CONFIG=%s exec %s "$@"\n' "$HARDRUN_CONFIG" "$HARDRUN" > "$1"
    chmod +x "$1"
}

# wait_record ID: hardrun writes a container's record beside its launch;
# wait (up to 5 s) until it is there
wait_record () {
    for _ in $(seq 50); do
        "$HARDRUN" inspect "$1" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# wait_line ID COMMAND [LOG]: a start's or delete's line is written once
# hardrun has become runc; wait for it (up to 10 s)
wait_line () {
    local log=${3:-$DECISIONS}
    for _ in $(seq 100); do
        jq -e -s --arg id "$1" --arg c "$2" 'any(.[]; .id == $id and .command == $c)' "$log" \
            > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# quiet COMMAND...: COMMAND without its standard output
quiet () { "$@" > /dev/null; }

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
    write_config "$HARDRUN_CONFIG"
}

# write_config FILE [MEMBERS]: a hardrun configuration with this test's
# private decision log, state directory and runtime, plus MEMBERS (JSON
# object members, e.g. '"mode": "audit"').
write_config () {
    printf '{ "decision_log": "%s", "state_dir": "%s", "runtime": "%s"%s%s }\n' \
        "$DECISIONS" "$WORK/hardrun-state" "$RUNC" "${2:+, }" "${2:-}" > "$1"
}

# stop_by_pid PID: SIGTERM, wait up to 10 s, then SIGKILL
stop_by_pid () {
    kill "$1" 2> /dev/null
    for _ in $(seq 100); do
        kill -0 "$1" 2> /dev/null || return 0
        sleep 0.1
    done
    kill -9 "$1" 2> /dev/null
}

# unmount_work: whatever an engine left mounted under $WORK, deepest first
unmount_work () {
    grep " $WORK/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r umount -l 2> /dev/null
}

cleanup_work () {
    local id
    if [ -d "${STATE:-}" ]; then
        for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
            "$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
        done
    fi
    unmount_work
    # hardrun's background writers (records, lifecycle lines) may still be
    # finishing in $WORK: retry until they are done (at most 30 s)
    for _ in $(seq 300); do
        rm -rf "${WORK:?}" 2> /dev/null
        [ -e "$WORK" ] || return 0
        sleep 0.1
    done
    rm -rf "${WORK:?}"
}

CONTRIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../contrib" && pwd)

# make_bundle [--all-caps] DIR SCRIPT: an unhardened bundle (see
# contrib/make-bundle.sh); the process runs `sh -c SCRIPT`.
make_bundle () { RUNC=$RUNC bash "$CONTRIB/make-bundle.sh" "$@"; }

# make_rootfs DIR: just the busybox rootfs of such a bundle.
make_rootfs () {
    local tmp
    tmp=$(mktemp -d "$WORK/rootfs.XXXXXX")
    make_bundle "$tmp" true
    mv "$tmp/rootfs" "$1"
    rm -rf "$tmp"
}

# make_rootfs_tar OUT.tar: the busybox rootfs as a tarball, for `import`
make_rootfs_tar () {
    local dir
    dir=$(mktemp -d "$WORK/rootfs-tar.XXXXXX")
    make_bundle "$dir" true
    tar -C "$dir/rootfs" -cf "$1" .
    rm -rf "$dir"
}

# make_oci_archive OUT.tar REF [CMD-JSON]: an OCI image archive of the
# busybox rootfs, for engines that import images (no registry is reachable).
make_oci_archive () {
    local out=$1 ref=$2 cmd=${3:-'["sh"]'} dir layer lsha lsize config csha csize manifest msha msize
    dir=$(mktemp -d "$WORK/oci.XXXXXX")
    make_bundle "$dir/bundle" true
    mkdir -p "$dir/image/blobs/sha256"
    layer=$dir/layer.tar
    tar -C "$dir/bundle/rootfs" -cf "$layer" .
    lsha=$(sha256sum < "$layer" | cut -d' ' -f1)
    lsize=$(stat -c %s "$layer")
    mv "$layer" "$dir/image/blobs/sha256/$lsha"
    config=$(printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin:/usr/bin:/sbin:/usr/sbin"],"Cmd":%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$(dpkg --print-architecture)" "$cmd" "$lsha")
    csha=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
    csize=${#config}
    printf '%s' "$config" > "$dir/image/blobs/sha256/$csha"
    manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' \
        "$csha" "$csize" "$lsha" "$lsize")
    msha=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
    msize=${#manifest}
    printf '%s' "$manifest" > "$dir/image/blobs/sha256/$msha"
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
        "$msha" "$msize" "$ref" "${ref##*:}" > "$dir/image/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' > "$dir/image/oci-layout"
    tar -C "$dir/image" -cf "$out" oci-layout index.json blobs
    rm -rf "$dir"
}

STATUS_SCRIPT='grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; if touch /rootfs-probe 2>/dev/null; then echo "root=rw"; else echo "root=ro"; fi; if touch /tmp/probe 2>/dev/null; then echo "tmp=rw"; else echo "tmp=ro"; fi'

# field NAME: the value of "NAME:" or "NAME=" in the captured output $OUT
field () {
    printf '%s\n' "$OUT" | sed -n "s/^$1[:=][[:space:]]*//p" | head -n 1
}

# expect_refused FIXTURE_DIR NAME CONTROL TEXT: `hardrun check` refuses the
# engine-written config NAME.json, by CONTROL, saying TEXT.
expect_refused () {
    local out rc
    out=$("$HARDRUN" check "$1/$2.json"); rc=$?
    check_eq "check $2: refused" "1" "$rc"
    check "check $2: by $3" grep -q "REFUSE  $3 " <<< "$out"
    check "check $2: explains $4" grep -q -- "$4" <<< "$out"
}

# expect_hardened FIXTURE_DIR NAME [JQ]: `hardrun check` would start NAME.json
# (first rewritten by the jq filter JQ, if given), modified, keeping the
# workload's args (behind hardrun-init's "--"), env, user and bind mounts
# (and adding hardrun-init's).
expect_hardened () {
    local out rc keep='[(.process.args | if (.[0] | IN("/.hardrun-init", "/dev/.hardrun-init")) then .[(index("--") + 1):] else . end),
        .process.env, .process.user,
        [.mounts[] | select(.type == "bind" or (.options // [] | index("rbind"))) | .destination | select(IN("/.hardrun-init", "/dev/.hardrun-init") | not)]]'
    local input=$1/$2.json
    if [ -n "${3:-}" ]; then
        input=$WORK/$2.input.json
        jq "$3" "$1/$2.json" > "$input"
    fi
    out=$("$HARDRUN" check --json "$input"); rc=$?
    check_eq "check $2: would start" "0" "$rc"
    check "check $2: modified, nothing refused" \
        jqe '.decision == "modify" and ([.items[] | select(.kind == "refusal")] | length == 0)' <<< "$out"
    "$HARDRUN" check --print-config "$input" > "$WORK/$2.hardened.json"
    check "check $2: keeps its args, env, user and bind mounts" \
        test "$(jq -c "$keep" "$input")" = "$(jq -c "$keep" "$WORK/$2.hardened.json")"
}

finish () {
    printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASS" "$FAIL"
    [ "$FAIL" -eq 0 ]
}
