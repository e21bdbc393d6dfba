/*
 * test_loader.c - the input loaders: vectors (catalogue.h), target profiles
 * (profile.h) and suites and selection (suite.h).
 *
 * Golden files: bad-vectors/<case>.json and bad-profiles/<case>.json must be
 * refused with the diagnostic of <case>.err, one line
 *   LINE:COLUMN: substring of the message
 * ("0:0: ..." for errors about the whole file).  good-vectors/ and
 * good-profiles/ must load, and every field is read back.
 */
#include "tests.h"

#include "../buf.h"
#include "../catalogue.h"
#include "../diag.h"
#include "../limits.h"
#include "../profile.h"
#include "../suite.h"
#include "../tpl.h"
#include "../vars.h"
#include "../vector.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- golden bad files ---- */

typedef int (*load_fn)(const char *path, ssp_diag_t *diag, size_t *nloaded);

/* load_vector_file - load path into a fresh catalogue with the default profile. */
static int load_vector_file(const char *path, ssp_diag_t *diag, size_t *nloaded)
{
	ssp_profile_t p;
	ssp_catalogue_t c;
	ssp_diag_t pd;
	int rc;

	ssp_diag_init(&pd);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &pd), 0);
	ssp_catalogue_init(&c);
	rc = ssp_catalogue_load_file(&c, path, &p, diag);
	*nloaded = c.n;
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
	return rc;
}

static int load_profile_file(const char *path, ssp_diag_t *diag, size_t *nloaded)
{
	ssp_profile_t p;
	int rc = ssp_profile_load(&p, path, diag);

	*nloaded = p.values.n;
	ssp_profile_free(&p);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* run_golden - every <case>.json of dir is refused as <case>.err says; the case count. */
static size_t run_golden(const char *sub, load_fn load)
{
	char dir[1024], *names[512];
	size_t n = 0, i;
	DIR *d;
	struct dirent *de;

	tests_path(dir, sizeof(dir), sub);
	d = opendir(dir);
	CHECKF(d != NULL, "cannot open %s", dir);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < 512) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);

	for (i = 0; i < n; i++) {
		char json[1200], err[1200], want[600];
		char *expect;
		int line = -1, col = -1, off = 0, rc;
		size_t nloaded = 0;
		ssp_diag_t diag;

		snprintf(json, sizeof(json), "%s/%s", dir, names[i]);
		snprintf(err, sizeof(err), "%s/%.*s.err", dir, (int)(strlen(names[i]) - 5), names[i]);
		expect = tests_read(err, NULL);
		CHECKF(expect != NULL, "%s: missing %s", names[i], err);
		if (expect == NULL)
			continue;
		expect[strcspn(expect, "\n")] = '\0';
		if (sscanf(expect, "%d:%d: %n", &line, &col, &off) < 2 || off == 0) {
			tests_fail(__LINE__, __FILE__, "%s: bad expectation \"%s\" (LINE:COLUMN: text)", err, expect);
			free(expect);
			continue;
		}
		snprintf(want, sizeof(want), "%s", expect + off);
		free(expect);

		ssp_diag_init(&diag);
		rc = load(json, &diag, &nloaded);
		if (rc != -1) {
			tests_fail(__LINE__, __FILE__, "%s: loaded (%zu items), expected %d:%d: %s",
				   names[i], nloaded, line, col, want);
			free(names[i]);
			continue;
		}
		CHECKF(diag.set == 1, "%s: no diagnostic", names[i]);
		CHECKF(strcmp(diag.file, json) == 0, "%s: diagnostic names \"%s\"", names[i], diag.file);
		CHECKF(diag.line == line && diag.column == col,
		       "%s: at %d:%d, expected %d:%d (%s)", names[i], diag.line, diag.column, line,
		       col, diag.text);
		CHECKF(strstr(diag.text, want) != NULL, "%s: message \"%s\" lacks \"%s\"", names[i],
		       diag.text, want);
		free(names[i]);
	}
	return n;
}

static void test_bad_vectors(void)
{
	size_t n = run_golden("bad-vectors", load_vector_file);

	CHECKF(n >= 30, "only %zu bad vector cases", n);
}

static void test_bad_profiles(void)
{
	size_t n = run_golden("bad-profiles", load_profile_file);

	CHECKF(n >= 10, "only %zu bad profile cases", n);
}

/* ---- whole-file errors ---- */

