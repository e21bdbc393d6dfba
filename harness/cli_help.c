/*
 * cli_help.c - the help of every subcommand (smtpspec CMD --help) and
 * smtpspec --version.  The man page (docs/smtpspec.1) documents every option
 * printed here; harness/tests/package.sh checks that none is missing.
 */
#include "cli.h"
#include "limits.h"
#include "termtext.h"
#include "tlsopt.h"

#include "../reports/digest.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <string.h>
#include <uv.h>

static void help_overview(FILE *f)
{
	fprintf(f,
		"usage: smtpspec run --target HOST:PORT [options]\n"
		"       smtpspec run --list [selection options]\n"
		"       smtpspec report RESULT.json [--html FILE] [--junit FILE] [--strict]\n"
		"       smtpspec report --compare A.json B.json ... --html MATRIX.html\n"
		"       smtpspec report --diff OLD.json NEW.json [--strict]\n"
		"       smtpspec explain ID           what a vector checks, and how to run it alone\n"
		"       smtpspec quotes --rfc-dir DIR   check every quote against the RFC texts\n"
		"       smtpspec coverage [--rfc N]     RFC sections with a server requirement, and their vectors\n"
		"       smtpspec bench --target HOST:PORT [options]   load test (smtpspec bench --help)\n"
		"       smtpspec --help | --version\n"
		"\n"
		"Runs RFC 5321 conformance vectors against an SMTP server.\n"
		"'smtpspec COMMAND --help' shows the options of a command; man smtpspec has it all.\n"
		"\n"
		"exit: 0 no failure, 1 failure or error, 2 bad usage or input file,\n"
		"      3 target unreachable\n");
}

static void help_run(FILE *f)
{
	fprintf(f,
		"usage: smtpspec run --target HOST:PORT [options]\n"
		"       smtpspec run --list [selection options]\n"
		"\n"
		"Runs the selected vectors against the server, each on its own connection.\n"
		"Results and the summary go to standard output; progress, warnings and\n"
		"errors to standard error.\n"
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
		"  --mailbox ADDR     a recipient the server accepts (default: found by asking it)\n"
		"  --domain NAME      a mail domain the server serves (default: found likewise)\n"
		"  --rejected-mailbox ADDR  a recipient the server refuses (default: a made-up\n"
		"                     local part at the domain, checked once)\n"
		"  --auth-user USER, --auth-password PASSWORD  credentials for the AUTH vectors\n"
		"                     (RFC 4954; or auth in the profile, which keeps the password\n"
		"                     out of the process list)\n"
		"  --jobs N           parallel sessions (default %d, at most %d, and no more\n"
		"                     than the open-file limit allows)\n"
		"  --max-memory BYTES memory the running sessions may hold at worst, together\n"
		"                     (K, M, G suffixes; default 256M): a session starts only\n"
		"                     when its worst case fits; a vector whose session alone\n"
		"                     cannot fit is an error; the results are charged\n"
		"                     first, and a selection they alone would spend is refused\n"
		"  --timeout MS       wait for each reply (default %d)\n"
		"  --connect-timeout MS  wait for each connection (default %d)\n"
		"  --deadline S       the whole run (default %d)\n"
		"  --repeat N         run every vector N times (at most " SSP_XSTR(SSP_RUN_REPEAT_MAX) "), the rounds\n"
		"                     spread over --jobs: report the worst verdict of each, and\n"
		"                     the vectors whose rounds disagree (unstable under load)\n"
		"  --strict           SHOULD-level warnings fail the run\n"
		"  --remote           the target is reached through a tunnel or proxy on this\n"
		"                     machine: judge it as a remote server (vectors about what\n"
		"                     crosses a network in plaintext are not skipped on loopback)\n"
		"output:\n"
		"  --format FORMAT    standard output as text (default), tap (TAP version 13)\n"
		"                     or json (the result document)\n"
		"  -q, --quiet        nothing on standard output, no progress: the exit code\n"
		"  --json FILE        write the result document\n"
		"  --html FILE        write the HTML report (one self-contained page)\n"
		"  --junit FILE       write JUnit XML for the test reports of CI systems\n"
		"                     (FILE \"-\" is standard output, for one of the three)\n"
		"  --baseline FILE    compare with an earlier --json result: list new failures,\n"
		"                     fixed and changed vectors; exit 1 only on new failures\n"
		"  -v, --verbose      print the transcript of every non-passing vector\n"
		"  --no-progress      no progress output, only the summary\n"
		"  --catalogue DIR    where vectors/ and suites/ are (default: next to\n"
		"                     the binary, or $SMTPSPEC_CATALOGUE, or %s)\n"
		"  -h, --help         this help\n"
		"\n"
		"exit: 0 no failure, 1 failure or error, 2 bad usage or input file,\n"
		"      3 target unreachable\n",
		SSP_DEFAULT_JOBS, SSP_JOBS_MAX, SSP_DEFAULT_TIMEOUT_MS, SSP_DEFAULT_CONNECT_TIMEOUT_MS,
		SSP_DEFAULT_DEADLINE_S, SSP_DATADIR);
	fprintf(f, "\nTLS (RFC 3207, RFC 8314; certificates are not verified unless asked):\n%s", ssp_tlsopt_usage);
}

