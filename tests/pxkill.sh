#!/bin/sh
# CLI tests of pxkill against real process trees it starts itself. Every
# victim is a helper of ours; cleanup kills by PID and only processes
# whose comm is still the helper's.
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$TOP/dist} HELP=${HELP:-$TOP/build/helpers}
SUITE=${SUITE:-cli/pxkill}
. "$TOP/tests/lib.sh"
PX=$BIN/pxkill
NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"

# ours PID COMM: PID is alive (or a zombie) and still runs COMM.
ours() { [ "$(cut -d' ' -f2 "/proc/$1/stat" 2>/dev/null)" = "($2)" ]; }
# sweep FILE COMM: at exit, SIGKILL the listed PIDs that are still ours.
sweep() {
	at_exit "for p in \$(awk '{print \$2}' $1 2>/dev/null); do \
	    ours \$p $2 && kill -KILL \$p; done"
}
# tree NAME KIDS GRAND ZOMBIES [reap]: starts pxkill_tree, sets $P.
tree() {
	_f=$T/$1; shift
	spawn "$HELP/pxkill_tree" "$_f" "$@"
	sweep "$_f" pxkill_tree
	wait_file "$_f" || fail tree "victim tree did not start"
	P=$(awk '$1 == "parent" {print $2}' "$_f")
}
pids() { awk -v r="$2" '$1 == r {print $2}' "$T/$1"; }
alive() { for p in "$@"; do ours "$p" "${NAME:-pxkill_tree}" || return 1; done; }
none_alive() { for p in "$@"; do [ -d "/proc/$p" ] && ours "$p" \
    "${NAME:-pxkill_tree}" && return 1; done; return 0; }
all() { eval "$1"; }
state() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }
is_root || { skip all "needs root (other users' victims)"; exit 0; }
# Victims selected by name get a name of this run (another run of this
# suite may be going on beside us): copies of the helpers, comm "rs<PID>".
RS=rs$$ NB=nb$$ SU=su$$
cp "$HELP/pxkill_respawn" "$T/$RS" && cp "$HELP/pxkill_tree" "$T/$NB" &&
    cp "$HELP/pxkill_tree" "$T/$SU" && chmod 755 "$T/$RS" "$T/$NB" &&
    chmod 4755 "$T/$SU" || { fail setup "cannot copy helpers"; exit 0; }

# --- usage, help, signals, options ----------------------------------------
run "$PX" -h
check "help to stdout, exit 0" all '[ "$RC" = 0 ] && grep -q "^usage: pxkill" "$T/out"'
run "$PX"
check "no selector is a usage error" all '[ "$RC" = 2 ] && grep -q "no selector" "$T/err"'
expect_err "unknown signal is a usage error" 2 "^pxkill: unknown signal: NOPE$" \
    "$PX" -s NOPE 1
expect_err "-x longer than 15 bytes is a usage error" 2 \
    "^pxkill: a command name longer than 15 bytes can never match: averyveryverylongname\$" \
    "$PX" -x averyveryverylongname
expect_err "unknown column is a usage error" 2 "^pxkill: unknown column: NOPE$" \
    "$PX" -o PID,NOPE 1
run "$PX" --wait=x 1
check "bad --wait is a usage error" [ "$RC" = 2 ]
# usage_line NAME FIRST-LINE CMD...: status 2, nothing on stdout, FIRST-LINE
# as stderr's first line, the synopsis after it.
usage_line() {
	_n=$1 _l=$2; shift 2
	run "$@"
	[ "$RC" = 2 ] && ! [ -s "$T/out" ] &&
	    [ "$(head -n 1 "$T/err")" = "$_l" ] &&
	    sed -n 2p "$T/err" | grep -q '^usage: pxkill'
	checked "$_n"
}
usage_line "-KILLX: an unknown signal, not options" \
    "pxkill: unknown signal: KILLX" "$PX" -KILLX 1
usage_line "-999: an unknown signal" "pxkill: unknown signal: 999" "$PX" -999 1
expect "-JU root: options, not a signal" 0 "" sh -c "'$PX' --dry-run -JU root 1 | python3 -c 'import json,sys; json.load(sys.stdin)'"
usage_line "unknown option named by the tool" "pxkill: unknown option: --bogus" \
    "$PX" --bogus 1
usage_line "a value given to a flag" "pxkill: option --dry-run takes no value" \
    "$PX" --dry-run=yes 1
usage_line "a missing value" "pxkill: option --timeout needs a value" \
    "$PX" 1 --timeout
