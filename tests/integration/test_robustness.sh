#!/bin/bash
# Hostile input, a full or read-only bundle, 200 parallel launches, and the
# files hardrun owns.
. "$(dirname "$0")/lib.sh"
setup_work
MOUNTS=()
cleanup () {
    local m
    for m in "${MOUNTS[@]}"; do umount "$m" 2> /dev/null; done
    cleanup_work
}
trap cleanup EXIT
gcc -O2 -static -o "$WORK/noop" -x c - <<< 'int main (void) { return 0; }'
write_config "$WORK/noop.json" "\"runtime\": \"$WORK/noop\""
sed -i "s#\"runtime\": \"$RUNC\", ##" "$WORK/noop.json"

# refused CONFIG-FILE WHAT: a create on this config.json is refused with one
# error line, and the file stays byte-identical
refused () {
    local file=$1 what=$2 b=$WORK/hostile rc before
    rm -rf "$b"; mkdir -p "$b"
    cp "$file" "$b/config.json"
    before=$(sha256sum < "$b/config.json")
    rm -f "$WORK/log.json"
    HARDRUN_CONFIG=$WORK/noop.json timeout 20 "$HARDRUN" --log "$WORK/log.json" --log-format json \
        create --bundle "$b" hostile > /dev/null 2> "$WORK/err"; rc=$?
    check_eq "$what: refused" "1" "$rc"
    check "$what: one error line" jqe -s 'length == 1 and .[0].level == "error"' "$WORK/log.json"
    check_eq "$what: config.json byte-identical" "$before" "$(sha256sum < "$b/config.json")"
    check "$what: no temporary file left" bash -c "[ -z \"\$(ls -A '$b' | grep -v '^config.json$')\" ]"
}

H=$WORK/h; mkdir -p "$H"
{ printf '{"a":'; head -c 1000000 /dev/zero | tr '\0' '['; } > "$H/deep.json"
refused "$H/deep.json" "a million levels of nesting"
check "the deep file was refused for its depth, not a crash" grep -q "nested deeper than" "$WORK/err"
{ printf '{"ociVersion":"'; head -c $((64 << 20)) /dev/zero | tr '\0' 'a'; printf '"}'; } > "$H/huge.json"
refused "$H/huge.json" "a 64 MB string"
printf '{"ociVersion":"\xff\xfe"}' > "$H/utf8.json"
refused "$H/utf8.json" "invalid UTF-8"
printf '{"ociVersion":"a\0b"}' > "$H/nul.json"
refused "$H/nul.json" "a NUL byte"
printf '[1,2]' > "$H/array.json"
refused "$H/array.json" "a non-object top level"
printf '{"process":{"capabilities":{"bounding":"CAP_SYS_ADMIN"}}}' > "$H/type.json"
refused "$H/type.json" "a wrong type at a managed path"
printf '{"process":{"user":{"uid":99999999999999999999999}}}' > "$H/range.json"
refused "$H/range.json" "a number out of range"
: > "$H/empty.json"
refused "$H/empty.json" "an empty file"
head -c 200 "$(dirname "$0")/../unit/fixtures/engine-configs/docker.json" > "$H/truncated.json"
refused "$H/truncated.json" "a truncated file"
rm -f "$H/huge.json"

# a full bundle filesystem, and a read-only one: refused, original intact
make_bundle "$WORK/src" true
for kind in full ro; do
    m=$WORK/fs-$kind
    mkdir -p "$m"
    mount -t tmpfs -o size=64k tmpfs "$m" && MOUNTS+=("$m")
    cp "$WORK/src/config.json" "$m/config.json"
    if [ "$kind" = full ]; then
        head -c 1M /dev/zero > "$m/fill" 2> /dev/null || true
    else
        mount -o remount,ro "$m"
    fi
    before=$(sha256sum < "$m/config.json")
    HARDRUN_CONFIG=$WORK/noop.json "$HARDRUN" create --bundle "$m" "fs-$kind" > /dev/null 2> "$WORK/err"; rc=$?
    check_eq "a $kind bundle filesystem: refused" "1" "$rc"
    check "a $kind bundle filesystem: the reason is given" grep -q "cannot apply the policy" "$WORK/err"
    check_eq "a $kind bundle filesystem: config.json intact" "$before" "$(sha256sum < "$m/config.json")"
    check "a $kind bundle filesystem: no temporary file left" bash -c "! ls -A '$m' | grep -q hardrun"
done

# SIGKILL at any moment of a rewrite: config.json is the original or what
# hardrun meant, never torn; the next launch removes a killed one's temp file
make_bundle "$WORK/k" true
cp "$WORK/k/config.json" "$WORK/k.orig"
HARDRUN_CONFIG=$WORK/noop.json "$HARDRUN" create --bundle "$WORK/k" k > /dev/null 2>&1
cp "$WORK/k/config.json" "$WORK/k.hardened"
torn=0
for i in $(seq 60); do
    cp "$WORK/k.orig" "$WORK/k/config.json"
    HARDRUN_CONFIG=$WORK/noop.json timeout -s KILL "0.00$((i % 10))$((i % 7))" \
        "$HARDRUN" create --bundle "$WORK/k" k > /dev/null 2>&1
    cmp -s "$WORK/k/config.json" "$WORK/k.orig" || cmp -s "$WORK/k/config.json" "$WORK/k.hardened" || torn=$((torn + 1))
