# fdclose CLI tests against live victims (tests/helpers/fdclose_victim.c):
# a loopback connection whose peer never reads, a thread blocked in the way
# each case needs. Every check looks at fdclose's output and exit status and
# at what the victim itself saw. Victims are killed only by PID.
. "$TOP/tests/lib.sh"
F=$BIN/fdclose
V=$HELP/fdclose_victim
H=$HELP/fdclose_hooked
# oldkernel has neither pidfd_getfd nor SOCK_DESTROY: shutdown is injected;
# checks of destroy run its other fallback, injection (SD=replace), whose
# victim sees EPIPE for ECONNABORTED (AB) and a UDP recv ENOTCONN (UR); auto
# tries destroy, then injects shutdown (AUTO, AUTOED), which interrupts an
# epoll waiter first (EW). FK: fdclose outside the variant's filter, for
# the checks that set up their own.
SD= AB="Connection aborted" UR="Connection aborted" FK=$F EW=0
AUTO="shutdown: a connected stream socket" AUTOED=shutdown
if [ "$VARIANT" = oldkernel ]; then
	H="$HELP/oldkernel $H" SD=replace AB="Broken pipe" FK=$TOP/dist/fdclose
	UR="(Transport endpoint|Socket) not connected" EW=1
	AUTO="destroy: no pidfd_getfd" AUTOED="shutdown by injection: destroy"
fi
NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
mkdir -p "$T/v" && chmod 1777 "$T/v"
# The Makefile rebuilds helpers when lib changes, not when cmd does.
for f in cmd/fdclose.c lib/inject.c; do
	[ "$TOP/$f" -nt "$HELP/fdclose_hooked" ] && fail "fdclose_hooked is current" \
	    "older than $f: touch tests/helpers/fdclose_hooked.c; make tests"
done
N=0
# VARIANT=aarch64 is the aarch64 fdclose under qemu-user on this x86_64
# kernel: qemu-user has no ptrace (replace, close, --null, suspending a
# seccomp filter: the injection), refuses NETLINK_SOCK_DIAG sockets
# (destroy), and /proc/PID/syscall carries the kernel's x86_64 numbers,
# which the aarch64 build does not name. Those checks are left out of that
# pass (QEMU=1): the arm64 VM (tests/vm) runs the injection with the
# aarch64 build on an arm64 kernel.
QEMU=
[ "$VARIANT" = aarch64 ] && QEMU=1
# qemu_lines: under qemu-user, LINES without the lines naming the call.
qemu_lines() {
	[ -z "$QEMU" ] ||
	    LINES=$(printf '%s\n' "$LINES" | grep -v '^\^  \(thread\|after\):')
}

# victim MODE [pipe-default]: starts one; VP its PID, VO its report file.
# The victim's fds: 3 its report, 4 listener, 5 client (blocked), 6 peer.
victim() {
	N=$((N + 1))
	VO=$T/v/$1.$N
	spawn $PRE "$V" "$1" "$VO" ${2:-}
	VP=$SPAWNED
	wait_file "$VO" 50 || { fail "$1 victim" "did not start"; return 1; }
	[ "$1" = multi ] || wait_call "$VP" "$1" ||
	    { fail "$1 victim" "not blocked in its call"; return 1; }
}

# wait_call PID MODE: until the thread sits in the call MODE blocks in.
wait_call() {
	case $2 in
	send|partial|seccomp-*|unix|tcp6|linger|shared) _nr=44 ;; strict) _nr=1 ;; udp) _nr=45 ;; nanosleep) _nr='\(35\|230\)' ;;
	sigsuspend) _nr=130 ;; futex) _nr=202 ;; epoll) _nr=281 ;;
	listen) _nr=43 ;; *) return 0 ;;
	esac
	_i=0
	while ! grep -q "^$_nr " "/proc/$1/syscall" 2>/dev/null; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && return 1; sleep 0.05
	done
	sleep 0.1
}

# seen PATTERN [TENTHS]: the victim's report gets a line matching PATTERN.
seen() {
	_i=0
	while ! grep -Eq -- "$1" "$VO" 2>/dev/null; do
		_i=$((_i + 1)); [ "$_i" -gt "${2:-50}" ] && return 1; sleep 0.1
	done
}

# ms NAME: the ms= value of the victim's NAME line.
ms() { sed -n "s/^$1 .*ms=\([0-9]*\).*/\1/p" "$VO" | head -n 1; }

# usage_err NAME RE CMD...: status 2, nothing on stdout, the first stderr
# line matches RE and the synopsis follows.
usage_err() {
	_n=$1 _re=$2; shift 2
	run "$@"
	if [ "$RC" = 2 ] && ! [ -s "$T/out" ] && head -n 1 "$T/err" |
	    grep -Eq -- "$_re" && grep -q '^usage: fdclose' "$T/err"; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" 2); want stderr /$_re/ + synopsis"
	fi
}

# --- usage, and the options of the code, -h and the man page agree ---
run $F -h
[ "$RC" = 0 ] && grep -q '^usage: fdclose' "$T/out"; checked "-h prints the usage, exit 0"
sh "$TOP/tests/optcheck.sh" fdclose
usage_err "no operands" 'need a PID' $F
usage_err "unknown option" '^fdclose: unknown option: --bogus$' $F --bogus 1 3
usage_err "bad mode" 'bad mode' $F --mode zap 1 3
for p in "" abc -1 0 99999999999999999999; do
	usage_err "bad pid '$p'" 'bad pid' $F -- "$p" 3
