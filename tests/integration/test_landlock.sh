#!/bin/bash
# Least file access with Landlock, through hardrun-init, inside real
# containers whose process is uid 0 holding CAP_DAC_OVERRIDE (Docker's
# default set): a file outside the read rules cannot be read, a writable
# volume outside the write rules cannot be written, a binary copied to
# scratch cannot be executed, and the workload itself runs, with its exit
# status. A kernel without Landlock (the ABI probe capped) gives a finding
# and an unchanged container.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
INIT=${HARDRUN_INIT:-$(dirname "$HARDRUN")/hardrun-init}
if [ ! -x "$INIT" ]; then
    not_ok "hardrun-init is not built beside $HARDRUN"
    finish
    exit
fi
write_config "$HARDRUN_CONFIG" '"init": "'"$INIT"'",
  "profiles": {
    "ll": { "controls": { "landlock": "enforce" } },
    "narrow": { "controls": { "landlock": "enforce" },
                "landlock": { "read": ["/bin", "/lib", "/usr", "/dev", "/proc", "/tmp", "/data"], "write": ["/tmp", "/dev"] } },
    "old-kernel": { "controls": { "landlock": "enforce" }, "landlock": { "abi_max": 1 } },
    "learn": { "learning": "record", "learning_promote_after": 0 },
    "ports": { "landlock": { "tcp_bind": [8080], "tcp_connect": [9] } } },
  "selection": [
    { "match": { "annotations": { "tier": "ll" } }, "profile": "ll" },
    { "match": { "annotations": { "tier": "narrow" } }, "profile": "narrow" },
    { "match": { "annotations": { "tier": "old-kernel" } }, "profile": "old-kernel" },
    { "match": { "annotations": { "tier": "learn" } }, "profile": "learn" },
    { "match": { "annotations": { "tier": "ports" } }, "profile": "ports" } ]'
H=("$HARDRUN" --root "$STATE")
quiet_all () { "$@" > /dev/null 2>&1 < /dev/null; }

# bundle DIR TIER SCRIPT: a busybox bundle with a writable volume at /data
bundle () {
    make_bundle "$1" "$3"
    ln -sf busybox "$1/rootfs/bin/cp"
    echo "secret" > "$1/rootfs/etc/shadow-like"
    mkdir -p "$1/volume"
    jq --arg tier "$2" --arg vol "$1/volume" '.annotations.tier = $tier | .process.terminal = false
        | .mounts += [{destination: "/data", type: "bind", source: $vol, options: ["rbind", "rw"]}]' \
        "$1/config.json" > "$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"
}
PROBES='grep CapEff /proc/self/status; echo "uid=$(id -u)"
if cat /etc/shadow-like > /dev/null 2>&1; then echo read-etc=ok; else echo "read-etc=$(cat /etc/shadow-like 2>&1 | sed "s/.*: //")"; fi
if { echo x > /data/f; } 2> /dev/null; then echo write-data=ok; else echo write-data=denied; fi
if { echo x > /tmp/f; } 2> /dev/null; then echo write-tmp=ok; else echo write-tmp=denied; fi
cp /bin/busybox /tmp/busybox && if /tmp/busybox true 2> /dev/null; then echo exec-tmp=ok; else echo exec-tmp=denied; fi
echo "pid1=$(head -c 18 /proc/1/cmdline)"'

# ---- plain runc: the probes can all succeed ----
bundle "$WORK/plain" ll "$PROBES"
OUT=$("$RUNC" --root "$STATE" run --bundle "$WORK/plain" plain 2>&1)
check_eq "runc alone: root reads /etc" "ok" "$(field read-etc)"
check_eq "runc alone: exec from /tmp works" "ok" "$(field exec-tmp)"

