#!/bin/sh
# CLI tests of ipcsweep against real SysV and POSIX objects this suite
# makes. Other work owns IPC objects on this machine too: every command is
# narrowed to this run's keys (KB..KE), ids or owner uids, every object is
# removed at exit by id (only if it still has our key), and decoys are
# checked untouched.
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/dist} HELP=${HELP:-$TOP/build/helpers}
export TOP BIN HELP
SUITE=${SUITE:-cli/ipcsweep}
. "$TOP/tests/lib.sh"
IS=$BIN/ipcsweep
MK=$HELP/ipcsweep_mk

if ! is_root; then
	skip all "needs root (objects of several owners via setresuid)"
	exit 0
fi

# This run's keys: 256 of them, from the PID.
KB=$(printf '0x%08x' $((0x5e000000 + ($$ % 32768) * 256)))
KE=$(printf '0x%08x' $((KB + 255)))
KR="$KB-$KE"
key() { printf '0x%08x' $((KB + $1)); }
U1=$((41000 + $$ % 1000))
U2=$((U1 + 1000))
U3=$((U1 + 2000))

# rm_ours KIND ID [LO HI]: ipcrm -KIND ID, but only if ID still has one of
# our keys (KB..KE, or LO..HI).
rm_ours() {
	case $1 in m) f=shm ;; s) f=sem ;; q) f=msg ;; esac
	awk -v id="$2" -v lo=$((${3:-KB})) -v hi=$((${4:-KE})) 'NR > 1 && $2 == id {
	    k = $1 < 0 ? $1 + 4294967296 : $1; if (k >= lo && k <= hi) f = 1 }
	    END { exit !f }' "/proc/sysvipc/$f" && ipcrm "-$1" "$2" 2>/dev/null
}

# mk VAR KIND(m|s|q) HELPER-ARGS...: a dead-creator object.
mk() {
	_v=$1 _k=$2; shift 2
	_id=$("$MK" "$@") || { fail setup "ipcsweep_mk $*"; exit 3; }
	at_exit "rm_ours $_k $_id ${RLO:-$KB} ${RHI:-$KE}"
	eval "$_v=$_id"
}

# hold VAR KIND HELPER-ARGS...: made by a helper that stays alive; its PID
# in ${VAR}_PID.
hold() {
	_v=$1 _k=$2; shift 2
	rm -f "$T/$_v"
	spawn "$MK" -H "$T/$_v" "$@" > /dev/null
	wait_file "$T/$_v" || { fail setup "ipcsweep_mk -H $*"; exit 3; }
	_id=$(cat "$T/$_v")
	[ "$_k" != - ] && at_exit "rm_ours $_k $_id ${RLO:-$KB} ${RHI:-$KE}"
	eval "$_v=$_id ${_v}_PID=$SPAWNED"
}

exists() {	# exists KIND ID
	awk -v id="$2" 'NR > 1 && $2 == id { f = 1 } END { exit !f }' \
	    "/proc/sysvipc/$1"
}


# usage_err NAME ERE CMD...: status 2, nothing on stdout, ERE on stderr's
# first line, the synopsis after it.
usage_err() {
	_n=$1 _re=$2; shift 2
	run "$@"
	if [ "$RC" = 2 ] && ! [ -s "$T/out" ] &&
	    head -n 1 "$T/err" | grep -Eq -- "$_re" &&
	    grep -q '^usage: ipcsweep' "$T/err"; then
		pass "$_n"
	else
		fail "$_n" "$(why "$_n" 2); want stderr /$_re/ + synopsis"
	fi
}

