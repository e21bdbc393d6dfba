/*
 * catalogue.c - the vector loader: JSON files to ssp_vector_t.
 *
 * The format is documented in docs/vectors.md.  Every field is checked:
 * types, ranges, unknown fields, the id's shape against rfc and section,
 * macros in raw strings, variable names and regular expressions.  The first
 * error stops the load and is reported at file:line:column.
 */
#include "catalogue.h"

#include "buf.h"
#include "escape.h"
#include "sender.h"
#include "tpl.h"
#include "jsonfile.h"
#include "limits.h"
#include "termtext.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Load context: one file, the vector being built, the names it may use. */
typedef struct {
	ssp_jfile_t *f;
	const ssp_profile_t *profile;
	const char *captured[SSP_VARS_MAX]; /* names captured by earlier steps */
	unsigned ncaptured;
	uint64_t send_bytes;                /* the file's steps so far (SSP_FILE_SEND_BYTES_MAX) */
} lctx_t;

static const char *const vector_keys[] = {
	"id", "title", "rfc", "section", "level", "quote", "description",
	"requires", "absent", "prelude", "steps", "comment", "category", "judges", "needs_auth", "exposure", NULL,
};
static const char *const step_keys[] = {
	"send", "send_raw", "pipeline", "data", "dot_stuff", "expect", "repeat",
	"pause_ms", "setup", "starttls", "comment", NULL,
};
static const char *const expect_keys[] = {
	"code", "warn", "skip", "enhanced", "text", "not_text", "every_text", "first_line", "keyword_lines", "max_lines", "capture", "timeout_ms",
	"close", "silence_ms", "smuggling", "comment", NULL,
};

/* known - variable-name check for ssp_vars_scan. */
static int known(const char *name, void *ctx)
{
	lctx_t *l = ctx;
	unsigned i;

	if (ssp_profile_known(l->profile, name))
		return 1;
	for (i = 0; i < l->ncaptured; i++) {
		if (strcmp(l->captured[i], name) == 0)
			return 1;
	}
	return 0;
}

/* check_vars - every ${name} in s[0..n) must be known. */
static int check_vars(lctx_t *l, const char *s, size_t n)
{
	ssp_vars_err_t err;

	if (ssp_vars_scan(s, n, known, l, &err) != 0)
		return ssp_jfile_error(l->f, 0, "%s (at byte %zu of the string)", err.text, err.offset);
	return 0;
}

/* one_code - add one code value (integer or pattern string) to set. */
static int one_code(lctx_t *l, json_t *v, ssp_codes_t *set, int *any)
{
	if (json_is_integer(v)) {
		json_int_t c = json_integer_value(v);
		if (c < 100 || c > 599)
			return ssp_jfile_error(l->f, 0, "reply code %lld is outside 100-599", (long long)c);
		if (ssp_codes_add(set, (unsigned)c, (unsigned)c) != 0)
			return ssp_jfile_error(l->f, 0, "more than %d codes", SSP_CODES_MAX);
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (any && strcmp(s, "any") == 0) {
			*any = 1;
			return 0;
		}
		if (ssp_codes_parse(set, s) != 0)
			return ssp_jfile_error(l->f, 0, "\"%s\" is not a reply code pattern (e.g. \"250\", \"2xx\", \"55x\")", s);
		return 0;
	}
	return ssp_jfile_error(l->f, 0, "must be a reply code (250), a pattern (\"2xx\") or a list of them, not %s",
			       ssp_jfile_type_name(v));
}

/* codes - parse a code, a pattern or an array of them at obj.key. */
static int codes(lctx_t *l, json_t *obj, const char *key, ssp_codes_t *set, int *any)
{
	json_t *v = json_object_get(obj, key);
	int rc = 0;

	if (v == NULL)
		return 0;
	ssp_jfile_push_key(l->f, key);
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		if (json_array_size(v) == 0)
			rc = ssp_jfile_error(l->f, 0, "must not be empty");
		json_array_foreach(v, i, e) {
			if (rc)
				break;
			ssp_jfile_push_index(l->f, i);
			rc = one_code(l, e, set, any);
			ssp_jfile_pop(l->f);
		}
	} else {
		rc = one_code(l, v, set, any);
	}
	ssp_jfile_pop(l->f);
	return rc;
}

