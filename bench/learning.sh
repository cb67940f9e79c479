#!/bin/bash
# Learned profiles, measured, as root:  bench/learning.sh [REPS]  (default 50)
# Needs a built hardrun (build/hardrun, or $HARDRUN), runc, busybox-static,
# jq and gcc. Not part of the test suite: it measures, it does not judge.
#
# Two workloads are recorded through hardrun's agent, promoted and replayed
# under the learned profile: a busybox httpd answering requests (from a
# client in the same container) and a small shell job. Reported:
#  - the syscalls each learned profile allows, against Docker's default
#    profile (goal: at most 25 %);
#  - the syscalls missing on replay: denials logged, and whether the output
#    is the recording's (goal: 0, identical);
#  - what recording costs per notified syscall: getppid() in a loop, under
#    the recording filter against under hardrun's plain filter (goal: at most
#    50 us, median);
#  - launch time (runc create + start) under the learned profile, against
#    runc with Docker's default profile and hardrun without learning,
#    interleaved in one run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
REPS=${1:-50}
. "$top/bench/lib.sh"
bench_require

bench_areas learn
gcc -O2 -o "$W/timeit" "$top/bench/timeit.c"
gcc -O2 -static -o "$W/syscall_loop" "$top/bench/syscall_loop.c"

export HARDRUN_CONFIG=$W/hardrun.json
cat > "$HARDRUN_CONFIG" <<JSON
{ "runtime": "$RUNC", "decision_log": "$D/decisions.log", "state_dir": "$D/state", "learned_dir": "$D/operator",
  "profiles": { "learn": { "learning": "record", "learning_promote_after": 0 } },
  "selection": [ { "match": { "annotations": { "bench": "learn" } }, "profile": "learn" } ] }
JSON
H=("$HARDRUN" --root "$W/runc")
F=$top/tests/unit/fixtures/engine-configs

# bundle NAME IMAGE LEARN SCRIPT: a busybox bundle, learning or not
bundle () {
    bash "$top/contrib/make-bundle.sh" "$W/$1" "$4" > /dev/null
    for app in httpd wget sort tar sed awk seq mkdir rm wc; do ln -sf busybox "$W/$1/rootfs/bin/$app"; done
    cp "$W/syscall_loop" "$W/$1/rootfs/bin/"
    jq --arg image "$2" --arg learn "$3" '.annotations["org.opencontainers.image.ref.name"] = $image
        | if $learn == "yes" then .annotations.bench = "learn" else . end | .process.terminal = false' \
        "$W/$1/config.json" > "$W/$1/config.tmp"
    mv "$W/$1/config.tmp" "$W/$1/config.json"
    cp "$W/$1/config.json" "$W/$1/config.orig"
}
run_in () {  # run_in NAME ID: a run from the pristine config; its output
    cp "$W/$1/config.orig" "$W/$1/config.json"
    "${H[@]}" run --bundle "$W/$1" "$2" 2>&1
}
name_of () { "$HARDRUN" learned list --json | jq -r --arg i "$1" '.[] | select(.image == $i) | .name'; }

HTTPD='mkdir -p /tmp/www; i=0; while [ $i -lt 20 ]; do echo "page $i" > /tmp/www/p$i.html; i=$((i+1)); done
httpd -p 127.0.0.1:8080 -h /tmp/www; sleep 0.2
for i in $(seq 0 19); do wget -q -O - http://127.0.0.1:8080/p$i.html; done | sort | wc -l
kill $(cat /proc/[0-9]*/stat 2>/dev/null | awk "\$2 == \"(httpd)\" {print \$1}") 2>/dev/null; echo served'
JOB='mkdir -p /tmp/job/in; for i in $(seq 1 50); do echo "line $i $((i * 7 % 13))" >> /tmp/job/in/data; done
sort -k3 -n /tmp/job/in/data | awk "{s += \$3} END {print s}"; sed -n "5p" /tmp/job/in/data
tar -C /tmp/job -cf /tmp/job.tar in; tar -tf /tmp/job.tar | wc -l; rm -rf /tmp/job; echo done'
bundle httpd bench/httpd yes "$HTTPD"
bundle job bench/job yes "$JOB"

