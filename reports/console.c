/*
 * console.c - progress and summary on the terminal.
 *
 * On a TTY one progress line is rewritten in place; otherwise each result
 * is one plain line.  Colour only on a TTY, never with NO_COLOR or
 * TERM=dumb (the caller decides).  The summary, TAP and transcripts go to
 * standard output; progress to standard error.
 */
#include "report.h"

#include "causes.h"
#include "certify.h"

#include "../harness/buf.h"
#include "../harness/escape.h"
#include "../harness/repeat.h"
#include "../harness/termtext.h"

#include <stdlib.h>
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

/*
 * tool_text - the harness's own text (notes, reasons) and every other text
 * for the terminal, through the one terminal escaping (termtext.h): server
 * bytes inside it were escaped when the note was made.
 */
static void tool_text(ssp_buf_t *b, const char *s, size_t n)
{
	ssp_term_text(b, s, n);
}

/* safe - s through tool_text, in buf (valid until the next call with buf). */
static const char *safe(ssp_buf_t *buf, const char *s)
{
	buf->len = 0;
	tool_text(buf, s, strlen(s));
	ssp_buf_append(buf, "", 1);
	return buf->data ? buf->data : "";
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
			tool_text(&b, p, e->len);
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
			marks[cs.level], reset(c), ssp_term_str(line));
	}
}

/* same_skip - the first earlier result skipped for the reason result i is
 * (among the first SSP_SKIP_REASONS_MAX skips: bounded), or NULL. */
static const ssp_result_t *same_skip(const ssp_run_t *run, size_t i)
{
	const ssp_result_t *r = &run->results[i];
	size_t j, skips = 0;

	if (r->verdict != SSP_SKIP)
		return NULL;
	for (j = 0; j < i && skips < SSP_SKIP_REASONS_MAX; j++) {
		const ssp_result_t *e = &run->results[j];

		if (e->verdict != SSP_SKIP)
			continue;
		if (strcmp(e->reason, r->reason) == 0)
			return e;
		skips++;
	}
	return NULL;
}

/* print_causes - the findings one reply explains, grouped (causes.h). */
static void print_causes(ssp_console_t *c, const ssp_run_t *run, ssp_buf_t *buf)
{
	size_t *order = calloc(run->n ? run->n : 1, sizeof(*order));
	ssp_cause_t causes[SSP_CAUSES_MAX];
	size_t i, k, n = order != NULL ? ssp_causes_of_run(run, order, causes, SSP_CAUSES_MAX) : 0;

	if (n > 0)
		fprintf(c->f, "\nshared causes (one reply explains several findings):\n");
	for (k = 0; k < n; k++) {
		fprintf(c->f, "  %zu vectors: %s\n   ", causes[k].count, safe(buf, causes[k].observed));
		for (i = 0; i < causes[k].count && i < SSP_CAUSE_IDS_SHOWN; i++)
			fprintf(c->f, " %s", run->results[order[causes[k].first + i]].vector->id);
		if (causes[k].count > SSP_CAUSE_IDS_SHOWN)
			fprintf(c->f, " and %zu more", causes[k].count - SSP_CAUSE_IDS_SHOWN);
		fprintf(c->f, "\n");
	}
	free(order);
}

/* print_unstable - under --repeat: how many vectors gave more than one verdict, and each one's rounds. */
static void print_unstable(ssp_console_t *c, const ssp_run_t *run)
{
	size_t i, k = ssp_repeat_count_unstable(run);
	char dist[128];

	if (run->opts.repeat == 0)
		return;
	fprintf(c->f, "\n%sunstable under --repeat %u: %zu vector%s%s\n", k ? colour(c, SSP_FAIL) : "",
		run->opts.repeat, k, k == 1 ? "" : "s", k ? reset(c) : "");
	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];

		if (!ssp_repeat_unstable(r))
			continue;
		ssp_repeat_format(r->rounds, dist, sizeof(dist));
		fprintf(c->f, "  %s: %s\n", r->vector->id, dist);
	}
}

