/*
 * test_sender.c - the chunked generator (sender.h) against the reference,
 * ssp_payload_build over the whole expanded step (payload.h): byte for
 * byte the same for every step of every vector of the catalogue, for edge
 * cases at chunk, feed and window boundaries, and for random templates;
 * the same QUIT detection, the same errors, the same variable scan.  And
 * compact templates: a million empty repeats cost nothing.
 */
#include "tests.h"

#include "../catalogue.h"
#include "../diag.h"
#include "../escape.h"
#include "../limits.h"
#include "../payload.h"
#include "../profile.h"
#include "../sender.h"
#include "../tpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* materialize - the step's bytes before variables, whole (the reference's input). */
static int materialize(const ssp_step_t *st, ssp_buf_t *out)
{
	ssp_tpl_cur_t c;
	char tmp[8192];
	size_t k;

	ssp_buf_init(out, SSP_SEND_BYTES_MAX);
	if (st->tpl == NULL)
		return st->payload_len ? ssp_buf_append(out, st->payload, st->payload_len) : 0;
	ssp_tpl_cur_init(&c, st->tpl);
	while ((k = ssp_tpl_read(&c, tmp, sizeof(tmp))) > 0) {
		if (ssp_buf_append(out, tmp, k) != 0)
			return -1;
	}
	return out->len == st->tpl->size ? 0 : -1;
}

/* ok_name - a scan callback that knows every name. */
static int ok_name(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return 1;
}

/*
 * same - step st through the sender and through the reference: 0 if both
 * fail, or both give the same bytes, QUIT and head; else -1 (described in
 * why).  *chunks counts the sender's chunks.
 */
static int same(const ssp_vars_t *vars, const ssp_step_t *st, char *why, size_t size, size_t *chunks)
{
	ssp_step_t flat = *st;
	ssp_buf_t raw, ref, got;
	ssp_vars_err_t err, serr;
	ssp_sender_t snd;
	int rc_ref, rc_got = 0, rc = 0, scan_ref, scan_got;

	*chunks = 0;
	if (materialize(st, &raw) != 0) {
		snprintf(why, size, "template does not read back");
		ssp_buf_free(&raw);
		return -1;
	}
	flat.tpl = NULL;
	flat.payload = raw.data ? raw.data : (char *)"";
	flat.payload_len = raw.len;
	ssp_buf_init(&ref, SSP_SEND_BYTES_MAX + 8);
	ssp_buf_init(&got, SSP_SEND_BYTES_MAX + 8);
	rc_ref = ssp_payload_build(vars, &flat, &ref, &err);
	ssp_sender_init(&snd);
	ssp_sender_start(&snd, vars, st);
	for (;;) {
		if (ssp_sender_next(&snd) != 0) {
			rc_got = -1;
			break;
		}
		if (snd.ready == 0)
			break;
		(*chunks)++;
		/* a chunk ends a line whenever one ends in it */
		if (!snd.done && snd.ready < snd.chunk.len && memchr(snd.chunk.data + snd.ready, '\n', snd.chunk.len - snd.ready) != NULL) {
			rc_got = -3;
			break;
		}
		if (snd.chunk.len > SSP_WRITE_BUFFER_MAX || ssp_buf_append(&got, snd.chunk.data, snd.ready) != 0) {
			rc_got = -2;
			break;
		}
	}
	scan_ref = ssp_vars_scan(flat.payload, flat.payload_len, ok_name, NULL, &serr);
	scan_got = ssp_sender_scan(st->tpl, st->payload, st->payload_len, ok_name, NULL, &serr);
	if (scan_ref != scan_got) {
		snprintf(why, size, "scan: reference %d, sender %d", scan_ref, scan_got);
		rc = -1;
	} else if ((rc_ref != 0) != (rc_got != 0)) {
		snprintf(why, size, "reference %d (%s), sender %d (%s)", rc_ref, rc_ref ? err.text : "",
			 rc_got, rc_got ? snd.err.text : "");
		rc = -1;
	} else if (rc_ref == 0 && (ref.len != got.len || (ref.len > 0 && memcmp(ref.data, got.data, ref.len) != 0))) {
		size_t i = 0;
		while (i < ref.len && i < got.len && ref.data[i] == got.data[i])
			i++;
		snprintf(why, size, "bytes differ at %zu (reference %zu bytes, sender %zu)", i, ref.len, got.len);
		rc = -1;
	} else if (rc_ref == 0 && snd.quit != ssp_payload_sends_quit(ref.data ? ref.data : "", ref.len)) {
		snprintf(why, size, "QUIT: sender %d", snd.quit);
		rc = -1;
	} else if (rc_ref == 0 && (snd.head.len != (ref.len < SSP_SENT_HEAD_MAX ? ref.len : SSP_SENT_HEAD_MAX) ||
				   (snd.head.len && memcmp(snd.head.data, ref.data, snd.head.len) != 0))) {
		snprintf(why, size, "head differs");
		rc = -1;
	}
	ssp_sender_free(&snd);
	ssp_buf_free(&raw);
	ssp_buf_free(&ref);
	ssp_buf_free(&got);
	return rc;
}

