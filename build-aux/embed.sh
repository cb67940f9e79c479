#!/bin/sh
# embed.sh SYMBOL FILE: print a C definition of FILE's bytes, NUL-terminated.
set -eu
sym=$1
file=$2
printf '/* Generated from %s by build-aux/embed.sh; do not edit. */\n' "$(basename "$file")"
printf '#include <stddef.h>\nconst char %s[] = {\n' "$sym"
od -An -v -tx1 "$file" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/ /'
printf ' 0x00\n};\nconst size_t %s_len = sizeof %s - 1;\n' "$sym" "$sym"
