#!/bin/sh
# ipcsweep against a real PostgreSQL cluster (tests/pg.sh): its shim is
# recognised while it runs and after kill -9 of all its processes, and is
# never removed alone (its DSM files would leak for good); PostgreSQL then
# starts cleanly and cleans up both by itself. With --pg DATADIR, a
# running cluster is refused, and after kill -9 the shim goes together
# with its DSM files, after which the cluster starts cleanly.
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${BIN:-$TOP/dist} HELP=${HELP:-$TOP/build/helpers}
SUITE=${SUITE:-pg/ipcsweep}
. "$TOP/tests/lib.sh"
. "$TOP/tests/pg.sh"
IS=$BIN/ipcsweep

why_not=$(pg_missing)
if [ -n "$why_not" ]; then
	skip all "$why_not"
	exit 0
fi

PG_DSM=posix	# its DSM files are what this is about
D=$T/data
PORT=$(pg_free_port)
pg_init "$D" || { fail setup "initdb: $(tail -n 3 "$D.initdb.log")"; exit 3; }
pg_start "$D" "$PORT" || { fail setup "pg_start: $(tail -n 3 "$D/log")"; exit 3; }

# state: the running instance's postmaster, shim id and key, DSM files.
state() {
	PM=$(pg_pid "$D")
	ID=$(sed -n 7p "$D/postmaster.pid" | awk '{print $2}')
	KEY=$(printf '0x%08x' "$(sed -n 7p "$D/postmaster.pid" |
	    awk '{print $1 % 4294967296}')")
	pg_sql "$D" "$PORT" "select 1" > /dev/null
	DSM=$(pg_dsm_files "$D")
}

# kill9: kill -9 of every process of the instance, as a crash would.
kill9() {
	for p in $(pg_procs "$D") $PM; do kill -KILL "$p" 2>/dev/null; done
	for p in $(pg_procs "$D") $PM; do wait_gone "$p" 50; done
}

# all_dsm: the DSM files its header names: the control segment among
# $DSM and the segments it lists (tests/dsm.sh).
all_dsm() {
	for f in $DSM; do
		[ -e "/dev/shm/$f" ] && echo "$f"
		dsm_items "$f"
	done | sort -u
}

dsm_left() {	# how many of $DSM still exist
	n=0
	for f in $DSM; do [ -e "/dev/shm/$f" ] && n=$((n + 1)); done
	echo "$n"
}
state

LINES="^$ID $KEY postgres 56 [1-9][0-9]* $PM 1 $D\$"
expect_lines "running: the shim, its creator alive, PG = data directory" 0 \
    "$IS" -m --id "$ID" -r -n -o ID,KEY,OWNER,SIZE,NATTCH,CPID,CREATOR_ALIVE,PG
expect "running: the shim is never removed, --force or not" 0 \
    "skipped shm $ID key $KEY owner postgres: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up" \
    "$IS" -m --id "$ID" --remove --force
check "running: the shim is still there" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' /proc/sysvipc/shm

check "running: the instance has DSM files" [ -n "$DSM" ]
want=$( (echo "shm $ID -"; for f in $DSM; do echo "posix - $f"; done) | sort)
expect_sorted "running: --pg lists its shim and its DSM files" 0 "$want" \
    "$IS" --pg "$D" -r -n -o KIND,ID,NAME
LINES="^skipped shm $ID key $KEY owner postgres: PostgreSQL instance $D: it is running\$"
expect_lines "running: --pg --remove is refused, exit 3" 3 \
    "$IS" --pg "$D" --remove --force
check "running: ... and says so on stderr" grep -q "^ipcsweep: remove the IPC of $D: PostgreSQL instance: it is running\$" "$T/err"
check "running: ... one skipped line per object" \
    [ "$(grep -c ": PostgreSQL instance $D: it is running\$" "$T/out")" = "$(echo "$want" | wc -l)" ]
[ "$(dsm_left)" = "$(echo $DSM | wc -w)" ] &&
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' /proc/sysvipc/shm; checked "running: ... the shim and every DSM file stay"

# kill -9 of every process of the instance: the shim stays, nattch 0.
kill9
LINES="^$ID $KEY postgres 56 0 $PM 0 unknown\$"
expect_lines "killed: the shim stays, nattch 0, creator dead" 0 \
    "$IS" -m --id "$ID" -r -n -o ID,KEY,OWNER,SIZE,NATTCH,CPID,CREATOR_ALIVE,PG
expect "killed: selected by --dead-creator --unattached -u postgres" 0 "$ID" \
    "$IS" -m --key "$KEY" --dead-creator --unattached -u postgres -r -n -o ID
expect "killed: --remove leaves the shim, says why and names the way out" 0 \
    "skipped shm $ID key $KEY owner postgres: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up; --force removes it with its $(all_dsm | wc -l) DSM files" \
    "$IS" -m --id "$ID" --remove
