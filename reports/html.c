/*
 * html.c - the HTML report of one run: one self-contained page
 * (reports/template.html, embedded at build time) rendered from the result
 * document, so a saved result renders exactly like a live one.
 *
 * Every string of the document goes through ssp_markup_text; transcript
 * text arrives in the display escaping of json.c (\r, \n, \xHH: ASCII), and
 * its escapes are drawn as visible marks.  Nothing a server sends can open
 * or close an element, an attribute or a comment.
 */
#include "result.h"

#include "causes.h"

#include "markup.h"

#include "../harness/buf.h"
#include "../harness/limits.h"
#include "../harness/tlsopt.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const ssp_doc_t *doc;
	const ssp_doc_result_t **order;   /* results sorted by RFC, section, id */
	size_t n;
	ssp_diag_t *diag;                  /* the first result that could not be read whole */
} page_t;

/* is_escape - length of the display escape at s[0..n) (\r \n \t \\ \xHH), or 0. */
static size_t is_escape(const char *s, size_t n)
{
	if (n < 2 || s[0] != '\\')
		return 0;
	if (s[1] == 'r' || s[1] == 'n' || s[1] == 't' || s[1] == '\\')
		return 2;
	if (s[1] == 'x' && n >= 4 && strchr("0123456789abcdefABCDEF", s[2]) && s[2] &&
	    strchr("0123456789abcdefABCDEF", s[3]) && s[3])
		return 4;
	return 0;
}

/* hexval - the value of one hex digit. */
static unsigned hexval(char c)
{
	return c >= 'a' ? (unsigned)(c - 'a' + 10) : c >= 'A' ? (unsigned)(c - 'A' + 10) : (unsigned)(c - '0');
}

/* note_text - a harness note: its display escaping undone (the harness writes UTF-8, e.g. "§"), then escaped. */
static void note_text(FILE *f, const char *t, size_t n)
{
	size_t i = 0, k;
	ssp_buf_t b;

	ssp_buf_init(&b, n + 1);
	while (i < n) {
		char c = t[i];
		k = is_escape(t + i, n - i);
		if (k == 4)
			c = (char)(hexval(t[i + 2]) * 16 + hexval(t[i + 3]));
		else if (k == 2)
			c = t[i + 1] == 'r' ? '\r' : t[i + 1] == 'n' ? '\n' : t[i + 1] == 't' ? '\t' : '\\';
		ssp_buf_append(&b, &c, 1);
		i += k ? k : 1;
	}
	ssp_markup_text(f, b.data ? b.data : "", b.len);
	ssp_buf_free(&b);
}

/* escaped_text - display-escaped text, its escapes (not \\) drawn as visible marks. */
static void escaped_text(FILE *f, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i, k;

		while (i < n && ((k = is_escape(s + i, n - i)) == 0 || s[i + 1] == '\\'))
			i += k ? k : 1;
		ssp_markup_text(f, s + start, i - start);
		if (i >= n)
			break;
		start = i;
		while (i < n && (k = is_escape(s + i, n - i)) > 0 && s[i + 1] != '\\')
			i += k;
		fputs("<span class=\"x\">", f);
		ssp_markup_text(f, s + start, i - start);
		fputs("</span>", f);
	}
}

/* escaped_str - escaped_text of a NUL-terminated string (NULL: nothing). */
static void escaped_str(FILE *f, const char *s)
{
	if (s != NULL)
		escaped_text(f, s, strlen(s));
}

/* section_anchor - the id of the group of a result's section. */
static void section_anchor(FILE *f, const ssp_doc_result_t *r)
{
	char rfc[32];

	snprintf(rfc, sizeof(rfc), "s-%u-", r->rfc);
	ssp_markup_id(f, rfc, r->section);
}

/* security_count - the security findings of the run (fail, warn, info of category security). */
static unsigned long long security_count(const ssp_doc_t *d)
{
	return (unsigned long long)ssp_doc_findings(&d->security);
}

/* tls_line - the TLS of the run (target "tls"): the mode, what the first
 * handshake showed (server strings escaped), and a plain statement when
 * certificates were not verified; nothing for an older document. */
