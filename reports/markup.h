/*
 * markup.h - writing HTML and XML safely: text escaping that keeps any
 * byte sequence (NUL, control bytes, invalid UTF-8, "</pre>", "]]>",
 * quotes) from changing the structure of the page or the document, and
 * the page template embedded into the binary at build time.
 */
#ifndef SSP_MARKUP_H
#define SSP_MARKUP_H

#include "result.h"

#include <stddef.h>
#include <stdio.h>

/* reports/template.html, embedded by the Makefile (od | sed): len bytes, NUL after. */
extern const char ssp_template_html[];
extern const size_t ssp_template_html_len;

/*
 * ssp_markup_text - write s[0..n) as HTML/XML character data or attribute
 * value: & < > " ' as entities; well-formed UTF-8 as is; every control
 * byte, DEL, U+FFFE, U+FFFF, every invisible character that can reorder
 * or break a line (C1, bidi controls, U+2028/9, zero-width) and every byte
 * of invalid UTF-8 as the visible text \xHH.  The output is always
 * well-formed.
 */
void ssp_markup_text(FILE *f, const char *s, size_t n);
/* ssp_markup_str - ssp_markup_text of a NUL-terminated string (NULL: nothing). */
void ssp_markup_str(FILE *f, const char *s);

/*
 * ssp_markup_id - write s as an HTML id or URL fragment: prefix, then
 * [A-Za-z0-9./_-] as is and every other byte as "~HH", so that the same
 * input always gives the same safe name.
 */
void ssp_markup_id(FILE *f, const char *prefix, const char *s);

/* ssp_markup_cert_class - the page's CSS class of a certification outcome: "ok", "meh", "bad", "na". */
const char *ssp_markup_cert_class(ssp_cert_level_t c);

/* A writer of one named part of a template ("title", "body"). */
typedef void (*ssp_markup_part_cb)(FILE *f, const char *name, void *arg);
/*
 * ssp_markup_template - copy tmpl[0..len) to f, calling part for each
 * marker "<!--ssp:NAME-->" in place of the marker.
 */
void ssp_markup_template(FILE *f, const char *tmpl, size_t len, ssp_markup_part_cb part, void *arg);

/* ssp_markup_close - check for write errors and close f: 0, or -1. */
int ssp_markup_close(FILE *f);

#endif
