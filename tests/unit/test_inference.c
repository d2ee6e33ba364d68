/*
 * test_inference.c: analytic intervals and tests as the audit reports
 * them, against R.
 *
 * The data: group a, 20 positives (15 scored 0.8, 5 scored 0.3) and 20
 * negatives (4 at 0.6, 16 at 0.2); group b, 20 positives (8 at 0.7, 12 at
 * 0.4) and 20 negatives (2 at 0.55, 18 at 0.1). At threshold 0.5: TPR a =
 * 15/20, TPR b = 8/20. Expected values from R 4.2:
 *
 *   m <- matrix(c(15,5,8,12), 2, byrow=TRUE)
 *   chisq.test(m, correct=FALSE)$p.value              # 0.025160759200408729
 *   phyper(8,23,17,20) + phyper(14,23,17,20, lower.tail=FALSE)
 *                                                     # 0.053550992594374104
 *   Wilson 8/20: (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
 *                                          # 0.21880653237281711 0.61341849923774683
 *   Newcombe (method 10), 8/20 - 15/20:    # -0.57784482054404462 -0.044422628965918032
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdlib.h>

static fa_result *audit_two_groups(size_t permutations, size_t bootstrap)
{
	fa_buf csv = FA_BUF_INIT;
	static const char *groups[] = {"grp"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	int i;

	fa_buf_puts(&csv, "label,score,grp\n");
	for (i = 0; i < 15; i++) fa_buf_puts(&csv, "1,0.8,a\n");
	for (i = 0; i < 5; i++) fa_buf_puts(&csv, "1,0.3,a\n");
	for (i = 0; i < 4; i++) fa_buf_puts(&csv, "0,0.6,a\n");
	for (i = 0; i < 16; i++) fa_buf_puts(&csv, "0,0.2,a\n");
	for (i = 0; i < 8; i++) fa_buf_puts(&csv, "1,0.7,b\n");
	for (i = 0; i < 12; i++) fa_buf_puts(&csv, "1,0.4,b\n");
	for (i = 0; i < 2; i++) fa_buf_puts(&csv, "0,0.55,b\n");
	for (i = 0; i < 18; i++) fa_buf_puts(&csv, "0,0.1,b\n");
	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = bootstrap;
	ao.permutations = permutations;
	ao.seed = 11;
	if (fa_load_memory(&t, "two.csv", csv.ptr, csv.len, &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	fa_table_free(t);
	fa_buf_free(&csv);
	return r;
}

static void test_inference__chisq_and_newcombe(void)
{
	fa_result *r = audit_two_groups(0, 0);
	const fa_attr_result *A;
	const fa_group_result *b;
	if (!r)
		return;
	A = &r->attrs[0];
	CHECK_INT(A->reference, 0); /* equal sizes: the first group */
	b = &A->groups[1];
	CHECK_STR(b->value, "b");
	CHECK_NEAR(b->metrics[FA_M_TPR].value, 0.4, 0);
	CHECK(b->metrics[FA_M_TPR].has_aci);
	CHECK_NEAR(b->metrics[FA_M_TPR].aci_low, 0.21880653237281711, 1e-12);
	CHECK_NEAR(b->metrics[FA_M_TPR].aci_high, 0.61341849923774683, 1e-12);
	CHECK_NEAR(b->diff[FA_M_TPR].value, -0.35, 1e-15);
	CHECK(b->diff[FA_M_TPR].has_aci);
	CHECK_NEAR(b->diff[FA_M_TPR].aci_low, -0.57784482054404462, 1e-12);
	CHECK_NEAR(b->diff[FA_M_TPR].aci_high, -0.044422628965918032, 1e-12);
	/* the 2 x 2 test of the difference and the k-group test agree for k = 2 */
	CHECK_NEAR(b->diff[FA_M_TPR].p_value, 0.025160759200408729, 1e-12);
	CHECK_NEAR(A->gaps[FA_M_TPR].chisq_p, 0.025160759200408729, 1e-12);
	CHECK_NEAR(A->gaps[FA_M_TPR].chisq, 5.0127877237851663, 1e-10);
	CHECK_NEAR(A->gaps[FA_M_TPR].chisq_df, 1, 0);
	/* not a rate: no chi-square */
	CHECK_NAN(A->gaps[FA_M_AUC].chisq_p);
	/* the reference has no difference to itself */
	CHECK_NAN(A->groups[0].diff[FA_M_TPR].p_value);
	/* every adjusted p-value is at least the raw one (Holm) */
	CHECK(b->diff[FA_M_TPR].p_adjusted >= b->diff[FA_M_TPR].p_value);
	CHECK(A->gaps[FA_M_TPR].chisq_p_adjusted <= 1);
	fa_result_free(r);
}

