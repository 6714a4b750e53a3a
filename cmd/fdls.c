/* fdls: list a process's file descriptors (lsof -p, ls -l /proc/PID/fd). */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

static const char usage_text[] =
"usage: fdls [options] PID...\n"
"       fdls -a [-u USER,...] [options]\n"
"\n"
"List open file descriptors: type, mode, offset, size, deleted files,\n"
"sockets with endpoints, TCP state and queues, pipe and unix peers.\n"
"\n"
"  -a, --all              every process\n"
"  -u, --user USER,...    with -a: processes of these users (name or uid)\n"
"  -d, --fd LIST          only these fds (\"0-2,5\")\n"
"  -t, --type TYPE,...    only these types (REG, DIR, CHR, BLK, FIFO, SOCK,\n"
"                         INET, TCP, TCP6, UDP, UDP6, UNIX, NETLINK, ANON,\n"
"                         eventfd, epoll, timerfd, pidfd, ...)\n"
"      --deleted          only deleted files (held open after unlink)\n"
"      --peers            add PEER: who holds the other end of pipes, FIFOs,\n"
"                         unix sockets and loopback TCP\n"
"      --maps             also list mapped files (FD \"mem\") and SysV segments\n"
"      --sort COLUMN      sort rows by COLUMN (numbers numerically)\n"
"  -o, --output LIST      columns to show (+LIST adds to the default)\n"
"  -H, --list-columns     list the columns and exit\n"
"  -n, --noheadings       no header line\n"
"  -r, --raw              single-space separated, escaped, one row a line\n"
"  -J, --json             JSON\n"
"  -v, --verbose          say which fallbacks an older kernel needed\n"
"  -h, --help             this help\n"
"  -V, --version          version and build\n"
"\n"
"Exit: 0 listed; 1 no such process or nothing matched; 2 usage;\n"
"3 a named process could not be read.\n";

enum {
	C_PID, C_COMM, C_USER, C_FD, C_MODE, C_TYPE, C_FLAGS, C_POS, C_SIZE,
	C_DEV, C_INODE, C_MNTID, C_DEL, C_STATE, C_SENDQ, C_RECVQ, C_LOCAL,
	C_REMOTE, C_PEER, C_NAME
};
static const struct out_col cols[] = {
	{ "PID", OUT_NUM, "process id" },
	{ "COMM", 0, "command name (stat field 2)" },
	{ "USER", 0, "owner of the process" },
	{ "FD", OUT_NUM, "fd number, or \"mem\" for a mapping" },
	{ "MODE", 0, "open mode: r, w, rw" },
	{ "TYPE", 0, "REG, DIR, CHR, FIFO, TCP, UNIX, eventfd, ..." },
	{ "FLAGS", 0, "open flags from fdinfo: cloexec, nonblock, ..." },
	{ "POS", OUT_NUM, "file offset" },
	{ "SIZE", OUT_NUM, "file size in bytes" },
	{ "DEV", 0, "device major:minor" },
	{ "INODE", OUT_NUM, "inode number" },
	{ "MNTID", OUT_NUM, "mount id" },
	{ "DEL", OUT_BOOL, "1 if the file is deleted" },
	{ "STATE", 0, "socket state (ESTABLISHED, LISTEN, ...)" },
	{ "SENDQ", OUT_NUM, "bytes queued to send" },
	{ "RECVQ", OUT_NUM, "bytes received, not yet read" },
	{ "LOCAL", 0, "local address:port, or unix path" },
	{ "REMOTE", 0, "remote address:port" },
	{ "PEER", 0, "PID,COMM,FD of the other end (--peers)" },
	{ "NAME", 0, "path, or endpoints and state" },
	{ NULL, 0, NULL }
};
static const int defcols[] = {
	C_PID, C_COMM, C_FD, C_MODE, C_TYPE, C_SIZE, C_NAME, -1
};

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "user", required_argument, NULL, 'u' },
	{ "fd", required_argument, NULL, 'd' },
	{ "type", required_argument, NULL, 't' },
	{ "deleted", no_argument, NULL, 'D' },
	{ "peers", no_argument, NULL, 'P' },
	{ "maps", no_argument, NULL, 'M' },
	{ "sort", required_argument, NULL, 'S' },
	{ "output", required_argument, NULL, 'o' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'J' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const char *known_types[] = {
	"REG", "DIR", "CHR", "BLK", "FIFO", "LINK", "SOCK", "INET", "TCP",
	"TCP6", "UDP", "UDP6", "UNIX", "NETLINK", "PACKET", "RAW", "RAW6",
	"UDPLITE", "SCTP", "ANON", "NSFS", "eventfd", "epoll", "timerfd",
	"signalfd", "inotify", "fanotify", "pidfd", "io_uring", "userfaultfd",
	"bpf-map", "bpf-prog", "bpf_link", "perf_event", "memfd", NULL
};

/*
 * Sockets are looked up one at a time (sock_diag exact match) for the first
 * EXACT_MAX of a process; past that, or when that is not possible, the
 * namespace's whole table is read once and shared.
 */
#define EXACT_MAX	64
struct proc_ctx {
	pid_t		 pid;
	int		 dir, fddir;
	uid_t		 uid;
	char		 comm[PROC_COMM_MAX];
	const struct sock_table *tab;	/* the namespace's, when read */
	struct sock_table own;		/* looked up one by one */
	int		 nl, pidfd, exact;
};

static struct out o = { .sort = -1, .json_key = "fds", .cols = cols };
static struct num_list fdsel;
static char **types;
static size_t ntypes;
static int opt_all, opt_deleted, opt_peers, opt_maps;
static uid_t *users;
static size_t nusers;
static unsigned want;
static int rc3;
static struct {
	uint64_t	 netns;
	struct sock_table t;
} tabs[8];
static size_t ntabs;
static struct fd_holder *holders;
static size_t nholders;
static uint64_t *wanted;
static size_t nwanted, wantcap;

/* A usage error: one line saying what is wrong, then the synopsis. */
static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fdls: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%.*s", (int)(strstr(usage_text, "\n\n") -
	    usage_text + 1), usage_text);
	exit(2);
}