void ssp_console_summary(ssp_console_t *c, const ssp_run_t *run, const ssp_report_meta_t *m)
{
	size_t i;
	const ssp_result_t *first;
	unsigned security = 0;
	int v;
	ssp_buf_t buf;

	ssp_buf_init(&buf, 4 * SSP_REASON_MAX + 16);

	if (c->tty && c->progress)
		fprintf(c->f, "\r\033[K");
	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];
		if (r->verdict == SSP_PASS)
			continue;
		if (r->category == SSP_CATEGORY_SECURITY && ssp_verdict_is_finding(r->verdict))
			security++;
		fprintf(c->f, "%s%-5s%s %s [%s%s, RFC %u §%s]", colour(c, r->verdict),
			ssp_verdict_name(r->verdict), reset(c), r->vector->id,
			r->category == SSP_CATEGORY_SECURITY ? "SECURITY, " : "",
			ssp_level_name(r->vector->level), r->vector->rfc, r->vector->section);
		if (ssp_repeat_unstable(r)) {
			char dist[128];

			ssp_repeat_format(r->rounds, dist, sizeof(dist));
			fprintf(c->f, " unstable (%s)", dist);
		}
		fputc('\n', c->f);
		/* one cause, one reason: a skip for a reason already given says so */
		if ((first = same_skip(run, i)) != NULL)
			fprintf(c->f, "      (skipped for the same reason as %s)\n", first->vector->id);
		else
			fprintf(c->f, "      %s\n", safe(&buf, r->reason));
		if (c->verbose && r->verdict != SSP_SKIP) {
			/* read back from the spool, one at a time */
			ssp_transcript_t tmp;
			ssp_diag_t diag;
			const ssp_transcript_t *t;

			ssp_diag_init(&diag);
			if ((t = ssp_spool_transcript(run->opts.spool, r, &tmp, &diag)) != NULL)
				ssp_console_transcript(c->f, t, "      ");
			else
				fprintf(c->f, "      (no transcript: %s)\n", safe(&buf, diag.text));
			ssp_transcript_free(&tmp);
		}
	}
	print_causes(c, run, &buf);
	print_unstable(c, run);
	fprintf(c->f, "\nsmtpspec %s: %zu vectors in %.1f s%s", m->version, run->n,
		run->elapsed_ms / 1000.0, m->strict ? " (strict: warnings fail)" : "");
	if (run->opts.repeat > 0)
		fprintf(c->f, ", each %u time%s", run->opts.repeat, run->opts.repeat == 1 ? "" : "s");
	fputc('\n', c->f);
	/* the target is printed separately: it may be long */
	fprintf(c->f, "  target: %s", ssp_term_str(run->opts.target));
	if (run->address[0])
		fprintf(c->f, " (%s)", run->address);
	if (run->rcpts.how[0])
		fprintf(c->f, "\n  recipients: %s", safe(&buf, run->rcpts.how));
	if (run->incomplete[0])
		fprintf(c->f, "\n  %sincomplete: %s%s", colour(c, SSP_ERROR), safe(&buf, run->incomplete), reset(c));
	if (run->tls_line[0])
		fprintf(c->f, "\n  %s", safe(&buf, run->tls_line));
	if (run->tls_info.have) {
		/* the server's strings are escaped for the terminal, one at a time */
		fprintf(c->f, "\n  TLS session: %s", safe(&buf, run->tls_info.protocol));
		fprintf(c->f, ", %s", safe(&buf, run->tls_info.cipher));
		if (run->tls_info.subject[0])
			fprintf(c->f, "; server certificate %s", safe(&buf, run->tls_info.subject));
		fputs(run->tls_info.verified > 0 ? " (verified)" : " (certificates were not verified)", c->f);
	}
	if (run->address[0] && run->greeting == NULL && !run->interrupted &&
	    (run->opts.tls == NULL || run->opts.tls->mode == SSP_TLS_MODE_NONE))
		fprintf(c->f, "\n  %sno SMTP greeting: the server sent the probe nothing%s (an implicit-TLS port, RFC 8314, "
			   "waits for a TLS handshake first: try --tls)", colour(c, SSP_ERROR), reset(c));
	if (run->tls_info.error[0])
		fprintf(c->f, "\n  %sTLS failure: %s%s", colour(c, SSP_ERROR), safe(&buf, run->tls_info.error), reset(c));
	fprintf(c->f, "\n ");
	for (v = 0; v < SSP_VERDICT_COUNT; v++)
		fprintf(c->f, " %s%s %u%s", run->counts[v] ? colour(c, (ssp_verdict_t)v) : "",
			ssp_verdict_name((ssp_verdict_t)v), run->counts[v], reset(c));
	if (security)
		fprintf(c->f, "  %ssecurity %u%s (also counted above)", colour(c, SSP_FAIL), security, reset(c));
	fprintf(c->f, "\n");
	print_suites(c, run, m);
	fflush(c->f);
	ssp_buf_free(&buf);
}

void ssp_console_end(ssp_console_t *c)
{
	if (c->tty && c->progress) {
		fprintf(c->f, "\r\033[K");
		fflush(c->f);
	}
}

/* yaml_string - s as a double-quoted YAML scalar: \, " and every control byte escaped. */
static void yaml_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/*
 * ssp_console_tap - the results as TAP version 13, one test point per
 * vector in run order: pass and info are "ok" (info with a diagnostic),
 * skip is "ok ... # SKIP reason", fail and error are "not ok", a warning is
 * "not ok ... # TODO" (a known deviation that does not fail the run) or,
 * with strict, a plain "not ok".  Every point that did not pass carries a
 * YAML diagnostic: verdict, level, RFC section, reason.
 */
void ssp_console_tap(FILE *f, const ssp_run_t *run, int strict)
{
	size_t i;
	ssp_buf_t buf;

	ssp_buf_init(&buf, 4 * SSP_REASON_MAX + 16);

	fprintf(f, "TAP version 13\n1..%zu\n", run->n);
	for (i = 0; i < run->n; i++) {
		const ssp_result_t *r = &run->results[i];
		const ssp_vector_t *v = r->vector;
		int ok = r->verdict == SSP_PASS || r->verdict == SSP_INFO || r->verdict == SSP_SKIP;

		fprintf(f, "%s %zu - %s", ok ? "ok" : "not ok", i + 1, v->id);
		if (r->verdict == SSP_SKIP)
			fprintf(f, " # SKIP %s", safe(&buf, r->reason));
		else if (r->verdict == SSP_WARN && !strict)
			fprintf(f, " # TODO SHOULD-level warning");
		fputc('\n', f);
		if (r->verdict == SSP_PASS || r->verdict == SSP_SKIP)
			continue;
		fprintf(f, "  ---\n  verdict: %s\n  level: %s\n  rfc: %u\n  section: ", ssp_verdict_name(r->verdict),
			ssp_level_name(v->level), v->rfc);
		yaml_string(f, v->section);
		fprintf(f, "\n  message: ");
		yaml_string(f, safe(&buf, r->reason));
		fprintf(f, "\n  duration_ms: %u\n  ...\n", r->duration_ms);
	}
	ssp_buf_free(&buf);
	fflush(f);
}
