/*
 * compare.c - result documents read back: loading and checking them, their
 * order by RFC section, the diff of two runs (report --diff, run
 * --baseline), and the matrix of vectors x implementations (report
 * --compare ... --html).
 *
 * A result document read from a file is input like any other: its shape
 * is checked before use and every string in it is escaped on output.
 */
#include "report.h"

#include "markup.h"

#include "../harness/limits.h"
#include "../harness/result.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESULT_SCHEMA "smtpspec-result/1"

/* known_verdict - 1 if name is one of ssp_verdict_name's. */
static int known_verdict(const char *name)
{
	int v;

	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		if (strcmp(name, ssp_verdict_name((ssp_verdict_t)v)) == 0)
			return 1;
	}
	return 0;
}

json_t *ssp_result_load(const char *file, ssp_diag_t *diag)
{
	json_error_t err;
	struct stat st;
	json_t *doc, *results, *r;
	size_t i;

	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
		ssp_diag_set(diag, file, 0, 0, "cannot read the result document");
		return NULL;
	}
	if (st.st_size > SSP_RESULT_FILE_BYTES_MAX) {
		ssp_diag_set(diag, file, 0, 0, "larger than %d bytes", SSP_RESULT_FILE_BYTES_MAX);
		return NULL;
	}
	doc = json_load_file(file, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL) {
		ssp_diag_set(diag, file, err.line, err.column, "%s", err.text);
		return NULL;
	}
	if (!json_is_object(doc) || strcmp(ssp_doc_str(doc, "schema"), RESULT_SCHEMA) != 0) {
		ssp_diag_set(diag, file, 0, 0, "not a result document of schema \"%s\"", RESULT_SCHEMA);
		goto bad;
	}
	results = json_object_get(doc, "results");
	if (!json_is_array(results) || !json_is_object(json_object_get(doc, "target")) ||
	    !json_is_object(json_object_get(doc, "summary"))) {
		ssp_diag_set(diag, file, 0, 0, "the result document has no results, target or summary");
		goto bad;
	}
	json_array_foreach(results, i, r) {
		if (!json_is_string(json_object_get(r, "id")) || !known_verdict(ssp_doc_str(r, "verdict")) ||
		    !json_is_integer(json_object_get(r, "rfc")) || !json_is_string(json_object_get(r, "section"))) {
			ssp_diag_set(diag, file, 0, 0, "results[%zu]: needs an id, rfc, section and a known verdict", i);
			goto bad;
		}
	}
	return doc;
bad:
	json_decref(doc);
	return NULL;
}

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

/* result_cmp - order of two results: RFC, section, id. */
static int result_cmp(const json_t *a, const json_t *b)
{
	int c;

	if (ssp_doc_num(a, "rfc") != ssp_doc_num(b, "rfc"))
		return ssp_doc_num(a, "rfc") < ssp_doc_num(b, "rfc") ? -1 : 1;
	if ((c = section_cmp(ssp_doc_str(a, "section"), ssp_doc_str(b, "section"))) != 0)
		return c;
	return strcmp(ssp_doc_str(a, "id"), ssp_doc_str(b, "id"));
}

static int order_cmp(const void *pa, const void *pb, void *arg)
{
	const json_t *results = arg;

	return result_cmp(json_array_get(results, *(const size_t *)pa),
			  json_array_get(results, *(const size_t *)pb));
}

size_t *ssp_result_order(const json_t *doc, size_t *n)
{
	json_t *results = json_object_get(doc, "results");
	size_t i, *order;

	*n = json_array_size(results);
	if ((order = malloc((*n ? *n : 1) * sizeof(*order))) == NULL)
		return NULL;
	for (i = 0; i < *n; i++)
		order[i] = i;
	qsort_r(order, *n, sizeof(*order), order_cmp, results);
	return order;
}

/* failing - 1 if a verdict counts as a failure (strict: warnings too). */
static int failing(const char *v, int strict)
{
	return strcmp(v, "fail") == 0 || strcmp(v, "error") == 0 || (strict && strcmp(v, "warn") == 0);
}

