/* fdls: list a process's file descriptors (lsof -p, ls -l /proc/PID/fd). */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
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
"  -v, --verbose          say which fallbacks an older kernel needed, and\n"
"                         how many processes -a could not read\n"
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
	{ "DEV", 0, "device major:minor (a device node's own)" },
	{ "INODE", OUT_NUM, "inode number" },
	{ "MNTID", OUT_NUM, "mount id" },
	{ "DEL", OUT_BOOL, "1 if the file is deleted" },
	{ "STATE", 0, "socket state (ESTABLISHED, LISTEN, ...)" },
	{ "SENDQ", OUT_NUM, "queued to send (streams: bytes)" },
	{ "RECVQ", OUT_NUM, "received, not yet read (streams: bytes)" },
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

static const char known_types[] =
	"REG\0DIR\0CHR\0BLK\0FIFO\0LINK\0SOCK\0INET\0TCP\0TCP6\0UDP\0UDP6\0"
	"UNIX\0NETLINK\0PACKET\0RAW\0RAW6\0UDPLITE\0SCTP\0ANON\0NSFS\0"
	"eventfd\0epoll\0timerfd\0signalfd\0inotify\0fanotify\0pidfd\0"
	"io_uring\0userfaultfd\0bpf-map\0bpf-prog\0bpf_link\0perf_event\0"
	"SYSV\0";

/*
 * Sockets are looked up one at a time (sock_diag exact match) when a
 * process holds at most EXACT_MAX; past that, or when that is not
 * possible, the namespace's table is read keeping only the process's
 * own. With -a and --peers every socket of the namespace is kept, once.
 */
#define EXACT_MAX	64
struct proc_ctx {
	pid_t		 pid;
	int		 dir, fddir;
	uid_t		 uid;
	char		 comm[PROC_COMM_MAX];
	const struct sock_table *tab;	/* the namespace's, when read */
	struct sock_table *own;		/* its own sockets */
	int		 nl, pidfd, named;
	int		 kthread;	/* no fds to read */
};

/*
 * The listing is made twice from a log (out_measure): first read every
 * fd once into compact records (R_FD, R_MAP; R_PROC before each
 * process), then look its sockets up, then make the rows from the log:
 * to measure the columns, then to print them. Nothing is kept per row.
 */
enum { R_PROC, R_FD, R_MAP };
static struct out_log lg;
static struct out_logrd rd;
static struct {
	const struct sock_table *tab;
	struct sock_table	*own;
} *kept;
static size_t nkept;
static uint64_t *sino;			/* the socket inodes of a process */
static size_t nsino, sinocap;
static int sockfd0;			/* the fd of the first of them */
static struct {
	uint64_t	 ino;
	char		 type[24];	/* from the socket itself */
} *unk;
static size_t nunk;

static struct out o;
static struct num_list fdsel;
static char **types;
static size_t ntypes;
static int opt_all, opt_deleted, opt_peers, opt_maps;
static uid_t *users;
static size_t nusers;
static unsigned want, skinds;	/* FDD_*, SOCK_K_* */
static int rc3;
static size_t ndenied;		/* -a: processes we may not read */
static struct nstab {
	struct nstab	*next;
	uint64_t	 netns;
	struct sock_table t;
} *tabs;
static struct fd_holder *holders;
static size_t nholders;
static uint64_t *wanted;
static size_t nwanted, wantcap;
static struct fd_fifo *fifos;		/* named FIFOs, for their peers */
static size_t nfifos;
static struct fd_desc desc;
static int pass;	/* 0: collect peer inodes, 1: list */

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
	const char *k;

	for (k = known_types; *k; k += strlen(k) + 1)
		if (!strcasecmp(k, t))
			return 1;
	return 0;
}

static void
parse_types(const char *list)
{
	const char *s = list;
	char t[32];
	int r;

	while ((r = num_list_item(&s, t, sizeof(t))) > 0) {
		if (!type_known(t))
			usage_error("unknown type: %s", t);
		types = xrealloc(types, (ntypes + 1) * sizeof(*types));
		types[ntypes++] = xstrdup(t);
	}
	if (r < 0)
		usage_error("bad type list: '%s'", list);
}

