# Rescue environments: /proc not mounted; /etc/passwd and /etc/group
# absent, empty or unreadable; a read-only root without a writable /tmp;
# PostgreSQL in another PID namespace. Mounts change only inside private
# mount namespaces, each held by a sleeping process the tools are run in
# with nsenter: the host's mounts are never touched.
. "$TOP/tests/lib.sh"

if ! is_root; then
	skip "rescue environments" "needs root (private mount namespaces)"
	exit 0
fi
for c in unshare nsenter setpriv ipcmk; do
	if ! command -v $c >/dev/null 2>&1; then
		skip "rescue environments" "$c is not installed (util-linux)"
		exit 0
	fi
done
if ! unshare -m --propagation private true 2> "$T/unshare.err"; then
	skip "rescue environments" "no mount namespaces here: $(head -n 1 "$T/unshare.err")"
	exit 0
fi
SELF_MNT=$(readlink /proc/self/ns/mnt)
FIX='/proc is not mounted: mount -t proc proc /proc'
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# mkns: NS = the PID of a process alone in a new private mount namespace.
mkns() {
	unshare -m --propagation private sleep 600 &
	NS=$!
	at_exit "kill $NS 2>/dev/null; wait $NS 2>/dev/null"
	_i=0
	while _m=$(readlink "/proc/$NS/ns/mnt" 2>/dev/null) &&
	    [ "$_m" = "$SELF_MNT" ]; do
		_i=$((_i + 1))
		[ "$_i" -gt 100 ] && break
		sleep 0.05
	done
	[ -n "$_m" ] && [ "$_m" != "$SELF_MNT" ]
}

# inns CMD...: CMD in NS's mount namespace; refused when that is ours.
inns() {
	if [ "$(readlink "/proc/$NS/ns/mnt" 2>/dev/null)" = "$SELF_MNT" ]; then
		echo "rescue.sh: namespace $NS is not private" >&2
		return 99
	fi
	nsenter -t "$NS" -m -- "$@"
}

# quiet NAME RC EXPECTED CMD...: expect, and nothing on stderr.
quiet() {
	_q=$1
	expect "$@" > "$T/q"
	if grep -q '^PASS' "$T/q" && [ -s "$T/err" ]; then
		fail "$_q" "stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
	else
		cat "$T/q"
	fi
}

# alive PID: the process exists and is no zombie.
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status"; }

# A victim, a segment, a stale pid file: what the tools look at.
spawn sleep 120
V=$SPAWNED
ID=$(ipcmk -M 4096 | awk '{print $NF}')
[ -n "$ID" ] && at_exit "ipcrm -m $ID 2>/dev/null"
mkdir -m 700 "$T/pg"
sleep 0 &
DEAD=$!
wait "$DEAD"
printf '%s\n' "$DEAD" "$T/pg" 1700000000 5432 /tmp '*' \
    '  5432001     65541' 'ready   ' > "$T/pg/postmaster.pid"

# ---- /proc not mounted ------------------------------------------------
# noproc HOW: every tool that reads /proc stops with the fix, exit 3.
noproc() {
	_w=$1
	if ! inns sh -c '! [ -e /proc/self/stat ]'; then
		fail "$_w: /proc is gone" "the namespace still has /proc"
		return
	fi
	expect_err "$_w: fdls PID" 3 "^fdls: $FIX\$" inns "$BIN/fdls" "$V"
	expect_err "$_w: fdls -a" 3 "^fdls: $FIX\$" inns "$BIN/fdls" -a
	expect_err "$_w: pxkill -KILL PID" 3 "^pxkill: $FIX\$" \
	    inns "$BIN/pxkill" -KILL "$V"
	check "$_w: pxkill signalled nothing" alive "$V"
	expect_err "$_w: pxkill -u 0 --dry-run" 3 "^pxkill: $FIX\$" \
	    inns "$BIN/pxkill" -u 0 --dry-run
	expect_err "$_w: fdclose PID FD" 3 "^fdclose: $FIX\$" \
	    inns "$BIN/fdclose" "$V" 1
	expect_err "$_w: pgpidinfo -D" 3 "^pgpidinfo: $FIX\$" \
	    inns "$BIN/pgpidinfo" -D "$T/pg"
	expect_err "$_w: ipcsweep --unattached" 3 "^ipcsweep: $FIX\$" \
	    inns "$BIN/ipcsweep" -m --unattached
	expect_err "$_w: ipcsweep --pg" 3 "^ipcsweep: $FIX\$" \
	    inns "$BIN/ipcsweep" --pg "$T/pg"
	expect_err "$_w: ipcsweep -o +ATTACHED" 3 "^ipcsweep: $FIX\$" \
	    inns "$BIN/ipcsweep" -m -o +ATTACHED
	# The SysV calls need no /proc: listing by id still works.
	quiet "$_w: ipcsweep -m --id still lists (shmctl)" 0 "$ID 0" \
	    inns "$BIN/ipcsweep" -m --id "$ID" -o ID,NATTCH -n -r
	for t in fdls pxkill fdclose pgpidinfo ipcsweep; do
		run inns "$BIN/$t" -V
		[ "$RC" = 0 ] && grep -q "^$t " "$T/out"; checked "$_w: $t -V"
	done
}

