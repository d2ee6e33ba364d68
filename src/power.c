/*
 * power.c: power of two-group comparisons, minimum detectable differences
 * (MDD) and sample sizes, for proportions (normal approximation, pooled
 * variance under the null) and AUCs (Obuchowski's binormal variance). The
 * formulas, references and the R functions they reproduce are in
 * docs/clinical.md and power.h.
 */
#include "fairaudit/power.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Grid points scanned for the first difference that reaches the power:
 * the power is not monotone in every corner (an AUC's variance peaks at
 * 0.5), so the smallest root is bracketed before it is refined. */
#define SCAN_STEPS 1024
#define ROOT_TOL 1e-13

static const char R_OVERALL[] = "the overall population is not compared with a reference";
static const char R_NOT_ELIGIBLE[] =
	"group is left out of comparisons (insufficient or suppressed)";
static const char R_IS_REF[] = "this is the reference group";
static const char R_NO_FORMULA[] = "no power formula for this metric";
static const char R_EMPTY_GROUP[] = "no records in this group's denominator";
static const char R_EMPTY_REF[] = "no records in the reference group's denominator";
static const char R_REF_UNDEF[] = "metric undefined in the reference group";
static const char R_AT_BOUND[] = "the reference value is at the bound: no worse value exists";
static const char R_UNDETECTABLE[] =
	"no difference within the metric's range reaches the power";
static const char R_AUC_CLASSES[] =
	"the group or the reference lacks positive or negative records";

static int in_open01(double x)
{
	return x > 0 && x < 1;
}

static int check_settings(double power, double alpha, fa_error *err)
{
	if (!in_open01(power))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "power must be between 0 and 1, got %g", power);
	if (!in_open01(alpha))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "alpha must be between 0 and 1, got %g", alpha);
	return 0;
}

/* z of the two-sided test: the upper alpha/2 quantile, as R's
 * qnorm(alpha / 2, lower.tail = FALSE). */
static double z_alpha(double alpha)
{
	return gsl_cdf_ugaussian_Qinv(alpha / 2);
}

/* Φ((d - z se0) / se1), with the limits the formula has when se1 is 0. */
static double power_from(double d, double z, double se0, double se1)
{
	double num = d - z * se0;
	if (se1 == 0)
		return num > 0 ? 1 : num < 0 ? 0 : NAN;
	return gsl_cdf_ugaussian_P(num / se1);
}

/* ---- two proportions ------------------------------------------------------ */

double fa_power_prop(double p1, double n1, double p2, double n2, double alpha)
{
	double pbar, se0, se1;

	if (!(n1 > 0 && n2 > 0) || !(p1 >= 0 && p1 <= 1) || !(p2 >= 0 && p2 <= 1) ||
	    !in_open01(alpha))
		return NAN;
	pbar = (n1 * p1 + n2 * p2) / (n1 + n2);
	se0 = sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2));
	se1 = sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
	return power_from(fabs(p1 - p2), z_alpha(alpha), se0, se1);
}

int fa_power_prop_n(double *out, double p1, double p2, double ratio, double power,
		    double alpha, fa_error *err)
{
	double pbar, za, zb, d, a, b;
	int rc;

	*out = NAN;
	if ((rc = check_settings(power, alpha, err)) < 0)
		return rc;
	if (!(p1 >= 0 && p1 <= 1) || !(p2 >= 0 && p2 <= 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "proportions must lie in [0, 1], got %g and %g", p1, p2);
	if (p1 == p2)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the two proportions are equal (%g): no size detects no difference",
				    p1);
	if (!(ratio > 0) || !isfinite(ratio))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the size ratio must be positive, got %g", ratio);
	/* reference n1 = ratio n, group n2 = n: power = target solved for n */
	pbar = (ratio * p1 + p2) / (ratio + 1);
	za = z_alpha(alpha);
	zb = gsl_cdf_ugaussian_Pinv(power);
	d = fabs(p1 - p2);
	a = za * sqrt(pbar * (1 - pbar) * (1 / ratio + 1));
	b = zb * sqrt(p1 * (1 - p1) / ratio + p2 * (1 - p2));
	*out = (a + b) * (a + b) / (d * d);
	if (!isfinite(*out))
		return fa_error_set(err, FA_EMATH, NULL, 0, 0, "sample size gave %g", *out);
	return 0;
}