/* set_test_vars - the variables every case runs with. */
static void set_test_vars(ssp_vars_t *v)
{
	static char big[SSP_VAR_VALUE_MAX + 1];

	memset(big, '.', SSP_VAR_VALUE_MAX);
	ssp_vars_init(v, NULL);
	ssp_vars_set(v, "v", "val", 3);
	ssp_vars_set(v, "n", "41", 2);
	ssp_vars_set(v, "dots", "\r\n.\r\n.", 6);
	ssp_vars_set(v, "big", big, SSP_VAR_VALUE_MAX);
}

/* compile_step - a step of kind send from escape source src. */
static int compile_step(ssp_step_t *st, ssp_send_kind_t send, int stuff, const char *src, size_t n)
{
	ssp_escape_err_t err;

	memset(st, 0, sizeof(*st));
	st->send = send;
	st->dot_stuff = stuff;
	st->tpl = calloc(1, sizeof(*st->tpl));
	if (st->tpl == NULL)
		return -1;
	ssp_tpl_init(st->tpl);
	if (ssp_escape_compile(src, n, SSP_SEND_BYTES_MAX, st->tpl, &err) != 0) {
		free(st->tpl);
		st->tpl = NULL;
		return -1;
	}
	return 0;
}

/* free_step - what compile_step made. */
static void free_step(ssp_step_t *st)
{
	if (st->tpl)
		ssp_tpl_free(st->tpl);
	free(st->tpl);
	st->tpl = NULL;
}

/* check_src - src as raw, as stuffed data and as plain data: each the same. */
static void check_src(const ssp_vars_t *vars, const char *src)
{
	static const struct {
		ssp_send_kind_t send;
		int stuff;
	} kinds[] = { { SSP_SEND_RAW, 0 }, { SSP_SEND_DATA, 1 }, { SSP_SEND_DATA, 0 } };
	size_t k, chunks;
	char why[400];

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		ssp_step_t st;

		if (compile_step(&st, kinds[k].send, kinds[k].stuff, src, strlen(src)) != 0)
			continue; /* refused at load: nothing to send */
		CHECKF(same(vars, &st, why, sizeof(why), &chunks) == 0, "\"%.120s\" (kind %zu): %s", src, k, why);
		free_step(&st);
	}
}

/* Every step of every vector of the catalogue, with a fixed set of values. */
static void test_catalogue_identical(void)
{
	ssp_catalogue_t c;
	ssp_profile_t p;
	ssp_diag_t diag;
	ssp_vars_t vars, caps;
	size_t i, steps = 0, chunks, bytes_checked = 0;
	unsigned j, e;
	char why[400];

	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_catalogue_init(&c);
	CHECKF(ssp_catalogue_load_dir(&c, "vectors", &p, &diag) == 0, "%s:%d: %s", diag.file, diag.line, diag.text);
	CU_ASSERT_FATAL(c.n > 100);
	ssp_vars_init(&vars, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, "example.test", "127.0.0.1", &vars), 0);
	for (i = 0; i < c.n; i++) {
		ssp_vars_init(&caps, &vars);
		for (j = 0; j < c.v[i].nsteps; j++) {
			for (e = 0; e < c.v[i].steps[j].nexpect; e++) {
				if (c.v[i].steps[j].expect[e].capture_var)
					ssp_vars_set(&caps, c.v[i].steps[j].expect[e].capture_var, "42", 2);
			}
		}
		for (j = 0; j < c.v[i].nsteps; j++) {
			const ssp_step_t *st = &c.v[i].steps[j];
			if (st->send == SSP_SEND_NONE)
				continue;
			CHECKF(same(&caps, st, why, sizeof(why), &chunks) == 0, "%s step %u: %s", c.v[i].id, j + 1, why);
			steps++;
			bytes_checked += st->tpl ? (size_t)st->tpl->size : st->payload_len;
		}
		ssp_vars_free(&caps);
	}
	CU_ASSERT(steps > 300);
	CU_ASSERT(bytes_checked > 1000000); /* the large vectors were among them */
	ssp_vars_free(&vars);
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
}

