/*
 * test_buf.c - the capped byte buffer (buf.h).
 */
#include "tests.h"

#include "../buf.h"

#include <stdlib.h>
#include <string.h>

static void test_init(void)
{
	ssp_buf_t b;

	ssp_buf_init(&b, 100);
	CU_ASSERT_PTR_NULL(b.data);   /* allocates nothing */
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(b.cap, 0);
	CU_ASSERT_EQUAL(b.max, 100);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "x", 0), 0);
	CU_ASSERT_EQUAL(b.len, 0);
	ssp_buf_free(&b);
	ssp_buf_free(&b);             /* freeing twice is harmless */
	CU_ASSERT_PTR_NULL(b.data);
}

static void test_cap(void)
{
	ssp_buf_t b;
	char *before;

	ssp_buf_init(&b, 10);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "0123456789A", 11), -1);   /* over the cap at once */
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "012345", 6), 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "6789", 4), 0);           /* exactly the cap */
	CU_ASSERT_EQUAL(b.len, 10);
	CU_ASSERT(b.cap <= b.max + 1);
	before = malloc(10);
	memcpy(before, b.data, 10);
	/* past the cap: fails and changes nothing */
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "X", 1), -1);
	CU_ASSERT_EQUAL(ssp_buf_append_str(&b, "XYZ"), -1);
	CU_ASSERT_EQUAL(ssp_buf_appendf(&b, "%d", 7), -1);
	CU_ASSERT_EQUAL(ssp_buf_reserve(&b, 1), -1);
	CU_ASSERT_EQUAL(b.len, 10);
	CU_ASSERT_EQUAL(memcmp(b.data, before, 10), 0);
	CU_ASSERT_EQUAL(ssp_buf_reserve(&b, 0), 0);
	/* a huge n cannot wrap around the check */
	CU_ASSERT_EQUAL(ssp_buf_reserve(&b, (size_t)-1), -1);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "X", (size_t)-1), -1);
	CU_ASSERT_EQUAL(b.len, 10);
	free(before);
	ssp_buf_free(&b);

	/* appendf over the cap appends nothing, under the cap everything */
	ssp_buf_init(&b, 8);
	CU_ASSERT_EQUAL(ssp_buf_appendf(&b, "%s-%d", "ab", 12), 0);
	CU_ASSERT_EQUAL(b.len, 5);
	CU_ASSERT_EQUAL(ssp_buf_appendf(&b, "%s", "1234"), -1);
	CU_ASSERT_EQUAL(b.len, 5);
	CU_ASSERT_STRING_EQUAL(ssp_buf_cstr(&b), "ab-12");
	CU_ASSERT_EQUAL(ssp_buf_appendf(&b, "%03d", 7), 0);
	CU_ASSERT_STRING_EQUAL(ssp_buf_cstr(&b), "ab-12007");
	ssp_buf_free(&b);
}

static void test_growth(void)
{
	ssp_buf_t b;
	size_t i;
	int ok = 1;

	ssp_buf_init(&b, 100000);
	for (i = 0; i < 100000; i++)
		ok &= ssp_buf_append(&b, (i % 2) ? "b" : "a", 1) == 0;
	CU_ASSERT_EQUAL(ok, 1);
	CU_ASSERT_EQUAL(b.len, 100000);
	CU_ASSERT(b.cap <= b.max + 1);
	CU_ASSERT(b.data[0] == 'a' && b.data[99999] == 'b');
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "c", 1), -1);
	ssp_buf_free(&b);
}

static void test_binary(void)
{
	ssp_buf_t b;

	ssp_buf_init(&b, 64);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "a\0b", 3), 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "\0", 1), 0);
	CU_ASSERT_EQUAL(b.len, 4);
	CU_ASSERT_EQUAL(memcmp(b.data, "a\0b\0", 4), 0);
	ssp_buf_free(&b);
}

static void test_consume(void)
{
	ssp_buf_t b;

	ssp_buf_init(&b, 64);
	ssp_buf_append_str(&b, "250 OK\r\n221 Bye\r\n");
	ssp_buf_consume(&b, 8);
	CU_ASSERT_EQUAL(b.len, 9);
	CU_ASSERT_EQUAL(memcmp(b.data, "221 Bye\r\n", 9), 0);
	ssp_buf_consume(&b, 0);
	CU_ASSERT_EQUAL(b.len, 9);
	ssp_buf_consume(&b, 9);
	CU_ASSERT_EQUAL(b.len, 0);
	/* the freed room is usable again, up to the cap */
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "0123456789012345678901234567890123456789012345678901234567890123", 64), 0);
	CU_ASSERT_EQUAL(b.len, 64);
	ssp_buf_consume(&b, 60);
	CU_ASSERT_EQUAL(b.len, 4);
	CU_ASSERT_EQUAL(memcmp(b.data, "0123", 4), 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "x", 1), 0);
	ssp_buf_free(&b);
}

static void test_cstr_steal(void)
{
	ssp_buf_t b;
	char *s;
	size_t len = 99;

	/* an empty, never allocated buffer still gives "" */
	ssp_buf_init(&b, 16);
	s = ssp_buf_cstr(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "");
	CU_ASSERT_EQUAL(b.len, 0);
	ssp_buf_free(&b);

	/* a buffer filled to its cap has room for the NUL */
	ssp_buf_init(&b, 4);
	ssp_buf_append(&b, "abcd", 4);
	s = ssp_buf_cstr(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "abcd");
	CU_ASSERT_EQUAL(b.len, 4);            /* the NUL is not counted */
	s = ssp_buf_steal(&b, &len);
	CU_ASSERT_EQUAL(len, 4);
	CU_ASSERT_STRING_EQUAL(s, "abcd");
	CU_ASSERT_PTR_NULL(b.data);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(b.cap, 0);
	free(s);
	/* the emptied buffer is reusable with the same cap */
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "wxyz", 4), 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "!", 1), -1);
	s = ssp_buf_steal(&b, NULL);
	CU_ASSERT_STRING_EQUAL(s, "wxyz");
	free(s);

	/* a zero cap: only the empty string */
	ssp_buf_init(&b, 0);
	CU_ASSERT_EQUAL(ssp_buf_append(&b, "a", 1), -1);
	s = ssp_buf_cstr(&b);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT(s == NULL || s[0] == '\0');
	ssp_buf_free(&b);
}

void register_buf_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "init and free", test_init },
		{ "cap enforcement", test_cap },
		{ "growth up to the cap", test_growth },
		{ "binary-safe", test_binary },
		{ "consume", test_consume },
		{ "cstr and steal", test_cstr_steal },
		{ NULL, NULL },
	};

	tests_add_suite("buf", tests);
}
