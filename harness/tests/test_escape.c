/*
 * test_escape.c - raw-byte macros (ssp_escape_decode) and display escaping
 * (ssp_escape_display); escape.h, docs/vectors.md "Raw bytes".
 */
#include "tests.h"

#include "../buf.h"
#include "../escape.h"
#include "../limits.h"

#include <stdlib.h>
#include <string.h>

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* decode - decode s (exact-size copy) into out (cap max): the return value. */
static int decode(const char *s, size_t max, ssp_buf_t *out, ssp_escape_err_t *err)
{
	size_t n = strlen(s);
	char *b = tests_dup_end(s, n);
	int rc;

	ssp_buf_init(out, max);
	memset(err, 0, sizeof(*err));
	rc = ssp_escape_decode(b, n, out, err);
	free(b);
	return rc;
}

static void test_decode_ok(void)
{
	static const struct {
		const char *in;
		const char *out;
		size_t outlen;
	} cases[] = {
		{ "plain text", "plain text", 10 },
		{ "", "", 0 },
		{ "%CR%", "\r", 1 },
		{ "%LF%", "\n", 1 },
		{ "%CRLF%", "\r\n", 2 },
		{ "%NUL%", "\0", 1 },
		{ "%SP%", " ", 1 },
		{ "%TAB%", "\t", 1 },
		{ "%DEL%", "\177", 1 },
		{ "MAIL FROM:<>%CR%%LF%", "MAIL FROM:<>\r\n", 14 },
		{ "a%NUL%b", "a\0b", 3 },
		{ "%xC3A9%", "\303\251", 2 },
		{ "%xc3a9%", "\303\251", 2 },
		{ "%x00%%xff%", "\0\377", 2 },
		{ "%x41%BC", "ABC", 3 },
		{ "%%", "%", 1 },
		{ "100%% sure%%", "100% sure%", 10 },
		{ "%%CR%%", "%CR%", 4 },
		{ "%repeat[3 x ab]%", "ababab", 6 },
		{ "%repeat[1 x ab]%", "ab", 2 },
		{ "%repeat[0 x ab]%", "", 0 },
		{ "<%repeat[2 x %CRLF%]%>", "<\r\n\r\n>", 6 },
		{ "%repeat[2 x a%repeat[3 x b]%]%", "abbbabbb", 8 },
		{ "%repeat[2 x %repeat[2 x x]%-]%", "xx-xx-", 6 },
		{ "%repeat[2 x 5%%]%", "5%5%", 4 },
		{ "%repeat[2 x a]%%CR%", "aa\r", 3 },
		{ "%repeat[1 x %repeat[1 x %repeat[1 x %repeat[2 x z]%]%]%]%", "zz", 2 },
		{ "%repeat[3 x ]%", "", 0 },
		{ "%repeat[2 x %%repeat[]%", "%repeat[%repeat[", 16 }, /* "%%" inside a repeat is a literal too */
	};
	ssp_buf_t out;
	ssp_escape_err_t err;
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		int rc = decode(cases[i].in, 1024, &out, &err);
		CHECKF(rc == 0, "\"%s\": error at %zu: %s", cases[i].in, err.offset, err.text);
		CHECKF(out.len == cases[i].outlen, "\"%s\": %zu bytes, expected %zu", cases[i].in,
		       out.len, cases[i].outlen);
		CHECKF(out.len == cases[i].outlen && (out.len == 0 || memcmp(out.data, cases[i].out, out.len) == 0),
		       "\"%s\": wrong bytes", cases[i].in);
		ssp_buf_free(&out);
	}
	/* decode appends to what the buffer holds */
	ssp_buf_init(&out, 100);
	CU_ASSERT_EQUAL(ssp_buf_append_str(&out, "head:"), 0);
	CU_ASSERT_EQUAL(ssp_escape_decode("%SP%x", 5, &out, &err), 0);
	CU_ASSERT_EQUAL(out.len, 7);
	CU_ASSERT_NSTRING_EQUAL(out.data, "head: x", 7);
	ssp_buf_free(&out);
}

