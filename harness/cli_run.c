/*
 * cli_run.c - smtpspec run: options, selection, the run, and its reports.
 *
 * Standard output carries the results (the text summary, TAP, or a document
 * given as "-"); standard error carries progress, notes and errors.  Report
 * paths are checked before anything runs, and every report is written to a
 * temporary file and renamed (outfile.h).
 */
#include "cli.h"
#include "diag.h"
#include "escape.h"
#include "limits.h"
#include "outfile.h"
#include "repeat.h"
#include "run.h"
#include "termtext.h"

#include "../reports/digest.h"
#include "../reports/report.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define LIST_MAX 256

typedef enum { FMT_TEXT = 0, FMT_TAP, FMT_JSON } format_t;

typedef struct {
	const char *target;
	const char *catalogue;
	const char *profile;
	const char *mailbox, *domain, *rejected; /* one-field profiles: --mailbox ... */
	const char *auth_user, *auth_password; /* --auth-user, --auth-password: the profile's auth */
	const char *json, *html, *junit, *baseline;
	const char *suites[LIST_MAX];
	size_t nsuites;
	char *only[LIST_MAX];
	size_t nonly;
	char *skip[LIST_MAX];
	size_t nskip;
	int list, strict, verbose, no_progress, quiet;
	format_t format;
	int format_given;
	int stdout_taken;  /* a report file is "-": the text summary goes to stderr */
	ssp_tlsopt_t tls;
	ssp_run_opts_t run;
} options_t;

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
		ssp_term_str(s));
	return -1;
}

/* byte_size - --max-memory's BYTES, with an optional K, M or G (binary
 * multiples), from min to max: the value, or 0 (the error printed, the
 * argument escaped). */
static uint64_t byte_size(const char *name, const char *s, uint64_t min, uint64_t max)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;
	ssp_buf_t shown;

	if (s == NULL || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		goto bad;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	end += shift != 0;
	if (*end != '\0' || v > (max >> shift) || (v << shift) < min)
		goto bad;
	return (uint64_t)v << shift;
bad:
	ssp_buf_init(&shown, 256);
	ssp_escape_display(&shown, s ? s : "", s ? strnlen(s, 60) : 0);
	fprintf(stderr, "smtpspec: %s: expected bytes from %llu to %llu, with an optional K, M or G (as 256M), got \"%.*s\"\n",
		name, (unsigned long long)min, (unsigned long long)max, (int)shown.len, shown.data ? shown.data : "");
	ssp_buf_free(&shown);
	return 0;
}

/* check_outputs - at most one thing on standard output, every report path writable: 0 or -1 (printed). */
static int check_outputs(options_t *o)
{
	const char *files[3] = { o->json, o->html, o->junit };
	ssp_diag_t diag;
	int k, users = o->format_given && o->format != FMT_TEXT;

	for (k = 0; k < 3; k++) {
		if (files[k] == NULL)
			continue;
		if (ssp_outfile_is_stdout(files[k])) {
			users++;
			o->stdout_taken = 1;
			continue;
		}
		ssp_diag_init(&diag);
		if (ssp_outfile_check(files[k], &diag) != 0) {
			fprintf(stderr, "smtpspec: ");
			ssp_diag_print(stderr, &diag);
			return -1;
		}
	}
	if (users > 1) {
		fprintf(stderr, "smtpspec: only one of --json -, --html -, --junit -, --format tap|json "
				"can use standard output\n");
		return -1;
	}
	if (o->format == FMT_JSON)
		o->stdout_taken = 1;
	return 0;
}