# ---- the default ruleset ----
bundle "$WORK/def" ll "$PROBES"
OUT=$("${H[@]}" run --bundle "$WORK/def" def 2>&1); rc=$?
check_eq "default: the workload runs" "0" "$rc"
check_eq "default: as uid 0" "0" "$(field uid)"
check_eq "default: holding CAP_DAC_OVERRIDE (among Docker's set)" "00000000000004fb" "$(field CapEff)"
check_eq "default: behind hardrun-init, bound in the /dev tmpfs" "/dev/.hardrun-init" "$(field pid1)"
check_eq "default: reads the image" "ok" "$(field read-etc)"
check_eq "default: writes its volume" "ok" "$(field write-data)"
check_eq "default: writes its scratch" "ok" "$(field write-tmp)"
check_eq "default: cannot execute a binary copied to scratch" "denied" "$(field exec-tmp)"
check "the decision says so" jqe -s 'any(.[]; .id == "def" and any(.items[]; .control == "landlock" and .kind == "change"))' "$DECISIONS"
check "hardrun-init is bound read-only" \
    jqe 'any(.mounts[]; .destination == "/dev/.hardrun-init" and (.options | index("ro")))' "$WORK/def/config.json"

# ---- a profile's lists: /etc not readable, the volume not writable ----
bundle "$WORK/nar" narrow "$PROBES"
OUT=$("${H[@]}" run --bundle "$WORK/nar" nar 2>&1)
check_eq "narrow: uid 0 with CAP_DAC_OVERRIDE cannot read /etc (EACCES)" "Permission denied" "$(field read-etc)"
check_eq "narrow: cannot write the volume outside its write rules" "denied" "$(field write-data)"
check "  and nothing reached it" test ! -e "$WORK/nar/volume/f"
check_eq "narrow: writes /tmp" "ok" "$(field write-tmp)"

# ---- an exec gets the same limits, with and without --process ----
bundle "$WORK/ex" narrow "sleep 30"
check "a narrow container runs" quiet_all "${H[@]}" run -d --bundle "$WORK/ex" ex
OUT=$("${H[@]}" exec ex sh -c "$PROBES" 2>&1)
check_eq "exec: cannot read /etc either" "Permission denied" "$(field read-etc)"
check_eq "exec: nor write the volume" "denied" "$(field write-data)"
jq -n --arg s "$PROBES" '{terminal: false, user: {uid: 0, gid: 0}, cwd: "/", args: ["sh", "-c", $s],
    env: ["PATH=/bin"], capabilities: {bounding: ["CAP_DAC_OVERRIDE"], effective: ["CAP_DAC_OVERRIDE"], permitted: ["CAP_DAC_OVERRIDE"]}}' \
    > "$WORK/process.json"
OUT=$("${H[@]}" exec --process "$WORK/process.json" ex 2>&1)
check_eq "exec --process: uid 0 with CAP_DAC_OVERRIDE cannot read /etc" "Permission denied" "$(field read-etc)"
check_eq "exec --process: nor execute from scratch" "denied" "$(field exec-tmp)"
check "the process file was put behind hardrun-init" jqe '.args[0] == "/dev/.hardrun-init"' "$WORK/process.json"
"${H[@]}" delete --force ex > /dev/null 2>&1

# ---- an exec still signals the workload (nginx -s reload, kill -HUP 1) ----
bundle "$WORK/sig" ll 'trap "echo hup > /data/hup" HUP; while :; do sleep 0.1; done'
check "a container that reloads on SIGHUP runs" quiet_all "${H[@]}" run -d --bundle "$WORK/sig" sig
OUT=$("${H[@]}" exec sig sh -c 'kill -HUP 1 && echo sent=yes' 2>&1)
check_eq "exec: kill -HUP 1 reaches pid 1 (hardrun-init, which passes it on)" "yes" "$(field sent)"
for _ in $(seq 50); do [ -e "$WORK/sig/volume/hup" ] && break; sleep 0.1; done
check_eq "  and the workload got it" "hup" "$(cat "$WORK/sig/volume/hup" 2> /dev/null)"
"${H[@]}" delete --force sig > /dev/null 2>&1

# ---- the workload's exit status, through hardrun-init as pid 1 ----
bundle "$WORK/st" ll 'sleep 0.1 & exit 7'
"${H[@]}" run --bundle "$WORK/st" st > /dev/null 2>&1; rc=$?
check_eq "the workload's exit status comes through hardrun-init" "7" "$rc"

# ---- no Landlock: a finding, the container unchanged ----
bundle "$WORK/old" old-kernel "$PROBES"
OUT=$("${H[@]}" run --bundle "$WORK/old" old 2>&1); rc=$?
check_eq "without Landlock the container still runs" "0" "$rc"
check "  not behind hardrun-init" test "$(field pid1)" != "/dev/.hardrun-init"
check_eq "  unlimited, as runc alone" "ok" "$(field exec-tmp)"
check "  and the decision says why" \
    jqe -s 'any(.[]; .id == "old" and any(.items[]; .control == "landlock" and (.message | test("Landlock is not available \\(ABI 1\\)"))))' "$DECISIONS"