done
usage_err "bad fd" 'bad fd' $F 1 x3
usage_err "bad inode" 'bad inode' $F --expect 1x 1 3
run $F -V
[ "$RC" = 0 ] && grep -q "^fdclose .*, $VARCH, " "$T/out"; checked "-V names the build"

# --- processes that are never touched ---
expect_err "nonexistent pid: nothing to do" 1 'no such process' $F 4194303 3
expect_err "pid 1 refused" 3 'refusing: PID 1' $F 1 3
expect_err "own shell (an ancestor) refused" 3 'ancestor' $F $$ 3
expect_err "kernel thread refused" 3 'kernel thread' $F 2 3

# --- fds that are refused, and dry runs ---
victim send || exit 0
expect_err "fd not open: nothing to do" 1 'not open' $F "$VP" 77
expect_err "fd 0-2 refused" 3 'fds 0-2' $F "$VP" 1
expect_err "listening socket refused" 3 'listening socket' $F "$VP" 4
ino=$(stat -L -c %i "/proc/$VP/fd/5")
expect_err "--expect another inode refused" 3 'refers to inode' \
    $F --expect 1 "$VP" 5
LINES="^pid $VP \(fdclose_victim\) fd 5: TCP 127\.0\.0\.1:[0-9]+->127\.0\.0\.1:[0-9]+ \(ESTABLISHED[^)]*\) inode $ino
^  thread:  $VP in sendto\(5\)
^  method:  $AUTO
^  sees:    .*EPIPE
^  action:  none \(dry run\)"
qemu_lines
expect_lines "dry run shows before, method, what the target sees" 0 \
    $F --dry-run --expect "$ino" "$VP" 5
check "dry run left the victim blocked" grep -q '^44 ' "/proc/$VP/syscall"

expect_err "pipe: shutdown refused (not a socket)" 3 'not a socket' \
    $F --mode shutdown "$VP" 7
expect_err "pipe: destroy refused (TCP and UDP only)" 3 'only TCP and UDP' \
    $F --mode destroy "$VP" 7
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
LINES="^pid $VP \(fdclose_victim\) fd 7: FIFO pipe:\[[0-9]+\] inode [0-9]+ cloexec
^  method:  replace: not a connected stream socket"
expect_lines "pipe: auto replaces it" 0 $F "$VP" 7
run $F --mode replace "$VP" 8
[ "$(readlink "/proc/$VP/fd/7" "/proc/$VP/fd/8" | grep -c '^socket:')" = 2 ]
checked "pipe: both ends now placeholder sockets"
# cloexec PID FD: the fd's flags (octal in fdinfo) have O_CLOEXEC (02000000).
cloexec() {
	_f=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$1/fdinfo/$2")
	[ $(( (0$_f >> 19) & 1 )) = 1 ]
}
no_cloexec() { ! cloexec "$@"; }
check "close-on-exec kept set on fd 7" cloexec "$VP" 7
check "close-on-exec kept clear on fd 8" no_cloexec "$VP" 8
fi

# --- method A: shutdown ---
LINES="^  method:  $AUTOED
^  action:  done
^  after:   (thread $VP left sendto|the process exited) within [0-9]+ ms"
qemu_lines
expect_lines "auto on a blocked send is shutdown" 0 $F --expect "$ino" "$VP" 5
check "shutdown: blocked send (0 queued) got EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
check "shutdown: victim exits normally" seen '^exit'
victim partial || exit 0
run $F --mode shutdown "$VP" 5
check "shutdown: partially queued send returns its count" seen '^send1 ret=[1-9][0-9]* errno=0'
check "shutdown: then EPIPE" seen '^send2 ret=-1 errno=Broken pipe'

# --- method B: destroy ---
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim send || exit 0
LINES="^  method:  ${SD:-destroy}
^  action:  done"
expect_lines "destroy" 0 $F --mode ${SD:-destroy} "$VP" 5
check "destroy: blocked send got ECONNABORTED" seen "^send1 ret=-1 errno=$AB"
check "destroy: next send EPIPE" seen '^send2 ret=-1 errno=Broken pipe'
fi
victim shared || exit 0
LINES="^  warning: the socket is also open in pid [0-9]+ fd 5: ${AUTO%%:*} acts on it there too
^  action:  none \(dry run\)"
expect_lines "a socket shared with another process: warned" 0 $F --dry-run "$VP" 5
for c in $(cat "/proc/$VP/task/$VP/children"); do kill -KILL "$c"; done
kill -KILL "$VP"
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim tcp6 || exit 0
LINES="^pid $VP \(fdclose_victim\) fd 5: TCP6 \[::1\]:[0-9]+->\[::1\]:[0-9]+ \(ESTABLISHED
^  action:  done"
expect_lines "destroy an IPv6 connection" 0 $F --mode ${SD:-destroy} "$VP" 5
check "  ... blocked send got ECONNABORTED" seen "^send1 ret=-1 errno=$AB"
victim udp || exit 0
LINES="^  thread:  $VP in recvfrom\(5\)
^  method:  destroy: a UDP socket"
expect_lines "UDP: auto picks destroy" 0 $F "$VP" 5
check "  ... blocked recv got ECONNABORTED" seen "^recv1 ret=-1 errno=$UR"
fi
victim unix || exit 0
expect_err "AF_UNIX: destroy refused (TCP and UDP only)" 3 'only TCP and UDP' \
    $F --mode destroy "$VP" 5
