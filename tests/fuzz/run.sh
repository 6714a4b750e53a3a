#!/bin/sh
# Builds and runs every parser's fuzz target with libFuzzer (clang).
# Usage: run.sh SECONDS [TARGET...]   or   run.sh smoke (a few seconds each,
# as part of `make check`). Reports one PASS/FAIL/SKIP line per target.
cd "$(dirname "$0")/../.." || exit 3
if [ "$1" = smoke ]; then
	secs=2; shift
else
	secs=${1:-60}; shift
fi
SUITE=${SUITE:-fuzz}
targets=$*
[ -n "$targets" ] || targets=$(for f in tests/fuzz/*.c; do basename "$f" .c; done)
out=build/fuzz
mkdir -p "$out"
if ! command -v clang >/dev/null 2>&1; then
	for t in $targets; do echo "SKIP $SUITE: $t: clang is not installed"; done
	exit 0
fi
# lib is compiled once with coverage and sanitizers; each target links it.
FFLAGS="-g -O1 -fsanitize=address,undefined -std=c11 -D_GNU_SOURCE -Ilib -Itests/fuzz"
mkdir -p "$out/lib"
for c in lib/*.c; do
	o="$out/lib/$(basename "$c" .c).o"
	[ "$o" -nt "$c" ] && [ "$o" -nt lib/lib.h ] && continue
	if ! clang $FFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$c" \
	    > "$out/lib.build" 2>&1; then
		echo "FAIL $SUITE: build $c: $(head -c 400 "$out/lib.build")"
		exit 0
	fi
done
for t in $targets; do
	if ! clang $FFLAGS -fsanitize=fuzzer -o "$out/$t" "tests/fuzz/$t.c" \
	    "$out"/lib/*.o > "$out/$t.build" 2>&1; then
		if grep -q 'libclang_rt.fuzzer\|cannot find.*fuzzer' "$out/$t.build"; then
			echo "SKIP $SUITE: $t: libFuzzer runtime missing (libclang-rt-dev)"
		else
			echo "FAIL $SUITE: $t: build failed: $(head -c 400 "$out/$t.build")"
		fi
		continue
	fi
	work="$out/corpus-$t"
	mkdir -p "$work"
	seeds="tests/fuzz/corpus/$t"
	[ -d "$seeds" ] || seeds=""
	if "$out/$t" -max_total_time="$secs" -max_len=8192 -timeout=5 \
	    -artifact_prefix="$out/$t-" \
	    -rss_limit_mb=1024 "$work" $seeds > "$out/$t.log" 2>&1; then
		echo "PASS $SUITE: $t ($(grep -o 'Done [0-9]* runs' "$out/$t.log" | head -1))"
	else
		echo "FAIL $SUITE: $t: $(grep -m1 -E 'ERROR|SUMMARY|crash' "$out/$t.log")"
	fi
done
