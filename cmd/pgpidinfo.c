/* pgpidinfo: the truth about a postmaster.pid (pg_ctl status, verified). */
#include <sys/stat.h>

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

static const char usage_text[] =
"usage: pgpidinfo [-D DATADIR | -f PIDFILE] [-e | -J | -q] [-v]\n"
"\n"
"Read a PostgreSQL data directory's postmaster.pid and verify it: is the\n"
"PID really this directory's postmaster (alive, not a zombie, a postgres\n"
"binary of the directory's owner, cwd there, started when line 3 says),\n"
"which processes and SysV/DSM shared memory of the instance exist, and\n"
"what to do next. Read-only: nothing is signalled, attached or removed.\n"
"\n"
"  -D, --pgdata DATADIR   the data directory (default $PGDATA)\n"
"  -f, --pidfile PIDFILE  this pid file; its directory is the data directory\n"
"  -e, --export           KEY=\"value\" pairs, safe for the shell's eval\n"
"  -J, --json             JSON\n"
"  -q, --quiet            print nothing; the exit status is the verdict\n"
"  -v, --verbose          say which fallbacks an older kernel needed (none\n"
"                         here: no system call newer than Linux 3.10)\n"
"  -h, --help             this help\n"
"  -V, --version          version and build\n"
"\n"
"Verdicts: running 0; stopped, stale 1; reused, zombie, orphaned 4;\n"
"unknown 3 (permission, unreadable or garbled file); usage 2.\n";

enum fmt { F_HUMAN, F_PAIRS, F_JSON, F_QUIET };
static enum fmt fmt = F_HUMAN;
static int nsother;		/* the PID may be another namespace's */

static void
usage_error(const char *fmt_, const char *arg)
{
	fprintf(stderr, "pgpidinfo: ");
	fprintf(stderr, fmt_, arg);
	fprintf(stderr, "\n%.*s", (int)(strchr(usage_text, '\n') - usage_text
	    + 1), usage_text);
	exit(2);
}

/* ---- escaping ------------------------------------------------------- */

/*
 * Human text: control bytes, backslash and bytes that are not UTF-8 (C1
 * controls among them) as \xHH, as the other tools print them.
 */
static void
put_h(const char *s)
{
	static char e[4 * 8192 + 8];

	out_escape(s, strlen(s), 0, e, sizeof(e));
	fputs(e, stdout);
}

/* Inside double quotes only " \ $ ` are special to sh; all else is kept. */
static void
put_sh(const char *key, const char *s)
{
	printf("%s=\"", key);
	for (; *s; s++) {
		if (strchr("\"\\$`", *s))
			putchar('\\');
		putchar(*s);
	}
	printf("\"\n");
}

/* JSON holds UTF-8 only: see out_json_string. */
static void
put_json(const char *s)
{
	out_json_string(s, strlen(s));
}

