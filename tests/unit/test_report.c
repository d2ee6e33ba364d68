/*
 * test_report.c: the Markdown, JSON and tidy CSV reporters, and reading a
 * JSON report back.
 *
 * Most cases start from a result built by hand (hand_result), so every
 * number a report should show is known in advance: the Markdown strings
 * below are those numbers rounded by hand, the CSV is parsed back with a
 * separate RFC 4180 reader and its rows counted by hand, and the JSON is
 * read back and compared field by field, bit for bit.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "fairaudit/power.h"
#include "fairaudit/representation.h"

#include <ctype.h>
#include <stdlib.h>

static const char R_SUPP[] = "withheld: group smaller than --suppress-below";
static const char R_NOPOS[] = "no positive cases in group";
static const char R_REF[] = "this is the reference group";
static const char R_FEW[] = "fewer than two eligible groups with a defined value";
static const char WEIRD[] = "A|B,\"x\"\nz";

/* As the audit makes them: no test, so no p-values. */
static fa_estimate est(double v)
{
	fa_estimate e;
	memset(&e, 0, sizeof(e));
	e.value = v;
	e.p_value = e.p_adjusted = NAN;
	return e;
}

static fa_estimate est_ci(double v, double lo, double hi)
{
	fa_estimate e = est(v);
	e.has_ci = 1;
	e.ci_low = lo;
	e.ci_high = hi;
	return e;
}

static fa_estimate undef(const char *why)
{
	fa_estimate e = est(NAN);
	e.reason = why;
	return e;
}

static void set_group(fa_group_result *g, const char *value, const char *const *levels,
		      size_t nlevels, size_t n, size_t n_pos, size_t tp, size_t fp)
{
	size_t i;
	g->value = fa_xstrdup(value);
	g->nlevels = nlevels;
	g->levels = fa_xcalloc(nlevels ? nlevels : 1, sizeof(char *));
	for (i = 0; i < nlevels; i++)
		g->levels[i] = fa_xstrdup(levels[i]);
	g->n = n;
	g->n_pos = n_pos;
	g->n_neg = n - n_pos;
	g->tp = tp;
	g->fp = fp;
	g->fn = n_pos - tp;
	g->tn = n - n_pos - fp;
	g->own_threshold = NAN; /* as the audit leaves it outside operating points */
}

static void add_check(fa_gate_result *g, const char *where, fa_estimate v, fa_gate_outcome o,
		      const char *note)
{
	g->checks = fa_xrealloc(g->checks, (g->nchecks + 1) * sizeof(fa_gate_check));
	g->checks[g->nchecks].where = fa_xstrdup(where);
	g->checks[g->nchecks].value = v;
	g->checks[g->nchecks].outcome = o;
	g->checks[g->nchecks].note = note ? fa_xstrdup(note) : NULL;
	g->nchecks++;
}

/* A deep copy of a group as an operating point holds it: no curves, power
 * or representation, leakage left to the main result, and its own
 * threshold (a suppressed group has none). */
static void copy_group(fa_group_result *to, const fa_group_result *from, double own,
		       const char *leak_why)
{
	size_t i;
	*to = *from;
	to->value = fa_xstrdup(from->value);
	to->levels = fa_xcalloc(from->nlevels ? from->nlevels : 1, sizeof(char *));
	for (i = 0; i < from->nlevels; i++)
		to->levels[i] = fa_xstrdup(from->levels[i]);
	memset(&to->curves, 0, sizeof(to->curves));
	memset(to->mdd, 0, sizeof(to->mdd));
	to->underpowered = 0;
	memset(&to->representation, 0, sizeof(to->representation));
	to->leakage[0] = to->leakage[1] = undef(leak_why);
	to->own_threshold = from->status == FA_GROUP_SUPPRESSED ? NAN : own;
}

static void copy_attr(fa_attr_result *to, const fa_attr_result *from, const double *own)
{
	size_t i;
	*to = *from;
	to->name = fa_xstrdup(from->name);
	to->columns = fa_xcalloc(from->ncolumns, sizeof(char *));
	for (i = 0; i < from->ncolumns; i++)
		to->columns[i] = fa_xstrdup(from->columns[i]);
	to->groups = fa_xcalloc(from->ngroups, sizeof(fa_group_result));
	for (i = 0; i < from->ngroups; i++)
		copy_group(&to->groups[i], &from->groups[i], own[i], "see the main result");
	memset(&to->representation, 0, sizeof(to->representation));
}

/* ROC curves and calibration bins: race=W has both (three empty bins),
 * the whole population a curve only. */
static void add_curves(fa_result *r)
{
	static const double fpr[] = {0, 0.25, 0.5, 1}, tpr[] = {0, 0.5, 0.75, 1};
	static const size_t count[FA_CALIB_BINS] = {1, 0, 2, 0, 0, 1, 0, 0, 2, 1};
	fa_group_curves *c = &r->attrs[0].groups[1].curves;
	size_t k;

	c->roc.n = 4;
	c->roc.fpr = fa_xmalloc(4 * sizeof(double));
	c->roc.tpr = fa_xmalloc(4 * sizeof(double));
	memcpy(c->roc.fpr, fpr, sizeof(fpr));
	memcpy(c->roc.tpr, tpr, sizeof(tpr));
	c->has_calib = 1;
	for (k = 0; k < FA_CALIB_BINS; k++) {
		c->calib.count[k] = count[k];
		c->calib.mean_score[k] = count[k] ? 0.1 * (double)k + 0.0625 : NAN;
		c->calib.observed[k] = count[k] ? 1.0 / (double)(k + 1) : NAN;
	}
	c = &r->overall.curves;
	c->roc.n = 2;
	c->roc.fpr = fa_xcalloc(2, sizeof(double));
	c->roc.tpr = fa_xcalloc(2, sizeof(double));
	c->roc.fpr[1] = c->roc.tpr[1] = 1;
}

/* One operating point, "spec=0.9": the threshold 0.44140625 [0.375, 0.5];
 * race=W's tpr 0.8203125 there and own threshold 0.375, the odd group's
 * 0.5, I reaches the target at no threshold; the tpr gap 0.125. */
static void add_view(fa_result *r)
{
	static const double own_race[] = {0.5, 0.375, NAN, NAN}, own_sr[] = {0.25};
	fa_view *v;

	r->nviews = 1;
	r->views = fa_xcalloc(1, sizeof(fa_view));
	v = &r->views[0];
	v->name = fa_xstrdup("spec=0.9");
	v->kind = fa_xstrdup("spec");
	v->target = 0.9;
	v->threshold = est_ci(0.44140625, 0.375, 0.5);
	copy_group(&v->overall, &r->overall, 0.44140625, "not defined for the whole population");
	v->overall.metrics[FA_M_TNR] = est_ci(0.90625, 0.875, 0.9375);
	v->nattrs = 2;
	v->attrs = fa_xcalloc(2, sizeof(fa_attr_result));
	copy_attr(&v->attrs[0], &r->attrs[0], own_race);
	copy_attr(&v->attrs[1], &r->attrs[1], own_sr);
	v->attrs[0].groups[1].metrics[FA_M_TPR] = est_ci(0.8203125, 0.75, 0.875);
	v->attrs[0].gaps[FA_M_TPR].gap = est_ci(0.125, 0.0625, 0.25);
	v->attrs[0].gaps[FA_M_TPR].chisq_p = 0.25;
	v->attrs[0].gaps[FA_M_TPR].chisq_p_adjusted = NAN;
	v->attrs[0].gaps[FA_M_TPR].chisq_low_expected = 0;
	v->attrs[0].gaps[FA_M_TPR].perm_p = v->attrs[0].gaps[FA_M_TPR].perm_p_adjusted = NAN;
	v->attrs[0].summary[FA_S_EQUALIZED_ODDS_DIFF] = est_ci(0.1875, 0.125, 0.25);
}

/*
 * Attribute "race": groups WEIRD (ok), "W" (ok, the reference), "S"
 * (suppressed), "I" (insufficient, no positive cases). Attribute
 * "sex+race": one insufficient group and no reference. Four gates, all
 * failed (one with an inconclusive check besides), so the verdict is FAIL.
 */
