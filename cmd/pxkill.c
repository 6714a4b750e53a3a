/* pxkill: signal exactly the processes selected, and say what happened. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

static const char synopsis[] =
"usage: pxkill [-SIG | -s SIG] [-P PPID,...] [--tree PID,...] [-u EUID,...]\n"
"              [-U RUID,...] [-x NAME,...] [--pg DATADIR] [--freeze]\n"
"              [--wait[=SECS]] [--timeout SECS] [--dry-run] [--force]\n"
"              [-o LIST] [-J] [-r] [-n] [-v] [PID...]\n"
"       pxkill -l | -H | -h | -V\n";

static const char help[] =
"Signal exactly the selected processes, pinned by pidfd, and report what\n"
"happened to each. Selectors are ANDed; values in one list are ORed.\n"
"\n"
"  -s, --signal SIG      signal to send (name, number, RTMIN+N); default TERM\n"
"  -P, --parent PPID,... direct children of these PIDs\n"
"      --tree PID,...    these PIDs and all their descendants\n"
"  -u, --euid USER,...   effective user (name or number)\n"
"  -U, --uid USER,...    real user (name or number)\n"
"  -x, --exact NAME,...  exact command name (comm, at most 15 bytes)\n"
"      --pg DATADIR      the PostgreSQL instance of DATADIR: its verified\n"
"                        postmaster, all descendants, and orphaned postgres\n"
"                        processes of the owner whose cwd is DATADIR\n"
"      --freeze          SIGSTOP the set top-down until stable, signal\n"
"                        bottom-up, then SIGCONT what can run the signal\n"
"      --wait[=SECS]     wait until every target is gone\n"
"      --timeout SECS    then SIGKILL the survivors and wait again\n"
"      --dry-run         print the plan, send nothing\n"
"      --force           also act on PID 1, kernel threads, pxkill and its\n"
"                        ancestors\n"
"  -o, --output LIST     columns (+LIST adds to the default)\n"
"  -J, --json            JSON output\n"
"  -r, --raw             raw output\n"
"  -n, --noheadings      no header line\n"
"  -v, --verbose         say which fallbacks an older kernel needed\n"
"  -l, --list-signals    list signal numbers and names\n"
"  -H, --list-columns    list the columns\n"
"  -h, --help            this help\n"
"  -V, --version         version\n"
"\n"
"Exit: 0 every target signalled (--wait: gone), 1 nothing matched,\n"
"2 usage, 3 any failure or survivor.\n";

enum { O_TREE = 256, O_PG, O_FREEZE, O_WAIT, O_TIMEOUT, O_DRYRUN, O_FORCE };
static const struct option longopts[] = {
	{ "signal",	  required_argument, NULL, 's' },
	{ "parent",	  required_argument, NULL, 'P' },
	{ "tree",	  required_argument, NULL, O_TREE },
	{ "euid",	  required_argument, NULL, 'u' },
	{ "uid",	  required_argument, NULL, 'U' },
	{ "exact",	  required_argument, NULL, 'x' },
	{ "pg",		  required_argument, NULL, O_PG },
	{ "freeze",	  no_argument,	     NULL, O_FREEZE },
	{ "wait",	  optional_argument, NULL, O_WAIT },
	{ "timeout",	  required_argument, NULL, O_TIMEOUT },
	{ "dry-run",	  no_argument,	     NULL, O_DRYRUN },
	{ "force",	  no_argument,	     NULL, O_FORCE },
	{ "output",	  required_argument, NULL, 'o' },
	{ "json",	  no_argument,	     NULL, 'J' },
	{ "raw",	  no_argument,	     NULL, 'r' },
	{ "noheadings",	  no_argument,	     NULL, 'n' },
	{ "verbose",	  no_argument,	     NULL, 'v' },
	{ "list-signals", no_argument,	     NULL, 'l' },
	{ "list-columns", no_argument,	     NULL, 'H' },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

enum { C_PID, C_PPID, C_USER, C_UID, C_STATE, C_COMM, C_START, C_RESULT };
static const struct out_col cols[] = {
	{ "PID",    OUT_NUM, "process ID" },
	{ "PPID",   OUT_NUM, "parent process ID" },
	{ "USER",   0,	     "effective user (root when not dumpable)" },
	{ "UID",    OUT_NUM, "effective user ID" },
	{ "STATE",  0,	     "state when selected (R S D T Z ...)" },
	{ "COMM",   0,	     "command name, or the PostgreSQL process title" },
	{ "START",  OUT_NUM, "start time, clock ticks since boot" },
	{ "RESULT", 0,	     "what happened (or would happen) to it" },
	{ NULL, 0, NULL }
};
static const int defcols[] = { C_PID, C_PPID, C_USER, C_STATE, C_COMM,
	C_RESULT, -1 };

/* Per-entry tag[1] bits while selecting. */
#define T_SEL		1
#define T_NAMED		2
#define T_KNOWN		4
#define T_TREE		8
#define T_PG		16

enum res { R_PLAN, R_REFUSED, R_GONE, R_EPERM, R_FAILED, R_ZOMBIE,
	R_SIGNALLED, R_EXITED, R_SURVIVED };

