# pgpidinfo against a real PostgreSQL cluster (tests/pg.sh): running,
# stopped, kill -9 of the postmaster only (orphans, attached segment),
# kill -9 of all (stale), a reused PID, empty and garbled files, a zombie
# postmaster under a parent that never reaps, and an unprivileged run.
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"
F=$BIN/pgpidinfo

PG_DSM=posix	# it lists the instance's /dev/shm DSM files
pg_setup || exit 0

start() { pg_start_logger "$1" "$2"; }

# e KEY: the value of KEY in the last -e output.
e() { (eval "$(cat "$T/out")"; eval "printf '%s' \"\$$1\""); }

# ---- running ---------------------------------------------------------
start "$D" "$P" || { fail start "$(tail -n 5 "$D/pg.log")"; exit 0; }
PM=$(pg_pid "$D")
pg_sql "$D" "$P" "select pg_sleep(60)" > /dev/null &
SQ=$!
at_exit "kill $SQ 2>/dev/null"
sleep 0.5
LINES="^verdict +running: PID $PM is the postmaster of this directory
^next +nothing to do; to stop it: pg_ctl -D '$D' stop -m fast
^ +$PM +[0-9]+ S .* postmaster 
 checkpointer +.*postgres: checkpointer
 logger +.*postgres: logger
 client backend +.*postgres: postgres postgres \[local\] SELECT
(alive|state|exe|uid|cwd|start-time|datadir) +pass
segment +pass +key 0x[0-9a-f]{8} id [0-9]+, 56 bytes, nattch [0-9]+, creator PID $PM
header +pass +ours
socket-lock +pass
dsm +/dev/shm/PostgreSQL\.[0-9]+ [0-9]+ bytes \(control segment\)"
expect_lines "running: verified postmaster, roles, segment, DSM" 0 $F -D "$D"
run $F -e -D "$D"
[ "$RC" = 0 ] && \
    ! grep -q '^PG_CHECK_.*="\(fail\|unsure\)"' "$T/out"; checked "running: every check passes"
[ -z "$(e PG_ORPHANS)" ] && [ "$(e PG_NATTCH)" -ge 6 ] && \
    [ "$(echo $(e PG_ATTACHERS) | wc -w)" = "$(e PG_NATTCH)" ]; checked "running: no orphans; the logger does not map the segment"
run $F -J -D "$D"
check "running: JSON children carry the postmaster as parent" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); pm = int(sys.argv[2])
kids = [p for p in d["processes"] if not p["postmaster"]]
assert d["verdict"] == "running" and kids
assert all(p["ppid"] == pm and not p["orphan"] for p in kids)
assert d["segment"]["header"]["ours"] is True
assert any(x["control"] and x["proven"] for x in d["dsm"])' "$T/out" "$PM"
kill "$SQ" 2>/dev/null; wait "$SQ" 2>/dev/null

# A stopped postmaster is this one, but pg_ctl stop would wait on it.
kill -STOP "$PM"
LINES="^verdict +running: PID $PM is the postmaster of this directory
^next +it is stopped and serves nobody: kill -CONT $PM"
expect_lines "a stopped (T) postmaster: running, and kill -CONT first" 0 \
    $F -D "$D"
kill -CONT "$PM"

# ---- running, but the pid file does not verify it ----------------------
# (rewritten in place: the postmaster rechecks its lock file, and a new
# file owned by root would stop it)
cp "$D/postmaster.pid" "$T/pid.orig"
LIVE="^verdict +unknown: PID $PM, a postgres process working here with [0-9]+ postgres children, looks like a running postmaster that the pid file does not verify"
NEXT="^next +remove nothing and kill nothing: compare ps -o pid,lstart,args -p $PM"
sed 's/$/\r/' "$T/pid.orig" > "$T/pid.crlf" && cat "$T/pid.crlf" > "$D/postmaster.pid"
LINES="$LIVE \(the file: line 1
$NEXT"
expect_lines "CRLF pid file of a running cluster: unknown/3, not orphans" 3 \
    $F -D "$D"
check "  ... none of its processes is called an orphan" sh -c \
    "! grep -q '\[orphan\]' '$T/out'"
run "$BIN/pxkill" --pg "$D" --dry-run
[ "$RC" = 3 ] && ! [ -s "$T/out" ] && grep -q "looks like a running postmaster" "$T/err"
checked "  ... pxkill --pg selects nothing of it"
awk 'NR == 3 { $0 = $0 - 30 } { print }' "$T/pid.orig" > "$T/pid.early" &&
    cat "$T/pid.early" > "$D/postmaster.pid"
LINES="$LIVE \(fails: start-time\)
$NEXT"
expect_lines "start time 30 s off (a clock step): unknown/3, not reused" 3 \
    $F -D "$D"
