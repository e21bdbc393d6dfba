/*
 * replytable.c - RFC 5321 §4.3.2 command-reply sequences as data.
 */
#include "replytable.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Codes every command may get (§4.3.2: "any SMTP command can return"). */
static const short anywhere[] = { 421, 500, 501, 0 };

typedef struct {
	const char *verb;
	short codes[20];
} entry_t;

/*
 * 530: RFC 4954 §6 (and RFC 3207 §4) for any command but AUTH, EHLO,
 * HELO, NOOP, RSET, QUIT (and STARTTLS).  556: RFC 7504 §4, in reply to
 * RCPT.  503 is the bad-sequence reply of §4.1.4 for the transaction
 * commands, as the table lists it.
 */
static const entry_t table[] = {
	{ "EHLO", { 250, 504, 550, 502, 0 } },
	{ "HELO", { 250, 504, 550, 502, 0 } },
	{ "MAIL", { 250, 552, 451, 452, 550, 553, 503, 455, 555, 530, 0 } },
	{ "RCPT", { 250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555, 530, 556, 0 } },
	{ "DATA", { 354, 503, 554, 530, 0 } },
	{ "RSET", { 250, 0 } },
	{ "VRFY", { 250, 251, 252, 550, 551, 553, 502, 504, 530, 0 } },
	{ "EXPN", { 250, 252, 550, 500, 502, 504, 530, 0 } },
	{ "HELP", { 211, 214, 502, 504, 530, 0 } },
	{ "NOOP", { 250, 0 } },
	{ "QUIT", { 221, 0 } },
};

static const short greeting[] = { 220, 554, 521, 0 };
static const short data_end[] = { 250, 552, 554, 451, 452, 450, 550, 0 };

static int in(const short *list, int code)
{
	for (; *list; list++) {
		if (*list == code)
			return 1;
	}
	return 0;
}

/* lookup - the code list for what, or NULL. */
static const short *lookup(ssp_answers_t what, const char *line, size_t n)
{
	size_t i, vl = 0;

	if (what == SSP_ANSWERS_GREETING)
		return greeting;
	if (what == SSP_ANSWERS_DATA_END)
		return data_end;
	while (vl < n && line[vl] != ' ' && line[vl] != '\r' && line[vl] != '\n')
		vl++;
	if (vl != 4)
		return NULL;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strncasecmp(table[i].verb, line, 4) == 0)
			return table[i].codes;
	}
	return NULL;
}

int ssp_replytable_check(ssp_answers_t what, const char *line, size_t n, int code)
{
	const short *list = lookup(what, line, n);

	if (list == NULL)
		return -1;
	if (what == SSP_ANSWERS_COMMAND && in(anywhere, code))
		return 1;
	return in(list, code);
}

void ssp_replytable_describe(ssp_answers_t what, const char *line, size_t n, char *out,
			     size_t size)
{
	const short *list = lookup(what, line, n);
	size_t used = 0;
	int k;

	out[0] = '\0';
	for (k = 0; list && list[k] && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, "%s%d", k ? ", " : "", list[k]);
	for (k = 0; what == SSP_ANSWERS_COMMAND && list && anywhere[k] && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, ", %d", anywhere[k]);
}
