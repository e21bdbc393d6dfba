/*
 * expect.c - expectation matchers (RFC 5321 §4.2 reply codes, RFC 3463 and
 * RFC 2034 §4 enhanced status codes) and their description in words.
 *
 * Text patterns are POSIX extended regular expressions compiled by the
 * vector loader; each is applied to one reply line at a time, the text
 * after the code and separator, with NUL bytes read as '?'.
 */
#include "expect.h"

#include "buf.h"
#include "escape.h"

#include <stdio.h>
#include <string.h>

/* A reply line copied for regexec: NUL-terminated, NUL bytes as '?'. */
typedef struct {
	char text[SSP_REPLY_LINE_HARD_MAX + 1];
} line_t;

/* next_line - the next line of reply p[0..len) into l: 1, or 0 after the last. */
static int next_line(const char *p, size_t len, size_t *pos, line_t *l)
{
	const char *text;
	size_t tl, i;

	if (!ssp_reply_next_line(p, len, pos, &text, &tl))
		return 0;
	if (tl > SSP_REPLY_LINE_HARD_MAX)
		tl = SSP_REPLY_LINE_HARD_MAX;
	for (i = 0; i < tl; i++)
		l->text[i] = text[i] == '\0' ? '?' : text[i];
	l->text[tl] = '\0';
	return 1;
}

/* lines_match - lines first..last (0-based; last -1: to the end) all match re. */
static int lines_match(const regex_t *re, const char *p, size_t len, int first, int last)
{
	size_t pos = 0;
	line_t l;
	int k = -1;

	while (next_line(p, len, &pos, &l)) {
		if (++k < first || (last >= 0 && k > last))
			continue;
		if (regexec(re, l.text, 0, NULL, 0) != 0)
			return 0;
	}
	return 1;
}

/* some_line_matches - some line of the reply p[0..len) matches re. */
static int some_line_matches(const regex_t *re, const char *p, size_t len)
{
	size_t pos = 0;
	line_t l;

	while (next_line(p, len, &pos, &l)) {
		if (regexec(re, l.text, 0, NULL, 0) == 0)
			return 1;
	}
	return 0;
}

int ssp_expect_enhanced_ok(const ssp_expect_t *e, int code, const char *p, size_t len)
{
	size_t pos = 0, tl;
	const char *text;
	int c, sj, d, c2, sj2, d2;

	if (!ssp_reply_next_line(p, len, &pos, &text, &tl))
		return 0;
	if (ssp_reply_enhanced(text, tl, &c, &sj, &d) == 0)
		return 0;
	if (c != code / 100)
		return 0;
	while (ssp_reply_next_line(p, len, &pos, &text, &tl)) {
		if (ssp_reply_enhanced(text, tl, &c2, &sj2, &d2) == 0 || c2 != c || sj2 != sj || d2 != d)
			return 0;
	}
	return (e->enh_class < 0 || e->enh_class == c) && (e->enh_subject < 0 || e->enh_subject == sj) &&
	       (e->enh_detail < 0 || e->enh_detail == d);
}

/* text_ok - every text, line-count and enhanced-code matcher of e agrees. */
static int text_ok(const ssp_expect_t *e, const char *p, const ssp_reply_t *r)
{
	if (e->enhanced && !ssp_expect_enhanced_ok(e, r->code, p, r->len))
		return 0;
	if (e->text_src && !some_line_matches(&e->text_re, p, r->len))
		return 0;
	if (e->not_text_src && some_line_matches(&e->not_text_re, p, r->len))
		return 0;
	if (e->every_text_src && !lines_match(&e->every_text_re, p, r->len, 0, -1))
		return 0;
	if (e->first_line_src && !lines_match(&e->first_line_re, p, r->len, 0, 0))
		return 0;
	if (e->keyword_lines_src && !lines_match(&e->keyword_lines_re, p, r->len, 1, -1))
		return 0;
	return !(e->max_lines && r->nlines > e->max_lines);
}

/* capture - the first match of e's capture regex (group 1 if any) into cap: 0 or -1. */
static int capture(const ssp_expect_t *e, const char *p, size_t len, ssp_capture_t *cap)
{
	size_t pos = 0, n;
	regmatch_t m[2];
	line_t l;

	while (next_line(p, len, &pos, &l)) {
		regmatch_t *g;

		if (regexec(&e->capture_re, l.text, 2, m, 0) != 0)
			continue;
		g = m[1].rm_so >= 0 ? &m[1] : &m[0];
		n = (size_t)(g->rm_eo - g->rm_so);
		if (n > SSP_VAR_VALUE_MAX)
			return -1;
		memcpy(cap->value, l.text + g->rm_so, n);
		cap->value[n] = '\0';
		cap->len = n;
		cap->var = e->capture_var;
		return 0;
	}
	return -1;
}

