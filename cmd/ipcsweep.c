/* ipcsweep: list and remove SysV IPC and POSIX shm by exact criteria. */
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

static const char synopsis[] =
"usage: ipcsweep [-m] [-s] [-q] [--posix] [filters] [--pg DATADIR]\n"
"                [--remove [--force]] [--dry-run] [-o LIST] [-J] [-r] [-n]\n"
"                [-v]\n";

static const char help[] =
"List SysV IPC objects and POSIX shared memory; remove them only when told.\n"
"\n"
"Kinds (default: all SysV kinds):\n"
"  -m, --shm               shared memory segments\n"
"  -s, --sem               semaphore sets\n"
"  -q, --msg               message queues\n"
"      --posix             POSIX shared memory (/dev/shm) as well\n"
"Filters (all must match; lists are comma-separated):\n"
"  -u, --owner USER,...    owned by these users (names or uids)\n"
"  -c, --creator USER,...  created by these users\n"
"      --key KEY|LO-HI,... keys, 0x hex or decimal\n"
"      --id ID|LO-HI,...   ids (with exactly one of -m, -s, -q)\n"
"      --dead-creator      the creating process is gone (see ipcsweep(1))\n"
"      --unattached        nattch 0 and mapped by no process\n"
"      --older-than DUR    last changed (ctime) longer ago: 90, 90s, 30m,\n"
"                          2h, 7d, 1w\n"
"      --pg DATADIR        that PostgreSQL instance's shim, DSM files and\n"
"                          <= 9.6-style semaphore sets (never if it runs)\n"
"Removal:\n"
"      --remove            remove the selection (a filter is needed), by id,\n"
"                          after a re-check\n"
"      --force             also attached objects and live creators\n"
"      --dry-run           print the plan, change nothing\n"
"Output:\n"
"  -o, --output LIST       columns; +LIST adds to the defaults\n"
"  -J, --json              JSON\n"
"  -r, --raw               raw, single-space separated\n"
"  -n, --noheadings        no header line\n"
"  -v, --verbose           say which fallbacks an older kernel needed\n"
"  -H, --list-columns      print the columns and exit\n"
"  -h, --help              this help\n"
"  -V, --version           version and build\n"
"Note: lsipc gives -M/-Q/-S to POSIX objects, ipcrm to keys; ipcsweep\n"
"takes neither: use --key with -m/-s/-q, and --posix.\n"
"Exit: 0 listed or removed, 1 nothing matched, 2 usage, 3 failure.\n";

enum {
	C_KIND, C_ID, C_KEY, C_NAME, C_OWNER, C_CREATOR, C_PERMS, C_SIZE,
	C_NSEMS, C_MSGS, C_NATTCH, C_CPID, C_LPID, C_ALIVE, C_ATTACHED,
	C_CTIME, C_STATUS, C_PG
};
static const struct out_col cols[] = {
	{ "KIND", 0, "shm, sem, msg or posix" },
	{ "ID", OUT_NUM, "SysV id" },
	{ "KEY", 0, "SysV key, 0x%08x" },
	{ "NAME", 0, "POSIX object name in /dev/shm" },
	{ "OWNER", 0, "owner user" },
	{ "CREATOR", 0, "creator user" },
	{ "PERMS", 0, "permissions, octal" },
	{ "SIZE", OUT_NUM, "bytes (shm, posix); bytes queued (msg)" },
	{ "NSEMS", OUT_NUM, "semaphores in the set" },
	{ "MSGS", OUT_NUM, "messages queued" },
	{ "NATTCH", OUT_NUM, "attachments (shm)" },
	{ "CPID", OUT_NUM, "creator (shm, PostgreSQL sem); last sender (msg)" },
	{ "LPID", OUT_NUM, "last PID (shm); last receiver (msg)" },
	{ "CREATOR_ALIVE", OUT_BOOL, "a creating or using process lives" },
	{ "ATTACHED", 0, "PIDs that map it (scans /proc/*/maps)" },
	{ "CTIME", 0, "last change" },
	{ "STATUS", 0, "dest (removed, still attached), locked" },
	{ "PG", 0, "PostgreSQL data directory, when recognised" },
	{ NULL, 0, NULL }
};
/*
 * The default columns, and the kinds each applies to: a column none of
 * the selected kinds has is left out.
 */
