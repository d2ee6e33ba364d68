/*
 * test_cluster_inference.c: the analytic intervals and tests with
 * --cluster (docs/analytic.md, "Clustered records").
 *
 * The hand-worked cases below give their arithmetic in the comments; the
 * quantiles are R's (qt(0.975, 3) = 3.182446305284263, qt(0.975, 1) =
 * 12.706204736432095, qnorm(0.975) = 1.959963984540054). The r_* tables
 * were printed by
 *
 *   /usr/bin/python3 tests/reference/cluster_reference.py
 *
 * run from the repository root (numpy 1.24.2, scipy 1.10.1): an
 * independent implementation of the same formulas, Obuchowski's AUC
 * variance summed over every pair of records, for the clustered audit in
 * tests/data/cluster_audit.csv (which the script wrote with --write).
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdint.h>
#include <stdlib.h>

/* |got - want| <= tol max(1, |want|) */
#define CHECK_REL(got, want, tol) CHECK_NEAR((got), (want), (tol)*fmax(1, fabs(want)))
/* What rests on Student's t quantile is checked to 1e-9, as the DeLong
 * tests of test_analytic.c: GSL's gsl_cdf_tdist_Pinv is off from R's and
 * scipy's qt by up to 1e-9 relative at 5 to 7 degrees of freedom
 * (2.4469118511449683 against 2.4469118487916806 at 6). */
#define TOL_T 1e-9

/* printed by tests/reference/cluster_reference.py */
static const struct {
	const char *group;
	double tpr[2], fpr[2], ppv[2], sel[2], auc[2], auc_var;
} r_groups[] = {
    {"a",
     {0.34287807112670393, 0.86129264820648688},
     {0.24356334136911176, 0.73187662398106612},
     {0.16785754123371105, 0.6408917641424805},
     {0.33945990923781272, 0.71763585706833144},
     {0.48557856691204065, 0.85082696304187633},
     0.008682013598372491},
    {"b",
     {0.35011513103212927, 0.8813030074054462},
     {0.21106514176302232, 0.68452581671068646},
     {0.23864934060364168, 0.64215611178571264},
     {0.29184375951539571, 0.7229578873335718},
     {0.64087368974515768, 0.87864582977436179},
     0.0036793047389644933},
    {"c",
     {0.22599319232891679, 0.82337416324729296},
     {0.059456553645928056, 0.73307386842121403},
     {0.19120198373493197, 0.89236826031087868},
     {0.1637326919428706, 0.69419025839725501},
     {0.5649571612300196, 0.93730528220889442},
     0.0090228172204802511},
};
/* differences to the reference b: tpr Newcombe, tpr Rao-Scott p, auc p and interval */
static const struct {
	const char *group;
	double tpr[2], tpr_p, auc_p, auc[2];
} r_diffs[] = {
    {"a",
     {-0.39266749409346557, 0.36079279639903544},
     0.90098390520133764,
     0.41862414292553762,
     {-0.32145954269935684, 0.13834555313375443}},
    {"c",
     {-0.50728984973923241, 0.29768227296434985},
     0.54672477618363269,
     0.94000597062733782,
     {-0.24927249350375197, 0.23201541742314652}},
};
/* tpr over a, b, c: Rao-Scott X^2, p, mean deff */
static const double r_chisq_tpr[3] = {0.43541045164310144, 0.80436251202239017, 1.2967757110614253};
/* fpr over a, b, c: Rao-Scott X^2, p, mean deff */
static const double r_chisq_fpr[3] = {0.6621569130376328, 0.71814882337358288, 2.4773924181704068};
/* leakage of group a among positives: AUC, interval */
static const double r_leak_a1[3] = {0.4447004608294931, 0.25207663534366787, 0.63732428631531834};

/* ---- proportions over clusters ------------------------------------------ */

