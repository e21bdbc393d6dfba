/*
 * vector.c - helpers of the vector model: levels and reply-code sets.
 */
#include "vector.h"

#include "limits.h"
#include "reply.h"
#include "sender.h"
#include "tpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL_NAME(e, name, verdict) name,
static const char *const level_names[] = { SSP_LEVEL_MAP(LEVEL_NAME) };
#undef LEVEL_NAME
#define CATEGORY_NAME(e, name) name,
static const char *const category_names[] = { SSP_CATEGORY_MAP(CATEGORY_NAME) };
#undef CATEGORY_NAME

/* lookup - the index of name in names[0..n), or -1. */
static int lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

const char *ssp_level_name(ssp_level_t l)
{
	return (unsigned)l < SSP_LEVEL_COUNT ? level_names[l] : "?";
}

int ssp_level_parse(const char *name)
{
	return lookup(level_names, SSP_LEVEL_COUNT, name);
}

const char *ssp_category_name(ssp_category_t c)
{
	return (unsigned)c < SSP_CATEGORY_COUNT ? category_names[c] : "?";
}

int ssp_category_parse(const char *name)
{
	return lookup(category_names, SSP_CATEGORY_COUNT, name);
}

int ssp_codes_add(ssp_codes_t *c, unsigned lo, unsigned hi)
{
	if (c->n >= SSP_CODES_MAX)
		return -1;
	c->r[c->n].lo = (uint16_t)lo;
	c->r[c->n].hi = (uint16_t)hi;
	c->n++;
	return 0;
}

int ssp_codes_parse(ssp_codes_t *c, const char *s)
{
	unsigned lo = 0, hi = 0;
	int i, wild = 0;

	if (strlen(s) != 3 || s[0] < '1' || s[0] > '5')
		return -1;
	for (i = 0; i < 3; i++) {
		if (s[i] == 'x' || s[i] == 'X') {
			wild = 1;
			lo = lo * 10;
			hi = hi * 10 + 9;
		} else if (s[i] >= '0' && s[i] <= '9' && !wild) {
			lo = lo * 10 + (unsigned)(s[i] - '0');
			hi = hi * 10 + (unsigned)(s[i] - '0');
		} else {
			return -1; /* "2x0" is not a pattern */
		}
	}
	return ssp_codes_add(c, lo, hi);
}

int ssp_codes_has(const ssp_codes_t *c, int code)
{
	unsigned i;

	for (i = 0; i < c->n; i++) {
		if (code >= c->r[i].lo && code <= c->r[i].hi)
			return 1;
	}
	return 0;
}

