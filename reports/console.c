/*
 * console.c - progress and summary on the terminal.
 *
 * On a TTY one progress line is rewritten in place; otherwise each result
 * is one plain line.  Colour only on a TTY and never with NO_COLOR.
 */
#include "report.h"

#include "certify.h"

#include "../harness/buf.h"
#include "../harness/escape.h"

#include <string.h>
#include <sys/ioctl.h>

static const char *colour(const ssp_console_t *c, ssp_verdict_t v)
{
	static const char *const codes[] = { "\033[32m", "\033[31m", "\033[33m", "\033[36m",
					     "\033[90m", "\033[35m" };

	return c->color ? codes[v] : "";
}

static const char *reset(const ssp_console_t *c)
{
	return c->color ? "\033[0m" : "";
}

void ssp_console_progress(ssp_console_t *c, const ssp_run_t *run, size_t idx)
{
	const ssp_result_t *r = &run->results[idx];

	if (!c->progress)
		return;
	if (c->tty) {
		struct winsize ws;
		char head[128];
		int cols = ioctl(fileno(c->f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
		int room;

		/* one line that never wraps, or "\r" could not rewrite it */
		snprintf(head, sizeof(head), "[%zu/%zu] pass %u  fail %u  warn %u  skip %u  error %u  ",
			 run->finished, run->n, run->counts[SSP_PASS], run->counts[SSP_FAIL],
			 run->counts[SSP_WARN], run->counts[SSP_SKIP], run->counts[SSP_ERROR]);
		room = cols - 1 - (int)strlen(head);
		fprintf(c->f, "\r\033[K%.*s%.*s", cols - 1, head, room > 0 ? room : 0, r->vector->id);
	} else {
		fprintf(c->f, "%-5s %s (%u ms)\n", ssp_verdict_name(r->verdict), r->vector->id,
			r->duration_ms);
	}
	fflush(c->f);
}

void ssp_console_transcript(FILE *f, const ssp_transcript_t *t, const char *indent)
{
	size_t i, n = ssp_transcript_count(t);
	ssp_buf_t b;

	ssp_buf_init(&b, 64 * 1024);
	for (i = 0; i < n; i++) {
		const char *p;
		const ssp_tr_entry_t *e = ssp_transcript_entry(t, i, &p);

		b.len = 0;
		if (e->dir == SSP_TR_NOTE)
			ssp_buf_append(&b, p, e->len);
		else
			ssp_escape_display(&b, p, e->len);
		fprintf(f, "%s%6u ms %c %.*s%s\n", indent, e->ms, e->dir, (int)b.len,
			b.data ? b.data : "", e->partial ? " [partial]" : "");
	}
	ssp_buf_free(&b);
}

/* print_suites - one verdict line per suite the run covered, marked by its certification. */
static void print_suites(ssp_console_t *c, const ssp_run_t *run, const ssp_report_meta_t *m)
{
	static const char *const marks[] = { "conforms (MUST, SHOULD)", "conforms (MUST)", "does not conform",
					     "partial: no statement", "all skipped" };
	const ssp_suite_t *suites[SSP_CERT_SUITES_MAX];
	size_t i, n = ssp_certify_suites(run, m, suites, SSP_CERT_SUITES_MAX);
	ssp_cert_suite_t cs;
	char line[1024];

	for (i = 0; i < n; i++) {
		ssp_certify_suite(run, m, suites[i], &cs);
		ssp_certify_line(&cs, line, sizeof(line));
		fprintf(c->f, "  %s%s%s: %s\n", colour(c, cs.level <= SSP_CERT_MUST ? SSP_PASS
						       : cs.level == SSP_CERT_NONE ? SSP_FAIL : SSP_SKIP),
			marks[cs.level], reset(c), line);
	}
}

void ssp_console_summary(ssp_console_t *c, const ssp_run_t *run, const ssp_report_meta_t *m)
{
	size_t i;
	unsigned security = 0;
	int v;

	if (c->tty && c->progress)
		fprintf(c->f, "\r\033[K");
	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];
		if (r->verdict == SSP_PASS)
			continue;
		if (r->category == SSP_CATEGORY_SECURITY && ssp_verdict_is_finding(r->verdict))
			security++;
		fprintf(c->f, "%s%-5s%s %s [%s%s, RFC %u §%s]\n      %s\n", colour(c, r->verdict),
			ssp_verdict_name(r->verdict), reset(c), r->vector->id,
			r->category == SSP_CATEGORY_SECURITY ? "SECURITY, " : "",
			ssp_level_name(r->vector->level), r->vector->rfc, r->vector->section, r->reason);
		if (c->verbose && r->verdict != SSP_SKIP)
			ssp_console_transcript(c->f, &r->transcript, "      ");
	}
	fprintf(c->f, "\nsmtpspec %s: %zu vectors in %.1f s%s\n", m->version, run->n,
		run->elapsed_ms / 1000.0, m->strict ? " (strict: warnings fail)" : "");
	/* the target is printed separately: it may be long */
	fprintf(c->f, "  target: %s", run->opts.target);
	if (run->address[0])
		fprintf(c->f, " (%s)", run->address);
	if (run->tls_line[0])
		fprintf(c->f, "\n  %s", run->tls_line);
	fprintf(c->f, "\n ");
	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		fprintf(c->f, " %s%s %u%s", run->counts[v] ? colour(c, (ssp_verdict_t)v) : "",
			ssp_verdict_name((ssp_verdict_t)v), run->counts[v], reset(c));
	if (security)
		fprintf(c->f, "  %ssecurity %u%s (also counted above)", colour(c, SSP_FAIL), security, reset(c));
	fprintf(c->f, "\n");
	print_suites(c, run, m);
	fflush(c->f);
}
