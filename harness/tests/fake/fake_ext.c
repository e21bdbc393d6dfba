/*
 * fake_ext.c - the ESMTP extension modes of fakesmtpd: what changes in the
 * EHLO reply, in the MAIL and RCPT parameters and in BDAT when one of them
 * is on.  No I/O, no state of its own: fake_smtp.c asks at the few places
 * where an extension rule applies (RFC 1870 SIZE, RFC 6152 8BITMIME, RFC
 * 6531 SMTPUTF8, RFC 3030 CHUNKING, RFC 3461 DSN, RFC 3463 codes).
 */
#include "fake.h"

#include <stdio.h>
#include <string.h>

#define MODE(s, m) ((s)->modes->on[FAKE_MODE_##m])
#define STR(x) #x
#define XSTR(x) STR(x)

/* same - p[0..n) is the ASCII keyword lit, in any case. */
static int same(const char *p, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		int a = (unsigned char)p[i], b = (unsigned char)lit[i];
		if (a >= 'a' && a <= 'z')
			a -= 32;
		if (b >= 'a' && b <= 'z')
			b -= 32;
		if (a != b)
			return 0;
	}
	return 1;
}

/* number - 1 to 20 decimal digits (RFC 1870 size-value); the value in *v,
 * saturated. */
static int number(const char *p, size_t n, uint64_t *v)
{
	size_t i;

	if (p == NULL || n == 0 || n > 20)
		return 0;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		*v = *v > UINT64_MAX / 10 - 1 ? UINT64_MAX : *v * 10 + (uint64_t)(p[i] - '0');
	}
	return 1;
}

/* hidden - the extensions are not advertised (modes no-extensions and
 * unadvertised-params-501). */
static int hidden(const fake_smtp_t *s)
{
	return MODE(s, NO_EXTENSIONS) || MODE(s, UNADVERTISED_PARAMS_501);
}

const char *fake_ext_keyword(const fake_smtp_t *s, const char *kw)
{
	int size = strncmp(kw, "SIZE", 4) == 0;

	if (hidden(s) && (size || strcmp(kw, "8BITMIME") == 0 || strcmp(kw, "DSN") == 0 ||
			  strcmp(kw, "SMTPUTF8") == 0 || strcmp(kw, "CHUNKING") == 0))
		return NULL;
	if (size && MODE(s, SIZE_KEYWORD_NOT_NUMBER))
		return "SIZE " XSTR(FAKE_SIZE_MAX) "B";
	if (strcmp(kw, "8BITMIME") == 0 && MODE(s, EHLO_OMITS_8BITMIME))
		return NULL;
	if (MODE(s, EXT_KEYWORD_PARAMETERS)) {
		if (strcmp(kw, "8BITMIME") == 0)
			return "8BITMIME 1";
		if (strcmp(kw, "DSN") == 0)
			return "DSN 1";
		if (strcmp(kw, "SMTPUTF8") == 0)
			return "SMTPUTF8 1";
		if (strcmp(kw, "ENHANCEDSTATUSCODES") == 0)
			return "ENHANCEDSTATUSCODES 1";
	}
	return kw;
}

const char *fake_ext_domain(const fake_smtp_t *s)
{
	return MODE(s, EHLO_DOMAIN_NOT_LDH) ? "fake_test.invalid" : FAKE_DOMAIN;
}

/* refuse - set the refusal and say so. */
static fake_param_t refuse(int c, const char *e, const char *t, int *code, const char **enh,
			   const char **text)
{
	*code = c;
	*enh = e;
	*text = t;
	return FAKE_PARAM_REFUSE;
}

