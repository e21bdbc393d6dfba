/*
 * test_codes.c - reply-code sets of expectations (vector.h: ssp_codes_*,
 * ssp_level_name).
 */
#include "tests.h"

#include "../vector.h"

#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void test_parse(void)
{
	static const struct {
		const char *pattern;
		unsigned lo, hi;
	} ok[] = {
		{ "250", 250, 250 }, { "2xx", 200, 299 }, { "25x", 250, 259 }, { "5xx", 500, 599 },
		{ "1xx", 100, 199 }, { "2XX", 200, 299 }, { "55X", 550, 559 }, { "421", 421, 421 },
		{ "599", 599, 599 }, { "100", 100, 100 },
	};
	static const char *const bad[] = {
		"2x0", "600", "25", "abc", "", "2500", "x50", "xxx", "099", "0xx", "6xx",
		"25 ", " 25", "2-0", "25y", "+25", "2x", "250\n",
	};
	size_t i;

	for (i = 0; i < NCASES(ok); i++) {
		ssp_codes_t c;
		memset(&c, 0, sizeof(c));
		CHECKF(ssp_codes_parse(&c, ok[i].pattern) == 0, "\"%s\" refused", ok[i].pattern);
		CHECKF(c.n == 1 && c.r[0].lo == ok[i].lo && c.r[0].hi == ok[i].hi,
		       "\"%s\": n %u range %u-%u, expected %u-%u", ok[i].pattern, c.n, c.r[0].lo,
		       c.r[0].hi, ok[i].lo, ok[i].hi);
	}
	for (i = 0; i < NCASES(bad); i++) {
		ssp_codes_t c;
		memset(&c, 0, sizeof(c));
		CHECKF(ssp_codes_parse(&c, bad[i]) == -1, "\"%s\" accepted", bad[i]);
		CHECKF(c.n == 0, "\"%s\": the set changed on failure", bad[i]);
	}
}

static void test_has(void)
{
	ssp_codes_t c;

	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 250), 0);   /* empty set */
	CU_ASSERT_EQUAL(ssp_codes_parse(&c, "250"), 0);
	CU_ASSERT_EQUAL(ssp_codes_parse(&c, "55x"), 0);
	CU_ASSERT_EQUAL(ssp_codes_parse(&c, "4xx"), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 250), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 251), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 249), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 550), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 559), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 560), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 549), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 400), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 499), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 500), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 0), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, -250), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 65786), 0); /* 250 + 65536 */
}

static void test_full(void)
{
	ssp_codes_t c;
	unsigned i;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < SSP_CODES_MAX; i++)
		ok &= ssp_codes_add(&c, 200 + i, 200 + i) == 0;
	CU_ASSERT_EQUAL(ok, 1);
	CU_ASSERT_EQUAL(ssp_codes_add(&c, 500, 500), -1);
	CU_ASSERT_EQUAL(ssp_codes_parse(&c, "5xx"), -1);
	CU_ASSERT_EQUAL(c.n, SSP_CODES_MAX);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 500), 0);
	CU_ASSERT_EQUAL(ssp_codes_has(&c, 200 + SSP_CODES_MAX - 1), 1);
}

/* describe - the description of the patterns p[0..n) with a size-byte buffer. */
static void describe(const char *const *p, size_t n, char *out, size_t size)
{
	ssp_codes_t c;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(ssp_codes_parse(&c, p[i]), 0);
	ssp_codes_describe(&c, out, size);
}

static void test_describe(void)
{
	static const char *const three[] = { "250", "251", "2xx" };
	static const char *const four[] = { "5xx", "45x", "421", "25X" };
	char out[64], small[8];
	ssp_codes_t empty;

	describe(three, 3, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250, 251 or 2xx");
	describe(three, 1, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250");
	describe(three, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "250 or 251");
	describe(four, 4, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "5xx, 45x, 421 or 25x");
	memset(&empty, 0, sizeof(empty));
	ssp_codes_describe(&empty, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
	/* a short buffer is truncated and stays terminated */
	memset(small, 'Z', sizeof(small));
	describe(three, 3, small, sizeof(small));
	CU_ASSERT_EQUAL(strnlen(small, sizeof(small)) < sizeof(small), 1);
	CU_ASSERT_STRING_EQUAL(small, "250, 25");
}

static void test_levels(void)
{
	CU_ASSERT_STRING_EQUAL(ssp_level_name(SSP_LEVEL_MUST), "MUST");
	CU_ASSERT_STRING_EQUAL(ssp_level_name(SSP_LEVEL_SHOULD), "SHOULD");
	CU_ASSERT_STRING_EQUAL(ssp_level_name(SSP_LEVEL_MAY), "MAY");
}

void register_codes_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "ssp_codes_parse", test_parse },
		{ "ssp_codes_has", test_has },
		{ "set full", test_full },
		{ "ssp_codes_describe", test_describe },
		{ "ssp_level_name", test_levels },
		{ NULL, NULL },
	};

	tests_add_suite("codes", tests);
}
