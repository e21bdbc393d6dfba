/*
 * result.h (reports) - the result document (reports/result.schema.json) as
 * typed structs: the run's target and options, its summary, one result per
 * vector with its transcript, the certification, and the comparison with a
 * baseline.
 *
 * A document is read once, by ssp_doc_load (a saved file: report,
 * --baseline, --compare, --diff) or ssp_doc_from_json (the document of the
 * run just made, built by json.c), and checked against the schema on the
 * way in: required fields, types, known names of verdicts, levels and
 * categories, bounded sizes.  The HTML, JUnit, matrix and diff writers read
 * only these structs; jansson stays inside the loader and the JSON writer.
 */
#ifndef SSP_REPORTS_RESULT_H
#define SSP_REPORTS_RESULT_H

#include "../harness/diag.h"
#include "../harness/result.h"
#include "../harness/transcript.h"
#include "../harness/vector.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The schema string of a result document. */
#define SSP_RESULT_SCHEMA "smtpspec-result/1"

/*
 * Certification outcomes for one suite, best first: X(ENUM, name).
 * should: conforms at MUST and SHOULD level; must: at MUST level only
 * (SHOULD warnings or errors); none: a vector failed, or a MUST vector could
 * not be judged; partial: not every vector of the suite ran (no statement);
 * not-applicable: every vector was skipped.
 */
#define SSP_CERT_MAP(X)                 \
	X(SHOULD, "should")             \
	X(MUST, "must")                 \
	X(NONE, "none")                 \
	X(PARTIAL, "partial")           \
	X(NA, "not-applicable")

typedef enum {
#define SSP_CERT_ENUM(e, name) SSP_CERT_##e,
	SSP_CERT_MAP(SSP_CERT_ENUM)
#undef SSP_CERT_ENUM
	SSP_CERT_COUNT
} ssp_cert_level_t;

/* The three lists of a comparison with a baseline: X(ENUM, JSON key, label). */
#define SSP_DIFF_MAP(X)                                   \
	X(NEW_FAILURE, "new_failures", "new failure")     \
	X(FIXED, "fixed", "fixed")                        \
	X(CHANGED, "changed", "changed")

typedef enum {
#define SSP_DIFF_ENUM(e, key, label) SSP_DIFF_##e,
	SSP_DIFF_MAP(SSP_DIFF_ENUM)
#undef SSP_DIFF_ENUM
	SSP_DIFF_KINDS
} ssp_diff_kind_t;

/* A verdict in a comparison: an ssp_verdict_t, or this for a vector not in that run. */
#define SSP_DOC_ABSENT (-1)

/* One transcript entry; text is in the display escaping (notes: the harness's words). */
typedef struct ssp_doc_entry_s {
	uint64_t t_ms;
	ssp_tr_dir_t dir;
	int partial;        /* server bytes that never got their line end */
	const char *text;
	size_t len;
} ssp_doc_entry_t;

/* Results by verdict, and their total. */
typedef struct ssp_doc_counts_s {
	uint64_t total;
	uint64_t n[SSP_VERDICT_COUNT];
} ssp_doc_counts_t;

typedef struct ssp_doc_result_s {
	const char *id, *title, *section, *quote;
	unsigned rfc;
	ssp_level_t level;
	ssp_category_t category;   /* conformance when the document has none */
	ssp_verdict_t verdict;
	const char *reason, *expected;
	const char *observed;      /* display escaping */
	unsigned step;             /* 1-based step that decided; 0: none */
	uint64_t duration_ms;
	const char *file;          /* the vector's file:line */
	const ssp_doc_entry_t *transcript;
	size_t ntranscript;
	const char *const *suites; /* suites of the catalogue that hold the vector */
	size_t nsuites;
	unsigned rounds;           /* run --repeat: rounds run (0: not repeated) */
	unsigned verdicts[SSP_VERDICT_COUNT]; /* rounds that gave each verdict; verdict is the worst */
	int unstable;              /* the rounds gave more than one verdict */
	size_t index;              /* its place in the document's results[] */
} ssp_doc_result_t;

/* Certification of one suite (or of the whole selection: name NULL, no statement). */
typedef struct ssp_doc_suite_s {
	const char *name, *title, *line;
	uint64_t vectors, selected;
	ssp_doc_counts_t counts[SSP_LEVEL_COUNT];
	ssp_cert_level_t conforms;   /* SSP_CERT_PARTIAL for the selection */
	int conforms_must, conforms_should;
	const char *statement;       /* NULL for the selection */
} ssp_doc_suite_t;

