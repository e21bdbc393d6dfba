/*
 * fuzz_escape.c - libFuzzer target: raw-byte macros and display escaping.
 *
 * Decoding must stay within its cap; displaying any bytes must give
 * printable ASCII only.
 */
#include "../escape.h"
#include "../limits.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssp_buf_t out, shown;
	ssp_escape_err_t err;
	size_t i;

	ssp_buf_init(&out, 1024 * 1024);
	if (ssp_escape_decode((const char *)data, size, &out, &err) != 0 && err.offset > size)
		abort();
	if (out.len > out.max)
		abort();
	ssp_buf_free(&out);
	ssp_buf_init(&shown, 4 * size + 16);
	if (ssp_escape_display(&shown, (const char *)data, size) != 0)
		abort();
	for (i = 0; i < shown.len; i++) {
		if (shown.data[i] < 32 || shown.data[i] > 126)
			abort();
	}
	ssp_buf_free(&shown);
	return 0;
}
