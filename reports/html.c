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
#include "report.h"

#include "markup.h"

#include "../harness/buf.h"
#include "../harness/limits.h"
#include "../harness/result.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const json_t *doc;
	const json_t *results;
	size_t *order;   /* results sorted by RFC, section, id */
	size_t n;
} page_t;

/* verdict_index - the ssp_verdict_t of a verdict name, or -1. */
static int verdict_index(const char *name)
{
	int v;

	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		if (strcmp(name, ssp_verdict_name((ssp_verdict_t)v)) == 0)
			return v;
	}
	return -1;
}

/* safe_verdict - the verdict name of a result, or "error" for anything unknown. */
static const char *safe_verdict(const json_t *r)
{
	int v = verdict_index(ssp_doc_str(r, "verdict"));

	return ssp_verdict_name(v < 0 ? SSP_ERROR : (ssp_verdict_t)v);
}

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
static void note_text(FILE *f, const json_t *s)
{
	const char *t = json_string_value(s);
	size_t n = json_string_length(s), i = 0, k;
	ssp_buf_t b;

	if (t == NULL)
		return;
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

/* escaped_json - escaped_text of a JSON string. */
static void escaped_json(FILE *f, const json_t *s)
{
	if (json_is_string(s))
		escaped_text(f, json_string_value(s), json_string_length(s));
}

/* same_section - 1 if results a and b are in the same RFC section. */
static int same_section(const json_t *a, const json_t *b)
{
	return ssp_doc_num(a, "rfc") == ssp_doc_num(b, "rfc") && strcmp(ssp_doc_str(a, "section"), ssp_doc_str(b, "section")) == 0;
}

/* section_anchor - the id of the group of a result's section. */
static void section_anchor(FILE *f, const json_t *r)
{
	char rfc[32];

	snprintf(rfc, sizeof(rfc), "s-%lld-", ssp_doc_num(r, "rfc"));
	ssp_markup_id(f, rfc, ssp_doc_str(r, "section"));
}

/* conform_class - the CSS class of a certification outcome. */
static const char *conform_class(const char *conforms)
{
	if (strcmp(conforms, "should") == 0)
		return "ok";
	if (strcmp(conforms, "must") == 0)
		return "meh";
	if (strcmp(conforms, "none") == 0)
		return "bad";
	return "na";
}

static void header(FILE *f, const page_t *pg)
{
	const json_t *doc = pg->doc, *target = json_object_get(doc, "target");
	const json_t *cert = json_object_get(doc, "certification");
	const json_t *suites = json_object_get(cert, "suites"), *s, *e;
	const json_t *summary = json_object_get(doc, "summary"), *opt = json_object_get(doc, "options");
	const json_t *cat = json_object_get(doc, "catalogue");
	size_t i;
	int v;

	fputs("<header>\n<h1>SMTP conformance: <span class=\"mono\">", f);
	ssp_doc_text(f, target, "spec");
	fputs("</span></h1>\n<p class=\"sub\">smtpspec ", f);
	ssp_doc_text(f, json_object_get(doc, "tool"), "version");
	fputs(" &middot; ", f);
	ssp_doc_text(f, doc, "started");
	fputs("</p>\n<ul class=\"verdicts\" id=\"verdict\">\n", f);
	json_array_foreach(suites, i, s) {
		fprintf(f, "<li class=\"%s\">", conform_class(ssp_doc_str(s, "conforms")));
		ssp_doc_text(f, s, "line");
		fputs("</li>\n", f);
	}
	if (json_array_size(suites) == 0) {
		s = json_object_get(cert, "selection");
		fprintf(f, "<li class=\"%s\">", ssp_doc_num(summary, "fail") || ssp_doc_num(summary, "error") ? "bad" : "ok");
		if (s != NULL)
			ssp_doc_text(f, s, "line");
		else
			fprintf(f, "%lld vectors: %lld fail, %lld error", ssp_doc_num(summary, "total"),
				ssp_doc_num(summary, "fail"), ssp_doc_num(summary, "error"));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<ul class=\"counts\" id=\"counts\">\n", f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		long long c = ssp_doc_num(summary, name);
		fprintf(f, "<li class=\"b-%s\"><span class=\"n\" id=\"count-%s\">%lld</span>%s</li>\n",
			c ? name : "none", name, c, name);
	}
	fprintf(f, "</ul>\n<dl class=\"meta\">\n<dt>Target</dt><dd><span class=\"mono\">");
	ssp_doc_text(f, target, "spec");
	fputs("</span>", f);
	if (ssp_doc_str(target, "address")[0]) {
		fputs(" (", f);
		ssp_doc_text(f, target, "address");
		fprintf(f, " port %lld)", ssp_doc_num(target, "port"));
	}
	fputs("</dd>\n<dt>Greeting</dt><dd><code>", f);
	if (json_is_string(json_object_get(target, "greeting")))
		escaped_json(f, json_object_get(target, "greeting"));
	else
		fputs("(none)", f);
	fputs("</code></dd>\n<dt>EHLO</dt><dd><ul class=\"caps\" id=\"caps\">", f);
	json_array_foreach(json_object_get(target, "extensions"), i, e) {
		if (json_string_length(e) == 0) {
			fputs("<li class=\"legend\">(an empty line)</li>", f);
			continue;
		}
		fputs("<li><code>", f);
		escaped_json(f, e);
		fputs("</code></li>", f);
	}
	if (json_array_size(json_object_get(target, "extensions")) == 0)
		fputs("<li>(no extension advertised)</li>", f);
	fputs("</ul></dd>\n<dt>Tool</dt><dd>", f);
	ssp_doc_text(f, json_object_get(doc, "tool"), "name");
	fputc(' ', f);
	ssp_doc_text(f, json_object_get(doc, "tool"), "version");
	fprintf(f, "</dd>\n<dt>Catalogue</dt><dd>%lld vectors, %lld selected", ssp_doc_num(cat, "vectors"),
		ssp_doc_num(cat, "selected"));
	if (json_is_string(json_object_get(cert, "catalogue_sha256"))) {
		fputs("; <span class=\"mono\" title=\"SHA-256 of the catalogue's files\">sha256:", f);
		ssp_doc_text(f, cert, "catalogue_sha256");
		fputs("</span>", f);
	}
	fputs("</dd>\n<dt>Profile</dt><dd>", f);
	if (json_is_string(json_object_get(doc, "profile"))) {
		ssp_doc_text(f, doc, "profile");
		if (json_is_string(json_object_get(cert, "profile_sha256"))) {
			fputs(" <span class=\"mono\">sha256:", f);
			ssp_doc_text(f, cert, "profile_sha256");
			fputs("</span>", f);
		}
	} else {
		fputs("none (defaults)", f);
	}
	fputs("</dd>\n<dt>Suites</dt><dd>", f);
	json_array_foreach(json_object_get(doc, "suites"), i, e) {
		if (i > 0)
			fputs(", ", f);
		ssp_markup_json(f, e);
	}
	if (json_array_size(json_object_get(doc, "suites")) == 0)
		fputs("the whole catalogue", f);
	fputs("</dd>\n<dt>Date</dt><dd>", f);
	ssp_doc_text(f, doc, "started");
	fprintf(f, ", %.1f s</dd>\n<dt>Options</dt><dd>--jobs %lld --timeout %lld --connect-timeout %lld "
		"--deadline %lld%s</dd>\n<dt>Exit code</dt><dd>%lld</dd>\n</dl>\n</header>\n",
		ssp_doc_num(doc, "duration_ms") / 1000.0, ssp_doc_num(opt, "jobs"), ssp_doc_num(opt, "timeout_ms"),
		ssp_doc_num(opt, "connect_timeout_ms"), ssp_doc_num(opt, "deadline_s"),
		json_is_true(json_object_get(opt, "strict")) ? " --strict" : "", ssp_doc_num(doc, "exit_code"));
}

static void certification(FILE *f, const page_t *pg)
{
	const json_t *cert = json_object_get(pg->doc, "certification");
	const json_t *s;
	size_t i;

	fputs("<section id=\"certification\">\n<h2>Certification</h2>\n", f);
	if (json_array_size(json_object_get(cert, "suites")) == 0)
		fputs("<p>No suite of the catalogue was run: no statement.</p>\n", f);
	json_array_foreach(json_object_get(cert, "suites"), i, s) {
		const char *c = ssp_doc_str(s, "conforms");
		fprintf(f, "<div class=\"cert %s\" data-suite=\"", conform_class(c));
		ssp_doc_text(f, s, "name");
		fputs("\"><b>", f);
		if (strcmp(c, "should") == 0)
			fputs("&#10004; Conforms at MUST and SHOULD level", f);
		else if (strcmp(c, "must") == 0)
			fputs("&#10004; Conforms at MUST level", f);
		else if (strcmp(c, "none") == 0)
			fputs("&#10008; Does not conform", f);
		else
			fputs("&ndash; No statement", f);
		fputs(": ", f);
		ssp_doc_text(f, s, "title");
		fputs("</b>", f);
		ssp_doc_text(f, s, "statement");
		fputs("</div>\n", f);
	}
	fputs("<p class=\"digest\">Tool ", f);
	ssp_doc_text(f, cert, "tool");
	fputs(" &middot; digest <span class=\"mono\">", f);
	if (json_is_string(json_object_get(cert, "digest")))
		ssp_doc_text(f, cert, "digest");
	else
		fputs("unknown", f);
	fputs("</span> (SHA-256 of the tool version, the catalogue's files and the profile: the same "
	      "digest means the same check)</p>\n</section>\n", f);
}

static void baseline(FILE *f, const page_t *pg)
{
	static const char *const parts[] = { "new_failures", "fixed", "changed" };
	static const char *const heads[] = { "New failures", "Fixed", "Changed verdicts" };
	const json_t *b = json_object_get(pg->doc, "baseline"), *e;
	size_t i, k;

	if (!json_is_object(b))
		return;
	fputs("<section id=\"baseline\">\n<h2>Against the baseline</h2>\n<p class=\"sub\">", f);
	ssp_doc_text(f, b, "file");
	fputs("</p>\n", f);
	for (k = 0; k < 3; k++) {
		fprintf(f, "<h3>%s: %zu</h3>\n<ul>\n", heads[k], json_array_size(json_object_get(b, parts[k])));
		json_array_foreach(json_object_get(b, parts[k]), i, e) {
			fputs("<li><a href=\"#", f);
			ssp_markup_id(f, "v-", ssp_doc_str(e, "id"));
			fputs("\"><code>", f);
			ssp_doc_text(f, e, "id");
			fputs("</code></a>: ", f);
			ssp_doc_text(f, e, "old");
			fputs(" &rarr; ", f);
			ssp_doc_text(f, e, "new");
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
}

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
		const json_t *first = json_array_get(pg->results, pg->order[i]);
		unsigned c[SSP_VERDICT_COUNT] = { 0 };
		size_t start = i;

		for (; i < pg->n && same_section(first, json_array_get(pg->results, pg->order[i])); i++) {
			int x = verdict_index(safe_verdict(json_array_get(pg->results, pg->order[i])));
			c[x]++;
		}
		fprintf(f, "<tr><td><a href=\"#");
		section_anchor(f, first);
		fprintf(f, "\">RFC %lld &sect;", ssp_doc_num(first, "rfc"));
		ssp_doc_text(f, first, "section");
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
static void transcript(FILE *f, const json_t *tr)
{
	const json_t *e;
	size_t i;

	fputs("<div class=\"tr\">\n", f);
	json_array_foreach(tr, i, e) {
		const char *dir = ssp_doc_str(e, "dir");
		const char *cls = dir[0] == 'C' ? "C" : dir[0] == 'S' ? "S" : "N";
		const char *mark = dir[0] == 'C' ? "C&gt;" : dir[0] == 'S' ? "S&lt;" : "#";
		const char *who = dir[0] == 'C' ? "sent by smtpspec" : dir[0] == 'S' ? "from the server" : "note";

		fprintf(f, "<div class=\"r r-%s\"><span class=\"ts\">%lld ms</span><span class=\"d\" title=\"%s\">%s</span>"
			   "<span class=\"tx\">",
			cls, ssp_doc_num(e, "t_ms"), who, mark);
		if (cls[0] == 'N')
			note_text(f, json_object_get(e, "text"));
		else
			escaped_json(f, json_object_get(e, "text"));
		if (json_is_true(json_object_get(e, "partial")))
			fputs(" <span class=\"partial\">[no line end]</span>", f);
		fputs("</span></div>\n", f);
	}
	if (json_array_size(tr) == 0)
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
static void reproducer(FILE *f, const json_t *doc, const json_t *r)
{
	const json_t *target = json_object_get(doc, "target"), *tr = json_object_get(r, "transcript"), *e;
	const char *host = ssp_doc_str(target, "address")[0] ? ssp_doc_str(target, "address") : ssp_doc_str(target, "host");
	ssp_buf_t cmd;
	size_t i, writes = 0, bytes = 0;
	int in_write = 0;

	fputs("<h4>Reproduce</h4>\n", f);
	/* printf(1) text is at most 4 bytes per transcript byte (\xHH as \ooo, ' as '\''),
	 * plus a few dozen per write: twice that is room enough */
	ssp_buf_init(&cmd, 8 * SSP_TRANSCRIPT_BYTES_MAX + 64 * SSP_TRANSCRIPT_ENTRIES_MAX);
	ssp_buf_append_str(&cmd, "{ sleep 1; ");
	fputs("<pre class=\"bytes\">", f);
	json_array_foreach(tr, i, e) {
		const char *t = ssp_doc_str(e, "text");
		size_t tl = json_string_length(json_object_get(e, "text")), k;

		if (ssp_doc_str(e, "dir")[0] != 'C') {
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
	ssp_buf_append_str(&cmd, "sleep 2; } | nc -w 10 ");
	shell_quote(&cmd, host);
	ssp_buf_appendf(&cmd, " %lld", ssp_doc_num(target, "port"));
	if (writes == 0) {
		fputs("<p class=\"legend\">smtpspec sent nothing on this connection.</p>\n", f);
	} else {
		fprintf(f, "<p class=\"legend\">%zu bytes in %zu writes (above, escaped as in the transcript). "
			   "Replay them with a plain TCP client, one write a second:</p>\n<pre class=\"cmd\">",
			bytes, writes);
		ssp_markup_text(f, cmd.data ? cmd.data : "", cmd.len);
		fputs("</pre>\n", f);
	}
	ssp_buf_free(&cmd);
}

static void vector_entry(FILE *f, const page_t *pg, const json_t *r)
{
	const char *verdict = safe_verdict(r);
	const json_t *s;
	size_t i;

	fputs("<details class=\"vec\" id=\"", f);
	ssp_markup_id(f, "v-", ssp_doc_str(r, "id"));
	fprintf(f, "\" data-verdicts=\"%s\" data-id=\"", verdict);
	ssp_doc_text(f, r, "id");
	fputs("\" data-suites=\"", f);
	json_array_foreach(json_object_get(r, "suites"), i, s) {
		if (i > 0)
			fputc(' ', f);
		ssp_markup_json(f, s);
	}
	fprintf(f, "\"%s>\n<summary><span class=\"badge b-%s\">%s</span><span class=\"title\">",
		strcmp(verdict, "pass") != 0 && strcmp(verdict, "skip") != 0 ? " open" : "", verdict, verdict);
	ssp_doc_text(f, r, "title");
	fputs("</span><code class=\"id\">", f);
	ssp_doc_text(f, r, "id");
	fprintf(f, "</code><span class=\"dur\">%lld ms</span></summary>\n<div class=\"vbody\">\n",
		ssp_doc_num(r, "duration_ms"));
	fprintf(f, "<p><a href=\"https://www.rfc-editor.org/rfc/rfc%lld#section-", ssp_doc_num(r, "rfc"));
	ssp_markup_id(f, "", ssp_doc_str(r, "section"));
	fprintf(f, "\">RFC %lld &sect;", ssp_doc_num(r, "rfc"));
	ssp_doc_text(f, r, "section");
	fputs("</a> &middot; <b>", f);
	ssp_doc_text(f, r, "level");
	fputs("</b></p>\n<blockquote>", f);
	ssp_doc_text(f, r, "quote");
	fputs("</blockquote>\n<dl class=\"judge\">\n<dt>Expected</dt><dd><code>", f);
	ssp_doc_text(f, r, "expected");
	if (ssp_doc_str(r, "expected")[0] == '\0')
		fputs("&ndash;", f);
	fputs("</code></dd>\n<dt>Observed</dt><dd><code>", f);
	escaped_json(f, json_object_get(r, "observed"));
	if (ssp_doc_str(r, "observed")[0] == '\0')
		fputs("&ndash;", f);
	fprintf(f, "</code></dd>\n<dt>Verdict</dt><dd><span class=\"badge b-%s\">%s</span> ", verdict, verdict);
	escaped_json(f, json_object_get(r, "reason"));
	if (ssp_doc_num(r, "step") > 0)
		fprintf(f, " (step %lld)", ssp_doc_num(r, "step"));
	fprintf(f, "</dd>\n<dt>Duration</dt><dd>%lld ms</dd>\n<dt>Vector</dt><dd><code>", ssp_doc_num(r, "duration_ms"));
	ssp_doc_text(f, r, "file");
	fputs("</code></dd>\n</dl>\n<h4>Transcript</h4>\n", f);
	transcript(f, json_object_get(r, "transcript"));
	if (strcmp(verdict, "pass") != 0)
		reproducer(f, pg->doc, r);
	fputs("</div>\n</details>\n", f);
}

static void filters(FILE *f, const page_t *pg)
{
	const json_t *summary = json_object_get(pg->doc, "summary"), *r, *s;
	const char *names[SSP_CERT_SUITES_MAX];
	size_t i, k, j, nnames = 0;
	int v;

	fputs("<form id=\"filters\" role=\"search\">\n", f);
	for (v = 0; v < SSP_VERDICT_COUNT; v++) {
		const char *name = ssp_verdict_name((ssp_verdict_t)v);
		fprintf(f, "<label class=\"b-%s badge\"><input type=\"checkbox\" name=\"verdict\" value=\"%s\" checked> "
			   "%s %lld</label>\n",
			name, name, name, ssp_doc_num(summary, name));
	}
	json_array_foreach(pg->results, i, r) {
		json_array_foreach(json_object_get(r, "suites"), k, s) {
			const char *n = json_string_value(s);
			for (j = 0; n && j < nnames && strcmp(names[j], n) != 0; j++)
				;
			if (n && j == nnames && nnames < SSP_CERT_SUITES_MAX)
				names[nnames++] = n;
		}
	}
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
		const json_t *first = json_array_get(pg->results, pg->order[i]);

		fputs("<div class=\"group\" id=\"", f);
		section_anchor(f, first);
		fprintf(f, "\">\n<h3>RFC %lld &sect;", ssp_doc_num(first, "rfc"));
		ssp_doc_text(f, first, "section");
		fputs("</h3>\n", f);
		for (; i < pg->n && same_section(first, json_array_get(pg->results, pg->order[i])); i++)
			vector_entry(f, pg, json_array_get(pg->results, pg->order[i]));
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

static void part(FILE *f, const char *name, void *arg)
{
	const page_t *pg = arg;

	if (strcmp(name, "title") == 0) {
		fputs("smtpspec: ", f);
		ssp_doc_text(f, json_object_get(pg->doc, "target"), "spec");
		return;
	}
	if (strcmp(name, "body") != 0)
		return;
	header(f, pg);
	certification(f, pg);
	baseline(f, pg);
	section_table(f, pg);
	vectors(f, pg);
	fputs("<footer>Generated by smtpspec ", f);
	ssp_doc_text(f, json_object_get(pg->doc, "tool"), "version");
	fputs(" from the result document (schema ", f);
	ssp_doc_text(f, pg->doc, "schema");
	fputs("). Every byte from the server is shown escaped.</footer>\n", f);
}

int ssp_html_write(const char *file, const json_t *doc, ssp_diag_t *diag)
{
	page_t pg;
	FILE *f;

	pg.doc = doc;
	pg.results = json_object_get(doc, "results");
	if ((pg.order = ssp_result_order(doc, &pg.n)) == NULL)
		return ssp_diag_set(diag, file, 0, 0, "out of memory");
	if ((f = fopen(file, "w")) == NULL) {
		free(pg.order);
		return ssp_diag_set(diag, file, 0, 0, "cannot write the HTML report");
	}
	ssp_markup_template(f, ssp_template_html, ssp_template_html_len, part, &pg);
	free(pg.order);
	if (ssp_markup_close(f) != 0)
		return ssp_diag_set(diag, file, 0, 0, "cannot write the HTML report");
	return 0;
}