/* Dots, CRLF and references placed at every offset around the chunk, feed and window boundaries. */
static void test_boundaries(void)
{
	static const char *const tails[] = {
		"%CRLF%.x%CRLF%", "%CR%%LF%..%CRLF%", ".", "%CRLF%", "%CR%", "${v}.%CRLF%.", "${dots}${dots}",
		"$${v}", "$", "$$", "${n+1}", "%CRLF%QUIT%CRLF%", "QUIT", "%repeat[3 x %CRLF%.]%", "${big}.${big}",
	};
	static const size_t bases[] = { 0, 1, 14, 95, 4094, SSP_WRITE_CHUNK - 8, 2 * SSP_WRITE_CHUNK - 8 };
	ssp_vars_t vars;
	size_t b, d, t;
	char src[256];

	set_test_vars(&vars);
	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		for (d = 0; d < 10; d++) {
			for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
				snprintf(src, sizeof(src), "%%repeat[%zu x a]%%%s%%CRLF%%%%repeat[%zu x b%%CRLF%%]%%%s", bases[b] + d,
					 tails[t], d, tails[(t + d) % (sizeof(tails) / sizeof(tails[0]))]);
				check_src(&vars, src);
			}
		}
	}
	/* nested repeats, and references across repeats and macros */
	check_src(&vars, "%repeat[3 x x%repeat[40000 x .%CRLF%]%${v}]%");
	check_src(&vars, "%repeat[2 x %repeat[3 x %repeat[4 x %repeat[5 x ab]%.]%%CRLF%]%]%");
	check_src(&vars, "$%repeat[2 x {v}]%");
	check_src(&vars, "${%repeat[1 x v]%}");
	check_src(&vars, "%repeat[2 x $]%{v}");
	check_src(&vars, "%repeat[70000 x ${big}]%");
	check_src(&vars, "%repeat[5000 x ${dots}]%");
	check_src(&vars, "%repeat[1000 x $]%");
	check_src(&vars, "%repeat[1000 x ${]%");
	check_src(&vars, "${%repeat[70 x a]%}");
	check_src(&vars, "%x24%{v}%x2e%");
	ssp_vars_free(&vars);
}

/* Random templates from an alphabet that provokes every stage; seed fixed. */
static void test_random_templates(void)
{
	static const char *const atoms[] = {
		"a", ".", "%CR%", "%LF%", "%CRLF%", "$", "{", "}", "${v}", "${n+1}", "${n-50}", "$${", "Q", "QUIT",
		"quit ", "%CRLF%.%CRLF%", "${nope}", "${dots}", "v",
	};
	ssp_vars_t vars;
	unsigned seed = 14, i, k;

	set_test_vars(&vars);
	for (i = 0; i < 1500; i++) {
		char src[512];
		size_t len = 0;
		unsigned natoms = 1 + rand_r(&seed) % 12, open = 0;

		for (k = 0; k < natoms && len + 64 < sizeof(src); k++) {
			unsigned r = (unsigned)rand_r(&seed) % 24;
			if (r < sizeof(atoms) / sizeof(atoms[0]))
				len += (size_t)snprintf(src + len, sizeof(src) - len, "%s", atoms[r]);
			else if (r < 22 && open < 3) {
				unsigned counts[] = { 0, 1, 2, 3, 7, 100, 3000 };
				len += (size_t)snprintf(src + len, sizeof(src) - len, "%%repeat[%u x ",
							counts[rand_r(&seed) % 7]);
				open++;
			} else if (open > 0) {
				len += (size_t)snprintf(src + len, sizeof(src) - len, "]%%");
				open--;
			}
		}
		while (open-- > 0 && len + 3 < sizeof(src))
			len += (size_t)snprintf(src + len, sizeof(src) - len, "]%%");
		check_src(&vars, src);
	}
	ssp_vars_free(&vars);
}

