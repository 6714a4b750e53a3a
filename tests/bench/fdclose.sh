#!/bin/sh
# fdclose bench: how long the target stays stopped per injected fd (the
# distribution over 256 injections, from fdclose's own "stopped:" line:
# first ptrace stop to detach); fdclose against the anchor
# `gdb -p PID -batch -ex 'call (int)close(200)'` in one hyperfine run (one
# injected call on an fd that is not open, in gdb's favour: fdclose's
# replace injects three); peak RSS; binary size. Targets: stopped <= 1 ms
# per fd; dist/fdclose <= 96 KiB.
cd "$(dirname "$0")/../.." || exit 3
F=dist/fdclose
V=build/helpers/fdclose_victim
W=$(mktemp -d "${TMPDIR:-/tmp}/undead-bench.XXXXXX") || exit 3
"$V" idle "$W/v" &
VP=$!
trap 'kill -KILL $VP 2>/dev/null; rm -rf "$W"' EXIT
i=0
while ! [ -s "$W/v" ]; do i=$((i + 1)); [ $i -gt 50 ] && exit 3; sleep 0.1; done

# 4 rounds over 64 socket fds (9..72), one attach + stop + detach each.
fds=$(seq 9 72 | tr '\n' ' ')
for r in 1 2 3 4; do
	$F --mode replace "$VP" $fds | sed -n 's/^  stopped: \([0-9.]*\) ms/\1/p'
done > "$W/stops"
sort -n "$W/stops" | awk '
	{ v[NR] = $1 }
	END {
		printf "fdclose: target stopped per injected fd (ms), n=%d\n", NR
		printf "  min %.3f  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n",
		    v[1], v[int(NR * 0.5)], v[int(NR * 0.9)],
		    v[int(NR * 0.99)], v[NR]
		over = 0
		for (i = 1; i <= NR; i++) if (v[i] > 1) over++
		printf "  over 1 ms: %d of %d\n", over, NR
	}'

if command -v hyperfine >/dev/null 2>&1; then
	g="gdb -nx -q -p $VP -batch -ex 'call (int)close(200)'"
	command -v gdb >/dev/null 2>&1 || g="true"
	hyperfine -N -i --warmup 2 --runs 20 --export-csv "$W/h.csv" \
	    "$F --mode replace $VP 73" "$g" > /dev/null 2>&1 ||
	    hyperfine -i --warmup 2 --runs 20 --export-csv "$W/h.csv" \
	    "$F --mode replace $VP 73" "$g" > /dev/null 2>&1
	awk -F, 'NR == 2 { f = $4 } NR == 3 { g = $4 }
	    END { printf "wall time (median): fdclose %.1f ms, gdb %.1f ms, ratio %.3f\n",
	    f * 1000, g * 1000, f / g }' "$W/h.csv"
fi
rss() { build/helpers/peakrss "$@" 2>&1 >/dev/null | sed -n 's/^peak_rss_kib //p'; }
echo "peak RSS (KiB): fdclose $(rss $F --mode replace "$VP" 75), gdb $(rss gdb -nx -q -p "$VP" -batch -ex 'call (int)close(200)')"
sz=$(wc -c < $F)
echo "binary size: dist/fdclose $sz bytes ($((sz / 1024)) KiB; target <= 96 KiB)"