#define K_SHM	(1u << IPCK_SHM)
#define K_SEM	(1u << IPCK_SEM)
#define K_MSG	(1u << IPCK_MSG)
#define K_POSIX	(1u << IPCK_POSIX)
#define K_SYSV	(K_SHM | K_SEM | K_MSG)
#define K_ALL	(K_SYSV | K_POSIX)
static const struct {
	int		 col;
	unsigned	 kinds;
} defcols[] = {
	{ C_KIND, K_ALL }, { C_ID, K_SYSV }, { C_KEY, K_SYSV },
	{ C_NAME, K_POSIX }, { C_OWNER, K_ALL }, { C_CREATOR, K_SYSV },
	{ C_PERMS, K_ALL }, { C_SIZE, K_SHM | K_MSG | K_POSIX },
	{ C_NSEMS, K_SEM }, { C_MSGS, K_MSG }, { C_NATTCH, K_SHM },
	{ C_CPID, K_SYSV }, { C_LPID, K_SHM | K_MSG }, { C_ALIVE, K_SYSV },
	{ C_CTIME, K_ALL }, { C_STATUS, K_SHM }, { C_PG, 0 },
};


enum { O_POSIX = 256, O_KEY, O_ID, O_DEAD, O_UNATT, O_OLDER, O_REMOVE,
	O_FORCE, O_DRY, O_PG };
static const struct option longopts[] = {
	{ "shm", no_argument, NULL, 'm' },
	{ "sem", no_argument, NULL, 's' },
	{ "msg", no_argument, NULL, 'q' },
	{ "posix", no_argument, NULL, O_POSIX },
	{ "owner", required_argument, NULL, 'u' },
	{ "creator", required_argument, NULL, 'c' },
	{ "key", required_argument, NULL, O_KEY },
	{ "id", required_argument, NULL, O_ID },
	{ "dead-creator", no_argument, NULL, O_DEAD },
	{ "unattached", no_argument, NULL, O_UNATT },
	{ "older-than", required_argument, NULL, O_OLDER },
	{ "pg", required_argument, NULL, O_PG },
	{ "remove", no_argument, NULL, O_REMOVE },
	{ "force", no_argument, NULL, O_FORCE },
	{ "dry-run", no_argument, NULL, O_DRY },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const char posixdir[] = "/dev/shm";

static struct {
	unsigned	 kinds;
	struct num_list	 owners, creators, keys, ids;
	int		 dead, unattached, older;
	uint64_t	 older_secs;
	int		 remove, force, dry;
} opt;

static struct out out;	/* set in main: 800 bytes of .data otherwise */
static int need_maps, need_alive, need_pgshim;
static int via_stat;		/* a kind was listed through *_STAT */
static int64_t now;
static size_t matched;
static int rc;

static struct ipc_att maps;

/* --pg DATADIR: the instance and what of its IPC is its own. */
static struct {
	const char	*dir;
	struct ipc_pg	 p;
	int		 shim;		/* 0 not handled, 1 removed, -1 kept */
} pg;

/* What ipcsweep worked out about one object beyond its record. */
struct info {
	int		 alive;		/* 1, 0, or -1 when it cannot tell */
	pid_t		 cpid;		/* shown CPID */
	int		 pgsem;		/* PostgreSQL semaphore set */
	int		 pgshim;	/* PostgreSQL shim segment */
	size_t		 natt;		/* processes that map it */
	int		 pgown;		/* belongs to the --pg instance */
	int		 why;		/* errno when alive is -1 */
};

static void __attribute__((noreturn))
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ipcsweep: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", synopsis);
	exit(2);
}

static const char *
errtext(int e)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] += 'a' - 'A';
	return buf;
}

static void
parse_users(struct num_list *l, const char *arg)
{
	const char *s = arg;
	char p[256];
	uid_t u;
	int r;

	while ((r = num_list_item(&s, p, sizeof(p))) > 0) {
		if (user_parse(p, &u) < 0)
			usage_error("unknown user: %s", p);
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		l->v[l->n].lo = l->v[l->n].hi = u;
		l->n++;
	}
	if (r < 0)
		usage_error("bad user list: '%s'", arg);
}