/* regex - compile the string at obj.key (pattern.h: PCRE2, case-insensitive). */
static int regex(lctx_t *l, json_t *obj, const char *key, char **src, ssp_pattern_t **re)
{
	const char *s;
	char msg[200];
	size_t len, off;

	if (ssp_jfile_string(l->f, obj, key, 1, &s, &len) != 0)
		return -1;
	ssp_jfile_push_key(l->f, key);
	*re = ssp_pattern_compile(s, len, msg, sizeof(msg), &off);
	if (*re == NULL) {
		if (len > SSP_PATTERN_MAX)
			ssp_jfile_error(l->f, 0, "bad regular expression: %s", msg);
		else
			ssp_jfile_error(l->f, 0, "bad regular expression: %s, at byte %zu of the pattern", msg, off);
		ssp_jfile_pop(l->f);
		return -1;
	}
	ssp_jfile_pop(l->f);
	*src = strndup(s, len);
	if (*src == NULL) {
		ssp_pattern_free(*re);
		*re = NULL;
		return ssp_jfile_error(l->f, 0, "out of memory");
	}
	return 0;
}

/* enhanced - "enhanced": true, or a pattern "2.1.5" / "2.x.x". */
static int enhanced(lctx_t *l, json_t *obj, ssp_expect_t *e)
{
	json_t *v = json_object_get(obj, "enhanced");
	int part[3], i = 0, rc = 0;
	const char *s;

	if (v == NULL)
		return 0;
	ssp_jfile_push_key(l->f, "enhanced");
	e->enhanced = 1;
	e->enh_class = e->enh_subject = e->enh_detail = -1;
	if (json_is_true(v)) {
		ssp_jfile_pop(l->f);
		return 0;
	}
	if (!json_is_string(v)) {
		rc = ssp_jfile_error(l->f, 0, "must be true or a pattern such as \"2.1.5\" or \"5.x.x\"");
		goto out;
	}
	s = json_string_value(v);
	for (i = 0; i < 3; i++) {
		int val = 0, digits = 0;
		if (*s == 'x' || *s == 'X') {
			val = -1;
			s++;
		} else {
			while (*s >= '0' && *s <= '9' && digits < 3) {
				val = val * 10 + (*s++ - '0');
				digits++;
			}
			if (digits == 0 || (i == 0 && (val < 2 || val > 5 || val == 3)))
				break;
		}
		part[i] = val;
		if (i < 2 && *s++ != '.')
			break;
	}
	if (i < 3 || *s != '\0') {
		rc = ssp_jfile_error(l->f, 0, "\"%s\" is not an enhanced status code pattern (class 2, 4 or 5; \"2.1.5\", \"5.x.x\")",
				     json_string_value(v));
		goto out;
	}
	e->enh_class = part[0];
	e->enh_subject = part[1];
	e->enh_detail = part[2];
out:
	ssp_jfile_pop(l->f);
	return rc;
}