if ! mkns; then
	fail "private mount namespace" "unshare -m did not give one"
	exit 0
fi
if inns mount -t tmpfs -o size=64k,mode=555 undead-noproc /proc; then
	noproc "tmpfs on /proc"
else
	fail "tmpfs on /proc" "mount failed"
fi
if mkns && inns umount -l /proc; then
	noproc "/proc unmounted"
else
	fail "/proc unmounted" "umount failed"
fi

# ---- /etc/passwd and /etc/group absent, empty, unreadable -------------
spawn sh -c "exec $NOBODY sleep 120 < /dev/null"
N=$SPAWNED
_i=0
while [ "$(cat "/proc/$N/comm" 2>/dev/null)" != sleep ] && [ $_i -lt 100 ]; do
	sleep 0.05
	_i=$((_i + 1))
done
mkdir -m 700 "$T/pgn"
cp "$T/pg/postmaster.pid" "$T/pgn/"
sed -i "2s|.*|$T/pgn|" "$T/pgn/postmaster.pid"
chown -R 65534:65534 "$T/pgn"

# ids WHAT [PREFIX...]: names are numbers, and nothing is an error.
ids() {
	_w=$1
	shift
	quiet "$_w: fdls USER" 0 "$N 65534" \
	    inns "$@" "$BIN/fdls" -o PID,USER -n -r -d 0 "$N"
	quiet "$_w: pxkill USER" 0 "$N 65534" \
	    inns "$@" "$BIN/pxkill" --dry-run -o PID,USER -n -r "$N"
	quiet "$_w: pxkill -u UID" 0 "$N 65534" \
	    inns "$@" "$BIN/pxkill" --dry-run -o PID,UID -n -r -u 65534 -x sleep
	quiet "$_w: ipcsweep OWNER, CREATOR" 0 "$ID 0 0" \
	    inns "$@" "$BIN/ipcsweep" -m --id "$ID" -o ID,OWNER,CREATOR -n -r
	LINES="^data dir +$T/pgn \\(owner 65534\\)\$
^verdict +stale: "
	expect_lines "$_w: pgpidinfo owner" 1 \
	    inns "$@" "$BIN/pgpidinfo" -D "$T/pgn"
	check "$_w: pgpidinfo: no error" test ! -s "$T/err"
}

if mkns && inns mount -t tmpfs -o size=64k undead-noetc /etc &&
    inns sh -c '! [ -e /etc/passwd ] && ! [ -e /etc/group ]'; then
	ids "/etc absent"
else
	fail "/etc absent" "could not hide /etc"
fi
if mkns && inns mount --bind /dev/null /etc/passwd &&
    inns mount --bind /dev/null /etc/group; then
	ids "/etc/passwd empty"
else
	fail "/etc/passwd empty" "could not bind /dev/null"
fi
cp /etc/passwd "$T/passwd" && cp /etc/group "$T/group" &&
    chmod 000 "$T/passwd" "$T/group"
if mkns && inns mount --bind "$T/passwd" /etc/passwd &&
    inns mount --bind "$T/group" /etc/group &&
    ! inns $NOBODY cat /etc/passwd >/dev/null 2>&1; then
	ids "/etc/passwd unreadable" $NOBODY
	# nobody may not read root's process: the warning names a number
	expect_err "/etc/passwd unreadable: fdls warning names the uid" 3 \
	    "^fdls: .*belongs to uid 0" inns $NOBODY "$BIN/fdls" "$V"
