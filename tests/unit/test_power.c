/*
 * test_power.c: power, minimum detectable differences and sample sizes.
 *
 * The R values were printed by
 *
 *   Rscript tests/reference/power_reference.R
 *
 * run from the repository root (R 4.2.2, pROC 1.18.0, Hmisc 4.8.0); the
 * name before each value is the one that script prints, and the comment
 * beside it the R expression. Equal group sizes are checked against
 * power.prop.test, unequal ones against Hmisc's bsamsize and bpower, AUCs
 * against pROC's power.roc.test (binormal parameters, B = 1, no
 * correlation). Hand-worked values check the same functions without R.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "fairaudit/power.h"

#include <stdlib.h>

#define PI 3.14159265358979323846

/* |got - want| <= tol max(1, |want|) */
#define CHECK_REL(got, want, tol) CHECK_NEAR((got), (want), (tol) * fmax(1, fabs(want)))

/* ---- two proportions ------------------------------------------------------ */

static void test_power__prop_power_by_hand(void)
{
	/* p1 0.5, p2 0.3, 100 each: pbar 0.4, se0 = sqrt(0.24 * 0.02) =
	 * 0.0692820, se1 = sqrt((0.25 + 0.21) / 100) = 0.0678233, z 1.959964:
	 * (0.2 - 0.1357896) / 0.0678233 = 0.946753, Φ = 0.82811 */
	CHECK_NEAR(fa_power_prop(0.5, 100, 0.3, 100, 0.05), 0.82811, 5e-6);
	/* power_eq_100_050_030: power.prop.test(n=100, p1=0.5, p2=0.3)$power */
	CHECK_REL(fa_power_prop(0.5, 100, 0.3, 100, 0.05), 0.82810940272015299, 1e-12);
	/* symmetric in which group is lower */
	CHECK_REL(fa_power_prop(0.3, 100, 0.5, 100, 0.05), 0.82810940272015299, 1e-12);
	/* bpower_120_35_080_070 - bpower_120_35_far_tail:
	 * bpower(p1=0.8, p2=0.7, n1=120, n2=35) less its far tail */
	CHECK_REL(fa_power_prop(0.8, 120, 0.7, 35, 0.05),
		  0.25559500666255602 - 0.0013644497407075433, 1e-12);
	CHECK_NAN(fa_power_prop(0.8, 0, 0.7, 35, 0.05));
	CHECK_NAN(fa_power_prop(1.2, 10, 0.7, 35, 0.05));
	CHECK_NAN(fa_power_prop(0.8, 10, 0.7, 35, 0));
}

static void test_power__prop_mdd_equal_n(void)
{
	fa_error err;
	double d;

	/* mdd_eq_100_080_down: 0.8 - power.prop.test(n=100, p2=0.8,
	 * power=0.8, tol=1e-12)$p1 */
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 100, 100, -1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.17859646743971491, 1e-9);
	/* mdd_eq_50_060_down_a01_p90: 0.6 - power.prop.test(n=50, p2=0.6,
	 * power=0.9, sig.level=0.01, tol=1e-12)$p1 */
	CHECK_INT(fa_power_prop_mdd(&d, 0.6, 50, 50, -1, 0.9, 0.01, &err), 0);
	CHECK_NEAR(d, 0.37078853250004029, 1e-9);
	/* mdd_eq_200_010_up: power.prop.test(n=200, p1=0.1, power=0.8,
	 * tol=1e-12)$p2 - 0.1 */
	CHECK_INT(fa_power_prop_mdd(&d, 0.1, 200, 200, +1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.099701115000458196, 1e-9);
	/* mdd_eq_35_080_down */
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 35, 35, -1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.31565423986663543, 1e-9);
	/* at the MDD the power is the target */
	CHECK_NEAR(fa_power_prop(0.8, 35, 0.8 - d, 35, 0.05), 0.8, 1e-10);
}

