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

start 20000; BIG=$VPID; NBIG=$VFDS
start 100; SMALL=$VPID; NSMALL=$VFDS
echo "scenario: one process with $NBIG fds, one with $NSMALL (files, deleted"
echo "files, pipes, unix pairs, loopback TCP with queued bytes, /dev/null)"
row fds command "median ms" "x fdls"

f_big=$(ms -n 15 "$BIN/fdls" "$BIG")
row "$NBIG" "fdls (default columns)" "$f_big" 1.00
fo_big=$(ms -n 15 "$BIN/fdls" -o FD,TYPE,NAME "$BIG")
floor_big=$(ms -n 15 "$HELP/floor_fd" "$BIG")
row "$NBIG" "fdls -o FD,TYPE,NAME" "$fo_big" "$(ratio "$fo_big" "$f_big")"
row "$NBIG" "floor (getdents+readlink)" "$floor_big" "$(ratio "$floor_big" "$f_big")"
lsof_big=0 lsfd_big=0
if have lsof; then
	lsof_big=$(ms -n 7 lsof -n -P -p "$BIG")
	row "$NBIG" "lsof -n -P -p" "$lsof_big" "$(ratio "$lsof_big" "$f_big")"
fi
if have lsfd; then
	lsfd_big=$(ms -n 7 lsfd -p "$BIG")
	row "$NBIG" "lsfd -p" "$lsfd_big" "$(ratio "$lsfd_big" "$f_big")"
fi
f_small=$(ms -n 31 "$BIN/fdls" "$SMALL")
row "$NSMALL" "fdls (default columns)" "$f_small" 1.00
lsof_small=0
if have lsof; then
	lsof_small=$(ms -n 15 lsof -p "$SMALL")
	row "$NSMALL" "lsof -p" "$lsof_small" "$(ratio "$lsof_small" "$f_small")"
fi
kib=$(rss "$BIN/fdls" "$BIG")
size=$(stat -c %s "$BIN/fdls")
per_big=$(awk -v t="$f_big" -v n="$NBIG" 'BEGIN { printf "%.2f", t * 1000 / n }')
per_small=$(awk -v t="$f_small" -v n="$NSMALL" 'BEGIN { printf "%.2f", t * 1000 / n }')
echo "fdls cost per fd: ${per_big} us at $NBIG fds, ${per_small} us at $NSMALL (start-up included)"
echo "fdls peak RSS at $NBIG fds: $kib KiB; dist/fdls: $size bytes"
ok() { awk "BEGIN { exit !($1) }" && echo 1 || echo 0; }
have lsof && verdict ">= 2.5x faster than lsof -n -P -p" "$(ok "$lsof_big >= 2.5 * $f_big")"
have lsfd && verdict ">= 2.5x faster than lsfd -p" "$(ok "$lsfd_big >= 2.5 * $f_big")"
verdict "-o FD,TYPE,NAME within 1.3x of the floor" "$(ok "$fo_big <= 1.3 * $floor_big")"
have lsof && verdict ">= 10x faster than lsof -p at 100 fds" "$(ok "$lsof_small >= 10 * $f_small")"
verdict "peak RSS <= 1 MiB" "$(ok "$kib <= 1024")"
verdict "dist/fdls <= 64 KiB" "$(ok "$size <= 65536")"