/* ---- solving for the detectable difference ------------------------------- */

typedef double (*power_fn)(double d, void *ctx);

typedef struct root_ctx {
	power_fn f;
	void *ctx;
	double target;
} root_ctx;

static double root_f(double d, void *p)
{
	const root_ctx *c = p;
	return c->f(d, c->ctx) - c->target;
}

/* The smallest d in (0, dmax] with f(d) >= target, or NaN (with `*why`)
 * when no d up to dmax reaches it. */
static double solve_mdd(power_fn f, void *ctx, double target, double dmax, const char **why)
{
	root_ctx rc = {f, ctx, target};
	gsl_function F;
	gsl_root_fsolver *s;
	double lo = 0, hi = NAN, flo;
	int k, status, iter;

	*why = NULL;
	flo = root_f(0, &rc);
	if (flo >= 0)
		return 0;
	for (k = 1; k <= SCAN_STEPS; k++) {
		double d = dmax * k / SCAN_STEPS, fd = root_f(d, &rc);
		if (fd >= 0) {
			hi = d;
			break;
		}
		if (!isnan(fd))
			lo = d;
	}
	if (isnan(hi)) {
		*why = R_UNDETECTABLE;
		return NAN;
	}
	if (root_f(hi, &rc) == 0)
		return hi;
	F.function = root_f;
	F.params = &rc;
	s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!s) {
		*why = "GSL could not allocate a root solver";
		return NAN;
	}
	if (gsl_root_fsolver_set(s, &F, lo, hi) != GSL_SUCCESS) {
		gsl_root_fsolver_free(s);
		*why = "the power function gave no bracket for a root";
		return NAN;
	}
	status = GSL_CONTINUE;
	for (iter = 0; iter < 200 && status == GSL_CONTINUE; iter++) {
		if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
			break;
		status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
						gsl_root_fsolver_x_upper(s), ROOT_TOL, 0);
	}
	hi = gsl_root_fsolver_root(s);
	gsl_root_fsolver_free(s);
	if (status != GSL_SUCCESS) {
		*why = "the root solver did not converge";
		return NAN;
	}
	return hi;
}

typedef struct prop_ctx {
	double p1, n1, n2, alpha;
	int dir;
} prop_ctx;

static double prop_power_at(double d, void *p)
{
	const prop_ctx *c = p;
	double p2 = c->p1 + c->dir * d;
	/* keep the end of the range inside [0, 1] despite rounding */
	p2 = p2 < 0 ? 0 : p2 > 1 ? 1 : p2;
	return fa_power_prop(c->p1, c->n1, p2, c->n2, c->alpha);
}

/* The MDD of a proportion, or NaN with a static reason. */
static double prop_mdd(double p1, double n1, double n2, int dir, double power, double alpha,
		       const char **why)
{
	prop_ctx c;
	double dmax;

	if (!(n2 > 0)) {
		*why = R_EMPTY_GROUP;
		return NAN;
	}
	if (!(n1 > 0)) {
		*why = R_EMPTY_REF;
		return NAN;
	}
	if (isnan(p1)) {
		*why = R_REF_UNDEF;
		return NAN;
	}
	dmax = dir < 0 ? p1 : 1 - p1;
	if (!(dmax > 0)) {
		*why = R_AT_BOUND;
		return NAN;
	}
	c.p1 = p1;
	c.n1 = n1;
	c.n2 = n2;
	c.alpha = alpha;
	c.dir = dir < 0 ? -1 : 1;
	return solve_mdd(prop_power_at, &c, power, dmax, why);
}

