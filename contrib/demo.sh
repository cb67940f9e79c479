#!/bin/bash
# hardrun's main job on a demo container, from a fresh Debian 12 machine, as root:
# install the build dependencies, build, run one busybox container with runc
# alone and then through hardrun, and show the decision hardrun logged.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root: containers need it" >&2; exit 1; }

echo "== installing build dependencies (Debian packages)"
bash "$top/contrib/install-deps.sh"

echo "== building hardrun"
(cd "$top" && ./autogen.sh > /dev/null 2>&1)
mkdir -p "$top/build"
(cd "$top/build" && ../configure --quiet && make --quiet -j"$(nproc)" hardrun hardrun-init > /dev/null)
hardrun=$top/build/hardrun

demo=$(mktemp -d /tmp/hardrun-demo.XXXXXX)
state=$demo/state
trap 'rm -rf "$demo"' EXIT
script='grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; touch /probe 2>/dev/null && echo "root: writable" || echo "root: read-only"
cp /bin/busybox /tmp/busybox && /tmp/busybox true 2>/dev/null && echo "a binary copied to /tmp: runs" || echo "a binary copied to /tmp: cannot be executed (Landlock)"'
bash "$top/contrib/make-bundle.sh" "$demo/bundle" "$script"
cp -r "$demo/bundle" "$demo/plain"

echo
echo "== a container as engines configure it (their 14 default capabilities), with a writable root and no seccomp filter: runc alone"
runc --root "$state" run --bundle "$demo/plain" "demo-plain-$$"

echo
echo "== the same bundle through hardrun"
"$hardrun" --root "$state" run --bundle "$demo/bundle" "demo-$$"

echo
echo "== the decision hardrun logged (/var/log/hardrun/decisions.log, last line)"
tail -n 1 /var/log/hardrun/decisions.log | jq '{time, command, id, decision, mode,
    profile, profile_rule, items: [.items[] | "\(.kind) \(.control) \(.path): \(.message)"],
    config_sha256_before, config_sha256_after, hardrun_us}'
