/*
 * test_termtext.c - the one terminal escaping (termtext.h): what passes as
 * itself, what is written \xHH, and the cut of ssp_term_str.
 */
#include "tests.h"

#include "../buf.h"
#include "../limits.h"
#include "../termtext.h"

#include <stdlib.h>
#include <string.h>

/* esc - s[0..n) through ssp_term_text, NUL-terminated in a static buffer. */
static const char *esc(const char *s, size_t n)
{
	static char out[512];
	ssp_buf_t b;

	ssp_buf_init(&b, sizeof(out) - 1);
	ssp_term_text(&b, s, n);
	memcpy(out, b.data ? b.data : "", b.len);
	out[b.len] = '\0';
	ssp_buf_free(&b);
	return out;
}

#define ESC_IS(lit, want) CU_ASSERT_STRING_EQUAL(esc(lit, sizeof(lit) - 1), want)

static void test_term_text(void)
{
	/* printable ASCII and well-formed, harmless UTF-8 as themselves */
	ESC_IS("RFC 5321 \xc2\xa7" "4.1 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7", "RFC 5321 \xc2\xa7" "4.1 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7");
	/* C0 controls, DEL: ESC[2J, OSC 52 with BEL, CR, LF, NUL */
	ESC_IS("\x1b[2J", "\\x1b[2J");
	ESC_IS("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07");
	ESC_IS("a\r\n\tb\x7f", "a\\x0d\\x0a\\x09b\\x7f");
	CU_ASSERT_STRING_EQUAL(esc("a\0b", 3), "a\\x00b");
	/* C1 (CSI as U+009B), bidi overrides and isolates, marks, separators, zero-width, BOM */
	ESC_IS("\xc2\x9b" "31m", "\\xc2\\x9b31m");
	ESC_IS("\xe2\x80\xae", "\\xe2\\x80\\xae");
	ESC_IS("\xe2\x81\xa6", "\\xe2\\x81\\xa6");
	ESC_IS("\xe2\x80\x8f", "\\xe2\\x80\\x8f");
	ESC_IS("\xe2\x80\xa8\xe2\x80\xa9", "\\xe2\\x80\\xa8\\xe2\\x80\\xa9");
	ESC_IS("\xe2\x80\x8b\xef\xbb\xbf\xd8\x9c", "\\xe2\\x80\\x8b\\xef\\xbb\\xbf\\xd8\\x9c");
	/* malformed UTF-8: a lone byte, overlong, surrogate, truncated */
	ESC_IS("\xff", "\\xff");
	ESC_IS("\xc0\xaf", "\\xc0\\xaf");
	ESC_IS("\xed\xa0\x80", "\\xed\\xa0\\x80");
	ESC_IS("x\xe2\x82", "x\\xe2\\x82");
	CU_ASSERT_EQUAL(ssp_term_harmful(0x202e), 1);
	CU_ASSERT_EQUAL(ssp_term_harmful(0xe9), 0);
}

static void test_term_str(void)
{
	char *big = malloc(SSP_TERM_SLOT_BYTES * 2);
	const char *a, *b;
	size_t n;

	CU_ASSERT_FATAL(big != NULL);
	CU_ASSERT_STRING_EQUAL(ssp_term_str(NULL), "");
	/* slots: two results in one printf stay apart */
	a = ssp_term_str("one\x1b");
	b = ssp_term_str("two");
	CU_ASSERT_STRING_EQUAL(a, "one\\x1b");
	CU_ASSERT_STRING_EQUAL(b, "two");
	/* a long string is cut, never a broken escape, and ends in "..." */
	memset(big, '\x1b', SSP_TERM_SLOT_BYTES * 2 - 1);
	big[SSP_TERM_SLOT_BYTES * 2 - 1] = '\0';
	a = ssp_term_str(big);
	n = strlen(a);
	CU_ASSERT(n < SSP_TERM_SLOT_BYTES);
	CU_ASSERT(n >= 3 && strcmp(a + n - 3, "...") == 0);
	CU_ASSERT((n - 3) % 4 == 0);
	CU_ASSERT(strchr(a, '\x1b') == NULL);
	free(big);
}

void register_termtext_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "terminal text: what passes, what is escaped", test_term_text },
		{ "ssp_term_str: slots and cut", test_term_str },
		{ NULL, NULL },
	};

	tests_add_suite("termtext", tests);
}
