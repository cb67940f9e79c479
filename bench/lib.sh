# Shared by the benchmarks (sourced, bash, as root).

# bench_require: $HARDRUN (built, or build/hardrun) and $RUNC, as root.
bench_require () {
    HARDRUN=${HARDRUN:-$top/build/hardrun}
    RUNC=$(command -v runc)
    [ "$(id -u)" -eq 0 ] || { echo "run as root (it starts containers)" >&2; exit 1; }
    [ -x "$HARDRUN" ] || { echo "build hardrun first ($HARDRUN)" >&2; exit 1; }
}

# The scratch areas.
# bench_areas NAME: $W on tmpfs for bundles and runc's state, as engines keep
# them (/run/...), and $D on disk for hardrun's decision log and records, as
# in production; both removed, and every container in $W/runc deleted, at
# exit. $RUNC must be set.
bench_areas () {
    W=$(mktemp -d "/tmp/hardrun-bench-$1.XXXXXX")
    D=$(mktemp -d "/var/tmp/hardrun-bench-$1-disk.XXXXXX")
    mount -t tmpfs -o size=256m tmpfs "$W"
    mkdir -p "$W/runc"
    trap bench_cleanup EXIT
}

bench_cleanup () {
    for id in $("$RUNC" --root "$W/runc" list -q 2> /dev/null); do
        "$RUNC" --root "$W/runc" delete -f "$id" > /dev/null 2>&1 || true
    done
    umount "$W" 2> /dev/null || true
    rm -rf "$W" "$D"
}
