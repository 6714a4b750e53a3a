/* lib.h: the one shared header of undead, one section per lib/ file. */
#ifndef UNDEAD_LIB_H
#define UNDEAD_LIB_H

#include <sys/types.h>

#include <signal.h>

#include <stddef.h>
#include <stdint.h>

#ifndef UNDEAD_VERSION
#define UNDEAD_VERSION "0.1.0"
#endif
#ifndef UNDEAD_LINK
#define UNDEAD_LINK "static"
#endif

/*
 * util.c: allocators that die (the only lib functions that exit), the
 * version line, and finish() (the only lib function that prints: every
 * main ends with `return finish(rc);`).
 */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* "fdls 0.1.0 (musl, x86_64, static)" into buf; returns buf. */
const char *version_line(const char *tool, char *buf, size_t size);
/*
 * Flush stdout; a write error other than EPIPE -> message and 3. Then
 * runs finish_hook, if the tool set one (its -v report on stderr).
 */
int	 finish(int rc);
extern void (*finish_hook)(void);
/*
 * The usage error for what getopt_long returned ('?' or ':', with opterr
 * 0 and ':' leading the option letters): "unknown option: -K", "unknown
 * option: --bogus", "option -o needs a value", "option --force takes no
 * value". lo: the tool's long options. Returns buf.
 */
struct option;
const char *opt_error(int c, int argc, char *const argv[],
	    const struct option *lo, char *buf, size_t size);

/*
 * num.c: strict number, list, range and duration parsing. All return 0,
 * or -1 with errno EINVAL (not a number, junk, empty) or ERANGE.
 */
int	 num_u64(const char *, uint64_t *);		/* decimal only */
int	 num_u64x(const char *, uint64_t *);	/* decimal or 0x hex */
int	 num_i64(const char *, int64_t *);		/* optional sign */
int	 num_range(const char *, uint64_t min, uint64_t max, uint64_t *);
struct num_span {
	uint64_t lo, hi;
};
struct num_list {
	struct num_span	*v;
	size_t		 n, cap;
};
/* "3,5-9,12" (also "0x10-0x1f" when hex is set); appends to l. */
int	 num_list_parse(struct num_list *l, const char *, uint64_t max, int hex);
int	 num_list_has(const struct num_list *, uint64_t);
void	 num_list_free(struct num_list *);
/* "90", "90s", "30m", "2h", "7d", "1w" -> seconds */
int	 num_duration(const char *, uint64_t *secs);
/* Decimal text of v into buf (>= 21 bytes), no NUL; returns length. */
size_t	 num_fmt(char *buf, uint64_t v);
/*
 * The next item of a comma list of names ("root,app") at *s, copied into
 * buf: 1, or 0 past the last. An empty item ("", "a,,b", ",a", "a,") or
 * one of size bytes or more is a mistake, as in num_list_parse: -1 with
 * errno EINVAL or ENAMETOOLONG.
 */
int	 num_list_item(const char **s, char *buf, size_t size);

/*
 * user.c: uid/gid <-> name from /etc/passwd and /etc/group read directly
 * (no NSS). Missing or unreadable files just mean numeric ids.
 */
const char *user_name(uid_t);		/* NULL when unknown */
const char *group_name(gid_t);
int	 user_parse(const char *, uid_t *);	/* name or number; -1 ENOENT */
int	 group_parse(const char *, gid_t *);
/* One passwd/group line "name:x:id:..." -> name (not NUL-terminated). */
int	 user_line_parse(const char *line, size_t len, const char **name,
	    size_t *namelen, uint32_t *id);

/*
 * procfs.c: whether /proc is mounted (procfs by its statfs magic). Every
 * tool that reads /proc checks it first and stops with PROCFS_MISSING as
 * its one-line error, exit 3, instead of "no such process".
 */
#define PROCFS_MISSING	"/proc is not mounted: mount -t proc proc /proc"
int	 procfs_mounted(void);			/* 1 yes, 0 no */

/*
 * proc.c: /proc walk and the per-process records. Parsers are pure over
 * a NUL-terminated buffer; the readers read the whole file with read(2).
 */
#define PROC_COMM_MAX	64
struct proc_stat {			/* proc(5) /proc/PID/stat */
	pid_t		 pid;
	char		 comm[PROC_COMM_MAX];	/* raw bytes, NUL-terminated */
	char		 state;		/* field 3 */
	pid_t		 ppid, pgrp, session;
	int		 tty_nr;
	pid_t		 tpgid;
	unsigned	 flags;		/* field 9, PF_KTHREAD = 0x00200000 */
	uint64_t	 utime, stime;	/* fields 14, 15, clock ticks */
	int64_t		 nice;		/* field 19 */
	int64_t		 threads;	/* field 20 */
	uint64_t	 starttime;	/* field 22, clock ticks since boot */
	uint64_t	 vsize;		/* field 23 */
	int64_t		 rss;		/* field 24, pages */
};
#define PROC_PF_KTHREAD	0x00200000u
struct proc_status {			/* proc(5) /proc/PID/status */
	char		 state;
	pid_t		 tgid, ppid, tracerpid;
	uid_t		 uid[4];	/* real, effective, saved, fs */
	gid_t		 gid[4];
	uint64_t	 sigpnd, shdpnd, sigblk, sigign, sigcgt;
	int		 seccomp;	/* 0 none, 1 strict, 2 filter; -1 absent */
	pid_t		 nspid[8];	/* NSpid: outermost first */
	int		 nspid_n;
};
int	 proc_stat_parse(const char *, struct proc_stat *);
int	 proc_status_parse(const char *, struct proc_status *);
int	 proc_open(pid_t);			/* O_DIRECTORY fd of /proc/PID */
/* Read a whole file under dirfd into buf, NUL-terminated; bytes or -1. */
ssize_t	 proc_read(int dirfd, const char *name, char *buf, size_t size);
/* Same, for files of any size: malloc'd, NUL-terminated; NULL/errno. */
char	*proc_read_all(int dirfd, const char *name, size_t *len);
int	 proc_stat_read(int piddir, struct proc_stat *);
int	 proc_status_read(int piddir, struct proc_status *);
/*
 * Command line with NULs turned into spaces, or "[comm]" when empty
 * (kernel threads, zombies). Returns the length written (< size).
 */
size_t	 proc_cmdline(int piddir, const char *comm, char *buf, size_t size);
/* The same over the n bytes read into buf (size bytes of room). */
size_t	 proc_cmdline_parse(char *buf, size_t n, const char *comm,
	    size_t size);
/* A getdents64(2) record, for the /proc and fd directory walks. */
struct proc_dirent {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};
/*
 * Calls cb for every all-digit entry of /proc; cb returns nonzero to stop.
 * 0, or -1/errno when /proc could not be read.
 */
int	 proc_foreach(int (*cb)(pid_t, void *), void *arg);
/* The same over the threads of the process at piddir (its task/). */
int	 proc_task_foreach(int piddir, int (*cb)(pid_t, void *), void *arg);
/* /proc/PID/task/TID of the process at piddir (O_DIRECTORY); -1/errno. */
int	 proc_task_open(int piddir, pid_t tid);
/*
 * A leader that exited (pthread_exit from main) while its threads run is
 * a zombie (st its stat) whose /proc/PID fd, fdinfo, maps and ns lists
 * are empty; the threads still share them, and what the process does is
 * what they do.
 */
