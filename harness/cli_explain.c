/*
 * cli_explain.c - smtpspec explain ID: what one vector checks and how, in
 * words, and the command line that runs it alone.
 */
#include "cli.h"
#include "buf.h"
#include "escape.h"
#include "limits.h"
#include "termtext.h"
#include "tpl.h"
#include "vector.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Width of wrapped text. */
#define EXPLAIN_WIDTH 76

/* wrap - text in words, each line at most EXPLAIN_WIDTH wide, every line after the first indented. */
static void wrap(FILE *f, const char *text, size_t indent)
{
	size_t col = indent;
	const char *p = text;

	while (*p) {
		size_t n;
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " \n\t");
		if (col > indent && col + 1 + n > EXPLAIN_WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		ssp_term_fwrite(f, p, n); /* vector text: escaped for the terminal */
		col += n;
		p += n;
	}
	fputc('\n', f);
}

/* shown - bytes p[0..n) escaped, cut at SSP_EXPLAIN_BYTES_MAX. */
static void shown(FILE *f, const char *p, size_t n)
{
	ssp_buf_t b;
	size_t cut = n > SSP_EXPLAIN_BYTES_MAX ? SSP_EXPLAIN_BYTES_MAX : n;

	ssp_buf_init(&b, 4 * SSP_EXPLAIN_BYTES_MAX + 16);
	ssp_escape_display(&b, p, cut);
	fprintf(f, "%.*s", (int)b.len, b.data ? b.data : "");
	if (cut < n)
		fprintf(f, "... (%zu bytes)", n);
	ssp_buf_free(&b);
}

/* shown_raw - a raw step's bytes before variables: its template's first
 * bytes and its expanded size when it holds repeats. */
static void shown_raw(FILE *f, const ssp_step_t *s)
{
	char head[SSP_EXPLAIN_BYTES_MAX];
	ssp_tpl_cur_t c;
	size_t n;

	if (s->tpl == NULL) {
		shown(f, s->payload, s->payload_len);
		return;
	}
	ssp_tpl_cur_init(&c, s->tpl);
	n = ssp_tpl_read(&c, head, sizeof(head));
	shown(f, head, n);
	if (s->tpl->size > n)
		fprintf(f, "... (%llu bytes)", (unsigned long long)s->tpl->size);
}

/* send_text - what a step sends, in words. */
static void send_text(FILE *f, const ssp_step_t *s)
{
	const char *p = s->payload, *end = s->payload + s->payload_len;

	switch (s->send) {
	case SSP_SEND_NONE:
		fprintf(f, "send nothing\n");
		return;
	case SSP_SEND_LINE:
		fprintf(f, "send     ");
		shown(f, p, s->payload_len >= 2 ? s->payload_len - 2 : s->payload_len);
		fputc('\n', f);
		return;
	case SSP_SEND_PIPELINE:
		fprintf(f, "send %u commands in one write:\n", s->ncommands);
		while (p < end) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
			fprintf(f, "            ");
			shown(f, p, n >= 2 && p[n - 1] == '\n' && p[n - 2] == '\r' ? n - 2 : n);
			fputc('\n', f);
			p += n;
		}
		return;
	case SSP_SEND_RAW:
		fprintf(f, "send raw \"");
		shown_raw(f, s);
		fprintf(f, "\" (nothing appended)\n");
		return;
	case SSP_SEND_DATA:
		fprintf(f, "send message content%s, then <CRLF>.<CRLF>: \"",
			s->dot_stuff ? " (dot-stuffed)" : " (not dot-stuffed)");
		shown_raw(f, s);
		fprintf(f, "\"\n");
		return;
	}
}

/* expect_text - one expectation, in words. */
static void expect_text(FILE *f, const ssp_expect_t *e)
{
	char codes[256];

	if (e->kind == SSP_EXPECT_CLOSE) {
		fprintf(f, "expect   the server closes the connection\n");
		return;
	}
	if (e->kind == SSP_EXPECT_SILENCE) {
		fprintf(f, "expect   no reply within %u ms\n", e->silence_ms);
		return;
	}
	if (e->any_code)
		snprintf(codes, sizeof(codes), "any code");
	else
		ssp_codes_describe(&e->pass, codes, sizeof(codes));
	fprintf(f, "expect   %s", codes);
	if (e->warn.n) {
		ssp_codes_describe(&e->warn, codes, sizeof(codes));
		fprintf(f, "; %s only warns", codes);
	}
	if (e->skip.n) {
		ssp_codes_describe(&e->skip, codes, sizeof(codes));
		fprintf(f, "; %s skips the vector", codes);
	}
	if (e->enhanced)
		fprintf(f, "; with an enhanced status code of the reply's class");
	if (e->timeout_ms)
		fprintf(f, "; within %u ms", e->timeout_ms);
	fputc('\n', f);
	if (e->text_src)
		fprintf(f, "            a line matches /%s/\n", ssp_term_str(e->text_src));
	if (e->not_text_src)
		fprintf(f, "            no line matches /%s/\n", ssp_term_str(e->not_text_src));
	if (e->every_text_src)
		fprintf(f, "            every line matches /%s/\n", ssp_term_str(e->every_text_src));
	if (e->first_line_src)
		fprintf(f, "            the first line matches /%s/\n", ssp_term_str(e->first_line_src));
	if (e->keyword_lines_src)
		fprintf(f, "            every later line matches /%s/\n", ssp_term_str(e->keyword_lines_src));
	if (e->max_lines)
		fprintf(f, "            at most %u lines\n", e->max_lines);
	if (e->capture_var)
		fprintf(f, "            capture ${%s} with /%s/\n", ssp_term_str(e->capture_var),
			ssp_term_str(e->capture_src));
}