/* Four clusters, (x, n) = (2, 3), (0, 2), (3, 3), (1, 4): p = 6/12 = 0.5.
 * Residuals x - p n: 0.5, -1, 1.5, -1; squares sum to 4.5.
 * v = 4/3 * 4.5 / 144 = 1/24; binomial p(1-p)/n = 1/48; deff = 2;
 * n_eff = 6; df = 3. Wilson with t = qt(0.975, 3) at m = 6, p = 0.5:
 * centre 0.5, half = t sqrt(0.25/6 + t^2/144) / (1 + t^2/6) = 0.39622...,
 * so [0.1037755146148086, 0.8962244853851914]. An empty cluster changes
 * nothing. */
static void test_cluster_inference__wilson_hand(void)
{
	static const size_t x[] = {2, 0, 0, 3, 1}, n[] = {3, 0, 2, 3, 4};
	static const size_t x4[] = {2, 0, 3, 1}, n4[] = {3, 2, 3, 4};
	fa_cluster_prop r;
	fa_error err;

	CHECK_INT(fa_cluster_wilson(&r, x, n, 5, 0.95, &err), 0);
	CHECK_NEAR(r.estimate, 0.5, 0);
	CHECK_INT(r.n, 12);
	CHECK_INT(r.clusters, 4);
	CHECK_NEAR(r.var, 1.0 / 24, 1e-15);
	CHECK_NEAR(r.deff, 2, 1e-13);
	CHECK_NEAR(r.n_eff, 6, 1e-13);
	CHECK_NEAR(r.df, 3, 0);
	CHECK_NEAR(r.low, 0.1037755146148086, 1e-12);
	CHECK_NEAR(r.high, 0.8962244853851914, 1e-12);
	CHECK_INT(fa_cluster_wilson(&r, x4, n4, 4, 0.95, &err), 0);
	CHECK_NEAR(r.low, 0.1037755146148086, 1e-12);
}

/* Every cluster exactly at p (1 of 2 each): v = 0, deff 0 is taken as 1,
 * n_eff = 8: Wilson with t = qt(0.975, 3) at 8, p = 0.5 gives
 * [0.12627119829333833, 0.8737288017066617]. */
static void test_cluster_inference__wilson_deff_below_one(void)
{
	static const size_t x[] = {1, 1, 1, 1}, n[] = {2, 2, 2, 2};
	fa_cluster_prop r;

	CHECK_INT(fa_cluster_wilson(&r, x, n, 4, 0.95, NULL), 0);
	CHECK_NEAR(r.var, 0, 1e-18);
	CHECK_NEAR(r.deff, 1, 0);
	CHECK_NEAR(r.n_eff, 8, 0);
	CHECK_NEAR(r.low, 0.12627119829333833, 1e-12);
	CHECK_NEAR(r.high, 0.8737288017066617, 1e-12);
}

/* p = 0 over (0, 3), (0, 1): the design effect cannot be measured and
 * takes its worst case n / k = 2, n_eff = 2; df = 1, t = 12.7062...:
 * low exactly 0, high = t^2 / (2 + t^2) = 0.9877636653876858. One cluster:
 * no interval, deff n / 1. */
static void test_cluster_inference__wilson_edges(void)
{
	static const size_t x0[] = {0, 0}, n0[] = {3, 1}, x1[] = {3, 1}, one_x[] = {2},
	                    one_n[] = {5}, bad_x[] = {1, 3}, bad_n[] = {2, 2}, none[] = {0, 0};
	fa_cluster_prop r;
	fa_error err;

	CHECK_INT(fa_cluster_wilson(&r, x0, n0, 2, 0.95, &err), 0);
	CHECK_NEAR(r.deff, 2, 0);
	CHECK_NEAR(r.n_eff, 2, 0);
	CHECK_NEAR(r.low, 0, 0);
	CHECK_NEAR(r.high, 0.9877636653876858, 1e-12);
	CHECK_INT(fa_cluster_wilson(&r, x1, n0, 2, 0.95, &err), 0);
	CHECK_NEAR(r.high, 1, 0);
	CHECK_NEAR(r.low, 1 - 0.9877636653876858, 1e-12);

	CHECK_INT(fa_cluster_wilson(&r, one_x, one_n, 1, 0.95, &err), FA_EINPUT);
	CHECK_STR(err.message,
	          "a proportion over clusters needs records in at least 2 clusters, got 1");
	CHECK_NEAR(r.estimate, 0.4, 1e-15);
	CHECK_NEAR(r.deff, 5, 0);
	CHECK_NEAR(r.n_eff, 1, 0);
	CHECK_NAN(r.low);
	CHECK_NAN(r.high);
	CHECK_NAN(r.var);

	CHECK_INT(fa_cluster_wilson(&r, bad_x, bad_n, 2, 0.95, &err), FA_EINPUT);
	CHECK_STR(err.message, "count 3 exceeds its total 2 in cluster 2");
	CHECK_INT(fa_cluster_wilson(&r, none, none, 2, 0.95, &err), FA_EINPUT);
	CHECK_INT(fa_cluster_wilson(&r, x0, n0, 2, 1.5, &err), FA_EUSAGE);
}

