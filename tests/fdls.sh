# fdls CLI tests against a live victim with a known fd layout
# (tests/helpers/victim.c). Each check compares stdout and exit status.
. "$TOP/tests/lib.sh"
F=$BIN/fdls

mkdir -p "$T/v"
spawn "$HELP/victim" "$T/v" "$T/ready"
wait_file "$T/ready" || { fail victim "did not start"; exit 0; }
. "$T/ready"

expect "regular file with size and mode" 0 "3 rw REG 1000 $T/v/reg" \
    $F -r -n -o FD,MODE,TYPE,SIZE,NAME -d 3 "$VPID"
expect "deleted file keeps its size" 0 "4 w REG 4096 1 $T/v/gone\x20(deleted)" \
    $F -r -n -o FD,MODE,TYPE,SIZE,DEL,NAME -d 4 "$VPID"
expect "offset and size together" 0 "3 100 1000" \
    $F -r -n -o FD,POS,SIZE -d 3 "$VPID"
# Under qemu-user (VARIANT=aarch64) fdinfo's O_* bits are the x86_64
# kernel's, not arm64's (O_LARGEFILE and O_NOFOLLOW swap places): the arm64
# VM (tests/vm) has the kernel the aarch64 build decodes.
[ "$VARIANT" = aarch64 ] ||
expect "fdinfo flags decoded" 0 "4 append,largefile" \
    $F -r -n -o FD,FLAGS -d 4 "$VPID"
expect "pipe ends" 0 "5 r FIFO
6 w FIFO" $F -r -n -o FD,MODE,TYPE -d 5-6 "$VPID"
expect "tcp listener" 0 "9 TCP LISTEN 127.0.0.1:$VPORT -" \
    $F -r -n -o FD,TYPE,STATE,LOCAL,REMOTE -d 9 "$VPID"
expect "unread bytes show as RECVQ" 0 "11 ESTABLISHED 0 10" \
    $F -r -n -o FD,STATE,SENDQ,RECVQ -d 11 "$VPID"
run $F -r -n -o SENDQ -d 12 "$VPID"
[ "$RC" = 0 ] && [ "$(cat "$T/out")" -gt 0 ]; checked "unsent bytes show as SENDQ"
expect "remote endpoint" 0 "10 127.0.0.1:$VPORT" \
    $F -r -n -o FD,REMOTE -d 10 "$VPID"
expect "anon inodes by kind" 0 "14 eventfd
15 epoll" $F -r -n -o FD,TYPE -d 14,15 "$VPID"
expect "char device and directory" 0 "16 r CHR $(stat -c %i /dev/null)
17 r DIR $(stat -c %i "$T/v")" $F -r -n -o FD,MODE,TYPE,INODE -d 16-17 "$VPID"
# DEV and INODE of every kind, as stat -L of the fd link gives them: a
# device node's own number (as lsof and lsfd), else the file system's
# (sockfs, pipefs, anon_inodefs); an anon inode's INODE is its own.
devino() {
	for _f in 3 5 9 14 16 17; do
		case $(stat -L -c %F "/proc/$VPID/fd/$_f") in
		*special*) stat -L -c "$_f %Hr:%Lr %i" "/proc/$VPID/fd/$_f" ;;
		*) stat -L -c "$_f %Hd:%Ld %i" "/proc/$VPID/fd/$_f" ;;
		esac
	done
}
expect "DEV and INODE of files, devices, pipes, sockets, anon inodes" 0 \
    "$(devino)" $F -r -n -o FD,DEV,INODE -d 3,5,9,14,16,17 "$VPID"
expect "unix listener with path" 0 "18 UNIX LISTEN $T/v/sock" \
    $F -r -n -o FD,TYPE,STATE,LOCAL -d 18 "$VPID"
expect "type filter" 0 "9
10
11
12
13" $F -r -n -o FD -t TCP "$VPID"
expect "type filter groups" 0 "$(printf '%s\n' 7 8 9 10 11 12 13 18 20 21
    [ "$VPORT6" = 0 ] || echo 22; echo 23; echo 24)" $F -r -n -o FD -t SOCK "$VPID"
expect "--deleted" 0 "4" $F -r -n -o FD --deleted "$VPID"
expect "every fd, also past a gap of closed ones" 0 \
    "$(seq 0 21; [ "$VPORT6" = 0 ] || echo 22; echo 23; echo 24; echo 100)" \
    $F -r -n -o FD "$VPID"
run $F -r -n -o FD,TYPE,STATE,LOCAL,REMOTE -d 24 "$VPID"
[ "$RC" = 0 ] &&
    grep -qx '24 UDP ESTABLISHED 127\.0\.0\.1:[1-9][0-9]* 127\.0\.0\.1:9' "$T/out"
