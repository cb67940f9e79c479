#!/bin/sh
# sync-learned.sh FROM TO [INTERVAL]: keep TO (the node's learned_dir,
# /etc/hardrun/learned.d) holding exactly the *.json files of FROM (the
# ConfigMap hardrun-learned, as kubelet mounts it). Each file is replaced
# atomically; one that is gone from FROM is removed. With INTERVAL (seconds),
# forever; without, once.
set -eu
from=${1:?usage: sync-learned.sh FROM TO [INTERVAL]}
to=${2:?usage: sync-learned.sh FROM TO [INTERVAL]}
interval=${3:-}

sync_once () {
    mkdir -p "$to"
    for f in "$from"/*.json; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        if ! cmp -s "$f" "$to/$name"; then
            cp "$f" "$to/.$name.tmp"
            chmod 0644 "$to/.$name.tmp"
            mv -f "$to/.$name.tmp" "$to/$name"
        fi
    done
    for f in "$to"/*.json; do
        [ -f "$f" ] || continue
        [ -f "$from/$(basename "$f")" ] || rm -f "$f"
    done
}

sync_once
while [ -n "$interval" ]; do
    sleep "$interval"
    sync_once
done