static void test_bad_files(void)
{
	char *dir = tests_mkdtemp(), path[600], *big, sub[600];
	ssp_diag_t diag;
	size_t n = 0, pad;
	static const char head[] =
		"{ \"id\": \"rfc5321/4.1.1.9/noop-ok\", \"title\": \"t\", \"rfc\": 5321, "
		"\"section\": \"4.1.1.9\", \"level\": \"MUST\", \"quote\": \"q\", "
		"\"steps\": [{ \"send\": \"NOOP\", \"expect\": 250 }]";

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	/* a file that does not exist */
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(load_vector_file(path, &diag, &n), -1);
	CU_ASSERT_STRING_EQUAL(diag.file, path);
	CU_ASSERT_EQUAL(diag.line, 0);
	CU_ASSERT_EQUAL(diag.column, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "cannot open"));

	/* a directory named like a vector file */
	snprintf(sub, sizeof(sub), "%s/dir.json", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(load_vector_file(sub, &diag, &n), -1);
	CU_ASSERT_STRING_EQUAL(diag.file, sub);
	CU_ASSERT_EQUAL(diag.line, 0);
	CU_ASSERT_EQUAL(diag.column, 0);
	CHECKF(diag.text[0] != '\0', "directory: empty message");

	/* exactly SSP_FILE_BYTES_MAX bytes (a valid vector padded with spaces) loads */
	big = malloc(SSP_FILE_BYTES_MAX + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	pad = SSP_FILE_BYTES_MAX - (sizeof(head) - 1) - 2;
	memcpy(big, head, sizeof(head) - 1);
	memset(big + sizeof(head) - 1, ' ', pad);
	memcpy(big + sizeof(head) - 1 + pad, "}\n", 2);
	CU_ASSERT_EQUAL_FATAL(tests_write(dir, "max.json", big, SSP_FILE_BYTES_MAX), 0);
	snprintf(path, sizeof(path), "%s/max.json", dir);
	ssp_diag_init(&diag);
	CHECKF(load_vector_file(path, &diag, &n) == 0 && n == 1, "file of the size cap: %s", diag.text);

	/* one byte more is refused as a whole */
	memcpy(big + SSP_FILE_BYTES_MAX - 2, " }\n", 3);
	CU_ASSERT_EQUAL_FATAL(tests_write(dir, "big.json", big, SSP_FILE_BYTES_MAX + 1), 0);
	snprintf(path, sizeof(path), "%s/big.json", dir);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(load_vector_file(path, &diag, &n), -1);
	CU_ASSERT_STRING_EQUAL(diag.file, path);
	CU_ASSERT_EQUAL(diag.line, 0);
	CU_ASSERT_EQUAL(diag.column, 0);
	{
		char want[64];
		snprintf(want, sizeof(want), "file larger than %d bytes", SSP_FILE_BYTES_MAX);
		CHECKF(strstr(diag.text, want) != NULL, "oversized file: \"%s\"", diag.text);
	}
	free(big);

	/* the same caps apply to profiles */
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(load_profile_file(path, &diag, &n), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "file larger than"));
	snprintf(path, sizeof(path), "%s/missing-profile.json", dir);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(load_profile_file(path, &diag, &n), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "cannot open"));
	CU_ASSERT_EQUAL(diag.line, 0);

	tests_rmtree(dir);
	free(dir);
}

/* ---- good vectors ---- */

/* load_good - load good-vectors/<name> with profile (NULL: defaults) into c: rc. */
static int load_good(ssp_catalogue_t *c, const char *name, const char *profile,
		     ssp_diag_t *diag, char *path, size_t size)
{
	ssp_profile_t p;
	char rel[256], ppath[1024];
	int rc;

	snprintf(rel, sizeof(rel), "good-vectors/%s", name);
	tests_path(path, size, rel);
	if (profile)
		tests_path(ppath, sizeof(ppath), profile);
	ssp_diag_init(diag);
	if (ssp_profile_load(&p, profile ? ppath : NULL, diag) != 0) {
		ssp_profile_free(&p);
		return -1;
	}
	ssp_catalogue_init(c);
	rc = ssp_catalogue_load_file(c, path, &p, diag);
	ssp_profile_free(&p);
	return rc;
}

/* payload_is - 1 if step s sends lit[0..n) before variables: its bytes, or
 * its template (repeats) read whole. */
static int payload_is(const ssp_step_t *s, const char *lit, size_t n)
{
	char got[256];
	ssp_tpl_cur_t c;
	size_t k;

	if (s->tpl == NULL)
		return s->payload_len == n && s->payload != NULL && memcmp(s->payload, lit, n) == 0;
	ssp_tpl_cur_init(&c, s->tpl);
	k = ssp_tpl_read(&c, got, sizeof(got));
	return s->tpl->size == n && k == n && memcmp(got, lit, n) == 0;
}
#define PAYLOAD_IS(s, lit) payload_is((s), lit, sizeof(lit) - 1)

