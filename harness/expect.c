/*
 * expect.c - expectation matchers (RFC 5321 §4.2 reply codes, RFC 3463 and
 * RFC 2034 §4 enhanced status codes) and their description in words.
 *
 * Text patterns are PCRE2 patterns compiled by the vector loader
 * (pattern.h); each is applied to one reply line at a time, the text after
 * the code and separator, with NUL bytes read as '?', within the match
 * limits of limits.h.
 */
#include "expect.h"

#include "buf.h"
#include "escape.h"

#include <stdio.h>
#include <string.h>

/* A reply line copied for matching: NUL bytes as '?', at most the subject cap. */
typedef struct {
	char text[SSP_PATTERN_SUBJECT_MAX + 1];
	size_t len;
} line_t;

/* next_line - the next line of reply p[0..len) into l: 1, or 0 after the last. */
static int next_line(const char *p, size_t len, size_t *pos, line_t *l)
{
	const char *text;
	size_t tl, i;

	if (!ssp_reply_next_line(p, len, pos, &text, &tl))
		return 0;
	if (tl > SSP_PATTERN_SUBJECT_MAX)
		tl = SSP_PATTERN_SUBJECT_MAX;
	for (i = 0; i < tl; i++)
		l->text[i] = text[i] == '\0' ? '?' : text[i];
	l->text[tl] = '\0';
	l->len = tl;
	return 1;
}

/* limit_hit - record in lim (if any) that src reached a limit on line l. */
static void limit_hit(ssp_pattern_limit_t *lim, const char *src, const char *why, const line_t *l)
{
	if (lim == NULL)
		return;
	lim->src = src;
	lim->why = why;
	lim->line_len = l->len;
}

/* lines_match - lines first..last (0-based; last -1: to the end) all match re:
 * 1 or 0, or -1 when a limit was reached (recorded in lim). */
static int lines_match(ssp_pattern_t *re, const char *src, const char *p, size_t len, int first,
		       int last, ssp_pattern_limit_t *lim)
{
	size_t pos = 0;
	const char *why = NULL;
	line_t l;
	int k = -1;

	while (next_line(p, len, &pos, &l)) {
		ssp_pattern_rc_t rc;

		if (++k < first || (last >= 0 && k > last))
			continue;
		rc = ssp_pattern_match(re, l.text, l.len, NULL, NULL, &why);
		if (rc == SSP_PATTERN_LIMIT) {
			limit_hit(lim, src, why, &l);
			return -1;
		}
		if (rc == SSP_PATTERN_NOMATCH)
			return 0;
	}
	return 1;
}

/* some_line_matches - some line of the reply p[0..len) matches re: 1 or 0,
 * or -1 when a limit was reached (recorded in lim). */
static int some_line_matches(ssp_pattern_t *re, const char *src, const char *p, size_t len,
			     ssp_pattern_limit_t *lim)
{
	size_t pos = 0;
	const char *why = NULL;
	line_t l;

	while (next_line(p, len, &pos, &l)) {
		ssp_pattern_rc_t rc = ssp_pattern_match(re, l.text, l.len, NULL, NULL, &why);

		if (rc == SSP_PATTERN_LIMIT) {
			limit_hit(lim, src, why, &l);
			return -1;
		}
		if (rc == SSP_PATTERN_MATCH)
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

/* text_ok - every text, line-count and enhanced-code matcher of e agrees:
 * 1 or 0, or -1 when a pattern reached a limit (recorded in lim). */
static int text_ok(const ssp_expect_t *e, const char *p, const ssp_reply_t *r, ssp_pattern_limit_t *lim)
{
	int rc;

	if (e->enhanced && !ssp_expect_enhanced_ok(e, r->code, p, r->len))
		return 0;
	if (e->text_src && (rc = some_line_matches(e->text_re, e->text_src, p, r->len, lim)) != 1)
		return rc;
	if (e->not_text_src && (rc = some_line_matches(e->not_text_re, e->not_text_src, p, r->len, lim)) != 0)
		return rc < 0 ? rc : 0;
	if (e->every_text_src && (rc = lines_match(e->every_text_re, e->every_text_src, p, r->len, 0, -1, lim)) != 1)
		return rc;
	if (e->first_line_src && (rc = lines_match(e->first_line_re, e->first_line_src, p, r->len, 0, 0, lim)) != 1)
		return rc;
	if (e->keyword_lines_src &&
	    (rc = lines_match(e->keyword_lines_re, e->keyword_lines_src, p, r->len, 1, -1, lim)) != 1)
		return rc;
	return !(e->max_lines && r->nlines > e->max_lines);
}

/* capture - the first match of e's capture pattern (group 1 if any) into cap:
 * 0, -1 when no line yields it, -2 when the pattern reached a limit. */
static int capture(const ssp_expect_t *e, const char *p, size_t len, ssp_capture_t *cap)
{
	size_t pos = 0, n, so = 0, eo = 0;
	const char *why = NULL;
	line_t l;

	while (next_line(p, len, &pos, &l)) {
		ssp_pattern_rc_t rc = ssp_pattern_match(e->capture_re, l.text, l.len, &so, &eo, &why);

		if (rc == SSP_PATTERN_LIMIT) {
			limit_hit(&cap->limit, e->capture_src, why, &l);
			return -2;
		}
		if (rc != SSP_PATTERN_MATCH || eo < so || eo > l.len)
			continue;
		n = eo - so;
		if (n > SSP_VAR_VALUE_MAX)
			return -1;
		memcpy(cap->value, l.text + so, n);
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
	int rc;

	if (cap != NULL) {
		cap->var = NULL;
		cap->len = 0;
		cap->value[0] = '\0';
		cap->limit.src = cap->limit.why = NULL;
		cap->limit.line_len = 0;
	}
	if (e->kind != SSP_EXPECT_REPLY)
		return SSP_OUTCOME_MISMATCH;
	/* "any" never takes 421: the server is closing, not answering */
	if ((e->any_code && r->code != 421) || ssp_codes_has(&e->pass, r->code)) {
		rc = text_ok(e, p, r, cap != NULL ? &cap->limit : NULL);
		if (rc < 0)
			return SSP_OUTCOME_PATTERN_LIMIT;
		if (rc == 0)
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
	if (e->capture_var != NULL && cap != NULL && (rc = capture(e, p, r->len, cap)) != 0)
		return rc == -2 ? SSP_OUTCOME_PATTERN_LIMIT : SSP_OUTCOME_CAPTURE_FAILED;
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
	case SSP_OUTCOME_PATTERN_LIMIT: return "pattern limit";
	}
	return "?";
}
