/*
 * position.h - where a session is in its vector: (step, repetition,
 * expectation), the prelude's built-in steps counting first, and what the
 * reply at that position answers (greeting, a command line, the end of
 * message content), for labels and RFC 5321 §4.3.2's table.  The built-in
 * steps (preludes, the probe) are constant data here.  No I/O.
 */
#ifndef SSP_POSITION_H
#define SSP_POSITION_H

#include "replytable.h"
#include "vector.h"

#include <stddef.h>

typedef struct ssp_position_s {
	const ssp_vector_t *v;
	unsigned npre;          /* steps of the prelude, counted before the vector's */
	unsigned step, rep, exp;
	int tls;                /* the STARTTLS prelude (--starttls) */
} ssp_position_t;

/* ssp_position_init - the start of vector v (step 0 of its prelude). */
void ssp_position_init(ssp_position_t *p, const ssp_vector_t *v);

/* ssp_position_starttls - use the STARTTLS prelude (--starttls): greeting,
 * EHLO, STARTTLS and its handshake, then the vector's own hello. */
void ssp_position_starttls(ssp_position_t *p);

/* ssp_position_step - the step at p, or NULL past the last. */
const ssp_step_t *ssp_position_step(const ssp_position_t *p);

/* ssp_position_number - the 1-based step of the vector at p; 0 in the prelude. */
unsigned ssp_position_number(const ssp_position_t *p);

/* ssp_position_is_ehlo - 1 at the EHLO step of an "ehlo" prelude, else 0. */
int ssp_position_is_ehlo(const ssp_position_t *p);

/*
 * ssp_position_answers - what the expectation at p answers, given the bytes
 * sent[0..len) of its step: the greeting, the end of message content, or a
 * command line (*line, *n: without CRLF).  Returns 0, or -1 when unknown.
 * With strict, a later expectation of a one-command step, or one past a
 * pipeline's commands, is unknown too; otherwise it answers the last line.
 */
int ssp_position_answers(const ssp_position_t *p, const char *sent, size_t len, int strict,
			 ssp_answers_t *what, const char **line, size_t *n);

/* ssp_position_label - "step 3 (RCPT TO:<x@y>)", "prelude (greeting)", ... */
void ssp_position_label(const ssp_position_t *p, const char *sent, size_t len, char *out,
			size_t size);

/* ssp_position_probe_vector - the probe: greeting, EHLO, QUIT, any reply to each. */
const ssp_vector_t *ssp_position_probe_vector(void);

/* ssp_position_hello_expect - the prelude's "250" to EHLO or HELO. */
const ssp_expect_t *ssp_position_hello_expect(void);

#endif
