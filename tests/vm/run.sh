# The arm64 VM suite: fdclose's ptrace injection on a real arm64 kernel.
# Builds the aarch64 fdclose, its victims and tests/vm/init.c (make
# vm-bins), boots Debian's arm64 kernel in qemu-system-aarch64 (TCG) with
# them in an initramfs, and reads the PASS/FAIL lines /init prints on the
# serial console. Bounded in time: a VM that does not come up, hangs or
# stops early is a failure. The kernel package is fetched with apt-get
# download once (dpkg needs the arm64 architecture) and kept in build/vm.
. "$TOP/tests/lib.sh"
K=$TOP/build/vm
BOOT_S=${VM_BOOT_S:-120}	# until /init says "vm: up"
TOTAL_S=${VM_TOTAL_S:-300}	# until it powers off

need() {	# need CMD WHY: skip the whole suite when CMD is missing
	command -v "$1" >/dev/null 2>&1 && return 0
	skip "arm64 VM" "$2"
	exit 0
}
need qemu-system-aarch64 "no qemu-system-aarch64 (Debian: qemu-system-arm)"
need aarch64-linux-gnu-gcc "no aarch64 cross compiler (Debian: gcc-aarch64-linux-gnu)"
need cpio "no cpio to pack the initramfs (Debian: cpio)"
[ -f /usr/lib/aarch64-linux-musl/libc.a ] ||
	{ skip "arm64 VM" "no musl for aarch64 (Debian: musl-dev:arm64)"; exit 0; }
dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 ||
	[ -n "$(ls "$K"/vmlinuz-* 2>/dev/null)" ] ||
	{ skip "arm64 VM" "dpkg has no arm64 architecture for the kernel package (dpkg --add-architecture arm64; apt-get update)"; exit 0; }

# The build, without the calling make's jobserver (not passed down here).
MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g')
if ! make -s -C "$TOP" vm-bins > "$T/build" 2>&1; then
	fail "aarch64 build (make vm-bins)" "$(tail -n 5 "$T/build" | tr '\n' '|')"
	exit 0
fi

# kernel: the newest cached vmlinuz, else the one of the package that
# linux-image-arm64:arm64 depends on, downloaded and cut out of the .deb.
kernel() {
	VMLINUZ=$(ls "$K"/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
	[ -n "$VMLINUZ" ] && return 0
	mkdir -p "$K/dl" || return 1
	_p=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	    sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\):arm64$/\1/p' |
	    head -n 1)
	[ -n "$_p" ] || { echo "apt-cache knows no linux-image-arm64:arm64"; return 1; }
	(cd "$K/dl" && apt-get download "$_p:arm64") > "$K/dl/log" 2>&1 ||
	    { tail -n 3 "$K/dl/log"; return 1; }
	dpkg-deb --fsys-tarfile "$K"/dl/"$_p"_*.deb |
	    tar -x -C "$K/dl" --wildcards './boot/vmlinuz-*' &&
	    mv "$K"/dl/boot/vmlinuz-* "$K/" && rm -rf "$K/dl" || return 1
	VMLINUZ=$(ls "$K"/vmlinuz-* | tail -n 1)
}
if ! kernel > "$T/kernel" 2>&1; then
	fail "arm64 kernel (apt-get download)" "$(tr '\n' '|' < "$T/kernel")"
	exit 0
fi

# The initramfs: /init and the binaries in /bin, as a plain newc cpio.
R=$T/root
mkdir -p "$R/bin"
cp "$TOP/build/aarch64/vm/init" "$R/init"
cp "$TOP/dist/aarch64/fdclose" "$TOP/build/aarch64/helpers/fdclose_victim" \
    "$TOP/build/aarch64/helpers/fdclose_hooked" "$R/bin/"
(cd "$R" && find . | cpio -o -H newc --quiet) > "$T/initrd" ||
	{ fail "initramfs" "cpio failed"; exit 0; }

# -cpu max: a current core (BTI, PAC, SVE); pauth-impdef keeps TCG fast.
start=$(date +%s)
qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -smp 2 -m 512 \
    -nographic -no-reboot -nic none -kernel "$VMLINUZ" -initrd "$T/initrd" \
    -append "console=ttyAMA0 panic=-1 quiet" > "$T/console" 2>&1 &
QP=$!
at_exit "kill -KILL $QP 2>/dev/null"
up=0 state=timeout
while [ $(($(date +%s) - start)) -lt "$TOTAL_S" ]; do
	if ! kill -0 "$QP" 2>/dev/null; then state=exited; break; fi
	if [ "$up" = 0 ] && grep -q '^vm: up' "$T/console"; then
		up=$(($(date +%s) - start)); [ "$up" = 0 ] && up=1
	fi
	if [ "$up" = 0 ] && [ $(($(date +%s) - start)) -ge "$BOOT_S" ]; then
		state=noboot; break
	fi
	sleep 0.2
done
kill -KILL "$QP" 2>/dev/null
wait "$QP" 2>/dev/null
total=$(($(date +%s) - start))

tr -d '\r' < "$T/console" > "$T/lines"
grep '^vm: ' "$T/lines"
sed -n 's/^\(PASS\|FAIL\|SKIP\) /\1 '"$SUITE"': /p' "$T/lines"
last=$(grep -v '^\(PASS\|FAIL\|SKIP\) ' "$T/lines" | tail -n 8 | tr '\n' '|')
case $state in
noboot)	fail "arm64 VM" "no \"vm: up\" within $BOOT_S s; console: $last" ;;
timeout) fail "arm64 VM" "not powered off within $TOTAL_S s; console: $last" ;;
*)	grep -q '^vm: done' "$T/lines"; checked "the VM ran every case and powered off (up in ${up} s, ${total} s in all)"
	grep -q '^vm: done' "$T/lines" || echo "console: $last" ;;
esac
