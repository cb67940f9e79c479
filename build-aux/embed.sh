#!/bin/sh
# embed.sh SYMBOL FILE: print a C definition of FILE's bytes, NUL-terminated,
# and of their sha256 (SYMBOL_sha256).
set -eu
sym=$1
file=$2
printf '/* Generated from %s by build-aux/embed.sh; do not edit. */\n' "$(basename "$file")"
printf '#include <stddef.h>\nconst char %s[] = {\n' "$sym"
od -An -v -tx1 "$file" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/ /'
printf ' 0x00\n};\nconst size_t %s_len = sizeof %s - 1;\n' "$sym" "$sym"
# The digest too, so a launch need not hash the built-in texts again.
printf 'const char %s_sha256[] = "%s";\n' "$sym" "$(sha256sum < "$file" | cut -d' ' -f1)"
