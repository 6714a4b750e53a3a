# ipcsweep: listing 1,000 and 10,000 SysV objects (a third each of shm,
# sem, msg; 5 owner uids, each with a dead and a live creator) side by side
# with `ipcs -a` (the anchor) and the floor (a bare read of
# /proc/sysvipc/*), plus peak RSS and binary size. Targets (issue 5):
# >= 8x faster than ipcs -a, within 2x of the floor, peak RSS <= 512 KiB,
# dist/ipcsweep <= 64 KiB.
#
# It runs in an IPC namespace of its own (unshare -i): it neither lists nor
# disturbs anyone else's objects, and the namespace's kernel.shmmni can be
# raised for it alone. It still removes its objects by id at the end.
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/dist} HELP=${HELP:-$TOP/build/helpers}
export TOP BIN HELP
if [ -z "$IPCSWEEP_BENCH_NS" ]; then
	[ "$(id -u)" = 0 ] || { echo "skipped: needs root (owners via setresuid)"; exit 0; }
	IPCSWEEP_BENCH_NS=1 exec unshare -i sh "$0" "$@"
fi
. "$TOP/tests/bench/lib.sh"
chmod 755 "$T"
IS=$BIN/ipcsweep

# Kernel limits: a third of N must fit in each kind's table.
limits() {
	need=$(($1 / 3 + 16))
	for k in shmmni msgmni; do
		have=$(sysctl -n kernel.$k)
		[ "$have" -ge "$need" ] || sysctl -q -w kernel.$k="$need" 2>/dev/null ||
		    { echo "kernel.$k=$have < $need and cannot be raised"; return 1; }
	done
	set -- $(sysctl -n kernel.sem)
	[ "$4" -ge "$need" ] || { echo "kernel.sem semmni=$4 < $need"; return 1; }
}

fill() {	# fill N DIR: the population, removed by id at exit
	mkdir -p "$2" && chmod 755 "$2"
	at_exit "'$HELP/ipcsweep_fill' -r '$2'; kill \$(cat '$2/pids') 2>/dev/null"
	"$HELP/ipcsweep_fill" "$1" "$2"
}

row() { printf '%-7s %-14s %10s %8s %8s %9s\n' "$@"; }
row objects command "median ms" "x floor" "x ipcs" "rss KiB"
for n in 1000 10000; do
	if ! why=$(limits "$n"); then
		echo "scaled down: n=$n skipped: $why"
		continue
	fi
	fill "$n" "$T/n$n" || { echo "fill $n failed"; exit 1; }
	lines=$("$IS" -r -n | wc -l)
	[ "$lines" -eq "$n" ] || echo "note: ipcsweep lists $lines of $n"
	hyperfine -N -w 2 -m 10 -M 30 --export-json "$T/n$n.json" \
	    -n floor "$HELP/ipcsweep_floor" -n ipcsweep "$IS" \
	    -n "ipcsweep -r" "$IS -r" -n "ipcs -a" "ipcs -a" \
	    > "$T/hyperfine.log" 2>&1 || { cat "$T/hyperfine.log"; exit 1; }
	set -- $(python3 -c 'import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(" ".join("%.2f" % r[c] for c in ["floor", "ipcsweep", "ipcsweep -r", "ipcs -a"]))' \
	    "$T/n$n.json")
	fl=$1 is=$2 raw=$3 ipcs=$4
	row "$n" floor "$fl" 1.00 "$(ratio "$fl" "$ipcs")" \
	    "$(rss "$HELP/ipcsweep_floor")"
	row "$n" ipcsweep "$is" "$(ratio "$is" "$fl")" "$(ratio "$is" "$ipcs")" \
	    "$(rss "$IS")"
	row "$n" "ipcsweep -r" "$raw" "$(ratio "$raw" "$fl")" \
	    "$(ratio "$raw" "$ipcs")" "$(rss "$IS" -r)"
	row "$n" "ipcs -a" "$ipcs" "$(ratio "$ipcs" "$fl")" 1.00 \
	    "$(rss ipcs -a)"
	if [ "$n" = 10000 ]; then
		x=$(ratio "$ipcs" "$is")
		verdict ">= 8x faster than ipcs -a ($x)" \
		    "$(awk -v x="$x" 'BEGIN { print (x >= 8) }')"
		x=$(ratio "$is" "$fl")
		verdict "within 2x of the floor ($x)" \
		    "$(awk -v x="$x" 'BEGIN { print (x <= 2) }')"
		r=$(rss "$IS") rr=$(rss "$IS" -r)
		verdict "peak RSS <= 512 KiB (table $r, -r $rr)" \
		    "$(awk -v x="$r" 'BEGIN { print (x <= 512) }')"
	fi
	"$HELP/ipcsweep_fill" -r "$T/n$n" || echo "note: some ids were gone"
	kill $(cat "$T/n$n/pids") 2>/dev/null
	: > "$T/n$n/ids"
	: > "$T/n$n/pids"
done
size=$(wc -c < "$IS")
verdict "dist/ipcsweep <= 64 KiB ($size bytes)" \
    "$(awk -v x="$size" 'BEGIN { print (x <= 65536) }')"
