#!/bin/bash
# Profiles picked by the operator's rules, workloads asking for one through
# io.hardrun.profile only where a rule allows it, and audit mode per profile.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

cat > "$HARDRUN_CONFIG" <<JSON
{
  "decision_log": "$DECISIONS",
  "state_dir": "$WORK/hardrun-state",
  "profiles": {
    // system pods may be privileged
    "system": { "controls": { "privileged": "off", "capabilities": "off", "host_namespaces": "audit" } },
    // an image that must write its root filesystem
    "writable": { "controls": { "readonly_rootfs": "off" } },
    // a new policy being rolled out
    "rollout": { "base": "restricted", "mode": "audit" }
  },
  "selection": [
    { "name": "kube-system", "match": { "namespace": "kube-system" }, "profile": "system" },
    { "name": "legacy", "match": { "image": "registry.example/legacy/*" }, "profile": "default",
      "allow_request": ["writable"] },
    { "name": "team-b", "match": { "annotations": { "team": "b" } }, "profile": "rollout" }
  ]
}
JSON

# annotate BUNDLE KEY VALUE
annotate () {
    jq --arg k "$2" --arg v "$3" '.annotations[$k] = $v' "$1/config.json" > "$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"
}
last () { jq -s -c "last | $1" "$DECISIONS"; }

# 1. a privileged system pod in kube-system starts with its capabilities
make_bundle --all-caps "$WORK/sys" "$STATUS_SCRIPT"
annotate "$WORK/sys" io.kubernetes.cri.sandbox-namespace kube-system
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/sys" sys 2>&1)
check "kube-system: starts" test -n "$(field CapEff)"
check "kube-system: keeps CAP_SYS_ADMIN" test $(( 0x$(field CapEff) & (1 << 21) )) -ne 0
check_eq "kube-system: still no new privileges" "1" "$(field NoNewPrivs)"
check_eq "kube-system: decided by the system profile through its rule" '["system","kube-system",false]' \
    "$(last '[.profile, .profile_rule, .profile_requested]')"

# 2. the same bundle in another namespace is refused
make_bundle --all-caps "$WORK/other" "true"
annotate "$WORK/other" io.kubernetes.cri.sandbox-namespace default
err=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/other" other 2>&1); rc=$?
check_eq "another namespace: refused" "1" "$rc"
check "another namespace: by the default profile" grep -q 'refused by profile "default" (rule default_profile)' <<< "$err"

# 3. a legacy image may ask for a writable root; another may not
make_bundle "$WORK/legacy" "$STATUS_SCRIPT"
annotate "$WORK/legacy" io.kubernetes.cri.image-name registry.example/legacy/app:3
annotate "$WORK/legacy" io.hardrun.profile writable
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/legacy" legacy 2>&1)
check_eq "legacy image asking for writable: root is writable" "rw" "$(field root)"
check_eq "legacy image: still hardened otherwise" "2" "$(field Seccomp)"
check_eq "legacy image: the decision records the request" '["writable","legacy",true]' \
    "$(last '[.profile, .profile_rule, .profile_requested]')"

make_bundle "$WORK/sneaky" "true"
annotate "$WORK/sneaky" io.kubernetes.cri.image-name registry.example/other/app:1
annotate "$WORK/sneaky" io.hardrun.profile system
cp "$WORK/sneaky/config.json" "$WORK/sneaky.orig"
err=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/sneaky" sneaky 2>&1); rc=$?
check_eq "a workload asking for a profile no rule allows: refused" "1" "$rc"
check "and told which configuration key would allow it" grep -q 'asks for profile "system".*allow_request' <<< "$err"
check "its config.json is untouched" cmp -s "$WORK/sneaky.orig" "$WORK/sneaky/config.json"

# 4. a profile in audit mode: decided and logged, the container starts unchanged
make_bundle --all-caps "$WORK/rollout" "$STATUS_SCRIPT"
annotate "$WORK/rollout" team b
cp "$WORK/rollout/config.json" "$WORK/rollout.orig"
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/rollout" rollout 2>&1)
check "audit profile: the container starts unchanged" test $(( 0x$(field CapEff) & (1 << 21) )) -ne 0
check "audit profile: config.json untouched" cmp -s "$WORK/rollout.orig" "$WORK/rollout/config.json"
check_eq "audit profile: logged as would refuse, profile rollout, mode audit" \
    '["would refuse","rollout","audit"]' "$(last '[.decision, .profile, .mode]')"
check "audit profile: the restricted user rule shows as a refusal it would make" \
    jqe -s 'last | any(.items[]; .control == "user" and .kind == "refusal")' "$DECISIONS"

# the lines of its later commands say audit too
make_bundle "$WORK/rollout2" "sleep 30"
annotate "$WORK/rollout2" team b
check "audit profile: create" "$HARDRUN" --root "$STATE" create --bundle "$WORK/rollout2" rollout2
check "audit profile: start" "$HARDRUN" --root "$STATE" start rollout2
check "audit profile: exec" "$HARDRUN" --root "$STATE" exec rollout2 true
wait_line rollout2 exec
check_eq "  its line does not claim config.json changed (audit recorded the config as run)" "false" \
    "$(jq -s -c 'map(select(.id == "rollout2" and .command == "exec")) | last | any(.items[]?; .message | test("changed since create"))' "$DECISIONS")"
check "audit profile: kill" "$HARDRUN" --root "$STATE" kill rollout2 9
for _ in $(seq 50); do
    [ "$("$RUNC" --root "$STATE" state rollout2 | jq -r .status)" = stopped ] && break
    sleep 0.1
done
check "audit profile: delete" "$HARDRUN" --root "$STATE" delete rollout2
wait_line rollout2 start; wait_line rollout2 kill; wait_line rollout2 delete
for c in create start kill delete; do
    check_eq "audit profile: the $c line says mode audit" '"audit"' \
        "$(jq -s -c --arg c "$c" 'map(select(.id == "rollout2" and .command == $c)) | last | .mode' "$DECISIONS")"
done

out=$("$HARDRUN" check "$WORK/rollout"); rc=$?
check_eq "check on the audited workload: exit 0 (it would start)" "0" "$rc"
check "check says would refuse under profile rollout" grep -q 'would refuse (profile "rollout" chosen by team-b' <<< "$out"

finish
