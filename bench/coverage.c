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
 *             over the data sets so that every size meets every separation;
 *             percentile bootstrap and analytic intervals
 *   bca       the first data sets of `coverage` again, with BCa intervals
 *             from the same replicates, for a paired comparison
 *   ceiling   the same six sizes with AUC = 0.99 in every group
 *   gap       k = 2, 4, 6 truly equal groups of 50, 200, 1000 records: the
 *             bias of max - min, its intervals, the tests of "no gap"
 *   cluster   2, 4 or 8 images per patient sharing a patient effect, in
 *             groups of 25, 100, 300 patients: row-level and cluster
 *             bootstrap intervals, the analytic ones with and without the
 *             cluster column, against the exact marginal truths, and the
 *             tests of equal groups with and without it
 *   power     two groups whose TPR differs by 0.1, 50..1000 positives
 *             each: how often the interval-mode gate on the gap, the
 *             chi-square and the permutation test flag it, against the
 *             analytic power of a two-sample test of proportions
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
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	size_t datasets, bca_datasets, ceiling_datasets, gap_datasets, check_n, bootstrap;
	size_t permutations; /* for the gap section's permutation test */
	size_t cluster_datasets, cluster_bootstrap, cluster_permutations;
	size_t power_datasets, power_bootstrap, power_permutations;
	double threshold, prevalence, ci_level;
	unsigned long seed;
	unsigned threads;
	int binomial_counts;
	fa_boot_scheme scheme;
	int partial; /* --scheme partial: the Poisson audit of a partial audit */
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
		return sqrt(
		    (a * (1 - a) + (m - 1) * (t->q_ppn - a * a) + (n - 1) * (t->q_pnn - a * a)) /
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

/* What one audit is asked for. */
typedef struct run_opts {
	size_t bootstrap, permutations;
	int bca;
	/* resample the patients of the "pid" column instead of records */
	int cluster;
	unsigned threads; /* of each audit; 0: --threads */
} run_opts;

/* Load one simulated CSV text and audit it by "grp" against group `ref`.
 * With `pid` the text has a patient column "pid", loaded as the cluster
 * column whether or not ro->cluster resamples it, so that a row-level and
 * a cluster audit of the same text see the same table. Tied scores are
 * counted in row-level audits only, so a text audited twice counts once. */
static fa_result *audit_text(const settings *s, const fa_buf *csv, int pid, const char *ref,
                             uint64_t seed, const run_opts *ro, size_t *ties)
{
	static const char *attr[] = {"grp"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *tab = NULL;
	fa_result *r = NULL;
	fa_error err;
	char refspec[40], msg[2200];
	const char *refs[1];
	size_t i, n;
	double *sorted;

	lo.attr_columns = attr;
	lo.attr_count = 1;
	lo.cluster_column = pid ? "pid" : NULL;
	lo.load_flags = s->partial ? FA_LOAD_KEEP_LINES : 0;
	if (fa_load_memory(&tab, "simulated.csv", csv->ptr, csv->len, &lo, &err) < 0)
		goto fail;
	if (!ro->cluster) {
		/* a tie would make the Mann-Whitney AUC differ from the binormal one */
		n = fa_table_rows(tab);
		sorted = fa_xmalloc((n ? n : 1) * sizeof(double));
		memcpy(sorted, fa_table_scores(tab), n * sizeof(double));
		qsort(sorted, n, sizeof(double), cmp_double);
		for (i = 1; i < n; i++)
			*ties += sorted[i] == sorted[i - 1];
		free(sorted);
	}

	snprintf(refspec, sizeof(refspec), "grp=%s", ref);
	refs[0] = refspec;
	ao.threshold = s->threshold;
	ao.groups = attr;
	ao.ngroups = 1;
	ao.references = refs;
	ao.nreferences = 1;
	ao.min_n = 30;
	ao.bootstrap = ro->bootstrap;
	ao.bootstrap_ci = ro->bca ? FA_BOOT_CI_BCA : FA_BOOT_CI_PERCENTILE;
	ao.permutations = ro->permutations;
	ao.ci_level = s->ci_level;
	ao.seed = seed;
	ao.threads = ro->threads ? ro->threads : s->threads;
	ao.scheme = s->scheme;
	ao.cluster_column = ro->cluster ? "pid" : NULL;
	if (s->partial) {
		/* the mergeable audit: a partial audit of the records, audited */
		fa_partial *p = NULL;
		fa_partial_options po = FA_PARTIAL_OPTIONS_INIT;
		int rc;
		ao.scheme = FA_BOOT_POISSON;
		if (ro->cluster)
			ao.ci_method = FA_CI_BOOTSTRAP;
		if (ro->cluster)
			ao.permutations = 0;
		po.permutations_set = 1;
		rc = fa_partial_build(&p, tab, &ao, &po, &err);
		if (rc == 0)
			rc = fa_partial_audit(&r, p, &ao, &err);
		fa_partial_free(p);
		if (rc < 0)
			goto fail;
	} else if (fa_audit_run(&r, tab, &ao, &err) < 0) {
		goto fail;
	}
	fa_table_free(tab);
	return r;
fail:
	fa_error_format(&err, msg, sizeof(msg));
	fprintf(stderr, "coverage: %s\n", msg);
	exit(4);
}

/* Simulate one data set and audit it by "grp" against group `ref`. The
 * data depend on (seed, section, index) only, so two runs with different
 * run_opts see the same records and the same bootstrap replicates. */
static fa_result *simulate(const settings *s, const group_spec *gs, size_t G, const char *ref,
                           unsigned section, size_t index, const run_opts *ro)
{
	fa_buf csv = FA_BUF_INIT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	fa_result *r;
	size_t g, i;

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
	r = audit_text(s, &csv, 0, ref, stream_seed(s, section, index, 2), ro, &g_ties);
	fa_buf_free(&csv);
	return r;
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

/* Count one interval [lo, hi] (when `has`) around `value` for the truth
 * `want`; `below` means the whole interval lies below the truth. */
static void tally_add(tally *t, double value, int has, double lo, double hi, double want, double se)
{
	double z;
	if (isnan(value) || !has) {
		t->undef++;
		return;
	}
	t->n++;
	if (hi < want)
		t->below++;
	else if (lo > want)
		t->above++;
	else
		t->cover++;
	z = (value - want) / se;
	t->sz += z;
	t->sz2 += z * z;
	t->swr += (hi - lo) / (2 * g_zq * se);
	t->slo += lo;
	t->shi += hi;
}

static void tally_boot(tally *t, const fa_estimate *e, double want, double se)
{
	tally_add(t, e->value, e->has_ci, e->ci_low, e->ci_high, want, se);
}

static void tally_aci(tally *t, const fa_estimate *e, double want, double se)
{
	tally_add(t, e->value, e->has_aci, e->aci_low, e->aci_high, want, se);
}

static double pct(size_t k, size_t n)
{
	return n ? 100.0 * (double)k / (double)n : NAN;
}

static double cov_pct(const tally *t)
{
	return pct(t->cover, t->n);
}

/* "94.8 ± 0.4": a percentage with its Monte-Carlo standard error. */
static const char *fmt_cov(char *out, const tally *t)
{
	double p = t->n ? (double)t->cover / (double)t->n : NAN;
	if (!t->n)
		snprintf(out, 32, "–");
	else
		snprintf(out, 32, "%.1f ± %.1f", 100 * p, 100 * sqrt(p * (1 - p) / (double)t->n));
	return out;
}

static double tally_sdz(const tally *t)
{
	double m = t->sz / (double)t->n;
	return sqrt((t->sz2 - (double)t->n * m * m) / ((double)t->n - 1));
}

static double tally_width(const tally *t)
{
	return t->swr / (double)t->n;
}

/* The Wilson score interval for x successes in n trials, worked out here
 * to check the engine's analytic interval for a rate. */
static void wilson(size_t x, size_t n, double *lo, double *hi)
{
	double p = (double)x / (double)n, z2 = g_zq * g_zq, nn = (double)n;
	double mid = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = g_zq * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	*lo = mid - half;
	*hi = mid + half;
}

static double g_wilson_maxdiff;
static size_t g_wilson_checked, g_wilson_missing;

static void check_wilson(const fa_estimate *e, size_t x, size_t n)
{
	double lo, hi;
	if (!n)
		return;
	if (!e->has_aci) {
		g_wilson_missing++;
		return;
	}
	wilson(x, n, &lo, &hi);
	g_wilson_maxdiff =
	    fmax(g_wilson_maxdiff, fmax(fabs(lo - e->aci_low), fabs(hi - e->aci_high)));
	g_wilson_checked++;
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
static void progress(const char *what, size_t done, size_t total, double work, double work_total,
                     double t0)
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

static size_t npos_of(const settings *s, size_t n)
{
	return (size_t)floor(s->prevalence * (double)n + 0.5);
}

/* ---- check: large groups ------------------------------------------------ */

static int section_check(const settings *s, double c)
{
	truth ts[NSIZE + 1], t0;
	group_spec gs[NSIZE + 1];
	run_opts ro = {0, 0, 0, 0, 0};
	fa_result *r;
	size_t g, G = NSIZE + 1, ties0 = g_ties;
	int j, bad = 0;
	double maxz = 0, chi2 = 0, crit;

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
	r = simulate(s, gs, G, gs[0].name, 0, 0, &ro);
	printf("| mu | metric | truth | estimate | SE | z |\n|---|---|---|---|---|---|\n");
	for (g = 0; g < G; g++) {
		const fa_group_result *gr = find_group(r, gs[g].name);
		for (j = 0; j < NMET; j++) {
			double v = gr->metrics[MET[j]].value, tv = ts[g].value[j];
			double se = truth_se(&ts[g], j, gr->n_pos, gr->n_neg), z = (v - tv) / se;
			printf("| %.4f | %s | %.6f | %.6f | %.6f | %+.2f |\n", ts[g].mu,
			       MET_NAME[j], tv, v, se, z);
			maxz = fmax(maxz, fabs(z));
			chi2 += z * z;
		}
	}
	fa_result_free(r);
	crit = gsl_cdf_chisq_Pinv(0.999, (double)(G * NMET));
	printf("\nLargest |z| = %.2f over %zu estimates; sum of z^2 = %.1f "
	       "(chi-square with %zu df: mean %zu, 99.9%% point %.1f). Tied scores: %zu.\n",
	       maxz, G * NMET, chi2, G * NMET, G * NMET, crit, g_ties - ties0);
	if (maxz > 4 || chi2 > crit || g_ties != ties0)
		bad = 1;
	printf("Check %s.\n\n", bad ? "FAILED" : "passed");
	return bad;
}

/* ---- coverage: six sizes, rotated separations -------------------------- */

/* Percentile-interval tallies over the data sets that the bca section
 * repeats, so the two kinds of interval are compared on the same data. */
typedef struct paired {
	size_t R;
	tally cov[NSIZE][NMET], dif[NSIZE][NMET], gap[NMET];
} paired;

static void coverage_datasets(const truth *ts, size_t d, group_spec *gs, size_t *mi)
{
	size_t i;
	for (i = 0; i < NSIZE; i++) {
		mi[i] = (i + d) % NSIZE; /* every size meets every separation */
		snprintf(gs[i].name, sizeof(gs[i].name), "n%zu", SIZES[i]);
		gs[i].n = SIZES[i];
		gs[i].t = &ts[mi[i]];
	}
}

/* The true gap of metric j over the groups. */
static double true_gap(const group_spec *gs, size_t G, int j)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t i;
	for (i = 0; i < G; i++) {
		lo = fmin(lo, gs[i].t->value[j]);
		hi = fmax(hi, gs[i].t->value[j]);
	}
	return hi - lo;
}

/* Tally one coverage data set's bootstrap intervals (groups, differences
 * to the last group, gap) into cov, dif, gap. */
static void tally_coverage(const fa_result *r, const group_spec *gs, tally cov[][NMET],
                           tally dif[][NMET], tally *gap)
{
	const fa_group_result *ref = find_group(r, gs[NSIZE - 1].name);
	const truth *tr = gs[NSIZE - 1].t;
	size_t i;
	int j;

	for (i = 0; i < NSIZE; i++) {
		const fa_group_result *gr = find_group(r, gs[i].name);
		const truth *t = gs[i].t;
		for (j = 0; j < NMET; j++) {
			double se = truth_se(t, j, gr->n_pos, gr->n_neg);
			double ser = truth_se(tr, j, ref->n_pos, ref->n_neg);
			tally_boot(&cov[i][j], &gr->metrics[MET[j]], t->value[j], se);
			if (i + 1 < NSIZE)
				tally_boot(&dif[i][j], &gr->diff[MET[j]],
				           t->value[j] - tr->value[j], sqrt(se * se + ser * ser));
		}
	}
	/* the gap has no simple SE: its standardised columns are unused */
	for (j = 0; j < NMET; j++)
		tally_boot(&gap[j], &r->attrs[0].gaps[MET[j]].gap, true_gap(gs, NSIZE, j), 1);
}

static void section_coverage(const settings *s, double c, paired *pc)
{
	truth ts[NSIZE];
	tally cov[NSIZE][NMET], acov[NSIZE][NMET], dif[NSIZE][NMET], adif[NSIZE][NMET];
	tally cell[NSIZE][NSIZE][NMET], acell[NSIZE][NSIZE][NMET], gap[NMET], gapc[NMET];
	double gsum[NMET] = {0}, gsum2[NMET] = {0}, csum[NMET] = {0}, csum2[NMET] = {0};
	run_opts ro = {0, 0, 0, 0, 0};
	size_t d, i, k, R = s->datasets;
	int j;
	char b[6][32];
	double t0 = now();

	memset(cov, 0, sizeof(cov));
	memset(acov, 0, sizeof(acov));
	memset(dif, 0, sizeof(dif));
	memset(adif, 0, sizeof(adif));
	memset(cell, 0, sizeof(cell));
	memset(acell, 0, sizeof(acell));
	memset(gap, 0, sizeof(gap));
	memset(gapc, 0, sizeof(gapc));
	memset(pc, 0, sizeof(*pc));
	ro.bootstrap = s->bootstrap;
	ro.permutations = 0;
	ro.bca = 0;
	for (k = 0; k < NSIZE; k++)
		truth_init(&ts[k], MUS[k], c);
	for (d = 0; d < R; d++) {
		group_spec gs[NSIZE];
		const fa_group_result *ref;
		const fa_attr_result *A;
		fa_result *r;
		size_t mi[NSIZE];

		coverage_datasets(ts, d, gs, mi);
		r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 1, d, &ro);
		A = &r->attrs[0];
		ref = find_group(r, gs[NSIZE - 1].name);
		tally_coverage(r, gs, cov, dif, gap);
		if (d < s->bca_datasets) {
			tally_coverage(r, gs, pc->cov, pc->dif, pc->gap);
			pc->R++;
		}
		for (i = 0; i < NSIZE; i++) {
			const fa_group_result *gr = find_group(r, gs[i].name);
			const truth *t = gs[i].t, *tr = gs[NSIZE - 1].t;
			check_wilson(&gr->metrics[FA_M_TPR], gr->tp, gr->n_pos);
			check_wilson(&gr->metrics[FA_M_FPR], gr->fp, gr->n_neg);
			for (j = 0; j < NMET; j++) {
				double se = truth_se(t, j, gr->n_pos, gr->n_neg);
				double ser = truth_se(tr, j, ref->n_pos, ref->n_neg);
				const fa_estimate *e = &gr->metrics[MET[j]];
				tally_aci(&acov[i][j], e, t->value[j], se);
				tally_boot(&cell[i][mi[i]][j], e, t->value[j], se);
				tally_aci(&acell[i][mi[i]][j], e, t->value[j], se);
				if (i + 1 < NSIZE)
					tally_aci(&adif[i][j], &gr->diff[MET[j]],
					          t->value[j] - tr->value[j],
					          sqrt(se * se + ser * ser));
			}
		}
		for (j = 0; j < NMET; j++) {
			double tg = true_gap(gs, NSIZE, j);
			const fa_gap *gp = &A->gaps[MET[j]];
			tally_boot(&gapc[j], &gp->gap_corrected, tg, 1);
			gsum[j] += gp->gap.value - tg;
			gsum2[j] += pow(gp->gap.value - tg, 2);
			csum[j] += gp->gap_corrected.value - tg;
			csum2[j] += pow(gp->gap_corrected.value - tg, 2);
		}
		fa_result_free(r);
		progress("coverage", d + 1, R, (double)(d + 1), (double)R, t0);
	}

	printf("## Coverage by group size\n\n");
	printf("%zu data sets, each with six groups of 30, 50, 100, 200, 500 and 1000 "
	       "records; %zu bootstrap replicates; threshold %.2f; prevalence %.2f. "
	       "The six separations mu = 0.5, 1, ..., 3 (AUC %.3f to %.3f) are rotated "
	       "over the groups, so each size meets each separation in %zu data sets. "
	       "Coverage of the %.0f%% percentile bootstrap interval in percent, ± its "
	       "Monte-Carlo standard error.\n\n",
	       R, s->bootstrap, s->threshold, s->prevalence, ts[0].value[0], ts[NSIZE - 1].value[0],
	       R / NSIZE, 100 * s->ci_level);
	printf("| group n (pos/neg) | AUC | TPR | FPR |\n|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++)
		printf("| %zu (%zu/%zu) | %s | %s | %s |\n", SIZES[i], npos_of(s, SIZES[i]),
		       SIZES[i] - npos_of(s, SIZES[i]), fmt_cov(b[0], &cov[i][0]),
		       fmt_cov(b[1], &cov[i][1]), fmt_cov(b[2], &cov[i][2]));
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
			       MET_NAME[j], SIZES[i], cov_pct(t), pct(t->below, t->n),
			       pct(t->above, t->n), tally_width(t), t->sz / (double)t->n,
			       tally_sdz(t));
		}
	printf("\nThe analytic intervals of the same groups (DeLong for AUC, Wilson for "
	       "TPR and FPR), beside the bootstrap ones; in brackets the width against the "
	       "normal-theory width.\n\n");
	printf("| group n | AUC bootstrap | AUC DeLong | TPR bootstrap | TPR Wilson | FPR "
	       "bootstrap | FPR Wilson |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		printf("| %zu |", SIZES[i]);
		for (j = 0; j < NMET; j++)
			printf(" %s | %s (%.2f) |", fmt_cov(b[2 * j], &cov[i][j]),
			       fmt_cov(b[2 * j + 1], &acov[i][j]), tally_width(&acov[i][j]));
		printf("\n");
	}
	printf("\nThe engine's Wilson intervals agree with the formula worked out here to "
	       "%.1e in %zu of %zu group intervals.\n",
	       g_wilson_maxdiff, g_wilson_checked, g_wilson_checked + g_wilson_missing);
	for (j = 0; j < 2; j++) {
		printf("\n%s coverage by true %s and group size, percentile bootstrap / %s "
		       "(%zu data sets per cell; Monte-Carlo SE 1 to 2 points).\n\n",
		       MET_NAME[j], MET_NAME[j], j ? "Wilson" : "DeLong", R / NSIZE);
		printf("| true %s |", MET_NAME[j]);
		for (i = 0; i < NSIZE; i++)
			printf(" n = %zu |", SIZES[i]);
		printf("\n|---|---|---|---|---|---|---|\n");
		for (k = 0; k < NSIZE; k++) {
			printf("| %.3f |", ts[k].value[j]);
			for (i = 0; i < NSIZE; i++)
				printf(" %.1f / %.1f |", cov_pct(&cell[i][k][j]),
				       cov_pct(&acell[i][k][j]));
			printf("\n");
		}
	}
	printf("\n## Coverage of the differences to the reference group\n\n");
	printf("The reference is the group of 1000 records; the true difference is "
	       "truth(group) − truth(reference), which varies with the rotation (it is 0 "
	       "for FPR). Bootstrap: percentile interval of the replicate differences; "
	       "analytic: the unpaired DeLong interval (AUC), Newcombe's hybrid score "
	       "interval (TPR, FPR).\n\n");
	printf("| group n | AUC bootstrap | AUC DeLong | TPR bootstrap | TPR Newcombe | FPR "
	       "bootstrap | FPR Newcombe |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i + 1 < NSIZE; i++) {
		printf("| %zu |", SIZES[i]);
		for (j = 0; j < NMET; j++)
			printf(" %s | %s |", fmt_cov(b[2 * j], &dif[i][j]),
			       fmt_cov(b[2 * j + 1], &adif[i][j]));
		printf("\n");
	}
	printf("\n## Coverage of the gap (max − min over the six groups)\n\n");
	printf("`gap` is max − min with its percentile interval; `gap_corrected` subtracts "
	       "the bootstrap estimate of bias (mean of the replicate gaps − gap), floored "
	       "at 0, and shifts the interval by the same amount.\n\n");
	printf("| metric | true gap | quantity | mean estimate − truth | coverage %% | "
	       "interval below truth %% | interval above truth %% | mean interval |\n"
	       "|---|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++) {
		double m = gsum[j] / (double)R, mc = csum[j] / (double)R;
		double lo = INFINITY, hi = -INFINITY, tg;
		for (k = 0; k < NSIZE; k++) {
			lo = fmin(lo, ts[k].value[j]);
			hi = fmax(hi, ts[k].value[j]);
		}
		tg = hi - lo;
		printf("| %s | %.4f | gap | %+.4f ± %.4f | %s | %.1f | %.1f | [%.4f, %.4f] |\n",
		       MET_NAME[j], tg, m, sqrt((gsum2[j] / (double)R - m * m) / (double)(R - 1)),
		       fmt_cov(b[0], &gap[j]), pct(gap[j].below, gap[j].n),
		       pct(gap[j].above, gap[j].n), gap[j].slo / (double)gap[j].n,
		       gap[j].shi / (double)gap[j].n);
		printf("| %s | %.4f | gap_corrected | %+.4f ± %.4f | %s | %.1f | %.1f | "
		       "[%.4f, %.4f] |\n",
		       MET_NAME[j], tg, mc,
		       sqrt((csum2[j] / (double)R - mc * mc) / (double)(R - 1)),
		       fmt_cov(b[1], &gapc[j]), pct(gapc[j].below, gapc[j].n),
		       pct(gapc[j].above, gapc[j].n), gapc[j].slo / (double)gapc[j].n,
		       gapc[j].shi / (double)gapc[j].n);
	}
	for (i = 0; i < NSIZE; i++)
		for (j = 0; j < NMET; j++)
			if (cov[i][j].undef || acov[i][j].undef ||
			    (i + 1 < NSIZE && (dif[i][j].undef || adif[i][j].undef)))
				printf("\nNote: %zu undefined %s intervals at n = %zu were left "
				       "out.\n",
				       cov[i][j].undef + acov[i][j].undef + dif[i][j].undef +
				           adif[i][j].undef,
				       MET_NAME[j], SIZES[i]);
	printf("\n");
}

/* ---- bca: the same data sets, BCa intervals ---------------------------- */

static void section_bca(const settings *s, double c, paired *pc)
{
	truth ts[NSIZE];
	paired bc;
	run_opts ro = {0, 0, 0, 0, 0};
	size_t d, i, k, R = s->bca_datasets;
	int j;
	char b[6][32];
	double t0 = now();

	memset(&bc, 0, sizeof(bc));
	for (k = 0; k < NSIZE; k++)
		truth_init(&ts[k], MUS[k], c);
	ro.bootstrap = s->bootstrap;
	ro.permutations = 0;
	for (d = 0; d < R; d++) {
		group_spec gs[NSIZE];
		size_t mi[NSIZE];
		fa_result *r;
		coverage_datasets(ts, d, gs, mi);
		if (pc->R < R) {
			/* the coverage section did not run these: percentile too */
			ro.bca = 0;
			r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 1, d, &ro);
			tally_coverage(r, gs, pc->cov, pc->dif, pc->gap);
			pc->R++;
			fa_result_free(r);
		}
		ro.bca = 1;
		r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 1, d, &ro);
		tally_coverage(r, gs, bc.cov, bc.dif, bc.gap);
		fa_result_free(r);
		progress("bca", d + 1, R, (double)(d + 1), (double)R, t0);
	}
	printf("## Percentile against BCa intervals\n\n");
	printf("The first %zu data sets of the coverage study again, with bias-corrected "
	       "and accelerated (BCa) intervals read from the same %zu replicates. "
	       "Coverage %% ± MCSE.\n\n",
	       R, s->bootstrap);
	printf("| group n | AUC percentile | AUC BCa | TPR percentile | TPR BCa | FPR "
	       "percentile | FPR BCa |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		printf("| %zu |", SIZES[i]);
		for (j = 0; j < NMET; j++)
			printf(" %s | %s |", fmt_cov(b[2 * j], &pc->cov[i][j]),
			       fmt_cov(b[2 * j + 1], &bc.cov[i][j]));
		printf("\n");
	}
	printf("\nDifferences to the reference group (1000 records):\n\n");
	printf("| group n | AUC percentile | AUC BCa | TPR percentile | TPR BCa | FPR "
	       "percentile | FPR BCa |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i + 1 < NSIZE; i++) {
		printf("| %zu |", SIZES[i]);
		for (j = 0; j < NMET; j++)
			printf(" %s | %s |", fmt_cov(b[2 * j], &pc->dif[i][j]),
			       fmt_cov(b[2 * j + 1], &bc.dif[i][j]));
		printf("\n");
	}
	printf("\nThe gap over the six groups:\n\n| interval | AUC | TPR | FPR |\n"
	       "|---|---|---|---|\n");
	printf("| percentile | %s | %s | %s |\n", fmt_cov(b[0], &pc->gap[0]),
	       fmt_cov(b[1], &pc->gap[1]), fmt_cov(b[2], &pc->gap[2]));
	printf("| BCa | %s | %s | %s |\n\n", fmt_cov(b[3], &bc.gap[0]), fmt_cov(b[4], &bc.gap[1]),
	       fmt_cov(b[5], &bc.gap[2]));
}

