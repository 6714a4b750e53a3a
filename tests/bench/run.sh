#!/bin/sh
# make bench: every tests/bench/*.sh, each timing a tool side by side with
# the tools it replaces in one run, as ratios (these machines are shared
# and noisy: compare within a run, not across runs).
cd "$(dirname "$0")/../.." || exit 3
TOP=$(pwd)
export TOP BIN="$TOP/dist" HELP="$TOP/build/helpers"
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	[ "$(basename "$b")" = lib.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || echo "bench $(basename "$b" .sh) failed"
	echo
done
