/*
 * rfctext.c - normalised RFC texts for checking quoted requirements.
 */
#include "rfctext.h"

#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RFC_TEXT_MAX (4 * 1024 * 1024)

/* page_furniture - a footer ("Klensin  Standards Track  [Page 5]") or a
 * running header ("RFC 5321   SMTP   October 2008") line. */
static int page_furniture(const char *line, size_t n, unsigned rfc)
{
	char head[32];
	size_t hl;

	if (memchr(line, '\f', n))
		return 1;
	if (n > 8 && line[n - 1] == ']') {
		size_t i = n - 1;
		while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
			i--;
		if (i >= 6 && memcmp(line + i - 6, "[Page ", 6) == 0)
			return 1;
	}
	hl = (size_t)snprintf(head, sizeof(head), "RFC %u ", rfc);
	return n > hl + 10 && memcmp(line, head, hl) == 0 && memmem(line + hl, n - hl, "   ", 3) != NULL;
}

void ssp_rfctext_normalise(char *s)
{
	char *start = s, *w = s;
	int pending = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\f') {
			pending = 1;
			continue;
		}
		if (pending && w != start)
			*w++ = ' ';
		pending = 0;
		*w++ = *s;
	}
	*w = '\0';
}

int ssp_rfctext_load(const char *dir, unsigned rfc, char **text, ssp_diag_t *diag)
{
	char path[4096], line[4096];
	FILE *fp;
	ssp_buf_t b;

	snprintf(path, sizeof(path), "%s/rfc%u.txt", dir, rfc);
	fp = fopen(path, "r");
	if (fp == NULL)
		return ssp_diag_set(diag, path, 0, 0, "cannot open: %s", strerror(errno));
	ssp_buf_init(&b, RFC_TEXT_MAX);
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strlen(line);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (page_furniture(line, n, rfc))
			continue;
		if (ssp_buf_append(&b, line, n) != 0 || ssp_buf_append(&b, " ", 1) != 0) {
			fclose(fp);
			ssp_buf_free(&b);
			return ssp_diag_set(diag, path, 0, 0, "larger than %d bytes", RFC_TEXT_MAX);
		}
	}
	fclose(fp);
	*text = ssp_buf_steal(&b, NULL);
	if (*text == NULL)
		return ssp_diag_set(diag, path, 0, 0, "empty or out of memory");
	ssp_rfctext_normalise(*text);
	return 0;
}

int ssp_rfctext_contains(const char *text, const char *quote)
{
	char *q = strdup(quote);
	int found;

	if (q == NULL)
		return 0;
	ssp_rfctext_normalise(q);
	found = q[0] != '\0' && strstr(text, q) != NULL;
	free(q);
	return found;
}

/* Upper-case RFC 2119 keywords and the level each carries; the two-word
 * forms come before their first word so that "MUST NOT" is one keyword. */
static const struct {
	const char *word;
	int level;
} keywords[] = {
	{ "MUST NOT", SSP_RFCTEXT_MUST }, { "MUST", SSP_RFCTEXT_MUST },
	{ "REQUIRED", SSP_RFCTEXT_MUST }, { "SHALL NOT", SSP_RFCTEXT_MUST },
	{ "SHALL", SSP_RFCTEXT_MUST }, { "NOT RECOMMENDED", SSP_RFCTEXT_SHOULD },
	{ "SHOULD NOT", SSP_RFCTEXT_SHOULD }, { "SHOULD", SSP_RFCTEXT_SHOULD },
	{ "RECOMMENDED", SSP_RFCTEXT_SHOULD }, { "MAY", SSP_RFCTEXT_MAY },
	{ "OPTIONAL", SSP_RFCTEXT_MAY },
};

/* is_word_char - a letter or digit: keywords are whole words. */
static int is_word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int ssp_rfctext_keyword(const char *quote, int any_case, const char **word)
{
	const char *p;
	int best = SSP_RFCTEXT_NONE;
	size_t k;

	if (word != NULL)
		*word = NULL;
	for (p = quote; *p; p++) {
		if (p > quote && is_word_char(p[-1]))
			continue;
		for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
			size_t n = strlen(keywords[k].word);

			if ((any_case ? strncasecmp(p, keywords[k].word, n) : strncmp(p, keywords[k].word, n)) != 0 ||
			    is_word_char(p[n]))
				continue;
			if (keywords[k].level > best) {
				best = keywords[k].level;
				if (word != NULL)
					*word = keywords[k].word;
			}
			p += n - 1;
			break;
		}
	}
	return best;
}