/* ---- ceiling: AUC 0.99 -------------------------------------------------- */

static void section_ceiling(const settings *s, double c)
{
	truth t;
	tally cov[NSIZE][NMET], acov[NSIZE][NMET];
	size_t ones[NSIZE][2], d, i, R = s->ceiling_datasets;
	run_opts ro = {0, 0, 0, 0, 0};
	int j;
	char b[6][32];
	double t0 = now();

	memset(cov, 0, sizeof(cov));
	memset(acov, 0, sizeof(acov));
	memset(ones, 0, sizeof(ones));
	ro.bootstrap = s->bootstrap;
	ro.permutations = 0;
	ro.bca = 0;
	truth_init(&t, M_SQRT2 * gsl_cdf_ugaussian_Pinv(0.99), c);
	for (d = 0; d < R; d++) {
		group_spec gs[NSIZE];
		fa_result *r;
		for (i = 0; i < NSIZE; i++) {
			snprintf(gs[i].name, sizeof(gs[i].name), "n%zu", SIZES[i]);
			gs[i].n = SIZES[i];
			gs[i].t = &t;
		}
		r = simulate(s, gs, NSIZE, gs[NSIZE - 1].name, 2, d, &ro);
		for (i = 0; i < NSIZE; i++) {
			const fa_group_result *gr = find_group(r, gs[i].name);
			check_wilson(&gr->metrics[FA_M_TPR], gr->tp, gr->n_pos);
			check_wilson(&gr->metrics[FA_M_FPR], gr->fp, gr->n_neg);
			for (j = 0; j < NMET; j++) {
				double se = truth_se(&t, j, gr->n_pos, gr->n_neg);
				tally_boot(&cov[i][j], &gr->metrics[MET[j]], t.value[j], se);
				tally_aci(&acov[i][j], &gr->metrics[MET[j]], t.value[j], se);
			}
			ones[i][0] += gr->metrics[FA_M_AUC].value == 1;
			ones[i][1] += gr->metrics[FA_M_TPR].value == 1;
		}
		fa_result_free(r);
		progress("ceiling", d + 1, R, (double)(d + 1), (double)R, t0);
	}
	printf("## Coverage near the ceiling: AUC = 0.99\n\n");
	printf("%zu data sets with the same six group sizes, every group with mu = %.4f: "
	       "true AUC %.4f, TPR %.4f, FPR %.4f. Coverage %% ± MCSE of the percentile "
	       "bootstrap interval; \"low / high\" are the shares of those intervals lying "
	       "wholly below / wholly above the truth; \"= 1\" is the share of data sets "
	       "whose estimate is exactly 1, where the bootstrap interval is [1, 1].\n\n",
	       R, t.mu, t.value[0], t.value[1], t.value[2]);
	printf("| group n (pos/neg) | AUC | low / high | = 1 | TPR | low / high | = 1 | FPR | "
	       "low / high |\n|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		const tally *A = &cov[i][0], *T = &cov[i][1], *F = &cov[i][2];
		printf("| %zu (%zu/%zu) | %s | %.1f / %.1f | %.1f | %s | %.1f / %.1f | %.1f | %s | "
		       "%.1f / %.1f |\n",
		       SIZES[i], npos_of(s, SIZES[i]), SIZES[i] - npos_of(s, SIZES[i]),
		       fmt_cov(b[0], A), pct(A->below, A->n), pct(A->above, A->n),
		       pct(ones[i][0], A->n), fmt_cov(b[1], T), pct(T->below, T->n),
		       pct(T->above, T->n), pct(ones[i][1], T->n), fmt_cov(b[2], F),
		       pct(F->below, F->n), pct(F->above, F->n));
	}
	printf("\nThe analytic intervals of the same groups:\n\n| group n | AUC DeLong | low / "
	       "high | TPR Wilson | low / high | FPR Wilson |\n|---|---|---|---|---|---|\n");
	for (i = 0; i < NSIZE; i++) {
		const tally *A = &acov[i][0], *T = &acov[i][1], *F = &acov[i][2];
		printf("| %zu | %s | %.1f / %.1f | %s | %.1f / %.1f | %s |\n", SIZES[i],
		       fmt_cov(b[0], A), pct(A->below, A->n), pct(A->above, A->n), fmt_cov(b[1], T),
		       pct(T->below, T->n), pct(T->above, T->n), fmt_cov(b[2], F));
	}
	for (i = 0; i < NSIZE; i++)
		for (j = 0; j < NMET; j++)
			if (cov[i][j].undef || acov[i][j].undef)
				printf("\nNote: %zu undefined %s intervals at n = %zu were left "
				       "out.\n",
				       cov[i][j].undef + acov[i][j].undef, MET_NAME[j], SIZES[i]);
	printf("\n");
}