# ---- the default: an application outside the system directories runs;
# ---- what lies where the workload writes does not ----
bundle "$WORK/app" ll 'echo "app=$(/app/bin/tool)"
cp /app/bin/tool /data/tool; if /data/tool > /dev/null 2>&1; then echo exec-volume=ok; else echo exec-volume=denied; fi
if /usr/local/bin/tool > /dev/null 2>&1; then echo exec-local=ok; else echo exec-local=denied; fi'
mkdir -p "$WORK/app/rootfs/app/bin" "$WORK/app/rootfs/usr/local/bin"
printf '#!/bin/sh\necho ran\n' > "$WORK/app/rootfs/app/bin/tool"
chmod 755 "$WORK/app/rootfs/app/bin/tool"
cp "$WORK/app/rootfs/app/bin/tool" "$WORK/app/rootfs/usr/local/bin/tool"
OUT=$("${H[@]}" run --bundle "$WORK/app" app 2>&1)
check_eq "default: an application in /app runs" "ran" "$(field app)"
check_eq "default: so does one in /usr/local/bin" "ok" "$(field exec-local)"
check_eq "default: a copy of it on the writable volume cannot be executed" "denied" "$(field exec-volume)"

# ---- what is cut out of execute is found in the tree runc made, by what
# ---- it is: a mount a symlink in a volume moved, a directory bound twice,
# ---- a read-only bind with a writable mount inside, a deep mount ----
# add_mounts DIR JSON: append JSON (an array of mounts) to DIR's config
add_mounts () {
    jq --argjson m "$2" '.mounts += $m' "$1/config.json" > "$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"
}
bundle "$WORK/moved" ll 'cp /bin/busybox /data/cache/busybox 2> /dev/null
if /usr/local/bin/busybox true 2> /dev/null; then echo exec-moved=ok; else echo exec-moved=denied; fi
if /bin/busybox true; then echo exec-image=ok; fi'
mkdir -p "$WORK/moved/rootfs/usr/local/bin"
ln -s /usr/local/bin "$WORK/moved/volume/cache" # left by an earlier run of the workload
add_mounts "$WORK/moved" '[{"destination": "/data/cache", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/moved" moved 2>&1)
check_eq "a scratch mount a symlink in the volume moved onto /usr/local/bin: nothing copied there runs" "denied" "$(field exec-moved)"
check_eq "  the image's own binaries do" "ok" "$(field exec-image)"

