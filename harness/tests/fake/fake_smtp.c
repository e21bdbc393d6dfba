/*
 * fake_smtp.c - the SMTP protocol of fakesmtpd: bytes in, replies out.
 *
 * No I/O here: the connection reads into s->in, calls fake_smtp_process()
 * and writes s->out.  Without modes the server is conformant to RFC 5321
 * (§3, §4.1, §4.2, §4.3.2, §4.5) with PIPELINING (RFC 2920), SIZE (RFC
 * 1870), ENHANCEDSTATUSCODES (RFC 2034, 3463), 8BITMIME (RFC 6152),
 * CHUNKING (RFC 3030), DSN (RFC 3461) and SMTPUTF8 (RFC 6531); each mode
 * of fake.h breaks one rule at the place its name says.
 *
 * Input is read in one of three states: command lines (ended by CRLF only,
 * §2.3.8), mail data (ended by CRLF "." CRLF only, §4.1.1.4; the last
 * octets are kept in a shift register) and BDAT chunks (counted).  Replies
 * are collected per pipelined group and flushed after the commands whose
 * replies RFC 2920 §3.2 forbids buffering, and whenever the input is used
 * up; the reordering modes work on such a group.
 */
#include "fake.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MODE(s, m) ((s)->modes->on[FAKE_MODE_##m])
#define STR(x) #x
#define XSTR(x) STR(x)

enum { S_COMMAND = 0, S_DATA, S_BDAT };

/* ---- replies ------------------------------------------------------------ */

static void group_end(fake_smtp_t *s);

/* put - append to the current group; past the hard cap, give up (reset). */
static void put(fake_smtp_t *s, const void *p, size_t n)
{
	if (fake_buf_append(&s->group, p, n) != 0)
		s->end = FAKE_END_RESET;
}

/* emit - append to the bytes to write; past the hard cap, give up (reset). */
static void emit(fake_smtp_t *s, const void *p, size_t n)
{
	if (fake_buf_append(&s->out, p, n) != 0)
		s->end = FAKE_END_RESET;
}

/* reply_begin - a new reply starts in the current group. */
static void reply_begin(fake_smtp_t *s)
{
	if (s->ngroup == FAKE_GROUP_REPLIES_MAX)
		group_end(s);
	s->group_at[s->ngroup++] = s->group.len;
}

/* reply_line - one line of the current reply: the code, SP on the last line
 * ('-' before), the enhanced code (NULL: none), text[0..n), the line end. */
static void reply_line(fake_smtp_t *s, int code, int last, const char *enh,
		       const char *text, size_t n)
{
	char head[8], e[16];

	snprintf(head, sizeof(head), "%03d%c", code,
		 last ? ' ' : MODE(s, BAD_CONTINUATION) ? '=' : '-');
	put(s, head, 4);
	if (enh != NULL && !MODE(s, NO_ENHANCED)) {
		if (MODE(s, ENHANCED_LEADING_ZEROS) && enh[0] != '\0' && enh[1] == '.')
			snprintf(e, sizeof(e), "%c.0%s ", enh[0], enh + 2);
		else
			snprintf(e, sizeof(e), "%s ", enh);
		if (MODE(s, ENHANCED_CLASS_MISMATCH))
			e[0] = code / 100 == 2 ? '5' : '2';
		if (MODE(s, ENHANCED_WRONG_SUBJECT) && enh[0] != '\0')
			snprintf(e, sizeof(e), "%c.6.0 ", enh[0]);
		put(s, e, strlen(e));
	}
	put(s, text, n);
	if (last)
		s->errors = code >= 400 ? s->errors + 1 : 0;
	if (MODE(s, BARE_LF_REPLIES))
		put(s, "\n", 1);
	else
		put(s, "\r\n", 2);
}

/* vreply - one reply line from a format and its arguments (reply, fake_smtp_reply). */
static void vreply(fake_smtp_t *s, int code, const char *enh, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void vreply(fake_smtp_t *s, int code, const char *enh, const char *fmt, va_list ap)
{
	char text[FAKE_CMD_LINE_MAX];
	int n = vsnprintf(text, sizeof(text), fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(text))
		n = sizeof(text) - 1;
	reply_begin(s);
	reply_line(s, code, 1, enh, text, (size_t)n);
}

/* reply - a one-line reply with printf-formatted text. */
static void reply(fake_smtp_t *s, int code, const char *enh, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reply(fake_smtp_t *s, int code, const char *enh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreply(s, code, enh, fmt, ap);
	va_end(ap);
}

/* reply_len - the length of reply i of the group. */
static size_t reply_len(const fake_smtp_t *s, unsigned i)
{
	size_t end = i + 1 < s->ngroup ? s->group_at[i + 1] : s->group.len;

	return end - s->group_at[i];
}

/* merge - the group as one multiline reply under the first reply's code
 * (mode pipelining-merged). */
static void merge(fake_smtp_t *s)
{
	const char *g = s->group.data, *code = g + s->group_at[0];
	unsigned i;

	for (i = 0; i < s->ngroup; i++) {
		const char *p = g + s->group_at[i], *end = p + reply_len(s, i);

		while (p < end) {
			const char *lf = memchr(p, '\n', (size_t)(end - p));
			const char *next = lf ? lf + 1 : end;
			int last = i + 1 == s->ngroup && next == end;

			if (next - p >= 4) {
				emit(s, code, 3);
				emit(s, last ? " " : "-", 1);
				emit(s, p + 4, (size_t)(next - p - 4));
			} else {
				emit(s, p, (size_t)(next - p));
			}
			p = next;
		}
	}
}

/* group_end - move the replies of the group to out: the end of a pipelined
 * group (RFC 2920 §3.2 (5)-(7)). */
static void group_end(fake_smtp_t *s)
{
	unsigned i;

	if (s->ngroup == 0)
		return;
	if (MODE(s, PIPELINING_OUT_OF_ORDER)) {
		for (i = s->ngroup; i-- > 0;)
			emit(s, s->group.data + s->group_at[i], reply_len(s, i));
	} else if (MODE(s, PIPELINING_MERGED) && s->ngroup > 1) {
		merge(s);
	} else {
		emit(s, s->group.data, s->group.len);
	}
	s->group.len = 0;
	s->ngroup = 0;
}

/* server_name - the host name in the greeting and the EHLO reply. */
static const char *server_name(const fake_smtp_t *s)
{
	return MODE(s, GREETING_HOST_NOT_MAIL_DOMAIN) ? FAKE_MX_HOST : FAKE_DOMAIN;
}

/* ---- lexical helpers ---------------------------------------------------- */

/* A cursor over the argument of a command. */
typedef struct {
	const char *p, *end;
} cur_t;

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* atext of RFC 5322 §3.2.3, with UTF8-non-ascii of RFC 6531 §3.3. */
static int is_atext(unsigned char c)
{
	return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL) || c >= 0x80;
}

/* eq_nocase - p[0..n) equals the ASCII string lit, ignoring case. */
static int eq_nocase(const char *p, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)p[i]) != lower((unsigned char)lit[i]))
			return 0;
	return 1;
}

/* keyword_is - p[0..n) is the keyword lit, in any case (RFC 5321 §2.4);
 * in capitals only in mode keywords-case-sensitive. */
static int keyword_is(const fake_smtp_t *s, const char *p, size_t n, const char *lit)
{
	if (MODE(s, KEYWORDS_CASE_SENSITIVE))
		return strlen(lit) == n && memcmp(p, lit, n) == 0;
	return eq_nocase(p, n, lit);
}

/* skip_keyword - consume the keyword lit if the cursor starts with it. */
static int skip_keyword(const fake_smtp_t *s, cur_t *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || !keyword_is(s, c->p, n, lit))
		return 0;
	c->p += n;
	return 1;
}

static void skip_spaces(cur_t *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* valid_utf8 - p[0..n) is well-formed UTF-8 (no overlongs, surrogates). */
static int valid_utf8(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0;

	while (i < n) {
		unsigned c = u[i], need, cp, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int has_8bit(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 1;
	return 0;
}

/* ---- RFC 5321 §4.1.2 and §4.1.3: domains, literals, mailboxes, paths ---- */

/* parse_domain - Domain = sub-domain *("." sub-domain); with utf8, octets
 * over 0x7f are allowed in labels (U-labels, RFC 6531 §3.3).  0 or -1. */
static int parse_domain(cur_t *c, int utf8)
{
	for (;;) {
		const char *label = c->p;

		while (c->p < c->end && (is_alnum((unsigned char)*c->p) || *c->p == '-' ||
					 (utf8 && (unsigned char)*c->p >= 0x80)))
			c->p++;
		if (c->p == label || *label == '-' || c->p[-1] == '-')
			return -1;
		if (c->p < c->end && *c->p == '.') {
			c->p++;
			continue;
		}
		return 0;
	}
}

/* ipv4_literal - Snum 3("." Snum), Snum at most 255. */
static int ipv4_literal(const char *p, size_t n)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part > 0) {
			if (i >= n || p[i] != '.')
				return 0;
			i++;
		}
		while (i < n && is_digit((unsigned char)p[i]) && digits < 4)
			v = v * 10 + (unsigned)(p[i++] - '0'), digits++;
		if (digits == 0 || digits > 3 || v > 255)
			return 0;
	}
	return i == n;
}

/* parse_literal - address-literal = "[" (IPv4 / "IPv6:" IPv6 / General) "]". */
static int parse_literal(cur_t *c)
{
	const char *in, *close;
	size_t n, i;

	if (c->p >= c->end || *c->p != '[')
		return -1;
	in = c->p + 1;
	close = memchr(in, ']', (size_t)(c->end - in));
	if (close == NULL)
		return -1;
	n = (size_t)(close - in);
	c->p = close + 1;
	if (ipv4_literal(in, n))
		return 0;
	if (n > 5 && eq_nocase(in, 5, "IPv6:")) {
		char text[64];
		unsigned char bin[16];

		if (n - 5 >= sizeof(text))
			return -1;
		memcpy(text, in + 5, n - 5);
		text[n - 5] = '\0';
		return inet_pton(AF_INET6, text, bin) == 1 ? 0 : -1;
	}
	/* General-address-literal = Standardized-tag ":" 1*dcontent */
	for (i = 0; i < n && (is_alnum((unsigned char)in[i]) || in[i] == '-'); i++)
		;
	if (i == 0 || in[i - 1] == '-' || i + 1 >= n || in[i] != ':')
		return -1;
	for (i++; i < n; i++) {
		unsigned char d = (unsigned char)in[i];
		if (!((d >= 33 && d <= 90) || (d >= 94 && d <= 126)))
			return -1;
	}
	return 0;
}

