# A throwaway PostgreSQL cluster for tests (sourced after tests/lib.sh):
# initdb in a temp dir as `postgres`, a free loopback port, the socket in
# the data directory. pg_cleanup (registered by pg_init) stops it and
# removes only what it made: its processes (by PID, those whose cwd is the
# data directory), the segment its postmaster.pid names (by id) and the
# DSM files recorded (tests/dsm.sh); it fails the suite if any of those
# files is left. Its DSM files are mmap'd files in the data directory
# (they go with it) unless PG_DSM=posix: /dev/shm, for the suites that
# are about them.

. "$TOP/tests/dsm.sh"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# pg_missing: prints why a PostgreSQL test cannot run here, or nothing.
pg_missing() {
	if ! is_root; then echo "needs root (runs the cluster as postgres)"
	elif [ -z "$PGBIN" ] || ! [ -x "$PGBIN/initdb" ]; then
		echo "PostgreSQL is not installed (apt-get install postgresql)"
	elif ! id postgres >/dev/null 2>&1; then echo "no postgres user"
	fi
}

as_pg() { runuser -u postgres -- "$@"; }

# pg_free_port: a TCP port nothing listens on (from /proc/net/tcp*).
pg_free_port() {
	_p=$(( ($$ * 7 + $(date +%N | sed 's/^0*//;s/^$/0/') % 1000) % 20000 + 30000 ))
	while grep -qi ":$(printf '%04X' "$_p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
		_p=$((_p + 1))
	done
	echo "$_p"
}

# pg_init DIR: a new cluster in DIR (created, owned by postgres).
pg_init() {
	mkdir -p "$1" && chown postgres: "$1" && chmod 700 "$1" || return 1
	at_exit "pg_cleanup '$1'"
	as_pg "$PGBIN/initdb" -D "$1" -A trust -U postgres --no-sync \
	    --no-instructions > "$1.initdb.log" 2>&1 || return 1
	[ "${PG_DSM:-}" = posix ] ||
	    echo "dynamic_shared_memory_type = mmap" >> "$1/postgresql.conf"
}

# pg_start DIR PORT: starts it on 127.0.0.1:PORT, socket in DIR; waits.
# Its DSM files are recorded (pg_dsm_note), so that cleanup can remove
# them even after a test has killed the cluster.
pg_start() {
	as_pg "$PGBIN/pg_ctl" -D "$1" -l "$1/log" -w -t 60 -o \
	    "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB" \
	    start > /dev/null 2>&1 || return 1
	pg_dsm_note "$1"
}

# pg_start_logger DIR PORT: pg_start with the logging collector (the logger
# outlives a killed postmaster); the server log is DIR/pg.log, outside the
# logger's "log" directory.
pg_start_logger() {
	as_pg "$PGBIN/pg_ctl" -D "$1" -l "$1/pg.log" -w -t 60 -o \
	    "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c logging_collector=on" \
	    start > /dev/null 2>&1 || return 1
	pg_dsm_note "$1"
}

# pg_setup: D (a new cluster in $T/data) and P (a free port), or one SKIP
# or FAIL line and status 1.
pg_setup() {
	_why=$(pg_missing)
	if [ -n "$_why" ]; then
		skip "real PostgreSQL" "$_why"
		return 1
	fi
	D=$T/data
	P=$(pg_free_port)
	pg_init "$D" || { fail initdb "$(tail -n 3 "$D.initdb.log")"; return 1; }
}

pg_stop() {
	as_pg "$PGBIN/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 30 stop >/dev/null 2>&1
}

# pg_pid DIR: the postmaster PID from the pid file.
pg_pid() { head -n 1 "$1/postmaster.pid" 2>/dev/null; }

# pg_sql DIR PORT SQL: runs SQL, prints unaligned tuples.
pg_sql() {
	as_pg psql -X -At -h "$1" -p "$2" -d postgres -c "$3" 2>&1
}

# pg_procs DIR: PIDs of processes whose cwd is DIR (the instance's).
pg_procs() {
	for _d in /proc/[0-9]*; do
		[ "$(readlink "$_d/cwd" 2>/dev/null)" = "$1" ] && echo "${_d#/proc/}"
	done
}

pg_cleanup() {
	pg_dsm_note "$1"
	[ -f "$1/postmaster.pid" ] && pg_stop "$1" immediate
	_i=0
	while _ps=$(pg_procs "$1"); [ -n "$_ps" ] && [ $_i -lt 50 ]; do
		kill -KILL $_ps 2>/dev/null
		sleep 0.1
		_i=$((_i + 1))
	done
	_id=$(sed -n 7p "$1/postmaster.pid" 2>/dev/null | awk '{print $2}')
	_uid=$(id -u postgres)
	if [ -n "$_id" ] && awk -v u="$_uid" -v i="$_id" \
	    'NR > 1 && $2 == i && $8 == u { f = 1 } END { exit !f }' \
	    /proc/sysvipc/shm 2>/dev/null; then
		ipcrm -m "$_id" 2>/dev/null
	fi
	_left=$(dsm_clean "$1.dsm" | awk '{print "/dev/shm/" $1}')
	_n=$(awk '{print $1}' "$1.dsm" 2>/dev/null | sort -u | wc -l)
	command -v pass > /dev/null || return 0	# not in a suite (bench)
	if [ -n "$_left" ]; then
		fail "cleanup: the DSM files of ${1##*/} are gone" \
		    "left: $(echo $_left)"
	elif [ "${PG_DSM:-}" != posix ] && [ "$_n" != 0 ]; then
		fail "cleanup: the DSM files of ${1##*/} are gone" \
		    "$_n in /dev/shm despite dynamic_shared_memory_type = mmap"
	else
		pass "cleanup: the DSM files of ${1##*/} are gone"
	fi
}

# pg_dsm_note DIR: records (in DIR.dsm) the DSM files of the instance as
# it runs now (tests/dsm.sh).
pg_dsm_note() { dsm_note "$1.dsm" $(pg_procs "$1"); }

# pg_dsm_files DIR: /dev/shm names the instance's processes have mapped.
pg_dsm_files() {
	for _p in $(pg_procs "$1"); do
		grep -o 'PostgreSQL\.[0-9]*' "/proc/$_p/maps" 2>/dev/null
	done | sort -u
}
