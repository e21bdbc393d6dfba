/*
 * buf.h - a growable byte buffer with a hard cap.
 *
 * Bytes are binary-safe (NUL is data).  Growth never exceeds the cap given
 * at init; an append that would exceed it fails and changes nothing.
 */
#ifndef SSP_BUF_H
#define SSP_BUF_H

#include <stddef.h>

typedef struct ssp_buf_s {
	char *data;
	size_t len;
	size_t cap;     /* allocated bytes */
	size_t max;     /* hard cap on len */
} ssp_buf_t;

/* ssp_buf_init - empty buffer that may grow up to max bytes; allocates nothing. */
void ssp_buf_init(ssp_buf_t *b, size_t max);
/* ssp_buf_free - release the storage; the buffer is empty and reusable. */
void ssp_buf_free(ssp_buf_t *b);
/* ssp_buf_reserve - make room for n more bytes: 0, or -1 past the cap or out of memory. */
int ssp_buf_reserve(ssp_buf_t *b, size_t n);
/* ssp_buf_append - append n bytes: 0, or -1 (nothing appended). */
int ssp_buf_append(ssp_buf_t *b, const void *p, size_t n);
/* ssp_buf_append_str - append a NUL-terminated string (without the NUL). */
int ssp_buf_append_str(ssp_buf_t *b, const char *s);
/* ssp_buf_appendf - append printf-formatted text: 0, or -1 (nothing appended). */
int ssp_buf_appendf(ssp_buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* ssp_str_appendf - append printf-formatted text to the NUL-terminated string
 * in the fixed array out[0..size), cut to fit (messages are cut by design). */
void ssp_str_appendf(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ssp_buf_consume - drop the first n bytes (n <= len). */
void ssp_buf_consume(ssp_buf_t *b, size_t n);
/* ssp_buf_cstr - NUL-terminate (not counted in len) and return data, or NULL. */
char *ssp_buf_cstr(ssp_buf_t *b);
/* ssp_buf_steal - return data NUL-terminated and leave b empty; caller frees. */
char *ssp_buf_steal(ssp_buf_t *b, size_t *len);

#endif
