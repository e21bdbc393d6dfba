/*
 * main.c - the smtpspec command line.
 *
 *   smtpspec run --target HOST:PORT [options]
 *   smtpspec run --list [--suite NAME] [--only GLOB] [--skip GLOB]
 *   smtpspec report RESULT.json | --compare A.json B.json ... | --diff OLD NEW
 *
 * Exit codes: 0 no vector failed; 1 a vector failed (or, with --strict,
 * warned) or could not be judged (error); 2 bad usage or a bad vector,
 * suite or profile file (nothing ran); 3 the target could not be reached.
 */
#include "catalogue.h"
#include "coverage.h"
#include "diag.h"
#include "limits.h"
#include "profile.h"
#include "rfctext.h"
#include "run.h"
#include "suite.h"

#include "../reports/digest.h"
#include "../reports/report.h"

#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#ifndef SSP_VERSION
#define SSP_VERSION "0.1.0"
#endif
#ifndef SSP_DATADIR
#define SSP_DATADIR "/usr/local/share/smtpspec"
#endif

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

#define LIST_MAX 256

typedef struct {
	const char *target;
	const char *catalogue;
	const char *profile;
	const char *json, *html, *junit, *baseline;
	const char *suites[LIST_MAX];
	size_t nsuites;
	char *only[LIST_MAX];
	size_t nonly;
	char *skip[LIST_MAX];
	size_t nskip;
	int list, strict, verbose, no_progress;
	ssp_tlsopt_t tls;
	ssp_run_opts_t run;
} options_t;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: smtpspec run --target HOST:PORT [options]\n"
		"       smtpspec run --list [selection options]\n"
		"       smtpspec report RESULT.json [--html FILE] [--junit FILE] [--strict]\n"
		"       smtpspec report --compare A.json B.json ... --html MATRIX.html\n"
		"       smtpspec report --diff OLD.json NEW.json [--strict]\n"
		"       smtpspec quotes --rfc-dir DIR   check every quote against the RFC texts\n"
		"       smtpspec coverage [--rfc N]     RFC sections with a server requirement, and their vectors\n"
		"       smtpspec --help | --version\n"
		"\n"
		"Runs RFC 5321 conformance vectors against an SMTP server.\n"
		"\n"
		"selection:\n"
		"  --suite NAME       run the vectors of suites/NAME.json (repeatable)\n"
		"  --only GLOB        only vector ids matching GLOB (repeatable); a plain\n"
		"                     id prefix such as rfc5321/4.1.1.5 selects the section\n"
		"  --skip GLOB        leave out vector ids matching GLOB (repeatable)\n"
		"  --list             print the selected ids with level and title; no network\n"
		"run:\n"
		"  --target HOST:PORT the server: 127.0.0.1:25, [::1]:2525, mail.example:25\n"
		"  --profile FILE     target profile (JSON): domain, mailbox, sender, ...\n"
		"  --jobs N           parallel sessions (default %d, at most %d)\n"
		"  --timeout MS       wait for each reply (default %d)\n"
		"  --connect-timeout MS  wait for each connection (default %d)\n"
		"  --deadline S       the whole run (default %d)\n"
		"  --strict           SHOULD-level warnings fail the run\n"
		"  --json FILE        write the result document\n"
		"  --html FILE        write the HTML report (one self-contained page)\n"
		"  --junit FILE       write JUnit XML for the test reports of CI systems\n"
		"  --baseline FILE    compare with an earlier --json result: list new failures,\n"
		"                     fixed and changed vectors; exit 1 only on new failures\n"
		"  -v, --verbose      print the transcript of every non-passing vector\n"
		"  --no-progress      no progress output, only the summary\n"
		"  --catalogue DIR    where vectors/ and suites/ are (default: next to\n"
		"                     the binary, or $SMTPSPEC_CATALOGUE, or %s)\n"
		"\n"
		"exit: 0 no failure, 1 failure or error, 2 bad usage or input file,\n"
		"      3 target unreachable\n",
		SSP_DEFAULT_JOBS, SSP_JOBS_MAX, SSP_DEFAULT_TIMEOUT_MS, SSP_DEFAULT_CONNECT_TIMEOUT_MS,
		SSP_DEFAULT_DEADLINE_S, SSP_DATADIR);
	fprintf(f, "\nTLS (RFC 3207, RFC 8314; certificates are not verified unless asked):\n%s", ssp_tlsopt_usage);
}