static fa_result *hand_result(void)
{
	fa_result *r = fa_xcalloc(1, sizeof(*r));
	fa_attr_result *a;
	fa_gate_result *gate;
	const char *lv[2];
	int m;
	size_t g;

	r->tool_version = fa_xstrdup("9.8.7");
	r->command_line = fa_xstrdup("fairaudit audit \"a,b.csv\" --group race --seed 18446744073709551615");
	r->nfiles = 2;
	r->files = fa_xcalloc(2, sizeof(fa_file_info));
	r->files[0].path = fa_xstrdup("in/a,b \"q\"|x.csv");
	strcpy(r->files[0].sha256, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	r->files[0].format = fa_xstrdup("csv");
	r->files[0].bytes = 1234;
	r->files[0].rows = 10;
	r->files[1].path = fa_xstrdup("in/b.jsonl.gz");
	strcpy(r->files[1].sha256, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
	r->files[1].format = fa_xstrdup("jsonl");
	r->files[1].gzip = 1;
	r->files[1].bytes = 99;
	r->files[1].rows = 7;
	r->rows_read = 17;
	r->rows_used = 15;
	r->rows_dropped = 2;
	r->ndrops = 1;
	r->drops = fa_xcalloc(1, sizeof(fa_drop_count));
	r->drops[0].reason = fa_xstrdup("missing_score");
	r->drops[0].count = 2;
	r->settings.label_column = fa_xstrdup("y");
	r->settings.score_column = fa_xstrdup("score_v2");
	r->settings.positive = fa_xstrdup("yes");
	r->settings.threshold = 0.3;
	r->settings.min_n = 5;
	r->settings.suppress_below = 3;
	r->settings.bootstrap = 100;
	r->settings.ci_level = 0.9;
	r->settings.seed = UINT64_MAX;
	r->settings.scheme = fa_xstrdup("poisson");
	r->settings.gate_on = fa_xstrdup("ci-violation");
	r->settings.probabilities = 1;
	r->settings.ci_method = fa_xstrdup("both");
	r->settings.bootstrap_ci = fa_xstrdup("bca");
	r->settings.permutations = 999;
	r->settings.p_adjust = fa_xstrdup("bh");
	r->settings.cluster_column = fa_xstrdup("patient_id");
	r->settings.power_annotated = 1;
	r->settings.power_detectable = 0.1;
	r->settings.power_target = 0.8;
	r->settings.power_alpha = 0.05;
	r->settings.population = fa_xstrdup("pop,ulation.csv");

	set_group(&r->overall, "overall", NULL, 0, 15, 6, 4, 2);
	for (m = 0; m < FA_M__COUNT; m++)
		r->overall.metrics[m] = est_ci(1.0 / (m + 3), 0.5 / (m + 3), 1.5 / (m + 3));
	r->overall.metrics[FA_M_AUC] = est_ci(0.71234, 0.6, 0.8);
	r->overall.metrics[FA_M_AUC].has_aci = 1;
	r->overall.metrics[FA_M_AUC].aci_low = 0.61;
	r->overall.metrics[FA_M_AUC].aci_high = 0.79;
	r->overall.n_clusters = 9;
	r->overall.leakage[0] = undef("not defined for the whole population");
	r->overall.leakage[1] = undef("not defined for the whole population");
	for (m = 0; m < FA_M__COUNT; m++)
		r->overall.mdd[m] = undef("not defined for the whole population");
	r->overall.representation.audit_share = undef("not defined for the whole population");
	r->overall.representation.population_share = NAN;
	r->overall.representation.ratio = undef("not defined for the whole population");

	r->nattrs = 2;
	r->attrs = fa_xcalloc(2, sizeof(fa_attr_result));
	a = &r->attrs[0];
	a->name = fa_xstrdup("race");
	a->ncolumns = 1;
	a->columns = fa_xcalloc(1, sizeof(char *));
	a->columns[0] = fa_xstrdup("race");
	a->ngroups = 4;
	a->groups = fa_xcalloc(4, sizeof(fa_group_result));
	lv[0] = WEIRD;
	set_group(&a->groups[0], WEIRD, lv, 1, 6, 3, 2, 1);
	lv[0] = "W";
	set_group(&a->groups[1], "W", lv, 1, 7, 3, 2, 1);
	lv[0] = "S";
	set_group(&a->groups[2], "S", lv, 1, 0, 0, 0, 0);
	a->groups[2].status = FA_GROUP_SUPPRESSED;
	lv[0] = "I";
	set_group(&a->groups[3], "I", lv, 1, 2, 0, 0, 1);
	a->groups[3].status = FA_GROUP_INSUFFICIENT;
	a->reference = 1;
	for (m = 0; m < FA_M__COUNT; m++) {
		a->groups[0].metrics[m] = est_ci(0.1 + 0.05 * m, 0.05 * m, 0.2 + 0.05 * m);
		a->groups[0].diff[m] = est_ci(-0.01 * m, -0.02 * m - 0.1, 0.3);
		a->groups[0].ratio[m] = est_ci(1 + 0.01 * m, 0.5, 2);
		a->groups[1].metrics[m] = est_ci(0.2 + 0.05 * m, 0.1, 0.9);
		a->groups[1].diff[m] = undef(R_REF);
		a->groups[1].ratio[m] = undef(R_REF);
		a->groups[2].metrics[m] = undef(R_SUPP);
		a->groups[2].diff[m] = undef(R_SUPP);
		a->groups[2].ratio[m] = undef(R_SUPP);
		a->groups[3].metrics[m] = est(0.5);
		a->groups[3].diff[m] = undef("group is left out of comparisons");
		a->groups[3].ratio[m] = undef("group is left out of comparisons");
		a->gaps[m].gap = undef(R_FEW);
		a->gaps[m].ratio = undef(R_FEW);
		a->gaps[m].min = undef(R_FEW);
		a->gaps[m].max = undef(R_FEW);
		a->gaps[m].best = a->gaps[m].worst = -1;
	}
	a->groups[1].metrics[FA_M_AUC] = est_ci(0.8456, 0.8314, 0.86152);
	a->groups[3].metrics[FA_M_TPR] = undef(R_NOPOS);
	a->groups[3].metrics[FA_M_AUC] = undef("group has only one class");
	a->gaps[FA_M_TPR].gap = est_ci(0.25, 0.1, 0.4);
	a->gaps[FA_M_TPR].gap.ci_dropped = 3;
	a->gaps[FA_M_TPR].ratio = est_ci(0.6, 0.3, 0.9);
	a->gaps[FA_M_TPR].min = est(0.375);
	a->gaps[FA_M_TPR].max = est(0.625);
	a->gaps[FA_M_TPR].best = 1;
	a->gaps[FA_M_TPR].worst = 0;
	for (m = 0; m < FA_S__COUNT; m++)
		a->summary[m] = est_ci(0.0625 * (m + 1), 0.01, 0.9);
	/* analytic intervals, tests, leakage, power, representation */
	a->groups[0].diff[FA_M_TPR].has_aci = 1;
	a->groups[0].diff[FA_M_TPR].aci_low = -0.21;
	a->groups[0].diff[FA_M_TPR].aci_high = 0.15;
	a->groups[0].diff[FA_M_TPR].p_value = 0.0123;
	a->groups[0].diff[FA_M_TPR].p_adjusted = 0.0492;
	for (m = 0; m < FA_M__COUNT; m++) {
		fa_gap *gp = &a->gaps[m];
		gp->gap_corrected = undef(R_FEW);
		gp->perm_p = gp->perm_p_adjusted = NAN;
		gp->chisq = gp->chisq_df = gp->chisq_p = gp->chisq_p_adjusted = NAN;
	}
	a->gaps[FA_M_TPR].gap_corrected = est_ci(0.2, 0.05, 0.35);
	a->gaps[FA_M_TPR].perm_p = 0.004995004995004995;
	a->gaps[FA_M_TPR].perm_p_adjusted = 0.03;
	a->gaps[FA_M_TPR].chisq = 7.25;
	a->gaps[FA_M_TPR].chisq_df = 1;
	a->gaps[FA_M_TPR].chisq_p = 0.00709;
	a->gaps[FA_M_TPR].chisq_p_adjusted = 0.0425;
	a->gaps[FA_M_TPR].chisq_low_expected = 1;
	for (g = 0; g < 4; g++) {
		fa_group_result *gr = &a->groups[g];
		int c;
		for (c = 0; c < 2; c++)
			gr->leakage[c] = g == 2 ? undef(R_SUPP) : est(0.5 + 0.01 * (double)(g + c));
		gr->leakage[1].has_aci = g != 2;
		gr->leakage[1].aci_low = 0.4;
		gr->leakage[1].aci_high = 0.7;
		for (m = 0; m < FA_M__COUNT; m++)
			gr->mdd[m] = g == 0 ? est(0.05 * (m + 1)) : undef("group is left out of comparisons");
		gr->underpowered = g == 0;
		gr->representation.named = g != 3;
		gr->representation.audit_share = g >= 2 ? undef("counts withheld") : est(0.4 + 0.2 * (double)g);
		gr->representation.population_share = g == 3 ? NAN : 0.25;
		gr->representation.ratio = g >= 2 ? undef("counts withheld") : est(1.6 + 0.8 * (double)g);
	}
	a->groups[0].n_clusters = 4;
	a->groups[1].n_clusters = 5;
	a->groups[3].n_clusters = 1;
	a->representation.named = 1;
	a->representation.n_named = 13;
	a->representation.n_unnamed = 2;
	a->representation.chisq = 3.5;
	a->representation.df = 1;
	a->representation.p_value = 0.0614;
	a->representation.min_expected = 3.25;
	a->representation.low_expected = 1;
	a->representation.nabsent = 1;
	a->representation.absent = fa_xcalloc(1, sizeof(fa_population_value));
	a->representation.absent[0].value = fa_xstrdup("Z, \"the rest\"");
	a->representation.absent[0].share = 0.125;

	a = &r->attrs[1];
	a->name = fa_xstrdup("sex+race");
	a->ncolumns = 2;
	a->columns = fa_xcalloc(2, sizeof(char *));
	a->columns[0] = fa_xstrdup("sex");
	a->columns[1] = fa_xstrdup("race");
	a->ngroups = 1;
	a->groups = fa_xcalloc(1, sizeof(fa_group_result));
	lv[0] = "F";
	lv[1] = "W";
	set_group(&a->groups[0], "F+W", lv, 2, 4, 2, 1, 0);
	a->groups[0].status = FA_GROUP_INSUFFICIENT;
	a->reference = -1;
	a->reference_reason = "no group has enough records";
	for (m = 0; m < FA_M__COUNT; m++) {
		a->groups[0].metrics[m] = est(0.25);
		a->groups[0].diff[m] = undef("no group has enough records");
		a->groups[0].ratio[m] = undef("no group has enough records");
		a->gaps[m].gap = a->gaps[m].ratio = a->gaps[m].min = a->gaps[m].max = undef(R_FEW);
		a->gaps[m].best = a->gaps[m].worst = -1;
	}
	for (m = 0; m < FA_S__COUNT; m++)
		a->summary[m] = undef(R_FEW);
	for (m = 0; m < FA_M__COUNT; m++) {
		a->gaps[m].gap_corrected = undef(R_FEW);
		a->gaps[m].perm_p = a->gaps[m].perm_p_adjusted = NAN;
		a->gaps[m].chisq = a->gaps[m].chisq_df = NAN;
		a->gaps[m].chisq_p = a->gaps[m].chisq_p_adjusted = NAN;
		a->groups[0].mdd[m] = undef("no reference group");
	}
	a->groups[0].leakage[0] = est(0.5);
	a->groups[0].leakage[1] = est(0.5);
	a->groups[0].representation.audit_share = undef("attribute not in the population file");
	a->groups[0].representation.population_share = NAN;
	a->groups[0].representation.ratio = undef("attribute not in the population file");
	a->representation.chisq = a->representation.p_value = a->representation.min_expected = NAN;
	a->representation.reason = "attribute not in the population file";
	r->npopulation_unmatched = 1;
	r->population_unmatched = fa_xcalloc(1, sizeof(char *));
	r->population_unmatched[0] = fa_xstrdup("age");

	r->ngates = 4;
	r->gates = fa_xcalloc(4, sizeof(fa_gate_result));
	gate = &r->gates[0];
	gate->expr = fa_xstrdup("race:tpr_gap<=0.1");
	gate->op = fa_xstrdup("<=");
	gate->limit = 0.1;
	gate->outcome = FA_GATE_FAIL;
	add_check(gate, "race:tpr_gap", r->attrs[0].gaps[FA_M_TPR].gap, FA_GATE_FAIL, NULL);
	gate = &r->gates[1];
	gate->expr = fa_xstrdup("auc>=0.8");
	gate->op = fa_xstrdup(">=");
	gate->limit = 0.8;
	gate->outcome = FA_GATE_FAIL;
	add_check(gate, "race=W:auc", r->attrs[0].groups[1].metrics[FA_M_AUC], FA_GATE_FAIL, NULL);
	add_check(gate, "race=I:auc", r->attrs[0].groups[3].metrics[FA_M_AUC], FA_GATE_INCONCLUSIVE,
		  "auc is undefined: group has only one class");
	add_check(gate, "overall.auc", r->overall.metrics[FA_M_AUC], FA_GATE_FAIL, NULL);
	gate = &r->gates[2];
	gate->expr = fa_xstrdup("race:ppv_diff>=-0.05");
	gate->op = fa_xstrdup(">=");
	gate->limit = -0.05;
	gate->outcome = FA_GATE_FAIL;
	add_check(gate, "race=A|B,\"x\"\nz:ppv_diff", r->attrs[0].groups[0].diff[FA_M_PPV],
		  FA_GATE_FAIL, NULL);
	gate = &r->gates[3];
	gate->expr = fa_xstrdup("race:tpr_ratio>=0.8");
	gate->op = fa_xstrdup(">=");
	gate->limit = 0.8;
	gate->outcome = FA_GATE_FAIL;
	add_check(gate, "race:tpr_ratio", r->attrs[0].gaps[FA_M_TPR].ratio, FA_GATE_FAIL, NULL);
	r->verdict = FA_GATE_FAIL;
	add_curves(r);
	add_view(r);
	return r;
}

/* ---- comparing results ------------------------------------------------- */

static int same_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b && signbit(a) == signbit(b);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define SAME_D(a, b, what)                                                            \
	do {                                                                          \
		if (!same_double((a), (b)))                                           \
			test_fail(__FILE__, __LINE__, "%s: %.17g != %.17g", what, (double)(a), \
				  (double)(b));                                       \
	} while (0)
#define SAME_Z(a, b, what)                                                            \
	do {                                                                          \
		if ((a) != (b))                                                       \
			test_fail(__FILE__, __LINE__, "%s: %llu != %llu", what,        \
				  (unsigned long long)(a), (unsigned long long)(b));  \
	} while (0)
#define SAME_S(a, b, what)                                                            \
	do {                                                                          \
		if (!same_str((a), (b)))                                              \
			test_fail(__FILE__, __LINE__, "%s: \"%s\" != \"%s\"", what,    \
				  (a) ? (a) : "(null)", (b) ? (b) : "(null)");        \
	} while (0)

static void same_estimate(const fa_estimate *a, const fa_estimate *b, const char *what)
{
	SAME_D(a->value, b->value, what);
	SAME_S(a->reason, b->reason, what);
	SAME_Z(a->has_ci, b->has_ci, what);
	if (a->has_ci && b->has_ci) {
		SAME_D(a->ci_low, b->ci_low, what);
		SAME_D(a->ci_high, b->ci_high, what);
	}
	SAME_Z(a->ci_dropped, b->ci_dropped, what);
	SAME_Z(a->has_aci, b->has_aci, what);
	if (a->has_aci && b->has_aci) {
		SAME_D(a->aci_low, b->aci_low, what);
		SAME_D(a->aci_high, b->aci_high, what);
	}
	SAME_D(a->p_value, b->p_value, what);
	SAME_D(a->p_adjusted, b->p_adjusted, what);
}

static void same_group(const fa_group_result *a, const fa_group_result *b, const char *what)
{
	char w[256];
	size_t i;
	int m;

	SAME_S(a->value, b->value, what);
	SAME_Z(a->nlevels, b->nlevels, what);
	for (i = 0; i < a->nlevels && i < b->nlevels; i++)
		SAME_S(a->levels[i], b->levels[i], what);
	SAME_Z(a->n, b->n, what);
	SAME_Z(a->n_pos, b->n_pos, what);
	SAME_Z(a->n_neg, b->n_neg, what);
	SAME_Z(a->tp, b->tp, what);
	SAME_Z(a->fp, b->fp, what);
	SAME_Z(a->tn, b->tn, what);
	SAME_Z(a->fn, b->fn, what);
	SAME_Z(a->n_clusters, b->n_clusters, what);
	SAME_Z(a->status, b->status, what);
	for (m = 0; m < FA_M__COUNT; m++) {
		snprintf(w, sizeof(w), "%s %s", what, fa_metric_name((fa_metric)m));
		same_estimate(&a->metrics[m], &b->metrics[m], w);
		same_estimate(&a->diff[m], &b->diff[m], w);
		same_estimate(&a->ratio[m], &b->ratio[m], w);
		same_estimate(&a->mdd[m], &b->mdd[m], w);
	}
	snprintf(w, sizeof(w), "%s leakage", what);
	same_estimate(&a->leakage[0], &b->leakage[0], w);
	same_estimate(&a->leakage[1], &b->leakage[1], w);
	SAME_Z(a->underpowered, b->underpowered, what);
	snprintf(w, sizeof(w), "%s representation", what);
	SAME_Z(a->representation.named, b->representation.named, w);
	same_estimate(&a->representation.audit_share, &b->representation.audit_share, w);
	SAME_D(a->representation.population_share, b->representation.population_share, w);
	same_estimate(&a->representation.ratio, &b->representation.ratio, w);
	SAME_Z(a->representation.under_represented, b->representation.under_represented, w);
	snprintf(w, sizeof(w), "%s own_threshold", what);
	SAME_D(a->own_threshold, b->own_threshold, w);
	snprintf(w, sizeof(w), "%s curves", what);
	SAME_Z(a->curves.roc.n, b->curves.roc.n, w);
	for (i = 0; i < a->curves.roc.n && i < b->curves.roc.n; i++) {
		SAME_D(a->curves.roc.fpr[i], b->curves.roc.fpr[i], w);
		SAME_D(a->curves.roc.tpr[i], b->curves.roc.tpr[i], w);
	}
	SAME_Z(a->curves.has_calib, b->curves.has_calib, w);
	for (i = 0; i < FA_CALIB_BINS; i++) {
		SAME_Z(a->curves.calib.count[i], b->curves.calib.count[i], w);
		SAME_D(a->curves.calib.mean_score[i], b->curves.calib.mean_score[i], w);
		SAME_D(a->curves.calib.observed[i], b->curves.calib.observed[i], w);
	}
}

static void same_attr(const fa_attr_result *x, const fa_attr_result *y)
{
	size_t j;
	int m;
	char w[256];

	SAME_S(x->name, y->name, "attr name");
	SAME_Z(x->ncolumns, y->ncolumns, "ncolumns");
	for (j = 0; j < x->ncolumns && j < y->ncolumns; j++)
		SAME_S(x->columns[j], y->columns[j], "column");
	SAME_Z((unsigned long long)x->reference, (unsigned long long)y->reference, "reference");
	SAME_S(x->reference_reason, y->reference_reason, "reference_reason");
	SAME_Z(x->ngroups, y->ngroups, "ngroups");
	for (j = 0; j < x->ngroups && j < y->ngroups; j++) {
		snprintf(w, sizeof(w), "%s group %zu", x->name, j);
		same_group(&x->groups[j], &y->groups[j], w);
	}
	for (m = 0; m < FA_M__COUNT; m++) {
		snprintf(w, sizeof(w), "%s gap %s", x->name, fa_metric_name((fa_metric)m));
		same_estimate(&x->gaps[m].gap, &y->gaps[m].gap, w);
		same_estimate(&x->gaps[m].ratio, &y->gaps[m].ratio, w);
		same_estimate(&x->gaps[m].min, &y->gaps[m].min, w);
		same_estimate(&x->gaps[m].max, &y->gaps[m].max, w);
		SAME_Z((unsigned long long)x->gaps[m].best, (unsigned long long)y->gaps[m].best, w);
		SAME_Z((unsigned long long)x->gaps[m].worst, (unsigned long long)y->gaps[m].worst, w);
		same_estimate(&x->gaps[m].gap_corrected, &y->gaps[m].gap_corrected, w);
		SAME_D(x->gaps[m].perm_p, y->gaps[m].perm_p, w);
		SAME_D(x->gaps[m].perm_p_adjusted, y->gaps[m].perm_p_adjusted, w);
		SAME_D(x->gaps[m].chisq, y->gaps[m].chisq, w);
		SAME_D(x->gaps[m].chisq_df, y->gaps[m].chisq_df, w);
		SAME_D(x->gaps[m].chisq_p, y->gaps[m].chisq_p, w);
		SAME_D(x->gaps[m].chisq_p_adjusted, y->gaps[m].chisq_p_adjusted, w);
		SAME_Z(x->gaps[m].chisq_low_expected, y->gaps[m].chisq_low_expected, w);
	}
	{
		const fa_attr_representation *p = &x->representation, *q = &y->representation;
		SAME_Z(p->named, q->named, "rep named");
		SAME_Z(p->n_named, q->n_named, "rep n_named");
		SAME_Z(p->n_unnamed, q->n_unnamed, "rep n_unnamed");
		SAME_D(p->chisq, q->chisq, "rep chisq");
		SAME_Z(p->df, q->df, "rep df");
		SAME_D(p->p_value, q->p_value, "rep p_value");
		SAME_D(p->min_expected, q->min_expected, "rep min_expected");
		SAME_Z(p->low_expected, q->low_expected, "rep low_expected");
		SAME_S(p->reason, q->reason, "rep reason");
		SAME_Z(p->nabsent, q->nabsent, "rep nabsent");
		for (j = 0; j < p->nabsent && j < q->nabsent; j++) {
			SAME_S(p->absent[j].value, q->absent[j].value, "absent value");
			SAME_D(p->absent[j].share, q->absent[j].share, "absent share");
		}
	}
	for (m = 0; m < FA_S__COUNT; m++)
		same_estimate(&x->summary[m], &y->summary[m], fa_summary_name((fa_summary)m));
}

static void same_result(const fa_result *a, const fa_result *b)
{
	size_t i, j;

	SAME_S(a->tool_version, b->tool_version, "tool_version");
	SAME_S(a->command_line, b->command_line, "command_line");
	SAME_Z(a->nfiles, b->nfiles, "nfiles");
	for (i = 0; i < a->nfiles && i < b->nfiles; i++) {
		SAME_S(a->files[i].path, b->files[i].path, "path");
		SAME_S(a->files[i].sha256, b->files[i].sha256, "sha256");
		SAME_S(a->files[i].format, b->files[i].format, "format");
		SAME_Z(a->files[i].gzip, b->files[i].gzip, "gzip");
		SAME_Z(a->files[i].bytes, b->files[i].bytes, "bytes");
		SAME_Z(a->files[i].rows, b->files[i].rows, "rows");
	}
	SAME_Z(a->rows_read, b->rows_read, "rows_read");
	SAME_Z(a->rows_used, b->rows_used, "rows_used");
	SAME_Z(a->rows_dropped, b->rows_dropped, "rows_dropped");
	SAME_Z(a->ndrops, b->ndrops, "ndrops");
	for (i = 0; i < a->ndrops && i < b->ndrops; i++) {
		SAME_S(a->drops[i].reason, b->drops[i].reason, "drop reason");
		SAME_Z(a->drops[i].count, b->drops[i].count, "drop count");
	}
	SAME_S(a->settings.label_column, b->settings.label_column, "label_column");
	SAME_S(a->settings.score_column, b->settings.score_column, "score_column");
	SAME_S(a->settings.pred_column, b->settings.pred_column, "pred_column");
	SAME_S(a->settings.positive, b->settings.positive, "positive");
	SAME_D(a->settings.threshold, b->settings.threshold, "threshold");
	SAME_Z(a->settings.min_n, b->settings.min_n, "min_n");
	SAME_Z(a->settings.suppress_below, b->settings.suppress_below, "suppress_below");
	SAME_Z(a->settings.bootstrap, b->settings.bootstrap, "bootstrap");
	SAME_D(a->settings.ci_level, b->settings.ci_level, "ci_level");
	SAME_Z(a->settings.seed, b->settings.seed, "seed");
	SAME_S(a->settings.scheme, b->settings.scheme, "scheme");
	SAME_S(a->settings.gate_on, b->settings.gate_on, "gate_on");
	SAME_Z(a->settings.probabilities, b->settings.probabilities, "probabilities");
	SAME_S(a->settings.ci_method, b->settings.ci_method, "ci_method");
	SAME_S(a->settings.bootstrap_ci, b->settings.bootstrap_ci, "bootstrap_ci");
	SAME_Z(a->settings.permutations, b->settings.permutations, "permutations");
	SAME_S(a->settings.p_adjust, b->settings.p_adjust, "p_adjust");
	SAME_S(a->settings.cluster_column, b->settings.cluster_column, "cluster_column");
	SAME_Z(a->settings.power_annotated, b->settings.power_annotated, "power_annotated");
	SAME_D(a->settings.power_detectable, b->settings.power_detectable, "power_detectable");
	SAME_D(a->settings.power_target, b->settings.power_target, "power_target");
	SAME_D(a->settings.power_alpha, b->settings.power_alpha, "power_alpha");
	SAME_S(a->settings.population, b->settings.population, "population");
	SAME_Z(a->npopulation_unmatched, b->npopulation_unmatched, "npopulation_unmatched");
	for (i = 0; i < a->npopulation_unmatched && i < b->npopulation_unmatched; i++)
		SAME_S(a->population_unmatched[i], b->population_unmatched[i], "population_unmatched");
	same_group(&a->overall, &b->overall, "overall");
	SAME_Z(a->nattrs, b->nattrs, "nattrs");
	for (i = 0; i < a->nattrs && i < b->nattrs; i++)
		same_attr(&a->attrs[i], &b->attrs[i]);
	SAME_Z(a->nviews, b->nviews, "nviews");
	for (i = 0; i < a->nviews && i < b->nviews; i++) {
		const fa_view *x = &a->views[i], *y = &b->views[i];
		SAME_S(x->name, y->name, "view name");
		SAME_S(x->kind, y->kind, "view kind");
		SAME_D(x->target, y->target, "view target");
		same_estimate(&x->threshold, &y->threshold, "view threshold");
		same_group(&x->overall, &y->overall, "view overall");
		SAME_Z(x->nattrs, y->nattrs, "view nattrs");
		for (j = 0; j < x->nattrs && j < y->nattrs; j++)
			same_attr(&x->attrs[j], &y->attrs[j]);
	}
	SAME_Z(a->ngates, b->ngates, "ngates");
	for (i = 0; i < a->ngates && i < b->ngates; i++) {
		const fa_gate_result *x = &a->gates[i], *y = &b->gates[i];
		SAME_S(x->expr, y->expr, "expr");
		SAME_S(x->op, y->op, "op");
		SAME_D(x->limit, y->limit, "limit");
		SAME_Z(x->outcome, y->outcome, "gate outcome");
		SAME_Z(x->nchecks, y->nchecks, "nchecks");
		for (j = 0; j < x->nchecks && j < y->nchecks; j++) {
			SAME_S(x->checks[j].where, y->checks[j].where, "where");
			same_estimate(&x->checks[j].value, &y->checks[j].value, "check value");
			SAME_Z(x->checks[j].outcome, y->checks[j].outcome, "check outcome");
			SAME_S(x->checks[j].note, y->checks[j].note, "note");
		}
	}
	SAME_Z(a->verdict, b->verdict, "verdict");
}

static char *render(const fa_result *r, int (*fn)(fa_buf *, const fa_result *))
{
	fa_buf b = FA_BUF_INIT;
	CHECK_INT(fn(&b, r), 0);
	return fa_buf_detach(&b);
}

static fa_result *read_back(const char *json)
{
	fa_result *r = NULL;
	fa_error err;
	fa_error_clear(&err);
	if (fa_result_read_json(&r, json, strlen(json), "report.json", &err) < 0)
		test_fail(__FILE__, __LINE__, "read back: %s", err.message);
	return r;
}

/* ---- JSON -------------------------------------------------------------- */

static void test_report__json_roundtrip_hand(void)
{
	fa_result *r = hand_result(), *back;
	char *json = render(r, fa_report_json);

	back = read_back(json);
	if (back) {
		same_result(r, back);
		fa_result_free(back);
	}
	/* the seed does not fit a double, so it is a string */
	CHECK(strstr(json, "\"seed\": \"18446744073709551615\"") != NULL);
	CHECK(strstr(json, "\"schema_version\": \"" FA_REPORT_SCHEMA_VERSION "\"") != NULL);
	/* JSON has no NaN: an undefined value is null with its reason */
	CHECK(strstr(json, "nan") == NULL && strstr(json, "inf") == NULL);
	CHECK(strstr(json, "{\"value\": null, \"reason\": \"no positive cases in group\"}") != NULL);
	CHECK(strstr(json, "\"value\": \"A|B,\\\"x\\\"\\nz\"") != NULL);
	CHECK(strstr(json, "\"ci_dropped\": 3") != NULL);
	/* a suppressed group: counts null, no metrics */
	CHECK(strstr(json, "\"value\": \"S\",\n          \"levels\": [\"S\"],\n          \"n\": null,") != NULL);
	/* curves, with null for an empty bin; a calibration-free curve */
	CHECK(strstr(json, "\"roc\": {\n              \"fpr\": [0, 0.25, 0.5, 1],\n"
			   "              \"tpr\": [0, 0.5, 0.75, 1]\n            },") != NULL);
	CHECK(strstr(json, "\"count\": [1, 0, 2, 0, 0, 1, 0, 0, 2, 1],\n"
			   "              \"mean_score\": [0.0625, null, 0.2625, null,") != NULL);
	CHECK(strstr(json, "\"calibration\": null") != NULL);
	/* the operating point after the attributes, its groups as the main
	 * result's with their own threshold, and no curves */
	CHECK(strstr(json, "\n  \"operating_points\": [\n    {\n      \"name\": \"spec=0.9\",\n"
			   "      \"kind\": \"spec\",\n      \"target\": 0.9,\n"
			   "      \"threshold\": {\"value\": 0.44140625, \"ci\": [0.375, 0.5]},\n"
			   "      \"overall\": {") != NULL);
	CHECK(strstr(json, "\"own_threshold\": 0.375,") != NULL);
	CHECK(strstr(json, "\"own_threshold\": null,") != NULL);
	CHECK(strstr(json, "\"operating_points\"") > strstr(json, "\"population_unmatched\""));
	CHECK(strstr(json, "\"gates\"") > strstr(json, "\"operating_points\""));
	CHECK(strstr(strstr(json, "\"operating_points\""), "\"curves\"") == NULL);
	CHECK(strstr(strstr(json, "\"operating_points\""), "\"mdd\"") == NULL);
	free(json);
	fa_result_free(r);
}

static void test_report__json_numbers_exact(void)
{
	static const double xs[] = {
		0.1, 1.0 / 3, 2.0 / 3, 0.30000000000000004, 1e-300, 4.9406564584124654e-324,
		1 - 1e-16, 123456789.12345679, -0.0, 0.95, 2.2250738585072014e-308, 1e300,
		9007199254740993.0, 0.8246844319775596,
	};
	fa_result *r = hand_result(), *back;
	char *json;
	size_t i;

	for (i = 0; i < sizeof(xs) / sizeof(xs[0]) && i < FA_M__COUNT; i++)
		r->overall.metrics[i] = est_ci(xs[i], -xs[i], xs[i] / 7);
	r->settings.seed = 9007199254740992ULL; /* 2^53: still a number */
	json = render(r, fa_report_json);
	CHECK(strstr(json, "\"seed\": 9007199254740992,") != NULL);
	back = read_back(json);
	if (back) {
		for (i = 0; i < sizeof(xs) / sizeof(xs[0]) && i < FA_M__COUNT; i++) {
			const fa_estimate *e = &back->overall.metrics[i];
			SAME_D(e->value, xs[i], "value");
			SAME_D(e->ci_low, -xs[i], "ci_low");
			SAME_D(e->ci_high, xs[i] / 7, "ci_high");
		}
		SAME_Z(back->settings.seed, 9007199254740992ULL, "seed");
		fa_result_free(back);
	}
	free(json);
	fa_result_free(r);
}

static void test_report__json_roundtrip_audit(void)
{
	/* groups: a (6 records), b (5), c (3: insufficient at min-n 4),
	 * d (1: suppressed below 2) */
	static const char csv[] =
		"label,score,g\n"
		"1,0.9,a\n0,0.2,a\n1,0.6,a\n0,0.7,a\n0,0.1,a\n1,0.4,a\n"
		"1,0.8,b\n0,0.3,b\n0,0.35,b\n1,0.55,b\n0,0.65,b\n"
		"1,0.5,c\n1,0.45,c\n0,0.2,c\n"
		"0,0.9,d\n";
	const char *groups[] = {"g"};
	const char *ops[] = {"spec=0.8", "sens=0.75"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL, *back;
	fa_error err;
	char *json;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = 40;
	ao.min_n = 4;
	ao.suppress_below = 2;
	ao.threads = 1;
	ao.permutations = 49;
	ao.oppoints = ops;
	ao.noppoints = 2;
	if (fa_load_memory(&t, "t.csv", csv, strlen(csv), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
		fa_table_free(t);
		return;
	}
	fa_table_free(t);
	CHECK_INT(r->attrs[0].groups[2].status, FA_GROUP_INSUFFICIENT);
	CHECK_INT(r->attrs[0].groups[3].status, FA_GROUP_SUPPRESSED);
	/* the later stages' annotations travel too */
	{
		static const char pop[] = "attribute,value,share\ng,a,0.4\ng,b,0.4\ng,y,0.2\nage,old,1\n";
		fa_population *p = NULL;
		if (fa_power_annotate(r, 0.1, 0.8, 0.05, &err) < 0 ||
		    fa_representation_read_memory(&p, "pop.csv", pop, strlen(pop), &err) < 0)
			test_fail(__FILE__, __LINE__, "annotate: %s", err.message);
		else
			fa_representation_annotate(r, p);
		fa_population_free(p);
	}
	CHECK(r->settings.power_annotated && r->settings.population && r->npopulation_unmatched == 1);
	/* what the audit filled: operating points, own thresholds, curves */
	CHECK_INT(r->nviews, 2);
	CHECK(r->attrs[0].groups[0].curves.roc.n >= 2 && r->attrs[0].groups[0].curves.has_calib);
	CHECK(!isnan(r->views[0].attrs[0].groups[0].own_threshold));
	json = render(r, fa_report_json);
	back = read_back(json);
	if (back) {
		same_result(r, back);
		fa_result_free(back);
	}
	free(json);
	fa_result_free(r);
}

static char *replace(const char *s, const char *from, const char *to);

/* A report of schema 1.0 written before operating points and curves reads
 * as one without them. */
static void test_report__json_read_older(void)
{
	fa_result *r = hand_result(), *back;
	char *json, *old;
	size_t i;

	for (i = 0; i < r->nviews; i++) {
		fa_view *v = &r->views[i];
		size_t j;
		free(v->name);
		free(v->kind);
		free(v->overall.value);
		free(v->overall.levels);
		for (j = 0; j < v->nattrs; j++) {
			size_t g, k;
			fa_attr_result *a = &v->attrs[j];
			free(a->name);
			for (k = 0; k < a->ncolumns; k++)
				free(a->columns[k]);
			free(a->columns);
			for (g = 0; g < a->ngroups; g++) {
				free(a->groups[g].value);
				for (k = 0; k < a->groups[g].nlevels; k++)
					free(a->groups[g].levels[k]);
				free(a->groups[g].levels);
			}
			free(a->groups);
		}
		free(v->attrs);
	}
	free(r->views);
	r->views = NULL;
	r->nviews = 0;
	free(r->overall.curves.roc.fpr);
	free(r->overall.curves.roc.tpr);
	memset(&r->overall.curves, 0, sizeof(r->overall.curves));
	free(r->attrs[0].groups[1].curves.roc.fpr);
	free(r->attrs[0].groups[1].curves.roc.tpr);
	memset(&r->attrs[0].groups[1].curves, 0, sizeof(r->attrs[0].groups[1].curves));
	json = render(r, fa_report_json);
	CHECK(strstr(json, "\"curves\"") == NULL);
	old = replace(json, "\n  \"operating_points\": [],", "");
	back = read_back(old);
	if (back) {
		same_result(r, back);
		fa_result_free(back);
	}
	free(old);
	free(json);
	fa_result_free(r);
}

static void test_report__json_invalid_utf8(void)
{
	fa_result *r = hand_result(), *back;
	char *json;

	free(r->files[0].path);
	r->files[0].path = fa_xstrdup("in/\xff\xc3(x.csv");
	json = render(r, fa_report_json);
	CHECK(strstr(json, "\"path\": \"in/\\\\xFF\\\\xC3(x.csv\"") != NULL);
	back = read_back(json);
	if (back) {
		CHECK_STR(back->files[0].path, "in/\\xFF\\xC3(x.csv");
		fa_result_free(back);
	}
	free(json);
	fa_result_free(r);
}

static void expect_error(const char *text, unsigned long line, unsigned long col,
			 const char *part, int at)
{
	fa_result *r = (fa_result *)1;
	fa_error err;
	int rc;

	fa_error_clear(&err);
	rc = fa_result_read_json(&r, text, strlen(text), "saved/report.json", &err);
	if (rc != FA_EINPUT || r != NULL) {
		test_fail(__FILE__, __LINE__ + at * 0, "line %d: rc %d", at, rc);
		fa_result_free(r);
		return;
	}
	if (err.code != FA_EINPUT || strcmp(err.path, "saved/report.json") != 0 ||
	    err.line != line || err.column != col || !strstr(err.message, part) ||
	    strchr(err.message, '\n'))
		test_fail(__FILE__, __LINE__, "case at line %d: got %lu:%lu \"%s\"", at, err.line,
			  err.column, err.message);
}

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	fa_buf b = FA_BUF_INIT;
	if (!p) {
		test_fail(__FILE__, __LINE__, "\"%s\" not found", from);
		return fa_xstrdup(s);
	}
	fa_buf_put(&b, s, (size_t)(p - s));
	fa_buf_puts(&b, to);
	fa_buf_puts(&b, p + strlen(from));
	return fa_buf_detach(&b);
}

static void test_report__json_errors(void)
{
	fa_result *r = hand_result();
	char *json = render(r, fa_report_json), *bad;

	/* the comma after "tool": is line 3, column 11 */
	expect_error("{\n  \"schema_version\": \"1.0\",\n  \"tool\": ,\n}", 3, 11,
		     "not valid JSON", __LINE__);
	expect_error("{\"a\": [1, 2", 1, 12, "ends before the report is complete", __LINE__);
	expect_error("{\"a\": \"xy", 1, 10, "ends before the report is complete", __LINE__);
	expect_error("{\"a\":\n", 2, 1, "ends before the report is complete", __LINE__);
	expect_error("", 1, 1, "ends before the report is complete", __LINE__);
	/* an error in the last byte is not an early end */
	expect_error("{\"a\": 1}}", 1, 9, "unexpected text after the report", __LINE__);
	expect_error("{\"a\": [1, x", 1, 11, "not valid JSON", __LINE__);
	expect_error("[1, 2]", 0, 0, "not an object", __LINE__);
	expect_error("{\"tool\": {}}", 0, 0, "\"schema_version\" is missing", __LINE__);
	expect_error("{\"schema_version\": \"2.0\"}", 0, 0, "schema_version \"2.0\" is not supported",
		     __LINE__);
	expect_error("{\"schema_version\": 1}", 0, 0, "is not supported", __LINE__);
	expect_error("{\"schema_version\": \"1.0\"}", 0, 0, "\"tool\" is missing", __LINE__);
	bad = replace(json, "\"seed\":", "\"sead\":");
	expect_error(bad, 0, 0, "not a fairaudit report: \"settings.seed\" is missing", __LINE__);
	free(bad);
	bad = replace(json, "\"n_pos\": 3,", "\"n_pos\": 3.5,");
	expect_error(bad, 0, 0, "\"attributes[0].groups[0].n_pos\" is not a whole number", __LINE__);
	free(bad);
	bad = replace(json, "\"worst\": \"A|B", "\"worst\": \"nobody|B");
	expect_error(bad, 0, 0, "\"attributes[0].gaps.tpr.worst\" names no group", __LINE__);
	free(bad);
	bad = replace(json, "\"fpr\": [0, 0.25, 0.5, 1]", "\"fpr\": [0, 0.25, 1]");
	expect_error(bad, 0, 0, "\"attributes[0].groups[1].curves.roc\" has fpr and tpr of different "
		     "lengths", __LINE__);
	free(bad);
	bad = replace(json, "\"fpr\": [0, 0.25, 0.5, 1]", "\"fpr\": [0, \"x\", 0.5, 1]");
	expect_error(bad, 0, 0, "\"attributes[0].groups[1].curves.roc.fpr\" holds something that is "
		     "not a number", __LINE__);
	free(bad);
	bad = replace(json, "\"count\": [1, 0, 2, 0, 0, 1, 0, 0, 2, 1]", "\"count\": [1, 0, 2]");
	expect_error(bad, 0, 0, "\"attributes[0].groups[1].curves.calibration\" count does not hold "
		     "one count per bin", __LINE__);
	free(bad);
	bad = replace(json, "\"mean_score\": [0.0625, null,", "\"mean_score\": [null,");
	expect_error(bad, 0, 0, "\"attributes[0].groups[1].curves.calibration.mean_score\" does not "
		     "hold 10 numbers", __LINE__);
	free(bad);
	bad = replace(json, "\"name\": \"spec=0.9\",", "\"nome\": \"spec=0.9\",");
	expect_error(bad, 0, 0, "\"operating_points[0].name\" is missing", __LINE__);
	free(bad);
	bad = replace(json, "\"own_threshold\": 0.375,", "\"own_threshold\": \"0.375\",");
	expect_error(bad, 0, 0, "\"operating_points[0].attributes[0].groups[1].own_threshold\" is "
		     "not a number", __LINE__);
	free(bad);
	/* an operating point's attributes are the report's, in order */
	{
		const char *ops = strstr(json, "\"operating_points\"");
		const char *at = ops ? strstr(ops, "\"name\": \"race\"") : NULL;
		if (at) {
			fa_buf b2 = FA_BUF_INIT;
			fa_buf_put(&b2, json, (size_t)(at - json));
			fa_buf_puts(&b2, "\"name\": \"rice\"");
			fa_buf_puts(&b2, at + strlen("\"name\": \"race\""));
			expect_error(b2.ptr, 0, 0, "\"operating_points[0].attributes[0]\" is not the "
				     "attribute of the same place in \"attributes\"", __LINE__);
			fa_buf_free(&b2);
		} else {
			test_fail(__FILE__, __LINE__, "no operating point attribute in the report");
		}
	}
	/* text after the report: it starts on the line after the closing brace */
	{
		size_t lines = 1;
		const char *p;
		fa_buf b = FA_BUF_INIT;
		for (p = json; *p; p++)
			lines += *p == '\n';
		fa_buf_puts(&b, json);
		fa_buf_puts(&b, "  x");
		expect_error(b.ptr, lines, 3, "unexpected text after the report", __LINE__);
		fa_buf_free(&b);
	}
	free(json);
	fa_result_free(r);
}

/* Found by fuzzing (tests/fuzz/corpus/report/regress-*). A digest must be
 * as the schema has it, empty or 64 lowercase hex digits: 64 bytes that
 * are not UTF-8 were taken, then written back as 256 characters of \xNN
 * that the reader refused. */
static void test_report__json_sha256_checked(void)
{
	static const char hex[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static const char *const wrong[] = {
		"0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
		"0123456789abcdef", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
	fa_result *r = hand_result(), *back;
	char *json = render(r, fa_report_json), *bad;
	size_t i;

	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		bad = replace(json, hex, wrong[i]);
		expect_error(bad, 0, 0,
			     "not a fairaudit report: \"input.files[0].sha256\" is not 64 lowercase "
			     "hexadecimal digits",
			     __LINE__);
		free(bad);
	}
	/* none recorded */
	bad = replace(json, hex, "");
	back = read_back(bad);
	if (back) {
		CHECK_STR(back->files[0].sha256, "");
		fa_result_free(back);
	}
	free(bad);
	free(json);
	fa_result_free(r);
}

/* Found by fuzzing (regress-p-value-overflow): a p-value too large for a
 * double ("1e999") reads as infinity; it was written back as null, which
 * reads as "no test", so the report changed from one round trip to the
 * next. Only a finite p-value is written. */
static void test_report__json_p_value_not_finite(void)
{
	fa_result *r = hand_result(), *back;
	fa_estimate *e = &r->attrs[0].groups[0].diff[FA_M_TPR];
	char *one, *two;

	CHECK(isfinite(e->value));
	e->p_value = INFINITY;
	e->p_adjusted = -INFINITY;
	one = render(r, fa_report_json);
	back = read_back(one);
	if (back) {
		CHECK_NAN(back->attrs[0].groups[0].diff[FA_M_TPR].p_value);
		CHECK_NAN(back->attrs[0].groups[0].diff[FA_M_TPR].p_adjusted);
		two = render(back, fa_report_json);
		CHECK_STR(two, one);
		free(two);
		fa_result_free(back);
	}
	free(one);
	fa_result_free(r);
}

/* Found by fuzzing: text from the report that goes into a message has its
 * control characters written \xNN, so the message stays one line. */
static void test_report__json_error_controls(void)
{
	fa_result *r = hand_result(), *back = NULL;
	char *json = render(r, fa_report_json), *bad;
	fa_error err;

	expect_error("{\"schema_version\": \"1\\n\\u0007\"}", 0, 0,
		     "report schema_version \"1\\x0a\\x07\" is not supported", __LINE__);
	bad = replace(json, "\"missing_score\": 2", "\"missing\\r\\u001bscore\": 2.5");
	fa_error_clear(&err);
	CHECK_INT(fa_result_read_json(&back, bad, strlen(bad), "r.json", &err), FA_EINPUT);
	CHECK_STR(err.message, "not a fairaudit report: \"input.drop_reasons.missing\\x0d\\x1bscore\" "
			       "is not a whole number");
	free(bad);
	free(json);
	fa_result_free(r);
}

/* ---- Markdown ---------------------------------------------------------- */

/* Pipes that separate cells (not escaped as \|). */
static int count_pipes(const char *line, size_t len)
{
	size_t i;
	int n = 0;
	for (i = 0; i < len; i++)
		if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
			n++;
	return n;
}

/* Every line of a table has as many cells as its header. */
static void check_tables(const char *md)
{
	const char *p = md;
	int want = -1;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len && p[0] == '|') {
			int n = count_pipes(p, len);
			if (want < 0)
				want = n;
			else if (n != want)
				test_fail(__FILE__, __LINE__, "table row with %d pipes, header %d: %.*s", n,
					  want, (int)len, p);
		} else {
			want = -1;
		}
		p = e ? e + 1 : p + len;
	}
}

/* The line of `md` that starts with `start` (a table row), or NULL. */
static char *line_of(const char *md, const char *start)
{
	const char *p = md;
	while (p && *p) {
		const char *e = strchr(p, '\n');
		if (strncmp(p, start, strlen(start)) == 0)
			return fa_xstrndup(p, e ? (size_t)(e - p) : strlen(p));
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

static void check_has(const char *text, const char *part, int at)
{
	if (!strstr(text, part))
		test_fail(__FILE__, at, "missing: %s", part);
}

#define HAS(text, part) check_has(text, part, __LINE__)

/* Whether `word` stands in `text` on its own, not inside a longer word
 * ("nan" as printf writes a NaN, not in "information"). */
static int has_word(const char *text, const char *word)
{
	const char *p = text;
	size_t n = strlen(word);
	while ((p = strstr(p, word)) != NULL) {
		int before = p > text && isalpha((unsigned char)p[-1]);
		int after = isalpha((unsigned char)p[n]);
		if (!before && !after)
			return 1;
		p += n;
	}
	return 0;
}

/* `s` with every run of spaces made one, so table rows can be matched
 * without their padding. */
static char *squeeze(const char *s)
{
	fa_buf b = FA_BUF_INIT;
	for (; *s; s++)
		if (!(*s == ' ' && s[1] == ' '))
			fa_buf_putc(&b, *s);
	return fa_buf_detach(&b);
}

static void test_report__markdown_hand(void)
{
	fa_result *r = hand_result();
	char *md = render(r, fa_report_markdown), *sq = squeeze(md), *line;
	const char *def;
	static const char head[] = "# Fairness audit\n\n**Verdict: FAIL**: 4 of 4 gates failed "
				   "(race:tpr_gap<=0.1, auc>=0.8, race:ppv_diff>=-0.05, "
				   "race:tpr_ratio>=0.8).\n";

	/* the verdict comes first */
	CHECK(strncmp(md, head, strlen(head)) == 0);
	check_tables(md);
	CHECK(!has_word(md, "nan") && !has_word(md, "inf") && !has_word(md, "-nan"));
	/* what was audited */
	HAS(md, "- in/a,b \"q\"\\|x.csv (csv, 1234 bytes, 10 rows)  \n"
		"  SHA-256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
	HAS(md, "- in/b.jsonl.gz (jsonl, gzip, 99 bytes, 7 rows)");
	HAS(sq, "| Rows | 17 read, 15 used, 2 dropped |");
	HAS(sq, "| Dropped rows by reason | missing_score: 2 |");
	HAS(sq, "| Label column | y |");
	HAS(sq, "| Positive label | yes |");
	HAS(sq, "| Score column | score_v2 |");
	HAS(sq, "| Threshold | 0.3 |");
	HAS(sq, "| Decisions | score \xe2\x89\xa5 0.3 |");
	HAS(sq, "| Intervals shown | bootstrap |");
	HAS(sq, "| Bootstrap | 100 replicates, poisson scheme, bca intervals |");
	HAS(sq, "| Interval methods | both |");
	HAS(sq, "| Permutation tests | 999 |");
	HAS(sq, "| P-value adjustment | bh, over every test of the report |");
	HAS(sq, "| Cluster column | patient_id |");
	HAS(sq, "| Power | detectable tpr difference 0.100, power 0.80, alpha 0.050 |");
	HAS(sq, "| Population file | pop,ulation.csv |");
	HAS(sq, "| Seed | 18446744073709551615 |");
	HAS(sq, "| Confidence level | 90% |");
	HAS(sq, "| Minimum group size (min-n) | 5 |");
	HAS(sq, "| Suppress groups below | 3 |");
	HAS(sq, "| Tool | fairaudit 9.8.7 |");
	HAS(md, "```\nfairaudit audit \"a,b.csv\" --group race --seed 18446744073709551615\n```\n");
	/* overall; its auc failed the gate "overall.auc" */
	HAS(md, "15 records: 6 positive, 9 negative; TP 4, FP 2, TN 7, FN 2.");
	HAS(sq, "| `prevalence` | 0.333 [0.167, 0.500] |");
	HAS(sq, "| `auc` | 0.712 [0.600, 0.800] \xe2\x9c\x97 |");
	/* groups: the reference, and a failed gate next to its AUC */
	HAS(sq, "| W | reference | 7 | 3 | 0.200 [0.100, 0.900] | 0.846 [0.831, 0.862] \xe2\x9c\x97 |");
	/* the pipe and the line break of the group value are escaped */
	HAS(sq, "| A\\|B,\"x\"\\nz | ok | 6 | 3 | 0.100 [0.000, 0.200] | ");
	/* suppressed: counts <K, no metrics */
	HAS(sq, "| S | suppressed | <3 | <3 | | |\n");
	line = line_of(sq, "| S |");
	CHECK(line && !strstr(line, "0."));
	free(line);
	/* ... and only in the groups table */
	CHECK(strstr(strstr(sq, "| S |") + 1, "| S |") == NULL);
	HAS(md, "*suppressed*: fewer than 3 records; counts and metrics are withheld.");
	HAS(md, "*insufficient*: fewer than 5 records (min-n)");
	/* undefined: an em dash with a footnote giving the reason */
	def = strstr(md, "]: no positive cases in group\n");
	CHECK(def != NULL);
	if (def) {
		const char *s = def;
		char note[64];
		while (s > md && s[-1] != '\n')
			s--;
		snprintf(note, sizeof(note), "| \xe2\x80\x94%.*s] |", (int)(def - s), s);
		HAS(sq, note);
	}
	/* differences: signed, the reference left out */
	HAS(md, "### race: differences to the reference (W)\n");
	HAS(sq, "| A\\|B,\"x\"\\nz | -0.030 [-0.160, 0.300] | -0.060 [-0.220, 0.300] |");
	line = line_of(strstr(md, "### race: differences"), "| W ");
	CHECK(line == NULL ||
	      strstr(strstr(md, "### race: differences"), "| W ") > strstr(md, "### race: gaps"));
	free(line);
	/* gaps: the failed tpr gap is marked; best W, worst the odd group */
	HAS(sq, "| `tpr` | 0.250 [0.100, 0.400] \xe2\x9c\x97 | 0.600 \xe2\x9c\x97 | 0.375 | 0.625 | W | "
		"A\\|B,\"x\"\\nz |");
	/* a failed difference */
	HAS(sq, "| -0.070 [-0.240, 0.300] \xe2\x9c\x97 | -0.110 [-0.320, 0.300] |\n");
	HAS(sq, "| `prevalence` | \xe2\x80\x94[^");
	HAS(sq, "| n/a | n/a |");
	/* summaries */
	HAS(sq, "| `demographic_parity_diff` | 0.125 [0.010, 0.900] |");
	HAS(sq, "| `worst_group_auc` | 0.250 [0.010, 0.900] |");
	/* tests of equal groups: only tpr has any */
	HAS(md, "### race: tests of equal groups\n");
	HAS(sq, "| `tpr` | 0.200 [0.050, 0.350] | 0.005 | 0.030 | 0.007[^");
	HAS(sq, "] | 0.043 |\n| `fnr` | \xe2\x80\x94[^");
	HAS(md, "]: an expected count is under 5: the chi-square p-value is not to be trusted\n");
	CHECK(strstr(md, "### sex+race: tests of equal groups") == NULL);
	/* the intersection without a reference */
	HAS(md, "## Attribute sex+race\n\nThe intersection of the columns sex and race.");
	HAS(md, "1 group. Reference group: none (no group has enough records).");
	HAS(md, "None: there is no reference group (no group has enough records).");
	/* the gates: judged as the settings say; one row per check */
	HAS(md, "Gates are judged on: ci-violation.");
	HAS(sq, "| race:tpr_gap<=0.1 | \xe2\x9c\x97 fail | race:tpr_gap | 0.250 [0.100, 0.400] |");
	HAS(sq, "| auc>=0.8 | \xe2\x9c\x97 fail | race=W:auc | 0.846 [0.831, 0.862] |");
	HAS(sq, "| | inconclusive[^");
	HAS(md, "]: auc is undefined: group has only one class\n");
	HAS(md, "\xe2\x9c\x97 marks a value that failed a gate.");
	/* score leakage: DeLong intervals, the suppressed group left out */
	HAS(md, "### race: score\xe2\x80\x93" "attribute leakage\n\n");
	HAS(md, "Far from 0.5 (either way) the\nscore carries group information beyond the label; "
		"that alone does not show\nharm.\n");
	HAS(sq, "| Group | AUC among negatives | AUC among positives |\n");
	HAS(sq, "| W | 0.510 | 0.520 [0.400, 0.700] |\n| I | 0.530 | 0.540 [0.400, 0.700] |\n");
	/* power and representation */
	HAS(md, "### race: minimum detectable differences\n");
	HAS(md, "(power 0.80, alpha 0.050); *underpowered*: the tpr one exceeds 0.100.");
	HAS(sq, "| A\\|B,\"x\"\\nz | 0.200 | 0.350 | 0.400 | 0.600 | yes |");
	HAS(md, "### race: representation\n");
	HAS(sq, "| W | 0.600 | 0.250 | 2.400 | no |");
	HAS(sq, "| Z, \"the rest\" (no record) | 0 | 0.125 | 0 | yes |");
	HAS(md, "13 records in groups the file names, 2 in others. Goodness of fit to the population: "
		"chi-square 3.50, df 1, p 0.061 (an expected count is under 5: approximate).");
	HAS(md, "### sex+race: representation\n\nThe population file does not name this attribute.");
	HAS(sq, "| Operating points | spec=0.9 |");
	/* the operating point, after the attributes */
	HAS(md, "## Operating point spec=0.9\n\n- Target: specificity at least 0.900 on the whole "
		"population.\n- Threshold chosen: 0.441 [0.375, 0.500].\n- Overall: TPR 0.167 [0.083, "
		"0.250], FPR 0.111 [0.056, 0.167], PPV 0.100 [0.050, 0.150].\n");
	CHECK(strstr(md, "## Operating point") > strstr(md, "## Attribute sex+race"));
	HAS(md, "*Own threshold*:\nthe threshold a group alone would need for specificity 0.900.");
	HAS(md, "### spec=0.9, race: groups\n");
	HAS(sq, "| Group | n | `tpr` | `fpr` | `ppv` | Own threshold |");
	HAS(sq, "| W | 7 | 0.820 [0.750, 0.875] | 0.500 [0.100, 0.900] | 0.550 [0.100, 0.900] | 0.375 |");
	HAS(sq, "| A\\|B,\"x\"\\nz | 6 | 0.250 [0.150, 0.350] | 0.400 [0.300, 0.500] | "
		"0.450 [0.350, 0.550] | 0.500 |");
	line = line_of(strstr(sq, "### spec=0.9, race: groups"), "| I |");
	CHECK(line && strstr(line, "| \xe2\x80\x94[^") != NULL);
	free(line);
	HAS(md, "]: no threshold reaches the target in this group\n");
	HAS(md, "### spec=0.9, race: gaps\n");
	HAS(sq, "| `tpr` | 0.125 [0.062, 0.250] | 0.600 | 0.375 | 0.625 | 0.250 |");
	HAS(sq, "| `equalized_odds_diff` | 0.188 [0.125, 0.250] | | | | |");
	/* no timestamps: rendering twice gives the same bytes */
	{
		char *again = render(r, fa_report_markdown);
		CHECK_STR(again, md);
		free(again);
	}
	free(sq);
	free(md);
	fa_result_free(r);
}

/* A failed check of an operating point marks the value in its section and
 * nowhere else. */
static void test_report__markdown_operating_point_marks(void)
{
	fa_result *r = hand_result();
	char *md, *sq, *line;

	free(r->gates[0].checks[0].where);
	r->gates[0].checks[0].where = fa_xstrdup("spec=0.9:race=W:tpr");
	md = render(r, fa_report_markdown);
	sq = squeeze(md);
	line = line_of(strstr(sq, "### spec=0.9, race: groups"), "| W |");
	CHECK(line && strstr(line, "| 0.820 [0.750, 0.875] \xe2\x9c\x97 |") != NULL);
	free(line);
	/* the main result's tpr gap is no longer marked */
	HAS(sq, "| `tpr` | 0.250 [0.100, 0.400] | 0.600 \xe2\x9c\x97 |");
	line = line_of(strstr(sq, "### race: rates at"), "| W |");
	CHECK(line && strstr(line, "\xe2\x9c\x97") == NULL);
	free(line);
	free(sq);
	free(md);
	fa_result_free(r);
}

static void test_report__markdown_verdicts(void)
{
	fa_result *r = hand_result();
	char *md;
	size_t i, j;

	for (i = 0; i < r->ngates; i++) {
		r->gates[i].outcome = FA_GATE_PASS;
		for (j = 0; j < r->gates[i].nchecks; j++)
			r->gates[i].checks[j].outcome = FA_GATE_PASS;
	}
	r->verdict = FA_GATE_PASS;
	md = render(r, fa_report_markdown);
	HAS(md, "\n**Verdict: PASS**: all 4 gates passed.\n");
	CHECK(strstr(md, "\xe2\x9c\x97") == NULL);
	free(md);

	r->gates[1].outcome = FA_GATE_INCONCLUSIVE;
	r->verdict = FA_GATE_INCONCLUSIVE;
	md = render(r, fa_report_markdown);
	HAS(md, "\n**Verdict: INCONCLUSIVE**: no gate failed, but 1 of 4 could not be decided (auc>=0.8).\n");
	free(md);

	for (i = 0; i < r->ngates; i++) {
		for (j = 0; j < r->gates[i].nchecks; j++) {
			free(r->gates[i].checks[j].where);
			free(r->gates[i].checks[j].note);
		}
		free(r->gates[i].checks);
		free(r->gates[i].expr);
		free(r->gates[i].op);
	}
	r->ngates = 0;
	md = render(r, fa_report_markdown);
	CHECK(strncmp(md, "# Fairness audit\n\n**Verdict: no gates given**", 45) == 0);
	CHECK(strstr(md, "## Gates") == NULL);
	free(md);

	/* without bootstrap the cells show the analytic intervals */
	r->settings.bootstrap = 0;
	md = render(r, fa_report_markdown);
	{
		char *sq = squeeze(md);
		/* the hand result resamples patients: intervals by cluster */
		HAS(sq, "| Intervals shown | analytic by patient cluster (Wilson at the design-effect "
			"size for rates, Obuchowski for AUC) |");
		HAS(sq, "| Bootstrap | off |");
		HAS(sq, "| `auc` | 0.712 [0.610, 0.790] |");
		HAS(sq, "| -0.030 [-0.210, 0.150] |");
		HAS(sq, "| `prevalence` | 0.333 |");
		free(sq);
	}
	free(md);
	free(r->settings.cluster_column);
	r->settings.cluster_column = NULL;
	md = render(r, fa_report_markdown);
	{
		char *sq = squeeze(md);
		HAS(sq, "| Intervals shown | analytic (Wilson for rates, DeLong for AUC) |");
		free(sq);
	}
	free(md);
	fa_result_free(r);
}

/* ---- CSV --------------------------------------------------------------- */

typedef struct csv_rows {
	char ***rows;
	size_t *nfields;
	size_t n;
} csv_rows;

/* An RFC 4180 reader written for the test: quoted fields may hold commas,
 * doubled quotes and line breaks. Returns -1 on malformed text. */
static int csv_parse(const char *s, csv_rows *out)
{
	fa_buf f = FA_BUF_INIT;
	char **row = NULL;
	size_t nf = 0;

	memset(out, 0, sizeof(*out));
	while (*s) {
		fa_buf_clear(&f);
		fa_buf_put(&f, "", 0);
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"') {
					fa_buf_putc(&f, '"');
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					fa_buf_putc(&f, *s++);
				}
			}
			if (*s != ',' && *s != '\n')
				return -1;
		} else {
			while (*s && *s != ',' && *s != '\n') {
				if (*s == '"' || *s == '\r')
					return -1;
				fa_buf_putc(&f, *s++);
			}
		}
		row = fa_xrealloc(row, (nf + 1) * sizeof(char *));
		row[nf++] = fa_xstrdup(f.ptr);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\n')
			s++;
		out->rows = fa_xrealloc(out->rows, (out->n + 1) * sizeof(char **));
		out->nfields = fa_xrealloc(out->nfields, (out->n + 1) * sizeof(size_t));
		out->rows[out->n] = row;
		out->nfields[out->n++] = nf;
		row = NULL;
		nf = 0;
	}
	fa_buf_free(&f);
	return 0;
}

static void csv_free(csv_rows *c)
{
	size_t i, j;
	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->nfields[i]; j++)
			free(c->rows[i][j]);
		free(c->rows[i]);
	}
	free(c->rows);
	free(c->nfields);
}

