/*
 * fuzz_profile.c - libFuzzer target: the profile loader and the variables
 * it provides.
 */
#include "../profile.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssp_profile_t p;
	ssp_vars_t v;
	ssp_diag_t d;
	int rc;

	ssp_diag_init(&d);
	rc = ssp_profile_load_mem(&p, "fuzz.json", (const char *)data, size, &d);
	if (rc != 0 && !d.set)
		abort();
	if (rc == 0) {
		ssp_vars_init(&v, NULL);
		if (ssp_profile_vars(&p, "fuzz.test", "127.0.0.1", &v) == 0 &&
		    ssp_vars_get(&v, "mailbox") == NULL)
			abort();
		ssp_vars_free(&v);
	}
	ssp_profile_free(&p);
	return 0;
}
