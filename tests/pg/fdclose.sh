# fdclose against a real PostgreSQL 15 backend stuck writing to a client
# that stopped reading (tests/helpers/fdclose_pgclient.c sends a big
# SELECT and never reads). fdclose must end the backend cleanly: FATAL
# "connection to client lost", no crash-restart of the cluster, a
# bystander session untouched, the shared memory segment unchanged.
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"
F=$BIN/fdclose

why=$(pg_missing)
if [ -n "$why" ]; then
	skip "postgres backend stuck in ClientWrite" "$why"
	exit 0
fi
D=$T/pg
PORT=$(pg_free_port)
pg_init "$D" || { fail "initdb" "$(tail -n 3 "$D.initdb.log")"; exit 0; }
pg_start "$D" "$PORT" || { fail "pg_start" "$(tail -n 5 "$D/log")"; exit 0; }
shm0=$(sed -n 7p "$D/postmaster.pid")
pm=$(pg_pid "$D")

# A bystander session that stays connected throughout.
mkfifo "$T/by.in"
"$PGBIN/psql" -X -At -U postgres -h 127.0.0.1 -p "$PORT" -d postgres \
    < "$T/by.in" > "$T/by.out" 2>&1 &
BYP=$!
at_exit "kill -KILL $BYP 2>/dev/null"
exec 7> "$T/by.in"
echo "SELECT 'bystander', pg_backend_pid();" >&7

# The stuck client.
"$HELP/fdclose_pgclient" "$PORT" postgres \
    "SELECT repeat('x', 1000) FROM generate_series(1, 5000000)" \
    > "$T/cl" 7>&- &
CLP=$!
at_exit "kill -KILL $CLP 2>/dev/null"
i=0
while :; do
	bp=$(pg_sql "$D" "$PORT" "SELECT pid FROM pg_stat_activity WHERE
	    wait_event = 'ClientWrite' AND query LIKE 'SELECT repeat%'")
	[ -n "$bp" ] && break
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.1
done
check "backend stuck in ClientWrite" [ -n "$bp" ]
[ -n "$bp" ] || exit 0

# The backend's client socket: the TCP fd whose local port is the server's.
hexport=$(printf '%04X' "$PORT")
fd=
for l in /proc/"$bp"/fd/*; do
	ino=$(readlink "$l" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
	[ -n "$ino" ] || continue
	if awk -v i="$ino" -v p=":$hexport" '$10 == i && $2 ~ p"$" &&
	    $4 == "01" { f = 1 } END { exit !f }' /proc/net/tcp; then
		fd=${l##*/}
	fi
done
check "found the backend's client socket (fd $fd)" [ -n "$fd" ]
[ -n "$fd" ] || exit 0

# oldkernel: no pidfd_getfd, so auto plans destroy (then injects shutdown).
M="shutdown: a connected stream socket"
[ "$VARIANT" = oldkernel ] && M="destroy: no pidfd_getfd"
LINES="^pid $bp \(postgres\) fd $fd: TCP 127\.0\.0\.1:$PORT->127\.0\.0\.1:[0-9]+ \(ESTABLISHED
^  method:  $M
^  action:  none \(dry run\)"
expect_lines "dry run on the stuck backend" 0 $F --dry-run "$bp" "$fd"
LINES="^  method:  shutdown
^  action:  done
^  after:   (thread $bp left epoll_wait|thread $bp left epoll_pwait|the process exited) within [0-9]+ ms"
expect_lines "fdclose ends the stuck backend" 0 $F "$bp" "$fd"
cp "$T/out" "${FDCLOSE_PG_OUT:-/dev/null}"
wait_gone "$bp" 50
check "the backend is gone" [ ! -d "/proc/$bp" ]
sleep 0.5
check "log: connection to client lost" grep -q 'connection to client lost' "$D/log"
nogrep() { ! grep -q "$@"; }
check "log: no crash-restart" nogrep 'terminating any other active server processes' "$D/log"
[ "$(pg_pid "$D")" = "$pm" ] && [ -d "/proc/$pm" ]; checked "the postmaster is the same"
check "the shared memory id is unchanged" [ "$(sed -n 7p "$D/postmaster.pid")" = "$shm0" ]
kill -KILL "$CLP"
echo "SELECT 'still', pg_backend_pid();" >&7
exec 7>&-
wait "$BYP"
grep -q '^bystander|' "$T/by.out" && \
    [ "$(sed -n 's/^bystander|//p' "$T/by.out")" = "$(sed -n 's/^still|//p' "$T/by.out")" ]; checked "the bystander session survived"
pg_stop "$D"
