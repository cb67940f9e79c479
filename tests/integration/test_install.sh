#!/bin/bash
# make install puts the binary, the configuration, the profiles and the man
# pages where they belong under DESTDIR; make uninstall removes them.
. "$(dirname "$0")/lib.sh"
setup_work
trap cleanup_work EXIT
build=$(cd "$(dirname "$HARDRUN")" && pwd)

if [ ! -f "$build/Makefile" ]; then
    echo "no build directory beside $HARDRUN: skipped"
    finish
    exit
fi
stage=$WORK/stage
check "make install DESTDIR=..." quiet make -C "$build" install DESTDIR="$stage"
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
sysconfdir=$(sed -n 's/^sysconfdir = //p' "$build/Makefile" | sed "s#\${prefix}#$prefix#")
for f in "$prefix/bin/hardrun" \
         "$sysconfdir/hardrun/config.json" \
         "$sysconfdir/apparmor.d/hardrun-default" \
         "$prefix/share/hardrun/profiles/policy/default.json" \
         "$prefix/share/hardrun/profiles/policy/restricted.json" \
         "$prefix/share/hardrun/profiles/seccomp/default.json" \
         "$prefix/share/hardrun/profiles/apparmor/hardrun-default" \
         "$prefix/share/man/man8/hardrun.8" \
         "$prefix/share/man/man5/hardrun.conf.5"; do
    check "installed: $f" test -s "$stage$f"
done
check "the installed binary runs" quiet "$stage$prefix/bin/hardrun" check --help
check "the installed configuration is valid" \
    bash -c "HARDRUN_CONFIG='$stage$sysconfdir/hardrun/config.json' '$stage$prefix/bin/hardrun' doctor > /dev/null"
check "make uninstall DESTDIR=..." quiet make -C "$build" uninstall DESTDIR="$stage"
check_eq "nothing but directories is left" "0" "$(find "$stage" -type f | wc -l)"

finish
