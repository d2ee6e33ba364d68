/*
 * coverage.c: a simulation study of fa_audit_run's bootstrap intervals
 * and of the max - min gap.
 *
 * Scores follow a binormal model on the logit scale: a negative's logit is
 * N(0,1), a positive's N(mu_g,1) in group g. With c = logit(threshold),
 *   AUC_g = Phi(mu_g / sqrt 2),  TPR_g = 1 - Phi(c - mu_g),  FPR_g = 1 - Phi(c),
 * so every quantity the engine estimates has a known true value. Each
 * simulated data set is written as CSV text and goes through
 * fa_load_memory and fa_audit_run exactly as a user's file would.
 *
 * Sections (all by default, or chosen with --only):
 *   check     10^5 records per group: estimates against the analytic truths
 *   coverage  six groups of 30..1000 records with six separations, rotated
 *             over the data sets so that every size meets every separation
 *   ceiling   the same six sizes with AUC = 0.99 in every group
 *   gap       k = 2, 4, 6 truly equal groups of 50, 200, 1000 records
 *
 * The tables go to standard output as Markdown, progress to standard
 * error. Every random stream is seeded from (--seed, section, data set),
 * so a run is repeatable to the last digit.
 */
#include "fairaudit/fairaudit.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NMET 3
#define NSIZE 6
#define MAXG 8

static const fa_metric MET[NMET] = {FA_M_AUC, FA_M_TPR, FA_M_FPR};
static const char *const MET_NAME[NMET] = {"AUC", "TPR", "FPR"};
static const size_t SIZES[NSIZE] = {30, 50, 100, 200, 500, 1000};
/* separations of the coverage section: AUC 0.64 .. 0.98 */
static const double MUS[NSIZE] = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0};
static const size_t GAP_K[3] = {2, 4, 6};
static const size_t GAP_N[3] = {50, 200, 1000};
#define GAP_MU 1.5
#define GATE_LIMIT 0.05

typedef struct settings {
	size_t datasets, ceiling_datasets, gap_datasets, check_n, bootstrap;
	double threshold, prevalence, ci_level;
	unsigned long seed;
	unsigned threads;
	int binomial_counts;
	fa_boot_scheme scheme;
	const char *only;
} settings;

/* ---- analytic truths ---------------------------------------------------- */

typedef struct truth {
	double mu, value[NMET];
	/* P(two positives both outscore one negative), P(one positive outscores
	 * two negatives): the terms of the exact variance of the Mann-Whitney
	 * AUC */
	double q_ppn, q_pnn;
} truth;

static gsl_integration_workspace *g_ws;

static double integrate(double (*f)(double, void *), void *p)
{
	gsl_function F;
	double r = NAN, e;
	int rc;

	F.function = f;
	F.params = p;
	rc = gsl_integration_qagi(&F, 1e-14, 1e-11, 1000, g_ws, &r, &e);
	if (rc) {
		fprintf(stderr, "coverage: integration failed: %s\n", gsl_strerror(rc));
		exit(4);
	}
	return r;
}

static double f_ppn(double y, void *p)
{
	double q = gsl_cdf_ugaussian_P(*(double *)p - y);
	return gsl_ran_ugaussian_pdf(y) * q * q;
}

static double f_pnn(double x, void *p)
{
	double q = gsl_cdf_ugaussian_P(x);
	return gsl_ran_ugaussian_pdf(x - *(double *)p) * q * q;
}

static void truth_init(truth *t, double mu, double c)
{
	t->mu = mu;
	t->value[0] = gsl_cdf_ugaussian_P(mu / M_SQRT2);
	t->value[1] = gsl_cdf_ugaussian_Q(c - mu);
	t->value[2] = gsl_cdf_ugaussian_Q(c);
	t->q_ppn = integrate(f_ppn, &mu);
	t->q_pnn = integrate(f_pnn, &mu);
}

/* Standard error of metric j's estimate given the class counts. */
static double truth_se(const truth *t, int j, size_t npos, size_t nneg)
{
	double a = t->value[0], m = (double)npos, n = (double)nneg;
	switch (j) {
	case 0:
		return sqrt((a * (1 - a) + (m - 1) * (t->q_ppn - a * a) +
			     (n - 1) * (t->q_pnn - a * a)) /
			    (m * n));
	case 1:
		return sqrt(t->value[1] * (1 - t->value[1]) / m);
	default:
		return sqrt(t->value[2] * (1 - t->value[2]) / n);
	}
}

static double f_range(double x, void *p)
{
	double k = *(double *)p, F = gsl_cdf_ugaussian_P(x);
	return 1 - pow(F, k) - pow(1 - F, k);
}

