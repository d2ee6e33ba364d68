/*
 * test_compare.c: comparing a baseline result with a candidate, and the
 * --max-regression gates (docs/compare.md).
 *
 * The results are made from one small CSV text (T1) audited with different
 * score columns, so both share the same input digest. Every expected value
 * is worked out by hand below, and was checked with scikit-learn
 * (confusion_matrix, roc_auc_score) on the same rows.
 *
 *   grp a: labels 1 1 0 0            grp b: labels 1 1 0 0
 *     s1: 0.9 0.6 0.3 0.2              s1: 0.8 0.4 0.1 0.7
 *     s2: 0.9 0.7 0.3 0.6              s2: 0.8 0.3 0.1 0.2
 *     s3: 0.4 0.3 0.2 0.1              s3: 0.8 0.4 0.1 0.7
 *
 * At threshold 0.5:
 *   s1 a: TP2 FN0 FP0 TN2  tpr 1   fpr 0   acc 1    sel .5   ppv 1    auc 1
 *   s1 b: TP1 FN1 FP1 TN1  tpr .5  fpr .5  acc .5   sel .5   ppv .5   auc 3/4
 *   s2 a: TP2 FN0 FP1 TN1  tpr 1   fpr .5  acc .75  sel .75  ppv 2/3  auc 1
 *   s2 b: TP1 FN1 FP0 TN2  tpr .5  fpr 0   acc .75  sel .25  ppv 1    auc 1
 *   s3 a: TP0 FN2 FP0 TN2  tpr 0   fpr 0   ppv undefined (no positive decisions)
 *   s3 b: as s1 b
 * Overall AUC: s1 14/16 = 0.875; s2 14.5/16 = 0.90625 (0.3 ties 0.3).
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "fairaudit/compare.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#define CROSS "\xe2\x9c\x97"

static const char T1[] = "label,s1,s2,s3,grp,site\n"
			 "1,0.9,0.9,0.4,a,x\n"
			 "1,0.6,0.7,0.3,a,y\n"
			 "0,0.3,0.3,0.2,a,x\n"
			 "0,0.2,0.6,0.1,a,y\n"
			 "1,0.8,0.8,0.8,b,x\n"
			 "1,0.4,0.3,0.4,b,y\n"
			 "0,0.1,0.1,0.1,b,x\n"
			 "0,0.7,0.2,0.7,b,y\n";

/* T1 with a third group: other data. */
static const char T2[] = "label,s1,s2,s3,grp,site\n"
			 "1,0.9,0.9,0.4,a,x\n"
			 "1,0.6,0.7,0.3,a,y\n"
			 "0,0.3,0.3,0.2,a,x\n"
			 "0,0.2,0.6,0.1,a,y\n"
			 "1,0.8,0.8,0.8,b,x\n"
			 "1,0.4,0.3,0.4,b,y\n"
			 "0,0.1,0.1,0.1,b,x\n"
			 "0,0.7,0.2,0.7,b,y\n"
			 "1,0.9,0.9,0.9,c,x\n"
			 "0,0.1,0.1,0.1,c,y\n";

/* python3 -c 'import hashlib; print(hashlib.sha256(T.encode()).hexdigest())' */
#define T1_SHA256 "30c136151fb1cc51ead33451190fdcae800019153411e699b88130fb87f0b0e7"
#define T2_SHA256 "a57d35257399d9976e336b955f11bec0504fa7d62259b1195e4fba08ce80e440"

static const char *const GRP[] = {"grp"};
static const char *const GRP_SITE[] = {"grp", "site"};

static fa_result *audit(const char *text, const char *score, const char *const *groups,
			size_t ngroups, double threshold, size_t min_n)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.score_column = score;
	lo.attr_columns = groups;
	lo.attr_count = ngroups;
	ao.groups = groups;
	ao.ngroups = ngroups;
	ao.bootstrap = 0;
	ao.min_n = min_n;
	ao.threshold = threshold;
	ao.threads = 1;
	if (fa_load_memory(&t, "t.csv", text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
	fa_table_free(t);
	return r;
}

static fa_comparison *compare(const fa_result *b, const fa_result *c, unsigned flags)
{
	fa_compare_options o = FA_COMPARE_OPTIONS_INIT;
	fa_comparison *out = NULL;
	fa_error err;

	o.baseline_name = "base.json";
	o.candidate_name = "cand.json";
	o.flags = flags;
	if (fa_compare_run(&out, b, c, &o, &err) < 0)
		test_fail(__FILE__, __LINE__, "compare: %s", err.message);
	return out;
}

/* Evaluate the gates `exprs` (NULL-terminated) on `c`; returns the status. */
static int evaluate(fa_comparison *c, const char *const *exprs, fa_error *err)
{
	fa_cmp_gate *g[16];
	size_t n = 0, i;
	int rc = 0;

	for (; exprs[n]; n++)
		if (fa_compare_gate_parse(&g[n], exprs[n], err) < 0) {
			test_fail(__FILE__, __LINE__, "parse %s: %s", exprs[n], err->message);
			rc = -1;
			break;
		}
	if (rc == 0)
		rc = fa_compare_evaluate(c, g, n, err);
	for (i = 0; i < n; i++)
		fa_compare_gate_free(g[i]);
	return rc;
}

/* The verdict of the single gate `expr`, or -1 on error. */
static int verdict_of(fa_comparison *c, const char *expr)
{
	const char *exprs[2];
	fa_error err;
	exprs[0] = expr;
	exprs[1] = NULL;
	if (evaluate(c, exprs, &err) < 0)
		return -1;
	return (int)c->verdict;
}

static const fa_cmp_group *group(const fa_cmp_attr *a, const char *value)
{
	size_t i;
	for (i = 0; a && i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, value) == 0)
			return &a->groups[i];
	return NULL;
}

