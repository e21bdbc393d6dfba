/*
 * test_transcript.c - bounded session transcripts (transcript.h).
 */
#include "tests.h"

#include "../limits.h"
#include "../transcript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* entry_is - entry i has this direction, time, partial flag and bytes. */
static int entry_is(const ssp_transcript_t *t, size_t i, char dir, uint32_t ms, int partial,
		    const char *p, size_t n)
{
	const char *b;
	const ssp_tr_entry_t *e;

	if (i >= ssp_transcript_count(t))
		return 0;
	e = ssp_transcript_entry(t, i, &b);
	return e->dir == dir && e->ms == ms && e->partial == partial && e->len == n &&
	       (n == 0 || memcmp(b, p, n) == 0);
}

static void test_add(void)
{
	ssp_transcript_t t;

	ssp_transcript_init(&t);
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), 0);
	ssp_transcript_add(&t, SSP_TR_CLIENT, 5, "EHLO x\r\n", 8, 0);
	ssp_transcript_add(&t, SSP_TR_SERVER, 7, "250-mx\r\n25", 10, 1);
	ssp_transcript_add(&t, SSP_TR_SERVER, 9, "a\0b", 3, 0);  /* binary-safe */
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), 3);
	CU_ASSERT(entry_is(&t, 0, 'C', 5, 0, "EHLO x\r\n", 8));
	CU_ASSERT(entry_is(&t, 1, 'S', 7, 1, "250-mx\r\n25", 10));
	CU_ASSERT(entry_is(&t, 2, 'S', 9, 0, "a\0b", 3));
	CU_ASSERT_EQUAL(t.dropped_bytes, 0);
	CU_ASSERT_EQUAL(t.dropped_entries, 0);
	/* nothing dropped: finish adds nothing */
	ssp_transcript_finish(&t, 10);
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), 3);
	ssp_transcript_free(&t);
}

static void test_lines(void)
{
	ssp_transcript_t t;
	static const char reply[] = "250-mx\r\n250-SIZE 1000\n250 HELP\r\n220 trailing";

	ssp_transcript_init(&t);
	ssp_transcript_lines(&t, SSP_TR_SERVER, 42, reply, sizeof(reply) - 1);
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), 4);
	CU_ASSERT(entry_is(&t, 0, 'S', 42, 0, "250-mx\r\n", 8));
	CU_ASSERT(entry_is(&t, 1, 'S', 42, 0, "250-SIZE 1000\n", 14));
	CU_ASSERT(entry_is(&t, 2, 'S', 42, 0, "250 HELP\r\n", 10));
	CU_ASSERT(entry_is(&t, 3, 'S', 42, 0, "220 trailing", 12));
	ssp_transcript_lines(&t, SSP_TR_CLIENT, 43, "", 0);
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), 4);
	ssp_transcript_lines(&t, SSP_TR_CLIENT, 44, "\n\n", 2);
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), 6);
	CU_ASSERT(entry_is(&t, 5, 'C', 44, 0, "\n", 1));
	ssp_transcript_free(&t);
}

static void test_note(void)
{
	ssp_transcript_t t;

	ssp_transcript_init(&t);
	ssp_transcript_note(&t, 100, "connected to %s port %d", "127.0.0.1", 25);
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), 1);
	CU_ASSERT(entry_is(&t, 0, '#', 100, 0, "connected to 127.0.0.1 port 25", 30));
	ssp_transcript_free(&t);
}

