/*
 * bench_reply.c - throughput of the reply parser and of display escaping,
 * printed as figures (make bench).  Nothing is asserted: speed is measured,
 * never tested.
 */
#include "../buf.h"
#include "../escape.h"
#include "../reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* make_input - count copies of a typical multi-line EHLO reply. */
static char *make_input(size_t count, size_t *len)
{
	static const char ehlo[] = "250-mx.example.org Hello client.example [192.0.2.1]\r\n"
				   "250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
				   "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n"
				   "250 CHUNKING\r\n";
	size_t i, n = sizeof(ehlo) - 1;
	char *p = malloc(count * n);

	if (p == NULL)
		exit(1);
	for (i = 0; i < count; i++)
		memcpy(p + i * n, ehlo, n);
	*len = count * n;
	return p;
}

int main(int argc, char **argv)
{
	size_t count = argc > 1 ? (size_t)atol(argv[1]) : 200000, len, off = 0, replies = 0, chunk;
	char *in = make_input(count, &len);
	double t0, t1;
	ssp_reply_t r;
	ssp_buf_t out;

	/* whole replies */
	t0 = now();
	while (off < len) {
		ssize_t n;
		ssp_reply_reset(&r);
		n = ssp_reply_parse(&r, in + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
		replies++;
	}
	t1 = now();
	printf("reply parser, whole replies:   %8.1f MB/s  %9.0f replies/s  (%zu replies, %zu bytes)\n",
	       len / (t1 - t0) / 1e6, replies / (t1 - t0), replies, len);

	/* the same bytes arriving in 7-byte pieces, parsed incrementally */
	off = 0;
	replies = 0;
	t0 = now();
	while (off < len) {
		size_t have = 0;
		ssize_t n = SSP_REPLY_PARTIAL;
		ssp_reply_reset(&r);
		while (n == SSP_REPLY_PARTIAL && off + have < len) {
			chunk = len - off - have < 7 ? len - off - have : 7;
			have += chunk;
			n = ssp_reply_parse(&r, in + off, have);
		}
		if (n <= 0)
			break;
		off += (size_t)n;
		replies++;
	}
	t1 = now();
	printf("reply parser, 7-byte pieces:   %8.1f MB/s  %9.0f replies/s\n", len / (t1 - t0) / 1e6,
	       replies / (t1 - t0));

	/* display escaping of the same bytes */
	ssp_buf_init(&out, 4 * len + 16);
	t0 = now();
	ssp_escape_display(&out, in, len);
	t1 = now();
	printf("display escaping:              %8.1f MB/s  (%zu bytes out)\n", len / (t1 - t0) / 1e6, out.len);
	ssp_buf_free(&out);
	free(in);
	return 0;
}
