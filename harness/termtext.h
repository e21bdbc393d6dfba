/*
 * termtext.h - untrusted text made safe for a terminal: the one escaping
 * of everything smtpspec prints that it did not write itself (vector and
 * profile text, file names, arguments, result documents read back, server
 * bytes already escaped for display).
 *
 * Printable ASCII and well-formed UTF-8 print as themselves (a title's "§",
 * a name's "é"); control bytes (ESC, CR, BEL...), DEL, malformed UTF-8, C1
 * controls (U+0080-U+009F, which some terminals read as CSI or OSC), and
 * the invisible characters that reorder or break text (bidi embeddings,
 * overrides and isolates U+202A-U+202E, U+2066-U+2069, marks U+200E/F,
 * U+061C, zero-width U+200B-U+200D, U+2060-U+206F, U+FEFF, line and
 * paragraph separators U+2028/U+2029) are written as the visible text \xHH,
 * one per byte.  The same set as the HTML escaping of reports/markup.c.
 */
#ifndef SSP_TERMTEXT_H
#define SSP_TERMTEXT_H

#include "buf.h"

#include <stddef.h>
#include <stdio.h>

/* ssp_term_harmful - 1 if code point cp must not reach a terminal or a page as itself. */
int ssp_term_harmful(unsigned cp);

/* ssp_term_text - append s[0..n) to b, escaped as above (cut if b is full). */
void ssp_term_text(ssp_buf_t *b, const char *s, size_t n);

/* ssp_term_fwrite - write s[0..n) to f, escaped. */
void ssp_term_fwrite(FILE *f, const char *s, size_t n);
/* ssp_term_fputs - write s (NUL-terminated; NULL: nothing) to f, escaped. */
void ssp_term_fputs(FILE *f, const char *s);

/*
 * ssp_term_str - s escaped, for a printf argument: NUL-terminated text in
 * one of SSP_TERM_SLOTS static slots of SSP_TERM_SLOT_BYTES (limits.h), cut
 * with "..." when longer; valid until SSP_TERM_SLOTS further calls (one
 * thread).  NULL gives "".
 */
const char *ssp_term_str(const char *s);

/* ssp_term_utf8_ok - 1 if s[0..n) is well-formed UTF-8 (shortest forms, no surrogates). */
int ssp_term_utf8_ok(const char *s, size_t n);

/*
 * ssp_term_utf8_dup - a copy of s that is always well-formed UTF-8, for the
 * documents that need it (JSON, HTML, XML): s itself when it is, else with
 * every byte of malformed UTF-8 as the text \xHH (a path of a Latin-1 file
 * system, say).  Allocated (caller frees), or NULL (no memory).
 */
char *ssp_term_utf8_dup(const char *s);

#endif