/* An address from a MAIL, RCPT or VRFY argument. */
typedef struct {
	char local[FAKE_LOCAL_KEEP + 1];   /* the local part unquoted, cut */
	size_t local_len;             /* its full unquoted length */
	const char *raw;              /* the local part as written */
	size_t raw_len;
	const char *domain;           /* NULL: none */
	size_t domain_len;
	int null;                     /* <> */
	int route;                    /* had a source route */
} addr_t;

static void keep_local(addr_t *a, char ch)
{
	if (a->local_len < FAKE_LOCAL_KEEP)
		a->local[a->local_len] = ch;
	a->local_len++;
}

/* parse_local - Local-part = Dot-string / Quoted-string (RFC 5321 §4.1.2). */
static int parse_local(cur_t *c, addr_t *a)
{
	a->raw = c->p;
	a->local_len = 0;
	if (c->p < c->end && *c->p == '"') {
		for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
			unsigned char ch = (unsigned char)*c->p;

			if (ch == '\\') {
				if (++c->p >= c->end)
					return -1;
				ch = (unsigned char)*c->p;
				if (ch < 32 || ch == 127)
					return -1;
			} else if (ch < 32 || ch == 127) {
				return -1;
			}
			keep_local(a, (char)ch);
		}
		if (c->p >= c->end)
			return -1;
		c->p++;
	} else {
		for (;;) {
			const char *atom = c->p;

			while (c->p < c->end && is_atext((unsigned char)*c->p))
				keep_local(a, *c->p++);
			if (c->p == atom)
				return -1;
			if (c->p < c->end && *c->p == '.' && c->p + 1 < c->end &&
			    is_atext((unsigned char)c->p[1])) {
				keep_local(a, *c->p++);
				continue;
			}
			break;
		}
	}
	a->raw_len = (size_t)(c->p - a->raw);
	a->local[a->local_len < FAKE_LOCAL_KEEP ? a->local_len : FAKE_LOCAL_KEEP] = '\0';
	return 0;
}

/* parse_mailbox - Mailbox = Local-part "@" ( Domain / address-literal ). */
static int parse_mailbox(cur_t *c, addr_t *a)
{
	if (parse_local(c, a) != 0 || c->p >= c->end || *c->p != '@')
		return -1;
	c->p++;
	a->domain = c->p;
	if (c->p < c->end && *c->p == '[') {
		if (parse_literal(c) != 0)
			return -1;
	} else if (parse_domain(c, 1) != 0) {
		return -1;
	}
	a->domain_len = (size_t)(c->p - a->domain);
	return 0;
}

/* parse_path - Path = "<" [ A-d-l ":" ] Mailbox ">", or "<>" when null_ok.
 * A source route (Appendix C) is accepted and ignored. */
static int parse_path(cur_t *c, addr_t *a, int null_ok)
{
	memset(a, 0, sizeof(*a));
	if (c->p >= c->end || *c->p != '<')
		return -1;
	c->p++;
	if (null_ok && c->p < c->end && *c->p == '>') {
		c->p++;
		a->null = 1;
		return 0;
	}
	if (c->p < c->end && *c->p == '@') {
		a->route = 1;
		for (;;) {
			c->p++;                       /* the '@' */
			if (parse_domain(c, 1) != 0 || c->p >= c->end)
				return -1;
			if (*c->p == ':')
				break;
			if (*c->p != ',' || c->p + 1 >= c->end || c->p[1] != '@')
				return -1;
			c->p++;
		}
		c->p++;
	}
	if (parse_mailbox(c, a) != 0 || c->p >= c->end || *c->p != '>')
		return -1;
	c->p++;
	return 0;
}

/* hello_arg_ok - EHLO/HELO: a Domain or an address literal, optionally
 * followed by more words (RFC 5321 §4.1.1.1 asks servers to be prepared). */
static int hello_arg_ok(const char *arg, size_t n)
{
	cur_t c = { arg, arg + n };

	if (n == 0)
		return 0;
	if (*c.p == '[' ? parse_literal(&c) != 0 : parse_domain(&c, 0) != 0)
		return 0;
	return c.p == c.end || *c.p == ' ';
}

/* ---- ESMTP parameters (RFC 5321 §4.1.2) --------------------------------- */

typedef struct {
	const char *key;
	size_t klen;
	const char *val;              /* NULL: no "=value" */
	size_t vlen;
} param_t;

/* next_param - the next esmtp-param: 1, 0 at the end, -1 on bad syntax.
 * esmtp-value is 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531 §3.3). */
static int next_param(cur_t *c, param_t *pm)
{
	if (c->p == c->end)
		return 0;
	if (*c->p != ' ')
		return -1;
	skip_spaces(c);
	if (c->p == c->end)
		return 0;
	pm->key = c->p;
	if (!is_alnum((unsigned char)*c->p))
		return -1;
	while (c->p < c->end && (is_alnum((unsigned char)*c->p) || *c->p == '-'))
		c->p++;
	pm->klen = (size_t)(c->p - pm->key);
	pm->val = NULL;
	pm->vlen = 0;
	if (c->p < c->end && *c->p == '=') {
		pm->val = ++c->p;
		while (c->p < c->end) {
			unsigned char ch = (unsigned char)*c->p;
			if (!((ch >= 33 && ch <= 60) || (ch >= 62 && ch <= 126) || ch >= 0x80))
				break;
			c->p++;
		}
		pm->vlen = (size_t)(c->p - pm->val);
		if (pm->vlen == 0)
			return -1;
	}
	if (c->p < c->end && *c->p != ' ')
		return -1;
	return 1;
}

/* is_hex_upper - HEXDIG in upper case, as xtext writes it. */
static int is_hex_upper(int c)
{
	return is_digit(c) || (c >= 'A' && c <= 'F');
}

/* xtext_ok - RFC 3461 §4: xchar (33-126 but "+" and "=") or "+" 2 HEXDIG. */
static int xtext_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch == '+') {
			if (n - i < 3 || !is_hex_upper(p[i + 1]) || !is_hex_upper(p[i + 2]))
				return 0;
			i += 2;
		} else if (ch < 33 || ch > 126 || ch == '=') {
			return 0;
		}
	}
	return 1;
}

/* digits_ok - 1 to max decimal digits, the value in *v (saturating). */
static int digits_ok(const char *p, size_t n, size_t max, uint64_t *v)
{
	size_t i;

	if (n == 0 || n > max)
		return 0;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)p[i]))
			return 0;
		*v = *v > UINT64_MAX / 10 - 1 ? UINT64_MAX : *v * 10 + (uint64_t)(p[i] - '0');
	}
	return 1;
}

/* notify_ok - RFC 3461 §4.1: "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ). */
static int notify_ok(const char *p, size_t n)
{
	const char *end = p + n;

	if (eq_nocase(p, n, "NEVER"))
		return 1;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t k = (size_t)((comma ? comma : end) - p);

		if (!eq_nocase(p, k, "SUCCESS") && !eq_nocase(p, k, "FAILURE") &&
		    !eq_nocase(p, k, "DELAY"))
			return 0;
		if (comma == NULL)
			return 1;
		p = comma + 1;
	}
	return 0;                     /* a trailing comma */
}

/* orcpt_ok - RFC 3461 §4.2: addr-type ";" xtext. */
static int orcpt_ok(const char *p, size_t n)
{
	const char *semi = memchr(p, ';', n);
	size_t i, k;

	if (semi == NULL || semi == p)
		return 0;
	k = (size_t)(semi - p);
	for (i = 0; i < k; i++)
		if (!is_atext((unsigned char)p[i]) || (unsigned char)p[i] >= 0x80)
			return 0;
	return xtext_ok(semi + 1, n - k - 1);
}

/* The first error found while reading a command's parameters. */
typedef struct {
	int code;
	const char *enh;
	const char *text;
} verdict_t;

static void fail(verdict_t *v, int code, const char *enh, const char *text)
{
	if (v->code != 0)
		return;
	v->code = code;
	v->enh = enh;
	v->text = text;
}

/* ---- the transaction ---------------------------------------------------- */

static void txn_clear(fake_smtp_t *s)
{
	s->mail = s->smtputf8 = s->binarymime = 0;
	s->declared = 0;
	s->nrcpt = 0;
	s->rcpt_tried = 0;
	s->bdat = s->bdat_failed = s->bdat_last = 0;
	s->msg_size = 0;
	s->long_text_line = 0;
}

/* binary_offered - BINARYMIME is advertised (modes binarymime*). */
static int binary_offered(const fake_smtp_t *s)
{
	return MODE(s, BINARYMIME) || MODE(s, BINARYMIME_DATA_ACCEPTED);
}

/* bad_sequence - 503 (RFC 5321 §4.1.4), or 250 in mode no-503. */
static void bad_sequence(fake_smtp_t *s, const char *text)
{
	if (MODE(s, NO_503))
		reply(s, 250, "2.0.0", "Ok");
	else
		reply(s, 503, "5.5.1", "%s", text);
}

/* too_long - a command line over its limit: 500 (RFC 5321 §4.5.3.1.10). */
static void too_long(fake_smtp_t *s)
{
	if (MODE(s, CRASH_ON_LONG_LINE)) {
		s->end = FAKE_END_RESET;
		return;
	}
	reply(s, 500, "5.5.2", "Error: line too long");
	group_end(s);
}

/* ---- commands ----------------------------------------------------------- */

/* hello_check - the argument of EHLO or HELO: 0 when acceptable, else the
 * 501 is sent, the state kept (RFC 5321 §4.1.4), and -1 returned. */