static int
type_known(const char *t)
{
	int i;

	for (i = 0; known_types[i]; i++)
		if (!strcasecmp(known_types[i], t))
			return 1;
	return 0;
}

static void
parse_types(char *list)
{
	char *t;

	for (t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		if (!type_known(t))
			usage_error("unknown type: %s", t);
		types = xrealloc(types, (ntypes + 1) * sizeof(*types));
		types[ntypes++] = t;
	}
	if (ntypes == 0)
		usage_error("empty type list");
}

static void
parse_users(char *list)
{
	char *u;

	for (u = strtok(list, ","); u; u = strtok(NULL, ",")) {
		users = xrealloc(users, (nusers + 1) * sizeof(*users));
		if (user_parse(u, &users[nusers]) < 0)
			usage_error("unknown user: %s", u);
		nusers++;
	}
	if (nusers == 0)
		usage_error("empty user list");
}

static int
type_match(const struct fd_desc *d)
{
	const char *t;
	size_t i;

	if (ntypes == 0)
		return 1;
	for (i = 0; i < ntypes; i++) {
		t = types[i];
		if (!strcasecmp(t, d->type))
			return 1;
		if (!strcasecmp(t, "SOCK") && d->kind == FD_SOCK)
			return 1;
		if (!strcasecmp(t, "ANON") && d->kind == FD_ANON)
			return 1;
		if (!strcasecmp(t, "INET") && d->sock &&
		    d->sock->family != AF_UNIX)
			return 1;
	}
	return 0;
}

/* --- socket tables, one per network namespace --- */

static const struct sock_table *
sock_tab(int piddir)
{
	struct stat st;
	size_t i;

	if (fstatat(piddir, "ns/net", &st, 0) < 0)
		st.st_ino = 0;
	for (i = 0; i < ntabs; i++)
		if (st.st_ino && tabs[i].netns == st.st_ino)
			return &tabs[i].t;
	if (ntabs == sizeof(tabs) / sizeof(tabs[0])) {
		sock_table_free(&tabs[0].t);
		memmove(tabs, tabs + 1, sizeof(tabs) - sizeof(tabs[0]));
		ntabs--;
	}
	tabs[ntabs].netns = st.st_ino;
	sock_table_load(&tabs[ntabs].t, piddir, SOCK_K_ALL);
	return &tabs[ntabs++].t;
}

/* --- peers: who else holds a pipe or socket inode --- */

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void
want_ino(uint64_t ino)
{
	if (ino == 0)
		return;
	if (nwanted == wantcap)
		wanted = xrealloc(wanted, (wantcap = wantcap * 2 + 64) *
		    sizeof(*wanted));
	wanted[nwanted++] = ino;
}