# --- the objects ---------------------------------------------------------
mk A m -u "$U1" -k "$(key 1)" shm 4096		# dead creator, unattached
hold B m -u "$U1" -o "$U2" -a -k "$(key 2)" shm 8192	# live, attached
mk C m -k "$(key 3)" -p 0640 shm 4096		# dead creator ...
hold CA - attach "$C"				# ... but attached
mk D s -u "$U2" -k "$(key 4)" sem 2		# dead user
hold E s -u "$U2" -k "$(key 5)" sem 3		# live user
mk F q -u "$U1" -k "$(key 6)" msg		# dead sender
hold G q -u "$U1" -k "$(key 7)" msg		# live sender
mk P1 s -u "$U2" -k "$(key 17)" pgsem		# PostgreSQL set, dead
hold P2 s -u "$U2" -n postgres -k "$(key 18)" pgsem	# running "postmaster"
mk P3 s -u "$U2" -k "$(key 19)" pgsem-nomark	# 17 semaphores, no marker
hold P4 s -u "$U2" -k "$(key 20)" pgsem		# live creator, not postgres
mk P5 s -u "$U1" -k "$(key 21)" pgsem		# decoy: another owner
hold X m -a -r -k "$(key 30)" shm 4096		# removed, still attached
PA=undead-ipcsweep-$$-a PB=undead-ipcsweep-$$-b PD=PostgreSQL.$((3000000000 + $$))
at_exit "rm -f /dev/shm/$PA /dev/shm/$PB /dev/shm/$PD"
"$MK" -u "$U3" posix "$PA" > /dev/null
"$MK" -u "$U3" posix "$PD" > /dev/null
hold PBH - -u "$U3" -a posix "$PB"

# --- usage -------------------------------------------------------------
run "$IS" -h
if [ "$RC" = 0 ] && grep -q '^usage: ipcsweep' "$T/out" && ! [ -s "$T/err" ]
then pass "-h prints the usage on stdout"
else fail "-h prints the usage on stdout" "$(why h 0)"; fi
LINES="^ipcsweep $(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/Makefile") \((musl|glibc), $VARCH, $LINK\)\$"
expect_lines "-V prints the version" 0 "$IS" -V
usage_err "unknown option" "^ipcsweep: unknown option: --bogus$" "$IS" --bogus
usage_err "--force needs --remove" "force needs --remove" "$IS" --force
usage_err "--dry-run needs --remove" "dry-run needs --remove" "$IS" --dry-run
usage_err "--remove needs a filter: never everything" "--remove needs a filter" "$IS" --remove
usage_err "--remove -m needs a filter too" "--remove needs a filter" "$IS" -m --remove --dry-run
usage_err "bad key" "bad key: zz" "$IS" --key zz
usage_err "bad id" "bad id: -3" "$IS" --id -3
usage_err "--id needs exactly one kind: ids of kinds overlap" "--id needs exactly one kind" "$IS" -m -s --id 3
usage_err "--id without a kind" "--id needs exactly one kind" "$IS" --id 3
usage_err "bad duration" "bad duration: 3x" "$IS" --older-than 3x
usage_err "unknown user" "unknown user: no-such-user-x" "$IS" -u no-such-user-x
usage_err "unknown column" "unknown column: FOO" "$IS" -o ID,FOO
usage_err "operand" "unexpected operand: 12" "$IS" 12

# Options: code (getopt_long table), -h and the man page agree.
sed -n '/^static const struct option longopts/,/^};/p' "$TOP/cmd/ipcsweep.c" |
    grep -o '{ "[a-z-]*"' | sed 's/{ "/--/;s/"//' | sort > "$T/o.code"
"$IS" -h | grep -o -- '--[a-z][a-z-]*' | sort -u > "$T/o.help"
grep -o 'Fl \\-[a-z][a-z-]*' "$TOP/cmd/ipcsweep.1" | sed 's/Fl \\-/--/' | sort -u > "$T/o.man"
check "long options: code = -h" cmp -s "$T/o.code" "$T/o.help"
check "long options: code = man page" cmp -s "$T/o.code" "$T/o.man"
"$IS" -h | grep -o '^  -[a-zA-Z]' | sed 's/ //g' | sort > "$T/s.help"
sed -n 's/^\.It Fl \([a-zA-Z]\) ,.*/-\1/p' "$TOP/cmd/ipcsweep.1" | sort > "$T/s.man"
grep -o 'getopt_long(argc, argv, "[^"]*"' "$TOP/cmd/ipcsweep.c" |
    sed 's/.*"\(.*\)"/\1/;s/://g' | fold -w 1 | sed 's/^/-/' | sort > "$T/s.code"
check "short options: code = -h" cmp -s "$T/s.code" "$T/s.help"
check "short options: code = man page" cmp -s "$T/s.code" "$T/s.man"
sh "$TOP/tests/optcheck.sh" ipcsweep

