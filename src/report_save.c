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
#include <pthread.h>
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

/* Write `data` to a new temporary file beside `path`; its name goes into
 * `slot` (for the signal handler) only once the file exists, so a signal
 * can never make the handler remove anything but a temporary. */
static int write_temp(const char *path, const char *data, size_t len, char *slot,
		      size_t slotsize, fa_error *err)
{
	char tmp[4096];
	int fd, e;
	sigset_t block, old;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= sizeof(tmp) ||
	    strlen(tmp) >= slotsize)
		return fa_error_set(err, FA_EIO, path, 0, 0, "output path too long");
	/* a signal between creating the file and noting its name would leave
	 * it behind: both happen with SIGINT and SIGTERM held back */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot create the report: %s",
				    strerror(e));
	}
	/* the first byte last: until then the handler sees an empty name */
	memcpy(slot + 1, tmp + 1, strlen(tmp));
	slot[0] = tmp[0];
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(slot);
		slot[0] = '\0';
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot write the report: %s",
				    strerror(e));
	}
	if (close(fd) < 0) {
		e = errno;
		unlink(slot);
		slot[0] = '\0';
		return fa_error_set(err, FA_EIO, path, 0, 0, "cannot write the report: %s",
				    strerror(e));
	}
	/* mkstemp makes 0600; a report is an ordinary file */
	{
		mode_t um = umask(0);
		umask(um);
		chmod(slot, 0666 & ~um);
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
	/* the renames are the commit: no signal may stop them half way */
	if (rc == 0) {
		sigset_t block, old;
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &block, &old);
		for (i = 0; i < n && rc == 0; i++) {
			if (rename(temps[i], paths[i]) < 0) {
				rc = fa_error_set(err, FA_EIO, paths[i], 0, 0,
						  "cannot write the report: %s", strerror(errno));
				break;
			}
			temps[i][0] = '\0';
		}
		if (rc < 0)
			fa_report_cleanup_temps();
		ntemps = 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return rc;
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
