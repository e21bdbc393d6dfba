/*
 * fuzz_suite.c - libFuzzer target: the suite loader (suite.h) and the
 * selection it drives.  Every loaded suite's index must select exactly what
 * trying each pattern selects, on a catalogue of ids shaped like the
 * shipped ones, and a refused suite must say why.
 */
#include "../suite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Vector ids, sorted as a loaded catalogue is. */
static const char *const ids[] = {
	"rfc1869/4.1/size",  "rfc3207/4/starttls",     "rfc5321/2.4/case",      "rfc5321/4.1.1.5/a",
	"rfc5321/4.1.1.5/b", "rfc5321/4.1.1.50/c",     "rfc5321/4.5.3.1.4/long", "rfc5321/4.5.3.1.4/x-y_z.1",
	"rfc6531/3.7.1/ehlo-domain-ldh",
};
#define NIDS (sizeof(ids) / sizeof(ids[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssp_vector_t v[NIDS];
	ssp_catalogue_t cat;
	ssp_suites_t ss;
	ssp_suite_t s, plain;
	ssp_diag_t d;
	size_t i, *sel = NULL;
	long n;

	ssp_diag_init(&d);
	if (ssp_suite_load_mem(&s, "fuzz", (const char *)data, size, &d) != 0) {
		if (!d.set)
			abort();
		ssp_suite_free(&s);
		return 0;
	}
	if (!s.indexed || s.nliteral + s.nglobs != s.npatterns)
		abort();
	memset(v, 0, sizeof(v));
	for (i = 0; i < NIDS; i++)
		v[i].id = (char *)(uintptr_t)ids[i];
	cat.v = v;
	cat.n = cat.cap = NIDS;
	plain = s;
	plain.indexed = 0;
	for (i = 0; i < NIDS; i++) {
		if (ssp_suite_has(&s, ids[i]) != ssp_suite_has(&plain, ids[i]))
			abort();
	}
	n = ssp_select(&cat, &s, NULL, 0, NULL, 0, &sel);
	if (n < 0 || (size_t)n > NIDS)
		abort();
	for (i = 0; i < (size_t)n; i++) {
		if (!ssp_suite_has(&plain, ids[sel[i]]))
			abort();
	}
	free(sel);
	ss.s = &s;
	ss.n = 1;
	ssp_diag_init(&d);
	if (ssp_suites_check(&ss, &cat, &d) != 0 && (!d.set || d.line < 1))
		abort(); /* a stale pattern is named at its line */
	ssp_suite_free(&s);
	return 0;
}
