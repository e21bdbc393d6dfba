/*
 * test_spool.c - finished transcripts in the spool file (spool.h): moved
 * out of memory, read back byte for byte, at their caps too; a record that
 * does not match is an error, never a wrong transcript.
 */
#include "tests.h"

#include "../limits.h"
#include "../result.h"
#include "../spool.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* same - a and b hold the same entries, bytes and drop counts. */
static int same(const ssp_transcript_t *a, const ssp_transcript_t *b)
{
	size_t i, n = ssp_transcript_count(a);

	if (n != ssp_transcript_count(b) || a->dropped_bytes != b->dropped_bytes ||
	    a->dropped_entries != b->dropped_entries)
		return 0;
	for (i = 0; i < n; i++) {
		const char *pa, *pb;
		const ssp_tr_entry_t *ea = ssp_transcript_entry(a, i, &pa), *eb = ssp_transcript_entry(b, i, &pb);

		if (ea->ms != eb->ms || ea->dir != eb->dir || ea->partial != eb->partial || ea->len != eb->len ||
		    memcmp(pa, pb, ea->len) != 0)
			return 0;
	}
	return 1;
}

/* fill - k entries of assorted bytes (binary included) into t. */
static void fill(ssp_transcript_t *t, size_t k, unsigned seed)
{
	char line[64];
	size_t i, j;

	for (i = 0; i < k; i++) {
		for (j = 0; j < sizeof(line); j++)
			line[j] = (char)((seed + i * 7 + j * 13) & 0xff);
		ssp_transcript_add(t, i % 2 ? SSP_TR_SERVER : SSP_TR_CLIENT, (uint32_t)i, line,
				   (i * 5 + seed) % sizeof(line), (int)(i % 3 == 0));
	}
}

static void test_round_trip(void)
{
	ssp_spool_t sp;
	ssp_result_t r[3];
	ssp_transcript_t want[3], tmp;
	const ssp_transcript_t *got;
	ssp_diag_t diag;
	size_t k;

	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_spool_open(&sp, &diag), 0);
	for (k = 0; k < 3; k++) {
		ssp_result_init(&r[k], NULL);
		ssp_transcript_init(&want[k]);
		/* an empty one, an ordinary one, one past both caps with its final note */
		fill(&r[k].transcript, k == 0 ? 0 : k == 1 ? 40 : SSP_TRANSCRIPT_ENTRIES_MAX + 50, (unsigned)k);
		fill(&want[k], k == 0 ? 0 : k == 1 ? 40 : SSP_TRANSCRIPT_ENTRIES_MAX + 50, (unsigned)k);
		if (k == 2) {
			ssp_transcript_finish(&r[k].transcript, 7);
			ssp_transcript_finish(&want[k], 7);
			CU_ASSERT_EQUAL(ssp_transcript_count(&want[k]), SSP_TRANSCRIPT_ENTRIES_MAX + 1);
		}
		CU_ASSERT_EQUAL(ssp_spool_put(&sp, &r[k]), 0);
		/* out of memory: the result keeps only where it is */
		CU_ASSERT_EQUAL(ssp_transcript_count(&r[k].transcript), 0);
		CU_ASSERT_PTR_NULL(r[k].transcript.bytes.data);
		CU_ASSERT(r[k].spool_len > 0);
	}
	CU_ASSERT_EQUAL(sp.records, 3);
	/* read back in another order, each whole */
	for (k = 3; k-- > 0;) {
		got = ssp_spool_transcript(&sp, &r[k], &tmp, &diag);
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		CU_ASSERT(got == &tmp);
		CHECKF(same(got, &want[k]), "transcript %zu read back differs", k);
		ssp_transcript_free(&tmp);
	}
	/* a record that does not match its length is refused */
	r[1].spool_len--;
	CU_ASSERT_PTR_NULL(ssp_spool_transcript(&sp, &r[1], &tmp, &diag));
	CU_ASSERT(diag.set && strstr(diag.text, "spool") != NULL);
	ssp_transcript_free(&tmp);
	/* and past the end of the file */
	ssp_diag_init(&diag);
	r[1].spool_off = sp.size + 1;
	CU_ASSERT_PTR_NULL(ssp_spool_transcript(&sp, &r[1], &tmp, &diag));
	CU_ASSERT(diag.set);
	ssp_transcript_free(&tmp);
	ssp_spool_close(&sp);
	for (k = 0; k < 3; k++) {
		ssp_result_free(&r[k]);
		ssp_transcript_free(&want[k]);
	}
}

static void test_in_memory(void)
{
	ssp_result_t r;
	ssp_transcript_t tmp;
	ssp_diag_t diag;

	/* not spooled (no spool, or a write that failed): the transcript is where it was */
	ssp_diag_init(&diag);
	ssp_result_init(&r, NULL);
	fill(&r.transcript, 5, 1);
	CU_ASSERT(ssp_spool_transcript(NULL, &r, &tmp, &diag) == &r.transcript);
	CU_ASSERT_EQUAL(ssp_spool_put(NULL, &r), -1);
	CU_ASSERT_EQUAL(ssp_transcript_count(&r.transcript), 5);
	ssp_transcript_free(&tmp);
	ssp_result_free(&r);
}

static void test_write_error(void)
{
	ssp_spool_t sp;
	ssp_result_t r;
	ssp_diag_t diag;
	int fds[2];

	/* a spool whose file cannot be written: the error is kept, the transcript stays */
	ssp_diag_init(&diag);
	CU_ASSERT_EQUAL_FATAL(ssp_spool_open(&sp, &diag), 0);
	close(sp.fd);
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	sp.fd = fds[0]; /* the read end: writes fail (ESPIPE or EBADF) */
	ssp_result_init(&r, NULL);
	fill(&r.transcript, 5, 2);
	CU_ASSERT_EQUAL(ssp_spool_put(&sp, &r), -1);
	CU_ASSERT(strstr(sp.error, "cannot write the spool file") != NULL);
	CU_ASSERT_EQUAL(r.spool_len, 0);
	CU_ASSERT_EQUAL(ssp_transcript_count(&r.transcript), 5);
	ssp_spool_close(&sp);
	close(fds[1]);
	ssp_result_free(&r);
}

void register_spool_tests(void)
{
	static const tests_entry_t tests[] = {
		{ "moved out and read back whole", test_round_trip },
		{ "a transcript not spooled stays in memory", test_in_memory },
		{ "a write error is kept and reported", test_write_error },
		{ NULL, NULL },
	};

	tests_add_suite("spool", tests);
}
