/*
 * catalogue.h - load every vector under a directory (vectors/), checking
 * each file completely before anything runs.
 */
#ifndef SSP_CATALOGUE_H
#define SSP_CATALOGUE_H

#include "diag.h"
#include "profile.h"
#include "vector.h"

#include <stddef.h>

typedef struct ssp_catalogue_s {
	ssp_vector_t *v;     /* sorted by id */
	size_t n, cap;
} ssp_catalogue_t;

/* ssp_catalogue_init - empty catalogue. */
void ssp_catalogue_init(ssp_catalogue_t *c);
/*
 * ssp_catalogue_load_dir - load every *.json file below dir (sorted walk);
 * variables are checked against profile.  0, or -1 with diag set at
 * file:line:column.  On error the catalogue keeps what loaded before.
 */
int ssp_catalogue_load_dir(ssp_catalogue_t *c, const char *dir,
			   const ssp_profile_t *profile, ssp_diag_t *diag);
/* ssp_catalogue_load_file - load the vectors of one file: 0 or -1. */
int ssp_catalogue_load_file(ssp_catalogue_t *c, const char *file,
			    const ssp_profile_t *profile, ssp_diag_t *diag);
/* ssp_catalogue_load_mem - the same for text[0..len) in memory; name is for messages. */
int ssp_catalogue_load_mem(ssp_catalogue_t *c, const char *name, const char *text,
			   size_t len, const ssp_profile_t *profile, ssp_diag_t *diag);
/* ssp_catalogue_sort - sort by id; a duplicate id is an error: 0 or -1. */
int ssp_catalogue_sort(ssp_catalogue_t *c, ssp_diag_t *diag);
/* ssp_catalogue_find - the vector with this id, or NULL. */
const ssp_vector_t *ssp_catalogue_find(const ssp_catalogue_t *c, const char *id);
/* ssp_catalogue_free - release every vector. */
void ssp_catalogue_free(ssp_catalogue_t *c);

#endif