static void
parse_list(struct num_list *l, const char *arg, uint64_t max, const char *what)
{
	if (num_list_parse(l, arg, max, 1) < 0)
		usage_error(what, arg);
}

/* kill(pid, 0) once per PID: objects of one creator come in crowds. */
static int
alive(pid_t pid)
{
	static struct { pid_t pid; signed char v; } cache[512];
	unsigned h = (unsigned)pid % 512;

	if (pid <= 0)
		return 0;
	if (cache[h].pid != pid) {
		cache[h].pid = pid;
		cache[h].v = ipc_pid_alive(pid);
	}
	return cache[h].v;
}

static size_t
attached(const struct ipc_obj *o, pid_t *pids, size_t max)
{
	return ipc_att_find(&maps, o, pids, max);
}

/* Semaphores keep no creator: PostgreSQL marks its own, else any user. */
static void
sem_alive(const struct ipc_obj *o, struct info *in)
{
	pid_t pids[256];
	int n, i, first;

	if ((n = pgsem_check(o->id, (int)o->count, &in->cpid)) < 0) {
		in->alive = -1;
		in->why = errno;
		return;
	}
	if (n == 1) {
		in->pgsem = 1;
		in->alive = alive(in->cpid);
		return;
	}
	/* Every semaphore's last user (a set may hold 32,000). */
	in->alive = 0;
	for (first = 0; first < (int)o->count && !in->alive; first += n) {
		n = (int)o->count - first < 256 ? (int)o->count - first : 256;
		if (ipc_sem_pids(o->id, first, n, pids) < 0) {
			in->alive = -1;
			in->why = errno;
			return;
		}
		for (i = 0; i < n && !in->alive; i++)
			in->alive = alive(pids[i]);
	}
}

/*
 * PostgreSQL's segment: PGShmemHeader (magic 0x2885750e) at its start.
 * Since 9.3 a shim of 48 or 56 bytes; the whole main segment before 9.3,
 * and from 12 on with shared_memory_type = sysv: the same header, the
 * same DSM files behind it. Always mode 0600 (IPCProtection): no other
 * segment is attached to look.
 */
static int
is_pgshim(const struct ipc_obj *o)
{
	uint32_t magic;

	if (o->size < 48 || (o->mode & 0777) != 0600)
		return 0;
	return ipc_shm_peek(o->id, &magic, sizeof(magic)) == 0 &&
	    magic == 0x2885750eu;
}

static void
pg_setup(void)
{
	const char *why;

	if (ipc_pg_load(&pg.p, pg.dir, &why) < 0)
		errx(3, "inspect %s: %s", pg.dir, why);
}

static void
examine(const struct ipc_obj *o, struct info *in)
{
	memset(in, 0, sizeof(*in));
	in->cpid = o->kind == IPCK_SEM ? 0 : o->cpid;
	if (need_maps)
		in->natt = attached(o, NULL, 0);
	if (!need_alive)
		return;
	switch (o->kind) {
	case IPCK_SHM:
		in->alive = alive(o->cpid);
		/* Attaching changes lpid and atime: only when it matters. */
		if (pg.dir && pg.p.in.shm.known && o->id == pg.p.in.shm.id)
			in->pgshim = 1;
		else
			in->pgshim = need_pgshim && is_pgshim(o);
		break;
	case IPCK_SEM:
		sem_alive(o, in);
		break;
	case IPCK_MSG:
		in->alive = alive(o->cpid) || alive(o->lpid);
		break;
	default:
		in->alive = -1;
		in->why = 0;
	}
	in->pgown = pg.dir && ipc_pg_owns(&pg.p, o, in->pgsem ? in->cpid : 0);
}

static int
wanted(const struct ipc_obj *o)
{
	if (opt.owners.n && !num_list_has(&opt.owners, o->uid))
		return 0;
	if (pg.dir && o->uid != pg.p.in.owner)
		return 0;
	if (opt.creators.n && !num_list_has(&opt.creators, o->cuid))
		return 0;
	if ((opt.keys.n || opt.ids.n) && o->kind == IPCK_POSIX)
		return 0;
	if (opt.keys.n && !num_list_has(&opt.keys, o->key))
		return 0;
	if (opt.ids.n && !num_list_has(&opt.ids, (uint64_t)o->id))
		return 0;
	if (opt.older && (o->ctime > now ||
	    (uint64_t)(now - o->ctime) < opt.older_secs))
		return 0;
	return 1;
}