LINES="^pid $VP \(fdclose_victim\) fd 5: UNIX .*\(CONNECTED\)
^  method:  shutdown"
expect_lines "AF_UNIX stream: auto shuts it down" 0 $F "$VP" 5
check "  ... blocked send got EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim send || exit 0
run $NOBODY $F --mode destroy "$VP" 5
check "destroy as nobody on root's process: refused, exit 3" [ "$RC" = 3 ]
check "  ... and the victim is still blocked" grep -q '^44 ' "/proc/$VP/syscall"
kill -KILL "$VP"
fi

# --- method C: injection ---
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim send || exit 0
LINES="^  method:  replace
^  stopped: 0\.[0-9]+ ms|^  stopped: [0-9]\.[0-9]+ ms"
expect_lines "replace on a blocked send" 0 $F --mode replace "$VP" 5
check "replace: the restarted send fails with EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
check "replace: victim exits normally" seen '^exit'
victim send || exit 0
LINES="^  method:  close
^  warning: an fd closed inside an epoll set"
expect_lines "close on a blocked send warns about epoll" 0 $F --mode close "$VP" 5
check "close: the restarted send fails with EBADF" seen '^send1 ret=-1 errno=Bad file descriptor'

victim nanosleep || exit 0
run $F --mode replace "$VP" 5
seen '^nanosleep' 50
m=$(ms nanosleep)
[ "$RC" = 0 ] && [ "$m" -ge 2950 ] && [ "$m" -le 3050 ]; checked "nanosleep(3 s) still takes 3 s ($m ms)"
check "nanosleep returned 0" grep -q '^nanosleep ret=0' "$VO"

victim futex || exit 0
run $F --mode replace "$VP" 5
seen '^futex' 50
m=$(ms futex)
[ "$RC" = 0 ] && [ "$m" -ge 2950 ] && [ "$m" -le 3050 ]; checked "futex wait (3 s timeout) keeps its length ($m ms)"

victim sigsuspend || exit 0
run $F --mode replace "$VP" 5
sleep 0.3
check "sigsuspend keeps waiting after the injection" grep -q '^130 ' "/proc/$VP/syscall"
kill -USR1 "$VP"
check "sigsuspend returns EINTR on a real signal" seen '^sigsuspend ret=-1 errno=Interrupted'
check "  ... handler ran once" seen '^signals usr1=1 term=0'

victim epoll || exit 0
LINES="^  warning: the stop makes epoll_wait return EINTR"
expect_lines "epoll waiter: replace warns about EINTR" 0 $F --mode replace "$VP" 5
check "epoll waiter retried after EINTR and survived" seen '^epoll ret=0 events=0x0 eintr=1' 90
check "  ... then its send failed on the placeholder" seen '^send ret=-1 errno=Broken pipe'
fi
victim epoll || exit 0
run $F "$VP" 5
check "epoll waiter: shutdown wakes it with OUT|HUP" seen "^epoll ret=1 events=0x1[0-9a-f] eintr=$EW"

if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim busy || exit 0
sleep 0.3
run $F --mode replace "$VP" 5
check "busy loop: injected (vDSO site)" [ "$RC" = 0 ]
check "busy loop: register checksum unchanged" seen '^busy rounds=[0-9]+ regs=ok' 40
check "busy loop: fd replaced" seen '^send ret=-1 errno=Broken pipe'

victim multi || exit 0
wait_call "$VP" x
LINES="^  thread:  [0-9]+ in sendto\(5\) \(the thread blocked on the fd\)"
expect_lines "multi-threaded: the blocked thread is chosen" 0 $F --mode replace "$VP" 5
check "multi-threaded: its send fails with EPIPE" seen '^thread-send1 ret=-1 errno=Broken pipe'
fi

# --- SIGPIPE at its default in the target ---
victim send pipe-default || exit 0
expect_err "SIGPIPE default: shutdown refused" 3 'SIGPIPE is at its default' \
    $F --mode shutdown "$VP" 5
expect_err "SIGPIPE default: destroy refused" 3 'SIGPIPE is at its default' \
    $F --mode destroy "$VP" 5
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
LINES="^  method:  replace: SIGPIPE is at its default
^  sees:    .*AF_UNIX"
expect_lines "SIGPIPE default: auto picks an AF_UNIX placeholder" 0 $F "$VP" 5
check "  ... the victim sees ENOTCONN and lives" seen '^send1 ret=-1 errno=(Transport endpoint|Socket) not connected'
check "  ... and exits normally" seen '^exit'
fi

# --- per-thread state: a filter, a signal mask, an fd table of one thread ---
# wait_thread NR: until the victim's worker (tid= of its ready line) sits
# in system call NR.
wait_thread() {
	WT=$(sed -n 's/^ready .* tid=\([0-9]*\).*/\1/p' "$VO")
	_i=0
	while ! grep -q "^$1 " "/proc/$VP/task/$WT/syscall" 2>/dev/null; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && return 1; sleep 0.05
	done
	sleep 0.1
}
if [ -z "$QEMU" ]; then	# ptrace: not under qemu-user
# A KILL filter on the worker only: the main thread shows Seccomp 0.
victim thr-kill && wait_thread 44
run $F --mode replace "$VP" 5
if [ "$VARIANT" = oldkernel ]; then	# no PTRACE_O_SUSPEND_SECCOMP (4.3)
	[ "$RC" = 3 ] && grep -q "cannot suspend the target's seccomp" "$T/err" &&
	    kill -0 "$VP" && ! seen '^thread-send1' 3
	checked "a worker's own KILL filter, no way to suspend it: refused, untouched"
else
	[ "$RC" = 0 ] && seen '^thread-send1 ret=-1 errno=Broken pipe' && seen '^exit'
	checked "a worker's own KILL filter is suspended: its send ends, it exits normally"