/* The inode whose holders are this fd's peers. */
static uint64_t
peer_ino(const struct proc_ctx *p, const struct fd_desc *d)
{
	const struct sock_info *r;

	if (d->kind == FD_FIFO)
		return d->ino;
	if (d->sock && d->sock->family == AF_UNIX)
		return d->sock->peer;
	if (d->sock && (r = sock_find_reverse(p->tab, d->sock)) != NULL)
		return r->ino;
	return 0;
}

/* PEER text: "PID,COMM,FDmode" of every other holder, ';' separated. */
static size_t
peer_text(const struct proc_ctx *p, const struct fd_desc *d, char *buf,
    size_t size)
{
	uint64_t ino = peer_ino(p, d);
	size_t i, n = 0;
	int r;

	buf[0] = '\0';
	for (i = 0; ino && i < nholders; i++) {
		if (holders[i].ino != ino ||
		    (holders[i].pid == p->pid && holders[i].fd == d->fd))
			continue;
		r = snprintf(buf + n, size - n, "%s%d,%s,%d%s", n ? ";" : "",
		    (int)holders[i].pid, holders[i].comm, holders[i].fd,
		    holders[i].mode == 3 ? "u" : fd_mode_name(holders[i].mode));
		if (r < 0 || (size_t)r >= size - n)
			break;
		n += r;
	}
	return n;
}

/* --- rows --- */

static void
cell_sock(int c, const struct fd_desc *d)
{
	const struct sock_info *s = d->sock;
	char buf[128];

	if (s == NULL) {
		out_null(&o);
		return;
	}
	switch (c) {
	case C_STATE:
		out_str(&o, sock_state_name(s->proto, s->state));
		break;
	case C_SENDQ:
		out_num(&o, s->sendq);
		break;
	case C_RECVQ:
		out_num(&o, s->recvq);
		break;
	case C_LOCAL:
		if (s->family == AF_UNIX)
			out_str(&o, s->path);
		else
			out_strn(&o, buf, sock_addr_fmt(&s->local, buf,
			    sizeof(buf)));
		break;
	case C_REMOTE:
		if (s->family == AF_UNIX || s->remote.port == 0)
			out_null(&o);
		else
			out_strn(&o, buf, sock_addr_fmt(&s->remote, buf,
			    sizeof(buf)));
		break;
	}
}

static void
cell_file(int c, const struct fd_desc *d)
{
	char buf[64];

	switch (c) {
	case C_SIZE:
		if (d->has_stat && (d->kind == FD_REG || d->kind == FD_BLK ||
		    d->kind == FD_DIR))
			out_num(&o, d->st.size);
		else
			out_null(&o);
		break;
	case C_DEV:
		if (!d->has_stat)
			out_null(&o);
		else
			out_strn(&o, buf, snprintf(buf, sizeof(buf), "%u:%u",
			    d->st.major, d->st.minor));
		break;
	case C_INODE:
		if (d->ino)
			out_num(&o, d->ino);
		else
			out_null(&o);
		break;
	case C_DEL:
		out_bool(&o, d->deleted);
		break;
	}
}

static void
cell_info(int c, const struct fd_desc *d)
{
	char buf[160];

	if (!d->has_info)
		out_null(&o);
	else if (c == C_POS)
		out_num(&o, d->info.pos);
	else if (c == C_FLAGS)
		out_strn(&o, buf, fd_flags_fmt(d->info.flags, buf, sizeof(buf)));
	else if (d->info.mnt_id >= 0)
		out_num(&o, d->info.mnt_id);
	else
		out_null(&o);
}

static void
cell_proc(int c, const struct proc_ctx *p)
{
	const char *u;

	if (c == C_PID)
		out_num(&o, p->pid);
	else if (c == C_COMM)
		out_str(&o, p->comm);
	else if ((u = user_name(p->uid)) != NULL)
		out_str(&o, u);
	else
		out_num(&o, p->uid);
}

static void
row(const struct proc_ctx *p, const struct fd_desc *d)
{
	char buf[8192];
	int i, c;

	for (i = 0; i < o.nsel; i++) {
		switch (c = o.sel[i]) {
		case C_PID: case C_COMM: case C_USER:
			cell_proc(c, p);
			break;
		case C_FD:
			out_num(&o, d->fd);
			break;
		case C_MODE:
			out_str(&o, d->has_mode ? fd_mode_name(d->mode) : NULL);
			break;
		case C_TYPE:
			out_str(&o, d->type);
			break;
		case C_FLAGS: case C_POS: case C_MNTID:
			cell_info(c, d);
			break;
		case C_SIZE: case C_DEV: case C_INODE: case C_DEL:
			cell_file(c, d);
			break;
		case C_PEER:
			out_strn(&o, buf, peer_text(p, d, buf, sizeof(buf)));
			break;
		case C_NAME:
			out_strn(&o, buf, fd_desc_name(d, buf, sizeof(buf)));
			break;
		default:
			cell_sock(c, d);
		}
	}
	out_row_end(&o);
}

