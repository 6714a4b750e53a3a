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