/* fa_newcombe_hybrid from two Wilson intervals is fa_newcombe_interval:
 * Newcombe (1998b) 56/70 - 48/80 -> 0.0524 to 0.3339. */
static void test_cluster_inference__newcombe_hybrid(void)
{
	fa_interval a, b, h, ref;
	CHECK_INT(fa_wilson_interval(&a, 56, 70, 0.95, NULL), 0);
	CHECK_INT(fa_wilson_interval(&b, 48, 80, 0.95, NULL), 0);
	CHECK_INT(fa_newcombe_interval(&ref, 56, 70, 48, 80, 0.95, NULL), 0);
	fa_newcombe_hybrid(&h, &a, &b);
	CHECK_NEAR(h.estimate, 0.2, 1e-15);
	CHECK_NEAR(h.low, ref.low, 0);
	CHECK_NEAR(h.high, ref.high, 0);
	CHECK_NEAR(h.low, 0.0524, 5e-5);
	CHECK_NEAR(h.high, 0.3339, 5e-5);
	b.low = NAN;
	fa_newcombe_hybrid(&h, &a, &b);
	CHECK_NAN(h.low);
	CHECK_NAN(h.high);
}

/* 30/60 and 45/60: X^2 = 120 (30*15 - 30*45)^2 / (60 * 60 * 75 * 45) = 8.
 * Design effects 2 and 1.5: mean deff = (1 - 1/2) 2 + (1 - 1/2) 1.5 = 1.75,
 * so X^2 = 8 / 1.75 = 4.571428..., p = erfc(sqrt(X^2 / 2)) (chi-square on
 * 1 df). Expected successes 37.5 and failures 22.5 per group; at the
 * effective sizes 22.5 / 2 = 11.25 is the smallest. */
static void test_cluster_inference__rao_scott_hand(void)
{
	static const size_t x[] = {30, 45}, n[] = {60, 60};
	static const double d[] = {2, 1.5}, ones[] = {1, 1}, bad[] = {2, 0};
	fa_chisq r, plain;
	double dm;
	fa_error err;

	CHECK_INT(fa_chisq_rao_scott(&r, &dm, x, n, d, 2, &err), 0);
	CHECK_NEAR(dm, 1.75, 1e-15);
	CHECK_NEAR(r.statistic, 8 / 1.75, 1e-12);
	CHECK_INT(r.df, 1);
	CHECK_NEAR(r.p_value, erfc(sqrt(8 / 1.75 / 2)), 1e-12);
	CHECK_NEAR(r.min_expected, 11.25, 1e-12);
	CHECK_INT(r.low_expected, 0);
	/* no clustering: Pearson's test */
	CHECK_INT(fa_chisq_rao_scott(&r, &dm, x, n, ones, 2, &err), 0);
	CHECK_INT(fa_chisq_homogeneity(&plain, x, n, 2, &err), 0);
	CHECK_NEAR(r.statistic, plain.statistic, 1e-12);
	CHECK_NEAR(r.statistic, 8, 1e-12);
	CHECK_NEAR(r.p_value, plain.p_value, 1e-15);
	CHECK_INT(fa_chisq_rao_scott(&r, NULL, x, n, bad, 2, &err), FA_EINPUT);
	CHECK_STR(err.message, "design effect 0 of proportion 2 is not a positive number");
	CHECK_INT(fa_chisq_rao_scott(&r, NULL, x, n, d, 1, &err), FA_EINPUT);
}

