/*
 * test_vars.c - variable tables, ${name} expansion and the load-time scan
 * (vars.h; docs/vectors.md "Variables").
 */
#include "tests.h"

#include "../buf.h"
#include "../limits.h"
#include "../vars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

static void test_set_get(void)
{
	ssp_vars_t v;
	char name65[66], name64[65], *big;

	ssp_vars_init(&v, NULL);
	CU_ASSERT_PTR_NULL(ssp_vars_get(&v, "a"));
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "a", "1", 1), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "a"), "1");
	/* value copied by length: only len bytes */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "b_2", "hello world", 5), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "b_2"), "hello");
	/* overwrite keeps one entry */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "a", "22", 2), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "a"), "22");
	CU_ASSERT_EQUAL(v.n, 2);
	/* empty values are values */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "empty", "", 0), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "empty"), "");
	/* bad names */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "A", "x", 1), -1);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "", "x", 1), -1);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "a-b", "x", 1), -1);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "a b", "x", 1), -1);
	memset(name65, 'n', 65);
	name65[65] = '\0';
	memset(name64, 'n', 64);
	name64[64] = '\0';
	CU_ASSERT_EQUAL(ssp_vars_set(&v, name65, "x", 1), -1);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, name64, "x", 1), 0);
	CU_ASSERT_EQUAL(ssp_vars_valid_name(name64), 1);
	CU_ASSERT_EQUAL(ssp_vars_valid_name(name65), 0);
	CU_ASSERT_EQUAL(ssp_vars_valid_name("size_limit"), 1);
	CU_ASSERT_EQUAL(ssp_vars_valid_name("9lives"), 1);
	CU_ASSERT_EQUAL(ssp_vars_valid_name("Size"), 0);
	CU_ASSERT_EQUAL(ssp_vars_valid_name(""), 0);
	/* value length cap */
	big = malloc(SSP_VAR_STORED_MAX + 1);
	CU_ASSERT_FATAL(big != NULL);
	memset(big, 'v', SSP_VAR_STORED_MAX + 1);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "big", big, SSP_VAR_STORED_MAX + 1), -1);
	CU_ASSERT_PTR_NULL(ssp_vars_get(&v, "big"));
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "big", big, SSP_VAR_STORED_MAX), 0);
	CU_ASSERT_EQUAL(strlen(ssp_vars_get(&v, "big")), SSP_VAR_STORED_MAX);
	/* a refused overwrite keeps the old value */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "a", big, SSP_VAR_STORED_MAX + 1), -1);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "a"), "22");
	free(big);
	ssp_vars_free(&v);
	CU_ASSERT_EQUAL(v.n, 0);
	CU_ASSERT_PTR_NULL(ssp_vars_get(&v, "a"));
}

static void test_parent(void)
{
	ssp_vars_t root, mid, leaf;

	ssp_vars_init(&root, NULL);
	ssp_vars_init(&mid, &root);
	ssp_vars_init(&leaf, &mid);
	CU_ASSERT_EQUAL(ssp_vars_set(&root, "domain", "example.org", 11), 0);
	CU_ASSERT_EQUAL(ssp_vars_set(&root, "client", "root.test", 9), 0);
	CU_ASSERT_EQUAL(ssp_vars_set(&mid, "client", "mid.test", 8), 0);
	CU_ASSERT_EQUAL(ssp_vars_set(&leaf, "size_limit", "1000", 4), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&leaf, "domain"), "example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&leaf, "client"), "mid.test");  /* nearest wins */
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&root, "client"), "root.test");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&leaf, "size_limit"), "1000");
	CU_ASSERT_PTR_NULL(ssp_vars_get(&mid, "size_limit"));             /* never upwards */
	CU_ASSERT_PTR_NULL(ssp_vars_get(&leaf, "nope"));
	/* setting in the child does not touch the parent */
	CU_ASSERT_EQUAL(ssp_vars_set(&leaf, "domain", "other.test", 10), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&leaf, "domain"), "other.test");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&root, "domain"), "example.org");
	ssp_vars_free(&leaf);
	ssp_vars_free(&mid);
	ssp_vars_free(&root);
}

static void test_full(void)
{
	ssp_vars_t v;
	char name[16];
	unsigned i;
	int ok = 1;

	ssp_vars_init(&v, NULL);
	for (i = 0; i < SSP_VARS_MAX; i++) {
		snprintf(name, sizeof(name), "v%u", i);
		ok &= ssp_vars_set(&v, name, name, strlen(name)) == 0;
	}
	CU_ASSERT_EQUAL(ok, 1);
	CU_ASSERT_EQUAL(v.n, SSP_VARS_MAX);
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "one_more", "x", 1), -1);
	CU_ASSERT_PTR_NULL(ssp_vars_get(&v, "one_more"));
	CU_ASSERT_EQUAL(v.n, SSP_VARS_MAX);
	/* overwriting an existing name still works when full */
	CU_ASSERT_EQUAL(ssp_vars_set(&v, "v0", "new", 3), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "v0"), "new");
	snprintf(name, sizeof(name), "v%u", SSP_VARS_MAX - 1);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, name), name);
	ssp_vars_free(&v);
}