static int
wanted_info(const struct ipc_obj *o, const struct info *in)
{
	if (opt.dead && (o->kind == IPCK_POSIX || in->alive != 0))
		return 0;
	if (opt.unattached && (o->nattch > 0 || in->natt > 0))
		return 0;
	if (pg.dir && !in->pgown)
		return 0;
	return 1;
}

static void
put_user(uid_t u)
{
	const char *name = user_name(u);

	if (name)
		out_str(&out, name);
	else
		out_num(&out, u);
}

static void
put2(char *p, int v)
{
	p[0] = '0' + v / 10 % 10;
	p[1] = '0' + v % 10;
}

/*
 * ISO 8601 in UTC, by hand: no time zone database to read, and neither
 * strftime nor gmtime (a tenth of the binary). Days to civil date after
 * Howard Hinnant's days_from_civil inverse.
 */
static void
put_time(int64_t t)
{
	static int64_t last = INT64_MIN;
	static char buf[24];
	int64_t z, era, doe, yoe, doy, mp, y, m, d, s;

	if (t == last) {
		out_strn(&out, buf, 20);
		return;
	}
	if (t < 0 || t > 253402300799) {	/* 9999-12-31T23:59:59Z */
		out_snum(&out, t);
		return;
	}
	s = t % 86400;
	z = t / 86400 + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	memcpy(buf, "0000-00-00T00:00:00Z", 21);
	put2(buf, (int)(y / 100));
	put2(buf + 2, (int)(y % 100));
	put2(buf + 5, (int)m);
	put2(buf + 8, (int)d);
	put2(buf + 11, (int)(s / 3600));
	put2(buf + 14, (int)(s / 60 % 60));
	put2(buf + 17, (int)(s % 60));
	last = t;
	out_strn(&out, buf, 20);
}

static void
put_attached(const struct ipc_obj *o)
{
	char buf[4096];
	pid_t pids[256];
	size_t n, i, len = 0;

	n = attached(o, pids, 256);
	if (n > 256)
		n = 256;
	if (n == 0) {
		out_null(&out);
		return;
	}
	for (i = 0; i < n && len + 24 < sizeof(buf); i++) {
		if (i)
			buf[len++] = ',';
		len += num_fmt(buf + len, (uint64_t)pids[i]);
	}
	out_strn(&out, buf, len);
}

static void
put_status(const struct ipc_obj *o)
{
	if (o->kind != IPCK_SHM || !(o->mode & (SHM_DEST | SHM_LOCKED)))
		out_null(&out);
	else if ((o->mode & SHM_DEST) && (o->mode & SHM_LOCKED))
		out_str(&out, "dest,locked");
	else
		out_str(&out, o->mode & SHM_DEST ? "dest" : "locked");
}

/*
 * A running postgres process (its sets are never touched, --force or
 * not); *ppid (may be NULL) gets its parent.
 */
static int
running_postgres(pid_t pid, pid_t *ppid)
{
	struct proc_stat st;
	int dir, r;

	if ((dir = proc_open(pid)) < 0)
		return 0;
	r = proc_stat_read(dir, &st) == 0 && pg_comm(st.comm);
	close(dir);
	if (ppid)
		*ppid = r ? st.ppid : 0;
	return r;
}

/* ... and a postmaster is no child of one (a backend is). */
static int
postmaster(pid_t pid)
{
	pid_t pp;

	return running_postgres(pid, &pp) && !running_postgres(pp, NULL);
}

/* PG: the data directory is the cwd of every PostgreSQL process. */
static void
put_pg(const struct ipc_obj *o, const struct info *in)
{
	char buf[4096], path[32];
	ssize_t n;

	if (in->pgown) {
		out_str(&out, pg.p.in.datadir);
		return;
	}
	if (!in->pgsem && !in->pgshim) {
		out_null(&out);
		return;
	}
	/* A postmaster works in its data directory; another process not. */
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)in->cpid);
	if (in->alive == 1 && postmaster(in->cpid) &&
	    (n = readlink(path, buf, sizeof(buf))) > 0 &&
	    n < (ssize_t)sizeof(buf))
		out_strn(&out, buf, n);
	else
		out_str(&out, "unknown");
}

