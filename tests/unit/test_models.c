/*
 * test_models.c: several models in one audit (--model), their paired
 * differences, the gates on them and their reports.
 *
 * tests/data/models_hand.csv holds eight records in two groups with two
 * score columns, small enough to work out by hand (threshold 0.5):
 *
 *   group A: labels 1 1 0 0, s1 0.9 0.4 0.6 0.1, s2 0.6 0.7 0.2 0.3
 *   group B: labels 1 1 0 0, s1 0.8 0.3 0.2 0.7, s2 0.8 0.35 0.1 0.65
 *
 *   model a (s1): A tpr 1/2, fpr 1/2, auc 3/4 (pairs 0.9>0.6, 0.9>0.1,
 *                 0.4>0.1); B tpr 1/2, fpr 1/2, auc 3/4. Every gap 0.
 *                 Overall: tpr 2/4, auc 12/16 = 0.75.
 *   model b (s2): A tpr 1, fpr 0, auc 1; B tpr 1/2, fpr 1/2, auc 3/4.
 *                 tpr_gap 0.5, fpr_gap 0.5, auc_gap 0.25,
 *                 equalized_odds_diff 0.5, worst_group_auc 0.75.
 *                 Overall: tpr 3/4, auc 14/16 = 0.875.
 *   b - a:        A tpr +0.5, fpr -0.5, auc +0.25; B tpr 0, auc 0;
 *                 tpr_gap +0.5, auc_gap +0.25, equalized_odds_diff +0.5,
 *                 worst_group_auc 0; overall tpr +0.25, auc +0.125.
 *   ece (ten bins, each record alone in its bin): model a A (0.1 + 0.6 +
 *                 0.6 + 0.1) / 4 = 0.35, B (0.2 + 0.7 + 0.2 + 0.7) / 4 = 0.45;
 *                 model b A (0.4 + 0.3 + 0.2 + 0.3) / 4 = 0.3, B (0.2 + 0.65
 *                 + 0.1 + 0.65) / 4 = 0.4: both ece gaps are 0.1.
 *   best:         model a for the tpr, fpr and auc gaps and
 *                 equalized_odds_diff; none (-1) for worst_group_auc (both
 *                 0.75), the ece gap (both 0.1, up to rounding), the
 *                 prevalence gap (the same labels) and the selection rate
 *                 (both select 2 of 4 in each group).
 *
 * tests/data/models_cxr_small.csv is data/samples/cxr_small.csv with a
 * column rev = 1 - score, written exactly in decimal. Reversing the score
 * reverses every record's place in the score order, and a group's AUC of
 * rev is 1 minus its AUC of score in every resample (pairs are counted
 * with the records' resampling counts, ties one half). So when the two
 * models share each replicate's counts record by record, the difference of
 * the AUCs, 1 - 2 AUC(score), has exactly the interval
 * [1 - 2 high, 1 - 2 low] of score's interval (quantiles of type 7 are
 * affine): a check that the counts follow the records, not the positions.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdlib.h>

typedef struct setup {
	const char *path;    /* under the source tree */
	const char *cols[3]; /* score column of each model */
	const char *names[3];
	size_t nmodels;
	const char *const *groups;
	size_t ngroups;
	size_t bootstrap;
	fa_boot_scheme scheme;
	unsigned threads;
	size_t min_n;
	const char *cluster;
} setup;

static fa_table *load(const setup *s, const char *score)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	const char *path = test_path(s->path);
	char *cols[8];
	size_t n = 0, i, j;
	fa_table *t = NULL;
	fa_error err;

	/* the columns of every group spec, once each */
	for (i = 0; i < s->ngroups; i++) {
		char *copy = fa_xstrdup(s->groups[i]), *tok, *save = NULL;
		for (tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
			int seen = 0;
			for (j = 0; j < n; j++)
				seen |= strcmp(cols[j], tok) == 0;
			if (!seen && n < 8)
				cols[n++] = fa_xstrdup(tok);
		}
		free(copy);
	}
	lo.attr_columns = (const char *const *)cols;
	lo.attr_count = n;
	lo.score_column = score;
	lo.cluster_column = s->cluster;
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	for (j = 0; j < n; j++)
		free(cols[j]);
	return t;
}

static fa_audit_options options(const setup *s)
{
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	ao.groups = s->groups;
	ao.ngroups = s->ngroups;
	ao.bootstrap = s->bootstrap;
	ao.scheme = s->scheme;
	ao.threads = s->threads ? s->threads : 2;
	ao.permutations = 0;
	ao.min_n = s->min_n;
	ao.seed = 7;
	ao.cluster_column = s->cluster;
	return ao;
}