/* E[max - min] of k independent N(0,1). */
static double normal_range(size_t k)
{
	double kd = (double)k;
	return integrate(f_range, &kd);
}

/* E[max - min] / N of k independent Binomial(N, p): the expected gap of a
 * rate over k truly equal groups, exactly, for fixed class counts. */
static double binomial_range(double p, size_t N, size_t k)
{
	double s = 0;
	size_t j;
	for (j = 0; j < N; j++) {
		double F = gsl_cdf_binomial_P((unsigned)j, p, (unsigned)N);
		s += 1 - pow(F, (double)k) - pow(1 - F, (double)k);
	}
	return s / (double)N;
}

/* ---- simulation --------------------------------------------------------- */

typedef struct group_spec {
	char name[16];
	size_t n;
	const truth *t;
} group_spec;

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t stream_seed(const settings *s, unsigned section, size_t index, unsigned what)
{
	return mix64(mix64(mix64((uint64_t)s->seed) ^ section) ^ ((uint64_t)index << 8 | what));
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

static size_t g_ties;

/* Simulate one data set and audit it by "grp" against group `ref`. */
static fa_result *simulate(const settings *s, const group_spec *gs, size_t G, const char *ref,
			   unsigned section, size_t index, size_t B)
{
	static const char *attr[] = {"grp"};
	fa_buf csv = FA_BUF_INIT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *tab = NULL;
	fa_result *r = NULL;
	fa_error err;
	char refspec[40];
	const char *refs[1];
	size_t g, i, n;
	double *sorted;

	gsl_rng_set(rng, (unsigned long)(stream_seed(s, section, index, 1) & 0xffffffffu));
	fa_buf_puts(&csv, "label,score,grp\n");
	for (g = 0; g < G; g++) {
		size_t npos = s->binomial_counts
				      ? gsl_ran_binomial(rng, s->prevalence, (unsigned)gs[g].n)
				      : (size_t)floor(s->prevalence * (double)gs[g].n + 0.5);
		for (i = 0; i < gs[g].n; i++) {
			int y = i < npos;
			double x = gsl_ran_gaussian(rng, 1.0) + (y ? gs[g].t->mu : 0.0);
			fa_buf_printf(&csv, "%d,%.17g,%s\n", y, 1.0 / (1.0 + exp(-x)), gs[g].name);
		}
	}
	gsl_rng_free(rng);

	lo.attr_columns = attr;
	lo.attr_count = 1;
	if (fa_load_memory(&tab, "simulated.csv", csv.ptr, csv.len, &lo, &err) < 0)
		goto fail;
	/* a tie would make the Mann-Whitney AUC differ from the binormal one */
	n = fa_table_rows(tab);
	sorted = malloc(n * sizeof(double));
	memcpy(sorted, fa_table_scores(tab), n * sizeof(double));
	qsort(sorted, n, sizeof(double), cmp_double);
	for (i = 1; i < n; i++)
		g_ties += sorted[i] == sorted[i - 1];
	free(sorted);

	snprintf(refspec, sizeof(refspec), "grp=%s", ref);
	refs[0] = refspec;
	ao.threshold = s->threshold;
	ao.groups = attr;
	ao.ngroups = 1;
	ao.references = refs;
	ao.nreferences = 1;
	ao.min_n = 30;
	ao.bootstrap = B;
	ao.ci_level = s->ci_level;
	ao.seed = stream_seed(s, section, index, 2);
	ao.threads = s->threads;
	ao.scheme = s->scheme;
	if (fa_audit_run(&r, tab, &ao, &err) < 0)
		goto fail;
	fa_table_free(tab);
	fa_buf_free(&csv);
	return r;
fail: {
	char msg[2200];
	fa_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "coverage: %s\n", msg);
	exit(4);
}
}

static const fa_group_result *find_group(const fa_result *r, const char *name)
{
	size_t g;
	for (g = 0; g < r->attrs[0].ngroups; g++)
		if (strcmp(r->attrs[0].groups[g].value, name) == 0)
			return &r->attrs[0].groups[g];
	fprintf(stderr, "coverage: group %s missing from the result\n", name);
	exit(4);
}

/* ---- tallies ------------------------------------------------------------ */

typedef struct tally {
	size_t n, cover, below, above, undef;
	double sz, sz2;  /* (estimate - truth) / SE */
	double swr;      /* interval width / (2 z SE) */
	double slo, shi; /* interval ends */
} tally;

static double g_zq; /* the normal quantile of the interval level */

static void tally_add(tally *t, const fa_estimate *e, double want, double se)
{
	double z;
	if (isnan(e->value) || !e->has_ci) {
		t->undef++;
		return;
	}
	t->n++;
	if (e->ci_high < want)
		t->below++;
	else if (e->ci_low > want)
		t->above++;
	else
		t->cover++;
	z = (e->value - want) / se;
	t->sz += z;
	t->sz2 += z * z;
	t->swr += (e->ci_high - e->ci_low) / (2 * g_zq * se);
	t->slo += e->ci_low;
	t->shi += e->ci_high;
}