/* "0x%08x" and "%03o" by hand: printf would be most of a row's cost. */
static void
put_key(uint32_t key)
{
	static const char hex[] = "0123456789abcdef";
	char buf[10];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 9; i >= 2; i--, key >>= 4)
		buf[i] = hex[key & 15];
	out_strn(&out, buf, 10);
}

static void
put_perms(unsigned mode)
{
	char buf[3];

	buf[0] = '0' + (mode >> 6 & 7);
	buf[1] = '0' + (mode >> 3 & 7);
	buf[2] = '0' + (mode & 7);
	out_strn(&out, buf, 3);
}

static void
put_cell(int c, const struct ipc_obj *o, const struct info *in)
{
	int sysv = o->kind != IPCK_POSIX;

	switch (c) {
	case C_KIND: out_str(&out, ipc_kind_name(o->kind)); break;
	case C_ID: sysv ? out_num(&out, o->id) : out_null(&out); break;
	case C_KEY: sysv ? put_key(o->key) : out_null(&out); break;
	case C_NAME: sysv ? out_null(&out) : out_str(&out, o->name); break;
	case C_OWNER: put_user(o->uid); break;
	case C_CREATOR: sysv ? put_user(o->cuid) : out_null(&out); break;
	case C_PERMS: put_perms(o->mode); break;
	case C_SIZE:
		o->kind == IPCK_SEM ? out_null(&out) : out_num(&out, o->size);
		break;
	case C_NSEMS:
		o->kind == IPCK_SEM ? out_num(&out, o->count) : out_null(&out);
		break;
	case C_MSGS:
		o->kind == IPCK_MSG ? out_num(&out, o->count) : out_null(&out);
		break;
	case C_NATTCH:
		o->kind == IPCK_SHM ? out_num(&out, o->nattch) : out_null(&out);
		break;
	case C_CPID: in->cpid > 0 ? out_num(&out, in->cpid) : out_null(&out);
		break;
	case C_LPID: o->lpid > 0 && o->kind != IPCK_SEM ?
		    out_num(&out, o->lpid) : out_null(&out);
		break;
	case C_ALIVE:
		in->alive < 0 ? out_null(&out) : out_bool(&out, in->alive);
		break;
	case C_ATTACHED: put_attached(o); break;
	case C_CTIME: put_time(o->ctime); break;
	case C_STATUS: put_status(o); break;
	case C_PG: put_pg(o, in); break;
	}
}

static void
row(const struct ipc_obj *o, const struct info *in)
{
	int i;

	for (i = 0; i < out.nsel; i++)
		put_cell(out.sel[i], o, in);
	out_row_end(&out);
}

static void
report(const char *what, const struct ipc_obj *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(const char *what, const struct ipc_obj *o, const char *fmt, ...)
{
	const char *u = user_name(o->uid);
	char name[4 * IPC_NAME_MAX + 8];
	va_list ap;

	/* One line an object, whatever bytes a /dev/shm name holds. */
	if (o->kind == IPCK_POSIX) {
		out_escape(o->name, strlen(o->name), 0, name, sizeof(name));
		printf("%s posix %s/%s", what, posixdir, name);
	} else
		printf("%s %s %d key 0x%08x", what, ipc_kind_name(o->kind),
		    o->id, o->key);
	if (u)
		printf(" owner %s", u);
	else
		printf(" owner %u", (unsigned)o->uid);
	if (fmt) {
		fputs(": ", stdout);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
}

/*
 * A shim nothing attaches, of no --pg instance: its header, attached
 * read-only (nobody maps it, so no /proc/PID/mem to read it through),
 * names its DSM files. Into pg.p.dsm; the count of files, or -1.
 */
static int
shim_dsm(const struct ipc_obj *o, const struct info *in)
{
	struct ipc_obj f;
	char name[32];
	int n, i, files = 0;

	if (o->nattch > 0 || in->natt > 0)
		return -1;
	if (pg.p.dsm == NULL)
		pg.p.dsm = xmalloc(4096 * sizeof(*pg.p.dsm));
	if ((n = ipc_pg_dsm(o->id, 0, 0, pg.p.dsm, 4096)) < 0)
		return -1;
	pg.p.ndsm = n;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "PostgreSQL.%u",
		    (unsigned)pg.p.dsm[i]);
		files += ipc_posix_stat(posixdir, name, &f) == 0;
	}
	return files;
}

