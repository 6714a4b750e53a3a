# fdls vs lsof -n -P -p and lsfd -p, and vs the floor (getdents64 plus one
# readlink per fd), on a process holding ~20,000 mixed fds and on one
# holding 100. Targets (issue): default columns >= 2.5x faster than lsof
# and lsfd; -o FD,TYPE,NAME within 1.3x of the floor; >= 10x faster than
# lsof -p at 100 fds; linear cost; peak RSS <= 1 MiB at 20,000 fds;
# dist/fdls <= 64 KiB.
. "$TOP/tests/bench/lib.sh"

start() {	# start N: a victim with N mixed fds; sets VPID
	mkdir -p "$T/v$1"
	"$HELP/victim" -n "$1" "$T/v$1" "$T/r$1" &
	at_exit "kill -KILL $! 2>/dev/null"
	wait_ready "$T/r$1" || { echo "victim did not start"; exit 1; }
	. "$T/r$1"
}

row() { printf '%-8s %-26s %10s %8s\n' "$@"; }

# side N A B: A and B in turns, N times each after two of each to warm up,
# so that the load of a shared machine, which drifts over seconds, weighs
# on both alike; prints A's median ms, B's, and the median of the N
# ratios B/A. (Each command is one word list: no quoting inside.)
side() {
	_n=$1 _a=$2 _b=$3
	for _i in 1 2; do
		"$HELP/benchtime" -n 1 -w 0 $_a >/dev/null
		"$HELP/benchtime" -n 1 -w 0 $_b >/dev/null
	done
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		echo "$("$HELP/benchtime" -n 1 -w 0 $_a)" \
		    "$("$HELP/benchtime" -n 1 -w 0 $_b)"
		_i=$((_i + 1))
	done | awk '
	function med(v, n,	i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{ a[NR] = $1; b[NR] = $2; r[NR] = $2 / $1 }
	END { printf "%.3f %.3f %.2f\n", med(a, NR), med(b, NR), med(r, NR) }'
}

start 20000; BIG=$VPID; NBIG=$VFDS
start 100; SMALL=$VPID; NSMALL=$VFDS
echo "scenario: one process with $NBIG fds, one with $NSMALL (files, deleted"
echo "files, pipes, unix pairs, loopback TCP with queued bytes, /dev/null)"
echo "each comparison runs its two commands in turns; the ratio is the"
echo "median of the per-turn ratios"
row fds command "median ms" ratio

set -- $(side 31 "$HELP/floor_fd $BIG" "$BIN/fdls -o FD,TYPE,NAME $BIG")
floor_big=$1 fo_big=$2 fo_ratio=$3
row "$NBIG" "floor (getdents+readlink)" "$floor_big" 1.00
row "$NBIG" "fdls -o FD,TYPE,NAME" "$fo_big" "$fo_ratio"
# What TYPE itself costs the kernel: a path does not say REG, DIR, CHR or
# FIFO, so every fd naming a path takes one statx more than the floor.
set -- $(side 15 "$HELP/floor_fd -t $BIG" "$BIN/fdls -o FD,TYPE,NAME $BIG")
row "$NBIG" "floor + statx per path fd" "$1" 1.00
row "$NBIG" "fdls -o FD,TYPE,NAME" "$2" "$3"
lsof_ratio=0 lsfd_ratio=0
if have lsof; then
	set -- $(side 7 "$BIN/fdls $BIG" "lsof -n -P -p $BIG")
	f_big=$1 lsof_ratio=$3
	row "$NBIG" "fdls (default columns)" "$1" 1.00
	row "$NBIG" "lsof -n -P -p" "$2" "$lsof_ratio"
fi
if have lsfd; then
	set -- $(side 7 "$BIN/fdls $BIG" "lsfd -p $BIG")
	f_big=$1 lsfd_ratio=$3
	row "$NBIG" "fdls (default columns)" "$1" 1.00
	row "$NBIG" "lsfd -p" "$2" "$lsfd_ratio"
fi
[ -n "${f_big:-}" ] || f_big=$(ms -n 15 "$BIN/fdls" "$BIG")
lsof_small_ratio=0
if have lsof; then
	set -- $(side 15 "$BIN/fdls $SMALL" "lsof -p $SMALL")
	f_small=$1 lsof_small_ratio=$3
	row "$NSMALL" "fdls (default columns)" "$1" 1.00
	row "$NSMALL" "lsof -p" "$2" "$lsof_small_ratio"
else
	f_small=$(ms -n 31 "$BIN/fdls" "$SMALL")
fi
kib=$(rss "$BIN/fdls" "$BIG")
size=$(stat -c %s "$BIN/fdls")
per_big=$(awk -v t="$f_big" -v n="$NBIG" 'BEGIN { printf "%.2f", t * 1000 / n }')
per_small=$(awk -v t="$f_small" -v n="$NSMALL" 'BEGIN { printf "%.2f", t * 1000 / n }')
echo "fdls cost per fd: ${per_big} us at $NBIG fds, ${per_small} us at $NSMALL (start-up included)"
echo "fdls peak RSS at $NBIG fds: $kib KiB; dist/fdls: $size bytes"
ok() { awk "BEGIN { exit !($1) }" && echo 1 || echo 0; }
have lsof && verdict ">= 2.5x faster than lsof -n -P -p" "$(ok "$lsof_ratio >= 2.5")"
have lsfd && verdict ">= 2.5x faster than lsfd -p" "$(ok "$lsfd_ratio >= 2.5")"
verdict "-o FD,TYPE,NAME within 1.3x of the floor" "$(ok "$fo_ratio <= 1.3")"
have lsof && verdict ">= 10x faster than lsof -p at 100 fds" "$(ok "$lsof_small_ratio >= 10")"
verdict "peak RSS <= 1 MiB" "$(ok "$kib <= 1024")"
verdict "dist/fdls <= 64 KiB" "$(ok "$size <= 65536")"
