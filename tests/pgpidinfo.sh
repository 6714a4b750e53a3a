# pgpidinfo CLI tests without a server: hand-made pid files in temp dirs
# naming processes the test starts (reused, zombie, orphans) or PIDs that
# are gone (stale), garbage, every format, and the output forms.
# tests/pg/pgpidinfo.sh covers a real PostgreSQL 15.
. "$TOP/tests/lib.sh"
F=$BIN/pgpidinfo
FIX=$TOP/tests/fixtures/pgpidinfo

sh "$TOP/tests/optcheck.sh" pgpidinfo

# start_of PID: btime + stat field 22 / CLK_TCK, as line 3 of a pid file.
start_of() {
	echo $(( $(awk '/^btime/ {print $2}' /proc/stat) + \
	    $(sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}') / \
	    $(getconf CLK_TCK) ))
}

# mkpid DIR PID START: a 10+ style pid file for DIR.
mkpid() {
	printf '%s\n%s\n%s\n5432\n%s\n127.0.0.1\n\nready   \n' "$2" "$1" "$3" \
	    "$1" > "$1/postmaster.pid"
}

# dead_pid: a PID that just exited (and was reaped).
dead_pid() {
	sleep 0 &
	_d=$!
	wait "$_d"
	echo "$_d"
}


# ---- usage -------------------------------------------------------------
run $F -h
[ "$RC" = 0 ] && grep -q '^usage: pgpidinfo' "$T/out"; checked "-h prints usage, exit 0"
expect_err "bad option is a usage error" 2 '^pgpidinfo: unknown option: --nope$' $F --nope
expect_err "operand is a usage error" 2 'unexpected operand: x' $F -D / x
expect_err "-D and -f together" 2 'exclude each other' $F -D / -f /x
run env -u PGDATA $F
[ "$RC" = 2 ] && \
    grep -q 'no data directory' "$T/err" && grep -q '^usage:' "$T/err"; checked "no directory is a usage error"
run $F -V
[ "$RC" = 0 ] && grep -q "^pgpidinfo [0-9.]* (.*, $VARCH, " "$T/out"; checked "-V names tool and build"
run $F -h
mf=$(grep -c 'exit' "$TOP/cmd/pgpidinfo.1")
check "man page has the exit statuses" [ "$mf" -gt 0 ]

# ---- stopped, unknown ---------------------------------------------------
mkdir -p "$T/empty"
LINES='^verdict +stopped: no pid file
^next +nothing to clean up; start it: pg_ctl -D'
expect_lines "no pid file, nothing left: stopped/1" 1 $F -D "$T/empty"
run env PGDATA="$T/empty" $F -q
[ "$RC" = 1 ] && ! [ -s "$T/out" ]; checked "PGDATA is the default; -q prints nothing"
LINES='^verdict +unknown: cannot resolve'
expect_lines "missing directory: unknown/3" 3 $F -D "$T/nonexistent"

# owned by nobody: as root every process of the owner can be looked at
mkdir -p "$T/garbled"
chown nobody "$T/garbled"
cp "$FIX/bad-text.pid" "$T/garbled/postmaster.pid"
LINES='pidfile +fail +line 1: expected a process ID
^verdict +unknown: line 1: expected a process ID.*no process of the owner works there; no segment
^next .*removing the file is safe: rm '
expect_lines "garbled file: unknown/3, safe to remove" 3 $F -D "$T/garbled"
: > "$T/garbled/postmaster.pid"
LINES='^verdict +unknown: line 1: expected a process ID, found an empty file'
expect_lines "empty file: unknown/3" 3 $F -D "$T/garbled"
cp "$FIX/bad-truncated.pid" "$T/garbled/postmaster.pid"
LINES='pidfile +fail +line 7: expected "shmkey shmid"'
expect_lines "truncated file: the line and what was expected" 3 $F -D "$T/garbled"
cp "$(command -v sleep)" "$T/postgres"
(cd "$T/garbled" && exec setpriv --reuid=nobody --regid=nogroup \
    --clear-groups "$T/postgres" 30) &
GP=$!
at_exit "kill -KILL $GP 2>/dev/null"
sleep 0.2
LINES='^verdict +unknown: .*processes of the owner work there
^next .*end them first: pxkill --pg '
expect_lines "garbled file with a process there: not safe" 3 $F -D "$T/garbled"
kill -KILL $GP; wait $GP 2>/dev/null

# ---- stale, every format ------------------------------------------------
DP=$(dead_pid)
for f in v15-ready v15-starting v15-partial5 v15-bigkey v96 v91 v90 \
    v90-partial v18-windows-like v15-standalone; do
	mkdir -p "$T/$f"
	sed "1s/^-*[0-9]*/$DP/" "$FIX/$f.pid" > "$T/$f/postmaster.pid"
	LINES="^verdict +stale: PID $DP is gone"
	expect_lines "format $f parses; dead PID: stale/1" 1 $F -D "$T/$f"
done
LINES='datadir +fail +line 2 names /srv/pg/15/main'
expect_lines "line 2 naming another directory" 1 $F -D "$T/v15-ready"

mkdir -p "$T/stale"
mkpid "$T/stale" "$DP" 1795213422
LINES="^verdict +stale:
^next +start it: pg_ctl -D '$T/stale' start"
expect_lines "stale: the next step is to start it" 1 $F -D "$T/stale"
expect_lines "-f PIDFILE names the same instance" 1 $F -f "$T/stale/postmaster.pid"

# ---- reused ---------------------------------------------------------------
spawn sleep 60
SP=$SPAWNED
mkdir -p "$T/reused"
mkpid "$T/reused" "$SP" "$(start_of "$SP")"
LINES='exe +fail +.*sleep is not a postgres binary
cwd +fail
^verdict +reused: PID [0-9]+ is now an unrelated process \(sleep\)
^next +do not run pg_ctl stop \(it would signal PID [0-9]+, sleep\)'
expect_lines "live unrelated PID: reused/4" 4 $F -D "$T/reused"
mkpid "$T/reused" "$SP" 1000
LINES='start-time +fail +started [0-9]+, line 3 says 1000'
expect_lines "start time far from line 3: reused/4" 4 $F -D "$T/reused"

# ---- zombie: a parent that never waits -----------------------------------
mkdir -p "$T/zombie"
sh -c 'cd "$1" && sleep 0.1 & exec sleep 60' sh "$T/zombie" &
ZPARENT=$!
at_exit "kill -KILL $ZPARENT 2>/dev/null"
sleep 0.5
ZP=$(cat "/proc/$ZPARENT/task/$ZPARENT/children" 2>/dev/null | awk '{print $1}')
mkpid "$T/zombie" "$ZP" "$(start_of "$ZP")"
LINES="state +fail +Z: defunct, not reaped by its parent \(PID $ZPARENT\)
^verdict +zombie: the postmaster \(PID $ZP\) is defunct
^next +its parent must reap it: kill -CHLD $ZPARENT"
expect_lines "defunct PID with matching start: zombie/4" 4 $F -D "$T/zombie"
kill -STOP $ZPARENT
LINES="^next +its parent must reap it: kill -CONT $ZPARENT"
expect_lines "stopped parent: the next step continues it" 4 $F -D "$T/zombie"
kill -KILL $ZPARENT; wait $ZPARENT 2>/dev/null

# ---- orphans: the postmaster gone, a process still in the directory -----
# A copy of sleep named postgres stands in for a backend (comm "postgres");
# a shell left in the directory is not an orphan of the instance.
mkdir -p "$T/orph" "$T/bin"
cp "$(command -v sleep)" "$T/bin/postgres"
mkpid "$T/orph" "$DP" 1795213422
(cd "$T/orph" && exec sleep 60) &
SH=$!
at_exit "kill -KILL $SH 2>/dev/null"
(cd "$T/orph" && exec "$T/bin/postgres" 60) &
OP=$!
at_exit "kill -KILL $OP 2>/dev/null"
sleep 0.2
LINES="^ +$OP +[0-9]+ S .*postgres 60 +\[orphan\]
^verdict +orphaned: the postmaster is gone, but 1 process
^next +end the leftovers: pxkill --pg '$T/orph'"
expect_lines "dead PID, process left in the directory: orphaned/4" 4 $F -D "$T/orph"
rm "$T/orph/postmaster.pid"
LINES='^verdict +orphaned: no pid file, but 1 process'
expect_lines "no pid file, process left: orphaned/4" 4 $F -D "$T/orph"

# ---- output forms ---------------------------------------------------------
run $F -J -D "$T/orph"
[ "$RC" = 4 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "orphaned" and d["exit"] == 4
assert [p["pid"] for p in d["processes"] if p["orphan"]] == [int(sys.argv[2])]
assert isinstance(d["owner"], int) and d["file"] is None
' "$T/out" "$OP"; checked "-J is valid JSON with the verdict"
$F -e -D "$T/orph" > "$T/e.out"
expect_v "-v: no system call newer than 3.10, no fallback to name" 4 "" \
    $F -v -e -D "$T/orph"
check "-v: the same report" cmp -s "$T/e.out" "$T/out"
kill -KILL $OP; wait $OP 2>/dev/null
run $F -e -D "$T/orph"
[ "$RC" = 1 ] && \
    grep -q '^PG_VERDICT="stopped"' "$T/out" && [ -d "/proc/$SH" ]; checked "a shell left in the directory is no orphan"
kill -KILL $SH; wait $SH 2>/dev/null

odd="$T/we\"ird \$(touch $T/pwned) \`x\` it's
dir"
mkdir -p "$odd"
run $F -e -D "$odd"
check "-e pairs survive eval with any directory name" [ "$RC" = 1 ]
(
	eval "$(cat "$T/out")"
	[ "$PG_DATADIR" = "$odd" ] && [ "$PG_VERDICT" = stopped ] &&
	    [ "$PG_PID" = "" ] && [ "$PG_EXIT" = 1 ] &&
	    [ "$PG_CHECK_PIDFILE" = n/a ] && ! [ -e "$T/pwned" ]
) && pass "eval gives back the exact name" || fail "eval gives back the exact name" "$(cat "$T/out")"
mkpid "$T/stale" "$DP" 1795213422
run $F -e -D "$T/stale"
(
	eval "$(cat "$T/out")"
	[ "$PG_VERDICT" = stale ] && [ "$PG_PID" = "$DP" ] &&
	    [ "$PG_PORT" = 5432 ] && [ "$PG_CHECK_ALIVE" = fail ] &&
	    [ "$PG_STATUS" = ready ] && [ "$PG_LISTEN" = 127.0.0.1 ]
) && pass "-e pairs of a parsed file" || fail "-e pairs of a parsed file" "$(cat "$T/out")"
run $F -D "$odd"
check "human report escapes control bytes" grep -q 'we"ird .*it'"'"'s\\x0adir' "$T/out"
run $F -J -D "$odd"
check "-J escapes the name" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["datadir"] == sys.argv[2]' "$T/out" "$odd"