static void test_decode_big(void)
{
	ssp_buf_t out;
	ssp_escape_err_t err;
	size_t i;
	int bad = 0;

	/* N at its maximum */
	CU_ASSERT_EQUAL(decode("%repeat[" SSP_XSTR(SSP_REPEAT_MAX) " x A]%", SSP_SEND_BYTES_MAX, &out, &err), 0);
	CU_ASSERT_EQUAL(out.len, SSP_REPEAT_MAX);
	for (i = 0; i < out.len; i++)
		bad |= out.data[i] != 'A';
	CU_ASSERT_EQUAL(bad, 0);
	ssp_buf_free(&out);

	/* exactly the buffer cap is fine */
	CU_ASSERT_EQUAL(decode("%repeat[5 x ab]%", 10, &out, &err), 0);
	CU_ASSERT_EQUAL(out.len, 10);
	ssp_buf_free(&out);
}

/* One input that must be refused, where, and why. */
typedef struct {
	const char *in;
	size_t max;
	size_t offset;
	const char *msg;   /* substring of err.text */
} bad_t;

static void test_decode_errors(void)
{
	static const bad_t cases[] = {
		{ "%FOO%", 1024, 0, "unknown macro" },
		{ "ab%FOO%cd", 1024, 2, "unknown macro" },
		{ "%cr%", 1024, 0, "unknown macro" },           /* names are capitals */
		{ "%CRLF %", 1024, 0, "unknown macro" },
		{ "%", 1024, 0, "starts no macro" },
		{ "abc%", 1024, 3, "starts no macro" },
		{ "50% off", 1024, 2, "starts no macro" },
		{ "%CR%%", 1024, 4, "starts no macro" },
		{ "%xZZ%", 1024, 0, "bad hex" },
		{ "xy%x4G%", 1024, 2, "bad hex" },
		{ "%xC3A%", 1024, 0, "" },                      /* odd number of hex digits */
		{ "%xA%", 1024, 0, "" },
		{ "%x%", 1024, 0, "unknown macro" },
		{ "%repeat[3 x ab", 1024, 0, "closing ]%" },
		{ "xy%repeat[3 x ab]", 1024, 2, "closing ]%" },
		{ "%repeat[x x ab]%", 1024, 0, "decimal number" },
		{ "%repeat[ 3 x ab]%", 1024, 0, "decimal number" },
		{ "%repeat[-1 x ab]%", 1024, 0, "decimal number" },
		{ "%repeat[3xab]%", 1024, 0, "' x '" },
		{ "%repeat[3 ab]%", 1024, 0, "' x '" },
		{ "%repeat[1000001 x a]%", 1024, 0, "above 1000000" },
		{ "%repeat[99999999999999999999999 x a]%", 1024, 0, "above 1000000" },
		{ "%repeat[6 x ab]%", 10, 0, "expands past" },
		{ "0123456789A", 10, 0, "exceed" },
		{ "%repeat[1000000 x %repeat[1000000 x a]%]%", SSP_SEND_BYTES_MAX, 0, "expands past" },
		{ "%repeat[2 x a%FOO%]%", 1024, 13, "unknown macro" },
		{ "%repeat[2 x %repeat[2 x ab%]%]%", 1024, 26, "starts no macro" },
		{ "%repeat[1 x %repeat[1 x %repeat[1 x %repeat[1 x %repeat[1 x a]%]%]%]%]%", 1024, 48, "nested too deeply" },
		{ "x]%y", 1024, 2, "starts no macro" },
	};
	ssp_buf_t out;
	ssp_escape_err_t err;
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		int rc = decode(cases[i].in, cases[i].max, &out, &err);
		CHECKF(rc == -1, "\"%s\": accepted", cases[i].in);
		CHECKF(err.offset == cases[i].offset, "\"%s\": offset %zu, expected %zu (%s)",
		       cases[i].in, err.offset, cases[i].offset, err.text);
		CHECKF(err.text[0] != '\0' && strstr(err.text, cases[i].msg) != NULL,
		       "\"%s\": message \"%s\" lacks \"%s\"", cases[i].in, err.text, cases[i].msg);
		CHECKF(out.len <= cases[i].max, "\"%s\": %zu bytes past the cap %zu", cases[i].in,
		       out.len, cases[i].max);
		ssp_buf_free(&out);
	}
}

/* display - escape p[0..n) into a fresh buffer: the NUL-terminated result (malloc'ed). */
static char *display(const char *p, size_t n)
{
	ssp_buf_t out;
	char *b = tests_dup_end(p, n), *s;

	ssp_buf_init(&out, 1 << 20);
	CU_ASSERT_EQUAL(ssp_escape_display(&out, b, n), 0);
	free(b);
	s = ssp_buf_steal(&out, NULL);
	return s ? s : strdup("");
}

