/*
 * digest.h - SHA-256 digests of the catalogue and the profile a run used
 * (for certification statements that anyone can reproduce).
 */
#ifndef SSP_DIGEST_H
#define SSP_DIGEST_H

#include "../harness/diag.h"

#include <stddef.h>

/* A SHA-256 digest in lowercase hex, NUL included. */
#define SSP_DIGEST_HEX 65

/* ssp_digest_bytes - the digest of p[0..n): 0, or -1 (no SHA-256). */
int ssp_digest_bytes(const void *p, size_t n, char hex[SSP_DIGEST_HEX]);
/* ssp_digest_file - the digest of a file's bytes: 0, or -1 with diag. */
int ssp_digest_file(const char *path, char hex[SSP_DIGEST_HEX], ssp_diag_t *diag);
/*
 * ssp_digest_catalogue - the digest of a catalogue directory: every file
 * the loaders read (vectors/ **.json, suites/ *.json), by relative path, in
 * sorted order.  0, or -1 with diag.
 */
int ssp_digest_catalogue(const char *dir, char hex[SSP_DIGEST_HEX], ssp_diag_t *diag);

#endif