#define CHECK_CHANGE(v, base, cand, chg, worse, reg)                          \
	do {                                                                  \
		CHECK_NEAR((v).baseline.value, base, 1e-15);                  \
		CHECK_NEAR((v).candidate.value, cand, 1e-15);                 \
		CHECK_NEAR((v).change, chg, 1e-15);                           \
		CHECK_NEAR((v).worsening, worse, 1e-15);                      \
		CHECK_INT((v).regression, reg);                               \
	} while (0)

/* ---- directions --------------------------------------------------------- */

/* The directions documented in docs/compare.md, one by one. */
static void test_compare__directions(void)
{
	static const struct {
		fa_metric m;
		int dir;
	} metric_dirs[] = {
		{FA_M_PREVALENCE, -1}, {FA_M_ACCURACY, 1}, {FA_M_BALANCED_ACCURACY, 1},
		{FA_M_TPR, 1},         {FA_M_FNR, 0},      {FA_M_TNR, 1},
		{FA_M_FPR, 0},         {FA_M_PPV, 1},      {FA_M_NPV, 1},
		{FA_M_F1, 1},          {FA_M_SELECTION_RATE, -1}, {FA_M_AUC, 1},
		{FA_M_BRIER, 0},       {FA_M_ECE, 0},
	};
	size_t i;

	CHECK_INT(sizeof(metric_dirs) / sizeof(metric_dirs[0]), FA_M__COUNT);
	for (i = 0; i < sizeof(metric_dirs) / sizeof(metric_dirs[0]); i++) {
		int m = (int)metric_dirs[i].m;
		CHECK_INT(fa_compare_direction(FA_CMP_METRIC, m), metric_dirs[i].dir);
		CHECK_INT(fa_compare_direction(FA_CMP_MIN, m), metric_dirs[i].dir);
		CHECK_INT(fa_compare_direction(FA_CMP_MAX, m), metric_dirs[i].dir);
		/* a gap is worse larger, a ratio worse smaller, for every metric */
		CHECK_INT(fa_compare_direction(FA_CMP_GAP, m), 0);
		CHECK_INT(fa_compare_direction(FA_CMP_RATIO, m), 1);
	}
	CHECK_INT(fa_compare_direction(FA_CMP_SUMMARY, FA_S_EQUALIZED_ODDS_DIFF), 0);
	CHECK_INT(fa_compare_direction(FA_CMP_SUMMARY, FA_S_DEMOGRAPHIC_PARITY_DIFF), 0);
	CHECK_INT(fa_compare_direction(FA_CMP_SUMMARY, FA_S_DISPARATE_IMPACT), 1);
	CHECK_INT(fa_compare_direction(FA_CMP_SUMMARY, FA_S_WORST_GROUP_AUC), 1);
}

/* ---- changes by hand ----------------------------------------------------- */