static void test_every_feature(void)
{
	ssp_catalogue_t c;
	ssp_diag_t diag;
	char path[1024];
	const ssp_vector_t *v;
	const ssp_step_t *s;
	const ssp_expect_t *e;

	CHECKF(load_good(&c, "every-feature.json", NULL, &diag, path, sizeof(path)) == 0,
	       "every-feature.json: %s:%d:%d: %s", diag.file, diag.line, diag.column, diag.text);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	v = &c.v[0];
	CU_ASSERT_STRING_EQUAL(v->id, "rfc5321/4.5.3.1.4/every-feature");
	CU_ASSERT_STRING_EQUAL(v->title, "A vector that uses every feature of the format");
	CU_ASSERT_EQUAL(v->rfc, 5321);
	CU_ASSERT_STRING_EQUAL(v->section, "4.5.3.1.4");
	CU_ASSERT_EQUAL(v->level, SSP_LEVEL_SHOULD);
	CU_ASSERT_EQUAL(v->category, SSP_CATEGORY_SECURITY);
	CU_ASSERT_EQUAL(v->exposure, SSP_EXPOSURE_NETWORK);
	CU_ASSERT_PTR_NOT_NULL(strstr(v->quote, "is 512 octets."));
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->description);
	CU_ASSERT_PTR_NOT_NULL(strstr(v->description, "every field back"));
	CU_ASSERT_EQUAL_FATAL(v->nrequires, 3);
	CU_ASSERT_STRING_EQUAL(v->requires[0], "SIZE");
	CU_ASSERT_STRING_EQUAL(v->requires[1], "PIPELINING");
	CU_ASSERT_STRING_EQUAL(v->requires[2], "8BITMIME");
	CU_ASSERT_EQUAL(v->prelude, SSP_PRELUDE_NONE);
	CU_ASSERT_STRING_EQUAL(v->file, path);
	CU_ASSERT_EQUAL(v->line, 1);
	CU_ASSERT_EQUAL_FATAL(v->nsteps, 8);

	/* 0: the greeting, captured, setup */
	s = &v->steps[0];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_NONE);
	CU_ASSERT_EQUAL(s->payload_len, 0);
	CU_ASSERT_EQUAL(s->setup, 1);
	CU_ASSERT_EQUAL(s->repeat, 1);
	CU_ASSERT_EQUAL(s->pause_ms, 0);
	CU_ASSERT_EQUAL(s->line, 13);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 1);
	e = &s->expect[0];
	CU_ASSERT_EQUAL(e->kind, SSP_EXPECT_REPLY);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 220), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 221), 0);
	CU_ASSERT_EQUAL(e->any_code, 0);
	CU_ASSERT_EQUAL(e->enhanced, 0);
	CU_ASSERT_PTR_NULL(e->text_src);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e->capture_var);
	CU_ASSERT_STRING_EQUAL(e->capture_var, "greeting_host");
	CU_ASSERT_STRING_EQUAL(e->capture_src, "^([^ ]+)");
	CU_ASSERT_EQUAL(ssp_pattern_match(e->capture_re, "mx.example.org ESMTP", 20, NULL, NULL, NULL), SSP_PATTERN_MATCH);

	/* 1: send with a variable, pattern, text and capture */
	s = &v->steps[1];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_LINE);
	CU_ASSERT(PAYLOAD_IS(s, "EHLO ${client}\r\n"));
	CU_ASSERT_EQUAL(s->ncommands, 1);
	CU_ASSERT_EQUAL(s->setup, 0);
	CU_ASSERT_EQUAL(s->line, 14);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 1);
	e = &s->expect[0];
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 250), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 259), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 260), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e->text_src);
	CU_ASSERT_STRING_EQUAL(e->text_src, "^PIPELINING$");
	/* case-insensitive PCRE2 */
	CU_ASSERT_EQUAL(ssp_pattern_match(e->text_re, "pipelining", 10, NULL, NULL, NULL), SSP_PATTERN_MATCH);
	CU_ASSERT_EQUAL(ssp_pattern_match(e->text_re, "PIPELINING x", 12, NULL, NULL, NULL), SSP_PATTERN_NOMATCH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e->not_text_src);
	CU_ASSERT_STRING_EQUAL(e->not_text_src, "^X-");
	CU_ASSERT_EQUAL(ssp_pattern_match(e->not_text_re, "x-custom", 8, NULL, NULL, NULL), SSP_PATTERN_MATCH);
	CU_ASSERT_EQUAL(e->max_lines, 50);
	CU_ASSERT_STRING_EQUAL(e->capture_var, "size_limit");

	/* 2: pipeline of three commands, three expectations */
	s = &v->steps[2];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_PIPELINE);
	CU_ASSERT(PAYLOAD_IS(s, "MAIL FROM:<${sender}>\r\nRCPT TO:<${mailbox}>\r\nDATA\r\n"));
	CU_ASSERT_EQUAL(s->ncommands, 3);
	CU_ASSERT_EQUAL(s->line, 15);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 3);
	CU_ASSERT_EQUAL(s->expect[0].pass.n, 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&s->expect[0].pass, 250), 1);
	e = &s->expect[1];
	CU_ASSERT_EQUAL(e->pass.n, 2);
	CU_ASSERT(ssp_codes_has(&e->pass, 250) && ssp_codes_has(&e->pass, 251));
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 252), 0);
	CU_ASSERT_EQUAL(e->warn.n, 2);
	CU_ASSERT(ssp_codes_has(&e->warn, 252) && ssp_codes_has(&e->warn, 553));
	CU_ASSERT_EQUAL(ssp_codes_has(&e->warn, 560), 0);
	CU_ASSERT_EQUAL(e->skip.n, 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->skip, 502), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&s->expect[2].pass, 354), 1);

	/* 3: data, macros decoded at load time, variables kept for run time */
	s = &v->steps[3];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_DATA);
	CU_ASSERT(PAYLOAD_IS(s, "Subject: x\r\n\r\n.dot ${size_limit+1} $${literal}\0"));
	CU_ASSERT_EQUAL(s->dot_stuff, 0);
	CU_ASSERT_EQUAL(s->line, 17);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 1);
	e = &s->expect[0];
	CU_ASSERT_EQUAL(e->enhanced, 1);
	CU_ASSERT_EQUAL(e->enh_class, 2);
	CU_ASSERT_EQUAL(e->enh_subject, -1);
	CU_ASSERT_EQUAL(e->enh_detail, 0);

	/* 4: raw bytes with a repeat, step repeat and pause */
	s = &v->steps[4];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_RAW);
	CU_ASSERT(PAYLOAD_IS(s, "NOOP   \r\n"));
	CU_ASSERT_EQUAL(s->repeat, 3);
	CU_ASSERT_EQUAL(s->pause_ms, 10);
	CU_ASSERT_EQUAL(s->line, 19);
	e = &s->expect[0];
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 200), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 299), 1);
	CU_ASSERT_EQUAL(ssp_codes_has(&e->pass, 300), 0);
	CU_ASSERT_EQUAL(e->enhanced, 1);
	CU_ASSERT(e->enh_class == -1 && e->enh_subject == -1 && e->enh_detail == -1);
	CU_ASSERT_EQUAL(e->timeout_ms, 500);

	/* 5: data with the default dot stuffing; "any" code with a capture */
	s = &v->steps[5];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_DATA);
	CU_ASSERT(PAYLOAD_IS(s, ".leading dot"));
	CU_ASSERT_EQUAL(s->dot_stuff, 1);
	CU_ASSERT_EQUAL(s->line, 21);
	e = &s->expect[0];
	CU_ASSERT_EQUAL(e->any_code, 1);
	CU_ASSERT_EQUAL(e->pass.n, 0);
	CU_ASSERT_STRING_EQUAL(e->capture_var, "queue_id");

	/* 6: a reply, then the close */
	s = &v->steps[6];
	CU_ASSERT(PAYLOAD_IS(s, "QUIT ${greeting_host} ${queue_id}\r\n"));
	CU_ASSERT_EQUAL(s->line, 22);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 2);
	CU_ASSERT_EQUAL(s->expect[0].kind, SSP_EXPECT_REPLY);
	CU_ASSERT_EQUAL(ssp_codes_has(&s->expect[0].pass, 221), 1);
	CU_ASSERT_EQUAL(s->expect[1].kind, SSP_EXPECT_CLOSE);
	CU_ASSERT_EQUAL(s->expect[1].timeout_ms, 2000);

	/* 7: silence */
	s = &v->steps[7];
	CU_ASSERT_EQUAL(s->send, SSP_SEND_NONE);
	CU_ASSERT_EQUAL(s->line, 23);
	CU_ASSERT_EQUAL_FATAL(s->nexpect, 1);
	CU_ASSERT_EQUAL(s->expect[0].kind, SSP_EXPECT_SILENCE);
	CU_ASSERT_EQUAL(s->expect[0].silence_ms, 100);
	CU_ASSERT_EQUAL(s->expect[0].timeout_ms, 0);

	ssp_catalogue_free(&c);
	CU_ASSERT_EQUAL(c.n, 0);
	CU_ASSERT_PTR_NULL(c.v);
}

