/*
 * test_metrics.c: per-group metrics against independent computations.
 *
 * - sklearn_*: every metric of every group of the sample data against
 *   scikit-learn, from tests/reference/cxr_expected.json and derm_expected.json (the commands that
 *   made them are in tests/reference/README.md), to 1e-12.
 * - hand_*: tiny cases worked out by hand for ties and zero denominators.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static fa_result *audit_text(const char *text, const char *const *groups, size_t ngroups,
			     double threshold)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = groups;
	lo.attr_count = ngroups;
	ao.groups = groups;
	ao.ngroups = ngroups;
	ao.bootstrap = 0;
	ao.min_n = 1;
	ao.threshold = threshold;
	if (fa_load_memory(&t, "test.csv", text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
	fa_table_free(t);
	return r;
}

static void compare_group(const fa_group_result *g, const cJSON *want, const char *what)
{
	static const char *counts[] = {"n", "n_pos", "n_neg", "tp", "fp", "tn", "fn"};
	size_t got[7];
	int i;

	got[0] = g->n;
	got[1] = g->n_pos;
	got[2] = g->n_neg;
	got[3] = g->tp;
	got[4] = g->fp;
	got[5] = g->tn;
	got[6] = g->fn;
	for (i = 0; i < 7; i++) {
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(want, counts[i]);
		if (!cJSON_IsNumber(w) || (double)got[i] != w->valuedouble)
			test_fail(__FILE__, __LINE__, "%s %s: got %zu", what, counts[i], got[i]);
	}
	for (i = 0; i < FA_M__COUNT; i++) {
		const char *name = fa_metric_name((fa_metric)i);
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(want, name);
		double v = g->metrics[i].value;
		if (!w) {
			test_fail(__FILE__, __LINE__, "%s: reference lacks %s", what, name);
		} else if (cJSON_IsNull(w)) {
			if (!isnan(v) || !g->metrics[i].reason)
				test_fail(__FILE__, __LINE__, "%s %s: got %.17g, want null", what, name, v);
		} else if (!(fabs(v - w->valuedouble) <= 1e-12)) {
			test_fail(__FILE__, __LINE__, "%s %s: got %.17g, want %.17g", what, name, v,
				  w->valuedouble);
		}
	}
}

static void compare_file(const char *sample, const char *expected, const char *label,
			 const char *score, const char *const *groups, size_t ngroups)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	const char *path = test_path(sample);
	char *text = test_read(expected, NULL);
	cJSON *ref = cJSON_Parse(text), *gs;
	size_t a, g;

	lo.label_column = label;
	lo.score_column = score;
	lo.attr_columns = groups;
	lo.attr_count = ngroups;
	ao.groups = groups;
	ao.ngroups = ngroups;
	ao.bootstrap = 0;
	CHECK(ref != NULL);
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0 || fa_audit_run(&r, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		goto done;
	}
	compare_group(&r->overall, cJSON_GetObjectItemCaseSensitive(ref, "overall"), "overall");
	gs = cJSON_GetObjectItemCaseSensitive(ref, "groups");
	for (a = 0; a < r->nattrs; a++) {
		const cJSON *attr = cJSON_GetObjectItemCaseSensitive(gs, r->attrs[a].name);
		CHECK(attr != NULL);
		CHECK_INT(r->attrs[a].ngroups, cJSON_GetArraySize(attr));
		for (g = 0; g < r->attrs[a].ngroups; g++) {
			const fa_group_result *gr = &r->attrs[a].groups[g];
			const cJSON *w = cJSON_GetObjectItemCaseSensitive(attr, gr->value);
			char what[200];
			snprintf(what, sizeof(what), "%s=%s", r->attrs[a].name, gr->value);
			if (!w)
				test_fail(__FILE__, __LINE__, "%s: not in the reference", what);
			else
				compare_group(gr, w, what);
		}
	}
done:
	cJSON_Delete(ref);
	free(text);
	fa_result_free(r);
	fa_table_free(t);
}

static void test_metrics__sklearn_cxr(void)
{
	static const char *groups[] = {"sex", "race", "site"};
	compare_file("data/samples/cxr_triage.csv.gz", "tests/reference/cxr_expected.json",
		     "label", "score", groups, 3);
}

static void test_metrics__sklearn_derm(void)
{
	static const char *groups[] = {"fitzpatrick"};
	compare_file("data/samples/derm_lesions.jsonl", "tests/reference/derm_expected.json",
		     "malignant", "prob", groups, 1);
}

/* Scores 0.2 0.4 0.4 0.8 with labels 0 1 0 1 at threshold 0.4:
 * decisions 0 1 1 1 -> TP 2, FP 1, TN 1, FN 0.
 * AUC pairs (pos, neg): (0.4,0.2)=1 (0.4,0.4)=1/2 (0.8,0.2)=1 (0.8,0.4)=1
 * -> 3.5 / 4 = 0.875. Brier = (0.04+0.36+0.16+0.04)/4 = 0.15. */
