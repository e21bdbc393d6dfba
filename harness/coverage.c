/*
 * coverage.c - the requirement map of an RFC against the catalogue.
 */
#include "coverage.h"

#include "jsonfile.h"
#include "suite.h"

#include <stdlib.h>
#include <string.h>

static int load(ssp_coverage_t *c, ssp_jfile_t *f)
{
	static const char *const top[] = { "rfc", "sections", "comment", NULL };
	static const char *const keys[] = { "section", "title", "level", "unobservable", "vectors", "comment", NULL };
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
		const char *sec, *title, *level, *why;
		ssp_cov_section_t *s = &c->s[i];

		ssp_jfile_push_index(f, i);
		if (!json_is_object(e))
			return ssp_jfile_error(f, 0, "must be an object");
		if (ssp_jfile_check_keys(f, e, keys) ||
		    ssp_jfile_string(f, e, "section", 1, &sec, NULL) ||
		    ssp_jfile_string(f, e, "title", 1, &title, NULL) ||
		    ssp_jfile_string(f, e, "level", 1, &level, NULL) ||
		    ssp_jfile_string(f, e, "unobservable", 0, &why, NULL))
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
		if (s->section == NULL || s->title == NULL || (why && s->unobservable == NULL))
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
		for (k = 0; k < c->s[i].nalso; k++)
			free(c->s[i].also[k]);
		free(c->s[i].also);
	}
	free(c->s);
	memset(c, 0, sizeof(*c));
}

/* checks - vector v checks a requirement of section s. */
static int checks(const ssp_cov_section_t *s, unsigned rfc, const ssp_vector_t *v)
{
	size_t k;

	if (v->rfc == rfc && strcmp(v->section, s->section) == 0)
		return 1;
	for (k = 0; k < s->nalso; k++) {
		if (ssp_id_matches(s->also[k], v->id))
			return 1;
	}
	return 0;
}

size_t ssp_coverage_print(FILE *f, const ssp_coverage_t *c, const ssp_catalogue_t *cat)
{
	size_t i, k, covered = 0, explained = 0, gaps = 0, must_gaps = 0, vectors = 0;

	fprintf(f, "RFC %u: sections that state requirements on the server\n\n", c->rfc);
	for (i = 0; i < c->n; i++) {
		const ssp_cov_section_t *s = &c->s[i];
		size_t count = 0;

		for (k = 0; k < cat->n; k++) {
			if (checks(s, c->rfc, &cat->v[k]))
				count++;
		}
		vectors += count;
		fprintf(f, "§%-10s %-6s %-44.44s ", s->section, ssp_level_name(s->level), s->title);
		if (count > 0) {
			covered++;
			fprintf(f, "%zu vector%s\n", count, count == 1 ? "" : "s");
			for (k = 0; k < cat->n; k++) {
				if (checks(s, c->rfc, &cat->v[k]))
					fprintf(f, "              %-6s %s\n", ssp_level_name(cat->v[k].level), cat->v[k].id);
			}
		} else if (s->unobservable) {
			explained++;
			fprintf(f, "not observable on the wire: %s\n", s->unobservable);
		} else {
			gaps++;
			if (s->level == SSP_LEVEL_MUST)
				must_gaps++;
			fprintf(f, "GAP: no vector\n");
		}
	}
	fprintf(f, "\nRFC %u: %zu sections: %zu covered by %zu vectors, %zu not observable, %zu gaps (%zu at MUST level)\n",
		c->rfc, c->n, covered, vectors, explained, gaps, must_gaps);
	return must_gaps;
}
