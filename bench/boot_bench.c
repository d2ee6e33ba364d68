/*
 * boot_bench.c: time the bootstrap alone on one file, loaded once.
 *   boot_bench FILE [REPS] [RUNS] [THREADS...]
 * For each thread count (default: 1, then 0 for all cores) it runs fa_audit_run
 * RUNS times with no replicates and RUNS times with REPS (default 200)
 * stratified replicates, attributes sex, race, site and age binned at 40
 * and 65 as in bench/run.sh, no permutation tests, and prints the medians:
 * wall and CPU seconds per replicate, and nanoseconds per record visit (a
 * replicate visits every record once per attribute and once for the whole
 * population). The difference of the two runs leaves out loading, the
 * point estimates and the analytic intervals; the CPU time is the steadier
 * figure on a machine that others share.
 */
#include "fairaudit/fairaudit.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *x, int n)
{
	qsort(x, (size_t)n, sizeof(double), cmp);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Median wall and CPU seconds of `runs` audits of t with `reps` replicates
 * on `threads` threads; 0 on success. */
static int time_audit(const fa_table *t, size_t reps, unsigned threads, int runs, double *wall,
		      double *cpu)
{
	static const char *const groups[] = {"sex", "race", "site", "age"};
	fa_audit_options o = FA_AUDIT_OPTIONS_INIT;
	double *w = calloc((size_t)runs, sizeof(double)), *c = calloc((size_t)runs, sizeof(double));
	fa_error err;
	int i, rc = 0;

	o.groups = groups;
	o.ngroups = 4;
	o.bootstrap = reps;
	o.threads = threads;
	o.permutations = 0;
	for (i = 0; i < runs && rc == 0; i++) {
		fa_result *r = NULL;
		double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (fa_audit_run(&r, t, &o, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			rc = 1;
		}
		w[i] = clock_s(CLOCK_MONOTONIC) - w0;
		c[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		fa_result_free(r);
	}
	*wall = median(w, runs);
	*cpu = median(c, runs);
	free(w);
	free(c);
	return rc;
}

int main(int argc, char **argv)
{
	static double cuts[] = {40, 65};
	static const char *attrs[] = {"sex", "race", "site"};
	fa_bin_spec bin = {"age", cuts, 2};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	unsigned defaults[] = {1, 0}, *threads = defaults;
	size_t reps, rows, nthreads = 2, k;
	fa_table *t = NULL;
	fa_error err;
	const char *path;
	int runs;

	if (argc < 2) {
		fprintf(stderr, "usage: boot_bench FILE [REPS] [RUNS] [THREADS...]\n");
		return 2;
	}
	path = argv[1];
	reps = argc > 2 ? (size_t)atol(argv[2]) : 200;
	runs = argc > 3 ? atoi(argv[3]) : 3;
	if (reps == 0 || runs < 1) {
		fprintf(stderr, "boot_bench: REPS and RUNS must be positive\n");
		return 2;
	}
	if (argc > 4) {
		nthreads = (size_t)(argc - 4);
		threads = calloc(nthreads, sizeof(unsigned));
		for (k = 0; k < nthreads; k++)
			threads[k] = (unsigned)atoi(argv[4 + k]);
	}
	lo.attr_columns = attrs;
	lo.attr_count = 3;
	lo.bins = &bin;
	lo.bin_count = 1;
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	rows = fa_table_rows(t);
	printf("%zu rows, %zu replicates, medians of %d runs\n", rows, reps, runs);
	printf("threads  s/replicate (wall)  s/replicate (cpu)  ns/record visit (cpu)\n");
	for (k = 0; k < nthreads; k++) {
		double w0, c0, w1, c1, per_w, per_c;
		if (time_audit(t, 0, threads[k], runs, &w0, &c0) ||
		    time_audit(t, reps, threads[k], runs, &w1, &c1))
			return 1;
		per_w = (w1 - w0) / (double)reps;
		per_c = (c1 - c0) / (double)reps;
		printf("%7u  %18.6f  %17.6f  %21.3f\n", threads[k], per_w, per_c,
		       per_c / ((double)rows * 5) * 1e9);
	}
	fa_table_free(t);
	if (threads != defaults)
		free(threads);
	return 0;
}