fi
# SIGPIPE blocked in the main thread, at its default in the sender.
victim thr-pipe pipe-default && wait_thread 44
LINES="^  method:  replace: SIGPIPE is at its default"
expect_lines "SIGPIPE blocked in one thread only: still not safe, replace" 0 \
    $F "$VP" 5
check "  ... the sender sees ENOTCONN and the victim lives" \
    seen '^thread-send1 ret=-1 errno=(Transport endpoint|Socket) not connected'
# The worker reads its own fd 5 (a pipe); the process's fd 5 is the socket.
victim thr-files && wait_thread 0
run $F --mode replace "$VP" 5
[ "$RC" = 0 ] && ! grep -q "^  thread:  $WT " "$T/out" &&
    case $(readlink "/proc/$VP/task/$WT/fd/5") in pipe:*) true ;; *) false ;; esac &&
    [ "$(stat -L -c %i "/proc/$VP/fd/5")" != "$(sed -n 's/.* inode \([0-9]*\).*/\1/p' "$T/out" | head -n 1)" ]
checked "a thread with its own fd table is not the one injected; its pipe stays"
# The main thread exited (a zombie leader, /proc/PID/fd empty) while the
# worker blocks in send: the fds are read through the worker's task
# directory, pidfd_getfd has no table (so shutdown is injected), and the
# worker is the thread acted in.
leader_gone() {
	victim thr-leader && wait_thread 44 || return 1
	_i=0
	while [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$VP/stat")" != Z ]; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && return 1; sleep 0.05
	done
}
leader_gone
expect "the main thread exited: fdls lists the fds through a live thread" 0 \
    "5 TCP ESTABLISHED" $BIN/fdls -r -n -o FD,TYPE,STATE -d 5 "$VP"
LINES="^  thread:  $WT in sendto\(5\)
^  method:  destroy: the leader thread exited, taking pidfd_getfd's view of the fds: SOCK_DESTROY needs no ptrace
^  action:  done
^  after:   thread $WT left sendto within [0-9]+ ms"
expect_lines "the main thread exited: auto destroys, naming why" 0 $F "$VP" 5
check "  ... the worker's send ends" seen '^thread-send1 ret='
leader_gone
LINES="^  thread:  $WT in sendto\(5\)
^  action:  done
^  stopped: "
expect_lines "the main thread exited: shutdown is injected into the worker" 0 \
    $F --mode shutdown "$VP" 5
check "  ... straight away (no pidfd_getfd tried and 'failed')" sh -c \
    "! grep -q 'failed' '$T/out'"
check "  ... the worker's send ends" seen '^thread-send1 ret='
fi
# A listener the namespace's tables cannot see (its process moved to a
# new network namespace): SO_ACCEPTCONN on its duplicate says it listens.
if [ "$VARIANT" != oldkernel ]; then
	victim netns-listen && wait_call "$VP" listen
	L=$(sed -n 's/^ready .* lfd=\([0-9]*\).*/\1/p' "$VO")
	# (qemu-user has no pidfd_getfd: then it cannot be told, and refused)
	expect_err "a listener in another network namespace is refused" 3 \
	    "refusing: a ${QEMU:+(socket no table|}listening socket${QEMU:+)}" \
	    $F "$VP" "$L"
fi

# A target that exits on its own while fdclose waits (its first ptrace
# call held back 4 s by strace; the victim sleeps 3 s, then exits):
# nothing to do, status 1, not a failure.
if [ -z "$QEMU" ] && [ "$VARIANT" = native ] && command -v strace > /dev/null; then
	victim nanosleep
	run strace -f -o /dev/null -e trace=ptrace \
	    -e inject=ptrace:delay_enter=4000000 $F --mode replace "$VP" 5
	[ "$RC" = 1 ] && grep -q "^  action:  none: the process is gone" "$T/out" &&
	    ! [ -s "$T/err" ]
	checked "the target exits before the injection: gone, status 1"
fi

# --- a file whose flush hangs: a FUSE daemon that never answers FLUSH ---
# (tests/helpers/fusehang; a dead NFS server's close is the same wait)
fuse_flush() {
	fuse_up "FUSE flush" || return
	FS=$FUSE_V FD_D=$FUSE_D
	expect_err "a file on FUSE: replace refused (its flush may hang)" 3 \
	    "fd 3: refusing replace: a file on fuse\.fusehang, whose flush" \
	    $F --mode replace "$FS" 3
	check "  ... untouched, and no flush was asked for" sh -c \
	    "[ \"\$(readlink /proc/$FS/fd/3)\" = '$T/fuse/f' ] &&
	    ! grep -q flush '$T/fuse.log'"
	# Detached (umount -l, as a dead NFS server's mount often is): its
	# type is not in mountinfo any more, and cannot be told.
	umount -l "$T/fuse"
	expect_err "a file on a detached mount: refused, its type unknown" 3 \
	    "fd 3: refusing close: the file's mount is not in the target's mountinfo" \
	    $F --mode close "$FS" 3
	# --force: the injected dup3 waits in the daemon's FLUSH; fdclose
	# says so and waits on. The daemon killed, the flush fails, dup3
	# returns, and the thread gets its registers back: it lives.
	$F --force --mode replace "$FS" 3 > "$T/ff.out" 2> "$T/ff.err" &
	FF=$!
	_i=0
	until grep -q 'has not returned' "$T/ff.err"; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && break; sleep 0.1
	done
	check "--force: the wait for the hung flush is named" grep -Eq \
	    "thread $FS: the injected call has not returned after [0-9]+ ms: it waits in the kernel" \
	    "$T/ff.err"
	check "  ... and fdclose is still waiting" kill -0 "$FF"
	kill -KILL "$FD_D"
	wait "$FF"; RC=$?
	check "  ... done once the flush returns" sh -c "[ $RC = 0 ] &&
	    grep -q '^  action:  done' '$T/ff.out'"
	check "  ... the target lives, its fd replaced" sh -c \
	    "grep -q '^State:.S' /proc/$FS/status &&
	    readlink /proc/$FS/fd/3 | grep -q '^socket:' &&
	    ! [ -e /proc/$FS/fd/4 ]"
}
if [ -z "$QEMU" ] && [ "$VARIANT" = native ] && is_root; then
	fuse_flush