/* ---- gap: truly equal groups -------------------------------------------- */

/* A mean over data sets with its Monte-Carlo standard error. */
typedef struct mean_acc {
	size_t n;
	double s, s2;
} mean_acc;

static void mean_add(mean_acc *m, double x)
{
	if (isnan(x))
		return;
	m->n++;
	m->s += x;
	m->s2 += x * x;
}

static double mean_of(const mean_acc *m)
{
	return m->n ? m->s / (double)m->n : NAN;
}

static double mean_se(const mean_acc *m)
{
	double mu = mean_of(m);
	if (m->n < 2)
		return NAN;
	return sqrt(fmax(0, m->s2 - (double)m->n * mu * mu) / ((double)m->n - 1) / (double)m->n);
}

typedef struct gapstat {
	size_t R, undef;
	mean_acc gap, lo, hi, cgap, clo, chi;
	size_t lo_pos, pt_over, lo_over, hi_over; /* the gap's interval */
	size_t clo_pos, cpt_over, clo_over;       /* gap_corrected's */
	size_t slo_pos, slo_over, s_n;            /* gap_simultaneous's */
	size_t perm_n, perm_rej, chisq_n, chisq_rej;
	/* per data set: shares of the reference-difference intervals that
	 * contain 0 (bootstrap, analytic) and of their tests that reject */
	mean_acc dcov, dacov, drej;
} gapstat;