static void test_metrics__hand_ties_and_threshold(void)
{
	fa_result *r = audit_text("label,score\n0,0.2\n1,0.4\n0,0.4\n1,0.8\n", NULL, 0, 0.4);
	const fa_estimate *m;
	if (!r)
		return;
	m = r->overall.metrics;
	CHECK_INT(r->overall.tp, 2);
	CHECK_INT(r->overall.fp, 1);
	CHECK_INT(r->overall.tn, 1);
	CHECK_INT(r->overall.fn, 0);
	CHECK_NEAR(m[FA_M_AUC].value, 0.875, 1e-15);
	CHECK_NEAR(m[FA_M_BRIER].value, 0.15, 1e-15);
	CHECK_NEAR(m[FA_M_TPR].value, 1.0, 0);
	CHECK_NEAR(m[FA_M_FPR].value, 0.5, 0);
	CHECK_NEAR(m[FA_M_PPV].value, 2.0 / 3, 1e-15);
	CHECK_NEAR(m[FA_M_NPV].value, 1.0, 0);
	CHECK_NEAR(m[FA_M_F1].value, 0.8, 1e-15);
	CHECK_NEAR(m[FA_M_BALANCED_ACCURACY].value, 0.75, 0);
	CHECK_NEAR(m[FA_M_SELECTION_RATE].value, 0.75, 0);
	/* ECE bins: [0.2,0.3): y 0 s 0.2 -> 0.2; [0.4,0.5): y 1/2 s 0.4 -> 0.1 x2;
	 * [0.8,0.9): y 1 s 0.8 -> 0.2. (0.2 + 0.2 + 0.2) / 4 = 0.15 */
	CHECK_NEAR(m[FA_M_ECE].value, 0.15, 1e-15);
	fa_result_free(r);
}

/* All scores equal: AUC is exactly 1/2; every case is at the threshold. */
static void test_metrics__hand_all_scores_equal(void)
{
	fa_result *r = audit_text("label,score\n0,0.5\n1,0.5\n0,0.5\n1,0.5\n1,0.5\n", NULL, 0, 0.5);
	if (!r)
		return;
	CHECK_NEAR(r->overall.metrics[FA_M_AUC].value, 0.5, 0);
	CHECK_INT(r->overall.tp, 3);
	CHECK_INT(r->overall.fp, 2);
	CHECK_NEAR(r->overall.metrics[FA_M_TNR].value, 0, 0);
	CHECK_NAN(r->overall.metrics[FA_M_NPV].value);
	CHECK_STR(r->overall.metrics[FA_M_NPV].reason, "no negative decisions in group");
	fa_result_free(r);
}

/* Zero denominators: a group with positives only and no positive decisions. */
static void test_metrics__hand_zero_denominators(void)
{
	static const char *g[] = {"grp"};
	fa_result *r = audit_text("label,score,grp\n1,0.1,a\n1,0.2,a\n0,0.9,b\n1,0.7,b\n", g, 1, 0.5);
	const fa_group_result *a;
	if (!r)
		return;
	a = &r->attrs[0].groups[0];
	CHECK_STR(a->value, "a");
	CHECK_NAN(a->metrics[FA_M_FPR].value);
	CHECK_STR(a->metrics[FA_M_FPR].reason, "no negative cases in group");
	CHECK_NAN(a->metrics[FA_M_TNR].value);
	CHECK_NAN(a->metrics[FA_M_AUC].value);
	CHECK_STR(a->metrics[FA_M_AUC].reason, "group has only one class");
	CHECK_NAN(a->metrics[FA_M_BALANCED_ACCURACY].value);
	CHECK_NAN(a->metrics[FA_M_PPV].value);
	CHECK_STR(a->metrics[FA_M_PPV].reason, "no positive decisions in group");
	CHECK_NEAR(a->metrics[FA_M_TPR].value, 0, 0);
	CHECK_NEAR(a->metrics[FA_M_F1].value, 0, 0); /* 2TP/(2TP+FP+FN) = 0/2 */
	CHECK_NEAR(a->metrics[FA_M_NPV].value, 0, 0);
	fa_result_free(r);
	/* no positive cases and no positive decisions: F1 undefined */
	r = audit_text("label,score,grp\n0,0.1,a\n0,0.2,a\n", g, 1, 0.5);
	if (!r)
		return;
	CHECK_NAN(r->attrs[0].groups[0].metrics[FA_M_F1].value);
	CHECK_NAN(r->attrs[0].groups[0].metrics[FA_M_TPR].value);
	CHECK_STR(r->attrs[0].groups[0].metrics[FA_M_TPR].reason, "no positive cases in group");
	fa_result_free(r);
}

/* Scores outside [0,1]: brier and ece are undefined, the rest stands. */
static void test_metrics__hand_not_probabilities(void)
{
	fa_result *r = audit_text("label,score\n0,-2\n1,3\n0,1\n1,0.5\n", NULL, 0, 0.5);
	if (!r)
		return;
	CHECK_NAN(r->overall.metrics[FA_M_BRIER].value);
	CHECK_STR(r->overall.metrics[FA_M_BRIER].reason, "scores are not all in [0,1]");
	CHECK_NAN(r->overall.metrics[FA_M_ECE].value);
	/* pairs: (3,-2)=1 (3,1)=1 (0.5,-2)=1 (0.5,1)=0 -> 3/4 */
	CHECK_NEAR(r->overall.metrics[FA_M_AUC].value, 0.75, 0);
	CHECK_INT(r->settings.probabilities, 0);
	fa_result_free(r);
}

test_case test_metrics__cases[] = {
	{"metrics/sklearn_cxr", test_metrics__sklearn_cxr},
	{"metrics/sklearn_derm", test_metrics__sklearn_derm},
	{"metrics/hand_ties_and_threshold", test_metrics__hand_ties_and_threshold},
	{"metrics/hand_all_scores_equal", test_metrics__hand_all_scores_equal},
	{"metrics/hand_zero_denominators", test_metrics__hand_zero_denominators},
	{"metrics/hand_not_probabilities", test_metrics__hand_not_probabilities},
	{NULL, NULL},
};
