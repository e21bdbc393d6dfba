/*
 * outfile.c - report files written to a temporary name and renamed
 * (issue 14 §3), "-" as standard output (issue 13).
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The temporary file being written, removed by a signal that ends the
 * process meanwhile (SIGINT, SIGTERM, SIGHUP): the previous report is
 * intact anyway, and no hidden temporary is left beside it.
 */
static char active_tmp[PATH_MAX];
static volatile sig_atomic_t active;

/* on_signal - remove the active temporary file, then die of the signal as before. */
static void on_signal(int sig)
{
	if (active)
		unlink(active_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* guard - track tmp (NULL: none) and catch the signals that would orphan it. */
static void guard(const char *tmp)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static int installed;
	struct sigaction sa, old;
	size_t i;

	active = 0;
	if (tmp == NULL)
		return;
	snprintf(active_tmp, sizeof(active_tmp), "%s", tmp);
	active = 1;
	if (installed)
		return;
	installed = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* a signal the caller ignores (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

int ssp_outfile_is_stdout(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/* dir_of - the directory part of path ("." if none) into buf: 0, or -1 if too long. */
static int dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL)
		return snprintf(buf, size, ".") < (int)size ? 0 : -1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		return -1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

int ssp_outfile_check(const char *path, ssp_diag_t *diag)
{
	char dir[PATH_MAX];
	struct stat st;
	size_t n;

	if (ssp_outfile_is_stdout(path))
		return 0;
	n = strlen(path);
	if (n == 0)
		return ssp_diag_set(diag, NULL, 0, 0, "an empty report file name");
	if (n >= PATH_MAX - 16)
		return ssp_diag_set(diag, path, 0, 0, "the report file name is too long");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return ssp_diag_set(diag, path, 0, 0, "cannot write the report: a directory");
		if (!S_ISREG(st.st_mode))
			return access(path, W_OK) == 0 ? 0
			       : ssp_diag_set(diag, path, 0, 0, "cannot write the report: %s", strerror(errno));
	}
	if (path[n - 1] == '/')
		return ssp_diag_set(diag, path, 0, 0, "cannot write the report: a directory name");
	if (dir_of(path, dir, sizeof(dir)) != 0)
		return ssp_diag_set(diag, path, 0, 0, "the report file name is too long");
	if (stat(dir, &st) != 0)
		return ssp_diag_set(diag, path, 0, 0, "cannot write the report: directory %s: %s", dir,
				    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ssp_diag_set(diag, path, 0, 0, "cannot write the report: %s is not a directory", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return ssp_diag_set(diag, path, 0, 0, "cannot write the report: directory %s: %s", dir,
				    strerror(errno));
	return 0;
}

int ssp_outfile_begin(ssp_outfile_t *o, const char *path, ssp_diag_t *diag)
{
	char dir[PATH_MAX];
	const char *base, *tmpdir;
	struct stat st;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (ssp_outfile_is_stdout(path)) {
		o->to_stdout = 1;
		tmpdir = getenv("TMPDIR");
		if (tmpdir == NULL || *tmpdir == '\0' || strlen(tmpdir) > PATH_MAX - 32)
			tmpdir = "/tmp";
		snprintf(o->tmp, sizeof(o->tmp), "%s/smtpspec-stdout.XXXXXX", tmpdir);
	} else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->in_place = 1;
		snprintf(o->tmp, sizeof(o->tmp), "%s", path);
		return 0;
	} else {
		/* a symlink to a report stays a symlink: the file it names is replaced */
		if (realpath(path, o->final) == NULL) {
			if (strlen(path) >= sizeof(o->final))
				return ssp_diag_set(diag, path, 0, 0, "the report file name is too long");
			snprintf(o->final, sizeof(o->final), "%s", path);
		}
		if (dir_of(o->final, dir, sizeof(dir)) != 0)
			return ssp_diag_set(diag, path, 0, 0, "the report file name is too long");
		base = strrchr(o->final, '/');
		base = base ? base + 1 : o->final;
		if (snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, base) >= (int)sizeof(o->tmp))
			return ssp_diag_set(diag, path, 0, 0, "the report file name is too long");
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		ssp_diag_set(diag, path, 0, 0, "cannot create a temporary file %s: %s", o->tmp, strerror(errno));
		o->tmp[0] = '\0';
		return -1;
	}
	/* mkstemp makes it 0600: a report gets the mode a plain fopen would give */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		/* not fatal: the report is then private */
	}
	close(fd);
	guard(o->tmp);
	return 0;
}

/* copy_out - the bytes of file into out: 0, or -1 with diag. */
static int copy_out(const char *file, FILE *out, const char *path, ssp_diag_t *diag)
{
	char buf[8192];
	FILE *in = fopen(file, "rb");
	size_t n;
	int rc = 0;

	if (in == NULL)
		return ssp_diag_set(diag, path, 0, 0, "cannot read back %s: %s", file, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			rc = ssp_diag_set(diag, path, 0, 0, "cannot write to standard output: %s", strerror(errno));
			break;
		}
	}
	if (rc == 0 && ferror(in))
		rc = ssp_diag_set(diag, path, 0, 0, "cannot read back %s", file);
	if (rc == 0 && fflush(out) != 0)
		rc = ssp_diag_set(diag, path, 0, 0, "cannot write to standard output: %s", strerror(errno));
	fclose(in);
	return rc;
}

int ssp_outfile_commit(ssp_outfile_t *o, FILE *out, ssp_diag_t *diag)
{
	int rc = 0;

	if (o->in_place || o->tmp[0] == '\0')
		return 0;
	if (o->to_stdout) {
		rc = copy_out(o->tmp, out, o->path, diag);
		unlink(o->tmp);
	} else if (rename(o->tmp, o->final) != 0) {
		rc = ssp_diag_set(diag, o->path, 0, 0, "cannot rename %s to it: %s", o->tmp, strerror(errno));
		unlink(o->tmp);
	}
	guard(NULL);
	o->tmp[0] = '\0';
	return rc;
}

void ssp_outfile_abort(ssp_outfile_t *o)
{
	guard(NULL);
	if (!o->in_place && o->tmp[0] != '\0')
		unlink(o->tmp);
	o->tmp[0] = '\0';
}