/* expand - expand s with v into a fresh buffer; the rc, *out malloc'ed text. */
static int expand(const ssp_vars_t *v, const char *s, char **out, ssp_vars_err_t *err)
{
	size_t n = strlen(s);
	char *b = tests_dup_end(s, n);
	ssp_buf_t o;
	int rc;

	ssp_buf_init(&o, 1 << 16);
	memset(err, 0, sizeof(*err));
	rc = ssp_vars_expand(v, b, n, &o, err);
	free(b);
	*out = ssp_buf_steal(&o, NULL);
	if (*out == NULL)
		*out = strdup("");
	return rc;
}

static void test_expand(void)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "x${a}y", "xvalue-ay" },
		{ "${a}${a}", "value-avalue-a" },
		{ "RCPT TO:<${mailbox}>", "RCPT TO:<postmaster@example.org>" },
		{ "${n+1}", "42" },
		{ "${n-2}", "39" },
		{ "${n-41}", "0" },
		{ "${n-50}", "-9" },
		{ "${neg+1}", "-4" },
		{ "${n+0}", "41" },
		{ "SIZE=${n+999999999}", "SIZE=1000000040" },
		{ "$${a}", "${a}" },
		{ "$$${a}", "$${a}" },  /* the leftmost "$${" is the literal */
		{ "cost: $5", "cost: $5" },
		{ "$", "$" },
		{ "a$", "a$" },
		{ "$$", "$$" },
		{ "{a}", "{a}" },
		{ "", "" },
		{ "no variables", "no variables" },
	};
	static const struct {
		const char *in;
		size_t offset;
		const char *msg;
	} bad[] = {
		{ "x ${nope} y", 2, "${nope} has no value" },
		{ "${n+1} ${a+1}", 7, "${a} is not a number" },
		{ "${space+1}", 0, "not a number" },
		{ "${empty+1}", 0, "not a number" },
		{ "ab${a", 2, "unterminated" },
		{ "${", 0, "unterminated" },
		{ "${a b}", 0, "" },
		{ "${A}", 0, "bad variable name" },
		{ "${}", 0, "bad variable name" },
		{ "${a.b}", 0, "bad variable name" },
		{ "${n+}", 0, "digits" },
		{ "${n-x}", 0, "digits" },
		{ "${n+1234567890}", 0, "too large" },
		{ "${nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn}", 0, "too long" },
	};
	ssp_vars_t v;
	ssp_vars_err_t err;
	size_t i;
	char *out;

	ssp_vars_init(&v, NULL);
	ssp_vars_set(&v, "a", "value-a", 7);
	ssp_vars_set(&v, "n", "41", 2);
	ssp_vars_set(&v, "neg", "-5", 2);
	ssp_vars_set(&v, "space", "10 ", 3);
	ssp_vars_set(&v, "empty", "", 0);
	ssp_vars_set(&v, "mailbox", "postmaster@example.org", 22);
	for (i = 0; i < NCASES(ok); i++) {
		int rc = expand(&v, ok[i].in, &out, &err);
		CHECKF(rc == 0, "\"%s\": error at %zu: %s", ok[i].in, err.offset, err.text);
		CHECKF(strcmp(out, ok[i].out) == 0, "\"%s\" gave \"%s\", expected \"%s\"", ok[i].in,
		       out, ok[i].out);
		free(out);
	}
	for (i = 0; i < NCASES(bad); i++) {
		int rc = expand(&v, bad[i].in, &out, &err);
		CHECKF(rc == -1, "\"%s\": accepted as \"%s\"", bad[i].in, out);
		CHECKF(err.offset == bad[i].offset, "\"%s\": offset %zu, expected %zu", bad[i].in,
		       err.offset, bad[i].offset);
		CHECKF(err.text[0] && strstr(err.text, bad[i].msg) != NULL,
		       "\"%s\": message \"%s\" lacks \"%s\"", bad[i].in, err.text, bad[i].msg);
		free(out);
	}
	ssp_vars_free(&v);
}

/*
 * ${name+N} on a value at the edge of long long: the sum does not fit, so
 * it must be refused (a server controls captured values such as a SIZE
 * limit), never computed with a signed overflow.
 */