int	 proc_leader_exited(const struct proc_stat *st);
/*
 * /proc/PID/task/TID of the first thread not dead, its TID in *tid and
 * its state in *state (each if not NULL); -1 when there is none.
 */
int	 proc_live_task_open(int piddir, pid_t *tid, char *state);
uint64_t proc_btime(void);		/* /proc/stat btime, 0 if unknown */
long	 proc_hz(void);			/* clock ticks per second */
/* Seconds since the epoch when the process started (btime + field 22). */
uint64_t proc_start_epoch(const struct proc_stat *);
/* 0 if pid is us, one of our ancestors, or PID 1; else -1. */
int	 proc_is_protected(pid_t);
ssize_t	 proc_readlink(int dirfd, const char *name, char *buf, size_t size);

/*
 * fd.c: a process's file descriptors: the fd directory walk, the link
 * target, the mode from the link itself, statx without sync, fdinfo.
 */
enum fd_type {
	FD_UNKNOWN, FD_REG, FD_DIR, FD_CHR, FD_BLK, FD_FIFO, FD_LNK,
	FD_SOCK, FD_ANON, FD_NSFS, FD_OTHER
};
#define FD_MODE_R	1u
#define FD_MODE_W	2u
struct fdinfo {				/* /proc/PID/fdinfo/N */
	uint64_t	 pos;
	unsigned	 flags;		/* octal in the file */
	int		 mnt_id;	/* -1 if absent (< 3.15) */
	uint64_t	 ino;		/* 0 if absent (< 5.14) */
};
struct fd_stat {
	enum fd_type	 type;
	uint64_t	 size, ino;
	unsigned	 major, minor;	/* st_dev */
	unsigned	 rmajor, rminor;/* st_rdev */
	uint32_t	 nlink;
};
struct stat;
/* fstatat(2) (the kernel's own where it is libc's struct stat). */
int	 fd_statat(int dirfd, const char *path, struct stat *, int flags);
/* Opens /proc/PID/fd (O_DIRECTORY); -1 and errno. */
int	 fd_dir_open(int piddir);
/*
 * Calls cb(fd, arg) for each open fd of an fd directory, ascending; cb
 * returns 1 to stop. With probe, cb is also called for numbers that may
 * not be open (it returns 0 when the fd was there, -1 when not: its own
 * readlink is the probe), which skips getdents64 on 6.2+; without, only
 * for the fds getdents64 lists (for a caller that wants a few of them).
 * 0, or -1/errno when the directory could not be read.
 */
int	 fd_foreach(int fddir, int probe, int (*cb)(int fd, void *arg),
	    void *arg);
ssize_t	 fd_link(int fddir, int fd, char *buf, size_t size);
int	 fd_mode(int fddir, int fd, unsigned *mode);
int	 fd_stat(int fddir, int fd, struct fd_stat *);
int	 fdinfo_parse(const char *, struct fdinfo *);
int	 fdinfo_read(int piddir, int fd, struct fdinfo *);
/*
 * Classifies a link target without touching the file: "socket:[N]",
 * "pipe:[N]", "anon_inode:[eventfd]" / "anon_inode:inotify", "net:[N]",
 * "/path". Sets *ino for the bracketed forms, *sub to the anon name.
 */
enum fd_type fd_link_type(const char *link, uint64_t *ino, const char **sub,
	    size_t *sublen);
/* An fd, anywhere on the machine, that is one of a set of pipes or sockets. */
struct fd_holder {
	uint64_t	 ino;
	uint64_t	 dev;		/* a named FIFO's FD_DEV, else 0 */
	pid_t		 pid;
	int		 fd;
	unsigned	 mode;		/* FD_MODE_* */
	char		 comm[16];
};
#define FD_DEV(major, minor)	((uint64_t)(major) << 32 | (minor))
/* A named FIFO whose openers are wanted: its path as a link shows it. */
struct fd_fifo {
	const char	*link;
	uint64_t	 ino, dev;	/* dev: FD_DEV */
};
/*
 * Every fd of every process but skip (and us) whose link is "pipe:[I]" or
 * "socket:[I]" with I in inos (n, sorted ascending), or that opens one of
 * the named FIFOs (the same link, then the same file by statx): a
 * malloc'd array in *v, its length in *count. Processes we may not read
 * are passed over.
 */
int	 fd_holders(const uint64_t *inos, size_t n, const struct fd_fifo *,
	    size_t nfifos, pid_t skip, struct fd_holder **v, size_t *count);
/* The link ends in " (deleted)"; *len shortened to the path alone. */
int	 fd_link_deleted(const char *link, size_t *len);
const char *fd_type_name(enum fd_type);
/* "rw", "r", "w" or "-" */
const char *fd_mode_name(unsigned);
/* Decoded open flags "cloexec,nonblock,append" into buf; length. */
size_t	 fd_flags_fmt(unsigned flags, char *buf, size_t size);

/*
 * sock.c: sockets of a network namespace, from NETLINK_SOCK_DIAG (inet
 * and unix) or, where that fails, /proc/PID/net/{tcp,tcp6,udp,udp6,unix}.
 */
struct sock_addr {
	uint8_t		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];
	uint16_t	 port;		/* host order */
};
struct sock_info {
	uint64_t	 ino;
	uint64_t	 cookie;
	uint64_t	 peer;		/* unix peer inode, 0 if none */
	/* family .. shutdown: five bytes in a row (sock.c copies them) */
	uint8_t		 family;	/* AF_INET, AF_INET6, AF_UNIX */
	uint8_t		 proto;		/* IPPROTO_TCP / IPPROTO_UDP / 0 */
	uint8_t		 type;		/* SOCK_STREAM, SOCK_DGRAM, ... */
	uint8_t		 state;		/* kernel TCP_* numbering */
	uint8_t		 shutdown;	/* bit 0 rd, bit 1 wr (if known) */
	uint32_t	 sendq, recvq;
	uint32_t	 uid;
	struct sock_addr local, remote;
	char		*path;		/* unix: bound path, "@..." abstract */
};
#define SOCK_SRC_NETLINK	1
#define SOCK_SRC_PROC		2
struct sock_table {
	int		 source;	/* SOCK_SRC_* that answered */
	uint64_t	 netns;		/* inode of the namespace */
	size_t		 n;		/* sockets held */
	/* private: compact records, their index, the decoded answers */
	unsigned char	*buf;
	size_t		 len, cap, lastpath;
	uint32_t	*hash;		/* record offset, open addressing */
	size_t		 hcap;
	const uint64_t	*only;		/* while loading: keep only these */
	size_t		 nonly, slack;
	struct sock_info cur, rev;
};
#define SOCK_K_TCP	1u
#define SOCK_K_UDP	2u
#define SOCK_K_UNIX	4u
#define SOCK_K_UNIXQ	8u	/* unix peers and queues too */
#define SOCK_K_ALL	15u
/*
 * Loads the sockets of the network namespace of the process at piddir
 * (enters it with setns when it differs and that is allowed, else reads
 * the process's own /proc/PID/net files). Returns 0 or -1/errno.
 */
int	 sock_table_load(struct sock_table *, int piddir, unsigned kinds);
/*
 * The same, keeping only the sockets whose inode is in inos (sorted), and
 * reading no further family once at most slack of them are missing (the
 * caller asks for those one by one; a dump walks every socket of its
 * protocol in the namespace).
 */
int	 sock_table_load_set(struct sock_table *, int piddir, unsigned kinds,
	    const uint64_t *inos, size_t n, size_t slack);