#define ALPHA 0.05

static void gap_tally(gapstat *x, const fa_result *r, const group_spec *gs, size_t k, fa_metric m)
{
	const fa_gap *gp = &r->attrs[0].gaps[m];
	const fa_estimate *e = &gp->gap, *ce = &gp->gap_corrected;
	size_t g, nb = 0, cb = 0, na = 0, ca = 0, nt = 0, rej = 0;

	if (isnan(e->value) || !e->has_ci) {
		x->undef++;
		return;
	}
	x->R++;
	mean_add(&x->gap, e->value);
	mean_add(&x->lo, e->ci_low);
	mean_add(&x->hi, e->ci_high);
	x->lo_pos += e->ci_low > 0;
	x->pt_over += e->value > GATE_LIMIT;
	x->lo_over += e->ci_low > GATE_LIMIT;
	x->hi_over += e->ci_high > GATE_LIMIT;
	mean_add(&x->cgap, ce->value);
	if (ce->has_ci) {
		mean_add(&x->clo, ce->ci_low);
		mean_add(&x->chi, ce->ci_high);
		x->clo_pos += ce->ci_low > 0;
		x->clo_over += ce->ci_low > GATE_LIMIT;
	}
	x->cpt_over += ce->value > GATE_LIMIT;
	if (gp->gap_simultaneous.has_ci) {
		x->s_n++;
		x->slo_pos += gp->gap_simultaneous.ci_low > 0;
		x->slo_over += gp->gap_simultaneous.ci_low > GATE_LIMIT;
	}
	if (!isnan(gp->perm_p)) {
		x->perm_n++;
		x->perm_rej += gp->perm_p < ALPHA;
	}
	if (!isnan(gp->chisq_p)) {
		x->chisq_n++;
		x->chisq_rej += gp->chisq_p < ALPHA;
	}
	for (g = 1; g < k; g++) {
		const fa_estimate *df = &find_group(r, gs[g].name)->diff[m];
		if (df->has_ci) {
			nb++;
			cb += df->ci_low <= 0 && df->ci_high >= 0;
		}
		if (df->has_aci) {
			na++;
			ca += df->aci_low <= 0 && df->aci_high >= 0;
		}
		if (!isnan(df->p_value)) {
			nt++;
			rej += df->p_value < ALPHA;
		}
	}
	if (nb)
		mean_add(&x->dcov, (double)cb / (double)nb);
	if (na)
		mean_add(&x->dacov, (double)ca / (double)na);
	if (nt)
		mean_add(&x->drej, (double)rej / (double)nt);
}

static const char *fmt_mean(char *out, const mean_acc *m, double scale, int digits)
{
	if (!m->n)
		snprintf(out, 40, "–");
	else
		snprintf(out, 40, "%.*f ± %.*f", digits, scale * mean_of(m), digits,
		         scale * mean_se(m));
	return out;
}

static const char *fmt_rate(char *out, size_t k, size_t n)
{
	tally t;
	memset(&t, 0, sizeof(t));
	t.cover = k;
	t.n = n;
	return fmt_cov(out, &t);
}

static void section_gap(const settings *s, double c)
{
	truth t;
	gapstat st[3][3][NMET];
	run_opts ro = {0, 0, 0, 0, 0};
	size_t a, b, d, g, R = s->gap_datasets;
	int j;
	char b1[40], b2[40], b3[40], b4[40], b5[40];
	double t0 = now(), work = 0, work_total = 0; /* records simulated */

	memset(st, 0, sizeof(st));
	ro.bootstrap = s->bootstrap;
	ro.permutations = s->permutations;
	ro.bca = 0;
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
				fa_result *r;
				for (g = 0; g < k; g++) {
					snprintf(gs[g].name, sizeof(gs[g].name), "g%zu", g + 1);
					gs[g].n = n;
					gs[g].t = &t;
				}
				r = simulate(s, gs, k, "g1", (unsigned)(10 + 3 * a + b), d, &ro);
				for (j = 0; j < NMET; j++)
					gap_tally(&st[a][b][j], r, gs, k, MET[j]);
				fa_result_free(r);
				work += (double)(k * n);
				progress(what, (3 * a + b) * R + d + 1, 9 * R, work, work_total,
				         t0);
			}
		}

	printf("## The max − min gap when groups are truly equal\n\n");
	printf("%zu data sets per row; k groups of n records each, all with mu = %.1f "
	       "(true AUC %.4f, TPR %.4f, FPR %.4f), so every true gap and every true "
	       "difference is 0. \"Expected\" is E[max − min] worked out independently of "
	       "the engine: exact for TPR and FPR (k independent binomial rates with "
	       "fixed class counts), d2(k) × SE for AUC (normal approximation; d2 = "
	       "expected range of k standard normals: %.4f, %.4f, %.4f). Means are ± their "
	       "Monte-Carlo standard error; `gap_corrected` is the gap less its "
	       "bootstrap estimate of bias, floored at 0.\n\n",
	       R, GAP_MU, t.value[0], t.value[1], t.value[2], normal_range(2), normal_range(4),
	       normal_range(6));
	printf("| metric | k | n | expected gap | mean gap | mean gap / SE | mean gap_corrected "
	       "|\n|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				size_t k = GAP_K[a], n = GAP_N[b], np = npos_of(s, n);
				double se = truth_se(&t, j, np, n - np);
				double ex = j == 0   ? normal_range(k) * se
				            : j == 1 ? binomial_range(t.value[1], np, k)
				                     : binomial_range(t.value[2], n - np, k);
				printf("| %s | %zu | %zu | %.4f | %s | %.2f | %s |\n", MET_NAME[j],
				       k, n, ex, fmt_mean(b1, &x->gap, 1, 4), mean_of(&x->gap) / se,
				       fmt_mean(b2, &x->cgap, 1, 4));
			}
	printf("\nWhere the intervals sit. \"Excludes 0\" is the share of intervals whose "
	       "lower end is above 0, which for a truly equal set of groups should be at "
	       "most 5%%.\n\n");
	printf("| metric | k | n | gap: mean interval | excludes 0 %% | gap_corrected: mean "
	       "interval | excludes 0 %% |\n|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				printf("| %s | %zu | %zu | [%.4f, %.4f] | %.1f | [%.4f, %.4f] | "
				       "%.1f |\n",
				       MET_NAME[j], GAP_K[a], GAP_N[b], mean_of(&x->lo),
				       mean_of(&x->hi), pct(x->lo_pos, x->R), mean_of(&x->clo),
				       mean_of(&x->chi), pct(x->clo_pos, x->clo.n));
			}
	printf("\nTests of \"no gap\" at the 5%% level, which should reject about 5%% of "
	       "the time here: the permutation test of max − min (%zu permutations), the "
	       "chi-square test of homogeneity (rates only), and per data set the share of "
	       "the k − 1 differences to the reference group whose interval contains 0 "
	       "(bootstrap, analytic) or whose test rejects.\n\n",
	       s->permutations);
	printf("| metric | k | n | permutation test rejects %% | chi-square rejects %% | diff "
	       "bootstrap contains 0 %% | diff analytic contains 0 %% | diff test rejects %% "
	       "|\n|---|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				printf("| %s | %zu | %zu | %s | %s | %s | %s | %s |\n", MET_NAME[j],
				       GAP_K[a], GAP_N[b], fmt_rate(b1, x->perm_rej, x->perm_n),
				       fmt_rate(b2, x->chisq_rej, x->chisq_n),
				       fmt_mean(b3, &x->dcov, 100, 1),
				       fmt_mean(b4, &x->dacov, 100, 1),
				       fmt_mean(b5, &x->drej, 100, 1));
			}
	printf("\nWhat a gate \"gap <= %.2f\" concludes about these truly equal groups: the "
	       "share of data sets that fail it when it judges the point estimate "
	       "(`--gate-on point`), when the whole interval lies above the limit "
	       "(`ci-violation`), and unless the whole interval lies below it "
	       "(`ci-compliance`); the same for `gap_corrected` (point, ci-violation); "
	       "and `ci-violation` judged on the simultaneous interval "
	       "(`gap_simultaneous`, what interval-mode gates on a gap use), with the "
	       "share of those intervals that exclude 0. "
	       "For a fair model each should be near 0%%.\n\n",
	       GATE_LIMIT);
	printf("| metric | k | n | point %% | percentile ci-violation %% | ci-compliance %% | "
	       "corrected: point %% | corrected: ci-violation %% | simultaneous: ci-violation "
	       "%% | simultaneous excludes 0 %% |\n|---|---|---|---|---|---|---|---|---|---|\n");
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++) {
				const gapstat *x = &st[a][b][j];
				printf("| %s | %zu | %zu | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f "
				       "| %.1f |\n",
				       MET_NAME[j], GAP_K[a], GAP_N[b], pct(x->pt_over, x->R),
				       pct(x->lo_over, x->R), pct(x->hi_over, x->R),
				       pct(x->cpt_over, x->R), pct(x->clo_over, x->clo.n),
				       pct(x->slo_over, x->s_n), pct(x->slo_pos, x->s_n));
			}
	for (j = 0; j < NMET; j++)
		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++)
				if (st[a][b][j].undef)
					printf(
					    "\nNote: %zu undefined %s gaps (k = %zu, n = %zu) were "
					    "left out.\n",
					    st[a][b][j].undef, MET_NAME[j], GAP_K[a], GAP_N[b]);
	printf("\n");
}