static void help_report(FILE *f)
{
	fprintf(f,
		"usage: smtpspec report RESULT.json [--html FILE] [--junit FILE] [--strict]\n"
		"       smtpspec report --compare A.json B.json ... --html MATRIX.html\n"
		"       smtpspec report --diff OLD.json NEW.json [--strict]\n"
		"\n"
		"Reports from result documents saved with 'smtpspec run --json'.\n"
		"\n"
		"  --html FILE        the HTML report of RESULT.json, or with --compare the\n"
		"                     matrix of vectors x result files (at most %d)\n"
		"  --junit FILE       JUnit XML of RESULT.json\n"
		"                     (FILE \"-\" is standard output)\n"
		"  --compare          compare several result files (needs --html)\n"
		"  --diff             new failures, fixed and changed vectors from OLD to NEW;\n"
		"                     exit 1 on a new failure\n"
		"  --strict           warnings count as failures\n"
		"  -h, --help         this help\n",
		SSP_COMPARE_MAX);
}

static void help_explain(FILE *f)
{
	fprintf(f,
		"usage: smtpspec explain ID [--catalogue DIR]\n"
		"\n"
		"Prints what a vector checks: title, RFC section, level, the quoted\n"
		"requirement, its description and steps, and the command that runs it alone.\n"
		"ID is a vector id, or a glob or prefix that selects exactly one vector.\n"
		"\n"
		"  --catalogue DIR    where vectors/ and suites/ are\n"
		"  -h, --help         this help\n");
}

static void help_quotes(FILE *f)
{
	fprintf(f,
		"usage: smtpspec quotes --rfc-dir DIR [--catalogue DIR]\n"
		"\n"
		"Checks that every vector's quote occurs in its RFC's text (rfcN.txt in DIR,\n"
		"or $SMTPSPEC_RFC_DIR); exit 1 if one does not.\n"
		"\n"
		"  --rfc-dir DIR      where the RFC texts are\n"
		"  --catalogue DIR    where vectors/ and suites/ are\n"
		"  -h, --help         this help\n");
}

static void help_coverage(FILE *f)
{
	fprintf(f,
		"usage: smtpspec coverage [--rfc N] [--catalogue DIR]\n"
		"\n"
		"Prints every RFC section with a server requirement (suites/coverage/) and the\n"
		"vectors that check it; exit 1 if a MUST section has neither a vector nor a\n"
		"reason why it cannot be observed.\n"
		"\n"
		"  --rfc N            only RFC N\n"
		"  --catalogue DIR    where vectors/ and suites/ are\n"
		"  -h, --help         this help\n");
}

int ssp_cli_help(FILE *f, const char *cmd)
{
	static const struct {
		const char *name;
		void (*print)(FILE *);
	} table[] = {
		{ "run", help_run },           { "report", help_report }, { "explain", help_explain },
		{ "quotes", help_quotes },     { "coverage", help_coverage },
	};
	size_t i;

	if (cmd == NULL) {
		help_overview(f);
		return 0;
	}
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].name, cmd) == 0) {
			table[i].print(f);
			return 0;
		}
	}
	return -1;
}

int ssp_cli_wants_help(int argc, char **argv)
{
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--") == 0)
			break;
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
			return 1;
	}
	return 0;
}

/* library - one library's version line: the runtime's, and the build's when it differs. */
static void library(FILE *f, const char *name, const char *runtime, const char *built)
{
	if (strcmp(runtime, built) == 0)
		fprintf(f, "%s %s\n", name, runtime);
	else
		fprintf(f, "%s %s (built with %s)\n", name, runtime, built);
}

void ssp_cli_version(FILE *f, const char *catalogue)
{
	char hex[SSP_DIGEST_HEX], built[64];
	ssp_diag_t diag;

	fprintf(f, "smtpspec %s\n", SSP_VERSION);
	ssp_diag_init(&diag);
	if (ssp_digest_catalogue(catalogue, hex, &diag) == 0)
		fprintf(f, "catalogue %s sha256:%s\n", ssp_term_str(catalogue), hex);
	else
		fprintf(f, "catalogue %s (unreadable: %s)\n", ssp_term_str(catalogue), ssp_term_str(diag.text));
	snprintf(built, sizeof(built), "%d.%d.%d", UV_VERSION_MAJOR, UV_VERSION_MINOR, UV_VERSION_PATCH);
	library(f, "libuv", uv_version_string(), built);
	library(f, "jansson", jansson_version_str(), JANSSON_VERSION);
#ifdef OPENSSL_VERSION_STR
	library(f, "OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING), OPENSSL_VERSION_STR);
#else
	library(f, "OpenSSL", OpenSSL_version(OPENSSL_VERSION), OPENSSL_VERSION_TEXT);
#endif
}