/* ---- Obuchowski ----------------------------------------------------------- */

/* Four patients. A: positive 0.8, negative 0.3; B: positives 0.6, 0.9;
 * C: negatives 0.5, 0.6; D: positive 0.4, negative 0.2. M = N = 4.
 * V10 of the positives (against 0.3, 0.5, 0.6, 0.2): 0.8 -> 4/4, 0.6 ->
 * 3.5/4 (ties 0.6), 0.9 -> 1, 0.4 -> 2/4; AUC = 13.5 / 16 = 0.84375.
 * V01 of the negatives (against 0.8, 0.6, 0.9, 0.4): 0.3 -> 1, 0.5 -> 0.75,
 * 0.6 -> 2.5/4, 0.2 -> 1.
 * Per cluster (m, n, V10, V01): A (1, 1, 1, 1), B (2, 0, 1.875, 0),
 * C (0, 2, 0, 1.375), D (1, 1, 0.5, 1).
 * d10 = V10 - m AUC: 0.15625, 0.1875, 0, -0.34375;
 * d01 = V01 - n AUC: 0.15625, 0, -0.3125, 0.15625.
 * I = 4, I10 = 3, I01 = 3.
 * S10 = 3 / (2 * 4) * 0.177734375 = 0.066650390625
 * S01 = 3 / (2 * 4) * 0.146484375 = 0.054931640625
 * S11 = 4 / 3 * (0.0244140625 - 0.0537109375) = -0.0390625
 * var = S10/4 + S01/4 + 2 S11/16 = 0.0255126953125, se 0.159726939845788;
 * interval 0.84375 -+ 1.959964 se = [0.5306909505414596, 1 (clipped)].
 * DeLong, which ignores the patients, gives 0.16796875/3/4 +
 * 0.10546875/3/4 = 0.022786458333... */
static void test_cluster_inference__obuchowski_hand(void)
{
	/* listed out of score order, to take the sorting path */
	static const double s[] = {0.8, 0.3, 0.6, 0.9, 0.5, 0.6, 0.4, 0.2};
	static const uint8_t y[] = {1, 0, 1, 1, 0, 0, 1, 0};
	static const uint32_t c[] = {0, 0, 1, 1, 2, 2, 3, 3};
	fa_obuchowski r;
	fa_delong d;
	fa_error err;

	CHECK_INT(fa_obuchowski_compute(&r, s, y, c, 8, 4, 0.95, &err), 0);
	CHECK_NEAR(r.auc.auc, 0.84375, 0);
	CHECK_INT(r.auc.n_pos, 4);
	CHECK_INT(r.auc.n_neg, 4);
	CHECK_INT(r.clusters, 4);
	CHECK_INT(r.pos_clusters, 3);
	CHECK_INT(r.neg_clusters, 3);
	CHECK_NEAR(r.s10, 0.066650390625, 1e-15);
	CHECK_NEAR(r.s01, 0.054931640625, 1e-15);
	CHECK_NEAR(r.s11, -0.0390625, 1e-15);
	CHECK_NEAR(r.auc.var, 0.0255126953125, 1e-15);
	CHECK_NEAR(r.auc.ci_low, 0.5306909505414596, 1e-12);
	CHECK_NEAR(r.auc.ci_high, 1, 0);
	CHECK_INT(fa_delong_compute(&d, s, y, 8, 0.95, &err), 0);
	CHECK_NEAR(d.var, 0.16796875 / 12 + 0.10546875 / 12, 1e-15);
}