/*
 * The socket with inode ino, or NULL. The answer lives in the table and
 * holds until the next sock_find on it (sock_find_reverse has its own).
 */
const struct sock_info *sock_find(const struct sock_table *, uint64_t ino);
/*
 * The single-process fast path: a sock_diag socket in the namespace of the
 * process at piddir (-1/errno), then one socket at a time, without dumping
 * the namespace: unix by inode, TCP/UDP by the endpoints read from dupfd,
 * a duplicate of the process's fd (pidfd_getfd). 0 when added to t.
 */
int	 sock_nl_open(int piddir);
int	 sock_table_add_one(struct sock_table *, int nl, uint64_t ino, int dupfd);
/* The socket whose local/remote are this one's remote/local (loopback). */
const struct sock_info *sock_find_reverse(const struct sock_table *,
	    const struct sock_info *);
void	 sock_table_free(struct sock_table *);
/* Pure parsers (fallback rows, netlink replies) for tests and fuzzing. */
int	 sock_proc_inet_parse(const char *line, int family, int proto,
	    struct sock_info *);
int	 sock_proc_unix_parse(const char *line, struct sock_info *);
int	 sock_nl_inet_parse(const void *msg, size_t len, int proto,
	    struct sock_info *);
int	 sock_nl_unix_parse(const void *msg, size_t len, struct sock_info *);
const char *sock_state_name(int proto, int state);
const char *sock_type_name(const struct sock_info *);	/* TCP, UDP6, UNIX */
/* "127.0.0.1:5432", "[::1]:5432", "*:*"; returns length. */
size_t	 sock_addr_fmt(const struct sock_addr *, char *buf, size_t size);

/*
 * out.c: the listing writer shared by every tool: aligned table with a
 * header (default), -n, -r (single-space, escaped, one record a line),
 * -J (JSON, numbers as numbers), KEY="value" pairs, and -o / -o +LIST.
 * Cells are appended in column order; the table mode keeps rows in a
 * compact encoding until out_end(), the other modes stream. One listing
 * at a time: out.c keeps the per-column state of the current one.
 */
#define OUT_NUM		1u	/* right-aligned, JSON number */
#define OUT_BOOL	2u	/* JSON true/false */
struct cell;
struct out_col {
	const char	*name;		/* "PID"; JSON key is lower case */
	unsigned	 flags;
	const char	*help;
};
enum out_mode { OUT_TABLE, OUT_RAW, OUT_JSON, OUT_PAIRS };
struct out {
	enum out_mode	 mode;
	int		 noheadings;
	const char	*json_key;	/* {"json_key": [ ... ]} */
	const struct out_col *cols;	/* every column the tool knows */
	unsigned char	 sel[64];	/* selected columns, in order */
	int		 nsel;
	int		 sort;		/* column index to sort by, or -1 */
	int		 sort_desc;	/* largest first */
	/* private */
	unsigned char	*buf;
	size_t		 len, cap;
	size_t		 nrows;
	int		 cell, buffered;
	void		(*measure)(struct out *, const struct cell *);
	size_t		*w;		/* measured widths, once known */
	int		 skip;		/* a column not needed now, or -1 */
};
/*
 * Fills o->sel from a comma list (a leading '+' extends defs, a list of
 * indexes ending in -1). Returns 0, or -1 with *bad set to the unknown
 * name (points into list).
 */
int	 out_select(struct out *, const char *list, const int *defs,
	    const char **bad, size_t *badlen);
int	 out_col_index(const struct out *, const char *name);
int	 out_has(const struct out *, int col);	/* col is selected */
void	 out_begin(struct out *);
void	 out_num(struct out *, uint64_t);
void	 out_snum(struct out *, int64_t);
void	 out_str(struct out *, const char *);
void	 out_strn(struct out *, const char *, size_t);
void	 out_bool(struct out *, int);
void	 out_null(struct out *);
void	 out_row_end(struct out *);
void	 out_end(struct out *);
/*
 * Two passes instead of a buffer, for a tool that can make its rows
 * twice: after out_begin, out_measure() is 1 when the output is an
 * aligned table (no sort); the rows then sent only widen the columns,
 * until out_measured(); the same rows sent again stream out aligned and
 * nothing is kept. o->skip: the column whose value is not needed now (in
 * the measuring pass, a last column that is not padded), or -1.
 */
int	 out_measure(struct out *);
void	 out_measured(struct out *);
/*
 * What a tool keeps to make its rows twice: a log of varints and texts,
 * each text stored as the length it shares with the one before and the
 * rest (paths in one directory: a few bytes each). Writer and reader
 * keep that last text on their own; both set textlen to 0 where a reader
 * may start. A text longer than 4199 bytes is cut.
 */
struct out_log {
	unsigned char	*buf;
	size_t		 len, cap, textlen;
	char		 text[4200];
};
struct out_logrd {
	size_t		 at, textlen;
	char		 text[4200];
};
void	 out_log_num(struct out_log *, uint64_t);
void	 out_log_text(struct out_log *, const char *, size_t);
uint64_t out_logrd_num(const struct out_log *, struct out_logrd *);
/* The next text, NUL-terminated in r (valid until the next one). */
const char *out_logrd_text(const struct out_log *, struct out_logrd *,
	    size_t *len);
/*
 * Sorts n elements of 8 bytes (not stable: tie-break in cmp); with cmp
 * NULL, as uint64_t ascending.
 */
void	 out_sort(void *, size_t n, int (*cmp)(const void *, const void *));
/* 1 if x is in v (n sorted ascending). */
int	 out_u64_has(const uint64_t *v, size_t n, uint64_t x);
/* Decimal text of v (num_fmt), faster for values below 2^32. */
size_t	 out_ufmt(char *buf, uint64_t v);
/* Unsigned LEB128: at most 10 bytes written; returns the end. */
unsigned char *out_vput(unsigned char *, uint64_t);
const unsigned char *out_vget(const unsigned char *, uint64_t *);

/*
 * Escapes s for the current mode into buf (\xHH for control bytes,
 * invalid UTF-8, backslash; in raw mode also space). Returns length.
 */
size_t	 out_escape(const char *s, size_t n, int raw, char *buf, size_t size);
/*
 * s as a JSON string on stdout: UTF-8 kept, controls \u00XX, bytes that
 * are not UTF-8 \udcXX (surrogateescape), so nothing is lost.
 */
void	 out_json_string(const char *s, size_t n);
/* Prints the column list, one "NAME  help" a line (for -H). */
void	 out_list_columns(const struct out_col *);
/* Rows written (or buffered) so far. */
size_t	 out_rows(const struct out *);

/*
 * maps.c: /proc/PID/maps rows. A SysV segment maps as "/SYSV<key hex>
 * (deleted)" and its inode column is the shmid.
 */
struct maps_entry {
	uint64_t	 start, end, offset, ino;
	unsigned	 major, minor;
	char		 perms[5];
	const char	*path;		/* into the line, not NUL-terminated */
	size_t		 pathlen;	/* without " (deleted)" */
	int		 deleted;
	int		 sysv;		/* a SysV shm segment; ino = shmid */
	uint32_t	 sysv_key;
};
int	 maps_line_parse(const char *line, size_t len, struct maps_entry *);
/* Calls cb for each row of /proc/PID/maps; cb returns nonzero to stop. */
int	 maps_foreach(int piddir, int (*cb)(const struct maps_entry *, void *),
	    void *arg);

/*
 * mount.c: the file system type of a mount id (fdinfo's mnt_id) from
 * /proc/PID/mountinfo, without touching the file system itself.
 */