static void test_compare__hand_changes(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s2", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;
	const fa_cmp_attr *a;
	const fa_cmp_group *ga, *gb;

	if (!c)
		goto done;
	CHECK_INT(c->same_data, 1);
	CHECK_INT(c->nsettings, 0);
	CHECK_INT(c->nattrs, 1);
	CHECK_INT(c->verdict, FA_GATE_PASS);
	a = fa_compare_attr(c, "grp");
	CHECK(a != NULL);
	if (!a)
		goto done;
	CHECK_INT(a->presence, FA_CMP_IN_BOTH);
	CHECK_INT(a->ngroups, 2);
	ga = group(a, "a");
	gb = group(a, "b");
	CHECK(ga && gb);
	if (!ga || !gb)
		goto done;
	CHECK_INT(ga->presence, FA_CMP_IN_BOTH);

	/* group a: fpr 0 -> 1/2 (worse: smaller is better) */
	CHECK_CHANGE(ga->metrics[FA_M_FPR], 0, 0.5, 0.5, 0.5, 1);
	/* accuracy 1 -> 3/4, worse by 1/4 (larger is better) */
	CHECK_CHANGE(ga->metrics[FA_M_ACCURACY], 1, 0.75, -0.25, 0.25, 1);
	CHECK_CHANGE(ga->metrics[FA_M_BALANCED_ACCURACY], 1, 0.75, -0.25, 0.25, 1);
	CHECK_CHANGE(ga->metrics[FA_M_TNR], 1, 0.5, -0.5, 0.5, 1);
	CHECK_CHANGE(ga->metrics[FA_M_PPV], 1, 2.0 / 3, 2.0 / 3 - 1, 1 - 2.0 / 3, 1);
	CHECK_CHANGE(ga->metrics[FA_M_F1], 1, 0.8, -0.2, 0.2, 1);
	/* tpr 1 -> 1: no change, no regression */
	CHECK_CHANGE(ga->metrics[FA_M_TPR], 1, 1, 0, 0, 0);
	CHECK_CHANGE(ga->metrics[FA_M_AUC], 1, 1, 0, 0, 0);
	/* selection rate 1/2 -> 3/4: no direction, never a regression */
	CHECK_CHANGE(ga->metrics[FA_M_SELECTION_RATE], 0.5, 0.75, 0.25, NAN, 0);
	CHECK_INT(ga->metrics[FA_M_SELECTION_RATE].direction, -1);

	/* group b: fpr 1/2 -> 0 and AUC 3/4 -> 1 are improvements */
	CHECK_CHANGE(gb->metrics[FA_M_FPR], 0.5, 0, -0.5, -0.5, 0);
	CHECK_CHANGE(gb->metrics[FA_M_AUC], 0.75, 1, 0.25, -0.25, 0);
	CHECK_CHANGE(gb->metrics[FA_M_ACCURACY], 0.5, 0.75, 0.25, -0.25, 0);
	CHECK_CHANGE(gb->metrics[FA_M_TPR], 0.5, 0.5, 0, 0, 0);

	/* gaps: tpr |1 - 1/2| both times; auc 1/4 -> 0; selection rate 0 -> 1/2 */
	CHECK_CHANGE(a->gaps[FA_M_TPR].gap, 0.5, 0.5, 0, 0, 0);
	CHECK_CHANGE(a->gaps[FA_M_FPR].gap, 0.5, 0.5, 0, 0, 0);
	CHECK_CHANGE(a->gaps[FA_M_AUC].gap, 0.25, 0, -0.25, -0.25, 0);
	CHECK_CHANGE(a->gaps[FA_M_SELECTION_RATE].gap, 0, 0.5, 0.5, 0.5, 1);
	/* a prevalence gap has a direction (smaller) though prevalence has none */
	CHECK_CHANGE(a->gaps[FA_M_PREVALENCE].gap, 0, 0, 0, 0, 0);
	/* auc ratio 3/4 -> 1 and min 3/4 -> 1: better larger */
	CHECK_CHANGE(a->gaps[FA_M_AUC].ratio, 0.75, 1, 0.25, -0.25, 0);
	CHECK_CHANGE(a->gaps[FA_M_AUC].min, 0.75, 1, 0.25, -0.25, 0);
	/* accuracy max 1 -> 3/4: the best group got worse */
	CHECK_CHANGE(a->gaps[FA_M_ACCURACY].max, 1, 0.75, -0.25, 0.25, 1);
	/* ppv gap: |1 - 1/2| -> |2/3 - 1| */
	CHECK_CHANGE(a->gaps[FA_M_PPV].gap, 0.5, 1.0 / 3, 1.0 / 3 - 0.5, 1.0 / 3 - 0.5, 0);

	/* summaries */
	CHECK_CHANGE(a->summary[FA_S_EQUALIZED_ODDS_DIFF], 0.5, 0.5, 0, 0, 0);
	CHECK_CHANGE(a->summary[FA_S_DEMOGRAPHIC_PARITY_DIFF], 0, 0.5, 0.5, 0.5, 1);
	/* selection rates 1/2, 1/2 -> 1/4, 3/4: ratio 1 -> 1/3 */
	CHECK_CHANGE(a->summary[FA_S_DISPARATE_IMPACT], 1, 1.0 / 3, 1.0 / 3 - 1, 1 - 1.0 / 3, 1);
	CHECK_CHANGE(a->summary[FA_S_WORST_GROUP_AUC], 0.75, 1, 0.25, -0.25, 0);

	/* the whole population: AUC 0.875 -> 0.90625, accuracy 3/4 both */
	CHECK_CHANGE(c->overall.metrics[FA_M_AUC], 0.875, 0.90625, 0.03125, -0.03125, 0);
	CHECK_CHANGE(c->overall.metrics[FA_M_ACCURACY], 0.75, 0.75, 0, 0, 0);
	CHECK_CHANGE(c->overall.metrics[FA_M_FPR], 0.25, 0.25, 0, 0, 0);
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

/* ---- gates ----------------------------------------------------------------- */

static void test_compare__gate_outcomes(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s2", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;
	const char *both[] = {"tpr_gap=0.02", "fpr=0.4", NULL};
	fa_error err;

	if (!c)
		goto done;
	/* tpr_gap unchanged */
	CHECK_INT(verdict_of(c, "tpr_gap=0.02"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "grp:tpr_gap=0"), FA_GATE_PASS);
	/* demographic parity worse by exactly 0.5: allowed at 0.5, not at 0.4 */
	CHECK_INT(verdict_of(c, "demographic_parity_diff=0.5"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "demographic_parity_diff=0.4"), FA_GATE_FAIL);
	CHECK_INT(verdict_of(c, "selection_rate_gap=0.49"), FA_GATE_FAIL);
	/* disparate impact worse by 2/3 */
	CHECK_INT(verdict_of(c, "disparate_impact=0.7"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "disparate_impact=0.6"), FA_GATE_FAIL);
	/* worst-group AUC improved by 1/4: passes even a zero allowance */
	CHECK_INT(verdict_of(c, "worst_group_auc=0"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "auc_ratio=0"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "accuracy_max=0.25"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "accuracy_max=0.2"), FA_GATE_FAIL);
	CHECK_INT(verdict_of(c, "overall.auc=0"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "overall.accuracy=0"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "equalized_odds_diff=0"), FA_GATE_PASS);
	/* ppv of a worse by 1/3 */
	CHECK_INT(verdict_of(c, "ppv=0.34"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "ppv=0.3"), FA_GATE_FAIL);

	/* fpr: a worse by 1/2 fails, b better passes */
	CHECK_INT(verdict_of(c, "fpr=0.4"), FA_GATE_FAIL);
	CHECK_INT(c->ngates, 1);
	CHECK_INT(c->gates[0].nchecks, 2);
	if (c->gates[0].nchecks == 2) {
		CHECK_STR(c->gates[0].checks[0].where, "grp=a:fpr");
		CHECK_INT(c->gates[0].checks[0].outcome, FA_GATE_FAIL);
		CHECK_NEAR(c->gates[0].checks[0].value.worsening, 0.5, 0);
		CHECK_STR(c->gates[0].checks[1].where, "grp=b:fpr");
		CHECK_INT(c->gates[0].checks[1].outcome, FA_GATE_PASS);
		CHECK_NEAR(c->gates[0].checks[1].value.worsening, -0.5, 0);
	}
	CHECK_INT(verdict_of(c, "grp=b:fpr=0"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "grp=a:fpr=0.5"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "grp=a:fpr=0.49"), FA_GATE_FAIL);

	/* several gates: one failure fails the verdict */
	CHECK_INT(evaluate(c, both, &err), 0);
	CHECK_INT(c->verdict, FA_GATE_FAIL);
	CHECK_INT(c->gates[0].outcome, FA_GATE_PASS);
	CHECK_INT(c->gates[1].outcome, FA_GATE_FAIL);
	CHECK_STR(c->gates[0].quantity, "tpr_gap");
	CHECK_NEAR(c->gates[1].limit, 0.4, 0);
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

/* s1 against s3: the candidate's group a makes no positive decision, so its
 * ppv is undefined; tpr of a falls from 1 to 0. */
static void test_compare__gate_inconclusive(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s3", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;
	const char *inc_only[] = {"ppv=0.5", "auc=0.1", NULL};
	const char *inc_and_fail[] = {"ppv=0.5", "tpr=0.1", NULL};
	const char *none[] = {NULL};
	const fa_cmp_group *ga;
	fa_error err;

	if (!c)
		goto done;
	ga = group(fa_compare_attr(c, "grp"), "a");
	CHECK(ga != NULL);
	if (ga) {
		CHECK_NAN(ga->metrics[FA_M_PPV].change);
		CHECK_NAN(ga->metrics[FA_M_PPV].worsening);
		CHECK_INT(ga->metrics[FA_M_PPV].regression, 0);
		CHECK_STR(ga->metrics[FA_M_PPV].candidate.reason, "no positive decisions in group");
		CHECK_CHANGE(ga->metrics[FA_M_TPR], 1, 0, -1, 1, 1);
	}
	/* a is undefined, b passes (1/2 -> 1/2): inconclusive */
	CHECK_INT(verdict_of(c, "ppv=0.5"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(c->gates[0].nchecks, 2);
	if (c->gates[0].nchecks == 2) {
		CHECK_INT(c->gates[0].checks[0].outcome, FA_GATE_INCONCLUSIVE);
		CHECK_STR(c->gates[0].checks[0].note,
			  "undefined in the candidate: no positive decisions in group");
		CHECK_INT(c->gates[0].checks[1].outcome, FA_GATE_PASS);
	}
	CHECK_INT(verdict_of(c, "auc=0.1"), FA_GATE_PASS);
	CHECK_INT(evaluate(c, inc_only, &err), 0);
	CHECK_INT(c->verdict, FA_GATE_INCONCLUSIVE);
	/* a failure outranks an inconclusive gate */
	CHECK_INT(evaluate(c, inc_and_fail, &err), 0);
	CHECK_INT(c->verdict, FA_GATE_FAIL);
	CHECK_INT(c->gates[0].outcome, FA_GATE_INCONCLUSIVE);
	CHECK_INT(c->gates[1].outcome, FA_GATE_FAIL);
	/* no gates: pass */
	CHECK_INT(evaluate(c, none, &err), 0);
	CHECK_INT(c->verdict, FA_GATE_PASS);
	CHECK_INT(c->ngates, 0);
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

/* 10 positives and a negative: s9 decides 9 of the positives positive, s7
 * seven. In doubles 0.9 - 0.7 is 0.20000000000000007, so a limit of 0.2
 * holds only through the documented tolerance. */
static void test_compare__gate_limit_tolerance(void)
{
	static const char text[] = "label,s9,s7\n"
				   "1,0.9,0.9\n1,0.9,0.9\n1,0.9,0.9\n1,0.9,0.9\n1,0.9,0.9\n"
				   "1,0.9,0.9\n1,0.9,0.9\n1,0.9,0.1\n1,0.9,0.1\n1,0.1,0.1\n"
				   "0,0.1,0.1\n";
	fa_result *b = audit(text, "s9", NULL, 0, 0.5, 1), *k = audit(text, "s7", NULL, 0, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;
	volatile double hi = 0.9, lo = 0.7;

	if (!c)
		goto done;
	CHECK(hi - lo > 0.2); /* so the next check depends on the tolerance */
	CHECK_NEAR(c->overall.metrics[FA_M_TPR].worsening, 0.2, 1e-15);
	CHECK_INT(verdict_of(c, "overall.tpr=0.2"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "overall.tpr=0.19"), FA_GATE_FAIL);
	CHECK_INT(verdict_of(c, "overall.fnr=0.2"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "overall.fnr=0.199999"), FA_GATE_FAIL);
	/* the gate names a quantity with no attributes to look in */
	CHECK_INT(verdict_of(c, "tpr_gap=1"), FA_GATE_INCONCLUSIVE);
	CHECK_STR(c->gates[0].checks[0].note, "no attribute was audited in either report");
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

/* ---- what is in one report only -------------------------------------------- */

static void test_compare__different_data(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T2, "s2", GRP, 1, 0.5, 1);
	fa_compare_options o = FA_COMPARE_OPTIONS_INIT;
	fa_comparison *c = NULL;
	const fa_cmp_attr *a;
	const fa_cmp_group *gc;
	fa_error err;

	if (!b || !k)
		goto done;
	CHECK_STR(b->files[0].sha256, T1_SHA256);
	CHECK_STR(k->files[0].sha256, T2_SHA256);
	o.baseline_name = "base.json";
	o.candidate_name = "cand.json";
	fa_error_clear(&err);
	CHECK_INT(fa_compare_run(&c, b, k, &o, &err), FA_EINPUT);
	CHECK(c == NULL);
	CHECK_STR(err.message, "base.json and cand.json come from different data: SHA-256 "
			       T1_SHA256 " (baseline) vs " T2_SHA256
			       " (candidate); pass --allow-different-data to compare them anyway");

	c = compare(b, k, FA_COMPARE_ALLOW_DIFFERENT_DATA);
	if (!c)
		goto done;
	CHECK_INT(c->same_data, 0);
	a = fa_compare_attr(c, "grp");
	CHECK_INT(a ? a->ngroups : 0, 3);
	gc = group(a, "c");
	CHECK(gc != NULL);
	if (gc) {
		CHECK_INT(gc->presence, FA_CMP_CANDIDATE_ONLY);
		CHECK(gc->baseline == NULL && gc->candidate != NULL);
	}
	CHECK_INT(group(a, "a") ? (int)group(a, "a")->presence : -1, FA_CMP_IN_BOTH);
	/* group c cannot be compared: a gate over every group is inconclusive */
	CHECK_INT(verdict_of(c, "fpr=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(c->gates[0].nchecks, 3);
	if (c->gates[0].nchecks == 3) {
		CHECK_STR(c->gates[0].checks[2].where, "grp=c:fpr");
		CHECK_STR(c->gates[0].checks[2].note, "grp=c is only in the candidate");
	}
	CHECK_INT(verdict_of(c, "grp=c:fpr=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(verdict_of(c, "grp=a:fpr=1"), FA_GATE_PASS);
	CHECK_INT(verdict_of(c, "grp=zzz:fpr=1"), -1);
	fa_error_clear(&err);
	{
		const char *g[] = {"grp=zzz:fpr=1", NULL};
		CHECK_INT(evaluate(c, g, &err), FA_EUSAGE);
		CHECK_STR(err.message, "--max-regression \"grp=zzz:fpr=1\": grp has no group "
				       "\"zzz\" in either report; the groups are \"a\", \"b\", \"c\"");
	}
	/* data that differ make the same-data check fail the other way round */
	fa_compare_free(c);
	c = NULL;
	CHECK_INT(fa_compare_run(&c, k, b, NULL, &err), FA_EINPUT);
	CHECK(strstr(err.message, "the baseline and the candidate come from different data") != NULL);
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

static void test_compare__attribute_in_one_report(void)
{
	fa_result *b = audit(T1, "s1", GRP_SITE, 2, 0.5, 1), *k = audit(T1, "s2", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL, *r = NULL;
	const fa_cmp_attr *s;
	const char *g[] = {"zone:tpr_gap=1", NULL};
	fa_error err;

	if (!c)
		goto done;
	CHECK_INT(c->nattrs, 2);
	s = fa_compare_attr(c, "site");
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->presence, FA_CMP_BASELINE_ONLY);
		CHECK(s->baseline != NULL && s->candidate == NULL);
		CHECK_INT(s->ngroups, 0);
	}
	/* grp passes, site cannot be judged */
	CHECK_INT(verdict_of(c, "tpr_gap=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(c->gates[0].nchecks, 2);
	if (c->gates[0].nchecks == 2) {
		CHECK_INT(c->gates[0].checks[0].outcome, FA_GATE_PASS);
		CHECK_STR(c->gates[0].checks[1].where, "site:tpr_gap");
		CHECK_STR(c->gates[0].checks[1].note, "site is only in the baseline");
	}
	CHECK_INT(verdict_of(c, "site:tpr_gap=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(verdict_of(c, "site=x:tpr=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(verdict_of(c, "grp:tpr_gap=1"), FA_GATE_PASS);
	CHECK_INT(evaluate(c, g, &err), FA_EUSAGE);
	CHECK_STR(err.message, "--max-regression \"zone:tpr_gap=1\": attribute \"zone\" is in "
			       "neither report; the attributes are \"grp\", \"site\"");

	/* the other way round */
	r = compare(k, b, 0);
	s = r ? fa_compare_attr(r, "site") : NULL;
	CHECK(s != NULL);
	if (s)
		CHECK_INT(s->presence, FA_CMP_CANDIDATE_ONLY);
done:
	fa_compare_free(c);
	fa_compare_free(r);
	fa_result_free(b);
	fa_result_free(k);
}

/* Groups of 4 records: insufficient in a candidate audited with min-n 5. */
static void test_compare__ineligible_groups(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s2", GRP, 1, 0.5, 5);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;

	if (!c)
		goto done;
	CHECK_INT(c->nsettings, 1);
	if (c->nsettings == 1) {
		CHECK_STR(c->settings[0].name, "min_n");
		CHECK_STR(c->settings[0].baseline, "1");
		CHECK_STR(c->settings[0].candidate, "5");
	}
	/* every group is skipped, so the attribute yields one inconclusive check */
	CHECK_INT(verdict_of(c, "fpr=1"), FA_GATE_INCONCLUSIVE);
	CHECK_INT(c->gates[0].nchecks, 1);
	CHECK_STR(c->gates[0].checks[0].where, "grp:fpr");
	CHECK_STR(c->gates[0].checks[0].note,
		  "no group of grp is eligible in both reports (each is insufficient or "
		  "suppressed in one of them)");
	/* a group named explicitly says why */
	CHECK_INT(verdict_of(c, "grp=a:fpr=1"), FA_GATE_INCONCLUSIVE);
	CHECK_STR(c->gates[0].checks[0].note,
		  "grp=a is insufficient in the candidate: 4 records, fewer than 5 (min-n)");
	/* the candidate's gaps are undefined */
	CHECK_INT(verdict_of(c, "fpr_gap=1"), FA_GATE_INCONCLUSIVE);
	CHECK_STR(c->gates[0].checks[0].note,
		  "undefined in the candidate: fewer than two eligible groups with a defined value");
	/* the metrics themselves are still compared */
	CHECK_NEAR(group(fa_compare_attr(c, "grp"), "a")->metrics[FA_M_FPR].change, 0.5, 0);
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

static void test_compare__settings_differ(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s1", GRP, 1, 0.4, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;

	if (!c)
		goto done;
	CHECK_INT(c->nsettings, 1);
	if (c->nsettings == 1) {
		CHECK_STR(c->settings[0].name, "threshold");
		CHECK_STR(c->settings[0].baseline, "0.5");
		CHECK_STR(c->settings[0].candidate, "0.4");
	}
	/* at 0.4, b's 0.4 positive counts: tpr of b 1/2 -> 1 */
	CHECK_CHANGE(group(fa_compare_attr(c, "grp"), "b")->metrics[FA_M_TPR], 0.5, 1, 0.5, -0.5,
		     0);
	/* the seed is not a difference unless both reports have intervals */
	k->settings.seed = 7;
	fa_compare_free(c);
	c = compare(b, k, 0);
	CHECK_INT(c ? c->nsettings : 0, 1);
	k->settings.bootstrap = 100;
	fa_compare_free(c);
	c = compare(b, k, 0);
	CHECK_INT(c ? c->nsettings : 0, 2); /* threshold, bootstrap */
	if (c && c->nsettings == 2)
		CHECK_STR(c->settings[1].name, "bootstrap");
	b->settings.bootstrap = 100;
	fa_compare_free(c);
	c = compare(b, k, 0);
	CHECK_INT(c ? c->nsettings : 0, 2); /* threshold, seed */
	if (c && c->nsettings == 2) {
		CHECK_STR(c->settings[1].name, "seed");
		CHECK_STR(c->settings[1].baseline, "20240601");
		CHECK_STR(c->settings[1].candidate, "7");
	}
done:
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

/* ---- parsing ------------------------------------------------------------------ */

static void test_compare__gate_parse(void)
{
	static const char *const good[] = {
		"tpr_gap=0.02", " tpr_gap = 0.02 ", "worst_group_auc=0.01", "auc=0.02",
		"equalized_odds_diff=0.01", "race:tpr_gap=0", "sex+race:auc_ratio=1e-2",
		"race=Black:auc=0.05", "age=<65:tpr=0.1", "overall.auc=0.01",
		"prevalence_gap=0.1", "selection_rate_ratio=0.1", "disparate_impact=0.1",
	};
	static const struct {
		const char *expr, *message;
	} bad[] = {
		{"tpr_gap", "--max-regression \"tpr_gap\": expected \"=\" and the largest "
			    "worsening allowed; write [ATTRIBUTE:]QUANTITY=X with X >= 0, e.g. "
			    "tpr_gap=0.02"},
		{"tpr_gap=", "--max-regression \"tpr_gap=\": expected a finite number >= 0 after "
			     "\"=\", got nothing; write [ATTRIBUTE:]QUANTITY=X with X >= 0, e.g. "
			     "tpr_gap=0.02"},
		{"tpr_gap=-0.1", "--max-regression \"tpr_gap=-0.1\": expected a finite number >= 0 "
				 "after \"=\", got \"-0.1\"; write [ATTRIBUTE:]QUANTITY=X with X "
				 ">= 0, e.g. tpr_gap=0.02"},
		{"tpr_gap=inf", NULL},
		{"tpr_gap=0.1x", NULL},
		{"=0.1", "--max-regression \"=0.1\": expected a quantity before \"=\"; write "
			 "[ATTRIBUTE:]QUANTITY=X with X >= 0, e.g. tpr_gap=0.02"},
		{"tpr_gapp=0.1", "--max-regression \"tpr_gapp=0.1\": unknown quantity "
				 "\"tpr_gapp\" (did you mean \"tpr_gap\"?); valid: METRIC, "
				 "METRIC_gap, METRIC_ratio, METRIC_min, METRIC_max, "
				 "equalized_odds_diff, demographic_parity_diff, disparate_impact, "
				 "worst_group_auc; METRIC is one of prevalence, accuracy, "
				 "balanced_accuracy, tpr, fnr, tnr, fpr, ppv, npv, f1, "
				 "selection_rate, auc, brier, ece"},
		{"tpr_diff=0.1", "--max-regression \"tpr_diff=0.1\": tpr_diff is a group's "
				 "difference to its attribute's reference group, which can be "
				 "another group in each report; gate on the group's metric (tpr) or "
				 "on the attribute's gap (tpr_gap) instead"},
		{"selection_rate=0.1", "--max-regression \"selection_rate=0.1\": selection_rate "
				       "is neither better larger nor better smaller, so no change "
				       "of it is a regression; gate on selection_rate_gap or "
				       "selection_rate_ratio instead"},
		{"prevalence_min=0.1", NULL},
		{"overall.tpr_gap=0.1", "--max-regression \"overall.tpr_gap=0.1\": tpr_gap "
					"compares groups, and the whole population is one group; "
					"write overall.METRIC=X, or ATTRIBUTE:tpr_gap=X"},
		{"race=Black:tpr_gap=0.1", "--max-regression \"race=Black:tpr_gap=0.1\": tpr_gap "
					   "is a quantity of a whole attribute; write "
					   "race:tpr_gap=X, or for one group its metric "
					   "(race=Black:METRIC=X)"},
		{":auc=0.1", NULL},
		{"race=:auc=0.1", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fa_cmp_gate *g = NULL;
		fa_error err;
		if (fa_compare_gate_parse(&g, good[i], &err) < 0)
			test_fail(__FILE__, __LINE__, "%s: %s", good[i], err.message);
		CHECK(g != NULL);
		fa_compare_gate_free(g);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fa_cmp_gate *g = (fa_cmp_gate *)&g;
		fa_error err;
		int rc = fa_compare_gate_parse(&g, bad[i].expr, &err);
		if (rc != FA_EUSAGE)
			test_fail(__FILE__, __LINE__, "%s: got %d, want FA_EUSAGE", bad[i].expr, rc);
		CHECK(g == NULL);
		if (rc == FA_EUSAGE && bad[i].message)
			CHECK_STR(err.message, bad[i].message);
	}
}

/* ---- output ---------------------------------------------------------------------- */

static const cJSON *at(const cJSON *x, const char *path)
{
	char key[64];
	while (x && *path) {
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (cJSON_IsArray(x))
			x = cJSON_GetArrayItem(x, atoi(key));
		else
			x = cJSON_GetObjectItemCaseSensitive(x, key);
		path += n + (path[n] == '.');
	}
	return x;
}

static double num_at(const cJSON *x, const char *path)
{
	const cJSON *v = at(x, path);
	if (!cJSON_IsNumber(v)) {
		test_fail(__FILE__, __LINE__, "%s: not a number", path);
		return NAN;
	}
	return v->valuedouble;
}

static void test_compare__json(void)
{
	fa_result *b = audit(T1, "s1", GRP, 1, 0.5, 1), *k = audit(T1, "s3", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, 0) : NULL;
	const char *gates[] = {"tpr=0.1", "ppv=0.5", NULL};
	fa_buf out = FA_BUF_INIT;
	cJSON *j = NULL;
	fa_error err;

	if (!c)
		goto done;
	CHECK_INT(evaluate(c, gates, &err), 0);
	CHECK_INT(fa_compare_write(&out, c, FA_REPORT_JSON, &err), 0);
	j = cJSON_Parse(out.ptr);
	CHECK(j != NULL);
	if (!j)
		goto done;
	CHECK_STR(cJSON_GetStringValue(at(j, "comparison_version")), "1.0");
	CHECK_STR(cJSON_GetStringValue(at(j, "baseline.report")), "base.json");
	CHECK_STR(cJSON_GetStringValue(at(j, "baseline.files.0.sha256")), T1_SHA256);
	CHECK_STR(cJSON_GetStringValue(at(j, "candidate.settings.score_column")), "s3");
	CHECK(cJSON_IsTrue(at(j, "same_data")));
	CHECK_INT(cJSON_GetArraySize(at(j, "settings_differ")), 0);
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.name")), "grp");
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.in")), "both");
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.groups.0.value")), "a");
	CHECK_INT(num_at(j, "attributes.0.groups.0.baseline.n"), 4);
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.groups.0.candidate.status")), "ok");
	/* tpr of a: 1 -> 0 */
	CHECK_NEAR(num_at(j, "attributes.0.groups.0.metrics.tpr.baseline.value"), 1, 0);
	CHECK_NEAR(num_at(j, "attributes.0.groups.0.metrics.tpr.candidate.value"), 0, 0);
	CHECK_NEAR(num_at(j, "attributes.0.groups.0.metrics.tpr.change"), -1, 0);
	CHECK_NEAR(num_at(j, "attributes.0.groups.0.metrics.tpr.worsening"), 1, 0);
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.groups.0.metrics.tpr.better")), "higher");
	CHECK(cJSON_IsTrue(at(j, "attributes.0.groups.0.metrics.tpr.regression")));
	/* ppv of a: undefined in the candidate */
	CHECK(cJSON_IsNull(at(j, "attributes.0.groups.0.metrics.ppv.candidate.value")));
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.groups.0.metrics.ppv.candidate.reason")),
		  "no positive decisions in group");
	CHECK(cJSON_IsNull(at(j, "attributes.0.groups.0.metrics.ppv.change")));
	CHECK(cJSON_IsNull(at(j, "attributes.0.groups.0.metrics.ppv.regression")));
	/* selection rate has no direction: rates 1/2 -> 0 */
	CHECK(cJSON_IsNull(at(j, "attributes.0.groups.0.metrics.selection_rate.better")));
	CHECK(cJSON_IsFalse(at(j, "attributes.0.groups.0.metrics.selection_rate.regression")));
	CHECK_NEAR(num_at(j, "attributes.0.groups.0.metrics.selection_rate.change"), -0.5, 0);
	/* tpr gap |1 - 1/2| -> |0 - 1/2|; disparate impact 1 -> 0/(1/2) = 0 */
	CHECK_NEAR(num_at(j, "attributes.0.gaps.tpr.gap.change"), 0, 0);
	CHECK_STR(cJSON_GetStringValue(at(j, "attributes.0.gaps.tpr.gap.better")), "lower");
	CHECK_NEAR(num_at(j, "attributes.0.summary.disparate_impact.change"), -1, 0);
	CHECK(cJSON_IsTrue(at(j, "attributes.0.summary.disparate_impact.regression")));
	/* overall AUC: s3 pairs 13/16 = 0.8125 against 0.875 */
	CHECK_NEAR(num_at(j, "overall.metrics.auc.change"), 0.8125 - 0.875, 1e-15);
	/* the gates and verdict */
	CHECK_STR(cJSON_GetStringValue(at(j, "gates.0.expr")), "tpr=0.1");
	CHECK_NEAR(num_at(j, "gates.0.max_regression"), 0.1, 0);
	CHECK_STR(cJSON_GetStringValue(at(j, "gates.0.outcome")), "fail");
	CHECK_STR(cJSON_GetStringValue(at(j, "gates.0.checks.0.where")), "grp=a:tpr");
	CHECK_NEAR(num_at(j, "gates.0.checks.0.worsening"), 1, 0);
	CHECK_STR(cJSON_GetStringValue(at(j, "gates.1.outcome")), "inconclusive");
	CHECK_STR(cJSON_GetStringValue(at(j, "gates.1.checks.0.note")),
		  "undefined in the candidate: no positive decisions in group");
	CHECK(cJSON_IsNull(at(j, "gates.1.checks.1.note")));
	CHECK_STR(cJSON_GetStringValue(at(j, "verdict")), "fail");
done:
	cJSON_Delete(j);
	fa_buf_free(&out);
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

static void test_compare__markdown(void)
{
	fa_result *b = audit(T1, "s1", GRP_SITE, 2, 0.5, 1), *k = audit(T2, "s2", GRP, 1, 0.5, 1);
	fa_comparison *c = b && k ? compare(b, k, FA_COMPARE_ALLOW_DIFFERENT_DATA) : NULL;
	const char *gates[] = {"grp=a:fpr=0.4", NULL};
	fa_buf out = FA_BUF_INIT;
	fa_error err;

	if (!c)
		goto done;
	CHECK_INT(evaluate(c, gates, &err), 0);
	CHECK_INT(fa_compare_write(&out, c, FA_REPORT_MARKDOWN, &err), 0);
	CHECK(out.ptr != NULL);
	if (!out.ptr)
		goto done;
	CHECK(strstr(out.ptr, "**Verdict: FAIL**: 1 of 1 gate failed (grp=a:fpr=0.4).") != NULL);
	CHECK(strstr(out.ptr, "**Different data**") != NULL);
	CHECK(strstr(out.ptr, T2_SHA256) != NULL);
	CHECK(strstr(out.ptr, "## Attribute site\n\nOnly in the baseline report: not compared.") !=
	      NULL);
	CHECK(strstr(out.ptr, "Groups in both reports: a, b. Only in the candidate: c.") != NULL);
	/* fpr of a: 0 -> 0.5, worse, and the gate failed on it */
	CHECK(strstr(out.ptr, "| a     | `fpr`               | lower  |    0.000 |     0.500 | "
			      "+0.500 | worse " CROSS "    |") != NULL);
	CHECK(strstr(out.ptr, "| `grp=a:fpr=0.4` | grp=a:fpr |    0.000 |     0.500 | +0.500 |") !=
	      NULL);
	CHECK(fa_compare_write(&out, c, FA_REPORT_CSV, &err) == FA_EUSAGE);
done:
	if (out.ptr && test_failures_in_case)
		fprintf(stderr, "%s\n", out.ptr);
	fa_buf_free(&out);
	fa_compare_free(c);
	fa_result_free(b);
	fa_result_free(k);
}

test_case test_compare__cases[] = {
	{"compare/directions", test_compare__directions},
	{"compare/hand_changes", test_compare__hand_changes},
	{"compare/gate_outcomes", test_compare__gate_outcomes},
	{"compare/gate_inconclusive", test_compare__gate_inconclusive},
	{"compare/gate_limit_tolerance", test_compare__gate_limit_tolerance},
	{"compare/different_data", test_compare__different_data},
	{"compare/attribute_in_one_report", test_compare__attribute_in_one_report},
	{"compare/ineligible_groups", test_compare__ineligible_groups},
	{"compare/settings_differ", test_compare__settings_differ},
	{"compare/gate_parse", test_compare__gate_parse},
	{"compare/json", test_compare__json},
	{"compare/markdown", test_compare__markdown},
	{NULL, NULL},
};
