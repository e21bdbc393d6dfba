/*
 * result.c - verdict names, severities and result lifetime, all from the
 * tables of result.h and vector.h.
 */
#include "result.h"

#include <stdio.h>
#include <string.h>

#define VERDICT_NAME(e, name, fails, finding) name,
static const char *const verdict_names[] = { SSP_VERDICT_MAP(VERDICT_NAME) };
#undef VERDICT_NAME
#define VERDICT_FAILS(e, name, fails, finding) fails,
static const unsigned char verdict_fails[] = { SSP_VERDICT_MAP(VERDICT_FAILS) };
#undef VERDICT_FAILS
#define VERDICT_FINDING(e, name, fails, finding) finding,
static const unsigned char verdict_finding[] = { SSP_VERDICT_MAP(VERDICT_FINDING) };
#undef VERDICT_FINDING
#define LEVEL_VERDICT(e, name, verdict) verdict,
static const ssp_verdict_t level_verdict[] = { SSP_LEVEL_MAP(LEVEL_VERDICT) };
#undef LEVEL_VERDICT

const char *ssp_verdict_name(ssp_verdict_t v)
{
	return (unsigned)v < SSP_VERDICT_COUNT ? verdict_names[v] : "?";
}

int ssp_verdict_parse(const char *name)
{
	int v;

	for (v = 0; name != NULL && v < SSP_VERDICT_COUNT; v++) {
		if (strcmp(verdict_names[v], name) == 0)
			return v;
	}
	return -1;
}

int ssp_verdict_fails(ssp_verdict_t v, int strict)
{
	if ((unsigned)v >= SSP_VERDICT_COUNT)
		return 1;
	return verdict_fails[v] == SSP_FAILS_ALWAYS || (strict && verdict_fails[v] == SSP_FAILS_STRICT);
}

int ssp_verdict_is_finding(ssp_verdict_t v)
{
	return (unsigned)v < SSP_VERDICT_COUNT && verdict_finding[v];
}

void ssp_result_init(ssp_result_t *r, const ssp_vector_t *v)
{
	memset(r, 0, sizeof(*r));
	r->vector = v;
	r->verdict = SSP_ERROR;
	r->category = v ? v->category : SSP_CATEGORY_CONFORMANCE;
	snprintf(r->reason, sizeof(r->reason), "not run");
	ssp_transcript_init(&r->transcript);
}

void ssp_result_free(ssp_result_t *r)
{
	ssp_transcript_free(&r->transcript);
}

ssp_verdict_t ssp_verdict_for_level(ssp_level_t l)
{
	return (unsigned)l < SSP_LEVEL_COUNT ? level_verdict[l] : SSP_FAIL;
}