/* ---- running data sets in parallel -------------------------------------- */

/* The cluster and power sections audit many small data sets, where one
 * audit spread over every core spends much of its time starting and
 * joining threads. They run whole data sets side by side instead, each
 * audit on one thread: run(ctx, d) simulates and audits data set d and
 * stores what it found in slot d, touching nothing shared, and the
 * caller tallies the slots in order afterwards, so the output does not
 * depend on the number of threads or on scheduling. */
typedef struct pool {
	void (*run)(void *ctx, size_t d);
	void *ctx;
	size_t R, next, done;
	pthread_mutex_t lock;
	/* progress over the whole section */
	const char *what;
	size_t done_before, total;
	double work_before, work_each, work_total, t0;
} pool;

static void *pool_main(void *arg)
{
	pool *P = arg;
	for (;;) {
		size_t d;
		pthread_mutex_lock(&P->lock);
		if (P->next == P->R) {
			pthread_mutex_unlock(&P->lock);
			return NULL;
		}
		d = P->next++;
		pthread_mutex_unlock(&P->lock);
		P->run(P->ctx, d);
		pthread_mutex_lock(&P->lock);
		P->done++;
		progress(P->what, P->done_before + P->done, P->total,
		         P->work_before + P->work_each * (double)P->done, P->work_total, P->t0);
		pthread_mutex_unlock(&P->lock);
	}
}

static unsigned pool_threads(const settings *s)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (s->threads)
		return s->threads;
	return n > 0 ? (unsigned)n : 1;
}

/* Run P->run over data sets 0 .. P->R - 1. */
static void pool_run(const settings *s, pool *P)
{
	unsigned T = pool_threads(s), i;
	pthread_t *tid = fa_xmalloc(T * sizeof(pthread_t));

	P->next = P->done = 0;
	pthread_mutex_init(&P->lock, NULL);
	for (i = 1; i < T; i++)
		if (pthread_create(&tid[i], NULL, pool_main, P) != 0) {
			fprintf(stderr, "coverage: cannot start a thread\n");
			exit(4);
		}
	pool_main(P);
	for (i = 1; i < T; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&P->lock);
	free(tid);
}

/* ---- cluster: several images per patient -------------------------------- */

/* Each patient has m images and one label, shared by the images (disease
 * is a property of the patient). An image's logit is
 *   mu y + (u + e) / sqrt(1 + tau^2),  u ~ N(0, tau^2) per patient,
 *   e ~ N(0, 1) per image,
 * the model mu' y + u + e with mu' = mu sqrt(1 + tau^2), rescaled so that a
 * positive image's logit is N(mu, 1) and a negative's N(0, 1) whatever tau.
 * The marginal AUC, TPR and FPR are therefore those of the other sections
 * (AUC = Phi(mu' / sqrt(2 (1 + tau^2))) = Phi(mu / sqrt 2)), exactly: a
 * positive and a negative image never share a patient. Only the
 * correlation of two images of one patient, tau^2 / (1 + tau^2), moves. */

#define CL_MU 1.5
#define CL_NP 3
static const size_t CL_PATIENTS[CL_NP] = {25, 100, 300};

typedef struct cl_scenario {
	size_t m;   /* images per patient */
	double tau; /* SD of the patient effect before rescaling */
} cl_scenario;

static const cl_scenario CL_SCEN[] = {{4, 0.0}, {4, 0.5}, {4, 1.0}, {4, 2.0}, {2, 1.0}, {8, 1.0}};
#define CL_NSCEN (sizeof(CL_SCEN) / sizeof(CL_SCEN[0]))

typedef struct pair_arg {
	double a, tau;
} pair_arg;

static double f_pair(double z, void *p)
{
	const pair_arg *pa = p;
	double q = gsl_cdf_ugaussian_Q(pa->a - pa->tau * z);
	return gsl_ran_ugaussian_pdf(z) * q * q;
}

/* The design effect of a rate over images, Var(estimate) / the binomial
 * variance, for images whose logit has class mean `mu`, in patients of m
 * images: 1 + (m - 1) corr, corr the correlation of two decisions of one
 * patient. Given u = tau z an image is called positive (logit >= c) with
 * probability Q((c - mu) s - tau z), s = sqrt(1 + tau^2). */
static double rate_deff(double mu, double c, double tau, size_t m)
{
	pair_arg pa;
	double p = gsl_cdf_ugaussian_Q(c - mu), p2;
	pa.a = (c - mu) * sqrt(1 + tau * tau);
	pa.tau = tau;
	p2 = integrate(f_pair, &pa);
	return 1 + (double)(m - 1) * (p2 - p * p) / (p * (1 - p));
}

static double icc(double tau)
{
	return tau * tau / (1 + tau * tau);
}

/* The tests of equal groups the cluster section counts: the chi-square
 * test of homogeneity of TPR and FPR, the tests of the TPR and AUC
 * differences of groups p25 and p100 to the reference p300, and the
 * permutation tests of the TPR and AUC gaps. */
enum { CT_CHISQ_TPR, CT_CHISQ_FPR, CT_DIFF_TPR, CT_DIFF_AUC, CT_PERM_TPR, CT_PERM_AUC, CT_N };
#define CT_DIFFS 2 /* p25 and p100 against p300 */

/* What one clustered data set gave, per group, and its tests' p-values
 * ([0] of the row-level audit, [1] of the cluster audit). */
typedef struct cl_slot {
	fa_estimate row[CL_NP][NMET], clu[CL_NP][NMET];
	size_t npos[CL_NP], nneg[CL_NP], tp[CL_NP], fp[CL_NP], nclusters[CL_NP];
	double p[2][CT_N][CT_DIFFS];
	size_t ties;
} cl_slot;

typedef struct cl_ctx {
	const settings *s;
	const cl_scenario *S;
	unsigned section;
	cl_slot *slots;
} cl_ctx;

static void cluster_text(fa_buf *csv, gsl_rng *rng, const settings *s, const cl_scenario *sc)
{
	double scale = 1 / sqrt(1 + sc->tau * sc->tau);
	size_t g, i, k;

	fa_buf_puts(csv, "label,score,grp,pid\n");
	for (g = 0; g < CL_NP; g++) {
		size_t P = CL_PATIENTS[g], npos = npos_of(s, P);
		for (i = 0; i < P; i++) {
			int y = i < npos;
			double u = sc->tau * gsl_ran_gaussian(rng, 1.0);
			for (k = 0; k < sc->m; k++) {
				double x =
				    (y ? CL_MU : 0.0) + (u + gsl_ran_gaussian(rng, 1.0)) * scale;
				fa_buf_printf(csv, "%d,%.17g,p%zu,g%zu-%zu\n", y,
				              1.0 / (1.0 + exp(-x)), P, g, i);
			}
		}
	}
}

static void cluster_one(void *arg, size_t d)
{
	const cl_ctx *C = arg;
	const settings *s = C->s;
	cl_slot *x = &C->slots[d];
	run_opts rrow = {0, 0, 0, 0, 1}, rclu = {0, 0, 0, 1, 1};
	const fa_result *both[2];
	int u, k;
	fa_buf csv = FA_BUF_INIT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t seed = stream_seed(s, C->section, d, 2);
	fa_result *rr, *rc;
	char ref[16];
	size_t g;
	int j;

	rrow.bootstrap = rclu.bootstrap = s->cluster_bootstrap;
	rrow.permutations = rclu.permutations = s->cluster_permutations;
	gsl_rng_set(rng, (unsigned long)(stream_seed(s, C->section, d, 1) & 0xffffffffu));
	cluster_text(&csv, rng, s, C->S);
	gsl_rng_free(rng);
	snprintf(ref, sizeof(ref), "p%zu", CL_PATIENTS[CL_NP - 1]);
	x->ties = 0;
	/* the same text and seed: only the resampling unit differs */
	rr = audit_text(s, &csv, 1, ref, seed, &rrow, &x->ties);
	rc = audit_text(s, &csv, 1, ref, seed, &rclu, &x->ties);
	fa_buf_free(&csv);
	for (g = 0; g < CL_NP; g++) {
		char name[16];
		const fa_group_result *gr, *gc;
		snprintf(name, sizeof(name), "p%zu", CL_PATIENTS[g]);
		gr = find_group(rr, name);
		gc = find_group(rc, name);
		x->npos[g] = gr->n_pos;
		x->nneg[g] = gr->n_neg;
		x->tp[g] = gr->tp;
		x->fp[g] = gr->fp;
		x->nclusters[g] = gc->n_clusters;
		for (j = 0; j < NMET; j++) {
			x->row[g][j] = gr->metrics[MET[j]];
			x->clu[g][j] = gc->metrics[MET[j]];
		}
	}
	both[0] = rr;
	both[1] = rc;
	for (u = 0; u < 2; u++) {
		const fa_gap *gp = both[u]->attrs[0].gaps;
		for (k = 0; k < CT_DIFFS; k++) {
			char name[16];
			const fa_group_result *gr;
			snprintf(name, sizeof(name), "p%zu", CL_PATIENTS[k]);
			gr = find_group(both[u], name);
			x->p[u][CT_DIFF_TPR][k] = gr->diff[FA_M_TPR].p_value;
			x->p[u][CT_DIFF_AUC][k] = gr->diff[FA_M_AUC].p_value;
		}
		/* the attribute-wide tests have one p-value; slot 1 stays NaN */
		x->p[u][CT_CHISQ_TPR][0] = gp[FA_M_TPR].chisq_p;
		x->p[u][CT_CHISQ_FPR][0] = gp[FA_M_FPR].chisq_p;
		x->p[u][CT_PERM_TPR][0] = gp[FA_M_TPR].perm_p;
		x->p[u][CT_PERM_AUC][0] = gp[FA_M_AUC].perm_p;
		x->p[u][CT_CHISQ_TPR][1] = x->p[u][CT_CHISQ_FPR][1] = NAN;
		x->p[u][CT_PERM_TPR][1] = x->p[u][CT_PERM_AUC][1] = NAN;
	}
	fa_result_free(rr);
	fa_result_free(rc);
}

