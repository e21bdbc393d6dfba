/*
 * suite.c - suite manifests and vector selection.
 *
 * Linear in the size of the inputs, for suites of tens of thousands of
 * patterns: the plain ids of a suite are sorted once at load and found by
 * binary search; a pattern is matched only against the ids that share its
 * literal prefix (a binary search in the sorted catalogue); positions of
 * the patterns in the file are found in one pass (jsonpos.h).
 */
#include "suite.h"

#include "jsonfile.h"
#include "limits.h"
#include "termtext.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

int ssp_id_matches(const char *pattern, const char *id)
{
	size_t pl;

	if (strpbrk(pattern, "*?[") != NULL)
		return fnmatch(pattern, id, 0) == 0;
	pl = strlen(pattern);
	while (pl > 0 && pattern[pl - 1] == '/')
		pl--;
	return strncmp(pattern, id, pl) == 0 && (id[pl] == '\0' || id[pl] == '/');
}

/* cmp_lit - strcmp for qsort over char *. */
static int cmp_lit(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* literal_has - the sorted literal[0..n) holds exactly key[0..kl). */
static int literal_has(char *const *literal, size_t n, const char *key, size_t kl)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(literal[mid], key, kl);

		if (c == 0 && literal[mid][kl] != '\0')
			c = 1; /* longer than the key: after it */
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int ssp_suite_has(const ssp_suite_t *s, const char *id)
{
	size_t i, l;

	if (!s->indexed) {
		for (i = 0; i < s->npatterns; i++) {
			if (ssp_id_matches(s->patterns[i], id))
				return 1;
		}
		return 0;
	}
	/* a plain id selects itself and everything below it: try id and each parent */
	for (l = strlen(id); l > 0; l--) {
		if ((id[l] == '\0' || id[l] == '/') && literal_has(s->literal, s->nliteral, id, l))
			return 1;
	}
	for (i = 0; i < s->nglobs; i++) {
		if (ssp_id_matches(s->globs[i], id))
			return 1;
	}
	return 0;
}

/* suite_index - sort the plain ids of s and list its globs: 0, or -1 (memory). */
static int suite_index(ssp_suite_t *s)
{
	size_t i;

	s->literal = calloc(s->npatterns ? s->npatterns : 1, sizeof(char *));
	s->globs = calloc(s->npatterns ? s->npatterns : 1, sizeof(char *));
	if (s->literal == NULL || s->globs == NULL)
		return -1;
	for (i = 0; i < s->npatterns; i++) {
		const char *p = s->patterns[i];
		size_t pl = strlen(p);

		if (strpbrk(p, "*?[") != NULL) {
			s->globs[s->nglobs++] = s->patterns[i];
			continue;
		}
		while (pl > 0 && p[pl - 1] == '/')
			pl--;
		if ((s->literal[s->nliteral] = strndup(p, pl)) == NULL)
			return -1;
		s->nliteral++;
	}
	qsort(s->literal, s->nliteral, sizeof(char *), cmp_lit);
	s->indexed = 1;
	return 0;
}

/* sorted - the catalogue is sorted by id (as loaded): binary searches apply. */
static int sorted(const ssp_catalogue_t *c)
{
	size_t i;

	for (i = 1; i < c->n; i++) {
		if (strcmp(c->v[i - 1].id, c->v[i].id) > 0)
			return 0;
	}
	return 1;
}

/* id_range - [*lo, *hi): the vectors of sorted c whose id starts with the
 * literal prefix of pattern (up to its first wildcard or backslash); the
 * whole catalogue when c is not sorted. */
static void id_range(const ssp_catalogue_t *c, int is_sorted, const char *pattern, size_t *lo, size_t *hi)
{
	size_t kl = strcspn(pattern, "*?[\\"), a = 0, b = c->n;

	*lo = 0;
	*hi = c->n;
	if (!is_sorted || kl == 0)
		return;
	while (a < b) { /* first id not below the prefix */
		size_t mid = a + (b - a) / 2;

		if (strncmp(c->v[mid].id, pattern, kl) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = a; b < c->n && strncmp(c->v[b].id, pattern, kl) == 0; b++)
		;
	*hi = b;
}

void ssp_suite_free(ssp_suite_t *s)
{
	size_t i;

	for (i = 0; i < s->npatterns; i++)
		free(s->patterns[i]);
	free(s->patterns);
	for (i = 0; i < s->nliteral; i++)
		free(s->literal[i]);
	free(s->literal);
	free(s->globs);
	free(s->line);
	free(s->column);
	free(s->name);
	free(s->title);
	free(s->file);
}

/* load_one - the suite in file (text NULL) or in text[0..len), named name: 0 or -1 with diag. */
static int load_one(ssp_suite_t *s, const char *file, const char *name, const char *text, size_t len,
		    ssp_diag_t *diag)
{
	static const char *const keys[] = { "title", "description", "vectors", "comment", NULL };
	ssp_jfile_t f;
	const char *title;
	json_t *vec, *e;
	size_t i;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	memset(&f, 0, sizeof(f));
	s->name = ssp_term_utf8_dup(name); /* it goes into the documents: UTF-8, escaped if need be */
	s->file = strdup(file);
	if (s->name == NULL || s->file == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	if ((text != NULL ? ssp_jfile_open_mem(&f, file, text, len, diag) : ssp_jfile_open(&f, file, diag)) != 0)
		goto out;
	if (!json_is_object(f.root)) {
		ssp_jfile_error(&f, 0, "a suite must be a JSON object");
		goto out;
	}
	if (ssp_jfile_check_keys(&f, f.root, keys) ||
	    ssp_jfile_string(&f, f.root, "title", 1, &title, NULL))
		goto out;
	if ((s->title = strdup(title)) == NULL)
		goto out;
	vec = json_object_get(f.root, "vectors");
	ssp_jfile_push_key(&f, "vectors");
	if (!json_is_array(vec) || json_array_size(vec) == 0) {
		ssp_jfile_error(&f, 0, "must be a non-empty array of vector ids or globs");
		goto out;
	}
	s->patterns = calloc(json_array_size(vec), sizeof(char *));
	s->line = calloc(json_array_size(vec), sizeof(int));
	s->column = calloc(json_array_size(vec), sizeof(int));
	if (s->patterns == NULL || s->line == NULL || s->column == NULL)
		goto out;
	json_array_foreach(vec, i, e) {
		ssp_jfile_push_index(&f, i);
		if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > SSP_SUITE_PATTERN_MAX) {
			ssp_jfile_error(&f, 0, "must be a vector id or glob (a string of 1 to " SSP_XSTR(SSP_SUITE_PATTERN_MAX) " bytes)");
			goto out;
		}
		if ((s->patterns[i] = strdup(json_string_value(e))) == NULL)
			goto out;
		s->npatterns++;
		ssp_jfile_pop(&f);
	}
	/* every position in one pass: one search per pattern was quadratic */
	ssp_jsonpos_elements(f.text, f.len, f.path, f.depth, s->npatterns, s->line, s->column);
	if (suite_index(s) != 0) {
		ssp_diag_set(diag, file, 0, 0, "out of memory");
		goto out;
	}
	rc = 0;
out:
	ssp_jfile_close(&f);
	return rc;
}

static int cmp_suite(const void *a, const void *b)
{
	return strcmp(((const ssp_suite_t *)a)->name, ((const ssp_suite_t *)b)->name);
}

int ssp_suites_load_dir(ssp_suites_t *ss, const char *dir, ssp_diag_t *diag)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int rc = 0;

	memset(ss, 0, sizeof(*ss));
	d = opendir(dir);
	if (d == NULL)
		return ssp_diag_set(diag, dir, 0, 0, "cannot open directory: %s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char path[4096], name[256];

		if (de->d_name[0] == '.' || len <= 5 || len > SSP_SUITE_FILE_NAME_MAX ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (ss->n == cap) {
			ssp_suite_t *p = realloc(ss->s, (cap = cap ? cap * 2 : 16) * sizeof(*p));
			if (p == NULL) {
				rc = ssp_diag_set(diag, dir, 0, 0, "out of memory");
				break;
			}
			ss->s = p;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5), de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc = load_one(&ss->s[ss->n], path, name, NULL, 0, diag);
		ss->n++;
	}
	closedir(d);
	if (ss->n > 1)
		qsort(ss->s, ss->n, sizeof(*ss->s), cmp_suite);
	return rc;
}

int ssp_suites_check(const ssp_suites_t *ss, const ssp_catalogue_t *c, ssp_diag_t *diag)
{
	size_t i, j, k, lo, hi;
	int is_sorted = sorted(c);

	for (i = 0; i < ss->n; i++) {
		for (j = 0; j < ss->s[i].npatterns; j++) {
			id_range(c, is_sorted, ss->s[i].patterns[j], &lo, &hi);
			for (k = lo; k < hi; k++) {
				if (ssp_id_matches(ss->s[i].patterns[j], c->v[k].id))
					break;
			}
			if (k == hi)
				return ssp_diag_set(diag, ss->s[i].file, ss->s[i].line[j], ss->s[i].column[j],
						    "vectors[%zu]: \"%s\" selects no vector of the catalogue",
						    j, ss->s[i].patterns[j]);
		}
	}
	return 0;
}

int ssp_suite_load_mem(ssp_suite_t *s, const char *name, const char *text, size_t len, ssp_diag_t *diag)
{
	char file[SSP_SUITE_FILE_NAME_MAX + 16];

	snprintf(file, sizeof(file), "%.*s.json", SSP_SUITE_FILE_NAME_MAX, name);
	return load_one(s, file, name, text, len, diag);
}

const ssp_suite_t *ssp_suites_find(const ssp_suites_t *ss, const char *name)
{
	const ssp_suite_t *found = NULL;
	char *key = ssp_term_utf8_dup(name); /* as the names were kept */
	size_t i;

	for (i = 0; key != NULL && i < ss->n && found == NULL; i++) {
		if (strcmp(ss->s[i].name, key) == 0)
			found = &ss->s[i];
	}
	free(key);
	return found;
}

void ssp_suites_free(ssp_suites_t *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		ssp_suite_free(&ss->s[i]);
	free(ss->s);
	memset(ss, 0, sizeof(*ss));
}

/* suite_marks - marks[i] = 1 for each vector i of c that s selects, the
 * globs tried only on the ids sharing their literal prefix. */
static void suite_marks(const ssp_catalogue_t *c, const ssp_suite_t *s, unsigned char *marks)
{
	int is_sorted = sorted(c);
	size_t i, k, lo, hi, l;

	for (i = 0; i < c->n; i++) {
		const char *id = c->v[i].id;

		for (l = strlen(id); l > 0 && !marks[i]; l--) {
			if ((id[l] == '\0' || id[l] == '/') && literal_has(s->literal, s->nliteral, id, l))
				marks[i] = 1;
		}
	}
	for (k = 0; k < s->nglobs; k++) {
		id_range(c, is_sorted, s->globs[k], &lo, &hi);
		for (i = lo; i < hi; i++) {
			if (!marks[i] && ssp_id_matches(s->globs[k], c->v[i].id))
				marks[i] = 1;
		}
	}
}

long ssp_select(const ssp_catalogue_t *c, const ssp_suite_t *suite,
		char *const *only, size_t nonly, char *const *skip, size_t nskip,
		size_t **out)
{
	size_t i, k, n = 0;
	unsigned char *marks = NULL;

	*out = malloc((c->n ? c->n : 1) * sizeof(**out));
	if (*out == NULL)
		return -1;
	if (suite != NULL && suite->indexed) {
		if ((marks = calloc(c->n ? c->n : 1, 1)) == NULL) {
			free(*out);
			*out = NULL;
			return -1;
		}
		suite_marks(c, suite, marks);
	}
	for (i = 0; i < c->n; i++) {
		const char *id = c->v[i].id;
		int keep = suite == NULL || (marks != NULL ? marks[i] : ssp_suite_has(suite, id));

		if (keep && nonly > 0) {
			keep = 0;
			for (k = 0; k < nonly && !keep; k++)
				keep = ssp_id_matches(only[k], id);
		}
		for (k = 0; k < nskip && keep; k++)
			keep = !ssp_id_matches(skip[k], id);
		if (keep)
			(*out)[n++] = i;
	}
	free(marks);
	return (long)n;
}