# --- listing and filters ------------------------------------------------
expect_sorted "shm: owner, creator, nattch, creator alive" 0 "\
$A $(key 1) $U1 $U1 0 0
$B $(key 2) $U2 $U1 1 1
$C $(key 3) root root 1 0" \
    "$IS" -m --key "$KR" -r -n -o ID,KEY,OWNER,CREATOR,NATTCH,CREATOR_ALIVE
expect_sorted "-u: by owner, every kind" 0 "$A
$F
$G
$P5" "$IS" --key "$KR" -u "$U1" -r -n -o ID
expect_sorted "-c: by creator" 0 "$A
$B
$F
$G
$P5" "$IS" --key "$KR" -c "$U1" -r -n -o ID
expect_sorted "-u with two owners: all but root's" 0 "$A
$B
$D
$E
$F
$G
$P1
$P2
$P3
$P4
$P5" "$IS" --key "$KR" -u "$U1,$U2" -r -n -o ID
expect_sorted "--dead-creator: shm cpid, sempids, PostgreSQL marker, msg pids" 0 \
    "$A
$C
$D
$F
$P1
$P3
$P5" "$IS" --key "$KR" --dead-creator -r -n -o ID
expect_sorted "--unattached: nattch 0 and not mapped" 0 "$A" \
    "$IS" -m --key "$KR" --unattached -r -n -o ID
expect_sorted "--dead-creator --unattached over every kind" 0 "$A
$D
$F
$P1
$P3
$P5" "$IS" --key "$KR" --dead-creator --unattached -r -n -o ID
expect "ATTACHED lists the PIDs that map it" 0 "$C $CA_PID" \
    "$IS" -m --id "$C" -r -n -o ID,ATTACHED
expect "the same PID mapping twice is listed once" 0 "$B $B_PID" \
    "$IS" -m --id "$B" -r -n -o ID,ATTACHED
expect_sorted "semaphores: NSEMS, PG (a live postmaster's cwd, else unknown)" 0 "\
$D 2 -
$E 3 -
$P1 17 unknown
$P2 17 $TOP
$P3 17 -
$P4 17 unknown
$P5 17 unknown" "$IS" -s --key "$KR" -r -n -o ID,NSEMS,PG
expect_sorted "CPID of a PostgreSQL set is GETPID of its marker" 0 "$P2 $P2_PID
$P4 $P4_PID
$E -" "$IS" -s --id "$P2,$P4,$E" -r -n -o ID,CPID
expect "msg: MSGS, SIZE (bytes queued), CPID = last sender" 0 "$G 1 6 $G_PID" \
    "$IS" -q --id "$G" -r -n -o ID,MSGS,SIZE,CPID
mk L m -k "$(key 8)" shm 56
"$IS" -m --key "$KR" > /dev/null
"$IS" -m --key "$KR" --dead-creator -J > /dev/null
expect "a listing without PG never attaches (lpid stays 0)" 0 "$L -" \
    "$IS" -m --id "$L" -r -n -o ID,LPID
expect "removed but attached: STATUS dest, key 0" 0 "$X 0x00000000 dest" \
    "$IS" -m --id "$X" -r -n -o ID,KEY,STATUS
expect "--key range excludes dest (key 0)" 1 "" \
    "$IS" -m --key "$KR" --id "$X" -r -n -o ID
expect "--older-than: nothing here is an hour old" 1 "" \
    "$IS" --key "$KR" --older-than 1h -r -n -o ID
expect "--older-than 0s keeps everything" 0 "$A" \
    "$IS" -m --id "$A" --older-than 0s -r -n -o ID
expect "--key single hex and decimal" 0 "$A
$D" "$IS" --key "$(key 1),$((KB + 4))" -r -n -o ID
expect "nothing matched: exit 1" 1 "" "$IS" --key "$KR" -u 12345 -n
run "$IS" --key "$KR" -J
if [ "$RC" = 0 ] && python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["ipc"]
ids = {(r["kind"], r["id"]): r for r in d}
a = ids["shm", int(sys.argv[2])]
assert a["kind"] == "shm" and a["nattch"] == 0 and a["creator_alive"] is False
assert a["size"] == 4096 and a["nsems"] is None and a["key"] == sys.argv[3]
b = ids["shm", int(sys.argv[4])]
assert b["creator_alive"] is True and b["nattch"] == 1
assert len(d) == 13, len(d)' "$T/out" "$A" "$(key 1)" "$B" 2>"$T/py"
then pass "-J: valid JSON, numbers and booleans typed"
else fail "-J: valid JSON, numbers and booleans typed" "$(cat "$T/py") $(why J 0)"; fi
expect "the defaults of all SysV kinds" 0 \
    "KIND ID KEY OWNER CREATOR PERMS SIZE NSEMS MSGS NATTCH CPID LPID CREATOR_ALIVE CTIME STATUS" \
    sh -c "'$IS' --key '$KR' -r | head -n 1"