fi

# --- zombies and thread ids ---
victim zombie || exit 0
Z=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$VO")
expect_err "zombie: nothing to do" 1 'zombie' $F "$Z" 5
victim multi || exit 0
wait_call "$VP" x
tid=$(ls "/proc/$VP/task" | sort -n | tail -n 1)
run $F --dry-run "$tid" 5
[ "$RC" = 0 ] && \
    grep -q "^pid $VP (fdclose_victim) fd 5:" "$T/out" && \
    grep -q "pid $tid is a thread of process $VP" "$T/err"; checked "a thread id acts on its process"

# --- stopped and D-state targets ---
# stop PID: SIGSTOP, and until it shows "T (stopped)" (a loaded machine
# can take longer than a fixed nap).
stop() {
	kill -STOP "$1"
	_i=0
	while ! grep -q '^State:.*T (stopped)' "/proc/$1/status"; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && return 1; sleep 0.05
	done
}
victim send || exit 0
stop "$VP"
expect_err "stopped target refused" 3 'is stopped \(T\)' $F --mode replace "$VP" 5
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
run $F --force --mode replace "$VP" 5
sleep 0.3
[ "$RC" = 0 ] && \
    grep -q '^State:.*T (stopped)' "/proc/$VP/status"; checked "--force on a stopped target: done and left stopped"
kill -CONT "$VP"
check "  ... after SIGCONT the send fails with EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
fi
victim vfork || exit 0
sleep 0.3
expect_err "D-state (vfork parent) refused" 3 'uninterruptible' $F --mode replace "$VP" 5

# --- already traced ---
victim send || exit 0
strace -p "$VP" -o /dev/null 2>/dev/null &
SP=$!
at_exit "kill -TERM $SP 2>/dev/null"
i=0; while ! grep -q "^TracerPid:[[:space:]]*$SP" "/proc/$VP/status"; do
	i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1; done
expect_err "traced target: injection refused, tracer named" 3 \
    "already traced by pid $SP \(strace.*shutdown or destroy" \
    $F --mode replace "$VP" 5
run $F "$VP" 5
if [ -n "$SD" ]; then [ "$RC" = 3 ] && grep -q "already traced" "$T/err"
else [ "$RC" = 0 ] && seen '^send1 ret=-1 errno=Broken pipe'; fi; checked "traced target: shutdown still works (oldkernel: refused)"
kill -TERM "$SP" 2>/dev/null

# --- seccomp in the target ---
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
victim seccomp-errno || exit 0
run $F --mode replace "$VP" 5
if [ -n "$SD" ]; then [ "$RC" = 3 ] && grep -q "kernel cannot suspend" "$T/err"
else [ "$RC" = 0 ] && seen '^send1 ret=-1 errno=Broken pipe'; fi; checked "seccomp ERRNO filter: root suspends it, replace works (oldkernel: cannot)"
victim seccomp-kill || exit 0
run $F --mode replace "$VP" 5
if [ -n "$SD" ]; then [ "$RC" = 3 ] && grep -q "kernel cannot suspend" "$T/err"
else [ "$RC" = 0 ] && seen '^exit'; fi; checked "seccomp KILL filter: root suspends it, target survives (oldkernel: cannot)"
victim seccomp-errno || exit 0
run "$HELP/oldkernel" -k 5.5 $FK --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q "suspending the target's seccomp filter needs" "$T/err"; checked "seccomp filter, fdclose itself filtered: cannot suspend, says why"
fi
victim strict || exit 0
expect_err "seccomp strict mode: injection refused" 3 'seccomp strict mode' \
    $F --mode replace "$VP" 5
run $F "$VP" 5
if [ -n "$SD" ]; then [ "$RC" = 3 ] && grep -q "seccomp strict mode" "$T/err"
else [ "$RC" = 0 ] && seen '^write1 ret=-1 errno=Broken pipe' && seen '^exit'; fi; checked "seccomp strict mode: shutdown (no injection) ends the write, no harm"
PRE=$NOBODY
victim seccomp-errno || exit 0
expect_err "seccomp filter, unprivileged: refused" 3 'seccomp filter of thread [0-9]+ could kill' \
    $NOBODY $F --mode replace "$VP" 5
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
run $NOBODY $F --force --mode replace "$VP" 5
[ "$RC" = 3 ] && \
    grep -q '^  action:  failed' "$T/out" && \
    grep -q 'replace: socket: Operation not permitted; nothing was changed$' "$T/err"; checked "seccomp ERRNO filter, --force: the failure is reported"
# Just after the detach the victim may not have re-entered sendto yet.
in_sendto() {
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q '^44 ' "/proc/$1/syscall" && return 0
		sleep 0.1
	done
	return 1
}
check "  ... and the victim is unharmed, still blocked" in_sendto "$VP"
fi
victim seccomp-kill || exit 0
expect_err "seccomp KILL filter, unprivileged: refused" 3 'seccomp filter of thread [0-9]+ could kill' \
    $NOBODY $F --mode replace "$VP" 5
