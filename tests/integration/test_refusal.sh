#!/bin/bash
# Refusals: exit 1, one error line in --log (JSON or text), the same message
# on stderr, config.json byte-identical, runc never run.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# refused_create NAME BUNDLE [hardrun global flags...]: runs a create the way
# containerd's shim does and checks everything a refusal must be.
refused_create () {
    local name=$1 bundle=$2 log=$WORK/$1.log.json
    shift 2
    local before after err rc
    before=$(sha256sum < "$bundle/config.json")
    err=$("$HARDRUN" --root "$STATE" --log "$log" --log-format json "$@" create --bundle "$bundle" \
        --pid-file "$WORK/$name.pid" "$name" 2>&1 >/dev/null)
    rc=$?
    after=$(sha256sum < "$bundle/config.json")
    check_eq "$name: exit status 1" "1" "$rc"
    check_eq "$name: config.json byte-identical" "$before" "$after"
    check_eq "$name: exactly one line in --log" "1" "$(wc -l < "$log")"
    check "$name: the line is a JSON error object" jqe '.level == "error" and (.msg | type == "string")' "$log"
    check "$name: time is RFC 3339" grep -Eq "$RFC3339" <<< "$(jq -r .time "$log")"
    check_eq "$name: stderr carries the same message" "$(jq -r .msg "$log")" "$err"
    check "$name: runc never ran (no container)" bash -c "! '$RUNC' --root '$STATE' state '$name' >/dev/null 2>&1"
    MSG=$err
}

# 1. malformed JSON
mkdir -p "$WORK/bad"
make_rootfs "$WORK/bad/rootfs"
printf '{"ociVersion": "1.0.2", "process": {"args": ["sh"],' > "$WORK/bad/config.json"
refused_create malformed "$WORK/bad"
check "malformed: message says invalid JSON" grep -q "invalid JSON" <<< "$MSG"
check "malformed: decision log records a deny" jqe -s 'last | .decision == "deny" and .id == "malformed"' "$DECISIONS"

# 2. a value of the wrong type, as runc's decoder would reject
make_bundle "$WORK/typed" "true"
jq '.process.noNewPrivileges = "yes"' "$WORK/typed/config.json" > "$WORK/t" && mv "$WORK/t" "$WORK/typed/config.json"
refused_create wrongtype "$WORK/typed"
check "wrongtype: names the field" grep -q "process.noNewPrivileges must be a boolean" <<< "$MSG"

# 3. duplicate arrays runc would merge element by element
make_bundle "$WORK/dup" "true"
sed -i '0,/^{/s//{"mounts": [{"destination": "\/x", "type": "tmpfs", "source": "tmpfs"}],/' "$WORK/dup/config.json"
refused_create duplicate "$WORK/dup"
check "duplicate: explains the ambiguity" grep -q "given twice" <<< "$MSG"

# 4. a hardening control whose action is deny
make_bundle "$WORK/privileged" "true"
write_config "$WORK/deny.json" '"profiles": { "default": { "controls": { "capabilities": "deny" } } }'
HARDRUN_CONFIG=$WORK/deny.json refused_create capdeny "$WORK/privileged"
check "capdeny: names the control and the capability" grep -q "capabilities: .*CAP_NET_RAW" <<< "$MSG"
check "capdeny: says what the operator can change" grep -q "profiles.default.controls.capabilities" <<< "$MSG"

# 5. an invalid hardrun configuration refuses every launch, naming file, line, key
printf '{\n  "mode": "enforce",\n  "decison_log": "/tmp/x"\n}\n' > "$WORK/invalid.json"
HARDRUN_CONFIG=$WORK/invalid.json refused_create badconfig "$WORK/privileged"
check "badconfig: names file, line and key" grep -q "invalid.json:3: key \"decison_log\"" <<< "$MSG"