checked "connected UDP socket with both endpoints"
expect "a socket family sock_diag does not list" 0 "23 NETLINK" \
    $F -r -n -o FD,TYPE -d 23 "$VPID"
expect "accepted unix sockets show the listener's path" 0 \
    "18 LISTEN $T/v/sock
20 CONNECTED -
21 CONNECTED $T/v/sock" $F -r -n -o FD,STATE,LOCAL -d 18,20,21 "$VPID"
if [ "$VPORT6" != 0 ]; then
	expect "tcp6 listener" 0 "22 TCP6 LISTEN [::1]:$VPORT6" \
	    $F -r -n -o FD,TYPE,STATE,LOCAL -d 22 "$VPID"
else
	skip "tcp6 listener" "no IPv6 loopback here"
fi
expect "pipe peer in another process" 0 "19 $VCHILD,victim,3w" \
    $F -r -n -o FD,PEER --peers -d 19 "$VPID"
expect "PEER alone implies --peers (it crashed on TCP without)" 0 \
    "10 $VPID,victim,11u
19 $VCHILD,victim,3w" $F -r -n -o FD,PEER -d 10,19 "$VPID"
# A named FIFO: its other end is found by path, then by file.
mkfifo "$T/fifo"
spawn sh -c 'exec sleep 300 < "$0"' "$T/fifo"; FR=$SPAWNED
spawn sh -c 'exec sleep 300 > "$0"' "$T/fifo"; FW=$SPAWNED
wait_fifo() {	# until both have opened it and are sleep
	for _i in $(seq 100); do
		[ "$(readlink "/proc/$FR/fd/0")" = "$T/fifo" ] &&
		    [ "$(readlink "/proc/$FW/fd/1")" = "$T/fifo" ] &&
		    [ "$(cat "/proc/$FR/comm" "/proc/$FW/comm")" = "sleep
sleep" ] && return 0
		sleep 0.05
	done
	return 1
}
wait_fifo
expect "named FIFO: the reader's peer is the writer" 0 \
    "0 FIFO $FW,sleep,1w $T/fifo" $F -r -n -o FD,TYPE,PEER,NAME -d 0 "$FR"
expect "named FIFO: the writer's peer is the reader" 0 "1 $FR,sleep,0r" \
    $F -r -n -o FD,PEER --peers -d 1 "$FW"
# A unix socket's peer comes from unix_diag only, which qemu-user refuses
# (NETLINK_SOCK_DIAG) and oldkernel's sock_diag lacks; their passes check
# the tcp peer (/proc/PID/net/tcp).
if [ "$VARIANT" = aarch64 ] || [ "$VARIANT" = oldkernel ]; then
	expect "tcp peers" 0 "10 $VPID,victim,11u" \
	    $F -r -n -o FD,PEER --peers -d 10 "$VPID"
else
	expect "unix and tcp peers" 0 "7 $VPID,victim,8u
10 $VPID,victim,11u" $F -r -n -o FD,PEER --peers -d 7,10 "$VPID"
fi
# A dual-stack client: an IPv6 socket connected to ::ffff:127.0.0.1 is
# the peer of the IPv4 socket that accepted it (one process holds both:
# fds 3 listener, 4 client, 5 accepted).
if [ "$VPORT6" != 0 ]; then
	spawn python3 -c '
import os, socket, sys, time
l = socket.socket(socket.AF_INET); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.socket(socket.AF_INET6)
c.connect(("::ffff:127.0.0.1", l.getsockname()[1]))
a, _ = l.accept()
assert (l.fileno(), c.fileno(), a.fileno()) == (3, 4, 5)
open(sys.argv[1], "w").write("ok\n")
time.sleep(300)' "$T/dual"
	wait_file "$T/dual" || fail "dual-stack pair" "did not start"
	expect "v4-mapped IPv6 client and its IPv4 peer" 0 \
	    "4 TCP6 $SPAWNED,python3,5u
5 TCP $SPAWNED,python3,4u" $F -r -n -o FD,TYPE,PEER -d 4,5 "$SPAWNED"
fi
expect "default columns" 0 "PID COMM FD MODE TYPE SIZE NAME
$VPID victim 3 rw REG 1000 $T/v/reg" $F -r -d 3 "$VPID"
expect "table alignment" 0 "$(printf '%s\n%s\n%s' \
    "FD TYPE SIZE" \
    " 3 REG  1000" \
    "16 CHR     -")" $F -o FD,TYPE,SIZE -d 3,16 "$VPID"
expect "json numbers are numbers" 0 '{
   "fds": [
      {"fd": 3, "size": 1000, "del": false, "type": "REG"}
   ]
}' $F -J -o FD,SIZE,DEL,TYPE -d 3 "$VPID"
# A name with a newline, a backslash, a quote, UTF-8 and a byte that is
# not UTF-8: JSON gives it back exactly (\u000a, \udcff: surrogateescape).
odd="$T/$(printf 'a\nb\\c"d\303\251e\377f')"
: > "$odd"
spawn sh -c 'exec sleep 300 3< "$0"' "$odd"; OP=$SPAWNED
wait_fd() { for _i in $(seq 50); do [ -e "/proc/$OP/fd/3" ] &&
    [ "$(cat "/proc/$OP/comm")" = sleep ] && return 0; sleep 0.05; done; }
