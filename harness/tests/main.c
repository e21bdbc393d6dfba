/*
 * main.c - the CUnit runner of the unit tests.
 *
 *   unit-tests [TESTS_DIR [SUITE]]
 *
 * TESTS_DIR (default harness/tests) holds the data files (bad-vectors/,
 * good-vectors/, bad-profiles/); SUITE runs one suite only.  The exit
 * status is 0 when every test passed, 1 when one failed, 2 on a CUnit or
 * set-up error.  The basic interface prints the run summary last.
 */
#include "tests.h"

#include <CUnit/Basic.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tests_dir = "harness/tests";

static int register_failed;

void tests_add_suite(const char *name, const tests_entry_t *tests)
{
	CU_pSuite s = CU_add_suite(name, NULL, NULL);
	size_t i;

	if (s == NULL) {
		fprintf(stderr, "unit-tests: cannot add suite %s: %s\n", name, CU_get_error_msg());
		register_failed = 1;
		return;
	}
	for (i = 0; tests[i].name != NULL; i++) {
		if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
			fprintf(stderr, "unit-tests: cannot add test %s/%s: %s\n", name,
				tests[i].name, CU_get_error_msg());
			register_failed = 1;
		}
	}
}

void tests_fail(unsigned line, const char *file, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	CU_assertImplementation(CU_FALSE, line, msg, file, "", CU_FALSE);
}

void tests_path(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", tests_dir, rel);
}

char *tests_dup_end(const char *p, size_t n)
{
	char *b = malloc(n ? n : 1);

	if (b == NULL) {
		fprintf(stderr, "unit-tests: out of memory\n");
		abort();
	}
	if (n)
		memcpy(b, p, n);
	return b;
}

char *tests_mkdtemp(void)
{
	char tmpl[] = "/tmp/smtpspec-ut-XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return NULL;
	return strdup(tmpl);
}

int tests_write(const char *dir, const char *name, const char *p, size_t n)
{
	char path[4096];
	const char *slash = strchr(name, '/');
	FILE *fp;
	size_t w;

	if (slash != NULL) {
		snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(slash - name), name);
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (fp == NULL)
		return -1;
	w = fwrite(p, 1, n, fp);
	if (fclose(fp) != 0 || w != n)
		return -1;
	return 0;
}

void tests_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			tests_rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

char *tests_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, cap = 0, r;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *q = realloc(p, cap = cap ? cap * 2 : 8192);
			if (q == NULL) {
				free(p);
				fclose(fp);
				return NULL;
			}
			p = q;
		}
		r = fread(p + n, 1, cap - n - 1, fp);
		if (r == 0)
			break;
		n += r;
	}
	fclose(fp);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

int main(int argc, char **argv)
{
	unsigned failed_tests, failed_asserts, failed_suites;
	CU_ErrorCode rc;

	if (argc > 1)
		tests_dir = argv[1];
	if (argc > 3) {
		fprintf(stderr, "usage: %s [TESTS_DIR [SUITE]]\n", argv[0]);
		return 2;
	}
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
		return 2;
	}
	register_coverage_tests();
	register_reply_tests();
	register_escape_tests();
	register_vars_tests();
	register_codes_tests();
	register_jsonpos_tests();
	register_loader_tests();
	register_buf_tests();
	register_transcript_tests();
	register_spool_tests();
	register_stream_tests();
	register_verdict_rules_tests();
	register_expect_tests();
	register_session_tests();
	register_conn_tests();
	register_payload_tests();
	register_results_tests();
	register_hist_tests();
	register_watchdog_tests();
	register_rfctext_tests();
	register_tls_tests();
	register_tlsopt_tests();
	register_conn_tls_tests();
	register_repeat_tests();
	register_precheck_tests();
	register_termtext_tests();
	register_sender_tests();
	if (register_failed || CU_get_error() != CUE_SUCCESS) {
		fprintf(stderr, "unit-tests: registration failed: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}

	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc > 2) {
		CU_pSuite s = CU_get_suite(argv[2]);
		if (s == NULL) {
			fprintf(stderr, "unit-tests: no suite named %s\n", argv[2]);
			CU_cleanup_registry();
			return 2;
		}
		rc = CU_basic_run_suite(s);
	} else {
		rc = CU_basic_run_tests();
	}
	/* the counts must be read before the registry is cleaned up */
	failed_tests = CU_get_number_of_tests_failed();
	failed_asserts = CU_get_number_of_failures();
	failed_suites = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	if (rc != CUE_SUCCESS) {
		fprintf(stderr, "unit-tests: CUnit error: %d\n", (int)rc);
		return 2;
	}
	return (failed_tests || failed_asserts || failed_suites) ? 1 : 0;
}