typedef struct ssp_doc_cert_s {
	const char *tool, *target;
	const char *catalogue_sha256, *profile_sha256, *digest; /* NULL: unknown / none */
	ssp_doc_suite_t selection;
	const ssp_doc_suite_t *suites;
	size_t nsuites;
} ssp_doc_cert_t;

/* One vector whose verdict changed; old and new_ are verdicts or SSP_DOC_ABSENT. */
typedef struct ssp_doc_change_s {
	const char *id, *reason;
	int old, new_;
} ssp_doc_change_t;

/* A comparison with a baseline (ssp_compare_diff, or read from a document). */
typedef struct ssp_diff_s {
	const char *file;           /* the baseline's file, or NULL */
	const char *old_started;
	int strict;
	ssp_doc_change_t *list[SSP_DIFF_KINDS]; /* malloc'd */
	size_t n[SSP_DIFF_KINDS];
	uint64_t unchanged;
} ssp_diff_t;

/* The TLS of a run (the target's "tls"): the options, and what the first handshake showed. */
typedef struct ssp_doc_tls_s {
	int present;                  /* 0: an older document without "tls" (all below empty) */
	int mode;                     /* ssp_tls_mode_t: none, starttls, implicit */
	int verify;                   /* --tls-verify */
	int client_certificate;       /* --client-cert */
	const char *sni, *ca_file;    /* NULL: none */
	const char *protocol, *cipher, *peer_subject; /* display escaping; NULL: no handshake */
	int peer_verified;            /* 1: verified; -1: not verified or no handshake */
	const char *error;            /* the first TLS failure, or NULL */
} ssp_doc_tls_t;

/* ssp_doc_tls_mode_name - "none", "starttls", "implicit"; "?" out of range. */
const char *ssp_doc_tls_mode_name(int mode);

typedef struct ssp_doc_target_s {
	const char *spec, *host, *address;
	unsigned port;
	const char *greeting, *ehlo;  /* display escaping; NULL if none */
	const char *const *extensions;
	size_t nextensions;
	const char *mailbox, *domain, *rejected_mailbox; /* zero configuration; NULL in older documents */
	const char *recipients;       /* how they were found (one sentence) */
	const ssp_doc_entry_t *probe;
	size_t nprobe;
	ssp_doc_tls_t tls;
} ssp_doc_target_t;

typedef struct ssp_doc_mem_s ssp_doc_mem_t;

typedef struct ssp_doc_s ssp_doc_t;
/*
 * Where the results of a document read without their transcripts are
 * whole: result index into one (a document of that one result, freed with
 * ssp_doc_free): 0, or -1 with diag.
 */
typedef int (*ssp_doc_fetch_fn)(void *arg, size_t index, ssp_doc_t *one, ssp_diag_t *diag);

struct ssp_doc_s {
	const char *name;             /* the file it was read from (for messages) */
	const char *tool_name, *tool_version, *started;
	uint64_t duration_ms;
	ssp_doc_target_t target;
	const char *catalogue_path;
	uint64_t catalogue_vectors, catalogue_selected;
	const char *profile;          /* NULL: no profile */
	const char *const *suites;    /* --suite names; none: the whole catalogue */
	size_t nsuites;
	uint64_t jobs, timeout_ms, connect_timeout_ms, deadline_s;
	int strict;
	uint64_t repeat;              /* run --repeat N; 0: not given (or an older document) */
	uint64_t max_memory;          /* run --max-memory in bytes; 0: an older document */
	int remote;                   /* run --remote (0 in an older document) */
	ssp_doc_counts_t summary;
	uint64_t unstable;            /* run --repeat: vectors whose rounds disagreed */
	ssp_doc_counts_t security;    /* the results of category security only */
	int exit_code;
	const char *incomplete;       /* why some vectors did not finish, or NULL */
	const ssp_doc_result_t *results;
	size_t nresults;
	const ssp_doc_result_t *const *byid; /* the results sorted by id */
	ssp_doc_cert_t cert;
	const ssp_diff_t *baseline;   /* NULL: none; may be pointed at a caller's diff */
	ssp_diff_t own_baseline;      /* the one read from the document */
	ssp_doc_mem_t *mem;           /* every string and array above */
	ssp_doc_fetch_fn fetch;       /* non-NULL: the results hold no transcript; fetch gives them whole */
	void *fetch_arg;
};

struct json_t;

