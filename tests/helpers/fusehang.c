/*
 * fusehang: a FUSE file system whose daemon never answers FLUSH, as a
 * hung FUSE daemon (or a dead NFS server's flush) leaves every close of
 * its files. Usage (root): fusehang MOUNTDIR READYFILE [dead]
 * It mounts MOUNTDIR holding one empty file, "f", writes "ready" to
 * READYFILE, then serves requests; each FLUSH it leaves unanswered
 * appends "flush" to READYFILE. With "dead", once "f" has been opened it
 * answers nothing at all (appending "dead"), like a server gone for good.
 * Killing it aborts the connection (the waiting calls get ENOTCONN); the
 * caller unmounts MOUNTDIR.
 */
#include <sys/mount.h>
#include <sys/stat.h>

#include <linux/fuse.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[FUSE_MIN_READ_BUFFER + 65536];
static FILE *ready;
static int dead;		/* 1: die after the open, 2: dead */

static void
reply(int dev, uint64_t unique, int err, const void *arg, size_t len)
{
	struct fuse_out_header h = { sizeof(h) + len, -err, unique };
	char out[sizeof(h) + 256];

	memcpy(out, &h, sizeof(h));
	if (len)
		memcpy(out + sizeof(h), arg, len);
	write(dev, out, sizeof(h) + len);
}

static void
attr(uint64_t node, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = node;
	a->mode = node == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0666;
	a->nlink = node == FUSE_ROOT_ID ? 2 : 1;
	a->blksize = 4096;
}

/* The root holds one file, "f". */
static void
lookup(int dev, uint64_t unique, const char *name)
{
	struct fuse_entry_out e = { 0 };

	if (strcmp(name, "f")) {
		reply(dev, unique, ENOENT, NULL, 0);
		return;
	}
	e.nodeid = 2;
	attr(2, &e.attr);
	reply(dev, unique, 0, &e, sizeof(e));
}

static void
serve(int dev, const struct fuse_in_header *in, const char *arg)
{
	struct fuse_init_out init = { .major = FUSE_KERNEL_VERSION,
	    .minor = 12, .max_readahead = 65536, .max_write = 65536 };
	struct fuse_attr_out a = { 0 };
	struct fuse_open_out o = { .fh = 1 };

	if (dead == 2)
		return;
	switch (in->opcode) {
	case FUSE_INIT:
		reply(dev, in->unique, 0, &init, FUSE_COMPAT_22_INIT_OUT_SIZE);
		break;
	case FUSE_LOOKUP:
		lookup(dev, in->unique, arg);
		break;
	case FUSE_GETATTR:
		attr(in->nodeid, &a.attr);
		reply(dev, in->unique, 0, &a, sizeof(a));
		break;
	case FUSE_OPEN:
		reply(dev, in->unique, 0, &o, sizeof(o));
		if (dead) {
			dead = 2;
			fputs("dead\n", ready);
			fflush(ready);
		}
		break;
	case FUSE_OPENDIR:
		reply(dev, in->unique, 0, &o, sizeof(o));
		break;
	case FUSE_FLUSH:		/* never answered */
		fputs("flush\n", ready);
		fflush(ready);
		break;
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:		/* the FLUSH stays unanswered */
		break;
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR:
	case FUSE_DESTROY:
		reply(dev, in->unique, 0, NULL, 0);
		break;
	default:
		reply(dev, in->unique, ENOSYS, NULL, 0);
	}
}

int
main(int argc, char **argv)
{
	struct fuse_in_header *in = (struct fuse_in_header *)buf;
	char opts[128];
	ssize_t n;
	int dev;

	if (argc < 3 || argc > 4 || (ready = fopen(argv[2], "a")) == NULL)
		return 2;
	dead = argc == 4 && strcmp(argv[3], "dead") == 0;
	if ((dev = open("/dev/fuse", O_RDWR | O_CLOEXEC)) < 0) {
		perror("fusehang: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,"
	    "group_id=0,allow_other", dev);
	if (mount("fusehang", argv[1], "fuse.fusehang", MS_NOSUID | MS_NODEV,
	    opts) < 0) {
		perror("fusehang: mount");
		return 1;
	}
	fputs("ready\n", ready);
	fflush(ready);
	while ((n = read(dev, buf, sizeof(buf))) != 0) {
		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < 0)
			return errno == ENODEV ? 0 : 1;	/* unmounted */
		serve(dev, in, buf + sizeof(*in));
	}
	return 0;
}