static void
parse_users(const char *list)
{
	const char *s = list;
	char u[256];
	int r;

	while ((r = num_list_item(&s, u, sizeof(u))) > 0) {
		users = xrealloc(users, (nusers + 1) * sizeof(*users));
		if (user_parse(u, &users[nusers]) < 0)
			usage_error("unknown user: %s", u);
		nusers++;
	}
	if (r < 0)
		usage_error("bad user list: '%s'", list);
}

static int
type_listed(const char *type)
{
	size_t i;

	for (i = 0; i < ntypes; i++)
		if (!strcasecmp(types[i], type))
			return 1;
	return 0;
}

static int
type_match(const struct fd_desc *d)
{
	return ntypes == 0 || type_listed(d->type) ||
	    (d->kind == FD_SOCK && type_listed("SOCK")) ||
	    (d->kind == FD_ANON && type_listed("ANON")) ||
	    (d->sock && d->sock->family != AF_UNIX && type_listed("INET"));
}

/* --- socket tables --- */

/* The whole table of the process's namespace, read once per namespace. */
static const struct sock_table *
sock_tab(int piddir)
{
	struct nstab *n;
	struct stat st;

	if (fd_statat(piddir, "ns/net", &st, 0) < 0)
		st.st_ino = 0;
	for (n = tabs; n; n = n->next)
		if (st.st_ino && n->netns == st.st_ino)
			return &n->t;
	n = xmalloc(sizeof(*n));
	n->next = tabs;
	n->netns = st.st_ino;
	sock_table_load(&n->t, piddir, SOCK_K_ALL);
	return &(tabs = n)->t;
}

static void
u64_push(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap * 2 + 64) * sizeof(**v));
	(*v)[(*n)++] = x;
}

/* A socket of a family the tables do not hold: ask it for its name. */
static void
unk_add(int fddir, int fd, uint64_t ino)
{
	struct fd_desc t;

	t.fd = fd;
	fd_desc_sock(&t, NULL, fddir);
	unk = xrealloc(unk, (nunk + 1) * sizeof(*unk));
	unk[nunk].ino = ino;
	strcpy(unk[nunk++].type, t.type);
}

static const char *
unk_find(uint64_t ino)
{
	size_t i;

	for (i = 0; i < nunk; i++)
		if (unk[i].ino == ino)
			return unk[i].type;
	return NULL;
}

/* The socket of d, from the tables of p, or its name from unk. */
static void
sock_of(const struct proc_ctx *p, struct fd_desc *d)
{
	const struct sock_info *s = NULL;
	const char *t;

	if (p->own)
		s = sock_find(p->own, d->ino);
	if (s == NULL && p->tab)
		s = sock_find(p->tab, d->ino);
	if (s) {
		fd_desc_sock(d, s, -1);
		return;
	}
	if ((t = unk_find(d->ino)) != NULL)
		d->type = t;
}

/* --- peers: who else holds a pipe or socket inode --- */

static void
want_ino(uint64_t ino)
{
	if (ino)
		u64_push(&wanted, &nwanted, &wantcap, ino);
}

/* A FIFO with a path: its openers are found by link, then file. */
static uint64_t
fifo_dev(const struct fd_desc *d)
{
	if (d->kind != FD_FIFO || d->link[0] != '/' || !d->has_stat)
		return 0;
	return FD_DEV(d->st.major, d->st.minor);
}

static void
want_fifo(const struct fd_desc *d)
{
	struct fd_fifo *f;
	size_t i;

	/* once per FIFO: every path fd on the machine is held against these */
	for (i = 0; i < nfifos; i++)
		if (fifos[i].ino == d->st.ino && fifos[i].dev == fifo_dev(d) &&
		    strcmp(fifos[i].link, d->link) == 0)
			return;
	fifos = xrealloc(fifos, (nfifos + 1) * sizeof(*fifos));
	f = &fifos[nfifos++];
	f->link = xstrdup(d->link);
	f->ino = d->st.ino;
	f->dev = fifo_dev(d);
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
	if (d->sock && p->tab &&
	    (r = sock_find_reverse(p->tab, d->sock)) != NULL)
		return r->ino;
	return 0;
}