static void test_cluster_inference__obuchowski_undefined(void)
{
	static const double s[] = {0.8, 0.3, 0.6, 0.9};
	static const uint8_t y[] = {1, 0, 1, 0}, none[] = {1, 1, 1, 1};
	static const uint32_t two[] = {0, 0, 1, 1}, one_neg[] = {0, 1, 1, 1}, big[] = {0, 5, 1, 1};
	fa_obuchowski r;
	fa_error err;

	/* negatives in cluster 1 only: AUC defined, variance not */
	CHECK_INT(fa_obuchowski_compute(&r, s, y, one_neg, 4, 2, 0.95, &err), FA_EINPUT);
	CHECK_STR(err.message, "Obuchowski variance needs positive records in at least 2 clusters "
	                       "and negative records in at least 2, got 2 and 1");
	CHECK_NEAR(r.auc.auc, 0.5, 0); /* 0.8 and 0.6 beat 0.3, not 0.9 */
	CHECK_NAN(r.auc.var);
	CHECK_NAN(r.auc.ci_low);
	CHECK_INT(fa_obuchowski_compute(&r, s, y, two, 4, 2, 0.95, &err), 0);
	CHECK_INT(fa_obuchowski_compute(&r, s, none, two, 4, 2, 0.95, &err), FA_EINPUT);
	CHECK_NAN(r.auc.auc);
	CHECK_INT(fa_obuchowski_compute(&r, s, y, big, 4, 2, 0.95, &err), FA_EUSAGE);
}

/* One record per cluster: S11 = 0 and S10, S01 are DeLong's, so the
 * variance and interval equal fa_delong_compute()'s, whatever the
 * numbering of the clusters and the order of the records. */
static void test_cluster_inference__obuchowski_is_delong(void)
{
	enum { N = 301 };
	double s[N];
	uint8_t y[N];
	uint32_t c[N], lcg = 12345;
	size_t i, k;
	fa_obuchowski r;
	fa_delong d;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < N; i++) {
			lcg = lcg * 1103515245u + 12345u;
			y[i] = (lcg >> 16) % 3 == 0;
			lcg = lcg * 1103515245u + 12345u;
			/* 40 score levels: many ties, within and across classes */
			s[i] = (double)((lcg >> 16) % 40 + (y[i] ? 8 : 0)) / 50.0;
			c[i] = (uint32_t)((i * 10 + k * 3) % N); /* 10 is prime to 301 */
		}
		CHECK_INT(fa_obuchowski_compute(&r, s, y, c, N, N, 0.95, NULL), 0);
		CHECK_INT(fa_delong_compute(&d, s, y, N, 0.95, NULL), 0);
		CHECK_NEAR(r.auc.auc, d.auc, 0);
		CHECK_NEAR(r.s11, 0, 0);
		CHECK_REL(r.auc.var, d.var, 1e-12);
		CHECK_NEAR(r.auc.ci_low, d.ci_low, 1e-12);
		CHECK_NEAR(r.auc.ci_high, d.ci_high, 1e-12);
		CHECK(d.var > 0);
	}
}

/* ---- the engine ------------------------------------------------------------ */

