/*
 * pgdesc.c: the words and details of a pg_inspect() result that only a
 * report for people needs (pgpidinfo): one line per check, the two checks
 * no verdict rests on (line 2, the socket lock file), and each process's
 * title, role and wait channel. Apart from pg.c so that pxkill and
 * ipcsweep, which act on the verdict alone, do not carry them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

static void
why(struct pg_inst *in, enum pg_check_id c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why(struct pg_inst *in, enum pg_check_id c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->ck[c].why, sizeof(in->ck[c].why), fmt, ap);
	va_end(ap);
}

/* For the two checks decided here. */
static void
ck(struct pg_inst *in, enum pg_check_id c, enum pg_result r,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
ck(struct pg_inst *in, enum pg_check_id c, enum pg_result r,
    const char *fmt, ...)
{
	va_list ap;

	in->ck[c].result = r;
	va_start(ap, fmt);
	vsnprintf(in->ck[c].why, sizeof(in->ck[c].why), fmt, ap);
	va_end(ap);
}

/* ---- roles from process titles (postgres.md §4.3) -------------------- */

static const struct role {
	const char	*prefix, *role;
} roles[] = {
	{ "checkpointer", "checkpointer" },
	{ "background writer", "background writer" },
	{ "writer process", "background writer" },
	{ "walwriter", "walwriter" },
	{ "wal writer process", "walwriter" },
	{ "autovacuum launcher", "autovacuum launcher" },
	{ "autovacuum worker", "autovacuum worker" },
	{ "stats collector", "stats collector" },
	{ "logger", "logger" },
	{ "archiver", "archiver" },
	{ "startup", "startup" },
	{ "walreceiver", "walreceiver" },
	{ "wal receiver process", "walreceiver" },
	{ "walsender", "walsender" },
	{ "wal sender process", "walsender" },
	{ "walsummarizer", "walsummarizer" },
	{ "slotsync worker", "slotsync worker" },
	{ "io worker", "io worker" },
	{ "logical replication", "background worker" },
	{ "parallel worker", "parallel worker" },
	{ "bgworker:", "background worker" },
	{ "TimescaleDB", "background worker" },
};

static const char *
role_at(const char *t)
{
	size_t i, n;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		n = strlen(roles[i].prefix);
		if (!strncmp(t, roles[i].prefix, n) &&
		    (t[n] == '\0' || t[n] == ' ' || roles[i].prefix[n - 1] == ':'))
			return roles[i].role;
	}
	return NULL;
}

int
pg_comm(const char *comm)
{
	return strcmp(comm, "postgres") == 0 || strcmp(comm, "postmaster") == 0;
}

const char *
pg_role(const char *title)
{
	const char *t, *r, *sp, *colon;

	if (strncmp(title, "postgres: ", 10))
		return NULL;
	t = title + 10;
	if ((r = role_at(t)) != NULL)
		return r;
	/* 9.5+ cluster_name: "postgres: NAME: role" */
	sp = strchr(t, ' ');
	colon = sp && sp > t && sp[-1] == ':' ? sp - 1 : NULL;
	if (colon && (r = role_at(colon + 2)))
		return r;
	if (colon)
		t = colon + 2;
	/* "USER DB HOST ACTIVITY": at least three words */
	if ((sp = strchr(t, ' ')) != NULL && strchr(sp + 1, ' ') != NULL)
		return "client backend";
	return "background worker";
}

/* ---- the pid file and the postmaster --------------------------------- */

static void
say_pidfile(struct pg_inst *in)
{
	const struct pidfile *pf = &in->pf;

	if (in->ck[PG_CK_PIDFILE].result == PG_PASS)
		why(in, PG_CK_PIDFILE, "%d lines%s%s", pf->lines,
		    pf->pid < 0 ? ", standalone backend" : "",
		    pf->noeol ? ", last line unterminated" : "");
	else if (in->pf_err == ENOENT)
		why(in, PG_CK_PIDFILE, "no pid file");
}

/* Line 2 names the directory the file really lives in. */
static void
check_datadir_line(struct pg_inst *in)
{
	const char *d = in->pf.datadir;
	struct stat st;

	if (stat(d, &st) < 0)
		ck(in, PG_CK_DATADIR, errno == ENOENT ? PG_FAIL : PG_UNSURE,
		    "line 2 names %s: %s", d, strerror(errno));
	else if ((uint64_t)st.st_dev != in->dev || (uint64_t)st.st_ino != in->ino)
		ck(in, PG_CK_DATADIR, PG_FAIL, "line 2 names %s, another "
		    "directory (the file was copied or moved)", d);
	else
		ck(in, PG_CK_DATADIR, PG_PASS, "line 2 names this directory");
}