# ---- record, promote, replay ----
docker_names=$(jq '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$F/docker.json")
printf '\nlearned profiles: %s repetitions for launch times; medians\n\n' "$REPS"
printf '| workload | recorded syscalls | allowed under the learned profile | Docker default allows | ratio | denials on replay | replay output |\n|---|---|---|---|---|---|---|\n'
for w in httpd job; do
    rec=$(run_in "$w" "rec-$w")
    name=$(name_of "bench/$w")
    "$HARDRUN" learned promote "$name"
    before=$(grep -c '"command":"seccomp"' "$D/decisions.log" || true)
    rep=$(run_in "$w" "rep-$w")
    after=$(grep -c '"command":"seccomp"' "$D/decisions.log" || true)
    recorded=$("$HARDRUN" learned show --json "$name" | jq '.syscalls | length')
    allowed=$("$HARDRUN" learned export "$name" | jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length')
    same=identical; [ "$rec" = "$rep" ] || same="differs"
    printf '| %s | %s | %s | %s | %.1f %% | %s | %s |\n' "$w" "$recorded" "$allowed" "$docker_names" \
        "$(awk -v a="$allowed" -v b="$docker_names" 'BEGIN {print 100 * a / b}')" "$((after - before))" "$same"
done

# ---- recording cost per notified syscall ----
bundle loop bench/loop yes "syscall_loop 20000"
bundle plain bench/loop no "syscall_loop 20000"
rec_ns=(); plain_ns=()
for i in $(seq 5); do
    rec_ns+=("$(run_in loop "loop-$i")")
    plain_ns+=("$(run_in plain "plain-$i")")
done
med () { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
r=$(med "${rec_ns[@]}"); p=$(med "${plain_ns[@]}")
printf '\n| getppid() | median ns per call |\n|---|---|\n'
printf '| under hardrun'"'"'s filter | %s |\n| recorded (notified to the agent) | %s |\n' "$p" "$r"
printf '| recording cost per notified syscall | %.1f us |\n' "$(awk -v a="$r" -v b="$p" 'BEGIN {print (a - b) / 1000}')"

# ---- launch time, interleaved ----
bundle launch bench/launch yes true
bundle launch-off bench/launch no true
run_in launch launch-rec > /dev/null
"$HARDRUN" learned promote "$(name_of bench/launch)"
jq --slurpfile d "$F/docker.json" '.linux.seccomp = $d[0].linux.seccomp' "$W/launch-off/config.orig" > "$W/launch-off/config.docker"
HC="HARDRUN_CONFIG=$HARDRUN_CONFIG $HARDRUN --root $W/runc"
{
    echo "runc, Docker's profile|cp $W/launch-off/config.docker $W/launch-off/config.json|$RUNC --root $W/runc create --bundle $W/launch-off r1 ;; $RUNC --root $W/runc start r1|$RUNC --root $W/runc delete -f r1"
    echo "hardrun, no learning|cp $W/launch-off/config.docker $W/launch-off/config.json|$HC create --bundle $W/launch-off r1 ;; $HC start r1|$RUNC --root $W/runc delete -f r1"
    echo "hardrun, learned profile enforced|cp $W/launch/config.orig $W/launch/config.json|$HC create --bundle $W/launch r1 ;; $HC start r1|$RUNC --root $W/runc delete -f r1"
} > "$W/cases"
"$W/timeit" "$W/cases" "$REPS" > "$W/results"
m () { awk -F'\t' -v l="$1" '$1 == l {print $2}' "$W/results"; }
d=$(m "runc, Docker's profile"); n=$(m "hardrun, no learning"); l=$(m "hardrun, learned profile enforced")
printf '\n| launch (runc create + start, busybox) | median ms | vs. runc with Docker'"'"'s profile |\n|---|---|---|\n'
printf "| runc, Docker's default profile | %.2f | 1.00 |\n" "$d"
printf '| hardrun, no learning | %.2f | %.2f |\n' "$n" "$(awk -v a="$n" -v b="$d" 'BEGIN {print a / b}')"
printf '| hardrun, learned profile enforced (its agent started) | %.2f | %.2f |\n' "$l" "$(awk -v a="$l" -v b="$d" 'BEGIN {print a / b}')"
