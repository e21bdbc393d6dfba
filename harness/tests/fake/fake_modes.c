/*
 * fake_modes.c - the switches of fakesmtpd: names, descriptions, parsing.
 *
 * Names are stable (scripts and the mutation tests refer to them), in
 * lower case with dashes; the table itself is FAKE_MODE_MAP in fake.h.
 */
#include "fake.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	const char *desc;
} modes[FAKE_MODE_COUNT] = {
#define FAKE_MODE_ROW(id, name, desc) { name, desc },
	FAKE_MODE_MAP(FAKE_MODE_ROW)
#undef FAKE_MODE_ROW
};

/* lookup - the mode named p[0..n), or -1. */
static int lookup(const char *p, size_t n)
{
	int i;

	for (i = 0; i < FAKE_MODE_COUNT; i++)
		if (strlen(modes[i].name) == n && memcmp(modes[i].name, p, n) == 0)
			return i;
	return -1;
}

int fake_modes_set(fake_modes_t *m, const char *list, char *bad, size_t badsize)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int i = lookup(p, n);

		if (i < 0) {
			snprintf(bad, badsize, "%.*s", (int)n, p);
			return -1;
		}
		m->on[i] = 1;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

void fake_modes_list(void)
{
	int i;

	for (i = 0; i < FAKE_MODE_COUNT; i++)
		printf("%-30s %s\n", modes[i].name, modes[i].desc);
}