ssp_outcome_t ssp_expect_match(const ssp_expect_t *e, const char *p, const ssp_reply_t *r,
			       ssp_capture_t *cap)
{
	ssp_outcome_t met = SSP_OUTCOME_MET;

	if (cap != NULL) {
		cap->var = NULL;
		cap->len = 0;
		cap->value[0] = '\0';
	}
	if (e->kind != SSP_EXPECT_REPLY)
		return SSP_OUTCOME_MISMATCH;
	/* "any" never takes 421: the server is closing, not answering */
	if ((e->any_code && r->code != 421) || ssp_codes_has(&e->pass, r->code)) {
		if (!text_ok(e, p, r))
			return SSP_OUTCOME_MISMATCH;
	} else if (ssp_codes_has(&e->skip, r->code)) {
		return SSP_OUTCOME_SKIP_CODE;
	} else if (r->code == 421 && !ssp_codes_has(&e->warn, 421)) {
		/* 421 may answer any command (§3.8, §4.3.2) */
		return SSP_OUTCOME_CLOSING_421;
	} else if (ssp_codes_has(&e->warn, r->code)) {
		met = SSP_OUTCOME_WARN_CODE; /* the text matchers are for the pass codes */
	} else {
		return SSP_OUTCOME_MISMATCH;
	}
	if (e->capture_var != NULL && cap != NULL && capture(e, p, r->len, cap) != 0)
		return SSP_OUTCOME_CAPTURE_FAILED;
	return met;
}

void ssp_expect_describe(const ssp_expect_t *e, char *out, size_t size)
{
	if (size == 0)
		return;
	out[0] = '\0';
	switch (e->kind) {
	case SSP_EXPECT_CLOSE:
		ssp_str_appendf(out, size, "the server to close the connection");
		return;
	case SSP_EXPECT_SILENCE:
		ssp_str_appendf(out, size, "no reply within %u ms", e->silence_ms);
		return;
	case SSP_EXPECT_SMUGGLING:
		ssp_str_appendf(out, size, "one reply to the end of the mail data, and no command in the content executed");
		return;
	case SSP_EXPECT_REPLY:
		break;
	}
	if (e->any_code)
		ssp_str_appendf(out, size, "any reply");
	else
		ssp_codes_describe(&e->pass, out, size);
	if (e->enhanced) {
		char part[3][8];
		int val[3] = { e->enh_class, e->enh_subject, e->enh_detail }, i;

		for (i = 0; i < 3; i++) {
			part[i][0] = '\0';
			if (val[i] < 0)
				ssp_str_appendf(part[i], sizeof(part[i]), "x");
			else
				ssp_str_appendf(part[i], sizeof(part[i]), "%d", val[i] % 1000);
		}
		if (val[0] < 0 && val[1] < 0 && val[2] < 0)
			ssp_str_appendf(out, size, " with an enhanced status code of the same class on every line");
		else
			ssp_str_appendf(out, size, " with an enhanced status code %s.%s.%s", part[0], part[1], part[2]);
	}
	if (e->text_src)
		ssp_str_appendf(out, size, " with text matching /%s/", e->text_src);
	if (e->every_text_src)
		ssp_str_appendf(out, size, " with every line matching /%s/", e->every_text_src);
	if (e->first_line_src)
		ssp_str_appendf(out, size, " with a first line matching /%s/", e->first_line_src);
	if (e->keyword_lines_src)
		ssp_str_appendf(out, size, " with every line after the first matching /%s/", e->keyword_lines_src);
	if (e->not_text_src)
		ssp_str_appendf(out, size, " with no line matching /%s/", e->not_text_src);
	if (e->max_lines)
		ssp_str_appendf(out, size, " in at most %u line%s", e->max_lines, e->max_lines == 1 ? "" : "s");
}

void ssp_expect_excerpt(char *out, size_t size, const char *p, size_t n, size_t max)
{
	ssp_buf_t b;
	size_t cut = n > max ? max : n;

	ssp_buf_init(&b, size > 8 ? size - 8 : size);
	ssp_escape_display(&b, p, cut);
	snprintf(out, size, "%.*s%s", (int)b.len, b.data ? b.data : "", cut < n ? "..." : "");
	ssp_buf_free(&b);
}

void ssp_expect_describe_reply(const char *p, size_t len, unsigned nlines, char *out, size_t size)
{
	const char *lf = memchr(p, '\n', len);
	size_t first = lf ? (size_t)(lf - p) : len;

	if (first > 0 && p[first - 1] == '\r')
		first--;
	ssp_expect_excerpt(out, size, p, first, SSP_QUOTE_FIRST_LINE_BYTES);
	if (nlines > 1)
		ssp_str_appendf(out, size, " (%u lines)", nlines);
}

const char *ssp_outcome_name(ssp_outcome_t o)
{
	switch (o) {
	case SSP_OUTCOME_MET: return "met";
	case SSP_OUTCOME_WARN_CODE: return "warn code";
	case SSP_OUTCOME_SKIP_CODE: return "skip code";
	case SSP_OUTCOME_CLOSING_421: return "server closing (421)";
	case SSP_OUTCOME_MISMATCH: return "mismatch";
	case SSP_OUTCOME_CAPTURE_FAILED: return "capture failed";
	}
	return "?";
}