static void test_expand_overflow(void)
{
	ssp_vars_t v;
	ssp_vars_err_t err;
	char *out;

	ssp_vars_init(&v, NULL);
	ssp_vars_set(&v, "max", "9223372036854775807", 19);
	ssp_vars_set(&v, "min", "-9223372036854775808", 20);
	ssp_vars_set(&v, "huge", "99999999999999999999", 20);
	/* in range: fine */
	CU_ASSERT_EQUAL(expand(&v, "${max-1}", &out, &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "9223372036854775806");
	free(out);
	CU_ASSERT_EQUAL(expand(&v, "${min+1}", &out, &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "-9223372036854775807");
	free(out);
	/* out of range of strtoll: refused */
	CU_ASSERT_EQUAL(expand(&v, "${huge+1}", &out, &err), -1);
	free(out);
	/* the sum overflows: refused */
	CHECKF(expand(&v, "${max+1}", &out, &err) == -1, "${max+1} gave \"%s\"", out);
	free(out);
	CHECKF(expand(&v, "${min-1}", &out, &err) == -1, "${min-1} gave \"%s\"", out);
	free(out);
	ssp_vars_free(&v);
}

static void test_expand_cap(void)
{
	ssp_vars_t v;
	ssp_vars_err_t err;
	ssp_buf_t o;

	ssp_vars_init(&v, NULL);
	ssp_vars_set(&v, "a", "0123456789", 10);
	ssp_buf_init(&o, 12);
	CU_ASSERT_EQUAL(ssp_vars_expand(&v, "x${a}", 5, &o, &err), 0);
	CU_ASSERT_EQUAL(o.len, 11);
	ssp_buf_free(&o);
	ssp_buf_init(&o, 12);
	CU_ASSERT_EQUAL(ssp_vars_expand(&v, "xyz${a}", 7, &o, &err), -1);
	CU_ASSERT_EQUAL(err.offset, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "too long"));
	CU_ASSERT(o.len <= 12);
	ssp_buf_free(&o);
	ssp_vars_free(&v);
}

/* A known() callback that records what it was asked. */
typedef struct {
	char seen[8][SSP_VAR_NAME_MAX + 1];
	int n;
	const char *refuse;
} scan_ctx_t;

static int known(const char *name, void *ctx)
{
	scan_ctx_t *s = ctx;

	if (s->n < 8)
		snprintf(s->seen[s->n], sizeof(s->seen[0]), "%s", name);
	s->n++;
	return s->refuse == NULL || strcmp(name, s->refuse) != 0;
}

static int scan(const char *in, const char *refuse, scan_ctx_t *s, ssp_vars_err_t *err)
{
	size_t n = strlen(in);
	char *b = tests_dup_end(in, n);
	int rc;

	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	s->refuse = refuse;
	rc = ssp_vars_scan(b, n, known, s, err);
	free(b);
	return rc;
}

static void test_scan(void)
{
	scan_ctx_t s;
	ssp_vars_err_t err;

	CU_ASSERT_EQUAL(scan("MAIL FROM:<${sender}> SIZE=${size_limit+1} $${x} ${a-3}", NULL, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 3);
	CU_ASSERT_STRING_EQUAL(s.seen[0], "sender");
	CU_ASSERT_STRING_EQUAL(s.seen[1], "size_limit");
	CU_ASSERT_STRING_EQUAL(s.seen[2], "a");

	CU_ASSERT_EQUAL(scan("no refs $x $$ {y}", NULL, &s, &err), 0);
	CU_ASSERT_EQUAL(s.n, 0);

	CU_ASSERT_EQUAL(scan("${ok} ${nope}", "nope", &s, &err), -1);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(err.offset, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "unknown variable ${nope}"));

	/* malformed references are errors before known() is asked */
	CU_ASSERT_EQUAL(scan("abc ${unterminated", NULL, &s, &err), -1);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_EQUAL(err.offset, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "unterminated"));
	CU_ASSERT_EQUAL(scan("${Bad}", NULL, &s, &err), -1);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "bad variable name"));
	CU_ASSERT_EQUAL(scan("x${n+}", NULL, &s, &err), -1);
	CU_ASSERT_EQUAL(err.offset, 1);
	CU_ASSERT_EQUAL(scan("${", NULL, &s, &err), -1);
	CU_ASSERT_EQUAL(err.offset, 0);

	/* a literal "$${" hides what follows from the scan, as from expansion */
	CU_ASSERT_EQUAL(scan("$${nope}", "nope", &s, &err), 0);
	CU_ASSERT_EQUAL(s.n, 0);
}

/* What the scan accepts, the expansion of a table with those names accepts too. */
static void test_scan_agrees_with_expand(void)
{
	static const char *const inputs[] = {
		"${a}", "$${a}", "$$${a}", "$$$${a}", "${a}$", "$${", "${a+1}${a-1}", "x$y${a}z",
	};
	ssp_vars_t v;
	size_t i;

	ssp_vars_init(&v, NULL);
	ssp_vars_set(&v, "a", "7", 1);
	for (i = 0; i < NCASES(inputs); i++) {
		scan_ctx_t s;
		ssp_vars_err_t err;
		char *out;
		int rs = scan(inputs[i], NULL, &s, &err);
		int re = expand(&v, inputs[i], &out, &err);
		CHECKF(rs == re, "\"%s\": scan %d, expand %d (\"%s\")", inputs[i], rs, re, out);
		free(out);
	}
	ssp_vars_free(&v);
}

void register_vars_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "set, get, names, value cap", test_set_get },
		{ "parent lookup", test_parent },
		{ "table full", test_full },
		{ "expand", test_expand },
		{ "expand: numeric overflow", test_expand_overflow },
		{ "expand: buffer cap", test_expand_cap },
		{ "scan with known()", test_scan },
		{ "scan agrees with expand", test_scan_agrees_with_expand },
		{ NULL, NULL },
	};

	tests_add_suite("vars", tests);
}