static double pct(size_t k, size_t n)
{
	return n ? 100.0 * (double)k / (double)n : NAN;
}

/* "94.8 ± 0.4": a percentage with its Monte-Carlo standard error. */
static const char *fmt_cov(char *out, size_t k, size_t n)
{
	double p = n ? (double)k / (double)n : NAN;
	snprintf(out, 32, "%.1f ± %.1f", 100 * p, 100 * sqrt(p * (1 - p) / (double)n));
	return out;
}

/* The Wilson score interval for x successes in n trials, for comparison:
 * it is what a closed-form interval for a rate would give on the same
 * counts. */
static fa_estimate wilson(size_t x, size_t n)
{
	fa_estimate e;
	double p = (double)x / (double)n, z2 = g_zq * g_zq, nn = (double)n;
	double mid = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = g_zq * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	memset(&e, 0, sizeof(e));
	e.value = p;
	e.has_ci = 1;
	e.ci_low = mid - half;
	e.ci_high = mid + half;
	return e;
}

static double tally_sdz(const tally *t)
{
	double m = t->sz / (double)t->n;
	return sqrt((t->sz2 - (double)t->n * m * m) / ((double)t->n - 1));
}

/* ---- progress ----------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* `work` and `work_total` weigh the data sets when they differ in size
 * (pass done and total when they do not). */
static void progress(const char *what, size_t done, size_t total, double work,
		     double work_total, double t0)
{
	static double last;
	double t = now();
	if (done > 1 && done < total && t - last < 5)
		return;
	last = t;
	fprintf(stderr, "[%s] %zu/%zu data sets, %.0f s", what, done, total, t - t0);
	if (done && done < total)
		fprintf(stderr, ", about %.0f s to go", (t - t0) / work * (work_total - work));
	fputc('\n', stderr);
}

static int wanted(const settings *s, const char *section)
{
	return !s->only || strstr(s->only, section) != NULL;
}

/* ---- check: large groups ------------------------------------------------ */

static int section_check(const settings *s, double c)
{
	truth ts[NSIZE + 1], t0;
	group_spec gs[NSIZE + 1];
	fa_result *r;
	size_t g, G = NSIZE + 1, ties0 = g_ties;
	int j, bad = 0;
	double maxz = 0, chi2 = 0;

	printf("## Simulation check: %zu records per group\n\n", s->check_n);
	/* the variance terms reduce to 1/3 when positives and negatives are
	 * alike, which gives Var(AUC) = (m + n + 1) / (12 m n) */
	truth_init(&t0, 0.0, c);
	printf("Variance terms at mu = 0: P(X1,X2 > Y) = %.12f, P(X > Y1,Y2) = %.12f "
	       "(exact: 1/3).\n\n",
	       t0.q_ppn, t0.q_pnn);
	if (fabs(t0.q_ppn - 1.0 / 3) > 1e-9 || fabs(t0.q_pnn - 1.0 / 3) > 1e-9)
		bad = 1;
	for (g = 0; g < G; g++) {
		double mu = g < NSIZE ? MUS[g] : M_SQRT2 * gsl_cdf_ugaussian_Pinv(0.99);
		truth_init(&ts[g], mu, c);
		snprintf(gs[g].name, sizeof(gs[g].name), "mu%zu", g);
		gs[g].n = s->check_n;
		gs[g].t = &ts[g];
	}
	r = simulate(s, gs, G, gs[0].name, 0, 0, 0);
	printf("| mu | metric | truth | estimate | SE | z |\n|---|---|---|---|---|---|\n");
	for (g = 0; g < G; g++) {
		const fa_group_result *gr = find_group(r, gs[g].name);
		for (j = 0; j < NMET; j++) {
			double v = gr->metrics[MET[j]].value, tv = ts[g].value[j];
			double se = truth_se(&ts[g], j, gr->n_pos, gr->n_neg), z = (v - tv) / se;
			printf("| %.4f | %s | %.6f | %.6f | %.6f | %+.2f |\n", ts[g].mu, MET_NAME[j],
			       tv, v, se, z);
			if (fabs(z) > maxz)
				maxz = fabs(z);
			chi2 += z * z;
		}
	}
	fa_result_free(r);
	printf("\nLargest |z| = %.2f over %zu estimates; sum of z^2 = %.1f "
	       "(chi-square with %zu df: mean %zu, 99.9%% point %.1f). Tied scores: %zu.\n",
	       maxz, G * NMET, chi2, G * NMET, G * NMET,
	       gsl_cdf_chisq_Pinv(0.999, (double)(G * NMET)), g_ties - ties0);
	if (maxz > 4 || chi2 > gsl_cdf_chisq_Pinv(0.999, (double)(G * NMET)) ||
	    g_ties != ties0)
		bad = 1;
	printf("Check %s.\n\n", bad ? "FAILED" : "passed");
	return bad;
}