/* Audit the models of `s` together; NULL (and a failure) on error. */
static fa_result *run_models(const setup *s)
{
	fa_model_input in[3] = {{0}};
	fa_table *t[3] = {NULL, NULL, NULL};
	fa_audit_options ao = options(s);
	fa_result *r = NULL;
	fa_error err;
	size_t k;

	for (k = 0; k < s->nmodels; k++) {
		t[k] = load(s, s->cols[k]);
		in[k].name = s->names[k];
		in[k].table = t[k];
	}
	if (fa_audit_run_models(&r, in, s->nmodels, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	for (k = 0; k < s->nmodels; k++)
		fa_table_free(t[k]);
	return r;
}

/* Audit one score column alone. */
static fa_result *run_one(const setup *s, const char *score)
{
	fa_table *t = load(s, score);
	fa_audit_options ao = options(s);
	fa_result *r = NULL;
	fa_error err;

	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	fa_table_free(t);
	return r;
}

static const char *const HAND_GROUPS[] = {"g"};

static setup hand_setup(size_t bootstrap)
{
	setup s;
	memset(&s, 0, sizeof(s));
	s.path = "tests/data/models_hand.csv";
	s.cols[0] = "s1";
	s.cols[1] = "s2";
	s.names[0] = "a";
	s.names[1] = "b";
	s.nmodels = 2;
	s.groups = HAND_GROUPS;
	s.ngroups = 1;
	s.bootstrap = bootstrap;
	s.min_n = 1;
	return s;
}

static void test_models__hand_values(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s);
	const fa_model_diff *d;
	const fa_model_attr_diff *ad;
	if (!r)
		return;
	CHECK_INT(r->nmodels, 2);
	CHECK_STR(r->models[0].name, "a");
	CHECK_STR(r->models[0].score_column, "s1");
	CHECK_STR(r->models[1].name, "b");
	CHECK_STR(r->models[1].score_column, "s2");
	/* the main result is model a */
	CHECK_STR(r->settings.score_column, "s1");
	CHECK_NEAR(r->overall.metrics[FA_M_AUC].value, 0.75, 1e-15);
	CHECK_NEAR(r->models[0].overall.metrics[FA_M_AUC].value, 0.75, 1e-15);
	CHECK_NEAR(r->models[1].overall.metrics[FA_M_AUC].value, 0.875, 1e-15);
	CHECK_NEAR(r->models[1].overall.metrics[FA_M_TPR].value, 0.75, 1e-15);
	CHECK_NEAR(r->models[1].attrs[0].groups[0].metrics[FA_M_TPR].value, 1, 1e-15);
	CHECK_NEAR(r->models[1].attrs[0].groups[1].metrics[FA_M_FPR].value, 0.5, 1e-15);
	CHECK_NEAR(r->models[1].attrs[0].gaps[FA_M_TPR].gap.value, 0.5, 1e-15);
	CHECK_NEAR(r->models[1].attrs[0].gaps[FA_M_AUC].gap.value, 0.25, 1e-15);
	CHECK_NEAR(r->models[0].attrs[0].gaps[FA_M_TPR].gap.value, 0, 1e-15);

	CHECK_INT(r->nmodel_diffs, 1);
	d = &r->model_diffs[0];
	CHECK_INT(d->a, 0);
	CHECK_INT(d->b, 1);
	CHECK_NEAR(d->overall[FA_M_TPR].value, 0.25, 1e-15);
	CHECK_NEAR(d->overall[FA_M_AUC].value, 0.125, 1e-15);
	CHECK(!d->overall[FA_M_AUC].has_ci);
	ad = &d->attrs[0];
	CHECK_INT(ad->ngroups, 2);
	CHECK_NEAR(ad->groups[0 * FA_M__COUNT + FA_M_TPR].value, 0.5, 1e-15);
	CHECK_NEAR(ad->groups[0 * FA_M__COUNT + FA_M_FPR].value, -0.5, 1e-15);
	CHECK_NEAR(ad->groups[0 * FA_M__COUNT + FA_M_AUC].value, 0.25, 1e-15);
	CHECK_NEAR(ad->groups[1 * FA_M__COUNT + FA_M_TPR].value, 0, 1e-15);
	CHECK_NEAR(ad->groups[1 * FA_M__COUNT + FA_M_AUC].value, 0, 1e-15);
	CHECK_NEAR(ad->gaps[FA_M_TPR].gap.value, 0.5, 1e-15);
	CHECK_NEAR(ad->gaps[FA_M_AUC].gap.value, 0.25, 1e-15);
	CHECK_NEAR(ad->gaps[FA_M_AUC].min.value, 0, 1e-15);
	CHECK_NEAR(ad->summary[FA_S_EQUALIZED_ODDS_DIFF].value, 0.5, 1e-15);
	CHECK_NEAR(ad->summary[FA_S_WORST_GROUP_AUC].value, 0, 1e-15);

	CHECK_INT(r->model_best[0].gap[FA_M_TPR], 0);
	CHECK_INT(r->model_best[0].gap[FA_M_FPR], 0);
	CHECK_INT(r->model_best[0].gap[FA_M_AUC], 0);
	CHECK_INT(r->model_best[0].summary[FA_S_EQUALIZED_ODDS_DIFF], 0);
	CHECK_INT(r->model_best[0].summary[FA_S_WORST_GROUP_AUC], -1);
	CHECK_INT(r->model_best[0].gap[FA_M_PREVALENCE], -1);
	CHECK_INT(r->model_best[0].gap[FA_M_SELECTION_RATE], -1);
	CHECK_INT(r->model_best[0].summary[FA_S_DISPARATE_IMPACT], -1);
	CHECK_NEAR(r->models[0].attrs[0].groups[0].metrics[FA_M_ECE].value, 0.35, 1e-12);
	CHECK_NEAR(r->models[0].attrs[0].groups[1].metrics[FA_M_ECE].value, 0.45, 1e-12);
	CHECK_NEAR(r->models[1].attrs[0].groups[0].metrics[FA_M_ECE].value, 0.3, 1e-12);
	CHECK_NEAR(r->models[1].attrs[0].groups[1].metrics[FA_M_ECE].value, 0.4, 1e-12);
	CHECK_INT(r->model_best[0].gap[FA_M_ECE], -1);
	CHECK_NEAR(ad->gaps[FA_M_ECE].gap.value, 0, 1e-12);
	fa_result_free(r);
}

/* The pair lookup: models[i] - models[j] is the stored difference or its
 * negative. */
static void test_models__pair_lookup(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s);
	int sign = 0;
	if (!r)
		return;
	CHECK_INT(fa_result_model(r, "b"), 1);
	CHECK_INT(fa_result_model(r, "c"), -1);
	CHECK(fa_result_model_diff(r, 1, 0, &sign) == &r->model_diffs[0]);
	CHECK_INT(sign, 1);
	CHECK(fa_result_model_diff(r, 0, 1, &sign) == &r->model_diffs[0]);
	CHECK_INT(sign, -1);
	CHECK(fa_result_model_diff(r, 1, 1, &sign) == NULL);
	CHECK(fa_result_model_diff(r, 0, 2, &sign) == NULL);
	fa_result_free(r);
}

static const char *const CXR_GROUPS[] = {"sex", "race", "sex+race"};

/* A model compared with itself: every difference is exactly 0, with an
 * interval of width exactly 0, and no model is best. */
static void test_models__self_is_zero(void)
{
	setup s;
	fa_result *r;
	const fa_model_diff *d;
	size_t a, k, with_ci = 0, defined = 0;
	int m, q;

	memset(&s, 0, sizeof(s));
	s.path = "data/samples/cxr_small.csv";
	s.cols[0] = s.cols[1] = "score";
	s.names[0] = "a";
	s.names[1] = "b";
	s.nmodels = 2;
	s.groups = CXR_GROUPS;
	s.ngroups = 3;
	s.bootstrap = 200;
	s.min_n = 10;
	r = run_models(&s);
	if (!r)
		return;
	d = &r->model_diffs[0];
#define ZERO(e)                                                                                    \
	do {                                                                                       \
		const fa_estimate *e_ = (e);                                                       \
		if (!isnan(e_->value)) {                                                           \
			defined++;                                                                 \
			if (e_->value != 0 ||                                                      \
			    (e_->has_ci && (e_->ci_low != 0 || e_->ci_high != 0)))                 \
				test_fail(__FILE__, __LINE__, "%s: %g [%g, %g]", #e, e_->value,    \
				          e_->ci_low, e_->ci_high);                                \
			with_ci += e_->has_ci;                                                     \
		}                                                                                  \
	} while (0)
	for (m = 0; m < FA_M__COUNT; m++)
		ZERO(&d->overall[m]);
	for (a = 0; a < d->nattrs; a++) {
		const fa_model_attr_diff *ad = &d->attrs[a];
		for (k = 0; k < ad->ngroups * FA_M__COUNT; k++)
			ZERO(&ad->groups[k]);
		for (m = 0; m < FA_M__COUNT; m++) {
			ZERO(&ad->gaps[m].gap);
			ZERO(&ad->gaps[m].ratio);
			ZERO(&ad->gaps[m].min);
			ZERO(&ad->gaps[m].max);
			CHECK_INT(r->model_best[a].gap[m], -1);
		}
		for (q = 0; q < FA_S__COUNT; q++) {
			ZERO(&ad->summary[q]);
			CHECK_INT(r->model_best[a].summary[q], -1);
		}
	}
#undef ZERO
	/* most quantities are defined and have an interval */
	CHECK(defined > 400);
	CHECK(with_ci > 400);
	fa_result_free(r);
}

