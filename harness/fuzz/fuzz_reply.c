/*
 * fuzz_reply.c - libFuzzer target: the reply parser.
 *
 * The input is parsed whole and again split at a position taken from its
 * first byte: both ways must agree (the parser is incremental), and every
 * complete reply must iterate into lines that stay inside it.
 */
#include "../reply.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	ssp_reply_t whole, split;
	ssize_t a, b;
	size_t cut, pos = 0, tl;
	const char *text;

	ssp_reply_reset(&whole);
	a = ssp_reply_parse(&whole, buf, size);
	cut = size ? data[0] % (size + 1) : 0;
	ssp_reply_reset(&split);
	b = ssp_reply_parse(&split, buf, cut);
	if (b == SSP_REPLY_PARTIAL)
		b = ssp_reply_parse(&split, buf, size);
	if (a != b || (a > 0 && (whole.code != split.code || whole.dev != split.dev ||
				 whole.nlines != split.nlines)))
		abort();
	if (a > 0) {
		unsigned lines = 0;
		int c, s, d;
		while (ssp_reply_next_line(buf, (size_t)a, &pos, &text, &tl)) {
			if (text < buf || text + tl > buf + a)
				abort();
			ssp_reply_enhanced(text, tl, &c, &s, &d);
			lines++;
		}
		if (lines != whole.nlines)
			abort();
		ssp_reply_has_keyword(buf, (size_t)a, "PIPELINING");
	}
	return 0;
}