struct act {
	struct pin	 pin;
	int		 res, err, pinned;
};
struct set {
	struct ptab_ent	*v;	/* targets, tag[0] = depth */
	size_t		 n;
	struct act	*a;	/* acting only */
};

static struct num_list	 opids, ppids, roots;
static uid_t		*euids, *ruids;
static size_t		 neuids, nruids;
static char		**names;
static size_t		 nnames;
static int		 sig = SIGTERM, lastsig, freeze, dryrun, force;
static int64_t		 waitms = -2, timeoutms = -1;	/* -2 no wait */
static struct out	 out;	/* set in main: 800 bytes of .data otherwise */
static pid_t		 self, ancestors[64];
static size_t		 nanc;
static int64_t		 sent_at;	/* now_ms() of the last signal */
static sigset_t		 waitmask;	/* the mask before act() blocked */
static volatile sig_atomic_t interrupted;
/* Named PIDs (operands, -P, --tree) as the first scan saw them. */
static struct ptab_ent	*anchors;
static size_t		 nanchors;
static int		 anchored;
/* --pg: the instance's processes as pg_inspect() verified them. */
static const char	*pgdir;
static struct ptab_ent	*pgset;		/* tag[0] = 1: the postmaster */
static size_t		 npgset;

static void
usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "pxkill: %s\n", msg);
	fputs(synopsis, stderr);
	exit(2);
}

/* A list num_list_item refused: one line, then the synopsis. */
static void
bad_list(const char *what, const char *list)
{
	if (errno == ENAMETOOLONG && what[0] == 'n')
		fprintf(stderr, "pxkill: a command name longer than 15 bytes "
		    "can never match: %s\n", list);
	else
		fprintf(stderr, "pxkill: %s in %s list: '%s'\n", errno ==
		    ENAMETOOLONG ? "an item too long" : "an empty item", what,
		    list);
	usage(NULL);
}

static void
uids_parse(const char *list, uid_t **v, size_t *n)
{
	const char *s = list;
	char item[256];
	uid_t u;
	int r;

	while ((r = num_list_item(&s, item, sizeof(item))) > 0) {
		if (user_parse(item, &u) < 0) {
			fprintf(stderr, "pxkill: unknown user: %s\n", item);
			usage(NULL);
		}
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = u;
	}
	if (r < 0)
		bad_list("user", list);
}

static void
names_parse(const char *list)
{
	const char *s = list;
	char item[16];	/* comm is TASK_COMM_LEN (16) with its NUL */
	int r;

	while ((r = num_list_item(&s, item, sizeof(item))) > 0) {
		names = xrealloc(names, (nnames + 1) * sizeof(*names));
		names[nnames++] = xstrdup(item);
	}
	if (r < 0)
		bad_list("name", list);
}

static void
pids_parse(struct num_list *l, const char *s, const char *what)
{
	if (num_list_parse(l, s, 0x3fffffff, 0) < 0) {
		fprintf(stderr, "pxkill: invalid %s: %s\n", what, s);
		usage(NULL);
	}
}

static int64_t
secs_ms(const char *s, const char *what)
{
	uint64_t v;

	if (num_duration(s, &v) < 0 || v > 1000000000) {
		fprintf(stderr, "pxkill: invalid %s: %s\n", what, s);
		usage(NULL);
	}
	return (int64_t)v * 1000;
}

static int
has_uid(const uid_t *v, size_t n, uid_t u)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == u)
			return 1;
	return 0;
}

/*
 * A PID the user named means the process of that PID at the first scan;
 * a later scan (--tree until stable, --freeze rounds) must not follow the
 * PID to a newcomer that reused it.
 */
static void
anchor(const struct ptab *t)
{
	const struct ptab_ent *e;
	size_t i;

	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		if (!num_list_has(&opids, e->pid) && !num_list_has(&ppids,
		    e->pid) && !num_list_has(&roots, e->pid))
			continue;
		anchors = xrealloc(anchors, (nanchors + 1) * sizeof(*anchors));
		anchors[nanchors++] = *e;
	}
	anchored = 1;
}

static int
same_as_named(const struct ptab *t, pid_t pid)
{
	const struct ptab_ent *e;
	size_t i;

	if (!anchored)
		return 1;
	if ((e = ptab_find(t, pid)) == NULL)
		return 0;
	for (i = 0; i < nanchors; i++)
		if (anchors[i].pid == pid)
			return anchors[i].start == e->start;
	return 0;
}

/*
 * The owner of /proc/N is the euid unless the process is not dumpable
 * (then root): read status when that matters, and always for the ruid.
 */
static int
users_match(const struct ptab_ent *e)
{
	struct proc_status st;
	int dir, r;

	if (nruids == 0 && e->uid != 0 && e->uid != (uid_t)-1)
		return has_uid(euids, neuids, e->uid);
	if ((dir = proc_open(e->pid)) < 0)
		return 0;
	r = proc_status_read(dir, &st);
	close(dir);
	if (r < 0)
		return 0;
	return (neuids == 0 || has_uid(euids, neuids, st.uid[1])) &&
	    (nruids == 0 || has_uid(ruids, nruids, st.uid[0]));
}