int fa_power_prop_mdd(double *out, double p1, double n1, double n2, int dir, double power,
		      double alpha, fa_error *err)
{
	const char *why = NULL;
	int rc;

	*out = NAN;
	if ((rc = check_settings(power, alpha, err)) < 0)
		return rc;
	if (!isnan(p1) && !(p1 >= 0 && p1 <= 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the reference proportion must lie in [0, 1], got %g", p1);
	*out = prop_mdd(p1, n1, n2, dir, power, alpha, &why);
	if (isnan(*out))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0, "%s", why);
	return 0;
}

/* ---- AUC ------------------------------------------------------------------- */

double fa_power_auc_var(double auc, double kappa)
{
	double a, f, g;

	if (!(auc >= 0 && auc <= 1) || !(kappa > 0))
		return NAN;
	if (auc == 0 || auc == 1)
		return 0; /* f and g vanish as A goes to infinity */
	a = M_SQRT2 * gsl_cdf_ugaussian_Pinv(auc);
	f = exp(-a * a / 4) / sqrt(4 * M_PI);
	g = -a * f / 2;
	return f * f * (1 + 1 / kappa + a * a / 2) + g * g * (1 + kappa) / (2 * kappa);
}

double fa_power_auc(double auc1, double n1, double kappa1, double auc2, double n2,
		    double kappa2, double alpha)
{
	double v1 = fa_power_auc_var(auc1, kappa1), v0 = fa_power_auc_var(auc1, kappa2);
	double v2 = fa_power_auc_var(auc2, kappa2);

	if (!(n1 > 0 && n2 > 0) || isnan(v0) || isnan(v1) || isnan(v2) || !in_open01(alpha))
		return NAN;
	return power_from(fabs(auc1 - auc2), z_alpha(alpha), sqrt(v1 / n1 + v0 / n2),
			  sqrt(v1 / n1 + v2 / n2));
}

int fa_power_auc_n(double *out, double auc1, double auc2, double ratio, double kappa,
		   double power, double alpha, fa_error *err)
{
	double v0, v1, a, b, d;
	int rc;

	*out = NAN;
	if ((rc = check_settings(power, alpha, err)) < 0)
		return rc;
	if (!(auc1 >= 0 && auc1 <= 1) || !(auc2 >= 0 && auc2 <= 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "AUCs must lie in [0, 1], got %g and %g", auc1, auc2);
	if (!(auc2 < auc1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the group's AUC (%g) must be below the reference's (%g)", auc2,
				    auc1);
	if (!(ratio > 0) || !isfinite(ratio))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the size ratio must be positive, got %g", ratio);
	if (!(kappa > 0) || !isfinite(kappa))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "negatives per positive must be positive, got %g", kappa);
	v0 = fa_power_auc_var(auc1, kappa);
	v1 = fa_power_auc_var(auc2, kappa);
	d = auc1 - auc2;
	a = z_alpha(alpha) * sqrt(v0 / ratio + v0);
	b = gsl_cdf_ugaussian_Pinv(power) * sqrt(v0 / ratio + v1);
	*out = (a + b) * (a + b) / (d * d);
	if (!isfinite(*out))
		return fa_error_set(err, FA_EMATH, NULL, 0, 0, "sample size gave %g", *out);
	return 0;
}

typedef struct auc_ctx {
	double auc1, n1, k1, n2, k2, alpha;
} auc_ctx;

static double auc_power_at(double d, void *p)
{
	const auc_ctx *c = p;
	double a2 = c->auc1 - d;
	return fa_power_auc(c->auc1, c->n1, c->k1, a2 < 0 ? 0 : a2, c->n2, c->k2, c->alpha);
}

static double auc_mdd(double auc1, double n1, double k1, double n2, double k2, double power,
		      double alpha, const char **why)
{
	auc_ctx c;

	if (!(n1 > 0 && n2 > 0 && k1 > 0 && k2 > 0) || !isfinite(k1) || !isfinite(k2)) {
		*why = R_AUC_CLASSES;
		return NAN;
	}
	if (isnan(auc1)) {
		*why = R_REF_UNDEF;
		return NAN;
	}
	if (!(auc1 > 0)) {
		*why = R_AT_BOUND;
		return NAN;
	}
	c.auc1 = auc1;
	c.n1 = n1;
	c.k1 = k1;
	c.n2 = n2;
	c.k2 = k2;
	c.alpha = alpha;
	return solve_mdd(auc_power_at, &c, power, auc1, why);
}

int fa_power_auc_mdd(double *out, double auc1, double n1, double kappa1, double n2,
		     double kappa2, double power, double alpha, fa_error *err)
{
	const char *why = NULL;
	int rc;

	*out = NAN;
	if ((rc = check_settings(power, alpha, err)) < 0)
		return rc;
	if (!isnan(auc1) && !(auc1 >= 0 && auc1 <= 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the reference AUC must lie in [0, 1], got %g", auc1);
	*out = auc_mdd(auc1, n1, kappa1, n2, kappa2, power, alpha, &why);
	if (isnan(*out))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0, "%s", why);
	return 0;
}

/* ---- annotating an audit -------------------------------------------------- */

/* The size of metric m's denominator in group g; 0 for metrics without a
 * proportion formula. */
static size_t denominator(const fa_group_result *g, fa_metric m)
{
	switch (m) {
	case FA_M_TPR:
	case FA_M_FNR: return g->n_pos;
	case FA_M_TNR:
	case FA_M_FPR: return g->n_neg;
	case FA_M_PPV: return g->tp + g->fp;
	case FA_M_NPV: return g->tn + g->fn;
	case FA_M_ACCURACY: return g->n;
	default: return 0;
	}
}

static int has_formula(fa_metric m)
{
	switch (m) {
	case FA_M_TPR:
	case FA_M_FNR:
	case FA_M_TNR:
	case FA_M_FPR:
	case FA_M_PPV:
	case FA_M_NPV:
	case FA_M_ACCURACY:
	case FA_M_AUC: return 1;
	default: return 0;
	}
}

/* The direction in which metric m gets worse: -1 down, +1 up. */
static int worse_dir(fa_metric m)
{
	return fa_metric_direction(m) == 0 ? 1 : -1;
}

static void set_nan(fa_estimate *e, const char *why)
{
	memset(e, 0, sizeof(*e));
	e->value = NAN;
	e->reason = why;
	e->p_value = e->p_adjusted = NAN;
}

static void set_value(fa_estimate *e, double v)
{
	set_nan(e, NULL);
	e->value = v;
}

static void group_mdd(fa_group_result *g, const fa_group_result *ref, double power,
		      double alpha)
{
	int m;

	for (m = 0; m < FA_M__COUNT; m++) {
		const char *why = NULL;
		double v;

		if (!has_formula((fa_metric)m)) {
			set_nan(&g->mdd[m], R_NO_FORMULA);
			continue;
		}
		if (m == FA_M_AUC) {
			double k1 = ref->n_pos ? (double)ref->n_neg / (double)ref->n_pos : 0;
			double k2 = g->n_pos ? (double)g->n_neg / (double)g->n_pos : 0;
			v = auc_mdd(ref->metrics[m].value, (double)ref->n_pos, k1,
				    (double)g->n_pos, k2, power, alpha, &why);
		} else {
			v = prop_mdd(ref->metrics[m].value, (double)denominator(ref, (fa_metric)m),
				     (double)denominator(g, (fa_metric)m), worse_dir((fa_metric)m),
				     power, alpha, &why);
		}
		if (isnan(v))
			set_nan(&g->mdd[m], why);
		else
			set_value(&g->mdd[m], v);
	}
}

int fa_power_annotate(fa_result *r, double detectable, double power, double alpha,
		      fa_error *err)
{
	size_t a, gi;
	int m, rc;

	if (!in_open01(detectable))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the detectable difference must be between 0 and 1, got %g",
				    detectable);
	if ((rc = check_settings(power, alpha, err)) < 0)
		return rc;
	r->settings.power_annotated = 1;
	r->settings.power_detectable = detectable;
	r->settings.power_target = power;
	r->settings.power_alpha = alpha;
	for (m = 0; m < FA_M__COUNT; m++)
		set_nan(&r->overall.mdd[m], R_OVERALL);
	r->overall.underpowered = 0;
	for (a = 0; a < r->nattrs; a++) {
		fa_attr_result *A = &r->attrs[a];
		const fa_group_result *ref = A->reference >= 0 ? &A->groups[A->reference] : NULL;
		for (gi = 0; gi < A->ngroups; gi++) {
			fa_group_result *g = &A->groups[gi];
			const char *why = NULL;

			g->underpowered = 0;
			if (g->status != FA_GROUP_OK)
				why = R_NOT_ELIGIBLE;
			else if (!ref)
				why = A->reference_reason ? A->reference_reason
							  : "the attribute has no reference group";
			else if (g == ref)
				why = R_IS_REF;
			if (why) {
				for (m = 0; m < FA_M__COUNT; m++)
					set_nan(&g->mdd[m], why);
				continue;
			}
			group_mdd(g, ref, power, alpha);
			g->underpowered = !(g->mdd[FA_M_TPR].value <= detectable);
		}
	}
	return 0;
}

/* ---- planning -------------------------------------------------------------- */

static const char *what_counts(fa_metric m)
{
	switch (m) {
	case FA_M_TPR:
	case FA_M_FNR:
	case FA_M_AUC: return "positive cases";
	case FA_M_TNR:
	case FA_M_FPR: return "negative cases";
	case FA_M_PPV: return "positive decisions";
	case FA_M_NPV: return "negative decisions";
	default: return "records";
	}
}

static const char *counts_option(fa_metric m)
{
	switch (m) {
	case FA_M_TPR:
	case FA_M_FNR:
	case FA_M_AUC: return "--n-pos";
	case FA_M_TNR:
	case FA_M_FPR: return "--n-neg";
	default: return "--n";
	}
}

int fa_power_plan_run(fa_power_plan **out, const fa_power_plan_options *o, fa_error *err)
{
	fa_power_plan *p;
	int rc = 0;
	size_t i;

	*out = NULL;
	if (!has_formula(o->metric))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--metric %s: no power formula; use tpr, fnr, tnr, fpr, ppv, npv, accuracy or auc",
				    fa_metric_name(o->metric));
	if (!in_open01(o->power))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--power must be between 0 and 1, got %g", o->power);
	if (!in_open01(o->alpha))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--alpha must be between 0 and 1, got %g", o->alpha);
	p = fa_xcalloc(1, sizeof(*p));
	p->mode = o->mode;
	p->metric = o->metric;
	p->dir = worse_dir(o->metric);
	p->p0 = o->p0;
	p->power = o->power;
	p->alpha = o->alpha;
	p->ratio = o->ratio;
	p->kappa = o->kappa;
	p->gap = p->value = NAN;
	p->n_group = p->n_reference = p->neg_group = p->neg_reference = NAN;
	if (isnan(p->p0)) {
		if (o->metric != FA_M_TPR && o->metric != FA_M_TNR) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "--metric %s needs the reference group's value: give %s",
					  fa_metric_name(o->metric),
					  o->metric == FA_M_AUC ? "--auc0" : "--p0");
			goto done;
		}
		p->p0 = 0.8;
	}
	if (!(p->p0 >= 0 && p->p0 <= 1)) {
		rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s must lie in [0, 1], got %g",
				  o->metric == FA_M_AUC ? "--auc0" : "--p0", p->p0);
		goto done;
	}
	if (p->mode == FA_POWER_SAMPLE_SIZE) {
		if (!(o->gap > 0)) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "--gap must be a positive difference, got %g", o->gap);
			goto done;
		}
		p->gap = o->gap;
		p->value = p->p0 + p->dir * p->gap;
		if (!(p->value >= 0 && p->value <= 1)) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "--gap %g from %g leaves [0, 1]: a worse %s would be %g",
					  p->gap, p->p0, fa_metric_name(o->metric), p->value);
			goto done;
		}
		if (!(o->ratio > 0) || !isfinite(o->ratio)) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "--ratio must be a positive number, got %g", o->ratio);
			goto done;
		}
		if (o->metric == FA_M_AUC) {
			if (!(o->kappa > 0) || !isfinite(o->kappa)) {
				rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						  "--kappa must be a positive number, got %g",
						  o->kappa);
				goto done;
			}
			rc = fa_power_auc_n(&p->n_group, p->p0, p->value, o->ratio, o->kappa,
					    o->power, o->alpha, err);
			p->neg_group = o->kappa * p->n_group;
			p->neg_reference = o->ratio * p->neg_group;
		} else {
			rc = fa_power_prop_n(&p->n_group, p->p0, p->value, o->ratio, o->power,
					     o->alpha, err);
		}
		p->n_reference = o->ratio * p->n_group;
		goto done;
	}
	if (o->ncounts < 2) {
		rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				  "%s needs at least two counts: the reference's, then each group's",
				  counts_option(o->metric));
		goto done;
	}
	if (o->metric == FA_M_AUC && !o->counts_neg) {
		rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				  "--metric auc needs --n-neg as well as --n-pos");
		goto done;
	}
	p->rows = fa_xcalloc(o->ncounts, sizeof(*p->rows));
	p->nrows = o->ncounts;
	for (i = 0; i < o->ncounts; i++) {
		fa_power_plan_row *row = &p->rows[i];
		const char *why = NULL;

		row->n = o->counts[i];
		row->n_neg = o->counts_neg ? o->counts_neg[i] : 0;
		row->mdd = NAN;
		if (i == 0) {
			row->reason = R_IS_REF;
			continue;
		}
		if (o->metric == FA_M_AUC) {
			const fa_power_plan_row *r0 = &p->rows[0];
			row->mdd = auc_mdd(p->p0, (double)r0->n,
					   r0->n ? (double)r0->n_neg / (double)r0->n : 0, (double)row->n,
					   row->n ? (double)row->n_neg / (double)row->n : 0, o->power,
					   o->alpha, &why);
		} else {
			row->mdd = prop_mdd(p->p0, (double)p->rows[0].n, (double)row->n, p->dir,
					    o->power, o->alpha, &why);
		}
		row->reason = why;
	}