bundle "$WORK/twice" ll 'cp /bin/busybox /upload/busybox
if /app2/busybox true 2> /dev/null; then echo exec-twice=ok; else echo exec-twice=denied; fi
cp /bin/busybox /up2/busybox
if /code2/sub/busybox true 2> /dev/null; then echo exec-parent=ok; else echo exec-parent=denied; fi
/app/tool; if { echo x > /app/uploads/f; } 2> /dev/null; then echo write-uploads=ok; fi'
mkdir -p "$WORK/shared" "$WORK/code/uploads" "$WORK/uploads" "$WORK/shared2/sub"
printf '#!/bin/sh\necho tool=ran\n' > "$WORK/code/tool"
chmod 755 "$WORK/code/tool"
add_mounts "$WORK/twice" '[{"destination": "/app2", "type": "bind", "source": "'"$WORK/shared"'", "options": ["rbind", "ro"]},
    {"destination": "/upload", "type": "bind", "source": "'"$WORK/shared"'", "options": ["rbind", "rw"]},
    {"destination": "/app", "type": "bind", "source": "'"$WORK/code"'", "options": ["rbind", "ro"]},
    {"destination": "/app/uploads", "type": "bind", "source": "'"$WORK/uploads"'", "options": ["rbind", "rw"]},
    {"destination": "/code2", "type": "bind", "source": "'"$WORK/shared2"'", "options": ["rbind", "ro"]},
    {"destination": "/up2", "type": "bind", "source": "'"$WORK/shared2/sub"'", "options": ["rbind", "rw"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/twice" twice 2>&1)
check_eq "one directory bound read-only and writable: what is written through one cannot run through the other" \
    "denied" "$(field exec-twice)"
check_eq "a directory bound writable, its parent read-only: what is written cannot run through the parent" \
    "denied" "$(field exec-parent)"
check_eq "a read-only bind with a writable mount inside: its own program runs" "ran" "$(field tool)"
check_eq "  and the mount inside takes writes" "ok" "$(field write-uploads)"

bundle "$WORK/deep" ll 'cp /bin/busybox /usr/share/app/cache/busybox
if /usr/share/app/cache/busybox true 2> /dev/null; then echo exec-deep=ok; else echo exec-deep=denied; fi
if /usr/share/d599/tool > /dev/null; then echo exec-sibling=ok; fi'
mkdir -p "$WORK/deep/rootfs/usr/share/app/cache"
for i in $(seq 600); do mkdir "$WORK/deep/rootfs/usr/share/d$i"; done
cp "$WORK/code/tool" "$WORK/deep/rootfs/usr/share/d599/tool"
add_mounts "$WORK/deep" '[{"destination": "/usr/share/app/cache", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/deep" deep 2>&1)
check_eq "a scratch mount among 600 directories: nothing copied there runs" "denied" "$(field exec-deep)"
check_eq "  what its neighbours hold does" "ok" "$(field exec-sibling)"

# the writable places come from the kernel's mount table, not their names:
# a file bind an image symlink moved, binds whose sources are relative or
# reached through a host symlink, and an exec after the workload swapped the
# symlink that moved a mount
bundle "$WORK/names" ll 'printf "#!/bin/sh\necho ran\n" > /etc/resolv.conf; chmod 755 /etc/resolv.conf
if /opt/net/resolv.conf > /dev/null 2>&1; then echo exec-file=ok; else echo exec-file=denied; fi
cp /bin/busybox /ru/busybox; if /rc/sub/busybox true 2> /dev/null; then echo exec-rel=ok; else echo exec-rel=denied; fi
cp /bin/busybox /hu/busybox; if /hc/sub/busybox true 2> /dev/null; then echo exec-hostlink=ok; else echo exec-hostlink=denied; fi'
mkdir -p "$WORK/names/rootfs/opt/net" "$WORK/names/relcode/sub" "$WORK/hcode/sub"
touch "$WORK/names/rootfs/opt/net/resolv.conf" "$WORK/resolv"
ln -sf /opt/net/resolv.conf "$WORK/names/rootfs/etc/resolv.conf"
ln -s hcode "$WORK/hlink"
add_mounts "$WORK/names" '[{"destination": "/etc/resolv.conf", "type": "bind", "source": "'"$WORK/resolv"'", "options": ["rbind", "rw"]},
    {"destination": "/rc", "type": "bind", "source": "relcode", "options": ["rbind", "ro"]},
    {"destination": "/ru", "type": "bind", "source": "relcode/sub", "options": ["rbind", "rw"]},
    {"destination": "/hc", "type": "bind", "source": "'"$WORK/hcode"'", "options": ["rbind", "ro"]},
    {"destination": "/hu", "type": "bind", "source": "'"$WORK/hlink/sub"'", "options": ["rbind", "rw"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/names" names 2>&1)
check_eq "a writable file bind an image symlink moved to /opt/net: what is written there cannot run" "denied" "$(field exec-file)"
check_eq "binds of a relative source and its subdirectory: what is written cannot run through the other" "denied" "$(field exec-rel)"
check_eq "the same through a host symlink in the writable source" "denied" "$(field exec-hostlink)"

bundle "$WORK/swap" ll 'cp /bin/busybox /data/cache/busybox; rm /data/cache; ln -s /nonexistent /data/cache; sleep 30'
mkdir -p "$WORK/swap/rootfs/usr/local/bin"
ln -s /usr/local/bin "$WORK/swap/volume/cache"
add_mounts "$WORK/swap" '[{"destination": "/data/cache", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
check "a container whose scratch a symlink moved onto /usr/local/bin runs" quiet_all "${H[@]}" run -d --bundle "$WORK/swap" swap
for _ in $(seq 50); do [ -L "$WORK/swap/volume/cache" ] && [ "$(readlink "$WORK/swap/volume/cache")" = /nonexistent ] && break; sleep 0.1; done
OUT=$("${H[@]}" exec swap sh -c 'if /usr/local/bin/busybox true 2> /dev/null; then echo exec-swapped=ok; else echo exec-swapped=denied; fi' 2>&1)
check_eq "  an exec after it swapped that symlink still cannot run what it put there" "denied" "$(field exec-swapped)"
"${H[@]}" delete --force swap > /dev/null 2>&1

# containerd's sandbox binds its shm read-only over the /dev/shm tmpfs: the
# tmpfs under it is reached by no path and needs no cut
bundle "$WORK/stacked" ll 'echo started=yes'
mkdir -p "$WORK/shm"
add_mounts "$WORK/stacked" '[{"destination": "/dev/shm", "type": "bind", "source": "'"$WORK/shm"'", "options": ["rbind", "ro"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/stacked" stacked 2>&1)
check_eq "a writable mount a read-only one was stacked on: the workload starts" "yes" "$(field started)"

# a mount with no source (the kernel shows an empty one), and a file bind
# whose source the host replaced after the start (sed -i, an editor): the
# container starts, and its execs still run
bundle "$WORK/edited" ll 'sleep 30'
echo one > "$WORK/app.conf"
add_mounts "$WORK/edited" '[{"destination": "/scratch", "type": "tmpfs", "options": ["nosuid", "nodev"]},
    {"destination": "/etc/app.conf", "type": "bind", "source": "'"$WORK/app.conf"'", "options": ["rbind", "rw"]}]'
quiet_all "${H[@]}" run -d --bundle "$WORK/edited" edited
sleep 0.5
check_eq "a tmpfs without a source and a writable file bind: the container starts and runs" \
    "running" "$("$RUNC" --root "$STATE" state edited 2> /dev/null | jq -r .status)"
echo two > "$WORK/app.conf.new" && mv "$WORK/app.conf.new" "$WORK/app.conf"
OUT=$("${H[@]}" exec edited sh -c 'echo exec=ran' 2>&1)
check_eq "  an exec after the host replaced the bound file runs" "ran" "$(field exec)"
"${H[@]}" delete --force edited > /dev/null 2>&1

# uid 1000 without capabilities, a scratch mount in a home it cannot enter
bundle "$WORK/home" ll 'echo started=yes'
mkdir -p "$WORK/home/rootfs/home/app"
chmod 700 "$WORK/home/rootfs/home/app"
jq '.process.user = {uid: 1000, gid: 1000} | .process.capabilities = {}' "$WORK/home/config.json" > "$WORK/home/c.tmp" \
    && mv "$WORK/home/c.tmp" "$WORK/home/config.json"
add_mounts "$WORK/home" '[{"destination": "/home/app/.cache", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/home" home 2>&1)
check_eq "a writable mount the process cannot reach needs no cut: the workload starts" "yes" "$(field started)"

# ---- hardrun-init on the host: what it is given by name is judged by what
# ---- the name leads to ----
mkdir -p "$WORK/hi/ro" "$WORK/hi/w" "$WORK/hi/p/w"
# busybox is static: nothing but the file itself needs executing
cp "$(command -v busybox)" "$WORK/hi/w/busybox"
ln -s "$WORK/hi/w/busybox" "$WORK/hi/ro/busybox"
"$INIT" -r / -X "$WORK/hi/ro/busybox" -n "$WORK/hi/w" -- "$WORK/hi/ro/busybox" true 2> "$WORK/hi/err"; rc=$?
check_eq "-X naming, through a symlink, a file in a -n place: not executable" "127" "$rc"
check "  and it says where the file lies" grep -q "lies where the workload writes" "$WORK/hi/err"
cp "$(command -v busybox)" "$WORK/hi/p/w/busybox"
chmod 755 "$WORK/hi/p/w/busybox"; chmod 700 "$WORK/hi/p"
(cd "$WORK/hi/p/w" && setpriv --reuid 65534 --regid 65534 --clear-groups \
    "$INIT" -r / -X / -n "$WORK/hi/p/w" -- ./busybox true) 2> /dev/null; rc=$?
check_eq "a -n place the process may not walk to, but works in: nothing there runs" "127" "$rc"
(cd "$WORK/hi/p/w" && setpriv --reuid 65534 --regid 65534 --clear-groups ./busybox true); rc=$?
check_eq "  (without hardrun-init it does)" "0" "$rc"
"$INIT" -r / -X / -A 99 -- /bin/true 2> "$WORK/hi/err"; rc=$?
check_eq "a Landlock ABI below the host's (-A): refused, not run unrestricted" "126" "$rc"
check "  saying so" grep -q "refusing to run unrestricted" "$WORK/hi/err"

# a seccomp filter that answers the probe with ENOSYS: refused, not run
# without Landlock
bundle "$WORK/noprobe" ll 'echo started=yes'
jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["landlock_create_ruleset"], action: "SCMP_ACT_ERRNO", errnoRet: 38}]}' \
    "$WORK/noprobe/config.json" > "$WORK/noprobe/c.tmp" && mv "$WORK/noprobe/c.tmp" "$WORK/noprobe/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/noprobe" noprobe 2>&1); rc=$?