static int
matches(const struct ptab *t, const struct ptab_ent *e)
{
	size_t i;

	if (opids.n && (!num_list_has(&opids, e->pid) ||
	    !same_as_named(t, e->pid)))
		return 0;
	if (ppids.n && (!num_list_has(&ppids, e->ppid) ||
	    !same_as_named(t, e->ppid)))
		return 0;
	if (nnames) {
		for (i = 0; i < nnames; i++)
			if (!strcmp(names[i], e->comm))
				break;
		if (i == nnames)
			return 0;
	}
	if ((neuids || nruids) && !users_match(e))
		return 0;
	return 1;
}

static int
protected(const struct ptab_ent *e)
{
	size_t i;

	if (e->pid == 1 || e->pid == self || e->kthread)
		return 1;
	for (i = 0; i < nanc; i++)
		if (ancestors[i] == e->pid)
			return 1;
	return 0;
}

static void
find_ancestors(const struct ptab *t)
{
	const struct ptab_ent *e = ptab_find(t, self);

	nanc = 0;
	while (e && e->ppid > 1 && nanc < 64) {
		ancestors[nanc++] = e->ppid;
		e = ptab_find(t, e->ppid);
	}
}

/* Marks the --tree sets in tag[1]; other entries stay unmarked. */
static void
mark_trees(struct ptab *t)
{
	uint32_t *idx;
	size_t i, j, n;

	for (i = 0; i < t->n; i++) {
		if (!num_list_has(&roots, t->v[i].pid) ||
		    !same_as_named(t, t->v[i].pid))
			continue;
		t->v[i].tag[1] |= T_TREE | T_NAMED;
		/* A refused root (--tree 1) does not hand on its subtree. */
		if (!force && protected(&t->v[i]))
			continue;
		n = ptab_tree(t, t->v[i].pid, &idx);
		for (j = 0; j < n; j++)
			t->v[idx[j]].tag[1] |= T_TREE;
		free(idx);
	}
}

/*
 * --pg: the processes pg_inspect() found, by identity, plus whatever
 * descends from the postmaster now (a child forked since: --freeze).
 */
static void
mark_pg(struct ptab *t)
{
	const struct ptab_ent *e;
	uint32_t *idx;
	size_t i, j, n;

	for (i = 0; i < npgset; i++) {
		e = ptab_find(t, pgset[i].pid);
		if (e == NULL || e->start != pgset[i].start)
			continue;
		t->v[e - t->v].tag[1] |= T_PG;
		if (!pgset[i].tag[0])
			continue;
		n = ptab_tree(t, e->pid, &idx);
		for (j = 0; j < n; j++)
			t->v[idx[j]].tag[1] |= T_PG;
		free(idx);
	}
}

static void
pg_select(void)
{
	struct pg_inst in;
	size_t i;

	if (pg_inspect(&in, pgdir, NULL) < 0)
		err(3, "inspect %s", pgdir);
	pg_reason(&in);
	/* An unverified live postmaster: not ours to guess at. */
	if (in.verdict == PG_UNKNOWN && (in.nprocs == 0 || in.live_pm))
		errx(3, "inspect %s: %s", pgdir, in.reason);
	if (in.verdict != PG_RUNNING)
		warnx("%s: %s: %s", pgdir, pg_verdict_name(in.verdict),
		    in.reason);
	pgset = xcalloc(in.nprocs + 1, sizeof(*pgset));
	for (i = 0; i < in.nprocs; i++) {
		pgset[i].pid = in.procs[i].pid;
		pgset[i].start = in.procs[i].start;
		pgset[i].tag[0] = in.procs[i].postmaster;
	}
	npgset = in.nprocs;
	pg_free(&in);
}

static unsigned char
depth(const struct ptab *t, const struct ptab_ent *e)
{
	unsigned d = 0;

	while (d < 255 && e && e->ppid > 0 && (e = ptab_find(t, e->ppid)))
		d++;
	return d;
}

/* Scans and marks the selection in tag[1] (T_SEL, T_NAMED), depth. */
static int
scan_select(struct ptab *t)
{
	struct ptab_ent *e;
	size_t i;
	unsigned fl = neuids || nruids ? PTAB_UID : 0;

	fl |= out_has(&out, C_USER) || out_has(&out, C_UID) ? PTAB_UID : 0;
	if (ptab_scan(t, fl) < 0)
		return -1;
	find_ancestors(t);
	if (!anchored)
		anchor(t);
	if (roots.n)
		mark_trees(t);
	if (pgdir)
		mark_pg(t);
	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		if ((roots.n && !(e->tag[1] & T_TREE)) ||
		    (pgdir && !(e->tag[1] & T_PG)) || !matches(t, e)) {
			e->tag[1] = 0;
			continue;
		}
		e->tag[1] |= T_SEL;
		if (num_list_has(&opids, e->pid))
			e->tag[1] |= T_NAMED;
		if (!force && protected(e) && !(e->tag[1] & T_NAMED))
			e->tag[1] = 0;
		else
			e->tag[0] = depth(t, e);
	}
	return 0;
}

/* Moves the selected entries of t into s (in place, PID order). */
static void
take(struct ptab *t, struct set *s)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->v[i].tag[1] & T_SEL)
			t->v[n++] = t->v[i];
	free(s->v);
	free(t->kids);
	free(t->koff);
	t->kids = t->koff = NULL;
	s->v = t->v;
	s->n = n;
	t->v = NULL;
	t->cap = t->n = 0;
}

