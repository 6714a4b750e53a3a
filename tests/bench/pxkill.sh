#!/bin/sh
# Bench: pxkill's selection (--dry-run -P PID -r) on a parent with N
# children, side by side with pgrep -P, the seed's ps|grep|awk pipeline
# and the floor (a bare read of every /proc/N/stat), plus peak RSS and
# the binary size. Targets (issue 3): >= 4x faster than pgrep -P, within
# 1.2x of the floor, peak RSS <= 512 KiB, dist/pxkill <= 64 KiB.
# Usage: tests/bench/pxkill.sh [N]   (default 5000)
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/dist} HELP=${HELP:-$TOP/build/helpers}
N=${1:-5000}
W=$(mktemp -d "${TMPDIR:-/tmp}/undead-bench.XXXXXX") || exit 3
FAN=
trap '[ -n "$FAN" ] && kill -TERM $FAN 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
command -v hyperfine >/dev/null || { echo "pxkill bench: hyperfine missing"; exit 0; }

"$HELP/pxkill_fan" "$W/fan" "$N" &
FAN=$!
i=0
while ! [ -s "$W/fan" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$W/fan")
procs=$(ls /proc | grep -c '^[0-9]')
echo "pxkill bench: parent $P with $N children, $procs processes"

PX="$BIN/pxkill --dry-run -P $P -r"
FLOOR="$HELP/floor_proc $P"
PGREP="pgrep -P $P"
SEED="ps -ewf | grep $P | grep -v grep | awk '{print \"kill -9 \"\$2}'"
# Three rounds, the order rotated each time (the machine is shared: load
# drifts); every figure below is the median of the three rounds.
hyperfine -N -w 3 -r 15 --export-csv "$W/t1.csv" "$PX" "$FLOOR" "$PGREP" \
    >/dev/null 2>&1
hyperfine -N -w 3 -r 15 --export-csv "$W/t2.csv" "$FLOOR" "$PGREP" "$PX" \
    >/dev/null 2>&1
hyperfine -N -w 3 -r 15 --export-csv "$W/t3.csv" "$PGREP" "$PX" "$FLOOR" \
    >/dev/null 2>&1
hyperfine -w 2 -r 10 --export-csv "$W/s.csv" "$SEED" >/dev/null 2>&1
# peak RSS of the command itself (tests/helpers/peakrss), output dropped
rss_direct() { "$HELP/peakrss" "$@" 2>&1 >/dev/null | \
    sed -n 's/^peak_rss_kib //p'; }
r_px=$(rss_direct $PX) r_floor=$(rss_direct $FLOOR) r_pgrep=$(rss_direct $PGREP)
size=$(wc -c < "$BIN/pxkill")
# hyperfine CSV: command,mean,stddev,median,user,system,min,max
# mid3 COL CMD: the median over the rounds of column COL (4 median wall,
# 5+6 user+system) for the command starting with CMD, in ms.
mid3() {
	for f in "$W"/t[123].csv; do
		awk -F, -v c="$2" -v k="$1" 'NR > 1 && index($1, c) == 1 {
			print (k == "cpu" ? $5 + $6 : $4) * 1000 }' "$f"
	done | sort -n | sed -n 2p
}
m_px=$(mid3 wall "$BIN/pxkill") m_floor=$(mid3 wall "$HELP/floor_proc")
m_pgrep=$(mid3 wall pgrep)
c_px=$(mid3 cpu "$BIN/pxkill") c_floor=$(mid3 cpu "$HELP/floor_proc")
c_pgrep=$(mid3 cpu pgrep)
m_seed=$(awk -F, 'NR == 2 {print $(NF - 6) * 1000}' "$W/s.csv")
c_seed=$(awk -F, 'NR == 2 {print ($(NF - 5) + $(NF - 4)) * 1000}' "$W/s.csv")
# Wall time on a shared machine waits for CPUs; CPU time (user + system,
# mean) is shown beside it and is the steadier ratio.
printf '%-32s %9s %8s %9s %8s %8s\n' command "median ms" "x floor" \
    "cpu ms" "x floor" "RSS KiB"
row() { echo "$2 $m_floor $3 $c_floor" | awk -v n="$1" -v r="$4" '{
	printf "%-32s %9.1f %8.2f %9.1f %8.2f %8s\n", n, $1, $1 / $2, $3,
	    $3 / $4, r }'; }
row "floor (read every /proc/N/stat)" "$m_floor" "$c_floor" "$r_floor"
row "pxkill --dry-run -P PID -r" "$m_px" "$c_px" "$r_px"
row "pgrep -P PID" "$m_pgrep" "$c_pgrep" "$r_pgrep"
row "seed ps -ewf|grep|grep -v|awk" "$m_seed" "$c_seed" "-"
echo "$m_pgrep $m_px $m_floor $r_px $size $c_pgrep $c_px $c_floor" | awk '{
	printf "pxkill: %.2fx faster than pgrep -P (cpu %.2fx; target >= 4), %.2fx the floor (cpu %.2fx; target <= 1.2),\n", $1 / $2, $6 / $7, $2 / $3, $7 / $8
	printf "        peak RSS %d KiB (target <= 512), dist/pxkill %d bytes (target <= 65536)\n", $4, $5 }'
