# The size budgets the issues set for the x86_64 musl builds: fdls,
# pxkill, ipcsweep and pgpidinfo at most 64 KiB, fdclose 96 KiB. (The
# bench prints them too; here a change that crosses one fails at once.)
. "$TOP/tests/lib.sh"

if [ "$(uname -m)" != x86_64 ] || ! "$BIN/fdls" -V | grep -q '(musl, x86_64, static)'; then
	skip all "the budgets are for the static musl x86_64 build"
	exit 0
fi
for t in fdls pxkill ipcsweep pgpidinfo fdclose; do
	max=65536
	[ "$t" = fdclose ] && max=98304
	n=$(stat -c %s "$BIN/$t")
	check "$t: $n bytes, at most $max" [ "$n" -le "$max" ]
done
