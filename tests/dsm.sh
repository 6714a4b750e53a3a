# The /dev/shm DSM files of the PostgreSQL clusters tests and the demo start
# (sourced; plain sh, no other helper needed). A killed cluster leaves them
# for good (facts: postgres.md 2.6), so each is recorded as "NAME INODE":
# the files the cluster's processes map, and every segment listed by the
# control segment among them, the one the shim header's dsm_control names
# (the postmaster maps it all its life; the others, such as the 1 MiB one
# of the statistics, may be mapped by no process when recorded). Only a
# recorded name whose inode is still the recorded one is ever removed.

# dsm_items NAME: the segments /dev/shm/NAME lists when it is a control
# segment (uint32 magic 0x9a503d32, nitems, maxitems, then from byte 16
# maxitems items of (size - 16) / maxitems bytes: handle, refcnt, ...;
# refcnt 0 is a free slot). Odd handles (14+) have no file: not printed.
dsm_items() {
	[ "$(od -An -tu4 -N4 "/dev/shm/$1" 2>/dev/null | tr -d ' ')" = \
	    2588949810 ] || return 0
	od -An -v -tu4 -w4 "/dev/shm/$1" 2>/dev/null | awk \
	    -v sz="$(stat -c %s "/dev/shm/$1" 2>/dev/null)" '
	{ w[NR - 1] = $1 }
	END {
		if (w[2] < 1 || (sz - 16) % w[2] || (sz - 16) / w[2] % 4)
			exit
		s = (sz - 16) / w[2] / 4
		for (i = 0; i < w[1] && i < w[2]; i++)
			if (w[4 + i * s + 1] && w[4 + i * s] % 2 == 0)
				print "PostgreSQL." w[4 + i * s]
	}'
}

# dsm_with_inodes: "NAME INODE" for each name read that exists now.
dsm_with_inodes() {
	while read -r _dn _; do
		_di=$(stat -c %i "/dev/shm/$_dn" 2>/dev/null) && echo "$_dn $_di"
	done
}

# dsm_note FILE PID...: appends to FILE the DSM files those processes map
# and the segments listed by the control segment among them.
dsm_note() {
	_df=$1
	shift
	for _dp; do
		grep -o 'PostgreSQL\.[0-9]*$' "/proc/$_dp/maps" 2>/dev/null
		grep -o 'PostgreSQL\.[0-9]* (deleted)$' "/proc/$_dp/maps" 2>/dev/null |
		    cut -d' ' -f1
	done | sort -u | while read -r _dn; do
		echo "$_dn"
		dsm_items "$_dn"
	done | dsm_with_inodes >> "$_df"
}

# dsm_ours FILE: the recorded files still there (same name and inode),
# with what the control segments among them list now.
dsm_ours() {
	sort -u "$1" 2>/dev/null | while read -r _dn _di; do
		[ "$(stat -c %i "/dev/shm/$_dn" 2>/dev/null)" = "$_di" ] || continue
		echo "$_dn $_di"
		dsm_items "$_dn" | dsm_with_inodes
	done | sort -u
}

# dsm_mapped NAME: whether some process maps /dev/shm/NAME.
dsm_mapped() {
	grep -qsE "/dev/shm/$1( \(deleted\))?\$" /proc/[0-9]*/maps
}

# dsm_clean FILE: removes the recorded files (and those their control
# segments list) that no process maps; prints "NAME INODE" of each left.
dsm_clean() {
	dsm_ours "$1" > "$1.now"
	cat "$1.now" >> "$1"
	while read -r _dn _di; do
		dsm_mapped "$_dn" || rm -f "/dev/shm/$_dn"
	done < "$1.now"
	dsm_ours "$1"
	rm -f "$1.now"
}
