#!/bin/bash
# A read-only root applications live with: the image's content under the
# scratch mounts, data directories writable, the system directories not,
# scratch as large as the memory limit, and a user namespace whose image
# lacks a scratch directory still starts.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

make_bundle "$WORK/b" 'echo "run=$(cat /run/marker)"; echo "lib=$(cat /var/lib/app/seed)";
    mkdir -p /var/lib/app/db /var/cache/app /var/log/app && echo x > /var/lib/app/db/f && echo x > /var/cache/app/f && echo x > /var/log/app/f && echo data=ok;
    for d in /bin /etc /usr /sbin; do touch $d/.probe 2> /dev/null && echo "writable=$d"; done;
    echo "tmp=$(grep " /tmp " /proc/mounts | grep -o "size=[0-9]*k")"; echo done=1'
mkdir -p "$WORK/b/rootfs/var/lib/app" "$WORK/b/rootfs/usr" "$WORK/b/rootfs/sbin"
echo image-run > "$WORK/b/rootfs/run/marker"
echo image-lib > "$WORK/b/rootfs/var/lib/app/seed"
jq '.linux.resources.memory.limit = 134217728' "$WORK/b/config.json" > "$WORK/b/c.tmp" && mv "$WORK/b/c.tmp" "$WORK/b/config.json"
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/b" ro1 2>&1)
check_eq "the container ran to its end" "1" "$(field done)"
check_eq "what the image has under /run is kept (tmpcopyup)" "image-run" "$(field run)"
check_eq "what the image has under /var/lib is kept" "image-lib" "$(field lib)"
check_eq "/var/lib, /var/cache and /var/log take the application's data" "ok" "$(field data)"
check_eq "/bin, /etc, /usr and /sbin stay read-only" "" "$(field writable)"
check_eq "scratch is as large as the memory limit (128 MiB)" "size=131072k" "$(field tmp)"
check "config.json says read-only root" jqe '.root.readonly == true' "$WORK/b/config.json"
check "the image's files are untouched on the host" bash -c "[ ! -e '$WORK/b/rootfs/var/lib/app/db' ] && [ ! -e '$WORK/b/rootfs/bin/.probe' ]"

# a user namespace (rootfs owned by the host's root): runc cannot make a
# mount point the image lacks, so no scratch goes there
make_bundle "$WORK/u" 'echo "vartmp=$(ls -d /var/tmp 2>&1 | head -c 40)"; echo "tmp=$(grep -c " /tmp " /proc/mounts)"; echo done=1'
rm -rf "$WORK/u/rootfs/var/tmp"
chmod o+x "$WORK"  # the mapped root reaches the rootfs
jq '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
    | .mounts |= map(select(.type != "cgroup"))' "$WORK/u/config.json" > "$WORK/u/c.tmp" && mv "$WORK/u/c.tmp" "$WORK/u/config.json"
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/u" userns1 2>&1); rc=$?
[ "$rc" -eq 0 ] || printf "%s\n" "$OUT" >&2
check_eq "user namespace, image without /var/tmp: the container starts" "0:1" "$rc:$(field done)"
check_eq "  with scratch on /tmp, which the image has" "1" "$(field tmp)"
check "  and none on /var/tmp" bash -c "! jq -e '.mounts | any(.destination == \"/var/tmp\")' '$WORK/u/config.json' > /dev/null"
check "  which the decision notes" \
    jqe -s 'map(select(.id == "userns1")) | last | any(.items[]; .message | test("no scratch space on /var/tmp"))' "$DECISIONS"

# the image's content owned by ids the namespace does not map (runc's copy
# would fail to chown it: host root shows as the overflow id 65534, which a
# mapping of 65534 ids leaves out): that directory stays read-only, the container
# starts and sees the content
make_bundle "$WORK/u2" 'echo "seed=$(cat /var/lib/app/seed)"; echo done=1'
mkdir -p "$WORK/u2/rootfs/var/lib/app" && echo kept > "$WORK/u2/rootfs/var/lib/app/seed"
jq '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65534}]
    | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65534}]
    | .mounts |= map(select(.type != "cgroup"))' "$WORK/u2/config.json" > "$WORK/u2/c.tmp" && mv "$WORK/u2/c.tmp" "$WORK/u2/config.json"
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/u2" userns2 2>&1); rc=$?
[ "$rc" -eq 0 ] || printf "%s\n" "$OUT" >&2
check_eq "user namespace, image content the namespace does not own: the container starts" "0:1" "$rc:$(field done)"
check_eq "  and sees that content" "kept" "$(field seed)"
check "  no copy of it is attempted" bash -c "! jq -e '.mounts | any(.destination == \"/var/lib\")' '$WORK/u2/config.json' > /dev/null"

finish