PRE=

# --- unprivileged ---
victim send || exit 0
expect_err "nobody on root's process: refused" 3 'permission denied|Permission denied' \
    $NOBODY $F --mode replace "$VP" 5
check "  ... the victim is untouched" grep -q '^44 ' "/proc/$VP/syscall"
kill -KILL "$VP"
if [ -z "$QEMU" ]; then	# ptrace or sock_diag: not under qemu-user
PRE=$NOBODY
victim send || exit 0
run $NOBODY $F --mode replace "$VP" 5
[ "$RC" = 0 ] && seen '^send1 ret=-1 errno=Broken pipe'; checked "nobody on its own process: replace works"
PRE=
cat > "$T/v/uns.sh" <<EOF
ip link set lo up
"$V" send "$T/v/uns.out" &
p=\$!
i=0; while ! grep -q '^44 ' /proc/\$p/syscall; do i=\$((i+1)); [ \$i -gt 100 ] && break; sleep 0.05; done
"$F" --mode ${SD:-destroy} \$p 5 > "$T/v/uns.fd"
echo "rc=\$?" >> "$T/v/uns.fd"
wait \$p
EOF
$NOBODY unshare -Urn sh "$T/v/uns.sh" 2>"$T/v/uns.err"
VO=$T/v/uns.out
grep -q '^rc=0' "$T/v/uns.fd" && \
    seen "^send1 ret=-1 errno=$AB"; checked "destroy without root inside unshare -Urn"

# --- signals during the injection window (test-only hook) ---
victim send || exit 0
UNDEAD_HOOK_FILE=$T/v/hook1 UNDEAD_HOOK_MS=400 $H --mode replace "$VP" 5 \
    > "$T/v/h1.out" 2>&1 &
HP=$!
wait_file "$T/v/hook1" 50
kill -USR1 "$VP"; kill -TERM "$VP"
wait $HP
check "signals to the target mid-injection: delivered once each" \
    seen '^signals usr1=1 term=1'
check "  ... SIGUSR1 (no SA_RESTART) made the send return EINTR" \
    grep -q '^send1 ret=-1 errno=Interrupted' "$VO"
for s in INT TERM HUP TSTP; do
	victim send || exit 0
	UNDEAD_HOOK_FILE=$T/v/hook$s UNDEAD_HOOK_MS=400 \
	    env --default-signal=$s $H --mode replace "$VP" 5 \
	    > "$T/v/h$s.out" 2>&1 &
	HP=$!
	wait_file "$T/v/hook$s" 50
	kill -$s $HP
	wait $HP
	rc=$?
	[ "$rc" = 3 ] && grep -q 'interrupted by .* after completion' "$T/v/h$s.out"; checked "SIG$s to fdclose mid-injection: finishes, restores, exit 3"
	check "  ... the target survives and sees EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
done
victim send || exit 0
UNDEAD_HOOK_FILE=$T/v/hookK UNDEAD_HOOK_MS=400 $H --mode replace "$VP" 5 \
    > "$T/v/hK.out" 2>&1 &
HP=$!
wait_file "$T/v/hookK" 50
kill -KILL "$VP"
wait $HP
rc=$?
[ "$rc" = 3 ] && \
    grep -q 'target died during the injection' "$T/v/hK.out"; checked "target SIGKILLed mid-injection: reported, exit 3"

# SIGKILL cannot be blocked: killed inside the window, the thread resumes
# with the injected registers. At the rip-2 site that runs the injected
# call and the interrupted send "returns" its result; no crash (§4.12).
victim send || exit 0
UNDEAD_HOOK_FILE=$T/v/hookX UNDEAD_HOOK_MS=1000 $H --mode replace "$VP" 5 \
    > "$T/v/hX.out" 2>&1 &
HP=$!
wait_file "$T/v/hookX" 50
kill -KILL $HP
wait $HP 2>/dev/null
seen '^send1 ret=[0-9]+ errno=0' && [ -d "/proc/$VP" ] && \
    ! grep -q '^State:.*[TtZ] ' "/proc/$VP/status"; checked "fdclose SIGKILLed mid-injection (rip-2 site): the target does not crash"

# Variant E (syscall-entry hijack, the aarch64 protocol) forced on x86_64
# through the test hook: same outcomes.
victim send || exit 0
UNDEAD_HOOK_VARIANT=E run $H --mode replace "$VP" 5
[ "$RC" = 0 ] && seen '^send1 ret=-1 errno=Broken pipe'; checked "variant E: blocked send restarted on the placeholder (EPIPE)"
victim nanosleep || exit 0
UNDEAD_HOOK_VARIANT=E run $H --mode replace "$VP" 5
seen '^nanosleep' 50
m=$(ms nanosleep)
[ "$RC" = 0 ] && \
    [ "$m" -ge 2950 ] && [ "$m" -le 3050 ]; checked "variant E: nanosleep(3 s) still takes 3 s ($m ms)"
victim send || exit 0
UNDEAD_HOOK_VARIANT=E UNDEAD_HOOK_FILE=$T/v/hookE UNDEAD_HOOK_MS=400 \
    $H --mode replace "$VP" 5 > "$T/v/hE.out" 2>&1 &
HP=$!
wait_file "$T/v/hookE" 50
kill -USR1 "$VP"; kill -TERM "$VP"
wait $HP
check "variant E: signals mid-injection delivered once each" \
    seen '^signals usr1=1 term=1'