static void test_power__prop_mdd_unequal_n(void)
{
	fa_error err;
	double d;

	/* mdd_120_35_080_down: the root of bpower less its far tail; bsamsize
	 * at that gap gives back n1 = 120, n2 = 35 */
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 120, 35, -1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.24101795131645662, 1e-9);
	/* mdd_400_90_005_up */
	CHECK_INT(fa_power_prop_mdd(&d, 0.05, 400, 90, +1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.088931786868500493, 1e-9);
	/* a larger group detects a smaller gap */
	{
		double d2;
		CHECK_INT(fa_power_prop_mdd(&d2, 0.8, 120, 60, -1, 0.8, 0.05, &err), 0);
		CHECK(d2 < 0.24101795131645662);
	}
}

static void test_power__prop_mdd_undefined(void)
{
	fa_error err;
	double d;

	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 100, 0, -1, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_NAN(d);
	CHECK_STR(err.message, "no records in this group's denominator");
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 0, 10, -1, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "no records in the reference group's denominator");
	CHECK_INT(fa_power_prop_mdd(&d, NAN, 10, 10, -1, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "metric undefined in the reference group");
	CHECK_INT(fa_power_prop_mdd(&d, 0, 10, 10, -1, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "the reference value is at the bound: no worse value exists");
	CHECK_INT(fa_power_prop_mdd(&d, 1, 10, 10, +1, 0.8, 0.05, &err), FA_EINPUT);
	/* One record against one: even p2 = 0 from p1 = 0.8 has power
	 * Φ((0.8 - 1.96 sqrt(0.16 * 2)) / 0.4) = Φ(-0.772) < 0.8 */
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 1, 1, -1, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "no difference within the metric's range reaches the power");
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 10, 10, -1, 1.5, 0.05, &err), FA_EUSAGE);
	CHECK_STR(err.message, "power must be between 0 and 1, got 1.5");
	CHECK_INT(fa_power_prop_mdd(&d, 0.8, 10, 10, -1, 0.8, 0, &err), FA_EUSAGE);
	CHECK_STR(err.message, "alpha must be between 0 and 1, got 0");
}

