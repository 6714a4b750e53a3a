# pgpidinfo: the full report (pid file, checks, children with titles and
# wchan, segment attachers from the owner's maps, header, DSM) of a running
# PostgreSQL 15 instance on a machine with ~5,700 processes, against the
# floor (a bare read of every /proc/N/stat) and pg_ctl status (the anchor,
# which only calls kill(pid, 0)). Targets (issue 4): within 2x of the
# floor; dist/pgpidinfo <= 64 KiB.
. "$TOP/tests/bench/lib.sh"
is_root() { [ "$(id -u)" -eq 0 ]; }
. "$TOP/tests/pg.sh"

why=$(pg_missing)
[ -n "$why" ] && { echo "skipped: $why"; exit 0; }
chmod 755 "$T"
D=$T/data
PG_DSM=posix	# as a packaged cluster has it: the report lists them
P=$(pg_free_port)
pg_init "$D" && pg_start "$D" "$P" || { echo "cluster did not start"; exit 1; }
for i in 1 2 3 4; do	# client backends: children with titles
	pg_sql "$D" "$P" "select pg_sleep(120)" > /dev/null 2>&1 &
done
have=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
n=$((5700 - have - 4))
[ "$n" -lt 0 ] && n=0
"$HELP/pgpidinfo_swarm" "$n" "$T/swarm" &
at_exit "kill -KILL $! 2>/dev/null"
wait_ready "$T/swarm" || { echo "swarm did not start"; exit 1; }
sleep 1
procs=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
kids=$("$BIN/pgpidinfo" -e -D "$D" | sed -n 's/^PG_CHILDREN="\(.*\)"/\1/p' | wc -w)
att=$("$BIN/pgpidinfo" -e -D "$D" | sed -n 's/^PG_ATTACHERS="\(.*\)"/\1/p' | wc -w)
echo "scenario: $procs processes; PostgreSQL 15 with $kids children, $att attachers"

row() { printf '%-34s %10s %8s\n' "$@"; }
row command "median ms" "x floor"
floor=$(ms -n 21 "$HELP/floor_proc")
row "floor (read every /proc/N/stat)" "$floor" 1.00
full=$(ms -n 21 "$BIN/pgpidinfo" -D "$D")
row "pgpidinfo -D (full report)" "$full" "$(ratio "$full" "$floor")"
json=$(ms -n 21 "$BIN/pgpidinfo" -J -D "$D")
row "pgpidinfo -J" "$json" "$(ratio "$json" "$floor")"
pgctl=$(ms -n 21 runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D" status)
row "pg_ctl status (kill(pid,0) only)" "$pgctl" "$(ratio "$pgctl" "$floor")"
kib=$(rss "$BIN/pgpidinfo" -D "$D")
size=$(stat -c %s "$BIN/pgpidinfo")
echo "pgpidinfo peak RSS: $kib KiB; dist/pgpidinfo: $size bytes"
ok() { awk "BEGIN { exit !($1) }" && echo 1 || echo 0; }
verdict "full report within 2x of the floor" "$(ok "$full <= 2 * $floor")"
verdict "dist/pgpidinfo <= 64 KiB" "$(ok "$size <= 65536")"
