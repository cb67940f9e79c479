#!/bin/bash
# A bundle with every capability, a writable root and no seccomp filter comes
# out hardened: read from /proc/self/status inside a real container, and from
# the bytes of the rewritten config.json. (The default profile refuses every
# capability outright; here the privileged control only audits, so the
# hardening controls get their turn.)
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
write_config "$HARDRUN_CONFIG" '"profiles": { "default": { "controls": { "privileged": "audit" } } }'

make_bundle --all-caps "$WORK/bundle" "$STATUS_SCRIPT"
# fields hardrun does not rewrite, and uint64 numbers, must survive the
# rewrite byte for byte (added as text: jq would reformat the numbers)
sed -i '0,/^{/s//{\n  "vm": {"kernel": {"path": "\/k", "parameters": ["1", "2.50", "1e3"]}}, "windows": {"resources": {"memory": {"limit": 18446744073709551615}}},/' "$WORK/bundle/config.json"
cp "$WORK/bundle/config.json" "$WORK/original.json"
chmod 0604 "$WORK/bundle/config.json"

# runc alone, on a copy: the bundle really is unhardened
cp -r "$WORK/bundle" "$WORK/plain"
OUT=$("$RUNC" --root "$STATE" run --bundle "$WORK/plain" plain-$$ 2>&1)
check_eq "runc alone: NoNewPrivs 0" "0" "$(field NoNewPrivs)"
check_eq "runc alone: no seccomp" "0" "$(field Seccomp)"
check_eq "runc alone: writable root" "rw" "$(field root)"
check "runc alone: CAP_SYS_ADMIN effective" \
    test $(( 0x$(field CapEff) & (1 << 21) )) -ne 0

# the same bundle through hardrun
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/bundle" hardened-$$ 2>&1)
rc=$?
check_eq "hardrun run exits 0" "0" "$rc"
check_eq "CapEff is the allowlist (CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID NET_BIND_SERVICE)" \
    "00000000000004fb" "$(field CapEff)"
check_eq "CapBnd is the allowlist" "00000000000004fb" "$(field CapBnd)"
check_eq "NoNewPrivs is 1" "1" "$(field NoNewPrivs)"
check_eq "seccomp filter active" "2" "$(field Seccomp)"
check_eq "root filesystem read-only" "ro" "$(field root)"
check_eq "/tmp is a writable tmpfs" "rw" "$(field tmp)"
check_eq "nothing but the container's output on stdout/stderr" "6" "$(printf '%s\n' "$OUT" | wc -l)"

# the rewritten file
cfg=$WORK/bundle/config.json
check_eq "root.readonly true" "true" "$(jq '.root.readonly' "$cfg")"
check_eq "noNewPrivileges true" "true" "$(jq '.process.noNewPrivileges' "$cfg")"
check "every capability set within the allowlist" jqe '[.process.capabilities[][]] | unique
    - ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_NET_BIND_SERVICE"]
    | length == 0' "$cfg"
check_eq "seccomp defaultAction" '"SCMP_ACT_ERRNO"' "$(jq '.linux.seccomp.defaultAction' "$cfg")"
check_eq "seccomp ENOSYS" "38" "$(jq '.linux.seccomp.defaultErrnoRet' "$cfg")"
check "maskedPaths has /proc/kcore and powercap" \
    jqe '(.linux.maskedPaths | index("/proc/kcore")) and (.linux.maskedPaths | index("/sys/devices/virtual/powercap"))' "$cfg"
check "tmpfs on the scratch and data directories, nosuid nodev, the image's content copied in" \
    jqe '[.mounts[] | select(.type == "tmpfs" and (.destination | IN("/tmp", "/var/tmp", "/run", "/var/cache", "/var/log", "/var/lib"))
             and (.options | index("nosuid") and index("nodev") and index("tmpcopyup")))] | length == 6' "$cfg"
check "  as large as the memory limit: here none (the limit is the uint64 maximum)" \
    jqe '[.mounts[] | select(.type == "tmpfs" and (.destination | IN("/tmp", "/var/tmp", "/run", "/var/cache", "/var/log", "/var/lib")))
          | .options[] | select(startswith("size="))] | length == 0' "$cfg"
check "uint64 number text kept" grep -q '"limit":18446744073709551615' "$cfg"
check "a section hardrun does not rewrite kept" grep -q '"parameters":\["1","2.50","1e3"\]' "$cfg"
check_eq "file mode kept" "604" "$(stat -c %a "$cfg")"
# memcheck answers ENOSYS for Landlock: no ruleset under valgrind
if [ -z "${HARDRUN_VALGRIND:-}" ]; then
    check "the workload's args behind hardrun-init's ruleset" \
        jqe '.process.args[0] == "/dev/.hardrun-init" and (.process.args | index("--")) != null' "$cfg"
fi
# the args behind hardrun-init's "--" are the workload's own
check "other values unchanged (hostname, args, env)" \
    test "$(jq -c '[.hostname, (.process.args | if .[0] == "/dev/.hardrun-init" then .[(index("--") + 1):] else . end),
                    .process.env, .linux.namespaces]' "$cfg")" = \
         "$(jq -c '[.hostname, .process.args, .process.env, .linux.namespaces]' "$WORK/original.json")"
check_eq "key order kept" "$(jq -c 'keys_unsorted' "$WORK/original.json")" "$(jq -c 'keys_unsorted' "$cfg")"

# the decision line
line=$(tail -n 1 "$DECISIONS")
check_eq "decision modify" '"modify"' "$(printf '%s' "$line" | jq '.decision')"
check_eq "decision names the container" "\"hardened-$$\"" "$(printf '%s' "$line" | jq '.id')"
check_eq "sha256 before is the original's" "\"$(sha256sum < "$WORK/original.json" | cut -d' ' -f1)\"" \
    "$(printf '%s' "$line" | jq '.config_sha256_before')"
check_eq "sha256 after is the rewritten file's" "\"$(sha256sum < "$cfg" | cut -d' ' -f1)\"" \
    "$(printf '%s' "$line" | jq '.config_sha256_after')"
check "each change names control, path, before and after" \
    jqe '[.items[] | select(.kind == "change")] | length > 5 and all(has("control") and has("path") and has("before") and has("after"))' <<< "$line"
check "hardrun's own time recorded" jqe '.hardrun_us > 0' <<< "$line"
check_eq "decision log mode 0640" "640" "$(stat -c %a "$DECISIONS")"

check "the privileged control's findings are in the record" \
    jqe '[.items[] | select(.control == "privileged" and .kind == "finding")] | length > 5' <<< "$line"

# under the default profile, the same bundle is refused outright
write_config "$HARDRUN_CONFIG"
make_bundle --all-caps "$WORK/b3" "true"
err=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/b3" refused-$$ 2>&1); rc=$?
check_eq "every capability under the default profile: refused" "1" "$rc"
check "the refusal names the control and a capability" grep -q "privileged: .*CAP_SYS_ADMIN" <<< "$err"

# a seccomp-denied syscall inside: unshare needs CAP_SYS_ADMIN and is not allowed
make_bundle "$WORK/b2" 'if unshare -U true 2>/dev/null; then echo unshare=allowed; else echo unshare=denied; fi'
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/b2" unshare-$$ 2>&1)
check_eq "seccomp denies unshare" "denied" "$(field unshare)"

finish
