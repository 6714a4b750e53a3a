# make dist, twice, in two copies of this tree at different paths (with a
# different umask, time zone and locale, SOURCE_DATE_EPOCH once on the
# command line and once in the environment): the SHA256SUMS and tarballs
# of every arch must be byte-identical. Then what the set holds: static
# stripped binaries of the right machine, stamped man pages, sums that
# verify, tar entries owned by 0/0 and dated SOURCE_DATE_EPOCH; and that
# make clean removes it all.
. "$TOP/tests/lib.sh"
# The test's own make, not the jobserver of a make that may have started us.
unset MAKEFLAGS MFLAGS MAKELEVEL
VERSION=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/Makefile")
EPOCH=1700000000
TOOLS=$(cd "$TOP/cmd" && ls *.c | sed 's/\.c$//')

command -v musl-gcc >/dev/null || { skip all "musl-gcc is absent (musl-tools)"; exit 0; }
ARCHS=x86_64
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	skip "aarch64" "aarch64-linux-gnu-gcc is absent (gcc-aarch64-linux-gnu): comparing x86_64 only"
elif ! [ -f /usr/lib/aarch64-linux-musl/libc.a ]; then
	skip "aarch64" "musl for arm64 is absent (musl-dev:arm64): comparing x86_64 only"
elif ! [ -d /usr/include/aarch64-linux-gnu/asm ] &&
    ! [ -d /usr/aarch64-linux-gnu/include/asm ]; then
	skip "aarch64" "arm64 kernel headers are absent (linux-libc-dev:arm64): comparing x86_64 only"
else
	ARCHS="x86_64 aarch64"
fi

# Two copies of what the build reads; the second one deeper, renamed.
A=$T/a/undead B=$T/bb/some/other/place/undead-copy
for d in "$A" "$B"; do
	mkdir -p "$d" && tar -C "$TOP" -cf - Makefile cmd lib tests/static.sh |
	    tar -C "$d" -xf - || { fail copy "cannot copy the tree to $d"; exit 0; }
done
(umask 022; cd "$A" && TZ=UTC make -j2 dist DISTARCHS="$ARCHS" \
    SOURCE_DATE_EPOCH=$EPOCH > "$T/a.log" 2>&1; echo $? > "$T/a.rc") &
(umask 077; cd "$B" && TZ=Pacific/Auckland LC_ALL=C.UTF-8 \
    SOURCE_DATE_EPOCH=$EPOCH make -j2 dist DISTARCHS="$ARCHS" \
    > "$T/b.log" 2>&1; echo $? > "$T/b.rc") &
wait
for x in a b; do
	[ "$(cat "$T/$x.rc")" = 0 ] ||
	    { fail "make dist" "build $x: $(tail -n 5 "$T/$x.log" | tr '\n' '|')"; exit 0; }
done
pass "make dist builds $ARCHS"

# machine ARCH: what readelf -h says of its binaries.
machine() {
	case $1 in x86_64) echo 'Advanced Micro Devices X86-64' ;; aarch64) echo AArch64 ;; esac
}
# pages64k BINARY: arm64 kernels may use 64 KiB pages (RHEL's do): every
# PT_LOAD must map at that granularity (vaddr = offset modulo 64 KiB), which
# -z max-page-size=4096 would break.
pages64k() {
	readelf -lW "$1" | awk '$1 == "LOAD" { print $2, $3 }' | {
		n=0
		while read -r o v; do
			[ $(( (v - o) % 65536 )) = 0 ] || return 1
			n=$((n + 1))
		done
		[ "$n" -gt 0 ]
	}
}
for a in $ARCHS; do
	tgz=undead-$VERSION-$a.tar.gz
	cmp -s "$A/dist/$a/SHA256SUMS" "$B/dist/$a/SHA256SUMS" &&
	    cmp -s "$A/dist/$tgz" "$B/dist/$tgz"; checked "$a: two builds byte-identical (SHA256SUMS, $tgz)"
	for t in $TOOLS; do
		cmp -s "$A/dist/$a/$t" "$B/dist/$a/$t" || fail "$a: $t identical" "differs"
	done
	(cd "$A/dist/$a" && sha256sum -c --quiet SHA256SUMS) > "$T/sum" 2>&1 &&
	    [ "$(wc -l < "$A/dist/$a/SHA256SUMS")" = $(($(echo $TOOLS | wc -w) * 2)) ]
	checked "$a: SHA256SUMS covers every tool and man page and verifies"
	bad=""
	for t in $TOOLS; do
		b=$A/dist/$a/$t
		readelf -hW "$b" | grep -q "Machine:.*$(machine "$a")\$" &&
		    ! readelf -SW "$b" | grep -q '\.symtab' &&
		    sh "$A/tests/static.sh" "$b" > /dev/null 2>&1 || bad="$bad $t"
	done
	check "$a: every tool a static stripped $a binary${bad:+ (not:$bad)}" [ -z "$bad" ]
	if [ "$a" = aarch64 ]; then
		bad=""
		for t in $TOOLS; do pages64k "$A/dist/$a/$t" || bad="$bad $t"; done
		check "$a: loadable on 64 KiB-page kernels${bad:+ (not:$bad)}" [ -z "$bad" ]
	fi
	bad=""
	for t in $TOOLS; do
		m=$A/dist/$a/$t.1
		sed -n 1p "$m" | grep -qx '\.Dd November 14, 2023' &&
		    grep -qx "\\.Os undead $VERSION" "$m" && ! grep -q @VERSION@ "$m" ||
		    bad="$bad $t.1"
	done
	check "$a: man pages stamped with the version and SOURCE_DATE_EPOCH's date${bad:+ (not:$bad)}" [ -z "$bad" ]
	python3 - "$A/dist/$tgz" "$EPOCH" "undead-$VERSION-$a" $TOOLS > "$T/py" 2>&1 <<'EOF'
import sys, tarfile
path, epoch, top, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
head = open(path, "rb").read(10)
assert head[3] & 0x08 == 0, "gzip header carries a file name"
assert head[4:8] == b"\0\0\0\0", "gzip header carries a time"
want = {top: 0o755, top + "/SHA256SUMS": 0o644}
for t in tools:
	want[top + "/" + t] = 0o755
	want[top + "/" + t + ".1"] = 0o644
with tarfile.open(path) as tf:
	got = {m.name: m for m in tf.getmembers()}
	assert set(got) == set(want), sorted(set(got) ^ set(want))
	for n, m in got.items():
		assert (m.uid, m.gid, m.mtime) == (0, 0, epoch), (n, m.uid, m.gid, m.mtime)
		assert m.mode == want[n], (n, oct(m.mode))
EOF
	if [ $? = 0 ]; then
		pass "$a: tarball: one directory, 0/0, modes 755/644, dated SOURCE_DATE_EPOCH, gzip -n"
	else
		fail "$a: tarball" "$(tail -n 2 "$T/py" | tr '\n' '|')"
	fi
done
(cd "$A/dist" && sha256sum -c --quiet SHA256SUMS) > /dev/null 2>&1 &&
    cmp -s "$A/dist/SHA256SUMS" "$B/dist/SHA256SUMS"; checked "dist/SHA256SUMS of the tarballs verifies and is identical"

(cd "$A" && make clean DISTARCHS="$ARCHS" > "$T/clean.log" 2>&1) &&
    ! [ -e "$A/build" ] && [ -z "$(find "$A/dist" -mindepth 1 ! -name README)" ]
checked "make clean removes the build trees and the release set"
