#!/bin/sh
# make demo: a rescue on throwaway victims, each step printing the command
# and its output. With PostgreSQL installed: a cluster on a loopback port,
# a client that stops reading, then a postmaster killed with orphans and
# its segment left behind. Without it (or with --standin): stand-in
# processes and IPC objects. Works as root (the cluster then runs as
# postgres) and as a normal user. Everything it makes, it removes:
# processes by PID, IPC objects by id, /dev/shm files by name, its
# directory, also when interrupted (INT, TERM, HUP). DEMO_MADE=FILE lists them there ("pid PID START", "shm ID",
# "posix NAME", "dir PATH") for tests/demo_check.sh.
# Usage: tests/demo.sh [--standin]
cd "$(dirname "$0")/.." || exit 3
B=$PWD/dist
H=$PWD/build/helpers
PATH=$B:$PATH
. "$PWD/tests/dsm.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/undead-demo.XXXXXX") || exit 3
chmod 755 "$W"
MADE=${DEMO_MADE:-/dev/null}
echo "dir $W" >> "$MADE"
KIDS="" SEGS="" PGD=""

# made PID...: records processes (with their start time) for the check.
made() {
	for _p; do
		_s=$(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null | cut -d' ' -f20)
		[ -n "$_s" ] && echo "pid $_p $_s" >> "$MADE"
	done
}

# inst: PIDs of the instance's processes (their cwd is the data dir).
inst() {
	for _d in /proc/[0-9]*; do
		[ "$(readlink "$_d/cwd" 2>/dev/null)" = "$PGD" ] && echo "${_d#/proc/}"
	done
}

# note_ipc: the segment and DSM files of the cluster as it runs now: the
# files its processes map and every segment listed by its control segment
# (tests/dsm.sh), recorded by name and inode in $W/dsm.
note_ipc() {
	_id=$(sed -n 7p "$PGD/postmaster.pid" 2>/dev/null | awk '{print $2}')
	case " $SEGS " in *" $_id "*) ;; *) SEGS="$SEGS $_id" ;; esac
	[ -n "$_id" ] && echo "shm $_id" >> "$MADE"
	dsm_note "$W/dsm" $(inst)
	awk '{print "posix " $1}' "$W/dsm" 2>/dev/null | sort -u >> "$MADE"
	made $(inst)
}

