/*
 * bench_cli.h - the smtpspec bench subcommand (issue 11): options, terminal
 * progress and summary, the --json result and bench --merge.
 */
#ifndef SSP_BENCH_CLI_H
#define SSP_BENCH_CLI_H

/*
 * ssp_bench_main - "smtpspec bench ARGS" (argv[0] is "bench").  Returns the
 * exit status: 0 every message delivered, 1 some failed or the run was cut,
 * 2 bad usage or input file, 3 the target could not be reached at all.
 */
int ssp_bench_main(int argc, char **argv);

#endif