/* The permutation p-value of the TPR gap is near the exact one: with B =
 * 4000, the Monte Carlo standard error is about 0.0036. */
static void test_inference__permutation_gap(void)
{
	fa_result *r = audit_two_groups(4000, 0);
	double p, se = sqrt(0.0536 * (1 - 0.0536) / 4000);
	if (!r)
		return;
	p = r->attrs[0].gaps[FA_M_TPR].perm_p;
	CHECK(fabs(p - 0.053550992594374104) < 4 * se);
	/* prevalence is the same in both groups by construction: p = 1 */
	CHECK_NEAR(r->attrs[0].gaps[FA_M_PREVALENCE].perm_p, 1.0, 0);
	fa_result_free(r);
}

/* Same seed, same answer, whatever the thread count. */
static void test_inference__permutation_deterministic(void)
{
	fa_result *r1 = audit_two_groups(500, 0), *r2;
	if (!r1)
		return;
	r2 = audit_two_groups(500, 0);
	if (r2) {
		int m;
		for (m = 0; m < FA_M__COUNT; m++)
			CHECK_NEAR(r1->attrs[0].gaps[m].perm_p, r2->attrs[0].gaps[m].perm_p, 0);
		fa_result_free(r2);
	}
	fa_result_free(r1);
}

/* The bias-corrected gap subtracts the bootstrap bias and is never < 0. */
static void test_inference__gap_corrected(void)
{
	fa_result *r = audit_two_groups(0, 400);
	const fa_gap *g;
	if (!r)
		return;
	g = &r->attrs[0].gaps[FA_M_TPR];
	CHECK(!isnan(g->gap_corrected.value));
	CHECK(g->gap_corrected.value >= 0);
	CHECK(g->gap_corrected.has_ci);
	CHECK(g->gap_corrected.ci_low <= g->gap_corrected.ci_high);
	/* prevalence cannot vary under the stratified bootstrap: bias 0 */
	CHECK_NEAR(r->attrs[0].gaps[FA_M_PREVALENCE].gap_corrected.value,
		   r->attrs[0].gaps[FA_M_PREVALENCE].gap.value, 1e-15);
	fa_result_free(r);
}

/* Leakage: among negatives, group a scores 0.1 and 0.2 and the rest 0.3,
 * 0.4 and 0.2: pairs (a, rest) won 0, tied 1 of 6 -> AUC 1/12. Among
 * positives, a scores 0.9 against 0.5 and 0.7 for the rest -> AUC 1. */
static void test_inference__leakage(void)
{
	static const char *groups[] = {"grp"};
	static const char csv[] = "label,score,grp\n0,0.1,a\n0,0.2,a\n0,0.3,b\n0,0.4,b\n0,0.2,b\n"
				  "1,0.9,a\n1,0.5,b\n1,0.7,b\n";
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	ao.min_n = 1;
	if (fa_load_memory(&t, "leak.csv", csv, strlen(csv), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		fa_table_free(t);
		return;
	}
	CHECK_NEAR(r->attrs[0].groups[0].leakage[0].value, 1.0 / 12, 1e-15);
	CHECK_NEAR(r->attrs[0].groups[0].leakage[1].value, 1.0, 0);
	/* b against a is the mirror image */
	CHECK_NEAR(r->attrs[0].groups[1].leakage[0].value, 11.0 / 12, 1e-15);
	CHECK_NEAR(r->attrs[0].groups[1].leakage[1].value, 0.0, 0);
	fa_table_free(t);
	fa_result_free(r);
}

test_case test_inference__cases[] = {
	{"inference/leakage", test_inference__leakage},
	{"inference/chisq_and_newcombe", test_inference__chisq_and_newcombe},
	{"inference/permutation_gap", test_inference__permutation_gap},
	{"inference/permutation_deterministic", test_inference__permutation_deterministic},
	{"inference/gap_corrected", test_inference__gap_corrected},
	{NULL, NULL},
};