/* ---- coverage: six sizes, rotated separations -------------------------- */

static void section_coverage(const settings *s, double c)
{
	truth ts[NSIZE];
	tally cov[NSIZE][NMET], cell[NSIZE][NSIZE][NMET], dif[NSIZE][NMET], gap[NMET];
	tally wil[NSIZE][2];
	double gsum[NMET] = {0}, gsum2[NMET] = {0};
	size_t d, i, k, R = s->datasets;
	int j;
	char b1[32], b2[32], b3[32];
	double t0 = now();

	memset(cov, 0, sizeof(cov));
	memset(cell, 0, sizeof(cell));
	memset(dif, 0, sizeof(dif));
	memset(gap, 0, sizeof(gap));
	memset(wil, 0, sizeof(wil));
	for (k = 0; k < NSIZE; k++)
		truth_init(&ts[k], MUS[k], c);
	for (d = 0; d < R; d++) {
		group_spec gs[NSIZE];
		const fa_group_result *gr[NSIZE];
		const fa_attr_result *A;
		fa_result *r;
		size_t mi[NSIZE];
		for (i = 0; i < NSIZE; i++) {
			mi[i] = (i + d) % NSIZE; /* every size meets every separation */
			snprintf(gs[i].name, sizeof(gs[i].name), "n%zu", SIZES[i]);
			gs[i].n = SIZES[i];
			gs[i].t = &ts[mi[i]];
		}
		r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 1, d, s->bootstrap);
		A = &r->attrs[0];
		for (i = 0; i < NSIZE; i++)
			gr[i] = find_group(r, gs[i].name);
		for (i = 0; i < NSIZE; i++) {
			const truth *t = gs[i].t, *tr = gs[NSIZE - 1].t;
			fa_estimate w1 = wilson(gr[i]->tp, gr[i]->n_pos);
			fa_estimate w2 = wilson(gr[i]->fp, gr[i]->n_neg);
			tally_add(&wil[i][0], &w1, t->value[1], 1);
			tally_add(&wil[i][1], &w2, t->value[2], 1);
			for (j = 0; j < NMET; j++) {
				double se = truth_se(t, j, gr[i]->n_pos, gr[i]->n_neg);
				tally_add(&cov[i][j], &gr[i]->metrics[MET[j]], t->value[j], se);
				tally_add(&cell[i][mi[i]][j], &gr[i]->metrics[MET[j]], t->value[j], se);
				if (i < NSIZE - 1) {
					double ser = truth_se(tr, j, gr[NSIZE - 1]->n_pos,
							      gr[NSIZE - 1]->n_neg);
					tally_add(&dif[i][j], &gr[i]->diff[MET[j]],
						  t->value[j] - tr->value[j], sqrt(se * se + ser * ser));
				}
			}
		}
		for (j = 0; j < NMET; j++) {
			double lo = INFINITY, hi = -INFINITY;
			for (i = 0; i < NSIZE; i++) {
				double v = gs[i].t->value[j];
				lo = v < lo ? v : lo;
				hi = v > hi ? v : hi;
			}
			/* the gap has no simple SE: its standardised columns are unused */
			tally_add(&gap[j], &A->gaps[MET[j]].gap, hi - lo, 1);
			gsum[j] += A->gaps[MET[j]].gap.value - (hi - lo);
			gsum2[j] += pow(A->gaps[MET[j]].gap.value - (hi - lo), 2);
		}
		fa_result_free(r);
		progress("coverage", d + 1, R, (double)(d + 1), (double)R, t0);
	}

	printf("## Coverage by group size\n\n");
	printf("%zu data sets, each with six groups of 30, 50, 100, 200, 500 and 1000 "
	       "records; %zu bootstrap replicates; threshold %.2f; prevalence %.2f. "
	       "The six separations mu = 0.5, 1, ..., 3 (AUC %.3f to %.3f) are rotated "
	       "over the groups, so each size meets each separation in %zu data sets. "
	       "Coverage of the %.0f%% interval in percent, ± its Monte-Carlo standard "
	       "error.\n\n",
	       R, s->bootstrap, s->threshold, s->prevalence, ts[0].value[0],
	       ts[NSIZE - 1].value[0], R / NSIZE, 100 * s->ci_level);
	printf("| group n (pos/neg) | AUC | TPR | FPR |\n|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		size_t np = (size_t)floor(s->prevalence * (double)SIZES[i] + 0.5);
		printf("| %zu (%zu/%zu) | %s | %s | %s |\n", SIZES[i], np, SIZES[i] - np,
		       fmt_cov(b1, cov[i][0].cover, cov[i][0].n),
		       fmt_cov(b2, cov[i][1].cover, cov[i][1].n),
		       fmt_cov(b3, cov[i][2].cover, cov[i][2].n));
	}
	printf("\nWhere the misses fall, and the interval width against the normal-theory "
	       "width 2 × %.2f × SE (SE exact: binomial for TPR and FPR, the Mann-Whitney "
	       "variance for AUC). z = (estimate − truth) / SE should have mean 0 and "
	       "SD 1.\n\n",
	       g_zq);
	printf("| metric | n | coverage %% | interval below truth %% | interval above truth %% "
	       "| width / normal width | mean z | SD z |\n|---|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (i = 0; i < NSIZE; i++) {
			const tally *t = &cov[i][j];
			printf("| %s | %zu | %.1f | %.1f | %.1f | %.3f | %+.3f | %.3f |\n",
			       MET_NAME[j], SIZES[i], pct(t->cover, t->n), pct(t->below, t->n),
			       pct(t->above, t->n), t->swr / (double)t->n, t->sz / (double)t->n,
			       tally_sdz(t));
		}
	printf("\nFor comparison, the Wilson score interval computed from the same counts "
	       "(not something fairaudit reports):\n\n");
	printf("| group n | TPR bootstrap | TPR Wilson | FPR bootstrap | FPR Wilson |\n"
	       "|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		char b4[32];
		printf("| %zu | %s | %s | %s | %s |\n", SIZES[i],
		       fmt_cov(b1, cov[i][1].cover, cov[i][1].n),
		       fmt_cov(b2, wil[i][0].cover, wil[i][0].n),
		       fmt_cov(b3, cov[i][2].cover, cov[i][2].n),
		       fmt_cov(b4, wil[i][1].cover, wil[i][1].n));
	}
	for (j = 0; j < 2; j++) {
		printf("\n%s coverage by true %s and group size (%zu data sets per cell).\n\n",
		       MET_NAME[j], MET_NAME[j], R / NSIZE);
		printf("| true %s |", MET_NAME[j]);
		for (i = 0; i < NSIZE; i++)
			printf(" n = %zu |", SIZES[i]);
		printf("\n|---|---|---|---|---|---|---|\n");
		for (k = 0; k < NSIZE; k++) {
			printf("| %.3f |", ts[k].value[j]);
			for (i = 0; i < NSIZE; i++)
				printf(" %s |", fmt_cov(b1, cell[i][k][j].cover, cell[i][k][j].n));
			printf("\n");
		}
	}
	printf("\n## Coverage of the differences to the reference group\n\n");
	printf("The reference is the group of 1000 records; the true difference is "
	       "truth(group) − truth(reference), which varies with the rotation (it is 0 "
	       "for FPR).\n\n");
	printf("| group n | AUC diff | TPR diff | FPR diff | width / normal width (AUC, TPR, "
	       "FPR) |\n|---|---|---|---|---|\n");
	for (i = 0; i + 1 < NSIZE; i++)
		printf("| %zu | %s | %s | %s | %.3f, %.3f, %.3f |\n", SIZES[i],
		       fmt_cov(b1, dif[i][0].cover, dif[i][0].n),
		       fmt_cov(b2, dif[i][1].cover, dif[i][1].n),
		       fmt_cov(b3, dif[i][2].cover, dif[i][2].n), dif[i][0].swr / (double)dif[i][0].n,
		       dif[i][1].swr / (double)dif[i][1].n, dif[i][2].swr / (double)dif[i][2].n);
	printf("\n## Coverage of the gap (max − min over the six groups)\n\n");
	printf("| metric | true gap | mean estimate − truth | coverage %% | interval below "
	       "truth %% | interval above truth %% | mean interval |\n"
	       "|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++) {
		double lo = INFINITY, hi = -INFINITY, m = gsum[j] / (double)R;
		const tally *t = &gap[j];
		for (k = 0; k < NSIZE; k++) {
			lo = ts[k].value[j] < lo ? ts[k].value[j] : lo;
			hi = ts[k].value[j] > hi ? ts[k].value[j] : hi;
		}
		printf("| %s | %.4f | %+.4f ± %.4f | %s | %.1f | %.1f | [%.4f, %.4f] |\n",
		       MET_NAME[j], hi - lo, m,
		       sqrt((gsum2[j] / (double)R - m * m) / (double)(R - 1)),
		       fmt_cov(b1, t->cover, t->n), pct(t->below, t->n), pct(t->above, t->n),
		       t->slo / (double)t->n, t->shi / (double)t->n);
	}
	for (i = 0; i < NSIZE; i++)
		for (j = 0; j < NMET; j++)
			if (cov[i][j].undef || (i + 1 < NSIZE && dif[i][j].undef))
				printf("\nNote: %zu undefined %s intervals at n = %zu were left "
				       "out.\n",
				       cov[i][j].undef + dif[i][j].undef, MET_NAME[j], SIZES[i]);
	printf("\n");
}

