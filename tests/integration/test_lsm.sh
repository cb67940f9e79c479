#!/bin/bash
# AppArmor and SELinux: the profile parses with the real parser; labels are
# planned only where the host can enforce them (none here: containers start
# unlabelled), and shown for other hosts with check --assume-lsm; doctor
# says what the host lacks.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
top=$(cd "$(dirname "$0")/../.." && pwd)

if command -v apparmor_parser > /dev/null; then
    # (without AppArmor in the kernel the parser notes that it cannot cache)
    check "the AppArmor profile parses (apparmor_parser -Q -K -T)" \
        bash -c "apparmor_parser -Q -K -T '$top/profiles/apparmor/hardrun-default' 2> /dev/null"
    "$HARDRUN" profiles show > "$WORK/shown"
    check "the embedded profile is the shipped one" cmp -s "$WORK/shown" "$top/profiles/apparmor/hardrun-default"
    sed 's/deny mount,/deny mount/' "$WORK/shown" > "$WORK/broken"
    check "and the parser does reject a broken one" bash -c "! apparmor_parser -Q -K -T '$WORK/broken' 2> /dev/null"
else
    not_ok "apparmor_parser is not installed"
fi

# planning for other hosts
make_bundle "$WORK/b" "$STATUS_SCRIPT"
cfg() { "$HARDRUN" check --print-config "$@" "$WORK/b" | jq -c "$JQ"; }
JQ='[.process.apparmorProfile, .process.selinuxLabel, .linux.mountLabel]'
check_eq "--assume-lsm apparmor: hardrun's profile" '["hardrun-default",null,null]' "$(cfg --assume-lsm apparmor)"
labels=$(cfg --assume-lsm selinux)
check "--assume-lsm selinux: container_t and container_file_t with one real pair, the lower first" \
    jq -e -n --argjson l "$labels" '$l[0] == null
      and ($l[1] | test("^system_u:system_r:container_t:s0:c[0-9]+,c[0-9]+$"))
      and ($l[1] | split(":")[3:]) == ($l[2] | split(":")[3:])
      and ($l[2] | test("^system_u:object_r:container_file_t:s0:"))
      and ($l[1] | capture("c(?<x>[0-9]+),c(?<y>[0-9]+)") | (.x | tonumber) < (.y | tonumber))'
# the printed config is one a launch could write: runc-valid labels, no placeholder
check "--assume-lsm selinux --print-config: no placeholder category" bash -c "! grep -q 'cX' <<< '$labels'"
check "  and nothing reserved for it" bash -c "! ls \"\$1\"/mcs/c* > /dev/null 2>&1" _ "$WORK/hardrun-state"
check_eq "--assume-lsm none: no labels" '[null,null,null]' "$(cfg --assume-lsm none)"
check "--assume-lsm checks its argument" bash -c "! '$HARDRUN' check --assume-lsm smack '$WORK/b' 2> /dev/null"
out=$("$HARDRUN" check --assume-lsm selinux "$WORK/b")
check "check names the selinux changes" grep -q "change  selinux            process.selinuxLabel" <<< "$out"

jq '.process.apparmorProfile = "unconfined"' "$WORK/b/config.json" > "$WORK/unconfined.json"
"$HARDRUN" check --assume-lsm apparmor "$WORK/unconfined.json" > /dev/null; rc=$?
check_eq "an unconfined AppArmor profile is refused" "1" "$rc"
jq '.process.selinuxLabel = "system_u:system_r:spc_t:s0"' "$WORK/b/config.json" > "$WORK/spc.json"
"$HARDRUN" check --assume-lsm selinux "$WORK/spc.json" > /dev/null; rc=$?
check_eq "an spc_t SELinux label is refused" "1" "$rc"

# this host: no AppArmor, no SELinux
if [ ! -e /sys/kernel/security/apparmor ] && ! grep -q selinuxfs /proc/filesystems 2> /dev/null; then
    OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/b" plain 2>&1); rc=$?
    check_eq "a real container starts on a host without LSMs" "0" "$rc"
    check_eq "and is hardened" "1" "$(field NoNewPrivs)"
    check_eq "with no labels in its config" '[null,null,null]' "$(jq -c "$JQ" "$WORK/b/config.json")"
    check "the decision records that AppArmor is not active" \
        jqe -s 'last | any(.items[]; .control == "apparmor" and .kind == "finding")' "$DECISIONS"

    make_bundle "$WORK/named" true
    jq '.process.apparmorProfile = "docker-default"' "$WORK/named/config.json" > "$WORK/n.tmp" && mv "$WORK/n.tmp" "$WORK/named/config.json"
    err=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/named" named 2>&1); rc=$?
    check_eq "a profile this host cannot apply: refused" "1" "$rc"
    check "with hardrun's reason instead of runc's" grep -q "AppArmor is not active on this host" <<< "$err"

    out=$("$HARDRUN" profiles install 2>&1); rc=$?
    check_eq "profiles install without AppArmor: exit 1" "1" "$rc"
    check "and says why" grep -q "AppArmor is not active" <<< "$out"
fi

out=$("$HARDRUN" doctor); rc=$?
check_eq "doctor: exit 0 with a valid configuration and runc" "0" "$rc"
for item in configuration "delegate runtime" AppArmor SELinux seccomp "user namespaces" cgroups "decision log"; do
    check "doctor reports $item" grep -q "^\(ok\|--\)  *$item" <<< "$out"
done
check "doctor names the runtime's version" grep -q "runc version" <<< "$out"
check "doctor says what to do about what is missing" grep -q -- "->" <<< "$out"
printf '{ "mode": "sometimes" }' > "$WORK/bad.json"
out=$(HARDRUN_CONFIG=$WORK/bad.json "$HARDRUN" doctor); rc=$?
check_eq "doctor with an invalid configuration: exit 1" "1" "$rc"
check "and names the key" grep -q 'key "mode"' <<< "$out"

finish