typedef struct cl_cell {
	tally row[NMET], clu[NMET], ana[NMET], cana[NMET];
	mean_acc est[NMET];
	size_t npos, nneg; /* images */
} cl_cell;

/* Rejections at 5% of one test over the data sets. */
typedef struct cl_rej {
	size_t n, reject;
} cl_rej;

static void rej_add(cl_rej *r, double p)
{
	if (isnan(p))
		return;
	r->n++;
	r->reject += p < 0.05;
}

/* "5.1" (percent rejected), or "–" when the test never ran. */
static const char *fmt_rej(char *out, const cl_rej *r)
{
	if (!r->n)
		snprintf(out, 32, "–");
	else
		snprintf(out, 32, "%.1f", 100.0 * (double)r->reject / (double)r->n);
	return out;
}

/* The SD of the estimates over the data sets. */
static double mean_sd(const mean_acc *m)
{
	return mean_se(m) * sqrt((double)m->n);
}

static void section_cluster(const settings *s, double c)
{
	truth t;
	cl_cell(*cell)[CL_NP] = fa_xcalloc(CL_NSCEN, sizeof(*cell));
	cl_slot *slots = fa_xmalloc(s->cluster_datasets * sizeof(cl_slot));
	cl_rej(*rej)[2][CT_N] = fa_xcalloc(CL_NSCEN, sizeof(*rej));
	double deff[CL_NSCEN][2]; /* exact, TPR and FPR */
	size_t sc, d, g, R = s->cluster_datasets, per = 0, bad_clusters = 0;
	int j;
	char b[4][32];
	pool P;

	truth_init(&t, CL_MU, c);
	for (g = 0; g < CL_NP; g++)
		per += CL_PATIENTS[g];
	memset(&P, 0, sizeof(P));
	P.run = cluster_one;
	P.R = R;
	P.what = "cluster";
	P.total = CL_NSCEN * R;
	P.t0 = now();
	for (sc = 0; sc < CL_NSCEN; sc++) {
		deff[sc][0] = rate_deff(CL_MU, c, CL_SCEN[sc].tau, CL_SCEN[sc].m);
		deff[sc][1] = rate_deff(0, c, CL_SCEN[sc].tau, CL_SCEN[sc].m);
		P.work_total += (double)(R * per * CL_SCEN[sc].m);
	}
	for (sc = 0; sc < CL_NSCEN; sc++) {
		cl_ctx C;
		C.s = s;
		C.S = &CL_SCEN[sc];
		C.section = 30 + (unsigned)sc;
		C.slots = slots;
		P.ctx = &C;
		P.work_each = (double)(per * CL_SCEN[sc].m);
		pool_run(s, &P);
		P.done_before += R;
		P.work_before += P.work_each * (double)R;
		for (d = 0; d < R; d++) {
			const cl_slot *x = &slots[d];
			g_ties += x->ties;
			for (g = 0; g < CL_NP; g++) {
				cl_cell *y = &cell[sc][g];
				/* the engine must have found every patient */
				bad_clusters += x->nclusters[g] != CL_PATIENTS[g];
				y->npos = x->npos[g];
				y->nneg = x->nneg[g];
				check_wilson(&x->row[g][1], x->tp[g], x->npos[g]);
				check_wilson(&x->row[g][2], x->fp[g], x->nneg[g]);
				for (j = 0; j < NMET; j++) {
					/* se = 1: widths are scaled by the spread of the
					 * estimates over the data sets when printed */
					tally_boot(&y->row[j], &x->row[g][j], t.value[j], 1);
					tally_boot(&y->clu[j], &x->clu[g][j], t.value[j], 1);
					tally_aci(&y->ana[j], &x->row[g][j], t.value[j], 1);
					tally_aci(&y->cana[j], &x->clu[g][j], t.value[j], 1);
					mean_add(&y->est[j], x->row[g][j].value);
				}
			}
			for (g = 0; g < 2; g++)
				for (j = 0; j < CT_N; j++) {
					size_t k;
					for (k = 0; k < CT_DIFFS; k++)
						rej_add(&rej[sc][g][j], x->p[g][j][k]);
				}
		}
	}
	free(slots);
	if (bad_clusters) {
		fprintf(stderr,
		        "coverage: the engine counted the wrong number of patients in %zu "
		        "groups\n",
		        bad_clusters);
		exit(4);
	}

	printf("## Clustered data: several images per patient\n\n");
	printf("%zu data sets per scenario, each with three groups of %zu, %zu and %zu "
	       "patients, round(%.1f × patients) of them positive (%zu, %zu, %zu); all images of a "
	       "patient carry the patient's label. An image's logit is mu·y + (u + e)/√(1 + "
	       "tau²) with u ~ N(0, tau²) per patient, e ~ N(0, 1) per image and mu = %.1f, so "
	       "the marginal truths do not depend on tau (AUC %.4f, TPR %.4f, FPR %.4f at "
	       "threshold %.2f); only the correlation of two images of one patient, "
	       "tau²/(1 + tau²), does. Each data set is audited twice with the same seed: "
	       "row-level bootstrap, and `cluster_column` set to the patient id (the patients "
	       "of each group resampled); %zu replicates, percentile intervals. The analytic "
	       "intervals are given from both audits: Wilson and DeLong from the row-level one, "
	       "and from the cluster audit Wilson at the effective size with the t quantile "
	       "(Korn-Graubard) and Obuchowski's clustered DeLong.\n\n",
	       R, CL_PATIENTS[0], CL_PATIENTS[1], CL_PATIENTS[2], s->prevalence,
	       npos_of(s, CL_PATIENTS[0]), npos_of(s, CL_PATIENTS[1]), npos_of(s, CL_PATIENTS[2]),
	       CL_MU, t.value[0], t.value[1], t.value[2], s->threshold, s->cluster_bootstrap);
	printf("Design effect: the variance of the estimate over the data sets against its "
	       "variance were the images independent (binomial for TPR and FPR, the "
	       "Mann-Whitney variance for AUC). \"Exact\" is 1 + (m − 1)·corr, corr the "
	       "correlation of two decisions of one patient, integrated numerically; an "
	       "empirical value has a Monte-Carlo error of about ±%.0f%%.\n\n",
	       100 * sqrt(2.0 / (double)R));
	printf("| images per patient | tau | image correlation | patients (pos) | TPR exact / "
	       "empirical | FPR exact / empirical | AUC empirical |\n"
	       "|---|---|---|---|---|---|---|\n");
	for (sc = 0; sc < CL_NSCEN; sc++)
		for (g = 0; g < CL_NP; g++) {
			const cl_cell *x = &cell[sc][g];
			double v[NMET];
			for (j = 0; j < NMET; j++) {
				double sd = mean_sd(&x->est[j]),
				       se = truth_se(&t, j, x->npos, x->nneg);
				v[j] = sd * sd / (se * se);
			}
			printf("| %zu | %.1f | %.2f | %zu (%zu) | %.2f / %.2f | %.2f / %.2f | %.2f "
			       "|\n",
			       CL_SCEN[sc].m, CL_SCEN[sc].tau, icc(CL_SCEN[sc].tau), CL_PATIENTS[g],
			       npos_of(s, CL_PATIENTS[g]), deff[sc][0], v[1], deff[sc][1], v[2],
			       v[0]);
		}
	for (j = 0; j < NMET; j++) {
		printf(
		    "\n%s: coverage %% ± MCSE of the 95%% intervals, and their mean width over "
		    "2 × %.2f × the SD of the estimate over the data sets (row-level / cluster / "
		    "%s / %s).\n\n",
		    MET_NAME[j], g_zq, j ? "Wilson" : "DeLong",
		    j ? "clustered Wilson" : "Obuchowski");
		printf("| images per patient | tau | patients (pos) | row-level percentile | "
		       "cluster percentile | %s | %s | width / true width |\n"
		       "|---|---|---|---|---|---|---|---|\n",
		       j ? "Wilson" : "DeLong", j ? "clustered Wilson" : "Obuchowski");
		for (sc = 0; sc < CL_NSCEN; sc++)
			for (g = 0; g < CL_NP; g++) {
				const cl_cell *x = &cell[sc][g];
				double sd = mean_sd(&x->est[j]);
				char w[4][16];
				const double ws[4] = {tally_width(&x->row[j]) / sd,
						      tally_width(&x->clu[j]) / sd,
						      tally_width(&x->ana[j]) / sd,
						      tally_width(&x->cana[j]) / sd};
				int q;
				/* an interval no audit gave (a partial audit's
				 * clustered analytic ones) has no width */
				for (q = 0; q < 4; q++) {
					if (isnan(ws[q]))
						snprintf(w[q], sizeof(w[q]), "–");
					else
						snprintf(w[q], sizeof(w[q]), "%.2f", ws[q]);
				}
				printf("| %zu | %.1f | %zu (%zu) | %s | %s | %s | %s | %s / %s / %s / %s |\n",
				       CL_SCEN[sc].m, CL_SCEN[sc].tau, CL_PATIENTS[g],
				       npos_of(s, CL_PATIENTS[g]), fmt_cov(b[0], &x->row[j]),
				       fmt_cov(b[1], &x->clu[j]), fmt_cov(b[2], &x->ana[j]),
				       fmt_cov(b[3], &x->cana[j]), w[0], w[1], w[2], w[3]);
			}
	}
	for (sc = 0; sc < CL_NSCEN; sc++)
		for (g = 0; g < CL_NP; g++)
			for (j = 0; j < NMET; j++) {
				const cl_cell *x = &cell[sc][g];
				size_t u = x->row[j].undef + x->clu[j].undef + x->ana[j].undef +
				           x->cana[j].undef;
				if (u)
					printf("\nNote: %zu undefined %s intervals (m = %zu, "
					       "tau = %.1f, %zu patients) were left out.\n",
					       u, MET_NAME[j], CL_SCEN[sc].m, CL_SCEN[sc].tau,
					       CL_PATIENTS[g]);
			}
	printf("\nTests of equal groups: the three groups share every truth, so every "
	       "rejection is a false one. %% of data sets with p < 0.05 (MCSE about %.1f for a "
	       "test at its level, %.1f for the differences, which pool groups p%zu and p%zu "
	       "against p%zu), row-level audit / cluster audit: the chi-square test of "
	       "homogeneity of TPR and FPR (Pearson / Rao-Scott), the tests of the TPR "
	       "difference (two-proportion chi-square / Rao-Scott) and the AUC difference "
	       "(DeLong / Obuchowski) to the reference, and the permutation tests of the TPR and "
	       "AUC gaps (%zu permutations; images / patients permuted).\n\n",
	       100 * sqrt(0.05 * 0.95 / (double)R), 100 * sqrt(0.05 * 0.95 / (2.0 * (double)R)),
	       CL_PATIENTS[0], CL_PATIENTS[1], CL_PATIENTS[2], s->cluster_permutations);
	printf("| images per patient | tau | chi-square TPR | chi-square FPR | TPR difference | "
	       "AUC difference | permutation TPR gap | permutation AUC gap |\n"
	       "|---|---|---|---|---|---|---|---|\n");
	for (sc = 0; sc < CL_NSCEN; sc++) {
		printf("| %zu | %.1f |", CL_SCEN[sc].m, CL_SCEN[sc].tau);
		for (j = 0; j < CT_N; j++)
			printf(" %s / %s |", fmt_rej(b[0], &rej[sc][0][j]),
			       fmt_rej(b[1], &rej[sc][1][j]));
		printf("\n");
	}
	printf("\n");
	free(rej);
	free(cell);
}