static void
say_state(struct pg_inst *in)
{
	char s = in->pm.state;

	if (s == 'Z' || s == 'X')
		why(in, PG_CK_STATE, "%c: defunct, not reaped by its parent "
		    "(PID %d)", s, (int)in->pm.ppid);
	else if (s == 'T' || s == 't')
		why(in, PG_CK_STATE, "%c: stopped (SIGSTOP or traced): it will "
		    "not serve or reap until continued", s);
	else
		why(in, PG_CK_STATE, "%c", s);
}

static void
say_uid(struct pg_inst *in)
{
	const char *u = user_name(in->pm_uid), *o = user_name(in->owner);

	if (in->ck[PG_CK_UID].result == PG_PASS && u)
		why(in, PG_CK_UID, "%s, the directory owner", u);
	else if (in->ck[PG_CK_UID].result == PG_PASS)
		why(in, PG_CK_UID, "uid %u, the directory owner",
		    (unsigned)in->pm_uid);
	else
		why(in, PG_CK_UID, "uid %u (%s), the directory owner is %u "
		    "(%s)", (unsigned)in->pm_uid, u ? u : "?", (unsigned)in->owner,
		    o ? o : "?");
}

static void
say_exe_cwd(struct pg_inst *in)
{
	const struct pg_check *e = &in->ck[PG_CK_EXE], *c = &in->ck[PG_CK_CWD];

	if (e->result == PG_NA)
		why(in, PG_CK_EXE, "a zombie has no exe; comm is %s",
		    in->pm.comm);
	else if (e->result == PG_UNSURE)
		why(in, PG_CK_EXE, "cannot read exe: %s", strerror(e->err));
	else
		why(in, PG_CK_EXE, e->result == PG_PASS ? "%s" :
		    "%s is not a postgres binary", in->exe);
	if (c->result == PG_NA)
		why(in, PG_CK_CWD, "a zombie has no cwd");
	else if (c->result == PG_UNSURE)
		why(in, PG_CK_CWD, "cannot read cwd: %s", strerror(c->err));
	else if (c->result == PG_PASS)
		why(in, PG_CK_CWD, "the data directory");
	else
		why(in, PG_CK_CWD, "%s, not the data directory", in->cwd);
}

static void
say_start(struct pg_inst *in)
{
	long long pm = proc_start_epoch(&in->pm), f = in->pf.start;

	if (!in->pf.has_start)
		why(in, PG_CK_START, "no start time in the file");
	else if (in->ck[PG_CK_START].result == PG_PASS)
		why(in, PG_CK_START, "started %lld, line 3 %lld", pm, f);
	else
		why(in, PG_CK_START, "started %lld, line 3 says %lld (%lld s "
		    "apart)", pm, f, pm > f ? pm - f : f - pm);
}

static void
say_pm(struct pg_inst *in)
{
	if (in->pf_err)
		return;
	check_datadir_line(in);
	if (!in->pm_alive) {
		why(in, PG_CK_ALIVE, "no process %d", (int)in->pid);
		return;
	}
	why(in, PG_CK_ALIVE, "PID %d exists (%s)", (int)in->pid, in->pm.comm);
	say_state(in);
	say_uid(in);
	say_exe_cwd(in);
	say_start(in);
}

/* ---- the segment and its header -------------------------------------- */

static void
say_segment(struct pg_inst *in)
{
	const struct pg_shm *m = &in->shm;

	if (!m->known)
		why(in, PG_CK_SEGMENT, "%s", in->pf_err ? "no segment of this "
		    "directory's keys" : "none recorded in the pid file");
	else if (!m->exists)
		why(in, PG_CK_SEGMENT, "no segment with id %d (%s)", (int)m->id,
		    m->err == EACCES ? "permission denied" : "removed, or the "
		    "machine rebooted since");
	else if (in->pf.has_shm && m->key != in->pf.shmkey)
		why(in, PG_CK_SEGMENT, "id %d now has key 0x%08x, not 0x%08x: "
		    "another segment", (int)m->id, m->key, in->pf.shmkey);
	else if (m->uid != in->owner)
		why(in, PG_CK_SEGMENT, "id %d belongs to uid %u, not the "
		    "directory owner", (int)m->id, (unsigned)m->uid);
	else
		why(in, PG_CK_SEGMENT, "key 0x%08x id %d, %llu bytes, nattch "
		    "%llu, creator PID %d", m->key, (int)m->id,
		    (unsigned long long)m->size, (unsigned long long)m->nattch,
		    (int)m->cpid);
}