static int hello_check(fake_smtp_t *s, const char *arg, size_t n, const char *verb)
{
	size_t word = 0;

	while (word < n && arg[word] != ' ')
		word++;
	if ((MODE(s, EHLO_A_LABEL_REJECTED) && memmem(arg, word, "xn--", 4) != NULL) ||
	    (n > 0 && arg[0] == '[' && MODE(s, EHLO_LITERAL_REJECTED)) ||
	    (!hello_arg_ok(arg, n) && !MODE(s, EHLO_SYNTAX_ACCEPTED))) {
		if (MODE(s, BAD_EHLO_RESETS))
			txn_clear(s);
		reply(s, 501, "5.5.4", "Syntax: %s hostname", verb);
		return -1;
	}
	/* a literal that is not the client's (loopback) address */
	s->ehlo_mismatch = n > 0 && arg[0] == '[' && !eq_nocase(arg, word, "[127.0.0.1]") &&
			   !eq_nocase(arg, word, "[IPv6:::1]");
	return 0;
}

/* second_hello_refused - modes second-ehlo-503 and -550: a second EHLO or
 * HELO gets 503 (550), the transaction kept (cleared with bad-ehlo-resets);
 * 1 if refused. */
static int second_hello_refused(fake_smtp_t *s)
{
	if (!s->hello || !(MODE(s, SECOND_EHLO_503) || MODE(s, SECOND_EHLO_550)))
		return 0;
	if (MODE(s, BAD_EHLO_RESETS))
		txn_clear(s);
	if (MODE(s, SECOND_EHLO_550))
		reply(s, 550, "5.7.1", "Error: one EHLO per session");
	else
		reply(s, 503, "5.5.1", "Error: already greeted");
	return 1;
}

/* ehlo_cmd - EHLO (RFC 5321 §4.1.1.1): a multiline 250 with the extensions. */
static void ehlo_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	static const char *const keywords[] = {
		"PIPELINING", ("SIZE " XSTR(FAKE_SIZE_MAX)), "8BITMIME", "ENHANCEDSTATUSCODES",
		"DSN", "SMTPUTF8", "CHUNKING", "HELP",
	};
	const char *lines[32];   /* every keyword line any mode adds */
	char first[FAKE_LONG_REPLY_LINE];
	size_t nlines = 0, i, word = 0;
	int len;

	if (MODE(s, NO_EHLO)) {
		reply(s, 500, "5.5.2", "Error: command not recognized");
		return;
	}
	if (second_hello_refused(s))
		return;
	if (hello_check(s, arg, n, "EHLO") != 0)
		return;
	if (!s->hello || !MODE(s, SECOND_EHLO_KEEPS_TRANSACTION))
		txn_clear(s);
	s->hello = 'E';
	if (MODE(s, HOSTILE_10MB_REPLY)) {
		s->stream = FAKE_STREAM_BIG_REPLY;
		s->end = FAKE_END_HANG;
		return;
	}
	if (MODE(s, HOSTILE_100K_LINES)) {
		s->stream = FAKE_STREAM_MANY_LINES;
		return;
	}
	while (word < n && arg[word] != ' ')
		word++;
	if (word > FAKE_ECHO_MAX)
		word = FAKE_ECHO_MAX;         /* keeps the line under 512 octets */
	len = snprintf(first, sizeof(first), "%s Hello %.*s", server_name(s), (int)word, arg);
	if (MODE(s, LONG_REPLY_LINE) && len >= 0 && (size_t)len < sizeof(first) - 1) {
		/* code, separator and CRLF make the line FAKE_LONG_REPLY_LINE */
		size_t want = FAKE_LONG_REPLY_LINE - 6;

		memset(first + len, 'x', want - (size_t)len);
		first[want] = '\0';
	}
	if (MODE(s, EHLO_DOMAIN_NOT_LDH))
		snprintf(first, sizeof(first), "%s Hello %.*s", fake_ext_domain(s), (int)word, arg);
	lines[nlines++] = first;
	if (MODE(s, EHLO_EMPTY_LINE))
		lines[nlines++] = "";
	if (MODE(s, EHLO_KEYWORD_EQUALS))
		lines[nlines++] = "AUTH=LOGIN PLAIN";
	if (MODE(s, EHLO_UNREGISTERED_KEYWORD))
		lines[nlines++] = "FOOBAR";
	for (i = 0; i + 1 < sizeof(keywords) / sizeof(keywords[0]); i++)
		if ((lines[nlines] = fake_ext_keyword(s, keywords[i])) != NULL)
			nlines++;
	if (!MODE(s, EHLO_OMITS_HELP))
		lines[nlines++] = keywords[i];  /* HELP, last */
	if (MODE(s, ADVERTISE_VRFY))
		lines[nlines++] = "VRFY";
	if (!MODE(s, EXPN_NOT_IMPLEMENTED) && !MODE(s, EHLO_OMITS_EXPN))
		lines[nlines++] = "EXPN";    /* §3.5.2: MUST be listed if supported */
	if (MODE(s, SEND_IMPLEMENTED) && !MODE(s, EHLO_OMITS_SEND)) {
		lines[nlines++] = "SEND";    /* F.6: MUST be listed if implemented */
		lines[nlines++] = "SOML";
		lines[nlines++] = "SAML";
	}
	fake_tls_ehlo(s, lines, &nlines);   /* STARTTLS, AUTH */
	if (binary_offered(s))
		lines[nlines++] = "BINARYMIME";
	if (MODE(s, NULL_REPLY_TEXT_SPACE))
		lines[nlines++] = "";
	reply_begin(s);
	for (i = 0; i < nlines; i++) {
		int code = i == 1 && MODE(s, CODE_MISMATCH_MULTILINE) ? 251 : 250;
		reply_line(s, code, i + 1 == nlines, NULL, lines[i], strlen(lines[i]));
	}
}

/* helo_cmd - HELO (RFC 5321 §4.1.1.1): 250 and the server's name. */
static void helo_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	if (MODE(s, HELO_NOT_SUPPORTED)) {
		reply(s, 502, "5.5.1", "Error: command not implemented");
		return;
	}
	if (second_hello_refused(s))
		return;
	if (hello_check(s, arg, n, "HELO") != 0)
		return;
	if (!s->hello || !MODE(s, SECOND_EHLO_KEEPS_TRANSACTION))
		txn_clear(s);
	s->hello = 'H';
	reply(s, 250, NULL, "%s", server_name(s));
}

/* mail_syntax - a MAIL whose argument is not acceptable: 501, state kept
 * (RFC 5321 §4.1.4). */
static void mail_syntax(fake_smtp_t *s, const char *enh, const char *text)
{
	if (MODE(s, MAIL_SYNTAX_ACCEPTED)) {
		s->mail = 1;
		reply(s, 250, "2.1.0", "Ok");
		return;
	}
	if (MODE(s, MAIL_501_OPENS_TRANSACTION))
		s->mail = 1;
	reply(s, 501, enh, "%s", text);
}

/* mail_cmd - MAIL FROM:<path> [params] (RFC 5321 §4.1.1.2; SIZE, BODY,
 * SMTPUTF8, RET, ENVID). */