static const char *const REV_GROUPS[] = {"sex", "race"};

/* AUC(rev) = 1 - AUC(score) in every replicate when the counts follow the
 * records: the difference's interval is the affine image of score's. */
static void reversed(fa_boot_scheme scheme, const char *cluster)
{
	setup s;
	fa_result *r;
	const fa_model_diff *d;
	size_t a, g, checked = 0;

	memset(&s, 0, sizeof(s));
	s.path = "tests/data/models_cxr_small.csv";
	s.cols[0] = "score";
	s.cols[1] = "rev";
	s.names[0] = "score";
	s.names[1] = "rev";
	s.nmodels = 2;
	s.groups = REV_GROUPS;
	s.ngroups = 2;
	s.bootstrap = 300;
	s.scheme = scheme;
	s.min_n = 10;
	s.cluster = cluster;
	r = run_models(&s);
	if (!r)
		return;
	d = &r->model_diffs[0];
	for (a = 0; a < r->nattrs; a++)
		for (g = 0; g < r->attrs[a].ngroups; g++) {
			const fa_estimate *x = &r->attrs[a].groups[g].metrics[FA_M_AUC];
			const fa_estimate *e = &d->attrs[a].groups[g * FA_M__COUNT + FA_M_AUC];
			if (isnan(x->value))
				continue;
			CHECK_NEAR(e->value, 1 - 2 * x->value, 1e-12);
			CHECK(e->has_ci && x->has_ci);
			CHECK_NEAR(e->ci_low, 1 - 2 * x->ci_high, 1e-12);
			CHECK_NEAR(e->ci_high, 1 - 2 * x->ci_low, 1e-12);
			CHECK_INT(e->ci_dropped, x->ci_dropped);
			checked++;
		}
	CHECK(checked >= 6);
	CHECK_NEAR(d->overall[FA_M_AUC].ci_low, 1 - 2 * r->overall.metrics[FA_M_AUC].ci_high,
	           1e-12);
	fa_result_free(r);
}

static void test_models__shared_counts_stratified(void)
{
	reversed(FA_BOOT_STRATIFIED, NULL);
}

static void test_models__shared_counts_poisson(void)
{
	reversed(FA_BOOT_POISSON, NULL);
}

static void test_models__shared_counts_cluster(void)
{
	reversed(FA_BOOT_STRATIFIED, "patient_id");
}

/* Interval widths of two models' estimates and of their difference. */
typedef struct widths {
	double a, b, d;
} widths;

static int widths_of(widths *w, const fa_estimate *ea, const fa_estimate *eb, const fa_estimate *ed)
{
	if (!ea->has_ci || !eb->has_ci || !ed->has_ci)
		return 0;
	w->a = ea->ci_high - ea->ci_low;
	w->b = eb->ci_high - eb->ci_low;
	w->d = ed->ci_high - ed->ci_low;
	return 1;
}

/* Check every overall and group metric in `ms` of r's two models, and
 * with `gaps` the gaps of those metrics and the summaries: the paired width
 * against the sum of the half-widths (`strict`), else against the width
 * the two intervals give a difference of independent estimates,
 * sqrt(wa^2 + wb^2). Returns how many were checked. */
