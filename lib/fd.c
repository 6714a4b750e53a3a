/*
 * fd.c: a process's file descriptors. Nothing here follows a link with a
 * plain stat: the target comes from readlink, the open mode from the
 * link's own permission bits (proc_fd_link inode: S_IRUSR for FMODE_READ,
 * S_IWUSR for FMODE_WRITE), sizes from statx(AT_STATX_DONT_SYNC) so a dead
 * NFS server is not asked, and position and flags from fdinfo.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/stat.h>

#include "lib.h"

#ifndef AT_STATX_DONT_SYNC
#define AT_STATX_DONT_SYNC	0x4000
#endif

/*
 * fstatat(2) without libc's wrapper: musl's carries a conversion from the
 * kernel's struct stat (for 32-bit time), half a kilobyte in every tool
 * that asks for a stat; on x86_64 and aarch64 the two are the same.
 */
int
fd_statat(int dirfd, const char *path, struct stat *st, int flags)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return syscall(SYS_newfstatat, dirfd, path, st, flags);
#else
	return fstatat(dirfd, path, st, flags);
#endif
}

int
fd_dir_open(int piddir)
{
	return openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}


static int
fd_num(const char *s)
{
	long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 0x7fffffff / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* The fd's name in its directory, without snprintf's cost per fd. */
static const char *
fd_name(char *buf, int fd)
{
	buf[out_ufmt(buf, fd)] = '\0';
	return buf;
}

/* The getdents64 walk, from fd "from" on (the kernel lists them in order). */
static int
fd_dents(int fddir, int from, int (*cb)(int, void *), void *arg)
{
	char buf[8192];
	struct proc_dirent *d;
	long got, off;
	int fd;

	if (lseek(fddir, 0, SEEK_SET) < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, fddir, buf, sizeof(buf))) > 0)
		for (off = 0; off < got; off += d->d_reclen) {
			d = (struct proc_dirent *)(buf + off);
			if ((fd = fd_num(d->d_name)) >= from && cb(fd, arg) > 0)
				return 0;
		}
	return got < 0 ? -1 : 0;
}

/*
 * Since 6.2 the fd directory's st_size is the number of open fds
 * (proc_fd_getattr), so the fds can be found by trying 0, 1, 2, ... with
 * the caller's own readlink until that many answered, which saves
 * getdents64 (it revalidates every fd's dentry: as much again as the
 * readlinks). A table with a gap of FD_GAP (sparse, or fds closed
 * meanwhile) or an older kernel (size 0) gets getdents64 for the rest.
 */
#define FD_GAP	32

int
fd_foreach(int fddir, int probe, int (*cb)(int, void *), void *arg)
{
	struct stat st;
	long want = 0, found = 0, miss = 0;
	int fd, r;

	if (probe && fd_statat(fddir, "", &st, AT_EMPTY_PATH) == 0)
		want = st.st_size;
	for (fd = 0; found < want && miss < FD_GAP; fd++) {
		if ((r = cb(fd, arg)) > 0)
			return 0;
		if (r == 0)
			found++, miss = 0;
		else
			miss++;
	}
	if (want && found >= want)
		return 0;
	return fd_dents(fddir, fd, cb, arg);
}

ssize_t
fd_link(int fddir, int fd, char *buf, size_t size)
{
	char name[16];

	return proc_readlink(fddir, fd_name(name, fd), buf, size);
}