static fa_result *audit_file(const char *path, const char *cluster, fa_ci_method method,
                             size_t permutations, const char *group)
{
	static const char *refs[] = {"grp=b"};
	const char *groups[1];
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	size_t len;
	char *text = test_read(path, &len);

	groups[0] = group;
	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.cluster_column = cluster;
	ao.groups = groups;
	ao.ngroups = 1;
	if (strcmp(group, "grp") == 0) {
		ao.references = refs;
		ao.nreferences = 1;
	}
	ao.bootstrap = 0;
	ao.ci_method = method;
	ao.permutations = permutations;
	ao.min_n = 1;
	ao.seed = 7;
	ao.cluster_column = cluster;
	if (fa_load_memory(&t, path, text, len, &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	fa_table_free(t);
	free(text);
	return r;
}

static const fa_group_result *group_of(const fa_result *r, const char *name)
{
	size_t g;
	for (g = 0; g < r->attrs[0].ngroups; g++)
		if (strcmp(r->attrs[0].groups[g].value, name) == 0)
			return &r->attrs[0].groups[g];
	test_fail(__FILE__, __LINE__, "no group %s", name);
	return NULL;
}

static void check_aci(const fa_estimate *e, const double want[2], double tol)
{
	CHECK(e->has_aci);
	CHECK_NEAR(e->aci_low, want[0], tol);
	CHECK_NEAR(e->aci_high, want[1], tol);
}

/* Every analytic interval and test of a clustered audit against the
 * independent implementation in tests/reference/cluster_reference.py. */
static void test_cluster_inference__audit_matches_reference(void)
{
	fa_result *r = audit_file("tests/data/cluster_audit.csv", "pid", FA_CI_ANALYTIC, 0, "grp");
	const fa_attr_result *A;
	size_t i;

	if (!r)
		return;
	A = &r->attrs[0];
	for (i = 0; i < 3; i++) {
		const fa_group_result *g = group_of(r, r_groups[i].group);
		if (!g)
			continue;
		check_aci(&g->metrics[FA_M_TPR], r_groups[i].tpr, TOL_T);
		check_aci(&g->metrics[FA_M_FPR], r_groups[i].fpr, TOL_T);
		check_aci(&g->metrics[FA_M_PPV], r_groups[i].ppv, TOL_T);
		check_aci(&g->metrics[FA_M_SELECTION_RATE], r_groups[i].sel, TOL_T);
		check_aci(&g->metrics[FA_M_AUC], r_groups[i].auc, 1e-12);
		/* no bootstrap interval: the analytic one is the interval */
		CHECK(!g->metrics[FA_M_TPR].has_ci);
	}
	for (i = 0; i < 2; i++) {
		const fa_group_result *g = group_of(r, r_diffs[i].group);
		if (!g)
			continue;
		check_aci(&g->diff[FA_M_TPR], r_diffs[i].tpr, TOL_T);
		CHECK_NEAR(g->diff[FA_M_TPR].p_value, r_diffs[i].tpr_p, 1e-12);
		check_aci(&g->diff[FA_M_AUC], r_diffs[i].auc, TOL_T);
		CHECK_NEAR(g->diff[FA_M_AUC].p_value, r_diffs[i].auc_p, TOL_T);
	}
	CHECK_NEAR(A->gaps[FA_M_TPR].chisq, r_chisq_tpr[0], 1e-12);
	CHECK_NEAR(A->gaps[FA_M_TPR].chisq_p, r_chisq_tpr[1], 1e-12);
	CHECK_NEAR(A->gaps[FA_M_FPR].chisq, r_chisq_fpr[0], 1e-12);
	CHECK_NEAR(A->gaps[FA_M_FPR].chisq_p, r_chisq_fpr[1], 1e-12);
	{
		const fa_group_result *g = group_of(r, "a");
		if (g) {
			CHECK_NEAR(g->leakage[1].value, r_leak_a1[0], 1e-15);
			CHECK(g->leakage[1].has_aci);
			CHECK_NEAR(g->leakage[1].aci_low, r_leak_a1[1], 1e-12);
			CHECK_NEAR(g->leakage[1].aci_high, r_leak_a1[2], 1e-12);
		}
	}
	CHECK_INT(r->nwarnings, 0);
	fa_result_free(r);
}

/* The AUC's variance straight from fa_obuchowski_compute on each group of
 * the same file, against the pair-by-pair sums of the reference. */
static void test_cluster_inference__obuchowski_matches_reference(void)
{
	size_t len, k;
	char *text = test_read("tests/data/cluster_audit.csv", &len);
	double s[256];
	uint8_t y[256];
	uint32_t c[256];
	char pid[256][8];

	for (k = 0; k < 3; k++) {
		size_t n = 0, np = 0;
		const char *line = strchr(text, '\n'); /* past the header */
		fa_obuchowski r;
		while (line && line[1]) {
			int lab;
			double sc;
			char grp[8], id[8];
			uint32_t cl;
			line++;
			if (sscanf(line, "%d,%lf,%7[^,],%7[^,]", &lab, &sc, grp, id) != 4 ||
			    n == 256)
				abort();
			line = strchr(line, '\n');
			if (strcmp(grp, r_groups[k].group) != 0)
				continue;
			for (cl = 0; cl < np && strcmp(pid[cl], id) != 0; cl++)
				;
			if (cl == np)
				snprintf(pid[np++], sizeof(pid[0]), "%s", id);
			s[n] = sc;
			y[n] = (uint8_t)lab;
			c[n++] = cl;
		}
		CHECK_INT(fa_obuchowski_compute(&r, s, y, c, n, np, 0.95, NULL), 0);
		CHECK_REL(r.auc.var, r_groups[k].auc_var, 1e-12);
		CHECK_NEAR(r.auc.ci_low, r_groups[k].auc[0], 1e-12);
		CHECK_NEAR(r.auc.ci_high, r_groups[k].auc[1], 1e-12);
		CHECK(r.s11 < 0); /* patients with both labels covary */
	}
	free(text);
}

/* A cluster column with a new id on every record: the AUC intervals and
 * tests are DeLong's exactly, as in an audit without the column. */
static void test_cluster_inference__unique_ids_are_delong(void)
{
	fa_result *rc = audit_file("tests/data/cluster_audit.csv", "rec", FA_CI_ANALYTIC, 0, "grp");
	fa_result *rr = audit_file("tests/data/cluster_audit.csv", NULL, FA_CI_ANALYTIC, 0, "grp");
	size_t g;

	if (!rc || !rr)
		goto done;
	for (g = 0; g < rr->attrs[0].ngroups; g++) {
		const fa_group_result *a = &rc->attrs[0].groups[g], *b = &rr->attrs[0].groups[g];
		CHECK_INT(a->n_clusters, a->n);
		CHECK(b->metrics[FA_M_AUC].has_aci);
		CHECK_NEAR(a->metrics[FA_M_AUC].aci_low, b->metrics[FA_M_AUC].aci_low, 1e-12);
		CHECK_NEAR(a->metrics[FA_M_AUC].aci_high, b->metrics[FA_M_AUC].aci_high, 1e-12);
		CHECK_NEAR(a->diff[FA_M_AUC].aci_low, b->diff[FA_M_AUC].aci_low, 1e-12);
		CHECK_NEAR(a->diff[FA_M_AUC].aci_high, b->diff[FA_M_AUC].aci_high, 1e-12);
		CHECK_NEAR(a->diff[FA_M_AUC].p_value, b->diff[FA_M_AUC].p_value, 1e-12);
		CHECK_NEAR(a->leakage[0].aci_low, b->leakage[0].aci_low, 1e-12);
		CHECK_NEAR(a->leakage[1].aci_high, b->leakage[1].aci_high, 1e-12);
	}
done:
	fa_result_free(rc);
	fa_result_free(rr);
}

/* "site" changes within patient a00 (two of its images at site X, the rest
 * at Y): no permutation test with --cluster, and a warning says why. */
static void test_cluster_inference__varying_attribute(void)
{
	fa_result *rc =
	    audit_file("tests/data/cluster_audit.csv", "pid", FA_CI_ANALYTIC, 200, "site");
	fa_result *rr =
	    audit_file("tests/data/cluster_audit.csv", NULL, FA_CI_ANALYTIC, 200, "site");
	fa_result *r0 =
	    audit_file("tests/data/cluster_audit.csv", "pid", FA_CI_ANALYTIC, 0, "site");
	int m;

	if (!rc || !rr || !r0)
		goto done;
	/* without permutations the warning says only what still applies */
	CHECK_INT(r0->nwarnings, 1);
	if (r0->nwarnings == 1)
		CHECK(strstr(r0->warnings[0], "permutation") == NULL);
	for (m = 0; m < FA_M__COUNT; m++)
		CHECK_NAN(rc->attrs[0].gaps[m].perm_p);
	CHECK(!isnan(rr->attrs[0].gaps[FA_M_TPR].perm_p));
	CHECK_INT(rc->nwarnings, 1);
	if (rc->nwarnings == 1)
		CHECK_STR(
		    rc->warnings[0],
		    "attribute \"site\" changes within clusters of --cluster pid (1 cluster "
		    "holds records of two or more of its groups): its permutation tests were not "
		    "run, as a cluster cannot move whole between groups; its differences between "
		    "groups, their intervals and tests treat the groups as independent samples "
		    "of clusters, which they are only approximately");
	CHECK_INT(rr->nwarnings, 0);
done:
	fa_result_free(rc);
	fa_result_free(rr);
	fa_result_free(r0);
}

/* Six positive patients of 10 images: group a's three all score 0.9;
 * group b's p4 scores 0.9 and p5, p6 0.1. Six negative patients (three per
 * group) score 0.1. TPR: a 1, b 1/3, gap 2/3. Moving whole patients, a
 * gap that large needs p5 and p6 in one group: of the C(6, 3) = 20 ways to
 * choose group a's positive patients, 8 do (both in a: C(4, 1) = 4; both
 * in b: 4), so the exact p-value is 0.4. Moving images, it needs all 20
 * low images in one group of 30 slots: the p-value is about 1 / (B + 1). */
static void test_cluster_inference__permutation_moves_clusters(void)
{
	static const char *groups[] = {"grp"};
	fa_buf csv = FA_BUF_INIT;
	fa_result *r[2] = {NULL, NULL};
	int i, k, pass;

	fa_buf_puts(&csv, "label,score,grp,pid\n");
	for (i = 0; i < 6; i++)
		for (k = 0; k < 10; k++)
			fa_buf_printf(&csv, "1,%s,%s,p%d\n", i >= 4 ? "0.1" : "0.9",
			              i < 3 ? "a" : "b", i + 1);
	for (i = 0; i < 6; i++)
		for (k = 0; k < 10; k++)
			fa_buf_printf(&csv, "0,0.1,%s,n%d\n", i < 3 ? "a" : "b", i + 1);
	for (pass = 0; pass < 2; pass++) {
		fa_load_options lo = FA_LOAD_OPTIONS_INIT;
		fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
		fa_table *t = NULL;
		fa_error err;
		lo.attr_columns = groups;
		lo.attr_count = 1;
		lo.cluster_column = "pid";
		ao.groups = groups;
		ao.ngroups = 1;
		ao.bootstrap = 0;
		ao.ci_method = FA_CI_ANALYTIC;
		ao.permutations = 2000;
		ao.min_n = 1;
		ao.seed = 11;
		ao.cluster_column = pass ? NULL : "pid";
		if (fa_load_memory(&t, "p.csv", csv.ptr, csv.len, &lo, &err) < 0 ||
		    fa_audit_run(&r[pass], t, &ao, &err) < 0)
			test_fail(__FILE__, __LINE__, "%s", err.message);
		fa_table_free(t);
	}
	if (r[0] && r[1]) {
		double p = r[0]->attrs[0].gaps[FA_M_TPR].perm_p;
		CHECK_NEAR(r[0]->attrs[0].gaps[FA_M_TPR].gap.value, 2.0 / 3, 1e-12);
		/* 2000 permutations: standard error sqrt(0.4 * 0.6 / 2000) = 0.011 */
		CHECK(fabs(p - 0.4) < 0.045);
		CHECK(r[1]->attrs[0].gaps[FA_M_TPR].perm_p < 0.005);
		CHECK_INT(r[0]->nwarnings, 0);
	}
	fa_result_free(r[0]);
	fa_result_free(r[1]);
	fa_buf_free(&csv);
}

test_case test_cluster_inference__cases[] = {
    {"cluster_inference/wilson_hand", test_cluster_inference__wilson_hand},
    {"cluster_inference/wilson_deff_below_one", test_cluster_inference__wilson_deff_below_one},
    {"cluster_inference/wilson_edges", test_cluster_inference__wilson_edges},
    {"cluster_inference/newcombe_hybrid", test_cluster_inference__newcombe_hybrid},
    {"cluster_inference/rao_scott_hand", test_cluster_inference__rao_scott_hand},
    {"cluster_inference/obuchowski_hand", test_cluster_inference__obuchowski_hand},
    {"cluster_inference/obuchowski_undefined", test_cluster_inference__obuchowski_undefined},
    {"cluster_inference/obuchowski_is_delong", test_cluster_inference__obuchowski_is_delong},
    {"cluster_inference/audit_matches_reference", test_cluster_inference__audit_matches_reference},
    {"cluster_inference/obuchowski_matches_reference",
     test_cluster_inference__obuchowski_matches_reference},
    {"cluster_inference/unique_ids_are_delong", test_cluster_inference__unique_ids_are_delong},
    {"cluster_inference/varying_attribute", test_cluster_inference__varying_attribute},
    {"cluster_inference/permutation_moves_clusters",
     test_cluster_inference__permutation_moves_clusters},
    {NULL, NULL},
};