static void test_array_file(void)
{
	ssp_catalogue_t c;
	ssp_diag_t diag;
	char path[1024];

	CHECKF(load_good(&c, "pair.json", NULL, &diag, path, sizeof(path)) == 0,
	       "pair.json: %d:%d: %s", diag.line, diag.column, diag.text);
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	CU_ASSERT_STRING_EQUAL(c.v[0].id, "rfc5321/4.1.1.9/noop-ok");
	CU_ASSERT_EQUAL(c.v[0].line, 2);
	CU_ASSERT_EQUAL(c.v[0].level, SSP_LEVEL_MUST);
	CU_ASSERT_EQUAL(c.v[0].prelude, SSP_PRELUDE_EHLO);   /* the default */
	CU_ASSERT_EQUAL(c.v[0].category, SSP_CATEGORY_CONFORMANCE); /* the default */
	CU_ASSERT_EQUAL(c.v[0].exposure, SSP_EXPOSURE_ANY); /* the default */
	CU_ASSERT_EQUAL(c.v[0].nrequires, 0);
	CU_ASSERT_PTR_NULL(c.v[0].description);
	CU_ASSERT_EQUAL_FATAL(c.v[0].nsteps, 1);
	CU_ASSERT_EQUAL(c.v[0].steps[0].line, 9);
	CU_ASSERT_STRING_EQUAL(c.v[1].id, "rfc5321/4.1.1.10/quit-closes");
	CU_ASSERT_EQUAL(c.v[1].line, 11);
	CU_ASSERT_EQUAL(c.v[1].level, SSP_LEVEL_MAY);
	CU_ASSERT_EQUAL(c.v[1].prelude, SSP_PRELUDE_GREETING);
	CU_ASSERT_STRING_EQUAL(c.v[1].quote,
			       "The receiver MUST send a \"221 OK\" reply, and then close the transmission channel.");
	CU_ASSERT_EQUAL_FATAL(c.v[1].nsteps, 1);
	CU_ASSERT_EQUAL(c.v[1].steps[0].line, 19);
	CU_ASSERT_EQUAL(c.v[1].steps[0].nexpect, 2);
	CU_ASSERT_EQUAL(c.v[1].steps[0].expect[0].max_lines, 1);
	CU_ASSERT_PTR_NULL(c.v[1].steps[0].expect[0].not_text_src);
	CU_ASSERT_EQUAL(c.v[0].steps[0].expect[0].max_lines, 0);
	/* sorting orders by id; find uses the order */
	CU_ASSERT_EQUAL(ssp_catalogue_sort(&c, &diag), 0);
	CU_ASSERT_STRING_EQUAL(c.v[0].id, "rfc5321/4.1.1.10/quit-closes");
	CU_ASSERT_PTR_NOT_NULL(ssp_catalogue_find(&c, "rfc5321/4.1.1.9/noop-ok"));
	CU_ASSERT_PTR_NOT_NULL(ssp_catalogue_find(&c, "rfc5321/4.1.1.10/quit-closes"));
	CU_ASSERT_PTR_NULL(ssp_catalogue_find(&c, "rfc5321/4.1.1.9"));
	ssp_catalogue_free(&c);
	CU_ASSERT_PTR_NULL(ssp_catalogue_find(&c, "rfc5321/4.1.1.9/noop-ok"));
}

/* A failing vector in an array file leaves the ones before it loaded. */
static void test_array_partial(void)
{
	ssp_profile_t p;
	ssp_catalogue_t c;
	ssp_diag_t diag;
	char path[1024];

	tests_path(path, sizeof(path), "bad-vectors/array-second-bad.json");
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_catalogue_init(&c);
	CU_ASSERT_EQUAL(ssp_catalogue_load_file(&c, path, &p, &diag), -1);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_STRING_EQUAL(c.v[0].id, "rfc5321/4.1.1.9/noop-a");
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
}

/* A variable only a profile defines: refused without it, loaded with it. */
static void test_profile_variable(void)
{
	ssp_catalogue_t c;
	ssp_diag_t diag;
	char path[1024];

	CU_ASSERT_EQUAL(load_good(&c, "custom-var.json", NULL, &diag, path, sizeof(path)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "unknown variable ${list_address}"));
	CU_ASSERT_EQUAL(diag.line, 9);
	CU_ASSERT_EQUAL(c.n, 0);
	ssp_catalogue_free(&c);

	CHECKF(load_good(&c, "custom-var.json", "good-profiles/full.json", &diag, path, sizeof(path)) == 0,
	       "with a profile: %s:%d:%d: %s", diag.file, diag.line, diag.column, diag.text);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_EQUAL(c.v[0].prelude, SSP_PRELUDE_HELO);
	CU_ASSERT_EQUAL_FATAL(c.v[0].nsteps, 1);
	CU_ASSERT(PAYLOAD_IS(&c.v[0].steps[0], "RCPT TO:<${list_address}>\r\n"));
	CU_ASSERT_EQUAL(ssp_codes_has(&c.v[0].steps[0].expect[0].skip, 503), 1);
	ssp_catalogue_free(&c);
}