/* The FSTYPE field of mount mnt_id's line in buf; 0, or -1 if absent. */
int	 mountinfo_type(const char *buf, size_t len, int mnt_id, char *type,
	    size_t size);
int	 mount_type(int piddir, int mnt_id, char *type, size_t size);
/*
 * 1 for file systems whose flush at close may wait on a server or a
 * daemon (NFS, CIFS, Ceph, 9p, FUSE, virtiofs, ...): a close can block for
 * as long as the server does not answer.
 */
int	 mount_type_remote(const char *type);

/*
 * fallback.c: which newer kernel facilities were missing, noted once each
 * where the fallback is taken, for the tools' -v (lib never prints).
 */
enum fallback {
	FB_PIDFD,	/* pidfd_open (5.3): /proc/PID dirfd + start time */
	FB_GETFD,	/* pidfd_getfd (5.6) */
	FB_STATX,	/* statx (4.11): fstatat */
	FB_SOCKDIAG,	/* sock_diag (3.3, or its modules): /proc/PID/net */
	FB_SEIZE,	/* PTRACE_SEIZE (3.4): PTRACE_ATTACH */
	FB_STATANY,	/* *_STAT_ANY (4.17): /proc/sysvipc */
	FB_DESTROY,	/* SOCK_DESTROY (4.5, CONFIG_INET_DIAG_DESTROY) */
	FB_N
};
void	 fallback_note(enum fallback, int err);
int	 fallback_err(enum fallback);	/* the errno noted, 0 if none */
const char *fallback_errname(int);	/* "ENOSYS", "EIO", ...; "?" */

/*
 * pidfd.c: pinning a process so that a signal or a look reaches exactly
 * the process that was selected. A pin holds a pidfd (5.3+) when the
 * kernel has one and always a /proc/PID dirfd; identity is the start time
 * (stat field 22) and the real uid, re-read through the dirfd.
 */
struct pin {
	pid_t		 pid;
	int		 pidfd;		/* -1 where pidfd_open is missing */
	int		 dir;		/* /proc/PID */
	uint64_t	 start;		/* stat field 22 */
	uid_t		 uid;		/* real uid */
	char		 state;		/* state when pinned */
};
/* Opens and records identity; -1/ESRCH when gone, EACCES etc. */
int	 pin_open(struct pin *, pid_t);
/* 0 while the pinned process is the same one; -1/ESRCH when gone. */
int	 pin_check(const struct pin *);
/* Re-checks identity, then signals through the pidfd (or kill(2)). */
int	 pin_signal(const struct pin *, int sig);
void	 pin_close(struct pin *);
/* pidfd_getfd(2) of the pinned process's fd; -1/errno (ENOSYS < 5.6). */
int	 pin_getfd(const struct pin *, int fd);
/*
 * pidfd_getfd(2) through a pidfd (-1: fails with errno as left by the
 * pidfd_open that failed), noting the fallback when the kernel lacks it.
 */
int	 pidfd_dup(int pidfd, int fd);
/* 1 when this kernel has pidfd_open (probed once). */
int	 pidfd_supported(void);

/*
 * fddesc.c: what one fd is, as fdls lists it and fdclose reports it:
 * link, type, mode, stat, fdinfo and socket, each read only when asked.
 */
#define FDD_MODE	1u	/* lstat of the link: open mode */
#define FDD_STAT	2u	/* statx(DONT_SYNC) of path targets */
#define FDD_INFO	4u	/* fdinfo: pos, flags, mnt_id */
#define FDD_SOCK	8u	/* socket details from the table */
#define FDD_DEV	16u	/* statx of the others too (sockets, pipes, anon) */
struct fd_desc {
	int		 fd;
	enum fd_type	 kind;
	const char	*type;		/* REG, TCP6, UNIX, eventfd, ... */
	char		 typebuf[24];	/* type when made (anon, socket) */
	unsigned	 mode;
	int		 has_mode, has_stat, has_info, deleted;
	uint64_t	 ino;		/* from the link or statx */
	struct fd_stat	 st;
	struct fdinfo	 info;
	const struct sock_info *sock;	/* NULL if not a known socket */
	size_t		 linklen;	/* without " (deleted)" */
	char		 link[4096 + 16];
};
/*
 * Describes fd of the process at piddir (fddir = its fd directory). tab
 * is consulted for sockets (may be NULL). -1/errno when the fd is gone.
 */
int	 fd_describe(int piddir, int fddir, int fd, unsigned want,
	    const struct sock_table *tab, struct fd_desc *);
/*
 * Kind, inode and type of d from its link and, when read, its stat: no
 * system call (for a description kept and made again later).
 */
void	 fd_desc_kind(struct fd_desc *);
/* Sets the socket of d (NULL: asks the socket itself for its protocol). */
void	 fd_desc_sock(struct fd_desc *, const struct sock_info *, int fddir);
/*
 * A description kept in a log (a socket or pipe in a few bytes) and read
 * back as it was, without its socket (the caller looks it up again) and,
 * for a socket or pipe, with an empty link (fd_desc_name makes it).
 */
void	 fd_desc_put(struct out_log *, const struct fd_desc *);
void	 fd_desc_get(const struct out_log *, struct out_logrd *,
	    struct fd_desc *);
/* The NAME text: path, "127.0.0.1:5432->127.0.0.1:40000 (ESTABLISHED)". */
size_t	 fd_desc_name(const struct fd_desc *, char *buf, size_t size);

/*
 * pidfile.c: postmaster.pid (the data-directory lock file) and the socket
 * lock file .s.PGSQL.<port>.lock, every format: 8.x-9.0 (PID, data dir,
 * "shmkey shmid"), 9.1-9.6 (7 lines), 10-18 (8 lines, status last).
 * Lines 3 and up are added while a server starts, so partial files are
 * valid; empty or garbled ones are rejected with the line and what was
 * expected. A pure parser over a buffer, and a reader.
 */
#define PIDFILE_PATHMAX	1024		/* PostgreSQL's MAXPGPATH */
#define PIDFILE_MAXSIZE	16384		/* a larger file is not ours */
enum pidfile_layout {
	PIDFILE_V90 = 1,		/* 8.x-9.0: line 3 is "key id" */
	PIDFILE_V91,			/* 9.1-9.6: up to 7 lines */
	PIDFILE_V10			/* 10+: line 8 status */
};
enum pidfile_status {
	PIDFILE_ST_NONE, PIDFILE_ST_STARTING, PIDFILE_ST_STOPPING,
	PIDFILE_ST_READY, PIDFILE_ST_STANDBY, PIDFILE_ST_OTHER
};
struct pidfile {
	int		 lines;		/* lines present */
	int		 noeol;		/* last line lacks its newline */
	enum pidfile_layout layout;
	int64_t		 pid;		/* line 1, < 0: standalone backend */
	char		 datadir[PIDFILE_PATHMAX];	/* line 2 */
	int		 has_start, has_port, has_sockdir, has_listen;
	int		 has_shm;
	int64_t		 start;		/* line 3, seconds since the epoch */
	unsigned	 port;		/* line 4 */
	char		 sockdir[PIDFILE_PATHMAX];	/* line 5, may be "" */
	char		 listen[PIDFILE_PATHMAX];	/* line 6, may be "" */
	uint32_t	 shmkey;	/* line 7 (low 32 bits) */
	int32_t		 shmid;
	enum pidfile_status status;	/* line 8 */
	char		 statusword[16];
	/* when the parse fails: */
	int		 errline;	/* 1-based */
	int		 errwhat;	/* PIDFILE_E_*: pidfile_errtext() */
	char		 errfound[48];	/* start of the bad line, raw bytes */
};
/*
 * Parses a postmaster.pid or socket lock file. Returns 0, or -1 with
 * errno ENODATA (empty file) or EINVAL (garbled; errline, errwhat and
 * errfound say where).
 */
