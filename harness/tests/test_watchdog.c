/*
 * test_watchdog.c - the watchdog thread (watchdog.h): it fires once its
 * time has passed, with the code and the phase the run was in; it never
 * fires once stopped; and its default action ends the process by itself,
 * whatever the main thread is doing.
 */
#include "tests.h"

#include "../watchdog.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int fired_code = -1;
static char fired_reason[256];

/* record - a fire callback that keeps what it was given instead of exiting. */
static void record(const char *reason, int code)
{
	snprintf(fired_reason, sizeof(fired_reason), "%s", reason);
	atomic_store(&fired_code, code);
}

/* sleep_ms - the calling thread does nothing for ms milliseconds. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* test_fires - past its time, the watchdog reports the phase and the code. */
static void test_fires(void)
{
	ssp_watchdog_t *w;
	int i;

	atomic_store(&fired_code, -1);
	w = ssp_watchdog_start(50, 7, record);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	ssp_watchdog_phase(w, SSP_PHASE_VECTORS);
	for (i = 0; i < 200 && atomic_load(&fired_code) < 0; i++)
		sleep_ms(10);
	CU_ASSERT_EQUAL(atomic_load(&fired_code), 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(fired_reason, "stuck in the vector sessions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(fired_reason, "50 ms"));
	ssp_watchdog_stop(w);
}

/* test_stopped - stopped before its time, the watchdog never fires. */
static void test_stopped(void)
{
	ssp_watchdog_t *w;

	atomic_store(&fired_code, -1);
	w = ssp_watchdog_start(100, 7, record);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	sleep_ms(20);
	ssp_watchdog_stop(w);
	sleep_ms(150);
	CU_ASSERT_EQUAL(atomic_load(&fired_code), -1);
	ssp_watchdog_stop(NULL);            /* no watchdog: nothing to do */
	ssp_watchdog_phase(NULL, SSP_PHASE_PROBE);
}

/* test_ends_a_stuck_process - the default action: a child whose main thread
 * is stuck (in a loop of sleeps, as a blocked callback would be) is ended by
 * the watchdog with its code, long before the main thread would finish. */
static void test_ends_a_stuck_process(void)
{
	int status = 0, fd[2];
	char buf[512] = "";
	ssize_t n;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(fd) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		(void)ssp_watchdog_start(100, 42, NULL);
		sleep_ms(10000);
		_exit(0);
	}
	close(fd[1]);
	n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	CU_ASSERT(n > 0 && strstr(buf, "stuck in resolving the target's name") != NULL);
}

void register_watchdog_tests(void)
{
	static const tests_entry_t tests[] = {
		{"fires past its time with the phase and code", test_fires},
		{"never fires once stopped", test_stopped},
		{"ends a process whose main thread is stuck", test_ends_a_stuck_process},
		{NULL, NULL},
	};

	tests_add_suite("watchdog", tests);
}
