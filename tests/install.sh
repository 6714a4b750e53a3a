# make install / uninstall into a temporary DESTDIR, with PREFIX and
# MANPREFIX and with the defaults: the five binaries (executable, the same
# bytes as dist/, running), the man pages stamped with the version; then
# uninstall leaves no file, and nothing lands outside DESTDIR.
. "$TOP/tests/lib.sh"

VERSION=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$TOP/Makefile")
TOOLS=$(cd "$TOP/cmd" && ls ./*.c | sed 's|^\./||; s|\.c$||')
[ -n "$VERSION" ] && [ "$(echo $TOOLS | wc -w)" = 5 ]; checked "version $VERSION and five tools known"

mk() { make -s -C "$TOP" "$@" > "$T/make.out" 2>&1; }

# installed ROOT BINDIR MANDIR: every tool there as it should be.
installed() {
	_bad=""
	for t in $TOOLS; do
		_b=$1$2/$t _m=$1$3/man1/$t.1
		if ! [ -f "$_b" ] || ! [ -x "$_b" ] || ! cmp -s "$_b" "$BIN/$t"; then
			_bad="$_bad $2/$t"
		elif [ "$("$_b" -V | head -n 1 | cut -d" " -f1,2)" != "$t $VERSION" ]; then
			_bad="$_bad $t-V"
		fi
		if ! grep -q "^\.Os undead $VERSION\$" "$_m" 2>/dev/null ||
		    grep -q '@VERSION@' "$_m"; then
			_bad="$_bad $3/man1/$t.1"
		fi
	done
	[ "$(stat -c %a "$1$2/fdls" 2>/dev/null)" = 755 ] || _bad="$_bad mode"
	echo "$_bad"
}

R=$T/root
if [ -e /opt/undead-test-prefix ]; then
	skip install "/opt/undead-test-prefix exists"
	exit 0
fi
mk install DESTDIR="$R" PREFIX=/opt/undead-test-prefix \
    MANPREFIX=/opt/undead-test-prefix/man
check "install with DESTDIR, PREFIX, MANPREFIX" [ $? = 0 ]
bad=$(installed "$R" /opt/undead-test-prefix/bin /opt/undead-test-prefix/man)
check "binaries (755, as in dist/, -V) and stamped man pages${bad:+: wrong:$bad}" \
    [ -z "$bad" ]
check "nothing outside DESTDIR" [ ! -e /opt/undead-test-prefix ]
n=$(find "$R" -type f | wc -l)
check "exactly 10 files installed ($n)" [ "$n" = 10 ]
mk uninstall DESTDIR="$R" PREFIX=/opt/undead-test-prefix \
    MANPREFIX=/opt/undead-test-prefix/man
check "uninstall" [ $? = 0 ]
left=$(find "$R" ! -type d | tr '\n' ' ')
check "uninstall leaves no file${left:+: $left}" [ -z "$left" ]

R2=$T/root2
mk install DESTDIR="$R2"
bad=$(installed "$R2" /usr/local/bin /usr/local/share/man)
check "defaults: /usr/local/bin and /usr/local/share/man/man1${bad:+: wrong:$bad}" \
    [ -z "$bad" ]
mk uninstall DESTDIR="$R2"
left=$(find "$R2" ! -type d | tr '\n' ' ')
check "defaults: uninstall leaves no file${left:+: $left}" [ -z "$left" ]