/* number - a decimal option value in [min, max], or -1. */
static long number(const char *name, const char *s, long min, long max)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		goto bad;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		goto bad;
	return v;
bad:
	fprintf(stderr, "smtpspec: %s: expected a number from %ld to %ld, got \"%s\"\n", name, min, max,
		s ? s : "");
	return -1;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* find_catalogue - the directory holding vectors/ and suites/. */
static const char *find_catalogue(const char *given, char *buf, size_t size)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	size_t len = sizeof(exe);
	const char *env = getenv("SMTPSPEC_CATALOGUE");
	char *slash;

	if (given)
		return given;
	if (env && *env)
		return env;
	if (uv_exepath(exe, &len) == 0) {
		/* bin/smtpspec in a checkout: the catalogue is the checkout */
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((slash = strrchr(exe, '/')) != NULL) {
				*slash = '\0';
				snprintf(probe, sizeof(probe), "%s/vectors", exe);
				if (is_dir(probe)) {
					snprintf(buf, size, "%s", exe);
					return buf;
				}
				/* PREFIX/bin/smtpspec installed: PREFIX/share/smtpspec */
				snprintf(probe, sizeof(probe), "%s/share/smtpspec/vectors", exe);
				if (is_dir(probe) &&
				    snprintf(buf, size, "%s/share/smtpspec", exe) < (int)size)
					return buf;
			}
		}
	}
	return SSP_DATADIR;
}

static int parse(int argc, char **argv, options_t *o)
{
	enum { O_SUITE = 256, O_ONLY, O_SKIP, O_LIST, O_JOBS, O_TIMEOUT, O_CTIMEOUT, O_DEADLINE,
	       O_PROFILE, O_JSON, O_HTML, O_JUNIT, O_BASELINE, O_STRICT, O_NOPROGRESS, O_CATALOGUE,
	       O_TARGET, O_HELP, O_VERSION };
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, O_TARGET },
		{ "suite", required_argument, NULL, O_SUITE },
		{ "only", required_argument, NULL, O_ONLY },
		{ "skip", required_argument, NULL, O_SKIP },
		{ "list", no_argument, NULL, O_LIST },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "connect-timeout", required_argument, NULL, O_CTIMEOUT },
		{ "deadline", required_argument, NULL, O_DEADLINE },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "json", required_argument, NULL, O_JSON },
		{ "html", required_argument, NULL, O_HTML },
		{ "junit", required_argument, NULL, O_JUNIT },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-progress", no_argument, NULL, O_NOPROGRESS },
		{ "catalogue", required_argument, NULL, O_CATALOGUE },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		SSP_TLSOPT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	char tlserr[256];
	long v;
	int c;

	o->run.jobs = SSP_DEFAULT_JOBS;
	o->run.timeout_ms = SSP_DEFAULT_TIMEOUT_MS;
	o->run.connect_timeout_ms = SSP_DEFAULT_CONNECT_TIMEOUT_MS;
	o->run.deadline_s = SSP_DEFAULT_DEADLINE_S;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (c) {
		case O_TARGET: o->target = optarg; break;
		case O_SUITE:
		case O_ONLY:
		case O_SKIP:
			if ((c == O_SUITE ? o->nsuites : c == O_ONLY ? o->nonly : o->nskip) >= LIST_MAX) {
				fprintf(stderr, "smtpspec: at most %d of each of --suite, --only, --skip\n", LIST_MAX);
				return -1;
			}
			if (c == O_SUITE)
				o->suites[o->nsuites++] = optarg;
			else if (c == O_ONLY)
				o->only[o->nonly++] = optarg;
			else
				o->skip[o->nskip++] = optarg;
			break;
		case O_LIST: o->list = 1; break;
		case O_JOBS:
			if ((v = number("--jobs", optarg, 1, SSP_JOBS_MAX)) < 0)
				return -1;
			o->run.jobs = (unsigned)v;
			break;
		case O_TIMEOUT:
			if ((v = number("--timeout", optarg, 1, 3600000)) < 0)
				return -1;
			o->run.timeout_ms = (unsigned)v;
			break;
		case O_CTIMEOUT:
			if ((v = number("--connect-timeout", optarg, 1, 3600000)) < 0)
				return -1;
			o->run.connect_timeout_ms = (unsigned)v;
			break;
		case O_DEADLINE:
			if ((v = number("--deadline", optarg, 1, 86400)) < 0)
				return -1;
			o->run.deadline_s = (unsigned)v;
			break;
		case O_PROFILE: o->profile = optarg; break;
		case O_JSON: o->json = optarg; break;
		case O_HTML: o->html = optarg; break;
		case O_JUNIT: o->junit = optarg; break;
		case O_BASELINE: o->baseline = optarg; break;
		case O_STRICT: o->strict = 1; break;
		case 'v': o->verbose = 1; break;
		case O_NOPROGRESS: o->no_progress = 1; break;
		case O_CATALOGUE: o->catalogue = optarg; break;
		case O_HELP: usage(stdout); exit(EXIT_PASS);
		case O_VERSION: printf("smtpspec %s\n", SSP_VERSION); exit(EXIT_PASS);
		case SSP_TLSOPT_TLS: case SSP_TLSOPT_STARTTLS: case SSP_TLSOPT_VERIFY:
		case SSP_TLSOPT_CA_FILE: case SSP_TLSOPT_SNI: case SSP_TLSOPT_CLIENT_CERT:
		case SSP_TLSOPT_CLIENT_KEY:
			if (ssp_tlsopt_parse(&o->tls, c, optarg, tlserr, sizeof(tlserr)) < 0) {
				fprintf(stderr, "smtpspec: %s\n", tlserr);
				return -1;
			}
			break;
		case '?':
		default:
			if (optopt)
				fprintf(stderr, "smtpspec: option needs a value or is unknown: %s\n", argv[optind - 1]);
			else
				fprintf(stderr, "smtpspec: unknown option: %s\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "smtpspec: unexpected argument: %s\n", argv[optind]);
		return -1;
	}
	if (ssp_tlsopt_check(&o->tls, tlserr, sizeof(tlserr)) != 0) {
		fprintf(stderr, "smtpspec: %s\n", tlserr);
		return -1;
	}
	o->run.tls = &o->tls;
	if (!o->list && o->target == NULL) {
		fprintf(stderr, "smtpspec: --target HOST:PORT is required (or --list)\n");
		return -1;
	}
	return 0;
}