expect "-s: the defaults of semaphore sets" 0 \
    "KIND ID KEY OWNER CREATOR PERMS NSEMS CPID CREATOR_ALIVE CTIME" \
    sh -c "'$IS' -s --key '$KR' -r | head -n 1"
expect "-m: the defaults of shm; -o +LIST extends them" 0 \
    "KIND ID KEY OWNER CREATOR PERMS SIZE NATTCH CPID LPID CREATOR_ALIVE CTIME STATUS ATTACHED" \
    sh -c "'$IS' -m --id '$A' -r -o +ATTACHED,NATTCH | head -n 1"
run "$IS" -m --id "$A" -o CTIME -n
now=$(date -u +%Y-%m-%dT%H)
case $(cat "$T/out") in "$now":??:??Z) pass "CTIME is ISO 8601 UTC" ;;
*) fail "CTIME is ISO 8601 UTC" "$(why ctime 0)" ;; esac

# The three sources agree: *_STAT_ANY (4.17+, the default here),
# /proc/sysvipc (what a pre-4.17 kernel gets: a seccomp filter makes
# *_STAT_ANY EINVAL), and *_STAT (pre-4.17 and /proc/sysvipc hidden).
COLS=KIND,ID,KEY,OWNER,CREATOR,PERMS,SIZE,NSEMS,MSGS,NATTCH,CPID,LPID,CREATOR_ALIVE,CTIME,STATUS
"$IS" --key "$KR" -r -n -o $COLS | sort > "$T/any.out"
check "sources: *_STAT_ANY lists this run's 13 objects" [ "$(wc -l < "$T/any.out")" = 13 ]
expect_sorted "sources: /proc/sysvipc (no *_STAT_ANY) lists the same" 0 \
    "$(cat "$T/any.out")" "$HELP/oldkernel" -k 4.16 "$IS" --key "$KR" -r -n -o $COLS
expect_sorted "sources: *_STAT without /proc/sysvipc lists the same" 0 \
    "$(cat "$T/any.out")" unshare -m sh -c "mount -t tmpfs none /proc/sysvipc &&
      ! [ -e /proc/sysvipc/shm ] &&
      '$HELP/oldkernel' -k 4.16 '$IS' --key '$KR' -r -n -o $COLS"
expect_v "-v names the fallback taken, once" 0 \
    "ipcsweep: *_STAT_ANY: not supported by this kernel (EINVAL), reading /proc/sysvipc" \
    "$IS" -v --key "$KR" -r -n -o $COLS
sort "$T/out" | cmp -s - "$T/any.out"; checked "-v: the same objects"
unshare -m sh -c "mount -t tmpfs none /proc/sysvipc &&
      '$HELP/oldkernel' -k 4.16 '$IS' -v --key '$KR' -r -n -o ID" \
    > /dev/null 2> "$T/verr"
check "-v names *_STAT where /proc/sysvipc is missing too" [ "$(cat "$T/verr")" = \
    "ipcsweep: *_STAT_ANY: not supported by this kernel (EINVAL) and no /proc/sysvipc, using *_STAT (objects this user may not read are not listed)" ]
expect_sorted "sources: *_STAT_ANY without /proc/sysvipc lists the same" 0 \
    "$(cat "$T/any.out")" unshare -m sh -c "mount -t tmpfs none /proc/sysvipc &&
      '$IS' --key '$KR' -r -n -o $COLS"

# --- POSIX ---------------------------------------------------------------
expect_sorted "--posix lists /dev/shm files with NAME" 0 "posix $PA $U3 8192
posix $PB $U3 8192
posix $PD $U3 8192" "$IS" --posix -u "$U3" -n -r -o KIND,NAME,OWNER,SIZE
expect_sorted "--posix --unattached: not mapped" 0 "$PA
$PD" "$IS" --posix -u "$U3" --unattached -n -o NAME
expect_sorted "--posix ATTACHED" 0 "$PA -
$PB $PBH_PID
$PD -" "$IS" --posix -u "$U3" -n -r -o NAME,ATTACHED
expect "POSIX objects have no key: --key excludes them" 1 "" \
    "$IS" --posix -u "$U3" --key "$KR" -n -o NAME