static void tls_line(FILE *f, const ssp_doc_tls_t *t)
{
	static const char *const how[] = { [SSP_TLS_MODE_NONE] = "none: plaintext (vectors that need STARTTLS start it themselves)",
					   [SSP_TLS_MODE_STARTTLS] = "STARTTLS after EHLO in every vector (RFC 3207)",
					   [SSP_TLS_MODE_IMPLICIT] = "implicit TLS from the first byte (RFC 8314)" };

	if (!t->present)
		return;
	fprintf(f, "<dt>TLS</dt><dd id=\"tls\" data-mode=\"%s\">%s", ssp_doc_tls_mode_name(t->mode),
		t->mode >= 0 && t->mode <= SSP_TLS_MODE_IMPLICIT ? how[t->mode] : "?");
	if (t->protocol != NULL) {
		fputs("; <span id=\"tls-session\">first handshake: <code>", f);
		escaped_str(f, t->protocol);
		fputs("</code>, <code>", f);
		escaped_str(f, t->cipher);
		fputs("</code>", f);
		if (t->peer_subject != NULL) {
			fputs(", server certificate <code id=\"tls-subject\">", f);
			escaped_str(f, t->peer_subject);
			fputs("</code>", f);
		}
		fputs("</span>", f);
	}
	if (t->verify) {
		fputs("; certificates verified against ", f);
		ssp_markup_str(f, t->ca_file != NULL ? t->ca_file : "the system's CAs");
		if (t->sni != NULL) {
			fputs(" for the name <code>", f);
			ssp_markup_str(f, t->sni);
			fputs("</code>", f);
		}
	} else if (t->mode != SSP_TLS_MODE_NONE || t->protocol != NULL) {
		fputs("; <strong id=\"tls-unverified\">certificates were not verified</strong> (--tls-verify "
		      "--ca-file FILE verifies them)", f);
	}
	if (t->client_certificate)
		fputs("; a client certificate was offered", f);
	if (t->error != NULL) {
		fputs("<br><span class=\"bad\" id=\"tls-error\">TLS failure: ", f);
		ssp_markup_str(f, t->error);
		fputs("</span>", f);
	}
	fputs("</dd>\n", f);
}

