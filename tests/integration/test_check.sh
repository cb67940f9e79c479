#!/bin/bash
# hardrun check: decides for a bundle or a bare config.json, changes nothing.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

make_bundle "$WORK/b" "true"
cp "$WORK/b/config.json" "$WORK/orig.json"

out=$("$HARDRUN" check "$WORK/b"); rc=$?
check_eq "check on a bundle: exit 0 (would start, modified)" "0" "$rc"
check "summary names the verdict" grep -q "modify" <<< "$out"
check "summary lists the capability change" grep -q "CAP_NET_RAW, .* not in the capability allowlist" <<< "$out"
check "check changed nothing" cmp -s "$WORK/orig.json" "$WORK/b/config.json"
check "check wrote no decision line" test ! -e "$DECISIONS"

out=$("$HARDRUN" check --json "$WORK/b/config.json"); rc=$?
check_eq "check --json on a bare config.json: exit 0" "0" "$rc"
check "--json is the decision record" jqe '.decision == "modify" and (.items | length) > 5 and .profile == "default"' <<< "$out"

"$HARDRUN" check --print-config "$WORK/b" > "$WORK/would.json"
check "--print-config prints valid JSON" jqe . "$WORK/would.json"
# what create would write is what --print-config shows
"$HARDRUN" --root "$STATE" create --bundle "$WORK/b" chk >/dev/null 2>&1
check_eq "--print-config equals what create writes (in value)" \
    "$(jq -S . "$WORK/b/config.json")" "$(jq -S . "$WORK/would.json")"
check_eq "a hardened config needs no change" "0" "$("$HARDRUN" check --json "$WORK/b" | jq '[.items[] | select(.kind == "change")] | length')"
check "findings show the value and what would allow them" \
    grep -q "to allow it: removing \"cgroup\" from profiles.default.host_namespaces.audit" <<< "$("$HARDRUN" check "$WORK/b")"

printf '{ "profiles": { "default": { "controls": { "readonly_rootfs": "deny" } } } }\n' > "$WORK/deny.json"
HARDRUN_CONFIG=$WORK/deny.json "$HARDRUN" check "$WORK/orig.json" > /dev/null; rc=$?
check_eq "check on a config the policy refuses: exit 1" "1" "$rc"

printf '{"process": ' > "$WORK/broken.json"
"$HARDRUN" check "$WORK/broken.json" > /dev/null 2>&1; rc=$?
check_eq "check on malformed JSON: exit 2" "2" "$rc"
"$HARDRUN" check "$WORK/missing.json" > /dev/null 2>&1; rc=$?
check_eq "check on a missing file: exit 2" "2" "$rc"
printf '{ "mode": 1 }' > "$WORK/badcfg.json"
HARDRUN_CONFIG=$WORK/badcfg.json "$HARDRUN" check "$WORK/orig.json" > /dev/null 2>&1; rc=$?
check_eq "check with an invalid configuration: exit 2" "2" "$rc"

# the worked examples in hardrun.conf(5) are valid configurations
man=$(dirname "$0")/../../docs/hardrun.conf.5
n=0
while IFS= read -r -d '' example; do
    n=$((n + 1))
    printf '%s' "$example" > "$WORK/example$n.json"
    HARDRUN_CONFIG=$WORK/example$n.json "$HARDRUN" check "$WORK/orig.json" > /dev/null 2>&1; rc=$?
    check "hardrun.conf(5) example $n is a valid configuration (exit $rc)" test "$rc" -ne 2
done < <(awk '/^\.nf$/ {on = 1; buf = ""; next} /^\.fi$/ {on = 0; printf "%s%c", buf, 0; next} on {buf = buf $0 "\n"}' "$man")
check_eq "hardrun.conf(5) has three examples" "3" "$n"
HARDRUN_CONFIG=$(dirname "$0")/../../contrib/config.json "$HARDRUN" check "$WORK/orig.json" > /dev/null 2>&1; rc=$?
check "the shipped contrib/config.json is valid (exit $rc)" test "$rc" -ne 2

out=$("$HARDRUN" --help)
check "--help lists hardrun's own commands" grep -q "hardrun check" <<< "$out"
check "--help shows runc's help first" grep -q "^NAME:" <<< "$(printf '%s\n' "$out" | head -n 1)"

# where the engines keep volumes: a volume's data is the container's, the
# engine's state around it is not
make_bundle "$WORK/vol" true
for src in /var/lib/docker/volumes/pgdata/_data /var/lib/docker/volumes/pgdata/_data/sub \
           /var/lib/containers/storage/volumes/v1/_data \
           /var/lib/kubelet/pods/0f1e2d3c-aaaa-bbbb-cccc-123456789abc/volumes/kubernetes.io~empty-dir/cache \
           /var/lib/kubelet/pods/0f1e2d3c-aaaa-bbbb-cccc-123456789abc/etc-hosts; do
    jq --arg s "$src" '.mounts += [{destination: "/data", type: "bind", source: $s, options: ["rbind"]}]' \
        "$WORK/vol/config.json" > "$WORK/vol.json"
    "$HARDRUN" check "$WORK/vol.json" > /dev/null; rc=$?
    check_eq "a volume's data ($src) may be bound" "0" "$rc"
done
for src in /var/lib/docker/volumes /var/lib/docker/volumes/pgdata /var/lib/docker/volumes/metadata.db \
           /var/lib/kubelet /var/lib/kubelet/pods; do
    jq --arg s "$src" '.mounts += [{destination: "/data", type: "bind", source: $s, options: ["rbind"]}]' \
        "$WORK/vol/config.json" > "$WORK/vol.json"
    "$HARDRUN" check "$WORK/vol.json" > /dev/null; rc=$?
    check_eq "the engine's state around volumes ($src) may not" "1" "$rc"
done

finish
