/*
 * compare.c - result documents side by side: the diff of two runs (report
 * --diff, run --baseline) and the matrix of vectors x implementations
 * (report --compare ... --html).  Both read the typed documents of
 * result.h; every string in them is escaped on output.
 */
#include "result.h"

#include "markup.h"

#include "../harness/limits.h"
#include "../harness/termtext.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* add_change - append one change to list k of d (room for it was made). */
static void add_change(ssp_diff_t *d, ssp_diff_kind_t k, const char *id, int old, int new_, const char *reason)
{
	ssp_doc_change_t *c = &d->list[k][d->n[k]++];

	c->id = id;
	c->old = old;
	c->new_ = new_;
	c->reason = reason;
}

/* failing - 1 if a verdict (or SSP_DOC_ABSENT) counts as a failure (strict: warnings too). */
static int failing(int v, int strict)
{
	return v != SSP_DOC_ABSENT && ssp_verdict_fails((ssp_verdict_t)v, strict);
}

int ssp_compare_diff(const ssp_doc_t *old, const ssp_doc_t *new_, int strict, ssp_diff_t *out)
{
	size_t i, k, room = old->nresults + new_->nresults;

	memset(out, 0, sizeof(*out));
	out->old_started = old->started;
	out->strict = strict;
	for (k = 0; k < SSP_DIFF_KINDS; k++) {
		if ((out->list[k] = calloc(room ? room : 1, sizeof(*out->list[k]))) == NULL) {
			ssp_diff_free(out);
			return -1;
		}
	}
	for (i = 0; i < new_->nresults; i++) {
		const ssp_doc_result_t *r = &new_->results[i], *o = ssp_doc_find(old, r->id);
		int nv = (int)r->verdict, ov = o ? (int)o->verdict : SSP_DOC_ABSENT;

		if (failing(nv, strict) && !failing(ov, strict))
			add_change(out, SSP_DIFF_NEW_FAILURE, r->id, ov, nv, r->reason);
		else if (failing(ov, strict) && !failing(nv, strict))
			add_change(out, SSP_DIFF_FIXED, r->id, ov, nv, r->reason);
		else if (ov != nv)
			add_change(out, SSP_DIFF_CHANGED, r->id, ov, nv, r->reason);
		else
			out->unchanged++;
	}
	for (i = 0; i < old->nresults; i++) {
		const ssp_doc_result_t *o = &old->results[i];
		if (ssp_doc_find(new_, o->id) == NULL)
			add_change(out, SSP_DIFF_CHANGED, o->id, (int)o->verdict, SSP_DOC_ABSENT, "");
	}
	return 0;
}

void ssp_diff_free(ssp_diff_t *d)
{
	int k;

	for (k = 0; k < SSP_DIFF_KINDS; k++) {
		free(d->list[k]);
		d->list[k] = NULL;
		d->n[k] = 0;
	}
}

/* plain - s on a terminal line, through the one terminal escaping (termtext.h):
 * control bytes, C1, bidi and invisible characters, malformed UTF-8 as \xHH. */
static void plain(FILE *f, const char *s)
{
	ssp_term_fputs(f, s);
}

size_t ssp_compare_print(FILE *f, const ssp_diff_t *d)
{
	size_t i, nf = d->n[SSP_DIFF_NEW_FAILURE];
	int k;

	fprintf(f, "baseline: %zu new failure%s, %zu fixed, %zu changed, %llu unchanged\n", nf, nf == 1 ? "" : "s",
		d->n[SSP_DIFF_FIXED], d->n[SSP_DIFF_CHANGED], (unsigned long long)d->unchanged);
	for (k = 0; k < SSP_DIFF_KINDS; k++) {
		for (i = 0; i < d->n[k]; i++) {
			const ssp_doc_change_t *c = &d->list[k][i];
			fprintf(f, "  %-12s ", ssp_diff_kind_label((ssp_diff_kind_t)k));
			plain(f, c->id);
			fprintf(f, ": %s -> %s", ssp_doc_verdict_name(c->old), ssp_doc_verdict_name(c->new_));
			if (k != SSP_DIFF_FIXED && c->reason[0]) {
				fputs(": ", f);
				plain(f, c->reason);
			}
			fputc('\n', f);
		}
	}
	return nf;
}