/* change - one entry of a diff list. */
static json_t *change(const char *id, const char *old, const char *new_, const json_t *r)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "id", id, "old", old, "new", new_, "reason",
			 r ? ssp_doc_str(r, "reason") : "");
}

json_t *ssp_compare_diff(const json_t *old, const json_t *new_, int strict)
{
	json_t *byid = json_object(), *seen = json_object(), *r;
	json_t *nf = json_array(), *fixed = json_array(), *changed = json_array();
	size_t i, same = 0;

	json_array_foreach(json_object_get(old, "results"), i, r)
		json_object_set(byid, ssp_doc_str(r, "id"), r);
	json_array_foreach(json_object_get(new_, "results"), i, r) {
		const char *id = ssp_doc_str(r, "id"), *nv = ssp_doc_str(r, "verdict");
		const json_t *o = json_object_get(byid, id);
		const char *ov = o ? ssp_doc_str(o, "verdict") : "absent";

		json_object_set_new(seen, id, json_true());
		if (failing(nv, strict) && !(o && failing(ov, strict)))
			json_array_append_new(nf, change(id, ov, nv, r));
		else if (o && failing(ov, strict) && !failing(nv, strict))
			json_array_append_new(fixed, change(id, ov, nv, r));
		else if (strcmp(ov, nv) != 0)
			json_array_append_new(changed, change(id, ov, nv, r));
		else
			same++;
	}
	json_array_foreach(json_object_get(old, "results"), i, r) {
		if (json_object_get(seen, ssp_doc_str(r, "id")) == NULL)
			json_array_append_new(changed, change(ssp_doc_str(r, "id"), ssp_doc_str(r, "verdict"), "absent", NULL));
	}
	json_decref(byid);
	json_decref(seen);
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:I}", "old_started", ssp_doc_str(old, "started"), "strict", strict,
			 "new_failures", nf, "fixed", fixed, "changed", changed, "unchanged", (json_int_t)same);
}

size_t ssp_compare_print(FILE *f, const json_t *diff)
{
	static const char *const parts[] = { "new_failures", "fixed", "changed" };
	static const char *const labels[] = { "new failure", "fixed", "changed" };
	const json_t *e;
	size_t i, k, nf = json_array_size(json_object_get(diff, "new_failures"));

	fprintf(f, "baseline: %zu new failure%s, %zu fixed, %zu changed, %lld unchanged\n", nf, nf == 1 ? "" : "s",
		json_array_size(json_object_get(diff, "fixed")), json_array_size(json_object_get(diff, "changed")),
		ssp_doc_num(diff, "unchanged"));
	for (k = 0; k < 3; k++) {
		json_array_foreach(json_object_get(diff, parts[k]), i, e) {
			fprintf(f, "  %-12s %s: %s -> %s", labels[k], ssp_doc_str(e, "id"), ssp_doc_str(e, "old"), ssp_doc_str(e, "new"));
			if (k != 1 && ssp_doc_str(e, "reason")[0])
				fprintf(f, ": %s", ssp_doc_str(e, "reason"));
			fputc('\n', f);
		}
	}
	return nf;
}

/* ---- the comparison matrix --------------------------------------------- */

typedef struct {
	const char *file;
	json_t *doc;
	char name[128];
	char *link;      /* href of FILE.html beside the result, or NULL */
	json_t *byid;    /* id -> result */
} impl_t;

typedef struct {
	impl_t *impl;
	size_t n;
	json_t *rows;    /* array of representative results, one per id, sorted */
} matrix_t;