static size_t narrower(const fa_result *r, const int *ms, int nm, int strict, int gaps, int line)
{
	const fa_model_diff *d = &r->model_diffs[0];
	const fa_model *A = &r->models[0], *B = &r->models[1];
	size_t a, g, n = 0;
	int k, q;
	widths w;

#define ONE(EA, EB, ED)                                                                            \
	do {                                                                                       \
		if (widths_of(&w, EA, EB, ED)) {                                                   \
			double bar = strict ? w.a / 2 + w.b / 2 : sqrt(w.a * w.a + w.b * w.b);     \
			n++;                                                                       \
			if (!(w.d < bar))                                                          \
				test_fail(__FILE__, line, "%s: paired width %g, bar %g (%g, %g)",  \
				          #ED, w.d, bar, w.a, w.b);                                \
		}                                                                                  \
	} while (0)
	for (k = 0; k < nm; k++)
		ONE(&A->overall.metrics[ms[k]], &B->overall.metrics[ms[k]], &d->overall[ms[k]]);
	for (a = 0; a < r->nattrs; a++) {
		for (g = 0; g < A->attrs[a].ngroups; g++)
			for (k = 0; k < nm; k++)
				if (A->attrs[a].groups[g].status == FA_GROUP_OK)
					ONE(&A->attrs[a].groups[g].metrics[ms[k]],
					    &B->attrs[a].groups[g].metrics[ms[k]],
					    &d->attrs[a].groups[g * FA_M__COUNT + ms[k]]);
		for (k = 0; k < nm && gaps; k++)
			ONE(&A->attrs[a].gaps[ms[k]].gap, &B->attrs[a].gaps[ms[k]].gap,
			    &d->attrs[a].gaps[ms[k]].gap);
		for (q = 0; q < FA_S__COUNT; q++)
			if (gaps && q != FA_S_DISPARATE_IMPACT && q != FA_S_DEMOGRAPHIC_PARITY_DIFF)
				ONE(&A->attrs[a].summary[q], &B->attrs[a].summary[q],
				    &d->attrs[a].summary[q]);
	}
#undef ONE
	return n;
}

static const int NARROW_METRICS[] = {FA_M_TPR, FA_M_FPR, FA_M_AUC, FA_M_BRIER};

/* A model and a strongly correlated one (score plus small noise): every
 * paired interval is narrower than the sum of the two half-widths. */
static void test_models__paired_narrower(void)
{
	static const char *const groups[] = {"sex", "race"};
	setup s;
	fa_result *r;

	memset(&s, 0, sizeof(s));
	s.path = "tests/data/models_cxr_small.csv";
	s.cols[0] = "score";
	s.cols[1] = "near";
	s.names[0] = "score";
	s.names[1] = "near";
	s.nmodels = 2;
	s.groups = groups;
	s.ngroups = 2;
	s.bootstrap = 400;
	s.min_n = 30;
	r = run_models(&s);
	if (!r)
		return;
	CHECK(narrower(r, NARROW_METRICS, 4, 1, 1, __LINE__) >= 30);
	fa_result_free(r);
}

/* The two sample models (score and score_v2 of the CXR data, whose scores
 * correlate 0.81): the overall AUC and TPR differences are narrower than
 * the sum of the half-widths, and every metric's difference, overall and
 * per group, is narrower than the interval of a difference of two
 * independent estimates. Gaps are left out here: max - min of a few groups
 * is not smooth, and when the two models' extreme groups differ their
 * gaps hardly move together (docs/models.md). */
static void test_models__paired_narrower_cxr(void)
{
	static const char *const groups[] = {"race", "sex"};
	static const int strict[] = {FA_M_AUC, FA_M_TPR};
	setup s;
	fa_result *r;
	widths w;

	memset(&s, 0, sizeof(s));
	s.path = "data/samples/cxr_triage.csv.gz";
	s.cols[0] = "score";
	s.cols[1] = "score_v2";
	s.names[0] = "base";
	s.names[1] = "cand";
	s.nmodels = 2;
	s.groups = groups;
	s.ngroups = 2;
	s.bootstrap = 400;
	s.min_n = 30;
	r = run_models(&s);
	if (!r)
		return;
	for (w.a = 0; w.a < 2; w.a++) {
		int m = strict[(int)w.a];
		const fa_estimate *ea = &r->models[0].overall.metrics[m];
		const fa_estimate *eb = &r->models[1].overall.metrics[m];
		const fa_estimate *ed = &r->model_diffs[0].overall[m];
		CHECK(ed->ci_high - ed->ci_low <
		      (ea->ci_high - ea->ci_low) / 2 + (eb->ci_high - eb->ci_low) / 2);
	}
	CHECK(narrower(r, NARROW_METRICS, 4, 0, 0, __LINE__) >= 30);
	fa_result_free(r);
}

static int same_estimate(const fa_estimate *x, const fa_estimate *y, int with_ci)
{
	if (isnan(x->value) != isnan(y->value) || (!isnan(x->value) && x->value != y->value))
		return 0;
	if (!with_ci)
		return 1;
	return x->has_ci == y->has_ci &&
	       (!x->has_ci || (x->ci_low == y->ci_low && x->ci_high == y->ci_high)) &&
	       x->has_aci == y->has_aci &&
	       (!x->has_aci || (x->aci_low == y->aci_low && x->aci_high == y->aci_high)) &&
	       ((isnan(x->p_adjusted) && isnan(y->p_adjusted)) || x->p_adjusted == y->p_adjusted);
}

/* Whether two attributes agree in every metric, difference and gap. */
static int same_attr(const fa_attr_result *x, const fa_attr_result *y, int with_ci)
{
	size_t g;
	int m;

	if (x->ngroups != y->ngroups || x->reference != y->reference)
		return 0;
	for (g = 0; g < x->ngroups; g++)
		for (m = 0; m < FA_M__COUNT; m++)
			if (!same_estimate(&x->groups[g].metrics[m], &y->groups[g].metrics[m],
			                   with_ci) ||
			    !same_estimate(&x->groups[g].diff[m], &y->groups[g].diff[m], with_ci))
				return 0;
	for (m = 0; m < FA_M__COUNT; m++)
		if (!same_estimate(&x->gaps[m].gap, &y->gaps[m].gap, with_ci) ||
		    !same_estimate(&x->gaps[m].min, &y->gaps[m].min, with_ci) ||
		    (with_ci &&
		     !((isnan(x->gaps[m].perm_p_adjusted) && isnan(y->gaps[m].perm_p_adjusted)) ||
		       x->gaps[m].perm_p_adjusted == y->gaps[m].perm_p_adjusted)))
			return 0;
	for (m = 0; m < FA_S__COUNT; m++)
		if (!same_estimate(&x->summary[m], &y->summary[m], with_ci))
			return 0;
	return 1;
}

/* The first model's result is what auditing it alone gives, intervals and
 * adjusted p-values included; every other model has the point estimates of
 * its own audit (its intervals come from the shared replicates). */
static void test_models__first_is_main(void)
{
	static const char *const groups[] = {"sex", "race"};
	setup s;
	fa_result *r, *one, *two;
	size_t a;

	memset(&s, 0, sizeof(s));
	s.path = "data/samples/cxr_small.csv";
	s.cols[0] = "score";
	s.cols[1] = "score_v2";
	s.names[0] = "base";
	s.names[1] = "cand";
	s.nmodels = 2;
	s.groups = groups;
	s.ngroups = 2;
	s.bootstrap = 100;
	s.min_n = 20;
	r = run_models(&s);
	one = run_one(&s, "score");
	two = run_one(&s, "score_v2");
	if (!r || !one || !two)
		goto done;
	for (a = 0; a < r->nattrs; a++) {
		CHECK(same_attr(&r->attrs[a], &one->attrs[a], 1));
		CHECK(same_attr(&r->models[0].attrs[a], &one->attrs[a], 1));
		CHECK(same_attr(&r->models[1].attrs[a], &two->attrs[a], 0));
		CHECK(!same_attr(&r->models[1].attrs[a], &one->attrs[a], 0));
	}
	CHECK(same_estimate(&r->overall.metrics[FA_M_AUC], &one->overall.metrics[FA_M_AUC], 1));
	CHECK(same_estimate(&r->models[1].overall.metrics[FA_M_AUC],
	                    &two->overall.metrics[FA_M_AUC], 0));
	CHECK(r->models[1].overall.metrics[FA_M_AUC].has_ci);
	CHECK(one->nmodels == 0 && one->models == NULL && one->model_diffs == NULL);
done:
	fa_result_free(r);
	fa_result_free(one);
	fa_result_free(two);
}

/* The differences do not depend on the number of threads. */
static void test_models__threads(void)
{
	setup s = hand_setup(0);
	fa_result *r1, *r3;
	size_t k;
	int m;

	s.path = "data/samples/cxr_small.csv";
	s.cols[0] = "score";
	s.cols[1] = "score_v2";
	s.cols[2] = "score";
	s.names[2] = "c";
	s.nmodels = 3;
	s.groups = CXR_GROUPS;
	s.ngroups = 2;
	s.bootstrap = 120;
	s.min_n = 10;
	s.threads = 1;
	r1 = run_models(&s);
	s.threads = 3;
	r3 = run_models(&s);
	if (!r1 || !r3)
		goto done;
	CHECK_INT(r1->nmodel_diffs, 3);
	/* the pairs in order (0,1), (0,2), (1,2) */
	CHECK(r1->model_diffs[1].a == 0 && r1->model_diffs[1].b == 2);
	CHECK(r1->model_diffs[2].a == 1 && r1->model_diffs[2].b == 2);
	for (k = 0; k < 3; k++)
		for (m = 0; m < FA_M__COUNT; m++) {
			CHECK(same_estimate(&r1->model_diffs[k].overall[m],
			                    &r3->model_diffs[k].overall[m], 1));
			CHECK(same_estimate(&r1->model_diffs[k].attrs[1].gaps[m].gap,
			                    &r3->model_diffs[k].attrs[1].gaps[m].gap, 1));
		}
done:
	fa_result_free(r1);
	fa_result_free(r3);
}

static fa_table *mem(const char *csv, const char *score)
{
	static const char *const attrs[] = {"g"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_error err;

	lo.attr_columns = attrs;
	lo.attr_count = 1;
	lo.score_column = score;
	lo.on_invalid = FA_ON_INVALID_SKIP;
	if (fa_load_memory(&t, "m.csv", csv, strlen(csv), &lo, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	return t;
}

static int try_models(const fa_table *t0, const fa_table *t1, const char *n0, const char *n1,
                      fa_error *err)
{
	fa_model_input in[2] = {{0}};
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_result *r = NULL;
	int rc;

	in[0].name = n0;
	in[0].table = t0;
	in[1].name = n1;
	in[1].table = t1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	rc = fa_audit_run_models(&r, in, 2, &ao, err);
	fa_result_free(r);
	return rc;
}

/* Tables that do not hold the same records are refused. */
static void test_models__different_records(void)
{
	fa_table *a = mem("label,s,t,g\n1,0.9,0.8,A\n0,0.2,0.1,B\n1,0.6,0.7,A\n", "s");
	fa_table *b = mem("label,s,t,g\n1,0.9,0.8,A\n1,0.2,0.1,B\n1,0.6,0.7,A\n", "t");
	fa_table *c = mem("label,s,t,g\n1,0.9,0.8,A\n0,0.2,0.1,B\n", "t");
	fa_table *d = mem("label,s,t,g\n1,0.9,0.8,A\n0,0.2,x,B\n1,0.6,0.7,A\n", "t");
	fa_table *e = mem("label,s,t,g\n1,0.9,0.8,A\n0,0.2,0.1,A\n1,0.6,0.7,A\n", "t");
	fa_error err;

	CHECK_INT(try_models(a, b, "one", "two", &err), FA_EINPUT);
	CHECK_STR(err.message, "model two (column t): record 2 has label 1, but 0 for model one; "
	                       "every model must score the same records");
	CHECK_INT(try_models(a, c, "one", "two", &err), FA_EINPUT);
	CHECK_STR(err.message, "model two (column t): 2 records, but model one has 3; every model "
	                       "must score the same records");
	CHECK_INT(try_models(a, d, "one", "two", &err), FA_EINPUT);
	CHECK_STR(err.message, "model two (column t): 1 row was dropped as invalid_score, but 0 "
	                       "for model one; every model must score the same records");
	/* one table for both (scores loaded in one pass): its drops are the
	 * same for every model */
	CHECK_INT(try_models(d, d, "one", "two", &err), 0);
	CHECK_INT(try_models(a, e, "one", "two", &err), FA_EINPUT);
	CHECK_STR(err.message,
	          "model two (column t): column g has other values than for model one; "
	          "every model must score the same records");
	CHECK_INT(try_models(a, a, "one", "one", &err), FA_EUSAGE);
	CHECK_STR(err.message, "--model one is named twice");
	CHECK_INT(try_models(a, a, "one", "t-2", &err), FA_EUSAGE);
	CHECK_STR(err.message, "--model t-2: a model name is letters, digits, '_' and '.'");
	CHECK_INT(try_models(a, a, "one", "two", &err), 0);
	fa_table_free(a);
	fa_table_free(b);
	fa_table_free(c);
	fa_table_free(d);
	fa_table_free(e);
}

/* ---- reports --------------------------------------------------------------- */

static char *render(const fa_result *r, int (*fn)(fa_buf *, const fa_result *))
{
	fa_buf b = FA_BUF_INIT;
	fn(&b, r);
	return b.ptr ? fa_buf_detach(&b) : fa_xstrdup("");
}

static fa_result *read_back(const char *json)
{
	fa_result *r = NULL;
	fa_error err;
	if (fa_result_read_json(&r, json, strlen(json), "report.json", &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	return r;
}

/* Three models of the hand data (the third is s1 again), with intervals. */
static fa_result *hand3(void)
{
	setup s = hand_setup(60);
	s.cols[2] = "s1";
	s.names[2] = "c";
	s.nmodels = 3;
	return run_models(&s);
}

/* Every format written from a report read back is the same, and the
 * models, best models and differences come back exactly. */
static void test_models__json_round_trip(void)
{
	fa_result *r = hand3(), *back = NULL;
	int (*fns[4])(fa_buf *, const fa_result *) = {fa_report_json, fa_report_csv,
	                                              fa_report_markdown, fa_report_html};
	char *json = NULL;
	size_t k, a, i;
	int f, m;

	if (!r)
		return;
	json = render(r, fa_report_json);
	back = read_back(json);
	if (!back)
		goto done;
	for (f = 0; f < 4; f++) {
		char *x = render(r, fns[f]), *y = render(back, fns[f]);
		if (strcmp(x, y) != 0)
			test_fail(__FILE__, __LINE__, "format %d differs after reading back", f);
		free(x);
		free(y);
	}
	CHECK_INT(back->nmodels, 3);
	CHECK_INT(back->nmodel_diffs, 3);
	for (k = 0; k < 3; k++) {
		CHECK_STR(back->models[k].name, r->models[k].name);
		CHECK_STR(back->models[k].score_column, r->models[k].score_column);
		CHECK(same_attr(&back->models[k].attrs[0], &r->models[k].attrs[0], 1));
		CHECK(same_estimate(&back->models[k].overall.metrics[FA_M_AUC],
		                    &r->models[k].overall.metrics[FA_M_AUC], 1));
		CHECK_INT(back->model_diffs[k].a, r->model_diffs[k].a);
		CHECK_INT(back->model_diffs[k].b, r->model_diffs[k].b);
		for (m = 0; m < FA_M__COUNT; m++) {
			CHECK(same_estimate(&back->model_diffs[k].overall[m],
			                    &r->model_diffs[k].overall[m], 1));
			CHECK(same_estimate(&back->model_diffs[k].attrs[0].gaps[m].ratio,
			                    &r->model_diffs[k].attrs[0].gaps[m].ratio, 1));
		}
		for (i = 0; i < r->model_diffs[k].attrs[0].ngroups * FA_M__COUNT; i++)
			CHECK(same_estimate(&back->model_diffs[k].attrs[0].groups[i],
			                    &r->model_diffs[k].attrs[0].groups[i], 1));
	}
	for (a = 0; a < r->nattrs; a++)
		CHECK(memcmp(&back->model_best[a], &r->model_best[a], sizeof(fa_model_best)) == 0);
	/* a and c are the same scores: c - a is 0 throughout, and no model is
	 * better than a by tpr_gap except... none: a and c tie, b is worse */
	CHECK_INT(back->model_best[0].gap[FA_M_TPR], 0);
	CHECK_NEAR(back->model_diffs[1].attrs[0].gaps[FA_M_TPR].gap.value, 0, 0);
	CHECK_NEAR(back->model_diffs[2].attrs[0].gaps[FA_M_TPR].gap.value, -0.5, 1e-15);
done:
	free(json);
	fa_result_free(r);
	fa_result_free(back);
}

/* A report without models has none of the keys, and one model only a
 * "models" list of one with no differences. */
static void test_models__json_without_models(void)
{
	setup s = hand_setup(0);
	fa_result *one = run_one(&s, "s1"), *single, *back;
	char *json;

	s.nmodels = 1;
	single = run_models(&s);
	if (!one || !single)
		goto done;
	json = render(one, fa_report_json);
	CHECK(strstr(json, "\"models\"") == NULL);
	CHECK(strstr(json, "model_differences") == NULL);
	free(json);
	json = render(single, fa_report_json);
	CHECK(strstr(json, "\"models\": [") != NULL);
	CHECK(strstr(json, "\"model_differences\": []") != NULL);
	back = read_back(json);
	if (back) {
		CHECK_INT(back->nmodels, 1);
		CHECK_INT(back->nmodel_diffs, 0);
		fa_result_free(back);
	}
	free(json);
done:
	fa_result_free(one);
	fa_result_free(single);
}

/* Replace the first `from` in `s` by `to` (a new string). */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	fa_buf b = FA_BUF_INIT;
	if (!at)
		return fa_xstrdup(s);
	fa_buf_put(&b, s, (size_t)(at - s));
	fa_buf_puts(&b, to);
	fa_buf_puts(&b, at + strlen(from));
	return fa_buf_detach(&b);
}

static void rejects(const char *json, const char *msg)
{
	fa_result *r = NULL;
	fa_error err;
	CHECK_INT(fa_result_read_json(&r, json, strlen(json), "report.json", &err), FA_EINPUT);
	CHECK_STR(err.message, msg);
	fa_result_free(r);
}

static void test_models__json_rejects(void)
{
	fa_result *r = hand3();
	char *json, *bad;

	if (!r)
		return;
	json = render(r, fa_report_json);
	bad =
	    replace(json, "\"a\": \"a\",\n      \"b\": \"b\"", "\"a\": \"b\",\n      \"b\": \"a\"");
	rejects(bad, "not a fairaudit report: \"model_differences[0]\" does not name model a "
	             "before model b in \"models\"");
	free(bad);
	bad = replace(json, "\"tpr\": \"a\"", "\"tpr\": \"d\"");
	rejects(bad,
	        "not a fairaudit report: \"model_best[0].gaps.tpr\" names no model of \"models\"");
	free(bad);
	bad = replace(json, "\"name\": \"c\"", "\"name\": \"b\"");
	rejects(bad,
	        "not a fairaudit report: \"models[2].name\" repeats the name of an earlier model");
	free(bad);
	bad = replace(json, "\"model_best\": [", "\"model_best_\": [");
	rejects(bad, "not a fairaudit report: \"model_best\" is missing");
	free(bad);
	free(json);
	fa_result_free(r);
}

/* The tidy CSV: a model column last, each model's rows, the differences'
 * rows named "b-a", and "best" in the status of the best model's gaps. */
static void test_models__csv(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s), *one = run_one(&s, "s1");
	char *csv = NULL, *plain = NULL;
	size_t rows = 0, fields;
	const char *p;

	if (!r || !one)
		goto done;
	csv = render(r, fa_report_csv);
	plain = render(one, fa_report_csv);
#define HEADER                                                                                     \
	"attribute,group,metric,value,ci_low,ci_high,n,status,aci_low,aci_high,p_value,"           \
	"p_adjusted,operating_point"
	CHECK(strncmp(csv, HEADER ",model\n", strlen(HEADER ",model\n")) == 0);
	CHECK(strncmp(plain, HEADER "\n", strlen(HEADER "\n")) == 0);
#undef HEADER
	for (p = csv; *p; p++)
		if (*p == '\n')
			rows++;
	/* main 14 + 2 groups x 44 + 102 (7 rows a metric, with the
	 * simultaneous gap, and 4 summaries) rows; model b the same (no power
	 * or representation here); the difference: 14 overall + 2 x 14 groups
	 * + 14 x 4 gaps + 4 summaries = 102 */
	CHECK_INT(rows, 1 + 2 * (14 + 2 * 44 + 102) + 102);
	for (p = csv, fields = 1; *p && *p != '\n'; p++)
		fields += *p == ',';
	CHECK_INT(fields, 14);
	CHECK(strstr(csv, "\ng,(all),tpr_gap,0,,,,best,,,,,,a\n") != NULL);
	CHECK(strstr(csv, "\ng,(all),tpr_gap,0.5,,,,,,,,,,b\n") != NULL);
	CHECK(strstr(csv, "\ng,(all),tpr_gap,0.5,,,,,,,,,,b-a\n") != NULL);
	CHECK(strstr(csv, "\ng,A,tpr,0.5,,,4,ok,,,,,,b-a\n") != NULL);
	CHECK(strstr(csv, "\noverall,overall,auc,0.125,,,8,ok,,,,,,b-a\n") != NULL);
	CHECK(strstr(csv, "\ng,(all),worst_group_auc,0.75,,,,,,,,,,a\n") != NULL);
	/* every row of the main result is the single audit's, plus ",a" */
	{
		char *copy = fa_xstrdup(plain), *save = NULL, *tok;
		fa_buf want = FA_BUF_INIT;
		for (tok = strtok_r(copy, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
			if (strncmp(tok, "attribute,", 10) == 0)
				continue;
			fa_buf_clear(&want);
			fa_buf_printf(&want, "\n%s,a\n", tok);
			if (!strstr(csv, want.ptr)) {
				/* a gap or summary row of a best model says so */
				char *alt = replace(want.ptr, ",,,,,", ",,,,best,");
				if (!strstr(csv, alt) && strstr(tok, ",(all),"))
					test_fail(__FILE__, __LINE__, "no row %s", tok);
				free(alt);
			}
		}
		fa_buf_free(&want);
		free(copy);
	}
done:
	free(csv);
	free(plain);
	fa_result_free(r);
	fa_result_free(one);
}

static void test_models__markdown_and_html(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s);
	char *md = NULL, *html = NULL;

	if (!r)
		return;
	md = render(r, fa_report_markdown);
	CHECK(strstr(md, "## Models\n\n2 models of the same records") != NULL);
	CHECK(strstr(md, "| `tpr_gap`                 | 0.000 | 0.500 | a    |") != NULL);
	CHECK(strstr(md, "| `worst_group_auc`         | 0.750 | 0.750 | "
	                 "\xe2\x80\x94"
	                 "    |") != NULL);
	CHECK(strstr(md, "| `tpr_gap`                 | +0.500 |") != NULL);
	CHECK(strstr(md, "| cand") == NULL);
	CHECK(strstr(md, "### g: groups, b - a\n") != NULL);
	CHECK(strstr(md, "| A     | +0.500 | -0.500 |") != NULL);
	html = render(r, fa_report_html);
	CHECK(strstr(html, "<section class=\"models\" id=\"models\">") != NULL);
	CHECK(strstr(html, "role=\"img\" class=\"models\"") != NULL);
	CHECK(strstr(html, "best: a</text>") != NULL);
	free(md);
	free(html);
	fa_result_free(r);
}

/* ---- gates ------------------------------------------------------------------ */

static fa_gate_outcome gate1(fa_result *r, const char *expr, fa_gate_mode mode, fa_error *err,
                             int *rc)
{
	fa_gate *g = NULL;
	*rc = fa_gate_parse(&g, expr, err);
	if (*rc < 0)
		return FA_GATE_INCONCLUSIVE;
	*rc = fa_gates_evaluate(r, &g, 1, mode, err);
	fa_gate_free(g);
	return *rc < 0 ? FA_GATE_INCONCLUSIVE : r->verdict;
}

static void test_models__gates(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s);
	fa_error err;
	int rc;

	if (!r)
		return;
	/* b - a: tpr_gap +0.5, auc +0.125 overall, A's tpr +0.5, B's 0 */
	CHECK_INT(gate1(r, "b-a:g:tpr_gap<=0.4", FA_GATE_ON_POINT, &err, &rc), FA_GATE_FAIL);
	CHECK_INT(r->ngates, 1);
	CHECK_INT(r->gates[0].nchecks, 1);
	CHECK_STR(r->gates[0].checks[0].where, "b-a:g:tpr_gap");
	CHECK_NEAR(r->gates[0].checks[0].value.value, 0.5, 1e-15);
	CHECK_INT(gate1(r, "a-b:g:tpr_gap<=-0.4", FA_GATE_ON_POINT, &err, &rc), FA_GATE_PASS);
	CHECK_NEAR(r->gates[0].checks[0].value.value, -0.5, 1e-15);
	CHECK_STR(r->gates[0].checks[0].where, "a-b:g:tpr_gap");
	CHECK_INT(gate1(r, " b - a : overall.auc >= 0.1", FA_GATE_ON_POINT, &err, &rc),
	          FA_GATE_PASS);
	CHECK_STR(r->gates[0].checks[0].where, "b-a:overall.auc");
	CHECK_NEAR(r->gates[0].checks[0].value.value, 0.125, 1e-15);
	CHECK_INT(gate1(r, "b-a:g=A:tpr<=0.4", FA_GATE_ON_POINT, &err, &rc), FA_GATE_FAIL);
	CHECK_STR(r->gates[0].checks[0].where, "b-a:g=A:tpr");
	/* every group: A fails, B passes */
	CHECK_INT(gate1(r, "b-a:g:tpr<=0.4", FA_GATE_ON_POINT, &err, &rc), FA_GATE_FAIL);
	CHECK_INT(r->gates[0].nchecks, 2);
	CHECK_INT(r->gates[0].checks[0].outcome, FA_GATE_FAIL);
	CHECK_INT(r->gates[0].checks[1].outcome, FA_GATE_PASS);
	/* no attribute: every attribute */
	CHECK_INT(gate1(r, "b-a:equalized_odds_diff<=0.5", FA_GATE_ON_POINT, &err, &rc),
	          FA_GATE_PASS);
	CHECK_STR(r->gates[0].checks[0].where, "b-a:g:equalized_odds_diff");
	/* plain gates judge the first model */
	CHECK_INT(gate1(r, "g:tpr_gap<=0.1", FA_GATE_ON_POINT, &err, &rc), FA_GATE_PASS);
	CHECK_STR(r->gates[0].checks[0].where, "g:tpr_gap");
	/* no interval without bootstrap */
	CHECK_INT(gate1(r, "b-a:g:tpr_gap<=0.4", FA_GATE_ON_CI_VIOLATION, &err, &rc),
	          FA_GATE_INCONCLUSIVE);
	/* usage errors */
	gate1(r, "x-a:g:tpr_gap<=0.1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_INT(rc, FA_EUSAGE);
	CHECK_STR(err.message,
	          "gate \"x-a:g:tpr_gap<=0.1\": no model \"x\"; the models are \"a\", \"b\"");
	gate1(r, "a-a:g:tpr_gap<=0.1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_STR(err.message,
	          "gate \"a-a:g:tpr_gap<=0.1\": a model minus itself is always 0; name "
	          "two different models");
	gate1(r, "b-a:g:tpr_diff<=0.1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_STR(err.message,
	          "gate \"b-a:g:tpr_diff<=0.1\": column 7: tpr_diff is not compared between "
	          "models; valid for a difference of models: METRIC, METRIC_gap, "
	          "METRIC_ratio, METRIC_min, METRIC_max, equalized_odds_diff, "
	          "demographic_parity_diff, disparate_impact, worst_group_auc");
	gate1(r, "b-a:h:tpr_gap<=0.1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_STR(err.message, "gate \"b-a:h:tpr_gap<=0.1\": attribute \"h\" was not audited; the "
	                       "audited attributes are \"g\"");
	fa_result_free(r);
}

/* The interval modes judge the paired interval, mirrored for a pair written
 * the other way round. */
static void test_models__gates_intervals(void)
{
	setup s = hand_setup(0);
	fa_result *r = run_models(&s);
	fa_estimate *e;
	fa_error err;
	int rc;

	if (!r)
		return;
	/* a paired interval set by hand: tpr_gap of b - a in [0.25, 0.75] */
	e = &r->model_diffs[0].attrs[0].gaps[FA_M_TPR].gap;
	e->has_ci = 1;
	e->ci_low = 0.25;
	e->ci_high = 0.75;
	CHECK_INT(gate1(r, "b-a:g:tpr_gap<=0.5", FA_GATE_ON_CI_VIOLATION, &err, &rc), FA_GATE_PASS);
	CHECK_INT(gate1(r, "b-a:g:tpr_gap<=0.5", FA_GATE_ON_CI_COMPLIANCE, &err, &rc),
	          FA_GATE_FAIL);
	CHECK_INT(gate1(r, "b-a:g:tpr_gap<0.25", FA_GATE_ON_CI_VIOLATION, &err, &rc), FA_GATE_FAIL);
	/* a - b lies in [-0.75, -0.25] */
	CHECK_INT(gate1(r, "a-b:g:tpr_gap>=-0.25", FA_GATE_ON_CI_VIOLATION, &err, &rc),
	          FA_GATE_PASS);
	CHECK_NEAR(r->gates[0].checks[0].value.ci_low, -0.75, 0);
	CHECK_NEAR(r->gates[0].checks[0].value.ci_high, -0.25, 0);
	CHECK_INT(gate1(r, "a-b:g:tpr_gap>=-0.25", FA_GATE_ON_CI_COMPLIANCE, &err, &rc),
	          FA_GATE_FAIL);
	CHECK_INT(gate1(r, "a-b:g:tpr_gap>-0.25", FA_GATE_ON_CI_VIOLATION, &err, &rc),
	          FA_GATE_FAIL);
	fa_result_free(r);
}

/* "NAME-NAME:QUANTITY" names an attribute when the result has one so
 * called, and a difference of models otherwise. */
static void test_models__gates_hyphenated_attribute(void)
{
	static const char *const attrs[] = {"a-b"};
	const char csv[] = "label,s1,s2,a-b\n1,0.9,0.6,x\n0,0.2,0.7,x\n1,0.7,0.8,y\n0,0.6,0.1,y\n";
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_model_input in[2] = {{0}};
	fa_table *t1 = NULL, *t2 = NULL;
	fa_result *r = NULL, *one = NULL;
	fa_error err;
	int rc;

	lo.attr_columns = attrs;
	lo.attr_count = 1;
	ao.groups = attrs;
	ao.ngroups = 1;
	ao.min_n = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	lo.score_column = "s1";
	CHECK_INT(fa_load_memory(&t1, "m.csv", csv, sizeof(csv) - 1, &lo, &err), 0);
	lo.score_column = "s2";
	CHECK_INT(fa_load_memory(&t2, "m.csv", csv, sizeof(csv) - 1, &lo, &err), 0);
	in[0].name = "a";
	in[0].table = t1;
	in[1].name = "b";
	in[1].table = t2;
	CHECK_INT(fa_audit_run_models(&r, in, 2, &ao, &err), 0);
	CHECK_INT(fa_audit_run(&one, t1, &ao, &err), 0);
	if (!r || !one)
		goto done;
	gate1(r, "a-b:tpr_gap<=1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(r->gates[0].checks[0].where, "a-b:tpr_gap");
	/* with an attribute after it, a difference of models */
	gate1(r, "a-b:a-b:tpr_gap<=1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_INT(rc, 0);
	CHECK_STR(r->gates[0].checks[0].where, "a-b:a-b:tpr_gap");
	/* x: tpr 1 for both; y: s1 decides 0.7 >= 0.5, s2 0.8: both 1 */
	CHECK_NEAR(r->gates[0].checks[0].value.value, 0, 0);
	gate1(one, "b-c:tpr_gap<=1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_STR(err.message,
	          "gate \"b-c:tpr_gap<=1\": attribute \"b-c\" was not audited; the audited "
	          "attributes are \"a-b\" (did you mean \"a-b\"?); a difference of models "
	          "(NAME-NAME:) needs an audit of several models (--model NAME=COLUMN)");
	gate1(one, "b-c:a-b:tpr_gap<=1", FA_GATE_ON_POINT, &err, &rc);
	CHECK_STR(err.message, "gate \"b-c:a-b:tpr_gap<=1\": no model \"b\" in this result, which "
	                       "audits one score column (audit several models with --model "
	                       "NAME=COLUMN)");
done:
	fa_result_free(r);
	fa_result_free(one);
	fa_table_free(t1);
	fa_table_free(t2);
}

/* Scores given by the caller are checked like the loader's: a NaN is an
 * error naming the model and the record, not a sort that never ends. */
static void test_models__caller_scores_checked(void)
{
	static const char *const attrs[] = {"g"};
	const char csv[] = "label,score,g\n1,0.9,x\n0,0.2,x\n1,0.7,y\n0,0.6,y\n";
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_model_input in[2] = {{0}};
	double bad[4] = {0.5, 0.1, NAN, 0.3};
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = attrs;
	lo.attr_count = 1;
	ao.groups = attrs;
	ao.ngroups = 1;
	ao.min_n = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	CHECK_INT(fa_load_memory(&t, "m.csv", csv, sizeof(csv) - 1, &lo, &err), 0);
	if (!t)
		return;
	in[0].name = "a";
	in[0].table = t;
	in[1].name = "b";
	in[1].table = t;
	in[1].scores = bad;
	CHECK_INT(fa_audit_run_models(&r, in, 2, &ao, &err), FA_EINPUT);
	CHECK(r == NULL);
	CHECK_STR(err.message, "model b: the score of record 3 is not a finite number");
	bad[2] = 0.4;
	CHECK_INT(fa_audit_run_models(&r, in, 2, &ao, &err), 0);
	fa_result_free(r);
	fa_table_free(t);
}

test_case test_models__cases[] = {
    {"models/hand_values", test_models__hand_values},
    {"models/pair_lookup", test_models__pair_lookup},
    {"models/self_is_zero", test_models__self_is_zero},
    {"models/caller_scores_checked", test_models__caller_scores_checked},
    {"models/shared_counts_stratified", test_models__shared_counts_stratified},
    {"models/shared_counts_poisson", test_models__shared_counts_poisson},
    {"models/shared_counts_cluster", test_models__shared_counts_cluster},
    {"models/paired_narrower", test_models__paired_narrower},
    {"models/paired_narrower_cxr", test_models__paired_narrower_cxr},
    {"models/first_is_main", test_models__first_is_main},
    {"models/threads", test_models__threads},
    {"models/different_records", test_models__different_records},
    {"models/json_round_trip", test_models__json_round_trip},
    {"models/json_without_models", test_models__json_without_models},
    {"models/json_rejects", test_models__json_rejects},
    {"models/csv", test_models__csv},
    {"models/markdown_and_html", test_models__markdown_and_html},
    {"models/gates", test_models__gates},
    {"models/gates_intervals", test_models__gates_intervals},
    {"models/gates_hyphenated_attribute", test_models__gates_hyphenated_attribute},
    {NULL, NULL},
};