cat "$T/pid.orig" > "$D/postmaster.pid"
expect "  ... the file put back: running again" 0 'PG_VERDICT="running"' \
    sh -c "'$F' -e -D '$D' | grep '^PG_VERDICT='"
# Its pid file copied into another (stopped) directory: the live cluster's
# processes map the segment line 7 names, but its header is the other
# directory's: not orphans of this one.
mkdir -m 700 "$T/copy" && cp "$T/pid.orig" "$T/copy/postmaster.pid" &&
    chown -R postgres "$T/copy"
LINES="^verdict +reused: PID $PM is a postgres process working in $D, not here
^next +do not run pg_ctl stop \(it would signal PID $PM, postgres\); remove the stale file, then start: rm '$T/copy/postmaster.pid'"
expect_lines "a running cluster's pid file copied elsewhere: reused, no orphans" 4 \
    $F -D "$T/copy"
check "  ... the live cluster's processes are not listed" sh -c \
    "! grep -q '\[orphan\]' '$T/out'"
expect "  ... pxkill --pg of the copy selects nothing" 1 "" \
    "$BIN/pxkill" --pg "$T/copy" --dry-run -o PID -n

# ---- unprivileged ----------------------------------------------------
run setpriv --reuid=nobody --regid=nogroup --clear-groups $F -D "$D"
LINES="^verdict +unknown: cannot read $D/postmaster.pid: Permission denied
^next +run it as root or as the owner: runuser -u postgres -- pgpidinfo -D '$D'"
expect_lines "nobody on another user's directory: unknown/3" 3 \
    setpriv --reuid=nobody --regid=nogroup --clear-groups $F -D "$D"

# ---- stopped cleanly -------------------------------------------------
pg_stop "$D"
LINES='^verdict +stopped: no pid file and no process of the instance'
expect_lines "stopped cleanly: stopped/1" 1 $F -D "$D"

# ---- kill -9 of the postmaster only ----------------------------------
start "$D" "$P" || { fail restart "$(tail -n 5 "$D/pg.log")"; exit 0; }
PM=$(pg_pid "$D")
pg_sql "$D" "$P" "create table t (a int)" > /dev/null
mkfifo "$T/fifo" && chown postgres "$T/fifo"
# COPY from a FIFO without a writer blocks in open(): survives its postmaster
pg_sql "$D" "$P" "copy t from '$T/fifo'" > /dev/null &
sleep 0.5
run $F -e -D "$D"
COPYPID=$(ps -o pid= --ppid "$PM" -o args= | awk '/COPY/ {print $1}')
DSM=$(e PG_DSM)
kill -KILL "$PM"
wait_gone "$PM" 50 || fail "postmaster reaped" "PID $PM still there"
sleep 0.2
LINES="^verdict +orphaned: the postmaster is gone, but 2 process\(es\) of the instance remain and its segment has nattch 1
^ +$COPYPID +1 S .*client backend +wait_for_partner +postgres: postgres postgres \[local\] COPY +\[orphan\]
 logger .*\[orphan\]
alive +fail +no process $PM
header +pass +ours \(.*read through PID $COPYPID\)
^attached +$COPYPID\$
^next +end the leftovers: pxkill --pg '$D' -KILL --wait=10"
expect_lines "kill -9 of the postmaster: orphans, attached segment: orphaned/4" 4 $F -D "$D"
# Group access (0750, 0640): another user of the group reads the file
# but not the orphans' cwd: that is "cannot tell", never "stale". (The
# backend goes first: with it the segment is still attached, which
# anyone sees; the logger maps nothing.) The logger exits at EOF on its
# pipe, which the backend's death would bring: a holder of the pipe's
# write end keeps it, the genuine orphan, there for the check. (Opened
# here, not in the holder, so that it is open before the backend dies.)
case $(readlink "/proc/$COPYPID/fd/2") in
pipe:*) exec 9>"/proc/$COPYPID/fd/2"
	sleep 120 & HOLD=$!
	exec 9>&-
	at_exit "kill -KILL $HOLD 2>/dev/null" ;;
*) fail "the backend's stderr is the logger's pipe" \
	"$(readlink "/proc/$COPYPID/fd/2")" ;;
esac
kill -KILL "$COPYPID"; wait_gone "$COPYPID" 50
chmod 0750 "$D" && chmod 0640 "$D/postmaster.pid"
LINES="^verdict +unknown: the pid file's PID is gone, but whether [0-9]+ postgres process\(es\) of the owner work there cannot be told \(permission denied\)
^next +run it as root or as the owner: runuser -u postgres"
expect_lines "group member, orphans unreadable: unknown/3, not stale" 3 \
    setpriv --reuid=nobody --regid="$(stat -c %g "$D")" --clear-groups \
    $F -D "$D"