/* ---- ceiling: AUC 0.99 -------------------------------------------------- */

static void section_ceiling(const settings *s, double c)
{
	truth t;
	tally cov[NSIZE][NMET], wil[NSIZE];
	size_t ones[NSIZE][2], d, i, R = s->ceiling_datasets;
	int j;
	char b1[32], b2[32], b3[32], b4[32];
	double t0 = now();

	memset(cov, 0, sizeof(cov));
	memset(wil, 0, sizeof(wil));
	memset(ones, 0, sizeof(ones));
	truth_init(&t, M_SQRT2 * gsl_cdf_ugaussian_Pinv(0.99), c);
	for (d = 0; d < R; d++) {
		group_spec gs[NSIZE];
		fa_result *r;
		for (i = 0; i < NSIZE; i++) {
			snprintf(gs[i].name, sizeof(gs[i].name), "n%zu", SIZES[i]);
			gs[i].n = SIZES[i];
			gs[i].t = &t;
		}
		r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 2, d, s->bootstrap);
		for (i = 0; i < NSIZE; i++) {
			const fa_group_result *gr = find_group(r, gs[i].name);
			fa_estimate w = wilson(gr->tp, gr->n_pos);
			for (j = 0; j < NMET; j++)
				tally_add(&cov[i][j], &gr->metrics[MET[j]], t.value[j],
					  truth_se(&t, j, gr->n_pos, gr->n_neg));
			tally_add(&wil[i], &w, t.value[1], 1);
			ones[i][0] += gr->metrics[FA_M_AUC].value == 1;
			ones[i][1] += gr->metrics[FA_M_TPR].value == 1;
		}
		fa_result_free(r);
		progress("ceiling", d + 1, R, (double)(d + 1), (double)R, t0);
	}
	printf("## Coverage near the ceiling: AUC = 0.99\n\n");
	printf("%zu data sets with the same six group sizes, every group with mu = %.4f: "
	       "true AUC %.4f, TPR %.4f, FPR %.4f. Coverage %% ± MCSE; \"low / high\" are "
	       "the shares of intervals lying wholly below / wholly above the truth; \"= 1\" "
	       "is the share of data sets whose estimate is exactly 1, where the bootstrap "
	       "interval is [1, 1].\n\n",
	       R, t.mu, t.value[0], t.value[1], t.value[2]);
	printf("| group n (pos/neg) | AUC | low / high | = 1 | TPR | low / high | = 1 | TPR "
	       "Wilson | FPR | low / high |\n|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		size_t np = (size_t)floor(s->prevalence * (double)SIZES[i] + 0.5);
		const tally *A = &cov[i][0], *T = &cov[i][1], *F = &cov[i][2];
		printf("| %zu (%zu/%zu) | %s | %.1f / %.1f | %.1f | %s | %.1f / %.1f | %.1f | %s "
		       "| %s | %.1f / %.1f |\n",
		       SIZES[i], np, SIZES[i] - np, fmt_cov(b1, A->cover, A->n),
		       pct(A->below, A->n), pct(A->above, A->n), pct(ones[i][0], A->n),
		       fmt_cov(b2, T->cover, T->n), pct(T->below, T->n), pct(T->above, T->n),
		       pct(ones[i][1], T->n), fmt_cov(b3, wil[i].cover, wil[i].n),
		       fmt_cov(b4, F->cover, F->n), pct(F->below, F->n), pct(F->above, F->n));
	}
	printf("\n");
}