int
fd_mode(int fddir, int fd, unsigned *mode)
{
	struct stat st;
	char name[16];

	if (fd_statat(fddir, fd_name(name, fd), &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	*mode = (st.st_mode & S_IRUSR ? FD_MODE_R : 0) |
	    (st.st_mode & S_IWUSR ? FD_MODE_W : 0);
	return 0;
}

static enum fd_type
mode_type(unsigned m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return FD_REG;
	case S_IFDIR: return FD_DIR;
	case S_IFCHR: return FD_CHR;
	case S_IFBLK: return FD_BLK;
	case S_IFIFO: return FD_FIFO;
	case S_IFLNK: return FD_LNK;
	case S_IFSOCK: return FD_SOCK;
	}
	return FD_OTHER;
}

static int
fd_stat_old(int fddir, const char *name, struct fd_stat *fs)
{
	struct stat st;

	if (fd_statat(fddir, name, &st, 0) < 0)
		return -1;
	fs->type = mode_type(st.st_mode);
	fs->size = st.st_size;
	fs->ino = st.st_ino;
	fs->major = major(st.st_dev);
	fs->minor = minor(st.st_dev);
	fs->rmajor = major(st.st_rdev);
	fs->rminor = minor(st.st_rdev);
	fs->nlink = st.st_nlink;
	return 0;
}

int
fd_stat(int fddir, int fd, struct fd_stat *fs)
{
	static int no_statx;
	struct statx sx;
	char name[16];

	fd_name(name, fd);
	memset(fs, 0, sizeof(*fs));
	if (no_statx)
		return fd_stat_old(fddir, name, fs);
	if (syscall(SYS_statx, fddir, name, AT_STATX_DONT_SYNC,
	    STATX_TYPE | STATX_SIZE | STATX_INO | STATX_NLINK, &sx) < 0) {
		if (errno != ENOSYS)
			return -1;
		no_statx = 1;	/* < 4.11: the old stat, which may sync */
		fallback_note(FB_STATX, ENOSYS);
		return fd_stat_old(fddir, name, fs);
	}
	fs->type = mode_type(sx.stx_mode);
	fs->size = sx.stx_size;
	fs->ino = sx.stx_ino;
	fs->major = sx.stx_dev_major;
	fs->minor = sx.stx_dev_minor;
	fs->rmajor = sx.stx_rdev_major;
	fs->rminor = sx.stx_rdev_minor;
	fs->nlink = sx.stx_nlink;
	return 0;
}

static int
key_num(const char *p, unsigned base, uint64_t *v)
{
	uint64_t n = 0;
	const char *s;

	while (*p == ' ' || *p == '\t')
		p++;
	for (s = p; *p >= '0' && *p <= (base == 8 ? '7' : '9'); p++)
		n = n * base + (*p - '0');
	if (p == s || (*p != '\n' && *p != '\0' && *p != ' '))
		return -1;
	*v = n;
	return 0;
}

int
fdinfo_parse(const char *buf, struct fdinfo *fi)
{
	const char *line;
	uint64_t v;
	int have = 0;

	memset(fi, 0, sizeof(*fi));
	fi->mnt_id = -1;
	for (line = buf; line && *line; line = strchr(line, '\n'),
	    line = line ? line + 1 : NULL) {
		if (!strncmp(line, "pos:", 4) && key_num(line + 4, 10, &v) == 0)
			fi->pos = v, have |= 1;
		else if (!strncmp(line, "flags:", 6) &&
		    key_num(line + 6, 8, &v) == 0)
			fi->flags = v, have |= 2;
		else if (!strncmp(line, "mnt_id:", 7) &&
		    key_num(line + 7, 10, &v) == 0)
			fi->mnt_id = v;
		else if (!strncmp(line, "ino:", 4) &&
		    key_num(line + 4, 10, &v) == 0)
			fi->ino = v;
	}
	if (have != 3)
		return errno = EINVAL, -1;
	return 0;
}

int
fdinfo_read(int piddir, int fd, struct fdinfo *fi)
{
	char name[32], buf[4096];

	memcpy(name, "fdinfo/", 7);
	fd_name(name + 7, fd);
	if (proc_read(piddir, name, buf, sizeof(buf)) < 0)
		return -1;
	return fdinfo_parse(buf, fi);
}

/* "prefix:[123]" -> 123 */
static int
bracket_ino(const char *s, uint64_t *ino)
{
	uint64_t n = 0;
	const char *p;

	if (*s != '[')
		return -1;
	for (p = s + 1; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	if (p == s + 1 || p[0] != ']' || p[1] != '\0')
		return -1;
	*ino = n;
	return 0;
}

enum fd_type
fd_link_type(const char *link, uint64_t *ino, const char **sub, size_t *sublen)
{
	*ino = 0;
	*sub = NULL;
	*sublen = 0;
	if (link[0] == '/')
		return FD_UNKNOWN;	/* a path: its type needs fd_stat */
	if (link[0] == 's' && !strncmp(link, "socket:", 7) &&
	    bracket_ino(link + 7, ino) == 0)
		return FD_SOCK;
	if (link[0] == 'p' && !strncmp(link, "pipe:", 5) &&
	    bracket_ino(link + 5, ino) == 0)
		return FD_FIFO;
	if (!strncmp(link, "anon_inode:", 11)) {
		*sub = link + 11;
		*sublen = strlen(*sub);
		if (**sub == '[' && *sublen > 2 && (*sub)[*sublen - 1] == ']')
			(*sub)++, *sublen -= 2;
		return FD_ANON;
	}
	/* "net:[4026531840]", "mnt:[...]": namespace files (nsfs) */
	if (strchr(link, ':') && bracket_ino(strchr(link, ':') + 1, ino) == 0) {
		*sub = link;
		*sublen = strchr(link, ':') - link;
		return FD_NSFS;
	}
	return FD_OTHER;
}

struct holders {
	const uint64_t	*inos;
	const struct fd_fifo *fifos;
	size_t		 nfifos;
	size_t		 n, cap, count;
	pid_t		 skip, pid;
	int		 fddir;
	struct fd_holder *v;
	const char	*comm;
};

static void
holders_add(struct holders *h, int fd, uint64_t ino, uint64_t dev)
{
	struct fd_holder *e;

	if (h->count == h->cap)
		h->v = xrealloc(h->v, (h->cap = h->cap * 2 + 16) * sizeof(*e));
	e = &h->v[h->count++];
	e->ino = ino;
	e->dev = dev;
	e->pid = h->pid;
	e->fd = fd;
	e->mode = 0;
	fd_mode(h->fddir, fd, &e->mode);
	snprintf(e->comm, sizeof(e->comm), "%.15s", h->comm);
}

/* A path fd: one of the wanted FIFOs if its link and file are. */
static void
holders_fifo(struct holders *h, int fd, const char *link)
{
	struct fd_stat st;
	size_t i;

	for (i = 0; i < h->nfifos; i++)
		if (strcmp(link, h->fifos[i].link) == 0 &&
		    fd_stat(h->fddir, fd, &st) == 0 && st.type == FD_FIFO &&
		    st.ino == h->fifos[i].ino &&
		    FD_DEV(st.major, st.minor) == h->fifos[i].dev) {
			holders_add(h, fd, st.ino, h->fifos[i].dev);
			return;
		}
}

static int
holders_fd(int fd, void *arg)
{
	struct holders *h = arg;
	char link[4096 + 16];
	const char *sub;
	size_t sublen;
	uint64_t ino;
	enum fd_type t;

	/*
	 * A path too long for link is an open fd all the same; only named
	 * FIFOs need whole paths.
	 */
	if (fd_link(h->fddir, fd, link, h->nfifos ? sizeof(link) : 64) < 0)
		return errno == ENAMETOOLONG ? 0 : -1;
	if (link[0] == '/') {
		holders_fifo(h, fd, link);
		return 0;
	}
	t = fd_link_type(link, &ino, &sub, &sublen);
	if ((t == FD_SOCK || t == FD_FIFO) &&
	    out_u64_has(h->inos, h->n, ino))
		holders_add(h, fd, ino, 0);
	return 0;
}

static int
holders_proc(pid_t pid, void *arg)
{
	struct holders *h = arg;
	struct proc_stat st;
	int dir, live;

	if (pid == h->skip || pid == getpid() || (dir = proc_open(pid)) < 0)
		return 0;
	if (proc_stat_read(dir, &st) < 0) {
		close(dir);
		return 0;
	}
	if (proc_leader_exited(&st) &&
	    (live = proc_live_task_open(dir, NULL, NULL)) >= 0) {
		close(dir);	/* the leader exited: a thread's fds */
		dir = live;
	}
	if ((h->fddir = fd_dir_open(dir)) >= 0) {
		h->pid = pid;
		h->comm = st.comm;
		fd_foreach(h->fddir, 1, holders_fd, h);
		close(h->fddir);
	}
	close(dir);
	return 0;
}

int
fd_holders(const uint64_t *inos, size_t n, const struct fd_fifo *fifos,
    size_t nfifos, pid_t skip, struct fd_holder **v, size_t *count)
{
	struct holders h = { inos, fifos, nfifos, n, 0, 0, skip, 0, -1, NULL,
	    NULL };
	int r = n || nfifos ? proc_foreach(holders_proc, &h) : 0;

	*v = h.v;
	*count = h.count;
	return r;
}

int
fd_link_deleted(const char *link, size_t *len)
{
	static const char del[] = " (deleted)";
	const size_t dl = sizeof(del) - 1;

	if (*len > dl && !memcmp(link + *len - dl, del, dl)) {
		*len -= dl;
		return 1;
	}
	return 0;
}

const char *
fd_type_name(enum fd_type t)
{
	static const char *names[] = {
		"UNKNOWN", "REG", "DIR", "CHR", "BLK", "FIFO", "LINK",
		"SOCK", "ANON", "NSFS", "OTHER"
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

const char *
fd_mode_name(unsigned m)
{
	static const char *names[] = { "-", "r", "w", "rw" };

	return names[m & 3];
}

/*
 * The kernel's own flag values (asm-generic/fcntl.h; arm64 moves four of
 * them), not libc's: musl and glibc disagree about O_LARGEFILE.
 */
/* Each: the bit's number, its name, a NUL. */
static const char flagnames[] =
    "\012append\0\013nonblock\0\014dsync\0"
#if defined(__aarch64__)
    "\020direct\0\021largefile\0\016directory\0\017nofollow\0"
#else
    "\016direct\0\017largefile\0\020directory\0\021nofollow\0"
#endif
    "\022noatime\0\023cloexec\0\024sync\0\025path\0\026tmpfile\0";

size_t
fd_flags_fmt(unsigned flags, char *buf, size_t size)
{
	const char *f;
	size_t n = 0, l;

	for (f = flagnames; *f; f += l + 2) {
		l = strlen(f + 1);
		if (!(flags >> *f & 1))
			continue;
		if (n + !!n + l >= size)
			break;
		if (n)
			buf[n++] = ',';
		memcpy(buf + n, f + 1, l);
		n += l;
	}
	buf[n] = '\0';
	return n;
}