else
	fail "/etc/passwd unreadable" "could not bind a mode 000 copy"
fi
quiet "/etc/passwd present: the same process has its name" 0 nobody \
    "$BIN/fdls" -o USER -n -r -d 0 "$N"

# ---- read-only root, no writable /tmp ---------------------------------
"$HELP/victim" "$T" "$T/ready" &
at_exit "kill -KILL $! 2>/dev/null; wait $! 2>/dev/null"
wait_file "$T/ready" || fail "victim" "not ready"
. "$T/ready"
SHM=undead-rescue-$$
: > "/dev/shm/$SHM"
at_exit "rm -f /dev/shm/$SHM"
RO=$(ipcmk -M 4096 | awk '{print $NF}')
[ -n "$RO" ] && at_exit "ipcrm -m $RO 2>/dev/null"

# written WHAT CMD...: CMD (run outside the namespace, under strace) opens
# nothing for writing and creates, removes, renames or changes no file;
# and it ran (not a usage error, a crash or a missing binary: a tool that
# stopped early would write nothing too).
written() {
	_w=$1
	shift
	if ! command -v strace >/dev/null 2>&1; then
		skip "$_w: writes nothing: ${*##*/}" "strace is not installed"
		return
	fi
	strace -f -qq -o "$T/strace" -e trace=%file,ftruncate,fchmod,fchown \
	    "$@" > /dev/null 2>&1
	_rc=$?
	grep -E '^[0-9]+ +((open|openat|openat2)\(.*(O_WRONLY|O_RDWR|O_CREAT|O_TRUNC)|(creat|mkdir|mkdirat|mknod|mknodat|unlink|unlinkat|rmdir|rename|renameat|renameat2|link|linkat|symlink|symlinkat|truncate|ftruncate|chmod|fchmod|fchmodat|chown|lchown|fchown|fchownat|utime|utimes|utimensat|setxattr|lsetxattr|removexattr|lremovexattr)\()' \
	    "$T/strace" > "$T/writes"
	[ "$_rc" = 2 ] || [ "$_rc" -gt 4 ] && echo "exit status $_rc" >> "$T/writes"
	if [ -s "$T/strace" ] && ! [ -s "$T/writes" ]; then
		pass "$_w: writes nothing: ${*#"$BIN"/}"
	else
		fail "$_w: writes nothing: ${*#"$BIN"/}" \
		    "$(head -c 400 "$T/writes" | tr '\n' '|')"
	fi
}

