/*
 * digest.c - SHA-256 digests (OpenSSL EVP) of what a run was made with:
 * the catalogue's files and the target profile, so that a certification
 * statement names the exact inputs and anyone can rerun the same check.
 *
 * The catalogue digest covers every file the loaders read: each *.json
 * below vectors/ (recursively, names starting with '.' skipped, as
 * catalogue.c walks) and each *.json directly in suites/ (as suite.c
 * reads), in byte order of their paths relative to the catalogue
 * directory.  Each file contributes "path\n<size>\n<bytes>", so the digest
 * does not depend on where the catalogue is installed.
 */
#include "digest.h"

#include "../harness/limits.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	char **paths;  /* relative to the catalogue directory */
	size_t n, cap;
} pathlist_t;

static void hex_of(const unsigned char *md, unsigned len, char hex[SSP_DIGEST_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len && 2 * i + 2 < SSP_DIGEST_HEX; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
}

/* finish - write the hex digest of ctx into hex and free ctx: 0 or -1. */
static int finish(EVP_MD_CTX *ctx, char hex[SSP_DIGEST_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	int ok = EVP_DigestFinal_ex(ctx, md, &len) == 1;

	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	hex_of(md, len, hex);
	return 0;
}

static EVP_MD_CTX *start(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int ssp_digest_bytes(const void *p, size_t n, char hex[SSP_DIGEST_HEX])
{
	EVP_MD_CTX *ctx = start();

	if (ctx == NULL || EVP_DigestUpdate(ctx, p, n) != 1) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	return finish(ctx, hex);
}

/* feed_file - add "name\n<size>\n<bytes>" (name NULL: bytes only) to ctx: 0 or -1. */
static int feed_file(EVP_MD_CTX *ctx, const char *path, const char *name, ssp_diag_t *diag)
{
	char chunk[65536], head[64];
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t got;
	int rc = 0;

	if (f == NULL || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return ssp_diag_set(diag, path, 0, 0, "cannot read: %s", strerror(errno));
	}
	if (name != NULL) {
		snprintf(head, sizeof(head), "\n%lld\n", (long long)st.st_size);
		if (EVP_DigestUpdate(ctx, name, strlen(name)) != 1 ||
		    EVP_DigestUpdate(ctx, head, strlen(head)) != 1)
			rc = -1;
	}
	while (rc == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (EVP_DigestUpdate(ctx, chunk, got) != 1)
			rc = -1;
	}
	if (ferror(f))
		rc = ssp_diag_set(diag, path, 0, 0, "read error");
	fclose(f);
	return rc == 0 ? 0 : ssp_diag_set(diag, path, 0, 0, "cannot compute the digest");
}

int ssp_digest_file(const char *path, char hex[SSP_DIGEST_HEX], ssp_diag_t *diag)
{
	EVP_MD_CTX *ctx = start();

	if (ctx == NULL)
		return ssp_diag_set(diag, path, 0, 0, "SHA-256 is not available");
	if (feed_file(ctx, path, NULL, diag) != 0) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	return finish(ctx, hex);
}

static int add_path(pathlist_t *l, const char *rel)
{
	if (l->n >= SSP_VECTORS_MAX + SSP_VECTORS_MAX / 4)
		return -1;
	if (l->n == l->cap) {
		char **p = realloc(l->paths, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof(*p));
		if (p == NULL)
			return -1;
		l->paths = p;
	}
	if ((l->paths[l->n] = strdup(rel)) == NULL)
		return -1;
	l->n++;
	return 0;
}

/* collect - add the *.json files below top/rel (recursing when deep) to l: 0 or -1. */
static int collect(pathlist_t *l, const char *top, const char *rel, int deep, int depth,
		   ssp_diag_t *diag)
{
	char dir[4096];
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (depth > SSP_DIR_DEPTH_MAX)
		return ssp_diag_set(diag, rel, 0, 0, "directories nested deeper than %d", SSP_DIR_DEPTH_MAX);
	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", top, rel) >= sizeof(dir))
		return ssp_diag_set(diag, rel, 0, 0, "path too long");
	if ((d = opendir(dir)) == NULL)
		return ssp_diag_set(diag, dir, 0, 0, "cannot open directory: %s", strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char path[4096], sub[4096];
		size_t len = strlen(de->d_name);
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name) >= sizeof(sub) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", top, sub) >= sizeof(path)) {
			rc = ssp_diag_set(diag, dir, 0, 0, "path too long");
			break;
		}
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && deep)
			rc = collect(l, top, sub, deep, depth + 1, diag);
		else if (S_ISREG(st.st_mode) && len > 5 && strcmp(de->d_name + len - 5, ".json") == 0 &&
			 add_path(l, sub) != 0)
			rc = ssp_diag_set(diag, dir, 0, 0, "too many files or out of memory");
	}
	closedir(d);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ssp_digest_catalogue(const char *dir, char hex[SSP_DIGEST_HEX], ssp_diag_t *diag)
{
	pathlist_t l = { NULL, 0, 0 };
	EVP_MD_CTX *ctx = NULL;
	size_t i;
	int rc;

	rc = collect(&l, dir, "vectors", 1, 0, diag);
	if (rc == 0)
		rc = collect(&l, dir, "suites", 0, 0, diag);
	if (rc == 0 && l.n > 1)
		qsort(l.paths, l.n, sizeof(*l.paths), cmp_path);
	if (rc == 0 && (ctx = start()) == NULL)
		rc = ssp_diag_set(diag, dir, 0, 0, "SHA-256 is not available");
	for (i = 0; rc == 0 && i < l.n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, l.paths[i]);
		rc = feed_file(ctx, path, l.paths[i], diag);
	}
	if (rc == 0) {
		rc = finish(ctx, hex);
		ctx = NULL;
	}
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	return rc == 0 ? 0 : -1;
}
