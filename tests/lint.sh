#!/bin/sh
# make lint: static checks of the C sources (cppcheck, when installed) and
# of the house rules that tests can state: no function past 60 lines, no
# tool acting on the whole machine in the tests.
cd "$(dirname "$0")/.." || exit 3
rc=0
if command -v cppcheck >/dev/null 2>&1; then
	cppcheck -q --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr -D__linux__ -D__x86_64__ -Ilib lib cmd || rc=1
else
	echo "lint: cppcheck is not installed; skipping it"
fi
long=$(for f in cmd/*.c lib/*.c; do
	awk -v f="$f" '/^[a-z_].*\(/ && !/;$/ {name=$0; start=NR}
	    /^\{/ {open=NR} /^\}/ && open {n=NR-open; if (n>60)
	    printf "%s:%d %d lines: %s\n", f, start, n, name; open=0}' "$f"
done)
[ -n "$long" ] && { echo "lint: functions over 60 lines:"; echo "$long"; }
bad=$(grep -nE 'pkill +-f|killall |ipcrm +(-a|--all)|kill +-9 +-1' tests/*.sh tests/*/*.sh 2>/dev/null | grep -v '^tests/lint.sh:')
[ -n "$bad" ] && { echo "lint: tests must act only on what they made:"; echo "$bad"; rc=1; }
exit $rc
