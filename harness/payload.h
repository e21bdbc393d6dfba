/*
 * payload.h - what a step sends: its bytes with variables expanded, message
 * content dot-stuffed and ended (RFC 5321 §4.5.2, §4.1.1.4), and the lines
 * of what was sent, for naming the command a reply answers.  No I/O.
 */
#ifndef SSP_PAYLOAD_H
#define SSP_PAYLOAD_H

#include "buf.h"
#include "vars.h"
#include "vector.h"

#include <stddef.h>

/*
 * ssp_payload_build - the bytes of step st (its plain payload; a template
 * step must be read out first) into out (emptied first), with vars
 * expanded; SSP_SEND_DATA content is dot-stuffed when the step asks and
 * ended by CRLF.CRLF.  Returns 0, or -1 with err->text set.  Sessions send
 * through sender.h, chunk by chunk; this whole-buffer build is the
 * reference its output is checked against (test_sender.c).
 */
int ssp_payload_build(const ssp_vars_t *vars, const ssp_step_t *st, ssp_buf_t *out,
		      ssp_vars_err_t *err);

/* ssp_payload_dot_stuff - RFC 5321 §4.5.2: in with every leading '.' doubled,
 * appended to out: 0, or -1 when out is full. */
int ssp_payload_dot_stuff(const ssp_buf_t *in, ssp_buf_t *out);

/* ssp_payload_sends_quit - 1 if a line of p[0..n) is a QUIT command, else 0. */
int ssp_payload_sends_quit(const char *p, size_t n);

/*
 * ssp_payload_line - line idx (0-based, without its line ending) of the
 * bytes p[0..len): 0 with *line and *n set; -1 when there is none.  Past the
 * last complete line: with strict, -1; otherwise the last line.
 */
int ssp_payload_line(const char *p, size_t len, size_t idx, int strict, const char **line,
		     size_t *n);

#endif