/* The row of (attr, group, metric) of operating point `op` ("" for the
 * main result). */
static char **csv_find_op(const csv_rows *c, const char *attr, const char *group,
			  const char *metric, const char *op)
{
	size_t i;
	for (i = 1; i < c->n; i++)
		if (c->nfields[i] == 13 && strcmp(c->rows[i][0], attr) == 0 &&
		    strcmp(c->rows[i][1], group) == 0 && strcmp(c->rows[i][2], metric) == 0 &&
		    strcmp(c->rows[i][12], op) == 0)
			return c->rows[i];
	test_fail(__FILE__, __LINE__, "no row %s,%s,%s,%s", attr, group, metric, op);
	return NULL;
}

static char **csv_find(const csv_rows *c, const char *attr, const char *group, const char *metric)
{
	return csv_find_op(c, attr, group, metric, "");
}

static void test_report__csv_hand(void)
{
	fa_result *r = hand_result();
	char *csv;
	csv_rows c;
	char **row;
	size_t i;

	/* a line break alone must be quoted too */
	free(r->attrs[1].groups[0].value);
	r->attrs[1].groups[0].value = fa_xstrdup("F+W\n");
	csv = render(r, fa_report_csv);
	if (csv_parse(csv, &c) < 0) {
		test_fail(__FILE__, __LINE__, "CSV does not parse");
		free(csv);
		fa_result_free(r);
		return;
	}
	/* header + 14 overall + per attribute: per group 61 (14 metrics, 14
	 * diffs, 14 ratios, 2 leakage, 14 mdd, 3 representation) and 102 (14
	 * metrics x gap, gap_ratio, min, max, gap_corrected, gap_simultaneous,
	 * chisq; 4 summaries): race has 4 groups, sex+race 1. The operating
	 * point: its threshold, 14 overall, per group 43 (14 metrics, 28
	 * differences and ratios, the own threshold) and the same 102 per
	 * attribute. */
	CHECK_INT(c.n, 1 + 14 + (4 * 61 + 102) + (1 * 61 + 102) + 1 + 14 + (4 * 43 + 102) +
			       (1 * 43 + 102));
	for (i = 0; i < c.n; i++)
		CHECK_INT(c.nfields[i], 13);
	{
		static const char head[] = "attribute,group,metric,value,ci_low,ci_high,n,status,"
					   "aci_low,aci_high,p_value,p_adjusted,operating_point\n";
		CHECK(strncmp(csv, head, strlen(head)) == 0);
	}
	/* the main result's rows come first, the operating point's last */
	for (i = 1; i < c.n && c.nfields[i] == 13; i++)
		CHECK_STR(c.rows[i][12], i < 1 + 14 + (4 * 61 + 102) + (1 * 61 + 102) ? "" : "spec=0.9");
	row = csv_find_op(&c, "overall", "overall", "threshold", "spec=0.9");
	if (row) {
		CHECK_STR(row[3], "0.44140625");
		CHECK_STR(row[4], "0.375");
		CHECK_STR(row[5], "0.5");
		CHECK_STR(row[6], "15");
	}
	row = csv_find_op(&c, "overall", "overall", "tnr", "spec=0.9");
	if (row)
		CHECK_STR(row[3], "0.90625");
	row = csv_find_op(&c, "race", "W", "tpr", "spec=0.9");
	if (row)
		CHECK(strcmp(row[3], "0.8203125") == 0 && strcmp(row[4], "0.75") == 0);
	row = csv_find_op(&c, "race", "W", "own_threshold", "spec=0.9");
	if (row)
		CHECK(strcmp(row[3], "0.375") == 0 && !row[4][0] && strcmp(row[7], "ok") == 0);
	row = csv_find_op(&c, "race", "I", "own_threshold", "spec=0.9");
	if (row)
		CHECK(!row[3][0] && strcmp(row[7], "insufficient") == 0);
	row = csv_find_op(&c, "race", "S", "own_threshold", "spec=0.9");
	if (row)
		CHECK(!row[3][0] && !row[6][0]);
	row = csv_find_op(&c, "race", "(all)", "tpr_gap", "spec=0.9");
	if (row)
		CHECK(strcmp(row[3], "0.125") == 0 && !row[10][0]);
	row = csv_find_op(&c, "race", "(all)", "tpr_chisq", "spec=0.9");
	if (row)
		CHECK(strcmp(row[10], "0.25") == 0 && !row[11][0]);
	/* leakage, power and representation do not depend on the threshold:
	 * the main result's rows only */
	for (i = 1; i < c.n; i++)
		if (c.nfields[i] == 13 && c.rows[i][12][0] &&
		    (strncmp(c.rows[i][2], "leakage_", 8) == 0 || strstr(c.rows[i][2], "_mdd") ||
		     strstr(c.rows[i][2], "share")))
			test_fail(__FILE__, __LINE__, "row %s of the operating point", c.rows[i][2]);
	row = csv_find(&c, "overall", "overall", "auc");
	if (row) {
		SAME_D(strtod(row[3], NULL), 0.71234, "overall auc");
		CHECK_STR(row[6], "15");
		CHECK_STR(row[7], "ok");
	}
	row = csv_find(&c, "overall", "overall", "fnr");
	if (row) {
		SAME_D(strtod(row[3], NULL), 1.0 / (FA_M_FNR + 3), "overall fnr");
		SAME_D(strtod(row[4], NULL), 0.5 / (FA_M_FNR + 3), "overall fnr low");
		SAME_D(strtod(row[5], NULL), 1.5 / (FA_M_FNR + 3), "overall fnr high");
	}
	/* the odd group value comes back whole */
	row = csv_find(&c, "race", WEIRD, "ppv_diff");
	if (row) {
		SAME_D(strtod(row[3], NULL), -0.01 * FA_M_PPV, "ppv_diff");
		SAME_D(strtod(row[4], NULL), -0.02 * FA_M_PPV - 0.1, "ppv_diff low");
		CHECK_STR(row[6], "6");
	}
	/* analytic interval and p-values */
	row = csv_find(&c, "race", WEIRD, "tpr_diff");
	if (row) {
		CHECK_STR(row[8], "-0.21");
		CHECK_STR(row[9], "0.15");
		CHECK_STR(row[10], "0.0123");
		CHECK_STR(row[11], "0.0492");
	}
	row = csv_find(&c, "race", "(all)", "tpr_gap");
	if (row)
		CHECK(strcmp(row[10], "0.004995004995004995") == 0 && strcmp(row[11], "0.03") == 0);
	row = csv_find(&c, "race", "(all)", "tpr_chisq");
	if (row)
		CHECK(strcmp(row[3], "7.25") == 0 && !row[4][0] && strcmp(row[10], "0.00709") == 0 &&
		      strcmp(row[11], "0.0425") == 0);
	row = csv_find(&c, "race", "(all)", "tpr_gap_corrected");
	if (row)
		CHECK(strcmp(row[3], "0.2") == 0 && strcmp(row[4], "0.05") == 0);
	row = csv_find(&c, "race", "(all)", "fpr_chisq");
	if (row)
		CHECK(!row[3][0] && !row[10][0]);
	row = csv_find(&c, "race", WEIRD, "tpr_mdd");
	if (row)
		CHECK_STR(row[3], "0.2");
	row = csv_find(&c, "race", "W", "leakage_positives");
	if (row)
		CHECK(strcmp(row[3], "0.52") == 0 && strcmp(row[8], "0.4") == 0);
	row = csv_find(&c, "race", "S", "leakage_positives");
	if (row)
		CHECK(!row[3][0] && !row[8][0]);
	row = csv_find(&c, "race", "S", "population_share");
	if (row)
		CHECK_STR(row[3], "0.25");
	row = csv_find(&c, "race", "W", "representation_ratio");
	if (row)
		SAME_D(strtod(row[3], NULL), 1.6 + 0.8, "representation_ratio");
	row = csv_find(&c, "race", "W", "tpr_diff");
	if (row)
		CHECK(!row[3][0] && !row[4][0] && !row[5][0]);
	row = csv_find(&c, "race", "S", "auc");
	if (row) {
		CHECK(!row[3][0] && !row[6][0]);
		CHECK_STR(row[7], "suppressed");
	}
	row = csv_find(&c, "race", "I", "tpr");
	if (row) {
		CHECK(!row[3][0]);
		CHECK_STR(row[6], "2");
		CHECK_STR(row[7], "insufficient");
	}
	row = csv_find(&c, "race", "I", "fpr");
	if (row)
		CHECK(strcmp(row[3], "0.5") == 0 && !row[4][0] && !row[5][0]);
	row = csv_find(&c, "race", "(all)", "tpr_gap");
	if (row) {
		CHECK_STR(row[3], "0.25");
		CHECK_STR(row[4], "0.1");
		CHECK_STR(row[5], "0.4");
		CHECK(!row[6][0] && !row[7][0]);
	}
	row = csv_find(&c, "race", "(all)", "tpr_gap_ratio");
	if (row)
		CHECK_STR(row[3], "0.6");
	row = csv_find(&c, "race", "(all)", "tpr_min");
	if (row)
		CHECK_STR(row[3], "0.375");
	row = csv_find(&c, "race", "(all)", "tpr_max");
	if (row)
		CHECK_STR(row[3], "0.625");
	row = csv_find(&c, "race", "(all)", "disparate_impact");
	if (row)
		SAME_D(strtod(row[3], NULL), 0.0625 * 3, "disparate_impact");
	row = csv_find(&c, "sex+race", "(all)", "worst_group_auc");
	if (row)
		CHECK(!row[3][0]);
	row = csv_find(&c, "sex+race", "F+W\n", "auc");
	if (row)
		CHECK_STR(row[3], "0.25");
	/* the quoted form of the odd value, by RFC 4180 */
	CHECK(strstr(csv, "\nrace,\"A|B,\"\"x\"\"\nz\",tpr,") != NULL);
	csv_free(&c);
	free(csv);
	fa_result_free(r);
}

test_case test_report__cases[] = {
	{"json_roundtrip_hand", test_report__json_roundtrip_hand},
	{"json_numbers_exact", test_report__json_numbers_exact},
	{"json_roundtrip_audit", test_report__json_roundtrip_audit},
	{"json_read_older", test_report__json_read_older},
	{"json_invalid_utf8", test_report__json_invalid_utf8},
	{"json_errors", test_report__json_errors},
	{"json_sha256_checked", test_report__json_sha256_checked},
	{"json_error_controls", test_report__json_error_controls},
	{"json_p_value_not_finite", test_report__json_p_value_not_finite},
	{"markdown_hand", test_report__markdown_hand},
	{"markdown_verdicts", test_report__markdown_verdicts},
	{"markdown_operating_point_marks", test_report__markdown_operating_point_marks},
	{"csv_hand", test_report__csv_hand},
	{NULL, NULL},
};