/* ---- power: flagging a true TPR gap ------------------------------------- */

#define PW_NLEV 2
#define PW_NSIZE 5
/* TPR of the two groups; both have FPR = 1 - Phi(c) */
static const double PW_TPR[PW_NLEV][2] = {{0.80, 0.90}, {0.60, 0.70}};
static const size_t PW_NPOS[PW_NSIZE] = {50, 100, 200, 400, 1000};
#define PW_NGATES 2
static const char *const PW_GATES[PW_NGATES] = {"grp:tpr_gap<=0", "grp:tpr_gap<=0.05"};

/* The power of the two-sided two-sample test of proportions at level
 * alpha with n per group, from the normal approximation with the pooled
 * variance under the null, counting the rejection tail on the side of the
 * difference only: R's power.prop.test (strict = FALSE, its default), and
 * the convention of power.h. */
static double prop_test_power(double p1, double p2, double n, double alpha)
{
	double qu = gsl_cdf_ugaussian_Qinv(alpha / 2), d = fabs(p1 - p2);
	double v0 = sqrt((p1 + p2) * (2 - p1 - p2) / 2), v1 = sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	return gsl_cdf_ugaussian_P((sqrt(n) * d - qu * v0) / v1);
}

/* What one two-group data set gave. */
typedef struct pw_slot {
	fa_gate_outcome gate[PW_NGATES];
	fa_estimate gap, sim;
	double chisq_p, perm_p;
	size_t ties;
} pw_slot;

typedef struct pw_ctx {
	const settings *s;
	double c;
	size_t level, npos;
	unsigned section;
	fa_gate *const *gates;
	pw_slot *slots;
} pw_ctx;

static void power_one(void *arg, size_t d)
{
	const pw_ctx *C = arg;
	const settings *s = C->s;
	pw_slot *x = &C->slots[d];
	run_opts ro = {0, 0, 0, 0, 1};
	fa_buf csv = FA_BUF_INIT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	fa_result *r;
	const fa_gap *gp;
	fa_error err;
	size_t g, i;

	ro.bootstrap = s->power_bootstrap;
	ro.permutations = s->power_permutations;
	gsl_rng_set(rng, (unsigned long)(stream_seed(s, C->section, d, 1) & 0xffffffffu));
	fa_buf_puts(&csv, "label,score,grp\n");
	for (g = 0; g < 2; g++) {
		/* TPR = 1 - Phi(c - mu) */
		double mu = C->c + gsl_cdf_ugaussian_Pinv(PW_TPR[C->level][g]);
		for (i = 0; i < 2 * C->npos; i++) {
			int y = i < C->npos;
			double xv = gsl_ran_gaussian(rng, 1.0) + (y ? mu : 0.0);
			fa_buf_printf(&csv, "%d,%.17g,%c\n", y, 1.0 / (1.0 + exp(-xv)), "ab"[g]);
		}
	}
	gsl_rng_free(rng);
	x->ties = 0;
	r = audit_text(s, &csv, 0, "b", stream_seed(s, C->section, d, 2), &ro, &x->ties);
	fa_buf_free(&csv);
	/* the release gates' own rule, not a copy of it */
	if (fa_gates_evaluate(r, C->gates, PW_NGATES, FA_GATE_ON_CI_VIOLATION, &err) < 0) {
		fprintf(stderr, "coverage: %s\n", err.message);
		exit(4);
	}
	for (i = 0; i < PW_NGATES; i++)
		x->gate[i] = r->gates[i].outcome;
	gp = &r->attrs[0].gaps[FA_M_TPR];
	x->gap = gp->gap;
	x->sim = gp->gap_simultaneous;
	x->chisq_p = gp->chisq_p;
	x->perm_p = gp->perm_p;
	fa_result_free(r);
}

typedef struct pw_cell {
	size_t n, fail[PW_NGATES], inconclusive[PW_NGATES];
	size_t chisq_n, chisq_rej, perm_n, perm_rej;
	mean_acc gap, slo;
} pw_cell;