/* ---- directories ---- */

static const char vec_fmt[] =
	"{\n"
	"  \"id\": \"rfc5321/%s/%s\",\n"
	"  \"title\": \"t\", \"rfc\": 5321, \"section\": \"%s\", \"level\": \"MUST\",\n"
	"  \"quote\": \"q\", \"steps\": [{ \"send\": \"NOOP\", \"expect\": 250 }]\n"
	"}\n";

static int write_vector(const char *dir, const char *file, const char *section, const char *name)
{
	char text[1024];
	int n = snprintf(text, sizeof(text), vec_fmt, section, name, section);

	return tests_write(dir, file, text, (size_t)n);
}

static void test_load_dir(void)
{
	char *dir = tests_mkdtemp();
	ssp_profile_t p;
	ssp_catalogue_t c;
	ssp_diag_t diag;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(write_vector(dir, "b.json", "4.1.1.9", "zz"), 0);
	CU_ASSERT_EQUAL(write_vector(dir, "sub/a.json", "4.1.1.9", "aa"), 0);
	CU_ASSERT_EQUAL(write_vector(dir, "sub/c.json", "2.3", "mm"), 0);
	CU_ASSERT_EQUAL(tests_write(dir, "notes.txt", "not json", 8), 0);
	CU_ASSERT_EQUAL(tests_write(dir, ".hidden.json", "{", 1), 0);     /* hidden: skipped */
	CU_ASSERT_EQUAL(tests_write(dir, "sub/x.json.bak", "{", 1), 0);   /* not .json */
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_catalogue_init(&c);
	CHECKF(ssp_catalogue_load_dir(&c, dir, &p, &diag) == 0, "%s:%d:%d: %s", diag.file,
	       diag.line, diag.column, diag.text);
	CU_ASSERT_EQUAL_FATAL(c.n, 3);
	CU_ASSERT_STRING_EQUAL(c.v[0].id, "rfc5321/2.3/mm");
	CU_ASSERT_STRING_EQUAL(c.v[1].id, "rfc5321/4.1.1.9/aa");
	CU_ASSERT_STRING_EQUAL(c.v[2].id, "rfc5321/4.1.1.9/zz");
	for (i = 0; i < c.n; i++)
		CU_ASSERT_EQUAL(c.v[i].line, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.v[0].file, "/sub/c.json"));
	ssp_catalogue_free(&c);

	/* a missing directory */
	ssp_catalogue_init(&c);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_catalogue_load_dir(&c, "/nonexistent/smtpspec-ut", &p, &diag), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "cannot open directory"));
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
	tests_rmtree(dir);
	free(dir);
}

static void test_duplicate_ids(void)
{
	char *dir = tests_mkdtemp(), a[700], b[700];
	ssp_profile_t p;
	ssp_catalogue_t c;
	ssp_diag_t diag;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(write_vector(dir, "one.json", "4.1.1.9", "same"), 0);
	CU_ASSERT_EQUAL(write_vector(dir, "two/two.json", "4.1.1.9", "same"), 0);
	CU_ASSERT_EQUAL(write_vector(dir, "two/other.json", "4.1.1.9", "other"), 0);
	snprintf(a, sizeof(a), "%s/one.json", dir);
	snprintf(b, sizeof(b), "%s/two/two.json", dir);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	ssp_catalogue_init(&c);
	CU_ASSERT_EQUAL(ssp_catalogue_load_dir(&c, dir, &p, &diag), -1);
	CU_ASSERT_EQUAL(c.n, 3);   /* every file loaded; the sort found the duplicate */
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "duplicate vector id \"rfc5321/4.1.1.9/same\""));
	/* the diagnostic names one file and its message the other */
	CHECKF((strcmp(diag.file, a) == 0 && strstr(diag.text, b) != NULL) ||
	       (strcmp(diag.file, b) == 0 && strstr(diag.text, a) != NULL),
	       "duplicate: %s: %s", diag.file, diag.text);
	CU_ASSERT_EQUAL(diag.line, 1);
	CU_ASSERT_EQUAL(diag.column, 1);
	ssp_catalogue_free(&c);

	/* the same check through ssp_catalogue_sort on files loaded one by one */
	ssp_catalogue_init(&c);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_catalogue_load_file(&c, a, &p, &diag), 0);
	CU_ASSERT_EQUAL(ssp_catalogue_load_file(&c, b, &p, &diag), 0);
	CU_ASSERT_EQUAL(ssp_catalogue_sort(&c, &diag), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "duplicate vector id"));
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
	tests_rmtree(dir);
	free(dir);
}

/* ---- profiles ---- */

static void test_profile_defaults(void)
{
	ssp_profile_t p;
	ssp_vars_t v;
	ssp_diag_t diag;

	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, NULL, &diag), 0);
	CU_ASSERT_PTR_NULL(p.file);
	CU_ASSERT_EQUAL(p.values.n, 0);
	CU_ASSERT_EQUAL(diag.set, 0);

	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, "mx.example.net", "127.0.0.2", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "server_domain"), "mx.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "target_host"), "127.0.0.2");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "client"), "client.smtpspec.test");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "domain"), "mx.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "mailbox"), "postmaster@mx.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "rejected_mailbox"),
			       "smtpspec-no-such-user-4f1e@mx.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "sender"), "smtpspec@client.smtpspec.test");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "foreign_domain"), "relay-test.smtpspec.invalid");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_user"), "");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_password"), "");
	ssp_vars_free(&v);

	/* no domain in the greeting: localhost */
	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, NULL, "mx", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "server_domain"), "localhost");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "mailbox"), "postmaster@localhost");
	ssp_vars_free(&v);
	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, "", "mx", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "domain"), "localhost");
	ssp_vars_free(&v);

	/* the names every profile provides, and no others */
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "mailbox"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "server_domain"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "target_host"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "auth_password"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "list_address"), 0);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "size_limit"), 0);
	ssp_profile_free(&p);
}