check "killed: its DSM files are all still there" [ "$(dsm_left)" = "$(echo $DSM | wc -w)" ]

# PostgreSQL starts and cleans up by itself (shim via dsm_control).
pg_start "$D" "$PORT"
check "restart: the cluster starts" [ -n "$(pg_sql "$D" "$PORT" "select 1" | grep -x 1)" ]
check "restart: the old shim is gone" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit f }' /proc/sysvipc/shm
check "restart: the old DSM files are gone" [ "$(dsm_left)" = 0 ]

# Again, and this time ipcsweep --pg cleans up.
state
kill9
# A DSM file some process still maps keeps the shim and every file.
first=$(echo $DSM | awk '{print $1}')
rm -f "$T/mapper"
spawn "$HELP/ipcsweep_mk" -H "$T/mapper" map "$first" > /dev/null
MAPPER=$SPAWNED
wait_file "$T/mapper"
expect "killed: a DSM file still mapped keeps the shim and all its files" 0 \
    "skipped shm $ID key $KEY owner postgres: its DSM file $first is mapped by a process" \
    "$IS" --pg "$D" --remove -m
check "killed: ... nothing went" [ "$(dsm_left)" = "$(echo $DSM | wc -w)" ]
kill -KILL "$MAPPER"
wait_gone "$MAPPER"
plan=$( (echo "would remove shm $ID key $KEY owner postgres"
    for f in $DSM; do echo "would remove posix /dev/shm/$f owner postgres"; done) | sort)
expect_sorted "killed: --pg --remove --dry-run plans the shim and its DSM files" 0 \
    "$plan" "$IS" --pg "$D" --remove --dry-run
check "killed: ... and changes nothing" [ "$(dsm_left)" = "$(echo $DSM | wc -w)" ]
expect_sorted "killed: --pg --remove removes the shim with its DSM files" 0 \
    "$(echo "$plan" | sed 's/^would remove/removed/')" "$IS" --pg "$D" --remove
check "killed: ... the shim is gone" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit f }' /proc/sysvipc/shm
check "killed: ... no DSM file of it is left" [ "$(dsm_left)" = 0 ]
expect "killed: --pg now finds nothing: exit 1" 1 "" "$IS" --pg "$D" -r -n
pg_start "$D" "$PORT"
check "restart after --pg --remove: the cluster starts cleanly" \
    [ -n "$(pg_sql "$D" "$PORT" "select 1" | grep -x 1)" ]
check "restart after --pg --remove: no complaint about old shared memory" \
    sh -c "! grep -q 'pre-existing shared memory\|could not open shared memory' '$D/log'"
OLD=$DSM
state
DSM=$OLD
check "restart after --pg --remove: none of the old DSM files came back" [ "$(dsm_left)" = 0 ]

# kill -9, then the data directory removed: nothing can start it again.
state
ALL=$(all_dsm)
N=$(echo "$ALL" | wc -l)
kill9
rm -rf "$D"
# shm_lpid (6) and shm_atime (12): set by whoever attaches.
seen() { awk -v i="$ID" 'NR > 1 && $2 == i { print $6, $12 }' /proc/sysvipc/shm; }
before=$(seen)
LINES="^$ID 0 -\$"
expect_lines "gone: listed, the shim is still a shim nobody maps" 0 \
    "$IS" -m --id "$ID" -r -n -o ID,NATTCH,ATTACHED
check "gone: listing does not attach it (lpid, atime unchanged)" \
    [ "$(seen)" = "$before" ]
check "gone: the header names more than the control segment" [ "$N" -ge 2 ]
expect "gone: --remove without --force keeps it and names the way out" 0 \
    "skipped shm $ID key $KEY owner postgres: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up; --force removes it with its $N DSM files" \
    "$IS" -m --id "$ID" --remove
DSM=$ALL
plan=$( (echo "would remove shm $ID key $KEY owner postgres"
    for f in $ALL; do echo "would remove posix /dev/shm/$f owner postgres"; done) | sort)
expect_sorted "gone: --remove --force --dry-run plans the shim and its $N DSM files" 0 \
    "$plan" "$IS" -m --id "$ID" --remove --force --dry-run
[ "$(dsm_left)" = "$N" ] &&
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' /proc/sysvipc/shm; checked "gone: ... and changes nothing"
expect_sorted "gone: --remove --force removes the shim and exactly its DSM files" 0 \
    "$(echo "$plan" | sed 's/^would remove/removed/')" \
    "$IS" -m --id "$ID" --remove --force
check "gone: ... the shim is gone" \
    awk -v id="$ID" 'NR > 1 && $2 == id { f = 1 } END { exit f }' /proc/sysvipc/shm
check "gone: ... none of its DSM files is left" [ "$(dsm_left)" = 0 ]