static void on_progress(const ssp_run_t *run, size_t idx, void *arg)
{
	ssp_console_progress(arg, run, idx);
}

/* selection - the vectors chosen by --suite, --only, --skip. */
static long selection(const options_t *o, const ssp_catalogue_t *cat, const ssp_suites_t *suites,
		      size_t **sel)
{
	size_t i, k, n = 0;
	char *mark;

	if (o->nsuites == 0)
		return ssp_select(cat, NULL, o->only, o->nonly, o->skip, o->nskip, sel);
	mark = calloc(cat->n ? cat->n : 1, 1);
	*sel = malloc((cat->n ? cat->n : 1) * sizeof(**sel));
	if (mark == NULL || *sel == NULL) {
		free(mark);
		return -1;
	}
	for (i = 0; i < o->nsuites; i++) {
		size_t *part;
		long m = ssp_select(cat, ssp_suites_find(suites, o->suites[i]), o->only, o->nonly,
				    o->skip, o->nskip, &part);
		if (m < 0) {
			free(mark);
			return -1;
		}
		for (k = 0; k < (size_t)m; k++)
			mark[part[k]] = 1;
		free(part);
	}
	for (i = 0; i < cat->n; i++) {
		if (mark[i])
			(*sel)[n++] = i;
	}
	free(mark);
	return (long)n;
}

/* load_catalogue - profile defaults, every vector and suite of catdir: 0 or -1 (printed). */
static int load_catalogue(const char *catdir, ssp_profile_t *profile, ssp_catalogue_t *cat,
			  ssp_suites_t *suites)
{
	ssp_diag_t diag;
	char dir[PATH_MAX + 16];

	ssp_diag_init(&diag);
	snprintf(dir, sizeof(dir), "%s/vectors", catdir);
	if (ssp_catalogue_load_dir(cat, dir, profile, &diag) != 0)
		goto bad;
	snprintf(dir, sizeof(dir), "%s/suites", catdir);
	if (suites && (ssp_suites_load_dir(suites, dir, &diag) != 0 ||
		       ssp_suites_check(suites, cat, &diag) != 0))
		goto bad;
	return 0;
bad:
	fprintf(stderr, "smtpspec: ");
	ssp_diag_print(stderr, &diag);
	return -1;
}