static void test_profile_file(void)
{
	ssp_profile_t p;
	ssp_vars_t v;
	ssp_diag_t diag;
	char path[1024];

	tests_path(path, sizeof(path), "good-profiles/full.json");
	ssp_diag_init(&diag);
	CHECKF(ssp_profile_load(&p, path, &diag) == 0, "%s:%d:%d: %s", diag.file, diag.line,
	       diag.column, diag.text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p.file);
	CU_ASSERT_STRING_EQUAL(p.file, path);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "list_address"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "n_9"), 1);
	CU_ASSERT_EQUAL(ssp_profile_known(&p, "nope"), 0);

	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, "mx.example.net", "127.0.0.3", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "client"), "tester.example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "domain"), "example.org");
	/* defaults follow the profile's domain and client */
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "mailbox"), "postmaster@example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "sender"), "smtpspec@tester.example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "rejected_mailbox"), "no-such-user@example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "foreign_domain"), "not-relayed.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_user"), "tester");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "auth_password"), "secret");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "server_domain"), "mx.example.net");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "target_host"), "127.0.0.3");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "list_address"), "list@example.org");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "n_9"), "9");
	ssp_vars_free(&v);
	ssp_profile_free(&p);
}

/* Explicit mailbox and sender win over the defaults built from domain and client. */
static void test_profile_explicit(void)
{
	static const char text[] =
		"{ \"mailbox\": \"me@example.com\", \"sender\": \"you@example.com\", \"domain\": \"d.example\" }";
	char *dir = tests_mkdtemp(), path[700];
	ssp_profile_t p;
	ssp_vars_t v;
	ssp_diag_t diag;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL_FATAL(tests_write(dir, "p.json", text, sizeof(text) - 1), 0);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_load(&p, path, &diag), 0);
	ssp_vars_init(&v, NULL);
	CU_ASSERT_EQUAL_FATAL(ssp_profile_vars(&p, "mx", "mx", &v), 0);
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "mailbox"), "me@example.com");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "sender"), "you@example.com");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "rejected_mailbox"), "smtpspec-no-such-user-4f1e@d.example");
	CU_ASSERT_STRING_EQUAL(ssp_vars_get(&v, "client"), "client.smtpspec.test");
	ssp_vars_free(&v);
	ssp_profile_free(&p);
	tests_rmtree(dir);
	free(dir);
}

/*
 * A profile the loader accepts must give its variables: the built-in ones
 * share the SSP_VARS_MAX slots of a session's table with the custom "vars",
 * so accepting too many custom ones only moves the failure to run time
 * (where run.c reports it as "out of memory").
 */
static void test_profile_many_vars(void)
{
	static const unsigned counts[] = { 10, SSP_VARS_MAX - 13, SSP_VARS_MAX - 4, SSP_VARS_MAX + 1 };
	char *dir = tests_mkdtemp(), path[700];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		ssp_buf_t text;
		ssp_profile_t p;
		ssp_vars_t v;
		ssp_diag_t diag;
		unsigned k;
		int lrc, vrc = -2;

		ssp_buf_init(&text, 1 << 16);
		ssp_buf_append_str(&text, "{ \"client\": \"c.example\", \"vars\": {");
		for (k = 0; k < counts[i]; k++)
			ssp_buf_appendf(&text, "%s\"v%u\": \"x\"", k ? ", " : "", k);
		ssp_buf_append_str(&text, "} }\n");
		CU_ASSERT_EQUAL_FATAL(tests_write(dir, "p.json", text.data, text.len), 0);
		ssp_buf_free(&text);

		ssp_diag_init(&diag);
		lrc = ssp_profile_load(&p, path, &diag);
		if (lrc == 0) {
			ssp_vars_init(&v, NULL);
			vrc = ssp_profile_vars(&p, "mx.example", "mx", &v);
			ssp_vars_free(&v);
		}
		CHECKF(lrc != 0 || vrc == 0,
		       "%u custom vars: the profile loads but ssp_profile_vars fails", counts[i]);
		if (counts[i] <= SSP_VARS_MAX - 13)
			CHECKF(lrc == 0, "%u custom vars refused: %s", counts[i], diag.text);
		if (counts[i] > SSP_VARS_MAX)
			CHECKF(lrc == -1 && diag.line > 0, "%u custom vars: rc %d at %d:%d", counts[i],
			       lrc, diag.line, diag.column);
		ssp_profile_free(&p);
	}
	tests_rmtree(dir);
	free(dir);
}

/* ---- suites and selection ---- */

