/*
 * coverage.c - the requirement map of an RFC against the catalogue.
 */
#include "coverage.h"

#include "jsonfile.h"
#include "limits.h"
#include "suite.h"
#include "termtext.h"

#include <stdlib.h>
#include <string.h>

static int load(ssp_coverage_t *c, ssp_jfile_t *f)
{
	static const char *const top[] = { "rfc", "sections", "comment", NULL };
	static const char *const keys[] = { "section", "title", "requirement", "level", "unobservable", "vectors",
					    "comment", NULL };
	json_t *arr, *e;
	long long rfc = 0;
	size_t i;

	if (!json_is_object(f->root))
		return ssp_jfile_error(f, 0, "a coverage file is an object {\"rfc\": N, \"sections\": [...]}");
	if (ssp_jfile_check_keys(f, f->root, top) || ssp_jfile_uint(f, f->root, "rfc", 1, 1, 99999, &rfc))
		return -1;
	c->rfc = (unsigned)rfc;
	arr = json_object_get(f->root, "sections");
	ssp_jfile_push_key(f, "sections");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return ssp_jfile_error(f, 0, "must be a non-empty array");
	c->s = calloc(json_array_size(arr), sizeof(*c->s));
	if (c->s == NULL)
		return ssp_jfile_error(f, 0, "out of memory");
	json_array_foreach(arr, i, e) {
		const char *sec, *title, *level, *why, *req;
		ssp_cov_section_t *s = &c->s[i];

		ssp_jfile_push_index(f, i);
		if (!json_is_object(e))
			return ssp_jfile_error(f, 0, "must be an object");
		if (ssp_jfile_check_keys(f, e, keys) ||
		    ssp_jfile_string(f, e, "section", 1, &sec, NULL) ||
		    ssp_jfile_string(f, e, "title", 1, &title, NULL) ||
		    ssp_jfile_string(f, e, "level", 1, &level, NULL) ||
		    ssp_jfile_string(f, e, "unobservable", 0, &why, NULL) ||
		    ssp_jfile_string(f, e, "requirement", 0, &req, NULL))
			return -1;
		c->n = i + 1;
		if (ssp_level_parse(level) >= 0) {
			s->level = (ssp_level_t)ssp_level_parse(level);
		} else {
			ssp_jfile_push_key(f, "level");
			return ssp_jfile_error(f, 0, "must be \"MUST\", \"SHOULD\" or \"MAY\"");
		}
		s->section = strdup(sec);
		s->title = strdup(title);
		s->unobservable = why ? strdup(why) : NULL;
		s->requirement = req ? strdup(req) : NULL;
		if (s->section == NULL || s->title == NULL || (why && s->unobservable == NULL) ||
		    (req && s->requirement == NULL))
			return ssp_jfile_error(f, 0, "out of memory");
		if (json_object_get(e, "vectors") != NULL) {
			json_t *list = json_object_get(e, "vectors"), *g;
			size_t k;

			ssp_jfile_push_key(f, "vectors");
			if (!json_is_array(list) || json_array_size(list) == 0)
				return ssp_jfile_error(f, 0, "must be a non-empty array of vector ids or globs");
			s->also = calloc(json_array_size(list), sizeof(char *));
			if (s->also == NULL)
				return ssp_jfile_error(f, 0, "out of memory");
			json_array_foreach(list, k, g) {
				ssp_jfile_push_index(f, k);
				if (!json_is_string(g) || (s->also[k] = strdup(json_string_value(g))) == NULL)
					return ssp_jfile_error(f, 0, "must be a vector id or glob");
				s->nalso++;
				ssp_jfile_pop(f);
			}
			ssp_jfile_pop(f);
		}
		ssp_jfile_pop(f);
	}
	return 0;
}

int ssp_coverage_load(ssp_coverage_t *c, const char *file, ssp_diag_t *diag)
{
	ssp_jfile_t f;
	int rc;

	memset(c, 0, sizeof(*c));
	if (ssp_jfile_open(&f, file, diag) != 0) {
		ssp_jfile_close(&f);
		return -1;
	}
	rc = load(c, &f);
	ssp_jfile_close(&f);
	return rc;
}

void ssp_coverage_free(ssp_coverage_t *c)
{
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		free(c->s[i].section);
		free(c->s[i].title);
		free(c->s[i].unobservable);
		free(c->s[i].requirement);
		for (k = 0; k < c->s[i].nalso; k++)
			free(c->s[i].also[k]);
		free(c->s[i].also);
	}
	free(c->s);
	memset(c, 0, sizeof(*c));
}