# --- unprivileged --------------------------------------------------------
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
expect "nobody lists, but cannot read a 0600 set's PIDs" 0 "$D $U2 -" \
    $NB "$IS" -s --id "$D" -r -n -o ID,OWNER,CREATOR_ALIVE
mk N m -u 65534 -k "$(key 40)" shm 4096
expect "nobody removes its own segment" 0 \
    "removed shm $N key $(key 40) owner nobody" $NB "$IS" -m --id "$N" --remove
# Without SHM_STAT_ANY (before Linux 4.17; qemu-user, oldkernel) the
# re-read of root's 0640 segment comes from its /proc/sysvipc row.
expect "nobody cannot remove root's segment: failed, exit 3" 3 \
    "failed shm $C key $(key 3) owner root: operation not permitted" \
    $NB "$IS" -m --id "$C" --remove --force
check "... and it is still there" exists shm "$C"
expect "nobody: a set whose users cannot be read is kept" 0 \
    "skipped sem $D key $(key 4) owner $U2: cannot tell whether its creator lives: permission denied" \
    $NB "$IS" -s --id "$D" --remove

# --- who is alive, past the obvious places ------------------------------
# Keys of their own (KB2..), outside KR, so that the plans below stay.
RLO=$((0x5f000000 + ($$ % 32768) * 256)) RHI=$((0x5f000000 + ($$ % 32768) * 256 + 255))
key2() { printf '0x%08x' $((RLO + $1)); }
hold S3 s -u "$U2" -l 299 -k "$(key2 1)" sem 300	# live user of #299
mk Q2 q -u "$U1" -k "$(key2 2)" msg			# dead sender ...
hold Q2R - -u "$U1" recv "$Q2"				# ... live receiver
mk SH m -k "$(key2 3)" pgshm 56			# PostgreSQL's shim ...
mk BIG m -k "$(key2 4)" pgshm 1048576		# ... and a whole segment
mk BIG7 m -k "$(key2 5)" -p 0640 pgshm 1048576	# not PostgreSQL's mode
KR2="$(key2 0)-$(key2 255)"
expect "a set's last user at semaphore 299 of 300 keeps it alive" 0 \
    "$S3 300 1" "$IS" -s --id "$S3" -r -n -o ID,NSEMS,CREATOR_ALIVE
expect "... so --dead-creator does not take it" 1 "" \
    "$IS" -s --id "$S3" --dead-creator -r -n -o ID
expect "a queue's live last receiver keeps it alive" 0 "$Q2 0 1" \
    "$IS" -q --id "$Q2" -r -n -o ID,MSGS,CREATOR_ALIVE
expect "... so --dead-creator does not take it" 1 "" \
    "$IS" -q --id "$Q2" --dead-creator -r -n -o ID
expect_sorted "PostgreSQL's header in a shim or a whole segment: PG, mode 0600 only" 0 \
    "$SH unknown
$BIG unknown
$BIG7 -" "$IS" -m --key "$KR2" -r -n -o ID,PG
expect_sorted "... both stay without --force: their DSM files need them" 0 "\
skipped shm $SH key $(key2 3) owner root: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up; --force removes it with its 0 DSM files
skipped shm $BIG key $(key2 4) owner root: PostgreSQL shim: its DSM files are found only through it; starting the instance cleans both up; --force removes it with its 0 DSM files
would remove shm $BIG7 key $(key2 5) owner root
skipped sem $S3 key $(key2 1) owner $U2: a process that used it is alive; --force removes it
skipped msg $Q2 key $(key2 2) owner $U1: its last sender or receiver is alive; --force removes it" \
    "$IS" --key "$KR2" --remove --dry-run
unset RLO RHI