# Variant E on a thread that makes no system call: the deadline passes,
# it is stopped again (INTERRUPT, or under PTRACE_ATTACH a SIGSTOP of ours
# that is never delivered) and detached as it was.
victim busy || exit 0
UNDEAD_HOOK_VARIANT=E run $H --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q 'did not stop within 2000 ms; nothing was changed' \
    "$T/err" && seen '^busy rounds=[0-9]+ regs=ok' 40 && seen '^exit' 20
checked "variant E, no system call: deadline, nothing changed, not left stopped"

# --- a storm of queued signals inside the window: none dropped ---
# fds PID: its fd table, one "number target" line per fd.
fds() {
	for _f in /proc/$1/fd/*; do
		printf '%s %s\n' "${_f##*/}" "$(readlink "$_f")"
	done
}
# storm NAME ENV...: a send victim, its fd table in $T/v/NAME.fds, and the
# hooked replace of fd 5 (with ENV) getting 80 SIGRTMIN by sigqueue (values
# 0..79) inside its window: RC its status, $T/v/NAME.out its output; SENT
# 0 when all were sent while it was still in there.
storm() {
	_n=$1; shift
	victim send || return 1
	fds "$VP" > "$T/v/$_n.fds"
	env "$@" UNDEAD_HOOK_FILE="$T/v/$_n.hook" UNDEAD_HOOK_MS=1000 \
	    $H --mode replace "$VP" 5 > "$T/v/$_n.out" 2>&1 &
	_hp=$!
	wait_file "$T/v/$_n.hook" 50
	"$HELP/sigstorm" "$VP" 80 && kill -0 $_hp 2>/dev/null
	SENT=$?
	wait $_hp
	RC=$?
}
# same_fds NAME: the victim's fd table is what it was before the storm.
same_fds() { fds "$VP" > "$T/v/$1.after" && cmp -s "$T/v/$1.fds" "$T/v/$1.after"; }
# all_rt ORDER: after shutting its blocked send down, the victim reports
# all 80 SIGRTMIN, each with its siginfo (SI_QUEUE, one sender), the
# values in order if ORDER is 0 (else any).
all_rt() {
	run $F "$VP" 5
	seen "^rtinfo queued=80 misordered=${1:-0} otherpid=0" &&
	    seen '^signals usr1=0 term=0 rt=80'
}
storm storm1 || exit 0
[ "$SENT" = 0 ] && [ "$RC" = 0 ] && grep -q '^  signals: 80 arrived while it was stopped, held and sent on after (0 refused)' "$T/v/storm1.out"; checked "signal storm mid-injection (80 SIGRTMIN): done, every one held"
check "  ... the victim got all 80, in order, each with its siginfo" seen '^rtinfo queued=80 misordered=0 otherpid=0'
check "  ... and its next send failed on the placeholder" seen '^send2 ret=-1 errno=Broken pipe'
storm storm2 UNDEAD_HOOK_HELD_MAX=16 || exit 0
[ "$SENT" = 0 ] && [ "$RC" = 3 ] && grep -q 'replace: signals kept coming while the thread was stopped (16 held): gave up before socket; nothing was changed; 16 of 16 held signals delivered again$' "$T/v/storm2.out"; checked "signal storm past the hold limit (16, test hook): backs out, exit 3"
check "  ... the target's fd table is as it was" same_fds storm2
check "  ... all 80 signals delivered, each with its siginfo" all_rt '[0-9]+'
storm storm3 UNDEAD_HOOK_HELD_MAX=16 UNDEAD_HOOK_CALL=1 || exit 0
[ "$SENT" = 0 ] && [ "$RC" = 3 ] && grep -q 'replace: signals kept coming while the thread was stopped (80 held): gave up before dup3; the placeholder was closed again; nothing was changed; 80 of 80 held signals delivered again$' "$T/v/storm3.out"; checked "signal storm past the hold limit at dup3: backs out, exit 3"
check "  ... the placeholder was closed again: the fd table is as it was" same_fds storm3
check "  ... all 80 signals delivered, in order, with their siginfo" all_rt

# --- a failure after the placeholder was made leaves the fd table as it was ---
victim seccomp-dup3 || exit 0
fds "$VP" > "$T/v/dup3.fds"
run "$HELP/oldkernel" -k 5.5 $F --force --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q '^  action:  failed' "$T/out" && grep -q 'replace: dup3: .*; the placeholder was closed again; nothing was changed$' "$T/err"; checked "dup3 fails in the target (its seccomp filter, EBUSY): exit 3, says so"
check "  ... the placeholder was closed again: the fd table is as it was" same_fds dup3
check "  ... and the victim is unharmed, still blocked" in_sendto "$VP"
victim send || exit 0
fds "$VP" > "$T/v/emfile.fds"
i=0; while [ -e "/proc/$VP/fd/$i" ]; do i=$((i + 1)); done
prlimit --pid "$VP" --nofile=$i:$i
run $F --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q 'replace: socket: .*; nothing was changed$' "$T/err"; checked "no fd free for the placeholder (RLIMIT_NOFILE): exit 3, nothing changed"
check "  ... the fd table is as it was" same_fds emfile

# --- older kernels, simulated with seccomp on fdclose itself (oldkernel -k) ---
victim send || exit 0
LINES="^  method:  shutdown
^  method:  destroy: shutdown failed \(Function not implemented\)
^  action:  done"
expect_lines "no pidfd_getfd (5.3-5.5): auto falls back to destroy" 0 \
    "$HELP/oldkernel" -k 5.5 $FK "$VP" 5
