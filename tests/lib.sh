# Helpers for the CLI test suites (sourced). Every check prints one line:
# "PASS name", "FAIL name: why" or "SKIP name: why".
# Tests kill only the processes they started, by PID, and remove only the
# IPC objects they made, by id (cleanup() runs at exit).

T=$(mktemp -d "${TMPDIR:-/tmp}/undead-t.XXXXXX") || exit 3
chmod 755 "$T"
CLEAN=":"
cleanup() {
	eval "$CLEAN"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
at_exit() { CLEAN="$1; $CLEAN"; }

# VARIANT: how the tools run in this pass: native, or the name of a run.sh
# variant (the same suite with every tool behind a wrapper).
VARIANT=${VARIANT:-native}
# LINK: what -V says of the build (make sanitize's is dynamic).
LINK=${LINK:-static}
# VARCH: the arch the tools under test are built for (-V names it).
case $VARIANT in aarch64) VARCH=aarch64 ;; *) VARCH=$(uname -m) ;; esac

pass() { echo "PASS $SUITE: $1"; }
fail() { echo "FAIL $SUITE: $1: $2"; }
skip() { echo "SKIP $SUITE: $1: $2"; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# run CMD...: runs it; stdout in $T/out, stderr in $T/err, status in $RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
}

# why NAME WANT_RC: explains a mismatch of the last run.
why() {
	printf 'exit %s (want %s); stdout: %s; stderr: %s' "$RC" "$2" \
	    "$(head -c 600 "$T/out" | tr '\n' '|')" \
	    "$(head -c 300 "$T/err" | tr '\n' '|')"
}

# expect NAME RC EXPECTED CMD...: stdout equals EXPECTED (a trailing newline
# is added) and the exit status is RC, both at once.
expect() {
	_n=$1 _rc=$2 _e=$3; shift 3
	run "$@"
	printf '%s\n' "$_e" > "$T/exp"
	[ -z "$_e" ] && : > "$T/exp"
	if [ "$RC" = "$_rc" ] && cmp -s "$T/exp" "$T/out"; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" "$_rc"); expected: $(tr '\n' '|' < "$T/exp")"
	fi
}

# expect_sorted NAME RC EXPECTED CMD...: like expect, order-insensitive.
expect_sorted() {
	_n=$1 _rc=$2 _e=$3; shift 3
	run "$@"
	sort "$T/out" > "$T/out.s"
	printf '%s\n' "$_e" | sed '/^$/d' | sort > "$T/exp.s"
	if [ "$RC" = "$_rc" ] && cmp -s "$T/exp.s" "$T/out.s"; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" "$_rc"); expected: $(tr '\n' '|' < "$T/exp.s")"
	fi
}

# expect_lines NAME RC CMD... with EREs in $LINES (newline separated):
# the exit status is RC and every ERE matches some stdout line.
expect_lines() {
	_n=$1 _rc=$2; shift 2
	run "$@"
	_miss=""
	while IFS= read -r _re; do
		[ -z "$_re" ] && continue
		grep -Eq -- "$_re" "$T/out" || _miss="$_miss [$_re]"
	done <<EOT
$LINES
EOT
	if [ "$RC" = "$_rc" ] && [ -z "$_miss" ]; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" "$_rc"); no line matched:$_miss"
	fi
}

# expect_err NAME RC ERE CMD...: status RC, stdout empty, and the first
# stderr line (the error; a usage error adds the synopsis) matches ERE.
expect_err() {
	_n=$1 _rc=$2 _re=$3; shift 3
	run "$@"
	if [ "$RC" = "$_rc" ] && ! [ -s "$T/out" ] && \
	    head -n 1 "$T/err" | grep -Eq -- "$_re"; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" "$_rc"); want stderr /$_re/"
	fi
}

# check NAME CONDITION...: passes when the command succeeds.
check() {
	_n=$1; shift
	if "$@"; then
		pass "$_n"
	else
		fail "$_n" "false: $*; last run: $(why_last)"
	fi
}