usage_line "-x a,,b: an empty item, as -P 1,,2" \
    "pxkill: an empty item in name list: 'a,,b'" "$PX" -x a,,b
usage_line "--pg '': a usage error" "pxkill: empty data directory" "$PX" --pg ""
expect "-V" 0 "$("$PX" -V)" "$PX" --version
check "-V names the arch" grep -q "^pxkill [0-9.]* (.*, $VARCH, $LINK)" "$T/out"
run "$PX" -l
check "-l lists numbers and names" all '[ "$RC" = 0 ] &&
    grep -qx "9 KILL" "$T/out" && grep -qx "15 TERM" "$T/out" &&
    grep -qx "34 RTMIN" "$T/out" && grep -qx "64 RTMAX" "$T/out"'
expect "nothing matched: exit 1, no output" 1 "" "$PX" 4194304
expect_err "--pg on a missing directory: exit 3" 3 \
    '^pxkill: inspect /nonexistent/x: .*No such file' "$PX" --pg /nonexistent/x
mkdir "$T/empty"
expect "--pg on a directory without an instance: nothing matched" 1 "" \
    "$PX" --pg "$T/empty"
expect "nothing matched, -J: an empty list" 1 '{
   "processes": []
}' "$PX" -J 4194304

# Options in the code, the -h text and the man page must agree.
code=$(sed -n 's/^	{ "\([a-z-]*\)",.*/--\1/p' "$TOP/cmd/pxkill.c" | sort -u)
helpt=$("$PX" -h | grep -o -- '--[a-z][a-z-]*' | sort -u)
man=$(grep '^\.It ' "$TOP/cmd/pxkill.1" | grep -o 'Fl \\-[a-z][a-z\\-]*' | \
    sed 's/^Fl //; s/\\//g; s/^/-/' | sort -u)