/* header - the title, the verdict lines, the counts and what the run was made with. */
static void header(FILE *f, const page_t *pg)
{
	const ssp_doc_t *d = pg->doc;
	const ssp_doc_target_t *t = &d->target;
	const ssp_doc_cert_t *cert = &d->cert;
	size_t i;
	int v;

	fputs("<header>\n<h1>SMTP conformance: <span class=\"mono\">", f);
	ssp_markup_str(f, t->spec);
	fputs("</span></h1>\n<p class=\"sub\">smtpspec ", f);
	ssp_markup_str(f, d->tool_version);
	fputs(" &middot; ", f);
	ssp_markup_str(f, d->started);
	fputs("</p>\n<ul class=\"verdicts\" id=\"verdict\">\n", f);
	if (security_count(d) > 0)
		fprintf(f, "<li class=\"bad sec\"><a href=\"#security\">%llu security finding%s</a>: the server did "
			   "what an attacker asked (see below)</li>\n",
			security_count(d), security_count(d) == 1 ? "" : "s");
	for (i = 0; i < cert->nsuites; i++) {
		fprintf(f, "<li class=\"%s\">", ssp_markup_cert_class(cert->suites[i].conforms));
		ssp_markup_str(f, cert->suites[i].line);
		fputs("</li>\n", f);
	}
	if (cert->nsuites == 0) {
		fprintf(f, "<li class=\"%s\">", d->summary.n[SSP_FAIL] || d->summary.n[SSP_ERROR] ? "bad" : "ok");
		ssp_markup_str(f, cert->selection.line);
		fputs("</li>\n", f);
	}
	if (d->unstable > 0)
		fprintf(f, "<li class=\"bad\"><a href=\"#unstable\">%llu vector%s unstable under --repeat %llu</a>: "
			   "verdicts that differ between rounds (a rule broken only sometimes, or under concurrency)</li>\n",
			(unsigned long long)d->unstable, d->unstable == 1 ? "" : "s", (unsigned long long)d->repeat);
	fputs("</ul>\n<ul class=\"counts\" id=\"counts\">\n", f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		unsigned long long c = (unsigned long long)d->summary.n[v];
		fprintf(f, "<li class=\"b-%s\"><span class=\"n\" id=\"count-%s\">%llu</span>%s</li>\n",
			c ? name : "none", name, c, name);
	}
	fprintf(f, "<li class=\"b-%s\" title=\"security findings, also counted above\"><span class=\"n\" "
		   "id=\"count-security\">%llu</span>security</li>\n",
		security_count(d) ? "security" : "none", security_count(d));
	if (d->repeat > 0)
		fprintf(f, "<li class=\"b-%s\" title=\"vectors whose --repeat rounds gave more than one verdict, also "
			   "counted above\"><span class=\"n\" id=\"count-unstable\">%llu</span>unstable</li>\n",
			d->unstable ? "unstable" : "none", (unsigned long long)d->unstable);
	fputs("</ul>\n", f);
	if (d->incomplete != NULL) {
		fputs("<p class=\"incomplete\" id=\"incomplete\"><strong>Incomplete run:</strong> ", f);
		ssp_markup_str(f, d->incomplete);
		fputs("; the vectors it did not finish are errors.</p>\n", f);
	}
	fprintf(f, "<dl class=\"meta\">\n<dt>Target</dt><dd><span class=\"mono\">");
	ssp_markup_str(f, t->spec);
	fputs("</span>", f);
	if (t->address[0]) {
		fputs(" (", f);
		ssp_markup_str(f, t->address);
		fprintf(f, " port %u)", t->port);
	}
	fputs("</dd>\n", f);
	tls_line(f, &t->tls);
	fputs("<dt>Greeting</dt><dd><code>", f);
	if (t->greeting != NULL)
		escaped_str(f, t->greeting);
	else
		fputs("(none)", f);
	if (t->recipients != NULL) {
		fputs("</code></dd>\n<dt>Recipients</dt><dd id=\"recipients\"><code>", f);
		escaped_str(f, t->recipients);
	}
	fputs("</code></dd>\n<dt>EHLO</dt><dd><ul class=\"caps\" id=\"caps\">", f);
	for (i = 0; i < t->nextensions; i++) {
		if (t->extensions[i][0] == '\0') {
			fputs("<li class=\"legend\">(an empty line)</li>", f);
			continue;
		}
		fputs("<li><code>", f);
		escaped_str(f, t->extensions[i]);
		fputs("</code></li>", f);
	}
	if (t->nextensions == 0)
		fputs("<li>(no extension advertised)</li>", f);
	fputs("</ul></dd>\n<dt>Tool</dt><dd>", f);
	ssp_markup_str(f, d->tool_name);
	fputc(' ', f);
	ssp_markup_str(f, d->tool_version);
	fprintf(f, "</dd>\n<dt>Catalogue</dt><dd>%llu vectors, %llu selected", (unsigned long long)d->catalogue_vectors,
		(unsigned long long)d->catalogue_selected);
	if (cert->catalogue_sha256 != NULL) {
		fputs("; <span class=\"mono\" title=\"SHA-256 of the catalogue's files\">sha256:", f);
		ssp_markup_str(f, cert->catalogue_sha256);
		fputs("</span>", f);
	}
	fputs("</dd>\n<dt>Profile</dt><dd>", f);
	if (d->profile != NULL) {
		ssp_markup_str(f, d->profile);
		if (cert->profile_sha256 != NULL) {
			fputs(" <span class=\"mono\">sha256:", f);
			ssp_markup_str(f, cert->profile_sha256);
			fputs("</span>", f);
		}
	} else {
		fputs("none (defaults)", f);
	}
	fputs("</dd>\n<dt>Suites</dt><dd>", f);
	for (i = 0; i < d->nsuites; i++) {
		if (i > 0)
			fputs(", ", f);
		ssp_markup_str(f, d->suites[i]);
	}
	if (d->nsuites == 0)
		fputs("the whole catalogue", f);
	fputs("</dd>\n<dt>Date</dt><dd>", f);
	ssp_markup_str(f, d->started);
	fprintf(f, ", %.1f s</dd>\n<dt>Options</dt><dd>--jobs %llu --timeout %llu --connect-timeout %llu "
		"--deadline %llu%s", (double)d->duration_ms / 1000.0, (unsigned long long)d->jobs,
		(unsigned long long)d->timeout_ms, (unsigned long long)d->connect_timeout_ms,
		(unsigned long long)d->deadline_s, d->strict ? " --strict" : "");
	if (d->repeat > 0)
		fprintf(f, " --repeat %llu", (unsigned long long)d->repeat);
	if (d->max_memory > 0)
		fprintf(f, " --max-memory %llu", (unsigned long long)d->max_memory);
	if (d->remote)
		fputs(" --remote", f);
	fprintf(f, "</dd>\n<dt>Exit code</dt><dd>%d</dd>\n</dl>\n</header>\n", d->exit_code);
}

