/* harness.h: a small unit-test harness. Each test_<module>.c defines
 * test functions and a table; main.c runs every table and prints
 * "N passed, N failed". */
#ifndef FA_TEST_HARNESS_H
#define FA_TEST_HARNESS_H

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct test_case {
	const char *name;
	void (*fn)(void);
} test_case;

extern int test_failures_in_case;

void test_fail(const char *file, int line, const char *fmt, ...);
/* Path of a file under the source tree (tests/data, data/samples ...). */
const char *test_path(const char *rel);
/* Read a whole file into a new NUL-terminated buffer; aborts on failure. */
char *test_read(const char *rel, size_t *len);

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			test_fail(__FILE__, __LINE__, "check failed: %s", #cond); \
	} while (0)

#define CHECK_INT(got, want)                                                  \
	do {                                                                  \
		long long g_ = (long long)(got), w_ = (long long)(want);      \
		if (g_ != w_)                                                 \
			test_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

#define CHECK_STR(got, want)                                                  \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		if (!g_ || !w_ || strcmp(g_, w_) != 0)                        \
			test_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", #got, \
				  g_ ? g_ : "(null)", w_ ? w_ : "(null)");  \
	} while (0)

/* |got - want| <= tol, or both NaN */
#define CHECK_NEAR(got, want, tol)                                            \
	do {                                                                  \
		double g_ = (got), w_ = (want);                               \
		if (!((isnan(g_) && isnan(w_)) || fabs(g_ - w_) <= (tol)))    \
			test_fail(__FILE__, __LINE__, "%s: got %.17g, want %.17g", #got, g_, w_); \
	} while (0)

#define CHECK_NAN(got) CHECK(isnan(got))

#endif
