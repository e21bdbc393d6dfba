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
