/*
 * escape.h - raw-byte macros in vector strings, and byte escaping for display.
 *
 * Decoding (vector "send_raw" and "data_raw" strings):
 *   %CR%  %LF%  %CRLF%  %NUL%  %SP%  %TAB%  %DEL%   the named byte(s)
 *   %xHH...%                                       bytes in hex (%xC3A9%)
 *   %repeat[N x TEXT]%                             TEXT (macros allowed) N times
 *   %%                                             one '%'
 * Display (transcripts): printable ASCII as is, CR \r, LF \n, TAB \t,
 * backslash \\, every other byte \xHH.
 */
#ifndef SSP_ESCAPE_H
#define SSP_ESCAPE_H

#include "buf.h"
#include "tpl.h"

#include <stddef.h>

typedef struct ssp_escape_err_s {
	size_t offset;     /* byte offset of the faulty macro in the input */
	char text[160];
} ssp_escape_err_t;

/*
 * ssp_escape_compile - decode in[0..n) into the template out (emptied
 * first): repeats stay nodes, never expanded, so the work is linear in n.
 * Returns 0 (out->size = the expanded bytes, at most max), or -1 with err
 * filled (unknown macro, bad number, expansion past max, out of memory).
 */
int ssp_escape_compile(const char *in, size_t n, uint64_t max, ssp_tpl_t *out,
		       ssp_escape_err_t *err);

/*
 * ssp_escape_decode - append the decoded bytes of in[0..n) to out.
 * Returns 0, or -1 with err filled (unknown macro, bad number, out too big).
 */
int ssp_escape_decode(const char *in, size_t n, ssp_buf_t *out,
		      ssp_escape_err_t *err);

/* ssp_escape_display - append p[0..n) escaped for display: 0, or -1 (out full). */
int ssp_escape_display(ssp_buf_t *out, const char *p, size_t n);

#endif