fake_param_t fake_ext_param(const fake_smtp_t *s, int rcpt, const char *key, size_t klen,
			    const char *val, size_t vlen, int *code, const char **enh, const char **text)
{
	int size = !rcpt && same(key, klen, "SIZE"), body = !rcpt && same(key, klen, "BODY");
	int utf8 = !rcpt && same(key, klen, "SMTPUTF8");
	int dsn = rcpt ? same(key, klen, "NOTIFY") || same(key, klen, "ORCPT")
		       : same(key, klen, "RET") || same(key, klen, "ENVID");
	uint64_t v = 0;

	if (hidden(s) && (size || body || utf8 || dsn)) {
		/* RFC 5321 §4.1.1.11: a parameter the server does not offer */
		if (MODE(s, UNADVERTISED_PARAMS_501))
			return refuse(501, "5.5.4", "Syntax error in parameters", code, enh, text);
		return refuse(555, "5.5.4", "Unsupported parameter", code, enh, text);
	}
	if (size && MODE(s, SIZE_PARAM_REJECTED))
		return refuse(555, "5.5.4", "Unsupported parameter", code, enh, text);
	if (size && MODE(s, SIZE_LIMIT_EXCLUSIVE) && number(val, vlen, &v) && v == FAKE_SIZE_MAX)
		return refuse(552, "5.3.4", "Message size exceeds fixed maximum message size", code, enh, text);
	if (size && MODE(s, SIZE_SYNTAX_ACCEPTED) && !(number(val, vlen, &v) && v > FAKE_SIZE_MAX))
		return FAKE_PARAM_ACCEPT;
	if (body && MODE(s, BODY_7BIT_REJECTED) && val != NULL && same(val, vlen, "7BIT"))
		return refuse(555, "5.5.4", "Unsupported BODY parameter", code, enh, text);
	if (body && MODE(s, BODY_SYNTAX_ACCEPTED))
		return FAKE_PARAM_ACCEPT;
	if (utf8 && val != NULL && MODE(s, SMTPUTF8_VALUE_ACCEPTED))
		return FAKE_PARAM_ACCEPT;
	if (dsn && MODE(s, DSN_SYNTAX_ACCEPTED) && !MODE(s, DSN_PARAMS_REJECTED))
		return FAKE_PARAM_ACCEPT;
	return FAKE_PARAM_DEFAULT;
}

int fake_ext_bdat(const fake_smtp_t *s, uint64_t *size, int *size_ok, int *code,
		  const char **enh, const char **text)
{
	if (hidden(s)) {
		/* not advertised: BDAT is a command this server does not offer, and
		 * its chunk is read as (unknown) commands, as RFC 3030 §2 warns */
		*code = 502;
		*enh = "5.5.1";
		*text = "Error: command not implemented";
		return 1;
	}
	if (!*size_ok && MODE(s, BDAT_SYNTAX_ACCEPTED)) {
		*size = 0;
		*size_ok = 1;
	}
	if (!*size_ok)
		return 0;
	if (*size == 0 && MODE(s, BDAT_ZERO_REFUSED)) {
		*code = 501;
		*enh = "5.5.4";
		*text = "Syntax: BDAT chunk-size [LAST], chunk-size > 0";
		return 1;
	}
	if (MODE(s, BDAT_FAILURE_NO_DISCARD) && (!s->mail || s->nrcpt == 0)) {
		*code = 503;
		*enh = "5.5.1";
		*text = s->mail ? "Error: need RCPT command" : "Error: need MAIL command";
		return 1;
	}
	return 0;
}

size_t fake_ext_bdat_take(fake_smtp_t *s, const char *p, size_t n, int *ended)
{
	size_t i;

	*ended = 0;
	if (!MODE(s, BDAT_ENDS_AT_DOT))
		return n;
	for (i = 0; i < n; i++) {
		s->hist = (s->hist << 8) | (unsigned char)p[i];
		if ((s->hist & 0xffffffffffULL) == 0x0d0a2e0d0aULL) {
			/* taken as the end of the message, as DATA would */
			*ended = 1;
			return i + 1;
		}
	}
	return n;
}

void fake_ext_header_octet(fake_smtp_t *s, unsigned char ch, int bol)
{
	static const char want[] = "content-transfer-encoding: binary";
	size_t n = sizeof(want) - 1;

	if (bol)
		s->cte_len = 0;
	if (ch == '\r' || ch == '\n') {
		if (s->cte_len == n && same(s->cte, n, want))
			s->binary_cte = 1;
		s->cte_len = n + 1;       /* nothing more on this line counts */
		return;
	}
	if (s->cte_len < sizeof(s->cte) && s->cte_len <= n)
		s->cte[s->cte_len++] = (char)ch;
	else
		s->cte_len = n + 1;
}

int fake_ext_data_over(const fake_smtp_t *s)
{
	return MODE(s, SIZE_ENDS_DATA) && s->declared > 0 && s->msg_size >= s->declared;
}
