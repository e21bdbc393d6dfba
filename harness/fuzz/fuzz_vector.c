/*
 * fuzz_vector.c - libFuzzer target: the vector loader on any bytes.
 *
 * It must accept or refuse with a located diagnostic, never crash or leak.
 */
#include "../catalogue.h"
#include "../profile.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssp_catalogue_t c;
	ssp_profile_t p;
	ssp_diag_t d;
	int rc;

	ssp_diag_init(&d);
	ssp_profile_load(&p, NULL, &d);
	ssp_catalogue_init(&c);
	rc = ssp_catalogue_load_mem(&c, "fuzz.json", (const char *)data, size, &p, &d);
	if (rc != 0 && !d.set)
		abort(); /* a refusal always says why */
	if (rc == 0)
		ssp_catalogue_sort(&c, &d);
	ssp_catalogue_free(&c);
	ssp_profile_free(&p);
	return 0;
}