/* ---- the comparison matrix --------------------------------------------- */

typedef struct {
	const char *file;
	ssp_doc_t doc;
	char name[128];
	char *link;      /* href of FILE.html beside the result, or NULL */
} impl_t;

typedef struct {
	impl_t *impl;
	size_t n;
	const ssp_doc_result_t **rows; /* one representative result per id, sorted */
	size_t nrows;
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

/* matrix_free - release the documents, links and rows of m. */
static void matrix_free(matrix_t *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		ssp_doc_free(&m->impl[i].doc);
		free(m->impl[i].link);
	}
	free(m->impl);
	free(m->rows);
}

/* row_id_cmp - qsort order of result pointers by id, then by place in memory. */
static int row_id_cmp(const void *a, const void *b)
{
	const ssp_doc_result_t *x = *(const ssp_doc_result_t *const *)a, *y = *(const ssp_doc_result_t *const *)b;
	int c = strcmp(x->id, y->id);

	/* the same id: the earlier document's result represents the row */
	return c ? c : x < y ? -1 : x > y;
}

/* row_cmp - qsort order of rows: ssp_doc_result_cmp. */
static int row_cmp(const void *a, const void *b)
{
	return ssp_doc_result_cmp(*(const ssp_doc_result_t *const *)a, *(const ssp_doc_result_t *const *)b);
}

/* impl_name - the file's base name without ".json", made unique among the first i. */
static void impl_name(matrix_t *m, size_t i)
{
	impl_t *im = &m->impl[i];
	char base[PATH_MAX];
	size_t bl, k;

	snprintf(base, sizeof(base), "%s", im->file);
	snprintf(im->name, sizeof(im->name), "%s", basename(base));
	bl = strlen(im->name);
	if (bl > 5 && strcmp(im->name + bl - 5, ".json") == 0)
		im->name[bl - 5] = '\0';
	for (k = 0; k < i; k++) {
		if (strcmp(m->impl[k].name, im->name) == 0) {
			snprintf(im->name + strlen(im->name) / 2, sizeof(im->name) - strlen(im->name) / 2, " (%zu)", i + 1);
			break;
		}
	}
}