static void test_power__prop_sample_size(void)
{
	fa_error err;
	double n;

	/* n_tpr_080_gap010: power.prop.test(p1=0.7, p2=0.8, power=0.8,
	 * tol=1e-12)$n */
	CHECK_INT(fa_power_prop_n(&n, 0.8, 0.7, 1, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 293.15128550648632, 1e-9);
	/* n_fpr_010_gap005 */
	CHECK_INT(fa_power_prop_n(&n, 0.1, 0.15, 1, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 685.59685832536127, 1e-9);
	/* n_tpr_090_gap015_a01_p90 */
	CHECK_INT(fa_power_prop_n(&n, 0.9, 0.75, 1, 0.9, 0.01, &err), 0);
	CHECK_REL(n, 188.464021490748, 1e-9);
	/* n_ratio4_group, n_ratio4_reference: bsamsize(p1=0.8, p2=0.7,
	 * fraction=4/5, power=0.8) */
	CHECK_INT(fa_power_prop_n(&n, 0.8, 0.7, 4, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 176.50482187586638, 1e-12);
	CHECK_REL(4 * n, 706.01928750346565, 1e-12);
	/* n_fpr_ratio05_group: bsamsize(p1=0.1, p2=0.15, fraction=1/3) */
	CHECK_INT(fa_power_prop_n(&n, 0.1, 0.15, 0.5, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 1050.6636342251347, 1e-12);
	/* the size found has the power asked for */
	CHECK_NEAR(fa_power_prop(0.1, 0.5 * n, 0.15, n, 0.05), 0.8, 1e-12);

	CHECK_INT(fa_power_prop_n(&n, 0.8, 0.8, 1, 0.8, 0.05, &err), FA_EUSAGE);
	CHECK_NAN(n);
	CHECK_INT(fa_power_prop_n(&n, 0.8, 0.7, 0, 0.8, 0.05, &err), FA_EUSAGE);
	CHECK_STR(err.message, "the size ratio must be positive, got 0");
}

/* ---- AUC -------------------------------------------------------------------- */

static void test_power__auc_variance(void)
{
	/* by hand: A = 0 at AUC 0.5, so g = 0, f² = 1 / (4π) and
	 * V = f² (1 + 1/kappa) = 1 / (2π) for kappa 1 */
	CHECK_NEAR(fa_power_auc_var(0.5, 1), 1 / (2 * PI), 1e-15);
	CHECK_NEAR(fa_power_auc_var(0.5, 4), 1.25 / (4 * PI), 1e-15);
	/* V_*: pROC:::var.params.obuchowski(sqrt(2)*qnorm(auc), 1, kappa) */
	CHECK_REL(fa_power_auc_var(0.5, 1), 0.15915494309189532, 1e-12);
	CHECK_REL(fa_power_auc_var(0.85, 1), 0.09816033942451928, 1e-12);
	CHECK_REL(fa_power_auc_var(0.75, 4), 0.093262084816425214, 1e-12);
	CHECK_REL(fa_power_auc_var(0.95, 0.25), 0.058968503936722691, 1e-12);
	CHECK_NEAR(fa_power_auc_var(1, 1), 0, 0);
	CHECK_NEAR(fa_power_auc_var(0, 2), 0, 0);
	CHECK_NAN(fa_power_auc_var(0.8, 0));
	CHECK_NAN(fa_power_auc_var(1.1, 1));
}

static void test_power__auc_sample_size(void)
{
	fa_error err;
	double n;

	/* n_auc_085_gap010_k1: power.roc.test(pars(0.85, 0.75), power=0.8,
	 * kappa=1)$ncases */
	CHECK_INT(fa_power_auc_n(&n, 0.85, 0.75, 1, 1, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 162.61207505879213, 1e-9);
	/* n_auc_085_gap010_k4 */
	CHECK_INT(fa_power_auc_n(&n, 0.85, 0.75, 1, 4, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 118.31980081447112, 1e-9);
	/* n_auc_090_gap005_k2_a01_p90 */
	CHECK_INT(fa_power_auc_n(&n, 0.9, 0.85, 1, 2, 0.9, 0.01, &err), 0);
	CHECK_REL(n, 733.12013945776755, 1e-9);
	/* n_auc_085_gap010_k4_ratio3: the closed form for unequal groups */
	CHECK_INT(fa_power_auc_n(&n, 0.85, 0.75, 3, 4, 0.8, 0.05, &err), 0);
	CHECK_REL(n, 80.435467165922063, 1e-12);
	CHECK_NEAR(fa_power_auc(0.85, 3 * n, 4, 0.75, n, 4, 0.05), 0.8, 1e-12);

	CHECK_INT(fa_power_auc_n(&n, 0.75, 0.85, 1, 1, 0.8, 0.05, &err), FA_EUSAGE);
	CHECK_STR(err.message, "the group's AUC (0.85) must be below the reference's (0.75)");
	CHECK_INT(fa_power_auc_n(&n, 0.85, 0.75, 1, 0, 0.8, 0.05, &err), FA_EUSAGE);
	CHECK_STR(err.message, "negatives per positive must be positive, got 0");
}

static void test_power__auc_power_and_mdd(void)
{
	fa_error err;
	double d;

	/* power_auc_085_075_60_k3: power.roc.test(pars(0.85, 0.75),
	 * ncases=60, kappa=3)$power */
	CHECK_REL(fa_power_auc(0.85, 60, 3, 0.75, 60, 3, 0.05), 0.5140256110917184, 1e-12);
	/* mdd_auc_085_100_k4: uniroot of power.roc.test(pars(0.85, 0.85-d),
	 * ncases=100, kappa=4)$power - 0.8 */
	CHECK_INT(fa_power_auc_mdd(&d, 0.85, 100, 4, 100, 4, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.10887401664748435, 1e-9);
	/* mdd_auc_090_40_k1 */
	CHECK_INT(fa_power_auc_mdd(&d, 0.9, 40, 1, 40, 1, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.17589845309854657, 1e-9);
	/* mdd_auc_088_180_630_30_132: reference 180 positives and 630
	 * negatives, group 30 and 132 */
	CHECK_INT(fa_power_auc_mdd(&d, 0.88, 180, 3.5, 30, 4.4, 0.8, 0.05, &err), 0);
	CHECK_NEAR(d, 0.14488129681735737, 1e-9);

	CHECK_INT(fa_power_auc_mdd(&d, 0.88, 180, 3.5, 0, 4.4, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "the group or the reference lacks positive or negative records");
	CHECK_INT(fa_power_auc_mdd(&d, NAN, 180, 3.5, 10, 4.4, 0.8, 0.05, &err), FA_EINPUT);
	CHECK_STR(err.message, "metric undefined in the reference group");
}

/* ---- annotating an audit ---------------------------------------------------- */

static fa_result *audit_derm(size_t min_n)
{
	static const char *const cols[] = {"fitzpatrick"};
	const char *path = test_path("data/samples/derm_lesions.jsonl");
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.label_column = "malignant";
	lo.score_column = "prob";
	lo.attr_columns = cols;
	lo.attr_count = 1;
	ao.groups = cols;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	ao.threads = 1;
	ao.min_n = min_n;
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
	fa_table_free(t);
	return r;
}

static const fa_group_result *group(const fa_result *r, const char *attr, const char *value)
{
	const fa_attr_result *a = fa_result_attr(r, attr);
	size_t i;
	for (i = 0; a && i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, value) == 0)
			return &a->groups[i];
	test_fail(__FILE__, __LINE__, "no group %s=%s", attr, value);
	return NULL;
}

static void test_power__annotate_derm(void)
{
	/* The worked example of docs/clinical.md. Reference: type II (the
	 * largest group; tpr 109/182, 182 positives, 661 negatives).
	 * mdd_tpr and mdd_auc from power_reference.R ("derm" lines): the root
	 * of bpower less its far tail, and of the unequal-size AUC power. */
	static const struct {
		const char *type;
		double mdd_tpr, mdd_auc;
	} want[] = {
		{"I", 0.20055341509398555, 0.097053726298895568},
		{"III", 0.15034777687983647, 0.070259484079421425},
		{"IV", 0.17497564673124646, 0.082358279697884937},
		{"V", 0.1983905643247586, 0.095292336901509192},
		{"VI", 0.26652299122090761, 0.13208976672422967},
	};
	fa_result *r = audit_derm(30);
	fa_error err;
	size_t i;

	if (!r)
		return;
	CHECK_INT(fa_power_annotate(r, 0.10, 0.8, 0.05, &err), 0);
	CHECK_INT(r->settings.power_annotated, 1);
	CHECK_NEAR(r->settings.power_detectable, 0.10, 0);
	CHECK_NEAR(r->settings.power_target, 0.8, 0);
	CHECK_NEAR(r->settings.power_alpha, 0.05, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const fa_group_result *g = group(r, "fitzpatrick", want[i].type);
		if (!g)
			continue;
		CHECK_NEAR(g->mdd[FA_M_TPR].value, want[i].mdd_tpr, 1e-9);
		/* fnr is the same question from the other side */
		CHECK_NEAR(g->mdd[FA_M_FNR].value, want[i].mdd_tpr, 1e-9);
		CHECK_NEAR(g->mdd[FA_M_AUC].value, want[i].mdd_auc, 1e-9);
		CHECK(g->mdd[FA_M_TPR].reason == NULL);
		/* every group's tpr MDD exceeds 0.10 */
		CHECK_INT(g->underpowered, 1);
		CHECK(!isnan(g->mdd[FA_M_FPR].value));
		CHECK(!isnan(g->mdd[FA_M_PPV].value));
		CHECK(!isnan(g->mdd[FA_M_ACCURACY].value));
		CHECK_NAN(g->mdd[FA_M_F1].value);
		CHECK_STR(g->mdd[FA_M_F1].reason, "no power formula for this metric");
		CHECK_NAN(g->mdd[FA_M_BRIER].value);
	}
	{
		const fa_group_result *ref = group(r, "fitzpatrick", "II");
		if (ref) {
			CHECK_NAN(ref->mdd[FA_M_TPR].value);
			CHECK_STR(ref->mdd[FA_M_TPR].reason, "this is the reference group");
			CHECK_INT(ref->underpowered, 0);
		}
	}
	CHECK_NAN(r->overall.mdd[FA_M_TPR].value);
	CHECK_INT(r->overall.underpowered, 0);

	/* at 0.20, only the groups whose tpr MDD exceeds it: I (0.2006) and
	 * VI (0.2665) */
	CHECK_INT(fa_power_annotate(r, 0.20, 0.8, 0.05, &err), 0);
	CHECK_INT(group(r, "fitzpatrick", "I")->underpowered, 1);
	CHECK_INT(group(r, "fitzpatrick", "III")->underpowered, 0);
	CHECK_INT(group(r, "fitzpatrick", "IV")->underpowered, 0);
	CHECK_INT(group(r, "fitzpatrick", "V")->underpowered, 0);
	CHECK_INT(group(r, "fitzpatrick", "VI")->underpowered, 1);

	CHECK_INT(fa_power_annotate(r, 0, 0.8, 0.05, &err), FA_EUSAGE);
	CHECK_STR(err.message, "the detectable difference must be between 0 and 1, got 0");
	CHECK_NEAR(r->settings.power_detectable, 0.20, 0);
	CHECK_INT(fa_power_annotate(r, 0.1, 1, 0.05, &err), FA_EUSAGE);
	fa_result_free(r);
}

static void test_power__annotate_insufficient(void)
{
	/* with --min-n 200, type VI (161 lesions) is insufficient: no MDD and
	 * no flag, since it takes no part in comparisons or gates */
	fa_result *r = audit_derm(200);
	fa_error err;
	const fa_group_result *g;

	if (!r)
		return;
	CHECK_INT(fa_power_annotate(r, 0.10, 0.8, 0.05, &err), 0);
	g = group(r, "fitzpatrick", "VI");
	if (g) {
		CHECK_INT(g->status, FA_GROUP_INSUFFICIENT);
		CHECK_NAN(g->mdd[FA_M_TPR].value);
		CHECK_STR(g->mdd[FA_M_TPR].reason,
			  "group is left out of comparisons (insufficient or suppressed)");
		CHECK_INT(g->underpowered, 0);
	}
	g = group(r, "fitzpatrick", "V");
	if (g)
		CHECK_NEAR(g->mdd[FA_M_TPR].value, 0.1983905643247586, 1e-9);
	fa_result_free(r);
}

/* ---- planning --------------------------------------------------------------- */

static fa_power_plan *plan(const fa_power_plan_options *o)
{
	fa_power_plan *p = NULL;
	fa_error err;
	if (fa_power_plan_run(&p, o, &err) < 0)
		test_fail(__FILE__, __LINE__, "plan: %s", err.message);
	return p;
}

static void test_power__plan_sample_size(void)
{
	fa_power_plan_options o = FA_POWER_PLAN_OPTIONS_INIT;
	fa_power_plan *p;
	fa_buf b = FA_BUF_INIT;

	/* fairaudit power --metric tpr --gap 0.1: p0 defaults to 0.8;
	 * n_tpr_080_gap010 = 293.15..., so 294 per group */
	o.gap = 0.1;
	p = plan(&o);
	if (!p)
		return;
	CHECK_NEAR(p->p0, 0.8, 0);
	CHECK_NEAR(p->value, 0.7, 1e-15);
	CHECK_REL(p->n_group, 293.15128550648632, 1e-9);
	CHECK_REL(p->n_reference, 293.15128550648632, 1e-9);
	fa_power_plan_write_text(&b, p);
	CHECK_STR(b.ptr,
		  "Cases needed to detect a gap of 0.1 in tpr (reference 0.8, group 0.7)\n"
		  "power 0.8, alpha 0.05 (two-sided)\n"
		  "method: normal approximation for two independent proportions\n"
		  "\n"
		  "                      reference      group\n"
		  "positive cases              294        294\n");
	fa_buf_clear(&b);
	fa_power_plan_free(p);

	/* fairaudit power --metric auc --auc0 0.85 --gap 0.1 --kappa 4 */
	o.metric = FA_M_AUC;
	o.p0 = 0.85;
	o.kappa = 4;
	p = plan(&o);
	if (!p)
		return;
	CHECK_REL(p->n_group, 118.31980081447112, 1e-9);
	CHECK_REL(p->neg_group, 4 * 118.31980081447112, 1e-9);
	fa_power_plan_write_json(&b, p);
	CHECK(strstr(b.ptr, "\"n_group_needed\":119,") != NULL);
	CHECK(strstr(b.ptr, "\"neg_group_needed\":474") != NULL);
	fa_buf_free(&b);
	fa_power_plan_free(p);

	/* fairaudit power --metric fpr --p0 0.1 --gap 0.05 --ratio 0.5 */
	o = (fa_power_plan_options)FA_POWER_PLAN_OPTIONS_INIT;
	o.metric = FA_M_FPR;
	o.p0 = 0.1;
	o.gap = 0.05;
	o.ratio = 0.5;
	p = plan(&o);
	if (!p)
		return;
	CHECK_INT(p->dir, 1);
	CHECK_REL(p->n_group, 1050.6636342251347, 1e-12);
	CHECK_REL(p->n_reference, 525.33181711256725, 1e-12);
	fa_power_plan_free(p);
}

static void test_power__plan_detectable(void)
{
	static const size_t pos[] = {120, 35, 0};
	static const size_t aucpos[] = {100, 100}, aucneg[] = {400, 400};
	fa_power_plan_options o = FA_POWER_PLAN_OPTIONS_INIT;
	fa_power_plan *p;
	fa_buf b = FA_BUF_INIT;

	/* fairaudit power --metric tpr --n-pos 120,35,0 */
	o.mode = FA_POWER_DETECTABLE;
	o.counts = pos;
	o.ncounts = 3;
	p = plan(&o);
	if (!p)
		return;
	CHECK_INT(p->nrows, 3);
	CHECK_NAN(p->rows[0].mdd);
	CHECK_NEAR(p->rows[1].mdd, 0.24101795131645662, 1e-9); /* mdd_120_35_080_down */
	CHECK_NAN(p->rows[2].mdd);
	CHECK_STR(p->rows[2].reason, "no records in this group's denominator");
	fa_power_plan_write_text(&b, p);
	CHECK_STR(b.ptr,
		  "Smallest detectable gap in tpr (lower than the reference's 0.8)\n"
		  "power 0.8, alpha 0.05 (two-sided)\n"
		  "method: normal approximation for two independent proportions\n"
		  "\n"
		  "group            positive cases  detectable gap          tpr\n"
		  "reference                   120               -       0.8000\n"
		  "2                            35          0.2410       0.5590\n"
		  "3                             0            none            -\n"
		  "\n"
		  "group 3: no records in this group's denominator\n");
	fa_buf_clear(&b);
	fa_power_plan_write_json(&b, p);
	CHECK(strstr(b.ptr, "{\"reference\":false,\"n\":0,\"detectable_gap\":null,"
			    "\"group_value\":null,\"reason\":\"no records in this group's denominator\"}") !=
	      NULL);
	fa_buf_free(&b);
	fa_power_plan_free(p);

	/* fairaudit power --metric auc --auc0 0.85 --n-pos 100,100
	 * --n-neg 400,400: mdd_auc_085_100_k4 */
	o = (fa_power_plan_options)FA_POWER_PLAN_OPTIONS_INIT;
	o.mode = FA_POWER_DETECTABLE;
	o.metric = FA_M_AUC;
	o.p0 = 0.85;
	o.counts = aucpos;
	o.counts_neg = aucneg;
	o.ncounts = 2;
	p = plan(&o);
	if (!p)
		return;
	CHECK_NEAR(p->rows[1].mdd, 0.10887401664748435, 1e-9);
	fa_power_plan_free(p);
}

static void expect_plan_error(const fa_power_plan_options *o, const char *msg)
{
	fa_power_plan *p = NULL;
	fa_error err;
	fa_error_clear(&err);
	CHECK_INT(fa_power_plan_run(&p, o, &err), FA_EUSAGE);
	CHECK(p == NULL);
	CHECK_STR(err.message, msg);
}

static void test_power__plan_errors(void)
{
	static const size_t one[] = {100};
	fa_power_plan_options o = FA_POWER_PLAN_OPTIONS_INIT;

	o.metric = FA_M_F1;
	o.gap = 0.1;
	expect_plan_error(&o, "--metric f1: no power formula; use tpr, fnr, tnr, fpr, ppv, npv, accuracy or auc");
	o.metric = FA_M_FPR;
	expect_plan_error(&o, "--metric fpr needs the reference group's value: give --p0");
	o.metric = FA_M_AUC;
	expect_plan_error(&o, "--metric auc needs the reference group's value: give --auc0");
	o.metric = FA_M_TPR;
	o.gap = 0.9;
	expect_plan_error(&o, "--gap 0.9 from 0.8 leaves [0, 1]: a worse tpr would be -0.1");
	o.gap = -0.1;
	expect_plan_error(&o, "--gap must be a positive difference, got -0.1");
	o.gap = 0.1;
	o.p0 = 1.5;
	expect_plan_error(&o, "--p0 must lie in [0, 1], got 1.5");
	o.p0 = NAN;
	o.power = 1;
	expect_plan_error(&o, "--power must be between 0 and 1, got 1");
	o.power = 0.8;
	o.alpha = -1;
	expect_plan_error(&o, "--alpha must be between 0 and 1, got -1");
	o.alpha = 0.05;
	o.ratio = 0;
	expect_plan_error(&o, "--ratio must be a positive number, got 0");
	o.ratio = 1;
	o.mode = FA_POWER_DETECTABLE;
	o.counts = one;
	o.ncounts = 1;
	expect_plan_error(&o, "--n-pos needs at least two counts: the reference's, then each group's");
}

test_case test_power__cases[] = {
	{"prop_power_by_hand", test_power__prop_power_by_hand},
	{"prop_mdd_equal_n", test_power__prop_mdd_equal_n},
	{"prop_mdd_unequal_n", test_power__prop_mdd_unequal_n},
	{"prop_mdd_undefined", test_power__prop_mdd_undefined},
	{"prop_sample_size", test_power__prop_sample_size},
	{"auc_variance", test_power__auc_variance},
	{"auc_sample_size", test_power__auc_sample_size},
	{"auc_power_and_mdd", test_power__auc_power_and_mdd},
	{"annotate_derm", test_power__annotate_derm},
	{"annotate_insufficient", test_power__annotate_insufficient},
	{"plan_sample_size", test_power__plan_sample_size},
	{"plan_detectable", test_power__plan_detectable},
	{"plan_errors", test_power__plan_errors},
	{NULL, NULL},
};