/* expect_one - one expectation: a code shorthand or an object. */
static int expect_one(lctx_t *l, json_t *v, ssp_expect_t *e)
{
	long long n;
	int flag = 0;

	memset(e, 0, sizeof(*e));
	e->kind = SSP_EXPECT_REPLY;
	if (json_is_integer(v) || json_is_string(v))
		return one_code(l, v, &e->pass, &e->any_code);
	if (!json_is_object(v))
		return ssp_jfile_error(l->f, 0, "an expectation is a reply code, a pattern or an object, not %s",
				       ssp_jfile_type_name(v));
	if (ssp_jfile_check_keys(l->f, v, expect_keys))
		return -1;
	n = 0;
	if (ssp_jfile_uint(l->f, v, "timeout_ms", 0, 1, SSP_TIMEOUT_MAX_MS, &n))
		return -1;
	e->timeout_ms = (unsigned)n;
	if (json_object_get(v, "smuggling") != NULL) {
		static const char *const only[] = { "smuggling", "timeout_ms", "comment", NULL };
		if (ssp_jfile_bool(l->f, v, "smuggling", &flag))
			return -1;
		if (!flag)
			return ssp_jfile_error(l->f, 0, "\"smuggling\" can only be true");
		if (ssp_jfile_check_keys(l->f, v, only))
			return -1;
		e->kind = SSP_EXPECT_SMUGGLING;
		return 0;
	}
	if (ssp_jfile_bool(l->f, v, "close", &flag))
		return -1;
	if (json_object_get(v, "close") != NULL && !flag)
		return ssp_jfile_error(l->f, 0, "\"close\" can only be true");
	n = 0;
	if (ssp_jfile_uint(l->f, v, "silence_ms", 0, 1, SSP_SILENCE_MAX_MS, &n))
		return -1;
	if (flag || n) {
		static const char *const only[] = { "close", "silence_ms", "timeout_ms", "comment", NULL };
		if (flag && n)
			return ssp_jfile_error(l->f, 0, "an expectation is either \"close\" or \"silence_ms\", not both");
		if (ssp_jfile_check_keys(l->f, v, only))
			return -1;
		e->kind = flag ? SSP_EXPECT_CLOSE : SSP_EXPECT_SILENCE;
		e->silence_ms = (unsigned)n;
		return 0;
	}
	if (json_object_get(v, "code") == NULL)
		return ssp_jfile_error(l->f, 0, "a reply expectation needs \"code\" (use \"any\" to accept every code)");
	if (codes(l, v, "code", &e->pass, &e->any_code) || codes(l, v, "warn", &e->warn, NULL) ||
	    codes(l, v, "skip", &e->skip, NULL) || enhanced(l, v, e))
		return -1;
	if (json_object_get(v, "text") && regex(l, v, "text", &e->text_src, &e->text_re))
		return -1;
	if (json_object_get(v, "not_text") && regex(l, v, "not_text", &e->not_text_src, &e->not_text_re))
		return -1;
	if (json_object_get(v, "every_text") && regex(l, v, "every_text", &e->every_text_src, &e->every_text_re))
		return -1;
	if (json_object_get(v, "first_line") && regex(l, v, "first_line", &e->first_line_src, &e->first_line_re))
		return -1;
	if (json_object_get(v, "keyword_lines") && regex(l, v, "keyword_lines", &e->keyword_lines_src, &e->keyword_lines_re))
		return -1;
	n = 0;
	if (ssp_jfile_uint(l->f, v, "max_lines", 0, 1, SSP_REPLY_LINES_HARD_MAX, &n))
		return -1;
	e->max_lines = (unsigned)n;
	if (json_object_get(v, "capture")) {
		static const char *const cap_keys[] = { "var", "regex", NULL };
		json_t *c = json_object_get(v, "capture");
		const char *var;
		int rc;

		ssp_jfile_push_key(l->f, "capture");
		if (!json_is_object(c))
			rc = ssp_jfile_error(l->f, 0, "must be an object {\"var\": NAME, \"regex\": ERE}");
		else if ((rc = ssp_jfile_check_keys(l->f, c, cap_keys)) == 0 &&
			 (rc = ssp_jfile_string(l->f, c, "var", 1, &var, NULL)) == 0) {
			if (!ssp_vars_valid_name(var) || ssp_profile_known(l->profile, var))
				rc = ssp_jfile_error(l->f, 0, "capture var \"%s\": a new name of [a-z0-9_] is needed", var);
			else if (l->ncaptured >= SSP_VARS_MAX)
				rc = ssp_jfile_error(l->f, 0, "too many captures");
			else if ((e->capture_var = strdup(var)) == NULL)
				rc = ssp_jfile_error(l->f, 0, "out of memory");
			else if ((rc = regex(l, c, "regex", &e->capture_src, &e->capture_re)) == 0)
				l->captured[l->ncaptured++] = e->capture_var;
		}
		ssp_jfile_pop(l->f);
		if (rc)
			return -1;
	}
	return 0;
}

/* smuggling_misplaced - 1 if step i of n holds a smuggling expectation anywhere but alone in the last step. */
static int smuggling_misplaced(const ssp_vector_t *v, size_t i, size_t n)
{
	const ssp_step_t *s = &v->steps[i];
	unsigned k;

	for (k = 0; k < s->nexpect; k++) {
		if (s->expect[k].kind == SSP_EXPECT_SMUGGLING && (i + 1 != n || s->nexpect != 1 || s->repeat > 1))
			return 1;
	}
	return 0;
}