/*
 * cmd_quotes - check that every vector's quote occurs in its RFC's text
 * (page furniture removed, whitespace collapsed).  Exit 0 all found, 1 some
 * not found, 2 bad usage, a bad catalogue or missing RFC texts.
 */
static int cmd_quotes(int argc, char **argv)
{
	const char *catalogue = NULL, *rfcdir = getenv("SMTPSPEC_RFC_DIR");
	char catbuf[PATH_MAX];
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_diag_t diag;
	struct { unsigned rfc; char *text; } texts[32];
	size_t ntexts = 0, i, k, missing = 0;
	int code = EXIT_USAGE, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--catalogue") == 0 && a + 1 < argc)
			catalogue = argv[++a];
		else if (strcmp(argv[a], "--rfc-dir") == 0 && a + 1 < argc)
			rfcdir = argv[++a];
		else {
			fprintf(stderr, "usage: smtpspec quotes --rfc-dir DIR [--catalogue DIR]\n");
			return EXIT_USAGE;
		}
	}
	if (rfcdir == NULL) {
		fprintf(stderr, "smtpspec quotes: give the RFC texts with --rfc-dir DIR or $SMTPSPEC_RFC_DIR\n");
		return EXIT_USAGE;
	}
	ssp_diag_init(&diag);
	ssp_catalogue_init(&cat);
	ssp_profile_load(&profile, NULL, &diag);
	if (load_catalogue(find_catalogue(catalogue, catbuf, sizeof(catbuf)), &profile, &cat, NULL) != 0)
		goto out;
	for (i = 0; i < cat.n; i++) {
		const ssp_vector_t *v = &cat.v[i];
		for (k = 0; k < ntexts && texts[k].rfc != v->rfc; k++)
			;
		if (k == ntexts) {
			if (ntexts == sizeof(texts) / sizeof(texts[0])) {
				fprintf(stderr, "smtpspec quotes: vectors cite more than %zu RFCs\n", ntexts);
				goto out;
			}
			texts[k].rfc = v->rfc;
			if (ssp_rfctext_load(rfcdir, v->rfc, &texts[k].text, &diag) != 0) {
				fprintf(stderr, "smtpspec quotes: ");
				ssp_diag_print(stderr, &diag);
				goto out;
			}
			ntexts++;
		}
		if (!ssp_rfctext_contains(texts[k].text, v->quote)) {
			printf("%s:%u: %s: the quote is not in RFC %u: \"%s\"\n", v->file, v->line, v->id,
			       v->rfc, v->quote);
			missing++;
		}
	}
	printf("quotes: %zu passed, %zu failed\n", cat.n - missing, missing);
	code = missing ? EXIT_FAILED : EXIT_PASS;
out:
	for (k = 0; k < ntexts; k++)
		free(texts[k].text);
	ssp_catalogue_free(&cat);
	ssp_profile_free(&profile);
	return code;
}

/*
 * cmd_coverage - print the requirement map of each suites/coverage/rfcN.json
 * against the catalogue.  Exit 0, or 1 when a MUST section has neither a
 * vector nor a reason why it cannot be observed; 2 on bad input.
 */
static int cmd_coverage(int argc, char **argv)
{
	const char *catalogue = NULL, *only = NULL;
	char catbuf[PATH_MAX], dir[PATH_MAX + 32];
	const char *catdir;
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_diag_t diag;
	DIR *d;
	struct dirent *de;
	size_t gaps = 0, files = 0;
	int code = EXIT_USAGE, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--catalogue") == 0 && a + 1 < argc)
			catalogue = argv[++a];
		else if (strcmp(argv[a], "--rfc") == 0 && a + 1 < argc)
			only = argv[++a];
		else {
			fprintf(stderr, "usage: smtpspec coverage [--rfc N] [--catalogue DIR]\n");
			return EXIT_USAGE;
		}
	}
	ssp_diag_init(&diag);
	ssp_catalogue_init(&cat);
	ssp_profile_load(&profile, NULL, &diag);
	catdir = find_catalogue(catalogue, catbuf, sizeof(catbuf));
	if (load_catalogue(catdir, &profile, &cat, NULL) != 0)
		goto out;
	snprintf(dir, sizeof(dir), "%s/suites/coverage", catdir);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "smtpspec coverage: cannot open %s\n", dir);
		goto out;
	}
	code = EXIT_PASS;
	while ((de = readdir(d)) != NULL) {
		char file[PATH_MAX + 300], want[32];
		ssp_coverage_t cov;

		if (strncmp(de->d_name, "rfc", 3) != 0 || strstr(de->d_name, ".json") == NULL)
			continue;
		snprintf(want, sizeof(want), "rfc%s.json", only ? only : "");
		if (only && strcmp(de->d_name, want) != 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
		if (ssp_coverage_load(&cov, file, &diag) != 0) {
			fprintf(stderr, "smtpspec coverage: ");
			ssp_diag_print(stderr, &diag);
			ssp_coverage_free(&cov);
			code = EXIT_USAGE;
			break;
		}
		if (files++)
			printf("\n");
		gaps += ssp_coverage_print(stdout, &cov, &cat);
		ssp_coverage_free(&cov);
	}
	closedir(d);
	if (code == EXIT_PASS && gaps > 0)
		code = EXIT_FAILED;
out:
	ssp_catalogue_free(&cat);
	ssp_profile_free(&profile);
	return code;
}