chmod 0700 "$D" && chmod 0600 "$D/postmaster.pid"
kill -KILL "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null

# ---- kill -9 of all: stale ------------------------------------------
for p in $(pg_procs "$D"); do kill -KILL "$p"; wait_gone "$p" 50; done
run $F -e -D "$D"
[ "$RC" = 1 ] && \
    [ "$(e PG_VERDICT)" = stale ] && [ "$(e PG_NATTCH)" = 0 ] && \
    [ -z "$(e PG_ORPHANS)" ] && [ "$(e PG_CHECK_HEADER)" = unsure ]; checked "kill -9 of all: stale/1, nattch 0"
ok=1
for h in $DSM; do
	case " $(e PG_DSM) " in *" $h "*) ;; *) ok=0 ;; esac
done
[ -n "$DSM" ] && [ "$ok" = 1 ]; checked "kill -9 of all: the DSM files are listed"
LINES='header +unsure +not read: no process maps the segment, and attaching it would change shm_atime, shm_lpid and nattch
^verdict +stale: PID [0-9]+ is gone and nothing of the instance runs
^next +start it: pg_ctl -D .* start \(PostgreSQL removes the stale pid file, segment and DSM files itself\)'
expect_lines "kill -9 of all: the report says why the header was not read" 1 $F -D "$D"

# ---- a reused PID: an unrelated process of the same user ------------
cp "$D/postmaster.pid" "$T/stale.pid"
runuser -u postgres -- sleep 60 2>/dev/null &
RS=$!
sleep 0.3
SL=$(ps -o pid= --ppid $RS | tr -d ' ')
at_exit "kill -KILL $SL 2>/dev/null"
sed "1s/.*/$SL/" "$T/stale.pid" > "$D/postmaster.pid"
LINES="^verdict +reused: PID $SL is now an unrelated process \(sleep\)
uid +pass
exe +fail .*sleep is not a postgres binary
^next +do not run pg_ctl stop \(it would signal PID $SL, sleep\)"
expect_lines "PID of a live process of the same user: reused/4" 4 $F -D "$D"
as_pg "$PGBIN/pg_ctl" -D "$D" status > /dev/null 2>&1
check "...where pg_ctl status says running" [ $? = 0 ]
kill -KILL "$SL"
wait "$RS" 2>/dev/null

# ---- empty and garbled files ----------------------------------------
: > "$D/postmaster.pid"
LINES="^verdict +unknown: line 1: expected a process ID, found an empty file; no process of the owner works there; a segment of the directory's key exists
^next +no process works in the directory and none is attached to a segment of its key, so removing the file is safe: rm '$D/postmaster.pid' \(PostgreSQL removes the old segment at start\)"
expect_lines "empty file, leftover segment: unknown/3, safe to remove" 3 $F -D "$D"
printf '%s\n%s\nnot-a-time\n' "$PM" "$D" > "$D/postmaster.pid"
LINES='pidfile +fail +line 3: expected the start time'
expect_lines "garbled file: unknown/3 with the line" 3 $F -D "$D"
rm -f "$D/postmaster.pid"
start "$D" "$P" || { fail "start after stale" "$(tail -n 5 "$D/pg.log")"; exit 0; }
LINES=''
expect_lines "PostgreSQL starts over the leftovers" 0 $F -q -D "$D"
pg_stop "$D"

# ---- zombie: the postmaster under a parent that never reaps -----------
# sh starts the postmaster, then becomes `sleep`, which never wait()s.
runuser -u postgres -- sh -c '"$0" -D "$1" -p "$2" -k "$1" \
    -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB \
    > "$1/pg.log" 2>&1 & exec sleep 120' "$PGBIN/postgres" "$D" "$P" \
    2>/dev/null &
RU=$!
at_exit "kill -KILL $RU 2>/dev/null"
i=0
while ! sed -n 8p "$D/postmaster.pid" 2>/dev/null | grep -q ready; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
done
PM=$(pg_pid "$D")
pg_dsm_note "$D"
PARENT=$(awk '{print $4}' "/proc/$PM/stat")
at_exit "kill -KILL $PARENT 2>/dev/null"
kill -KILL "$PM"
sleep 0.5
LINES="state +fail +Z: defunct, not reaped by its parent \(PID $PARENT\)
exe +n/a
start-time +pass
^verdict +zombie: the postmaster \(PID $PM\) is defunct; its parent PID $PARENT has not reaped it
^next +its parent must reap it: kill -CHLD $PARENT"
expect_lines "killed postmaster, parent not reaping: zombie/4" 4 $F -D "$D"
as_pg "$PGBIN/pg_ctl" -D "$D" status > /dev/null 2>&1
check "...where pg_ctl status says running" [ $? = 0 ]
kill -KILL "$PARENT"
wait "$RU" 2>/dev/null
wait_gone "$PM" 50
