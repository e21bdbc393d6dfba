/*
 * cli.h - what the modules of the command line share: exit codes, the
 * catalogue lookup, each subcommand's entry point, help and version.
 *
 *   main.c         dispatch, standard descriptors, quotes and coverage
 *   cli_help.c     --help of every subcommand, --version
 *   cli_run.c      smtpspec run
 *   cli_report.c   smtpspec report
 *   cli_explain.c  smtpspec explain
 */
#ifndef SSP_CLI_H
#define SSP_CLI_H

#include "catalogue.h"
#include "profile.h"
#include "suite.h"

#include <stddef.h>
#include <stdio.h>

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

#ifndef SSP_VERSION
#define SSP_VERSION "0.1.0"
#endif
#ifndef SSP_DATADIR
#define SSP_DATADIR "/usr/local/share/smtpspec"
#endif

/* find_catalogue - the directory holding vectors/ and suites/ (given, $SMTPSPEC_CATALOGUE, beside the binary, SSP_DATADIR). */
const char *find_catalogue(const char *given, char *buf, size_t size);
/* load_catalogue - profile defaults, every vector and suite of catdir: 0 or -1 (printed). */
int load_catalogue(const char *catdir, ssp_profile_t *profile, ssp_catalogue_t *cat, ssp_suites_t *suites);

/* ssp_cli_help - print the help of a subcommand ("run", ..., NULL: the overview) to f: 0, or -1 if unknown. */
int ssp_cli_help(FILE *f, const char *cmd);
/* ssp_cli_wants_help - 1 if argv[1..argc) holds --help or -h. */
int ssp_cli_wants_help(int argc, char **argv);
/* ssp_cli_version - print the version, the catalogue's digest and the library versions to f. */
void ssp_cli_version(FILE *f, const char *catalogue);

/* ssp_cli_run - smtpspec run: the exit code. */
int ssp_cli_run(int argc, char **argv);
/* ssp_cli_report - smtpspec report: the exit code. */
int ssp_cli_report(int argc, char **argv);
/* ssp_cli_explain - smtpspec explain: the exit code. */
int ssp_cli_explain(int argc, char **argv);

#endif