wait_fd
run $F -J -o NAME -d 3 "$OP"
[ "$RC" = 0 ] && python3 -c 'import json, os, sys
d = json.load(open(sys.argv[1]))
assert os.fsencode(d["fds"][0]["name"]) == os.fsencode(sys.argv[2])' \
    "$T/out" "$odd"
checked "-J: a name with odd bytes comes back exactly"
expect "-o + extends the defaults" 0 "PID COMM FD MODE TYPE SIZE NAME INODE" \
    sh -c "$F -r -o +INODE -d 3 $VPID | head -n 1"
expect "sort by size (added as a column)" 0 "16 -
3 1000
4 4096" $F -r -n -o FD --sort SIZE -d 3,4,16 "$VPID"

# Two processes in one table: the columns are measured over both.
expect "table alignment across processes" 0 "$(printf '%*s %s\n' \
    "${#VPID}" PID "FD TYPE" "${#VPID}" "$VPID" " 3 REG" "${#VPID}" \
    "$VCHILD" " 3 FIFO" | sed 's/^\( *PID\) FD/\1 FD/')" \
    $F -o PID,FD,TYPE -d 3 "$VPID" "$VCHILD"

# A name whose escaped text is longer than out.c's row buffer (8 KiB).
long=$T/$(i=0; while [ $i -lt 12 ]; do printf '%0200d/' 0 | tr 0 '\001'
    i=$((i + 1)); done)f
