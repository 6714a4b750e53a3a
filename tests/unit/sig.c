/* Unit tests for lib/sig.c: every spelling kill(1) users type. */
#include <errno.h>
#include <signal.h>

#include "lib.h"
#include "t.h"

static int
parse(const char *s)
{
	int sig = -1;

	return sig_parse(s, &sig) < 0 ? -1 : sig;
}

static const char *
name(int sig)
{
	static char buf[16];

	return sig_name(sig, buf, sizeof(buf));
}

int
main(void)
{
	char small[4];
	int i, sig;

	T_BEGIN("sig_parse names with and without SIG, any case");
	CHECK(parse("TERM") == SIGTERM);
	CHECK(parse("SIGTERM") == SIGTERM);
	CHECK(parse("sigkill") == SIGKILL);
	CHECK(parse("Hup") == SIGHUP);
	CHECK(parse("CONT") == SIGCONT);
	CHECK(parse("STOP") == SIGSTOP);
	CHECK(parse("IOT") == SIGABRT);
	CHECK(parse("SIGPOLL") == SIGIO);
	CHECK(parse("CLD") == SIGCHLD);
	T_END();

	T_BEGIN("sig_parse numbers, 0 and the range");
	CHECK(parse("9") == 9);
	CHECK(parse("0") == 0);
	CHECK(parse("64") == 64);
	CHECK(parse("65") == -1);
	CHECK(parse("99999999999999999999999") == -1);
	CHECK(parse("-9") == -1);
	CHECK(parse("9x") == -1);
	T_END();

	T_BEGIN("sig_parse real-time signals");
	CHECK(parse("RTMIN") == 34);
	CHECK(parse("SIGRTMIN+1") == 35);
	CHECK(parse("rtmax") == 64);
	CHECK(parse("RTMAX-2") == 62);
	CHECK(parse("RTMIN+30") == 64);
	CHECK(parse("RTMIN+31") == -1);
	CHECK(parse("RTMIN-1") == -1);
	CHECK(parse("RTMAX+1") == -1);
	CHECK(parse("RTMIN+") == -1);
	T_END();

	T_BEGIN("sig_parse rejects junk");
	CHECK(parse("") == -1);
	CHECK(parse("SIG") == -1);
	CHECK(parse("TERMX") == -1);
	CHECK(parse("SIGSIGTERM") == -1);
	CHECK(sig_parse("NOPE", &sig) == -1 && errno == EINVAL);
	T_END();

	T_BEGIN("sig_name and the round trip for every signal");
	CHECK_STR(name(SIGTERM), "TERM");
	CHECK_STR(name(SIGKILL), "KILL");
	CHECK_STR(name(34), "RTMIN");
	CHECK_STR(name(49), "RTMIN+15");
	CHECK_STR(name(50), "RTMAX-14");
	CHECK_STR(name(64), "RTMAX");
	CHECK(name(32) == NULL && name(33) == NULL);
	CHECK(name(65) == NULL && name(-1) == NULL);
	CHECK(sig_name(SIGTERM, small, 3) == NULL);
	CHECK(sig_name(SIGTERM, small, 5) != NULL);
	for (i = 1; i <= sig_max(); i++)
		if (name(i) != NULL)
			CHECK(parse(name(i)) == i);
	T_END();
	T_EXIT();
}
