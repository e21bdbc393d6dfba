/*
 * jsonfile.c - JSON input files with located errors.
 */
#include "jsonfile.h"

#include "buf.h"
#include "limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* read_file - the whole regular file name (at most max bytes) into out: 0, or
 * -1 with diag.  Opened without blocking, so a FIFO never holds the run. */
static int read_file(const char *name, ssp_buf_t *out, size_t max, ssp_diag_t *diag)
{
	int fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char chunk[8192];
	size_t n;
	FILE *fp;

	if (fd < 0)
		return ssp_diag_set(diag, name, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ssp_diag_set(diag, name, 0, 0, "not a regular file (a directory, FIFO, socket or device)");
	}
	if ((fp = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return ssp_diag_set(diag, name, 0, 0, "cannot open: %s", strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (ssp_buf_append(out, chunk, n) != 0) {
			fclose(fp);
			return ssp_diag_set(diag, name, 0, 0,
					    "file larger than %zu bytes", max);
		}
	}
	if (ferror(fp)) {
		fclose(fp);
		return ssp_diag_set(diag, name, 0, 0, "read error: %s", strerror(errno));
	}
	fclose(fp);
	return 0;
}

/* parse - parse f->text[0..f->len) into f->root: 0, or -1 with diag set. */
static int parse(ssp_jfile_t *f)
{
	json_error_t je;
	const char *name = f->name;
	ssp_diag_t *diag = f->diag;

	f->root = json_loadb(f->text, f->len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (f->root == NULL)
		return ssp_diag_set(diag, name, je.line > 0 ? je.line : 0,
				    je.column > 0 ? je.column : 0, "JSON: %s", je.text);
	return 0;
}

int ssp_jfile_open(ssp_jfile_t *f, const char *name, ssp_diag_t *diag)
{
	return ssp_jfile_open_max(f, name, SSP_FILE_BYTES_MAX, diag);
}

int ssp_jfile_open_max(ssp_jfile_t *f, const char *name, size_t max, ssp_diag_t *diag)
{
	ssp_buf_t b;

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->diag = diag;
	ssp_buf_init(&b, max);
	if (read_file(name, &b, max, diag) != 0) {
		ssp_buf_free(&b);
		return -1;
	}
	f->text = ssp_buf_steal(&b, &f->len);
	if (f->text == NULL)
		return ssp_diag_set(diag, name, 0, 0, "out of memory");
	return parse(f);
}

int ssp_jfile_open_mem(ssp_jfile_t *f, const char *name, const char *text, size_t len,
		       ssp_diag_t *diag)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->diag = diag;
	if (len > SSP_FILE_BYTES_MAX)
		return ssp_diag_set(diag, name, 0, 0, "file larger than %d bytes", SSP_FILE_BYTES_MAX);
	f->text = malloc(len + 1);
	if (f->text == NULL)
		return ssp_diag_set(diag, name, 0, 0, "out of memory");
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	return parse(f);
}

void ssp_jfile_close(ssp_jfile_t *f)
{
	json_decref(f->root);
	free(f->text);
	f->root = NULL;
	f->text = NULL;
}

void ssp_jfile_push_key(ssp_jfile_t *f, const char *key)
{
	if (f->depth < SSP_JPATH_MAX) {
		f->path[f->depth].key = key;
		f->path[f->depth].index = 0;
	}
	f->depth++;
}

void ssp_jfile_push_index(ssp_jfile_t *f, size_t index)
{
	if (f->depth < SSP_JPATH_MAX) {
		f->path[f->depth].key = NULL;
		f->path[f->depth].index = index;
	}
	f->depth++;
}

void ssp_jfile_pop(ssp_jfile_t *f)
{
	if (f->depth > 0)
		f->depth--;
}

/* path_text - the current path as "steps[2].expect.code". */
static void path_text(const ssp_jfile_t *f, char *out, size_t size)
{
	size_t used = 0;
	int d;

	out[0] = '\0';
	for (d = 0; d < f->depth && d < SSP_JPATH_MAX && used < size; d++) {
		const ssp_jpath_t *p = &f->path[d];
		int n = p->key ? snprintf(out + used, size - used, "%s%s", used ? "." : "", p->key)
			       : snprintf(out + used, size - used, "[%zu]", p->index);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int ssp_jfile_error(ssp_jfile_t *f, int at_key, const char *fmt, ...)
{
	char path[256], msg[400];
	int line = 0, column = 0;
	int depth = f->depth < SSP_JPATH_MAX ? f->depth : SSP_JPATH_MAX;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	path_text(f, path, sizeof(path));
	/* a missing member is reported at its parent object */
	while (ssp_jsonpos_find(f->text, f->len, f->path, depth, at_key, &line, &column) != 0 &&
	       depth > 0) {
		depth--;
		at_key = 0;
	}
	if (path[0])
		return ssp_diag_set(f->diag, f->name, line, column, "%s: %s", path, msg);
	return ssp_diag_set(f->diag, f->name, line, column, "%s", msg);
}

int ssp_jfile_check_keys(ssp_jfile_t *f, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;
		for (i = 0; allowed[i]; i++) {
			if (strcmp(key, allowed[i]) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			int rc;
			ssp_jfile_push_key(f, key);
			rc = ssp_jfile_error(f, 1, "unknown field \"%s\"", key);
			ssp_jfile_pop(f);
			return rc;
		}
	}
	return 0;
}

const char *ssp_jfile_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

int ssp_jfile_string(ssp_jfile_t *f, json_t *obj, const char *key, int required,
		     const char **out, size_t *len)
{
	json_t *v = json_object_get(obj, key);
	int rc = 0;

	*out = NULL;
	if (len)
		*len = 0;
	ssp_jfile_push_key(f, key);
	if (v == NULL) {
		if (required)
			rc = ssp_jfile_error(f, 0, "required field is missing");
	} else if (!json_is_string(v)) {
		rc = ssp_jfile_error(f, 0, "must be a string, not %s", ssp_jfile_type_name(v));
	} else {
		*out = json_string_value(v);
		if (len)
			*len = json_string_length(v);
		else if (strlen(*out) != json_string_length(v))
			rc = ssp_jfile_error(f, 0, "must not contain NUL (\\u0000)");
	}
	ssp_jfile_pop(f);
	return rc;
}

int ssp_jfile_uint(ssp_jfile_t *f, json_t *obj, const char *key, int required,
		   long long min, long long max, long long *out)
{
	json_t *v = json_object_get(obj, key);
	int rc = 0;

	ssp_jfile_push_key(f, key);
	if (v == NULL) {
		if (required)
			rc = ssp_jfile_error(f, 0, "required field is missing");
	} else if (!json_is_integer(v)) {
		rc = ssp_jfile_error(f, 0, "must be an integer, not %s", ssp_jfile_type_name(v));
	} else if (json_integer_value(v) < min || json_integer_value(v) > max) {
		rc = ssp_jfile_error(f, 0, "must be between %lld and %lld", min, max);
	} else {
		*out = json_integer_value(v);
	}
	ssp_jfile_pop(f);
	return rc;
}

int ssp_jfile_bool(ssp_jfile_t *f, json_t *obj, const char *key, int *out)
{
	json_t *v = json_object_get(obj, key);
	int rc = 0;

	if (v == NULL)
		return 0;
	ssp_jfile_push_key(f, key);
	if (!json_is_boolean(v))
		rc = ssp_jfile_error(f, 0, "must be true or false, not %s", ssp_jfile_type_name(v));
	else
		*out = json_is_true(v);
	ssp_jfile_pop(f);
	return rc;
}
