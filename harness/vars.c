/*
 * vars.c - variable tables and ${name} expansion.
 */
#include "vars.h"

#include "limits.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ssp_vars_init(ssp_vars_t *v, const ssp_vars_t *parent)
{
	v->parent = parent;
	v->n = 0;
}

void ssp_vars_free(ssp_vars_t *v)
{
	unsigned i;

	for (i = 0; i < v->n; i++) {
		free(v->item[i].name);
		free(v->item[i].value);
	}
	v->n = 0;
}

int ssp_vars_set(ssp_vars_t *v, const char *name, const char *value, size_t len)
{
	unsigned i;
	char *copy;

	if (len > SSP_VAR_STORED_MAX || !ssp_vars_valid_name(name))
		return -1;
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, value, len);
	copy[len] = '\0';
	for (i = 0; i < v->n; i++) {
		if (strcmp(v->item[i].name, name) == 0) {
			free(v->item[i].value);
			v->item[i].value = copy;
			return 0;
		}
	}
	if (v->n >= SSP_VARS_MAX || (v->item[v->n].name = strdup(name)) == NULL) {
		free(copy);
		return -1;
	}
	v->item[v->n++].value = copy;
	return 0;
}

const char *ssp_vars_get(const ssp_vars_t *v, const char *name)
{
	unsigned i;

	for (; v != NULL; v = v->parent) {
		for (i = 0; i < v->n; i++) {
			if (strcmp(v->item[i].name, name) == 0)
				return v->item[i].value;
		}
	}
	return NULL;
}

int ssp_vars_valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return i > 0 && i <= SSP_VAR_NAME_MAX;
}

/* A parsed reference ${name[+-N]} found at in[*i]. */
typedef struct {
	char name[SSP_VAR_NAME_MAX + 1];
	long offset;
	size_t len; /* bytes of the reference */
} ref_t;

/* refail - set err to a printf-formatted message at offset off; returns -1. */
static int refail(ssp_vars_err_t *err, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refail(ssp_vars_err_t *err, size_t off, const char *fmt, ...)
{
	va_list ap;

	err->offset = off;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

/* parse_ref - in[i] is "${": parse the reference: 0 or -1. */
static int parse_ref(const char *in, size_t n, size_t i, ref_t *r,
		     ssp_vars_err_t *err)
{
	size_t j = i + 2, k = 0;

	while (j < n && in[j] != '}' && in[j] != '+' && in[j] != '-') {
		if (k >= SSP_VAR_NAME_MAX)
			return refail(err, i, "variable name too long");
		r->name[k++] = in[j++];
	}
	r->name[k] = '\0';
	r->offset = 0;
	if (j < n && (in[j] == '+' || in[j] == '-')) {
		int neg = in[j] == '-';
		long off = 0;
		int digits = 0;
		for (j++; j < n && in[j] >= '0' && in[j] <= '9'; j++) {
			off = off * 10 + (in[j] - '0');
			if (++digits > 9)
				return refail(err, i, "variable offset too large");
		}
		if (digits == 0)
			return refail(err, i, "expected digits after + or - in ${name+N}");
		r->offset = neg ? -off : off;
	}
	if (j >= n || in[j] != '}')
		return refail(err, i, "unterminated variable reference: expected '}'");
	if (!ssp_vars_valid_name(r->name))
		return refail(err, i, "bad variable name '%s': use [a-z0-9_]", r->name);
	r->len = j + 1 - i;
	return 0;
}

int ssp_vars_scan(const char *in, size_t n,
		  int (*known)(const char *name, void *ctx), void *ctx,
		  ssp_vars_err_t *err)
{
	size_t i = 0;
	ref_t r;

	while (i + 1 < n) {
		if (in[i] == '$' && in[i + 1] == '$' && i + 2 < n && in[i + 2] == '{') {
			i += 3;
			continue;
		}
		if (in[i] != '$' || in[i + 1] != '{') {
			i++;
			continue;
		}
		if (parse_ref(in, n, i, &r, err) != 0)
			return -1;
		if (!known(r.name, ctx))
			return refail(err, i, "unknown variable ${%s}", r.name);
		i += r.len;
	}
	return 0;
}

int ssp_vars_token(const char *in, size_t n, size_t base, ssp_vars_tok_t *tok, ssp_vars_err_t *err)
{
	ref_t r;

	memset(tok, 0, sizeof(*tok));
	if (n > 2 && in[1] == '$' && in[2] == '{') {
		tok->kind = SSP_VARS_TOK_ESCAPE;
		tok->len = 3;
		return 0;
	}
	if (n < 2 || in[1] != '{') {
		tok->kind = SSP_VARS_TOK_DOLLAR;
		tok->len = 1;
		return 0;
	}
	if (parse_ref(in, n, 0, &r, err) != 0) {
		err->offset += base;
		return -1;
	}
	tok->kind = SSP_VARS_TOK_REF;
	tok->len = r.len;
	memcpy(tok->name, r.name, sizeof(tok->name));
	tok->offset = r.offset;
	return 0;
}

int ssp_vars_value(const ssp_vars_t *v, const ssp_vars_tok_t *tok, char *num, const char **p,
		   size_t *len, size_t base, ssp_vars_err_t *err)
{
	const char *val;

	if (tok->kind == SSP_VARS_TOK_DOLLAR || tok->kind == SSP_VARS_TOK_ESCAPE) {
		*p = tok->kind == SSP_VARS_TOK_DOLLAR ? "$" : "${";
		*len = tok->kind == SSP_VARS_TOK_DOLLAR ? 1 : 2;
		return 0;
	}
	val = ssp_vars_get(v, tok->name);
	if (val == NULL)
		return refail(err, base, "variable ${%s} has no value", tok->name);
	if (tok->offset != 0) {
		char *end;
		long long x;
		errno = 0;
		x = strtoll(val, &end, 10);
		if (errno || end == val || *end != '\0')
			return refail(err, base, "variable ${%s} is not a number", tok->name);
		if (__builtin_add_overflow(x, (long long)tok->offset, &x))
			return refail(err, base, "variable ${%s} plus its offset overflows", tok->name);
		snprintf(num, 32, "%lld", x);
		val = num;
	}
	*p = val;
	*len = strlen(val);
	return 0;
}

int ssp_vars_expand(const ssp_vars_t *v, const char *in, size_t n,
		    ssp_buf_t *out, ssp_vars_err_t *err)
{
	size_t i = 0;

	while (i < n) {
		const char *d = memchr(in + i, '$', n - i);
		size_t lit = d ? (size_t)(d - (in + i)) : n - i, vlen;
		ssp_vars_tok_t tok;
		const char *val;
		char num[32];

		if (ssp_buf_append(out, in + i, lit) != 0)
			return refail(err, i, "expanded text too long");
		i += lit;
		if (i >= n)
			break;
		if (ssp_vars_token(in + i, n - i, i, &tok, err) != 0 ||
		    ssp_vars_value(v, &tok, num, &val, &vlen, i, err) != 0)
			return -1;
		if (ssp_buf_append(out, val, vlen) != 0)
			return refail(err, i, "expanded text too long");
		i += tok.len;
	}
	return 0;
}