/* Why the object must stay, or NULL; prints the skip line itself. */
static int
refused(const struct ipc_obj *o, const struct info *in)
{
	int n = -1;

	if (o->kind == IPCK_SHM && (o->mode & SHM_DEST))
		report("skipped", o, "already removed; it goes at its last "
		    "detach");
	else if (in->pgown && pg.p.keep) {
		report("skipped", o, "PostgreSQL instance %s: %s",
		    pg.p.in.datadir, pg.p.keep);
		rc = 3;
	} else if (in->pgown && o->kind == IPCK_POSIX)
		report("skipped", o, "a DSM file goes only with its shim");
	else if (o->kind == IPCK_POSIX && !in->pgown &&
	    strncmp(o->name, "PostgreSQL.", 11) == 0)
		report("skipped", o, "a PostgreSQL DSM file, maybe of a running "
		    "instance that does not map it now; --pg DATADIR decides");
	else if (in->pgsem && in->alive == 1 &&
	    running_postgres(in->cpid, NULL))
		report("skipped", o, "PostgreSQL postmaster %d is running",
		    (int)in->cpid);
	else if (in->pgshim && !pg.dir && ((n = shim_dsm(o, in)) < 0 ||
	    !opt.force)) {
		report("skipped", o, n < 0 ? "%s" : "%s; --force removes it "
		    "with its %d DSM files", "PostgreSQL shim: its DSM files are"
		    " found only through it; starting the instance cleans both "
		    "up", n);
	} else if (opt.force)
		return 0;
	else if (o->nattch > 0)
		report("skipped", o, "attached (nattch %llu); --force removes "
		    "it", (unsigned long long)o->nattch);
	else if (in->natt > 0)
		report("skipped", o, "mapped by %zu process%s; --force removes "
		    "it", in->natt, in->natt == 1 ? "" : "es");
	else if (in->alive == 1)
		report("skipped", o, "%s is alive; --force removes it",
		    o->kind == IPCK_MSG ? "its last sender or receiver" :
		    o->kind == IPCK_SEM && !in->pgsem ?
		    "a process that used it" : "its creator");
	else if (in->alive < 0 && o->kind != IPCK_POSIX)
		report("skipped", o, "cannot tell whether its creator lives: "
		    "%s", errtext(in->why));
	else
		return 0;
	return 1;
}

/* Removes (or plans) one object; 0 done, -1 not (its line says why). */
static int
remove_one(const struct ipc_obj *o)
{
	const char *why;
	int r;

	if (opt.dry) {
		report("would remove", o, NULL);
		return 0;
	}
	if ((r = ipc_remove(posixdir, o, &why)) == 0) {
		report("removed", o, NULL);
		return 0;
	}
	if (r == 1)
		report("skipped", o, "changed since it was listed (%s)", why);
	else if (errno == ENOENT || errno == EINVAL || errno == EIDRM)
		report("skipped", o, "gone");
	else {
		report("failed", o, "%s", errtext(errno));
		rc = 3;
	}
	return -1;
}

/* Why a DSM file blocks its shim's removal, or NULL. */
static const char *
pg_dsm_blocks(const struct ipc_obj *f, uid_t owner)
{
	if (f->uid != owner)
		return "has another owner";
	if (attached(f, NULL, 0) > 0)
		return "is mapped by a process";
	return NULL;
}

/*
 * The DSM files first, then the shim: PostgreSQL finds its DSM files only
 * through the shim's dsm_control, so a shim without them is harmless
 * while files without the shim leak until reboot (facts: postgres.md 2.6).
 */