# --- removal ----------------------------------------------------------
expect_sorted "--dry-run prints the plan" 0 "\
would remove shm $A key $(key 1) owner $U1
skipped shm $B key $(key 2) owner $U2: attached (nattch 1); --force removes it
skipped shm $C key $(key 3) owner root: attached (nattch 1); --force removes it
would remove shm $L key $(key 8) owner root
would remove sem $D key $(key 4) owner $U2
skipped sem $E key $(key 5) owner $U2: a process that used it is alive; --force removes it
would remove msg $F key $(key 6) owner $U1
skipped msg $G key $(key 7) owner $U1: its last sender or receiver is alive; --force removes it
would remove sem $P1 key $(key 17) owner $U2
skipped sem $P2 key $(key 18) owner $U2: PostgreSQL postmaster $P2_PID is running
would remove sem $P3 key $(key 19) owner $U2
skipped sem $P4 key $(key 20) owner $U2: its creator is alive; --force removes it
would remove sem $P5 key $(key 21) owner $U1" \
    "$IS" --key "$KR" --remove --dry-run
n=0
for o in shm:$A shm:$B shm:$C sem:$D sem:$E msg:$F msg:$G sem:$P1 sem:$P2 \
    sem:$P3 sem:$P4 sem:$P5 shm:$X; do
	exists "${o%%:*}" "${o#*:}" && n=$((n + 1))
done
check "--dry-run changed nothing" [ "$n" = 13 ]

expect_sorted "--remove: unattached dead ones go, attached stay" 0 "\
removed shm $A key $(key 1) owner $U1
skipped shm $B key $(key 2) owner $U2: attached (nattch 1); --force removes it
skipped shm $C key $(key 3) owner root: attached (nattch 1); --force removes it" \
    "$IS" -m --id "$A,$B,$C" --remove
check "A is gone" sh -c "! awk -v id=$A 'NR>1 && \$2==id {f=1} END {exit !f}' /proc/sysvipc/shm"
check "B and C stay" sh -c "awk -v b=$B -v c=$C 'NR>1 && (\$2==b||\$2==c) {n++} END {exit n!=2}' /proc/sysvipc/shm"
expect "--force removes an attached segment: it stays as dest" 0 \
    "removed shm $C key $(key 3) owner root" "$IS" -m --id "$C" --remove --force
expect "... now dest, key 0" 0 "$C 0x00000000 dest" "$IS" -m --id "$C" -r -n -o ID,KEY,STATUS
expect "a dest segment is never removed again" 0 \
    "skipped shm $C key 0x00000000 owner root: already removed; it goes at its last detach" \
    "$IS" -m --id "$C" --remove --force
expect "a running postmaster's set stays even with --force" 0 \
    "skipped sem $P2 key $(key 18) owner $U2: PostgreSQL postmaster $P2_PID is running" \
    "$IS" -s --id "$P2" --remove --force
expect "a live creator's PostgreSQL-like set goes with --force" 0 \
    "removed sem $P4 key $(key 20) owner $U2" "$IS" -s --id "$P4" --remove --force
expect_sorted "owner + dead creator: only that user's dead sets" 0 "\
removed sem $D key $(key 4) owner $U2
removed sem $P1 key $(key 17) owner $U2
removed sem $P3 key $(key 19) owner $U2" \
    "$IS" -s --key "$KR" -u "$U2" --dead-creator --remove
