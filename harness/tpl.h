/*
 * tpl.h - a compact payload template: what a "send_raw" or "data" string
 * decodes to (escape.h), kept as literal segments and repeat nodes instead
 * of the expanded bytes, so that "%repeat[1000000 x ...]%" costs its source
 * size in memory and its expanded size only while it is written.
 *
 * A template is a flat array of ops: a literal (bytes in the pool), or a
 * repeat (count, and the ops of its body, which follow it).  Repeats whose
 * expansion is empty are dropped when built, so a reader never loops on
 * nothing.  The expanded size is known exactly, computed with overflow
 * checks when the template is built.  No I/O.
 */
#ifndef SSP_TPL_H
#define SSP_TPL_H

#include "buf.h"
#include "limits.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { SSP_TPL_LIT = 0, SSP_TPL_REPEAT } ssp_tpl_kind_t;

typedef struct ssp_tpl_op_s {
	ssp_tpl_kind_t kind;
	uint32_t count;   /* SSP_TPL_REPEAT: times the body is produced (>= 1) */
	size_t off, len;  /* LIT: pool[off..off+len); REPEAT: len = ops of the body */
	uint64_t size;    /* expanded bytes of this op (a repeat: all its rounds) */
} ssp_tpl_op_t;

typedef struct ssp_tpl_s {
	ssp_buf_t pool;   /* literal bytes, never more than the source string */
	ssp_buf_t ops;    /* array of ssp_tpl_op_t */
	uint64_t size;    /* expanded bytes of the whole template */
	int can_merge;    /* the last op is a literal at the current level */
} ssp_tpl_t;

/* ssp_tpl_init - empty template (size 0); allocates nothing. */
void ssp_tpl_init(ssp_tpl_t *t);
/* ssp_tpl_free - release what it holds; it is empty and reusable. */
void ssp_tpl_free(ssp_tpl_t *t);
/* ssp_tpl_nops - ops of the template. */
size_t ssp_tpl_nops(const ssp_tpl_t *t);
/* ssp_tpl_op - op i (i < ssp_tpl_nops). */
const ssp_tpl_op_t *ssp_tpl_op(const ssp_tpl_t *t, size_t i);
/* ssp_tpl_is_literal - 1 if the template is one literal (or empty): its
 * expansion is the pool itself. */
int ssp_tpl_is_literal(const ssp_tpl_t *t);

/*
 * Building (escape.c): ssp_tpl_lit appends literal bytes at the current
 * level; ssp_tpl_open starts a repeat body (returns its op index, or -1 out
 * of memory); ssp_tpl_close ends it with count, given the expanded size of
 * the body.  Each returns 0, or -1 (out of memory; close: the expansion
 * would pass max, *err_big set to 1).
 */
int ssp_tpl_lit(ssp_tpl_t *t, const char *p, size_t n);
long ssp_tpl_open(ssp_tpl_t *t);
int ssp_tpl_close(ssp_tpl_t *t, long at, uint32_t count, uint64_t body_size, uint64_t max,
		  int *err_big);

/* A reader: the expanded bytes in order, any number at a time. */
typedef struct ssp_tpl_cur_s {
	const ssp_tpl_t *t;       /* NULL: the plain bytes p[0..n) */
	const char *p;
	size_t n;
	size_t lit_at;            /* bytes of the current literal already read */
	unsigned depth;           /* frames in use */
	struct {
		size_t start, end, op; /* body ops [start, end), the current one */
		uint32_t left;         /* rounds left, this one included */
	} fr[SSP_ESCAPE_DEPTH_MAX + 2];
} ssp_tpl_cur_t;

/* ssp_tpl_cur_init - a reader at the start of t (borrowed). */
void ssp_tpl_cur_init(ssp_tpl_cur_t *c, const ssp_tpl_t *t);
/* ssp_tpl_cur_bytes - a reader of the plain bytes p[0..n) (borrowed). */
void ssp_tpl_cur_bytes(ssp_tpl_cur_t *c, const char *p, size_t n);
/* ssp_tpl_read - copy up to n next expanded bytes to out: the count, 0 at the end. */
size_t ssp_tpl_read(ssp_tpl_cur_t *c, char *out, size_t n);

#endif