int	 pidfile_parse(const char *buf, size_t len, struct pidfile *);
/* Reads and parses the file at dirfd/name; -1/errno as above or I/O. */
int	 pidfile_read(int dirfd, const char *name, struct pidfile *);
const char *pidfile_status_name(enum pidfile_status);
/* What a garbled file lacked, "expected ...", or NULL for 0. */
enum {
	PIDFILE_E_PID = 1, PIDFILE_E_DIR, PIDFILE_E_START, PIDFILE_E_PORT,
	PIDFILE_E_TEXT, PIDFILE_E_SHM, PIDFILE_E_STATUS, PIDFILE_E_V90,
	PIDFILE_E_NUL, PIDFILE_E_EMPTY, PIDFILE_E_SHORT, PIDFILE_E_NOTREG,
	PIDFILE_E_BIG
};
const char *pidfile_errtext(int);
/* "DIR/.s.PGSQL.PORT.lock" into buf; -1/ENAMETOOLONG. */
int	 pidfile_socklock_path(char *buf, size_t size, const char *sockdir,
	    unsigned port);

/*
 * pg.c: one PostgreSQL instance judged from its data directory, for
 * pgpidinfo, pxkill --pg and ipcsweep --pg. Read-only: nothing is
 * signalled, attached (shmat would change shm_atime, shm_lpid and nattch)
 * or removed. pg_inspect() reads the pid file, verifies the PID it names
 * (alive, not a zombie, a postgres binary, uid = directory owner, cwd =
 * the directory, start time = line 3 within 2 s, line 2 = the directory
 * the file lives in), finds the instance's processes (the verified
 * postmaster's descendants, and orphans: owner processes with their cwd
 * in the directory, or attached to its segment, that do not descend from
 * it), checks the SysV segment of line 7 and lists DSM files.
 *
 * pxkill --pg DIR: pg_inspect(&in, DIR, NULL); procs[] holds the
 * verified postmaster (postmaster = 1; only when its identity passed)
 * with all its descendants, then the orphans (orphan = 1). A reused PID
 * is never in procs[]. Pin each with pin_open() and act only when the
 * pin's start equals procs[i].start. Refuse on PG_UNKNOWN.
 * ipcsweep --pg DIR: pg_inspect_ipc(&in, DIR, NULL) also reads the owner's
 * processes' maps: shm.id/key/nattch/attachers, shm.ours (header proven:
 * magic + device + inode), dsm[] (proven = named by our header or mapped
 * by the instance; unproven ones are the owner's unmapped files, listed
 * only when the header could not be read: never remove those without
 * --force), and verdict == PG_RUNNING for "the instance is
 * running-verified".
 * pgpidinfo: pg_inspect_ipc(), then pg_describe() (pgdesc.c) for the
 * words: reason, ck[].why, the line 2 and socket lock checks, and each
 * process's title, role, wait channel and start_epoch.
 * The words cost space that pxkill and ipcsweep cannot spare, so they are
 * apart: after pg_inspect*() the reason is set only when the directory
 * could not be used (in.ino == 0); pg_reason() words the verdict.
 */
enum pg_verdict {
	PG_RUNNING, PG_STOPPED, PG_STALE, PG_REUSED, PG_ZOMBIE, PG_ORPHANED,
	PG_UNKNOWN
};
enum pg_check_id {
	PG_CK_PIDFILE, PG_CK_ALIVE, PG_CK_STATE, PG_CK_EXE, PG_CK_UID,
	PG_CK_CWD, PG_CK_START, PG_CK_DATADIR, PG_CK_SEGMENT, PG_CK_HEADER,
	PG_CK_SOCKLOCK, PG_CK_N
};
enum pg_result { PG_NA, PG_PASS, PG_FAIL, PG_UNSURE };
struct pg_check {
	enum pg_result	 result;
	int		 err;		/* errno behind an unsure result */
	char		 why[192];	/* what was found, for people */
};
struct pg_proc {
	pid_t		 pid, ppid;
	uid_t		 uid;
	char		 state;		/* R S D Z T ... */
	uint64_t	 start;		/* stat field 22: pin_open's identity */
	uint64_t	 start_epoch;
	int		 postmaster;	/* the verified postmaster itself */
	int		 orphan;	/* not a descendant of the postmaster */
	int		 in_dir;	/* cwd is the data directory */
	int		 attached;	/* maps the instance's SysV segment */
	const char	*role;		/* "checkpointer", "client backend" */
	char		*title;		/* cmdline (malloc'd), "[comm]" */
	char		 wchan[40];
};
#define PG_SHMHDR_MAGIC	679834894	/* PGShmemMagic, 0x2885750e */
struct pg_shmhdr {			/* PGShmemHeader, LP64 */
	int		 layout;	/* 90 (9.0-9.3), 94 (9.4-18), 19 */
	int32_t		 magic;
	int32_t		 creator;	/* creatorPID */
	uint64_t	 totalsize;
	int		 has_dsm;
	uint32_t	 dsm_control;	/* /dev/shm/PostgreSQL.<handle> */
	uint64_t	 device, inode;	/* of the data directory */
};
struct pg_shm {
	int		 known;		/* an id to look at (line 7 or found) */
	int		 exists;	/* IPC_STAT (or /proc/sysvipc) found it */
	int		 err;		/* errno of the lookup, 0 if found */
	int32_t		 id;
	uint32_t	 key;
	uid_t		 uid;
	uint64_t	 size, nattch;
	pid_t		 cpid, lpid;
	pid_t		*attachers;	/* owner processes mapping it */
	size_t		 nattachers;
	pid_t		 hdr_pid;	/* the attacher it was read through */
	int		 hdr_ok;	/* header read (through an attacher) */
	int		 ours;		/* magic + data dir dev/inode match */
	struct pg_shmhdr hdr;
};
struct pg_dsm {
	uint32_t	 handle;
	uint64_t	 size;
	int		 control;	/* the control segment of the header */
	int		 proven;	/* named by our header or mapped by ours */
	int		 mapped;	/* some owner process maps it */
};
struct pg_inst {
	char		 datadir[4096];	/* resolved */
	char		 pidpath[4096];
	uint64_t	 dev, ino;	/* of the data directory */
	uid_t		 owner;
	int		 pf_err;	/* 0, or errno of reading/parsing */
	struct pidfile	 pf;
	pid_t		 pid;		/* |line 1|, 0 when there is none */
	pid_t		 nspid;		/* |line 1| when it is the PID in a
					   child PID namespace of pid */
	struct proc_stat pm;		/* of pid, when alive */
	int		 pm_alive;
	uid_t		 pm_uid;	/* its real uid */
	char		 exe[4096];
	char		 cwd[256];	/* when not the data directory */
	struct pg_check	 ck[PG_CK_N];
	pid_t		 live_pm;	/* an unverified postmaster seems to
					   run here (PG_UNKNOWN): its PID */
	size_t		 live_children;
	struct pg_proc	*procs;		/* postmaster first, then pid order */
	size_t		 nprocs, norphans;
	struct pg_shm	 shm;
	struct pg_dsm	*dsm;
	size_t		 ndsm;
	size_t		 scanned, denied;	/* processes; EACCES skipped */
	size_t		 denied_pg;	/* postgres ones among them */
	enum pg_verdict	 verdict;
	char		 reason[256];
};
/*
 * Inspects the instance in datadir (or the one whose pid file is pidfile,
 * when datadir is NULL). Returns 0 with the verdict set (PG_UNKNOWN and a
 * reason when it cannot tell), -1/errno only when out of memory.
 */