/* url_path - write a path as a URL path: unreserved bytes as is, others %HH. */
static void url_path(FILE *f, const char *p)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			fputc(c, f);
		else
			fprintf(f, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/*
 * relative - the path of target relative to directory from (both
 * absolute, canonical): malloc'd, or NULL.
 */
static char *relative(const char *from, const char *target)
{
	size_t i = 0, common, ups = 0, k;
	char *out;

	while (from[i] && from[i] == target[i])
		i++;
	if (from[i] == '\0' && target[i] == '/') {
		common = i; /* from is a directory above target */
	} else {
		for (common = i; common > 0 && from[common] != '/'; common--)
			;
		if (from[common] == '/' && from[common + 1] != '\0') {
			ups = 1;
			for (k = common + 1; from[k]; k++)
				ups += from[k] == '/';
		}
	}
	if ((out = malloc(ups * 3 + strlen(target + common) + 1)) == NULL)
		return NULL;
	out[0] = '\0';
	for (k = 0; k < ups; k++)
		strcat(out, "../");
	strcat(out, target + common + 1);
	return out;
}

/* html_link - FILE.html beside a FILE.json, relative to the matrix file's directory, or NULL. */
static char *html_link(const char *json_file, const char *matrix_file)
{
	char html[PATH_MAX], real_html[PATH_MAX], dir[PATH_MAX], real_dir[PATH_MAX];
	size_t len = strlen(json_file);

	if (len < 5 || strcmp(json_file + len - 5, ".json") != 0 || len + 1 > sizeof(html))
		return NULL;
	snprintf(html, sizeof(html), "%.*s.html", (int)(len - 5), json_file);
	snprintf(dir, sizeof(dir), "%s", matrix_file);
	if (realpath(html, real_html) == NULL || realpath(dirname(dir), real_dir) == NULL)
		return NULL;
	return relative(real_dir, real_html);
}

static void matrix_free(matrix_t *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		json_decref(m->impl[i].doc);
		json_decref(m->impl[i].byid);
		free(m->impl[i].link);
	}
	free(m->impl);
	json_decref(m->rows);
}

static int row_cmp(const void *a, const void *b)
{
	return result_cmp(*(json_t *const *)a, *(json_t *const *)b);
}

