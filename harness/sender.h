/*
 * sender.h - what a step sends, generated while it is written: the step's
 * template (tpl.h) or plain bytes, with variables expanded (vars.h),
 * message content dot-stuffed and ended by CRLF.CRLF (RFC 5321 §4.5.2,
 * §4.1.1.4), produced in chunks of about SSP_WRITE_CHUNK bytes, so that a
 * 16 MiB payload never exists in memory at once.  The output is byte for
 * byte what ssp_payload_build makes of the whole step (payload.h).
 *
 * Beside the chunks it keeps the first SSP_SENT_HEAD_MAX bytes sent (the
 * lines that name the command a reply answers) and whether a line was a
 * QUIT.  No I/O: the session writes the chunks (session_send.c).
 */
#ifndef SSP_SENDER_H
#define SSP_SENDER_H

#include "buf.h"
#include "tpl.h"
#include "vars.h"
#include "vector.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ssp_sender_s {
	const ssp_step_t *st;       /* borrowed */
	const ssp_vars_t *vars;     /* borrowed */
	ssp_tpl_cur_t cur;          /* where the step's bytes are read */
	size_t feed;                /* bytes read from cur at a time */
	char win[SSP_VARS_WINDOW];  /* bytes from a '$' on, until its token is known */
	size_t wn;
	uint64_t in_off;            /* offset of the next unprocessed byte, for errors */
	uint64_t body;              /* content bytes after expansion, before stuffing */
	char last[2];               /* ... the last two of them */
	uint64_t sent;              /* bytes produced so far */
	char olast[2];              /* ... the last two of them */
	int qpos;                   /* letters of "QUIT" matched at a line start, -1 mid-line */
	int quit;                   /* a line was a QUIT command */
	int done;                   /* every byte is produced */
	ssp_buf_t head;             /* the first bytes produced (SSP_SENT_HEAD_MAX) */
	ssp_buf_t chunk;            /* bytes made and not yet written */
	size_t ready;               /* ... of which the first ready go out now */
	ssp_vars_err_t err;         /* why ssp_sender_next failed */
} ssp_sender_t;

/* ssp_sender_init - an idle sender; allocates nothing. */
void ssp_sender_init(ssp_sender_t *s);
/* ssp_sender_free - release its buffers; it is idle again. */
void ssp_sender_free(ssp_sender_t *s);
/* ssp_sender_start - begin step st (borrowed, as is vars): head emptied. */
void ssp_sender_start(ssp_sender_t *s, const ssp_vars_t *vars, const ssp_step_t *st);
/*
 * ssp_sender_next - the next chunk: s->chunk.data[0..s->ready), ending
 * with a line when one ends in it (so that the transcript keeps lines
 * whole); the bytes of the previous chunk are dropped first.  0 (ready 0:
 * everything was written), or -1 with s->err.text set (a variable without
 * value, more than SSP_SEND_BYTES_MAX bytes, out of memory): the step
 * cannot be sent.
 */
int ssp_sender_next(ssp_sender_t *s);
/* ssp_sender_release - the step is written: free the chunk, keep the head. */
void ssp_sender_release(ssp_sender_t *s);

/*
 * ssp_sender_scan - call known(name, ctx) for each ${name} of the step
 * bytes (template t, or plain p[0..n) when t is NULL), as the expansion
 * will read them (a reference may span macros and repeats).  Each repeat
 * body is read only until it leaves the reading state as it found it, so
 * the work follows the template, not its expansion.  0, or -1 with err
 * set (malformed reference, or known() returned 0: unknown variable).
 */
int ssp_sender_scan(const ssp_tpl_t *t, const char *p, size_t n,
		    int (*known)(const char *name, void *ctx), void *ctx, ssp_vars_err_t *err);

#endif