static int
same_set(const struct ptab *t, const struct set *s)
{
	size_t i, j = 0;

	for (i = 0; i < t->n; i++) {
		if (!(t->v[i].tag[1] & T_SEL))
			continue;
		if (j == s->n || s->v[j].pid != t->v[i].pid ||
		    s->v[j].start != t->v[i].start)
			return 0;
		j++;
	}
	return j == s->n;
}

/*
 * Selects into s. A --tree set is scanned again until two scans agree:
 * a child forked between reading its parent and reading /proc is caught
 * by the next pass.
 */
static int
select_set(struct set *s)
{
	struct ptab t = { 0 };
	int round;

	if (scan_select(&t) < 0)
		return -1;
	take(&t, s);
	for (round = 0; (roots.n || pgdir) && round < 20; round++) {
		if (scan_select(&t) < 0)
			return -1;
		if (same_set(&t, s))
			break;
		take(&t, s);
	}
	ptab_free(&t);
	return 0;
}

/* clock_gettime(2) straight: libc's goes through the vDSO lookup code. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
failed(struct act *a, int e)
{
	a->err = e;
	a->res = e == ESRCH || e == ENOENT ? R_GONE :
	    e == EPERM || e == EACCES ? R_EPERM : R_FAILED;
}

/*
 * Pins target i and checks that the pinned process is the one the scan
 * saw: a different start time means the PID was reused in between.
 */
static int
pin_target(struct set *s, size_t i)
{
	struct act *a = &s->a[i];

	if (a->pinned)
		return 0;
	if (pin_open(&a->pin, s->v[i].pid) < 0) {
		failed(a, errno);
		return -1;
	}
	if (a->pin.start != s->v[i].start) {
		pin_close(&a->pin);
		failed(a, ESRCH);
		return -1;
	}
	a->pinned = 1;
	return 0;
}

/* The state now, through the pin; 0 when the process is gone. */
static char
state_now(const struct act *a, struct proc_stat *st)
{
	struct proc_stat tmp;
	int d;

	if (st == NULL)
		st = &tmp;
	if (!a->pinned || proc_stat_read(a->pin.dir, st) < 0 ||
	    st->starttime != a->pin.start)
		return 0;
	/* A leader that exited while its threads run: alive, not a zombie. */
	if (proc_leader_exited(st) &&
	    (d = proc_live_task_open(a->pin.dir, NULL, &st->state)) >= 0)
		close(d);
	return st->state;
}

/* Sends sig to target i unless it is refused, gone or already dead. */
static void
hit(struct set *s, size_t i, int signo)
{
	struct act *a = &s->a[i];
	char st;

	if (a->res == R_REFUSED || a->res == R_GONE || a->res == R_EPERM ||
	    a->res == R_FAILED || pin_target(s, i) < 0)
		return;
	st = state_now(a, NULL);
	if (st == 0) {
		failed(a, ESRCH);
		return;
	}
	if (st == 'Z') {
		a->res = R_ZOMBIE;	/* already dead: nothing to signal */
		return;
	}
	if (pin_signal(&a->pin, signo) < 0)
		failed(a, errno);
	else
		a->res = R_SIGNALLED;
}

static const struct set *sorting;