/* matrix_load - every result file, names, links and the sorted union of ids: 0 or -1. */
static int matrix_load(matrix_t *m, const char *file, const char *const *results, size_t n, ssp_diag_t *diag)
{
	json_t *ids = json_object(), *r;
	json_t **rows;
	size_t i, k, nrows;
	const char *key;
	json_t *val;

	m->n = 0;
	m->rows = NULL;
	if ((m->impl = calloc(n ? n : 1, sizeof(*m->impl))) == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	for (i = 0; i < n; i++) {
		impl_t *im = &m->impl[i];
		char base[PATH_MAX];
		size_t bl;

		im->file = results[i];
		if ((im->doc = ssp_result_load(results[i], diag)) == NULL) {
			json_decref(ids);
			return -1;
		}
		m->n++;
		snprintf(base, sizeof(base), "%s", results[i]);
		snprintf(im->name, sizeof(im->name), "%s", basename(base));
		bl = strlen(im->name);
		if (bl > 5 && strcmp(im->name + bl - 5, ".json") == 0)
			im->name[bl - 5] = '\0';
		for (k = 0; k < i; k++) {
			if (strcmp(m->impl[k].name, im->name) == 0) {
				snprintf(im->name + strlen(im->name) / 2, sizeof(im->name) - strlen(im->name) / 2,
					 " (%zu)", i + 1);
				break;
			}
		}
		im->link = html_link(results[i], file);
		im->byid = json_object();
		json_array_foreach(json_object_get(im->doc, "results"), k, r) {
			json_object_set(im->byid, ssp_doc_str(r, "id"), r);
			if (json_object_get(ids, ssp_doc_str(r, "id")) == NULL)
				json_object_set(ids, ssp_doc_str(r, "id"), r);
		}
	}
	nrows = json_object_size(ids);
	if ((rows = malloc((nrows ? nrows : 1) * sizeof(*rows))) == NULL) {
		json_decref(ids);
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	}
	k = 0;
	json_object_foreach(ids, key, val)
		rows[k++] = val;
	qsort(rows, nrows, sizeof(*rows), row_cmp);
	m->rows = json_array();
	for (k = 0; k < nrows; k++)
		json_array_append(m->rows, rows[k]);
	free(rows);
	json_decref(ids);
	return 0;
}

static void matrix_head(FILE *f, const matrix_t *m)
{
	const json_t *s;
	size_t i, k;
	int v;

	fprintf(f, "<header>\n<h1>SMTP conformance: %zu implementation%s compared</h1>\n<p class=\"sub\">"
		   "smtpspec comparison matrix: one row per vector, one column per implementation; each cell "
		   "links to that implementation's report.</p>\n</header>\n",
		m->n, m->n == 1 ? "" : "s");
	fputs("<section id=\"implementations\">\n<h2>Implementations</h2>\n<div class=\"impls\">\n", f);
	for (i = 0; i < m->n; i++) {
		const impl_t *im = &m->impl[i];
		const json_t *t = json_object_get(im->doc, "target"), *sum = json_object_get(im->doc, "summary");

		fputs("<div class=\"impl\">\n<h3>", f);
		if (im->link) {
			fputs("<a href=\"", f);
			url_path(f, im->link);
			fputs("\">", f);
		}
		ssp_markup_str(f, im->name);
		if (im->link)
			fputs("</a>", f);
		fputs(" <span class=\"mono sub\">", f);
		ssp_markup_json(f, json_object_get(t, "spec"));
		fputs("</span></h3>\n<p><code>", f);
		ssp_markup_json(f, json_object_get(t, "greeting"));
		fputs("</code></p>\n<ul class=\"counts\">\n", f);
		for (v = 0; v < SSP_VERDICT_COUNT; v++) {
			const char *name = ssp_verdict_name((ssp_verdict_t)v);
			fprintf(f, "<li class=\"b-%s\"><span class=\"n\" id=\"count-%zu-%s\">%lld</span>%s</li>\n",
				ssp_doc_num(sum, name) ? name : "none", i, name, ssp_doc_num(sum, name), name);
		}
		fputs("</ul>\n<ul class=\"verdicts\">\n", f);
		json_array_foreach(json_object_get(json_object_get(im->doc, "certification"), "suites"), k, s) {
			const char *c = ssp_doc_str(s, "conforms");
			fprintf(f, "<li class=\"%s\">", strcmp(c, "should") == 0 ? "ok" : strcmp(c, "must") == 0 ? "meh"
							: strcmp(c, "none") == 0 ? "bad" : "na");
			ssp_markup_json(f, json_object_get(s, "line"));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n</div>\n", f);
	}
	fputs("</div>\n</section>\n", f);
}

static void matrix_filters(FILE *f)
{
	int v;

	fputs("<form id=\"filters\" role=\"search\">\n", f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		fprintf(f, "<label class=\"b-%s badge\"><input type=\"checkbox\" name=\"verdict\" value=\"%s\" checked> %s</label>\n",
			name, name, name);
	}
	fputs("<input type=\"search\" name=\"q\" placeholder=\"search by id\" aria-label=\"search by id\">\n"
	      "<span id=\"shown\"></span>\n</form>\n<p class=\"legend\">A row is shown when any implementation "
	      "has a checked verdict.</p>\n",
	      f);
}

static void matrix_rows(FILE *f, const matrix_t *m)
{
	const json_t *first = NULL, *row;
	size_t i, k;

	fputs("<section id=\"matrix\">\n<h2>Vectors</h2>\n", f);
	matrix_filters(f);
	fputs("<div class=\"tablewrap\"><table class=\"matrix\">\n<thead><tr><th class=\"l\">Vector</th><th>Level</th>", f);
	for (i = 0; i < m->n; i++) {
		fputs("<th>", f);
		ssp_markup_str(f, m->impl[i].name);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n", f);
	json_array_foreach(m->rows, i, row) {
		const char *id = ssp_doc_str(row, "id");

		if (first == NULL || ssp_doc_num(first, "rfc") != ssp_doc_num(row, "rfc") ||
		    strcmp(ssp_doc_str(first, "section"), ssp_doc_str(row, "section")) != 0) {
			if (first != NULL)
				fputs("</tbody>\n", f);
			first = row;
			fprintf(f, "<tbody class=\"group\"><tr><th class=\"l\" colspan=\"%zu\">RFC %lld &sect;", m->n + 2,
				ssp_doc_num(row, "rfc"));
			ssp_markup_json(f, json_object_get(row, "section"));
			fputs("</th></tr>\n", f);
		}
		fputs("<tr data-id=\"", f);
		ssp_markup_str(f, id);
		fputs("\" data-verdicts=\"", f);
		for (k = 0; k < m->n; k++) {
			const json_t *r = json_object_get(m->impl[k].byid, id);
			fprintf(f, "%s%s", k ? " " : "", r ? ssp_doc_str(r, "verdict") : "absent");
		}
		fputs("\"><td class=\"l\"><code>", f);
		ssp_markup_str(f, id);
		fputs("</code><br>", f);
		ssp_markup_json(f, json_object_get(row, "title"));
		fputs("</td><td>", f);
		ssp_markup_json(f, json_object_get(row, "level"));
		fputs("</td>", f);
		for (k = 0; k < m->n; k++) {
			const impl_t *im = &m->impl[k];
			const json_t *r = json_object_get(im->byid, id);
			const char *v = r ? ssp_doc_str(r, "verdict") : "";

			if (r == NULL) {
				fputs("<td class=\"z\">&ndash;</td>", f);
				continue;
			}
			fputs("<td>", f);
			if (im->link) {
				fprintf(f, "<a class=\"badge b-%s\" href=\"", v);
				url_path(f, im->link);
				ssp_markup_id(f, "#v-", id);
				fputs("\" title=\"", f);
			} else {
				fprintf(f, "<span class=\"badge b-%s\" title=\"", v);
			}
			ssp_markup_str(f, im->name);
			fputs(": ", f);
			ssp_markup_json(f, json_object_get(r, "reason"));
			fprintf(f, "\">%s</%s></td>", v, im->link ? "a" : "span");
		}
		fputs("</tr>\n", f);
	}
	if (first != NULL)
		fputs("</tbody>\n", f);
	fputs("</table></div>\n</section>\n", f);
}

static void matrix_part(FILE *f, const char *name, void *arg)
{
	const matrix_t *m = arg;

	if (strcmp(name, "title") == 0) {
		fprintf(f, "smtpspec: %zu implementations compared", m->n);
	} else if (strcmp(name, "body") == 0) {
		matrix_head(f, m);
		matrix_rows(f, m);
		fputs("<footer>Generated by smtpspec from the result documents:", f);
		for (size_t i = 0; i < m->n; i++) {
			fputs(" <code>", f);
			ssp_markup_str(f, m->impl[i].file);
			fputs("</code>", f);
		}
		fputs(".</footer>\n", f);
	}
}

int ssp_compare_html(const char *file, const char *const *results, size_t n, ssp_diag_t *diag)
{
	matrix_t m;
	FILE *f;
	int rc = 0;

	if (n == 0 || n > SSP_COMPARE_MAX)
		return ssp_diag_set(diag, file, 0, 0, "compare 1 to %d result documents", SSP_COMPARE_MAX);
	if (matrix_load(&m, file, results, n, diag) != 0) {
		matrix_free(&m);
		return -1;
	}
	if ((f = fopen(file, "w")) == NULL) {
		rc = ssp_diag_set(diag, file, 0, 0, "cannot write the comparison matrix");
	} else {
		ssp_markup_template(f, ssp_template_html, ssp_template_html_len, matrix_part, &m);
		if (ssp_markup_close(f) != 0)
			rc = ssp_diag_set(diag, file, 0, 0, "cannot write the comparison matrix");
	}
	matrix_free(&m);
	return rc;
}