mkdir -p "${long%/f}" && : > "$long"
spawn sh -c 'exec 7<"$1"; exec sleep 600' sh "$long"
LPID=$SPAWNED
esc=$(printf '%s' "$long" | sed 's/\x01/\\x01/g')
i=0; while [ "$(readlink "/proc/$LPID/fd/7" 2>/dev/null)" != "$long" ] &&
    [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect "a cell longer than a row buffer" 0 "FD NAME
 7 $esc" $F -o FD,NAME -d 7 "$LPID"
run $F -o NAME,FD -d 7 "$LPID"
[ "$RC" = 0 ] && [ "$(sed -n 2p "$T/out")" = "$esc  7" ] &&
    [ "$(sed -n 1p "$T/out" | wc -c)" = $((${#esc} + 4)) ]
checked "  ... and padded, as the first of two columns"

# A process with more sockets than are looked up one by one: its own
# are read from the namespace's tables, and all of them resolved.
mkdir -p "$T/many"
spawn "$HELP/victim" -n 400 "$T/many" "$T/ready.many"
wait_file "$T/ready.many" || fail "many victim" "did not start"
MPID=$(sed -n 's/^VPID=//p' "$T/ready.many")
run $F -r -n -o TYPE "$MPID"
nsock=$(find "/proc/$MPID/fd" -lname 'socket:*' | wc -l)
[ "$RC" = 0 ] && [ "$nsock" -gt 100 ] &&
    [ "$(grep -Ecx 'TCP|UNIX|NETLINK|UDP|UDP6|TCP6' "$T/out")" = "$nsock" ] &&
    [ "$(grep -cx NETLINK "$T/out")" = 1 ] &&
    [ "$(grep -cx UDP "$T/out")" = 1 ]
checked "many sockets: every one resolved ($nsock)"
# The families dumped last (UDP, IPv6) when the first dumps found all
# but a few: looked up one by one, or dumped where that is not possible.
if [ -f /proc/net/if_inet6 ]; then
	run $F -r -n -o TYPE,STATE,LOCAL -t UDP6,TCP6 "$MPID"
	[ "$RC" = 0 ] && grep -q '^UDP6 UNCONN \[::1\]:[1-9][0-9]*$' "$T/out" &&
	    grep -q '^TCP6 LISTEN \[::1\]:[1-9][0-9]*$' "$T/out"
	checked "many sockets: UDP6 and TCP6, dumped last, resolved"
fi
# A dump walks every socket of its protocol in the namespace: where the
# kernel lets fdls duplicate a socket (pidfd_getfd), the few sockets the
# first dumps left (UDP, IPv6, and every socket of a process with few) are
# asked for one by one.
dumps() {	# dumps FDLS-ARGS...: the sock_diag dump requests fdls makes
	# (strace names the flags of a request it decodes, else 0x300)
	strace -f -e trace=sendto -o "$T/strace" $F "$@" > /dev/null &&
	    grep -cE 'NLM_F_DUMP|NLM_F_REQUEST\|0x300' "$T/strace"
}
# (pidfd_getfd: 5.6)
kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
if [ "$VARIANT" = native ] && [ "$kv" -ge 5006 ] &&
    command -v strace > /dev/null; then
	check "many sockets: no dump after UNIX and TCP" \
	    [ "$(dumps -o TYPE "$MPID")" = 2 ]
	check "few sockets, UDP among them: no dump" \
	    [ "$(dumps -o TYPE,LOCAL -d 9-13,24 "$VPID")" = 0 ]
fi
run $F -r -n -o FD,TYPE,STATE,RECVQ,NAME -t TCP "$MPID"
[ "$RC" = 0 ] && grep -q "^[0-9]* TCP ESTABLISHED 6 127\.0\.0\.1:" "$T/out" &&
    grep -q '^[0-9]* TCP LISTEN 0 127\.0\.0\.1:[0-9]*\\x20(LISTEN)$' "$T/out"
checked "many sockets: endpoints, states and queues"
if [ "$VARIANT" != aarch64 ] && [ "$VARIANT" != oldkernel ]; then	# unix_diag
	run $F -r -n -o FD,PEER --peers -t UNIX "$MPID"
	[ "$RC" = 0 ] && [ "$(grep -c " $MPID,victim,[0-9]*u$" "$T/out")" -ge 60 ]
	checked "many sockets: unix peers"
fi
run $F -a -t TCP -r -n -o PID,FD
check "-a: sockets resolved too" grep -qx "$VPID 9" "$T/out"

# -a finds the victim's deleted file among every process's fds
run $F -a --deleted -r -n -o PID,FD,SIZE,NAME
check "-a --deleted finds it" grep -qx "$VPID 4 4096 $T/v/gone\\\\x20(deleted)" "$T/out"
run $F -a -u nobody -r -n -o PID
[ "$RC" -le 1 ] && ! grep -qx "$VPID" "$T/out"; checked "-a -u filters by user"
run $F --maps -r -n -o FD,TYPE,NAME "$VPID"
check "--maps lists the mapped binary" grep -q "^mem REG .*victim" "$T/out"
# A process that maps a SysV segment (private key): TYPE SYSV, -t SYSV.
spawn "$HELP/ipcsweep_mk" -a -H "$T/shmid" shm 4096 > /dev/null
SHP=$SPAWNED
if wait_file "$T/shmid"; then
	SHMID=$(cat "$T/shmid")
	at_exit "ipcrm -m $SHMID 2>/dev/null"
	expect "--maps: a SysV segment is TYPE SYSV, and -t SYSV takes it" 0 \
	    "mem SYSV $SHMID /SYSV00000000" \
	    $F --maps -t SYSV -r -n -o FD,TYPE,INODE,NAME "$SHP"
	run $F --maps -t REG -r -n -o TYPE "$SHP"
	check "--maps -t REG: every mapping, the segment too" grep -qx SYSV "$T/out"
else
	fail "--maps SYSV" "ipcsweep_mk did not start"
fi

# Sockets inside another network namespace are that namespace's.
if command -v unshare >/dev/null && unshare -Urn true 2>/dev/null; then
	mkdir -p "$T/v2"
	unshare -Urn sh -c 'ip link set lo up 2>/dev/null;
	    exec "$0" "$1" "$2"' "$HELP/victim" "$T/v2" "$T/ready2" &
	NSPID=$!
	at_exit "kill -KILL $NSPID 2>/dev/null"
	mkdir -p "$T/v2"
	wait_file "$T/ready2" || fail "netns victim" "did not start"
	. "$T/ready2"
	expect "netns: listener seen in its namespace" 0 \
	    "9 LISTEN 127.0.0.1:$VPORT" \
	    $F -r -n -o FD,STATE,LOCAL -d 9 "$VPID"
	expect "netns: queues seen in its namespace" 0 "11 10" \
	    $F -r -n -o FD,RECVQ -d 11 "$VPID"
else
	skip "netns" "unshare -Urn is not permitted here"
fi

# Errors and exit statuses
expect_err "no such process" 1 "^fdls: no such process: 999999999$" $F 999999999
expect_err "not a pid" 2 "^fdls: not a process id: 12x$" $F 12x
expect_err "unknown column" 2 "^fdls: unknown column: BOGUS" $F -o PID,BOGUS 1
expect_err "unknown type" 2 "^fdls: unknown type: TPC" $F -t TPC 1
expect_err "bad fd list" 2 "^fdls: bad fd list: 5-3" $F -d 5-3 1
expect_err "an empty item in a type list, as in -d" 2 \
    "^fdls: bad type list: 'TCP,'" $F -t TCP, 1
expect_err "no operands" 2 "no process given" $F
expect_err "-a with pids" 2 "-a takes no PID" $F -a 1
expect "nothing matched" 1 "" $F -d 900 "$VPID"
if is_root; then
	run setpriv --reuid=nobody --regid=nogroup --clear-groups $F "$VPID"
	check "unprivileged: named process unreadable is status 3" [ "$RC" = 3 ]
	check "unprivileged: message says why" \
	    grep -q "permission denied (the process belongs to root" "$T/err"
	# A process that dropped root for nobody without an exec is nobody's
	# but not dumpable: only root reads its fds.
	spawn "$HELP/ipcsweep_mk" -u 65534 -H "$T/nd" shm 64 > /dev/null
	NDP=$SPAWNED
	if wait_file "$T/nd"; then
		at_exit "ipcrm -m $(cat "$T/nd") 2>/dev/null"
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    $F "$NDP"
		[ "$RC" = 3 ] && grep -q "permission denied (the process is ours but not dumpable" "$T/err"
		checked "unprivileged: our own process, not dumpable: says so"
	fi
	run setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    $F -a -v -o PID
	grep -Eq "^fdls: [0-9]+ process(es)? passed over: permission denied" "$T/err"
	checked "unprivileged -a -v: counts the processes passed over"
else
	skip "unprivileged" "needs root to drop to nobody"
fi
expect "help to stdout, status 0" 0 "$($F -h)" $F --help
run $F -V
check "-V names tool, libc and arch" grep -Eq "^fdls [0-9.]+ \((musl|glibc), $VARCH, " "$T/out"

# A closed stdout is an error, a closed pipe is not.
expect_err "write error: status 3 and says so" 3 \
    '^fdls: write standard output: Bad file descriptor$' sh -c "$F $VPID >&-"

# -v: statx, sock_diag and pidfd_getfd fallbacks (oldkernel), the same rows.
expect_v "-v names the fallbacks taken" 0 "fdls: pidfd_getfd: not supported by this kernel (ENOSYS), reading the namespace's sockets
fdls: statx: not supported by this kernel (ENOSYS), using fstatat
fdls: sock_diag: not supported by this kernel (ENOENT), reading /proc/PID/net (no unix peers)" \
    $F -v -r -n -o FD,TYPE,SIZE,STATE,LOCAL -d 3,9 "$VPID"
check "-v: the rows are the same" cmp -s "$T/out" - <<EOT
3 REG 1000 - -
9 TCP - LISTEN 127.0.0.1:$VPORT
EOT

# A file whose FUSE daemon answers nothing any more (a dead NFS server
# alike): readlink, fdinfo and statx(AT_STATX_DONT_SYNC) ask it nothing, so
# fdls does not wait on it. (oldkernel's fstatat would: native only.)
dead_fuse() {
	fuse_up "dead FUSE server" dead || return
	DP=$FUSE_V
	_i=0
	until grep -q '^dead' "$T/fuse.log"; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && break; sleep 0.05
	done
	mnt=$(sed -n 's/^\([0-9]*\) .* - fuse\.fusehang .*/\1/p' \
	    /proc/self/mountinfo)
	expect "a file on a dead FUSE server: listed, nothing waits" 0 \
	    "3 REG 0 2 $mnt $T/fuse/f" timeout 20 \
	    $F -r -n -o FD,TYPE,SIZE,INODE,MNTID,NAME -d 3 "$DP"
	run timeout 60 $F -a --deleted --peers -o PID
	check "  ... and -a --deleted --peers goes past it" [ "$RC" -le 1 ]
	expect_err "  ... fdclose refuses it as quickly" 3 "refusing replace: a file on fuse\.fusehang" \
	    timeout 20 $BIN/fdclose --mode replace "$DP" 3
}
if [ "$VARIANT" = native ] && is_root; then
	dead_fuse
fi

# The options in the code, -h and the man page agree.
sh "$TOP/tests/optcheck.sh" fdls
