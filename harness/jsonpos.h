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

/*
 * ssp_jsonpos_elements - positions of the first n elements of the array at
 * path[0..depth) in one pass over the text (linear, where n calls of
 * ssp_jsonpos_find would be quadratic): line[i], column[i] for i < n.
 * 0, or -1 if the path is not an array of at least n elements.
 */
int ssp_jsonpos_elements(const char *text, size_t len, const ssp_jpath_t *path, int depth,
			 size_t n, int *line, int *column);

#endif