check "decoys untouched: other owner's set, live sets, queues" sh -c \
    "for o in sem:$P5 sem:$P2 sem:$E msg:$F msg:$G shm:$B shm:$X; do
	awk -v id=\${o#*:} 'NR>1 && \$2==id {f=1} END {exit !f}' /proc/sysvipc/\${o%%:*} || exit 1
     done"
expect "--remove nothing matched: exit 1" 1 "" "$IS" -m --id "$A" --remove
expect_sorted "--posix --remove: unmapped goes, mapped stays" 0 "\
removed posix /dev/shm/$PA owner $U3
skipped posix /dev/shm/$PB owner $U3: mapped by 1 process; --force removes it
skipped posix /dev/shm/$PD owner $U3: a PostgreSQL DSM file, maybe of a running instance that does not map it now; --pg DATADIR decides" \
    "$IS" --posix -u "$U3" --remove
check "the mapped POSIX object stays" [ -f "/dev/shm/$PB" ]
check "the unmapped POSIX object is gone" [ ! -e "/dev/shm/$PA" ]
expect_sorted "--force removes a mapped POSIX object, never a PostgreSQL one" 0 "\
removed posix /dev/shm/$PB owner $U3
skipped posix /dev/shm/$PD owner $U3: a PostgreSQL DSM file, maybe of a running instance that does not map it now; --pg DATADIR decides" \
    "$IS" --posix -u "$U3" --remove --force
check "the PostgreSQL-named one stays" [ -e "/dev/shm/$PD" ]

# --- --pg with a <= 9.6-style instance -----------------------------------
# A 9.6 data directory (PG_VERSION, a 7-line postmaster.pid) whose
# "postmaster" is a helper that made its semaphore sets the way
# sysv_sema.c does, at keys port * 1000 + 1, + 2; decoys: a set of its
# beyond PostgreSQL's 1000 tries, the same layout by another user and
# creator, a 17-semaphore set without the marker.
P96=$((50000 + $$ % 10000))
SEED=$((P96 * 1000))
F96=$T/pg96
mkdir -p "$F96" && echo 9.6 > "$F96/PG_VERSION" && chown -R "$U2" "$F96" && chmod 700 "$F96"
spawn "$MK" -H "$T/S96" -u "$U2" -k "$SEED" pgsem 1,2,2001 > /dev/null
S96_PID=$SPAWNED
wait_file "$T/S96" || { fail setup "ipcsweep_mk pgsem 1,2,2001"; exit 3; }
S1=$(sed -n 1p "$T/S96") S2=$(sed -n 2p "$T/S96") S3=$(sed -n 3p "$T/S96")
for s in $S1 $S2 $S3; do at_exit "rm_ours s $s $SEED $((SEED + 2001))"; done
S4=$("$MK" -u "$U1" -k "$((SEED + 3))" pgsem) &&
    at_exit "rm_ours s $S4 $SEED $((SEED + 2001))"
S5=$("$MK" -u "$U2" -k "$((SEED + 4))" pgsem-nomark) &&
    at_exit "rm_ours s $S5 $SEED $((SEED + 2001))"
printf '%s\n%s\n%s\n%s\n%s\n\n%s\n' "$S96_PID" "$F96" "$(date +%s)" "$P96" \
    /tmp "  $((SEED + 1))     99999" > "$F96/postmaster.pid"
chown "$U2" "$F96/postmaster.pid"
expect_sorted "--pg 9.6: its semaphore sets by key scheme, marker and creator" 0 \
    "$S1 $S96_PID $F96
$S2 $S96_PID $F96" "$IS" --pg "$F96" -r -n -o ID,CPID,PG
expect_sorted "--pg 9.6: its PID lives (not a postmaster): kept without --force" 0 "\
skipped sem $S1 key $(printf '0x%08x' $((SEED + 1))) owner $U2: its creator is alive; --force removes it
skipped sem $S2 key $(printf '0x%08x' $((SEED + 2))) owner $U2: its creator is alive; --force removes it" \
    "$IS" --pg "$F96" --remove
kill -KILL "$S96_PID"
wait_gone "$S96_PID"
expect_sorted "--pg 9.6: dead: both sets go, decoys stay" 0 "\
removed sem $S1 key $(printf '0x%08x' $((SEED + 1))) owner $U2
removed sem $S2 key $(printf '0x%08x' $((SEED + 2))) owner $U2" \
    "$IS" --pg "$F96" --remove
check "--pg 9.6: decoys untouched" sh -c "for s in $S3 $S4 $S5; do
	awk -v id=\$s 'NR>1 && \$2==id {f=1} END {exit !f}' /proc/sysvipc/sem || exit 1
     done"
usage_err "--pg needs an argument" "^ipcsweep: option --pg needs a value$" "$IS" --pg
run "$IS" --pg "$T/no-such-dir"
if [ "$RC" = 3 ] && grep -q "^ipcsweep: inspect $T/no-such-dir: " "$T/err" && ! [ -s "$T/out" ]
then pass "--pg of a missing directory: exit 3 and why"
else fail "--pg of a missing directory: exit 3 and why" "$(why pg 3)"; fi
run "$IS" --pg "$T"
if [ "$RC" = 3 ] && grep -q "not a PostgreSQL data directory" "$T/err"
then pass "--pg of a directory without PG_VERSION: exit 3"
else fail "--pg of a directory without PG_VERSION: exit 3" "$(why pg 3)"; fi
