#!/bin/bash
# make-bundle.sh [--all-caps] DIR [SCRIPT]: an OCI bundle with a busybox
# rootfs (from the busybox-static package; no registry needed) whose process
# runs `sh -c SCRIPT`. The config is unhardened the way engines write it:
# the 14 capabilities Docker and containerd grant by default in every set, a
# writable root, no seccomp filter and no noNewPrivileges, so that what
# hardrun changes is plain to see. --all-caps grants every capability, as
# --privileged does.
set -euo pipefail
all_caps=false
if [ "${1:-}" = "--all-caps" ]; then
    all_caps=true
    shift
fi
dir=${1:?usage: make-bundle.sh [--all-caps] DIR [SCRIPT]}
script=${2:-'grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status'}
runc=${RUNC:-$(command -v runc)}
engine_caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE","CAP_NET_BIND_SERVICE","CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK","CAP_IPC_OWNER","CAP_SYS_MODULE","CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT","CAP_SYS_NICE","CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE","CAP_AUDIT_WRITE","CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN","CAP_SYSLOG","CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ"]'

root=$dir/rootfs
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/etc" "$root/run" "$root/var/tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
for app in sh cat grep ls touch id echo sleep head true unshare; do
    ln -sf busybox "$root/bin/$app"
done
rm -f "$dir/config.json"
(cd "$dir" && "$runc" spec)
$all_caps || caps=$engine_caps
jq --argjson caps "$caps" --arg script "$script" '
    .process.terminal = false
    | .process.args = ["sh", "-c", $script]
    | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps,
                               inheritable: $caps, ambient: $caps}
    | .process.noNewPrivileges = false
    | .root.readonly = false
    | del(.linux.seccomp)' "$dir/config.json" > "$dir/config.json.tmp"
mv "$dir/config.json.tmp" "$dir/config.json"