check_eq "a seccomp filter that hides Landlock from hardrun-init: the workload does not start" "126:" "$rc:$(field started)"

# a writable mount deeper than hardrun-init walks: where it lies is not
# known, so the workload does not start rather than run uncut
DEEP=$(printf '/d%.0s' $(seq 70))
bundle "$WORK/toodeep" ll 'echo started=yes'
add_mounts "$WORK/toodeep" '[{"destination": "'"$DEEP"'", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}]'
OUT=$("${H[@]}" run --bundle "$WORK/toodeep" toodeep 2>&1); rc=$?
check_eq "a writable mount 70 directories deep: the workload does not start (126)" "126:" "$rc:$(field started)"
check "  and hardrun-init says why" grep -q "hardrun-init: $DEEP: " <<< "$OUT"

# ---- a config already behind hardrun-init gets the profile's ruleset ----
bundle "$WORK/forged" ll "$PROBES"
jq '.process.args = ["/.hardrun-init", "-r", "/", "-w", "/", "-x", "/", "--"] + .process.args' \
    "$WORK/forged/config.json" > "$WORK/forged/c.tmp" && mv "$WORK/forged/c.tmp" "$WORK/forged/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/forged" forged 2>&1)
check_eq "forged rules in the config: still no exec from scratch" "denied" "$(field exec-tmp)"
check "  one hardrun-init, with the profile's rules" \
    jqe '.process.args as $a | ($a[0] | IN("/.hardrun-init", "/dev/.hardrun-init"))
         and ([$a[($a | index("--")) + 1:][] | select(IN("/.hardrun-init", "/dev/.hardrun-init"))] | length == 0)
         and ($a | index("-w") as $w | $a[$w + 1] != "/")' "$WORK/forged/config.json"
