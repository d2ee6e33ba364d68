/*
 * test_views.c: operating points (--operating-point) against R's pROC.
 *
 * On data/samples/cxr_small.csv (label, score), with pROC 1.18:
 *   r <- roc(d$label, d$score, levels=c(0,1), direction="<")
 *   co <- coords(r, x="all", ret=c("threshold","specificity","sensitivity"))
 *   spec >= 0.9 at the lowest threshold: specificity 0.902173913,
 *     sensitivity 0.5967741935 (pROC's threshold 0.484761 is the midpoint
 *     below the observed score 0.490536, where fairaudit puts it)
 *   sens >= 0.8 at the highest threshold: sensitivity 0.8064516129,
 *     specificity 0.6666666667
 * Per sex at 0.490536: mean(score[label==1] >= 0.490536) = F 0.5454545454545454,
 * M 0.6551724137931034; FPR F 0.05737704918032787, M 0.1298701298701299.
 * Each sex alone reaching specificity 0.9 (the smallest observed score
 * above pROC's threshold): F 0.427356, M 0.542702.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

static fa_result *run(size_t bootstrap)
{
	static const char *groups[] = {"sex"};
	static const char *ops[] = {"spec=0.9", "sens=0.8", "threshold=0.37"};
	const char *path = test_path("data/samples/cxr_small.csv");
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = bootstrap;
	ao.permutations = 0;
	ao.oppoints = ops;
	ao.noppoints = 3;
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0 || fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	fa_table_free(t);
	return r;
}

static void test_views__match_proc(void)
{
	fa_result *r = run(0);
	const fa_view *v;
	if (!r)
		return;
	CHECK_INT(r->nviews, 3);
	v = &r->views[0];
	CHECK_STR(v->name, "spec=0.9");
	CHECK_STR(v->kind, "spec");
	CHECK_NEAR(v->threshold.value, 0.490536, 1e-12);
	CHECK_NEAR(v->overall.metrics[FA_M_TNR].value, 0.902173913, 1e-9);
	CHECK_NEAR(v->overall.metrics[FA_M_TPR].value, 0.5967741935, 1e-9);
	CHECK_NEAR(v->attrs[0].groups[0].metrics[FA_M_TPR].value, 0.5454545454545454, 1e-12);
	CHECK_NEAR(v->attrs[0].groups[1].metrics[FA_M_TPR].value, 0.6551724137931034, 1e-12);
	CHECK_NEAR(v->attrs[0].groups[0].metrics[FA_M_FPR].value, 0.05737704918032787, 1e-12);
	CHECK_NEAR(v->attrs[0].groups[1].metrics[FA_M_FPR].value, 0.1298701298701299, 1e-12);
	CHECK_NEAR(v->attrs[0].groups[0].own_threshold, 0.427356, 1e-12);
	CHECK_NEAR(v->attrs[0].groups[1].own_threshold, 0.542702, 1e-12);
	CHECK_NEAR(v->attrs[0].gaps[FA_M_TPR].gap.value, 0.6551724137931034 - 0.5454545454545454,
		   1e-12);
	/* threshold-free metrics are those of the main result */
	CHECK_NEAR(v->attrs[0].groups[0].metrics[FA_M_AUC].value,
		   r->attrs[0].groups[0].metrics[FA_M_AUC].value, 0);
	v = &r->views[1];
	CHECK_NEAR(v->overall.metrics[FA_M_TPR].value, 0.8064516129, 1e-9);
	CHECK_NEAR(v->overall.metrics[FA_M_TNR].value, 0.6666666667, 1e-9);
	v = &r->views[2];
	CHECK_NEAR(v->threshold.value, 0.37, 0);
	CHECK_NAN(v->attrs[0].groups[0].own_threshold);
	fa_result_free(r);
}

/* The threshold is chosen again in every replicate: it gets an interval,
 * and the view's intervals are at least as wide as they would be at a
 * fixed threshold in most groups. */
static void test_views__threshold_interval(void)
{
	fa_result *r = run(300);
	const fa_view *v;
	if (!r)
		return;
	v = &r->views[0];
	CHECK(v->threshold.has_ci);
	CHECK(v->threshold.ci_low < v->threshold.value && v->threshold.value < v->threshold.ci_high);
	CHECK(v->overall.metrics[FA_M_TNR].has_ci);
	CHECK(v->attrs[0].gaps[FA_M_TPR].gap.has_ci);
	/* a fixed threshold has no interval */
	CHECK(!r->views[2].threshold.has_ci);
	fa_result_free(r);
}

static void test_views__bad_spec(void)
{
	static const char *ops[] = {"specificity=0.9"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	const char csv[] = "label,score\n0,0.1\n1,0.9\n";

	ao.oppoints = ops;
	ao.noppoints = 1;
	ao.bootstrap = 0;
	CHECK_INT(fa_load_memory(&t, "x.csv", csv, sizeof(csv) - 1, &lo, &err), 0);
	CHECK_INT(fa_audit_run(&r, t, &ao, &err), FA_EUSAGE);
	CHECK_STR(err.message,
		  "--operating-point specificity=0.9: expected spec=X, sens=X or threshold=X (e.g. spec=0.90)");
	ops[0] = "spec=1.5";
	CHECK_INT(fa_audit_run(&r, t, &ao, &err), FA_EUSAGE);
	CHECK_STR(err.message, "--operating-point spec=1.5: expected a number from 0 to 1 after '='");
	fa_table_free(t);
}

test_case test_views__cases[] = {
	{"views/match_proc", test_views__match_proc},
	{"views/threshold_interval", test_views__threshold_interval},
	{"views/bad_spec", test_views__bad_spec},
	{NULL, NULL},
};
