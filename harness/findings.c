/*
 * findings.c - reply-grammar findings (RFC 5321 §4.2, §4.5.3.1.5), the
 * reply-code table (§4.3.2) and replies no command asked for.
 */
#include "findings.h"

#include "expect.h"

#include <stdarg.h>
#include <stdio.h>

/* keepf - a sentence into slot (SSP_REASON_MAX bytes) unless one is kept already. */
static void keepf(char *slot, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void keepf(char *slot, const char *fmt, ...)
{
	va_list ap;

	if (slot[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(slot, SSP_REASON_MAX, fmt, ap); /* reasons are cut by design */
	va_end(ap);
}

/* rank - how bad a finding verdict is: pass < info < warn < fail. */
static int rank(ssp_verdict_t v)
{
	return v == SSP_FAIL ? 3 : v == SSP_WARN ? 2 : v == SSP_INFO ? 1 : 0;
}

/* dev_index - the index of a deviation bit. */
static unsigned dev_index(unsigned bit)
{
	unsigned i = 0;

	while (bit > 1) {
		bit >>= 1;
		i++;
	}
	return i;
}

void ssp_findings_grammar(ssp_findings_t *f, ssp_transcript_t *tr, uint32_t ms,
			  const char *label, const ssp_reply_t *r, const char *p)
{
	unsigned bit;
	char got[SSP_OBSERVED_TEXT_MAX];

	if (r->dev == 0)
		return;
	ssp_expect_describe_reply(p, r->len, r->nlines, got, sizeof(got));
	for (bit = 1; bit < (1u << SSP_REPLY_DEV_COUNT); bit <<= 1) {
		const char *where = ssp_reply_dev_section(bit);

		if (!(r->dev & bit))
			continue;
		/* RFC 4954 §4: an empty challenge is "334 " with no text */
		if (bit == SSP_REPLY_DEV_EMPTY_TEXT && r->code == 334 && r->nlines == 1)
			continue;
		ssp_transcript_note(tr, ms, "reply syntax (RFC 5321 %s): %s, line %u", where,
				    ssp_reply_dev_name(bit), r->dev_line);
		keepf(f->dev[dev_index(bit)],
		      "%s: reply violates the reply syntax of RFC 5321 %s (%s): %s", label, where,
		      ssp_reply_dev_name(bit), got);
	}
}

void ssp_findings_table(ssp_findings_t *f, ssp_transcript_t *tr, uint32_t ms, const char *label,
			ssp_answers_t what, const char *line, size_t n, int code, const char *got)
{
	char listed[SSP_LABEL_MAX];

	if (what == SSP_ANSWERS_GREETING && (code == 554 || code == 521))
		f->greeting_refused = 1;
	/* §3.1: after a 554 greeting every command but QUIT gets 503 */
	if (f->table[0] || (f->greeting_refused && code == 503) ||
	    ssp_replytable_check(what, line, n, code) != 0)
		return;
	ssp_replytable_describe(what, line, n, listed, sizeof(listed));
	ssp_transcript_note(tr, ms, "reply code %d is not among the replies RFC 5321 §4.3.2 lists here (%s)",
			    code, listed);
	keepf(f->table, "%s: reply code %d is not among those RFC 5321 §4.3.2 lists for it (%s): %s",
	      label, code, listed, got);
}

void ssp_findings_unasked(ssp_findings_t *f, const char *label, const char *got)
{
	keepf(f->unasked, "before %s: the server sent a reply that no command asked for: %s", label, got);
}

void ssp_findings_warn_code(ssp_findings_t *f, const char *label, const char *got,
			    const char *expected)
{
	keepf(f->warned, "%s: got %s, acceptable only as a warning (expected %s)", label, got,
	      expected);
}

ssp_verdict_t ssp_findings_apply(const ssp_findings_t *f, const ssp_vector_t *vec, ssp_verdict_t v,
				 char *reason, size_t size)
{
	ssp_verdict_t own = ssp_verdict_for_level(vec->level);
	unsigned devs = ssp_judges_devs(vec->judges), bit;
	int softer = v == SSP_PASS || v == SSP_WARN || v == SSP_INFO;

	if (f->unasked[0] && softer) {
		snprintf(reason, size, "%s", f->unasked);
		return SSP_FAIL;
	}
	/* a judged finding gives the vector's own verdict unless v is already as bad */
	if (!softer || rank(v) >= rank(own))
		return v;
	for (bit = 1; bit < (1u << SSP_REPLY_DEV_COUNT); bit <<= 1) {
		if ((devs & bit) && f->dev[dev_index(bit)][0]) {
			snprintf(reason, size, "%s", f->dev[dev_index(bit)]);
			return own;
		}
	}
	if ((vec->judges & SSP_JUDGES(CODES)) && f->table[0]) {
		snprintf(reason, size, "%s", f->table);
		return own;
	}
	return v;
}
