/*
 * test_cluster.c: --cluster resamples whole clusters within each group.
 *
 * Group a holds two clusters of ten records: cluster p1, every record
 * positive with score 0.9; cluster p2, every record negative with score
 * 0.1. A replicate draws two clusters from the two with replacement:
 * {p1, p2} with probability 1/2, {p1, p1} and {p2, p2} with 1/4 each. So
 * the replicate prevalence is 1/2, 1 or 0 (never anything between, as it
 * would be if records moved alone), the interval of prevalence is [0, 1],
 * and the TPR is undefined in about a quarter of the replicates.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdlib.h>

static fa_result *run(int cluster, size_t B)
{
	static const char *groups[] = {"grp"};
	fa_buf csv = FA_BUF_INIT;
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	int i;

	fa_buf_puts(&csv, "label,score,grp,patient\n");
	for (i = 0; i < 10; i++)
		fa_buf_puts(&csv, "1,0.9,a,p1\n0,0.1,a,p2\n");
	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = B;
	ao.permutations = 0;
	ao.min_n = 1;
	if (cluster) {
		lo.cluster_column = "patient";
		ao.cluster_column = "patient";
	}
	if (fa_load_memory(&t, "c.csv", csv.ptr, csv.len, &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	fa_table_free(t);
	fa_buf_free(&csv);
	return r;
}

static void test_cluster__whole_clusters_move(void)
{
	fa_result *r = run(1, 4000);
	const fa_group_result *g;
	double dropped;
	if (!r)
		return;
	g = &r->attrs[0].groups[0];
	CHECK_INT(g->n_clusters, 2);
	CHECK_STR(r->settings.cluster_column, "patient");
	CHECK(g->metrics[FA_M_PREVALENCE].has_ci);
	CHECK_NEAR(g->metrics[FA_M_PREVALENCE].ci_low, 0, 0);
	CHECK_NEAR(g->metrics[FA_M_PREVALENCE].ci_high, 1, 0);
	/* TPR needs a positive: undefined when only p2 was drawn (1/4);
	 * 4000 replicates, standard error of the share about 0.007 */
	dropped = (double)g->metrics[FA_M_TPR].ci_dropped / 4000;
	CHECK(fabs(dropped - 0.25) < 0.03);
	fa_result_free(r);
}

/* Without --cluster, the stratified bootstrap keeps the prevalence. */
static void test_cluster__records_without(void)
{
	fa_result *r = run(0, 500);
	if (!r)
		return;
	CHECK_INT(r->attrs[0].groups[0].n_clusters, 0);
	CHECK_NEAR(r->attrs[0].groups[0].metrics[FA_M_PREVALENCE].ci_low, 0.5, 0);
	CHECK_NEAR(r->attrs[0].groups[0].metrics[FA_M_PREVALENCE].ci_high, 0.5, 0);
	fa_result_free(r);
}

static void test_cluster__not_a_group(void)
{
	static const char *groups[] = {"patient"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_error err;
	const char csv[] = "label,score,patient\n1,0.9,p1\n0,0.1,p2\n";

	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.cluster_column = "patient";
	CHECK_INT(fa_load_memory(&t, "c.csv", csv, sizeof(csv) - 1, &lo, &err), FA_EUSAGE);
	CHECK_STR(err.message, "--cluster patient: the cluster column cannot also be a group");
}

test_case test_cluster__cases[] = {
	{"cluster/whole_clusters_move", test_cluster__whole_clusters_move},
	{"cluster/records_without", test_cluster__records_without},
	{"cluster/not_a_group", test_cluster__not_a_group},
	{NULL, NULL},
};