/* digests - the SHA-256 of the catalogue and the profile into meta (left NULL, with a warning, if unreadable). */
static void digests(const options_t *o, const char *catdir, ssp_report_meta_t *meta,
		    char cathex[SSP_DIGEST_HEX], char profhex[SSP_DIGEST_HEX])
{
	ssp_diag_t diag;

	ssp_diag_init(&diag);
	if (ssp_digest_catalogue(catdir, cathex, &diag) == 0)
		meta->catalogue_sha256 = cathex;
	if (o->profile && ssp_digest_file(o->profile, profhex, &diag) == 0)
		meta->profile_sha256 = profhex;
	if (diag.set) {
		fprintf(stderr, "smtpspec: warning: no digest for the certification: ");
		ssp_diag_print(stderr, &diag);
	}
}

/*
 * write_reports - build the result document once, compare it with the
 * baseline (if any), and write every format asked for.  Returns the exit
 * code: with a baseline a failing run exits 0 unless something new fails;
 * a report that cannot be written makes it 1.
 */
static int write_reports(const options_t *o, const ssp_run_t *run, const ssp_report_meta_t *meta,
			 const ssp_doc_t *base, int code)
{
	const char *files[3] = { o->json, o->html, o->junit };
	static const char *const labels[3] = { "results", "html", "junit" };
	ssp_diag_t diag;
	ssp_diff_t diff;
	ssp_doc_t doc;
	json_t *json;
	int k, rc;

	if (!o->json && !o->html && !o->junit && base == NULL)
		return code;
	/* the document is read back like a saved one: the writers see exactly what --json holds */
	ssp_diag_init(&diag);
	memset(&doc, 0, sizeof(doc));
	if ((json = ssp_json_build(run, meta)) == NULL) {
		fprintf(stderr, "smtpspec: cannot build the result document (out of memory)\n");
		return EXIT_FAILED;
	}
	if (ssp_doc_from_json(&doc, json, "the result document", &diag) != 0) {
		fprintf(stderr, "smtpspec: the result document breaks its schema: ");
		ssp_diag_print(stderr, &diag);
		json_decref(json);
		return EXIT_FAILED;
	}
	memset(&diff, 0, sizeof(diff));
	if (base != NULL && ssp_compare_diff(base, &doc, o->strict, &diff) == 0) {
		size_t nf = ssp_compare_print(stderr, &diff);
		diff.file = o->baseline;
		doc.baseline = &diff;
		json_object_set_new(json, "baseline", ssp_json_baseline(&diff));
		if (code == EXIT_FAILED)
			code = nf ? EXIT_FAILED : EXIT_PASS;
		doc.exit_code = code;
		json_object_set_new(json, "exit_code", json_integer(code));
	}
	for (k = 0; k < 3; k++) {
		if (files[k] == NULL)
			continue;
		ssp_diag_init(&diag);
		rc = k == 0 ? ssp_json_save(files[k], json, &diag)
		     : k == 1 ? ssp_html_write(files[k], &doc, &diag)
			      : ssp_junit_write(files[k], &doc, o->strict, &diag);
		if (rc != 0) {
			fprintf(stderr, "smtpspec: ");
			ssp_diag_print(stderr, &diag);
			code = EXIT_FAILED;
		} else {
			fprintf(stderr, "  %s: %s\n", labels[k], files[k]);
		}
	}
	ssp_diff_free(&diff);
	ssp_doc_free(&doc);
	json_decref(json);
	return code;
}