void ssp_codes_describe(const ssp_codes_t *c, char *out, size_t size)
{
	size_t used = 0;
	unsigned i;

	out[0] = '\0';
	for (i = 0; i < c->n && used < size; i++) {
		char one[8];
		unsigned lo = c->r[i].lo, hi = c->r[i].hi;
		const char *sep = i == 0 ? "" : (i + 1 == c->n ? " or " : ", ");
		int n;

		if (lo == hi)
			snprintf(one, sizeof(one), "%u", lo);
		else if (hi - lo == 99)
			snprintf(one, sizeof(one), "%uxx", lo / 100);
		else
			snprintf(one, sizeof(one), "%ux", lo / 10);
		n = snprintf(out + used, size - used, "%s%s", sep, one);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void free_expect(ssp_expect_t *e)
{
	if (e->text_src) {
		ssp_pattern_free(e->text_re);
		free(e->text_src);
	}
	if (e->not_text_src) {
		ssp_pattern_free(e->not_text_re);
		free(e->not_text_src);
	}
	if (e->every_text_src) {
		ssp_pattern_free(e->every_text_re);
		free(e->every_text_src);
	}
	if (e->first_line_src) {
		ssp_pattern_free(e->first_line_re);
		free(e->first_line_src);
	}
	if (e->keyword_lines_src) {
		ssp_pattern_free(e->keyword_lines_re);
		free(e->keyword_lines_src);
	}
	if (e->capture_src) {
		ssp_pattern_free(e->capture_re);
		free(e->capture_src);
	}
	free(e->capture_var);
}

void ssp_vector_free_fields(ssp_vector_t *v)
{
	unsigned i, j;

	for (i = 0; i < v->nsteps; i++) {
		ssp_step_t *s = &v->steps[i];
		for (j = 0; j < s->nexpect; j++)
			free_expect(&s->expect[j]);
		free(s->expect);
		free(s->payload);
		if (s->tpl != NULL)
			ssp_tpl_free(s->tpl);
		free(s->tpl);
	}
	free(v->steps);
	for (i = 0; i < v->nrequires; i++)
		free(v->requires[i]);
	free(v->requires);
	for (i = 0; i < v->nabsent; i++)
		free(v->absent[i]);
	free(v->absent);
	free(v->id);
	free(v->title);
	free(v->section);
	free(v->quote);
	free(v->description);
	free(v->file);
	memset(v, 0, sizeof(*v));
}

const char *ssp_vector_missing_keyword(const ssp_vector_t *v, const char *caps, size_t len)
{
	unsigned i;

	for (i = 0; i < v->nrequires; i++) {
		if (caps == NULL || !ssp_reply_has_keyword(caps, len, v->requires[i]))
			return v->requires[i];
	}
	return NULL;
}

unsigned ssp_judges_parse(const char *name)
{
	static const struct {
		const char *name;
		unsigned bit;
	} table[] = {
#define SSP_JUDGES_ROW(e, n, devs) { n, SSP_JUDGES(e) },
		SSP_JUDGES_MAP(SSP_JUDGES_ROW)
#undef SSP_JUDGES_ROW
	};
	size_t i;

	for (i = 0; name != NULL && i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].name, name) == 0)
			return table[i].bit;
	}
	return 0;
}

unsigned ssp_judges_devs(unsigned judges)
{
	unsigned devs = 0;

#define SSP_JUDGES_DEVS(e, n, d) \
	if (judges & SSP_JUDGES(e)) \
		devs |= (unsigned)(d);
	SSP_JUDGES_MAP(SSP_JUDGES_DEVS)
#undef SSP_JUDGES_DEVS
	return devs;
}

/* names_var - scan callback: note a reference to the name sought; all known. */
static int names_var(const char *name, void *ctx)
{
	const char **sought = ctx;

	if (*sought != NULL && strcmp(name, *sought) == 0)
		*sought = NULL;
	return 1;
}

int ssp_vector_uses_var(const ssp_vector_t *v, const char *name)
{
	char pattern[SSP_VAR_NAME_MAX + 4];
	size_t plen;
	unsigned i;

	plen = (size_t)snprintf(pattern, sizeof(pattern), "${%s", name);
	for (i = 0; i < v->nsteps; i++) {
		const char *p = v->steps[i].payload, *end;

		if (v->steps[i].tpl != NULL) {
			/* repeats: the references as the expansion reads them */
			const char *sought = name;
			ssp_vars_err_t err;

			if (ssp_sender_scan(v->steps[i].tpl, NULL, 0, names_var, &sought, &err) == 0 &&
			    sought == NULL)
				return 1;
			continue;
		}
		if (p == NULL)
			continue;
		end = p + v->steps[i].payload_len;
		while ((p = memmem(p, (size_t)(end - p), pattern, plen)) != NULL) {
			/* "${name}", "${name+1}", "${name-1}", not "${names}" or "$${name}" */
			char next = p + plen < end ? p[plen] : '\0';
			int escaped = p > v->steps[i].payload && p[-1] == '$';
			if (!escaped && (next == '}' || next == '+' || next == '-'))
				return 1;
			p += plen;
		}
	}
	return 0;
}

const char *ssp_vector_present_keyword(const ssp_vector_t *v, const char *caps, size_t len)
{
	unsigned i;

	for (i = 0; caps != NULL && i < v->nabsent; i++) {
		if (ssp_reply_has_keyword(caps, len, v->absent[i]))
			return v->absent[i];
	}
	return NULL;
}
