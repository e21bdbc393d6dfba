/*
 * vars.h - variables of a session: the target profile's values and the
 * values a vector captures from replies.
 *
 * In vector text, ${name} is replaced by the value, ${name+N} / ${name-N}
 * by a numeric value plus or minus N, and $${ by a literal "${".
 * Names are [a-z0-9_]{1,64}.
 */
#ifndef SSP_VARS_H
#define SSP_VARS_H

#include "buf.h"
#include "limits.h"

#include <stddef.h>


typedef struct ssp_vars_s {
	const struct ssp_vars_s *parent; /* looked up after this table; borrowed */
	unsigned n;
	struct {
		char *name;
		char *value;
	} item[SSP_VARS_MAX];
} ssp_vars_t;

/* ssp_vars_init - empty table that falls back to parent (may be NULL). */
void ssp_vars_init(ssp_vars_t *v, const ssp_vars_t *parent);
/* ssp_vars_free - release names and values owned by this table. */
void ssp_vars_free(ssp_vars_t *v);
/* ssp_vars_set - set name to value[0..len) (copied): 0, or -1 (table full, longer
 * than SSP_VAR_STORED_MAX; the loaders hold profile values and captures to
 * SSP_VAR_VALUE_MAX themselves). */
int ssp_vars_set(ssp_vars_t *v, const char *name, const char *value, size_t len);
/* ssp_vars_get - the value of name, here or in a parent, or NULL. */
const char *ssp_vars_get(const ssp_vars_t *v, const char *name);

/* Error of an expansion or a scan: where and what. */
typedef struct ssp_vars_err_s {
	size_t offset;
	char text[160];
} ssp_vars_err_t;

/*
 * The expansion at one '$' (what ssp_vars_expand and the streaming sender
 * both do): "$${" is a literal "${", "${name[+-N]}" a reference, any other
 * '$' itself.  Deciding never needs more than SSP_VARS_WINDOW bytes.
 */
#define SSP_VARS_WINDOW (SSP_VAR_NAME_MAX + 32)
typedef enum { SSP_VARS_TOK_DOLLAR, SSP_VARS_TOK_ESCAPE, SSP_VARS_TOK_REF } ssp_vars_tok_kind_t;
typedef struct ssp_vars_tok_s {
	ssp_vars_tok_kind_t kind;
	size_t len;                       /* bytes of in the token takes */
	char name[SSP_VAR_NAME_MAX + 1];  /* SSP_VARS_TOK_REF */
	long offset;                      /* ... its +N / -N */
} ssp_vars_tok_t;

/* ssp_vars_token - in[0] is '$' (n >= 1): the token there: 0, or -1 with
 * err set (a malformed reference; err->offset = base). */
int ssp_vars_token(const char *in, size_t n, size_t base, ssp_vars_tok_t *tok, ssp_vars_err_t *err);

/* ssp_vars_value - the bytes a token stands for: 0 with *p, *len set (num,
 * 32 bytes, may hold them), or -1 with err set (no value, not a number). */
int ssp_vars_value(const ssp_vars_t *v, const ssp_vars_tok_t *tok, char *num, const char **p,
		   size_t *len, size_t base, ssp_vars_err_t *err);

/* ssp_vars_expand - append in[0..n) to out with variables replaced: 0 or -1. */
int ssp_vars_expand(const ssp_vars_t *v, const char *in, size_t n,
		    ssp_buf_t *out, ssp_vars_err_t *err);

/*
 * ssp_vars_scan - call known(name, ctx) for each ${name} in in[0..n); a
 * reference known() refuses, or a malformed one, returns -1 with err set.
 */
int ssp_vars_scan(const char *in, size_t n,
		  int (*known)(const char *name, void *ctx), void *ctx,
		  ssp_vars_err_t *err);

/* ssp_vars_valid_name - 1 if s is a valid variable name. */
int ssp_vars_valid_name(const char *s);

#endif
