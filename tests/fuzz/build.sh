#!/bin/sh
# build.sh SRCDIR BUILDDIR: the libFuzzer targets, with ASan and UBSan, in
# BUILDDIR/fuzz (clang; run by `make fuzz`).
set -eu
src=$1
build=$2
out=$build/fuzz
mkdir -p "$out"
CC=${FUZZ_CC:-clang}
flags="-g -O1 -Wall -Werror=implicit-function-declaration -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$build -I$src/src $(pkg-config --cflags libseccomp libcap yajl)"
libs="$(pkg-config --libs libseccomp libcap yajl libapparmor libselinux 2> /dev/null || pkg-config --libs libseccomp libcap yajl)"
sources=$(find "$src/src" -name "*.c" ! -path "*/cli/main.c" ! -path "*/init/*" | sort)
generated="$build/src/policy/embedded_profiles.c $build/src/policy/embedded_tree_default.c $build/src/policy/embedded_tree_restricted.c $build/src/policy/embedded_tree_seccomp.c"
$CC $flags -DHAVE_APPARMOR=1 -DHAVE_SELINUX=1 -o "$out/fuzz_argv" "$src/tests/fuzz/fuzz_argv.c" $sources $generated $libs
$CC $flags -DHAVE_APPARMOR=1 -DHAVE_SELINUX=1 -o "$out/fuzz_spec" "$src/tests/fuzz/fuzz_spec.c" $sources $generated $libs
$CC $flags -DHAVE_APPARMOR=1 -DHAVE_SELINUX=1 -DFUZZ_PROCESS -o "$out/fuzz_process" "$src/tests/fuzz/fuzz_spec.c" $sources $generated $libs
$CC $flags -DHAVE_APPARMOR=1 -DHAVE_SELINUX=1 -o "$out/fuzz_configuration" "$src/tests/fuzz/fuzz_configuration.c" $sources $generated $libs
echo "built in $out"
