/*
 * jsonpos.h - find where a value sits in JSON text, for error messages.
 *
 * jansson reports line and column for syntax errors only; a value it parsed
 * carries no position.  To report a semantic error (a wrong type, a bad
 * code) at file:line:column, the loaders name the value by its path and this
 * module walks the (already valid) text to that path.  It reads nothing
 * else: values themselves always come from jansson.
 */
#ifndef SSP_JSONPOS_H
#define SSP_JSONPOS_H

#include <stddef.h>

/* One step of a path: an object key, or (key == NULL) an array index. */
typedef struct ssp_jpath_s {
	const char *key;
	size_t index;
} ssp_jpath_t;

/*
 * ssp_jsonpos_find - position of the value at path[0..depth) in text; with
 * at_key, the position of the last step's key instead.  Sets 1-based line
 * and column and returns 0, or returns -1 if the path is not found.
 */
int ssp_jsonpos_find(const char *text, size_t len, const ssp_jpath_t *path,
		     int depth, int at_key, int *line, int *column);

#endif