/* --- mappings (--maps) --- */

struct mapctx {
	const struct proc_ctx	*p;
	uint64_t		 lastino;
	unsigned		 lastdev;
};

static int
map_row(const struct maps_entry *m, void *arg)
{
	struct mapctx *mc = arg;
	struct fd_desc d;
	char buf[4200];
	int i;

	if (m->ino == 0 || (m->ino == mc->lastino &&
	    (m->major << 20 | m->minor) == mc->lastdev))
		return 0;
	mc->lastino = m->ino;
	mc->lastdev = m->major << 20 | m->minor;
	memset(&d, 0, sizeof(d));
	d.deleted = m->deleted && !m->sysv;
	if (opt_deleted && !d.deleted)
		return 0;
	if (ntypes && !type_match(&(struct fd_desc){ .kind = FD_REG,
	    .type = "REG" }))
		return 0;
	d.ino = m->ino;
	d.has_stat = 1;
	d.st.major = m->major;
	d.st.minor = m->minor;
	for (i = 0; i < o.nsel; i++) {
		switch (o.sel[i]) {
		case C_PID: case C_COMM: case C_USER:
			cell_proc(o.sel[i], mc->p);
			break;
		case C_FD:
			out_str(&o, "mem");
			break;
		case C_MODE:
			out_strn(&o, m->perms, 2);
			break;
		case C_TYPE:
			out_str(&o, m->sysv ? "SYSV" : "REG");
			break;
		case C_DEV: case C_INODE: case C_DEL:
			cell_file(o.sel[i], &d);
			break;
		case C_NAME:
			snprintf(buf, sizeof(buf), "%.*s%s", (int)m->pathlen,
			    m->path, d.deleted ? " (deleted)" : "");
			out_str(&o, buf);
			break;
		default:
			out_null(&o);
		}
	}
	out_row_end(&o);
	return 0;
}

static int
fd_selected(const struct fd_desc *d)
{
	if (opt_deleted && !d->deleted)
		return 0;
	return type_match(d);
}

static const struct sock_info *
sock_exact(struct proc_ctx *p, const struct fd_desc *d)
{
	int dup;

	if (p->nl < 0 && (p->nl = sock_nl_open(p->dir)) < 0)
		return NULL;
	/*
	 * A duplicate of the fd gives the endpoints; a pidfd opened after the
	 * fd was read can only name this process or fail, and the answer is
	 * checked against the inode.
	 */
	if (p->pidfd == -1)
		p->pidfd = syscall(SYS_pidfd_open, p->pid, 0);
	dup = p->pidfd >= 0 ? syscall(SYS_pidfd_getfd, p->pidfd, d->fd, 0) : -1;
	if (dup < 0 && errno == ENOSYS)
		fallback_note(FB_GETFD, ENOSYS);
	if (sock_table_add_one(&p->own, p->nl, d->ino, dup) < 0) {
		if (dup >= 0)
			close(dup);
		return NULL;
	}
	if (dup >= 0)
		close(dup);
	return sock_find(&p->own, d->ino);
}

static void
resolve_sock(struct proc_ctx *p, struct fd_desc *d)
{
	const struct sock_info *s = NULL;

	if (p->tab == NULL && p->exact < EXACT_MAX) {
		p->exact++;
		if ((s = sock_exact(p, d)) == NULL)
			p->exact = EXACT_MAX;	/* not possible: read the table */
	}
	if (s == NULL && (s = sock_find(&p->own, d->ino)) == NULL) {
		if (p->tab == NULL)
			p->tab = sock_tab(p->dir);
		s = sock_find(p->tab, d->ino);
	}
	fd_desc_sock(d, s, p->fddir);
}

static void
list_fds(struct proc_ctx *p, int *fds, size_t n, struct fd_desc *d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fdsel.n && !num_list_has(&fdsel, fds[i]))
			continue;
		/* An fd closed since the listing is skipped, not an error. */
		if (fd_describe(p->dir, p->fddir, fds[i], want, p->tab, d) < 0)
			continue;
		if (d->kind == FD_SOCK && !d->sock && (want & FDD_SOCK))
			resolve_sock(p, d);
		if (fd_selected(d))
			row(p, d);
	}
}