check "long options: code = -h" [ "$code" = "$helpt" ]
check "long options: code = man page" [ "$code" = "$man" ]
cshort=$(sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' \
    "$TOP/cmd/pxkill.c" | tr -d ':' | fold -w1 | sort -u | tr -d '\n')
hshort=$("$PX" -h | grep -o '^  -[A-Za-z]' | tr -d ' -' | sort -u | tr -d '\n')
mshort=$(grep '^\.It ' "$TOP/cmd/pxkill.1" | grep -o 'Fl [A-Za-z]\( \|$\)' | \
    sed 's/Fl //' | tr -d ' ' | sort -u | tr -d '\n')
check "short options: code = -h" [ "$cshort" = "$hshort" ]
check "short options: code = man page" [ "$cshort" = "$mshort" ]

# --- a tree with grandchildren and zombies ----------------------------------
tree t1 3 2 2
kids=$(pids t1 child) grands=$(pids t1 grand) zs=$(pids t1 zombie)
LINES="^ *$P +[0-9]+ root +S +pxkill_tree +would send TERM\$
^ *$(echo $zs | cut -d' ' -f1) +$P +root +Z +pxkill_tree +zombie: already dead; only parent $P \\(pxkill_tree, S\\) can reap it\$"
expect_lines "--dry-run --tree: the plan, zombies named" 0 "$PX" --dry-run --tree "$P"
check "--dry-run --tree: 12 rows" [ "$(wc -l < "$T/out")" = 13 ]
check "--dry-run sent nothing" alive $P $kids $grands
expect "-P: direct children only (and the zombies)" 0 \
    "$(printf '%s\n' $kids $zs | sort -n)" "$PX" --dry-run -P "$P" -o PID -n
run "$PX" --dry-run -P "$P" -J
check "-J: numbers are numbers" grep -q "\"ppid\": $P," "$T/out"
run "$PX" --dry-run -P "$P" -r -o PID,RESULT
check "-r: raw, escaped" grep -q 'would\\x20send\\x20TERM' "$T/out"
expect "-o +START adds a column" 0 "$(cut -d' ' -f22 /proc/$P/stat)" \
    "$PX" --dry-run "$P" -o +START -r -n -o START
expect "-x with -P (AND)" 1 "" "$PX" --dry-run -P "$P" -x sleep
# A zombie's pidfd polls readable for good: waiting on one must sleep
# between looks, not spin (CPU ms of a 1 s wait).
cpu=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(int((r.ru_utime + r.ru_stime) * 1000))' "$PX" -0 --wait=1 $(echo $zs | cut -d' ' -f1))
check "--wait on a zombie does not spin ($cpu ms CPU in 1 s)" [ "$cpu" -lt 300 ]
Z1=$(echo $zs | cut -d' ' -f1)
LINES="^ *$Z1 +$P +root +Z +pxkill_tree +zombie: already dead; only parent $P \\(pxkill_tree, S\\) can reap it\$"
expect_lines "a zombie is never reported signalled; alone, exit 0" 0 \
    "$PX" -TERM "$Z1"
LINES="^ *$P .* exited\$
^ *$(echo $zs | cut -d' ' -f2) .* exited\$"
expect_lines "--tree --wait: everything gone, zombies reaped" 0 \
    "$PX" --tree "$P" --wait=5
check "--tree: no member left" none_alive $P $kids $grands $zs

# --- a main thread that exited while a worker runs on ------------------------
# Its leader shows state Z, but the process is alive: signalled, not
# "zombie", and waited for until the worker dies too. (Run as nobody: the
# exited leader's /proc/PID is root's, its worker's is the owner's.)
if [ -z "$QEMU" ]; then	# (qemu-user emulates threads its own way)
	: > "$T/leader" && chmod 666 "$T/leader"
	spawn $NOBODY "$HELP/fdclose_victim" thr-leader "$T/leader"; LP=$SPAWNED
	wait_file "$T/leader" || fail "thr-leader victim" "did not start"
	LP=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$T/leader")
	_i=0
	while [ "$(state "$LP")" != Z ]; do
		_i=$((_i + 1)); [ "$_i" -gt 100 ] && break; sleep 0.05
	done
	LINES="^ *$LP +[0-9]+ +nobody +[SR] +fdclose_victim +would send KILL\$"
	expect_lines "a leader that exited, its worker running: alive, not a zombie" \
	    0 "$PX" -KILL --dry-run "$LP"
	LINES="^ *$LP +[0-9]+ +nobody +[SR] +fdclose_victim +exited\$"
	expect_lines "  ... signalled and waited for until the worker is gone" 0 \
	    "$PX" -KILL --wait=5 "$LP"
	# (gone, or a zombie of one thread left for the test shell to reap)
	lp_dead() { [ ! -d "/proc/$LP" ] || { [ "$(state "$LP")" = Z ] &&
	    [ "$(awk '{print $20}' "/proc/$LP/stat")" = 1 ]; }; }
	check "  ... every thread dead" lp_dead
fi

# --- a stopped parent: its dead children stay zombies -------------------------
tree t2 2 0 0 reap
kids=$(pids t2 child)
kill -STOP "$P"
LINES="^ *$(echo $kids | cut -d' ' -f1) +$P .*zombie: already dead; parent $P \\(pxkill_tree\\) is stopped: kill -CONT $P lets it reap\$"
t0=$(date +%s%N)
expect_lines "stopped parent: the kill -CONT hint, exit 3" 3 \
    "$PX" -KILL -P "$P" --wait=3
ms=$((($(date +%s%N) - t0) / 1000000))
check "stopped parent: its zombies not waited for ($ms ms of --wait=3)" \
    all '[ "$ms" -lt 2000 ] && [ "$(state "$P")" = T ]'
kill -CONT "$P"
sleep 0.2
check "after kill -CONT the parent reaped them" none_alive $kids
kill -KILL "$P"

# --- refusals: PID 1, ancestors, kernel threads --------------------------------
LINES="^ +1 +0 .* refused: PID 1 \\(--force\\)\$"
expect_lines "PID 1 refused (signal 0 even so), exit 3" 3 "$PX" -0 1
run "$PX" -0 $$
check "our shell (an ancestor) refused" all '[ "$RC" = 3 ] &&
    grep -q "refused: ancestor of pxkill" "$T/out"'
LINES="^ *$$ +[0-9]+ .* would send 0\$"
expect_lines "--force: our shell (an ancestor) is planned, not refused" 0 \
    "$PX" -0 --dry-run --force $$
expect "kernel threads are never selected" 1 "" "$PX" --dry-run -P 2
LINES="^ +2 +0 .* refused: kernel thread \\(--force\\)\$"
expect_lines "a kernel thread named: refused (signal 0 even so), exit 3" 3 \
    "$PX" -0 2
run "$PX" --dry-run --tree 1
check "--tree 1: PID 1 refused and its subtree not selected" \
    all '[ "$RC" = 3 ] && [ "$(wc -l < "$T/out")" = 2 ]'

# --- D state: a vfork parent ---------------------------------------------------
spawn "$HELP/pxkill_vfork" "$T/vf"
wait_file "$T/vf" && sleep 0.2
VP=$(pids vf parent) VC=$(pids vf child)
NAME=pxkill_vfork; at_exit "ours $VC pxkill_vfork && kill -KILL $VC"
check "the vfork parent is in D" [ "$(state "$VP")" = D ]
LINES="^ *$VP .* D +pxkill_vfork +signalled, uninterruptible: D in wchan [a-z_]+, TERM pending for 0\\.[0-9]s\$"
expect_lines "D: signalled, uninterruptible with wchan" 0 "$PX" "$VP"
LINES="^ *$VP .* uninterruptible: D in wchan [a-z_]+, TERM pending for 1\\.[0-9]s\$"
expect_lines "D: --wait=1 reports the survivor, exit 3" 3 "$PX" --wait=1 "$VP"
LINES="^ *$VP .* exited\$"
expect_lines "D: --timeout escalates to KILL" 0 "$PX" --timeout 1 "$VP"
NAME=

# --- a TERM-ignoring process ------------------------------------------------------
spawn sh -c 'trap "" TERM; exec sleep 600'
IG=$SPAWNED; sleep 0.1
LINES="^ *$IG .* survived: S in wchan [a-z_]+, TERM sent 1\\.[0-9]s ago\$"
expect_lines "TERM ignored: --wait=1 reports survived, exit 3" 3 \
    "$PX" --wait=1 "$IG"
"$PX" --wait "$IG" > "$T/w.out" 2>&1 &
W=$!
sleep 0.5; kill -TERM "$W"; wait "$W"; RC=$?
check "--wait without limit: TERM to pxkill ends the wait with a report" \
    all '[ "$RC" = 3 ] && grep -q "^ *$IG .* survived: S" "$T/w.out"'
LINES="^ *$IG .* exited\$"
expect_lines "TERM ignored: --timeout 1 kills it" 0 "$PX" --timeout 1 "$IG"

spawn sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
ST=$SPAWNED; sleep 0.1; kill -STOP "$ST"
LINES="^ *$ST .* signalled, stopped \\(T\\): it acts on TERM once continued \\(kill -CONT $ST\\)\$"
expect_lines "a stopped target: signalled, acts once continued" 0 "$PX" "$ST"
kill -CONT "$ST"; wait_gone "$ST" 30
check "continued, it ran its TERM handler" [ ! -d "/proc/$ST" ]

# --- a respawning parent: --freeze leaves nothing -----------------------------------
spawn "$T/$RS" "$T/rs" 30
RP=$SPAWNED
wait_file "$T/rs" && sleep 0.3
run "$PX" --tree "$RP" --freeze -KILL --wait=5
check "respawner: --freeze -KILL --wait exit 0" [ "$RC" = 0 ]
check "respawner: reported every member" [ "$(wc -l < "$T/out")" -gt 30 ]
sleep 0.2
# Only what this test started: the respawner and its descendants (a child
# it lost lives 20 ms at most), by name too in case its PID was reused.
expect "respawner: nothing of it survives" 1 "" \
    "$PX" --dry-run --tree "$RP" -x "$RS"
# Children that live until killed, replaced every millisecond: one forked
# after the first scan outlives the parent unless a later scan stops it.
# A child that escapes would hold the suite's output open: not ours.
spawn "$T/$RS" "$T/rs3" 20 churn > /dev/null 2>&1
RP=$SPAWNED
# Escaped children, had pxkill missed any: by the PIDs the respawner
# logged, each only while it is still this run's copy.
at_exit "for p in \$(cat '$T/rs3.kids' 2>/dev/null); do
	[ \"\$(cat /proc/\$p/comm 2>/dev/null)\" = $RS ] && kill -KILL \$p
done"
wait_file "$T/rs3" && sleep 0.2
run "$PX" --tree "$RP" --freeze -KILL --wait=5
check "churning respawner: --freeze -KILL --wait exit 0" [ "$RC" = 0 ]
sleep 0.2
expect "churning respawner: no child outlives it (by name, anywhere)" 1 "" \
    "$PX" --dry-run -x "$RS"

# --- PID reuse between selection and signal --------------------------------------
for args in "" "--freeze -KILL" "--tree"; do
	# 99: another process took the PID first (the machine is shared).
	for try in 1 2 3; do
		run "$HELP/pxkill_race" "$PX" $args
		[ "$RC" != 99 ] && break
	done
	check "PID reused before the pin ($args): gone, never signalled" \
	    all '[ "$RC" = 1 ] && grep -q " gone$" "$T/out" &&
	    grep -q "newcomer alive" "$T/err"'
done

# --- without pidfd (as before Linux 5.3): /proc/PID handles + start time -------
NP="$HELP/oldkernel"
expect "no pidfd: -V says so" 0 "$("$PX" -V | head -n 1)
pidfd: no (before Linux 5.3): pins are /proc/PID handles, the start time is re-checked, then kill(2)" \
    "$NP" -k 5.0 "$PX" -V
tree t4 2 1 1
LINES="^ *$P .* exited\$"
expect_lines "no pidfd: --tree --wait still kills and waits (polling)" 0 \
    "$NP" -k 5.0 "$PX" --tree "$P" --wait=5
spawn "$T/$RS" "$T/rs2" 20
RP=$SPAWNED
wait_file "$T/rs2" && sleep 0.2
run "$NP" -k 5.0 "$PX" --tree "$RP" --freeze -KILL --wait=5
sleep 0.2
check "no pidfd: respawner frozen and killed, nothing survives" \
    all '[ "$RC" = 0 ] && ! "$PX" --dry-run --tree "$RP" -x "$RS" >/dev/null'
for try in 1 2 3; do
	run "$NP" -k 5.0 "$HELP/pxkill_race" "$PX"
	[ "$RC" != 99 ] && break
done
check "no pidfd: PID reused before the pin: gone, never signalled" \
    all '[ "$RC" = 1 ] && grep -q " gone$" "$T/out" &&
    grep -q "newcomer alive" "$T/err"'

# --- other users ------------------------------------------------------------------------
mkdir "$T/nobody" && chmod 777 "$T/nobody"
$NOBODY "$T/$NB" "$T/nobody/nb" 0 0 0 &
at_exit "kill -KILL $! 2>/dev/null"
wait_file "$T/nobody/nb"; NBP=$(pids nobody/nb parent)
LINES="^ *$NBP .* nobody +S +$NB +would send TERM\$"
expect_lines "-u nobody selects a victim of nobody" 0 \
    "$PX" --dry-run -u nobody -x "$NB"
$NOBODY "$T/$SU" "$T/nobody/su" 0 0 0 &
at_exit "kill -KILL $! 2>/dev/null"
wait_file "$T/nobody/su"; SUP=$(pids nobody/su parent)
expect "setuid victim: -U (real) nobody selects it" 0 "$SUP" \
    "$PX" --dry-run -U nobody -x "$SU" -o PID -n
expect "setuid victim: -u (effective) nobody does not" 1 "" \
    "$PX" --dry-run -u nobody -x "$SU"
expect "setuid victim: -u root does" 0 "$SUP" \
    "$PX" --dry-run -u root -U nobody -x "$SU" -o PID -n
tree t3 1 0 0
kid=$(pids t3 child)
LINES="^ *$P .* permission denied\$"
expect_lines "as nobody: root's victim is refused cleanly, exit 3" 3 \
    $NOBODY "$PX" -KILL "$P"
check "as nobody: nothing signalled" alive "$P"
run $NOBODY "$PX" --freeze -KILL --tree "$P"
check "as nobody with --freeze: permission denied, nothing stopped" \
    all '[ "$RC" = 3 ] && [ "$(state $P)" = S ] && [ "$(state $kid)" = S ]'
LINES="^ *$NBP .* exited\$"
expect_lines "as nobody: its own victim is signalled" 0 \
    $NOBODY "$PX" --wait=5 "$NBP"
LINES="^ *$SUP .* exited\$"
expect_lines "root signals the setuid victim of nobody" 0 "$PX" --wait=5 "$SUP"
LINES="^ *$P .* exited\$"
expect_lines "--freeze -TERM: stopped, signalled, continued, gone" 0 \
    "$PX" --freeze --tree "$P" --wait=5

# -v: without pidfd (oldkernel) the pins are /proc/PID handles; said once.
tree tv 2 0 0
expect_v "-v names the fallback taken, once" 0 "pxkill: pidfd_open: not supported by this kernel (ENOSYS), pinning by /proc/PID dirfd and start time, kill(2), polling for exits" \
    "$PX" -v -n -o RESULT --tree "$P" --wait=5
check "-v: the report is the same" all '[ "$(sort -u "$T/out")" = exited ]'
sh "$TOP/tests/optcheck.sh" pxkill
exit 0
