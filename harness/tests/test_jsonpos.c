/*
 * test_jsonpos.c - locating values in JSON text by path (jsonpos.h), which
 * puts the loaders' semantic errors at file:line:column.
 */
#include "tests.h"

#include "../jsonpos.h"

#include <stdlib.h>
#include <string.h>

/* A document with nesting, whitespace, several lines and UTF-8 text. */
static const char doc[] =
	"{\n"                                         /* 1 */
	"  \"a\": 1,\n"                               /* 2 */
	"  \"b\": {\"c\": [10, {\"d\": \"x\"}, 30]},\n" /* 3 */
	"  \"list\": [\n"                             /* 4 */
	"    \"\xc3\xa9\",\n"                         /* 5: "é" */
	"    {\"k\": true}\n"                         /* 6 */
	"  ],\n"                                      /* 7 */
	"  \"u\": \"\xc3\xa9\xc3\xa9\xc3\xa9\", \"z\": null,\n" /* 8: "ééé" */
	"\t\"t\":\t\"a\\\"b\", \"s\": \"\\\"k\\\": 2\", \"k\": [ ]\n" /* 9 */
	"}\n";

/* find - position of path in text (exact-size copy): rc, line, column. */
static int find(const char *text, size_t len, const ssp_jpath_t *path, int depth, int at_key,
		int *line, int *col)
{
	char *b = tests_dup_end(text, len);
	int rc;

	*line = *col = -1;
	rc = ssp_jsonpos_find(b, len, path, depth, at_key, line, col);
	free(b);
	return rc;
}

#define K(k) { k, 0 }
#define I(i) { NULL, i }

typedef struct {
	const char *name;
	ssp_jpath_t path[4];
	int depth, at_key;
	int rc, line, col;
} pcase_t;

static void run(const char *text, size_t len, const pcase_t *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const pcase_t *c = &cases[i];
		int line, col, rc = find(text, len, c->path, c->depth, c->at_key, &line, &col);
		CHECKF(rc == c->rc, "%s: rc %d, expected %d", c->name, rc, c->rc);
		if (c->rc == 0)
			CHECKF(line == c->line && col == c->col, "%s: %d:%d, expected %d:%d", c->name,
			       line, col, c->line, c->col);
	}
}