int	 pg_inspect(struct pg_inst *, const char *datadir, const char *pidfile);
/* Also maps of the owner's processes, the segment header, DSM files. */
int	 pg_inspect_ipc(struct pg_inst *, const char *datadir,
	    const char *pidfile);
void	 pg_reason(struct pg_inst *);	/* the verdict in words: reason */
void	 pg_describe(struct pg_inst *);	/* pgdesc.c: pg_reason(), details */
void	 pg_free(struct pg_inst *);
const char *pg_verdict_name(enum pg_verdict);
int	 pg_verdict_exit(enum pg_verdict);	/* 0 1 3 4 (issue 4) */
const char *pg_check_name(enum pg_check_id);
const char *pg_result_name(enum pg_result);
/* Role from a process title ("postgres: checkpointer"); NULL if none. */
const char *pg_role(const char *title);
/* comm of a PostgreSQL process: postgres (postmaster before 8.2). */
int	 pg_comm(const char *comm);
/*
 * Pure parsers. pg_shmhdr_parse() tries the three LP64 layouts and picks
 * the one whose device and inode equal dev/ino (returns 1: ours), else
 * fills the first that fits (56 bytes: 9.4-18; 48: 19devel when offset 24
 * holds a dsm_control, not a pointer, else 9.0-9.3) and returns 0; -1/EINVAL when too short or the
 * magic is wrong. pg_dsm_control_parse() reads a dsm_control segment
 * (magic 0x9a503d32; items of 24 bytes in 9.4-13, 40 in 14+, derived
 * from the size) and stores up to max item handles; returns the count or
 * -1/EINVAL.
 */
int	 pg_shmhdr_parse(const void *, size_t, uint64_t dev, uint64_t ino,
	    struct pg_shmhdr *);
int	 pg_dsm_control_parse(const void *, size_t, uint32_t *handles,
	    size_t max);

/*
 * sig.c: signal names and numbers as kill(1) spells them: "TERM",
 * "SIGTERM", "term", "15", "RTMIN+3", "RTMAX-1" (RTMIN = 34 as glibc
 * numbers it, RTMAX = 64). Signal 0 (existence check) is "0".
 */
int	 sig_parse(const char *, int *sig);	/* -1/EINVAL */
/* "TERM", "RTMIN+2"; NULL (EINVAL) for a number that is no signal. */
const char *sig_name(int sig, char *buf, size_t size);
int	 sig_max(void);				/* highest number, 64 */

/*
 * ptab.c: a snapshot of the process table from one pass over /proc/N/stat
 * (one open, read, close each), sorted by PID, with a children index.
 * Processes that vanish mid-scan are simply absent.
 */
struct ptab_ent {
	pid_t		 pid, ppid;
	uint64_t	 start;		/* stat field 22 */
	uid_t		 uid;		/* owner of /proc/N (PTAB_UID), else -1 */
	char		 state;		/* stat field 3 */
	char		 kthread;	/* PF_KTHREAD in field 9 */
	char		 comm[16];	/* TASK_COMM_LEN, NUL-terminated */
	unsigned char	 tag[2];	/* the caller's (fits the padding) */
};
struct ptab {
	struct ptab_ent	*v;		/* sorted by pid */
	size_t		 n, cap;
	uint32_t	*kids, *koff;	/* private: the children index */
};
/*
 * PTAB_UID: also fstat each stat fd for its owner, which is the euid, or
 * root for a process that is not dumpable (check /proc/N/status then).
 */
#define PTAB_UID	1u
int	 ptab_scan(struct ptab *, unsigned flags);	/* 0 or -1/errno */
/*
 * Parses one stat line into an entry (uid untouched); 0, 1 when it is a
 * zombie leader with threads still running (state Z is the leader's
 * only: see proc_leader_exited), or -1/EINVAL.
 */
int	 ptab_stat_parse(const char *, struct ptab_ent *);
int	 ptab_stat_parse_n(const char *, size_t, struct ptab_ent *);
size_t	 ptab_index(const struct ptab *, pid_t);	/* (size_t)-1 if absent */
const struct ptab_ent *ptab_find(const struct ptab *, pid_t);
/* Indexes (into v) of the direct children of ppid, in PID order. */
size_t	 ptab_children(const struct ptab *, pid_t ppid, const uint32_t **);
/* root (if present) and all its descendants, breadth first; malloc'd. */
size_t	 ptab_tree(const struct ptab *, pid_t root, uint32_t **idx);
void	 ptab_free(struct ptab *);

/*
 * ipc.c: SysV IPC objects (shm, sem, msg) and POSIX shared memory in
 * /dev/shm. Rows come from /proc/sysvipc/{shm,sem,msg}, parsed by the
 * names in their header line (extra or moved columns do no harm); where
 * /proc/sysvipc is missing, from shmctl/semctl/msgctl *_INFO + *_STAT_ANY
 * (4.17+) or *_STAT. Removal is by id, after IPC_STAT is re-read.
 */
enum ipc_kind { IPCK_SHM, IPCK_SEM, IPCK_MSG, IPCK_POSIX };
#define IPC_NAME_MAX	256
struct ipc_obj {
	enum ipc_kind	 kind;
	int		 id;		/* -1 for POSIX */
	uint32_t	 key;		/* 0 = IPC_PRIVATE (also after RMID) */
	unsigned	 mode;		/* perms | SHM_DEST 01000 | SHM_LOCKED */
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	uint64_t	 size;		/* shm/POSIX bytes, msg cbytes */
	uint64_t	 count;		/* sem nsems, msg qnum */
	uint64_t	 nattch;	/* shm */
	pid_t		 cpid, lpid;	/* shm cpid/lpid; msg lspid/lrpid */
	int64_t		 atime, dtime, ctime;	/* sem: otime; msg: s/r/ctime */
	uint64_t	 dev, ino;	/* POSIX: the file */
	char		 name[IPC_NAME_MAX];	/* POSIX: name in /dev/shm */
};
#define IPC_NCOLS	32
struct ipc_cols {			/* a /proc/sysvipc header, parsed */
	enum ipc_kind	 kind;
	int		 n;
	unsigned char	 f[IPC_NCOLS];
};
const char *ipc_kind_name(enum ipc_kind);	/* "shm", "sem", ... */
int	 ipc_header_parse(enum ipc_kind, const char *line, size_t len,
	    struct ipc_cols *);
int	 ipc_row_parse(const struct ipc_cols *, const char *line, size_t len,
	    struct ipc_obj *);
/*
 * Calls cb for every object of a kind (cb returns nonzero to stop), by
 * the cheapest source: *_STAT_ANY by index (4.17+: one syscall an object,
 * no permission needed, half the kernel time of formatting /proc), else
 * /proc/sysvipc/KIND streamed through a fixed buffer, else *_STAT (which
 * skips objects the caller may not read). *via (may be NULL) gets the
 * IPC_VIA_* used. Returns 0 or -1/errno.
 */
