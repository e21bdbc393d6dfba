/*
 * reply.h - incremental SMTP reply parser (RFC 5321 §4.2, §4.5.3.1.5;
 * RFC 2034 §4 for enhanced status codes).  No I/O, no allocation.
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *                Reply-code [ SP textstring ] CRLF
 *
 * The parser reads one reply from the start of a caller's buffer.  It can be
 * called again with the same buffer grown by new bytes: completed lines are
 * not scanned twice.  Every deviation from the grammar is recorded as a flag;
 * only input that cannot be judged at all (no 3-digit code, a hard cap
 * reached) is fatal.
 */
#ifndef SSP_REPLY_H
#define SSP_REPLY_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Deviations from the reply grammar: the reply is still usable.  One row
 * each: X(NAME, bit, RFC 5321 section, description).  Whether a deviation
 * fails or warns is the level of the vector that owns it (findings.c); names
 * and sections derive from this table alone.
 */
#define SSP_REPLY_DEV_MAP(X)                                                                \
	X(BARE_LF, 0, "§4.2", "line ends with LF without CR")                              \
	X(BARE_CR, 1, "§4.2", "bare CR inside a line")                                     \
	X(CODE_RANGE, 2, "§4.2", "reply code outside 2xx-5xx / x0x-x5x")                   \
	X(CODE_MISMATCH, 3, "§4.2", "lines of one reply carry different codes")            \
	X(SEPARATOR, 4, "§4.2", "fourth byte is neither SP nor '-'")                       \
	X(CONTROL, 5, "§4.2", "NUL or control byte in reply text")                         \
	X(8BIT, 6, "§4.2", "8-bit byte in reply text")                                     \
	X(LONG_LINE, 7, "§4.5.3.1.5", "reply line longer than 512 octets")                 \
	X(EMPTY_TEXT, 8, "§4.2", "SP after the code with no text")

enum {
#define SSP_REPLY_DEV_ENUM(name, bit, section, text) SSP_REPLY_DEV_##name = 1 << (bit),
	SSP_REPLY_DEV_MAP(SSP_REPLY_DEV_ENUM)
#undef SSP_REPLY_DEV_ENUM
};
enum {
#define SSP_REPLY_DEV_ONE(name, bit, section, text) +1
	SSP_REPLY_DEV_COUNT = 0 SSP_REPLY_DEV_MAP(SSP_REPLY_DEV_ONE)
#undef SSP_REPLY_DEV_ONE
};

/* Return values of ssp_reply_parse besides a byte count. */
#define SSP_REPLY_PARTIAL (-2)
#define SSP_REPLY_MALFORMED (-1)

/* Fatal errors, in ssp_reply_t.error after SSP_REPLY_MALFORMED. */
typedef enum {
	SSP_REPLY_OK = 0,
	SSP_REPLY_ERR_NO_CODE,      /* line does not start with three digits */
	SSP_REPLY_ERR_LINE_TOO_LONG,
	SSP_REPLY_ERR_TOO_MANY_LINES,
	SSP_REPLY_ERR_TOO_BIG,
} ssp_reply_error_t;

typedef struct ssp_reply_s {
	int code;             /* three-digit code of the first line */
	unsigned nlines;      /* lines in the reply */
	unsigned dev;         /* SSP_REPLY_DEV_* flags */
	unsigned dev_line;    /* 1-based line of the first deviation */
	ssp_reply_error_t error;
	size_t len;           /* bytes of the complete reply */
	size_t scanned;       /* resume point: bytes of lines already checked */
} ssp_reply_t;

/* ssp_reply_reset - prepare r for a new reply. */
void ssp_reply_reset(ssp_reply_t *r);

/*
 * ssp_reply_parse - parse the reply at the start of buf[0..len).
 * Returns the reply's byte count (> 0) when it is complete, SSP_REPLY_PARTIAL
 * when more bytes are needed (call again with the same bytes plus more), or
 * SSP_REPLY_MALFORMED with r->error set.
 */
ssize_t ssp_reply_parse(ssp_reply_t *r, const char *buf, size_t len);

/*
 * ssp_reply_next_line - iterate the lines of a complete reply of len bytes:
 * *pos starts at 0.  Sets the text after the code and separator (no line
 * ending) and returns 1, or returns 0 after the last line.
 */
int ssp_reply_next_line(const char *buf, size_t len, size_t *pos,
			const char **text, size_t *textlen);

/*
 * ssp_reply_enhanced - if text starts with an RFC 3463 enhanced status code
 * ("class.subject.detail" followed by SP or the end), store its parts and
 * return its length, else return 0.
 */
size_t ssp_reply_enhanced(const char *text, size_t n, int *cls, int *subject,
			  int *detail);

/*
 * ssp_reply_has_keyword - 1 if a complete EHLO reply advertises keyword
 * (the first word of a line after the first, compared without case).
 */
int ssp_reply_has_keyword(const char *buf, size_t len, const char *keyword);

/* ssp_reply_dev_name - short description of one deviation flag. */
const char *ssp_reply_dev_name(unsigned flag);
/* ssp_reply_dev_section - the RFC 5321 section of deviation flag ("§4.2"). */
const char *ssp_reply_dev_section(unsigned flag);
/* ssp_reply_error_name - description of a fatal error. */
const char *ssp_reply_error_name(ssp_reply_error_t e);

#endif