# why_last: the status and output of the last run (for a failed check).
why_last() {
	[ -f "$T/out" ] || return 0
	printf 'exit %s; stdout: %s; stderr: %s' "${RC-}" \
	    "$(head -c 400 "$T/out" | tr '\n' '|')" \
	    "$(head -c 300 "$T/err" 2>/dev/null | tr '\n' '|')"
}

# A && B; checked NAME: passes when the whole list before it succeeded
# (`check NAME A && B` would judge A alone: B runs outside check).
checked() {
	_s=$?
	if [ "$_s" = 0 ]; then pass "$1"; else fail "$1" "a condition was false"; fi
}

# field ROW COL: the COLth word of line ROW of $T/out (raw output).
field() { sed -n "${1}p" "$T/out" | awk -v c="$2" '{print $c}'; }

# wait_file FILE [TENTHS]: waits until FILE exists (a victim is ready).
wait_file() {
	_i=0
	while ! [ -s "$1" ]; do
		_i=$((_i + 1))
		[ "$_i" -gt "${2:-100}" ] && return 1
		sleep 0.1
	done
}

# wait_gone PID [TENTHS]: waits until PID no longer exists.
wait_gone() {
	_i=0
	while [ -d "/proc/$1" ]; do
		_i=$((_i + 1))
		[ "$_i" -gt "${2:-100}" ] && return 1
		sleep 0.1
	done
}

# spawn FILE CMD...: starts a victim in the background, records its PID in
# $! and in cleanup (killed by PID at exit).
spawn() {
	"$@" &
	_p=$!
	at_exit "kill -KILL $_p 2>/dev/null; wait $_p 2>/dev/null"
	SPAWNED=$_p
}

# fuse_up NAME [dead]: mounts tests/helpers/fusehang on $T/fuse (its
# daemon $FUSE_D; unmounted at exit), then starts a sleep holding
# $T/fuse/f as fd 3 ($FUSE_V). 1, after a SKIP line for NAME, when FUSE
# cannot be mounted here.
fuse_up() {
	mkdir -p "$T/fuse"
	at_exit "umount -l '$T/fuse' 2>/dev/null"
	spawn "$HELP/fusehang" "$T/fuse" "$T/fuse.log" ${2:-}; FUSE_D=$SPAWNED
	wait_file "$T/fuse.log" 50 && grep -q '^ready' "$T/fuse.log" || {
		skip "$1" "cannot mount FUSE: $(cat "$T/fuse.log")"
		return 1
	}
	spawn sh -c 'exec sleep 300 3<>"$0"' "$T/fuse/f"; FUSE_V=$SPAWNED
	# (first at exit: the victim's last close waits on the daemon)
	at_exit "kill -KILL $FUSE_D 2>/dev/null"
	_i=0
	until [ "$(readlink "/proc/$FUSE_V/fd/3")" = "$T/fuse/f" ] &&
	    [ "$(cat "/proc/$FUSE_V/comm")" = sleep ]; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && break; sleep 0.05
	done
}

# expect_v NAME RC OLD CMD...: -v names each fallback an older kernel needed,
# once, on stderr: status RC, and stderr exactly the lines OLD in the
# oldkernel variant, nothing natively (other variants: the status only).
expect_v() {
	_n=$1 _rc=$2 _e=$3; shift 3
	run "$@"
	[ "$VARIANT" = oldkernel ] || _e=""
	printf '%s\n' "$_e" | sed '/^$/d' > "$T/exp"
	if [ "$RC" = "$_rc" ] && { cmp -s "$T/exp" "$T/err" ||
	    { [ "$VARIANT" != native ] && [ "$VARIANT" != oldkernel ]; }; }; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" "$_rc"); want stderr: $(tr '\n' '|' < "$T/exp")"
	fi
}