/* ---- gap: truly equal groups -------------------------------------------- */

typedef struct gapstat {
	size_t R, undef, lo_pos, pt_over, lo_over, hi_over;
	double s, s2, slo, shi;
	double dcov, dcov2; /* per data set: share of reference intervals covering 0 */
} gapstat;

static void section_gap(const settings *s, double c)
{
	truth t;
	gapstat st[3][3][NMET];
	size_t a, b, d, g, R = s->gap_datasets;
	int j;
	double t0 = now(), work = 0, work_total = 0; /* records simulated */

	memset(st, 0, sizeof(st));
	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++)
			work_total += (double)(R * GAP_K[a] * GAP_N[b]);
	truth_init(&t, GAP_MU, c);
	for (a = 0; a < 3; a++)
		for (b = 0; b < 3; b++) {
			size_t k = GAP_K[a], n = GAP_N[b];
			char what[40];
			snprintf(what, sizeof(what), "gap k=%zu n=%zu", k, n);
			for (d = 0; d < R; d++) {
				group_spec gs[MAXG];
				const fa_attr_result *A;
				fa_result *r;
				for (g = 0; g < k; g++) {
					snprintf(gs[g].name, sizeof(gs[g].name), "g%zu", g + 1);
					gs[g].n = n;
					gs[g].t = &t;
				}
				r = simulate(s, gs, k, "g1", (unsigned)(10 + 3 * a + b), d,
					     s->bootstrap);
				A = &r->attrs[0];
				for (j = 0; j < NMET; j++) {
					gapstat *x = &st[a][b][j];
					const fa_estimate *e = &A->gaps[MET[j]].gap;
					size_t ncov = 0, nd = 0;
					double f;
					if (isnan(e->value) || !e->has_ci) {
						x->undef++;
						continue;
					}
					x->R++;
					x->s += e->value;
					x->s2 += e->value * e->value;
					x->slo += e->ci_low;
					x->shi += e->ci_high;
					x->lo_pos += e->ci_low > 0;
					x->pt_over += e->value > GATE_LIMIT;
					x->lo_over += e->ci_low > GATE_LIMIT;
					x->hi_over += e->ci_high > GATE_LIMIT;
					for (g = 1; g < k; g++) {
						const fa_estimate *df =
							&find_group(r, gs[g].name)->diff[MET[j]];
						if (!df->has_ci)
							continue;
						nd++;
						ncov += df->ci_low <= 0 && df->ci_high >= 0;
					}
					f = nd ? (double)ncov / (double)nd : NAN;
					x->dcov += f;
					x->dcov2 += f * f;
				}
				fa_result_free(r);
				work += (double)(k * n);
				progress(what, (3 * a + b) * R + d + 1, 9 * R, work,
					 work_total, t0);
			}
		}

	printf("## The max − min gap when groups are truly equal\n\n");
	printf("%zu data sets per row; k groups of n records each, all with mu = %.1f "
	       "(true AUC %.4f, TPR %.4f, FPR %.4f), so every true gap and every true "
	       "difference is 0. \"Expected\" is E[max − min] worked out independently of "
	       "the engine: exact for TPR and FPR (k independent binomial rates with "
	       "fixed class counts), d2(k) × SE for AUC (normal approximation, d2 = "
	       "expected range of k standard normals: %.4f, %.4f, %.4f). \"Excludes 0\" is "
	       "the share of gap intervals whose lower end is above 0; the last column is "
	       "the share of 95%% intervals for the differences to the reference group "
	       "that contain 0 (± MCSE over data sets).\n\n",
	       R, GAP_MU, t.value[0], t.value[1], t.value[2], normal_range(2), normal_range(4),
	       normal_range(6));
	printf("| metric | k | n | expected gap | mean gap ± MCSE | mean gap / SE | mean "
	       "interval | excludes 0 %% | diff intervals containing 0 %% |\n"
	       "|---|---|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				size_t k = GAP_K[a], n = GAP_N[b];
				size_t np = (size_t)floor(s->prevalence * (double)n + 0.5);
				double se = truth_se(&t, j, np, n - np), m = x->s / (double)x->R;
				double sd = sqrt((x->s2 - (double)x->R * m * m) / ((double)x->R - 1));
				double dm = x->dcov / (double)x->R;
				double dsd = sqrt((x->dcov2 - (double)x->R * dm * dm) /
						  ((double)x->R - 1));
				double ex = j == 0   ? normal_range(k) * se
					    : j == 1 ? binomial_range(t.value[1], np, k)
						     : binomial_range(t.value[2], n - np, k);
				printf("| %s | %zu | %zu | %.4f | %.4f ± %.4f | %.2f | [%.4f, %.4f] "
				       "| %.1f | %.1f ± %.1f |\n",
				       MET_NAME[j], k, n, ex, m, sd / sqrt((double)x->R), m / se,
				       x->slo / (double)x->R, x->shi / (double)x->R,
				       pct(x->lo_pos, x->R), 100 * dm,
				       100 * dsd / sqrt((double)x->R));
			}
	printf("\nWhat a gate \"gap <= %.2f\" concludes about these truly equal groups: the "
	       "share of data sets that fail it when it judges the point estimate "
	       "(`--gate-on point`), only when the whole interval lies above the limit "
	       "(`ci-violation`), and unless the whole interval lies below it "
	       "(`ci-compliance`). Each should be 0%% for a fair model.\n\n",
	       GATE_LIMIT);
	printf("| metric | k | n | fails on point %% | fails on ci-violation %% | fails on "
	       "ci-compliance %% |\n|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				printf("| %s | %zu | %zu | %.1f | %.1f | %.1f |\n", MET_NAME[j],
				       GAP_K[a], GAP_N[b], pct(x->pt_over, x->R),
				       pct(x->lo_over, x->R), pct(x->hi_over, x->R));
			}
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++)
				if (st[a][b][j].undef)
					printf("\nNote: %zu undefined %s gaps (k = %zu, n = %zu) were "
					       "left out.\n",
					       st[a][b][j].undef, MET_NAME[j], GAP_K[a], GAP_N[b]);
	printf("\n");
}