/*
 * cmd_report - reports from saved result documents:
 *   report RESULT.json [--html FILE] [--junit FILE] [--strict]
 *   report --compare A.json B.json ... --html MATRIX.html
 *   report --diff OLD.json NEW.json [--strict]
 * Exit 0; 1 when --diff finds a new failure or a file cannot be written;
 * 2 bad usage or a bad result document.
 */
static int cmd_report(int argc, char **argv)
{
	const char *html = NULL, *junit = NULL, *files[SSP_COMPARE_MAX];
	size_t nfiles = 0;
	int compare = 0, diff = 0, strict = 0, a, code = EXIT_PASS;
	ssp_doc_t doc, old;
	ssp_diff_t d;
	ssp_diag_t diag;

	ssp_diag_init(&diag);
	memset(&doc, 0, sizeof(doc));
	memset(&old, 0, sizeof(old));
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--compare") == 0)
			compare = 1;
		else if (strcmp(argv[a], "--diff") == 0)
			diff = 1;
		else if (strcmp(argv[a], "--strict") == 0)
			strict = 1;
		else if (strcmp(argv[a], "--html") == 0 && a + 1 < argc)
			html = argv[++a];
		else if (strcmp(argv[a], "--junit") == 0 && a + 1 < argc)
			junit = argv[++a];
		else if (argv[a][0] != '-' && nfiles < SSP_COMPARE_MAX)
			files[nfiles++] = argv[a];
		else
			goto usage;
	}
	if (compare + diff > 1 || (compare && (html == NULL || junit || nfiles == 0)) ||
	    (diff && (nfiles != 2 || html || junit)) || (!compare && !diff && (nfiles != 1 || (!html && !junit))))
		goto usage;
	if (compare) {
		if (ssp_compare_html(html, files, nfiles, &diag) != 0)
			goto bad;
		fprintf(stderr, "  matrix: %s (%zu implementation%s)\n", html, nfiles, nfiles == 1 ? "" : "s");
		return EXIT_PASS;
	}
	if (ssp_doc_load(&doc, files[diff ? 1 : 0], &diag) != 0)
		goto bad;
	if (diff) {
		if (ssp_doc_load(&old, files[0], &diag) != 0)
			goto bad;
		code = ssp_compare_diff(&old, &doc, strict, &d) == 0 && ssp_compare_print(stdout, &d) == 0 ? EXIT_PASS
														: EXIT_FAILED;
		ssp_diff_free(&d);
		goto out;
	}
	strict = strict || doc.strict;
	if ((html && ssp_html_write(html, &doc, &diag) != 0) ||
	    (junit && ssp_junit_write(junit, &doc, strict, &diag) != 0)) {
		fprintf(stderr, "smtpspec: ");
		ssp_diag_print(stderr, &diag);
		code = EXIT_FAILED;
	}
	goto out;
usage:
	fprintf(stderr, "usage: smtpspec report RESULT.json [--html FILE] [--junit FILE] [--strict]\n"
			"       smtpspec report --compare A.json B.json ... --html MATRIX.html  (at most %d)\n"
			"       smtpspec report --diff OLD.json NEW.json [--strict]\n",
		SSP_COMPARE_MAX);
	return EXIT_USAGE;
bad:
	fprintf(stderr, "smtpspec: ");
	ssp_diag_print(stderr, &diag);
	code = EXIT_USAGE;
out:
	ssp_doc_free(&doc);
	ssp_doc_free(&old);
	return code;
}

