#!/bin/sh
# Fails when a shipped binary is dynamically linked: it must run anywhere.
# A static ELF has neither a PT_INTERP header nor a DYNAMIC section with
# NEEDED entries.
rc=0
for b in "$@"; do
	if ! [ -x "$b" ]; then
		echo "static: $b: missing" >&2; rc=1; continue
	fi
	if readelf -lW "$b" | grep -q 'INTERP\|DYNAMIC'; then
		echo "static: $b: dynamically linked" >&2; rc=1
	fi
done
[ $rc -eq 0 ] && echo "static: $# binaries checked, all static"
exit $rc