check "  ... the victim got ECONNABORTED" seen '^send1 ret=-1 errno=Connection aborted'
victim send || exit 0
LINES="^  method:  destroy: no pidfd_getfd on this kernel
^  action:  done"
expect_lines "no pidfd_open (< 5.3): auto picks destroy" 0 \
    "$HELP/oldkernel" -k 5.2 $FK "$VP" 5
check "  ... the victim got ECONNABORTED" seen '^send1 ret=-1 errno=Connection aborted'
victim send || exit 0
run "$HELP/oldkernel" -k 5.2 $FK --mode replace "$VP" 5
[ "$RC" = 0 ] && seen '^send1 ret=-1 errno=Broken pipe'; checked "no pidfd_open: injection still pins by /proc dirfd and works"

# -v: each fallback named once (oldkernel: every one; natively none).
if [ -z "$QEMU" ]; then	# injection on oldkernel
victim send || exit 0
expect_v "-v names each fallback taken, once" 0 "fdclose: pidfd_open: not supported by this kernel (ENOSYS), pinning by /proc/PID dirfd and start time
fdclose: pidfd_getfd: not supported by this kernel (ENOSYS), SOCK_DESTROY or an injected shutdown instead
fdclose: sock_diag: not supported by this kernel (ENOENT), reading /proc/PID/net
fdclose: PTRACE_SEIZE: not supported by this kernel (EIO), attaching with PTRACE_ATTACH (its SIGSTOP is never delivered)
fdclose: SOCK_DESTROY: not supported by this kernel (ENOENT), no destroy (auto injects)" \
    $F -v "$VP" 5
check "  ... and the victim got EPIPE" seen '^send1 ret=-1 errno=Broken pipe'
fi
victim send || exit 0
expect_v "-v on a file: pidfd_open and statx" 0 "fdclose: pidfd_open: not supported by this kernel (ENOSYS), pinning by /proc/PID dirfd and start time
fdclose: statx: not supported by this kernel (ENOSYS), using fstatat" \
    $F -v --dry-run "$VP" 3
kill -KILL "$VP"

# --- a target in another network namespace (root) ---
cat > "$T/v/netns.sh" <<EOF2
ip link set lo up
exec "$V" send "$T/v/netns.out"
EOF2
spawn unshare -n sh "$T/v/netns.sh"
VP=$SPAWNED VO=$T/v/netns.out
wait_file "$VO" 50 && wait_call "$VP" send
LINES="^pid $VP \(fdclose_victim\) fd 5: TCP 127\.0\.0\.1:[0-9]+->127\.0\.0\.1:[0-9]+ \(ESTABLISHED
^  action:  done"
expect_lines "destroy in another netns (entered with setns)" 0 $F --mode ${SD:-destroy} "$VP" 5
check "  ... the victim got ECONNABORTED" seen "^send1 ret=-1 errno=$AB"

# A thread that never stops (vfork parent, D): the wait deadline fires,
# nothing was changed, and the target carries on once its child exits.
victim vfork || exit 0
sleep 0.3
run env UNDEAD_HOOK_ALLOW_D=1 $H --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q 'did not stop within 2000 ms; nothing was changed' "$T/err"; checked "D-state thread: the deadline fires, exit 3, nothing changed"
check "  ... the target carries on normally" seen '^exit' 50
not_traced() { ! grep -q "^TracerPid:[[:space:]]*[1-9]" "/proc/$1/status" 2>/dev/null; }
check "  ... and is not left traced" not_traced "$VP"

fi

# --- --null: /dev/null placeholder, path written under the stack ---
usage_err "--null with another mode" 'goes with --mode replace' \
    $F --null --mode shutdown 1 3
[ -n "$QEMU" ] && exit 0	# the rest is injection
victim send || exit 0
# The words fdclose borrows: (sp - 128 - 32) & ~15, sp from the syscall line.
sp=$(awk '{ print $(NF - 1) }' "/proc/$VP/syscall")
addr=$(( (sp - 160) & ~15 ))
words() { dd if="/proc/$VP/mem" bs=1 skip="$addr" count=32 2>/dev/null | od -An -tx1; }
w0=$(words)
run $F --null "$VP" 8
[ "$RC" = 0 ] && \
    [ "$(readlink "/proc/$VP/fd/8")" = /dev/null ]; checked "--null: fd 8 now /dev/null"
check "--null: close-on-exec still clear" no_cloexec "$VP" 8
[ -n "$w0" ] && [ "$(words)" = "$w0" ]; checked "--null: the stack words it borrowed are put back"
check "--null: the main thread went back into its send" wait_call "$VP" send
run $F --null "$VP" 5
check "--null on the blocked socket: send fails with ENOTSOCK" \
    seen '^send1 ret=-1 errno=(Not a socket|Socket operation on non-socket)'
victim seccomp-errno || exit 0
run "$HELP/oldkernel" -k 5.5 $FK --force --mode replace "$VP" 5
[ "$RC" = 3 ] && grep -q 'replace: socket: Operation not permitted; nothing was changed$' "$T/err"; checked "seccomp filter, cannot suspend, --force: injects under it, EPERM reported"
check "  ... the victim is unharmed" wait_call "$VP" send
victim send || exit 0
stop "$VP"
UNDEAD_HOOK_VARIANT=E run $H --force --mode replace "$VP" 5
[ "$RC" = 3 ] && \
    grep -q 'injecting would run it' "$T/err" && \
    grep -q '^State:.*T (stopped)' "/proc/$VP/status"; checked "variant E on a stopped thread: refused, nothing run"
kill -CONT "$VP"
check "  ... after SIGCONT it is still in its send" wait_call "$VP" send