static void test_id_matches(void)
{
	static const struct {
		const char *pattern, *id;
		int match;
	} cases[] = {
		{ "rfc5321/4.1.1.5", "rfc5321/4.1.1.5/rset-clears", 1 },
		{ "rfc5321/4.1.1.5", "rfc5321/4.1.1.5", 1 },
		{ "rfc5321/4.1.1.5/", "rfc5321/4.1.1.5/rset-clears", 1 },
		{ "rfc5321/4.1.1.5", "rfc5321/4.1.1.50/x", 0 },
		{ "rfc5321/4.1.1.5", "rfc5321/4.1.1", 0 },
		{ "rfc5321/4.1", "rfc5321/4.1.1.5/x", 0 },
		{ "rfc5321", "rfc5321/4.1.1.5/x", 1 },
		{ "rfc532", "rfc5321/4.1.1.5/x", 0 },
		{ "rfc5321/4.1.1.5/rset-clears", "rfc5321/4.1.1.5/rset-clears", 1 },
		{ "rfc5321/4.1.1.5/rset", "rfc5321/4.1.1.5/rset-clears", 0 },
		{ "rfc5321/*", "rfc5321/4.1.1.5/rset-clears", 1 },  /* '*' crosses '/' */
		{ "*/rset-*", "rfc5321/4.1.1.5/rset-clears", 1 },
		{ "rfc5321/4.1.1.?/*", "rfc5321/4.1.1.5/x", 1 },
		{ "rfc5321/4.1.1.?/*", "rfc5321/4.1.1.50/x", 0 },
		{ "rfc5321/4.1.1.[0-4]/*", "rfc5321/4.1.1.5/x", 0 },
		{ "rfc1869/*", "rfc5321/4.1.1.5/x", 0 },
		{ "*", "anything/at/all", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECKF(ssp_id_matches(cases[i].pattern, cases[i].id) == cases[i].match,
		       "\"%s\" vs \"%s\": expected %d", cases[i].pattern, cases[i].id, cases[i].match);
}

/* A catalogue of ids only (for selection). */
static char id0[] = "rfc1869/4.1/size", id1[] = "rfc5321/4.1.1.5/a", id2[] = "rfc5321/4.1.1.5/b",
	    id3[] = "rfc5321/4.1.1.50/c", id4[] = "rfc5321/4.5.3.1.4/long";

static void make_catalogue(ssp_catalogue_t *c, ssp_vector_t *v)
{
	char *ids[] = { id0, id1, id2, id3, id4 };
	size_t i;

	memset(v, 0, 5 * sizeof(*v));
	for (i = 0; i < 5; i++)
		v[i].id = ids[i];
	c->v = v;
	c->n = c->cap = 5;
}

/* select_str - run ssp_select; the selected indexes as "0,2,3" into out. */
static long select_str(const ssp_catalogue_t *c, const ssp_suite_t *s, char *const *only,
		       size_t nonly, char *const *skip, size_t nskip, char *out, size_t size)
{
	size_t *idx = NULL, used = 0;
	long n = ssp_select(c, s, only, nonly, skip, nskip, &idx), i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%zu", i ? "," : "", idx[i]);
	free(idx);
	return n;
}

static void test_select(void)
{
	ssp_catalogue_t c;
	ssp_vector_t v[5];
	char out[64];
	char only_a[] = "rfc5321/4.1.1.5", only_b[] = "rfc1869/*", skip_a[] = "*/b",
	     skip_b[] = "rfc5321/4.5.3.1.4", nothing[] = "rfc9999";
	char *only1[] = { only_a }, *only2[] = { only_a, only_b }, *skip1[] = { skip_a },
	     *skip2[] = { skip_a, skip_b }, *none[] = { nothing };
	char pat0[] = "rfc5321", pat1[] = "rfc1869/4.1/size";
	char *pats[] = { pat0, pat1 };
	ssp_suite_t suite;

	make_catalogue(&c, v);
	CU_ASSERT_EQUAL(select_str(&c, NULL, NULL, 0, NULL, 0, out, sizeof(out)), 5);
	CU_ASSERT_STRING_EQUAL(out, "0,1,2,3,4");
	/* a plain prefix selects the section, not 4.1.1.50 */
	CU_ASSERT_EQUAL(select_str(&c, NULL, only1, 1, NULL, 0, out, sizeof(out)), 2);
	CU_ASSERT_STRING_EQUAL(out, "1,2");
	CU_ASSERT_EQUAL(select_str(&c, NULL, only2, 2, NULL, 0, out, sizeof(out)), 3);
	CU_ASSERT_STRING_EQUAL(out, "0,1,2");
	CU_ASSERT_EQUAL(select_str(&c, NULL, only2, 2, skip1, 1, out, sizeof(out)), 2);
	CU_ASSERT_STRING_EQUAL(out, "0,1");
	CU_ASSERT_EQUAL(select_str(&c, NULL, NULL, 0, skip2, 2, out, sizeof(out)), 3);
	CU_ASSERT_STRING_EQUAL(out, "0,1,3");
	CU_ASSERT_EQUAL(select_str(&c, NULL, none, 1, NULL, 0, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "");

	/* a suite first, then --only and --skip within it */
	memset(&suite, 0, sizeof(suite));
	suite.patterns = pats;
	suite.npatterns = 1;
	CU_ASSERT_EQUAL(ssp_suite_has(&suite, id1), 1);
	CU_ASSERT_EQUAL(ssp_suite_has(&suite, id0), 0);
	CU_ASSERT_EQUAL(select_str(&c, &suite, NULL, 0, NULL, 0, out, sizeof(out)), 4);
	CU_ASSERT_STRING_EQUAL(out, "1,2,3,4");
	CU_ASSERT_EQUAL(select_str(&c, &suite, only2, 2, skip1, 1, out, sizeof(out)), 1);
	CU_ASSERT_STRING_EQUAL(out, "1");
	suite.npatterns = 2;
	CU_ASSERT_EQUAL(select_str(&c, &suite, NULL, 0, skip2, 2, out, sizeof(out)), 3);
	CU_ASSERT_STRING_EQUAL(out, "0,1,3");

	/* an empty catalogue */
	c.n = 0;
	CU_ASSERT_EQUAL(select_str(&c, NULL, NULL, 0, NULL, 0, out, sizeof(out)), 0);
}

/* The index of a loaded suite (sorted plain ids, globs by literal prefix)
 * selects exactly what trying every pattern selects. */
static void test_suite_index(void)
{
	static const char text[] = "{ \"title\": \"Mixed\", \"vectors\": [\"rfc5321/4.1.1.5/\",\n"
				   "  \"rfc1869/4.1/size\", \"*/b\", \"rfc5321/4.5.3.1.?/*\", \"rfc1869\",\n"
				   "  \"rfc5321/4.1.1.5\", \"rfc5321/4.1.1.50/[0-9]\"] }";
	char *dir = tests_mkdtemp(), out1[64], out2[64];
	ssp_suites_t ss;
	ssp_suite_t plain;
	ssp_catalogue_t c;
	ssp_vector_t v[5];
	ssp_diag_t diag;
	size_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(tests_write(dir, "mixed.json", text, sizeof(text) - 1), 0);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_suites_load_dir(&ss, dir, &diag), 0);
	CU_ASSERT_EQUAL_FATAL(ss.n, 1);
	CU_ASSERT(ss.s[0].indexed);
	CU_ASSERT_EQUAL(ss.s[0].nliteral, 4);
	CU_ASSERT_EQUAL(ss.s[0].nglobs, 3);
	/* positions of every pattern, found in one pass */
	CU_ASSERT(ss.s[0].line[0] == 1 && ss.s[0].column[0] == 33);
	CU_ASSERT(ss.s[0].line[1] == 2 && ss.s[0].column[1] == 3);
	CU_ASSERT(ss.s[0].line[6] == 3 && ss.s[0].column[6] == 22);
	make_catalogue(&c, v);
	plain = ss.s[0];
	plain.indexed = 0;
	for (i = 0; i < c.n; i++)
		CHECKF(ssp_suite_has(&ss.s[0], c.v[i].id) == ssp_suite_has(&plain, c.v[i].id), "%s", c.v[i].id);
	n = (size_t)select_str(&c, &ss.s[0], NULL, 0, NULL, 0, out1, sizeof(out1));
	CU_ASSERT_EQUAL((size_t)select_str(&c, &plain, NULL, 0, NULL, 0, out2, sizeof(out2)), n);
	CU_ASSERT_STRING_EQUAL(out1, out2);
	CU_ASSERT(n > 0 && n < c.n);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_suites_check(&ss, &c, &diag), -1); /* 4.1.1.50/[0-9] selects nothing */
	CU_ASSERT_EQUAL(diag.line, 3);
	CU_ASSERT_EQUAL(diag.column, 22);
	ssp_suites_free(&ss);
	tests_rmtree(dir);
	free(dir);
}

static void test_suites_dir(void)
{
	static const char good[] = "{ \"title\": \"RFC 5321\", \"vectors\": [\"rfc5321/*\", \"rfc5321/4.1.1.5\"] }";
	static const char stale[] = "{ \"title\": \"Stale\",\n  \"vectors\": [\"rfc5321/4.1.1.5\", \"rfc5321/9.9\"] }";
	static const char bad[] = "{ \"title\": \"Bad\",\n  \"vectors\": [] }";
	char *dir = tests_mkdtemp(), path[700];
	ssp_suites_t ss;
	ssp_catalogue_t c;
	ssp_vector_t v[5];
	ssp_diag_t diag;
	const ssp_suite_t *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_EQUAL(tests_write(dir, "rfc5321.json", good, sizeof(good) - 1), 0);
	CU_ASSERT_EQUAL(tests_write(dir, "old.json", stale, sizeof(stale) - 1), 0);
	CU_ASSERT_EQUAL(tests_write(dir, "README", "x", 1), 0);
	ssp_diag_init(&diag);
	CHECKF(ssp_suites_load_dir(&ss, dir, &diag) == 0, "%s:%d:%d: %s", diag.file, diag.line,
	       diag.column, diag.text);
	CU_ASSERT_EQUAL_FATAL(ss.n, 2);
	CU_ASSERT_STRING_EQUAL(ss.s[0].name, "old");      /* sorted by name */
	s = ssp_suites_find(&ss, "rfc5321");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->title, "RFC 5321");
	CU_ASSERT_EQUAL(s->npatterns, 2);
	CU_ASSERT_PTR_NULL(ssp_suites_find(&ss, "rfc1869"));
	/* a pattern that selects nothing is a stale suite */
	make_catalogue(&c, v);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_suites_check(&ss, &c, &diag), -1);
	snprintf(path, sizeof(path), "%s/old.json", dir);
	CU_ASSERT_STRING_EQUAL(diag.file, path);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "\"rfc5321/9.9\" selects no vector"));
	CU_ASSERT_EQUAL(diag.line, 2);
	CU_ASSERT_EQUAL(diag.column, 34);
	ssp_suites_free(&ss);

	/* an empty vectors array is refused at its position */
	CU_ASSERT_EQUAL(tests_write(dir, "old.json", bad, sizeof(bad) - 1), 0);
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL(ssp_suites_load_dir(&ss, dir, &diag), -1);
	CU_ASSERT_STRING_EQUAL(diag.file, path);
	CU_ASSERT_EQUAL(diag.line, 2);
	CU_ASSERT_EQUAL(diag.column, 14);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.text, "vectors: must be a non-empty array"));
	ssp_suites_free(&ss);
	tests_rmtree(dir);
	free(dir);
}

