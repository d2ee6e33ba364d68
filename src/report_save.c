/*
 * report_save.c: atomic report files. Each report is written to a
 * temporary file beside its destination, flushed, and renamed into place
 * only when every report of the run is complete; a failure removes the
 * temporaries and leaves existing files untouched.
 */
#include "fairaudit/report.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TEMPS 64

/* Temporary names in use, for fa_report_cleanup_temps() in a signal
 * handler: fixed storage, no allocation. */
static char temps[MAX_TEMPS][4096];
static volatile sig_atomic_t ntemps;

void fa_report_cleanup_temps(void)
{
	int i;
	for (i = 0; i < ntemps; i++)
		if (temps[i][0])
			unlink(temps[i]);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_temp(const char *path, const char *data, size_t len, char *tmp,
		      size_t tmpsize, fa_error *err)
{
	int fd, e;

	if ((size_t)snprintf(tmp, tmpsize, "%s.tmp-XXXXXX", path) >= tmpsize)
		return fa_error_set(err, FA_EIO, path, 0, 0, "output path too long");
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		tmp[0] = '\0';
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot create the report: %s",
				    strerror(e));
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		tmp[0] = '\0';
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot write the report: %s",
				    strerror(e));
	}
	if (close(fd) < 0) {
		e = errno;
		unlink(tmp);
		tmp[0] = '\0';
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot write the report: %s",
				    strerror(e));
	}
	/* mkstemp makes 0600; a report is an ordinary file */
	{
		mode_t um = umask(0);
		umask(um);
		chmod(tmp, 0666 & ~um);
	}
	return 0;
}

int fa_report_save_all(const char *const *paths, const fa_buf *bufs, size_t n,
		       fa_error *err)
{
	size_t i;
	int rc = 0;

	if (n > MAX_TEMPS)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "at most %d output files",
				    MAX_TEMPS);
	for (i = 0; i < n; i++)
		temps[i][0] = '\0';
	ntemps = (sig_atomic_t)n;
	for (i = 0; i < n && rc == 0; i++)
		rc = write_temp(paths[i], bufs[i].ptr ? bufs[i].ptr : "", bufs[i].len, temps[i],
				sizeof(temps[i]), err);
	for (i = 0; i < n && rc == 0; i++) {
		if (rename(temps[i], paths[i]) < 0) {
			rc = fa_error_set(err, FA_EIO, paths[i], 0, 0, "cannot write the report: %s",
					  strerror(errno));
			break;
		}
		temps[i][0] = '\0';
	}
	if (rc < 0)
		fa_report_cleanup_temps();
	ntemps = 0;
	return rc;
}

int fa_report_save(const char *path, const char *data, size_t len, fa_error *err)
{
	fa_buf b;
	b.ptr = (char *)data;
	b.len = len;
	b.cap = len;
	return fa_report_save_all(&path, &b, 1, err);
}