/* expectations - "expect": one expectation or an array of them. */
static int expectations(lctx_t *l, json_t *step, ssp_step_t *s)
{
	json_t *v = json_object_get(step, "expect");
	size_t i, n;
	int rc = 0;

	if (v == NULL)
		return 0;
	ssp_jfile_push_key(l->f, "expect");
	n = json_is_array(v) ? json_array_size(v) : 1;
	if (n == 0 || n > SSP_EXPECTS_MAX) {
		rc = ssp_jfile_error(l->f, 0, "must hold 1 to " SSP_XSTR(SSP_EXPECTS_MAX) " expectations");
		goto out;
	}
	s->expect = calloc(n, sizeof(*s->expect));
	if (s->expect == NULL) {
		rc = ssp_jfile_error(l->f, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (json_is_array(v)) {
			ssp_jfile_push_index(l->f, i);
			rc = expect_one(l, json_array_get(v, i), &s->expect[i]);
			ssp_jfile_pop(l->f);
		} else {
			rc = expect_one(l, v, &s->expect[i]);
		}
		s->nexpect = (unsigned)i + 1;
	}
out:
	ssp_jfile_pop(l->f);
	return rc;
}

/* line_text - a command line: no CR, LF; checked for variables. */
static int line_text(lctx_t *l, const char *s, size_t n, ssp_buf_t *out)
{
	if (memchr(s, '\r', n) || memchr(s, '\n', n) || memchr(s, '\0', n))
		return ssp_jfile_error(l->f, 0, "a command line must not contain CR, LF or NUL: use \"send_raw\"");
	if (check_vars(l, s, n))
		return -1;
	if (ssp_buf_append(out, s, n) || ssp_buf_append(out, "\r\n", 2))
		return ssp_jfile_error(l->f, 0, "too long");
	return 0;
}

/*
 * raw_text - decode the macros of a raw string into step s: plain bytes in
 * s->payload, or a template when it holds repeats (never expanded here);
 * checked for variables and against the file's budget (l->send_bytes).
 */
static int raw_text(lctx_t *l, const char *str, size_t n, ssp_step_t *s)
{
	ssp_escape_err_t err;
	ssp_vars_err_t verr;
	ssp_tpl_t *t = calloc(1, sizeof(*t));
	uint64_t total;

	if (t == NULL)
		return ssp_jfile_error(l->f, 0, "out of memory");
	ssp_tpl_init(t);
	if (ssp_escape_compile(str, n, SSP_SEND_BYTES_MAX, t, &err) != 0) {
		free(t);
		return ssp_jfile_error(l->f, 0, "%s (at byte %zu of the string)", err.text, err.offset);
	}
	if (__builtin_mul_overflow(t->size, (uint64_t)s->repeat, &total) ||
	    total > SSP_FILE_SEND_BYTES_MAX - l->send_bytes) {
		ssp_tpl_free(t);
		free(t);
		return ssp_jfile_error(l->f, 0, "the steps of this file would send more than %llu bytes in all "
				       "(repeats and \"repeat\" expanded)", (unsigned long long)SSP_FILE_SEND_BYTES_MAX);
	}
	l->send_bytes += total;
	if (ssp_sender_scan(t, NULL, 0, known, l, &verr) != 0) {
		ssp_tpl_free(t);
		free(t);
		return ssp_jfile_error(l->f, 0, "%s (at byte %zu of the decoded string)", verr.text, verr.offset);
	}
	if (ssp_tpl_is_literal(t)) {
		/* no repeat left: the bytes themselves */
		s->payload = ssp_buf_steal(&t->pool, &s->payload_len);
		ssp_tpl_free(t);
		free(t);
		if (s->payload == NULL && (s->payload = strdup("")) == NULL)
			return ssp_jfile_error(l->f, 0, "out of memory");
		return 0;
	}
	s->tpl = t;
	return 0;
}

/* payload - the one send field of a step, built into s->payload. */
static int payload(lctx_t *l, json_t *step, ssp_step_t *s)
{
	static const char *const kinds[] = { "send", "send_raw", "pipeline", "data" };
	const char *which = NULL;
	ssp_buf_t out;
	json_t *v = NULL;
	size_t k;
	int rc = 0;

	for (k = 0; k < 4; k++) {
		json_t *x = json_object_get(step, kinds[k]);
		if (x == NULL)
			continue;
		if (which != NULL) {
			ssp_jfile_push_key(l->f, kinds[k]);
			rc = ssp_jfile_error(l->f, 1, "a step sends one thing: \"%s\" and \"%s\" both given",
					     which, kinds[k]);
			ssp_jfile_pop(l->f);
			return rc;
		}
		which = kinds[k];
		v = x;
		s->send = (ssp_send_kind_t)(SSP_SEND_LINE + k);
	}
	s->dot_stuff = 1;
	if (ssp_jfile_bool(l->f, step, "dot_stuff", &s->dot_stuff))
		return -1;
	if (json_object_get(step, "dot_stuff") && s->send != SSP_SEND_DATA) {
		ssp_jfile_push_key(l->f, "dot_stuff");
		rc = ssp_jfile_error(l->f, 1, "\"dot_stuff\" applies to \"data\" only");
		ssp_jfile_pop(l->f);
		return rc;
	}
	if (which == NULL)
		return 0;
	ssp_buf_init(&out, SSP_SEND_BYTES_MAX);
	ssp_jfile_push_key(l->f, which);
	if (s->send == SSP_SEND_PIPELINE) {
		size_t i;
		json_t *e;
		if (!json_is_array(v) || json_array_size(v) < 1) {
			rc = ssp_jfile_error(l->f, 0, "must be a non-empty array of command lines");
			goto out;
		}
		json_array_foreach(v, i, e) {
			ssp_jfile_push_index(l->f, i);
			if (!json_is_string(e))
				rc = ssp_jfile_error(l->f, 0, "must be a string, not %s", ssp_jfile_type_name(e));
			else
				rc = line_text(l, json_string_value(e), json_string_length(e), &out);
			ssp_jfile_pop(l->f);
			if (rc)
				goto out;
		}
		s->ncommands = (unsigned)json_array_size(v);
	} else if (!json_is_string(v)) {
		rc = ssp_jfile_error(l->f, 0, "must be a string, not %s", ssp_jfile_type_name(v));
		goto out;
	} else if (s->send == SSP_SEND_LINE) {
		rc = line_text(l, json_string_value(v), json_string_length(v), &out);
		s->ncommands = 1;
	} else {
		/* send_raw and data: macros decoded now, variables at run time */
		rc = raw_text(l, json_string_value(v), json_string_length(v), s);
		ssp_jfile_pop(l->f);
		ssp_buf_free(&out);
		return rc;
	}
out:
	ssp_jfile_pop(l->f);
	if (rc == 0) {
		s->payload = ssp_buf_steal(&out, &s->payload_len);
		if (s->payload == NULL)
			rc = ssp_jfile_error(l->f, 0, "out of memory");
	}
	ssp_buf_free(&out);
	return rc;
}

static int step(lctx_t *l, json_t *v, ssp_step_t *s)
{
	long long n;

	memset(s, 0, sizeof(*s));
	if (!json_is_object(v))
		return ssp_jfile_error(l->f, 0, "a step must be an object, not %s", ssp_jfile_type_name(v));
	if (ssp_jfile_check_keys(l->f, v, step_keys))
		return -1;
	if (ssp_jfile_bool(l->f, v, "setup", &s->setup))
		return -1;
	n = 1;
	if (ssp_jfile_uint(l->f, v, "repeat", 0, 1, SSP_STEP_REPEAT_MAX, &n))
		return -1;
	s->repeat = (unsigned)n;
	n = 0;
	if (ssp_jfile_uint(l->f, v, "pause_ms", 0, 0, SSP_PAUSE_MAX_MS, &n))
		return -1;
	s->pause_ms = (unsigned)n;
	if (ssp_jfile_bool(l->f, v, "starttls", &s->starttls))
		return -1;
	if (payload(l, v, s) || expectations(l, v, s))
		return -1;
	if (s->starttls && s->send == SSP_SEND_NONE) {
		/* "starttls" alone sends the command itself */
		s->payload = strdup("STARTTLS\r\n");
		if (s->payload == NULL)
			return ssp_jfile_error(l->f, 0, "out of memory");
		s->payload_len = 10;
		s->send = SSP_SEND_LINE;
		s->ncommands = 1;
	}
	if (s->starttls && (s->nexpect == 0 || s->repeat != 1 || s->send == SSP_SEND_DATA)) {
		ssp_jfile_push_key(l->f, "starttls");
		ssp_jfile_error(l->f, 1, "a STARTTLS step needs an \"expect\" (the 220), runs once and sends no \"data\"");
		ssp_jfile_pop(l->f);
		return -1;
	}
	if (s->send == SSP_SEND_NONE && s->nexpect == 0)
		return ssp_jfile_error(l->f, 0, "a step needs something to send or to expect");
	return 0;
}

/* id_ok - "rfc<rfc>/<section>/<slug>" with the vector's rfc and section. */
static int id_ok(const char *id, unsigned rfc, const char *section)
{
	char prefix[64];
	size_t pl, i;

	snprintf(prefix, sizeof(prefix), "rfc%u/%s/", rfc, section);
	pl = strlen(prefix);
	if (strncmp(id, prefix, pl) != 0 || id[pl] == '\0' || strlen(id) > SSP_ID_MAX)
		return 0;
	for (i = pl; id[i]; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

static int section_ok(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > 24)
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '.'))
			return 0;
		if (c == '.' && i > 0 && s[i - 1] == '.')
			return 0;
	}
	return s[0] != '.' && s[i - 1] != '.';
}