static void
pg_remove_shim(const struct ipc_obj *o, const struct info *in)
{
	struct ipc_obj *f;
	const char *why = NULL;
	char name[32];
	size_t i, n = 0;
	int bad = 0;

	pg.shim = -1;
	if (o->nattch > 0 || in->natt > 0) {
		report("skipped", o, "attached (nattch %llu)",
		    (unsigned long long)o->nattch);
		return;
	}
	f = xcalloc(pg.p.ndsm ? pg.p.ndsm : 1, sizeof(*f));
	for (i = 0; i < pg.p.ndsm && why == NULL; i++) {
		snprintf(name, sizeof(name), "PostgreSQL.%u",
		    (unsigned)pg.p.dsm[i]);
		if (ipc_posix_stat(posixdir, name, &f[n]) < 0)
			continue;	/* odd handles (14+) have no file */
		if ((why = pg_dsm_blocks(&f[n], o->uid)) != NULL)
			report("skipped", o, "its DSM file %s %s", name, why);
		n++;
	}
	for (i = 0; i < n && why == NULL; i++)
		bad |= remove_one(&f[i]) < 0;
	free(f);
	if (why)
		return;
	if (bad)
		report("skipped", o, "not all of its DSM files went; without "
		    "it PostgreSQL could not find them");
	else if (remove_one(o) == 0)
		pg.shim = 1;
}

static void
act(const struct ipc_obj *o, const struct info *in)
{
	if (refused(o, in))
		return;
	if (in->pgshim && o->kind == IPCK_SHM)	/* --pg's, or forced */
		pg_remove_shim(o, in);
	else
		remove_one(o);
}

static int
visit(const struct ipc_obj *o, void *arg)
{
	struct info in;

	if (!wanted(o))
		return 0;
	examine(o, &in);
	if (!wanted_info(o, &in))
		return 0;
	/* Already reported (removed or planned) together with the shim. */
	if (opt.remove && in.pgown && o->kind == IPCK_POSIX && pg.shim == 1)
		return 0;
	matched++;
	if (opt.remove)
		act(o, &in);
	else
		row(o, &in);
	return 0;
}

/* clock_gettime(2) straight: libc's goes through the vDSO lookup code. */
static int64_t
wallclock(void)
{
	struct timespec ts;

	if (syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) < 0)
		err(3, "clock_gettime");
	return ts.tv_sec;
}

static void
sweep(void)
{
	static const char *const files[] = {
		"/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg"
	};
	enum ipc_kind k;
	int via;

	if (need_maps)
		ipc_att_scan(&maps, posixdir);
	if (opt.older)
		now = wallclock();
	for (k = IPCK_SHM; k <= IPCK_MSG; k++) {
		if (!(opt.kinds & 1u << k))
			continue;
		via = 0;
		if (ipc_foreach(k, visit, NULL, &via) < 0) {
			warn("read %s", files[k]);
			rc = 3;
		}
		via_stat |= via == IPC_VIA_STAT;
	}
	if ((opt.kinds & K_POSIX) &&
	    ipc_posix_foreach(posixdir, visit, NULL) < 0 && errno != ENOENT) {
		warn("read %s", posixdir);
		rc = 3;
	}
}

/* -v: the fallback an older kernel needed, once, from finish(). */
static void
verbose(void)
{
	int e;

	if ((e = fallback_err(FB_STATANY)) == 0)
		return;
	if (via_stat)
		warnx("*_STAT_ANY: not supported by this kernel (%s) and no "
		    "/proc/sysvipc, using *_STAT (objects this user may not "
		    "read are not listed)", fallback_errname(e));
	else
		warnx("*_STAT_ANY: not supported by this kernel (%s), reading "
		    "/proc/sysvipc", fallback_errname(e));
}

static void
parse_opt(int c, const char *arg, const char **olist)
{
	switch (c) {
	case 'm': opt.kinds |= K_SHM; break;
	case 's': opt.kinds |= K_SEM; break;
	case 'q': opt.kinds |= K_MSG; break;
	case O_POSIX: opt.kinds |= K_POSIX; break;
	case 'u': parse_users(&opt.owners, arg); break;
	case 'c': parse_users(&opt.creators, arg); break;
	case O_KEY:
		parse_list(&opt.keys, arg, UINT32_MAX, "bad key: %s");
		break;
	case O_ID: parse_list(&opt.ids, arg, INT32_MAX, "bad id: %s"); break;
	case O_DEAD: opt.dead = 1; break;
	case O_UNATT: opt.unattached = 1; break;
	case O_OLDER:
		if (num_duration(arg, &opt.older_secs) < 0)
			usage_error("bad duration: %s", arg);
		opt.older = 1;
		break;
	case O_PG: pg.dir = arg; break;
	case O_REMOVE: opt.remove = 1; break;
	case O_FORCE: opt.force = 1; break;
	case O_DRY: opt.dry = 1; break;
	case 'o': *olist = arg; break;
	case 'J': out.mode = OUT_JSON; break;
	case 'r': out.mode = OUT_RAW; break;
	case 'n': out.noheadings = 1; break;
	case 'v': finish_hook = verbose; break;
	default:
		fputs(synopsis, stderr);
		exit(2);
	}
}

