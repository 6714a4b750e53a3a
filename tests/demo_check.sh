# make demo, checked: tests/demo.sh succeeds as root (the cluster runs as
# postgres) and as a normal user, with PostgreSQL and with stand-ins, in
# under a minute, and leaves nothing behind, also when interrupted: no process it made (by PID
# and start time), no SysV segment (by id), no /dev/shm file, no
# directory, no process working under its temporary directory.
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"

# left MADE TMP: one line per thing of the DEMO_MADE list still there. A
# zombie is gone (a postmaster that pg_ctl started is reparented: its
# exit status is for init to reap).
left() {
	while read -r _k _a _b; do
		case $_k in
		pid)	_st=$(sed 's/.*) //' "/proc/$_a/stat" 2>/dev/null |
			    cut -d' ' -f1,20)
			case $_st in
			"Z "*|"X "*) ;;
			*" $_b") echo "process $_a ($(tr '\0' ' ' \
			    < "/proc/$_a/cmdline" | head -c 60))" ;;
			esac ;;
		shm)	awk -v i="$_a" '$2 == i { f = 1 } END { exit !f }' \
			    /proc/sysvipc/shm && echo "segment $_a" ;;
		posix)	[ -e "/dev/shm/$_a" ] && echo "/dev/shm/$_a" ;;
		dir)	[ -e "$_a" ] && echo "directory $_a" ;;
		esac
	done < "$1"
	for _d in /proc/[0-9]*; do
		case $(readlink "$_d/cwd" 2>/dev/null) in
		"$2"/*) echo "process ${_d#/proc/} works in $2" ;;
		esac
	done
	[ -z "$(ls -A "$2")" ] || echo "files in $2: $(ls -A "$2")"
}

# demo NAME KINDS WANT ARGS [-- PREFIX...]: runs the demo (with ARGS, as
# PREFIX); it must end well, list every KIND it made, print every ERE of
# WANT (newline separated), and leave nothing.
demo() {
	dm_n=$1 _kinds=$2 _want=$3 _args=$4
	shift 4
	[ "${1:-}" = -- ] && shift
	DEMOS=$((${DEMOS:-0} + 1))
	_m=$T/made.$DEMOS
	_tmp=$T/tmp.$DEMOS
	: > "$_m" && chmod 666 "$_m" && mkdir -m 1777 "$_tmp"
	_t0=$(date +%s)
	"$@" env DEMO_MADE="$_m" TMPDIR="$_tmp" sh "$TOP/tests/demo.sh" $_args \
	    > "$T/demo.out" 2>&1
	_rc=$?
	dm_s=$(($(date +%s) - _t0))
	[ "$_rc" = 0 ] && [ "$(tail -n 1 "$T/demo.out")" = \
	    "demo done: every process and object it made is gone." ]
	checked "$dm_n: succeeds"
	[ "$_rc" = 0 ] || sed -n '/demo: that step failed/,$p;$p' "$T/demo.out" |
	    head -n 5 | sed 's/^/    /'
	echo "demo $dm_n: ${dm_s} s"
	# It takes 5 to 20 s; its time is printed above, and a shared machine
	# may stretch it: this only catches a step that hangs.
	check "$dm_n: no step hung (under 3 minutes)" [ "$dm_s" -lt 180 ]
	_miss=""
	for _k in $_kinds; do grep -q "^$_k " "$_m" || _miss="$_miss $_k"; done
	while IFS= read -r _re; do
		grep -Eq -- "$_re" "$T/demo.out" || _miss="$_miss [$_re]"
	done <<EOT
$_want
EOT
	if [ -n "$_miss" ]; then
		fail "$dm_n: made and showed what it should" "missing:$_miss"
	else
		pass "$dm_n: made and showed what it should"
	fi
	left "$_m" "$_tmp" > "$T/left"
	if [ -s "$T/left" ]; then
		fail "$dm_n: left nothing behind" "$(head -c 300 "$T/left" |
		    tr '\n' ';')"
	else
		pass "$dm_n: left nothing behind"
	fi
}

# interrupted NAME SIG RC ERE: the demo with PostgreSQL (SIGINT not
# ignored, as a background job would have it), sent SIG once its output
# has a line matching ERE: it must end with RC and leave nothing.
interrupted() {
	DEMOS=$((${DEMOS:-0} + 1))
	_m=$T/made.$DEMOS
	_tmp=$T/tmp.$DEMOS
	: > "$_m" && chmod 666 "$_m" && mkdir -m 1777 "$_tmp"
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' env DEMO_MADE="$_m" TMPDIR="$_tmp" \
	    sh "$TOP/tests/demo.sh" > "$T/demo.out" 2>&1 &
	_dp=$!
	at_exit "kill -KILL $_dp 2>/dev/null"
	_i=0
	until grep -Eq -- "$4" "$T/demo.out" || [ $_i -gt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -"$2" "$_dp"
	wait "$_dp"
	_rc=$?
	[ "$_rc" = "$3" ] && grep -q '^pid ' "$_m" && grep -q '^shm ' "$_m" &&
	    grep -q '^posix ' "$_m"; checked "$1: ends by the signal, with a cluster, segment and DSM files made"
	[ "$_rc" = "$3" ] || tail -n 3 "$T/demo.out" | sed 's/^/    /'
	left "$_m" "$_tmp" > "$T/left"
	if [ -s "$T/left" ]; then
		fail "$1: left nothing behind" "$(head -c 300 "$T/left" |
		    tr '\n' ';')"
	else
		pass "$1: left nothing behind"
	fi
}

PGWANT='^verdict +running: PID [0-9]+ is the postmaster
^  action:  done
^  after:   thread [0-9]+ left epoll_wait
FATAL:  connection to client lost
^verdict +orphaned: the postmaster is gone, but 2 process
 postgres +exited$
^removed shm [0-9]+ key 0x[0-9a-f]+ owner
^removed posix /dev/shm/PostgreSQL\.[0-9]+
^server started'
SIWANT='^  action:  done
^removed shm [0-9]+ key
^verdict +stale: 
 victim +exited$'

why=$(pg_missing)
if ! is_root; then
	if [ -z "$PGBIN" ]; then
		skip "demo with PostgreSQL" "PostgreSQL is not installed"
	else
		demo "as $(id -un), PostgreSQL" "pid shm posix dir" "$PGWANT" ""
	fi
	demo "as $(id -un), stand-ins" "pid shm dir" "$SIWANT" --standin
	exit 0
fi
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ -n "$why" ]; then
	skip "demo with PostgreSQL" "$why"
else
	demo "as root, PostgreSQL as postgres" "pid shm posix dir" "$PGWANT" ""
	demo "as nobody, PostgreSQL" "pid shm posix dir" "$PGWANT" "" -- $NOBODY
	interrupted "INT once the cluster runs" INT 130 '^# is the PID in'
	interrupted "TERM with the postmaster killed, orphans left" TERM 143 \
	    '^# what is left of the instance'
	interrupted "HUP with its segment and DSM files left" HUP 129 \
	    '^# \.\.\.remove them, each re-checked'
fi
demo "as root, stand-ins" "pid shm dir" "$SIWANT" --standin
demo "as nobody, stand-ins" "pid shm dir" "$SIWANT" --standin -- $NOBODY
