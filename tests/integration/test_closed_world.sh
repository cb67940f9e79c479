#!/bin/bash
# The closed world, with real containers: each class of config that would
# give a container (or the host, through runc) more than the default policy
# allows is refused before runc runs, and its effect is absent. Where the
# effect can be shown safely, plain runc shows it first on a copy, so each
# test could fail.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

# edit BUNDLE [JQ OPTIONS] FILTER: rewrite the bundle's config.json with jq
edit () {
    local bundle=$1
    shift
    jq "$@" "$bundle/config.json" > "$WORK/edit.json" && mv "$WORK/edit.json" "$bundle/config.json"
}

# refused NAME BUNDLE CONTROL TEXT: hardrun refuses the bundle, naming the
# control and TEXT, config.json byte-identical, no container
refused () {
    local name=$1 bundle=$2 before err rc
    before=$(sha256sum < "$bundle/config.json")
    err=$("$HARDRUN" --root "$STATE" run --bundle "$bundle" "$name" 2>&1 > /dev/null)
    rc=$?
    check_eq "$name: refused" "1" "$rc"
    check "$name: by $3" grep -q "refused by profile .*: $3: " <<< "$err"
    check "$name: says why ($4)" grep -qF -- "$4" <<< "$err"
    check_eq "$name: config.json byte-identical" "$before" "$(sha256sum < "$bundle/config.json")"
    check "$name: runc never ran" bash -c "! '$RUNC' --root '$STATE' state '$name' > /dev/null 2>&1"
}

# fresh NAME [SCRIPT]: a new unhardened bundle at $WORK/NAME
fresh () { make_bundle "$WORK/$1" "${2:-true}"; }

# 1. a hook runs on the host as root: runc runs it, hardrun refuses it
fresh hook
edit "$WORK/hook" --arg m "$WORK/hook-ran" '.hooks = {"prestart": [{"path": "/bin/sh", "args": ["sh", "-c", "touch \($m)"]}]}'
cp -r "$WORK/hook" "$WORK/hook-plain"
"$RUNC" --root "$STATE" run --bundle "$WORK/hook-plain" hook-plain > /dev/null 2>&1
check "hook: under plain runc it runs on the host" test -e "$WORK/hook-ran"
rm -f "$WORK/hook-ran"
refused hook "$WORK/hook" hooks "on the host as root, outside the container's limits"
check "hook: under hardrun it never ran" test ! -e "$WORK/hook-ran"
# an operator's allowlisted hook runs
fresh hook-ok
edit "$WORK/hook-ok" --arg m "$WORK/hook-ok-ran" '.hooks = {"prestart": [{"path": "/usr/bin/touch", "args": ["touch", $m]}]}'
write_config "$WORK/hooks.json" '"profiles": { "default": { "hooks": { "allowed_paths": ["/usr/bin/touch"] } } }'
HARDRUN_CONFIG=$WORK/hooks.json "$HARDRUN" --root "$STATE" run --bundle "$WORK/hook-ok" hook-ok > /dev/null 2>&1
check "hook on the allowlist: the container ran it" test -e "$WORK/hook-ok-ran"

# 2. filesystems the kernel would make: rw sysfs, a second proc, devtmpfs
fresh sysrw
edit "$WORK/sysrw" '(.mounts[] | select(.destination == "/sys") | .options) |= map(select(. != "ro")) + ["rw"]'
refused sysrw "$WORK/sysrw" mount_types "a sysfs mount at /sys with these options is not one the profile allows"
fresh proc2
edit "$WORK/proc2" '.mounts += [{"destination": "/p", "type": "proc", "source": "proc"}]'
refused proc2 "$WORK/proc2" mount_types "a proc mount at /p"
fresh devtmpfs
edit "$WORK/devtmpfs" '.mounts += [{"destination": "/hostdev", "type": "devtmpfs", "source": "devtmpfs"}]'
refused devtmpfs "$WORK/devtmpfs" mount_types "a devtmpfs mount at /hostdev"

fresh remount
edit "$WORK/remount" '.mounts += [{"destination": "/sys", "type": "tmpfs", "source": "tmpfs", "options": ["remount", "nosuid", "nodev"]}]'
refused remount "$WORK/remount" mount_types "a remount of /sys would change the options of the mount already there"