done:
	if (rc < 0) {
		fa_power_plan_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void fa_power_plan_free(fa_power_plan *p)
{
	if (!p)
		return;
	free(p->rows);
	free(p);
}

static const char *method_text(const fa_power_plan *p)
{
	return p->metric == FA_M_AUC
		       ? "Obuchowski's binormal variance, two independent groups"
		       : "normal approximation for two independent proportions";
}

static void write_method(fa_buf *b, const fa_power_plan *p)
{
	fa_buf_printf(b, "power %g, alpha %g (two-sided)\nmethod: %s", p->power, p->alpha,
		      method_text(p));
	if (p->metric == FA_M_AUC && p->mode == FA_POWER_SAMPLE_SIZE)
		fa_buf_printf(b, "; %g negative%s per positive", p->kappa,
			      p->kappa == 1 ? "" : "s");
	fa_buf_puts(b, "\n\n");
}

static double ceil_size(double x)
{
	return ceil(x - 1e-9 * fmax(1, x)); /* 163.0000000001 is 163 */
}

void fa_power_plan_write_text(fa_buf *b, const fa_power_plan *p)
{
	const char *name = fa_metric_name(p->metric);
	const char *what = what_counts(p->metric);
	size_t i;

	if (p->mode == FA_POWER_SAMPLE_SIZE) {
		fa_buf_printf(b, "Cases needed to detect a gap of %g in %s (reference %g, group %g)\n",
			      p->gap, name, p->p0, p->value);
		write_method(b, p);
		fa_buf_printf(b, "%-20s %10s %10s\n", "", "reference", "group");
		fa_buf_printf(b, "%-20s %10.0f %10.0f\n", what, ceil_size(p->n_reference),
			      ceil_size(p->n_group));
		if (p->metric == FA_M_AUC)
			fa_buf_printf(b, "%-20s %10.0f %10.0f\n", "negative cases",
				      ceil_size(p->neg_reference), ceil_size(p->neg_group));
		if (p->ratio != 1)
			fa_buf_printf(b, "\nThe reference group has %g times the group's %s.\n",
				      p->ratio, what);
		return;
	}
	fa_buf_printf(b, "Smallest detectable gap in %s (%s than the reference's %g)\n", name,
		      p->dir < 0 ? "lower" : "higher", p->p0);
	write_method(b, p);
	fa_buf_printf(b, "%-10s %20s", "group", what);
	if (p->metric == FA_M_AUC)
		fa_buf_printf(b, " %15s", "negative cases");
	fa_buf_printf(b, " %15s %12s\n", "detectable gap", name);
	for (i = 0; i < p->nrows; i++) {
		const fa_power_plan_row *r = &p->rows[i];
		char label[32];

		if (i == 0)
			snprintf(label, sizeof(label), "reference");
		else
			snprintf(label, sizeof(label), "%zu", i + 1);
		fa_buf_printf(b, "%-10s %20zu", label, r->n);
		if (p->metric == FA_M_AUC)
			fa_buf_printf(b, " %15zu", r->n_neg);
		if (i == 0)
			fa_buf_printf(b, " %15s %12.4f\n", "-", p->p0);
		else if (isnan(r->mdd))
			fa_buf_printf(b, " %15s %12s\n", "none", "-");
		else
			fa_buf_printf(b, " %15.4f %12.4f\n", r->mdd, p->p0 + p->dir * r->mdd);
	}
	for (i = 1; i < p->nrows; i++)
		if (isnan(p->rows[i].mdd))
			fa_buf_printf(b, "\ngroup %zu: %s\n", i + 1, p->rows[i].reason);
}

static void json_num(fa_buf *b, const char *key, double x)
{
	fa_buf_printf(b, ",\"%s\":", key);
	if (isfinite(x))
		fa_buf_put_double(b, x);
	else
		fa_buf_puts(b, "null");
}

void fa_power_plan_write_json(fa_buf *b, const fa_power_plan *p)
{
	size_t i;

	fa_buf_printf(b, "{\"mode\":\"%s\",\"metric\":\"%s\",\"method\":\"%s\"",
		      p->mode == FA_POWER_SAMPLE_SIZE ? "sample_size" : "detectable_gap",
		      fa_metric_name(p->metric),
		      p->metric == FA_M_AUC ? "obuchowski_binormal" : "two_proportions_normal");
	fa_buf_printf(b, ",\"worse\":\"%s\"", p->dir < 0 ? "lower" : "higher");
	json_num(b, "reference_value", p->p0);
	json_num(b, "power", p->power);
	json_num(b, "alpha", p->alpha);
	if (p->mode == FA_POWER_SAMPLE_SIZE) {
		json_num(b, "gap", p->gap);
		json_num(b, "group_value", p->value);
		json_num(b, "ratio", p->ratio);
		if (p->metric == FA_M_AUC)
			json_num(b, "kappa", p->kappa);
		json_num(b, "n_reference", p->n_reference);
		json_num(b, "n_group", p->n_group);
		json_num(b, "n_reference_needed", ceil_size(p->n_reference));
		json_num(b, "n_group_needed", ceil_size(p->n_group));
		if (p->metric == FA_M_AUC) {
			json_num(b, "neg_reference", p->neg_reference);
			json_num(b, "neg_group", p->neg_group);
			json_num(b, "neg_reference_needed", ceil_size(p->neg_reference));
			json_num(b, "neg_group_needed", ceil_size(p->neg_group));
		}
		fa_buf_puts(b, "}\n");
		return;
	}
	fa_buf_puts(b, ",\"groups\":[");
	for (i = 0; i < p->nrows; i++) {
		const fa_power_plan_row *r = &p->rows[i];
		fa_buf_printf(b, "%s{\"reference\":%s,\"n\":%zu", i ? "," : "", i ? "false" : "true",
			      r->n);
		if (p->metric == FA_M_AUC)
			fa_buf_printf(b, ",\"n_neg\":%zu", r->n_neg);
		if (i > 0) {
			json_num(b, "detectable_gap", r->mdd);
			json_num(b, "group_value", p->p0 + p->dir * r->mdd);
			if (r->reason && isnan(r->mdd))
				fa_buf_printf(b, ",\"reason\":\"%s\"", r->reason);
		}
		fa_buf_putc(b, '}');
	}
	fa_buf_puts(b, "]}\n");
}
