/*
 * fuzz_policy.c: fuzz target for the policy-file parser.
 *
 * The input is the content of a policy file. fa_policy_read() takes a
 * path, so the input is written to a temporary file, unlinked at once and
 * read through /proc/self/fd/N (nothing is left behind when a run stops).
 * Each read starts with one gate already in the list, as when --gate comes
 * before --policy, and with the mode set or not. It must append the
 * policy's gates and maybe set the mode, or fail with a one-line error that
 * names the file and changes nothing.
 */
#include "fairaudit/gates.h"
#include "fuzz_util.h"

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static void open_temp(void)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof(tmpl), "%s/fa-fuzz-policy-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmpl);
	if (fd < 0) {
		perror(tmpl);
		abort();
	}
	unlink(tmpl);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
}

static void put_file(const uint8_t *data, size_t size)
{
	size_t done = 0;

	CHECK(ftruncate(fd, 0) == 0);
	while (done < size) {
		ssize_t w = pwrite(fd, data + done, size - done, (off_t)done);
		CHECK(w > 0);
		done += (size_t)w;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fa_gate **gates, *first = NULL;
	size_t ngates = 1, i, lines = 1;
	fa_gate_mode mode = FA_GATE_ON_POINT;
	int mode_set = (int)(size & 1), was_set = mode_set, rc;
	fa_error err;

	if (fd < 0) {
		gsl_set_error_handler_off();
		open_temp();
	}
	put_file(data, size);
	CHECK(fa_gate_parse(&first, "sex:tpr_gap<=0.1", NULL) == 0);
	gates = malloc(sizeof(*gates));
	CHECK(gates != NULL);
	gates[0] = first;
	fa_error_clear(&err);
	rc = fa_policy_read(&gates, &ngates, &mode, &mode_set, path, &err);
	CHECK(gates[0] == first);
	if (rc == 0) {
		CHECK(ngates >= 1);
		for (i = 1; i < ngates; i++)
			CHECK(gates[i] != NULL);
		/* a mode set earlier wins over the file's */
		if (was_set)
			CHECK(mode == FA_GATE_ON_POINT && mode_set == 1);
		else
			CHECK(mode_set == 0 ? mode == FA_GATE_ON_POINT
					    : mode_set == 1 && (unsigned)mode <= FA_GATE_ON_CI_COMPLIANCE);
	} else {
		/* nothing appended or set */
		fz_check_error(rc, &err);
		CHECK(rc == FA_EUSAGE || rc == FA_EIO);
		CHECK(ngates == 1);
		CHECK(mode == FA_GATE_ON_POINT && mode_set == was_set);
		CHECK(strcmp(err.path, path) == 0);
		for (i = 0; i < size; i++)
			lines += data[i] == '\n';
		CHECK(err.line <= lines);
		CHECK((err.line == 0) == (err.column == 0));
	}
	for (i = 0; i < ngates; i++)
		fa_gate_free(gates[i]);
	free(gates);
	return 0;
}