static int cmd_run(int argc, char **argv)
{
	options_t o;
	ssp_diag_t diag;
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_suites_t suites;
	ssp_run_t run;
	ssp_console_t con;
	ssp_report_meta_t meta;
	char catbuf[PATH_MAX];
	const char *catdir;
	const ssp_vector_t **vectors = NULL;
	size_t *sel = NULL, i;
	long n;
	int code = EXIT_USAGE, rc;
	char cathex[SSP_DIGEST_HEX], profhex[SSP_DIGEST_HEX];
	ssp_doc_t base_doc, *base = NULL;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	ssp_diag_init(&diag);
	ssp_catalogue_init(&cat);
	memset(&suites, 0, sizeof(suites));
	memset(&profile, 0, sizeof(profile));
	memset(&base_doc, 0, sizeof(base_doc));
	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "smtpspec: try 'smtpspec --help'\n");
		return EXIT_USAGE;
	}
	if (!o.list) {
		char host[256], port[16];
		if (ssp_run_parse_target(o.target, host, sizeof(host), port, sizeof(port), &diag) != 0) {
			fprintf(stderr, "smtpspec: ");
			ssp_diag_print(stderr, &diag);
			return EXIT_USAGE;
		}
	}
	catdir = find_catalogue(o.catalogue, catbuf, sizeof(catbuf));

	/* every input file is checked before anything runs */
	if (ssp_profile_load(&profile, o.profile, &diag) != 0)
		goto bad_input;
	if (load_catalogue(catdir, &profile, &cat, &suites) != 0)
		goto out;
	for (i = 0; i < o.nsuites; i++) {
		if (ssp_suites_find(&suites, o.suites[i]) == NULL) {
			fprintf(stderr, "smtpspec: no suite named \"%s\" in %s/suites (have:", o.suites[i], catdir);
			for (i = 0; i < suites.n; i++)
				fprintf(stderr, " %s", suites.s[i].name);
			fprintf(stderr, ")\n");
			goto out;
		}
	}
	n = selection(&o, &cat, &suites, &sel);
	if (n < 0) {
		fprintf(stderr, "smtpspec: out of memory\n");
		goto out;
	}
	if (n == 0) {
		fprintf(stderr, "smtpspec: the selection holds no vector\n");
		goto out;
	}
	if (o.list) {
		for (i = 0; i < (size_t)n; i++) {
			const ssp_vector_t *v = &cat.v[sel[i]];
			printf("%-6s %s  %s\n", ssp_level_name(v->level), v->id, v->title);
		}
		code = EXIT_PASS;
		goto out;
	}
	if (o.baseline && ssp_doc_load((base = &base_doc), o.baseline, &diag) != 0)
		goto bad_input;
	vectors = malloc((size_t)n * sizeof(*vectors));
	if (vectors == NULL)
		goto out;
	for (i = 0; i < (size_t)n; i++)
		vectors[i] = &cat.v[sel[i]];

	con.f = stderr;
	con.tty = isatty(fileno(stderr));
	con.color = con.tty && getenv("NO_COLOR") == NULL;
	con.verbose = o.verbose;
	con.progress = !o.no_progress;
	o.run.target = o.target;
	rc = ssp_run_execute(&run, vectors, (size_t)n, &profile, &o.run, on_progress, &con, &diag);
	if (rc != 0 && !run.probe.connected) {
		if (con.tty)
			fprintf(stderr, "\r\033[K");
		fprintf(stderr, "smtpspec: ");
		ssp_diag_print(stderr, &diag);
		code = EXIT_UNREACHABLE;
		goto out;
	}
	if (rc != 0)
		ssp_diag_print(stderr, &diag);
	code = EXIT_PASS;
	if (run.counts[SSP_FAIL] || run.counts[SSP_ERROR] || (o.strict && run.counts[SSP_WARN]))
		code = EXIT_FAILED;
	memset(&meta, 0, sizeof(meta));
	meta.version = SSP_VERSION;
	meta.catalogue = catdir;
	meta.catalogue_size = cat.n;
	meta.profile = o.profile;
	meta.suites = o.suites;
	meta.nsuites = o.nsuites;
	meta.strict = o.strict;
	meta.exit_code = code;
	meta.suite_defs = &suites;
	meta.cat = &cat;
	digests(&o, catdir, &meta, cathex, profhex);
	ssp_console_summary(&con, &run, &meta);
	code = write_reports(&o, &run, &meta, base, code);
	goto out;

bad_input:
	fprintf(stderr, "smtpspec: ");
	ssp_diag_print(stderr, &diag);
	code = EXIT_USAGE;
out:
	ssp_run_free(&run);
	free(vectors);
	ssp_doc_free(&base_doc);
	free(sel);
	ssp_suites_free(&suites);
	ssp_catalogue_free(&cat);
	ssp_profile_free(&profile);
	return code;
}

int main(int argc, char **argv)
{
	/* a server that closes while we write must give EPIPE, not kill the run */
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "quotes") == 0)
		return cmd_quotes(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "coverage") == 0)
		return cmd_coverage(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("smtpspec %s\n", SSP_VERSION);
		return EXIT_PASS;
	}
	usage(stderr);
	return EXIT_USAGE;
}