/* text_field - a required or optional non-empty string, copied. */
static int text_field(lctx_t *l, json_t *obj, const char *key, int required, char **out)
{
	const char *s;

	if (ssp_jfile_string(l->f, obj, key, required, &s, NULL))
		return -1;
	if (s == NULL)
		return 0;
	if (s[0] == '\0') {
		int rc;
		ssp_jfile_push_key(l->f, key);
		rc = ssp_jfile_error(l->f, 0, "must not be empty");
		ssp_jfile_pop(l->f);
		return rc;
	}
	*out = strdup(s);
	return *out ? 0 : ssp_jfile_error(l->f, 0, "out of memory");
}

/* keywords - "requires" or "absent": EHLO keywords in capitals into *list. */
static int keywords(lctx_t *l, json_t *obj, const char *key, char ***list, unsigned *n)
{
	json_t *r = json_object_get(obj, key), *e;
	size_t i;
	int rc = 0;

	if (r == NULL)
		return 0;
	ssp_jfile_push_key(l->f, key);
	if (!json_is_array(r) || json_array_size(r) > 16) {
		rc = ssp_jfile_error(l->f, 0, "must be an array of at most 16 EHLO keywords");
		goto out;
	}
	*list = calloc(json_array_size(r) + 1, sizeof(char *));
	if (*list == NULL) {
		rc = ssp_jfile_error(l->f, 0, "out of memory");
		goto out;
	}
	json_array_foreach(r, i, e) {
		const char *s = json_is_string(e) ? json_string_value(e) : NULL;
		size_t k;
		ssp_jfile_push_index(l->f, i);
		for (k = 0; s && s[k]; k++) {
			if (!((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') || s[k] == '-'))
				break;
		}
		if (s == NULL || k == 0 || s[k] != '\0' || k > 64)
			rc = ssp_jfile_error(l->f, 0, "an EHLO keyword in capitals, e.g. \"PIPELINING\"");
		else if (((*list)[*n] = strdup(s)) == NULL)
			rc = ssp_jfile_error(l->f, 0, "out of memory");
		else
			(*n)++;
		ssp_jfile_pop(l->f);
		if (rc)
			break;
	}
out:
	ssp_jfile_pop(l->f);
	return rc;
}

/* judges - the optional "judges": names of findings the vector owns; 0 or -1. */
static int judges(lctx_t *l, json_t *obj, ssp_vector_t *v)
{
	json_t *a = json_object_get(obj, "judges"), *e;
	size_t i;
	int rc = 0;

	v->judges = 0;
	if (a == NULL)
		return 0;
	ssp_jfile_push_key(l->f, "judges");
	if (!json_is_array(a) || json_array_size(a) == 0) {
		rc = ssp_jfile_error(l->f, 0, "must be a non-empty array of finding names (docs/vectors.md)");
		goto out;
	}
	json_array_foreach(a, i, e) {
		const char *s = json_string_value(e);

		ssp_jfile_push_index(l->f, i);
		if (ssp_judges_parse(s) != 0)
			v->judges |= ssp_judges_parse(s);
		else
			rc = ssp_jfile_error(l->f, 0, "must be one of reply-line-ends, reply-code-range, reply-code-mismatch, reply-text, reply-line-length, reply-codes");
		ssp_jfile_pop(l->f);
		if (rc)
			break;
	}
out:
	ssp_jfile_pop(l->f);
	return rc;
}

/* category - the optional "category" (SSP_CATEGORY_MAP; default conformance): 0 or -1. */
static int category(lctx_t *l, json_t *obj, ssp_vector_t *v)
{
	const char *s;
	int c;

	v->category = SSP_CATEGORY_CONFORMANCE;
	if (ssp_jfile_string(l->f, obj, "category", 0, &s, NULL))
		return -1;
	if (s == NULL)
		return 0;
	if ((c = ssp_category_parse(s)) < 0) {
		ssp_jfile_push_key(l->f, "category");
		ssp_jfile_error(l->f, 0, "must be \"conformance\" or \"security\"");
		ssp_jfile_pop(l->f);
		return -1;
	}
	v->category = (ssp_category_t)c;
	return 0;
}

/* exposure - the optional "exposure": "any" (default) or "network": 0 or -1. */
static int exposure(lctx_t *l, json_t *obj, ssp_vector_t *v)
{
	const char *s;

	v->exposure = SSP_EXPOSURE_ANY;
	if (ssp_jfile_string(l->f, obj, "exposure", 0, &s, NULL))
		return -1;
	if (s == NULL || strcmp(s, "any") == 0)
		return 0;
	if (strcmp(s, "network") != 0) {
		ssp_jfile_push_key(l->f, "exposure");
		ssp_jfile_error(l->f, 0, "must be \"any\" or \"network\"");
		ssp_jfile_pop(l->f);
		return -1;
	}
	v->exposure = SSP_EXPOSURE_NETWORK;
	return 0;
}

static int vector(lctx_t *l, json_t *obj, ssp_vector_t *v)
{
	static const char *const preludes[] = { "ehlo", "helo", "greeting", "none", NULL };
	const char *s;
	json_t *steps, *e;
	long long rfc = 0;
	size_t i;
	int line = 0, col = 0;

	memset(v, 0, sizeof(*v));
	l->ncaptured = 0;
	if (!json_is_object(obj))
		return ssp_jfile_error(l->f, 0, "a vector must be an object, not %s", ssp_jfile_type_name(obj));
	ssp_jsonpos_find(l->f->text, l->f->len, l->f->path, l->f->depth, 0, &line, &col);
	v->line = (unsigned)line;
	/* for messages and documents: a file name that is not UTF-8 is kept escaped */
	if ((v->file = ssp_term_utf8_dup(l->f->name)) == NULL)
		return ssp_jfile_error(l->f, 0, "out of memory");
	if (ssp_jfile_check_keys(l->f, obj, vector_keys) ||
	    text_field(l, obj, "id", 1, &v->id) || text_field(l, obj, "title", 1, &v->title) ||
	    ssp_jfile_uint(l->f, obj, "rfc", 1, 1, 99999, &rfc) ||
	    text_field(l, obj, "section", 1, &v->section) ||
	    text_field(l, obj, "quote", 1, &v->quote) ||
	    text_field(l, obj, "description", 0, &v->description) ||
	    ssp_jfile_string(l->f, obj, "level", 1, &s, NULL))
		return -1;
	v->rfc = (unsigned)rfc;
	ssp_jfile_push_key(l->f, "level");
	if (ssp_level_parse(s) >= 0) {
		v->level = (ssp_level_t)ssp_level_parse(s);
	} else {
		ssp_jfile_error(l->f, 0, "must be \"MUST\", \"SHOULD\" or \"MAY\", not \"%s\"", s);
		ssp_jfile_pop(l->f);
		return -1;
	}
	ssp_jfile_pop(l->f);
	if (judges(l, obj, v))
		return -1;
	if (category(l, obj, v))
		return -1;
	if (exposure(l, obj, v))
		return -1;
	if (ssp_jfile_bool(l->f, obj, "needs_auth", &v->needs_auth))
		return -1;
	if (!section_ok(v->section)) {
		ssp_jfile_push_key(l->f, "section");
		ssp_jfile_error(l->f, 0, "\"%s\" is not a section number such as \"4.1.1.5\" or \"C\"", v->section);
		ssp_jfile_pop(l->f);
		return -1;
	}
	if (!id_ok(v->id, v->rfc, v->section)) {
		ssp_jfile_push_key(l->f, "id");
		ssp_jfile_error(l->f, 0, "id \"%s\" must be \"rfc%u/%s/<name>\" with <name> of [a-z0-9._-], at most %d bytes in all",
				v->id, v->rfc, v->section, SSP_ID_MAX);
		ssp_jfile_pop(l->f);
		return -1;
	}
	if (keywords(l, obj, "requires", &v->requires, &v->nrequires) ||
	    keywords(l, obj, "absent", &v->absent, &v->nabsent))
		return -1;
	if (ssp_jfile_string(l->f, obj, "prelude", 0, &s, NULL))
		return -1;
	if (s != NULL) {
		for (i = 0; preludes[i] && strcmp(preludes[i], s) != 0; i++)
			;
		if (preludes[i] == NULL) {
			ssp_jfile_push_key(l->f, "prelude");
			ssp_jfile_error(l->f, 0, "must be \"ehlo\", \"helo\", \"greeting\" or \"none\"");
			ssp_jfile_pop(l->f);
			return -1;
		}
		v->prelude = (ssp_prelude_t)i;
	}
	steps = json_object_get(obj, "steps");
	ssp_jfile_push_key(l->f, "steps");
	if (steps == NULL || !json_is_array(steps) || json_array_size(steps) == 0 ||
	    json_array_size(steps) > SSP_STEPS_MAX) {
		ssp_jfile_error(l->f, 0, "must be an array of 1 to %d steps", SSP_STEPS_MAX);
		ssp_jfile_pop(l->f);
		return -1;
	}
	v->steps = calloc(json_array_size(steps), sizeof(*v->steps));
	if (v->steps == NULL) {
		ssp_jfile_pop(l->f);
		return ssp_jfile_error(l->f, 0, "out of memory");
	}
	json_array_foreach(steps, i, e) {
		int rc;
		ssp_jfile_push_index(l->f, i);
		ssp_jsonpos_find(l->f->text, l->f->len, l->f->path, l->f->depth, 0, &line, &col);
		rc = step(l, e, &v->steps[i]);
		v->steps[i].line = (unsigned)line;
		v->nsteps = (unsigned)i + 1;
		ssp_jfile_pop(l->f);
		if (rc == 0 && smuggling_misplaced(v, (size_t)i, json_array_size(steps)))
			rc = ssp_jfile_error(l->f, 0, "a \"smuggling\" expectation must be the only one of the last step: the session ends the vector with QUIT after it");
		if (rc) {
			ssp_jfile_pop(l->f);
			return -1;
		}
	}
	ssp_jfile_pop(l->f);
	return 0;
}

void ssp_catalogue_init(ssp_catalogue_t *c)
{
	memset(c, 0, sizeof(*c));
}

static ssp_vector_t *grow(ssp_catalogue_t *c)
{
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		ssp_vector_t *p = realloc(c->v, ncap * sizeof(*p));
		if (p == NULL)
			return NULL;
		c->v = p;
		c->cap = ncap;
	}
	return &c->v[c->n];
}

/* load_parsed - the vectors of one parsed file; closes f. */
static int load_parsed(ssp_catalogue_t *c, ssp_jfile_t *f, const ssp_profile_t *profile)
{
	lctx_t l;
	json_t *root;
	size_t i, count;
	int rc = 0;

	memset(&l, 0, sizeof(l));
	l.f = f;
	l.profile = profile;
	root = f->root;
	count = json_is_array(root) ? json_array_size(root) : 1;
	if (json_is_array(root) && count == 0)
		rc = ssp_jfile_error(f, 0, "an empty array holds no vector");
	for (i = 0; i < count && rc == 0; i++) {
		ssp_vector_t *v;
		if (c->n >= SSP_VECTORS_MAX || (v = grow(c)) == NULL) {
			rc = ssp_jfile_error(f, 0, "too many vectors (at most %d)", SSP_VECTORS_MAX);
			break;
		}
		if (json_is_array(root)) {
			ssp_jfile_push_index(f, i);
			rc = vector(&l, json_array_get(root, i), v);
			ssp_jfile_pop(f);
		} else {
			rc = vector(&l, root, v);
		}
		if (rc)
			ssp_vector_free_fields(v);
		else
			c->n++;
	}
	ssp_jfile_close(f);
	return rc;
}

int ssp_catalogue_load_file(ssp_catalogue_t *c, const char *file,
			    const ssp_profile_t *profile, ssp_diag_t *diag)
{
	ssp_jfile_t f;

	if (ssp_jfile_open(&f, file, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	return load_parsed(c, &f, profile);
}

int ssp_catalogue_load_mem(ssp_catalogue_t *c, const char *name, const char *text,
			   size_t len, const ssp_profile_t *profile, ssp_diag_t *diag)
{
	ssp_jfile_t f;

	if (ssp_jfile_open_mem(&f, name, text, len, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	return load_parsed(c, &f, profile);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(ssp_catalogue_t *c, const char *dir, const ssp_profile_t *profile,
		ssp_diag_t *diag, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (depth > SSP_DIR_DEPTH_MAX)
		return ssp_diag_set(diag, dir, 0, 0, "directories nested deeper than %d", SSP_DIR_DEPTH_MAX);
	d = opendir(dir);
	if (d == NULL)
		return ssp_diag_set(diag, dir, 0, 0, "cannot open directory: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*p));
			if (p == NULL) {
				rc = ssp_diag_set(diag, dir, 0, 0, "out of memory");
				break;
			}
			names = p;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = ssp_diag_set(diag, dir, 0, 0, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && rc == 0; i++) {
		char path[4096];
		struct stat st;
		size_t len = strlen(names[i]);

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= sizeof(path)) {
			rc = ssp_diag_set(diag, dir, 0, 0, "path too long");
			break;
		}
		int json = len > 5 && strcmp(names[i] + len - 5, ".json") == 0;

		/* nothing is skipped silently: a dangling link, a loop, a FIFO or a
		 * directory where a vector file should be is an error with its path */
		if (stat(path, &st) != 0)
			rc = ssp_diag_set(diag, path, 0, 0, "cannot read: %s", strerror(errno));
		else if (S_ISDIR(st.st_mode) && json)
			rc = ssp_diag_set(diag, path, 0, 0, "a directory named like a vector file (*.json)");
		else if (S_ISDIR(st.st_mode))
			rc = walk(c, path, profile, diag, depth + 1);
		else if (json && !S_ISREG(st.st_mode))
			rc = ssp_diag_set(diag, path, 0, 0, "not a regular file (a FIFO, socket or device)");
		else if (json)
			rc = ssp_catalogue_load_file(c, path, profile, diag);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int ssp_catalogue_load_dir(ssp_catalogue_t *c, const char *dir,
			   const ssp_profile_t *profile, ssp_diag_t *diag)
{
	if (walk(c, dir, profile, diag, 0) != 0)
		return -1;
	return ssp_catalogue_sort(c, diag);
}

static int cmp_vector(const void *a, const void *b)
{
	return strcmp(((const ssp_vector_t *)a)->id, ((const ssp_vector_t *)b)->id);
}

int ssp_catalogue_sort(ssp_catalogue_t *c, ssp_diag_t *diag)
{
	size_t i;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), cmp_vector);
	for (i = 1; i < c->n; i++) {
		if (strcmp(c->v[i - 1].id, c->v[i].id) == 0)
			return ssp_diag_set(diag, c->v[i].file, (int)c->v[i].line, 1,
					    "duplicate vector id \"%s\" (also at %s:%u)", c->v[i].id,
					    c->v[i - 1].file, c->v[i - 1].line);
	}
	return 0;
}

const ssp_vector_t *ssp_catalogue_find(const ssp_catalogue_t *c, const char *id)
{
	ssp_vector_t key;

	if (c->n == 0)
		return NULL;
	key.id = (char *)id;
	return bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_vector);
}

void ssp_catalogue_free(ssp_catalogue_t *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		ssp_vector_free_fields(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}
