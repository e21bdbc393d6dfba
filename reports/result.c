/*
 * result.c (reports) - the result document read into typed structs (see
 * result.h), checked against reports/result.schema.json on the way in,
 * and the helpers every writer of a document shares: order by RFC section,
 * "same section?", lookup by id, the names of certification outcomes.
 *
 * A document read from a file is input like any other: each field is
 * checked for its type, its known names and its size; the first thing
 * wrong is reported with its JSON path at file:line:column (jsonfile.h),
 * and nothing of a refused document is used.  Every string is copied into
 * the document's own memory, so no jansson value outlives the loader.
 *
 * Every bound admits whatever json.c writes for a run (the live document
 * is read through here too): results by the catalogue's size, transcript
 * entries by the transcript's caps, EHLO lines by the bytes of a reply,
 * strings by twice the file cap (a whole reply in the display escaping).
 */
#include "result.h"

#include "../harness/buf.h"
#include "../harness/escape.h"
#include "../harness/jsonfile.h"
#include "../harness/limits.h"
#include "../harness/tlsopt.h"

#include <jansson.h>
#include <limits.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- names ---------------------------------------------------------------- */

#define CERT_NAME(e, name) name,
static const char *const cert_names[] = { SSP_CERT_MAP(CERT_NAME) };
#undef CERT_NAME
#define DIFF_KEY(e, key, label) key,
static const char *const diff_keys[] = { SSP_DIFF_MAP(DIFF_KEY) };
#undef DIFF_KEY
#define DIFF_LABEL(e, key, label) label,
static const char *const diff_labels[] = { SSP_DIFF_MAP(DIFF_LABEL) };
#undef DIFF_LABEL

const char *ssp_cert_level_name(ssp_cert_level_t l)
{
	return (unsigned)l < SSP_CERT_COUNT ? cert_names[l] : "?";
}

const char *ssp_diff_kind_key(ssp_diff_kind_t k)
{
	return (unsigned)k < SSP_DIFF_KINDS ? diff_keys[k] : "?";
}

const char *ssp_diff_kind_label(ssp_diff_kind_t k)
{
	return (unsigned)k < SSP_DIFF_KINDS ? diff_labels[k] : "?";
}

const char *ssp_doc_verdict_name(int v)
{
	return v == SSP_DOC_ABSENT ? "absent" : ssp_verdict_name((ssp_verdict_t)v);
}