/* squeeze - a copy of p with white space runs as one space, trimmed. */
static char *squeeze(const char *p)
{
	char *out = malloc(strlen(p) + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *p; p++) {
		int sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';

		if (!sp)
			*o++ = *p;
		else if (o > out && o[-1] != ' ')
			*o++ = ' ';
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/* quotes_it - the quote q is the requirement r, a part of it long enough
 * to name it (a vector may quote the half of a sentence it checks), or
 * holds it; white space aside. */
static int quotes_it(const char *r, const char *q)
{
	char *a = squeeze(r), *b = squeeze(q);
	int yes = a && b && ((strlen(b) >= SSP_COVERAGE_QUOTE_MIN && strstr(a, b) != NULL) ||
			     (a[0] != '\0' && strstr(b, a) != NULL));

	free(a);
	free(b);
	return yes;
}

/* checks - vector v checks a requirement of entry s. */
static int checks(const ssp_cov_section_t *s, unsigned rfc, const ssp_vector_t *v)
{
	size_t k;

	if (v->rfc == rfc && s->requirement == NULL && strcmp(v->section, s->section) == 0)
		return 1;
	if (v->rfc == rfc && s->requirement != NULL && quotes_it(s->requirement, v->quote))
		return 1;
	for (k = 0; k < s->nalso; k++) {
		if (ssp_id_matches(s->also[k], v->id))
			return 1;
	}
	return 0;
}

/* vectors_of - how many vectors of cat check entry s. */
static size_t vectors_of(const ssp_cov_section_t *s, unsigned rfc, const ssp_catalogue_t *cat)
{
	size_t k, count = 0;

	for (k = 0; k < cat->n; k++) {
		if (checks(s, rfc, &cat->v[k]))
			count++;
	}
	return count;
}

void ssp_coverage_count(const ssp_coverage_t *c, const ssp_catalogue_t *cat, ssp_cov_count_t *n)
{
	size_t i;

	memset(n, 0, sizeof(*n));
	for (i = 0; i < c->n; i++) {
		const ssp_cov_section_t *s = &c->s[i];
		int strong = s->level == SSP_LEVEL_MUST || s->level == SSP_LEVEL_SHOULD;
		int checked = vectors_of(s, c->rfc, cat) > 0;

		n->entries++;
		n->checked += checked;
		n->strong += strong;
		n->strong_checked += strong && checked;
		if (!checked && s->unobservable)
			n->unobservable++;
		else if (!checked) {
			n->gaps++;
			n->must_gaps += s->level == SSP_LEVEL_MUST;
		}
	}
}

size_t ssp_coverage_print(FILE *f, const ssp_coverage_t *c, const ssp_catalogue_t *cat)
{
	size_t i, k, covered = 0, explained = 0, gaps = 0, must_gaps = 0, vectors = 0;
	ssp_cov_count_t n;

	fprintf(f, "RFC %u: what it requires of the server (sections, or single sentences)\n\n", c->rfc);
	for (i = 0; i < c->n; i++) {
		const ssp_cov_section_t *s = &c->s[i];
		size_t count = 0;

		for (k = 0; k < cat->n; k++) {
			if (checks(s, c->rfc, &cat->v[k]))
				count++;
		}
		vectors += count;
		fprintf(f, "§%-10s %-6s %-44.44s ", ssp_term_str(s->section), ssp_level_name(s->level),
			ssp_term_str(s->title));
		if (s->requirement != NULL)
			fprintf(f, "\n              \"%.*s%s\"\n              ", SSP_COVERAGE_SHOWN, ssp_term_str(s->requirement),
				strlen(s->requirement) > SSP_COVERAGE_SHOWN ? "..." : "");
		if (count > 0) {
			covered++;
			fprintf(f, "%zu vector%s\n", count, count == 1 ? "" : "s");
			for (k = 0; k < cat->n; k++) {
				if (checks(s, c->rfc, &cat->v[k]))
					fprintf(f, "              %-6s %s\n", ssp_level_name(cat->v[k].level), cat->v[k].id);
			}
		} else if (s->unobservable) {
			explained++;
			fprintf(f, "not observable on the wire: %s\n", ssp_term_str(s->unobservable));
		} else {
			gaps++;
			if (s->level == SSP_LEVEL_MUST)
				must_gaps++;
			fprintf(f, "GAP: no vector\n");
		}
	}
	fprintf(f, "\nRFC %u: %zu entries: %zu covered by %zu vectors, %zu not observable, %zu gaps (%zu at MUST level)\n",
		c->rfc, c->n, covered, vectors, explained, gaps, must_gaps);
	ssp_coverage_count(c, cat, &n);
	fprintf(f, "RFC %u: %zu of %zu requirements checked (MUST and SHOULD: %zu of %zu)\n", c->rfc, n.checked,
		n.entries, n.strong_checked, n.strong);
	return must_gaps;
}