static int parse(int argc, char **argv, options_t *o)
{
	enum { O_SUITE = 256, O_ONLY, O_SKIP, O_LIST, O_JOBS, O_TIMEOUT, O_CTIMEOUT, O_DEADLINE,
	       O_PROFILE, O_JSON, O_HTML, O_JUNIT, O_BASELINE, O_STRICT, O_NOPROGRESS, O_CATALOGUE,
	       O_TARGET, O_HELP, O_VERSION, O_FORMAT, O_MAILBOX, O_DOMAIN, O_REJECTED, O_REPEAT,
	       O_MAX_MEMORY, O_REMOTE, O_AUTH_USER, O_AUTH_PASSWORD };
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
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "max-memory", required_argument, NULL, O_MAX_MEMORY },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "mailbox", required_argument, NULL, O_MAILBOX },
		{ "domain", required_argument, NULL, O_DOMAIN },
		{ "rejected-mailbox", required_argument, NULL, O_REJECTED },
		{ "auth-user", required_argument, NULL, O_AUTH_USER },
		{ "auth-password", required_argument, NULL, O_AUTH_PASSWORD },
		{ "json", required_argument, NULL, O_JSON },
		{ "html", required_argument, NULL, O_HTML },
		{ "junit", required_argument, NULL, O_JUNIT },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "no-progress", no_argument, NULL, O_NOPROGRESS },
		{ "remote", no_argument, NULL, O_REMOTE },
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
	while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
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
		case O_REPEAT:
			if ((v = number("--repeat", optarg, 1, SSP_RUN_REPEAT_MAX)) < 0)
				return -1;
			o->run.repeat = (unsigned)v;
			break;
		case O_MAX_MEMORY:
			if ((o->run.max_memory = byte_size("--max-memory", optarg, SSP_MAX_MEMORY_MIN, SSP_MAX_MEMORY_MAX)) == 0)
				return -1;
			break;
		case O_PROFILE: o->profile = optarg; break;
		case O_MAILBOX: o->mailbox = optarg; break;
		case O_DOMAIN: o->domain = optarg; break;
		case O_AUTH_USER: o->auth_user = optarg; break;
		case O_AUTH_PASSWORD: o->auth_password = optarg; break;
		case O_REJECTED: o->rejected = optarg; break;
		case O_JSON: o->json = optarg; break;
		case O_HTML: o->html = optarg; break;
		case O_JUNIT: o->junit = optarg; break;
		case O_BASELINE: o->baseline = optarg; break;
		case O_STRICT: o->strict = 1; break;
		case 'v': o->verbose = 1; break;
		case 'q': o->quiet = 1; break;
		case O_FORMAT:
			o->format_given = 1;
			if (strcmp(optarg, "text") == 0)
				o->format = FMT_TEXT;
			else if (strcmp(optarg, "tap") == 0)
				o->format = FMT_TAP;
			else if (strcmp(optarg, "json") == 0)
				o->format = FMT_JSON;
			else {
				fprintf(stderr, "smtpspec: --format: expected text, tap or json, got \"%s\"\n", ssp_term_str(optarg));
				return -1;
			}
			break;
		case O_NOPROGRESS: o->no_progress = 1; break;
		case O_REMOTE: o->run.remote = 1; break;
		case O_CATALOGUE: o->catalogue = optarg; break;
		case 'h':
		case O_HELP: ssp_cli_help(stdout, "run"); exit(EXIT_PASS);
		case O_VERSION: {
			char catbuf[PATH_MAX];
			ssp_cli_version(stdout, find_catalogue(o->catalogue, catbuf, sizeof(catbuf)));
			exit(EXIT_PASS);
		}
		case SSP_TLSOPT_TLS: case SSP_TLSOPT_STARTTLS: case SSP_TLSOPT_VERIFY:
		case SSP_TLSOPT_CA_FILE: case SSP_TLSOPT_SNI: case SSP_TLSOPT_CLIENT_CERT:
		case SSP_TLSOPT_CLIENT_KEY:
			if (ssp_tlsopt_parse(&o->tls, c, optarg, tlserr, sizeof(tlserr)) < 0) {
				fprintf(stderr, "smtpspec: %s\n", ssp_term_str(tlserr));
				return -1;
			}
			break;
		case '?':
		default:
			if (optopt)
				fprintf(stderr, "smtpspec: option needs a value or is unknown: %s\n", ssp_term_str(argv[optind - 1]));
			else
				fprintf(stderr, "smtpspec: unknown option: %s\n", ssp_term_str(argv[optind - 1]));
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "smtpspec: unexpected argument: %s\n", ssp_term_str(argv[optind]));
		return -1;
	}
	if (ssp_tlsopt_check(&o->tls, tlserr, sizeof(tlserr)) != 0) {
		fprintf(stderr, "smtpspec: %s\n", ssp_term_str(tlserr));
		return -1;
	}
	o->run.tls = &o->tls;
	if (!o->list && o->target == NULL) {
		fprintf(stderr, "smtpspec: --target HOST:PORT is required (or --list)\n");
		return -1;
	}
	if (o->quiet && o->format_given && o->format != FMT_TEXT) {
		fprintf(stderr, "smtpspec: --quiet prints nothing: it does not go with --format %s\n",
			o->format == FMT_TAP ? "tap" : "json");
		return -1;
	}
	return o->list ? 0 : check_outputs(o);
}

