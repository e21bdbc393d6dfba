/*
 * pattern.c - vector text patterns through PCRE2, bounded in compile and in
 * match (pattern.h).  Every limit is named in limits.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include "limits.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

struct ssp_pattern_s {
	pcre2_code *code;
	pcre2_match_context *mctx; /* match, depth and heap limits */
	pcre2_match_data *md;      /* reused by every match (one loop, one thread) */
	int jit;                   /* 0: not tried yet, 1: JIT-compiled, -1: interpreter only */
};

/* Case-insensitive, "^" and "$" at line ends (as REG_ICASE | REG_NEWLINE);
 * bytes, never UTF or Unicode properties, whatever the pattern asks for. */
#define COMPILE_OPTIONS (PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | \
			 PCRE2_NEVER_BACKSLASH_C)

/* message - PCRE2's sentence for error code rc into err[0..size). */
static void message(int rc, char *err, size_t size)
{
	PCRE2_UCHAR buf[160];

	if (size == 0)
		return;
	if (pcre2_get_error_message(rc, buf, sizeof(buf)) < 0)
		snprintf(err, size, "error %d", rc);
	else
		snprintf(err, size, "%s", (const char *)buf);
}

ssp_pattern_t *ssp_pattern_compile(const char *src, size_t len, char *err, size_t errsize, size_t *erroff)
{
	pcre2_compile_context *cctx;
	ssp_pattern_t *p;
	PCRE2_SIZE off = 0;
	int rc = 0;

	*erroff = 0;
	if (len > SSP_PATTERN_MAX) {
		snprintf(err, errsize, "the pattern is %zu bytes long, more than " SSP_XSTR(SSP_PATTERN_MAX), len);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	cctx = pcre2_compile_context_create(NULL);
	if (p == NULL || cctx == NULL) {
		snprintf(err, errsize, "out of memory");
		pcre2_compile_context_free(cctx);
		free(p);
		return NULL;
	}
	pcre2_set_max_pattern_length(cctx, SSP_PATTERN_MAX);
	pcre2_set_parens_nest_limit(cctx, SSP_PATTERN_PARENS_MAX);
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	p->code = pcre2_compile((PCRE2_SPTR)src, len, COMPILE_OPTIONS, &rc, &off, cctx);
	pcre2_compile_context_free(cctx);
	if (p->code == NULL) {
		message(rc, err, errsize);
		*erroff = off;
		free(p);
		return NULL;
	}
	p->mctx = pcre2_match_context_create(NULL);
	p->md = pcre2_match_data_create(2, NULL);
	if (p->mctx == NULL || p->md == NULL) {
		snprintf(err, errsize, "out of memory");
		ssp_pattern_free(p);
		return NULL;
	}
	pcre2_set_match_limit(p->mctx, SSP_PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, SSP_PATTERN_DEPTH_LIMIT);
	pcre2_set_heap_limit(p->mctx, SSP_PATTERN_HEAP_LIMIT_KIB);
	return p;
}

void ssp_pattern_free(ssp_pattern_t *p)
{
	if (p == NULL)
		return;
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p);
}

ssp_pattern_rc_t ssp_pattern_match(ssp_pattern_t *p, const char *subject, size_t len,
				   size_t *so, size_t *eo, const char **why)
{
	PCRE2_SIZE *ov;
	int rc;

	if (len > SSP_PATTERN_SUBJECT_MAX)
		len = SSP_PATTERN_SUBJECT_MAX;
	/* JIT on first use, where the platform has it: ten to a hundred times
	 * faster (a quadratic scan of an 8 KiB line takes under a millisecond,
	 * not 80); the match limit holds for it as for the interpreter */
	if (p->jit == 0)
		p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0 ? 1 : -1;
	rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, 0, p->md, p->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* its 32 KiB machine stack: the interpreter, bounded by depth and heap */
		rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_JIT, p->md, p->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return SSP_PATTERN_NOMATCH;
	if (rc < 0) {
		if (why != NULL)
			*why = rc == PCRE2_ERROR_MATCHLIMIT ? "the match limit (" SSP_XSTR(SSP_PATTERN_MATCH_LIMIT) " steps)"
			     : rc == PCRE2_ERROR_DEPTHLIMIT ? "the depth limit (" SSP_XSTR(SSP_PATTERN_DEPTH_LIMIT) ")"
			     : rc == PCRE2_ERROR_HEAPLIMIT ? "the heap limit (" SSP_XSTR(SSP_PATTERN_HEAP_LIMIT_KIB) " KiB)"
			     : rc == PCRE2_ERROR_NOMEMORY ? "the memory available"
			     : "a limit of the matcher";
		return SSP_PATTERN_LIMIT;
	}
	if (so != NULL && eo != NULL) {
		/* rc 0: the ovector is too small for every group; pairs 0 and 1 are set all the same */
		ov = pcre2_get_ovector_pointer(p->md);
		if ((rc == 0 || rc > 1) && ov[2] != PCRE2_UNSET) {
			*so = ov[2];
			*eo = ov[3];
		} else {
			*so = ov[0];
			*eo = ov[1];
		}
	}
	return SSP_PATTERN_MATCH;
}
