#!/bin/sh
# Bench: ipcsweep listing 1,000 and 10,000 SysV objects (a third each of
# shm, sem, msg; 5 owner uids, each with a dead and a live creator) side by
# side with `ipcs -a` and the floor (a bare read of /proc/sysvipc/*), plus
# peak RSS and binary size. Targets (issue 5): >= 8x faster than ipcs -a,
# within 2x of the floor, peak RSS <= 512 KiB, dist/ipcsweep <= 64 KiB.
#
# It runs in an IPC namespace of its own (unshare -i): it neither lists nor
# disturbs anyone else's objects, and the namespace's kernel.shmmni can be
# raised for it alone. It still removes its objects by id at the end.
cd "$(dirname "$0")/../.." || exit 3
TOP=$(pwd)
if [ -z "$IPCSWEEP_BENCH_NS" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP bench/ipcsweep: needs root (owners via setresuid)"
		exit 0
	fi
	IPCSWEEP_BENCH_NS=1 exec unshare -i sh "$0" "$@"
fi
IS=$TOP/dist/ipcsweep
H=$TOP/build/helpers
RSS=$H/peakrss
[ -x "$RSS" ] || RSS=$H/ipcsweep_hwm
W=$(mktemp -d "${TMPDIR:-/tmp}/undead-bench.XXXXXX") || exit 3
chmod 755 "$W"
cleanup() {
	for d in "$W"/n*; do
		[ -f "$d/ids" ] && "$H/ipcsweep_fill" -r "$d"
		[ -f "$d/pids" ] && kill $(cat "$d/pids") 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

hyper() {	# hyper N OUT.json: one hyperfine run of every command
	hyperfine -N -w 2 -m 10 -M 30 --export-json "$2" \
	    -n floor "$H/ipcsweep_floor" \
	    -n ipcsweep "$IS" \
	    -n "ipcsweep -r" "$IS -r" \
	    -n "ipcs -a" "ipcs -a" > "$W/hyperfine.log" 2>&1
}

rss() {	# rss CMD...: peak RSS in KiB
	"$RSS" "$@" 2>&1 >/dev/null | sed -n 's/^peak_rss_kib //p' | tail -n 1
}

printf '%-7s %-12s %10s %8s %8s %9s\n' objects command median_ms x_floor \
    x_ipcs rss_kib
for n in 1000 10000; do
	if ! why=$(limits "$n"); then
		echo "SKIP bench/ipcsweep n=$n: $why"
		continue
	fi
	mkdir -p "$W/n$n" && chmod 755 "$W/n$n"
	"$H/ipcsweep_fill" "$n" "$W/n$n" || { echo "FAIL: fill $n"; exit 3; }
	lines=$("$IS" -r -n | wc -l)
	[ "$lines" -eq "$n" ] || echo "note: ipcsweep lists $lines of $n"
	hyper "$n" "$W/n$n.json" || { cat "$W/hyperfine.log"; exit 3; }
	r_is=$(rss "$IS") r_raw=$(rss "$IS" -r) r_ipcs=$(rss ipcs -a)
	r_floor=$(rss "$H/ipcsweep_floor")
	python3 - "$W/n$n.json" "$n" "$r_floor" "$r_is" "$r_raw" "$r_ipcs" <<'EOF'
import json, sys
res = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
n = sys.argv[2]
rss = dict(zip(["floor", "ipcsweep", "ipcsweep -r", "ipcs -a"], sys.argv[3:7]))
for c in ["floor", "ipcsweep", "ipcsweep -r", "ipcs -a"]:
    print("%-7s %-12s %10.2f %8.2f %8.3f %9s" % (n, c, res[c], res[c] / res["floor"],
          res[c] / res["ipcs -a"], rss[c]))
print("%-7s ipcs -a / ipcsweep = %.1fx (target >= 8), ipcsweep / floor = %.2fx "
      "(target <= 2); -r: %.1fx, %.2fx" % (n, res["ipcs -a"] / res["ipcsweep"],
      res["ipcsweep"] / res["floor"], res["ipcs -a"] / res["ipcsweep -r"],
      res["ipcsweep -r"] / res["floor"]))
EOF
	"$H/ipcsweep_fill" -r "$W/n$n" || echo "note: some of the $n ids were already gone"
	kill $(cat "$W/n$n/pids") 2>/dev/null
	rm -f "$W/n$n/ids" "$W/n$n/pids"
done
echo "binary: dist/ipcsweep $(wc -c < "$IS") bytes (target <= 65536)"
echo "rss: $(basename "$RSS") (VmHWM at exit)"
