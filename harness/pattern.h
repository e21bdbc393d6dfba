/*
 * pattern.h - the text patterns of vectors (text, not_text, every_text,
 * first_line, keyword_lines, capture): PCRE2, compiled and matched within
 * bounds, so that no pattern and no server line can stall the event loop.
 *
 * Dialect: PCRE2 syntax, case-insensitive, byte-wise (never UTF), "^" and
 * "$" at line boundaries (docs/vectors.md, "Text patterns").  Compiling is
 * capped in pattern length, parenthesis nesting and compiled size; matching
 * in backtracking steps, depth and heap, and the subject a pattern sees is
 * capped at SSP_PATTERN_SUBJECT_MAX bytes (limits.h).
 */
#ifndef SSP_PATTERN_H
#define SSP_PATTERN_H

#include <stddef.h>

typedef struct ssp_pattern_s ssp_pattern_t;

/* What one match gives: a match, none, or a limit reached (no verdict). */
typedef enum {
	SSP_PATTERN_NOMATCH = 0,
	SSP_PATTERN_MATCH = 1,
	SSP_PATTERN_LIMIT = -1, /* match, depth or heap limit, or any other matcher error */
} ssp_pattern_rc_t;

/*
 * ssp_pattern_compile - compile src[0..len): the pattern (owned by the
 * caller, free with ssp_pattern_free), or NULL with a sentence in
 * err[0..errsize) and the byte offset in src where compiling stopped in
 * *erroff.
 */
ssp_pattern_t *ssp_pattern_compile(const char *src, size_t len, char *err, size_t errsize, size_t *erroff);

/* ssp_pattern_free - release a compiled pattern; NULL is ignored. */
void ssp_pattern_free(ssp_pattern_t *p);

/*
 * ssp_pattern_match - search subject[0..len) (cut at SSP_PATTERN_SUBJECT_MAX)
 * for p: MATCH with the span of group 1 (or of the whole match when group 1
 * did not take part) in [*so, *eo) when so and eo are non-NULL; NOMATCH; or
 * LIMIT with a short reason ("the match limit") in *why.  The first match
 * JIT-compiles p where PCRE2 can (p is changed, not its meaning).
 */
ssp_pattern_rc_t ssp_pattern_match(ssp_pattern_t *p, const char *subject, size_t len,
				   size_t *so, size_t *eo, const char **why);

#endif
