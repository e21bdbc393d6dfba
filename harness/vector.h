/*
 * vector.h - the test vector model: what a vector checks (id, RFC section,
 * level, quoted requirement) and how (steps of sends and expectations).
 *
 * Vectors are built by the catalogue loader and read-only afterwards; many
 * sessions share them.  The JSON format is described in docs/vectors.md.
 */
#ifndef SSP_VECTOR_H
#define SSP_VECTOR_H

#include "pattern.h"
#include "reply.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Findings beside a vector's own expectations (findings.h) that a vector
 * may own ("judges"): only its owners turn them into verdicts, at their own
 * level; every other vector keeps them as notes (one cause, one finding).
 * X(ENUM, "name", reply deviations (reply.h) it covers, or 0).
 */
#define SSP_JUDGES_MAP(X)                                                   \
	X(LINE_ENDS, "reply-line-ends", SSP_REPLY_DEV_BARE_LF | SSP_REPLY_DEV_BARE_CR) \
	X(CODE_RANGE, "reply-code-range", SSP_REPLY_DEV_CODE_RANGE)                    \
	X(CODE_MISMATCH, "reply-code-mismatch", SSP_REPLY_DEV_CODE_MISMATCH)           \
	X(TEXT, "reply-text",                                                          \
	  SSP_REPLY_DEV_CONTROL | SSP_REPLY_DEV_8BIT | SSP_REPLY_DEV_EMPTY_TEXT | SSP_REPLY_DEV_SEPARATOR) \
	X(LINE_LENGTH, "reply-line-length", SSP_REPLY_DEV_LONG_LINE)                  \
	X(CODES, "reply-codes", 0) /* codes the §4.3.2 table does not list */

enum {
#define SSP_JUDGES_BIT(e, name, devs) SSP_JUDGES_BIT_##e,
	SSP_JUDGES_MAP(SSP_JUDGES_BIT)
#undef SSP_JUDGES_BIT
	SSP_JUDGES_COUNT
};
#define SSP_JUDGES(e) (1u << SSP_JUDGES_BIT_##e)

/* ssp_judges_parse - the bit of a "judges" name, or 0. */
unsigned ssp_judges_parse(const char *name);
/* ssp_judges_devs - the reply deviations (reply.h bits) the judged findings cover. */
unsigned ssp_judges_devs(unsigned judges);

/*
 * Requirement levels, as the RFC words them (RFC 2119), strongest first:
 * X(ENUM, name, verdict of a broken rule).  Names, parsing and severity
 * derive from this one table (harness/result.c maps the verdict).
 */
#define SSP_LEVEL_MAP(X)              \
	X(MUST, "MUST", SSP_FAIL)     \
	X(SHOULD, "SHOULD", SSP_WARN) \
	X(MAY, "MAY", SSP_INFO)

typedef enum {
#define SSP_LEVEL_ENUM(e, name, verdict) SSP_LEVEL_##e,
	SSP_LEVEL_MAP(SSP_LEVEL_ENUM)
#undef SSP_LEVEL_ENUM
	SSP_LEVEL_COUNT
} ssp_level_t;

/*
 * What a finding is about: X(ENUM, name).  A vector says which (default
 * conformance); a result starts with its vector's and the session may set
 * it per outcome (an exploitable smuggling is a security finding).
 */
#define SSP_CATEGORY_MAP(X)              \
	X(CONFORMANCE, "conformance")    \
	X(SECURITY, "security")

typedef enum {
#define SSP_CATEGORY_ENUM(e, name) SSP_CATEGORY_##e,
	SSP_CATEGORY_MAP(SSP_CATEGORY_ENUM)
#undef SSP_CATEGORY_ENUM
	SSP_CATEGORY_COUNT
} ssp_category_t;

/*
 * Where a vector's rule matters ("exposure"): anywhere (default), or only
 * on a plaintext path across a network (RFC 4954 §4: password snooping), so
 * that the vector is skipped on loopback (unless run --remote) and inside TLS.
 */
typedef enum {
	SSP_EXPOSURE_ANY = 0,
	SSP_EXPOSURE_NETWORK,
} ssp_exposure_t;

/* A set of reply codes: exact codes and x-patterns ("2xx", "25x"). */
#define SSP_CODES_MAX 24
typedef struct ssp_codes_s {
	uint8_t n;
	struct {
		uint16_t lo, hi;
	} r[SSP_CODES_MAX];
} ssp_codes_t;

typedef enum {
	SSP_EXPECT_REPLY = 0, /* one reply, judged by codes, text, enhanced code */
	SSP_EXPECT_CLOSE,     /* the server closes the connection */
	SSP_EXPECT_SILENCE,   /* no byte arrives within silence_ms */
	SSP_EXPECT_SMUGGLING, /* the replies to the end of smuggled content, judged by smuggle.h */
} ssp_expect_kind_t;

typedef struct ssp_expect_s {
	ssp_expect_kind_t kind;
	ssp_codes_t pass;     /* codes that pass */
	ssp_codes_t warn;     /* codes acceptable only as a warning */
	ssp_codes_t skip;     /* codes meaning a precondition is missing */
	int any_code;         /* "code": "any": every code passes */
	/* enhanced status code (RFC 3463): 0 = not checked; 1 = required and its
	 * class must match the reply; parts -1 = any */
	int enhanced;
	int enh_class, enh_subject, enh_detail;
	char *text_src;       /* regex source, for messages; NULL = none */
	ssp_pattern_t *text_re;
	char *not_text_src;   /* regex no line may match; NULL = none */
	ssp_pattern_t *not_text_re;
	char *every_text_src; /* regex every line must match; NULL = none */
	ssp_pattern_t *every_text_re;
	char *first_line_src; /* regex the first line must match; NULL = none */
	ssp_pattern_t *first_line_re;
	char *keyword_lines_src; /* regex every line after the first must match */
	ssp_pattern_t *keyword_lines_re;
	unsigned max_lines;   /* 0 = any number of lines */
	char *capture_var;    /* NULL = no capture */
	char *capture_src;
	ssp_pattern_t *capture_re;
	unsigned timeout_ms;  /* 0 = the run's --timeout */
	unsigned silence_ms;
} ssp_expect_t;

