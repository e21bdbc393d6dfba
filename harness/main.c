/*
 * main.c - the smtpspec command line: dispatch to the subcommands (cli.h),
 * the catalogue lookup they share, and the catalogue checks (quotes,
 * coverage).
 *
 *   smtpspec run --target HOST:PORT [options]        cli_run.c
 *   smtpspec run --list [--suite NAME] [--only GLOB] [--skip GLOB]
 *   smtpspec report RESULT.json | --compare A.json B.json ... | --diff OLD NEW   cli_report.c
 *   smtpspec explain ID                              cli_explain.c
 *   smtpspec quotes --rfc-dir DIR | coverage [--rfc N]
 *
 * Exit codes: 0 no vector failed; 1 a vector failed (or, with --strict,
 * warned) or could not be judged (error); 2 bad usage or a bad vector,
 * suite or profile file (nothing ran); 3 the target could not be reached.
 */
#include "bench_cli.h"
#include "catalogue.h"
#include "cli.h"
#include "coverage.h"
#include "diag.h"
#include "limits.h"
#include "profile.h"
#include "rfctext.h"
#include "suite.h"
#include "termtext.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* find_catalogue - the directory holding vectors/ and suites/. */
const char *find_catalogue(const char *given, char *buf, size_t size)
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

/* load_catalogue - profile defaults, every vector and suite of catdir: 0 or -1 (printed). */
int load_catalogue(const char *catdir, ssp_profile_t *profile, ssp_catalogue_t *cat,
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
 * level_mismatch - 1 when the vector's level is not the strongest RFC 2119
 * keyword of its quote (a quote without one can only be a MAY: RFC 5321's
 * descriptive sentences carry no requirement).  Only upper-case keywords
 * count, also in RFCs older than RFC 2119 (1870, 2034), whose lower-case
 * "must" the issue that set this rule counts as no keyword.
 */
static int level_mismatch(const ssp_vector_t *v)
{
	switch (ssp_rfctext_keyword(v->quote, 0, NULL)) {
	case SSP_RFCTEXT_MUST: return v->level != SSP_LEVEL_MUST;
	case SSP_RFCTEXT_SHOULD: return v->level != SSP_LEVEL_SHOULD;
	default: return v->level != SSP_LEVEL_MAY;
	}
}

/*
 * cmd_quotes - check that every vector's quote occurs in its RFC's text
 * (page furniture removed, whitespace collapsed) and that its level is the
 * quote's strongest RFC 2119 keyword.  Exit 0 all agree, 1 some do not,
 * 2 bad usage, a bad catalogue or missing RFC texts.
 */
static int cmd_quotes(int argc, char **argv)
{
	const char *catalogue = NULL, *rfcdir = getenv("SMTPSPEC_RFC_DIR");
	char catbuf[PATH_MAX];
	ssp_profile_t profile;
	ssp_catalogue_t cat;
	ssp_diag_t diag;
	struct { unsigned rfc; char *text; } texts[32];
	size_t ntexts = 0, i, k, missing = 0, badlevel = 0;
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
			printf("%s:%u: %s: the quote is not in RFC %u: \"%s\"\n", ssp_term_str(v->file), v->line,
			       v->id, v->rfc, ssp_term_str(v->quote));
			missing++;
		}
		if (level_mismatch(v)) {
			const char *word;
			int kw = ssp_rfctext_keyword(v->quote, v->rfc < 2119, &word);

			printf("%s:%u: %s: level %s, but the strongest keyword of the quote is %s%s\n", ssp_term_str(v->file),
			       v->line, v->id, ssp_level_name(v->level), word ? word : "none",
			       kw == SSP_RFCTEXT_NONE ? " (a quote with no keyword is a MAY)" : "");
			badlevel++;
		}
	}
	printf("quotes: %zu passed, %zu failed; levels: %zu agree with their quote, %zu do not\n", cat.n - missing,
	       missing, cat.n - badlevel, badlevel);
	code = missing || badlevel ? EXIT_FAILED : EXIT_PASS;
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
		fprintf(stderr, "smtpspec coverage: cannot open %s\n", ssp_term_str(dir));
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

/*
 * standard_fds - open /dev/null on whichever of descriptors 0-2 is closed,
 * so that no socket or file the run opens becomes "standard output" (and
 * libuv's own descriptors never land there).
 */
static void standard_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			int nul = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (nul >= 0 && nul != fd)
				close(nul); /* cannot happen: open returns the lowest free descriptor */
		}
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} commands[] = {
		{ "run", ssp_cli_run },       { "report", ssp_cli_report }, { "explain", ssp_cli_explain },
		{ "quotes", cmd_quotes },     { "coverage", cmd_coverage }, { "bench", ssp_bench_main },
	};
	size_t i;

	standard_fds();
	/* a server that closes while we write must give EPIPE, not kill the run */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* a command without a help entry here (bench) prints its own */
		if (ssp_cli_wants_help(argc - 1, argv + 1) && ssp_cli_help(stdout, commands[i].name) == 0) {
			return fflush(stdout) == 0 ? EXIT_PASS : EXIT_FAILED;
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		ssp_cli_help(stdout, NULL);
		return EXIT_PASS;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		char catbuf[PATH_MAX];
		ssp_cli_version(stdout, find_catalogue(argc >= 4 && strcmp(argv[2], "--catalogue") == 0 ? argv[3] : NULL,
						       catbuf, sizeof(catbuf)));
		return EXIT_PASS;
	}
	if (argc >= 2 && argv[1][0] != '-')
		fprintf(stderr, "smtpspec: unknown command: %s\n", ssp_term_str(argv[1]));
	ssp_cli_help(stderr, NULL);
	return EXIT_USAGE;
}