# 6. hardrun as its own delegate (not under valgrind: there /proc/self/exe
# is valgrind's, and $HARDRUN a wrapper script)
if [ -z "${HARDRUN_VALGRIND:-}" ]; then
    printf '{ "runtime": "%s" }\n' "$HARDRUN" > "$WORK/self.json"
    HARDRUN_CONFIG=$WORK/self.json refused_create selfdelegate "$WORK/privileged"
    check "selfdelegate: refused as hardrun itself" grep -q "hardrun itself" <<< "$MSG"
fi

# 7. config.json as a symlink is not followed
make_bundle "$WORK/link" "true"
mv "$WORK/link/config.json" "$WORK/link/real.json"
ln -s real.json "$WORK/link/config.json"
refused_create symlink "$WORK/link"

# 8. text log format: a logrus-style line
log=$WORK/text.log
"$HARDRUN" --root "$STATE" --log "$log" create --bundle "$WORK/bad" textfmt >/dev/null 2>&1
check "text format: one line" test "$(wc -l < "$log")" -eq 1
check "text format: time=... level=error msg=..." grep -Eq '^time="[^"]+" level=error msg="hardrun: ' "$log"

# 9. audit mode decides and logs but changes nothing and starts the container
make_bundle "$WORK/audit" "$STATUS_SCRIPT"
cp "$WORK/audit/config.json" "$WORK/audit.orig"
write_config "$WORK/audit.json" '"mode": "audit"'
OUT=$(HARDRUN_CONFIG=$WORK/audit.json "$HARDRUN" --root "$STATE" run --bundle "$WORK/audit" audited 2>&1)
check "audit: config.json unchanged" cmp -s "$WORK/audit.orig" "$WORK/audit/config.json"
check_eq "audit: container not hardened" "0" "$(field NoNewPrivs)"
check "audit: decision logged as audit, would modify" \
    jqe -s 'last | .mode == "audit" and .decision == "would modify" and .id == "audited"' "$DECISIONS"
check "audit: nothing was written (after == before)" \
    jqe -s 'last | .config_sha256_after == .config_sha256_before' "$DECISIONS"

# 10. joining the host's namespaces by path: hardrun's own network namespace
# (/proc/self/ns/net, which runc would read as its own) and this shell's pid
# namespace are the host's; a fresh one (unshare) is not
make_bundle "$WORK/hostns" "true"
jq '(.linux.namespaces[] | select(.type == "network")) |= (.path = "/proc/self/ns/net")' \
    "$WORK/hostns/config.json" > "$WORK/hostns.json" && mv "$WORK/hostns.json" "$WORK/hostns/config.json"
refused_create hostnet "$WORK/hostns"
check "host network by path: refused by host_namespaces" grep -q "host_namespaces" <<< "$MSG"
check "host network by path: names the path as the host's" grep -q "/proc/self/ns/net is the host's" <<< "$MSG"
jq --arg p "/proc/$$/ns/pid" '(.linux.namespaces[] | select(.type == "network")) |= del(.path)
    | (.linux.namespaces[] | select(.type == "pid")) |= (.path = $p)' \
    "$WORK/hostns/config.json" > "$WORK/hostns.json" && mv "$WORK/hostns.json" "$WORK/hostns/config.json"
refused_create hostpid "$WORK/hostns"
check "host pid namespace by path: names the path as the host's" grep -q "/proc/$$/ns/pid is the host's" <<< "$MSG"
unshare --net sleep 30 &
other=$!
sleep 0.3
jq --arg p "/proc/$other/ns/net" '(.linux.namespaces[] | select(.type == "pid")) |= del(.path)
    | (.linux.namespaces[] | select(.type == "network")) |= (.path = $p)' \
    "$WORK/hostns/config.json" > "$WORK/hostns.json" && mv "$WORK/hostns.json" "$WORK/hostns/config.json"
check "another network namespace by path: allowed" \
    bash -c "'$HARDRUN' check '$WORK/hostns' > /dev/null"
kill "$other" 2> /dev/null; wait "$other" 2> /dev/null

finish
