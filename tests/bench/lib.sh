# Helpers for the bench scripts (sourced).
T=$(mktemp -d "${TMPDIR:-/tmp}/undead-bench.XXXXXX") || exit 3
CLEAN=":"
trap 'eval "$CLEAN"; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
at_exit() { CLEAN="$1; $CLEAN"; }

# ms [-n RUNS] CMD...: median wall time in ms.
ms() { "$HELP/benchtime" "$@"; }

# rss CMD...: peak RSS of CMD in KiB.
rss() { "$HELP/peakrss" "$@" 2>&1 >/dev/null | awk '/^peak_rss_kib/ {print $2}'; }

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# verdict LABEL OK: prints "target LABEL: met" or "not met".
verdict() { if [ "$2" = 1 ]; then echo "target $1: met"; else echo "target $1: NOT met"; fi; }

have() { command -v "$1" >/dev/null 2>&1; }

wait_ready() {
	_i=0
	while ! [ -s "$1" ]; do
		_i=$((_i + 1)); [ "$_i" -gt 600 ] && return 1; sleep 0.1
	done
}