static void mail_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	cur_t c = { arg, arg + n };
	const char *path;
	size_t path_len;
	verdict_t v = { 0, NULL, NULL };
	int seen_size = 0, seen_body = 0, seen_utf8 = 0, seen_ret = 0, seen_envid = 0, seen_binary = 0, r;
	uint64_t size = 0;
	param_t pm;
	addr_t a;

	if (!s->hello) {
		bad_sequence(s, "Error: send HELO/EHLO first");
		return;
	}
	if (s->mail) {
		bad_sequence(s, "Error: nested MAIL command");
		return;
	}
	if (MODE(s, MAIL_COLON_SPACE_500) && n >= 6 &&
	    (eq_nocase(arg, 6, "FROM :") || eq_nocase(arg, 6, "FROM: "))) {
		reply(s, 500, "5.5.2", "Error: command not recognized");
		return;
	}
	if (!skip_keyword(s, &c, "FROM:")) {
		mail_syntax(s, "5.5.4", "Syntax: MAIL FROM:<address>");
		return;
	}
	skip_spaces(&c);
	path = c.p;
	if (parse_path(&c, &a, 1) != 0 || !valid_utf8(path, (size_t)(c.p - path)) ||
	    (a.route && MODE(s, SOURCE_ROUTE_REJECTED))) {
		mail_syntax(s, "5.1.7", "Bad sender address syntax");
		return;
	}
	path_len = (size_t)(c.p - path);
	while ((r = next_param(&c, &pm)) > 0) {
		int xcode;
		const char *xenh, *xtext;
		fake_param_t x = fake_ext_param(s, 0, pm.key, pm.klen, pm.val, pm.vlen, &xcode, &xenh, &xtext);

		if (x == FAKE_PARAM_REFUSE)
			fail(&v, xcode, xenh, xtext);
		if (x != FAKE_PARAM_DEFAULT)
			continue;
		if (keyword_is(s, pm.key, pm.klen, "SIZE")) {
			if (seen_size++ || pm.val == NULL || !digits_ok(pm.val, pm.vlen, 20, &size))
				fail(&v, 501, "5.5.4", "Bad SIZE parameter");
			else if (size > FAKE_SIZE_MAX && !MODE(s, SIZE_NOT_ENFORCED))
				fail(&v, 552, "5.3.4", "Message size exceeds fixed maximum message size");
		} else if (keyword_is(s, pm.key, pm.klen, "BODY")) {
			if (seen_body++ || pm.val == NULL)
				fail(&v, 501, "5.5.4", "Bad BODY parameter");
			else if (eq_nocase(pm.val, pm.vlen, "8BITMIME") && MODE(s, BODY_8BITMIME_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported BODY parameter");
			else if (eq_nocase(pm.val, pm.vlen, "BINARYMIME") && binary_offered(s))
				seen_binary = 1;
			else if (eq_nocase(pm.val, pm.vlen, "BINARYMIME"))
				fail(&v, 555, "5.5.4", "BODY=BINARYMIME is not supported");
			else if (!eq_nocase(pm.val, pm.vlen, "7BIT") && !eq_nocase(pm.val, pm.vlen, "8BITMIME"))
				fail(&v, 501, "5.5.4", "Bad BODY parameter");
		} else if (keyword_is(s, pm.key, pm.klen, "SMTPUTF8")) {
			if (MODE(s, SMTPUTF8_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported parameter");
			else if (seen_utf8++ || pm.val != NULL)
				fail(&v, 501, "5.5.4", "Bad SMTPUTF8 parameter");
		} else if (keyword_is(s, pm.key, pm.klen, "RET")) {
			if (MODE(s, DSN_PARAMS_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported parameter");
			else if (seen_ret++ || pm.val == NULL ||
				 !(eq_nocase(pm.val, pm.vlen, "FULL") || eq_nocase(pm.val, pm.vlen, "HDRS")))
				fail(&v, 501, "5.5.4", "Bad RET parameter");
		} else if (keyword_is(s, pm.key, pm.klen, "ENVID")) {
			if (MODE(s, DSN_PARAMS_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported parameter");
			else if (seen_envid++ || pm.val == NULL || !xtext_ok(pm.val, pm.vlen))
				fail(&v, 501, "5.5.4", "Bad ENVID parameter");
		} else if (keyword_is(s, pm.key, pm.klen, "AUTH") && fake_auth_offered(s)) {
			int code = fake_auth_mail_param(s, pm.val, pm.vlen);

			if (code != 0)
				fail(&v, code, "5.5.4", code == 555 ? "Unsupported parameter" : "Bad AUTH parameter");
		} else if (!MODE(s, NO_555)) {
			fail(&v, 555, "5.5.4", "Unsupported parameter");
		}
	}
	if (r < 0)
		fail(&v, 501, "5.5.4", "Bad parameter syntax");
	if (v.code != 0) {
		reply(s, v.code, v.enh, "%s", v.text);
		return;
	}
	if (has_8bit(path, path_len) && !seen_utf8 && !MODE(s, UTF8_WITHOUT_SMTPUTF8)) {
		/* RFC 6531 §3.5: an ASCII address is required without SMTPUTF8 */
		reply(s, 550, "5.6.7", "Non-ASCII address requires SMTPUTF8");
		return;
	}
	if (a.null && MODE(s, REJECT_NULL_SENDER)) {
		reply(s, 550, "5.7.1", "Null sender not accepted");
		return;
	}
	if (a.local_len > FAKE_LOCAL_FEW && MODE(s, LOCAL_PART_LIMIT_32)) {
		reply(s, 553, "5.1.7", "Local part too long");
		return;
	}
	if (MODE(s, REJECT_ALL_SENDERS)) {
		reply(s, 550, "5.7.1", "Sender address rejected");
		return;
	}
	if (s->ehlo_mismatch && MODE(s, EHLO_MISMATCH_REFUSED)) {
		reply(s, 550, "5.7.1", "Client host name does not match its address");
		return;
	}
	s->mail = 1;
	s->smtputf8 = seen_utf8;
	s->binarymime = seen_binary;
	s->declared = seen_size ? size : 0;
	reply(s, 250, MODE(s, MAIL_ENHANCED_DESTINATION) ? "2.1.5" : "2.1.0", "Ok");
}

/* local_domain - a domain this server delivers to. */
static int local_domain(const addr_t *a)
{
	return a->domain == NULL || eq_nocase(a->domain, a->domain_len, FAKE_DOMAIN) ||
	       eq_nocase(a->domain, a->domain_len, "localhost") ||
	       eq_nocase(a->domain, a->domain_len, "[127.0.0.1]") ||
	       eq_nocase(a->domain, a->domain_len, "[IPv6:::1]");
}

/* local_is - the local part names the mailbox name. */
static int local_is(const fake_smtp_t *s, const addr_t *a, const char *name)
{
	if (MODE(s, QUOTED_NOT_EQUIVALENT))
		return eq_nocase(a->raw, a->raw_len, name);
	if (a->local_len > FAKE_LOCAL_KEEP)
		return 0;
	if (MODE(s, POSTMASTER_CASE_SENSITIVE) && strcmp(name, "postmaster") == 0)
		return a->local_len == strlen(name) && memcmp(a->local, name, a->local_len) == 0;
	return eq_nocase(a->local, a->local_len, name);
}

/* rcpt_refuse - a refused RCPT: the transaction stays as it was (RFC 5321
 * §4.1.1.3), but in mode rcpt-refusal-ends-transaction. */
static void rcpt_refuse(fake_smtp_t *s, int code, const char *enh, const char *text)
{
	reply(s, code, enh, "%s", text);
	if (MODE(s, RCPT_REFUSAL_ENDS_TRANSACTION))
		txn_clear(s);
}

/* rcpt_accept - an accepted RCPT for path[0..n) (NULL: a bad one that mode
 * rcpt-syntax-accepted lets through). */
static void rcpt_accept(fake_smtp_t *s, const char *path, size_t n)
{
	if (path != NULL && MODE(s, DUPLICATE_RCPT_REJECTED)) {
		if (n == s->last_rcpt_len && memcmp(path, s->last_rcpt, n) == 0) {
			rcpt_refuse(s, 550, "5.1.1", "Duplicate recipient");
			return;
		}
		s->last_rcpt_len = n < sizeof(s->last_rcpt) ? n : sizeof(s->last_rcpt);
		memcpy(s->last_rcpt, path, s->last_rcpt_len);
	}
	if (!MODE(s, RCPT_NOT_STORED))
		s->nrcpt++;
	reply(s, 250, "2.1.5", "Ok");
}

/* rcpt_cmd - RCPT TO:<path> [params] (RFC 5321 §4.1.1.3, §4.5.1; NOTIFY,
 * ORCPT). */
static void rcpt_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	cur_t c = { arg, arg + n };
	const char *path;
	size_t path_len;
	verdict_t v = { 0, NULL, NULL };
	int seen_notify = 0, seen_orcpt = 0, r;
	unsigned limit = MODE(s, FEW_RECIPIENTS) ? FAKE_RCPT_FEW : FAKE_RCPT_MAX;
	param_t pm;
	addr_t a;

	if (!s->mail) {
		bad_sequence(s, "Error: need MAIL command");
		return;
	}
	s->rcpt_tried = 1;
	if (!skip_keyword(s, &c, "TO:")) {
		if (MODE(s, RCPT_SYNTAX_ACCEPTED))
			rcpt_accept(s, NULL, 0);
		else
			rcpt_refuse(s, 501, "5.5.4", "Syntax: RCPT TO:<address>");
		return;
	}
	skip_spaces(&c);
	path = c.p;
	if ((size_t)(c.end - c.p) >= 12 && eq_nocase(c.p, 12, "<Postmaster>")) {
		/* the special case "<Postmaster>" without a domain */
		memset(&a, 0, sizeof(a));
		memcpy(a.local, c.p + 1, 10);
		a.local_len = 10;
		a.raw = c.p + 1;
		a.raw_len = 10;
		c.p += 12;
	} else if (parse_path(&c, &a, 0) != 0 || !valid_utf8(path, (size_t)(c.p - path)) ||
		   (a.route && MODE(s, SOURCE_ROUTE_REJECTED))) {
		if (MODE(s, RCPT_SYNTAX_ACCEPTED))
			rcpt_accept(s, NULL, 0);
		else
			rcpt_refuse(s, 501, "5.1.3", "Bad recipient address syntax");
		return;
	}
	path_len = (size_t)(c.p - path);
	while ((r = next_param(&c, &pm)) > 0) {
		int xcode;
		const char *xenh, *xtext;
		fake_param_t x = fake_ext_param(s, 1, pm.key, pm.klen, pm.val, pm.vlen, &xcode, &xenh, &xtext);

		if (x == FAKE_PARAM_REFUSE)
			fail(&v, xcode, xenh, xtext);
		if (x != FAKE_PARAM_DEFAULT)
			continue;
		if (keyword_is(s, pm.key, pm.klen, "NOTIFY")) {
			if (MODE(s, DSN_PARAMS_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported parameter");
			else if (seen_notify++ || pm.val == NULL || !notify_ok(pm.val, pm.vlen))
				fail(&v, 501, "5.5.4", "Bad NOTIFY parameter");
		} else if (keyword_is(s, pm.key, pm.klen, "ORCPT")) {
			if (MODE(s, DSN_PARAMS_REJECTED))
				fail(&v, 555, "5.5.4", "Unsupported parameter");
			else if (seen_orcpt++ || pm.val == NULL || !orcpt_ok(pm.val, pm.vlen))
				fail(&v, 501, "5.5.4", "Bad ORCPT parameter");
		} else if (!MODE(s, NO_555)) {
			fail(&v, 555, "5.5.4", "Unsupported parameter");
		}
	}
	if (r < 0)
		fail(&v, 501, "5.5.4", "Bad parameter syntax");
	if (v.code == 0 && has_8bit(path, path_len) && !s->smtputf8 && !MODE(s, UTF8_WITHOUT_SMTPUTF8))
		fail(&v, 553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
	if (v.code == 0 && a.local_len > FAKE_LOCAL_FEW && MODE(s, LOCAL_PART_LIMIT_32))
		fail(&v, 553, "5.1.3", "Local part too long");
	if (v.code == 0 && s->nrcpt >= limit) {
		/* RFC 5321 §4.5.3.1.10: the implementation limit is 452 */
		if (MODE(s, RCPT_LIMIT_552))
			fail(&v, 552, "5.5.3", "Error: too many recipients");
		else
			fail(&v, 452, "4.5.3", "Error: too many recipients");
	}
	if (v.code == 0 && MODE(s, GREETING_HOST_NOT_MAIL_DOMAIN)) {
		/* only postmaster of the mail domain (or bare) is a mailbox */
		if (!local_is(s, &a, "postmaster") ||
		    (a.domain != NULL && !eq_nocase(a.domain, a.domain_len, FAKE_MAIL_DOMAIN)))
			fail(&v, 550, "5.1.1", "Recipient address rejected: user unknown");
		if (v.code != 0)
			rcpt_refuse(s, v.code, v.enh, v.text);
		else
			rcpt_accept(s, path, path_len);
		return;
	}
	if (v.code == 0 && !local_domain(&a) && !MODE(s, RELAY_OPEN)) {
		if (MODE(s, RELAY_DENIED_554))
			fail(&v, 554, "5.7.1", "Relay access denied");
		else
			fail(&v, 550, "5.7.1", "Relay access denied");
	}
	if (v.code == 0 && local_domain(&a) && !MODE(s, RCPT_UNKNOWN_ACCEPTED) && !MODE(s, CATCH_ALL)) {
		if (local_is(s, &a, "postmaster")) {
			if (MODE(s, REJECT_POSTMASTER) ||
			    (a.domain == NULL && MODE(s, POSTMASTER_NEEDS_DOMAIN)))
				fail(&v, 550, "5.1.1", "Recipient address rejected");
		} else if (!local_is(s, &a, "smtpspec")) {
			if (MODE(s, RCPT_UNKNOWN_450))
				fail(&v, 450, "4.1.1", "Recipient address rejected: try again later");
			else
				fail(&v, 550, "5.1.1", "User unknown in local recipient table");
		}
	}
	if (v.code != 0 && MODE(s, UTF8_REPLY_ECHO)) {
		/* the refused address repeated, as it came (UTF-8 included) */
		char echo[FAKE_CMD_LINE_MAX];
		int shown = (int)(path_len < FAKE_ECHO_MAX ? path_len : FAKE_ECHO_MAX);

		snprintf(echo, sizeof(echo), "%.*s: %s", shown, path, v.text);
		rcpt_refuse(s, v.code, v.enh, echo);
	} else if (v.code != 0)
		rcpt_refuse(s, v.code, v.enh, v.text);
	else
		rcpt_accept(s, path, path_len);
}

/* no_argument - for DATA, RSET, QUIT: 501 with an argument (RFC 5321
 * §4.3.2); 1 when the command may go on. */
static int no_argument(fake_smtp_t *s, size_t n, const char *syntax)
{
	if (n == 0 || MODE(s, ARGS_ACCEPTED))
		return 1;
	reply(s, 501, "5.5.4", "Syntax: %s", syntax);
	return 0;
}

/* data_cmd - DATA (RFC 5321 §4.1.1.4): 354, then the mail data. */
static void data_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	if (!no_argument(s, n, "DATA"))
		return;
	if (MODE(s, CHUNKING_NO_DATA)) {
		reply(s, 502, "5.5.1", "Error: use BDAT");
		return;
	}
	if (!s->mail) {
		bad_sequence(s, "Error: need MAIL command");
		return;
	}
	if (s->binarymime && !MODE(s, BINARYMIME_DATA_ACCEPTED)) {
		/* RFC 3030 §3: BINARYMIME cannot be used with DATA */
		bad_sequence(s, "Error: BODY=BINARYMIME needs BDAT");
		return;
	}
	if (s->bdat && !MODE(s, BDAT_DATA_MIXED)) {
		/* RFC 3030 §2: DATA after BDAT in one transaction */
		bad_sequence(s, "Error: DATA after BDAT");
		return;
	}
	if (s->nrcpt == 0 && !(s->rcpt_tried && MODE(s, DATA_ACCEPTS_REJECTED_RCPT))) {
		if (s->rcpt_tried)
			reply(s, 554, "5.5.1", "Error: no valid recipients");
		else
			bad_sequence(s, "Error: need RCPT command");
		return;
	}
	if (MODE(s, DATA_REPLY_250))
		reply(s, 250, "2.0.0", "End data with <CR><LF>.<CR><LF>");
	else
		reply(s, 354, NULL, "End data with <CR><LF>.<CR><LF>");
	s->state = S_DATA;
	/* the CRLF of the DATA line may be the first of CRLF . CRLF */
	s->hist = MODE(s, EMPTY_DATA_NOT_ENDED) ? 0 : 0x0d0a;
	s->msg_size = 0;
	s->text_line = 0;
	s->long_text_line = s->has_ctrl = s->blind = s->dot_line = s->has_8bit = 0;
	s->cte_len = 0;
	s->binary_cte = 0;
	s->data_fresh = 1;
	s->loose_bol = 1;
	s->loose_dot = s->bare_seen = 0;
	s->in_header = 1;
	s->field_len = 0;
	s->field_named = s->field_semi = 0;
	s->received = s->subjects = 0;
	s->has_from = s->has_resent = s->bad_received = 0;
}

/* message_done - the end of the mail data or of BDAT LAST. */
static void message_done(fake_smtp_t *s, uint64_t size)
{
	if (size > FAKE_SIZE_MAX && !MODE(s, DATA_SIZE_NOT_ENFORCED)) {
		reply(s, 552, "5.3.4", "Message size exceeds fixed maximum message size");
	} else if (s->declared > FAKE_SIZE_LOWER && MODE(s, SIZE_REFUSED_AFTER_DATA)) {
		reply(s, 552, "5.3.4", "Message size exceeds fixed maximum message size");
	} else if (s->nrcpt > FAKE_RCPT_FEW && MODE(s, BIG_TRANSACTION_FAILS)) {
		reply(s, 452, "4.5.3", "Error: too many recipients");
	} else if (MODE(s, REJECT_ALL_MESSAGES)) {
		reply(s, 554, "5.7.1", "Message rejected");
	} else {
		s->messages++;
		reply(s, 250, "2.0.0", "Ok: queued as FAKE%lu", s->messages);
	}
	if (!MODE(s, DATA_KEEPS_TRANSACTION))
		txn_clear(s);
}

/* field_end - a header field is complete: note what the header modes
 * look at (nothing of the message is kept). */
static void field_end(fake_smtp_t *s)
{
	if (s->field_named) {
		if (eq_nocase(s->field, s->field_len, "received")) {
			s->received++;
			if (!s->field_semi)
				s->bad_received = 1;
		} else if (eq_nocase(s->field, s->field_len, "subject")) {
			s->subjects++;
		} else if (eq_nocase(s->field, s->field_len, "from")) {
			s->has_from = 1;
		}
		if (s->field_len >= 7 && eq_nocase(s->field, 7, "resent-"))
			s->has_resent = 1;
	}
	s->field_len = 0;
	s->field_named = s->field_semi = 0;
}

/* header_octet - one octet of the message header (RFC 5322 §2.2). */
static void header_octet(fake_smtp_t *s, unsigned char ch, int bol)
{
	if (bol) {
		if (ch == ' ' || ch == '\t')
			return;       /* a folded continuation of the same field */
		field_end(s);
		if (ch == '\r') {
			s->in_header = 0;  /* the empty line: the body follows */
			return;
		}
	}
	if (ch == ';')
		s->field_semi = 1;
	if (s->field_named || ch == '\r' || ch == '\n')
		return;
	if (ch == ':')
		s->field_named = 1;
	else if (s->field_len < sizeof(s->field))
		s->field[s->field_len++] = (char)ch;
}

/* content_refused - the header and content modes: a 554 for the message
 * just ended, or 0 when it is acceptable. */
static int content_refused(fake_smtp_t *s)
{
	const char *why = NULL;

	if (s->in_header)
		field_end(s);
	if (s->bare_seen && MODE(s, REFUSE_BARE_LF_451)) {
		/* RFC 5321 §2.3.8: a bare CR or LF is not a line end */
		reply(s, 451, "4.5.2", "Error: bare CR or LF in the message; send CRLF line ends");
		if (!MODE(s, DATA_KEEPS_TRANSACTION))
			txn_clear(s);
		return 1;
	}
	if (s->long_text_line && MODE(s, SHORT_TEXT_LINES))
		why = "Error: text line too long";
	else if (s->has_ctrl && MODE(s, CONTROL_CHARS_REJECTED))
		why = "Error: control characters in the message";
	else if (s->received > FAKE_RECEIVED_FEW && MODE(s, RECEIVED_LIMIT_50))
		why = "Error: too many Received fields";
	else if (s->bad_received && MODE(s, REJECT_MALFORMED_RECEIVED))
		why = "Error: malformed Received field";
	else if ((s->subjects > 1 || !s->has_from) && MODE(s, REJECT_HEADER_DEFECTS))
		why = "Error: message header defects";
	else if (s->has_resent && MODE(s, REJECT_RESENT_FIELDS))
		why = "Error: Resent- fields not accepted";
	else if (s->binary_cte && MODE(s, REJECT_BINARY_CTE))
		why = "Error: binary content needs BODY=BINARYMIME";
	else if (s->has_8bit && MODE(s, EIGHT_BIT_DATA_REJECTED))
		why = "Error: 8-bit message content not accepted";
	if (why == NULL)
		return 0;
	reply(s, 554, "5.6.0", "%s", why);
	if (!MODE(s, DATA_KEEPS_TRANSACTION))
		txn_clear(s);
	return 1;
}

/* data_ends - the last octets end the mail data (RFC 5321 §4.1.1.4). */
static int data_ends(const fake_smtp_t *s)
{
	uint64_t h = s->hist;

	if (s->blind)
		return 0;
	if ((h & 0xffffffffffULL) == 0x0d0a2e0d0aULL)            /* CRLF . CRLF */
		return 1;
	if (MODE(s, BARE_LF_ENDS_DATA) && (h & 0xffffff) == 0x0a2e0a)
		return 1;
	if (MODE(s, BARE_CR_ENDS_DATA) && (h & 0xffffff) == 0x0d2e0d)
		return 1;
	if (MODE(s, LF_CRLF_ENDS_DATA) && (h & 0xffffffff) == 0x0a2e0d0a)
		return 1;
	if (MODE(s, DOT_CRLF_ENDS_DATA) && (h & 0xffffff) == 0x2e0d0a)
		return 1;
	if (MODE(s, DOT_LINE_ENDS_DATA) && s->dot_line && (h & 0xffff) == 0x0d0a)
		return 1;
	return 0;
}

/* loose_modes - the data ends at a line of a single period, whatever ends
 * the lines (data-ends-early-discards, smuggling-exploitable). */
static int loose_modes(const fake_smtp_t *s)
{
	return MODE(s, DATA_ENDS_EARLY_DISCARDS) || MODE(s, SMUGGLING_EXPLOITABLE);
}

/* loose_end - in the loose modes, the CR or LF at in[pos] ends a line that
 * held only a period (NULs ignored): the mail data ends, a CRLF is taken
 * whole.  0 when a CR is the last octet received (wait for the next). */
static int loose_end(fake_smtp_t *s)
{
	int real = (s->hist & 0xffffff) == 0x0d0a2e;   /* CRLF "." so far */
	size_t take = 1;

	if (s->in[s->pos] == '\r') {
		if (s->pos + 1 == s->inlen)
			return 0;
		if (s->in[s->pos + 1] == '\n')
			take = 2;
	}
	real = real && take == 2;
	s->pos += take;
	s->state = S_COMMAND;
	if (!content_refused(s))
		message_done(s, s->msg_size > 1 ? s->msg_size - 1 : 0);
	/* a fake end: the rest is discarded, or executed as commands */
	if (!real && MODE(s, DATA_ENDS_EARLY_DISCARDS))
		s->discarding = 1;
	return 1;
}

/* data_input - mail data: count it (a leading dot of a line is removed,
 * RFC 5321 §4.5.2), look for its end; nothing is stored. */
static void data_input(fake_smtp_t *s)
{
	if (MODE(s, END_OF_DATA_PER_READ) && !s->data_fresh)
		s->hist = 0;          /* the octets of earlier reads are forgotten */
	s->data_fresh = 0;
	while (s->pos < s->inlen) {
		unsigned char ch = (unsigned char)s->in[s->pos];
		int bol = (s->hist & 0xffff) == 0x0d0a;

		if ((ch == '\r' || ch == '\n') && s->loose_dot && loose_modes(s)) {
			if (loose_end(s))
				return;
			break;                /* a CR: wait for the octet after it */
		}
		s->pos++;
		if ((ch == '\n' && (s->hist & 0xff) != '\r') ||
		    ((s->hist & 0xff) == '\r' && ch != '\n')) {
			/* a bare LF, or a bare CR before this octet */
			s->bare_seen = 1;
			if (MODE(s, REFUSE_BARE_LF_421)) {
				fake_smtp_goodbye(s, "4.5.2", "Error: bare CR or LF received, closing");
				return;
			}
		}
		if (ch != 0) {
			s->loose_dot = s->loose_bol && ch == '.';
			s->loose_bol = ch == '\r' || ch == '\n';
		}
		int stuffing = ch == '.' && bol && !MODE(s, NO_DOT_UNSTUFF);

		if (bol)
			s->dot_line = ch == '.';
		if (s->in_header) {
			header_octet(s, ch, bol);
			fake_ext_header_octet(s, ch, bol);
		}
		if ((ch < 32 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 127)
			s->has_ctrl = 1;
		if (ch > 127)
			s->has_8bit = 1;
		s->hist = (s->hist << 8) | ch;
		if (!stuffing)
			s->msg_size++;
		if (ch == '\n' && (s->hist & 0xff00) == 0x0d00) {
			/* text_line counted the CR: with CRLF the line is one more */
			if (s->text_line + 1 > FAKE_SHORT_TEXT_LINE)
				s->long_text_line = 1;
			if (s->text_line + 1 > FAKE_TEXT_LINE_MAX && MODE(s, LONG_TEXT_LINE_HANGS))
				s->blind = 1;
			s->text_line = 0;
		} else if (!stuffing) {
			s->text_line++;
		}
		if (MODE(s, DATA_RSET_LINE_ABORTS) && s->hist == 0x0d0a525345540d0aULL) {
			/* "RSET" CRLF taken as the command */
			s->state = S_COMMAND;
			txn_clear(s);
			reply(s, 250, "2.0.0", "Ok");
			return;
		}
		if (MODE(s, CRLF_DOT_CR_ENDS_DATA) && ((s->hist >> 8) & 0xffffffff) == 0x0d0a2e0d &&
		    ch != '\n') {
			/* CRLF . CR ended it; this octet starts the next command */
			s->pos--;
			s->state = S_COMMAND;
			if (!content_refused(s))
				message_done(s, s->msg_size > 3 ? s->msg_size - 3 : 0);
			return;
		}
		if (fake_ext_data_over(s)) {
			/* mode size-ends-data: as many octets as declared */
			s->state = S_COMMAND;
			message_done(s, s->msg_size);
			return;
		}
		if (data_ends(s)) {
			/* the final CRLF (and an unremoved dot) are not message */
			unsigned trailer = MODE(s, NO_DOT_UNSTUFF) ? 3 : 2;
			s->state = S_COMMAND;
			if (!content_refused(s))
				message_done(s, s->msg_size > trailer ? s->msg_size - trailer : 0);
			return;
		}
	}
}

/* bdat_done - the chunk was read: the reply (RFC 3030 §2). */
static void bdat_done(fake_smtp_t *s)
{
	s->state = S_COMMAND;
	if (!s->mail) {
		bad_sequence(s, "Error: need MAIL command");
		return;
	}
	if (s->bdat_failed) {
		reply(s, 503, "5.5.1", "Error: transaction failed, send RSET");
		return;
	}
	if (s->nrcpt == 0) {
		s->bdat_failed = 1;
		if (s->rcpt_tried)
			reply(s, 554, "5.5.1", "Error: no valid recipients");
		else
			bad_sequence(s, "Error: need RCPT command");
		return;
	}
	if (s->msg_size > FAKE_SIZE_MAX && !MODE(s, DATA_SIZE_NOT_ENFORCED)) {
		s->bdat_failed = 1;
		reply(s, 552, "5.3.4", "Message size exceeds fixed maximum message size");
		return;
	}
	if (!s->bdat_last) {
		reply(s, 250, "2.0.0", "Ok: %llu octets", (unsigned long long)s->msg_size);
		return;
	}
	message_done(s, s->msg_size);
}

/* bdat_input - the octets of a BDAT chunk: counted, not stored. */
static void bdat_input(fake_smtp_t *s)
{
	size_t avail = s->inlen - s->pos;
	size_t take = s->bdat_left < avail ? (size_t)s->bdat_left : avail;
	int ended;

	take = fake_ext_bdat_take(s, s->in + s->pos, take, &ended);
	s->pos += take;
	s->bdat_left = ended ? 0 : s->bdat_left - take;
	if (ended)
		s->bdat_last = 1;
	if (s->mail)
		s->msg_size += take;
	if (s->bdat_left == 0)
		bdat_done(s);
}

/* bdat_cmd - BDAT chunk-size [LAST] (RFC 3030 §2): read the chunk first. */
static void bdat_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	const char *sp = memchr(arg, ' ', n);
	size_t k = sp ? (size_t)(sp - arg) : n;
	uint64_t size = 0;
	int size_ok = digits_ok(arg, k, 18, &size), xcode;
	const char *xenh, *xtext;

	if (fake_ext_bdat(s, &size, &size_ok, &xcode, &xenh, &xtext)) {
		reply(s, xcode, xenh, "%s", xtext);
		return;
	}
	if (!size_ok || (sp && !eq_nocase(sp + 1, n - k - 1, "LAST"))) {
		reply(s, 501, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
		return;
	}
	s->hist = 0x0d0a;                     /* mode bdat-ends-at-dot */
	if (s->mail)
		s->bdat = 1;
	s->bdat_last = sp != NULL;
	s->bdat_left = size + (MODE(s, BDAT_EATS_CRLF) ? 2 : 0);
	s->state = S_BDAT;
	if (s->bdat_left == 0)
		bdat_done(s);
}

/* rset_cmd - RSET (RFC 5321 §4.1.1.5): clear the transaction, 250. */
static void rset_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	static unsigned long rsets; /* flaky-rset: RSETs of this server process, all sessions */

	(void)arg;
	if (!no_argument(s, n, "RSET"))
		return;
	if (!MODE(s, RSET_KEEPS_RCPT) && !(MODE(s, FLAKY_RSET) && rsets++ % 2 == 1))
		txn_clear(s);
	if (MODE(s, RSET_FORGETS_EHLO))
		s->hello = 0;
	reply(s, 250, "2.0.0", "Ok");
	if (MODE(s, RSET_CLOSES))
		s->end = FAKE_END_CLOSE;
}

/* noop_cmd - NOOP [string] (RFC 5321 §4.1.1.9): 250, the argument ignored. */
static void noop_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	if (n > 0 && MODE(s, NOOP_ARGUMENT_REJECTED)) {
		reply(s, 501, "5.5.4", "Syntax: NOOP");
		return;
	}
	if (MODE(s, NOOP_RESETS_TRANSACTION))
		txn_clear(s);
	reply(s, MODE(s, NOOP_WRONG_CODE) ? 200 : MODE(s, NOOP_CODE_OUT_OF_RANGE) ? 260 : 250, "2.0.0", "Ok");
}

/* quit_cmd - QUIT (RFC 5321 §4.1.1.10): 221, then close. */
static void quit_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	if (!no_argument(s, n, "QUIT"))
		return;
	if (MODE(s, QUIT_NO_221))
		reply(s, 250, "2.0.0", "Bye");
	else
		reply(s, 221, "2.0.0", "%s Service closing transmission channel", FAKE_DOMAIN);
	if (MODE(s, NO_CLOSE_AFTER_QUIT))
		s->end = FAKE_END_HANG;
	else if (MODE(s, ANSWER_AFTER_QUIT))
		s->quit_seen = 1;
	else
		s->end = FAKE_END_CLOSE;
}

/* vrfy_mailbox - the VRFY or EXPN argument (a String, a Mailbox or a Path,
 * optionally followed by SMTPUTF8: RFC 5321 §4.1.1.6, RFC 6531 §3.1 (6))
 * as "<local-part@domain>" in out, a bare String taken as a local part of
 * this server (§3.5.2); the address in *a.  0, or -1 on bad syntax. */
static int vrfy_mailbox(const char *arg, size_t n, char *out, size_t size, addr_t *a)
{
	cur_t c = { arg, arg + n };
	int utf8 = 0;

	memset(a, 0, sizeof(*a));
	if (n > 9 && eq_nocase(arg + n - 9, 9, " SMTPUTF8")) {
		utf8 = 1;
		c.end -= 9;
	}
	if (has_8bit(c.p, (size_t)(c.end - c.p)) && (!utf8 || !valid_utf8(c.p, (size_t)(c.end - c.p))))
		return -1;
	if (c.p < c.end && *c.p == '<') {
		/* the mailbox of the path, without its source route */
		if (parse_path(&c, a, 0) != 0 || c.p != c.end)
			return -1;
		snprintf(out, size, "<%.*s>", (int)(c.p - 1 - a->raw), a->raw);
	} else if (parse_local(&c, a) == 0 && c.p == c.end) {
		snprintf(out, size, "<%.*s@%s>", (int)a->raw_len, a->raw, FAKE_DOMAIN);
	} else {
		c.p = arg;
		if (parse_mailbox(&c, a) != 0 || c.p != c.end)
			return -1;
		snprintf(out, size, "<%.*s>", (int)(c.end - arg), arg);
	}
	if (strlen(out) > FAKE_VRFY_ECHO_MAX)
		snprintf(out, size, "<address too long to repeat>");
	return 0;
}

/* known_mailbox - the address is a mailbox of this server. */
static int known_mailbox(const fake_smtp_t *s, const addr_t *a)
{
	return local_domain(a) &&
	       (MODE(s, CATCH_ALL) || local_is(s, a, "smtpspec") || local_is(s, a, "postmaster"));
}

/* vrfy_cmd - VRFY (RFC 5321 §3.5): a mailbox of this server is verified
 * (250 naming it, §3.5.1), an unknown local one refused (550), a remote
 * one cannot be verified (252, §3.5.3). */
static void vrfy_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	char box[FAKE_CMD_LINE_MAX];
	addr_t a;

	if (MODE(s, NO_VRFY_502)) {
		reply(s, 502, "5.5.1", "VRFY command is disabled");
		return;
	}
	if (MODE(s, NO_VRFY_500)) {
		reply(s, 500, "5.5.2", "Error: command not recognized");
		return;
	}
	if (n == 0 && MODE(s, VRFY_NO_ARGUMENT_252)) {
		reply(s, 252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery");
		return;
	}
	if (n == 0 && MODE(s, NO_ARGUMENT_250)) {
		reply(s, 250, "2.0.0", "Ok");
		return;
	}
	if (MODE(s, VRFY_SMTPUTF8_REJECTED) && n > 9 && eq_nocase(arg + n - 9, 9, " SMTPUTF8")) {
		reply(s, 501, "5.5.4", "Syntax: VRFY address");
		return;
	}
	if (n > 0 && has_8bit(arg, n) && !(n > 9 && eq_nocase(arg + n - 9, 9, " SMTPUTF8"))) {
		/* RFC 6531 §3.7.4.2: the reply would need UTF-8 the client did
		 * not allow: 252 or 550 */
		if (MODE(s, UTF8_REPLY_ECHO))
			reply(s, 501, "5.5.4", "%.*s: syntax error", (int)n, arg);
		else
			reply(s, 550, "5.6.8", "UTF-8 mailbox requires the SMTPUTF8 parameter");
		return;
	}
	if (n == 0 || vrfy_mailbox(arg, n, box, sizeof(box), &a) != 0) {
		reply(s, 501, "5.5.4", "Syntax: VRFY address");
		return;
	}
	if (MODE(s, VRFY_WRONG_CODE)) {
		reply(s, 200, "2.1.5", "%s", box);
	} else if (MODE(s, VRFY_252_ONLY) || (!local_domain(&a) && !MODE(s, VRFY_250))) {
		reply(s, 252, "2.1.5", "%s Cannot VRFY user, but will accept message and attempt delivery", box);
	} else if (!known_mailbox(s, &a) && !MODE(s, VRFY_250)) {
		reply(s, 550, "5.1.1", "%s User unknown", box);
	} else if (MODE(s, VRFY_NO_MAILBOX)) {
		reply(s, 250, "2.1.5", "Ok");
	} else if (MODE(s, VRFY_UNUSABLE_ADDRESS)) {
		reply(s, 250, "2.1.5", "<%.*s@%s.invalid>", (int)a.raw_len, a.raw, FAKE_DOMAIN);
	} else {
		reply(s, 250, "2.1.5", "%s", box);
	}
}

/* expn_cmd - EXPN (RFC 5321 §3.5): a mailbox of this server is a list of
 * itself (250), an unknown local one is refused (550), a remote one cannot
 * be expanded (252). */
static void expn_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	char box[FAKE_CMD_LINE_MAX];
	addr_t a;

	if (MODE(s, EXPN_NOT_IMPLEMENTED)) {
		reply(s, 502, "5.5.1", "EXPN command not implemented");
		return;
	}
	if (n == 0 && MODE(s, NO_ARGUMENT_250)) {
		reply(s, 250, "2.0.0", "Ok");
		return;
	}
	if (n == 0 || vrfy_mailbox(arg, n, box, sizeof(box), &a) != 0) {
		reply(s, 501, "5.5.4", "Syntax: EXPN address");
		return;
	}
	if (MODE(s, EXPN_WRONG_CODE))
		reply(s, 200, "2.1.5", "%s", box);
	else if (!local_domain(&a))
		reply(s, 252, "2.1.5", "%s Cannot EXPN a remote address", box);
	else if (!known_mailbox(s, &a))
		reply(s, 550, "5.1.1", "%s User unknown", box);
	else
		reply(s, 250, "2.1.5", "%s", box);
}

/* send_cmd - SEND, SOML, SAML (RFC 5321 F.6): obsolete, 502; in mode
 * send-implemented they begin a transaction like MAIL (the RFC 821 model,
 * with no terminal to write to). */
static void send_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	if (MODE(s, SEND_IMPLEMENTED))
		mail_cmd(s, arg, n);
	else
		reply(s, 502, "5.5.1", "Error: command not implemented");
}

/* help_cmd - HELP [string] (RFC 5321 §4.1.1.8): 214.  HELP is listed in the
 * EHLO reply: §4.1.1.1 asks for every implemented command that §4.5.1
 * does not require. */
static void help_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	if (n > 0 && MODE(s, HELP_ARGUMENT_REFUSED)) {
		reply(s, 501, "5.5.4", "Syntax: HELP");
		return;
	}
	if (MODE(s, HELP_NOT_IMPLEMENTED)) {
		reply(s, 502, "5.5.1", "HELP command not implemented");
		return;
	}
	reply(s, MODE(s, HELP_WRONG_CODE) ? 200 : MODE(s, HELP_250) ? 250 : 214, "2.0.0",
	      "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY EXPN HELP");
}

/* turn_cmd - TURN (RFC 5321 F.1): obsolete, refused with 502. */
static void turn_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	(void)n;
	if (MODE(s, TURN_ACCEPTED))
		reply(s, 250, "2.0.0", "Ok");
	else
		reply(s, 502, "5.5.1", "Error: command not implemented");
}

/* unimplemented_cmd - a known command this server does not offer: 502. */
static void unimplemented_cmd(fake_smtp_t *s, const char *arg, size_t n)
{
	(void)arg;
	(void)n;
	reply(s, 502, "5.5.1", "Error: command not implemented");
}

typedef void (*command_fn)(fake_smtp_t *s, const char *arg, size_t n);

/* Command flags: the reply ends a pipelined group (RFC 2920 §3.2 (5));
 * the command works before EHLO (RFC 5321 §4.1.4). */
enum { C_FLUSH = 1, C_ANYTIME = 2 };

static const struct command {
	const char *verb;
	command_fn fn;
	size_t line_max;
	unsigned flags;
} commands[] = {
	{ "EHLO", ehlo_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "HELO", helo_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "MAIL", mail_cmd, FAKE_MAIL_LINE_MAX, 0 },
	{ "RCPT", rcpt_cmd, FAKE_RCPT_LINE_MAX, 0 },
	{ "DATA", data_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "BDAT", bdat_cmd, FAKE_CMD_LINE_MAX, 0 },
	{ "RSET", rset_cmd, FAKE_CMD_LINE_MAX, C_ANYTIME },
	{ "NOOP", noop_cmd, FAKE_CMD_LINE_MAX, C_FLUSH | C_ANYTIME },
	{ "QUIT", quit_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "VRFY", vrfy_cmd, FAKE_CMD_LINE_MAX, C_FLUSH | C_ANYTIME },
	{ "EXPN", expn_cmd, FAKE_CMD_LINE_MAX, C_FLUSH | C_ANYTIME },
	{ "HELP", help_cmd, FAKE_CMD_LINE_MAX, C_FLUSH | C_ANYTIME },
	{ "STARTTLS", fake_starttls_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "AUTH", fake_auth_cmd, FAKE_AUTH_LINE_MAX, C_FLUSH },
	{ "ETRN", unimplemented_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "ATRN", unimplemented_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "TURN", turn_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
	{ "SEND", send_cmd, FAKE_MAIL_LINE_MAX, 0 },
	{ "SOML", send_cmd, FAKE_MAIL_LINE_MAX, 0 },
	{ "SAML", send_cmd, FAKE_MAIL_LINE_MAX, 0 },
	{ "BURL", unimplemented_cmd, FAKE_CMD_LINE_MAX, C_FLUSH },
};

/* find_command - the entry for verb p[0..n), or NULL. */
static const struct command *find_command(const fake_smtp_t *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *verb = commands[i].verb;

		if (MODE(s, VERBS_CASE_SENSITIVE) ? strlen(verb) == n && memcmp(verb, p, n) == 0
						  : eq_nocase(p, n, verb))
			return &commands[i];
	}
	return NULL;
}

/* unknown - an empty line or an unknown verb: 500 (RFC 5321 §4.2.4). */
static void unknown(fake_smtp_t *s, const char *text)
{
	if (MODE(s, ACCEPT_UNKNOWN_COMMANDS))
		reply(s, 250, "2.0.0", "Ok");
	else
		reply(s, 500, "5.5.2", "%s", text);
	if (MODE(s, UNKNOWN_COMMAND_CLOSES))
		s->end = FAKE_END_CLOSE;
	group_end(s);
}

/* command - one complete command line p[0..n) (total with its CRLF). */
static void command(fake_smtp_t *s, const char *p, size_t n, size_t total)
{
	const struct command *cmd;
	size_t vlen = 0, alen, limit;
	const char *arg;
	int trailing = 0;

	/* RFC 5321 §4.1.1: trailing white space (SP, HTAB) is tolerated */
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--, trailing = 1;
	while (vlen < n && p[vlen] != ' ')
		vlen++;
	cmd = find_command(s, p, vlen);
	limit = cmd ? cmd->line_max : FAKE_CMD_LINE_MAX;
	if (MODE(s, LINE_LIMIT_256))
		limit = FAKE_SHORT_LINE_MAX;
	if (total > limit) {
		too_long(s);
		return;
	}
	if (s->discarding && (cmd == NULL || cmd->fn != quit_cmd)) {
		/* data-ends-early-discards: nothing is executed until QUIT */
		if (cmd == NULL)
			reply(s, 500, "5.5.2", "Error: command not recognized");
		else
			reply(s, 503, "5.5.1", "Error: bad sequence of commands");
		group_end(s);
		return;
	}
	if (MODE(s, GREETING_554) && (cmd == NULL || cmd->fn != quit_cmd)) {
		/* RFC 5321 §3.1: after a 554 greeting, 503 until QUIT */
		bad_sequence(s, "Error: no SMTP service here");
		group_end(s);
		return;
	}
	if (n == 0) {
		unknown(s, "Error: bad syntax");
		return;
	}
	if (cmd == NULL) {
		unknown(s, "Error: command not recognized");
		return;
	}
	arg = vlen < n ? p + vlen + 1 : p + n;
	alen = (size_t)(p + n - arg);
	if (trailing && MODE(s, TRAILING_SPACE_REJECTED))
		reply(s, 501, "5.5.2", "Syntax error: white space at the end of the line");
	else if (MODE(s, NOOP_NEEDS_EHLO) && (cmd->flags & C_ANYTIME) && !s->hello)
		reply(s, 503, "5.5.1", "Error: send HELO/EHLO first");
	else
		cmd->fn(s, arg, alen);
	if (cmd->flags & C_FLUSH)
		group_end(s);
	if (MODE(s, PIPELINING_DROPS_INPUT) && s->state == S_COMMAND)
		s->pos = s->inlen;
}

/* line_done - a complete line; hostile and closing modes act first. */
static void line_done(fake_smtp_t *s, const char *p, size_t n, size_t total)
{
	s->commands++;
	if (MODE(s, HOSTILE_EARLY_ANSWER)) {
		/* answered at its first octet; only QUIT still acts */
		s->early_done = 0;
		if (eq_nocase(p, n, "QUIT"))
			s->end = FAKE_END_CLOSE;
		return;
	}
	if (MODE(s, HOSTILE_RESET)) {
		s->end = FAKE_END_RESET;
		return;
	}
	if (MODE(s, HOSTILE_CLOSE_MID_REPLY)) {
		static const char part[] = "250-first line\r\n250-sec";
		reply_begin(s);
		put(s, part, sizeof(part) - 1);
		s->end = FAKE_END_CLOSE;
		return;
	}
	if (s->commands == 2 && MODE(s, CLOSE_BEFORE_QUIT)) {
		s->end = FAKE_END_CLOSE;
		return;
	}
	if (s->commands == 2 && MODE(s, CLOSE_WITH_421)) {
		fake_smtp_goodbye(s, "4.3.2", "Service shutting down, closing transmission channel");
		return;
	}
	if (s->skipping) {
		s->skipping = 0;
		too_long(s);
		return;
	}
	if (s->auth_wait) {
		fake_auth_line(s, p, n);      /* RFC 4954 §4: a response, not a command */
		return;
	}
	command(s, p, n, total);
	if (MODE(s, CLOSES_AFTER_ERRORS) && s->errors >= FAKE_ERRORS_MAX)
		fake_smtp_goodbye(s, "4.7.0", "Too many errors, closing transmission channel");
}

/* find_eol - the offset of the CRLF ending the line in p[0..n) (its length
 * in *tlen), or -1.  A bare LF is data (RFC 5321 §2.3.8). */
static long find_eol(const fake_smtp_t *s, const char *p, size_t n, size_t *tlen)
{
	const char *lf = p;

	while ((lf = memchr(lf, '\n', n - (size_t)(lf - p))) != NULL) {
		if (lf > p && lf[-1] == '\r') {
			*tlen = 2;
			return (long)(lf - p) - 1;
		}
		if (MODE(s, BARE_LF_COMMANDS)) {
			*tlen = 1;
			return (long)(lf - p);
		}
		if (++lf == p + n)
			break;
	}
	return -1;
}

/* bare_in_line - p[0..n) holds, before its first CRLF, a LF without a CR
 * before it or a CR followed by another octet than LF. */
static int bare_in_line(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			return i == 0 || p[i - 1] != '\r';
		if (p[i] == '\r' && i + 1 < n && p[i + 1] != '\n')
			return 1;
	}
	return 0;
}

/* command_input - the next command line, or discard an over-long one. */
static void command_input(fake_smtp_t *s)
{
	const char *p = s->in + s->pos;
	size_t n = s->inlen - s->pos, tlen = 0;
	long eol;

	if (MODE(s, HOSTILE_EARLY_ANSWER) && !s->early_done) {
		reply(s, 250, "2.0.0", "Ok");
		s->early_done = 1;
	}
	if (MODE(s, REFUSE_BARE_LF_421) && bare_in_line(p, n)) {
		fake_smtp_goodbye(s, "4.5.2", "Error: bare CR or LF received, closing");
		return;
	}
	eol = find_eol(s, p, n, &tlen);
	if (MODE(s, LONG_LINE_SPLIT) && (eol < 0 ? n : (size_t)eol + tlen) > FAKE_CMD_LINE_MAX) {
		/* a fixed buffer: its contents are one line, the rest the next */
		s->pos += FAKE_CMD_LINE_MAX;
		line_done(s, p, FAKE_CMD_LINE_MAX, FAKE_CMD_LINE_MAX + 2);
		return;
	}
	if (eol < 0) {
		if (n > FAKE_LINE_BUF_MAX || s->skipping) {
			size_t keep = p[n - 1] == '\r';  /* maybe half of the CRLF */

			if (MODE(s, CRASH_ON_LONG_LINE)) {
				s->end = FAKE_END_RESET;
				return;
			}
			s->skipping = 1;
			s->pos += n - keep;
		}
		return;
	}
	s->pos += (size_t)eol + tlen;
	line_done(s, p, (size_t)eol, (size_t)eol + tlen);
}

/* ---- the interface ------------------------------------------------------ */

void fake_smtp_init(fake_smtp_t *s, const fake_modes_t *modes)
{
	memset(s, 0, sizeof(*s));
	s->modes = modes;
	fake_buf_init(&s->out, FAKE_OUT_MAX);
	fake_buf_init(&s->group, FAKE_GROUP_MAX);
}

void fake_smtp_free(fake_smtp_t *s)
{
	fake_buf_free(&s->out);
	fake_buf_free(&s->group);
}

void fake_smtp_start(fake_smtp_t *s)
{
	static const char hostile[] =
		FAKE_DOMAIN " ESMTP \0NUL\0 \xff\xfe invalid \xc3\x28 UTF-8 \xed\xa0\x80"
		" <script>alert(1)</script> </pre> ]]> <!-- \"double\" 'single' &amp; \x1b[31m";
	static const char eight_bit[] = FAKE_DOMAIN " ESMTP fakesmtpd caf\xe9";
	static const char plain[] = FAKE_DOMAIN " ESMTP fakesmtpd";
	static const char no_domain[] = "Welcome, this is fakesmtpd (ESMTP)";
	static const char mx_host[] = FAKE_MX_HOST " ESMTP fakesmtpd";

	if (MODE(s, NO_GREETING))
		return;
	reply_begin(s);
	if (MODE(s, GREETING_554) || MODE(s, GREETING_554_CLOSES)) {
		reply_line(s, 554, 1, NULL, FAKE_DOMAIN " ESMTP no SMTP service here",
			   strlen(FAKE_DOMAIN " ESMTP no SMTP service here"));
		if (MODE(s, GREETING_554_CLOSES))
			s->end = FAKE_END_CLOSE;
	} else if (MODE(s, HOSTILE_NUL_UTF8)) {
		reply_line(s, 220, 1, NULL, hostile, sizeof(hostile) - 1);
	} else if (MODE(s, GREETING_MULTILINE)) {
		reply_line(s, 220, 0, NULL, plain, sizeof(plain) - 1);
		reply_line(s, 220, 0, NULL, "a multiline greeting", 20);
		reply_line(s, 220, 1, NULL, "ready", 5);
	} else if (MODE(s, GREETING_HOST_NOT_MAIL_DOMAIN)) {
		reply_line(s, 220, 1, NULL, mx_host, sizeof(mx_host) - 1);
	} else if (MODE(s, GREETING_NO_DOMAIN)) {
		reply_line(s, 220, 1, NULL, no_domain, sizeof(no_domain) - 1);
	} else if (MODE(s, EIGHT_BIT_REPLY_TEXT)) {
		reply_line(s, 220, 1, NULL, eight_bit, sizeof(eight_bit) - 1);
	} else {
		reply_line(s, 220, 1, NULL, plain, sizeof(plain) - 1);
	}
	group_end(s);
}

void fake_smtp_process(fake_smtp_t *s)
{
	while (s->pos < s->inlen && s->end == FAKE_END_NONE && s->stream == FAKE_STREAM_NONE &&
	       s->out.len < FAKE_OUT_HIGH) {
		size_t before = s->pos;
		int state = s->state;

		switch (s->state) {
		case S_COMMAND: command_input(s); break;
		case S_DATA: data_input(s); break;
		case S_BDAT: bdat_input(s); break;
		}
		if (s->pos == before && s->state == state)
			break;                /* a partial line: wait for more */
	}
	if (s->quit_seen && s->pos == s->inlen && s->end == FAKE_END_NONE)
		s->end = FAKE_END_CLOSE;
	if (s->end == FAKE_END_HANG || s->end == FAKE_END_CLOSE)
		s->pos = s->inlen;            /* input after the end is ignored */
	if (s->end == FAKE_END_STARTTLS && !MODE(s, STARTTLS_INJECTION))
		s->pos = s->inlen;            /* RFC 3207 §5: nothing pipelined survives */
	group_end(s);                         /* RFC 2920 §3.2 (7) */
	if (s->pos > 0) {
		memmove(s->in, s->in + s->pos, s->inlen - s->pos);
		s->inlen -= s->pos;
		s->pos = 0;
	}
}

void fake_smtp_goodbye(fake_smtp_t *s, const char *enh, const char *text)
{
	if (s->end != FAKE_END_NONE)
		return;
	reply(s, 421, enh, "%s %s", FAKE_DOMAIN, text);
	group_end(s);
	s->end = FAKE_END_CLOSE;
}

void fake_smtp_reply(fake_smtp_t *s, int code, const char *enh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreply(s, code, enh, fmt, ap);
	va_end(ap);
}

void fake_smtp_flush(fake_smtp_t *s)
{
	group_end(s);
}

void fake_smtp_txn_clear(fake_smtp_t *s)
{
	txn_clear(s);
}
