#!/bin/sh
# make demo: a rescue on a throwaway victim, each step printing the command
# and its output. Everything it makes, it removes (by PID and by id).
cd "$(dirname "$0")/.." || exit 3
B=$PWD/dist
PATH=$B:$PATH
W=$(mktemp -d "${TMPDIR:-/tmp}/undead-demo.XXXXXX") || exit 3
VICTIM="" SEG=""
cleanup() {
	[ -n "$VICTIM" ] && kill -KILL "$VICTIM" 2>/dev/null
	[ -n "$SEG" ] && ipcrm -m "$SEG" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() {	# step TEXT CMD...: says what and why, shows the command, runs it
	printf '\n# %s\n$ ' "$1"
	shift
	echo "$*" | sed "s|$W|\$DEMO|g"
	"$@" 2>&1 | sed "s|$W|\$DEMO|g"
}

echo "undead demo: a server process holds a client socket full of unsent"
echo "bytes, a deleted 4 KiB log file and a child; a SysV segment is left over."
build/helpers/victim "$W" "$W/ready" &
VICTIM=$!
i=0
while ! [ -s "$W/ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
. "$W/ready"

step "what does it hold? (instead of: ls -l /proc/PID/fd; lsof -p PID)" \
    fdls "$VPID"
step "which socket is stuck, and how much is queued on it?" \
    fdls -t TCP -o FD,STATE,SENDQ,RECVQ,LOCAL,REMOTE "$VPID"
step "df says full, du disagrees: deleted files still open, machine-wide" \
    sh -c 'fdls -a --deleted -o PID,COMM,FD,SIZE,NAME --sort SIZE | tail -n 5'
step "who holds the other end of its pipe?" \
    fdls --peers -o FD,TYPE,PEER -d 19 "$VPID"
step "end the stuck connection inside the live process (instead of gdb): plan" \
    fdclose --dry-run "$VPID" 12
step "...and do it" fdclose "$VPID" 12
step "the socket is shut down; the process lives on" \
    fdls -o FD,STATE,SENDQ,NAME -d 12 "$VPID"

SEG=$(ipcmk -M 4096 2>/dev/null | awk '{print $NF}')
if [ -n "$SEG" ]; then
	step "a leftover SysV segment: list exactly it (instead of ipcs | awk)" \
	    ipcsweep -m --id "$SEG"
	step "remove it: the plan first" ipcsweep -m --id "$SEG" --remove --dry-run
	step "...then remove it, after re-checking it" \
	    ipcsweep -m --id "$SEG" --remove && SEG=""
fi

mkdir -p "$W/pgdata"
chmod 700 "$W/pgdata"
sleep 0 &
DEAD=$!
wait "$DEAD"
printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "$DEAD" "$W/pgdata" 1700000000 \
    5432 /tmp '*' '  5432001     65541' 'ready   ' > "$W/pgdata/postmaster.pid"
step "a postmaster.pid left behind: is that PID really the postmaster?" \
    pgpidinfo -D "$W/pgdata"

step "kill the process and its child, exactly (instead of ps | grep | awk): plan" \
    pxkill --dry-run --tree "$VPID"
step "...then signal, wait, and report what happened to each" \
    pxkill -KILL --tree "$VPID" --wait=5
wait "$VICTIM" 2>/dev/null
VICTIM=""
echo
echo "demo done: every process and object it made is gone."
