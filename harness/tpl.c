/*
 * tpl.c - compact payload templates: building, and reading the expansion.
 */
#include "tpl.h"

#include <string.h>

/* The ops array holds every op of a template; a template of n source bytes
 * has at most n ops, so the source file cap bounds it. */
#define OPS_BYTES_MAX ((size_t)SSP_FILE_BYTES_MAX * sizeof(ssp_tpl_op_t))

void ssp_tpl_init(ssp_tpl_t *t)
{
	ssp_buf_init(&t->pool, SSP_FILE_BYTES_MAX);
	ssp_buf_init(&t->ops, OPS_BYTES_MAX);
	t->size = 0;
	t->can_merge = 0;
}

void ssp_tpl_free(ssp_tpl_t *t)
{
	ssp_buf_free(&t->pool);
	ssp_buf_free(&t->ops);
	t->size = 0;
	t->can_merge = 0;
}

size_t ssp_tpl_nops(const ssp_tpl_t *t)
{
	return t->ops.len / sizeof(ssp_tpl_op_t);
}

const ssp_tpl_op_t *ssp_tpl_op(const ssp_tpl_t *t, size_t i)
{
	return (const ssp_tpl_op_t *)(const void *)t->ops.data + i;
}

/* op_at - op i, writable. */
static ssp_tpl_op_t *op_at(ssp_tpl_t *t, size_t i)
{
	return (ssp_tpl_op_t *)(void *)t->ops.data + i;
}

int ssp_tpl_is_literal(const ssp_tpl_t *t)
{
	return ssp_tpl_nops(t) == 0 || (ssp_tpl_nops(t) == 1 && ssp_tpl_op(t, 0)->kind == SSP_TPL_LIT);
}

int ssp_tpl_lit(ssp_tpl_t *t, const char *p, size_t n)
{
	ssp_tpl_op_t op;

	if (n == 0)
		return 0;
	if (ssp_buf_append(&t->pool, p, n) != 0)
		return -1;
	if (t->can_merge) {
		ssp_tpl_op_t *last = op_at(t, ssp_tpl_nops(t) - 1);
		last->len += n;
		last->size += n;
		return 0;
	}
	memset(&op, 0, sizeof(op));
	op.kind = SSP_TPL_LIT;
	op.off = t->pool.len - n;
	op.len = n;
	op.size = n;
	if (ssp_buf_append(&t->ops, &op, sizeof(op)) != 0) {
		t->pool.len -= n;
		return -1;
	}
	t->can_merge = 1;
	return 0;
}

long ssp_tpl_open(ssp_tpl_t *t)
{
	ssp_tpl_op_t op;

	memset(&op, 0, sizeof(op));
	op.kind = SSP_TPL_REPEAT;
	/* until closed: where the pool ended and whether the literal before
	 * could grow, to undo the body when its expansion is empty */
	op.off = t->pool.len;
	op.count = (uint32_t)t->can_merge;
	if (ssp_buf_append(&t->ops, &op, sizeof(op)) != 0)
		return -1;
	t->can_merge = 0;
	return (long)ssp_tpl_nops(t) - 1;
}

int ssp_tpl_close(ssp_tpl_t *t, long at, uint32_t count, uint64_t body_size, uint64_t max,
		  int *err_big)
{
	ssp_tpl_op_t *op = op_at(t, (size_t)at);
	uint64_t size;

	*err_big = 0;
	if (count == 0 || body_size == 0) {
		/* nothing to produce: the repeat and its body vanish, and the
		 * literal before it may grow again */
		t->pool.len = op->off;
		t->can_merge = (int)op->count;
		t->ops.len = (size_t)at * sizeof(ssp_tpl_op_t);
		return 0;
	}
	t->can_merge = 0;
	if (__builtin_mul_overflow(body_size, (uint64_t)count, &size) || size > max) {
		*err_big = 1;
		return -1;
	}
	op->count = count;
	op->len = ssp_tpl_nops(t) - (size_t)at - 1;
	op->size = size;
	return 0;
}

void ssp_tpl_cur_init(ssp_tpl_cur_t *c, const ssp_tpl_t *t)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->depth = 1;
	c->fr[0].end = ssp_tpl_nops(t);
	c->fr[0].left = 1;
}

void ssp_tpl_cur_bytes(ssp_tpl_cur_t *c, const char *p, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->n = n;
}

size_t ssp_tpl_read(ssp_tpl_cur_t *c, char *out, size_t n)
{
	size_t got = 0;

	if (c->t == NULL) {
		size_t k = c->n - c->lit_at < n ? c->n - c->lit_at : n;
		if (k > 0)
			memcpy(out, c->p + c->lit_at, k);
		c->lit_at += k;
		return k;
	}
	while (got < n && c->depth > 0) {
		__typeof__(c->fr[0]) *f = &c->fr[c->depth - 1];
		const ssp_tpl_op_t *op;

		if (f->op >= f->end) {
			/* the end of a round of this body */
			if (--f->left > 0) {
				f->op = f->start;
				continue;
			}
			c->depth--;
			if (c->depth > 0)
				c->fr[c->depth - 1].op = f->end;
			continue;
		}
		op = ssp_tpl_op(c->t, f->op);
		if (op->kind == SSP_TPL_LIT) {
			size_t k = op->len - c->lit_at;
			if (k > n - got)
				k = n - got;
			memcpy(out + got, c->t->pool.data + op->off + c->lit_at, k);
			got += k;
			c->lit_at += k;
			if (c->lit_at == op->len) {
				c->lit_at = 0;
				f->op++;
			}
		} else if (c->depth < sizeof(c->fr) / sizeof(c->fr[0])) {
			__typeof__(c->fr[0]) *in = &c->fr[c->depth++];
			in->start = f->op + 1;
			in->end = f->op + 1 + op->len;
			in->op = in->start;
			in->left = op->count;
		} else {
			f->op += 1 + op->len; /* deeper than built: cannot happen */
		}
	}
	return got;
}