static void test_find(void)
{
	static const pcase_t cases[] = {
		{ "root", { K(NULL) }, 0, 0, 0, 1, 1 },
		{ "a", { K("a") }, 1, 0, 0, 2, 8 },
		{ "a key", { K("a") }, 1, 1, 0, 2, 3 },
		{ "b", { K("b") }, 1, 0, 0, 3, 8 },
		{ "b.c", { K("b"), K("c") }, 2, 0, 0, 3, 14 },
		{ "b.c key", { K("b"), K("c") }, 2, 1, 0, 3, 9 },
		{ "b.c[0]", { K("b"), K("c"), I(0) }, 3, 0, 0, 3, 15 },
		{ "b.c[1]", { K("b"), K("c"), I(1) }, 3, 0, 0, 3, 19 },
		{ "b.c[1].d", { K("b"), K("c"), I(1), K("d") }, 4, 0, 0, 3, 25 },
		{ "b.c[1].d key", { K("b"), K("c"), I(1), K("d") }, 4, 1, 0, 3, 20 },
		{ "b.c[2]", { K("b"), K("c"), I(2) }, 3, 0, 0, 3, 31 },
		{ "list", { K("list") }, 1, 0, 0, 4, 11 },
		{ "list[0]", { K("list"), I(0) }, 2, 0, 0, 5, 5 },
		{ "list[1]", { K("list"), I(1) }, 2, 0, 0, 6, 5 },
		{ "list[1].k", { K("list"), I(1), K("k") }, 3, 0, 0, 6, 11 },
		{ "list[1] at_key is the element", { K("list"), I(1) }, 2, 1, 0, 6, 5 },
		/* columns count characters: "ééé" is 3 columns, 6 bytes */
		{ "u", { K("u") }, 1, 0, 0, 8, 8 },
		{ "z key after UTF-8", { K("z") }, 1, 1, 0, 8, 15 },
		{ "z after UTF-8", { K("z") }, 1, 0, 0, 8, 20 },
		/* a tab is one column; escaped quotes do not end strings */
		{ "t", { K("t") }, 1, 0, 0, 9, 7 },
		{ "s", { K("s") }, 1, 0, 0, 9, 20 },
		{ "k (not the \"k\" inside the string s)", { K("k") }, 1, 1, 0, 9, 32 },
		{ "k", { K("k") }, 1, 0, 0, 9, 37 },
		/* paths that do not exist */
		{ "missing key", { K("nope") }, 1, 0, -1, 0, 0 },
		{ "index past the end", { K("b"), K("c"), I(3) }, 3, 0, -1, 0, 0 },
		{ "index in an empty array", { K("k"), I(0) }, 2, 0, -1, 0, 0 },
		{ "key in a number", { K("a"), K("x") }, 2, 0, -1, 0, 0 },
		{ "key in an array", { K("list"), K("x") }, 2, 0, -1, 0, 0 },
		{ "index in an object", { K("b"), I(0) }, 2, 0, -1, 0, 0 },
		{ "key in a string", { K("list"), I(0), K("x") }, 3, 0, -1, 0, 0 },
		{ "a key that is only a prefix", { K("lis") }, 1, 0, -1, 0, 0 },
		{ "a key that is only a suffix", { K("ist") }, 1, 0, -1, 0, 0 },
	};

	run(doc, sizeof(doc) - 1, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Keys with escapes are found as jansson decoded them (a load error about an
 * unknown key "x<ESC>[2J" is placed at that key); arrays in one pass. */
static void test_escaped_keys_and_elements(void)
{
	static const char text[] = "{\"a\\u001b[2J\": 1,\n \"\\\"q\\n\\/\": 2, \"\\u00e9\\ud83d\\udce7\": 3, \"l\": [\"x\",\n \"y\", {\"z\": [1]}] }";
	static const pcase_t cases[] = {
		{ "ESC by \\u001b", { K("a\x1b[2J") }, 1, 1, 0, 1, 2 },
		{ "quote, newline, slash", { K("\"q\n/") }, 1, 1, 0, 2, 2 },
		{ "BMP and a surrogate pair", { K("\xc3\xa9\xf0\x9f\x93\xa7") }, 1, 1, 0, 2, 16 },
		{ "the raw text is not the key", { K("a\\u001b[2J") }, 1, 1, -1, 0, 0 },
		{ "a decoded prefix is not the key", { K("a\x1b[2") }, 1, 1, -1, 0, 0 },
	};
	ssp_jpath_t path[1] = { K("l") };
	int line[3], col[3];

	run(text, sizeof(text) - 1, cases, sizeof(cases) / sizeof(cases[0]));
	CU_ASSERT_EQUAL(ssp_jsonpos_elements(text, sizeof(text) - 1, path, 1, 3, line, col), 0);
	CU_ASSERT(line[0] == 2 && col[0] == 47);
	CU_ASSERT(line[1] == 3 && col[1] == 2);
	CU_ASSERT(line[2] == 3 && col[2] == 7);
	CU_ASSERT_EQUAL(ssp_jsonpos_elements(text, sizeof(text) - 1, path, 1, 4, line, col), -1);
}

static void test_layouts(void)
{
	static const char lead[] = "\n\n  {\"x\": [1,\n2]}";
	static const pcase_t lead_cases[] = {
		{ "root after blank lines", { K(NULL) }, 0, 0, 0, 3, 3 },
		{ "root at_key without a key", { K(NULL) }, 0, 1, 0, 3, 3 },
		{ "x[1] on the next line", { K("x"), I(1) }, 2, 0, 0, 4, 1 },
	};
	static const char crlf[] = "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n";
	static const pcase_t crlf_cases[] = {
		{ "CRLF: a", { K("a") }, 1, 0, 0, 2, 8 },
		{ "CRLF: b", { K("b") }, 1, 0, 0, 3, 8 },
	};
	static const char arr[] = "[{\"id\": \"one\"},\n {\"id\": \"two\", \"steps\": [\n   {\"send\": \"X\"}]}]";
	static const pcase_t arr_cases[] = {
		{ "array root [1]", { I(1) }, 1, 0, 0, 2, 2 },
		{ "[1].steps[0].send", { I(1), K("steps"), I(0), K("send") }, 4, 0, 0, 3, 13 },
		{ "[1].steps[0].send key", { I(1), K("steps"), I(0), K("send") }, 4, 1, 0, 3, 5 },
		{ "[2] missing", { I(2) }, 1, 0, -1, 0, 0 },
	};
	static const char utf[] = "{\"\xe2\x9c\x93\xf0\x9f\x98\x80\": 1, \"n\": 2}"; /* "✓😀" */
	static const pcase_t utf_cases[] = {
		{ "after 3- and 4-byte characters", { K("n") }, 1, 0, 0, 1, 16 },
	};

	run(lead, sizeof(lead) - 1, lead_cases, 3);
	run(crlf, sizeof(crlf) - 1, crlf_cases, 2);
	run(arr, sizeof(arr) - 1, arr_cases, 4);
	run(utf, sizeof(utf) - 1, utf_cases, 1);
}

/* Truncated text never reads past its length. */
static void test_truncated(void)
{
	static const ssp_jpath_t p[] = { K("b"), K("c"), I(2) };
	size_t n;
	int line, col, found = 0;

	for (n = 0; n < sizeof(doc) - 1; n++) {
		if (find(doc, n, p, 3, 0, &line, &col) == 0)
			found++;
	}
	/* only prefixes that reach the value of b.c[2] can find it */
	CU_ASSERT(found > 0);
	CU_ASSERT_EQUAL(find(doc, 20, p, 3, 0, &line, &col), -1);
}

void register_jsonpos_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "find by path", test_find },
		{ "leading blank lines, CRLF, arrays, wide UTF-8", test_layouts },
		{ "truncated text", test_truncated },
		{ "keys with escapes; array elements in one pass", test_escaped_keys_and_elements },
		{ NULL, NULL },
	};

	tests_add_suite("jsonpos", tests);
}