typedef enum {
	SSP_SEND_NONE = 0,  /* only expectations (greeting, close, ...) */
	SSP_SEND_LINE,      /* one command, CRLF appended */
	SSP_SEND_RAW,       /* bytes with macros, nothing appended */
	SSP_SEND_PIPELINE,  /* several commands in one write */
	SSP_SEND_DATA,      /* message content, dot-stuffed, CRLF.CRLF appended */
} ssp_send_kind_t;

typedef struct ssp_step_s {
	ssp_send_kind_t send;
	char *payload;        /* bytes to send before variable expansion; owned */
	size_t payload_len;
	struct ssp_tpl_s *tpl; /* or, when they hold repeats: their template (tpl.h); owned */
	int dot_stuff;        /* SSP_SEND_DATA: stuff leading dots after expansion */
	unsigned ncommands;   /* SSP_SEND_PIPELINE: commands in the group */
	ssp_expect_t *expect; /* observed in order after the send */
	unsigned nexpect;
	unsigned repeat;      /* run the step this many times (>= 1) */
	unsigned pause_ms;    /* wait before sending */
	int setup;            /* a mismatch here is an error, not a finding */
	int starttls;         /* after the expectations, a TLS handshake (RFC 3207) */
	unsigned line;        /* line of the step in its file */
} ssp_step_t;

typedef enum {
	SSP_PRELUDE_EHLO = 0, /* greeting 220, EHLO ${client} 250 (both setup) */
	SSP_PRELUDE_HELO,     /* greeting 220, HELO ${client} 250 */
	SSP_PRELUDE_GREETING, /* greeting 220 only */
	SSP_PRELUDE_NONE,     /* nothing: the steps read the greeting */
} ssp_prelude_t;

typedef struct ssp_vector_s {
	char *id;             /* "rfc5321/4.1.1.5/rset-clears-transaction" */
	char *title;
	unsigned rfc;         /* 5321 */
	char *section;        /* "4.1.1.5" */
	ssp_level_t level;
	ssp_category_t category; /* "category"; default conformance */
	unsigned judges;      /* SSP_JUDGES_* bits: findings this vector owns ("judges") */
	char *quote;          /* the requirement, quoted from the RFC */
	char *description;    /* optional: what is sent and why; NULL */
	char **requires;      /* EHLO keywords that must be advertised */
	char **absent;        /* EHLO keywords that must NOT be advertised ("absent") */
	unsigned nabsent;
	unsigned nrequires;
	int needs_auth;       /* "needs_auth": uses the profile's credentials (RFC 4954) */
	ssp_exposure_t exposure; /* "exposure": SSP_EXPOSURE_NETWORK judges what crosses a network in plaintext */
	ssp_prelude_t prelude;
	ssp_step_t *steps;
	unsigned nsteps;
	char *file;           /* source file and line, for messages */
	unsigned line;
} ssp_vector_t;

/* ssp_level_name - "MUST", "SHOULD", "MAY" (SSP_LEVEL_MAP); "?" out of range. */
const char *ssp_level_name(ssp_level_t l);
/* ssp_level_parse - the level named name (exact), or -1. */
int ssp_level_parse(const char *name);
/* ssp_category_name - "conformance", "security" (SSP_CATEGORY_MAP); "?" out of range. */
const char *ssp_category_name(ssp_category_t c);
/* ssp_category_parse - the category named name (exact), or -1. */
int ssp_category_parse(const char *name);
/* ssp_codes_add - add lo..hi: 0, or -1 when full. */
int ssp_codes_add(ssp_codes_t *c, unsigned lo, unsigned hi);
/* ssp_codes_parse - add a pattern "250", "2xx", "25x": 0, or -1 when invalid. */
int ssp_codes_parse(ssp_codes_t *c, const char *s);
/* ssp_codes_has - 1 if code is in the set. */
int ssp_codes_has(const ssp_codes_t *c, int code);
/* ssp_codes_describe - write "250, 251 or 2xx" into out. */
void ssp_codes_describe(const ssp_codes_t *c, char *out, size_t size);
/* ssp_vector_missing_keyword - the first keyword v requires that the EHLO reply
 * caps[0..len) (NULL: none) does not advertise, or NULL. */
const char *ssp_vector_missing_keyword(const ssp_vector_t *v, const char *caps, size_t len);
/* ssp_vector_free_fields - release what a vector owns (not the struct). */
void ssp_vector_free_fields(ssp_vector_t *v);

/* ssp_vector_present_keyword - the first keyword v needs absent that the EHLO
 * reply caps[0..len) advertises, or NULL (also when caps is NULL). */
const char *ssp_vector_present_keyword(const ssp_vector_t *v, const char *caps, size_t len);

/* ssp_vector_uses_var - 1 if a step of v sends ${name} (with or without +N), else 0. */
int ssp_vector_uses_var(const ssp_vector_t *v, const char *name);

#endif