/* PEER text: "PID,COMM,FDmode" of every other holder, ';' separated. */
static size_t
peer_text(const struct proc_ctx *p, const struct fd_desc *d, char *buf,
    size_t size)
{
	uint64_t ino = peer_ino(p, d), dev = fifo_dev(d);
	size_t i, n = 0;
	int r;

	buf[0] = '\0';
	for (i = 0; ino && i < nholders; i++) {
		if (holders[i].ino != ino || holders[i].dev != dev ||
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
	case C_DEV:	/* a device node's own number, as lsof and lsfd */
		if (!d->has_stat)
			out_null(&o);
		else if (d->kind == FD_CHR || d->kind == FD_BLK)
			out_strn(&o, buf, snprintf(buf, sizeof(buf), "%u:%u",
			    d->st.rmajor, d->st.rminor));
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
		if (i == o.skip) {
			out_null(&o);
			continue;
		}
		switch (c = o.sel[i]) {
		case C_PID: case C_COMM: case C_USER:
			cell_proc(c, p);
			break;
		case C_FD:
			if (d->fd < 0)
				out_str(&o, "mem");
			else
				out_num(&o, d->fd);
			break;
		case C_MODE:
			if (d->fd < 0)	/* a mapping's r and w bits */
				out_strn(&o, "--r--wrw" + 2 * d->mode, 2);
			else
				out_str(&o, d->has_mode ?
				    fd_mode_name(d->mode) : NULL);
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
			if (d->fd < 0)
				out_null(&o);
			else
				out_strn(&o, buf, peer_text(p, d, buf,
				    sizeof(buf)));
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
	uint64_t	 lastino;
	unsigned	 lastdev;
};

static int
map_put(const struct maps_entry *m, void *arg)
{
	struct mapctx *mc = arg;

	if (m->ino == 0 || (m->ino == mc->lastino &&
	    (m->major << 20 | m->minor) == mc->lastdev))
		return 0;
	mc->lastino = m->ino;
	mc->lastdev = m->major << 20 | m->minor;
	if (opt_deleted && !(m->deleted && !m->sysv))
		return 0;
	out_log_num(&lg, R_MAP);
	out_log_num(&lg, m->ino);
	out_log_num(&lg, m->major);
	out_log_num(&lg, m->minor);
	out_log_num(&lg, (m->perms[0] == 'r') | (m->perms[1] == 'w') << 1 |
	    m->sysv << 2 | m->deleted << 3);
	out_log_text(&lg, m->path, m->pathlen);
	return 0;
}

/* A mapping as a row: FD "mem", TYPE REG or SYSV, no size. */
static void
map_get(struct fd_desc *d)
{
	const char *t;
	unsigned f;

	memset(d, 0, offsetof(struct fd_desc, link));
	d->fd = -1;
	d->kind = FD_OTHER;
	d->has_stat = 1;
	d->ino = out_logrd_num(&lg, &rd);
	d->st.major = out_logrd_num(&lg, &rd);
	d->st.minor = out_logrd_num(&lg, &rd);
	f = out_logrd_num(&lg, &rd);
	d->mode = f & 3;
	d->deleted = (f & 8) && !(f & 4);
	d->type = f & 4 ? "SYSV" : "REG";
	t = out_logrd_text(&lg, &rd, &d->linklen);
	memcpy(d->link, t, d->linklen + 1);
}

static int
fd_selected(const struct fd_desc *d)
{
	if (opt_deleted && !d->deleted)
		return 0;
	return type_match(d);
}

/* --- reading a process's fds into the log --- */

/*
 * A duplicate of fd of p (pidfd_getfd, 5.6+, ptrace access), or -1. A
 * pidfd opened after the fd was read can only name this process or fail;
 * what the duplicate says is checked against the inode.
 */
static int
dup_of(struct proc_ctx *p, int fd)
{
	if (p->pidfd == -1)
		p->pidfd = syscall(SYS_pidfd_open, p->pid, 0);
	return pidfd_dup(p->pidfd, fd);
}

static int
sock_exact(struct proc_ctx *p, int fd, uint64_t ino)
{
	int dup, r;

	if (p->nl < 0 && (p->nl = sock_nl_open(p->dir)) < 0)
		return -1;
	dup = dup_of(p, fd);	/* a duplicate gives the endpoints */
	r = sock_table_add_one(p->own, p->nl, ino, dup);
	if (dup >= 0)
		close(dup);
	return r;
}

/*
 * For each socket fd logged for p since at (its R_PROC) that its table
 * lacks: the exact lookup (left < 0), or its name from the socket itself
 * until left sockets are named. 0, or -1 when an exact lookup was not
 * possible.
 */
static int
each_sock(struct proc_ctx *p, size_t at, long left)
{
	rd.at = at;
	rd.textlen = 0;
	while (left && rd.at < lg.len) {
		out_logrd_num(&lg, &rd);	/* R_FD: maps come later */
		fd_desc_get(&lg, &rd, &desc);
		if (desc.kind != FD_SOCK || sock_find(p->own, desc.ino) ||
		    unk_find(desc.ino))
			continue;
		if (left > 0) {
			unk_add(p->fddir, desc.fd, desc.ino);
			left--;
		}
		/* families sock_diag does not know are asked by name later */
		else if (sock_exact(p, desc.fd, desc.ino) < 0 &&
		    errno != EAFNOSUPPORT)
			return -1;
	}
	return 0;
}

/*
 * Finds the n sockets of p logged since at: one by one when they are few;
 * else the dumps, until all but a few are found, and those one by one
 * (the last families' dumps cost more than asking each); else the whole
 * dumps. The one-by-one way needs dup_of.
 */
static void
find_socks(struct proc_ctx *p, size_t at, size_t n)
{
	int dup = -1;

	if (n <= EXACT_MAX && each_sock(p, at, -1) == 0)
		return;
	if (n > EXACT_MAX && (dup = dup_of(p, sockfd0)) >= 0) {
		close(dup);
		sock_table_free(p->own);
		sock_table_load_set(p->own, p->dir, skinds, sino, n, EXACT_MAX);
		if (p->own->n == n || (p->own->source == SOCK_SRC_NETLINK &&
		    each_sock(p, at, -1) == 0))
			return;
	}
	sock_table_free(p->own);
	sock_table_load_set(p->own, p->dir, skinds, sino, n, 0);
}

/* Looks up the sockets of p logged since at, into its own table. */
static void
resolve(struct proc_ctx *p, size_t at)
{
	size_t i, n = 0;

	if (nsino == 0)
		return;
	for (i = 1; i < nsino && sino[i - 1] <= sino[i]; i++)
		;
	if (i < nsino)
		out_sort(sino, nsino, NULL);
	for (i = 0; i < nsino; i++)
		if (n == 0 || sino[i] != sino[n - 1])
			sino[n++] = sino[i];
	p->own = xcalloc(1, sizeof(*p->own));
	find_socks(p, at, n);
	each_sock(p, at, n - p->own->n);
	kept[nkept - 1].own = p->own;
	nsino = 0;
}

/* One fd of the process being read (fd_foreach callback). */
static int
list_fd(int fd, void *arg)
{
	struct proc_ctx *p = arg;
	struct fd_desc *d = &desc;

	if (fdsel.n && !num_list_has(&fdsel, fd))
		return 0;
	/* An fd closed since the listing is skipped, not an error. */
	if (fd_describe(p->dir, p->fddir, fd, want, pass ? NULL : p->tab,
	    d) < 0)
		return -1;
	if (pass == 0) {
		if (fifo_dev(d))
			want_fifo(d);
		else
			want_ino(peer_ino(p, d));
		return 0;
	}
	if (opt_deleted && !d->deleted)
		return 0;
	out_log_num(&lg, R_FD);
	fd_desc_put(&lg, d);
	if (d->kind != FD_SOCK || !(want & FDD_SOCK))
		return 0;
	if (opt_all && p->tab == NULL)
		p->tab = kept[nkept - 1].tab = sock_tab(p->dir);
	if (p->tab == NULL) {
		if (nsino == 0)
			sockfd0 = fd;
		u64_push(&sino, &nsino, &sinocap, d->ino);
	}
	else if (sock_find(p->tab, d->ino) == NULL)
		unk_add(p->fddir, fd, d->ino);
	return 0;
}

/* R_PROC: who holds the fds that follow, and where their sockets are. */
static void
proc_put(const struct proc_ctx *p)
{
	kept = xrealloc(kept, (nkept + 1) * sizeof(*kept));
	kept[nkept].tab = p->tab;
	kept[nkept].own = NULL;
	out_log_num(&lg, R_PROC);
	out_log_num(&lg, nkept++);
	out_log_num(&lg, p->pid);
	out_log_num(&lg, p->uid);
	out_log_text(&lg, p->comm, strlen(p->comm));
	lg.textlen = 0;
}

static void
proc_get(struct proc_ctx *p)
{
	size_t k = out_logrd_num(&lg, &rd), n;

	p->tab = kept[k].tab;
	p->own = kept[k].own;
	p->pid = out_logrd_num(&lg, &rd);
	p->uid = out_logrd_num(&lg, &rd);
	out_logrd_text(&lg, &rd, &n);
	memcpy(p->comm, rd.text, n < sizeof(p->comm) ? n + 1 : 0);
	rd.textlen = 0;
}

/* Makes the rows from the log. */
static void
replay(void)
{
	struct proc_ctx p;
	struct fd_desc *d = &desc;
	uint64_t tag;

	memset(&p, 0, sizeof(p));
	rd.at = rd.textlen = 0;
	while (rd.at < lg.len) {
		tag = out_logrd_num(&lg, &rd);
		if (tag == R_PROC)
			proc_get(&p);
		else if (tag == R_MAP) {
			map_get(d);
			/* a mapping is a file: REG, or SYSV for a segment */
			if (!ntypes || type_listed(d->type) ||
			    type_listed("REG"))
				row(&p, d);
		} else {
			fd_desc_get(&lg, &rd, d);
			if (d->kind == FD_SOCK && (want & FDD_SOCK))
				sock_of(&p, d);
			if (fd_selected(d))
				row(&p, d);
		}
	}
}

/* --- processes --- */

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
	if (proc_stat_read(p->dir, &st) < 0 ||
	    fd_statat(p->dir, "", &sb, AT_EMPTY_PATH) < 0)
		goto fail;
	p->uid = sb.st_uid;
	p->kthread = (st.flags & PROC_PF_KTHREAD) != 0;
	memcpy(p->comm, st.comm, sizeof(p->comm));
	if (proc_leader_exited(&st) &&
	    (e = proc_live_task_open(p->dir, NULL, NULL)) >= 0) {
		close(p->dir);	/* the leader exited: a thread's lists */
		p->dir = e;
	}
	if ((p->fddir = fd_dir_open(p->dir)) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	close(p->dir);
	return errno = e, -1;
}

/* Its tables stay: the rows are made from them at the end. */
static void
ctx_close(struct proc_ctx *p)
{
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
	if ((errno == EACCES || errno == EPERM) &&
	    fd_statat(AT_FDCWD, path, &sb, 0) == 0) {
		char owner[48];

		if ((u = user_name(sb.st_uid)) == NULL) {
			snprintf(owner, sizeof(owner), "uid %u",
			    (unsigned)sb.st_uid);
			u = owner;
		}
		/* Ours, yet refused: ptrace access mode checks say no. */
		if (sb.st_uid == geteuid() && geteuid() != 0)
			warnx("read /proc/%d/%s: permission denied (the "
			    "process is ours but not dumpable, or ptrace "
			    "access is restricted: run as root)", (int)pid,
			    what);
		else if (geteuid() == 0)
			warnx("read /proc/%d/%s: permission denied (even to "
			    "root: a container without CAP_SYS_PTRACE, or a "
			    "security module)", (int)pid, what);
		else
			warnx("read /proc/%d/%s: permission denied (the "
			    "process belongs to %s: run as that user or as "
			    "root)", (int)pid, what, u);
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
list_process(struct proc_ctx *p)
{
	struct mapctx mc = { 0, 0 };
	size_t at;

	if (opt_peers)
		p->tab = sock_tab(p->dir);	/* peers need every socket */
	if (pass)
		proc_put(p);
	at = lg.len;
	if (fd_foreach(p->fddir, !fdsel.n, list_fd, p) < 0 && p->named &&
	    pass)
		named_error(p->pid, "fd");
	if (pass == 0)
		return;
	resolve(p, at);
	if (opt_maps && !fdsel.n)
		maps_foreach(p->dir, map_put, &mc);
}

static void
do_proc(pid_t pid, int named)
{
	struct proc_ctx p;

	if (ctx_open(&p, pid) < 0) {
		if (named && pass)
			named_error(pid, errno == ENOENT ? "stat" : "fd");
		else if (pass && (errno == EACCES || errno == EPERM) &&
		    !p.kthread && user_wanted(p.uid))
			ndenied++;	/* -a: passed over, counted for -v */
		return;
	}
	p.named = named;
	if (user_wanted(p.uid))
		list_process(&p);
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
	out_sort(wanted, nwanted, NULL);
	fd_holders(wanted, nwanted, fifos, nfifos, 0, &holders, &nholders);
	pass = 1;
}

/* What each column needs read (FDD_*); SOCKQ: unix peers and queues too. */
#define SOCKQ	0x80
static const unsigned char col_reads[] = {
	[C_MODE] = FDD_MODE,
	[C_FLAGS] = FDD_INFO, [C_POS] = FDD_INFO, [C_MNTID] = FDD_INFO,
	[C_TYPE] = FDD_STAT | FDD_SOCK, [C_SIZE] = FDD_STAT | FDD_SOCK,
	[C_DEV] = FDD_STAT | FDD_SOCK | FDD_DEV,
	[C_INODE] = FDD_STAT | FDD_SOCK | FDD_DEV,
	[C_DEL] = FDD_STAT | FDD_SOCK,
	[C_STATE] = FDD_SOCK, [C_LOCAL] = FDD_SOCK, [C_REMOTE] = FDD_SOCK,
	[C_NAME] = FDD_SOCK,
	[C_SENDQ] = FDD_SOCK | SOCKQ, [C_RECVQ] = FDD_SOCK | SOCKQ,
	[C_PEER] = FDD_SOCK | SOCKQ | FDD_STAT,	/* stat: named FIFOs */
};

static unsigned
wanted_reads(void)
{
	unsigned w = 0;
	int i;

	for (i = 0; i < o.nsel; i++)
		w |= col_reads[o.sel[i]];
	skinds = w & SOCKQ ? SOCK_K_ALL : SOCK_K_TCP | SOCK_K_UDP | SOCK_K_UNIX;
	if (ntypes)
		w |= FDD_STAT | FDD_SOCK;
	if (opt_deleted)
		w |= FDD_STAT;
	return w & ~SOCKQ;
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
	int c;

	if (out_select(&o, list, defcols, &bad, &badlen) < 0)
		usage_error("unknown column: %.*s (see -H)", (int)badlen, bad);
	if (opt_peers)
		add_column(C_PEER);
	if (out_has(&o, C_PEER))	/* the column is the holders' scan */
		opt_peers = 1;
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
	if (ndenied)
		warnx("%zu process%s passed over: permission denied (root "
		    "reads every process's fds)", ndenied,
		    ndenied == 1 ? "" : "es");
}

static void
options(int argc, char **argv, const char **list, const char **sort)
{
	char vbuf[96];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:au:d:t:o:HnrJvhV", longopts,
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
		case 'V':
			fputs(version_line("fdls", vbuf, sizeof(vbuf)), stdout);
			putc('\n', stdout);
			exit(finish(0));
		default:
			usage_error("%s", opt_error(ch, argc, argv, longopts,
			    vbuf, sizeof(vbuf)));
		}
	}
}

int
main(int argc, char **argv)
{
	const char *list = NULL, *sort = NULL;
	size_t matched;
	uint64_t v;
	int i;

	o.sort = -1;
	o.json_key = "fds";
	o.cols = cols;
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
	if (!procfs_mounted()) {
		warnx(PROCFS_MISSING);
		return finish(3);
	}
	set_columns(list, sort);
	want = wanted_reads();
	pass = 1;
	if (opt_peers)
		find_peers(argv, argc);
	out_begin(&o);
	run_pass(argv, argc);
	if (out_measure(&o)) {
		replay();
		out_measured(&o);
	}
	replay();
	matched = out_rows(&o);
	out_end(&o);
	return finish(rc3 ? 3 : matched ? 0 : 1);
}