/*
 * cap_jobs - --jobs within the open-file limit: each session holds one
 * socket, and SSP_FD_RESERVE descriptors stay for the rest.  The soft limit
 * is raised towards the hard one first; what is still short lowers --jobs,
 * with a note on stderr.
 */
static unsigned cap_jobs(unsigned jobs)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)jobs + SSP_FD_RESERVE, room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return jobs;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want) {
		struct rlimit raised = { want, rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			return jobs;
	} else if (rl.rlim_max > rl.rlim_cur) {
		struct rlimit raised = { rl.rlim_max, rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	room = rl.rlim_cur > SSP_FD_RESERVE + 1 ? rl.rlim_cur - SSP_FD_RESERVE : 1;
	fprintf(stderr,
		"smtpspec: note: --jobs %u lowered to %lu: the open-file limit (ulimit -n) is %lu, "
		"and %d descriptors are kept for files and the event loop\n",
		jobs, (unsigned long)room, (unsigned long)rl.rlim_cur, SSP_FD_RESERVE);
	return (unsigned)room;
}

/* colour_ok - ANSI colour on fd: a terminal, no NO_COLOR, TERM not dumb. */
static int colour_ok(int fd)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	return isatty(fd) && (no == NULL || *no == '\0') && (term == NULL || strcmp(term, "dumb") != 0);
}

/* rewrite_ok - a progress line rewritten in place on fd: a terminal that is not dumb. */
static int rewrite_ok(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) && (term == NULL || strcmp(term, "dumb") != 0);
}

/* The progress callback's argument: the console, and under --repeat the trimming of transcripts. */
typedef struct {
	ssp_console_t *console;
	ssp_run_t *run;   /* the run, writable (the callback is handed it const) */
	size_t n;         /* vectors selected: the run holds n x --repeat results */
	size_t *keep;     /* --repeat: the round kept of each vector (ssp_repeat_trim), or NULL */
	ssp_spool_t *spool; /* where each finished transcript goes */
} progress_t;