/* undisplay - reverse of the display escaping (test oracle): bytes into out, their count or -1. */
static long undisplay(const char *s, char *out)
{
	long n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		switch (s[1]) {
		case 'r': out[n++] = '\r'; s += 2; break;
		case 'n': out[n++] = '\n'; s += 2; break;
		case 't': out[n++] = '\t'; s += 2; break;
		case '\\': out[n++] = '\\'; s += 2; break;
		case 'x': {
			char hex[3] = { s[2], s[3], 0 }, *end;
			long v = strtol(hex, &end, 16);
			if (end != hex + 2 || s[2] == '\0' || s[3] == '\0')
				return -1;
			out[n++] = (char)v;
			s += 4;
			break;
		}
		default:
			return -1;
		}
	}
	return n;
}

static void test_display(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *out;
	} cases[] = {
		{ "EHLO x\r\n", 8, "EHLO x\\r\\n" },
		{ "a\tb", 3, "a\\tb" },
		{ "back\\slash", 10, "back\\\\slash" },
		{ "a\0b", 3, "a\\x00b" },
		{ "caf\303\251", 5, "caf\\xc3\\xa9" },
		{ "\177\033\001", 3, "\\x7f\\x1b\\x01" },
		{ "~ !", 3, "~ !" },
		{ "", 0, "" },
		{ "\\x00", 4, "\\\\x00" }, /* a literal backslash is not an escape */
	};
	size_t i;

	for (i = 0; i < NCASES(cases); i++) {
		char *s = display(cases[i].in, cases[i].n);
		CHECKF(strcmp(s, cases[i].out) == 0, "case %zu: \"%s\", expected \"%s\"", i, s, cases[i].out);
		free(s);
	}
}

/* Every byte value displays as printable ASCII, and the display is reversible. */
static void test_display_roundtrip(void)
{
	char all[512], back[600];
	char *s;
	long n;
	int c, printable = 1;
	size_t i;

	for (c = 0; c < 256; c++) {
		all[c] = (char)c;
		all[256 + c] = (char)(255 - c);
	}
	s = display(all, sizeof(all));
	for (i = 0; s[i]; i++)
		printable &= (s[i] >= 32 && s[i] <= 126);
	CU_ASSERT_EQUAL(printable, 1);
	n = undisplay(s, back);
	CU_ASSERT_EQUAL(n, (long)sizeof(all));
	CU_ASSERT(n == (long)sizeof(all) && memcmp(back, all, sizeof(all)) == 0);
	free(s);

	/* decode then display: a vector's raw bytes as a transcript shows them */
	{
		ssp_buf_t raw;
		ssp_escape_err_t err;
		CU_ASSERT_EQUAL_FATAL(decode("MAIL FROM:<%x00%>%CR%%repeat[2 x %LF%]%%TAB%\\", 100, &raw, &err), 0);
		s = display(raw.data, raw.len);
		CU_ASSERT_STRING_EQUAL(s, "MAIL FROM:<\\x00>\\r\\n\\n\\t\\\\");
		free(s);
		ssp_buf_free(&raw);
	}
}

static void test_display_cap(void)
{
	ssp_buf_t out;

	/* a full buffer refuses more: -1 */
	ssp_buf_init(&out, 4);
	CU_ASSERT_EQUAL(ssp_escape_display(&out, "abcd", 4), 0);
	CU_ASSERT_EQUAL(ssp_escape_display(&out, "e", 1), -1);
	CU_ASSERT_EQUAL(out.len, 4);
	ssp_buf_free(&out);
	ssp_buf_init(&out, 5);
	CU_ASSERT_EQUAL(ssp_escape_display(&out, "\r\n\001", 3), -1); /* needs 8 bytes */
	CU_ASSERT(out.len <= 5);
	ssp_buf_free(&out);
}

void register_escape_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "decode: macros", test_decode_ok },
		{ "decode: large repeats", test_decode_big },
		{ "decode: errors and offsets", test_decode_errors },
		{ "display: escapes", test_display },
		{ "display: every byte, round trip", test_display_roundtrip },
		{ "display: buffer cap", test_display_cap },
		{ NULL, NULL },
	};

	tests_add_suite("escape", tests);
}
