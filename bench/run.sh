#!/bin/bash
# hardrun's benchmark, as root:  bench/run.sh [REPS]   (default 200)
# Needs a built hardrun (build/hardrun, or $HARDRUN), runc, busybox-static,
# jq and gcc. Not part of the test suite: it measures, it does not judge.
#
# 1. hardrun's own cost: hardrun delegating to a static no-op runtime, minus
#    that no-op alone, next to a static C execv passthrough (the floor), for
#    create on Docker-, podman- and CRI-shaped configs and a 1 MB config,
#    and for the commands engines send later (state, start, kill, delete).
# 2. Real launches: runc create+start with Docker's default seccomp profile,
#    runc alone on the config as hardrun leaves it (its own filter: runc's
#    compile cost of each), and the same through hardrun, on one busybox
#    bundle.
# 3. With HARDRUN_BASE=/path/to/another/hardrun (an earlier build), its
#    create runs interleaved with this build's (this, base, base, this:
#    the VM favours neither place), and their difference.
# All cases run interleaved, REPS times each; medians and peak RSS.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
REPS=${1:-200}
. "$top/bench/lib.sh"
bench_require
BASE=${HARDRUN_BASE:-}
INIT=${HARDRUN_INIT:-$(dirname "$HARDRUN")/hardrun-init}
[ -z "$BASE" ] || [ -x "$BASE" ] || { echo "HARDRUN_BASE is not an executable: $BASE" >&2; exit 1; }

bench_areas run

gcc -O2 -o "$W/timeit" "$top/bench/timeit.c"
gcc -O2 -static -o "$W/noop" "$top/bench/noop.c"
gcc -O2 -static -DFLOOR_TARGET="\"$W/noop\"" -o "$W/floor" "$top/bench/floor.c"

# hardrun with the no-op as its delegate; CRI's sandbox here has the host's
# network (as shared/fixtures' does), which this configuration audits
cat > "$W/noop.json" <<JSON
{ "runtime": "$W/noop", "decision_log": "$D/decisions.log", "state_dir": "$D/state",
  "profiles": { "default": { "host_namespaces": { "refuse": ["pid", "ipc"], "audit": ["network", "uts", "cgroup"] } } } }
JSON
cat > "$W/runc.json" <<JSON
{ "runtime": "$RUNC", "decision_log": "$D/decisions.log", "state_dir": "$D/state" }
JSON

F=$top/tests/unit/fixtures/engine-configs
for shape in docker podman cri-sandbox; do
    mkdir -p "$W/b-$shape"
    cp "$F/$shape.json" "$W/b-$shape/config.orig"
done
# Docker's prestart hook names /proc/<pid>/exe of the dockerd that wrote the
# fixture: here, the dockerd binary itself, as a live dockerd's resolves
dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)
jq --arg d "$dockerd_bin" '.hooks.prestart[0].path = $d' "$F/docker.json" > "$W/b-docker/config.orig"
# a 1 MB config: Docker's, with 1 MB of annotations
mkdir -p "$W/b-1mb"
jq --argjson n 9000 '.annotations = ([range(0; $n) | {key: "bench.example/k\(.)", value: ("v" * 100)}] | from_entries)' \
    "$W/b-docker/config.orig" > "$W/b-1mb/config.orig"

# a real bundle: busybox, Docker's default seccomp profile in its config
bash "$top/contrib/make-bundle.sh" "$W/real" true > /dev/null
jq --slurpfile d "$F/docker.json" '.linux.seccomp = $d[0].linux.seccomp' "$W/real/config.json" > "$W/real/config.docker"
# the same bundle as hardrun leaves it (its seccomp filter, its other
# changes), for runc alone: runc's compile cost of each filter
cp "$W/real/config.docker" "$W/real/config.json"
HARDRUN_CONFIG=$W/noop.json "$HARDRUN" create --bundle "$W/real" prepare > /dev/null
cp "$W/real/config.json" "$W/real/config.hardened"