static void test_byte_cap(void)
{
	ssp_transcript_t t;
	char *big = malloc(SSP_TRANSCRIPT_BYTES_MAX);
	const ssp_tr_entry_t *e;
	const char *p;
	char expect[160];
	size_t n;

	CU_ASSERT_FATAL(big != NULL);
	memset(big, 'x', SSP_TRANSCRIPT_BYTES_MAX);
	ssp_transcript_init(&t);
	ssp_transcript_add(&t, SSP_TR_SERVER, 1, big, SSP_TRANSCRIPT_BYTES_MAX - 10, 0);
	/* 100 bytes with 10 left: 10 kept (marked partial), 90 counted */
	ssp_transcript_add(&t, SSP_TR_SERVER, 2, big, 100, 0);
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), 2);
	e = ssp_transcript_entry(&t, 1, &p);
	CU_ASSERT_EQUAL(e->len, 10);
	CU_ASSERT_EQUAL(e->partial, 1);
	CU_ASSERT_EQUAL(t.dropped_bytes, 90);
	CU_ASSERT_EQUAL(t.dropped_entries, 0);
	CU_ASSERT_EQUAL(t.bytes.len, SSP_TRANSCRIPT_BYTES_MAX);
	/* full: whole entries dropped and counted */
	ssp_transcript_add(&t, SSP_TR_CLIENT, 3, "QUIT\r\n", 6, 0);
	ssp_transcript_lines(&t, SSP_TR_SERVER, 4, "221-a\r\n221 b\r\n", 14);
	ssp_transcript_note(&t, 5, "closed");
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), 2);
	CU_ASSERT_EQUAL(t.dropped_bytes, 90 + 6 + 14 + 6);
	CU_ASSERT_EQUAL(t.dropped_entries, 4);
	CU_ASSERT_EQUAL(t.bytes.len, SSP_TRANSCRIPT_BYTES_MAX);
	/* finish says what was dropped, above the cap */
	ssp_transcript_finish(&t, 6);
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), 3);
	snprintf(expect, sizeof(expect), "transcript cap reached: %d bytes in %d entries not recorded",
		 90 + 6 + 14 + 6, 4);
	n = strlen(expect);
	CU_ASSERT(entry_is(&t, 2, '#', 6, 0, expect, n));
	ssp_transcript_free(&t);
	free(big);
}

static void test_entry_cap(void)
{
	ssp_transcript_t t;
	unsigned i;
	const char *p;
	const ssp_tr_entry_t *e;

	ssp_transcript_init(&t);
	for (i = 0; i < SSP_TRANSCRIPT_ENTRIES_MAX + 10; i++)
		ssp_transcript_add(&t, SSP_TR_CLIENT, i, "ab", 2, 0);
	CU_ASSERT_EQUAL(ssp_transcript_count(&t), SSP_TRANSCRIPT_ENTRIES_MAX);
	CU_ASSERT_EQUAL(t.dropped_entries, 10);
	CU_ASSERT_EQUAL(t.dropped_bytes, 20);
	CU_ASSERT_EQUAL(t.bytes.len, 2 * SSP_TRANSCRIPT_ENTRIES_MAX);
	e = ssp_transcript_entry(&t, SSP_TRANSCRIPT_ENTRIES_MAX - 1, &p);
	CU_ASSERT_EQUAL(e->ms, SSP_TRANSCRIPT_ENTRIES_MAX - 1);
	CU_ASSERT_EQUAL(p - t.bytes.data, 2 * (SSP_TRANSCRIPT_ENTRIES_MAX - 1));
	ssp_transcript_finish(&t, 99999);
	CU_ASSERT_EQUAL_FATAL(ssp_transcript_count(&t), SSP_TRANSCRIPT_ENTRIES_MAX + 1);
	e = ssp_transcript_entry(&t, SSP_TRANSCRIPT_ENTRIES_MAX, &p);
	CU_ASSERT_EQUAL(e->dir, '#');
	CU_ASSERT_EQUAL(e->ms, 99999);
	CU_ASSERT(e->len > 0 && memmem(p, e->len, "20 bytes in 10 entries", 22) != NULL);
	ssp_transcript_free(&t);
}

void register_transcript_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "add and read back", test_add },
		{ "lines split after LF", test_lines },
		{ "notes", test_note },
		{ "byte cap and final note", test_byte_cap },
		{ "entry cap and final note", test_entry_cap },
		{ NULL, NULL },
	};

	tests_add_suite("transcript", tests);
}