/* security - the security findings, apart and first: each links to its entry. */
static void security(FILE *f, const page_t *pg)
{
	size_t i;

	if (security_count(pg->doc) == 0)
		return;
	fprintf(f, "<section id=\"security\">\n<h2>Security findings: %llu</h2>\n<p class=\"sub\">The server did "
		   "something an attacker can use; these are also counted with the other verdicts.</p>\n<ul class=\"sec\">\n",
		security_count(pg->doc));
	for (i = 0; i < pg->n; i++) {
		const ssp_doc_result_t *r = pg->order[i];
		const char *v = ssp_verdict_name(r->verdict);

		if (!ssp_doc_is_security_finding(r))
			continue;
		fprintf(f, "<li data-security=\"%s\"><span class=\"badge b-security\">security</span> "
			   "<span class=\"badge b-%s\">%s</span> <a href=\"#",
			v, v, v);
		ssp_markup_id(f, "v-", r->id);
		fputs("\"><code>", f);
		ssp_markup_str(f, r->id);
		fputs("</code></a>: ", f);
		ssp_markup_str(f, r->title);
		fputs("<br><span class=\"legend\">", f);
		escaped_str(f, r->reason);
		fputs("</span></li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

/* causes - findings one reply explains (causes.h): "N vectors: <reply>". */
static void causes(FILE *f, const page_t *pg)
{
	const ssp_doc_t *d = pg->doc;
	const char **observed = calloc(d->nresults ? d->nresults : 1, sizeof(*observed));
	int *finding = calloc(d->nresults ? d->nresults : 1, sizeof(*finding));
	size_t *order = calloc(d->nresults ? d->nresults : 1, sizeof(*order));
	ssp_cause_t c[SSP_CAUSES_MAX];
	size_t i, k, n = 0;

	if (observed != NULL && finding != NULL && order != NULL) {
		for (i = 0; i < d->nresults; i++) {
			observed[i] = d->results[i].observed;
			finding[i] = ssp_verdict_is_finding(d->results[i].verdict);
		}
		n = ssp_causes_find(observed, finding, d->nresults, order, c, SSP_CAUSES_MAX);
	}
	if (n > 0)
		fputs("<section id=\"causes\">\n<h2>Shared causes</h2>\n<p class=\"sub\">One reply explains "
		      "several findings: look at it first.</p>\n<ul class=\"causes\">\n", f);
	for (k = 0; k < n; k++) {
		fprintf(f, "<li><strong>%zu vectors</strong>: <code>", c[k].count);
		escaped_str(f, c[k].observed);
		fputs("</code><br>", f);
		for (i = 0; i < c[k].count; i++) {
			const ssp_doc_result_t *r = &d->results[order[c[k].first + i]];
			fputs(i ? ", <a href=\"#" : "<a href=\"#", f);
			ssp_markup_id(f, "v-", r->id);
			fputs("\"><code>", f);
			ssp_markup_str(f, r->id);
			fputs("</code></a>", f);
		}
		fputs("</li>\n", f);
	}
	if (n > 0)
		fputs("</ul>\n</section>\n", f);
	free(observed);
	free(finding);
	free(order);
}

/* certification - one statement per suite, and the digest. */
static void certification(FILE *f, const page_t *pg)
{
	const ssp_doc_cert_t *cert = &pg->doc->cert;
	size_t i;

	fputs("<section id=\"certification\">\n<h2>Certification</h2>\n", f);
	if (cert->nsuites == 0)
		fputs("<p>No suite of the catalogue was run: no statement.</p>\n", f);
	for (i = 0; i < cert->nsuites; i++) {
		const ssp_doc_suite_t *s = &cert->suites[i];
		fprintf(f, "<div class=\"cert %s\" data-suite=\"", ssp_markup_cert_class(s->conforms));
		ssp_markup_str(f, s->name);
		fputs("\"><b>", f);
		if (s->conforms == SSP_CERT_SHOULD)
			fputs("&#10004; Conforms at MUST and SHOULD level", f);
		else if (s->conforms == SSP_CERT_MUST)
			fputs("&#10004; Conforms at MUST level", f);
		else if (s->conforms == SSP_CERT_NONE)
			fputs("&#10008; Does not conform", f);
		else
			fputs("&ndash; No statement", f);
		fputs(": ", f);
		ssp_markup_str(f, s->title);
		fputs("</b>", f);
		ssp_markup_str(f, s->statement);
		fputs("</div>\n", f);
	}
	fputs("<p class=\"digest\">Tool ", f);
	ssp_markup_str(f, cert->tool);
	fputs(" &middot; digest <span class=\"mono\">", f);
	if (cert->digest != NULL)
		ssp_markup_str(f, cert->digest);
	else
		fputs("unknown", f);
	fputs("</span> (SHA-256 of the tool version, the catalogue's files and the profile: the same "
	      "digest means the same check)</p>\n</section>\n", f);
}

/* baseline - the comparison with a baseline, if the document has one. */
static void baseline(FILE *f, const page_t *pg)
{
	static const char *const heads[SSP_DIFF_KINDS] = { "New failures", "Fixed", "Changed verdicts" };
	const ssp_diff_t *b = pg->doc->baseline;
	size_t i;
	int k;

	if (b == NULL)
		return;
	fputs("<section id=\"baseline\">\n<h2>Against the baseline</h2>\n<p class=\"sub\">", f);
	ssp_markup_str(f, b->file);
	fputs("</p>\n", f);
	for (k = 0; k < SSP_DIFF_KINDS; k++) {
		fprintf(f, "<h3>%s: %zu</h3>\n<ul>\n", heads[k], b->n[k]);
		for (i = 0; i < b->n[k]; i++) {
			const ssp_doc_change_t *c = &b->list[k][i];
			fputs("<li><a href=\"#", f);
			ssp_markup_id(f, "v-", c->id);
			fputs("\"><code>", f);
			ssp_markup_str(f, c->id);
			fprintf(f, "</code></a>: %s &rarr; %s</li>\n", ssp_doc_verdict_name(c->old), ssp_doc_verdict_name(c->new_));
		}
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
}

/* section_table - verdict counts per RFC section, linked to the section. */
static void section_table(FILE *f, const page_t *pg)
{
	size_t i = 0;
	int v;

	fputs("<section id=\"sections\">\n<h2>By RFC section</h2>\n<div class=\"tablewrap\"><table>\n"
	      "<thead><tr><th>Section</th><th>Vectors</th>",
	      f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		fprintf(f, "<th>%s</th>", ssp_verdict_name((ssp_verdict_t)v));
	fputs("</tr></thead>\n<tbody>\n", f);
	while (i < pg->n) {
		const ssp_doc_result_t *first = pg->order[i];
		unsigned c[SSP_VERDICT_COUNT] = { 0 };
		size_t start = i;

		for (; i < pg->n && ssp_doc_same_section(first, pg->order[i]); i++)
			c[pg->order[i]->verdict]++;
		fprintf(f, "<tr><td><a href=\"#");
		section_anchor(f, first);
		fprintf(f, "\">RFC %u &sect;", first->rfc);
		ssp_markup_str(f, first->section);
		fprintf(f, "</a></td><td>%zu</td>", i - start);
		for (v = 0; v < SSP_VERDICT_COUNT; v++) {
			const char *name = ssp_verdict_name((ssp_verdict_t)v);
			if (c[v] == 0) {
				fputs("<td class=\"z\">0</td>", f);
				continue;
			}
			fprintf(f, "<td><a class=\"b-%s\" href=\"#", name);
			section_anchor(f, first);
			fprintf(f, "\" title=\"%u %s in this section\">%u</a></td>", c[v], name, c[v]);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n</section>\n", f);
}

/* transcript - one row per entry: time, direction mark, escaped text. */
static void transcript(FILE *f, const ssp_doc_entry_t *tr, size_t n)
{
	size_t i;

	fputs("<div class=\"tr\">\n", f);
	for (i = 0; i < n; i++) {
		const ssp_doc_entry_t *e = &tr[i];
		const char *cls = e->dir == SSP_TR_CLIENT ? "C" : e->dir == SSP_TR_SERVER ? "S" : "N";
		const char *mark = e->dir == SSP_TR_CLIENT ? "C&gt;" : e->dir == SSP_TR_SERVER ? "S&lt;" : "#";
		const char *who = e->dir == SSP_TR_CLIENT ? "sent by smtpspec" : e->dir == SSP_TR_SERVER ? "from the server" : "note";

		fprintf(f, "<div class=\"r r-%s\"><span class=\"ts\">%llu ms</span><span class=\"d\" title=\"%s\">%s</span>"
			   "<span class=\"tx\">",
			cls, (unsigned long long)e->t_ms, who, mark);
		if (cls[0] == 'N')
			note_text(f, e->text, e->len);
		else
			escaped_text(f, e->text, e->len);
		if (e->partial)
			fputs(" <span class=\"partial\">[no line end]</span>", f);
		fputs("</span></div>\n", f);
	}
	if (n == 0)
		fputs("<div class=\"r r-N\"><span class=\"ts\"></span><span class=\"d\">#</span><span class=\"tx\">"
		      "(nothing was sent or received)</span></div>\n",
		      f);
	fputs("</div>\n", f);
}

/* shell_quote - append s as one single-quoted shell word. */
static void shell_quote(ssp_buf_t *b, const char *s)
{
	ssp_buf_append_str(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			ssp_buf_append_str(b, "'\\''");
		else
			ssp_buf_append(b, s, 1);
	}
	ssp_buf_append_str(b, "'");
}

/*
 * printf_format - append display-escaped text as a printf(1) format that
 * writes the original bytes: \r \n \t \\ kept, \xHH as octal (POSIX), % doubled,
 * ' closed and reopened for the shell's single quotes.
 */
static void printf_format(ssp_buf_t *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = is_escape(s + i, n - i);
		unsigned char c = (unsigned char)s[i];

		if (k == 4) {
			ssp_buf_appendf(b, "\\%03o", (unsigned)(hexval(s[i + 2]) * 16 + hexval(s[i + 3])));
		} else if (k == 2) {
			ssp_buf_append(b, s + i, 2);
		} else if (c == '%') {
			ssp_buf_append_str(b, "%%");
		} else if (c == '\'') {
			ssp_buf_append_str(b, "'\\''");
		} else if (c == '\\' || c < 0x20 || c >= 0x7f) {
			ssp_buf_appendf(b, "\\%03o", c);
		} else {
			ssp_buf_append(b, s + i, 1);
		}
		i += k ? k : 1;
	}
}

/* reproducer - the client's bytes and a shell command line that replays them. */
static void reproducer(FILE *f, const ssp_doc_t *doc, const ssp_doc_result_t *r)
{
	const ssp_doc_target_t *target = &doc->target;
	const char *host = target->address[0] ? target->address : target->host;
	ssp_buf_t cmd;
	size_t i, writes = 0, bytes = 0;
	int in_write = 0;
	/* TLS: openssl s_client replays what went inside TLS (with STARTTLS it
	 * sends its own EHLO and STARTTLS first, so only the later writes count) */
	int implicit = target->tls.present && target->tls.mode == SSP_TLS_MODE_IMPLICIT, starttls = 0;
	char hostport[SSP_DOMAIN_MAX + 16];

	fputs("<h4>Reproduce</h4>\n", f);
	/* printf(1) text is at most 4 bytes per transcript byte (\xHH as \ooo, ' as '\''),
	 * plus a few dozen per write: twice that is room enough */
	ssp_buf_init(&cmd, 8 * SSP_TRANSCRIPT_BYTES_MAX + 64 * SSP_TRANSCRIPT_ENTRIES_MAX);
	ssp_buf_append_str(&cmd, "{ sleep 1; ");
	fputs("<pre class=\"bytes\">", f);
	for (i = 0; i < r->ntranscript; i++) {
		const ssp_doc_entry_t *e = &r->transcript[i];
		const char *t = e->text;
		size_t tl = e->len, k;

		if (!implicit && !starttls && e->dir == SSP_TR_NOTE && strncmp(t, "TLS established", 15) == 0) {
			starttls = 1;           /* the replay starts over inside TLS */
			cmd.len = 0;
			ssp_buf_append_str(&cmd, "{ sleep 1; ");
			in_write = 0;
			writes = 0;
			bytes = 0;
		}
		if (e->dir != SSP_TR_CLIENT) {
			if (in_write)
				ssp_buf_append_str(&cmd, "'; sleep 1; ");
			in_write = 0;
			continue;
		}
		if (!in_write) {
			ssp_buf_append_str(&cmd, t[0] == '-' ? "printf -- '" : "printf '");
			writes++;
		}
		in_write = 1;
		printf_format(&cmd, t, tl);
		escaped_text(f, t, tl);
		fputc('\n', f);
		for (k = 0; k < tl; bytes++)
			k += is_escape(t + k, tl - k) ? is_escape(t + k, tl - k) : 1;
	}
	if (in_write)
		ssp_buf_append_str(&cmd, "'; ");
	else if (cmd.len >= 9 && memcmp(cmd.data + cmd.len - 9, "sleep 1; ", 9) == 0)
		cmd.len -= 9; /* the last write waits 2 s instead */
	fputs("</pre>\n", f);
	if (implicit || starttls) {
		snprintf(hostport, sizeof(hostport), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, target->port);
		ssp_buf_append_str(&cmd, starttls ? "sleep 2; } | openssl s_client -quiet -starttls smtp -connect "
						  : "sleep 2; } | openssl s_client -quiet -connect ");
		shell_quote(&cmd, hostport);
	} else {
		ssp_buf_append_str(&cmd, "sleep 2; } | nc -w 10 ");
		shell_quote(&cmd, host);
		ssp_buf_appendf(&cmd, " %u", target->port);
	}
	if (writes == 0) {
		fputs("<p class=\"legend\">smtpspec sent nothing on this connection.</p>\n", f);
	} else if (implicit || starttls) {
		fprintf(f, "<p class=\"legend\">%zu bytes (above, escaped as in the transcript). Replay the %zu write%s %s "
			   "with a TLS client, one a second%s:</p>\n<pre class=\"cmd\">", bytes, writes,
			writes == 1 ? "" : "s", starttls ? "after the TLS handshake" : "inside TLS",
			starttls ? " (openssl s_client sends its own EHLO and STARTTLS first)" : "");
		ssp_markup_text(f, cmd.data ? cmd.data : "", cmd.len);
		fputs("</pre>\n", f);
	} else {
		fprintf(f, "<p class=\"legend\">%zu bytes in %zu writes (above, escaped as in the transcript). "
			   "Replay them with a plain TCP client, one write a second:</p>\n<pre class=\"cmd\">",
			bytes, writes);
		ssp_markup_text(f, cmd.data ? cmd.data : "", cmd.len);
		fputs("</pre>\n", f);
	}
	ssp_buf_free(&cmd);
}

/* rounds - under --repeat: how many rounds gave each verdict, as "pass 3, fail 3". */
static void rounds(FILE *f, const ssp_doc_result_t *r)
{
	int v, first = 1;

	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		if (r->verdicts[v] == 0)
			continue;
		fprintf(f, "%s<span class=\"badge b-%s\">%s</span> %u", first ? "" : ", ",
			ssp_verdict_name((ssp_verdict_t)v), ssp_verdict_name((ssp_verdict_t)v), r->verdicts[v]);
		first = 0;
	}
}

/* unstable - under --repeat: the vectors whose rounds disagreed, each linked to its entry. */
static void unstable(FILE *f, const page_t *pg)
{
	const ssp_doc_t *d = pg->doc;
	size_t i;

	if (d->unstable == 0)
		return;
	fprintf(f, "<section id=\"unstable\">\n<h2>Unstable under --repeat %llu: %llu</h2>\n<p class=\"sub\">Each "
		   "vector ran %llu times; these gave more than one verdict. The worst round is reported.</p>\n<ul>\n",
		(unsigned long long)d->repeat, (unsigned long long)d->unstable, (unsigned long long)d->repeat);
	for (i = 0; i < d->nresults; i++) {
		const ssp_doc_result_t *r = &d->results[i];

		if (!r->unstable)
			continue;
		fputs("<li data-unstable=\"", f);
		ssp_markup_str(f, r->id);
		fputs("\"><a href=\"#", f);
		ssp_markup_id(f, "v-", r->id);
		fputs("\"><code>", f);
		ssp_markup_str(f, r->id);
		fputs("</code></a>: ", f);
		rounds(f, r);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

/* vector_entry - one vector: requirement, judgement, transcript, reproducer (read whole, one at a time). */
static void vector_entry(FILE *f, const page_t *pg, const ssp_doc_result_t *entry)
{
	ssp_doc_t one;
	const ssp_doc_result_t *r = ssp_doc_whole(pg->doc, entry, &one, pg->diag);
	const char *verdict;
	size_t i;

	if (r == NULL) {
		ssp_doc_free(&one);
		return;
	}
	verdict = ssp_verdict_name(r->verdict);

	fputs("<details class=\"vec\" id=\"", f);
	ssp_markup_id(f, "v-", r->id);
	fprintf(f, "\" data-verdicts=\"%s\" data-category=\"%s\" data-id=\"", verdict, ssp_category_name(r->category));
	ssp_markup_str(f, r->id);
	fputs("\" data-suites=\"", f);
	for (i = 0; i < r->nsuites; i++) {
		if (i > 0)
			fputc(' ', f);
		ssp_markup_str(f, r->suites[i]);
	}
	fprintf(f, "\"%s>\n<summary><span class=\"badge b-%s\">%s</span>",
		r->verdict != SSP_PASS && r->verdict != SSP_SKIP ? " open" : "", verdict, verdict);
	if (ssp_doc_is_security_finding(r))
		fputs("<span class=\"badge b-security\">security</span>", f);
	if (r->unstable)
		fputs("<span class=\"badge b-unstable\">unstable</span>", f);
	fputs("<span class=\"title\">", f);
	ssp_markup_str(f, r->title);
	fputs("</span><code class=\"id\">", f);
	ssp_markup_str(f, r->id);
	fprintf(f, "</code><span class=\"dur\">%llu ms</span></summary>\n<div class=\"vbody\">\n",
		(unsigned long long)r->duration_ms);
	fprintf(f, "<p><a href=\"https://www.rfc-editor.org/rfc/rfc%u#section-", r->rfc);
	ssp_markup_id(f, "", r->section);
	fprintf(f, "\">RFC %u &sect;", r->rfc);
	ssp_markup_str(f, r->section);
	fprintf(f, "</a> &middot; <b>%s</b> &middot; %s</p>\n<blockquote>", ssp_level_name(r->level),
		ssp_category_name(r->category));
	ssp_markup_str(f, r->quote);
	fputs("</blockquote>\n<dl class=\"judge\">\n<dt>Expected</dt><dd><code>", f);
	ssp_markup_str(f, r->expected);
	if (r->expected[0] == '\0')
		fputs("&ndash;", f);
	fputs("</code></dd>\n<dt>Observed</dt><dd><code>", f);
	escaped_str(f, r->observed);
	if (r->observed[0] == '\0')
		fputs("&ndash;", f);
	fprintf(f, "</code></dd>\n<dt>Verdict</dt><dd><span class=\"badge b-%s\">%s</span> ", verdict, verdict);
	escaped_str(f, r->reason);
	if (r->step > 0)
		fprintf(f, " (step %u)", r->step);
	if (r->rounds > 0) {
		fprintf(f, "</dd>\n<dt>Rounds</dt><dd class=\"rounds\">%s%u rounds: ", r->unstable ? "unstable: " : "",
			r->rounds);
		rounds(f, r);
		fputs(" (the worst is reported)", f);
	}
	fprintf(f, "</dd>\n<dt>Duration</dt><dd>%llu ms</dd>\n<dt>Vector</dt><dd><code>", (unsigned long long)r->duration_ms);
	ssp_markup_str(f, r->file);
	fputs("</code></dd>\n</dl>\n<h4>Transcript</h4>\n", f);
	transcript(f, r->transcript, r->ntranscript);
	if (r->verdict != SSP_PASS)
		reproducer(f, pg->doc, r);
	fputs("</div>\n</details>\n", f);
	ssp_doc_free(&one);
}

/* filters - the verdict checkboxes, the suite list and the search box. */
static void filters(FILE *f, const page_t *pg)
{
	const ssp_doc_t *d = pg->doc;
	const char *names[SSP_CERT_SUITES_MAX];
	size_t i, k, j, nnames = 0;
	int v;

	fputs("<form id=\"filters\" role=\"search\">\n", f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		fprintf(f, "<label class=\"b-%s badge\"><input type=\"checkbox\" name=\"verdict\" value=\"%s\" checked> "
			   "%s %llu</label>\n",
			name, name, name, (unsigned long long)d->summary.n[v]);
	}
	for (i = 0; i < d->nresults; i++) {
		for (k = 0; k < d->results[i].nsuites; k++) {
			const char *n = d->results[i].suites[k];
			for (j = 0; j < nnames && strcmp(names[j], n) != 0; j++)
				;
			if (j == nnames && nnames < SSP_CERT_SUITES_MAX)
				names[nnames++] = n;
		}
	}
	if (ssp_doc_findings(&d->security) > 0 || d->security.total > 0)
		fputs("<label class=\"b-security badge\"><input type=\"checkbox\" name=\"category\" value=\"security\"> "
		      "security only</label>\n", f);
	fputs("<select name=\"suite\" aria-label=\"suite\"><option value=\"\">all suites</option>", f);
	for (j = 0; j < nnames; j++) {
		fputs("<option value=\"", f);
		ssp_markup_str(f, names[j]);
		fputs("\">", f);
		ssp_markup_str(f, names[j]);
		fputs("</option>", f);
	}
	fputs("</select>\n<input type=\"search\" name=\"q\" placeholder=\"search by id\" aria-label=\"search by id\">\n"
	      "<span id=\"shown\"></span>\n</form>\n",
	      f);
}

/* vectors - every vector, grouped by RFC section. */
static void vectors(FILE *f, const page_t *pg)
{
	size_t i = 0;

	fputs("<section id=\"vectors\">\n<h2>Vectors</h2>\n", f);
	filters(f, pg);
	fputs("<p class=\"legend\">Transcripts: <span class=\"r-C\"><b>C&gt;</b></span> sent by smtpspec, "
	      "<span class=\"r-S\"><b>S&lt;</b></span> from the server, <b>#</b> notes; times since the "
	      "connection started; <span class=\"x\">\\r\\n</span> marks CR, LF and every byte outside "
	      "printable ASCII (<span class=\"x\">\\x00</span>).</p>\n",
	      f);
	while (i < pg->n) {
		const ssp_doc_result_t *first = pg->order[i];

		fputs("<div class=\"group\" id=\"", f);
		section_anchor(f, first);
		fprintf(f, "\">\n<h3>RFC %u &sect;", first->rfc);
		ssp_markup_str(f, first->section);
		fputs("</h3>\n", f);
		for (; i < pg->n && ssp_doc_same_section(first, pg->order[i]); i++)
			vector_entry(f, pg, pg->order[i]);
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

/* part - the template parts of the page ("title", "body"). */
static void part(FILE *f, const char *name, void *arg)
{
	const page_t *pg = arg;

	if (strcmp(name, "title") == 0) {
		fputs("smtpspec: ", f);
		ssp_markup_str(f, pg->doc->target.spec);
		return;
	}
	if (strcmp(name, "body") != 0)
		return;
	header(f, pg);
	security(f, pg);
	causes(f, pg);
	unstable(f, pg);
	certification(f, pg);
	baseline(f, pg);
	section_table(f, pg);
	vectors(f, pg);
	fputs("<footer>Generated by smtpspec ", f);
	ssp_markup_str(f, pg->doc->tool_version);
	fputs(" from the result document (schema " SSP_RESULT_SCHEMA "). Every byte from the server is shown "
	      "escaped.</footer>\n", f);
}

int ssp_html_write(const char *file, const ssp_doc_t *doc, ssp_diag_t *diag)
{
	page_t pg;
	ssp_diag_t whole;
	FILE *f;

	ssp_diag_init(&whole);
	pg.doc = doc;
	pg.n = doc->nresults;
	pg.diag = &whole;
	if ((pg.order = ssp_doc_order(doc)) == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	if ((f = fopen(file, "w")) == NULL) {
		free(pg.order);
		return ssp_diag_set(diag, file, 0, 0, "cannot write the HTML report");
	}
	ssp_markup_template(f, ssp_template_html, ssp_template_html_len, part, &pg);
	free(pg.order);
	if (whole.set) { /* a result could not be read whole: no report rather than one that lacks it */
		fclose(f);
		return ssp_diag_set(diag, file, 0, 0, "%s", whole.text);
	}
	if (ssp_markup_close(f) != 0)
		return ssp_diag_set(diag, file, 0, 0, "cannot write the HTML report");
	return 0;
}