/* ssp_cert_level_name - "should", "must", "none", "partial", "not-applicable"; "?" out of range. */
const char *ssp_cert_level_name(ssp_cert_level_t l);
/* ssp_diff_kind_key - "new_failures", "fixed", "changed". */
const char *ssp_diff_kind_key(ssp_diff_kind_t k);
/* ssp_diff_kind_label - "new failure", "fixed", "changed". */
const char *ssp_diff_kind_label(ssp_diff_kind_t k);
/* ssp_doc_verdict_name - ssp_verdict_name, or "absent" for SSP_DOC_ABSENT. */
const char *ssp_doc_verdict_name(int v);

/*
 * ssp_doc_load - read a result document from file into doc, checked against
 * the schema: 0, or -1 with diag (file:line:column and the JSON path of the
 * first thing wrong) and doc left empty.  Free a loaded doc with ssp_doc_free.
 */
int ssp_doc_load(ssp_doc_t *doc, const char *file, ssp_diag_t *diag);
/* ssp_doc_load_mem - the same for text[0..len) in memory (at most SSP_FILE_BYTES_MAX); name is for messages. */
int ssp_doc_load_mem(ssp_doc_t *doc, const char *name, const char *text, size_t len, ssp_diag_t *diag);
/*
 * ssp_doc_from_json - the same for a document already parsed (root is
 * borrowed and not kept: doc copies what it needs); name is for messages.
 */
int ssp_doc_from_json(ssp_doc_t *doc, const struct json_t *root, const char *name, ssp_diag_t *diag);
/*
 * ssp_doc_result_from_json - one entry of "results" (o, borrowed) as a
 * document of that one result (one->results[0]), checked as the loader
 * checks it: 0, or -1 with diag.
 */
int ssp_doc_result_from_json(ssp_doc_t *one, const struct json_t *o, const char *name, ssp_diag_t *diag);
/*
 * ssp_doc_whole - r (a result of doc) with its transcript: r itself, or,
 * when doc->fetch is set, r read whole into one (freed with ssp_doc_free
 * by the caller in every case).  NULL with diag when it cannot be read.
 */
const ssp_doc_result_t *ssp_doc_whole(const ssp_doc_t *doc, const ssp_doc_result_t *r, ssp_doc_t *one,
				      ssp_diag_t *diag);
/* ssp_doc_free - release everything doc owns (safe on a zeroed or failed doc). */
void ssp_doc_free(ssp_doc_t *doc);

/* ssp_doc_findings - how many of counts c are findings (fail, warn, info: ssp_verdict_is_finding). */
uint64_t ssp_doc_findings(const ssp_doc_counts_t *c);
/* ssp_doc_is_security_finding - 1 if r is a security finding: category security, and the server broke the rule. */
int ssp_doc_is_security_finding(const ssp_doc_result_t *r);
/* ssp_doc_result_cmp - order of two results: RFC, section (numeric parts as numbers), id. */
int ssp_doc_result_cmp(const ssp_doc_result_t *a, const ssp_doc_result_t *b);
/* ssp_doc_same_section - 1 if a and b are in the same RFC section. */
int ssp_doc_same_section(const ssp_doc_result_t *a, const ssp_doc_result_t *b);
/* ssp_doc_order - doc's results sorted by ssp_doc_result_cmp (malloc'd array of borrowed pointers), or NULL. */
const ssp_doc_result_t **ssp_doc_order(const ssp_doc_t *doc);
/* ssp_doc_find - the result with this id (binary search), or NULL. */
const ssp_doc_result_t *ssp_doc_find(const ssp_doc_t *doc, const char *id);

/*
 * ssp_compare_diff - what changed from old to new_ into out (strings
 * borrowed from both documents): 0, or -1 (out of memory).  A new failure
 * fails or errors in new_ but did not in old (with strict, a warning counts
 * as a failure); fixed is the reverse; changed is any other change.
 */
int ssp_compare_diff(const ssp_doc_t *old, const ssp_doc_t *new_, int strict, ssp_diff_t *out);
/* ssp_diff_free - release the lists of a diff. */
void ssp_diff_free(ssp_diff_t *d);
/* ssp_compare_print - print a diff, one line per change; returns its new failures. */
size_t ssp_compare_print(FILE *f, const ssp_diff_t *d);

/* ssp_html_write - the HTML report of a result document (reports/template.html): 0 or -1 with diag. */
int ssp_html_write(const char *file, const ssp_doc_t *doc, ssp_diag_t *diag);
/* ssp_junit_write - JUnit XML of a result document (strict: warnings fail): 0 or -1 with diag. */
int ssp_junit_write(const char *file, const ssp_doc_t *doc, int strict, ssp_diag_t *diag);
/* ssp_compare_html - the matrix of vectors x result files (links to FILE.html beside each): 0 or -1. */
int ssp_compare_html(const char *file, const char *const *results, size_t n, ssp_diag_t *diag);

#endif
