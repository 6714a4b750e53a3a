#!/bin/sh
# ipcsweep against a real PostgreSQL cluster (tests/pg.sh): its shim is
# recognised while it runs and after kill -9 of all its processes, and is
# never removed alone (its DSM files would leak for good); PostgreSQL then
# starts cleanly and cleans up both by itself.
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/dist}
SUITE=${SUITE:-pg/ipcsweep}
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"
IS=$BIN/ipcsweep

why_not=$(pg_missing)
if [ -n "$why_not" ]; then
	skip all "$why_not"
	exit 0
fi

D=$T/data
PORT=$(pg_free_port)
pg_init "$D" || { fail setup "initdb: $(tail -n 3 "$D.initdb.log")"; exit 3; }
pg_start "$D" "$PORT" || { fail setup "pg_start: $(tail -n 3 "$D/log")"; exit 3; }
PM=$(pg_pid "$D")
ID=$(sed -n 7p "$D/postmaster.pid" | awk '{print $2}')
KEY=$(printf '0x%08x' "$(sed -n 7p "$D/postmaster.pid" | awk '{print $1 % 4294967296}')")
pg_sql "$D" "$PORT" "select 1" > /dev/null

LINES="^$ID $KEY postgres 56 [1-9][0-9]* $PM 1 $D\$"
expect_lines "running: the shim, its creator alive, PG = data directory" 0 \
    "$IS" -m --id "$ID" -r -n -o ID,KEY,OWNER,SIZE,NATTCH,CPID,CREATOR_ALIVE,PG
expect "running: the shim is never removed, --force or not" 0 \
    "skipped shm $ID key $KEY owner postgres: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up" \
    "$IS" -m --id "$ID" --remove --force
check "running: the shim is still there" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' /proc/sysvipc/shm

# kill -9 of every process of the instance: the shim stays, nattch 0.
DSM=$(pg_dsm_files "$D")
check "running: the instance has DSM files" [ -n "$DSM" ]
for p in $(pg_procs "$D") $PM; do kill -KILL "$p" 2>/dev/null; done
for p in $(pg_procs "$D") $PM; do wait_gone "$p" 50; done
LINES="^$ID $KEY postgres 56 0 $PM 0 unknown\$"
expect_lines "killed: the shim stays, nattch 0, creator dead" 0 \
    "$IS" -m --id "$ID" -r -n -o ID,KEY,OWNER,SIZE,NATTCH,CPID,CREATOR_ALIVE,PG
expect "killed: selected by --dead-creator --unattached -u postgres" 0 "$ID" \
    "$IS" -m --key "$KEY" --dead-creator --unattached -u postgres -r -n -o ID
expect "killed: --remove leaves the shim and says why" 0 \
    "skipped shm $ID key $KEY owner postgres: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up" \
    "$IS" -m --id "$ID" --remove
n=0
for f in $DSM; do [ -e "/dev/shm/$f" ] && n=$((n + 1)); done
check "killed: its DSM files are all still there" [ "$n" -gt 0 ] && [ "$n" = "$(echo $DSM | wc -w)" ]

# PostgreSQL starts and cleans up by itself (shim via dsm_control).
pg_start "$D" "$PORT"
check "restart: the cluster starts" [ -n "$(pg_sql "$D" "$PORT" "select 1" | grep -x 1)" ]
check "restart: the old shim is gone" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit f }' /proc/sysvipc/shm
n=0
for f in $DSM; do [ -e "/dev/shm/$f" ] && n=$((n + 1)); done
check "restart: the old DSM files are gone" [ "$n" = 0 ]
