#!/bin/bash
# Everyday binds under the default policy: a project directory under /root
# and an application's own log directory under /var/log work; the host's own
# logs, root's hidden files and plain files there stay refused.
. "$(dirname "$0")/lib.sh"
setup_work
proj=$(mktemp -d /root/hardrun-it-proj.XXXXXX)
applog=$(mktemp -d /var/log/hardrun-it-app.XXXXXX)
trap 'rm -rf "$proj" "$applog"; cleanup_work' EXIT
echo source > "$proj/main.c"

bind () {  # bind BUNDLE SOURCE DEST [OPTION...]: add a bind mount
    local b=$1 src=$2 dst=$3
    shift 3
    jq --arg s "$src" --arg d "$dst" --argjson o "$(printf '%s\n' rbind "$@" | jq -R . | jq -s .)" \
        '.mounts += [{destination: $d, type: "bind", source: $s, options: $o}]' "$b/config.json" > "$b/c.tmp"
    mv "$b/c.tmp" "$b/config.json"
}

make_bundle "$WORK/p" 'echo "src=$(cat /src/main.c)"; echo built > /src/out && echo "log=$(echo line >> /logs/app.log && echo ok)"'
bind "$WORK/p" "$proj" /src
bind "$WORK/p" "$applog" /logs
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/p" everyday1 2>&1)
check_eq "a project directory under /root is bound" "source" "$(field src)"
check "  and the container writes to it" grep -qx built "$proj/out"
check_eq "an application's log directory under /var/log is bound" "ok" "$(field log)"
check "  and the host sees its log" grep -qx line "$applog/app.log"

# refused, and the effect absent: the container never starts
for src in /var/log/journal /var/log /root /root/.ssh; do
    make_bundle "$WORK/r" 'echo started=1'
    bind "$WORK/r" "$src" /x ro
    cp "$WORK/r/config.json" "$WORK/r.orig"
    OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/r" refused1 2>&1); rc=$?
    check_eq "bind of $src: refused" "1" "$rc"
    check_eq "  the container did not start" "" "$(field started)"
    check "  config.json untouched" cmp -s "$WORK/r.orig" "$WORK/r/config.json"
    rm -rf "$WORK/r"
done
make_bundle "$WORK/f" 'echo started=1'
bind "$WORK/f" "$applog/app.log" /x ro
OUT=$("$HARDRUN" --root "$STATE" run --bundle "$WORK/f" refused2 2>&1); rc=$?
check_eq "a file (not a directory) under /var/log: refused" "1:" "$rc:$(field started)"
check "  naming the key that would allow it" grep -q "host_mounts.allowed_paths+" <<< "$OUT"

finish