static int section_power(const settings *s, double c)
{
	/* power.prop.test(n = N, p1 = P1, p2 = P2)$power in R 4.2 */
	static const struct {
		double p1, p2, n, power;
	} rcheck[] = {{0.8, 0.9, 50, 0.285951},
	              {0.8, 0.9, 100, 0.508191},
	              {0.6, 0.7, 200, 0.554628},
	              {0.6, 0.7, 400, 0.843896}};
	pw_cell cell[PW_NLEV][PW_NSIZE];
	fa_gate *gates[PW_NGATES];
	pw_slot *slots = fa_xmalloc(s->power_datasets * sizeof(pw_slot));
	size_t l, k, d, i, R = s->power_datasets;
	int bad;
	char b[3][40];
	double maxdiff = 0, libdiff = 0;
	fa_error err;
	pool P;

	memset(cell, 0, sizeof(cell));
	for (i = 0; i < PW_NGATES; i++)
		if (fa_gate_parse(&gates[i], PW_GATES[i], &err) < 0) {
			fprintf(stderr, "coverage: %s\n", err.message);
			exit(4);
		}
	for (i = 0; i < sizeof(rcheck) / sizeof(rcheck[0]); i++)
		maxdiff = fmax(
		    maxdiff, fabs(prop_test_power(rcheck[i].p1, rcheck[i].p2, rcheck[i].n, ALPHA) -
		                  rcheck[i].power));
	/* the engine's own function, behind `fairaudit power` and the
	 * minimum detectable differences, should agree exactly */
	for (l = 0; l < PW_NLEV; l++)
		for (k = 0; k < PW_NSIZE; k++) {
			double n = (double)PW_NPOS[k];
			libdiff = fmax(libdiff,
			               fabs(fa_power_prop(PW_TPR[l][1], n, PW_TPR[l][0], n, ALPHA) -
			                    prop_test_power(PW_TPR[l][0], PW_TPR[l][1], n, ALPHA)));
		}
	/* R's values are rounded to 6 decimals */
	bad = maxdiff > 5.1e-7 || !(libdiff < 1e-12);
	memset(&P, 0, sizeof(P));
	P.run = power_one;
	P.R = R;
	P.what = "power";
	P.total = PW_NLEV * PW_NSIZE * R;
	P.t0 = now();
	for (k = 0; k < PW_NSIZE; k++)
		P.work_total += (double)(PW_NLEV * R * 4 * PW_NPOS[k]);
	for (l = 0; l < PW_NLEV; l++)
		for (k = 0; k < PW_NSIZE; k++) {
			pw_ctx C;
			pw_cell *x = &cell[l][k];
			C.s = s;
			C.c = c;
			C.level = l;
			C.npos = PW_NPOS[k];
			C.section = 50 + (unsigned)(PW_NSIZE * l + k);
			C.gates = gates;
			C.slots = slots;
			P.ctx = &C;
			P.work_each = (double)(4 * PW_NPOS[k]);
			pool_run(s, &P);
			P.done_before += R;
			P.work_before += P.work_each * (double)R;
			for (d = 0; d < R; d++) {
				const pw_slot *y = &slots[d];
				g_ties += y->ties;
				x->n++;
				for (i = 0; i < PW_NGATES; i++) {
					x->fail[i] += y->gate[i] == FA_GATE_FAIL;
					x->inconclusive[i] += y->gate[i] == FA_GATE_INCONCLUSIVE;
				}
				mean_add(&x->gap, y->gap.value);
				if (y->sim.has_ci)
					mean_add(&x->slo, y->sim.ci_low);
				if (!isnan(y->chisq_p)) {
					x->chisq_n++;
					x->chisq_rej += y->chisq_p < ALPHA;
				}
				if (!isnan(y->perm_p)) {
					x->perm_n++;
					x->perm_rej += y->perm_p < ALPHA;
				}
			}
		}
	for (i = 0; i < PW_NGATES; i++)
		fa_gate_free(gates[i]);
	free(slots);

	printf("## Power to flag a true TPR gap of 0.1\n\n");
	printf("%zu data sets per row. Two groups with TPR %.2f and %.2f (or %.2f and %.2f), "
	       "both with FPR %.4f, and as many negatives as positives: a positive's logit is "
	       "N(c + Φ⁻¹(TPR), 1), a negative's N(0, 1), c = logit(%.2f). Stratified "
	       "bootstrap with %zu replicates; permutation test with %zu permutations. A data "
	       "set is flagged by the gate `%s` (or `%s`) with `--gate-on ci-violation`, "
	       "judged by fa_gates_evaluate: it fails when the lower end of the simultaneous "
	       "interval of the gap (for two groups, the percentile interval of the "
	       "difference, folded to |difference|) lies above the limit; by the chi-square "
	       "test of homogeneity of TPR at p < %.2f (unadjusted); by the permutation test of "
	       "the TPR gap at p < %.2f. \"Analytic\" is the power of the two-sided two-sample "
	       "test of proportions at level %.2f from the normal approximation, as R's "
	       "`power.prop.test` computes it (it matches R to %.0e at four points, and the "
	       "engine's fa_power_prop to %.0e).\n\n",
	       R, PW_TPR[0][0], PW_TPR[0][1], PW_TPR[1][0], PW_TPR[1][1], gsl_cdf_ugaussian_Q(c),
	       s->threshold, s->power_bootstrap, s->power_permutations, PW_GATES[0], PW_GATES[1],
	       ALPHA, ALPHA, ALPHA, fmax(maxdiff, 1e-7), fmax(libdiff, 1e-16));
	printf("| TPR | positives per group | gate `tpr_gap<=0` fails %% | chi-square p < 0.05 %% "
	       "| permutation p < 0.05 %% | analytic power %% | gate `tpr_gap<=0.05` fails %% | "
	       "mean gap | mean lower end |\n|---|---|---|---|---|---|---|---|---|\n");
	for (l = 0; l < PW_NLEV; l++)
		for (k = 0; k < PW_NSIZE; k++) {
			const pw_cell *x = &cell[l][k];
			printf(
			    "| %.2f vs %.2f | %zu | %s | %s | %s | %.1f | %.1f | %.4f | %.4f |\n",
			    PW_TPR[l][0], PW_TPR[l][1], PW_NPOS[k],
			    fmt_rate(b[0], x->fail[0], x->n),
			    fmt_rate(b[1], x->chisq_rej, x->chisq_n),
			    fmt_rate(b[2], x->perm_rej, x->perm_n),
			    100 * prop_test_power(PW_TPR[l][0], PW_TPR[l][1], (double)PW_NPOS[k],
			                          ALPHA),
			    pct(x->fail[1], x->n), mean_of(&x->gap), mean_of(&x->slo));
		}
	for (l = 0; l < PW_NLEV; l++)
		for (k = 0; k < PW_NSIZE; k++)
			for (i = 0; i < PW_NGATES; i++)
				if (cell[l][k].inconclusive[i])
					printf("\nNote: `%s` was inconclusive in %zu data sets "
					       "(TPR %.2f vs %.2f, %zu positives).\n",
					       PW_GATES[i], cell[l][k].inconclusive[i],
					       PW_TPR[l][0], PW_TPR[l][1], PW_NPOS[k]);
	if (bad)
		printf("\nThe analytic power differs from R's power.prop.test by %.1e and from "
		       "fa_power_prop by %.1e: FAILED.\n",
		       maxdiff, libdiff);
	printf("\n");
	return bad;
}

/* ---- main --------------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: fa_coverage [--datasets R] [--bca-datasets R] [--ceiling-datasets R]\n"
	      "                   [--gap-datasets R] [--bootstrap B] [--permutations P]\n"
	      "                   [--seed S] [--threads T] [--check-n N]\n"
	      "                   [--counts fixed|binomial] [--scheme stratified|poisson|partial]\n"
	      "                   [--cluster-datasets R] [--cluster-bootstrap B]\n"
	      "                   [--cluster-permutations B]\n"
	      "                   [--power-datasets R] [--power-bootstrap B]\n"
	      "                   [--power-permutations P]\n"
	      "                   [--only check,coverage,bca,ceiling,gap,cluster,power]\n",
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
	settings s;
	paired pc;
	double c, t0 = now();
	int i, bad = 0;

	memset(&s, 0, sizeof(s));
	s.datasets = 3000;
	s.bca_datasets = 1000;
	s.ceiling_datasets = 1000;
	s.gap_datasets = 600;
	s.cluster_datasets = 1000;
	s.cluster_bootstrap = 500;
	s.cluster_permutations = 200;
	s.power_datasets = 1000;
	s.power_bootstrap = 500;
	s.power_permutations = 500;
	s.check_n = 100000;
	s.bootstrap = 2000;
	s.permutations = 1000;
	s.threshold = 0.7;
	s.prevalence = 0.3;
	s.ci_level = 0.95;
	s.seed = 1;
	s.scheme = FA_BOOT_STRATIFIED;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (strcmp(a, "--datasets") == 0)
			s.datasets = parse_size(v);
		else if (strcmp(a, "--bca-datasets") == 0)
			s.bca_datasets = parse_size(v);
		else if (strcmp(a, "--ceiling-datasets") == 0)
			s.ceiling_datasets = parse_size(v);
		else if (strcmp(a, "--gap-datasets") == 0)
			s.gap_datasets = parse_size(v);
		else if (strcmp(a, "--cluster-datasets") == 0)
			s.cluster_datasets = parse_size(v);
		else if (strcmp(a, "--cluster-bootstrap") == 0)
			s.cluster_bootstrap = parse_size(v);
		else if (strcmp(a, "--cluster-permutations") == 0)
			s.cluster_permutations = parse_size(v);
		else if (strcmp(a, "--power-datasets") == 0)
			s.power_datasets = parse_size(v);
		else if (strcmp(a, "--power-bootstrap") == 0)
			s.power_bootstrap = parse_size(v);
		else if (strcmp(a, "--power-permutations") == 0)
			s.power_permutations = parse_size(v);
		else if (strcmp(a, "--bootstrap") == 0)
			s.bootstrap = parse_size(v);
		else if (strcmp(a, "--permutations") == 0)
			s.permutations = parse_size(v);
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
		else if (strcmp(a, "--scheme") == 0 && strcmp(v, "partial") == 0)
			s.scheme = FA_BOOT_POISSON, s.partial = 1;
		else if (strcmp(a, "--only") == 0)
			s.only = v;
		else
			usage();
		i++;
	}
	if (s.datasets < 2 || s.bca_datasets < 2 || s.ceiling_datasets < 2 || s.gap_datasets < 2 ||
	    s.cluster_datasets < 2 || s.power_datasets < 2)
		usage();
	if (s.bca_datasets > s.datasets)
		s.bca_datasets = s.datasets;
	gsl_set_error_handler_off();
	g_ws = gsl_integration_workspace_alloc(1000);
	g_zq = gsl_cdf_ugaussian_Pinv(0.5 + s.ci_level / 2);
	c = log(s.threshold / (1 - s.threshold));
	memset(&pc, 0, sizeof(pc));

	printf("# fairaudit bootstrap coverage and gap-bias study\n\n");
	printf("Binormal scores on the logit scale: negatives N(0,1), positives N(mu,1); "
	       "threshold %.2f on the probability scale (logit %.4f); prevalence %.2f with "
	       "%s class counts per group; %s bootstrap, %zu replicates, %.0f%% "
	       "intervals; seed %lu. fairaudit %s.\n\n",
	       s.threshold, c, s.prevalence,
	       s.binomial_counts ? "binomial (the pos/neg columns and the expected gaps "
	                           "below assume round(0.3 n) positives)"
	                         : "fixed (round(0.3 n) positives)",
	       s.partial ? "Poisson, binned (partial audit)"
	       : s.scheme == FA_BOOT_POISSON ? "Poisson" : "stratified", s.bootstrap,
	       100 * s.ci_level, s.seed, FA_VERSION_STRING);
	if (wanted(&s, "check"))
		bad |= section_check(&s, c);
	fflush(stdout);
	if (wanted(&s, "coverage"))
		section_coverage(&s, c, &pc);
	fflush(stdout);
	if (wanted(&s, "bca"))
		section_bca(&s, c, &pc);
	fflush(stdout);
	if (wanted(&s, "ceiling"))
		section_ceiling(&s, c);
	fflush(stdout);
	if (wanted(&s, "gap"))
		section_gap(&s, c);
	fflush(stdout);
	if (wanted(&s, "cluster"))
		section_cluster(&s, c);
	fflush(stdout);
	if (wanted(&s, "power"))
		bad |= section_power(&s, c);
	if (g_wilson_checked + g_wilson_missing && (g_wilson_maxdiff > 1e-12 || g_wilson_missing)) {
		printf("Engine Wilson intervals differ from the formula here by up to %.1e "
		       "(%zu missing): FAILED.\n\n",
		       g_wilson_maxdiff, g_wilson_missing);
		bad = 1;
	}
	printf("Tied scores over all simulated data sets: %zu. Run time %.0f s.\n", g_ties,
	       now() - t0);
	gsl_integration_workspace_free(g_ws);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "coverage: error writing standard output\n");
		return 4;
	}
	return bad ? 1 : 0;
}