# 3. bind sources, judged where runc finds them
fresh ancestor
edit "$WORK/ancestor" '.mounts += [{"destination": "/x", "type": "bind", "source": "/var", "options": ["rbind", "ro"]}]'
refused ancestor "$WORK/ancestor" host_mounts "bind mount of /var: a directory that holds a host system path"
fresh relative
edit "$WORK/relative" '.mounts += [{"destination": "/x", "type": "bind", "source": "../../../etc", "options": ["rbind", "ro"]}]'
refused relative "$WORK/relative" host_mounts "bind mount of /etc: a host system path"
# a relative source through a symlink in the bundle, bound by its options
# with another type (runc binds any type given rbind)
fresh linked
ln -s /etc "$WORK/linked/lnk"
edit "$WORK/linked" '.mounts += [{"destination": "/hostetc", "type": "none", "source": "lnk", "options": ["rbind", "rw"]}]'
refused linked "$WORK/linked" host_mounts "bind mount of /etc: a host system path"
fresh linked2
ln -s /etc "$WORK/linked2/lnk"
edit "$WORK/linked2" '.mounts += [{"destination": "/hostetc", "source": "lnk", "options": ["bind"]}]'
refused linked2 "$WORK/linked2" host_mounts "bind mount of /etc: a host system path"
# a source that does not exist yet, through a link to the rootfs: once the
# config's proc is mounted, <rootfs>/proc/1/root is the host's root
fresh hidden
ln -s rootfs "$WORK/hidden/r"
mkdir -p "$WORK/hidden/rootfs/host"
edit "$WORK/hidden" '.mounts += [{"destination": "/host", "type": "bind", "source": "r/proc/1/root", "options": ["rbind"]}]'
refused hidden "$WORK/hidden" host_mounts "inside the container's own root"
fresh ownbundle
edit "$WORK/ownbundle" '.mounts += [{"destination": "/mnt", "type": "bind", "source": ".", "options": ["rbind", "ro"]}]'
refused ownbundle "$WORK/ownbundle" host_mounts "it holds the container's own root"
fresh ownroot
edit "$WORK/ownroot" '.mounts += [{"destination": "/again", "type": "bind", "source": "rootfs", "options": ["rbind", "rw"]}]'
refused ownroot "$WORK/ownroot" host_mounts "inside the container's own root"
fresh through
edit "$WORK/through" '.mounts += [{"destination": "/h", "type": "bind", "source": "rootfs/proc/1/root/etc", "options": ["rbind"]}]'
refused through "$WORK/through" host_mounts "inside the container's own root"
mkdir -p "$WORK/hardrun-state"
fresh ownstate
edit "$WORK/ownstate" --arg s "$WORK/hardrun-state" '.mounts += [{"destination": "/s", "type": "bind", "source": $s, "options": ["rbind"]}]'
write_config "$WORK/wide.json" "\"profiles\": { \"default\": { \"host_mounts\": { \"allowed_paths\": [\"$WORK/*\"] } } }"
before=$(sha256sum < "$WORK/ownstate/config.json")
err=$(HARDRUN_CONFIG=$WORK/wide.json "$HARDRUN" --root "$STATE" run --bundle "$WORK/ownstate" ownstate 2>&1 > /dev/null)
check "state_dir: never bindable, whatever allowed_paths says" grep -q "hardrun's own state" <<< "$err"
check "state_dir: the container never ran" bash -c "! '$RUNC' --root '$STATE' state ownstate > /dev/null 2>&1"

# 4. namespaces joined by path: the host's mount and uts namespaces, a relative path
fresh mntns
edit "$WORK/mntns" '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/self/ns/mnt" else . end)'
refused mntns "$WORK/mntns" host_namespaces "the mount namespace /proc/self/ns/mnt is the host's: runc would re-root the host"
fresh utsns
edit "$WORK/utsns" '.linux.namespaces |= map(if .type == "uts" then .path = "/proc/self/ns/uts" else . end) | .hostname = "pwned"'
refused utsns "$WORK/utsns" host_namespaces "the uts namespace /proc/self/ns/uts is the host's: runc would set the host's hostname"
check "utsns: the host's hostname is its own" test "$(hostname)" != "pwned"
fresh futurens
edit "$WORK/futurens" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/999999999/ns/net" else . end)'
refused futurens "$WORK/futurens" host_namespaces "cannot identify the network namespace at /proc/999999999/ns/net now"
fresh relns
edit "$WORK/relns" '.linux.namespaces |= map(if .type == "network" then .path = "proc/1/ns/net" else . end)'
refused relns "$WORK/relns" host_namespaces "is relative"

# 5. root.path: the host's root, a host system directory
fresh hostroot
edit "$WORK/hostroot" '.root.path = "/"'
refused hostroot "$WORK/hostroot" rootfs "the host's root"
fresh etcroot
edit "$WORK/etcroot" '.root.path = "/etc"'
refused etcroot "$WORK/etcroot" rootfs "a host system path"

# 6. cgroupsPath: this test's own cgroup, which has processes in it
own_cgroup=$(sed -n 's/^0:://p' /proc/self/cgroup)
if [ -n "$own_cgroup" ]; then
    fresh cgroup
    edit "$WORK/cgroup" --arg c "$own_cgroup" '.linux.cgroupsPath = $c'
    refused cgroup "$WORK/cgroup" cgroups "exists and has processes in it"
    check "cgroup: this shell is still where it was" test "$(sed -n 's/^0:://p' /proc/self/cgroup)" = "$own_cgroup"
fi