/* matrix_load - every result file, names, links and the sorted union of ids: 0 or -1. */
static int matrix_load(matrix_t *m, const char *file, const char *const *results, size_t n, ssp_diag_t *diag)
{
	size_t i, k, all = 0;
	const ssp_doc_result_t **rows;

	memset(m, 0, sizeof(*m));
	if ((m->impl = calloc(n ? n : 1, sizeof(*m->impl))) == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	for (i = 0; i < n; i++) {
		impl_t *im = &m->impl[i];

		im->file = results[i];
		m->n++;
		if (ssp_doc_load(&im->doc, results[i], diag) != 0)
			return -1;
		impl_name(m, i);
		im->link = html_link(results[i], file);
		all += im->doc.nresults;
	}
	if ((rows = malloc((all ? all : 1) * sizeof(*rows))) == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	for (i = 0, all = 0; i < m->n; i++) {
		for (k = 0; k < m->impl[i].doc.nresults; k++)
			rows[all++] = &m->impl[i].doc.results[k];
	}
	/* one row per id (rows of one document are in memory order, documents in order) */
	qsort(rows, all, sizeof(*rows), row_id_cmp);
	for (i = 0, k = 0; i < all; i++) {
		if (k == 0 || strcmp(rows[k - 1]->id, rows[i]->id) != 0)
			rows[k++] = rows[i];
	}
	qsort(rows, k, sizeof(*rows), row_cmp);
	m->rows = rows;
	m->nrows = k;
	return 0;
}

/* matrix_head - the title and one card per implementation: counts and suite verdicts. */
static void matrix_head(FILE *f, const matrix_t *m)
{
	size_t i, k;
	int v;

	fprintf(f, "<header>\n<h1>SMTP conformance: %zu implementation%s compared</h1>\n<p class=\"sub\">"
		   "smtpspec comparison matrix: one row per vector, one column per implementation; each cell "
		   "links to that implementation's report.</p>\n</header>\n",
		m->n, m->n == 1 ? "" : "s");
	fputs("<section id=\"implementations\">\n<h2>Implementations</h2>\n<div class=\"impls\">\n", f);
	for (i = 0; i < m->n; i++) {
		const impl_t *im = &m->impl[i];
		const ssp_doc_t *d = &im->doc;

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
		ssp_markup_str(f, d->target.spec);
		fputs("</span></h3>\n<p><code>", f);
		ssp_markup_str(f, d->target.greeting);
		fputs("</code></p>\n<ul class=\"counts\">\n", f);
		for (v = 0; v < SSP_VERDICT_COUNT; v++) {
			const char *name = ssp_verdict_name((ssp_verdict_t)v);
			unsigned long long c = (unsigned long long)d->summary.n[v];
			fprintf(f, "<li class=\"b-%s\"><span class=\"n\" id=\"count-%zu-%s\">%llu</span>%s</li>\n",
				c ? name : "none", i, name, c, name);
		}
		if (ssp_doc_findings(&d->security) > 0)
			fprintf(f, "<li class=\"b-security\"><span class=\"n\" id=\"security-%zu\">%llu</span>security</li>\n",
				i, (unsigned long long)ssp_doc_findings(&d->security));
		fputs("</ul>\n<ul class=\"verdicts\">\n", f);
		for (k = 0; k < d->cert.nsuites; k++) {
			fprintf(f, "<li class=\"%s\">", ssp_markup_cert_class(d->cert.suites[k].conforms));
			ssp_markup_str(f, d->cert.suites[k].line);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n</div>\n", f);
	}
	fputs("</div>\n</section>\n", f);
}

/* matrix_filters - the verdict checkboxes and the search box. */
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

/* matrix_cell - one implementation's verdict on row id, linked to its report. */
static void matrix_cell(FILE *f, const impl_t *im, const char *id)
{
	const ssp_doc_result_t *r = ssp_doc_find(&im->doc, id);
	const char *v;

	if (r == NULL) {
		fputs("<td class=\"z\">&ndash;</td>", f);
		return;
	}
	v = ssp_verdict_name(r->verdict);
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
	ssp_markup_str(f, r->reason);
	fprintf(f, "\">%s</%s>", v, im->link ? "a" : "span");
	if (ssp_doc_is_security_finding(r))
		fputs(" <span class=\"badge b-security\" title=\"security finding\">sec</span>", f);
	fputs("</td>", f);
}

/* matrix_rows - the table: one group per RFC section, one row per vector. */
static void matrix_rows(FILE *f, const matrix_t *m)
{
	const ssp_doc_result_t *first = NULL;
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
	for (i = 0; i < m->nrows; i++) {
		const ssp_doc_result_t *row = m->rows[i];

		if (first == NULL || !ssp_doc_same_section(first, row)) {
			if (first != NULL)
				fputs("</tbody>\n", f);
			first = row;
			fprintf(f, "<tbody class=\"group\"><tr><th class=\"l\" colspan=\"%zu\">RFC %u &sect;", m->n + 2, row->rfc);
			ssp_markup_str(f, row->section);
			fputs("</th></tr>\n", f);
		}
		fputs("<tr data-id=\"", f);
		ssp_markup_str(f, row->id);
		fputs("\" data-verdicts=\"", f);
		for (k = 0; k < m->n; k++) {
			const ssp_doc_result_t *r = ssp_doc_find(&m->impl[k].doc, row->id);
			fprintf(f, "%s%s", k ? " " : "", r ? ssp_verdict_name(r->verdict) : "absent");
		}
		fputs("\"><td class=\"l\"><code>", f);
		ssp_markup_str(f, row->id);
		fputs("</code><br>", f);
		ssp_markup_str(f, row->title);
		fputs("</td><td>", f);
		ssp_markup_str(f, ssp_level_name(row->level));
		fputs("</td>", f);
		for (k = 0; k < m->n; k++)
			matrix_cell(f, &m->impl[k], row->id);
		fputs("</tr>\n", f);
	}
	if (first != NULL)
		fputs("</tbody>\n", f);
	fputs("</table></div>\n</section>\n", f);
}

/* matrix_part - the template parts of the matrix page ("title", "body"). */
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
