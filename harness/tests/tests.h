/*
 * tests.h - shared declarations of the CUnit unit tests (harness/tests/).
 *
 * One suite per harness module, each registered by a register_*_tests()
 * function called from main.c.  Helpers for data files, temporary
 * directories and guarded buffers live in main.c.
 */
#ifndef SSP_TESTS_H
#define SSP_TESTS_H

#include <CUnit/CUnit.h>

#include <stddef.h>

/* The tests directory (argv[1], default "harness/tests"), for data files. */
extern const char *tests_dir;

/* One registration function per module. */
void register_reply_tests(void);
void register_escape_tests(void);
void register_vars_tests(void);
void register_coverage_tests(void);
void register_codes_tests(void);
void register_jsonpos_tests(void);
void register_loader_tests(void);
void register_buf_tests(void);
void register_transcript_tests(void);
void register_spool_tests(void);
void register_stream_tests(void);
void register_verdict_rules_tests(void);
void register_expect_tests(void);
void register_session_tests(void);
void register_conn_tests(void);
void register_payload_tests(void);
void register_results_tests(void);
void register_hist_tests(void);
void register_watchdog_tests(void);
void register_rfctext_tests(void);
void register_tls_tests(void);
void register_tlsopt_tests(void);
void register_conn_tls_tests(void);
void register_repeat_tests(void);
void register_precheck_tests(void);
void register_termtext_tests(void);
void register_sender_tests(void);

/* One test of a suite: a name and its function. */
typedef struct tests_entry_s {
	const char *name;
	CU_TestFunc fn;
} tests_entry_t;

/*
 * tests_add_suite - register suite name with the NULL-ended tests; a CUnit
 * error is remembered and makes the runner exit with status 2.
 */
void tests_add_suite(const char *name, const tests_entry_t *tests);

/*
 * tests_fail - record a failed assertion with a printf-formatted message
 * (CUnit copies the text).  Use through CHECKF.
 */
void tests_fail(unsigned line, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* CHECKF - assert cond; on failure the message says which input failed. */
#define CHECKF(cond, ...)                                                          \
	do {                                                                       \
		if (cond)                                                          \
			CU_assertImplementation(CU_TRUE, __LINE__, "", __FILE__, "", \
						CU_FALSE);                         \
		else                                                               \
			tests_fail(__LINE__, __FILE__, __VA_ARGS__);               \
	} while (0)

/* tests_path - "<tests_dir>/<rel>" into out (size bytes). */
void tests_path(char *out, size_t size, const char *rel);

/*
 * tests_dup_end - a malloc'ed copy of p[0..n) in a block of exactly n bytes
 * (one byte for n == 0), so that AddressSanitizer catches any read past the
 * end.  Never NULL (aborts when out of memory).
 */
char *tests_dup_end(const char *p, size_t n);

/* tests_mkdtemp - a fresh directory under /tmp (malloc'ed path), or NULL. */
char *tests_mkdtemp(void);
/* tests_write - write p[0..n) to dir/name (name may hold one '/': the
 * subdirectory is created): 0 or -1. */
int tests_write(const char *dir, const char *name, const char *p, size_t n);
/* tests_rmtree - remove dir and everything below it. */
void tests_rmtree(const char *dir);
/* tests_read - the whole file, NUL-terminated, malloc'ed; NULL on error. */
char *tests_read(const char *path, size_t *len);

#endif