done 2> /dev/null  # (timeout re-raises the kill on itself; the shell would report it)
check_eq "60 launches killed at varying moments: config.json never torn" "0" "$torn"
cp "$WORK/k.orig" "$WORK/k/config.json"
touch "$WORK/k/.config.json.hardrun-0123456789abcdef"
HARDRUN_CONFIG=$WORK/noop.json "$HARDRUN" create --bundle "$WORK/k" k > /dev/null 2>&1
check "a killed launch's temporary file is removed by the next" bash -c "! ls -A '$WORK/k' | grep -q hardrun"
check "and that launch wrote what hardrun meant" cmp -s "$WORK/k/config.json" "$WORK/k.hardened"

# 200 parallel launches through one decision log and one state directory
for i in $(seq 200); do
    mkdir -p "$WORK/p/$i"
    cp "$WORK/src/config.json" "$WORK/p/$i/config.json"
done
before=$(wc -l < "$DECISIONS" 2> /dev/null || echo 0)
for i in $(seq 200); do
    HARDRUN_CONFIG=$WORK/noop.json "$HARDRUN" create --bundle "$WORK/p/$i" "par-$i" &
done
wait
check_eq "200 parallel launches: 200 more lines" "200" "$(( $(wc -l < "$DECISIONS") - before ))"
check_eq "every line whole JSON" "$(wc -l < "$DECISIONS")" "$(jq -s length "$DECISIONS")"
check_eq "every launch present once" "200" "$(jq -r 'select(.id | startswith("par-")) | .id' "$DECISIONS" | sort -u | wc -l)"
# records are written in the background at idle priority (under valgrind,
# 200 slow writers): wait up to 2 minutes, no longer than it takes
for _ in $(seq 1200); do
    [ "$(find "$WORK/hardrun-state/records" -name record.json -path '*par-*' | wc -l)" -ge 200 ] && break
    sleep 0.1
done
check_eq "every launch has its record" "200" "$(find "$WORK/hardrun-state/records" -name record.json -path '*par-*' | wc -l)"

# the files hardrun owns
check_eq "decision log mode 0640" "640" "$(stat -c %a "$DECISIONS")"
check_eq "state directory mode 0700" "700" "$(stat -c %a "$WORK/hardrun-state")"
check_eq "records mode 0600" "600" "$(stat -c %a "$(find "$WORK/hardrun-state/records" -name record.json | head -n 1)")"
make_bundle "$WORK/secret" true
jq '.process.env += ["DB_PASSWORD=hunter2-secret"]' "$WORK/secret/config.json" > "$WORK/s.tmp" && mv "$WORK/s.tmp" "$WORK/secret/config.json"
HARDRUN_CONFIG=$WORK/noop.json "$HARDRUN" create --bundle "$WORK/secret" secret > /dev/null 2>&1
wait_record secret
check "no secret value in any file hardrun owns" \
    bash -c "! grep -rq hunter2-secret '$WORK/hardrun-state' '$DECISIONS'"
check "the record keeps the variable's name" grep -rq "DB_PASSWORD=<redacted>" "$WORK/hardrun-state"
ln -s "$WORK/elsewhere.log" "$WORK/link.log"
sed "s#\"decision_log\": \"[^\"]*\"#\"decision_log\": \"$WORK/link.log\"#" "$WORK/noop.json" > "$WORK/link.json"
make_bundle "$WORK/l" true
HARDRUN_CONFIG=$WORK/link.json "$HARDRUN" create --bundle "$WORK/l" linked > /dev/null 2> "$WORK/err"; rc=$?
check_eq "a decision log that is a symlink: refused" "1" "$rc"
check "and not written through" test ! -e "$WORK/elsewhere.log"

# the configuration may be reached through symlinks (a ConfigMap's ..data
# links), but only root may be able to write it
mkdir -p "$WORK/cm/..2026_data"
cp "$HARDRUN_CONFIG" "$WORK/cm/..2026_data/hardrun.json"
ln -s ..2026_data "$WORK/cm/..data"
ln -s ..data/hardrun.json "$WORK/cm/hardrun.json"
make_bundle "$WORK/cm-b" true
check "a configuration reached through symlinks is followed" \
    env HARDRUN_CONFIG="$WORK/cm/hardrun.json" "$HARDRUN" --root "$STATE" run --bundle "$WORK/cm-b" cm1
chmod o+w "$WORK/cm/..2026_data/hardrun.json"
make_bundle "$WORK/cm-w" true
cp "$WORK/cm-w/config.json" "$WORK/cm-w.orig"
err=$(HARDRUN_CONFIG="$WORK/cm/hardrun.json" "$HARDRUN" --root "$STATE" run --bundle "$WORK/cm-w" cm2 2>&1); rc=$?
check_eq "a configuration others may write: every launch refused" "1" "$rc"
check "  and says why" grep -q "must be owned by root and writable by no one else" <<< "$err"
check "  and the container is not created" bash -c "! '$RUNC' --root '$STATE' state cm2 > /dev/null 2>&1"
check "  and config.json untouched" cmp -s "$WORK/cm-w.orig" "$WORK/cm-w/config.json"
chmod o-w "$WORK/cm/..2026_data/hardrun.json"
chmod o+w "$WORK/cm/..2026_data"
err=$(HARDRUN_CONFIG="$WORK/cm/hardrun.json" "$HARDRUN" --root "$STATE" run --bundle "$WORK/cm-w" cm3 2>&1); rc=$?
check_eq "a configuration in a directory others may write: refused" "1:1" "$rc:$(grep -c 'directory of' <<< "$err")"

finish