void register_loader_tests(void)
{
	static const tests_entry_t catalogue[] = {
		{ "bad vectors (golden files)", test_bad_vectors },
		{ "missing, directory and oversized files", test_bad_files },
		{ "a vector with every feature", test_every_feature },
		{ "an array of two vectors", test_array_file },
		{ "an array that fails half-way", test_array_partial },
		{ "a variable from the profile", test_profile_variable },
		{ "a directory tree", test_load_dir },
		{ "duplicate ids across files", test_duplicate_ids },
		{ NULL, NULL },
	};
	static const tests_entry_t profile[] = {
		{ "bad profiles (golden files)", test_bad_profiles },
		{ "defaults", test_profile_defaults },
		{ "a profile file", test_profile_file },
		{ "explicit mailbox and sender", test_profile_explicit },
		{ "many custom variables", test_profile_many_vars },
		{ NULL, NULL },
	};
	static const tests_entry_t suite[] = {
		{ "ssp_id_matches", test_id_matches },
		{ "ssp_select", test_select },
		{ "a loaded suite's index selects what every pattern selects", test_suite_index },
		{ "suite files", test_suites_dir },
		{ NULL, NULL },
	};

	tests_add_suite("catalogue", catalogue);
	tests_add_suite("profile", profile);
	tests_add_suite("suite", suite);
}
