/* harness.c: runs the test tables named on the command line (or all). */
#include "harness.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "suites.h"

int test_failures_in_case;
static const char *current;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "FAIL %s\n  %s:%d: ", current, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	test_failures_in_case++;
}

const char *test_path(const char *rel)
{
	static char buf[8][4096];
	static int k;
	char *b = buf[k++ % 8];
	snprintf(b, sizeof(buf[0]), "%s/%s", FA_SOURCE_DIR, rel);
	return b;
}

char *test_read(const char *rel, size_t *len)
{
	FILE *f = fopen(test_path(rel), "rb");
	char *p;
	long n;
	if (!f) {
		fprintf(stderr, "cannot open %s\n", test_path(rel));
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n)
		abort();
	p[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return p;
}

int main(int argc, char **argv)
{
	size_t s, i;
	int passed = 0, failed = 0;

	gsl_set_error_handler_off();
	for (s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		int want = argc < 2;
		int a;
		for (a = 1; a < argc; a++)
			if (strcmp(argv[a], suites[s].name) == 0)
				want = 1;
		if (!want)
			continue;
		for (i = 0; suites[s].cases[i].name; i++) {
			current = suites[s].cases[i].name;
			test_failures_in_case = 0;
			suites[s].cases[i].fn();
			if (test_failures_in_case)
				failed++;
			else
				passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