bundle "$WORK/fex" ll "sleep 30"
check "a container for a forged exec runs" quiet_all "${H[@]}" run -d --bundle "$WORK/fex" fex
jq -n --arg s "$PROBES" '{terminal: false, user: {uid: 0, gid: 0}, cwd: "/", env: ["PATH=/bin"],
    args: ["/.hardrun-init", "-r", "/", "-w", "/", "-x", "/", "--", "sh", "-c", $s]}' > "$WORK/fprocess.json"
OUT=$("${H[@]}" exec --process "$WORK/fprocess.json" fex 2>&1)
check_eq "a process file with its own rules: still no exec from scratch" "denied" "$(field exec-tmp)"
OUT=$("${H[@]}" exec fex /dev/.hardrun-init -r / -w / -x / -- sh -c "$PROBES" 2>&1)
check "exec naming hardrun-init itself: it runs behind the container's, which may not execute it" \
    grep -q "hardrun-init: /dev/.hardrun-init: Permission denied" <<< "$OUT"
check "  so none of the command ran" test -z "$(field exec-tmp)"
"${H[@]}" delete --force fex > /dev/null 2>&1

# ---- no hardrun-init where the configuration says: refused, not started ----
cp "$HARDRUN_CONFIG" "$WORK/config.saved"
jq --arg i "$WORK/no-such-init" '.init = $i' "$WORK/config.saved" > "$HARDRUN_CONFIG"
bundle "$WORK/noinit" ll 'touch /data/started'
OUT=$("${H[@]}" run --bundle "$WORK/noinit" noinit 2>&1); rc=$?
check "without hardrun-init the container is refused" test "$rc" -ne 0
check "  saying why and the fix" grep -q 'hardrun-init is not installed.*init = ' <<< "$OUT"
check "  and it never started" test ! -e "$WORK/noinit/volume/started"
cp "$WORK/config.saved" "$HARDRUN_CONFIG"