/* cert_parse - the certification outcome named name, or -1. */
static int cert_parse(const char *name)
{
	int i;

	for (i = 0; i < SSP_CERT_COUNT; i++) {
		if (strcmp(cert_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* verdict_or_absent - a verdict name or "absent" (SSP_DOC_ABSENT); -2 if neither. */
static int verdict_or_absent(const char *name)
{
	int v = ssp_verdict_parse(name);

	return v >= 0 ? v : strcmp(name, "absent") == 0 ? SSP_DOC_ABSENT : -2;
}

/* The names of the TLS modes ("mode" of the target's "tls"), in ssp_tls_mode_t order. */
static const char *const tls_mode_names[] = { [SSP_TLS_MODE_NONE] = "none", [SSP_TLS_MODE_STARTTLS] = "starttls",
					       [SSP_TLS_MODE_IMPLICIT] = "implicit" };

const char *ssp_doc_tls_mode_name(int mode)
{
	return mode >= 0 && mode < (int)(sizeof(tls_mode_names) / sizeof(tls_mode_names[0])) ? tls_mode_names[mode]
											     : "?";
}

/* tls_mode_parse - a TLS mode name, or -1. */
static int tls_mode_parse(const char *name)
{
	int i;

	for (i = 0; i < (int)(sizeof(tls_mode_names) / sizeof(tls_mode_names[0])); i++) {
		if (strcmp(tls_mode_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* tr_dir_parse - 'C', 'S' or '#' as a transcript direction, or -1. */
static int tr_dir_parse(const char *name)
{
	if (strcmp(name, "C") == 0)
		return SSP_TR_CLIENT;
	if (strcmp(name, "S") == 0)
		return SSP_TR_SERVER;
	if (strcmp(name, "#") == 0)
		return SSP_TR_NOTE;
	return -1;
}

/* ---- the document's memory: blocks that are freed together ------------------ */

typedef struct block_s {
	struct block_s *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
} block_t;

struct ssp_doc_mem_s {
	block_t *head;
};

#define BLOCK_BYTES (64 * 1024)

/* mem_alloc - n zeroed bytes, aligned for any type, freed with the document; NULL: out of memory. */
static void *mem_alloc(ssp_doc_mem_t *m, size_t n)
{
	size_t need = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	block_t *b = m->head;

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > BLOCK_BYTES ? need : BLOCK_BYTES;
		if ((b = calloc(1, sizeof(*b) + size)) == NULL)
			return NULL;
		b->size = size;
		if (need > BLOCK_BYTES && m->head != NULL) {
			/* a large one gets its own block, behind the one being filled */
			b->next = m->head->next;
			m->head->next = b;
		} else {
			b->next = m->head;
			m->head = b;
		}
	}
	b->used += need;
	return b->data + b->used - need;
}

/* mem_array - an array of n elements of size bytes (n may be 0): NULL only when out of memory. */
static void *mem_array(ssp_doc_mem_t *m, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return mem_alloc(m, n ? n * size : 1);
}

void ssp_doc_free(ssp_doc_t *doc)
{
	block_t *b, *next;

	ssp_diff_free(&doc->own_baseline);
	if (doc->mem != NULL) {
		for (b = doc->mem->head; b != NULL; b = next) {
			next = b->next;
			free(b);
		}
		free(doc->mem);
	}
	memset(doc, 0, sizeof(*doc));
}

/* ---- reading with located errors -------------------------------------------- */

typedef struct {
	ssp_jfile_t *f;
	ssp_doc_t *doc;
} ld_t;

/* String checks of str(). */
#define S_REQUIRED 1  /* the member must be there */
#define S_NONEMPTY 2  /* minLength 1 */
#define S_ESCAPED 4   /* printable ASCII only (the display escaping) */
#define S_NULL 8      /* null is allowed: *out NULL */

/* oom - the error for a failed allocation. */
static int oom(ld_t *l)
{
	return ssp_jfile_error(l->f, 0, "out of memory");
}

/* shown - value as a short, escaped text for a message (into out). */
static const char *shown(const char *value, char *out, size_t size)
{
	ssp_buf_t b;
	size_t n = strlen(value);

	ssp_buf_init(&b, 4 * 40 + 8);
	ssp_escape_display(&b, value, n > 40 ? 40 : n);
	snprintf(out, size, "%.*s%s", (int)b.len, b.data ? b.data : "", n > 40 ? "..." : "");
	ssp_buf_free(&b);
	return out;
}

/* copy - s[0..n) and a NUL into the document's memory, or NULL. */
static const char *copy(ld_t *l, const char *s, size_t n)
{
	char *p = mem_alloc(l->doc->mem, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* check_str - the checks of flags on the string value v (the current path is v's): 0 or -1. */
static int check_str(ld_t *l, const json_t *v, int flags)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), i;

	if (n > SSP_RESULT_STRING_MAX)
		return ssp_jfile_error(l->f, 0, "longer than %d bytes", SSP_RESULT_STRING_MAX);
	if (strlen(s) != n)
		return ssp_jfile_error(l->f, 0, "must not contain NUL (\\u0000)");
	if ((flags & S_NONEMPTY) && n == 0)
		return ssp_jfile_error(l->f, 0, "must not be empty");
	for (i = 0; (flags & S_ESCAPED) && i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return ssp_jfile_error(l->f, 0, "must hold printable ASCII only (the display escaping), "
					       "not byte 0x%02x at offset %zu", (unsigned char)s[i], i);
	}
	return 0;
}

/* str - the string member key of o, checked (flags) and copied: 0 or -1; missing and optional: *out NULL. */
static int str(ld_t *l, json_t *o, const char *key, int flags, const char **out)
{
	json_t *v = json_object_get(o, key);
	int rc = 0;

	*out = NULL;
	ssp_jfile_push_key(l->f, key);
	if (v == NULL) {
		if (flags & S_REQUIRED)
			rc = ssp_jfile_error(l->f, 0, "required field is missing");
	} else if (json_is_null(v) && (flags & S_NULL)) {
		/* *out stays NULL */
	} else if (!json_is_string(v)) {
		rc = ssp_jfile_error(l->f, 0, "must be a string%s, not %s", flags & S_NULL ? " or null" : "",
				     ssp_jfile_type_name(v));
	} else if ((rc = check_str(l, v, flags)) == 0 &&
		   (*out = copy(l, json_string_value(v), json_string_length(v))) == NULL) {
		rc = oom(l);
	}
	ssp_jfile_pop(l->f);
	return rc;
}

/* num - the required integer member key of o in [min, max]: 0 or -1. */
static int num(ld_t *l, json_t *o, const char *key, long long min, long long max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	int rc = 0;

	ssp_jfile_push_key(l->f, key);
	if (v == NULL)
		rc = ssp_jfile_error(l->f, 0, "required field is missing");
	else if (!json_is_integer(v))
		rc = ssp_jfile_error(l->f, 0, "must be an integer, not %s", ssp_jfile_type_name(v));
	else if (json_integer_value(v) < min || json_integer_value(v) > max)
		rc = max == LLONG_MAX ? ssp_jfile_error(l->f, 0, "must be an integer of at least %lld", min)
				      : ssp_jfile_error(l->f, 0, "must be between %lld and %lld", min, max);
	else
		*out = (uint64_t)json_integer_value(v);
	ssp_jfile_pop(l->f);
	return rc;
}

/* unum - num() into an unsigned. */
static int unum(ld_t *l, json_t *o, const char *key, long long min, long long max, unsigned *out)
{
	uint64_t v = 0;

	if (num(l, o, key, min, max, &v) != 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* boolean - the required boolean member key of o: 0 or -1. */
static int boolean(ld_t *l, json_t *o, const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	int rc = 0;

	ssp_jfile_push_key(l->f, key);
	if (v == NULL)
		rc = ssp_jfile_error(l->f, 0, "required field is missing");
	else if (!json_is_boolean(v))
		rc = ssp_jfile_error(l->f, 0, "must be true or false, not %s", ssp_jfile_type_name(v));
	else
		*out = json_is_true(v);
	ssp_jfile_pop(l->f);
	return rc;
}

/*
 * name - the member key of o as one of a table's names (parse gives its
 * value, or < -1 / -1 for an unknown name; absent_ok: "absent" too); what
 * lists the names for the message.  Missing and optional: 0, *out unchanged.
 */
static int name(ld_t *l, json_t *o, const char *key, int required, int (*parse)(const char *),
		const char *what, int *out)
{
	const char *s;
	char buf[200];
	int v;

	if (str(l, o, key, required ? S_REQUIRED : 0, &s) != 0)
		return -1;
	if (s == NULL)
		return 0;
	v = parse(s);
	if (v < -1 || (v == -1 && parse != verdict_or_absent)) {
		ssp_jfile_push_key(l->f, key);
		ssp_jfile_error(l->f, 0, "unknown name \"%s\": must be %s", shown(s, buf, sizeof(buf)), what);
		ssp_jfile_pop(l->f);
		return -1;
	}
	*out = v;
	return 0;
}

/* member - the member key of o, which must be of type (JSON_OBJECT, JSON_ARRAY): 0 or -1. */
static int member(ld_t *l, json_t *o, const char *key, json_type type, json_t **out)
{
	json_t *v = json_object_get(o, key);
	int rc = 0;

	*out = v;
	ssp_jfile_push_key(l->f, key);
	if (v == NULL)
		rc = ssp_jfile_error(l->f, 0, "required field is missing");
	else if (json_typeof(v) != type)
		rc = ssp_jfile_error(l->f, 0, "must be %s, not %s", type == JSON_OBJECT ? "an object" : "an array",
				     ssp_jfile_type_name(v));
	ssp_jfile_pop(l->f);
	return rc;
}

/* array - member() of an array with at most max items: its size, or -1. */
static long array(ld_t *l, json_t *o, const char *key, size_t max, json_t **out)
{
	if (member(l, o, key, JSON_ARRAY, out) != 0)
		return -1;
	if (json_array_size(*out) > max) {
		ssp_jfile_push_key(l->f, key);
		ssp_jfile_error(l->f, 0, "more than %zu items", max);
		ssp_jfile_pop(l->f);
		return -1;
	}
	return (long)json_array_size(*out);
}

/* keys - the members of o must be among allowed (additionalProperties false): 0 or -1. */
static int keys(ld_t *l, json_t *o, const char *const *allowed)
{
	return ssp_jfile_check_keys(l->f, o, allowed);
}

/* strings - the array member key of o: strings (flags), at most max: 0 or -1. */
static int strings(ld_t *l, json_t *o, const char *key, size_t max, int flags, const char *const **out,
		   size_t *n)
{
	json_t *a, *e;
	const char **list;
	size_t i;
	long cnt = array(l, o, key, max, &a);

	if (cnt < 0)
		return -1;
	if ((list = mem_array(l->doc->mem, (size_t)cnt, sizeof(*list))) == NULL)
		return oom(l);
	ssp_jfile_push_key(l->f, key);
	json_array_foreach(a, i, e) {
		int rc = 0;
		ssp_jfile_push_index(l->f, i);
		if (!json_is_string(e))
			rc = ssp_jfile_error(l->f, 0, "must be a string, not %s", ssp_jfile_type_name(e));
		else if ((rc = check_str(l, e, flags)) == 0 &&
			 (list[i] = copy(l, json_string_value(e), json_string_length(e))) == NULL)
			rc = oom(l);
		ssp_jfile_pop(l->f);
		if (rc != 0) {
			ssp_jfile_pop(l->f);
			return -1;
		}
	}
	ssp_jfile_pop(l->f);
	*out = list;
	*n = (size_t)cnt;
	return 0;
}

/* ---- the parts of a document ------------------------------------------------- */

/* transcript - the array member key of o as transcript entries: 0 or -1. */
static int transcript(ld_t *l, json_t *o, const char *key, const ssp_doc_entry_t **out, size_t *n)
{
	static const char *const entry_keys[] = { "t_ms", "dir", "text", "partial", NULL };
	json_t *a, *e;
	ssp_doc_entry_t *list;
	size_t i;
	long cnt = array(l, o, key, SSP_RESULT_ENTRIES_MAX, &a);
	int rc = 0;

	if (cnt < 0)
		return -1;
	if ((list = mem_array(l->doc->mem, (size_t)cnt, sizeof(*list))) == NULL)
		return oom(l);
	ssp_jfile_push_key(l->f, key);
	json_array_foreach(a, i, e) {
		ssp_doc_entry_t *t = &list[i];
		json_t *partial;
		int dir = 0;

		ssp_jfile_push_index(l->f, i);
		if (!json_is_object(e))
			rc = ssp_jfile_error(l->f, 0, "must be an object, not %s", ssp_jfile_type_name(e));
		else if (keys(l, e, entry_keys) != 0 || num(l, e, "t_ms", 0, LLONG_MAX, &t->t_ms) != 0 ||
			 name(l, e, "dir", 1, tr_dir_parse, "\"C\", \"S\" or \"#\"", &dir) != 0 ||
			 str(l, e, "text", S_REQUIRED | S_ESCAPED, &t->text) != 0)
			rc = -1;
		if (rc == 0 && (partial = json_object_get(e, "partial")) != NULL && !json_is_true(partial)) {
			ssp_jfile_push_key(l->f, "partial");
			rc = ssp_jfile_error(l->f, 0, "must be true when present");
			ssp_jfile_pop(l->f);
		}
		ssp_jfile_pop(l->f);
		if (rc != 0)
			break;
		t->dir = (ssp_tr_dir_t)dir;
		t->len = strlen(t->text);
		t->partial = partial != NULL;
	}
	ssp_jfile_pop(l->f);
	*out = list;
	*n = (size_t)cnt;
	return rc;
}

/* counts - the object member key of o: "total" and one count per verdict: 0 or -1. */
static int counts(ld_t *l, json_t *o, const char *key, ssp_doc_counts_t *c)
{
	static const char *const count_keys[] = { "total",
#define COUNT_KEY(e, name, fails, finding) name,
						  SSP_VERDICT_MAP(COUNT_KEY)
#undef COUNT_KEY
						  NULL };
	json_t *v;
	int i, rc;

	if (member(l, o, key, JSON_OBJECT, &v) != 0)
		return -1;
	ssp_jfile_push_key(l->f, key);
	rc = keys(l, v, count_keys) || num(l, v, "total", 0, LLONG_MAX, &c->total);
	for (i = 0; rc == 0 && i < SSP_VERDICT_COUNT; i++)
		rc = num(l, v, ssp_verdict_name((ssp_verdict_t)i), 0, LLONG_MAX, &c->n[i]);
	ssp_jfile_pop(l->f);
	return rc ? -1 : 0;
}

/* id_ok - the schema's id pattern: ^rfc[0-9]+/[^/]+/[a-z0-9._-]+$ */
static int id_ok(const char *id)
{
	const char *p = id + 3, *slash;

	if (strncmp(id, "rfc", 3) != 0 || !(*p >= '0' && *p <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '/' || (slash = strchr(p, '/')) == NULL || slash == p)
		return 0;
	for (p = slash + 1; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			return 0;
	}
	return p > slash + 1;
}

/* file_ok - the schema's file pattern: ":[0-9]+$" */
static int file_ok(const char *s)
{
	const char *colon = strrchr(s, ':');

	return colon != NULL && colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1);
}

/* bad - an error at member key of the current object. */
static int bad(ld_t *l, const char *key, const char *msg)
{
	ssp_jfile_push_key(l->f, key);
	ssp_jfile_error(l->f, 0, "%s", msg);
	ssp_jfile_pop(l->f);
	return -1;
}

/*
 * repeat - the optional "repeat" of a result into r: rounds, and a count of
 * at least 1 for each verdict seen, which add up to rounds and include the
 * result's own verdict (the worst): 0 or -1.
 */
static int repeat(ld_t *l, json_t *o, ssp_doc_result_t *r)
{
	static const char *const repeat_keys[] = { "rounds", "verdicts", NULL };
	static const char *const verdict_keys[] = {
#define VERDICT_KEY(e, vname, fails, finding) vname,
		SSP_VERDICT_MAP(VERDICT_KEY)
#undef VERDICT_KEY
		NULL };
	json_t *rep, *vs;
	uint64_t sum = 0;
	int v, seen = 0, rc;

	if (json_object_get(o, "repeat") == NULL)
		return 0;
	if (member(l, o, "repeat", JSON_OBJECT, &rep) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "repeat");
	rc = keys(l, rep, repeat_keys) || unum(l, rep, "rounds", 1, SSP_RUN_REPEAT_MAX, &r->rounds) ||
	     member(l, rep, "verdicts", JSON_OBJECT, &vs);
	if (rc == 0) {
		ssp_jfile_push_key(l->f, "verdicts");
		rc = keys(l, vs, verdict_keys);
		for (v = 0; rc == 0 && v < SSP_VERDICT_COUNT; v++) {
			if (json_object_get(vs, ssp_verdict_name((ssp_verdict_t)v)) == NULL)
				continue;
			rc = unum(l, vs, ssp_verdict_name((ssp_verdict_t)v), 1, SSP_RUN_REPEAT_MAX, &r->verdicts[v]);
			sum += r->verdicts[v];
			seen++;
		}
		ssp_jfile_pop(l->f);
	}
	if (rc == 0 && sum != r->rounds)
		rc = bad(l, "verdicts", "the counts must add up to rounds");
	ssp_jfile_pop(l->f);
	r->unstable = seen > 1;
	return rc ? -1 : 0;
}

/* result - one entry of "results" into r: 0 or -1. */
static int result(ld_t *l, json_t *o, ssp_doc_result_t *r)
{
	static const char *const result_keys[] = {
		"id", "title", "rfc", "section", "level", "category", "quote", "verdict", "reason", "expected",
		"observed", "step", "duration_ms", "file", "transcript", "suites", "repeat", NULL,
	};
	int level = 0, category = SSP_CATEGORY_CONFORMANCE, verdict = 0;

	if (!json_is_object(o))
		return ssp_jfile_error(l->f, 0, "must be an object, not %s", ssp_jfile_type_name(o));
	if (keys(l, o, result_keys) || str(l, o, "id", S_REQUIRED, &r->id))
		return -1;
	if (strlen(r->id) > SSP_ID_MAX || !id_ok(r->id))
		return bad(l, "id", "must be \"rfcN/SECTION/name\" with name of [a-z0-9._-], at most "
				    SSP_XSTR(SSP_ID_MAX) " bytes");
	if (str(l, o, "title", S_REQUIRED | S_NONEMPTY, &r->title) || unum(l, o, "rfc", 1, 99999, &r->rfc) ||
	    str(l, o, "section", S_REQUIRED | S_NONEMPTY, &r->section) ||
	    name(l, o, "level", 1, ssp_level_parse, "\"MUST\", \"SHOULD\" or \"MAY\"", &level) ||
	    name(l, o, "category", 0, ssp_category_parse, "\"conformance\" or \"security\"", &category) ||
	    str(l, o, "quote", S_REQUIRED | S_NONEMPTY, &r->quote) ||
	    name(l, o, "verdict", 1, ssp_verdict_parse, "\"pass\", \"fail\", \"warn\", \"info\", \"skip\" or \"error\"",
		 &verdict) ||
	    str(l, o, "reason", S_REQUIRED, &r->reason) || str(l, o, "expected", S_REQUIRED, &r->expected) ||
	    str(l, o, "observed", S_REQUIRED | S_ESCAPED, &r->observed) ||
	    unum(l, o, "step", 0, UINT32_MAX, &r->step) || num(l, o, "duration_ms", 0, LLONG_MAX, &r->duration_ms) ||
	    str(l, o, "file", S_REQUIRED, &r->file))
		return -1;
	if (!file_ok(r->file))
		return bad(l, "file", "must be the vector's FILE:LINE");
	if (transcript(l, o, "transcript", &r->transcript, &r->ntranscript) ||
	    strings(l, o, "suites", SSP_VECTORS_MAX, 0, &r->suites, &r->nsuites) || repeat(l, o, r))
		return -1;
	if (r->rounds > 0 && r->verdicts[verdict] == 0)
		return bad(l, "repeat", "the verdict of a repeated result must be one its rounds gave");
	r->level = (ssp_level_t)level;
	r->category = (ssp_category_t)category;
	r->verdict = (ssp_verdict_t)verdict;
	return 0;
}

/* id_cmp - qsort order of result pointers by id. */
static int id_cmp(const void *a, const void *b)
{
	return strcmp((*(const ssp_doc_result_t *const *)a)->id, (*(const ssp_doc_result_t *const *)b)->id);
}

/* results - the "results" array; every id once: 0 or -1. */
static int results(ld_t *l, json_t *root)
{
	json_t *a, *e;
	ssp_doc_result_t *list;
	const ssp_doc_result_t **byid;
	size_t i;
	long n = array(l, root, "results", SSP_VECTORS_MAX, &a);
	int rc = 0;

	if (n < 0)
		return -1;
	if ((list = mem_array(l->doc->mem, (size_t)n, sizeof(*list))) == NULL)
		return oom(l);
	ssp_jfile_push_key(l->f, "results");
	json_array_foreach(a, i, e) {
		ssp_jfile_push_index(l->f, i);
		rc = result(l, e, &list[i]);
		list[i].index = i;
		ssp_jfile_pop(l->f);
		if (rc != 0)
			break;
	}
	l->doc->results = list;
	l->doc->nresults = (size_t)n;
	if (rc == 0) {
		if ((byid = mem_array(l->doc->mem, (size_t)n, sizeof(*byid))) == NULL) {
			rc = oom(l);
		} else {
			for (i = 0; i < (size_t)n; i++)
				byid[i] = &list[i];
			qsort(byid, (size_t)n, sizeof(*byid), id_cmp);
			for (i = 1; rc == 0 && i < (size_t)n; i++) {
				if (strcmp(byid[i - 1]->id, byid[i]->id) == 0) {
					ssp_jfile_push_index(l->f, (size_t)(byid[i] - list));
					rc = bad(l, "id", "the same id as another result: each vector appears once");
					ssp_jfile_pop(l->f);
				}
			}
			l->doc->byid = byid;
		}
	}
	ssp_jfile_pop(l->f);
	return rc;
}

/* bounded - str() of an optional string or null, at most max bytes: 0 or -1. */
static int bounded(ld_t *l, json_t *o, const char *key, int flags, size_t max, const char **out)
{
	int rc = str(l, o, key, flags, out);

	if (rc == 0 && *out != NULL && strlen(*out) > max) {
		ssp_jfile_push_key(l->f, key);
		rc = ssp_jfile_error(l->f, 0, "longer than %zu bytes", max);
		ssp_jfile_pop(l->f);
	}
	return rc;
}

/* tls - the optional "tls" object of the target (older documents have none): 0 or -1. */
static int tls(ld_t *l, json_t *target, ssp_doc_tls_t *t)
{
	static const char *const tls_keys[] = { "mode", "verify", "sni", "ca_file", "client_certificate", "protocol",
						 "cipher", "peer_subject", "peer_verified", "error", NULL };
	json_t *o = json_object_get(target, "tls"), *pv;
	int rc;

	memset(t, 0, sizeof(*t));
	t->peer_verified = -1;
	if (o == NULL)
		return 0;
	if (member(l, target, "tls", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "tls");
	/* the server's strings are in the display escaping: at most 4 bytes a byte */
	rc = keys(l, o, tls_keys) ||
	     name(l, o, "mode", 1, tls_mode_parse, "\"none\", \"starttls\" or \"implicit\"", &t->mode) ||
	     boolean(l, o, "verify", &t->verify) ||
	     boolean(l, o, "client_certificate", &t->client_certificate) ||
	     bounded(l, o, "sni", S_REQUIRED | S_NULL | S_NONEMPTY, SSP_DOMAIN_MAX - 1, &t->sni) ||
	     str(l, o, "ca_file", S_REQUIRED | S_NULL, &t->ca_file) ||
	     bounded(l, o, "protocol", S_REQUIRED | S_NULL | S_ESCAPED, 4 * (SSP_TLS_NAME_MAX - 1), &t->protocol) ||
	     bounded(l, o, "cipher", S_REQUIRED | S_NULL | S_ESCAPED, 4 * (SSP_TLS_NAME_MAX - 1), &t->cipher) ||
	     bounded(l, o, "peer_subject", S_REQUIRED | S_NULL | S_ESCAPED, 4 * (SSP_TLS_SUBJECT_MAX - 1),
		     &t->peer_subject) ||
	     str(l, o, "error", S_REQUIRED | S_NULL, &t->error);
	if (rc == 0) {
		pv = json_object_get(o, "peer_verified");
		ssp_jfile_push_key(l->f, "peer_verified");
		if (pv == NULL)
			rc = ssp_jfile_error(l->f, 0, "required field is missing");
		else if (!json_is_boolean(pv) && !json_is_null(pv))
			rc = ssp_jfile_error(l->f, 0, "must be true, false or null, not %s", ssp_jfile_type_name(pv));
		else
			t->peer_verified = json_is_null(pv) ? -1 : json_is_true(pv);
		ssp_jfile_pop(l->f);
	}
	ssp_jfile_pop(l->f);
	t->present = rc == 0;
	return rc ? -1 : 0;
}

/* target - the "target" object: 0 or -1. */
static int target(ld_t *l, json_t *root)
{
	static const char *const target_keys[] = { "spec", "host", "port", "address", "greeting", "ehlo",
						    "extensions", "probe", "mailbox", "domain", "rejected_mailbox",
						    "recipients", "tls", NULL };
	ssp_doc_target_t *t = &l->doc->target;
	json_t *o;
	int rc;

	if (member(l, root, "target", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "target");
	rc = keys(l, o, target_keys) || str(l, o, "spec", S_REQUIRED, &t->spec) ||
	     str(l, o, "host", S_REQUIRED, &t->host) || unum(l, o, "port", 0, 65535, &t->port) ||
	     str(l, o, "address", S_REQUIRED, &t->address) ||
	     str(l, o, "greeting", S_REQUIRED | S_ESCAPED | S_NULL, &t->greeting) ||
	     str(l, o, "ehlo", S_REQUIRED | S_ESCAPED | S_NULL, &t->ehlo) ||
	     strings(l, o, "extensions", SSP_REPLY_BYTES_HARD_MAX, S_ESCAPED, &t->extensions, &t->nextensions) ||
	     str(l, o, "mailbox", S_ESCAPED, &t->mailbox) || str(l, o, "domain", S_ESCAPED, &t->domain) ||
	     str(l, o, "rejected_mailbox", S_ESCAPED, &t->rejected_mailbox) ||
	     str(l, o, "recipients", S_ESCAPED, &t->recipients) ||
	     transcript(l, o, "probe", &t->probe, &t->nprobe) ||
	     tls(l, o, &t->tls);
	ssp_jfile_pop(l->f);
	return rc ? -1 : 0;
}

/* started_ok - the schema's pattern YYYY-MM-DDTHH:MM:SSZ. */
static int started_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return 0;
	}
	return 1;
}

/* sha256_ok - 64 lowercase hex digits after prefix. */
static int sha256_ok(const char *s, const char *prefix)
{
	size_t p = strlen(prefix);

	return strncmp(s, prefix, p) == 0 && strlen(s + p) == 64 && strspn(s + p, "0123456789abcdef") == 64;
}

/* suite - one entry of certification.suites, or the selection (named 0). */
static int suite(ld_t *l, json_t *o, int named, ssp_doc_suite_t *s)
{
	static const char *const selection_keys[] = { "title", "vectors", "selected", "counts", "line", NULL };
	static const char *const suite_keys[] = { "title", "vectors", "selected", "counts", "line", "name",
						  "conforms", "conforms_must", "conforms_should", "statement", NULL };
	json_t *c;
	int i, conforms = SSP_CERT_PARTIAL;

	if (!json_is_object(o))
		return ssp_jfile_error(l->f, 0, "must be an object, not %s", ssp_jfile_type_name(o));
	if (keys(l, o, named ? suite_keys : selection_keys) || str(l, o, "title", S_REQUIRED, &s->title) ||
	    num(l, o, "vectors", 0, LLONG_MAX, &s->vectors) || num(l, o, "selected", 0, LLONG_MAX, &s->selected) ||
	    str(l, o, "line", S_REQUIRED, &s->line) || member(l, o, "counts", JSON_OBJECT, &c))
		return -1;
	ssp_jfile_push_key(l->f, "counts");
	{
		static const char *const level_keys[] = {
#define LEVEL_KEY(e, lname, verdict) lname,
			SSP_LEVEL_MAP(LEVEL_KEY)
#undef LEVEL_KEY
			NULL };
		int rc = keys(l, c, level_keys);
		for (i = 0; rc == 0 && i < SSP_LEVEL_COUNT; i++)
			rc = counts(l, c, ssp_level_name((ssp_level_t)i), &s->counts[i]);
		ssp_jfile_pop(l->f);
		if (rc != 0)
			return -1;
	}
	s->conforms = SSP_CERT_PARTIAL;
	if (!named)
		return 0;
	if (str(l, o, "name", S_REQUIRED, &s->name) ||
	    name(l, o, "conforms", 1, cert_parse, "\"should\", \"must\", \"none\", \"partial\" or \"not-applicable\"",
		 &conforms) ||
	    boolean(l, o, "conforms_must", &s->conforms_must) || boolean(l, o, "conforms_should", &s->conforms_should) ||
	    str(l, o, "statement", S_REQUIRED, &s->statement))
		return -1;
	s->conforms = (ssp_cert_level_t)conforms;
	return 0;
}

/* certification - the "certification" object: 0 or -1. */
static int certification(ld_t *l, json_t *root)
{
	static const char *const cert_keys[] = { "schema", "tool", "catalogue_sha256", "profile_sha256", "digest",
						  "target", "selection", "suites", NULL };
	ssp_doc_cert_t *c = &l->doc->cert;
	const char *schema;
	json_t *o, *sel, *a, *e;
	ssp_doc_suite_t *list;
	size_t i;
	long n;
	int rc = -1;

	if (member(l, root, "certification", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "certification");
	if (keys(l, o, cert_keys) || str(l, o, "schema", S_REQUIRED, &schema))
		goto out;
	if (strcmp(schema, "smtpspec-certification/1") != 0) {
		bad(l, "schema", "must be \"smtpspec-certification/1\"");
		goto out;
	}
	if (str(l, o, "tool", S_REQUIRED, &c->tool) || str(l, o, "target", S_REQUIRED, &c->target) ||
	    str(l, o, "catalogue_sha256", S_REQUIRED | S_NULL, &c->catalogue_sha256) ||
	    str(l, o, "profile_sha256", S_REQUIRED | S_NULL, &c->profile_sha256) ||
	    str(l, o, "digest", S_REQUIRED | S_NULL, &c->digest))
		goto out;
	if (strncmp(c->tool, "smtpspec ", 9) != 0) {
		bad(l, "tool", "must start with \"smtpspec \"");
		goto out;
	}
	if ((c->catalogue_sha256 && !sha256_ok(c->catalogue_sha256, "")) ||
	    (c->profile_sha256 && !sha256_ok(c->profile_sha256, ""))) {
		bad(l, c->catalogue_sha256 && !sha256_ok(c->catalogue_sha256, "") ? "catalogue_sha256" : "profile_sha256",
		    "must be 64 lowercase hex digits or null");
		goto out;
	}
	if (c->digest && !sha256_ok(c->digest, "sha256:")) {
		bad(l, "digest", "must be \"sha256:\" and 64 lowercase hex digits, or null");
		goto out;
	}
	if (member(l, o, "selection", JSON_OBJECT, &sel) != 0)
		goto out;
	ssp_jfile_push_key(l->f, "selection");
	rc = suite(l, sel, 0, &c->selection);
	ssp_jfile_pop(l->f);
	if (rc != 0 || (n = array(l, o, "suites", SSP_CERT_SUITES_MAX, &a)) < 0)
		goto out;
	rc = -1;
	if ((list = mem_array(l->doc->mem, (size_t)n, sizeof(*list))) == NULL) {
		oom(l);
		goto out;
	}
	ssp_jfile_push_key(l->f, "suites");
	rc = 0;
	json_array_foreach(a, i, e) {
		ssp_jfile_push_index(l->f, i);
		rc = suite(l, e, 1, &list[i]);
		ssp_jfile_pop(l->f);
		if (rc != 0)
			break;
	}
	ssp_jfile_pop(l->f);
	c->suites = list;
	c->nsuites = (size_t)n;
out:
	ssp_jfile_pop(l->f);
	return rc;
}

/* changes - one list of a baseline ("new_failures", ...). */
static int changes(ld_t *l, json_t *o, ssp_diff_kind_t k, ssp_diff_t *d)
{
	static const char *const change_keys[] = { "id", "old", "new", "reason", NULL };
	static const char *const what = "a verdict name or \"absent\"";
	json_t *a, *e;
	size_t i;
	long n = array(l, o, ssp_diff_kind_key(k), SSP_VECTORS_MAX, &a);
	int rc = 0;

	if (n < 0)
		return -1;
	if ((d->list[k] = calloc((size_t)n ? (size_t)n : 1, sizeof(*d->list[k]))) == NULL)
		return oom(l);
	ssp_jfile_push_key(l->f, ssp_diff_kind_key(k));
	json_array_foreach(a, i, e) {
		ssp_doc_change_t *c = &d->list[k][i];
		ssp_jfile_push_index(l->f, i);
		if (!json_is_object(e))
			rc = ssp_jfile_error(l->f, 0, "must be an object, not %s", ssp_jfile_type_name(e));
		else if (keys(l, e, change_keys) || str(l, e, "id", S_REQUIRED, &c->id) ||
			 name(l, e, "old", 1, verdict_or_absent, what, &c->old) ||
			 name(l, e, "new", 1, verdict_or_absent, what, &c->new_) ||
			 str(l, e, "reason", S_REQUIRED, &c->reason))
			rc = -1;
		ssp_jfile_pop(l->f);
		if (rc != 0)
			break;
		d->n[k]++;
	}
	ssp_jfile_pop(l->f);
	return rc;
}

/* baseline - the optional "baseline" object into doc->own_baseline. */
static int baseline(ld_t *l, json_t *root)
{
	static const char *const baseline_keys[] = { "file", "old_started", "strict", "new_failures", "fixed",
						      "changed", "unchanged", NULL };
	ssp_diff_t *d = &l->doc->own_baseline;
	json_t *o = json_object_get(root, "baseline");
	int k, rc;

	if (o == NULL)
		return 0;
	if (member(l, root, "baseline", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "baseline");
	rc = keys(l, o, baseline_keys) || str(l, o, "file", S_REQUIRED, &d->file) ||
	     str(l, o, "old_started", S_REQUIRED, &d->old_started) || boolean(l, o, "strict", &d->strict) ||
	     num(l, o, "unchanged", 0, LLONG_MAX, &d->unchanged);
	for (k = 0; rc == 0 && k < SSP_DIFF_KINDS; k++)
		rc = changes(l, o, (ssp_diff_kind_t)k, d);
	ssp_jfile_pop(l->f);
	if (rc == 0)
		l->doc->baseline = d;
	return rc ? -1 : 0;
}

/* causes - the optional "causes" array (findings one reply explains),
 * checked against the schema; the writers group the results themselves. */
static int causes_member(ld_t *l, json_t *root)
{
	static const char *const cause_keys[] = { "observed", "ids", NULL };
	json_t *a, *e;
	size_t i;
	int rc = 0;

	if (json_object_get(root, "causes") == NULL)
		return 0;
	if (member(l, root, "causes", JSON_ARRAY, &a) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "causes");
	json_array_foreach(a, i, e) {
		const char *observed;
		const char *const *ids;
		size_t nids;

		ssp_jfile_push_index(l->f, i);
		if (!json_is_object(e))
			rc = ssp_jfile_error(l->f, 0, "must be an object {\"observed\", \"ids\"}");
		else
			rc = keys(l, e, cause_keys) || str(l, e, "observed", S_REQUIRED | S_ESCAPED, &observed) ||
			     strings(l, e, "ids", SSP_VECTORS_MAX, 0, &ids, &nids);
		ssp_jfile_pop(l->f);
		if (rc)
			break;
	}
	ssp_jfile_pop(l->f);
	return rc ? -1 : 0;
}

/* root_fields - every member of the document (its schema already checked): 0 or -1. */
static int root_fields(ld_t *l, json_t *root)
{
	static const char *const root_keys[] = { "schema", "tool", "target", "started", "duration_ms", "catalogue",
						  "profile", "suites", "options", "summary", "exit_code", "results",
						  "certification", "baseline", "causes", "incomplete", NULL };
	static const char *const tool_keys[] = { "name", "version", NULL };
	static const char *const catalogue_keys[] = { "path", "vectors", "selected", NULL };
	static const char *const option_keys[] = { "jobs", "timeout_ms", "connect_timeout_ms", "deadline_s",
						    "strict", "repeat", "max_memory", "remote", NULL };
	static const char *const summary_keys[] = { "total",
#define SUMMARY_KEY(e, vname, fails, finding) vname,
						    SSP_VERDICT_MAP(SUMMARY_KEY)
#undef SUMMARY_KEY
						    "security", "unstable", NULL };
	ssp_doc_t *d = l->doc;
	json_t *o;
	uint64_t code = 0;
	int rc, i;

	if (keys(l, root, root_keys))
		return -1;
	/* tool */
	if (member(l, root, "tool", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "tool");
	rc = keys(l, o, tool_keys) || str(l, o, "name", S_REQUIRED, &d->tool_name) ||
	     str(l, o, "version", S_REQUIRED | S_NONEMPTY, &d->tool_version);
	if (rc == 0 && strcmp(d->tool_name, "smtpspec") != 0)
		rc = bad(l, "name", "must be \"smtpspec\"");
	ssp_jfile_pop(l->f);
	if (rc || target(l, root) || str(l, root, "started", S_REQUIRED, &d->started))
		return -1;
	if (!started_ok(d->started))
		return bad(l, "started", "must be a UTC time YYYY-MM-DDTHH:MM:SSZ");
	if (num(l, root, "duration_ms", 0, LLONG_MAX, &d->duration_ms))
		return -1;
	/* catalogue */
	if (member(l, root, "catalogue", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "catalogue");
	rc = keys(l, o, catalogue_keys) || str(l, o, "path", S_REQUIRED, &d->catalogue_path) ||
	     num(l, o, "vectors", 0, LLONG_MAX, &d->catalogue_vectors) ||
	     num(l, o, "selected", 0, LLONG_MAX, &d->catalogue_selected);
	ssp_jfile_pop(l->f);
	if (rc || str(l, root, "profile", S_REQUIRED | S_NULL, &d->profile) ||
	    strings(l, root, "suites", SSP_VECTORS_MAX, 0, &d->suites, &d->nsuites))
		return -1;
	/* options */
	if (member(l, root, "options", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "options");
	rc = keys(l, o, option_keys) || num(l, o, "jobs", 1, LLONG_MAX, &d->jobs) ||
	     num(l, o, "timeout_ms", 1, LLONG_MAX, &d->timeout_ms) ||
	     num(l, o, "connect_timeout_ms", 1, LLONG_MAX, &d->connect_timeout_ms) ||
	     num(l, o, "deadline_s", 1, LLONG_MAX, &d->deadline_s) || boolean(l, o, "strict", &d->strict);
	if (rc == 0 && json_object_get(o, "repeat") != NULL)
		rc = num(l, o, "repeat", 1, SSP_RUN_REPEAT_MAX, &d->repeat);
	if (rc == 0 && json_object_get(o, "max_memory") != NULL)
		rc = num(l, o, "max_memory", 1, LLONG_MAX, &d->max_memory);
	if (rc == 0 && json_object_get(o, "remote") != NULL)
		rc = boolean(l, o, "remote", &d->remote);
	ssp_jfile_pop(l->f);
	if (rc)
		return -1;
	/* summary: the counts, and those of the security findings (absent in earlier documents) */
	if (member(l, root, "summary", JSON_OBJECT, &o) != 0)
		return -1;
	ssp_jfile_push_key(l->f, "summary");
	rc = keys(l, o, summary_keys) || num(l, o, "total", 0, LLONG_MAX, &d->summary.total);
	for (i = 0; rc == 0 && i < SSP_VERDICT_COUNT; i++)
		rc = num(l, o, ssp_verdict_name((ssp_verdict_t)i), 0, LLONG_MAX, &d->summary.n[i]);
	if (rc == 0 && json_object_get(o, "security") != NULL)
		rc = counts(l, o, "security", &d->security);
	if (rc == 0 && json_object_get(o, "unstable") != NULL)
		rc = num(l, o, "unstable", 0, SSP_VECTORS_MAX, &d->unstable);
	ssp_jfile_pop(l->f);
	if (rc || num(l, root, "exit_code", 0, 143, &code))
		return -1;
	if (code > 3 && code != 130 && code != 143)
		return bad(l, "exit_code", "must be 0, 1, 2, 3, 130 or 143");
	d->exit_code = (int)code;
	if (str(l, root, "incomplete", 0, &d->incomplete))
		return -1;
	return results(l, root) || certification(l, root) || baseline(l, root) || causes_member(l, root) ? -1 : 0;
}

/* load - the document at f->root into doc: 0 or -1 with the error in f->diag. */
static int load(ssp_doc_t *doc, ssp_jfile_t *f)
{
	ld_t l = { f, doc };
	const char *schema;

	memset(doc, 0, sizeof(*doc));
	if ((doc->mem = calloc(1, sizeof(*doc->mem))) == NULL)
		return ssp_diag_set(f->diag, f->name, 0, 0, "out of memory");
	doc->name = copy(&l, f->name, strlen(f->name));
	if (!json_is_object(f->root))
		return ssp_jfile_error(f, 0, "a result document is an object, not %s", ssp_jfile_type_name(f->root));
	if (str(&l, f->root, "schema", 0, &schema) != 0 || schema == NULL || strcmp(schema, SSP_RESULT_SCHEMA) != 0)
		return ssp_diag_set(f->diag, f->name, 0, 0, "not a result document of schema \"%s\"", SSP_RESULT_SCHEMA);
	return root_fields(&l, f->root);
}

int ssp_doc_load(ssp_doc_t *doc, const char *file, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	struct stat st;
	int rc;

	memset(doc, 0, sizeof(*doc));
	/* not a FIFO or a directory: reading one would block or fail late */
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		return ssp_diag_set(diag, file, 0, 0, "cannot read the result document (not a regular file)");
	if (st.st_size > SSP_RESULT_FILE_BYTES_MAX)
		return ssp_diag_set(diag, file, 0, 0, "larger than %d bytes", SSP_RESULT_FILE_BYTES_MAX);
	if (ssp_jfile_open_max(&f, file, SSP_RESULT_FILE_BYTES_MAX, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	rc = load(doc, &f);
	ssp_jfile_close(&f);
	if (rc != 0)
		ssp_doc_free(doc); /* nothing of a refused document is used */
	return rc;
}

int ssp_doc_load_mem(ssp_doc_t *doc, const char *name, const char *text, size_t len, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	if (ssp_jfile_open_mem(&f, name, text, len, diag) == 0)
		rc = load(doc, &f);
	ssp_jfile_close(&f);
	if (rc != 0)
		ssp_doc_free(doc);
	return rc;
}

int ssp_doc_from_json(ssp_doc_t *doc, const struct json_t *root, const char *name, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	ssp_diag_t here;

	memset(&f, 0, sizeof(f));
	ssp_diag_init(&here);
	f.name = name;
	f.text = NULL;          /* no text: errors name the path only */
	f.len = 0;
	f.root = (json_t *)root; /* borrowed, never released here */
	f.diag = &here;
	if (load(doc, &f) != 0) {
		ssp_doc_free(doc);
		/* no text, so no line and column: the path says where */
		return ssp_diag_set(diag, name, 0, 0, "%s", here.text);
	}
	return 0;
}

/* ---- order and lookup ---------------------------------------------------------- */

/* section_cmp - order of two section names, numeric parts as numbers ("4.1.10" after "4.1.9"). */
static int section_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
		} else {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

int ssp_doc_result_cmp(const ssp_doc_result_t *a, const ssp_doc_result_t *b)
{
	int c;

	if (a->rfc != b->rfc)
		return a->rfc < b->rfc ? -1 : 1;
	if ((c = section_cmp(a->section, b->section)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

int ssp_doc_same_section(const ssp_doc_result_t *a, const ssp_doc_result_t *b)
{
	return a->rfc == b->rfc && strcmp(a->section, b->section) == 0;
}

/* order_cmp - qsort order of result pointers: ssp_doc_result_cmp. */
static int order_cmp(const void *a, const void *b)
{
	return ssp_doc_result_cmp(*(const ssp_doc_result_t *const *)a, *(const ssp_doc_result_t *const *)b);
}

const ssp_doc_result_t **ssp_doc_order(const ssp_doc_t *doc)
{
	const ssp_doc_result_t **order = malloc((doc->nresults ? doc->nresults : 1) * sizeof(*order));
	size_t i;

	if (order == NULL)
		return NULL;
	for (i = 0; i < doc->nresults; i++)
		order[i] = &doc->results[i];
	qsort(order, doc->nresults, sizeof(*order), order_cmp);
	return order;
}

const ssp_doc_result_t *ssp_doc_find(const ssp_doc_t *doc, const char *id)
{
	size_t lo = 0, hi = doc->byid ? doc->nresults : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(doc->byid[mid]->id, id);
		if (c == 0)
			return doc->byid[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t ssp_doc_findings(const ssp_doc_counts_t *c)
{
	uint64_t n = 0;
	int v;

	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		if (ssp_verdict_is_finding((ssp_verdict_t)v))
			n += c->n[v];
	}
	return n;
}

int ssp_doc_is_security_finding(const ssp_doc_result_t *r)
{
	return r->category == SSP_CATEGORY_SECURITY && ssp_verdict_is_finding(r->verdict);
}

/* ---- one result at a time ------------------------------------------------------ */

int ssp_doc_result_from_json(ssp_doc_t *one, const struct json_t *o, const char *name, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	ssp_diag_t here;
	ssp_doc_result_t *r;
	ld_t l = { &f, one };

	memset(one, 0, sizeof(*one));
	memset(&f, 0, sizeof(f));
	ssp_diag_init(&here);
	f.name = name;
	f.root = (json_t *)o; /* borrowed, never released here */
	f.diag = &here;
	if ((one->mem = calloc(1, sizeof(*one->mem))) == NULL ||
	    (r = mem_array(one->mem, 1, sizeof(*r))) == NULL) {
		ssp_doc_free(one);
		return ssp_diag_set(diag, name, 0, 0, "out of memory");
	}
	ssp_jfile_push_key(&f, "results");
	ssp_jfile_push_index(&f, 0);
	if (result(&l, (json_t *)o, r) != 0) {
		ssp_doc_free(one);
		return ssp_diag_set(diag, name, 0, 0, "%s", here.text);
	}
	one->results = r;
	one->nresults = 1;
	return 0;
}

const ssp_doc_result_t *ssp_doc_whole(const ssp_doc_t *doc, const ssp_doc_result_t *r, ssp_doc_t *one,
				      ssp_diag_t *diag)
{
	memset(one, 0, sizeof(*one));
	if (doc->fetch == NULL)
		return r;
	if (doc->fetch(doc->fetch_arg, r->index, one, diag) != 0)
		return NULL;
	return &one->results[0];
}