# Every mount but /proc and /sys read-only, per mount (MS_REMOUNT|MS_BIND
# changes that mount of this namespace only): never a superblock remount,
# which would make the host's file systems read-only too.
# shellcheck disable=SC2016
rdonly='awk "\$4 !~ /^ro(,|\$)/ {print \$2}" /proc/self/mounts | sort -u |
while read -r m; do
	case $m in /proc|/proc/*|/sys|/sys/*|*\\*) continue ;; esac
	mount -o remount,bind,ro "$m" || exit 1
done'
probe='for d in / /tmp /var/tmp /dev/shm /dev "$1"; do
	if touch "$d/.undead-rw-probe" 2>/dev/null; then
		rm -f "$d/.undead-rw-probe"; exit 1
	fi
done'
if mkns && inns sh -c "$rdonly" && inns sh -c "$probe" sh "$T"; then
	ro="read-only root"
	LINES="^12 TCP ESTABLISHED
^19 FIFO"
	expect_lines "$ro: fdls PID" 0 inns "$BIN/fdls" -o FD,TYPE,STATE -n -r "$VPID"
	LINES="^$VPID 4\$"
	expect_lines "$ro: fdls -a --deleted" 0 \
	    inns "$BIN/fdls" -a --deleted -o PID,FD -n -r
	quiet "$ro: fdls --peers" 0 "19 $VCHILD,victim,3w" \
	    inns "$BIN/fdls" --peers -o FD,PEER -n -r -d 19 "$VPID"
	expect_sorted "$ro: pxkill --dry-run --tree" 0 "$VPID
$VCHILD" inns "$BIN/pxkill" --dry-run -o PID -n -r --tree "$VPID"
	LINES='^  action:  none \(dry run\)'
	expect_lines "$ro: fdclose --dry-run" 0 inns "$BIN/fdclose" --dry-run "$VPID" 12
	LINES='^  action:  done
^  socket:  FIN_WAIT1 \(shut down\)'
	expect_lines "$ro: fdclose shuts the socket down" 0 \
	    inns "$BIN/fdclose" "$VPID" 12
	quiet "$ro: ipcsweep --posix lists /dev/shm" 0 "$SHM" \
	    inns sh -c '"$1" --posix -u 0 -o NAME -n -r | grep -x "$2"' sh \
	    "$BIN/ipcsweep" "$SHM"
	LINES="^would remove shm $RO "
	expect_lines "$ro: ipcsweep --remove --dry-run" 0 \
	    inns "$BIN/ipcsweep" -m --id "$RO" --remove --dry-run
	LINES="^removed shm $RO "
	expect_lines "$ro: ipcsweep --remove" 0 \
	    inns "$BIN/ipcsweep" -m --id "$RO" --remove
	check "$ro: the segment is gone" \
	    sh -c "! awk '{print \$2}' /proc/sysvipc/shm | grep -qx $RO"
	LINES='^verdict +stale: '
	expect_lines "$ro: pgpidinfo -D" 1 inns "$BIN/pgpidinfo" -D "$T/pg"
	written "$ro" "$BIN/fdls" "$VPID"
	written "$ro" "$BIN/fdls" -a --deleted
	written "$ro" "$BIN/fdls" --peers -d 19 "$VPID"
	written "$ro" "$BIN/pxkill" --dry-run --tree "$VPID"
	written "$ro" "$BIN/fdclose" --dry-run "$VPID" 10
	written "$ro" "$BIN/fdclose" "$VPID" 10
	written "$ro" "$BIN/ipcsweep" --posix -o +ATTACHED
	written "$ro" "$BIN/ipcsweep" --pg "$T/pg"
	written "$ro" "$BIN/pgpidinfo" -D "$T/pg"
	LINES="^ *$VPID .* exited\$
^ *$VCHILD .* exited\$"
	expect_lines "$ro: pxkill -KILL --tree --wait" 0 \
	    inns "$BIN/pxkill" -KILL --wait=5 --tree "$VPID"
	check "$ro: victim and child are gone" \
	    sh -c "! [ -d /proc/$VPID ] || grep -q '^State:.*Z' /proc/$VPID/status"
else
	fail "read-only root" "could not make every mount read-only"
fi

# ---- PostgreSQL in another PID namespace ------------------------------
. "$TOP/tests/pg.sh"

# pgns_stop: a fast shutdown through the postmaster's PID here, then the
# namespace's init killed (and with it all in the namespace). A file left
# behind names PID 2 of a namespace that is gone: pg_cleanup's pg_ctl
# must not signal PID 2 here, so its segment and the file go first.
pgns_stop() {
	[ -n "$PM" ] && kill -INT "$PM" 2>/dev/null && wait_gone "$PM" 100
	[ -n "$NSI" ] && kill -KILL "$NSI" 2>/dev/null
	wait "$NSU" 2>/dev/null
	if [ -f "$D/postmaster.pid" ]; then
		_id=$(sed -n 7p "$D/postmaster.pid" | awk '{print $2}')
		[ -n "$_id" ] && awk -v i="$_id" -v u="$(id -u postgres)" \
		    '$2 == i && $8 == u { f = 1 } END { exit !f }' \
		    /proc/sysvipc/shm && ipcrm -m "$_id"
		rm -f "$D/postmaster.pid"
	fi
}

# pgns_start: the cluster in D runs in a new PID namespace whose init is
# a shell: the postmaster is PID 2 there and writes 2 in its file. PM is
# its PID here, NSI the namespace's init, NSU the unshare process.
pgns_start() {
	unshare -pf --mount-proc sh -c "setpriv --reuid=postgres \
	    --regid=postgres --init-groups $PGBIN/postgres -D '$D' -p $P \
	    -k '$D' -c listen_addresses=127.0.0.1 -c fsync=off \
	    -c shared_buffers=16MB > '$D.ns.log' 2>&1 & wait" 2>> "$D.ns.log" &
	NSU=$!
	at_exit pgns_stop
	_i=0
	while [ "$(sed -n 8p "$D/postmaster.pid" 2>/dev/null)" != "ready   " ]; do
		_i=$((_i + 1))
		[ "$_i" -gt 300 ] && return 1
		sleep 0.1
	done
	NSI=$(ps -o pid= --ppid "$NSU" | tr -d ' ')
	PMNS=$(head -n 1 "$D/postmaster.pid")
	for _p in $(pg_procs "$D"); do
		grep -q "^NSpid:.*	$PMNS\$" "/proc/$_p/status" && PM=$_p
	done
	pg_dsm_note "$D"
	[ -n "$PM" ] && [ -n "$NSI" ]
}

if ! unshare -pf --mount-proc true 2> "$T/unshare.err"; then
	skip "PostgreSQL in a PID namespace" "no PID namespaces here: $(head -n 1 "$T/unshare.err")"
elif ! pg_setup; then
	:
elif ! pgns_start; then
	fail "PostgreSQL in a PID namespace" "did not start: $(tail -n 3 "$D.ns.log" | tr '\n' '|')"
else
	F=$BIN/pgpidinfo
	LINES="^verdict +running: PID $PM is the postmaster of this directory \\(PID $PMNS in its own PID namespace\\)\$
^next +nothing to do; to stop it from here: kill -INT $PM \\(pg_ctl would signal PID $PMNS\\)\$
^  alive +pass +PID $PM exists \\(postgres\\)
^  start-time +pass
 checkpointer +.*postgres: checkpointer"
	expect_lines "pidns: from the host, the file's PID $PMNS is found as $PM" 0 $F -D "$D"
	check "pidns: from the host, no process is an orphan" \
	    sh -c "! grep -q 'orphan' '$T/out'"
	run $F -e -D "$D"
	(eval "$(cat "$T/out")"; [ "$PG_PID" = "$PMNS" ] && [ -z "$PG_ORPHANS" ] &&
	    [ -n "$PG_CHILDREN" ]); checked "pidns: -e keeps the file's PID, children, no orphans"
	run "$BIN/pxkill" --pg "$D" --dry-run -o PID -n -r
	[ "$RC" = 0 ] && [ "$(head -n 1 "$T/out")" = "$PM" ] &&
	    [ "$(sort -n "$T/out")" = "$(pg_procs "$D" | sort -n)" ]; checked "pidns: pxkill --pg selects the postmaster here and its children"
	LINES="^skipped shm [0-9]+ key 0x[0-9a-f]+ owner postgres: PostgreSQL instance $D: it is running"
	expect_lines "pidns: ipcsweep --pg --remove --force leaves a running cluster alone" 3 \
	    "$BIN/ipcsweep" --pg "$D" --remove --force --dry-run
	LINES="^verdict +running: PID $PMNS is the postmaster of this directory\$
^next +nothing to do; to stop it: pg_ctl -D '$D' stop -m fast"
	expect_lines "pidns: inside its own namespace, PID $PMNS verifies" 0 \
	    nsenter -t "$NSI" -p -m -- $F -D "$D"
	LINES="^verdict +orphaned: .*; but seen from a non-initial PID namespace: PID $PMNS may be another namespace's, which cannot be checked from here\$
^next +check from the host's PID namespace first: pgpidinfo -D '$D'; if it agrees, "
	expect_lines "pidns: from a sibling namespace, the file may be another namespace's" 4 \
	    unshare -pf --mount-proc $F -D "$D"
	# The namespace dies whole (a container killed): the file stays.
	kill -KILL "$NSI"
	wait_gone "$PM" 100
	if [ "$(stat -Lc %i /proc/self/ns/pid)" = 4026531836 ]; then
		LINES='^verdict +(reused|stale): [^;]*$'
	else
		LINES='^verdict +(reused|stale): .*; but seen from a non-initial PID namespace'
	fi
	expect_lines "pidns: the namespace killed, from here: reused or stale, noted only in a container" 4 \
	    sh -c "$F -D '$D'; r=\$?; [ \$r = 1 ] && exit 4; exit \$r"
fi
