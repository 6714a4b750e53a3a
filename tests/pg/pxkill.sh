# pxkill against a real PostgreSQL 15 cluster (tests/pg.sh): --pg with
# --freeze -KILL --wait leaves nothing and nothing respawns, the cluster
# starts again; -P kills the children only, the postmaster survives and
# crash-restarts (which --dry-run warns about); orphans of a killed
# postmaster are found through their cwd.
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"
PX=$BIN/pxkill

pg_setup || exit 0

start() { pg_start_logger "$D" "$P"; }
# rec: records the DSM files the instance maps now, so that pg_cleanup
# removes them even though the tests below kill the instance.
rec() { pg_dsm_note "$D"; }
session() {
	pg_sql "$D" "$P" "select pg_sleep(60)" > /dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"
	sleep 0.5
	rec
}
nprocs() { pg_procs "$D" | wc -l; }

start || { fail start "$(tail -n 5 "$D/pg.log")"; exit 0; }
rec
session
PM=$(pg_pid "$D")
n=$(nprocs)

# ---- --dry-run --pg: the whole instance, titles as COMM -------------------
LINES="^ *$PM +[0-9]+ +postgres +S +postgres +would stop, then send KILL\$
 postgres: checkpointer +would stop, then send KILL\$
 postgres: logger +would stop, then send KILL\$
 postgres: postgres postgres \\[local\\] SELECT +would stop"
expect_lines "--pg --dry-run: postmaster, children, titles" 0 \
    "$PX" --pg "$D" --freeze -KILL --dry-run
check "--pg --dry-run: one row per process of the instance" \
    [ "$(($(wc -l < "$T/out") - 1))" -eq "$n" ]

# ---- -P: children only; the postmaster survives and crash-restarts --------
LINES=" postgres: checkpointer +would send KILL; postmaster $PM will crash-restart \\(drops every session\\)\$"
expect_lines "-P --dry-run warns about the crash restart" 0 \
    "$PX" -KILL -P "$PM" --dry-run
run "$PX" -KILL -P "$PM" --wait=10
check "-P -KILL --wait: exit 0" [ "$RC" = 0 ]
check "-P: the postmaster survives" [ -d "/proc/$PM" ]
i=0
until pg_sql "$D" "$P" "select 1" 2>/dev/null | grep -qx 1 || [ $i -gt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
check "-P: the postmaster restarted its children and serves again" \
    [ "$(pg_sql "$D" "$P" "select 1")" = 1 ]
rec

# ---- --pg --freeze -KILL --wait: nothing left, nothing respawns -----------
session
run "$PX" --pg "$D" --freeze -KILL --wait=10
check "--pg --freeze -KILL --wait: exit 0" [ "$RC" = 0 ]
check "--pg: every row says exited" \
    [ "$(grep -vc ' exited$' "$T/out")" = 1 ]
check "--pg: no process of the instance is left" [ "$(nprocs)" = 0 ]
sleep 1
check "--pg: nothing respawned a second later" [ "$(nprocs)" = 0 ]
start
rec
check "the cluster starts again afterwards" \
    [ "$(pg_sql "$D" "$P" "select 1")" = 1 ]

# ---- orphans: the postmaster killed alone leaves the logger behind --------
# A backend busy in a CPU loop outlives its postmaster (postgres.md 4.2),
# and so does the logger while that backend holds its pipe.
pg_sql "$D" "$P" 'do $$ begin loop end loop; end $$' > /dev/null 2>&1 &
at_exit "kill $! 2>/dev/null"
sleep 0.5
rec
PM=$(pg_pid "$D")
kill -KILL "$PM"
wait_gone "$PM" 50
LINES=" postgres: logger +would send KILL\$
 postgres: postgres postgres \\[local\\] DO +would send KILL\$"
expect_lines "--pg finds the orphaned logger by its cwd" 0 \
    "$PX" --pg "$D" -KILL --dry-run
run "$PX" --pg "$D" -KILL --wait=10

all_gone() { [ "$RC" = 0 ] && [ "$(nprocs)" = 0 ]; }
check "--pg: orphans gone, exit 0" all_gone
expect "--pg on a dead instance: nothing matched" 1 "" "$PX" --pg "$D" -0
exit 0