H="HARDRUN_CONFIG=$W/noop.json $HARDRUN"
HR="HARDRUN_CONFIG=$W/runc.json $HARDRUN"
restore () { echo "cp $W/b-$1/config.orig $W/b-$1/config.json"; }
{
    echo "noop create|:|$W/noop create --bundle $W/b-docker c1|:"
    echo "floor create|:|$W/floor create --bundle $W/b-docker c1|:"
    for shape in docker podman cri-sandbox 1mb; do
        echo "hardrun create $shape|$(restore $shape)|$H create --bundle $W/b-$shape c1|:"
        # A B B A: each build as often first as second
        [ -z "$BASE" ] || for c in "base create $shape" "base create $shape, again" "hardrun create $shape, again"; do
            b=$BASE; [ "${c#hardrun}" = "$c" ] || b=$HARDRUN
            echo "$c|$(restore $shape)|HARDRUN_CONFIG=$W/noop.json $b create --bundle $W/b-$shape c1|:"
        done
    done
    # hardrun-init's own cost: its default ruleset applied (execute all of
    # the root cut around the scratch places, which lists / and /var), then
    # the no-op, which lies in scratch and is allowed by name
    if [ -x "$INIT" ]; then
        echo "no-op exec'd directly|:|$W/noop|:"
        echo "no-op behind hardrun-init|:|$INIT -r / -x $W/noop -X / -n /proc -n /sys -n /dev -n /tmp -n /var/tmp -n /run -w /tmp -w /var/tmp -w /dev -w /run -s -- $W/noop|:"
    fi
    echo "noop state|:|$W/noop state c1|:"
    echo "floor state|:|$W/floor state c1|:"
    for cmd in "state c1" "start c1" "kill c1 9" "delete c1"; do
        echo "hardrun ${cmd%% *}|:|$H $cmd|:"
    done
    echo "runc create+start, Docker's profile|cp $W/real/config.docker $W/real/config.json|$RUNC --root $W/runc create --bundle $W/real r1 ;; $RUNC --root $W/runc start r1|$RUNC --root $W/runc delete -f r1"
    echo "hardrun create+start|cp $W/real/config.docker $W/real/config.json|$HR --root $W/runc create --bundle $W/real r1 ;; $HR --root $W/runc start r1|$RUNC --root $W/runc delete -f r1"
    echo "runc create+start, hardrun's profile|cp $W/real/config.hardened $W/real/config.json|$RUNC --root $W/runc create --bundle $W/real r1 ;; $RUNC --root $W/runc start r1|$RUNC --root $W/runc delete -f r1"
} > "$W/cases"

"$W/timeit" "$W/cases" "$REPS" > "$W/results"

median () { awk -F'\t' -v l="$1" '$1 == l {print $2}' "$W/results"; }
rss () { awk -F'\t' -v l="$1" '$1 == l {print $3}' "$W/results"; }
noop=$(median "noop create")
floor=$(median "floor create")
printf '\nhardrun benchmark: %s repetitions each, interleaved; medians\n\n' "$REPS"
printf '| case | median ms | own ms (minus no-op) | vs. execv floor | peak RSS KiB |\n|---|---|---|---|---|\n'
printf '| no-op runtime alone | %.3f | | | %s |\n' "$noop" "$(rss "noop create")"
printf "| static execv floor | %.3f | %.3f | 1.00 | %s |\n" "$floor" "$(awk -v a="$floor" -v b="$noop" "BEGIN {print a - b}")" "$(rss "floor create")"
for shape in docker podman cri-sandbox 1mb; do
    m=$(median "hardrun create $shape")
    printf '| create, %s config | %.3f | %.3f | %.2f | %s |\n' "$shape" "$m" \
        "$(awk -v a="$m" -v b="$noop" 'BEGIN {print a - b}')" \
        "$(awk -v a="$m" -v b="$floor" 'BEGIN {print a / b}')" "$(rss "hardrun create $shape")"
done
for cmd in state start kill delete; do
    m=$(median "hardrun $cmd")
    printf '| %s | %.3f | %.3f | %.2f | %s |\n' "$cmd" "$m" \
        "$(awk -v a="$m" -v b="$noop" 'BEGIN {print a - b}')" \
        "$(awk -v a="$m" -v b="$floor" 'BEGIN {print a / b}')" "$(rss "hardrun $cmd")"
done
d=$(median "runc create+start, Docker's profile")
r=$(median "runc create+start, hardrun's profile")
h=$(median "hardrun create+start")
printf '\n| real launch (runc create + start, busybox) | median ms |\n|---|---|\n'
printf "| runc, Docker's default seccomp profile (x86_64, x86, x32) | %.2f |\n" "$d"
printf "| runc, the config as hardrun leaves it (its filter: native arch only) | %.2f |\n" "$r"
printf "| hardrun, then runc on that config | %.2f |\n" "$h"
printf "| runc's filter compile saved (Docker's profile minus hardrun's) | %.2f |\n" "$(awk -v a="$d" -v b="$r" 'BEGIN {print a - b}')"
printf '| ratio hardrun / runc-with-Docker-profile | %.2f |\n' "$(awk -v a="$h" -v b="$d" 'BEGIN {print a / b}')"
if [ -x "$INIT" ]; then
    a=$(median "no-op exec'd directly"); b=$(median "no-op behind hardrun-init")
    printf '\n| hardrun-init | median ms |\n|---|---|\n'
    printf '| a static no-op exec'"'"'d | %.3f |\n| the same behind hardrun-init and its default ruleset | %.3f |\n' "$a" "$b"
    printf '| hardrun-init'"'"'s cost | %.3f |\n' "$(awk -v a="$b" -v b="$a" 'BEGIN {print a - b}')"
fi
if [ -n "$BASE" ]; then
    printf '\n| create, against %s | this build ms | base ms | difference ms |\n|---|---|---|---|\n' "$BASE"
    for shape in docker podman cri-sandbox 1mb; do
        m=$(awk -v a="$(median "hardrun create $shape")" -v b="$(median "hardrun create $shape, again")" 'BEGIN {print (a + b) / 2}')
        b=$(awk -v a="$(median "base create $shape")" -v b="$(median "base create $shape, again")" 'BEGIN {print (a + b) / 2}')
        printf '| %s config | %.3f | %.3f | %+.3f |\n' "$shape" "$m" "$b" "$(awk -v a="$m" -v b="$b" 'BEGIN {print a - b}')"
    done
fi