# ---- TCP ports from the profile (ABI 4) ----
NET_PROBES='for p in 8080 8081; do echo "bind-$p=$(timeout 1 nc -l -p $p 2>&1 | sed "s/.*: //")"; done
for p in 9 80; do echo "connect-$p=$(nc 127.0.0.1 $p < /dev/null 2>&1 | sed "s/.*: //")"; done'
bundle "$WORK/ports" ports "$NET_PROBES"
OUT=$("${H[@]}" run --bundle "$WORK/ports" ports 2>&1)
check_eq "ports: binding the profile's port works (nc waits)" "" "$(field bind-8080)"
check_eq "ports: binding another fails with EACCES" "Permission denied" "$(field bind-8081)"
check "ports: connecting to the profile's port reaches the network" test "$(field connect-9)" != "Permission denied"
check_eq "ports: connecting to another fails with EACCES" "Permission denied" "$(field connect-80)"
bundle "$WORK/noports" ll "$NET_PROBES"
OUT=$("${H[@]}" run --bundle "$WORK/noports" noports 2>&1)
check_eq "no port lists: any port can be bound" "" "$(field bind-8081)"
check "  and connected to" test "$(field connect-80)" != "Permission denied"

# ---- a learned profile narrows execute and write to what the workload did ----
LEARN_JOB='echo x > /tmp/f; ( /bin/busybox true ); cat /etc/hostname > /dev/null 2>&1; v=$(echo y)
if [ -e /data/probe ]; then
  /usr/local/bin/other 2> /tmp/err; echo "exec-other=$(sed "s/.*: //" /tmp/err)"
  if { echo x > /data/f; } 2> /dev/null; then echo write-data=ok; else echo write-data=denied; fi
fi
echo done=yes'
bundle "$WORK/lj" learn "$LEARN_JOB"
jq '.annotations["org.opencontainers.image.ref.name"] = "ll-job"' "$WORK/lj/config.json" > "$WORK/lj/c.tmp" \
    && mv "$WORK/lj/c.tmp" "$WORK/lj/config.json"
mkdir -p "$WORK/lj/rootfs/usr/local/bin"
printf '#!/bin/sh\necho other\n' > "$WORK/lj/rootfs/usr/local/bin/other"
chmod 755 "$WORK/lj/rootfs/usr/local/bin/other"
cp "$WORK/lj/config.json" "$WORK/lj.config"
OUT=$("${H[@]}" run --bundle "$WORK/lj" lj-rec 2>&1)
check_eq "learned: the recorded run runs" "yes" "$(field done)"
LNAME=$("$HARDRUN" learned list --json | jq -r '[.[] | select(.image == "ll-job")][0].name // ""')
check "learned: its profile is recorded" test -n "$LNAME"
check "learned: promote" quiet_all "$HARDRUN" learned promote "$LNAME"
touch "$WORK/lj/volume/probe"
cp "$WORK/lj.config" "$WORK/lj/config.json"
OUT=$("${H[@]}" run --bundle "$WORK/lj" lj-enf 2>&1)
check_eq "learned: the workload still runs" "yes" "$(field done)"
check_eq "learned: a binary of the image it never ran cannot be executed (EACCES)" "Permission denied" "$(field exec-other)"
check_eq "learned: nor can it write a volume it never wrote" "denied" "$(field write-data)"
check "  and nothing reached it" test ! -e "$WORK/lj/volume/f"
check "learned: the ruleset names the files it ran, not directories" \
    jqe '[.process.args | range(length - 1) as $i | select(.[$i] == "-X") | .[$i + 1]] as $x
         | ($x | index("/bin/busybox")) and ($x | index("/bin") | not) and ($x | index("/usr") | not)' "$WORK/lj/config.json"
check "learned: the decision says how far it narrowed" \
    jqe -s 'any(.[]; .id == "lj-enf" and any(.items[]; .control == "landlock" and (.message // "" | test("learned profile .*: execute"))))' "$DECISIONS"

finish
