/*
 * spool.c - finished transcripts in an unlinked temporary file.
 *
 * A record is a header (entries, bytes, what the caps dropped) followed by
 * the entry array and the bytes, as the transcript holds them: the file is
 * private to the process, written and read by the same binary.
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

typedef struct {
	uint32_t nentries, nbytes, dropped_entries, pad;
	uint64_t dropped_bytes;
} record_t;

/* The largest record a transcript can make (its caps, limits.h, and the room for its final note). */
#define RECORD_MAX \
	(sizeof(record_t) + (SSP_TRANSCRIPT_ENTRIES_MAX + 1) * sizeof(ssp_tr_entry_t) + SSP_TRANSCRIPT_BYTES_MAX + 256)

/* tmpdir - $TMPDIR when set and not empty, else /tmp. */
static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && *d != '\0' ? d : "/tmp";
}

int ssp_spool_open(ssp_spool_t *sp, ssp_diag_t *diag)
{
	const char *dir = tmpdir();
	char path[PATH_MAX];

	memset(sp, 0, sizeof(*sp));
#ifdef O_TMPFILE
	sp->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (sp->fd >= 0)
		return 0;
#endif
	/* no O_TMPFILE here (or not on this file system): a named file, unlinked at once */
	if (snprintf(path, sizeof(path), "%s/smtpspec-spool.XXXXXX", dir) >= (int)sizeof(path))
		return ssp_diag_set(diag, dir, 0, 0, "the temporary directory's name is too long");
	if ((sp->fd = mkostemp(path, O_CLOEXEC)) < 0)
		return ssp_diag_set(diag, dir, 0, 0, "cannot create the spool file of the results: %s",
				    strerror(errno));
	unlink(path);
	return 0;
}

/* fail - record the first write error of the spool: -1. */
static int fail(ssp_spool_t *sp, int err)
{
	if (sp->error[0] == '\0')
		snprintf(sp->error, sizeof(sp->error), "cannot write the spool file of the results (%s in %s): %s",
			 err == ENOSPC ? "no space" : "write error", tmpdir(), strerror(err));
	return -1;
}

int ssp_spool_put(ssp_spool_t *sp, ssp_result_t *r)
{
	const ssp_transcript_t *t = &r->transcript;
	record_t h;
	struct iovec iov[3];
	size_t total, done = 0;
	int k = 0;

	if (sp == NULL)
		return -1;
	if (sp->fd < 0)
		return fail(sp, EBADF);
	memset(&h, 0, sizeof(h));
	h.nentries = (uint32_t)(t->entries.len / sizeof(ssp_tr_entry_t));
	h.nbytes = (uint32_t)t->bytes.len;
	h.dropped_entries = t->dropped_entries;
	h.dropped_bytes = t->dropped_bytes;
	total = sizeof(h) + t->entries.len + t->bytes.len;
	if (total > RECORD_MAX)
		return fail(sp, EFBIG);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = t->entries.data;
	iov[1].iov_len = t->entries.len;
	iov[2].iov_base = t->bytes.data;
	iov[2].iov_len = t->bytes.len;
	while (done < total) {
		ssize_t w;

		while (k < 3 && iov[k].iov_len == 0)
			k++;
		w = pwritev(sp->fd, iov + k, 3 - k, (off_t)(sp->size + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(sp, w < 0 ? errno : ENOSPC);
		done += (size_t)w;
		/* a short write: step over what went out */
		while (w > 0) {
			size_t step = (size_t)w < iov[k].iov_len ? (size_t)w : iov[k].iov_len;
			iov[k].iov_base = (char *)iov[k].iov_base + step;
			iov[k].iov_len -= step;
			w -= (ssize_t)step;
			if (iov[k].iov_len == 0)
				k++;
		}
	}
	r->spool_off = sp->size;
	r->spool_len = (uint32_t)total;
	sp->size += total;
	sp->records++;
	ssp_transcript_free(&r->transcript);
	ssp_transcript_init(&r->transcript);
	return 0;
}

/* read_all - len bytes at off into p: 0, or -1 (errno set; EIO for a short file). */
static int read_all(int fd, void *p, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)p + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

const ssp_transcript_t *ssp_spool_transcript(const ssp_spool_t *sp, const ssp_result_t *r,
					      ssp_transcript_t *tmp, ssp_diag_t *diag)
{
	record_t h;
	size_t elen;

	ssp_transcript_init(tmp);
	if (r->spool_len == 0)
		return &r->transcript;
	if (sp == NULL || sp->fd < 0) {
		ssp_diag_set(diag, NULL, 0, 0, "the spool file of the results is closed");
		return NULL;
	}
	if (read_all(sp->fd, &h, sizeof(h), r->spool_off) != 0)
		goto bad;
	elen = (size_t)h.nentries * sizeof(ssp_tr_entry_t);
	if (h.nentries > SSP_TRANSCRIPT_ENTRIES_MAX + 1 || h.nbytes > SSP_TRANSCRIPT_BYTES_MAX + 256 || sizeof(h) + elen + h.nbytes != r->spool_len) {
		errno = EIO;
		goto bad;
	}
	tmp->entries.max = elen; /* with the note past the caps (ssp_transcript_finish) */
	tmp->bytes.max = h.nbytes;
	if (ssp_buf_reserve(&tmp->entries, elen) != 0 || ssp_buf_reserve(&tmp->bytes, h.nbytes) != 0) {
		ssp_transcript_free(tmp);
		ssp_diag_set(diag, NULL, 0, 0, "out of memory reading a transcript back");
		return NULL;
	}
	if (read_all(sp->fd, tmp->entries.data, elen, r->spool_off + sizeof(h)) != 0 ||
	    read_all(sp->fd, tmp->bytes.data, h.nbytes, r->spool_off + sizeof(h) + elen) != 0) {
		ssp_transcript_free(tmp);
		goto bad;
	}
	tmp->entries.len = elen;
	tmp->bytes.len = h.nbytes;
	tmp->dropped_entries = h.dropped_entries;
	tmp->dropped_bytes = h.dropped_bytes;
	return tmp;
bad:
	ssp_diag_set(diag, NULL, 0, 0, "cannot read the spool file of the results: %s", strerror(errno));
	return NULL;
}

void ssp_spool_close(ssp_spool_t *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}
