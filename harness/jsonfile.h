/*
 * jsonfile.h - load one JSON input file (vector, suite or profile) with
 * jansson and report every error at file:line:column.
 *
 * Only the loaders include this header: jansson values never leave them.
 * A loader keeps a path (object keys and array indexes) while it walks the
 * document; an error names that path and is placed in the text with jsonpos.
 */
#ifndef SSP_JSONFILE_H
#define SSP_JSONFILE_H

#include "diag.h"
#include "jsonpos.h"

#include <jansson.h>
#include <stddef.h>

#define SSP_JPATH_MAX 16

typedef struct ssp_jfile_s {
	const char *name;   /* file name for messages; borrowed */
	char *text;         /* file contents; owned */
	size_t len;
	json_t *root;       /* owned */
	ssp_jpath_t path[SSP_JPATH_MAX];
	int depth;
	ssp_diag_t *diag;   /* borrowed; receives the first error */
} ssp_jfile_t;

/* ssp_jfile_open - read and parse a file (size capped): 0, or -1 with diag set. */
int ssp_jfile_open(ssp_jfile_t *f, const char *name, ssp_diag_t *diag);
/* ssp_jfile_open_max - the same with another size cap (result documents). */
int ssp_jfile_open_max(ssp_jfile_t *f, const char *name, size_t max, ssp_diag_t *diag);
/* ssp_jfile_open_mem - the same for text[0..len) in memory (copied); name is for messages. */
int ssp_jfile_open_mem(ssp_jfile_t *f, const char *name, const char *text, size_t len,
		       ssp_diag_t *diag);
/* ssp_jfile_close - release the text and the parsed document. */
void ssp_jfile_close(ssp_jfile_t *f);

/* ssp_jfile_push_key / _push_index / _pop - maintain the current path. */
void ssp_jfile_push_key(ssp_jfile_t *f, const char *key);
void ssp_jfile_push_index(ssp_jfile_t *f, size_t index);
void ssp_jfile_pop(ssp_jfile_t *f);

/*
 * ssp_jfile_error - record an error at the current path (at_key: at its
 * key): "path: message"; returns -1.
 */
int ssp_jfile_error(ssp_jfile_t *f, int at_key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * ssp_jfile_check_keys - every key of obj must be in allowed (NULL-ended);
 * the first other key is an error at that key.  0 or -1.
 */
int ssp_jfile_check_keys(ssp_jfile_t *f, json_t *obj, const char *const *allowed);

/*
 * ssp_jfile_string - the string member key of obj (current path is obj):
 * *out borrowed from the document, *len its length (may contain NUL).
 * Missing: -1 with an error if required, else 0 with *out NULL.
 */
int ssp_jfile_string(ssp_jfile_t *f, json_t *obj, const char *key, int required,
		     const char **out, size_t *len);
/* ssp_jfile_uint - integer member in [min, max]; missing: *out unchanged unless required. */
int ssp_jfile_uint(ssp_jfile_t *f, json_t *obj, const char *key, int required,
		   long long min, long long max, long long *out);
/* ssp_jfile_bool - boolean member; missing: *out unchanged. */
int ssp_jfile_bool(ssp_jfile_t *f, json_t *obj, const char *key, int *out);

/* ssp_jfile_type_name - "object", "string", ... for messages. */
const char *ssp_jfile_type_name(const json_t *v);

#endif