/* 'DIR' for a command line: single quotes, ' as '\''. */
static const char *
shq(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	buf[n++] = '\'';
	for (; *s && n + 6 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* ---- PID namespaces ------------------------------------------------- */

/*
 * pg_inspect() found the postmaster when the file names its PID in a
 * child namespace. The other way round cannot be checked: in a PID
 * namespace other than the initial one (whose inode number is fixed,
 * 0xeffffffc, since 3.8), a PID that is not the postmaster here may be
 * one of another namespace, invisible from here.
 */
static void
pidns_note(struct pg_inst *in)
{
	size_t n = strlen(in->reason);
	struct stat st;

	nsother = !in->pf_err && !in->nspid && (in->verdict == PG_STALE ||
	    in->verdict == PG_REUSED || in->verdict == PG_ORPHANED) &&
	    stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != 0xeffffffc;
	if (in->nspid)
		snprintf(in->reason + n, sizeof(in->reason) - n, " (PID %d in "
		    "its own PID namespace)", (int)in->nspid);
	else if (nsother)
		snprintf(in->reason + n, sizeof(in->reason) - n, "; but seen "
		    "from a non-initial PID namespace: PID %d may be another "
		    "namespace's, which cannot be checked from here",
		    (int)in->pid);
}

/* ---- the safe next step --------------------------------------------- */

/* snprintf into the caller's buffer; a path so long it truncates is rare. */
static void
bprintf(char *buf, size_t size, const char *f, ...)
    __attribute__((format(printf, 3, 4)));

static void
bprintf(char *buf, size_t size, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, size, f, ap);
	va_end(ap);
}

static char
parent_state(pid_t ppid)
{
	struct proc_stat st;
	int dir;
	char s = '?';

	if ((dir = proc_open(ppid)) >= 0) {
		if (proc_stat_read(dir, &st) == 0)
			s = st.state;
		close(dir);
	}
	return s;
}

static void
next_unknown(const struct pg_inst *in, const char *d, const char *f,
    char *buf, size_t size)
{
	const char *o = user_name(in->owner);

	if (in->live_pm)
		bprintf(buf, size, "remove nothing and kill nothing: compare "
		    "ps -o pid,lstart,args -p %d with the pid file, and ask "
		    "pg_ctl -D %s status", (int)in->live_pm, d);
	else if (in->ck[PG_CK_PIDFILE].result == PG_FAIL && in->norphans == 0 &&
	    in->denied == 0 && (!in->shm.exists || in->shm.nattch == 0))
		bprintf(buf, size, "no process works in the directory and none "
		    "is attached to a segment of its key, so removing the file "
		    "is safe: rm %s%s", f, in->shm.exists ? " (PostgreSQL "
		    "removes the old segment at start)" : "");
	else if (in->ck[PG_CK_PIDFILE].result == PG_FAIL && in->denied == 0)
		bprintf(buf, size, "processes of the instance remain: end them "
		    "first: pxkill --pg %s; then rm %s", d, f);
	else if (in->datadir[0] && o)
		bprintf(buf, size, "run it as root or as the owner: runuser "
		    "-u %s -- pgpidinfo -D %s", o, d);
	else
		bprintf(buf, size, "run it as root");
}

static void
next_running(const struct pg_inst *in, const char *d, char *buf,
    size_t size)
{
	if (in->pm.state == 'T' || in->pm.state == 't')
		bprintf(buf, size, "it is stopped and serves nobody: kill -CONT "
		    "%d (pg_ctl stop would wait for it)", (int)in->pid);
	else if (in->nspid)	/* pg_ctl here would signal the file's PID */
		bprintf(buf, size, "nothing to do; to stop it from here: kill "
		    "-INT %d (pg_ctl would signal PID %d)", (int)in->pid,
		    (int)in->nspid);
	else
		bprintf(buf, size, "nothing to do; to stop it: pg_ctl -D %s "
		    "stop -m fast", d);
}

/* SIGKILL for leftovers: the logger and a blocked backend ignore TERM. */
#define END_LEFTOVERS	"pxkill --pg %s -KILL --wait=10"

static void
next_reused(const struct pg_inst *in, const char *d, const char *f,
    char *buf, size_t size)
{
	char end[8500] = "remove the stale file";

	if (in->norphans)
		snprintf(end, sizeof(end), "end the leftovers: " END_LEFTOVERS,
		    d);
	bprintf(buf, size, "do not run pg_ctl stop (it would signal PID %d, "
	    "%s); %s, then start: rm %s && pg_ctl -D %s start", (int)in->pid,
	    in->pm.comm, end, f, d);
}

static void
next_zombie(const struct pg_inst *in, const char *d, char *buf,
    size_t size)
{
	char s = parent_state(in->pm.ppid), end[8500] = "";

	/* what remains keeps the segment attached: a start would fail */
	if (in->nprocs > 1 || in->shm.nattch)
		snprintf(end, sizeof(end), "end what remains (the segment is "
		    "still attached): " END_LEFTOVERS "; ", d);
	bprintf(buf, size, "its parent must reap it: kill -%s %d; %sthen "
	    "start it: pg_ctl -D %s start", s == 'T' || s == 't' ? "CONT" :
	    "CHLD", (int)in->pm.ppid, end, d);
}

static void
next_step(const struct pg_inst *in, char *buf, size_t size)
{
	static char d[8400], f[8400];
	size_t n = 0;

	shq(in->datadir, d, sizeof(d));
	shq(in->pidpath, f, sizeof(f));
	if (nsother)
		n = snprintf(buf, size, "check from the host's PID namespace "
		    "first: pgpidinfo -D %s; if it agrees, ", d);
	buf += n, size -= n;
	switch (in->verdict) {
	case PG_RUNNING:
		next_running(in, d, buf, size);
		break;
	case PG_STOPPED:
		bprintf(buf, size, "nothing to clean up; start it: pg_ctl -D %s "
		    "start", d);
		break;
	case PG_STALE:
		bprintf(buf, size, "start it: pg_ctl -D %s start (PostgreSQL "
		    "removes the stale pid file, segment and DSM files itself)",
		    d);
		break;
	case PG_REUSED:
		next_reused(in, d, f, buf, size);
		break;
	case PG_ZOMBIE:
		next_zombie(in, d, buf, size);
		break;
	case PG_ORPHANED:
		bprintf(buf, size, "end the leftovers: " END_LEFTOVERS "; then "
		    "start it: pg_ctl -D %s start (PostgreSQL removes the "
		    "segment and DSM files itself)", d, d);
		break;
	default:
		next_unknown(in, d, f, buf, size);
	}
}

/* ---- the human report ----------------------------------------------- */

static const char *
age(uint64_t start, char *buf, size_t size)
{
	time_t now = time(NULL);
	uint64_t a = (uint64_t)now > start ? (uint64_t)now - start : 0;

	if (a < 120)
		snprintf(buf, size, "%llus", (unsigned long long)a);
	else if (a < 7200)
		snprintf(buf, size, "%llum", (unsigned long long)a / 60);
	else if (a < 172800)
		snprintf(buf, size, "%lluh", (unsigned long long)a / 3600);
	else
		snprintf(buf, size, "%llud", (unsigned long long)a / 86400);
	return buf;
}

static const char *
layout_name(const struct pidfile *pf)
{
	if (pf->layout == PIDFILE_V90)
		return "8.x-9.0";
	if (pf->layout == PIDFILE_V10)
		return "10+";
	return pf->lines >= 7 ? "9.1-9.6" : "partial: a server starting";
}

static void
h_file(const struct pg_inst *in)
{
	const struct pidfile *pf = &in->pf;

	printf("pid file     ");
	put_h(in->pidpath);
	if (in->pf_err) {
		printf(" (%s)\n", in->ck[PG_CK_PIDFILE].why);
		return;
	}
	printf(" (%d lines, %s)\n", pf->lines, layout_name(pf));
	printf("  PID        %lld%s\n", (long long)pf->pid, pf->pid < 0 ?
	    " (standalone backend)" : "");
	printf("  datadir    ");
	put_h(pf->datadir);
	putchar('\n');
	if (pf->has_start)
		printf("  started    %lld\n", (long long)pf->start);
	if (pf->has_port)
		printf("  port       %u\n", pf->port);
	if (pf->has_sockdir) {
		printf("  sockets    ");
		put_h(pf->sockdir);
		putchar('\n');
	}
	if (pf->has_listen) {
		printf("  listen     ");
		put_h(pf->listen);
		putchar('\n');
	}
	if (pf->has_shm)
		printf("  shm        key 0x%08x id %d\n", pf->shmkey,
		    (int)pf->shmid);
	if (pf->layout == PIDFILE_V10)
		printf("  status     %s\n", pf->statusword);
}

static void
h_checks(const struct pg_inst *in)
{
	int c;

	printf("checks\n");
	for (c = 0; c < PG_CK_N; c++) {
		if (in->ck[c].why[0] == '\0')
			continue;
		printf("  %-12s %-7s", pg_check_name(c),
		    pg_result_name(in->ck[c].result));
		put_h(in->ck[c].why);
		putchar('\n');
	}
}

static void
h_shm(const struct pg_inst *in)
{
	size_t i;

	if (in->shm.nattachers) {
		printf("attached    ");
		for (i = 0; i < in->shm.nattachers; i++)
			printf(" %d", (int)in->shm.attachers[i]);
		putchar('\n');
	}
	if (in->shm.hdr_ok && in->shm.hdr.has_dsm)
		printf("dsm control  %u\n", (unsigned)in->shm.hdr.dsm_control);
	for (i = 0; i < in->ndsm; i++)
		printf("dsm          /dev/shm/PostgreSQL.%u %llu bytes%s%s\n",
		    (unsigned)in->dsm[i].handle,
		    (unsigned long long)in->dsm[i].size,
		    in->dsm[i].control ? " (control segment)" : "",
		    in->dsm[i].proven ? "" : " (the owner's, unmapped; which "
		    "instance made it cannot be told without the header)");
}

static void
h_procs(const struct pg_inst *in)
{
	const struct pg_proc *p;
	char a[32];
	size_t i;

	if (in->nprocs == 0)
		return;
	printf("processes\n  %7s %7s S %5s %-20s %-18s %s\n", "PID", "PPID",
	    "AGE", "ROLE", "WCHAN", "TITLE");
	for (i = 0; i < in->nprocs; i++) {
		p = &in->procs[i];
		printf("  %7d %7d %c %5s %-20s %-18s ", (int)p->pid,
		    (int)p->ppid, p->state, age(p->start_epoch, a, sizeof(a)),
		    p->role ? p->role : "-", p->wchan[0] ? p->wchan : "-");
		put_h(p->title);
		printf("%s\n", p->orphan ? "  [orphan]" : "");
	}
}

static void
report_human(const struct pg_inst *in, const char *next)
{
	const char *o = user_name(in->owner);

	printf("data dir     ");
	put_h(in->datadir);
	if (in->datadir[0] && o)
		printf(" (owner %s)", o);
	else if (in->datadir[0])
		printf(" (owner %u)", (unsigned)in->owner);
	putchar('\n');
	if (in->pidpath[0]) {
		h_file(in);
		h_checks(in);
		h_shm(in);
		h_procs(in);
	}
	printf("verdict      %s: ", pg_verdict_name(in->verdict));
	put_h(in->reason);
	printf("\nnext         ");
	put_h(next);
	putchar('\n');
}

/* ---- KEY="value" pairs ---------------------------------------------- */

static void
pair_num(const char *key, int have, long long v)
{
	if (have)
		printf("%s=%lld\n", key, v);
	else
		printf("%s=\"\"\n", key);
}

/* PG_CHILDREN, PG_ORPHANS, PG_ATTACHERS, PG_DSM: space-separated. */
static void
pair_lists(const struct pg_inst *in)
{
	const char *sep;
	size_t i;
	int n;

	for (n = 0; n < 2; n++) {
		printf("%s=\"", n ? "PG_ORPHANS" : "PG_CHILDREN");
		for (i = 0, sep = ""; i < in->nprocs; i++)
			if (!in->procs[i].postmaster && in->procs[i].orphan == n) {
				printf("%s%d", sep, (int)in->procs[i].pid);
				sep = " ";
			}
		printf("\"\n");
	}
	printf("PG_ATTACHERS=\"");
	for (i = 0; i < in->shm.nattachers; i++)
		printf("%s%d", i ? " " : "", (int)in->shm.attachers[i]);
	printf("\"\nPG_DSM=\"");
	for (i = 0; i < in->ndsm; i++)
		printf("%s%u", i ? " " : "", (unsigned)in->dsm[i].handle);
	printf("\"\n");
}

static void
report_pairs(const struct pg_inst *in, const char *next)
{
	const struct pidfile *pf = &in->pf;
	int ok = in->pidpath[0] && !in->pf_err, c;
	char key[32], *k;

	put_sh("PG_VERDICT", pg_verdict_name(in->verdict));
	printf("PG_EXIT=%d\n", pg_verdict_exit(in->verdict));
	put_sh("PG_REASON", in->reason);
	put_sh("PG_NEXT", next);
	put_sh("PG_DATADIR", in->datadir);
	put_sh("PG_PIDFILE", in->pidpath);
	pair_num("PG_OWNER", in->datadir[0] != 0, in->owner);
	pair_num("PG_PID", ok, pf->pid);
	pair_num("PG_START", ok && pf->has_start, pf->start);
	pair_num("PG_PORT", ok && pf->has_port, pf->port);
	put_sh("PG_SOCKDIR", ok ? pf->sockdir : "");
	put_sh("PG_LISTEN", ok ? pf->listen : "");
	pair_num("PG_SHMKEY", (ok && pf->has_shm) || in->shm.exists,
	    ok && pf->has_shm ? pf->shmkey : in->shm.key);
	pair_num("PG_SHMID", (ok && pf->has_shm) || in->shm.known,
	    ok && pf->has_shm ? pf->shmid : in->shm.id);
	pair_num("PG_NATTCH", in->shm.exists, in->shm.nattch);
	put_sh("PG_STATUS", ok ? pf->statusword : "");
	pair_lists(in);
	for (c = 0; c < PG_CK_N; c++) {
		snprintf(key, sizeof(key), "PG_CHECK_%s", pg_check_name(c));
		for (k = key; *k; k++)
			*k = *k == '-' ? '_' : *k >= 'a' && *k <= 'z' ?
			    *k - 32 : *k;
		put_sh(key, pg_result_name(in->ck[c].result));
	}
}

/* ---- JSON ----------------------------------------------------------- */

static void
jkey(const char *k, const char *s, int comma)
{
	printf("%s\"%s\":", comma ? "," : "", k);
	put_json(s);
}

static void
j_file(const struct pg_inst *in)
{
	const struct pidfile *pf = &in->pf;

	printf(",\"file\":");
	if (!in->pidpath[0] || in->pf_err) {
		printf("null");
		return;
	}
	printf("{\"lines\":%d,\"pid\":%lld", pf->lines, (long long)pf->pid);
	jkey("datadir", pf->datadir, 1);
	if (pf->has_start)
		printf(",\"start\":%lld", (long long)pf->start);
	if (pf->has_port)
		printf(",\"port\":%u", pf->port);
	if (pf->has_sockdir)
		jkey("sockdir", pf->sockdir, 1);
	if (pf->has_listen)
		jkey("listen", pf->listen, 1);
	if (pf->has_shm)
		printf(",\"shmkey\":%u,\"shmid\":%d", pf->shmkey, (int)pf->shmid);
	if (pf->layout == PIDFILE_V10)
		jkey("status", pf->statusword, 1);
	printf("}");
}

static void
j_checks(const struct pg_inst *in)
{
	int c;

	printf(",\"checks\":[");
	for (c = 0; c < PG_CK_N; c++) {
		printf("%s{", c ? "," : "");
		jkey("name", pg_check_name(c), 0);
		jkey("result", pg_result_name(in->ck[c].result), 1);
		jkey("detail", in->ck[c].why, 1);
		printf("}");
	}
	printf("]");
}

static void
j_shm(const struct pg_inst *in)
{
	const struct pg_shm *m = &in->shm;
	size_t i;

	printf(",\"segment\":");
	if (!m->exists) {
		printf("null");
	} else {
		printf("{\"key\":%u,\"id\":%d,\"uid\":%u,\"size\":%llu,"
		    "\"nattch\":%llu,\"cpid\":%d,\"lpid\":%d,\"attachers\":[",
		    m->key, (int)m->id, (unsigned)m->uid,
		    (unsigned long long)m->size, (unsigned long long)m->nattch,
		    (int)m->cpid, (int)m->lpid);
		for (i = 0; i < m->nattachers; i++)
			printf("%s%d", i ? "," : "", (int)m->attachers[i]);
		printf("],\"header\":");
		if (m->hdr_ok)
			printf("{\"ours\":%s,\"creator\":%d,\"dsm_control\":%u}",
			    m->ours ? "true" : "false", (int)m->hdr.creator,
			    (unsigned)m->hdr.dsm_control);
		else
			printf("null");
		printf("}");
	}
	printf(",\"dsm\":[");
	for (i = 0; i < in->ndsm; i++)
		printf("%s{\"handle\":%u,\"size\":%llu,\"control\":%s,"
		    "\"proven\":%s}", i ? "," : "", (unsigned)in->dsm[i].handle,
		    (unsigned long long)in->dsm[i].size,
		    in->dsm[i].control ? "true" : "false",
		    in->dsm[i].proven ? "true" : "false");
	printf("]");
}

static void
j_procs(const struct pg_inst *in)
{
	const struct pg_proc *p;
	char st[2] = { 0, 0 };
	size_t i;

	printf(",\"processes\":[");
	for (i = 0; i < in->nprocs; i++) {
		p = &in->procs[i];
		st[0] = p->state;
		printf("%s{\"pid\":%d,\"ppid\":%d,\"uid\":%u", i ? "," : "",
		    (int)p->pid, (int)p->ppid, (unsigned)p->uid);
		jkey("state", st, 1);
		printf(",\"start\":%llu", (unsigned long long)p->start_epoch);
		jkey("role", p->role ? p->role : "", 1);
		jkey("wchan", p->wchan, 1);
		jkey("title", p->title, 1);
		printf(",\"postmaster\":%s,\"orphan\":%s,\"attached\":%s}",
		    p->postmaster ? "true" : "false",
		    p->orphan ? "true" : "false", p->attached ? "true" : "false");
	}
	printf("]");
}

static void
report_json(const struct pg_inst *in, const char *next)
{
	printf("{");
	jkey("verdict", pg_verdict_name(in->verdict), 0);
	printf(",\"exit\":%d", pg_verdict_exit(in->verdict));
	jkey("reason", in->reason, 1);
	jkey("next", next, 1);
	jkey("datadir", in->datadir, 1);
	jkey("pidfile", in->pidpath, 1);
	if (in->datadir[0])
		printf(",\"owner\":%u", (unsigned)in->owner);
	j_file(in);
	j_checks(in);
	j_shm(in);
	j_procs(in);
	printf("}\n");
}

/* Options into dir or file (one of them set, or usage error) and fmt. */
static void
parse_opts(int argc, char *argv[], const char **dir, const char **file)
{
	static const struct option longopts[] = {
		{ "pgdata", required_argument, NULL, 'D' },
		{ "pidfile", required_argument, NULL, 'f' },
		{ "export", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char v[128];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:D:f:eJqvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'D': *dir = optarg; break;
		case 'f': *file = optarg; break;
		case 'e': fmt = F_PAIRS; break;
		case 'J': fmt = F_JSON; break;
		case 'q': fmt = F_QUIET; break;
		case 'v': break;	/* no fallback to report */
		case 'h': fputs(usage_text, stdout); exit(finish(0));
		case 'V':
			puts(version_line("pgpidinfo", v, sizeof(v)));
			exit(finish(0));
		default:
			usage_error("%s", opt_error(ch, argc, argv, longopts, v,
			    sizeof(v)));
		}
	}
	if (optind < argc)
		usage_error("unexpected operand: %s", argv[optind]);
	if (*dir && *file)
		usage_error("-D and -f exclude each other%s", "");
	if (!*dir && !*file && ((*dir = getenv("PGDATA")) == NULL || !**dir))
		usage_error("no data directory (-D DATADIR, -f PIDFILE or "
		    "$PGDATA)%s", "");
}

int
main(int argc, char *argv[])
{
	const char *dir = NULL, *file = NULL;
	struct pg_inst in;
	char next[32768];

	parse_opts(argc, argv, &dir, &file);
	if (!procfs_mounted()) {
		fputs("pgpidinfo: " PROCFS_MISSING "\n", stderr);
		return finish(3);
	}
	if (pg_inspect_ipc(&in, dir, file) < 0)
		err(3, "inspect %s", file ? file : dir);
	pg_describe(&in);
	pidns_note(&in);
	next_step(&in, next, sizeof(next));
	if (fmt == F_HUMAN)
		report_human(&in, next);
	else if (fmt == F_PAIRS)
		report_pairs(&in, next);
	else if (fmt == F_JSON)
		report_json(&in, next);
	pg_free(&in);
	return finish(pg_verdict_exit(in.verdict));
}