/* Collects the peer inodes of one process (first pass of --peers). */
static void
collect_peers(struct proc_ctx *p, int *fds, size_t n, struct fd_desc *d)
{
	size_t i;

	p->tab = sock_tab(p->dir);	/* peers need every socket */
	for (i = 0; i < n; i++)
		if ((!fdsel.n || num_list_has(&fdsel, fds[i])) &&
		    fd_describe(p->dir, p->fddir, fds[i], want, p->tab, d) == 0)
			want_ino(peer_ino(p, d));
}

/* --- processes --- */

static struct fd_desc desc;
static int pass;	/* 0: collect peer inodes, 1: list */
static size_t matched;

static int
ctx_open(struct proc_ctx *p, pid_t pid)
{
	struct proc_stat st;
	struct stat sb;
	int e;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->fddir = -1;
	p->nl = p->pidfd = -1;
	if ((p->dir = proc_open(pid)) < 0)
		return -1;
	if (proc_stat_read(p->dir, &st) < 0 || fstat(p->dir, &sb) < 0)
		goto fail;
	p->uid = sb.st_uid;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	if ((p->fddir = fd_dir_open(p->dir)) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	close(p->dir);
	return errno = e, -1;
}

static void
ctx_close(struct proc_ctx *p)
{
	sock_table_free(&p->own);
	if (p->nl >= 0)
		close(p->nl);
	if (p->pidfd >= 0)
		close(p->pidfd);
	close(p->fddir);
	close(p->dir);
}

static void
named_error(pid_t pid, const char *what)
{
	struct stat sb;
	char path[32];
	const char *u;

	if (errno == ENOENT || errno == ESRCH || errno == EINVAL) {
		warnx("no such process: %d", (int)pid);
		return;
	}
	rc3 = 1;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if ((errno == EACCES || errno == EPERM) && stat(path, &sb) == 0) {
		char owner[48];

		if ((u = user_name(sb.st_uid)) != NULL)
			snprintf(owner, sizeof(owner), "%s", u);
		else
			snprintf(owner, sizeof(owner), "uid %u",
			    (unsigned)sb.st_uid);
		warnx("read /proc/%d/%s: permission denied (the process "
		    "belongs to %s: run as that user or as root)", (int)pid,
		    what, owner);
		return;
	}
	warn("read /proc/%d/%s", (int)pid, what);
}

static int
user_wanted(uid_t uid)
{
	size_t i;

	for (i = 0; i < nusers; i++)
		if (users[i] == uid)
			return 1;
	return nusers == 0;
}

static void
list_process(struct proc_ctx *p, int *fds, size_t n)
{
	struct mapctx mc = { p, 0, 0 };
	size_t before = out_rows(&o);

	if (opt_peers)
		p->tab = sock_tab(p->dir);
	if (pass == 0) {
		collect_peers(p, fds, n, &desc);
		return;
	}
	list_fds(p, fds, n, &desc);
	if (opt_maps && !fdsel.n)
		maps_foreach(p->dir, map_row, &mc);
	matched += out_rows(&o) - before;
}

static void
do_proc(pid_t pid, int named)
{
	struct proc_ctx p;
	int *fds;
	ssize_t n;

	if (ctx_open(&p, pid) < 0) {
		if (named && pass)
			named_error(pid, errno == ENOENT ? "stat" : "fd");
		return;
	}
	if (!user_wanted(p.uid)) {
		close(p.fddir);
		close(p.dir);
		return;
	}
	n = fd_list(p.fddir, &fds);
	if (n < 0) {
		if (named && pass)
			named_error(pid, "fd");
	} else {
		list_process(&p, fds, n);
		free(fds);
	}
	ctx_close(&p);
}

static int
each_proc(pid_t pid, void *arg)
{
	if (pid != getpid())
		do_proc(pid, 0);
	return 0;
}

static void
run_pass(char **pids, int npids)
{
	uint64_t v;
	int i;

	if (opt_all) {
		proc_foreach(each_proc, NULL);
		return;
	}
	for (i = 0; i < npids; i++) {
		num_range(pids[i], 1, 0x7fffffff, &v);
		do_proc(v, 1);
	}
}

static void
find_peers(char **pids, int npids)
{
	pass = 0;
	run_pass(pids, npids);
	qsort(wanted, nwanted, sizeof(*wanted), u64_cmp);
	fd_holders(wanted, nwanted, 0, &holders, &nholders);
	pass = 1;
}

static unsigned
wanted_reads(void)
{
	unsigned w = 0;
	int i;

	for (i = 0; i < o.nsel; i++)
		switch (o.sel[i]) {
		case C_MODE:
			w |= FDD_MODE;
			break;
		case C_POS: case C_FLAGS: case C_MNTID:
			w |= FDD_INFO;
			break;
		case C_TYPE: case C_SIZE: case C_DEV: case C_INODE: case C_DEL:
			w |= FDD_STAT | FDD_SOCK;
			break;
		case C_STATE: case C_SENDQ: case C_RECVQ: case C_LOCAL:
		case C_REMOTE: case C_PEER: case C_NAME:
			w |= FDD_SOCK;
			break;
		}
	if (ntypes)
		w |= FDD_STAT | FDD_SOCK;
	if (opt_deleted)
		w |= FDD_STAT;
	return w;
}

static void
add_column(int c)
{
	if (!out_has(&o, c) && o.nsel < 64)
		o.sel[o.nsel++] = c;
}

static void
set_columns(const char *list, const char *sort)
{
	const char *bad;
	size_t badlen;
	char name[64];
	int c;

	if (out_select(&o, list, defcols, &bad, &badlen) < 0) {
		snprintf(name, sizeof(name), "%.*s", (int)badlen, bad);
		usage_error("unknown column: %s (see -H)", name);
	}
	if (opt_peers)
		add_column(C_PEER);
	if (sort) {
		if ((c = out_col_index(&o, sort)) < 0)
			usage_error("unknown sort column: %s (see -H)", sort);
		add_column(c);
		o.sort = c;
	}
}

/* -v: each fallback taken for an older kernel, once, from finish(). */
static void
verbose(void)
{
	static const struct {
		int		 f;
		const char	*name, *how;
	} fb[] = {
		{ FB_GETFD, "pidfd_getfd", "reading the namespace's sockets" },
		{ FB_STATX, "statx", "using fstatat" },
		{ FB_SOCKDIAG, "sock_diag", "reading /proc/PID/net (no unix "
		    "peers)" },
	};
	size_t i;
	int e;

	for (i = 0; i < sizeof(fb) / sizeof(fb[0]); i++)
		if ((e = fallback_err(fb[i].f)) != 0)
			warnx("%s: not supported by this kernel (%s), %s",
			    fb[i].name, fallback_errname(e), fb[i].how);
}

static void
options(int argc, char **argv, const char **list, const char **sort)
{
	char vbuf[96];
	int ch;

	while ((ch = getopt_long(argc, argv, "+au:d:t:o:HnrJvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': opt_all = 1; break;
		case 'u': parse_users(optarg); break;
		case 'd':
			if (num_list_parse(&fdsel, optarg, 0x7fffffff, 0) < 0)
				usage_error("bad fd list: %s", optarg);
			break;
		case 't': parse_types(optarg); break;
		case 'D': opt_deleted = 1; break;
		case 'P': opt_peers = 1; break;
		case 'M': opt_maps = 1; break;
		case 'S': *sort = optarg; break;
		case 'o': *list = optarg; break;
		case 'H': out_list_columns(cols); exit(finish(0));
		case 'n': o.noheadings = 1; break;
		case 'r': o.mode = OUT_RAW; break;
		case 'J': o.mode = OUT_JSON; break;
		case 'v': finish_hook = verbose; break;
		case 'h': fputs(usage_text, stdout); exit(finish(0));
		case 'V': puts(version_line("fdls", vbuf, sizeof(vbuf)));
			exit(finish(0));
		default: usage_error("bad option");
		}
	}
}

int
main(int argc, char **argv)
{
	const char *list = NULL, *sort = NULL;
	uint64_t v;
	int i;

	options(argc, argv, &list, &sort);
	argc -= optind, argv += optind;
	if (!opt_all && argc == 0)
		usage_error("no process given (PID..., or -a)");
	if (opt_all && argc)
		usage_error("-a takes no PID operands: %s", argv[0]);
	if (nusers && !opt_all)
		usage_error("-u selects processes with -a");
	for (i = 0; i < argc; i++)
		if (num_range(argv[i], 1, 0x7fffffff, &v) < 0)
			usage_error("not a process id: %s", argv[i]);
	set_columns(list, sort);
	want = wanted_reads();
	pass = 1;
	if (opt_peers)
		find_peers(argv, argc);
	out_begin(&o);
	run_pass(argv, argc);
	out_end(&o);
	return finish(rc3 ? 3 : matched ? 0 : 1);
}