# cleanup: on exit, and on INT, TERM or HUP (which it then ignores, so
# that a second ^C does not cut it short): records what the cluster has
# now, kills by PID what the demo started and what works in its cluster,
# removes its segments by id and its DSM files by name, then its directory.
cleanup() {
	trap '' INT TERM HUP
	[ -n "$PGD" ] && note_ipc
	_i=0
	for _p in $KIDS; do kill -KILL "$_p" 2>/dev/null; done
	while [ -n "$PGD" ] && [ $_i -lt 50 ]; do
		_ps=$(inst)
		[ -n "$_ps" ] || break
		kill -KILL $_ps 2>/dev/null
		sleep 0.1
		_i=$((_i + 1))
	done
	for _p in $KIDS; do wait "$_p" 2>/dev/null; done
	# Only our cluster's (by id, of its user), only once unattached.
	for _id in $SEGS; do
		awk -v i="$_id" -v u="$DBUID" '$2 == i && $8 == u && $7 == 0 \
		    { f = 1 } END { exit !f }' /proc/sysvipc/shm &&
		    ipcrm -m "$_id" 2>/dev/null
	done
	if [ -s "$W/dsm" ]; then
		dsm_ours "$W/dsm" | awk '{print "posix " $1}' >> "$MADE"
		dsm_clean "$W/dsm" > /dev/null
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# stepx RC TEXT CMD...: says what and why, shows the command, runs it;
# the demo stops (exit 3) unless its exit status is RC.
stepx() {
	_want=$1 _text=$2
	shift 2
	printf '\n# %s\n$ %s\n' "$_text" "${SHOW:-$*}" | sed "s|$W|\$DEMO|g"
	SHOW=""
	"$@" > "$W/step.out" 2>&1
	_rc=$?
	sed "s|$W|\$DEMO|g" "$W/step.out"
	if [ "$_rc" != "$_want" ]; then
		echo "demo: that step failed: exit $_rc (expected $_want)"
		exit 3
	fi
}
step() { stepx 0 "$@"; }
stepsh() { SHOW=$2; stepx 0 "$1" sh -c "$2"; }	# stepsh TEXT 'PIPELINE'

# ---- stand-ins ---------------------------------------------------------

standin() {
	echo "undead demo: a server process holds a client socket full of unsent"
	echo "bytes, a deleted 4 KiB log file and a child; a SysV segment is left over."
	"$H/victim" "$W" "$W/ready" &
	VICTIM=$!
	KIDS="$KIDS $VICTIM"
	i=0
	while ! [ -s "$W/ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	. "$W/ready"
	made "$VPID" "$VCHILD"
	KIDS="$KIDS $VCHILD"

	step "what does it hold? (instead of: ls -l /proc/PID/fd; lsof -p PID)" \
	    fdls "$VPID"
	step "which socket is stuck, and how much is queued on it?" \
	    fdls -t TCP -o FD,STATE,SENDQ,RECVQ,LOCAL,REMOTE "$VPID"
	stepsh "df says full, du disagrees: deleted files still open, machine-wide" \
	    'fdls -a --deleted -o PID,COMM,FD,SIZE,NAME --sort SIZE | tail -n 5'
	step "who holds the other end of its pipe?" \
	    fdls --peers -o FD,TYPE,PEER -d 19 "$VPID"
	step "end the stuck connection inside the live process (instead of gdb): plan" \
	    fdclose --dry-run "$VPID" 12
	step "...and do it" fdclose "$VPID" 12
	step "the socket is shut down; the process lives on" \
	    fdls -o FD,STATE,SENDQ,NAME -d 12 "$VPID"

	SEG=$(ipcmk -M 4096 2>/dev/null | awk '{print $NF}')
	if [ -n "$SEG" ]; then
		echo "shm $SEG" >> "$MADE"
		DBUID=$(id -u) SEGS="$SEG"
		step "a leftover SysV segment: list exactly it (instead of ipcs | awk)" \
		    ipcsweep -m --id "$SEG"
		step "remove it: the plan first" ipcsweep -m --id "$SEG" --remove --dry-run
		step "...then remove it, after re-checking it" \
		    ipcsweep -m --id "$SEG" --remove
	fi

	mkdir -p "$W/pgdata"
	chmod 700 "$W/pgdata"
	sleep 0 &
	DEAD=$!
	wait "$DEAD"
	printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "$DEAD" "$W/pgdata" 1700000000 \
	    5432 /tmp '*' '  5432001     65541' 'ready   ' > "$W/pgdata/postmaster.pid"
	stepx 1 "a postmaster.pid left behind: is that PID really the postmaster?" \
	    pgpidinfo -D "$W/pgdata"

	step "kill the process and its child, exactly (instead of ps | grep | awk): plan" \
	    pxkill --dry-run --tree "$VPID"
	step "...then signal, wait, and report what happened to each" \
	    pxkill -KILL --tree "$VPID" --wait=5
	wait "$VICTIM" 2>/dev/null
}

# ---- PostgreSQL ----------------------------------------------------------

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# ASDB CMD...: as the cluster's user
if [ "$(id -u)" = 0 ]; then ASDB="runuser -u postgres --"; else ASDB=""; fi
OPTS="-c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB \
-c logging_collector=on -c log_filename=server.log"

free_port() {
	_p=$(( $$ % 20000 + 30000 ))
	while grep -qi ":$(printf '%04X' "$_p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
		_p=$((_p + 1))
	done
	echo "$_p"
}

sql() { "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }

# pg_up: starts the postmaster as our descendant (fdclose may then ptrace
# its children even where Yama allows only that) and waits until ready.
pg_up() {
	# shellcheck disable=SC2086
	$ASDB "$PGBIN/postgres" -D "$PGD" -p "$PORT" -k "$PGD" $OPTS \
	    > "$W/postmaster.out" 2>&1 &
	KIDS="$KIDS $!"
	i=0
	while [ "$(sed -n 8p "$PGD/postmaster.pid" 2>/dev/null)" != "ready   " ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && { cat "$W/postmaster.out"; return 1; }
		sleep 0.1
	done
	note_ipc
}

# stuck: a client that sends a big SELECT and never reads; BP = its
# backend once it waits in ClientWrite, FD = its client socket there.
stuck() {
	"$H/fdclose_pgclient" "$PORT" postgres \
	    "SELECT repeat('x', 1000) FROM generate_series(1, 5000000)" \
	    > "$W/client" &
	KIDS="$KIDS $!"
	made $!
	i=0 BP=""
	while [ -z "$BP" ] && [ $i -lt 100 ]; do
		BP=$(sql "SELECT pid FROM pg_stat_activity WHERE
		    wait_event = 'ClientWrite'" 2>/dev/null)
		i=$((i + 1))
		sleep 0.1
	done
	[ -n "$BP" ] || return 1
	made "$BP"
	FD=$(fdls -t TCP -o FD,LOCAL -n -r "$BP" |
	    awk -v p=":$PORT" '$2 ~ p"$" { print $1 }')
	[ -n "$FD" ]
}

# orphan: a backend blocked in COPY from a FIFO nobody writes: it outlives
# its postmaster (as does the logger).
orphan() {
	sql "CREATE TABLE t (a int)" > /dev/null
	mkfifo "$W/fifo"
	[ "$(id -u)" = 0 ] && chown postgres "$W/fifo"
	sql "COPY t FROM '$W/fifo'" > /dev/null 2>&1 &
	KIDS="$KIDS $!"
	made $!
	sleep 0.5
	note_ipc
}

postgres_demo() {
	PGD=$W/pgdata
	mkdir -m 700 "$PGD"
	[ "$(id -u)" = 0 ] && chown postgres "$PGD"
	DBUID=$(stat -c %u "$PGD")
	PORT=$(free_port)
	echo "undead demo: a throwaway PostgreSQL cluster in \$DEMO/pgdata on"
	echo "127.0.0.1:$PORT, as $(id -un "$DBUID")."
	$ASDB "$PGBIN/initdb" -D "$PGD" -A trust -U postgres --no-sync \
	    --no-instructions > "$W/initdb.log" 2>&1 ||
	    { cat "$W/initdb.log"; return 1; }
	pg_up || return 1
	stuck || { echo "demo: no backend got stuck in ClientWrite"; return 1; }

	echo
	echo "== a client stopped reading: its backend is stuck sending to it"
	step "is the PID in postmaster.pid really this directory's postmaster?" \
	    pgpidinfo -D "$PGD"
	step "which fd of backend $BP is the stuck client, how much is queued?" \
	    fdls -t TCP -o FD,STATE,SENDQ,RECVQ,LOCAL,REMOTE "$BP"
	step "end that connection inside the backend (kill -9 would restart the whole cluster; gdb may crash it): plan" \
	    fdclose --dry-run "$BP" "$FD"
	step "...and do it" fdclose "$BP" "$FD"
	sleep 0.3
	stepsh "the backend ended cleanly; no crash-restart of the cluster" \
	    "grep -E 'connection to client lost|terminating any other' '$PGD/log/server.log'"

	orphan
	PM=$(head -n 1 "$PGD/postmaster.pid")
	echo
	echo "== the postmaster is killed: a backend and the logger outlive it"
	step "someone kills the postmaster" kill -KILL "$PM"
	sleep 0.5
	stepx 4 "what is left of the instance?" pgpidinfo -D "$PGD"
	step "its SysV segment (still attached) and DSM files" \
	    ipcsweep --pg "$PGD"
	step "end the leftovers exactly (instead of pkill -u postgres): plan" \
	    pxkill --pg "$PGD" -KILL --dry-run
	step "...then signal, wait, and report" \
	    pxkill --pg "$PGD" -KILL --wait=5
	step "the segment and DSM files it left: plan" \
	    ipcsweep --pg "$PGD" --remove --dry-run
	step "...remove them, each re-checked" ipcsweep --pg "$PGD" --remove
	step "restart it (PostgreSQL removes the stale pid file itself)" \
	    $ASDB "$PGBIN/pg_ctl" -D "$PGD" -l "$PGD/restart.log" -w \
	    -o "-p $PORT -k $PGD $OPTS" start
	note_ipc
	stepsh "running again" "pgpidinfo -D '$PGD' | grep -E '^(verdict|next)'"
	step "stop the throwaway cluster" \
	    $ASDB "$PGBIN/pg_ctl" -D "$PGD" -m fast -w stop
}

if [ "$1" != --standin ] && [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] &&
    { [ "$(id -u)" != 0 ] || id postgres > /dev/null 2>&1; }; then
	postgres_demo || exit 3
else
	standin
fi
echo
echo "demo done: every process and object it made is gone."