static void on_progress(const ssp_run_t *run, size_t idx, void *arg)
{
	progress_t *p = arg;

	ssp_console_progress(p->console, run, idx);
	if (p->keep != NULL)
		ssp_repeat_trim(p->run, p->n, p->keep, idx);
	/* the transcript leaves memory for the spool (a failed write keeps it here, and is reported) */
	if (p->spool != NULL)
		(void)ssp_spool_put(p->spool, &p->run->results[idx]);
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
 * baseline (if any), and write every format asked for, each through a
 * temporary file.  Returns the exit code: with a baseline a failing run
 * exits 0 unless something new fails; a report that cannot be written
 * makes it 1.  out is where the comparison is printed.
 */
static int write_reports(const options_t *o, const ssp_run_t *run, const ssp_report_meta_t *meta,
			 const ssp_doc_t *base, FILE *out, int code)
{
	const char *files[4] = { o->json, o->html, o->junit, o->format == FMT_JSON ? "-" : NULL };
	static const char *const labels[4] = { "results", "html", "junit", "results" };
	ssp_outfile_t of;
	ssp_diag_t diag;
	ssp_diff_t diff;
	ssp_doc_t doc;
	json_t *json;
	ssp_json_source_t src = { run, meta };
	int k, rc;

	if (!o->json && !o->html && !o->junit && !files[3] && base == NULL)
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
	/* the document holds the results without transcripts: the writers read each whole from the spool */
	doc.fetch = ssp_json_fetch;
	doc.fetch_arg = &src;
	/* doc copied them: the JSON writer needs only the rest (ssp_json_stream) */
	json_object_set_new(json, "results", json_array());
	memset(&diff, 0, sizeof(diff));
	if (base != NULL && ssp_compare_diff(base, &doc, o->strict, &diff) == 0) {
		size_t nf = out ? ssp_compare_print(out, &diff) : diff.n[SSP_DIFF_NEW_FAILURE];
		diff.file = o->baseline;
		doc.baseline = &diff;
		json_object_set_new(json, "baseline", ssp_json_baseline(&diff));
		if (code == EXIT_FAILED)
			code = nf ? EXIT_FAILED : EXIT_PASS;
		doc.exit_code = code;
		json_object_set_new(json, "exit_code", json_integer(code));
	}
	for (k = 0; k < 4; k++) {
		if (files[k] == NULL)
			continue;
		ssp_diag_init(&diag);
		rc = ssp_outfile_begin(&of, files[k], &diag);
		if (rc == 0) {
			rc = k == 0 || k == 3 ? ssp_json_stream(of.tmp, json, run, meta, &diag)
			     : k == 1 ? ssp_html_write(of.tmp, &doc, &diag)
				      : ssp_junit_write(of.tmp, &doc, o->strict, &diag);
			if (rc == 0)
				rc = ssp_outfile_commit(&of, stdout, &diag);
			else
				ssp_outfile_abort(&of);
		}
		if (rc != 0) {
			fprintf(stderr, "smtpspec: ");
			ssp_diag_print(stderr, &diag);
			code = EXIT_FAILED;
		} else if (!o->quiet && !of.to_stdout) {
			fprintf(stderr, "  %s: %s\n", labels[k], ssp_term_str(files[k]));
		}
	}
	ssp_diff_free(&diff);
	ssp_doc_free(&doc);
	json_decref(json);
	return code;
}

int ssp_cli_run(int argc, char **argv)
{
	options_t o;
	ssp_diag_t diag;
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_suites_t suites;
	ssp_run_t run;
	ssp_console_t prog, sum;
	ssp_report_meta_t meta;
	char catbuf[PATH_MAX];
	const char *catdir;
	const ssp_vector_t **vectors = NULL, **repeated = NULL;
	size_t *sel = NULL, *keep = NULL, i;
	progress_t pa;
	long n;
	int code = EXIT_USAGE, rc;
	char cathex[SSP_DIGEST_HEX], profhex[SSP_DIGEST_HEX];
	char *catname = NULL, *profname = NULL; /* the paths in the documents: UTF-8 always */
	const char *suitenames[LIST_MAX];     /* the selected suites, as loaded (UTF-8) */
	ssp_doc_t base_doc, *base = NULL;
	ssp_spool_t spool = { -1, 0, 0, "" };
	FILE *out;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	ssp_diag_init(&diag);
	ssp_catalogue_init(&cat);
	memset(&suites, 0, sizeof(suites));
	memset(&base_doc, 0, sizeof(base_doc));
	memset(&profile, 0, sizeof(profile));
	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "smtpspec: try 'smtpspec run --help'\n");
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
	if ((o.mailbox && ssp_profile_set(&profile, "mailbox", o.mailbox, &diag) != 0) ||
	    (o.domain && ssp_profile_set(&profile, "domain", o.domain, &diag) != 0) ||
	    (o.rejected && ssp_profile_set(&profile, "rejected_mailbox", o.rejected, &diag) != 0) ||
	    (o.auth_user && ssp_profile_set(&profile, "auth_user", o.auth_user, &diag) != 0) ||
	    (o.auth_password && ssp_profile_set(&profile, "auth_password", o.auth_password, &diag) != 0) ||
	    ssp_profile_check_auth(&profile, &diag) != 0)
		goto bad_input;
	if (load_catalogue(catdir, &profile, &cat, &suites) != 0)
		goto out;
	for (i = 0; i < o.nsuites; i++) {
		if (ssp_suites_find(&suites, o.suites[i]) == NULL) {
			fprintf(stderr, "smtpspec: no suite named \"%s\" in %s/suites (have:", ssp_term_str(o.suites[i]), ssp_term_str(catdir));
			for (i = 0; i < suites.n; i++)
				fprintf(stderr, " %s", ssp_term_str(suites.s[i].name));
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
			printf("%-6s %s  %s\n", ssp_level_name(v->level), v->id, ssp_term_str(v->title));
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
	memset(&pa, 0, sizeof(pa));
	if (o.run.repeat > 0) {
		/* --repeat N: n x N sessions, the rounds interleaved, under the one --deadline */
		if ((size_t)n > SSP_RUN_ROUNDS_MAX / o.run.repeat) {
			fprintf(stderr, "smtpspec: --repeat %u x %ld vectors is more than " SSP_XSTR(SSP_RUN_ROUNDS_MAX)
					" sessions: select fewer vectors or fewer rounds\n", o.run.repeat, n);
			goto out;
		}
		repeated = ssp_repeat_vectors(vectors, (size_t)n, o.run.repeat);
		keep = malloc((size_t)n * sizeof(*keep));
		if (repeated == NULL || keep == NULL) {
			fprintf(stderr, "smtpspec: out of memory\n");
			goto out;
		}
		for (i = 0; i < (size_t)n; i++)
			keep[i] = SIZE_MAX;
		pa.keep = keep;
	}

	/* --max-memory holds the results first: a selection whose results alone
	 * would spend it is refused before any connection */
	{
		size_t sessions = repeated ? (size_t)n * o.run.repeat : (size_t)n;
		uint64_t need = ssp_run_results_bytes(sessions, (size_t)n);
		uint64_t budget = o.run.max_memory ? o.run.max_memory : SSP_DEFAULT_MAX_MEMORY;

		if (need >= budget) {
			fprintf(stderr, "smtpspec: the results of %zu sessions hold %llu bytes until the reports are written, "
					"more than --max-memory %llu: select fewer vectors or rounds, or raise --max-memory\n",
				sessions, (unsigned long long)need, (unsigned long long)budget);
			code = EXIT_USAGE;
			goto out;
		}
	}

	/* progress on stderr; the results on stdout unless a document took it */
	out = o.stdout_taken ? stderr : stdout;
	memset(&prog, 0, sizeof(prog));
	prog.f = stderr;
	prog.tty = rewrite_ok(STDERR_FILENO);
	prog.color = colour_ok(STDERR_FILENO);
	prog.progress = !o.no_progress && !o.quiet;
	sum = prog;
	sum.f = out;
	sum.tty = 0;
	sum.progress = 0;
	sum.color = colour_ok(fileno(out));
	sum.verbose = o.verbose;
	o.run.target = o.target;
	o.run.jobs = cap_jobs(o.run.jobs);
	pa.console = &prog;
	pa.run = &run;
	pa.n = (size_t)n;
	if (ssp_spool_open(&spool, &diag) != 0)
		goto bad_input;
	pa.spool = &spool;
	o.run.spool = &spool;
	rc = ssp_run_execute(&run, repeated ? repeated : vectors, repeated ? (size_t)n * o.run.repeat : (size_t)n,
			     &profile, &o.run, on_progress, &pa, &diag);
	ssp_console_end(&prog);
	if (repeated != NULL && run.results != NULL && ssp_repeat_fold(&run, (size_t)n, o.run.repeat) != 0) {
		fprintf(stderr, "smtpspec: out of memory\n");
		code = EXIT_FAILED;
		goto out;
	}
	if (rc != 0 && !run.probe.connected) {
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
	if (spool.error[0] != '\0') { /* an error of the run: the reports are written all the same */
		fprintf(stderr, "smtpspec: error: %s\n", spool.error);
		code = EXIT_FAILED;
	}
	if (run.interrupted) /* 130, 143: the shell's convention for a signal */
		code = 128 + run.interrupted;
	memset(&meta, 0, sizeof(meta));
	meta.version = SSP_VERSION;
	catname = ssp_term_utf8_dup(catdir);
	profname = o.profile ? ssp_term_utf8_dup(o.profile) : NULL;
	if (catname == NULL || (o.profile && profname == NULL)) {
		fprintf(stderr, "smtpspec: out of memory\n");
		code = EXIT_FAILED;
		goto out;
	}
	meta.catalogue = catname;
	meta.catalogue_size = cat.n;
	meta.profile = profname;
	for (i = 0; i < o.nsuites; i++) /* each was found before the run */
		suitenames[i] = ssp_suites_find(&suites, o.suites[i])->name;
	meta.suites = suitenames;
	meta.nsuites = o.nsuites;
	meta.strict = o.strict;
	meta.exit_code = code;
	meta.suite_defs = &suites;
	meta.cat = &cat;
	digests(&o, catdir, &meta, cathex, profhex);
	if (o.quiet)
		;
	else if (o.format == FMT_TAP)
		ssp_console_tap(stdout, &run, o.strict);
	else if (o.format == FMT_TEXT)
		ssp_console_summary(&sum, &run, &meta);
	code = write_reports(&o, &run, &meta, base, o.quiet ? NULL : o.format == FMT_TEXT ? out : stderr, code);
	if (run.interrupted)
		code = 128 + run.interrupted;
	if (fflush(stdout) != 0 && !o.quiet) {
		fprintf(stderr, "smtpspec: cannot write to standard output\n");
		code = EXIT_FAILED;
	}
	goto out;

bad_input:
	fprintf(stderr, "smtpspec: ");
	ssp_diag_print(stderr, &diag);
	code = EXIT_USAGE;
out:
	free(catname);
	free(profname);
	ssp_run_free(&run);
	ssp_spool_close(&spool);
	free(vectors);
	free(repeated);
	free(keep);
	ssp_doc_free(&base_doc);
	free(sel);
	ssp_suites_free(&suites);
	ssp_catalogue_free(&cat);
	ssp_profile_free(&profile);
	return code;
}
