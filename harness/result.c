/*
 * result.c - verdict names and result lifetime.
 */
#include "result.h"

#include <stdio.h>
#include <string.h>

const char *ssp_verdict_name(ssp_verdict_t v)
{
	static const char *const names[] = { "pass", "fail", "warn", "info", "skip", "error" };

	return (unsigned)v < SSP_VERDICT_COUNT ? names[v] : "?";
}

void ssp_result_init(ssp_result_t *r, const ssp_vector_t *v)
{
	memset(r, 0, sizeof(*r));
	r->vector = v;
	r->verdict = SSP_ERROR;
	snprintf(r->reason, sizeof(r->reason), "not run");
	ssp_transcript_init(&r->transcript);
}

void ssp_result_free(ssp_result_t *r)
{
	ssp_transcript_free(&r->transcript);
}

ssp_verdict_t ssp_verdict_for_level(ssp_level_t l)
{
	switch (l) {
	case SSP_LEVEL_MUST: return SSP_FAIL;
	case SSP_LEVEL_SHOULD: return SSP_WARN;
	case SSP_LEVEL_MAY: return SSP_INFO;
	}
	return SSP_FAIL;
}
