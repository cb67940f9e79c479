#!/bin/bash
# Install what hardrun needs on Debian 12, from Debian's packages.
#   install-deps.sh          build dependencies, runc and a busybox for demos
#   install-deps.sh --tests  also what the test suite needs
set -euo pipefail
packages=(build-essential autoconf automake pkg-config
          libseccomp-dev libcap-dev libyajl-dev libapparmor-dev libselinux1-dev
          runc busybox-static jq)
if [ "${1:-}" = "--tests" ]; then
    packages+=(libcmocka-dev xz-utils podman catatonit docker.io apparmor python3-yaml clang libclang-rt-14-dev valgrind)
fi
# the CRI test's client runs on node (any nodejs that brings npm will do)
if [ "${1:-}" = "--tests" ] && ! command -v npm > /dev/null; then
    packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
