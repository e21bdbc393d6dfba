/*
 * causes.c - grouping findings by the reply that explains them (causes.h).
 */
#include "causes.h"

#include "../harness/run.h"

#include <stdlib.h>
#include <string.h>

/* by_text - qsort_r order: equal observed texts together, then by index. */
static int by_text(const void *a, const void *b, void *arg)
{
	const char *const *observed = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(observed[i], observed[j]);

	return c != 0 ? c : (i > j) - (i < j);
}

/* by_size - qsort order of causes: largest first, then by text. */
static int by_size(const void *a, const void *b)
{
	const ssp_cause_t *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->observed, y->observed);
}

size_t ssp_causes_find(const char *const *observed, const int *finding, size_t n, size_t *order,
		       ssp_cause_t *causes, size_t max)
{
	size_t i, m = 0, k = 0;

	for (i = 0; i < n; i++) {
		if (finding[i] && observed[i] != NULL && observed[i][0] != '\0')
			order[m++] = i;
	}
	qsort_r(order, m, sizeof(*order), by_text, (void *)observed);
	for (i = 0; i < m;) {
		size_t j = i + 1;

		while (j < m && strcmp(observed[order[j]], observed[order[i]]) == 0)
			j++;
		if (j - i >= 2 && k < max) {
			causes[k].observed = observed[order[i]];
			causes[k].first = i;
			causes[k].count = j - i;
			k++;
		}
		i = j;
	}
	qsort(causes, k, sizeof(*causes), by_size);
	return k;
}

size_t ssp_causes_of_run(const ssp_run_t *run, size_t *order, ssp_cause_t *causes, size_t max)
{
	const char **observed = calloc(run->n ? run->n : 1, sizeof(*observed));
	int *finding = calloc(run->n ? run->n : 1, sizeof(*finding));
	size_t i, n = 0;

	if (observed != NULL && finding != NULL) {
		for (i = 0; i < run->n; i++) {
			observed[i] = run->results[i].observed;
			finding[i] = ssp_verdict_is_finding(run->results[i].verdict);
		}
		n = ssp_causes_find(observed, finding, run->n, order, causes, max);
	}
	free(observed);
	free(finding);
	return n;
}