static int
by_depth(const void *x, const void *y)
{
	const struct ptab_ent *a = &sorting->v[*(const uint32_t *)x];
	const struct ptab_ent *b = &sorting->v[*(const uint32_t *)y];

	if (a->tag[0] != b->tag[0])
		return a->tag[0] - b->tag[0];
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Target indexes from..s->n in top-down order (parents first). */
static uint32_t *
order(const struct set *s, size_t from)
{
	uint32_t *o = xmalloc((s->n - from + 1) * sizeof(*o));
	size_t i;

	for (i = from; i < s->n; i++)
		o[i - from] = i;
	sorting = s;
	qsort(o, s->n - from, sizeof(*o), by_depth);
	return o;
}

static void
refuse_protected(struct set *s, size_t from)
{
	size_t i;

	for (i = from; i < s->n; i++)
		if (!force && protected(&s->v[i]))
			s->a[i].res = R_REFUSED;
}

/* Waits (up to 200 ms) until the new members show state T, Z or gone. */
static void
settle(struct set *s, size_t from)
{
	int64_t end = now_ms() + 200;
	size_t i;
	char st;

	for (i = from; i < s->n && now_ms() < end; ) {
		st = state_now(&s->a[i], NULL);
		if (s->a[i].res != R_SIGNALLED || st == 0 || st == 'T' ||
		    st == 't' || st == 'Z' || st == 'X' || st == 'D') {
			i++;
			continue;
		}
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

/* Appends the members of t not yet in s; returns how many. */
static size_t
add_new(struct ptab *t, struct set *s)
{
	const struct ptab_ent *e;
	size_t i, j, n0 = s->n;

	for (i = 0; i < s->n; i++) {
		j = ptab_index(t, s->v[i].pid);
		if (j != (size_t)-1 && t->v[j].start == s->v[i].start)
			t->v[j].tag[1] |= T_KNOWN;
	}
	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		if ((e->tag[1] & (T_SEL | T_KNOWN)) != T_SEL)
			continue;
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->a = xrealloc(s->a, (s->n + 1) * sizeof(*s->a));
		s->v[s->n] = *e;
		memset(&s->a[s->n], 0, sizeof(*s->a));
		s->n++;
	}
	return s->n - n0;
}

/*
 * SIGSTOP top-down until a scan finds no new member: a stopped parent
 * cannot fork (a pending signal aborts fork with ERESTARTNOINTR), so the
 * set stops growing once every member is stopped.
 */
static int
freeze_set(struct set *s)
{
	struct ptab t = { 0 };
	uint32_t *o;
	size_t from = 0, i;
	int round;

	for (round = 0; round < 100; round++) {
		refuse_protected(s, from);
		o = order(s, from);
		for (i = 0; i < s->n - from; i++)
			hit(s, o[i], SIGSTOP);
		free(o);
		settle(s, from);
		from = s->n;
		if (scan_select(&t) < 0)
			break;
		if (add_new(&t, s) == 0)
			break;
	}
	ptab_free(&t);
	return 0;
}

static int
stop_family(int signo)
{
	return signo == SIGSTOP || signo == SIGTSTP || signo == SIGTTIN ||
	    signo == SIGTTOU;
}

/* Signals every target: bottom-up after a freeze, else top-down. */
static void
signal_set(struct set *s)
{
	uint32_t *o = order(s, 0);
	size_t i, k;

	sent_at = now_ms();
	lastsig = sig;
	for (k = 0; k < s->n; k++) {
		i = freeze ? o[s->n - 1 - k] : o[k];
		if (freeze && s->a[i].res == R_SIGNALLED)
			s->a[i].res = R_PLAN;	/* stopped, not yet signalled */
		hit(s, i, sig);
	}
	/* A stopped process runs its handler only once continued. */
	for (k = 0; freeze && !stop_family(sig) && k < s->n; k++)
		if (s->a[o[k]].res == R_SIGNALLED)
			pin_signal(&s->a[o[k]].pin, SIGCONT);
	free(o);
}

/*
 * Is target i still waited for? Exited ones become R_EXITED; a zombie is
 * waited for while its parent can reap it, that is unless the parent is
 * stopped (then only `kill -CONT` helps, and the report says so).
 */
static int
pending(struct set *s, size_t i, int *zombies)
{
	struct act *a = &s->a[i];
	struct proc_stat st, pst;
	int dir;
	char c;

	if (a->res != R_SIGNALLED && a->res != R_ZOMBIE)
		return 0;
	if ((c = state_now(a, &st)) == 0) {
		a->res = R_EXITED;
		return 0;
	}
	if (c != 'Z' && c != 'X')
		return 1;
	a->res = R_ZOMBIE;
	if ((dir = proc_open(st.ppid)) >= 0) {
		c = proc_stat_read(dir, &pst) == 0 ? pst.state : 0;
		close(dir);
		if (c == 'T' || c == 't')
			return 0;
	}
	(*zombies)++;
	return 1;
}

/*
 * Waits until every signalled target is gone or ms pass (ms < 0: no
 * limit). A pidfd polls readable when its process exits; zombies (and
 * kernels without pidfd) are looked at every 20 ms: a zombie's pidfd is
 * readable for good, so it is left out of the poll.
 */
static void
wait_set(struct set *s, int64_t ms)
{
	struct pollfd *p = xcalloc(s->n + 1, sizeof(*p));
	int64_t end = now_ms() + ms, left;
	size_t i, np;
	int zombies, tmo;

	for (;;) {
		zombies = 0;
		for (i = np = 0; i < s->n; i++)
			if (pending(s, i, &zombies)) {
				p[np].fd = s->a[i].res == R_ZOMBIE ? -1 :
				    s->a[i].pin.pidfd;
				p[np++].events = POLLIN;
				if (s->a[i].pin.pidfd < 0)
					zombies++;
			}
		left = end - now_ms();
		if (np == 0 || (ms >= 0 && left <= 0))
			break;
		tmo = zombies ? 20 : ms < 0 || left > 60000 ? 60000 : left;
		if (ms >= 0 && tmo > left)
			tmo = left;
		/* The only place the blocked ^C gets through: stop waiting. */
		if (ppoll(p, np, &(struct timespec){ tmo / 1000,
		    tmo % 1000 * 1000000L }, &waitmask) < 0 && errno != EINTR)
			break;
		if (interrupted)
			break;
	}
	free(p);
}

/* --timeout: SIGKILL what survived the first signal, then wait again. */
static void
escalate(struct set *s)
{
	size_t i;

	sent_at = now_ms();
	lastsig = SIGKILL;
	for (i = 0; i < s->n; i++)
		if (s->a[i].res == R_SIGNALLED)
			hit(s, i, SIGKILL);
}

static void
on_signal(int signo)
{
	interrupted = signo;
}

static int
act(struct set *s)
{
	static const int stops[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = on_signal };
	struct rlimit rl;
	sigset_t block;
	int i;

	/*
	 * Two fds a target; a big set needs more than the soft limit. (The
	 * raw prlimit: musl's setrlimit drags in its all-threads machinery.)
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL);
	}
	/*
	 * Never leave a half-frozen tree behind because of a ^C: INT, TERM,
	 * HUP and QUIT stay blocked while acting and only end a wait (then
	 * the report still comes, survivors and all).
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	for (i = 0; i < 4; i++)
		sigaction(stops[i], &sa, NULL);
	s->a = xcalloc(s->n + 1, sizeof(*s->a));
	refuse_protected(s, 0);
	if (freeze)
		freeze_set(s);
	signal_set(s);
	if (timeoutms >= 0) {
		wait_set(s, timeoutms);
		if (!interrupted)
			escalate(s);
	}
	if (waitms > -2 && !interrupted)
		wait_set(s, waitms);
	return 0;
}

static const char *
refusal(const struct ptab_ent *e)
{
	if (e->pid == 1)
		return "refused: PID 1 (--force)";
	if (e->pid == self)
		return "refused: pxkill itself (--force)";
	if (e->kthread)
		return "refused: kernel thread (--force)";
	return "refused: ancestor of pxkill (--force)";
}

static void
zombie_text(pid_t ppid, char *buf, size_t size)
{
	struct proc_stat p;
	int dir, ok;

	dir = proc_open(ppid);
	ok = dir >= 0 && proc_stat_read(dir, &p) == 0;
	if (dir >= 0)
		close(dir);
	if (!ok)
		snprintf(buf, size, "zombie: already dead; parent %d must reap "
		    "it", (int)ppid);
	else if (p.state == 'T' || p.state == 't')
		snprintf(buf, size, "zombie: already dead; parent %d (%s) is "
		    "stopped: kill -CONT %d lets it reap", (int)ppid, p.comm,
		    (int)ppid);
	else
		snprintf(buf, size, "zombie: already dead; only parent %d (%s, "
		    "%c) can reap it", (int)ppid, p.comm, p.state);
}

static void
plan_text(const struct ptab_ent *e, char *buf, size_t size)
{
	static char plan[128];
	char n[16], k[48] = "";

	if (!force && protected(e)) {
		snprintf(buf, size, "%s", refusal(e));
		return;
	}
	if (e->state == 'Z') {
		zombie_text(e->ppid, buf, size);
		return;
	}
	/* The same words for every live target: format them once. */
	if (plan[0] == '\0') {
		sig_name(sig, n, sizeof(n));
		if (timeoutms >= 0)
			snprintf(k, sizeof(k), ", KILL after %llds",
			    (long long)(timeoutms / 1000));
		snprintf(plan, sizeof(plan), "would %s%s%s", freeze ?
		    "stop, then send " : "send ", n, k);
	}
	if (strlen(plan) < size)
		memcpy(buf, plan, strlen(plan) + 1);
}

/* A live target after the signal: D with its wchan, or what it does. */
static void
alive_text(const struct act *a, char *buf, size_t size)
{
	struct proc_stat st;
	char w[128] = "?", n[16];
	char c = state_now(a, &st);
	long ms;

	if (c == 0) {
		snprintf(buf, size, waitms > -2 ? "exited" : "signalled");
		return;
	}
	if (proc_read(a->pin.dir, "wchan", w, sizeof(w)) <= 0 || !strcmp(w,
	    "0"))
		snprintf(w, sizeof(w), "?");
	sig_name(lastsig, n, sizeof(n));
	ms = now_ms() - sent_at;
	if (c == 'D')
		snprintf(buf, size, "%suninterruptible: D in wchan %s, %s "
		    "pending for %ld.%lds", waitms > -2 ? "" : "signalled, ", w,
		    n, ms / 1000, ms % 1000 / 100);
	else if (waitms > -2)
		snprintf(buf, size, "survived: %c in wchan %s, %s sent %ld.%lds "
		    "ago", c, w, n, ms / 1000, ms % 1000 / 100);
	else if ((c == 'T' || c == 't') && lastsig != SIGKILL &&
	    lastsig != SIGCONT && !stop_family(lastsig))
		snprintf(buf, size, "signalled, stopped (%c): it acts on %s "
		    "once continued (kill -CONT %d)", c, n, (int)a->pin.pid);
	else
		snprintf(buf, size, "signalled");
}

/* Death by these is a normal exit or no exit for a PostgreSQL child. */
static int
crashes(int signo)
{
	switch (signo) {
	case 0: case SIGHUP: case SIGINT: case SIGTERM: case SIGUSR1:
	case SIGUSR2: case SIGALRM: case SIGPIPE: case SIGCHLD: case SIGCONT:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: case SIGURG:
	case SIGWINCH:
		return 0;
	}
	return 1;
}

static int
by_pid(const void *k, const void *e)
{
	pid_t a = *(const pid_t *)k, b = ((const struct ptab_ent *)e)->pid;

	return (a > b) - (a < b);
}

/*
 * A postmaster (comm postgres, its own command line as title) treats a
 * child's death by such a signal as a crash (postgres.md 4.1): it kills
 * every other child, resets shared memory and runs recovery.
 */
static void
crash_note(const struct set *s, const struct ptab_ent *e, char *buf,
    size_t size)
{
	struct proc_stat st;
	char title[16] = "";
	size_t len = strlen(buf);
	int dir, pm;

	if (!pg_comm(e->comm) || !crashes(sig) ||
	    bsearch(&e->ppid, s->v, s->n, sizeof(*s->v), by_pid) ||
	    (dir = proc_open(e->ppid)) < 0)
		return;
	pm = proc_stat_read(dir, &st) == 0 && pg_comm(st.comm) &&
	    proc_read(dir, "cmdline", title, sizeof(title)) > 0 &&
	    strncmp(title, "postgres: ", 10);
	close(dir);
	if (pm)
		snprintf(buf + len, size - len, "; postmaster %d will "
		    "crash-restart (drops every session)", (int)e->ppid);
}

static void
result_text(const struct set *s, size_t i, char *buf, size_t size)
{
	const struct act *a = s->a ? &s->a[i] : NULL;

	if (a == NULL || a->res == R_PLAN) {
		plan_text(&s->v[i], buf, size);
		if (a)
			snprintf(buf, size, "not signalled");
		else if (s->v[i].state != 'Z')
			crash_note(s, &s->v[i], buf, size);
		return;
	}
	switch (a->res) {
	case R_REFUSED:
		snprintf(buf, size, "%s", refusal(&s->v[i]));
		break;
	case R_GONE:
		snprintf(buf, size, "gone");
		break;
	case R_EPERM:
		snprintf(buf, size, "permission denied");
		break;
	case R_FAILED:
		snprintf(buf, size, "failed: %s", strerror(a->err));
		break;
	case R_ZOMBIE:
		zombie_text(s->v[i].ppid, buf, size);
		break;
	case R_EXITED:
		snprintf(buf, size, "exited");
		break;
	default:
		alive_text(a, buf, size);
	}
}

/* A PostgreSQL child's title ("postgres: checkpointer") beats its comm. */
static void
comm_cell(const struct ptab_ent *e)
{
	char buf[256];
	size_t n;
	int dir;

	if (!pg_comm(e->comm) || (dir = proc_open(e->pid)) < 0) {
		out_str(&out, e->comm);
		return;
	}
	n = proc_cmdline(dir, e->comm, buf, sizeof(buf));
	close(dir);
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	if (n > 10 && !strncmp(buf, "postgres: ", 10))
		out_strn(&out, buf, n);
	else
		out_str(&out, e->comm);
}

/* A zombie's /proc/N may read as root's; status keeps its euid. */
static uid_t
zombie_uid(const struct ptab_ent *e)
{
	struct proc_status st;
	int dir, r;

	if (e->state != 'Z' || (dir = proc_open(e->pid)) < 0)
		return e->uid;
	r = proc_status_read(dir, &st);
	close(dir);
	return r == 0 ? st.uid[1] : e->uid;
}

static void
cell(const struct set *s, size_t i, int col)
{
	const struct ptab_ent *e = &s->v[i];
	const char *u;
	uid_t uid;
	char buf[512];

	switch (col) {
	case C_USER:
	case C_UID:
		uid = zombie_uid(e);
		if (col == C_USER && (u = user_name(uid)) != NULL)
			out_str(&out, u);
		else
			out_num(&out, uid);
		break;
	case C_PID:
		out_num(&out, e->pid);
		break;
	case C_PPID:
		out_num(&out, e->ppid);
		break;
	case C_STATE:
		out_strn(&out, &e->state, 1);
		break;
	case C_COMM:
		comm_cell(e);
		break;
	case C_START:
		out_num(&out, e->start);
		break;
	default:
		result_text(s, i, buf, sizeof(buf));
		out_str(&out, buf);
	}
}

/* One row a target, parents before children. */
static void
report(const struct set *s)
{
	uint32_t *o = order(s, 0);
	size_t i;
	int c;

	out_begin(&out);
	for (i = 0; i < s->n; i++) {
		for (c = 0; c < out.nsel; c++)
			cell(s, o[i], out.sel[c]);
		out_row_end(&out);
	}
	out_end(&out);
	free(o);
}

/* 0 all signalled (--wait: gone), 1 nothing matched or left, 3 failure. */
static int
status(const struct set *s)
{
	size_t i, done = 0, bad = 0;
	char st;

	for (i = 0; i < s->n; i++) {
		if (s->a == NULL) {
			bad += !force && protected(&s->v[i]);
			done++;
			continue;
		}
		switch (s->a[i].res) {
		case R_GONE:
			break;
		case R_EXITED:
			done++;
			break;
		case R_SIGNALLED:
			st = state_now(&s->a[i], NULL);
			done++;
			bad += waitms > -2 && st != 0;
			break;
		case R_ZOMBIE:
			/* Already dead; with --wait it must also be reaped. */
			bad += waitms > -2;
			done += waitms == -2;
			break;
		default:
			bad++;
		}
	}
	return bad ? 3 : done ? 0 : 1;
}

static void
list_signals(void)
{
	char n[16];
	int i;

	for (i = 1; i <= sig_max(); i++)
		if (sig_name(i, n, sizeof(n)))
			printf("%d %s\n", i, n);
}

static void
output_opt(const char *list)
{
	const char *bad;
	size_t badlen;

	if (out_select(&out, list, defcols, &bad, &badlen) < 0) {
		fprintf(stderr, "pxkill: unknown column: %.*s\n", (int)badlen,
		    bad);
		usage(NULL);
	}
}

/* -v: the fallback an older kernel needed, once, from finish(). */
static void
verbose(void)
{
	int e;

	if ((e = fallback_err(FB_PIDFD)) != 0)
		warnx("pidfd_open: not supported by this kernel (%s), pinning "
		    "by /proc/PID dirfd and start time, kill(2), polling for "
		    "exits", fallback_errname(e));
}

static void
short_opt(int c, const char *arg)
{
	char v[128];

	switch (c) {
	case 's':
		if (sig_parse(arg, &sig) < 0) {
			fprintf(stderr, "pxkill: unknown signal: %s\n", arg);
			usage(NULL);
		}
		break;
	case 'P': pids_parse(&ppids, arg, "parent PID"); break;
	case O_TREE: pids_parse(&roots, arg, "tree PID"); break;
	case 'u': uids_parse(arg, &euids, &neuids); break;
	case 'U': uids_parse(arg, &ruids, &nruids); break;
	case 'x': names_parse(arg); break;
	case O_PG:
		if (*(pgdir = arg) == '\0')
			usage("empty data directory");
		break;
	case O_FREEZE: freeze = 1; break;
	case O_WAIT: waitms = arg ? secs_ms(arg, "wait") : -1; break;
	case O_TIMEOUT: timeoutms = secs_ms(arg, "timeout"); break;
	case O_DRYRUN: dryrun = 1; break;
	case O_FORCE: force = 1; break;
	case 'o': output_opt(arg); break;
	case 'J': out.mode = OUT_JSON; break;
	case 'r': out.mode = OUT_RAW; break;
	case 'n': out.noheadings = 1; break;
	case 'v': finish_hook = verbose; break;
	case 'l': list_signals(); exit(finish(0));
	case 'H': out_list_columns(cols); exit(finish(0));
	case 'h': fputs(synopsis, stdout); fputs(help, stdout); exit(finish(0));
	case 'V':
		puts(version_line("pxkill", v, sizeof(v)));
		puts(pidfd_supported() ? "pidfd: yes" : "pidfd: no (before "
		    "Linux 5.3): pins are /proc/PID handles, the start time is "
		    "re-checked, then kill(2)");
		exit(finish(0));
	default: usage(NULL);
	}
}

/* Does this argument consume the next one as its value? */
static int
takes_value(const char *a)
{
	static const char *const lv[] = { "--signal", "--parent", "--tree",
		"--euid", "--uid", "--exact", "--timeout", "--output", NULL };
	int i;

	/* A cluster like -rnP: the first letter with a value ends it. */
	if (a[0] == '-' && a[1] != '-') {
		for (a++; *a; a++)
			if (strchr("sPuUxo", *a))
				return a[1] == '\0';
		return 0;
	}
	for (i = 0; lv[i]; i++)
		if (!strcmp(a, lv[i]))
			return 1;
	return 0;
}

/*
 * "-KILLX", "-99": meant as a signal, not a cluster of the upper-case
 * options (-J -H -V, or -P/-U and a value).
 */
static int
sig_like(const char *a)
{
	size_t k;

	if (a[0] != '-' || a[1] == '-' || a[1] == '\0')
		return 0;
	if (a[1 + strspn(a + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+")])
		return 0;
	/* -J, -H, -V, then perhaps -P or -U with its value: options */
	k = 1 + strspn(a + 1, "JHV");
	return a[k] != '\0' && a[k] != 'P' && a[k] != 'U';
}

/*
 * "-SIG" / "-NUM" anywhere among the options (pkill takes it first only;
 * `pxkill --pg D --freeze -KILL` reads better). Removes them from argv.
 */
static int
sig_args(int argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] != '-' &&
		    argv[i][1] != '\0' && sig_parse(argv[i] + 1, &sig) == 0)
			continue;
		if (sig_like(argv[i])) {
			fprintf(stderr, "pxkill: unknown signal: %s\n",
			    argv[i] + 1);
			usage(NULL);
		}
		argv[n++] = argv[i];
		if (takes_value(argv[i]) && i + 1 < argc)
			argv[n++] = argv[++i];
	}
	argv[n] = NULL;
	return n;
}

static void
options(int argc, char **argv)
{
	char v[128];
	int c;

	output_opt(NULL);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:P:u:U:x:o:JrnvlHhV", longopts,
	    NULL)) != -1) {
		if (c == '?' || c == ':')
			usage(opt_error(c, argc, argv, longopts, v, sizeof(v)));
		short_opt(c, optarg);
	}
	for (; optind < argc; optind++)
		pids_parse(&opids, argv[optind], "PID");
	if (!opids.n && !ppids.n && !roots.n && !neuids && !nruids &&
	    !nnames && !pgdir)
		usage("no selector: give PIDs or -P, --tree, -u, -U, -x, --pg");
	if (timeoutms >= 0 && waitms == -2)
		waitms = timeoutms;
}

int
main(int argc, char **argv)
{
	struct set s = { 0 };
	int rc;

	out.cols = cols;
	out.json_key = "processes";
	out.sort = -1;
	options(sig_args(argc, argv), argv);
	if (!procfs_mounted())
		errx(3, PROCFS_MISSING);
	self = getpid();
	if (pgdir)
		pg_select();
	if (select_set(&s) < 0)
		err(3, "read /proc");
	if (s.n == 0) {
		if (out.mode == OUT_JSON)
			report(&s);	/* an empty list, still valid JSON */
		return finish(1);
	}
	if (!dryrun)
		act(&s);
	rc = status(&s);
	report(&s);
	return finish(rc);
}