/* Compact at load: empty repeats vanish, sizes are computed, not expanded. */
static void test_compact(void)
{
	size_t reps = 50000, i, n = 0;
	const char one[] = "%repeat[1000000 x ]%";
	char *src = malloc(reps * (sizeof(one) - 1) + 64);
	ssp_tpl_t t;
	ssp_escape_err_t err;
	struct timespec a, b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	for (i = 0; i < reps; i++) {
		memcpy(src + n, one, sizeof(one) - 1);
		n += sizeof(one) - 1;
	}
	memcpy(src + n, "%repeat[1000000 x ab]%%repeat[4 x %repeat[1000000 x c]%]%", 57);
	n += 57;
	ssp_tpl_init(&t);
	clock_gettime(CLOCK_MONOTONIC, &a);
	CU_ASSERT_EQUAL(ssp_escape_compile(src, n, SSP_SEND_BYTES_MAX, &t, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	CU_ASSERT_EQUAL(t.size, 6000000);
	CU_ASSERT(ssp_tpl_nops(&t) == 5);   /* the 50,000 empty repeats left nothing */
	CU_ASSERT(t.pool.len == 3);
	/* literals around an empty repeat are one literal: plain bytes */
	CU_ASSERT_EQUAL(ssp_escape_compile("NOOP%repeat[5 x %repeat[0 x a]%]%%repeat[0 x b%CRLF%]%%CRLF%", 60,
					   SSP_SEND_BYTES_MAX, &t, &err), 0);
	CU_ASSERT(ssp_tpl_is_literal(&t));
	CU_ASSERT(t.pool.len == 6 && memcmp(t.pool.data, "NOOP\r\n", 6) == 0);
	/* a repeat's last literal does not take the literal after it */
	CU_ASSERT_EQUAL(ssp_escape_compile("%repeat[2 x a]%%repeat[0 x b]%c", 31, SSP_SEND_BYTES_MAX, &t, &err), 0);
	CU_ASSERT_EQUAL(ssp_tpl_nops(&t), 3);
	CU_ASSERT_EQUAL(t.size, 3);
	CHECKF((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 500, "compile took %ld ms",
	       (long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000));
	/* past the per-step cap: refused with its size, not expanded */
	CU_ASSERT_EQUAL(ssp_escape_compile("%repeat[1000000 x %repeat[1000000 x abc]%]%", 43, SSP_SEND_BYTES_MAX, &t, &err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.text, "expands past"));
	CU_ASSERT_EQUAL(ssp_escape_compile("%repeat[17 x %repeat[1000000 x a]%]%", 36, SSP_SEND_BYTES_MAX, &t, &err), -1);
	CU_ASSERT_EQUAL(ssp_escape_compile("%repeat[16 x %repeat[1048576 x a]%]%", 36, SSP_SEND_BYTES_MAX, &t, &err), -1);
	ssp_tpl_free(&t);
	free(src);
}

/* A variable expanding past the per-step cap is an error, never a cut payload. */
static void test_expansion_cap(void)
{
	ssp_vars_t vars;
	ssp_step_t st;
	ssp_sender_t snd;
	int rc = 0;
	size_t total = 0;

	set_test_vars(&vars);
	CU_ASSERT_EQUAL_FATAL(compile_step(&st, SSP_SEND_RAW, 0, "%repeat[5000 x ${big}]%", 23), 0);
	ssp_sender_init(&snd);
	ssp_sender_start(&snd, &vars, &st);
	while ((rc = ssp_sender_next(&snd)) == 0 && snd.ready > 0)
		total += snd.ready;
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT(total <= SSP_SEND_BYTES_MAX);
	CU_ASSERT_PTR_NOT_NULL(strstr(snd.err.text, "bytes to send"));
	ssp_sender_free(&snd);
	free_step(&st);
	ssp_vars_free(&vars);
}

void register_sender_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "every catalogue step: chunks identical to the whole build", test_catalogue_identical },
		{ "dots, CRLF, references at chunk, feed and window boundaries", test_boundaries },
		{ "1,500 random templates: identical bytes, errors, QUIT, scan", test_random_templates },
		{ "compact templates: empty repeats vanish, sizes computed", test_compact },
		{ "a variable expanding past the cap is an error", test_expansion_cap },
		{ NULL, NULL },
	};

	tests_add_suite("sender", tests);
}
