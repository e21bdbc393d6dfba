/*
 * test_precheck.c - the skips decided before connecting (precheck.h):
 * loopback addresses, credentials, and "exposure": "network" with --remote,
 * --starttls and --tls.
 */
#include "tests.h"

#include "../precheck.h"
#include "../vars.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

/* v4 - a sockaddr_in for the dotted address a. */
static struct sockaddr_storage v4(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	CU_ASSERT_EQUAL(inet_pton(AF_INET, a, &in->sin_addr), 1);
	return ss;
}

/* v6 - a sockaddr_in6 for the address a. */
static struct sockaddr_storage v6(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	in6->sin6_family = AF_INET6;
	CU_ASSERT_EQUAL(inet_pton(AF_INET6, a, &in6->sin6_addr), 1);
	return ss;
}

#define LOOPBACK(ss) ssp_addr_is_loopback((const struct sockaddr *)&(ss))

static void test_loopback(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_un un;

	ss = v4("127.0.0.1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 1);
	ss = v4("127.255.3.4"); CU_ASSERT_EQUAL(LOOPBACK(ss), 1);
	ss = v4("128.0.0.1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0);
	ss = v4("126.255.255.255"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0); /* just below 127/8 */
	ss = v4("0.0.0.0"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0);
	ss = v6("::1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 1);
	ss = v6("::ffff:127.0.0.1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 1);
	ss = v6("::ffff:128.0.0.1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0);
	ss = v6("::2"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0);
	ss = v6("2001:db8::1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0);
	ss = v6("::127.0.0.1"); CU_ASSERT_EQUAL(LOOPBACK(ss), 0); /* v4-compatible, not mapped */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	CU_ASSERT_EQUAL(ssp_addr_is_loopback((const struct sockaddr *)&un), 0);
	CU_ASSERT_EQUAL(ssp_addr_is_loopback(NULL), 0);
}

static void test_exposure(void)
{
	ssp_session_cfg_t cfg;
	ssp_vector_t v;
	struct sockaddr_storage lo = v4("127.0.0.1"), far = v4("192.0.2.7");
	char reason[SSP_REASON_MAX];

	memset(&cfg, 0, sizeof(cfg));
	memset(&v, 0, sizeof(v));
	cfg.addr = (const struct sockaddr *)&lo;
	/* a vector without exposure runs anywhere */
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 0);
	cfg.starttls = 1;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 0);
	cfg.starttls = 0;
	/* exposure network: skipped on loopback, saying what to add */
	v.exposure = SSP_EXPOSURE_NETWORK;
	reason[0] = '\0';
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "loopback"));
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "--remote"));
	/* --remote lifts it; so does a target that is not on loopback */
	cfg.remote = 1;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 0);
	cfg.remote = 0;
	cfg.addr = (const struct sockaddr *)&far;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 0);
	/* inside TLS nothing is in plaintext: skipped, naming the option */
	cfg.starttls = 1;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "--starttls"));
	cfg.starttls = 0;
	cfg.implicit_tls = 1;
	cfg.remote = 1;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "--tls"));
	/* a bounded reason: a small buffer is cut, never overrun */
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, 8), 1);
	CU_ASSERT_EQUAL(strlen(reason), 7);
}

static void test_needs_auth(void)
{
	ssp_session_cfg_t cfg;
	ssp_vector_t v;
	ssp_vars_t vars;
	char reason[SSP_REASON_MAX];

	memset(&cfg, 0, sizeof(cfg));
	memset(&v, 0, sizeof(v));
	ssp_vars_init(&vars, NULL);
	v.needs_auth = 1;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "auth.user"));
	cfg.vars = &vars;
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 1);
	CU_ASSERT_EQUAL_FATAL(ssp_vars_set(&vars, "auth_user", "smtpspec", 8), 0);
	CU_ASSERT_EQUAL(ssp_precheck_settings(&cfg, &v, reason, sizeof(reason)), 0);
	ssp_vars_free(&vars);
}

void register_precheck_tests(void)
{
	static const tests_entry_t tests[] = {
		{"loopback: 127/8, ::1, ::ffff:127/104 and nothing else", test_loopback},
		{"exposure network: skipped on loopback unless --remote, and inside TLS", test_exposure},
		{"needs_auth: skipped without auth.user", test_needs_auth},
		{NULL, NULL},
	};

	tests_add_suite("precheck", tests);
}