/* explain - print vector v. */
static void explain(FILE *f, const ssp_vector_t *v)
{
	static const char *const preludes[] = {
		"greeting 220, then EHLO 250 (setup)", "greeting 220, then HELO 250 (setup)",
		"greeting 220 (setup)", "none: the steps read the greeting themselves",
	};
	unsigned i, k;
	char *quoted;

	fprintf(f, "%s\n", v->id);
	fprintf(f, "  title:    ");
	wrap(f, v->title, 12);
	fprintf(f, "  RFC:      %u section %s (https://www.rfc-editor.org/rfc/rfc%u#section-%s)\n", v->rfc,
		v->section, v->rfc, v->section);
	fprintf(f, "  level:    %s (%s)\n", ssp_level_name(v->level),
		v->level == SSP_LEVEL_MUST ? "a failure fails the run"
		: v->level == SSP_LEVEL_SHOULD ? "a failure is a warning; --strict fails the run"
					       : "a deviation is only reported (info)");
	fprintf(f, "  quote:    ");
	quoted = malloc(strlen(v->quote) + 3);
	if (quoted) {
		sprintf(quoted, "\"%s\"", v->quote);
		wrap(f, quoted, 12);
		free(quoted);
	} else {
		wrap(f, v->quote, 12);
	}
	if (v->description) {
		fprintf(f, "  about:    ");
		wrap(f, v->description, 12);
	}
	if (v->nrequires) {
		fprintf(f, "  requires:");
		for (i = 0; i < v->nrequires; i++)
			fprintf(f, " %s", ssp_term_str(v->requires[i]));
		fprintf(f, " (skipped when the server does not advertise it)\n");
	}
	if (v->nabsent) {
		fprintf(f, "  absent:  ");
		for (i = 0; i < v->nabsent; i++)
			fprintf(f, " %s", ssp_term_str(v->absent[i]));
		fprintf(f, " (skipped when the server advertises it)\n");
	}
	if (v->exposure == SSP_EXPOSURE_NETWORK)
		fprintf(f, "  exposure: network (skipped on loopback unless run --remote, and inside TLS)\n");
	fprintf(f, "  file:     %s:%u\n", ssp_term_str(v->file), v->line);
	fprintf(f, "  prelude:  %s\n", preludes[v->prelude]);
	fprintf(f, "  steps:\n");
	for (i = 0; i < v->nsteps; i++) {
		const ssp_step_t *s = &v->steps[i];
		fprintf(f, "  %3u. ", i + 1);
		if (s->pause_ms)
			fprintf(f, "wait %u ms, then ", s->pause_ms);
		send_text(f, s);
		for (k = 0; k < s->nexpect; k++) {
			fprintf(f, "       ");
			expect_text(f, &s->expect[k]);
		}
		if (s->repeat > 1)
			fprintf(f, "       (the step runs %u times)\n", s->repeat);
		if (s->setup)
			fprintf(f, "       (setup: a mismatch is an error, not a finding)\n");
	}
	fprintf(f, "  run it alone:\n    smtpspec run --target HOST:PORT --only %s -v\n", v->id);
}

int ssp_cli_explain(int argc, char **argv)
{
	const char *catalogue = NULL, *id = NULL;
	char catbuf[PATH_MAX];
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_diag_t diag;
	const ssp_vector_t *v;
	size_t *sel = NULL;
	long n, i;
	int a, bad = 0, code = EXIT_USAGE;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			ssp_cli_help(stdout, "explain");
			return EXIT_PASS;
		} else if (strcmp(argv[a], "--catalogue") == 0 && a + 1 < argc)
			catalogue = argv[++a];
		else if (argv[a][0] != '-' && id == NULL)
			id = argv[a];
		else
			bad = 1;
	}
	if (id == NULL || bad) {
		fprintf(stderr, "usage: smtpspec explain ID [--catalogue DIR]\n");
		return EXIT_USAGE;
	}
	ssp_diag_init(&diag);
	ssp_catalogue_init(&cat);
	ssp_profile_load(&profile, NULL, &diag);
	if (load_catalogue(find_catalogue(catalogue, catbuf, sizeof(catbuf)), &profile, &cat, NULL) != 0)
		goto out;
	if ((v = ssp_catalogue_find(&cat, id)) == NULL) {
		char *only[1] = { (char *)(uintptr_t)id };
		n = ssp_select(&cat, NULL, only, 1, NULL, 0, &sel);
		if (n < 0) {
			fprintf(stderr, "smtpspec: out of memory\n");
			goto out;
		}
		if (n == 0) {
			fprintf(stderr, "smtpspec: no vector matches \"%s\" (smtpspec run --list shows them)\n", ssp_term_str(id));
			goto out;
		}
		if (n > 1) {
			fprintf(stderr, "smtpspec: \"%s\" matches %ld vectors; name one:\n", ssp_term_str(id), n);
			for (i = 0; i < n; i++)
				fprintf(stderr, "  %s\n", cat.v[sel[i]].id);
			goto out;
		}
		v = &cat.v[sel[0]];
	}
	explain(stdout, v);
	code = fflush(stdout) == 0 ? EXIT_PASS : EXIT_FAILED;
out:
	free(sel);
	ssp_catalogue_free(&cat);
	ssp_profile_free(&profile);
	return code;
}