#define IPC_VIA_STAT_ANY	1
#define IPC_VIA_PROC		2
#define IPC_VIA_STAT		3
int	 ipc_foreach(enum ipc_kind, int (*cb)(const struct ipc_obj *, void *),
	    void *arg, int *via);
int	 ipc_foreach_proc(enum ipc_kind,
	    int (*cb)(const struct ipc_obj *, void *), void *arg);
/* The *ctl walk alone: *_STAT_ANY, or *_STAT where any is 0 or missing. */
int	 ipc_foreach_ctl(enum ipc_kind,
	    int (*cb)(const struct ipc_obj *, void *), void *arg, int any);
/* 1 if this kernel has *_STAT_ANY (4.17+), probed once per kind. */
int	 ipc_stat_any(enum ipc_kind);
/* POSIX objects: the regular files of dir (normally "/dev/shm"). */
int	 ipc_posix_foreach(const char *dir,
	    int (*cb)(const struct ipc_obj *, void *), void *arg);
/*
 * IPC_STAT by id (on EACCES *_STAT_ANY by index, or before 4.17 the
 * /proc/sysvipc row); -1/errno.
 */
int	 ipc_stat(enum ipc_kind, int id, struct ipc_obj *);
int	 ipc_posix_stat(const char *dir, const char *name, struct ipc_obj *);
/*
 * Re-reads the object and removes it by id (POSIX: unlinks it) when key,
 * owner, ctime and nattch (POSIX: dev, inode, owner, ctime) are as
 * listed. 0 removed; 1 changed (*why names the field); -1/errno.
 */
int	 ipc_remove(const char *posixdir, const struct ipc_obj *,
	    const char **why);
/* GETPID of semaphores first..first+n-1 into pids[n]; -1/errno. */
int	 ipc_sem_pids(int semid, int first, int n, pid_t *pids);
/* Copies the first len bytes of a segment (attached read-only). */
int	 ipc_shm_peek(int shmid, void *buf, size_t len);
/* 1 when pid exists (kill 0 gives 0 or EPERM); pid <= 0 gives 0. */
int	 ipc_pid_alive(pid_t);
/*
 * ipcsweep --pg: what of a PostgreSQL instance's IPC is its own. pg.c
 * judges the instance; its shim (in.shm.known) is the pid file's segment
 * (or the one of its keys pg.c found), of the directory's owner, whose
 * header names this directory (read by pg.c through an attacher, or for
 * a segment nobody maps by ipc_pg_dsm() when nothing of it runs); its DSM
 * files are the handles that header's control segment names or that its
 * processes map; its <= 9.6-style semaphore sets are those of pgsem.c
 * made by the pid file's PID at keys from the directory's seed.
 */
struct ipc_pg {
	struct pg_inst	 in;
	const char	*keep;		/* why nothing of it may go, or NULL */
	uint32_t	 seed;		/* semaphore key seed */
	int		 has_seed;
	uint32_t	*dsm;		/* DSM handles proven its own */
	size_t		 ndsm;
};
/* 0, or -1 with *why: the directory cannot be used. */
int	 ipc_pg_load(struct ipc_pg *, const char *datadir, const char **why);
/* 1 if o is the instance's; pgcreator: a PostgreSQL set's creator, or 0. */
int	 ipc_pg_owns(const struct ipc_pg *, const struct ipc_obj *,
	    pid_t pgcreator);

/*
 * Who maps which segment or POSIX file: one pass over every
 * /proc/PID/maps the caller may read (a SysV segment's inode column is
 * its shmid; a POSIX file is told by the device of posixdir and inode).
 */
struct ipc_att {
	struct ipc_att_ent {
		int		 id;	/* shmid, or -1 for a POSIX file */
		uint64_t	 ino;	/* the POSIX file's inode */
		pid_t		 pid;
	}		*v;
	size_t		 n, cap;
	uint64_t	 dev;		/* st_dev of posixdir */
	pid_t		 pid;		/* private: the process being read */
};
int	 ipc_att_scan(struct ipc_att *, const char *posixdir);
/* PIDs mapping o: the count; up to max of them into pids (may be NULL). */
size_t	 ipc_att_find(const struct ipc_att *, const struct ipc_obj *,
	    pid_t *pids, size_t max);
/*
 * The DSM files of a PostgreSQL shim (facts: postgres.md 2.6): reads its
 * header (attached read-only: only for a segment nobody maps, which pg.c
 * cannot read through an attacher), checks it was made for the directory
 * dev/ino, then the control segment /dev/shm/PostgreSQL.<dsm_control>.
 * Stores the control handle first, then its items (odd ones of 14+ have
 * no file). Returns the count (0: ours, but no control segment), or -1
 * with EINVAL when the header is not the directory's, or another errno.
 * dev = ino = 0 (no directory has inode 0) accepts any directory's.
 */
int	 ipc_pg_dsm(int shmid, uint64_t dev, uint64_t ino, uint32_t *handles,
	    size_t max);

/*
 * pgsem.c: PostgreSQL <= 9.6 (and SYSV-configured) semaphore sets
 * (sysv_sema.c): 17 semaphores, PGSemaMagic 537 in the last one, set
 * by the creating postmaster with semop, so its sempid is the creator.
 */
#define PGSEM_NSEMS	17
#define PGSEM_MAGIC	537
/* 1 if the set is PostgreSQL's (*creator set), 0 if not, -1/errno. */
int	 pgsem_check(int semid, int nsems, pid_t *creator);
/* The key seed: port * 1000 (<= 12) or the data directory's inode (13+). */
uint32_t pgsem_seed(int major, unsigned port, uint64_t dir_ino);
/* 1 if key can be one of the instance's sets (seed+1 .. seed+1000). */
int	 pgsem_key_match(uint32_t key, uint32_t seed);
/* The major version in datadir/PG_VERSION: 9 for "9.6", 15 for "15". */
int	 pgsem_major(const char *datadir);

/*
 * inject.c (+ inject_<arch>.c): system calls run inside one stopped thread
 * of another process with ptrace. PTRACE_SEIZE + PTRACE_INTERRUPT (on
 * kernels without them PTRACE_ATTACH, whose SIGSTOP is never delivered;
 * never PTRACE_O_EXITKILL), general-purpose registers only,
 * restored at a stop inside signal delivery so that the interrupted call
 * restarts with its own semantics. All catchable signals are blocked in
 * the caller from inject_attach() on (the caller unblocks them after
 * inject_detach()); every wait has a deadline. A signal that reaches the
 * target meanwhile stops it before any injected instruction runs: it is
 * held with its siginfo (every one: realtime signals queue) and delivered
 * again at detach. A call that would have to hold more than held_max
 * signals, or that keeps meeting signals past the deadline, is not run
 * (EAGAIN), so a storm makes the caller back out, never drop one. These
 * functions do no I/O other than ptrace and /proc/PID/mem of the target.
 */
