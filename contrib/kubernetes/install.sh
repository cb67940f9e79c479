#!/bin/sh
# hardrun's node installer, run by the DaemonSet (kubernetes/daemonset.yaml)
# with the node's root filesystem at $HOST_ROOT.
#   install.sh install    copy the binary, configuration and containerd
#                         drop-in, import the drop-in, restart containerd
#   install.sh uninstall  remove all of it and restart containerd
# The restart uses $RESTART_CONTAINERD (default: systemctl in the host's
# namespaces). Everything it writes is listed in $HOST_ROOT/etc/hardrun/.installed.
set -eu
HOST_ROOT=${HOST_ROOT:-/host}
PAYLOAD=${PAYLOAD:-/payload}
HOST=${HOST:-"nsenter --target 1 --mount --uts --ipc --net --pid --"}
RESTART_CONTAINERD=${RESTART_CONTAINERD:-"$HOST systemctl restart containerd"}
# the node's effective containerd configuration, to build the drop-in from
CONTAINERD_DUMP=${CONTAINERD_DUMP:-"$HOST containerd config dump"}
CONFIG_TOML=$HOST_ROOT/etc/containerd/config.toml
IMPORT_LINE='imports = ["/etc/containerd/conf.d/*.toml"]  # added by hardrun'

install_files () {
    mkdir -p "$HOST_ROOT/usr/local/bin" "$HOST_ROOT/etc/hardrun" "$HOST_ROOT/etc/containerd/conf.d"
    # write beside, then rename: a launch never sees half a binary;
    # hardrun-init first, beside hardrun, where hardrun looks for it
    for bin in hardrun-init hardrun; do
        cp "$PAYLOAD/$bin" "$HOST_ROOT/usr/local/bin/.$bin.new"
        chmod 0755 "$HOST_ROOT/usr/local/bin/.$bin.new"
        mv "$HOST_ROOT/usr/local/bin/.$bin.new" "$HOST_ROOT/usr/local/bin/$bin"
    done
    [ -e "$HOST_ROOT/etc/hardrun/config.json" ] || cp "$PAYLOAD/config.json" "$HOST_ROOT/etc/hardrun/config.json"
    # containerd 1.x replaces a whole plugin section with an imported one: the
    # drop-in carries the node's CRI section plus hardrun (make-dropin.sh),
    # or the stock section where the node's configuration cannot be read
    if dump=$(sh -c "$CONTAINERD_DUMP" 2> /dev/null) && [ -n "$dump" ]; then
        printf '%s\n' "$dump" | sh "$PAYLOAD/make-dropin.sh" /usr/local/bin/hardrun \
            > "$HOST_ROOT/etc/containerd/conf.d/hardrun.toml"
    else
        cp "$PAYLOAD/hardrun.toml" "$HOST_ROOT/etc/containerd/conf.d/hardrun.toml"
    fi
    printf '%s\n' /usr/local/bin/hardrun /usr/local/bin/hardrun-init /etc/hardrun/config.json /etc/containerd/conf.d/hardrun.toml \
        > "$HOST_ROOT/etc/hardrun/.installed"
}

add_import () {
    [ -f "$CONFIG_TOML" ] || printf 'version = 2\n' > "$CONFIG_TOML"
    if grep -q '^imports' "$CONFIG_TOML"; then
        grep -q 'conf.d/\*.toml' "$CONFIG_TOML" || {
            echo "hardrun: $CONFIG_TOML already has imports without conf.d; add /etc/containerd/conf.d/*.toml to them" >&2
            exit 1
        }
    else
        # imports must come before any table
        tmp=$CONFIG_TOML.hardrun.tmp
        { sed -n '1{/^version/p}' "$CONFIG_TOML"; echo "$IMPORT_LINE"; sed '1{/^version/d}' "$CONFIG_TOML"; } > "$tmp"
        mv "$tmp" "$CONFIG_TOML"
    fi
}

remove_import () {
    [ -f "$CONFIG_TOML" ] || return 0
    grep -v -F "$IMPORT_LINE" "$CONFIG_TOML" > "$CONFIG_TOML.hardrun.tmp" || true
    mv "$CONFIG_TOML.hardrun.tmp" "$CONFIG_TOML"
}

case "${1:-}" in
install)
    install_files
    add_import
    sh -c "$RESTART_CONTAINERD"
    echo "hardrun installed"
    ;;
uninstall)
    rm -f "$HOST_ROOT/usr/local/bin/hardrun" "$HOST_ROOT/usr/local/bin/hardrun-init" "$HOST_ROOT/etc/containerd/conf.d/hardrun.toml" \
        "$HOST_ROOT/etc/hardrun/.installed"
    remove_import
    sh -c "$RESTART_CONTAINERD"
    echo "hardrun uninstalled (the configuration in /etc/hardrun is kept)"
    ;;
*)
    echo "usage: install.sh install|uninstall" >&2
    exit 2
    ;;
esac