static void
say_header(struct pg_inst *in)
{
	const struct pg_shm *m = &in->shm;
	const struct pg_check *c = &in->ck[PG_CK_HEADER];

	if (!m->exists)
		return;
	if (c->result == PG_UNSURE && m->hdr_pid == 0)
		why(in, PG_CK_HEADER, "not read: no process maps the segment, "
		    "and attaching it would change shm_atime, shm_lpid and "
		    "nattch");
	else if (c->result == PG_UNSURE)
		why(in, PG_CK_HEADER, "cannot read /proc/%d/mem: %s",
		    (int)m->hdr_pid, strerror(c->err));
	else if (!m->hdr_ok)
		why(in, PG_CK_HEADER, "no PostgreSQL header (magic 0x%08x), "
		    "read through PID %d", (unsigned)m->hdr.magic,
		    (int)m->hdr_pid);
	else if (!m->ours)
		why(in, PG_CK_HEADER, "foreign: made for device %llu inode "
		    "%llu, not this directory", (unsigned long long)
		    m->hdr.device, (unsigned long long)m->hdr.inode);
	else
		why(in, PG_CK_HEADER, "ours (magic, device and inode match; "
		    "creator PID %d; read through PID %d)",
		    (int)m->hdr.creator, (int)m->hdr_pid);
}

/* ---- the socket lock file -------------------------------------------- */

static void
check_socklock(struct pg_inst *in)
{
	char path[PIDFILE_PATHMAX + 32];
	struct pidfile sl;

	if (in->pf_err || !in->pf.has_port || in->pf.sockdir[0] != '/' ||
	    pidfile_socklock_path(path, sizeof(path), in->pf.sockdir,
	    in->pf.port) < 0) {
		ck(in, PG_CK_SOCKLOCK, PG_NA, "no socket directory recorded");
		return;
	}
	if (pidfile_read(AT_FDCWD, path, &sl) < 0)
		ck(in, PG_CK_SOCKLOCK, errno == ENOENT ? PG_FAIL : PG_UNSURE,
		    "%s: %s", path, errno == EINVAL ? "garbled" :
		    strerror(errno));
	else if (sl.pid != in->pf.pid)
		ck(in, PG_CK_SOCKLOCK, PG_FAIL, "%s names PID %lld", path,
		    (long long)sl.pid);
	else if (strcmp(sl.datadir, in->pf.datadir))
		ck(in, PG_CK_SOCKLOCK, PG_FAIL, "%s names %s", path, sl.datadir);
	else
		ck(in, PG_CK_SOCKLOCK, PG_PASS, "%s agrees", path);
}

/* ---- the processes --------------------------------------------------- */

static void
say_proc(struct pg_proc *p)
{
	struct proc_stat st;
	char buf[4096];
	int dir;

	memset(&st, 0, sizeof(st));
	st.starttime = p->start;
	p->start_epoch = proc_start_epoch(&st);
	if ((dir = proc_open(p->pid)) < 0) {
		p->title = xstrdup("");
		return;
	}
	if (proc_stat_read(dir, &st) < 0)
		snprintf(st.comm, sizeof(st.comm), "?");
	proc_cmdline(dir, st.comm, buf, sizeof(buf));
	p->title = xstrdup(buf);
	p->role = p->postmaster ? "postmaster" : pg_role(buf);
	if (p->role == NULL)
		p->role = "other";
	if (proc_read(dir, "wchan", p->wchan, sizeof(p->wchan)) < 0 ||
	    !strcmp(p->wchan, "0"))
		p->wchan[0] = '\0';
	close(dir);
}

void
pg_describe(struct pg_inst *in)
{
	size_t i;

	pg_reason(in);
	for (i = 0; i < in->nprocs; i++)
		say_proc(&in->procs[i]);
	if (in->ino == 0)
		return;		/* the directory itself could not be used */
	say_pidfile(in);
	say_pm(in);
	say_segment(in);
	say_header(in);
	check_socklock(in);
}