# a cgroup of another hierarchy than the one this test found (cgroup v1:
# each controller its own), and a path runc's fs driver cleans to the root
fresh colon
edit "$WORK/colon" '.linux.cgroupsPath = "a.slice:b:/.."'
refused colon "$WORK/colon" cgroups "exists and has processes in it"
while IFS=: read -r _ ctl path; do
    [ -n "$ctl" ] && [ "$path" != "/" ] || continue
    fresh v1cg
    edit "$WORK/v1cg" --arg c "$path" '.linux.cgroupsPath = $c'
    refused v1cg "$WORK/v1cg" cgroups "exists and has processes in it"
    break
done < /proc/self/cgroup

# 7. a device rule without a type is every device, whatever its access
fresh devall
edit "$WORK/devall" '.linux.resources.devices = [{"allow": true, "access": "m"}]'
refused devall "$WORK/devall" privileged "the device cgroup allows a *:*"

# 8. annotations runc acts on itself
fresh systemd
edit "$WORK/systemd" '.annotations = {"org.systemd.property.DeviceAllow": "/dev/sda rwm"}'
refused systemd "$WORK/systemd" annotations "runc acts on annotation org.systemd.property.DeviceAllow"

# 9. a field runc does not read
fresh unknown
edit "$WORK/unknown" '.linux.timeOffsets = {"monotonic": {"secs": 1}}'
refused unknown "$WORK/unknown" fields "linux.timeOffsets is not a field runc 1.1 reads"

# 10. a masked path given through a missing directory is masked anyway
make_bundle "$WORK/masked" 'if [ -s /proc/kcore ]; then echo kcore=visible; else echo kcore=masked; fi'
edit "$WORK/masked" '.linux.maskedPaths = ["/nonexistent/../proc/kcore"]'
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/masked" masked 2>&1)
check_eq "masked: /proc/kcore is masked in the container" "masked" "$(field kcore)"
check "masked: the exact path is in the config runc read" jqe '.linux.maskedPaths | index("/proc/kcore")' "$WORK/masked/config.json"

# 11. exec without --process takes config.json as it is at exec time: one
# rewritten since create is judged against the container's record
make_bundle "$WORK/live" "sleep 60"
"$HARDRUN" --root "$STATE" run -d --bundle "$WORK/live" live > /dev/null 2>&1
check "live: a running container" "$HARDRUN" --root "$STATE" exec live true
check "live: its record is written" wait_record live
cp "$WORK/live/config.json" "$WORK/live.config.json"
edit "$WORK/live" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
OUT=$("$RUNC" --root "$STATE" exec live grep CapEff /proc/self/status 2>&1)
check "live: plain runc exec would take the rewritten caps (CAP_SYS_ADMIN)" \
    test $(( 0x$(field CapEff) & (1 << 21) )) -ne 0
err=$("$HARDRUN" --root "$STATE" exec live grep CapEff /proc/self/status 2>&1 > /dev/null); rc=$?
check_eq "live: hardrun refuses the exec" "1" "$rc"
check "live: naming the changed config" grep -q "config.json changed since create.*CAP_SYS_ADMIN" <<< "$err"
cp "$WORK/live.config.json" "$WORK/live/config.json"
check "live: with the config as created, exec runs" "$HARDRUN" --root "$STATE" exec live true
err=$("$HARDRUN" --root "$STATE" exec --cgroup ../../.. live true 2>&1 > /dev/null); rc=$?
check_eq "live: exec --cgroup out of the container's cgroup refused" "1" "$rc"
check "live: says so" grep -q "exec --cgroup leaves the container's cgroup" <<< "$err"
# update input is read as runc reads it too
err=$(echo '{"pids": {"max": 5}}' | "$HARDRUN" --root "$STATE" update --resources - live 2>&1 > /dev/null); rc=$?
check_eq "live: update with a field runc does not read refused" "1" "$rc"
check "live: naming it" grep -q "linux.resources.pids.max is not a field runc 1.1 reads" <<< "$err"
check "live: an update runc reads goes through, stdin handed on" \
    bash -c "echo '{\"pids\": {\"limit\": 100}}' | '$HARDRUN' --root '$STATE' update --resources - live"
check_eq "live: and runc applied it" "100" \
    "$(jq -r '.config.cgroups.pids_limit // .config.cgroups.Resources.pids_limit // empty' "$STATE/live/state.json" 2>/dev/null)"
"$RUNC" --root "$STATE" kill live KILL > /dev/null 2>&1

# 12. restore takes its processes from a checkpoint image: refused by default
make_bundle "$WORK/restore" true
err=$("$HARDRUN" --root "$STATE" restore --image-path "$WORK/img" --bundle "$WORK/restore" restored 2>&1 > /dev/null); rc=$?
check_eq "restore: refused" "1" "$rc"
check "restore: the profile does not allow it" grep -q "commands: restore: the profile does not allow restore" <<< "$err"

# 13. and an everyday bundle still runs
make_bundle "$WORK/plain" 'echo ran=yes'
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/plain" plain 2>&1)
check_eq "an everyday bundle runs" "yes" "$(field ran)"

finish