#define INJECT_REGS_WORDS	40
#define INJECT_HELD_MAX		16384	/* 2 MiB of siginfo at most */
#define INJECT_SCRATCH_WORDS	4
struct inject {
	pid_t		 pid, tid;
	int		 mem;		/* /proc/PID/mem, -1 if not open */
	int		 timeout_ms;	/* per wait */
	unsigned	 options;	/* extra PTRACE_SEIZE options */
	uint64_t	 vdso_site;	/* syscall insn in [vdso], 0 none */
	uint64_t	 saved[INJECT_REGS_WORDS];	/* at the first stop */
	long		 saved_nr;	/* aarch64 NT_ARM_SYSTEM_CALL */
	uint64_t	 cur[INJECT_REGS_WORDS];
	uint64_t	 site;		/* where the injected insn runs */
	long		 pre_call;	/* per task/TID/syscall before attach */
	long		 in_call;	/* syscall the thread was in, -1 none */
	long		 restart;	/* its -ERESTART* code (x86), or 0 */
	int		 variant;	/* 'S' single-step, 'E' entry hijack */
	int		 stopped;	/* seized and in a ptrace stop */
	int		 seized;
	int		 attach;	/* by PTRACE_ATTACH (no SEIZE, < 3.4) */
	int		 entry;		/* E: at the hijacked entry stop */
	int		 dirty;		/* registers differ from saved */
	int		 calls;		/* injected so far */
	siginfo_t	*held;		/* signals to deliver at detach */
	int		 nheld, held_alloc;
	int		 held_max;	/* a call gives up past this many */
	int		 lost;		/* held, but refused again at detach */
	int		 groupstop;	/* the first stop was a group-stop */
	int		 sigstop;	/* now at a signal-delivery-stop */
	int		 dead;		/* the target died meanwhile */
	int		 status;	/* its wait status, if dead */
	uint64_t	 scratch;	/* address of the scratch words, or 0 */
	uint64_t	 scratch_save[INJECT_SCRATCH_WORDS];
	int		 scratch_n;
	uint64_t	 t_stop;	/* CLOCK_MONOTONIC ns, first stop */
	uint64_t	 stopped_ns;	/* first stop to detach */
	int		 running;	/* an injected call is running */
	/*
	 * Called once when an injected call outlives timeout_ms (it waits in
	 * the kernel): the wait goes on until it returns, since the thread
	 * can only be given its registers back at a stop. May be NULL.
	 */
	void		(*slow)(const struct inject *);
};
/* Opens /proc/PID/mem and finds a vDSO syscall site, before attaching. */
int	 inject_prepare(struct inject *, pid_t pid, pid_t tid, int timeout_ms);
/*
 * Seizes and interrupts tid, waits for its first stop, saves registers.
 * -1/errno: EPERM (traced, no permission), ETIMEDOUT (no stop: nothing
 * was changed), ESRCH (gone), ENOEXEC (not a native 64-bit thread or no
 * syscall site), EBUSY (group-stopped thread that variant E would run),
 * EOPNOTSUPP (options the kernel lacks: PTRACE_O_SUSPEND_SECCOMP < 4.3).
 */
int	 inject_attach(struct inject *);
/*
 * Runs one syscall in the stopped thread; *ret is the raw result. -1 and
 * EAGAIN: signals kept arriving (held_max held, or the deadline passed)
 * and the call did not run; raise held_max for a call that must run.
 * EFAULT: the injected instruction faulted (the fault is not delivered).
 */
int	 inject_call(struct inject *, long nr, const long args[6], long *ret);
/*
 * Copies up to 32 bytes into the stopped thread's stack, below the x86-64
 * red zone, saving what was there (put back by inject_detach); *addr is
 * where they landed. -1/EFAULT when that page is not mapped (GUP does not
 * grow the stack).
 */
int	 inject_scratch(struct inject *, const void *data, size_t len,
	    uint64_t *addr);
/*
 * Restores the saved registers exactly, detaches, delivers held signals:
 * at a signal-delivery-stop the first goes with the detach, its siginfo
 * set; the rest are queued again first, with their siginfo where the
 * kernel lets another process send it (si_code < 0 but SI_TKILL: sigqueue,
 * timers, mq, aio), else with tgkill (then from us); lost counts those the
 * kernel refused (its RLIMIT_SIGPENDING).
 */
int	 inject_detach(struct inject *);
void	 inject_close(struct inject *);
/* /proc/PID/task/TID/syscall: "running", "-1 sp pc", "nr a0..a5 sp pc". */
struct inject_sysline {
	long		 nr;		/* -1 outside a call, -2 running */
	uint64_t	 args[6];
	uint64_t	 sp, pc;
};
int	 inject_sysline_parse(const char *, struct inject_sysline *);
int	 inject_sysline_read(pid_t pid, pid_t tid, struct inject_sysline *);
/* 1 if syscall nr takes an fd as its first argument (read, sendto, ...). */
int	 inject_fdcall(long nr);
/* "sendto", "epoll_wait", ... or NULL for calls without a name here. */
const char *inject_call_name(long nr);
/*
 * The thread of pid in a call on fd (arg0 == fd), else 0; with *nthreads
 * the number of threads.
 */
pid_t	 inject_pick_thread(pid_t pid, int fd, int *nthreads);
/* Text for an -ERESTART* code, "" for others. */
const char *inject_restart_name(long);

/*
 * inject_x86_64.c, inject_aarch64.c: one architecture's registers and
 * syscall ABI for inject.c (only the file of the build's arch has code).
 * Registers travel as NT_PRSTATUS words; nr is the aarch64 syscall number
 * register (NT_ARM_SYSTEM_CALL), unused (-1) on x86_64.
 */
int	 inject_arch_getregs(pid_t, uint64_t *regs, long *nr);
int	 inject_arch_setregs(pid_t, const uint64_t *regs, long nr);
/*
 * The call the thread is in (-1: user mode) and its restart code; -1 and
 * ENOEXEC when it is not a native 64-bit thread.
 */
int	 inject_arch_classify(const uint64_t *regs, long nr, long *in_call,
	    long *restart);
/* 'S' (single-step at a site) or 'E' (hijack the next syscall entry). */
int	 inject_arch_variant(long in_call);
/* Where the thread's own syscall insn is (x86: rip-2; aarch64: pc). */
uint64_t inject_arch_own_site(const uint64_t *regs);
const unsigned char *inject_arch_insn(size_t *len, size_t *align);
uint64_t inject_arch_pc(const uint64_t *regs);
uint64_t inject_arch_sp(const uint64_t *regs);
long	 inject_arch_ret(const uint64_t *regs);
/* S: regs = saved with pc at site, the call and its arguments. */
void	 inject_arch_set_step(uint64_t *regs, long *nr, uint64_t site,
	    long sysno, const long args[6]);
/* E: at a syscall-entry stop, replace the call and its arguments. */
void	 inject_arch_set_entry(uint64_t *regs, long *nr, long sysno,
	    const long args[6]);
/* E: at a syscall-exit stop, rewind to the insn to run another call. */
void	 inject_arch_set_again(uint64_t *regs, long *nr, const uint64_t *entry,
	    long sysno, const long args[6]);
/*
 * E: the entry registers made to re-run the thread's own call; regs holds
 * the current stop's registers on the way in.
 */
void	 inject_arch_rewind(uint64_t *regs, long *nr, const uint64_t *entry,
	    long entry_nr);

/*
 * destroy.c: SOCK_DESTROY of the TCP/UDP socket with inode ino, looked up
 * and destroyed (with its cookie) inside the network namespace of the
 * process at piddir. 0 and *proto; -1/errno: ENOENT (no TCP/UDP socket
 * with that inode there), EPERM (no CAP_NET_ADMIN over that namespace),
 * EOPNOTSUPP (no SOCK_DESTROY here: before 4.5, no CONFIG_INET_DIAG_DESTROY,
 * or no TCP/UDP sock_diag: noted as FB_DESTROY), ESTALE.
 */
int	 destroy_sock(int piddir, uint64_t ino, int *proto);

#endif