static void
setup(const char *olist)
{
	const char *bad;
	size_t badlen, i, n;
	char name[64];
	int defs[24];

	/* Each kind has its own ids: shm 5, sem 5 and msg 5 may all exist. */
	if (opt.ids.n && opt.kinds != K_SHM && opt.kinds != K_SEM &&
	    opt.kinds != K_MSG)
		usage_error("%s needs exactly one kind: -m, -s or -q", "--id");
	if (pg.dir && opt.kinds == 0)
		opt.kinds = K_POSIX;	/* its DSM files, and all SysV */
	if ((opt.kinds & ~K_POSIX) == 0)
		opt.kinds |= K_SHM | K_SEM | K_MSG;
	if (opt.force && !opt.remove)
		usage_error("%s needs --remove", "--force");
	if (opt.dry && !opt.remove)
		usage_error("%s needs --remove", "--dry-run");
	/* Not ipcrm -a: what goes is always selected by something. */
	if (opt.remove && !opt.owners.n && !opt.creators.n && !opt.keys.n &&
	    !opt.ids.n && !opt.dead && !opt.unattached && !opt.older && !pg.dir)
		usage_error("%s needs a filter (e.g. --dead-creator --unattached)",
		    "--remove");
	for (i = n = 0; i < sizeof(defcols) / sizeof(defcols[0]); i++)
		if ((defcols[i].kinds & opt.kinds) ||
		    (defcols[i].col == C_PG && pg.dir))
			defs[n++] = defcols[i].col;
	defs[n] = -1;
	if (out_select(&out, olist, defs, &bad, &badlen) < 0) {
		snprintf(name, sizeof(name), "%.*s", (int)badlen, bad);
		usage_error("unknown column: %s", name);
	}
	need_maps = opt.unattached || opt.remove || out_has(&out, C_ATTACHED);
	need_alive = opt.dead || opt.remove || pg.dir || out_has(&out, C_ALIVE)
	    || out_has(&out, C_CPID) || out_has(&out, C_PG);
	need_pgshim = opt.remove || out_has(&out, C_PG);
	/* Only attachers, --pg and PG need /proc: the rest asks the kernel. */
	if ((need_maps || pg.dir || out_has(&out, C_PG)) && !procfs_mounted())
		errx(3, PROCFS_MISSING);
	if (pg.dir)
		pg_setup();
}

int
main(int argc, char *argv[])
{
	const char *olist = NULL;
	char buf[128];
	int c;

	out.cols = cols;
	out.json_key = "ipc";
	out.sort = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":msqu:c:o:JrnvHhV", longopts,
	    NULL)) != -1) {
		if (c == '?' || c == ':')
			usage_error("%s", opt_error(c, argc, argv, longopts,
			    buf, sizeof(buf)));
		if (c == 'h') {
			printf("%s\n%s", synopsis, help);
			return finish(0);
		}
		if (c == 'V') {
			puts(version_line("ipcsweep", buf, sizeof(buf)));
			return finish(0);
		}
		if (c == 'H') {
			out_list_columns(cols);
			return finish(0);
		}
		parse_opt(c, optarg, &olist);
	}
	if (optind < argc)
		usage_error("unexpected operand: %s", argv[optind]);
	setup(olist);
	if (!opt.remove)
		out_begin(&out);
	sweep();
	if (!opt.remove)
		out_end(&out);
	else if (pg.dir && pg.p.keep && matched)
		warnx("remove the IPC of %s: PostgreSQL instance: %s",
		    pg.p.in.datadir, pg.p.keep);
	if (rc == 0 && matched == 0)
		rc = 1;
	return finish(rc);
}