/* ---- main --------------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: fa_coverage [--datasets R] [--ceiling-datasets R] [--gap-datasets R]\n"
	      "                   [--bootstrap B] [--seed S] [--threads T] [--check-n N]\n"
	      "                   [--counts fixed|binomial] [--scheme stratified|poisson]\n"
	      "                   [--only check,coverage,ceiling,gap]\n",
	      stderr);
	exit(2);
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || v == 0)
		usage();
	return (size_t)v;
}

int main(int argc, char **argv)
{
	settings s = {3000, 1000, 1000, 100000, 2000, 0.7, 0.3, 0.95, 1,
		      0,    0,    FA_BOOT_STRATIFIED, NULL};
	double c, t0 = now();
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (strcmp(a, "--datasets") == 0)
			s.datasets = parse_size(v);
		else if (strcmp(a, "--ceiling-datasets") == 0)
			s.ceiling_datasets = parse_size(v);
		else if (strcmp(a, "--gap-datasets") == 0)
			s.gap_datasets = parse_size(v);
		else if (strcmp(a, "--bootstrap") == 0)
			s.bootstrap = parse_size(v);
		else if (strcmp(a, "--check-n") == 0)
			s.check_n = parse_size(v);
		else if (strcmp(a, "--seed") == 0)
			s.seed = (unsigned long)parse_size(v);
		else if (strcmp(a, "--threads") == 0)
			s.threads = (unsigned)parse_size(v);
		else if (strcmp(a, "--counts") == 0 && strcmp(v, "fixed") == 0)
			s.binomial_counts = 0;
		else if (strcmp(a, "--counts") == 0 && strcmp(v, "binomial") == 0)
			s.binomial_counts = 1;
		else if (strcmp(a, "--scheme") == 0 && strcmp(v, "stratified") == 0)
			s.scheme = FA_BOOT_STRATIFIED;
		else if (strcmp(a, "--scheme") == 0 && strcmp(v, "poisson") == 0)
			s.scheme = FA_BOOT_POISSON;
		else if (strcmp(a, "--only") == 0)
			s.only = v;
		else
			usage();
		i++;
	}
	if (s.datasets < 2 || s.ceiling_datasets < 2 || s.gap_datasets < 2)
		usage();
	gsl_set_error_handler_off();
	g_ws = gsl_integration_workspace_alloc(1000);
	g_zq = gsl_cdf_ugaussian_Pinv(0.5 + s.ci_level / 2);
	c = log(s.threshold / (1 - s.threshold));

	printf("# fairaudit bootstrap coverage and gap-bias study\n\n");
	printf("Binormal scores on the logit scale: negatives N(0,1), positives N(mu,1); "
	       "threshold %.2f on the probability scale (logit %.4f); prevalence %.2f with "
	       "%s class counts per group; %s bootstrap, %zu replicates, %.0f%% "
	       "percentile intervals; seed %lu. fairaudit %s.\n\n",
	       s.threshold, c, s.prevalence,
	       s.binomial_counts ? "binomial (the pos/neg columns and the expected gaps "
				   "below assume round(0.3 n) positives)"
				 : "fixed (round(0.3 n) positives)",
	       s.scheme == FA_BOOT_POISSON ? "Poisson" : "stratified", s.bootstrap,
	       100 * s.ci_level, s.seed, FA_VERSION_STRING);
	if (wanted(&s, "check"))
		bad |= section_check(&s, c);
	fflush(stdout);
	if (wanted(&s, "coverage"))
		section_coverage(&s, c);
	fflush(stdout);
	if (wanted(&s, "ceiling"))
		section_ceiling(&s, c);
	fflush(stdout);
	if (wanted(&s, "gap"))
		section_gap(&s, c);
	printf("Tied scores over all simulated data sets: %zu. Run time %.0f s.\n", g_ties,
	       now() - t0);
	gsl_integration_workspace_free(g_ws);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "coverage: error writing standard output\n");
		return 4;
	}
	return bad ? 1 : 0;
}
