/*
 * report_json.c: the JSON report (docs/report-schema.md) and reading it
 * back into an fa_result.
 *
 * The report is written by hand rather than through a cJSON tree: the key
 * order is then fixed by the code, every number is printed by
 * fa_format_double (the shortest text that reads back to the same double),
 * and a seed above 2^53, which no double holds, can be written as a string.
 * Reading uses cJSON, whose strtod-based parser returns those same doubles.
 */
#include "fairaudit/report.h"

#include "json_writer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Integers up to 2^53 survive a trip through a double. */
#define EXACT_INT_MAX 9007199254740992.0

static const char R_SUPPRESSED[] = "withheld: group smaller than --suppress-below";
static const char R_SEE_MAIN[] = "see the main result";

/* What a group or attribute being written belongs to: the main result, an
 * operating point, or one model of several (--model), which has no power
 * or representation annotations of its own. */
enum { IN_MAIN = 0, IN_VIEW = 1, IN_MODEL = 2 };

static const char *outcome_name(fa_gate_outcome o)
{
	switch (o) {
	case FA_GATE_PASS: return "pass";
	case FA_GATE_FAIL: return "fail";
	case FA_GATE_INCONCLUSIVE: return "inconclusive";
	}
	return "inconclusive";
}

/* ---- writing ----------------------------------------------------------- */

static void put_pair(jw *w, double lo, double hi)
{
	jw_open(w, '[', 1);
	jw_item(w);
	jw_num(w, lo);
	jw_item(w);
	jw_num(w, hi);
	jw_close(w, ']');
}

/* An estimate; with `withheld`, a value is never written (a suppressed
 * group's numbers stay out of the report even where a stage filled one). */
static void put_estimate_as(jw *w, const fa_estimate *e, int withheld)
{
	int defined = isfinite(e->value) && !withheld;

	jw_open(w, '{', 1);
	jw_key(w, "value");
	if (defined)
		jw_num(w, e->value);
	else
		jw_null(w);
	if (!defined || e->reason) {
		jw_key(w, "reason");
		jw_str(w, withheld && (isfinite(e->value) || !e->reason) ? R_SUPPRESSED
			  : e->reason                               ? e->reason
			  : isnan(e->value)                         ? "undefined"
								    : "not finite");
	}
	if (!defined) {
		jw_close(w, '}');
		return;
	}
	/* an interval around an undefined value would mean nothing */
	if (e->has_ci) {
		jw_key(w, "ci");
		put_pair(w, e->ci_low, e->ci_high);
	}
	if (e->ci_dropped) {
		jw_key(w, "ci_dropped");
		jw_size(w, e->ci_dropped);
	}
	if (e->has_aci) {
		jw_key(w, "aci");
		put_pair(w, e->aci_low, e->aci_high);
	}
	/* only a number: one written as null would read back as "no test" */
	if (isfinite(e->p_value)) {
		jw_key(w, "p_value");
		jw_num(w, e->p_value);
	}
	if (isfinite(e->p_adjusted)) {
		jw_key(w, "p_adjusted");
		jw_num(w, e->p_adjusted);
	}
	jw_close(w, '}');
}

static void put_estimate(jw *w, const fa_estimate *e)
{
	put_estimate_as(w, e, 0);
}

static void put_counts(jw *w, const fa_group_result *g, int withheld, int clusters)
{
	const char *names[8] = {"n", "n_pos", "n_neg", "tp", "fp", "tn", "fn", "n_clusters"};
	size_t vals[8];
	int i;

	vals[0] = g->n;
	vals[1] = g->n_pos;
	vals[2] = g->n_neg;
	vals[3] = g->tp;
	vals[4] = g->fp;
	vals[5] = g->tn;
	vals[6] = g->fn;
	vals[7] = g->n_clusters;
	for (i = 0; i < (clusters ? 8 : 7); i++) {
		jw_key(w, names[i]);
		if (withheld)
			jw_null(w);
		else
			jw_size(w, vals[i]);
	}
}

static void put_metric_map(jw *w, const char *key, const fa_estimate *m, int withheld)
{
	int k;

	jw_key(w, key);
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++) {
		jw_key(w, fa_metric_name((fa_metric)k));
		put_estimate_as(w, &m[k], withheld);
	}
	jw_close(w, '}');
}

static void put_group_ref(jw *w, const fa_attr_result *a, long g)
{
	if (g >= 0 && (size_t)g < a->ngroups)
		jw_str(w, a->groups[g].value);
	else
		jw_null(w);
}

/* A list of numbers on one line; NaN is null. */
static void put_num_array(jw *w, const double *x, size_t n)
{
	size_t i;

	jw_open(w, '[', 1);
	for (i = 0; i < n; i++) {
		jw_item(w);
		jw_num(w, x[i]);
	}
	jw_close(w, ']');
}

/* The ROC curve and calibration bins the engine keeps per group, so that a
 * report read back draws them. Left out when there are none (a suppressed
 * group, a group of an operating point). */
static void put_curves(jw *w, const fa_group_curves *c)
{
	size_t k;

	if (c->roc.n == 0 && !c->has_calib)
		return;
	jw_key(w, "curves");
	jw_open(w, '{', 0);
	jw_key(w, "roc");
	jw_open(w, '{', 0);
	jw_key(w, "fpr");
	put_num_array(w, c->roc.fpr, c->roc.n);
	jw_key(w, "tpr");
	put_num_array(w, c->roc.tpr, c->roc.n);
	jw_close(w, '}');
	jw_key(w, "calibration");
	if (c->has_calib) {
		jw_open(w, '{', 0);
		jw_key(w, "count");
		jw_open(w, '[', 1);
		for (k = 0; k < FA_CALIB_BINS; k++) {
			jw_item(w);
			jw_size(w, c->calib.count[k]);
		}
		jw_close(w, ']');
		jw_key(w, "mean_score");
		put_num_array(w, c->calib.mean_score, FA_CALIB_BINS);
		jw_key(w, "observed");
		put_num_array(w, c->calib.observed, FA_CALIB_BINS);
		jw_close(w, '}');
	} else {
		jw_null(w);
	}
	jw_close(w, '}');
}

/* What later stages added to a group (or the whole population): score
 * leakage, power, representation, the curves. Power and representation
 * belong to the main result only (`in_view` IN_MAIN); an operating point
 * (IN_VIEW) has its own threshold per group instead. */
static void put_group_extras(jw *w, const fa_result *r, const fa_group_result *g, int withheld,
			     int in_view)
{
	if (in_view == IN_VIEW && !withheld) {
		jw_key(w, "own_threshold");
		jw_num(w, g->own_threshold);
	}
	if (!withheld) {
		jw_key(w, "leakage");
		jw_open(w, '{', 0);
		jw_key(w, "negatives");
		put_estimate(w, &g->leakage[0]);
		jw_key(w, "positives");
		put_estimate(w, &g->leakage[1]);
		jw_close(w, '}');
	}
	if (r->settings.power_annotated && in_view == IN_MAIN) {
		put_metric_map(w, "mdd", g->mdd, withheld);
		jw_key(w, "underpowered");
		jw_bool(w, g->underpowered);
	}
	if (r->settings.population && in_view == IN_MAIN) {
		const fa_group_representation *p = &g->representation;
		jw_key(w, "representation");
		jw_open(w, '{', 0);
		jw_key(w, "named");
		jw_bool(w, p->named);
		jw_key(w, "audit_share");
		put_estimate_as(w, &p->audit_share, withheld);
		jw_key(w, "population_share");
		jw_num(w, p->population_share);
		jw_key(w, "ratio");
		put_estimate_as(w, &p->ratio, withheld);
		jw_key(w, "under_represented");
		jw_bool(w, p->under_represented);
		jw_close(w, '}');
	}
	if (!withheld)
		put_curves(w, &g->curves);
}

static void put_group(jw *w, const fa_result *r, const fa_group_result *g, int in_view)
{
	int withheld = g->status == FA_GROUP_SUPPRESSED, k;
	size_t i;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "value");
	jw_str(w, g->value);
	jw_key(w, "levels");
	jw_open(w, '[', 1);
	for (i = 0; i < g->nlevels; i++) {
		jw_item(w);
		jw_str(w, g->levels[i]);
	}
	jw_close(w, ']');
	put_counts(w, g, withheld, r->settings.cluster_column || g->n_clusters);
	jw_key(w, "status");
	jw_str(w, fa_group_status_name(g->status));
	if (!withheld) {
		put_metric_map(w, "metrics", g->metrics, 0);
		jw_key(w, "vs_reference");
		jw_open(w, '{', 0);
		for (k = 0; k < FA_M__COUNT; k++) {
			jw_key(w, fa_metric_name((fa_metric)k));
			jw_open(w, '{', 0);
			jw_key(w, "diff");
			put_estimate(w, &g->diff[k]);
			jw_key(w, "ratio");
			put_estimate(w, &g->ratio[k]);
			jw_close(w, '}');
		}
		jw_close(w, '}');
	}
	put_group_extras(w, r, g, withheld, in_view);
	jw_close(w, '}');
}

/* The part of a gap every report of it has: the gap, the ratio, the
 * extremes and the groups at them. */
static void put_gap_range(jw *w, const fa_attr_result *a, const fa_gap *gp)
{
	jw_key(w, "gap");
	put_estimate(w, &gp->gap);
	jw_key(w, "ratio");
	put_estimate(w, &gp->ratio);
	jw_key(w, "min");
	put_estimate(w, &gp->min);
	jw_key(w, "max");
	put_estimate(w, &gp->max);
	jw_key(w, "best");
	put_group_ref(w, a, gp->best);
	jw_key(w, "worst");
	put_group_ref(w, a, gp->worst);
}

static void put_attr(jw *w, const fa_result *r, const fa_attr_result *a, int in_view)
{
	size_t i;
	int k;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, a->name);
	jw_key(w, "columns");
	jw_open(w, '[', 1);
	for (i = 0; i < a->ncolumns; i++) {
		jw_item(w);
		jw_str(w, a->columns[i]);
	}
	jw_close(w, ']');
	jw_key(w, "reference");
	put_group_ref(w, a, a->reference);
	if (a->reference < 0 || a->reference_reason) {
		jw_key(w, "reference_reason");
		jw_str(w, a->reference_reason ? a->reference_reason : "no reference group");
	}
	jw_key(w, "groups");
	jw_open(w, '[', 0);
	for (i = 0; i < a->ngroups; i++)
		put_group(w, r, &a->groups[i], in_view);
	jw_close(w, ']');
	jw_key(w, "gaps");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_gap *gp = &a->gaps[k];
		jw_key(w, fa_metric_name((fa_metric)k));
		jw_open(w, '{', 0);
		put_gap_range(w, a, gp);
		jw_key(w, "gap_corrected");
		put_estimate(w, &gp->gap_corrected);
		jw_key(w, "gap_simultaneous");
		put_estimate(w, &gp->gap_simultaneous);
		jw_key(w, "perm_p");
		jw_num(w, gp->perm_p);
		jw_key(w, "perm_p_adjusted");
		jw_num(w, gp->perm_p_adjusted);
		jw_key(w, "chisq");
		jw_num(w, gp->chisq);
		jw_key(w, "chisq_df");
		jw_num(w, gp->chisq_df);
		jw_key(w, "chisq_p");
		jw_num(w, gp->chisq_p);
		jw_key(w, "chisq_p_adjusted");
		jw_num(w, gp->chisq_p_adjusted);
		jw_key(w, "chisq_low_expected");
		jw_bool(w, gp->chisq_low_expected);
		jw_close(w, '}');
	}
	jw_close(w, '}');
	jw_key(w, "summary");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_S__COUNT; k++) {
		jw_key(w, fa_summary_name((fa_summary)k));
		put_estimate(w, &a->summary[k]);
	}
	jw_close(w, '}');
	if (r->settings.population && in_view == IN_MAIN) {
		const fa_attr_representation *p = &a->representation;
		jw_key(w, "representation");
		jw_open(w, '{', 0);
		jw_key(w, "named");
		jw_bool(w, p->named);
		jw_key(w, "n_named");
		jw_size(w, p->n_named);
		jw_key(w, "n_unnamed");
		jw_size(w, p->n_unnamed);
		jw_key(w, "chisq");
		jw_num(w, p->chisq);
		jw_key(w, "df");
		fa_buf_printf(w->b, "%u", p->df);
		jw_key(w, "p_value");
		jw_num(w, p->p_value);
		jw_key(w, "min_expected");
		jw_num(w, p->min_expected);
		jw_key(w, "low_expected");
		jw_bool(w, p->low_expected);
		jw_key(w, "reason");
		jw_str_or_null(w, p->reason);
		jw_key(w, "absent");
		jw_open(w, '[', 0);
		for (i = 0; i < p->nabsent; i++) {
			jw_item(w);
			jw_open(w, '{', 1);
			jw_key(w, "value");
			jw_str(w, p->absent[i].value);
			jw_key(w, "share");
			jw_num(w, p->absent[i].share);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

static void put_gate(jw *w, const fa_gate_result *g)
{
	size_t i;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "expr");
	jw_str(w, g->expr ? g->expr : "");
	jw_key(w, "op");
	jw_str(w, g->op ? g->op : "");
	jw_key(w, "limit");
	jw_num(w, g->limit);
	jw_key(w, "outcome");
	jw_str(w, outcome_name(g->outcome));
	jw_key(w, "checks");
	jw_open(w, '[', 0);
	for (i = 0; i < g->nchecks; i++) {
		const fa_gate_check *c = &g->checks[i];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "where");
		jw_str(w, c->where ? c->where : "");
		jw_key(w, "value");
		put_estimate(w, &c->value);
		jw_key(w, "outcome");
		jw_str(w, outcome_name(c->outcome));
		jw_key(w, "note");
		jw_str_or_null(w, c->note);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void put_settings(jw *w, const fa_settings *s)
{
	jw_key(w, "settings");
	jw_open(w, '{', 0);
	jw_settings_head(w, s);
	jw_key(w, "scheme");
	jw_str_or_null(w, s->scheme);
	/* only for a partial audit's Poisson bootstrap, so other reports keep
	 * their bytes */
	if (s->score_rounded) {
		jw_key(w, "score_digits");
		fa_buf_printf(w->b, "%d", s->score_digits);
	}
	if (s->score_bins) {
		jw_key(w, "score_bins");
		jw_size(w, s->score_bins);
		jw_key(w, "bootstrap_key");
		jw_str_or_null(w, s->bootstrap_key);
	}
	jw_key(w, "gate_on");
	jw_str_or_null(w, s->gate_on);
	jw_key(w, "probabilities");
	jw_bool(w, s->probabilities);
	jw_settings_methods(w, s);
	jw_key(w, "power");
	if (s->power_annotated) {
		jw_open(w, '{', 1);
		jw_key(w, "detectable");
		jw_num(w, s->power_detectable);
		jw_key(w, "target");
		jw_num(w, s->power_target);
		jw_key(w, "alpha");
		jw_num(w, s->power_alpha);
		jw_close(w, '}');
	} else {
		jw_null(w);
	}
	jw_key(w, "population");
	jw_str_or_null(w, s->population);
	/* only with periods, so reports without them keep their bytes */
	if (s->period_column) {
		jw_key(w, "period_column");
		jw_str(w, s->period_column);
		jw_key(w, "period_every");
		jw_str_or_null(w, s->period_every);
		jw_key(w, "min_period_n");
		jw_size(w, s->min_period_n);
	}
	jw_close(w, '}');
}

static void put_input(jw *w, const fa_result *r)
{
	size_t i;

	jw_key(w, "input");
	jw_open(w, '{', 0);
	jw_key(w, "files");
	jw_input_files(w, r->files, r->nfiles);
	jw_key(w, "rows_read");
	jw_size(w, r->rows_read);
	jw_key(w, "rows_used");
	jw_size(w, r->rows_used);
	jw_key(w, "rows_dropped");
	jw_size(w, r->rows_dropped);
	jw_key(w, "drop_reasons");
	jw_open(w, '{', 0);
	for (i = 0; i < r->ndrops; i++) {
		jw_key(w, r->drops[i].reason);
		jw_size(w, r->drops[i].count);
	}
	jw_close(w, '}');
	jw_close(w, '}');
}

static void put_overall(jw *w, const fa_result *r, const fa_group_result *g, int in_view)
{
	jw_key(w, "overall");
	jw_open(w, '{', 0);
	put_counts(w, g, 0, r->settings.cluster_column || g->n_clusters);
	put_metric_map(w, "metrics", g->metrics, 0);
	put_group_extras(w, r, g, 0, in_view);
	jw_close(w, '}');
}

/* An operating point: its groups and attributes exactly as the main
 * result's, at the view's threshold. */
static void put_view(jw *w, const fa_result *r, const fa_view *v)
{
	size_t i;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, v->name ? v->name : "");
	jw_key(w, "kind");
	jw_str(w, v->kind ? v->kind : "");
	jw_key(w, "target");
	jw_num(w, v->target);
	jw_key(w, "threshold");
	put_estimate(w, &v->threshold);
	put_overall(w, r, &v->overall, IN_VIEW);
	jw_key(w, "attributes");
	jw_open(w, '[', 0);
	for (i = 0; i < v->nattrs; i++)
		put_attr(w, r, &v->attrs[i], IN_VIEW);
	jw_close(w, ']');
	jw_close(w, '}');
}

/* ---- several models ----------------------------------------------------- */

/* One model: its whole population and attributes, laid out as the main
 * result's. */
static void put_model(jw *w, const fa_result *r, const fa_model *m)
{
	size_t i;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, m->name ? m->name : "");
	jw_key(w, "score_column");
	jw_str_or_null(w, m->score_column);
	put_overall(w, r, &m->overall, IN_MODEL);
	jw_key(w, "attributes");
	jw_open(w, '[', 0);
	for (i = 0; i < m->nattrs; i++)
		put_attr(w, r, &m->attrs[i], IN_MODEL);
	jw_close(w, ']');
	jw_close(w, '}');
}

static void put_model_ref(jw *w, const fa_result *r, long k)
{
	if (k >= 0 && (size_t)k < r->nmodels)
		jw_str(w, r->models[k].name);
	else
		jw_null(w);
}

static void put_model_best(jw *w, const fa_result *r)
{
	size_t a;
	int k;

	jw_key(w, "model_best");
	jw_open(w, '[', 0);
	for (a = 0; a < r->nattrs && r->model_best; a++) {
		const fa_model_best *b = &r->model_best[a];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "attribute");
		jw_str(w, r->attrs[a].name);
		jw_key(w, "gaps");
		jw_open(w, '{', 0);
		for (k = 0; k < FA_M__COUNT; k++) {
			jw_key(w, fa_metric_name((fa_metric)k));
			put_model_ref(w, r, b->gap[k]);
		}
		jw_close(w, '}');
		jw_key(w, "summary");
		jw_open(w, '{', 0);
		for (k = 0; k < FA_S__COUNT; k++) {
			jw_key(w, fa_summary_name((fa_summary)k));
			put_model_ref(w, r, b->summary[k]);
		}
		jw_close(w, '}');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The difference of two models: every value is b - a, with its paired
 * interval. */
static void put_model_diff(jw *w, const fa_result *r, const fa_model_diff *d)
{
	const char *an = r->models[d->a].name, *bn = r->models[d->b].name;
	size_t a, g;
	int k;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	{
		/* "b-a", as gates name it */
		fa_buf nm = FA_BUF_INIT;
		fa_buf_printf(&nm, "%s-%s", bn, an);
		jw_str(w, nm.ptr);
		fa_buf_free(&nm);
	}
	jw_key(w, "a");
	jw_str(w, an);
	jw_key(w, "b");
	jw_str(w, bn);
	put_metric_map(w, "overall", d->overall, 0);
	jw_key(w, "attributes");
	jw_open(w, '[', 0);
	for (a = 0; a < d->nattrs; a++) {
		const fa_model_attr_diff *ad = &d->attrs[a];
		const fa_attr_result *A = &r->attrs[a];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "name");
		jw_str(w, A->name);
		jw_key(w, "groups");
		jw_open(w, '[', 0);
		for (g = 0; g < ad->ngroups; g++) {
			jw_item(w);
			jw_open(w, '{', 0);
			jw_key(w, "value");
			jw_str(w, g < A->ngroups ? A->groups[g].value : "");
			put_metric_map(w, "metrics", ad->groups + g * FA_M__COUNT, 0);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_key(w, "gaps");
		jw_open(w, '{', 0);
		for (k = 0; k < FA_M__COUNT; k++) {
			const fa_gap_diff *gd = &ad->gaps[k];
			jw_key(w, fa_metric_name((fa_metric)k));
			jw_open(w, '{', 0);
			jw_key(w, "gap");
			put_estimate(w, &gd->gap);
			jw_key(w, "ratio");
			put_estimate(w, &gd->ratio);
			jw_key(w, "min");
			put_estimate(w, &gd->min);
			jw_key(w, "max");
			put_estimate(w, &gd->max);
			jw_close(w, '}');
		}
		jw_close(w, '}');
		jw_key(w, "summary");
		jw_open(w, '{', 0);
		for (k = 0; k < FA_S__COUNT; k++) {
			jw_key(w, fa_summary_name((fa_summary)k));
			put_estimate(w, &ad->summary[k]);
		}
		jw_close(w, '}');
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void put_models(jw *w, const fa_result *r)
{
	size_t i;

	jw_key(w, "models");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nmodels; i++)
		put_model(w, r, &r->models[i]);
	jw_close(w, ']');
	put_model_best(w, r);
	jw_key(w, "model_differences");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nmodel_diffs; i++)
		put_model_diff(w, r, &r->model_diffs[i]);
	jw_close(w, ']');
}

/* ---- drift over time ------------------------------------------------------ */

/* One attribute of a period: what the reports show of it, no more (docs/
 * report-schema.md): each group's counts, status and metrics, the gaps and
 * the summaries. */
static void put_period_attr(jw *w, const fa_attr_result *a)
{
	size_t i;
	int k;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, a->name);
	jw_key(w, "groups");
	jw_open(w, '[', 0);
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		int withheld = g->status == FA_GROUP_SUPPRESSED;
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "value");
		jw_str(w, g->value);
		jw_key(w, "n");
		if (withheld)
			jw_null(w);
		else
			jw_size(w, g->n);
		jw_key(w, "n_pos");
		if (withheld)
			jw_null(w);
		else
			jw_size(w, g->n_pos);
		jw_key(w, "n_neg");
		if (withheld)
			jw_null(w);
		else
			jw_size(w, g->n_neg);
		jw_key(w, "status");
		jw_str(w, fa_group_status_name(g->status));
		if (!withheld)
			put_metric_map(w, "metrics", g->metrics, 0);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_key(w, "gaps");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_gap *gp = &a->gaps[k];
		jw_key(w, fa_metric_name((fa_metric)k));
		jw_open(w, '{', 0);
		put_gap_range(w, a, gp);
		jw_key(w, "gap_simultaneous");
		put_estimate(w, &gp->gap_simultaneous);
		jw_close(w, '}');
	}
	jw_close(w, '}');
	jw_key(w, "summary");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_S__COUNT; k++) {
		jw_key(w, fa_summary_name((fa_summary)k));
		put_estimate(w, &a->summary[k]);
	}
	jw_close(w, '}');
	jw_close(w, '}');
}

static void put_periods(jw *w, const fa_result *r)
{
	size_t i, a;

	jw_key(w, "periods");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nperiods; i++) {
		const fa_period *p = &r->periods[i];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "label");
		jw_str(w, p->label);
		jw_key(w, "first_day");
		jw_str(w, p->first_day);
		jw_key(w, "last_day");
		jw_str(w, p->last_day);
		jw_key(w, "n");
		jw_size(w, p->n);
		jw_key(w, "n_pos");
		jw_size(w, p->n_pos);
		jw_key(w, "n_neg");
		jw_size(w, p->n_neg);
		jw_key(w, "status");
		jw_str(w, p->insufficient ? "insufficient" : "ok");
		if (p->insufficient) {
			jw_key(w, "reason");
			jw_str(w, p->reason ? p->reason : "insufficient");
		} else {
			put_metric_map(w, "metrics", p->overall.metrics, 0);
		}
		jw_key(w, "attributes");
		jw_open(w, '[', 0);
		for (a = 0; a < p->nattrs; a++)
			put_period_attr(w, &p->attrs[a]);
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

int fa_report_json(fa_buf *out, const fa_result *r)
{
	jw w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.b = out;
	jw_open(&w, '{', 0);
	jw_key(&w, "schema_version");
	jw_str(&w, FA_REPORT_SCHEMA_VERSION);
	jw_key(&w, "tool");
	jw_open(&w, '{', 1);
	jw_key(&w, "name");
	jw_str(&w, "fairaudit");
	jw_key(&w, "version");
	jw_str(&w, r->tool_version ? r->tool_version : "");
	jw_close(&w, '}');
	jw_key(&w, "command_line");
	jw_str_or_null(&w, r->command_line);
	jw_key(&w, "warnings");
	jw_open(&w, '[', 1);
	for (i = 0; i < r->nwarnings; i++) {
		jw_item(&w);
		jw_str(&w, r->warnings[i]);
	}
	jw_close(&w, ']');
	put_input(&w, r);
	put_settings(&w, &r->settings);
	put_overall(&w, r, &r->overall, IN_MAIN);
	jw_key(&w, "attributes");
	jw_open(&w, '[', 0);
	for (i = 0; i < r->nattrs; i++)
		put_attr(&w, r, &r->attrs[i], IN_MAIN);
	jw_close(&w, ']');
	if (r->settings.population) {
		jw_key(&w, "population_unmatched");
		jw_open(&w, '[', 1);
		for (i = 0; i < r->npopulation_unmatched; i++) {
			jw_item(&w);
			jw_str(&w, r->population_unmatched[i]);
		}
		jw_close(&w, ']');
	}
	jw_key(&w, "operating_points");
	jw_open(&w, '[', 0);
	for (i = 0; i < r->nviews; i++)
		put_view(&w, r, &r->views[i]);
	jw_close(&w, ']');
	if (r->nmodels)
		put_models(&w, r);
	if (r->settings.period_column)
		put_periods(&w, r);
	jw_key(&w, "gates");
	jw_open(&w, '[', 0);
	for (i = 0; i < r->ngates; i++)
		put_gate(&w, &r->gates[i]);
	jw_close(&w, ']');
	jw_key(&w, "verdict");
	jw_str(&w, outcome_name(r->verdict));
	jw_close(&w, '}');
	fa_buf_putc(out, '\n');
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

/* The reader's state: the result being filled, and where to report. Every
 * helper returns 0 or FA_EINPUT with `err` set, naming the key by its path
 * in the document ("attributes[1].groups[0].n"). */
typedef struct rd {
	fa_result *r;
	const char *file;
	fa_error *err;
	int in_view; /* reading an operating point */
} rd;

/* `s` for a one-line message: control characters written \xNN. */
static void clean(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", ch);
		else
			out[n++] = (char)ch;
	}
	out[n] = '\0';
}

static int bad(rd *c, const char *where, const char *what)
{
	char shown[512];

	/* a path can hold a key of the report ("input.drop_reasons.KEY") */
	clean(shown, sizeof(shown), where);
	return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
			    "not a fairaudit report: \"%s\" %s", shown, what);
}

static void subpath(char *out, size_t size, const char *base, const char *key)
{
	snprintf(out, size, "%s%s%s", base, *base ? "." : "", key);
}

static int need(rd *c, const cJSON *obj, const char *base, const char *key,
		const cJSON **out)
{
	char p[512];

	*out = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (*out)
		return 0;
	subpath(p, sizeof(p), base, key);
	return bad(c, p, "is missing");
}

static int need_type(rd *c, const cJSON *obj, const char *base, const char *key,
		     int (*is)(const cJSON *), const char *what, const cJSON **out)
{
	char p[512];

	if (need(c, obj, base, key, out) < 0)
		return FA_EINPUT;
	if (is(*out))
		return 0;
	subpath(p, sizeof(p), base, key);
	return bad(c, p, what);
}

static int is_object(const cJSON *x) { return cJSON_IsObject(x); }
static int is_array(const cJSON *x) { return cJSON_IsArray(x); }
static int is_string(const cJSON *x) { return cJSON_IsString(x); }
static int is_number_or_null(const cJSON *x) { return cJSON_IsNumber(x) || cJSON_IsNull(x); }
static int is_string_or_null(const cJSON *x) { return cJSON_IsString(x) || cJSON_IsNull(x); }
static int is_bool(const cJSON *x) { return cJSON_IsBool(x); }

static int whole(const cJSON *x)
{
	double v = x->valuedouble;
	return cJSON_IsNumber(x) && v >= 0 && v <= EXACT_INT_MAX && v == floor(v);
}

static int get_size(rd *c, const cJSON *obj, const char *base, const char *key, size_t *out)
{
	const cJSON *x;
	char p[512];

	if (need(c, obj, base, key, &x) < 0)
		return FA_EINPUT;
	if (!whole(x)) {
		subpath(p, sizeof(p), base, key);
		return bad(c, p, "is not a whole number");
	}
	*out = (size_t)x->valuedouble;
	return 0;
}

/* A count that is null in a suppressed group. */
static int get_count(rd *c, const cJSON *obj, const char *base, const char *key,
		     int withheld, size_t *out)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (withheld && (!x || cJSON_IsNull(x))) {
		*out = 0;
		return 0;
	}
	return get_size(c, obj, base, key, out);
}

/* A number; null reads as NaN. */
static int get_double(rd *c, const cJSON *obj, const char *base, const char *key, double *out)
{
	const cJSON *x;

	if (need_type(c, obj, base, key, is_number_or_null, "is not a number", &x) < 0)
		return FA_EINPUT;
	*out = cJSON_IsNull(x) ? NAN : x->valuedouble;
	return 0;
}

static int get_string(rd *c, const cJSON *obj, const char *base, const char *key,
		      int nullable, char **out)
{
	const cJSON *x;

	if (need_type(c, obj, base, key, nullable ? is_string_or_null : is_string,
		      nullable ? "is not a string or null" : "is not a string", &x) < 0)
		return FA_EINPUT;
	*out = cJSON_IsString(x) ? fa_xstrdup(x->valuestring) : NULL;
	return 0;
}

static int get_bool(rd *c, const cJSON *obj, const char *base, const char *key, int *out)
{
	const cJSON *x;

	if (need_type(c, obj, base, key, is_bool, "is not true or false", &x) < 0)
		return FA_EINPUT;
	*out = cJSON_IsTrue(x);
	return 0;
}

/* A reason string owned by the result; equal reasons share one copy. */
static const char *own_reason(rd *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->r->nowned; i++)
		if (strcmp(c->r->owned[i], s) == 0)
			return c->r->owned[i];
	return fa_result_own(c->r, fa_xstrdup(s));
}

/* An optional [low, high] pair at obj[key]: 1 when present. */
static int read_pair(rd *c, const cJSON *obj, const char *base, const char *key, double *lo,
		     double *hi)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key), *a, *b;
	char p[512];

	if (!x)
		return 0;
	subpath(p, sizeof(p), base, key);
	if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != 2)
		return bad(c, p, "is not a [low, high] pair");
	a = cJSON_GetArrayItem(x, 0);
	b = cJSON_GetArrayItem(x, 1);
	if (!is_number_or_null(a) || !is_number_or_null(b))
		return bad(c, p, "is not a [low, high] pair");
	*lo = cJSON_IsNull(a) ? NAN : a->valuedouble;
	*hi = cJSON_IsNull(b) ? NAN : b->valuedouble;
	return 1;
}

/* An optional number: `dflt` when absent, NaN when null. */
static int opt_double(rd *c, const cJSON *obj, const char *base, const char *key, double dflt,
		      double *out)
{
	*out = dflt;
	if (!cJSON_GetObjectItemCaseSensitive(obj, key))
		return 0;
	return get_double(c, obj, base, key, out);
}

static int opt_bool(rd *c, const cJSON *obj, const char *base, const char *key, int *out)
{
	*out = 0;
	if (!cJSON_GetObjectItemCaseSensitive(obj, key))
		return 0;
	return get_bool(c, obj, base, key, out);
}

static int opt_string(rd *c, const cJSON *obj, const char *base, const char *key, char **out)
{
	*out = NULL;
	if (!cJSON_GetObjectItemCaseSensitive(obj, key))
		return 0;
	return get_string(c, obj, base, key, 1, out);
}

static int opt_size(rd *c, const cJSON *obj, const char *base, const char *key, size_t *out)
{
	*out = 0;
	if (!cJSON_GetObjectItemCaseSensitive(obj, key))
		return 0;
	return get_size(c, obj, base, key, out);
}

static int read_estimate(rd *c, const cJSON *x, const char *where, fa_estimate *e)
{
	const cJSON *reason, *dropped;
	char p[512];
	int rc;

	memset(e, 0, sizeof(*e));
	if (!cJSON_IsObject(x))
		return bad(c, where, "is not an estimate object");
	if (get_double(c, x, where, "value", &e->value) < 0)
		return FA_EINPUT;
	reason = cJSON_GetObjectItemCaseSensitive(x, "reason");
	if (reason) {
		if (!cJSON_IsString(reason)) {
			subpath(p, sizeof(p), where, "reason");
			return bad(c, p, "is not a string");
		}
		e->reason = own_reason(c, reason->valuestring);
	}
	if ((rc = read_pair(c, x, where, "ci", &e->ci_low, &e->ci_high)) < 0)
		return rc;
	e->has_ci = rc;
	if ((rc = read_pair(c, x, where, "aci", &e->aci_low, &e->aci_high)) < 0)
		return rc;
	e->has_aci = rc;
	dropped = cJSON_GetObjectItemCaseSensitive(x, "ci_dropped");
	if (dropped && get_size(c, x, where, "ci_dropped", &e->ci_dropped) < 0)
		return FA_EINPUT;
	if (opt_double(c, x, where, "p_value", NAN, &e->p_value) < 0 ||
	    opt_double(c, x, where, "p_adjusted", NAN, &e->p_adjusted) < 0)
		return FA_EINPUT;
	return 0;
}

/* An undefined estimate, as the audit makes them. */
static void set_undefined(rd *c, fa_estimate *e, const char *reason)
{
	memset(e, 0, sizeof(*e));
	e->value = e->p_value = e->p_adjusted = NAN;
	e->reason = own_reason(c, reason);
}

static int get_estimate(rd *c, const cJSON *obj, const char *base, const char *key,
			fa_estimate *e)
{
	const cJSON *x;
	char p[512];

	if (need(c, obj, base, key, &x) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, key);
	return read_estimate(c, x, p, e);
}

static int read_string_array(rd *c, const cJSON *obj, const char *base, const char *key,
			     char ***out, size_t *n)
{
	const cJSON *arr, *it;
	size_t i = 0;
	char p[512];

	if (need_type(c, obj, base, key, is_array, "is not an array", &arr) < 0)
		return FA_EINPUT;
	*n = (size_t)cJSON_GetArraySize(arr);
	*out = fa_xcalloc(*n ? *n : 1, sizeof(char *));
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it)) {
			snprintf(p, sizeof(p), "%s%s%s[%zu]", base, *base ? "." : "", key, i);
			return bad(c, p, "is not a string");
		}
		(*out)[i++] = fa_xstrdup(it->valuestring);
	}
	return 0;
}

static int read_metric_map(rd *c, const cJSON *obj, const char *base, const char *key,
			   fa_estimate *m)
{
	const cJSON *ms;
	char p[512];
	int k;

	if (need_type(c, obj, base, key, is_object, "is not an object", &ms) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, key);
	for (k = 0; k < FA_M__COUNT; k++)
		if (get_estimate(c, ms, p, fa_metric_name((fa_metric)k), &m[k]) < 0)
			return FA_EINPUT;
	return 0;
}

static int read_counts(rd *c, const cJSON *obj, const char *base, int withheld,
		       fa_group_result *g)
{
	if (get_count(c, obj, base, "n", withheld, &g->n) < 0 ||
	    get_count(c, obj, base, "n_pos", withheld, &g->n_pos) < 0 ||
	    get_count(c, obj, base, "n_neg", withheld, &g->n_neg) < 0 ||
	    get_count(c, obj, base, "tp", withheld, &g->tp) < 0 ||
	    get_count(c, obj, base, "fp", withheld, &g->fp) < 0 ||
	    get_count(c, obj, base, "tn", withheld, &g->tn) < 0 ||
	    get_count(c, obj, base, "fn", withheld, &g->fn) < 0)
		return FA_EINPUT;
	return 0;
}

/* An array of numbers (null reads as NaN) at obj[key], into a new array of
 * *n; exactly `want` of them unless `want` is 0. */
static int read_num_array(rd *c, const cJSON *obj, const char *base, const char *key,
			  size_t want, double **out, size_t *n)
{
	const cJSON *arr, *it;
	size_t i = 0;
	char p[512];

	*out = NULL;
	*n = 0;
	if (need_type(c, obj, base, key, is_array, "is not an array", &arr) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, key);
	if (want && (size_t)cJSON_GetArraySize(arr) != want) {
		char what[64];
		snprintf(what, sizeof(what), "does not hold %zu numbers", want);
		return bad(c, p, what);
	}
	*out = fa_xmalloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(double));
	cJSON_ArrayForEach(it, arr)
	{
		if (!is_number_or_null(it)) {
			free(*out);
			*out = NULL;
			return bad(c, p, "holds something that is not a number");
		}
		(*out)[i++] = cJSON_IsNull(it) ? NAN : it->valuedouble;
	}
	*n = i;
	return 0;
}

/* The optional "curves" of a group: its ROC curve and calibration bins. */
static int read_curves(rd *c, const cJSON *x, const char *base, fa_group_curves *gc)
{
	const cJSON *cv = cJSON_GetObjectItemCaseSensitive(x, "curves"), *roc, *cal, *it;
	char p[512], q[600];
	double *mean = NULL, *obs = NULL;
	size_t nf = 0, nt = 0, nm, no, k = 0;

	memset(gc, 0, sizeof(*gc));
	if (!cv)
		return 0;
	subpath(p, sizeof(p), base, "curves");
	if (!cJSON_IsObject(cv))
		return bad(c, p, "is not an object");
	if (need_type(c, cv, p, "roc", is_object, "is not an object", &roc) < 0)
		return FA_EINPUT;
	snprintf(q, sizeof(q), "%s.roc", p);
	if (read_num_array(c, roc, q, "fpr", 0, &gc->roc.fpr, &nf) < 0 ||
	    read_num_array(c, roc, q, "tpr", 0, &gc->roc.tpr, &nt) < 0)
		return FA_EINPUT;
	if (nf != nt)
		return bad(c, q, "has fpr and tpr of different lengths");
	gc->roc.n = nf;
	if (nf == 0) {
		free(gc->roc.fpr);
		free(gc->roc.tpr);
		gc->roc.fpr = gc->roc.tpr = NULL;
	}
	if (need(c, cv, p, "calibration", &cal) < 0)
		return FA_EINPUT;
	if (cJSON_IsNull(cal))
		return 0;
	snprintf(q, sizeof(q), "%s.calibration", p);
	if (!cJSON_IsObject(cal))
		return bad(c, q, "is not an object or null");
	if (need_type(c, cal, q, "count", is_array, "is not an array", &it) < 0)
		return FA_EINPUT;
	if (cJSON_GetArraySize(it) != FA_CALIB_BINS)
		return bad(c, q, "count does not hold one count per bin");
	for (k = 0; k < FA_CALIB_BINS; k++) {
		const cJSON *e = cJSON_GetArrayItem(it, (int)k);
		if (!whole(e))
			return bad(c, q, "count holds something that is not a whole number");
		gc->calib.count[k] = (size_t)e->valuedouble;
	}
	if (read_num_array(c, cal, q, "mean_score", FA_CALIB_BINS, &mean, &nm) < 0 ||
	    read_num_array(c, cal, q, "observed", FA_CALIB_BINS, &obs, &no) < 0) {
		free(mean);
		return FA_EINPUT;
	}
	memcpy(gc->calib.mean_score, mean, sizeof(gc->calib.mean_score));
	memcpy(gc->calib.observed, obs, sizeof(gc->calib.observed));
	free(mean);
	free(obs);
	gc->has_calib = 1;
	return 0;
}

/* The optional parts of a group (or the whole population) that later
 * stages add: clusters, an operating point's own threshold, the curves,
 * score leakage, power, representation. */
static int read_extras(rd *c, const cJSON *x, const char *base, fa_group_result *g,
		       int withheld)
{
	const cJSON *lk, *rp;
	char p[512];

	if (!withheld && opt_size(c, x, base, "n_clusters", &g->n_clusters) < 0)
		return FA_EINPUT;
	if (opt_double(c, x, base, "own_threshold", NAN, &g->own_threshold) < 0 ||
	    read_curves(c, x, base, &g->curves) < 0)
		return FA_EINPUT;
	lk = cJSON_GetObjectItemCaseSensitive(x, "leakage");
	if (lk) {
		subpath(p, sizeof(p), base, "leakage");
		if (get_estimate(c, lk, p, "negatives", &g->leakage[0]) < 0 ||
		    get_estimate(c, lk, p, "positives", &g->leakage[1]) < 0)
			return FA_EINPUT;
	} else if (withheld) {
		/* as the audit leaves them: an operating point refers every
		 * group's leakage to the main result */
		set_undefined(c, &g->leakage[0], c->in_view ? R_SEE_MAIN : R_SUPPRESSED);
		set_undefined(c, &g->leakage[1], c->in_view ? R_SEE_MAIN : R_SUPPRESSED);
	}
	if (cJSON_GetObjectItemCaseSensitive(x, "mdd") &&
	    (read_metric_map(c, x, base, "mdd", g->mdd) < 0 ||
	     get_bool(c, x, base, "underpowered", &g->underpowered) < 0))
		return FA_EINPUT;
	rp = cJSON_GetObjectItemCaseSensitive(x, "representation");
	if (rp) {
		fa_group_representation *gr = &g->representation;
		subpath(p, sizeof(p), base, "representation");
		if (!cJSON_IsObject(rp))
			return bad(c, p, "is not an object");
		if (get_bool(c, rp, p, "named", &gr->named) < 0 ||
		    get_estimate(c, rp, p, "audit_share", &gr->audit_share) < 0 ||
		    get_double(c, rp, p, "population_share", &gr->population_share) < 0 ||
		    get_estimate(c, rp, p, "ratio", &gr->ratio) < 0 ||
		    get_bool(c, rp, p, "under_represented", &gr->under_represented) < 0)
			return FA_EINPUT;
	}
	return 0;
}

static int read_group(rd *c, const cJSON *x, const char *base, fa_group_result *g)
{
	const cJSON *st, *vs;
	char p[512], q[512];
	int k, withheld;

	if (!cJSON_IsObject(x))
		return bad(c, base, "is not an object");
	if (get_string(c, x, base, "value", 0, &g->value) < 0 ||
	    read_string_array(c, x, base, "levels", &g->levels, &g->nlevels) < 0 ||
	    need_type(c, x, base, "status", is_string, "is not a string", &st) < 0)
		return FA_EINPUT;
	if (strcmp(st->valuestring, "ok") == 0)
		g->status = FA_GROUP_OK;
	else if (strcmp(st->valuestring, "insufficient") == 0)
		g->status = FA_GROUP_INSUFFICIENT;
	else if (strcmp(st->valuestring, "suppressed") == 0)
		g->status = FA_GROUP_SUPPRESSED;
	else {
		subpath(p, sizeof(p), base, "status");
		return bad(c, p, "is not \"ok\", \"insufficient\" or \"suppressed\"");
	}
	withheld = g->status == FA_GROUP_SUPPRESSED;
	if (read_counts(c, x, base, withheld, g) < 0 || read_extras(c, x, base, g, withheld) < 0)
		return FA_EINPUT;
	/* a suppressed group's report holds no metrics: restore what the
	 * audit put there */
	if (withheld && !cJSON_GetObjectItemCaseSensitive(x, "metrics")) {
		for (k = 0; k < FA_M__COUNT; k++) {
			set_undefined(c, &g->metrics[k], R_SUPPRESSED);
			set_undefined(c, &g->diff[k], R_SUPPRESSED);
			set_undefined(c, &g->ratio[k], R_SUPPRESSED);
		}
		return 0;
	}
	if (read_metric_map(c, x, base, "metrics", g->metrics) < 0 ||
	    need_type(c, x, base, "vs_reference", is_object, "is not an object", &vs) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, "vs_reference");
	for (k = 0; k < FA_M__COUNT; k++) {
		const cJSON *pair;
		if (need_type(c, vs, p, fa_metric_name((fa_metric)k), is_object,
			      "is not an object", &pair) < 0)
			return FA_EINPUT;
		subpath(q, sizeof(q), p, fa_metric_name((fa_metric)k));
		if (get_estimate(c, pair, q, "diff", &g->diff[k]) < 0 ||
		    get_estimate(c, pair, q, "ratio", &g->ratio[k]) < 0)
			return FA_EINPUT;
	}
	return 0;
}

/* The index of the group named by obj[key] (a value or null). */
static int get_group_ref(rd *c, const cJSON *obj, const char *base, const char *key,
			 const fa_attr_result *a, long *out)
{
	const cJSON *x;
	size_t i;
	char p[512];

	if (need_type(c, obj, base, key, is_string_or_null, "is not a string or null", &x) < 0)
		return FA_EINPUT;
	*out = -1;
	if (cJSON_IsNull(x))
		return 0;
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, x->valuestring) == 0) {
			*out = (long)i;
			return 0;
		}
	subpath(p, sizeof(p), base, key);
	return bad(c, p, "names no group of the attribute");
}

static int read_attr_representation(rd *c, const cJSON *x, const char *base,
				    fa_attr_representation *ar)
{
	const cJSON *rp = cJSON_GetObjectItemCaseSensitive(x, "representation"), *abs, *it;
	char p[512], q[600];
	char *reason = NULL;
	size_t df = 0, i = 0;

	if (!rp)
		return 0;
	subpath(p, sizeof(p), base, "representation");
	if (!cJSON_IsObject(rp))
		return bad(c, p, "is not an object");
	if (get_bool(c, rp, p, "named", &ar->named) < 0 ||
	    get_size(c, rp, p, "n_named", &ar->n_named) < 0 ||
	    get_size(c, rp, p, "n_unnamed", &ar->n_unnamed) < 0 ||
	    get_double(c, rp, p, "chisq", &ar->chisq) < 0 ||
	    get_size(c, rp, p, "df", &df) < 0 ||
	    get_double(c, rp, p, "p_value", &ar->p_value) < 0 ||
	    get_double(c, rp, p, "min_expected", &ar->min_expected) < 0 ||
	    get_bool(c, rp, p, "low_expected", &ar->low_expected) < 0 ||
	    get_string(c, rp, p, "reason", 1, &reason) < 0 ||
	    need_type(c, rp, p, "absent", is_array, "is not an array", &abs) < 0) {
		free(reason);
		return FA_EINPUT;
	}
	ar->df = (unsigned)df;
	if (reason) {
		ar->reason = own_reason(c, reason);
		free(reason);
	}
	ar->nabsent = (size_t)cJSON_GetArraySize(abs);
	ar->absent = fa_xcalloc(ar->nabsent ? ar->nabsent : 1, sizeof(fa_population_value));
	cJSON_ArrayForEach(it, abs)
	{
		snprintf(q, sizeof(q), "%s.absent[%zu]", p, i);
		if (!cJSON_IsObject(it))
			return bad(c, q, "is not an object");
		if (get_string(c, it, q, "value", 0, &ar->absent[i].value) < 0 ||
		    get_double(c, it, q, "share", &ar->absent[i].share) < 0)
			return FA_EINPUT;
		i++;
	}
	return 0;
}

static int read_attr(rd *c, const cJSON *x, const char *base, fa_attr_result *a)
{
	const cJSON *groups, *it, *gaps, *sum, *rr;
	char p[512], q[512];
	size_t i = 0;
	int k;

	if (!cJSON_IsObject(x))
		return bad(c, base, "is not an object");
	if (get_string(c, x, base, "name", 0, &a->name) < 0 ||
	    read_string_array(c, x, base, "columns", &a->columns, &a->ncolumns) < 0 ||
	    need_type(c, x, base, "groups", is_array, "is not an array", &groups) < 0)
		return FA_EINPUT;
	a->ngroups = (size_t)cJSON_GetArraySize(groups);
	a->groups = fa_xcalloc(a->ngroups ? a->ngroups : 1, sizeof(fa_group_result));
	cJSON_ArrayForEach(it, groups)
	{
		snprintf(p, sizeof(p), "%s.groups[%zu]", base, i);
		if (read_group(c, it, p, &a->groups[i++]) < 0)
			return FA_EINPUT;
	}
	if (get_group_ref(c, x, base, "reference", a, &a->reference) < 0)
		return FA_EINPUT;
	rr = cJSON_GetObjectItemCaseSensitive(x, "reference_reason");
	if (rr && !cJSON_IsNull(rr)) {
		if (!cJSON_IsString(rr)) {
			subpath(p, sizeof(p), base, "reference_reason");
			return bad(c, p, "is not a string");
		}
		a->reference_reason = own_reason(c, rr->valuestring);
	}
	if (need_type(c, x, base, "gaps", is_object, "is not an object", &gaps) < 0 ||
	    need_type(c, x, base, "summary", is_object, "is not an object", &sum) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, "gaps");
	for (k = 0; k < FA_M__COUNT; k++) {
		const cJSON *g;
		fa_gap *gp = &a->gaps[k];
		if (need_type(c, gaps, p, fa_metric_name((fa_metric)k), is_object,
			      "is not an object", &g) < 0)
			return FA_EINPUT;
		subpath(q, sizeof(q), p, fa_metric_name((fa_metric)k));
		if (get_estimate(c, g, q, "gap", &gp->gap) < 0 ||
		    get_estimate(c, g, q, "ratio", &gp->ratio) < 0 ||
		    get_estimate(c, g, q, "min", &gp->min) < 0 ||
		    get_estimate(c, g, q, "max", &gp->max) < 0 ||
		    get_group_ref(c, g, q, "best", a, &gp->best) < 0 ||
		    get_group_ref(c, g, q, "worst", a, &gp->worst) < 0 ||
		    opt_double(c, g, q, "perm_p", NAN, &gp->perm_p) < 0 ||
		    opt_double(c, g, q, "perm_p_adjusted", NAN, &gp->perm_p_adjusted) < 0 ||
		    opt_double(c, g, q, "chisq", NAN, &gp->chisq) < 0 ||
		    opt_double(c, g, q, "chisq_df", NAN, &gp->chisq_df) < 0 ||
		    opt_double(c, g, q, "chisq_p", NAN, &gp->chisq_p) < 0 ||
		    opt_double(c, g, q, "chisq_p_adjusted", NAN, &gp->chisq_p_adjusted) < 0 ||
		    opt_bool(c, g, q, "chisq_low_expected", &gp->chisq_low_expected) < 0)
			return FA_EINPUT;
		if (!cJSON_GetObjectItemCaseSensitive(g, "gap_simultaneous"))
			set_undefined(c, &gp->gap_simultaneous, "not in the report");
		else if (get_estimate(c, g, q, "gap_simultaneous", &gp->gap_simultaneous) < 0)
			return FA_EINPUT;
		if (!cJSON_GetObjectItemCaseSensitive(g, "gap_corrected"))
			set_undefined(c, &gp->gap_corrected, "not in the report");
		else if (get_estimate(c, g, q, "gap_corrected", &gp->gap_corrected) < 0)
			return FA_EINPUT;
	}
	subpath(p, sizeof(p), base, "summary");
	for (k = 0; k < FA_S__COUNT; k++)
		if (get_estimate(c, sum, p, fa_summary_name((fa_summary)k), &a->summary[k]) < 0)
			return FA_EINPUT;
	return read_attr_representation(c, x, base, &a->representation);
}

static int read_outcome(rd *c, const cJSON *obj, const char *base, const char *key,
			fa_gate_outcome *out)
{
	const cJSON *x;
	char p[512];

	if (need_type(c, obj, base, key, is_string, "is not a string", &x) < 0)
		return FA_EINPUT;
	if (strcmp(x->valuestring, "pass") == 0)
		*out = FA_GATE_PASS;
	else if (strcmp(x->valuestring, "fail") == 0)
		*out = FA_GATE_FAIL;
	else if (strcmp(x->valuestring, "inconclusive") == 0)
		*out = FA_GATE_INCONCLUSIVE;
	else {
		subpath(p, sizeof(p), base, key);
		return bad(c, p, "is not \"pass\", \"fail\" or \"inconclusive\"");
	}
	return 0;
}

static int read_gate(rd *c, const cJSON *x, const char *base, fa_gate_result *g)
{
	const cJSON *checks, *it;
	char p[512];
	size_t i = 0;

	if (!cJSON_IsObject(x))
		return bad(c, base, "is not an object");
	if (get_string(c, x, base, "expr", 0, &g->expr) < 0 ||
	    get_string(c, x, base, "op", 0, &g->op) < 0 ||
	    get_double(c, x, base, "limit", &g->limit) < 0 ||
	    read_outcome(c, x, base, "outcome", &g->outcome) < 0 ||
	    need_type(c, x, base, "checks", is_array, "is not an array", &checks) < 0)
		return FA_EINPUT;
	g->nchecks = (size_t)cJSON_GetArraySize(checks);
	g->checks = fa_xcalloc(g->nchecks ? g->nchecks : 1, sizeof(fa_gate_check));
	cJSON_ArrayForEach(it, checks)
	{
		fa_gate_check *ck = &g->checks[i];
		snprintf(p, sizeof(p), "%s.checks[%zu]", base, i++);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "where", 0, &ck->where) < 0 ||
		    get_estimate(c, it, p, "value", &ck->value) < 0 ||
		    read_outcome(c, it, p, "outcome", &ck->outcome) < 0 ||
		    get_string(c, it, p, "note", 1, &ck->note) < 0)
			return FA_EINPUT;
	}
	return 0;
}

static int read_settings(rd *c, const cJSON *root)
{
	const cJSON *s, *seed, *power;
	fa_settings *st = &c->r->settings;
	const char *b = "settings";

	if (need_type(c, root, "", "settings", is_object, "is not an object", &s) < 0)
		return FA_EINPUT;
	if (get_string(c, s, b, "label_column", 0, &st->label_column) < 0 ||
	    get_string(c, s, b, "score_column", 0, &st->score_column) < 0 ||
	    get_string(c, s, b, "pred_column", 1, &st->pred_column) < 0 ||
	    get_string(c, s, b, "positive", 1, &st->positive) < 0 ||
	    get_double(c, s, b, "threshold", &st->threshold) < 0 ||
	    get_size(c, s, b, "min_n", &st->min_n) < 0 ||
	    get_size(c, s, b, "suppress_below", &st->suppress_below) < 0 ||
	    get_size(c, s, b, "bootstrap", &st->bootstrap) < 0 ||
	    get_double(c, s, b, "ci_level", &st->ci_level) < 0 ||
	    need(c, s, b, "seed", &seed) < 0 ||
	    get_string(c, s, b, "scheme", 0, &st->scheme) < 0 ||
	    opt_size(c, s, b, "score_bins", &st->score_bins) < 0 ||
	    opt_string(c, s, b, "bootstrap_key", &st->bootstrap_key) < 0 ||
	    get_string(c, s, b, "gate_on", 0, &st->gate_on) < 0 ||
	    get_bool(c, s, b, "probabilities", &st->probabilities) < 0 ||
	    opt_string(c, s, b, "ci_method", &st->ci_method) < 0 ||
	    opt_string(c, s, b, "bootstrap_ci", &st->bootstrap_ci) < 0 ||
	    opt_size(c, s, b, "permutations", &st->permutations) < 0 ||
	    opt_string(c, s, b, "p_adjust", &st->p_adjust) < 0 ||
	    opt_string(c, s, b, "cluster_column", &st->cluster_column) < 0 ||
	    opt_string(c, s, b, "population", &st->population) < 0 ||
	    opt_string(c, s, b, "period_column", &st->period_column) < 0 ||
	    opt_string(c, s, b, "period_every", &st->period_every) < 0 ||
	    opt_size(c, s, b, "min_period_n", &st->min_period_n) < 0)
		return FA_EINPUT;
	{
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "score_digits");
		if (d) {
			if (!whole(d) || d->valuedouble > 9)
				return bad(c, "settings.score_digits", "is not a whole number from 0 to 9");
			st->score_rounded = 1;
			st->score_digits = (int)d->valuedouble;
		}
	}
	power = cJSON_GetObjectItemCaseSensitive(s, "power");
	if (power && !cJSON_IsNull(power)) {
		if (!cJSON_IsObject(power))
			return bad(c, "settings.power", "is not an object or null");
		st->power_annotated = 1;
		if (get_double(c, power, "settings.power", "detectable", &st->power_detectable) < 0 ||
		    get_double(c, power, "settings.power", "target", &st->power_target) < 0 ||
		    get_double(c, power, "settings.power", "alpha", &st->power_alpha) < 0)
			return FA_EINPUT;
	}
	if (whole(seed)) {
		st->seed = (uint64_t)seed->valuedouble;
	} else if (cJSON_IsString(seed) && seed->valuestring[0] >= '0' &&
		   seed->valuestring[0] <= '9') {
		char *end;
		unsigned long long v;
		errno = 0;
		v = strtoull(seed->valuestring, &end, 10);
		if (*end || errno)
			return bad(c, "settings.seed", "is not a whole number");
		st->seed = (uint64_t)v;
	} else {
		return bad(c, "settings.seed", "is not a whole number");
	}
	return 0;
}

/* Whether `s` is a SHA-256 digest as reports write it, or empty. */
static int sha256_text(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 0 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int read_input(rd *c, const cJSON *root)
{
	const cJSON *in, *files, *drops, *it;
	fa_result *r = c->r;
	char p[512];
	size_t i = 0;

	if (need_type(c, root, "", "input", is_object, "is not an object", &in) < 0 ||
	    need_type(c, in, "input", "files", is_array, "is not an array", &files) < 0 ||
	    get_size(c, in, "input", "rows_read", &r->rows_read) < 0 ||
	    get_size(c, in, "input", "rows_used", &r->rows_used) < 0 ||
	    get_size(c, in, "input", "rows_dropped", &r->rows_dropped) < 0 ||
	    need_type(c, in, "input", "drop_reasons", is_object, "is not an object", &drops) < 0)
		return FA_EINPUT;
	r->nfiles = (size_t)cJSON_GetArraySize(files);
	r->files = fa_xcalloc(r->nfiles ? r->nfiles : 1, sizeof(fa_file_info));
	cJSON_ArrayForEach(it, files)
	{
		fa_file_info *f = &r->files[i];
		char *sha = NULL;
		snprintf(p, sizeof(p), "input.files[%zu]", i++);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "path", 0, &f->path) < 0 ||
		    get_string(c, it, p, "sha256", 0, &sha) < 0)
			return FA_EINPUT;
		/* as the schema has it: empty, or 64 lowercase hex digits (a
		 * longer text would not fit, and one written back with its
		 * non-UTF-8 bytes spelled out could grow past 64) */
		if (!sha256_text(sha)) {
			char q[512];
			free(sha);
			subpath(q, sizeof(q), p, "sha256");
			return bad(c, q, "is not 64 lowercase hexadecimal digits");
		}
		strcpy(f->sha256, sha);
		free(sha);
		if (get_string(c, it, p, "format", 0, &f->format) < 0 ||
		    get_bool(c, it, p, "gzip", &f->gzip) < 0 ||
		    get_size(c, it, p, "bytes", &f->bytes) < 0 ||
		    get_size(c, it, p, "rows", &f->rows) < 0)
			return FA_EINPUT;
	}
	r->ndrops = (size_t)cJSON_GetArraySize(drops);
	r->drops = fa_xcalloc(r->ndrops ? r->ndrops : 1, sizeof(fa_drop_count));
	i = 0;
	cJSON_ArrayForEach(it, drops)
	{
		fa_drop_count *d = &r->drops[i++];
		d->reason = fa_xstrdup(it->string);
		if (get_size(c, drops, "input.drop_reasons", it->string, &d->count) < 0)
			return FA_EINPUT;
	}
	return 0;
}

/* The whole population, in the main result or an operating point. */
static int read_overall(rd *c, const cJSON *x, const char *base, fa_group_result *g)
{
	g->value = fa_xstrdup("overall");
	g->levels = fa_xcalloc(1, sizeof(char *));
	if (read_counts(c, x, base, 0, g) < 0 ||
	    read_metric_map(c, x, base, "metrics", g->metrics) < 0 ||
	    read_extras(c, x, base, g, 0) < 0)
		return FA_EINPUT;
	return 0;
}

/* The optional "operating_points". Each view's attributes must be those of
 * the main result, in the same order: gates and reporters pair them up. */
static int read_views(rd *c, const cJSON *root)
{
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(root, "operating_points"), *it, *ov,
		    *attrs, *at;
	fa_result *r = c->r;
	char p[512], q[600];
	size_t i = 0, j;

	if (!ops)
		return 0;
	if (!cJSON_IsArray(ops))
		return bad(c, "operating_points", "is not an array");
	r->nviews = (size_t)cJSON_GetArraySize(ops);
	r->views = fa_xcalloc(r->nviews ? r->nviews : 1, sizeof(fa_view));
	c->in_view = 1;
	cJSON_ArrayForEach(it, ops)
	{
		fa_view *v = &r->views[i];
		snprintf(p, sizeof(p), "operating_points[%zu]", i++);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "name", 0, &v->name) < 0 ||
		    get_string(c, it, p, "kind", 0, &v->kind) < 0 ||
		    get_double(c, it, p, "target", &v->target) < 0 ||
		    get_estimate(c, it, p, "threshold", &v->threshold) < 0 ||
		    need_type(c, it, p, "overall", is_object, "is not an object", &ov) < 0)
			return FA_EINPUT;
		snprintf(q, sizeof(q), "%s.overall", p);
		if (read_overall(c, ov, q, &v->overall) < 0 ||
		    need_type(c, it, p, "attributes", is_array, "is not an array", &attrs) < 0)
			return FA_EINPUT;
		snprintf(q, sizeof(q), "%s.attributes", p);
		if ((size_t)cJSON_GetArraySize(attrs) != r->nattrs)
			return bad(c, q, "does not hold the report's attributes");
		v->nattrs = r->nattrs;
		v->attrs = fa_xcalloc(v->nattrs ? v->nattrs : 1, sizeof(fa_attr_result));
		j = 0;
		cJSON_ArrayForEach(at, attrs)
		{
			snprintf(q, sizeof(q), "%s.attributes[%zu]", p, j);
			if (read_attr(c, at, q, &v->attrs[j]) < 0)
				return FA_EINPUT;
			if (strcmp(v->attrs[j].name, r->attrs[j].name) != 0)
				return bad(c, q, "is not the attribute of the same place in \"attributes\"");
			j++;
		}
	}
	c->in_view = 0;
	return 0;
}

/* The index of the model named by obj[key] (a name, or null when
 * `nullable`: -1). */
static int get_model_ref(rd *c, const cJSON *obj, const char *base, const char *key, int nullable,
                         long *out)
{
	const cJSON *x;
	char p[512];

	if (need_type(c, obj, base, key, nullable ? is_string_or_null : is_string,
	              nullable ? "is not a string or null" : "is not a string", &x) < 0)
		return FA_EINPUT;
	*out = -1;
	if (cJSON_IsNull(x))
		return 0;
	*out = fa_result_model(c->r, x->valuestring);
	if (*out >= 0)
		return 0;
	subpath(p, sizeof(p), base, key);
	return bad(c, p, "names no model of \"models\"");
}

/* An array at obj[key] holding one element per attribute of the report. */
static int need_per_attr(rd *c, const cJSON *obj, const char *base, const char *key,
                         const cJSON **out)
{
	char p[512];

	if (need_type(c, obj, base, key, is_array, "is not an array", out) < 0)
		return FA_EINPUT;
	if ((size_t)cJSON_GetArraySize(*out) == c->r->nattrs)
		return 0;
	subpath(p, sizeof(p), base, key);
	return bad(c, p, "does not hold the report's attributes");
}

/* obj[key] must be the name of the attribute at place `a` of "attributes". */
static int same_attr_name(rd *c, const cJSON *obj, const char *base, const char *key, size_t a)
{
	const cJSON *x;

	if (need_type(c, obj, base, key, is_string, "is not a string", &x) < 0)
		return FA_EINPUT;
	if (strcmp(x->valuestring, c->r->attrs[a].name) == 0)
		return 0;
	return bad(c, base, "is not the attribute of the same place in \"attributes\"");
}

static int read_model_list(rd *c, const cJSON *ms)
{
	fa_result *r = c->r;
	const cJSON *it, *ov, *attrs, *at;
	char p[512], q[600];
	size_t i = 0, j, k;

	r->nmodels = (size_t)cJSON_GetArraySize(ms);
	r->models = fa_xcalloc(r->nmodels ? r->nmodels : 1, sizeof(fa_model));
	cJSON_ArrayForEach(it, ms)
	{
		fa_model *m = &r->models[i];
		snprintf(p, sizeof(p), "models[%zu]", i);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "name", 0, &m->name) < 0 ||
		    get_string(c, it, p, "score_column", 1, &m->score_column) < 0 ||
		    need_type(c, it, p, "overall", is_object, "is not an object", &ov) < 0)
			return FA_EINPUT;
		for (k = 0; k < i; k++)
			if (strcmp(r->models[k].name, m->name) == 0) {
				snprintf(q, sizeof(q), "%s.name", p);
				return bad(c, q, "repeats the name of an earlier model");
			}
		snprintf(q, sizeof(q), "%s.overall", p);
		if (read_overall(c, ov, q, &m->overall) < 0 ||
		    need_per_attr(c, it, p, "attributes", &attrs) < 0)
			return FA_EINPUT;
		m->nattrs = r->nattrs;
		m->attrs = fa_xcalloc(m->nattrs ? m->nattrs : 1, sizeof(fa_attr_result));
		j = 0;
		cJSON_ArrayForEach(at, attrs)
		{
			snprintf(q, sizeof(q), "%s.attributes[%zu]", p, j);
			if (read_attr(c, at, q, &m->attrs[j]) < 0 ||
			    same_attr_name(c, at, q, "name", j) < 0)
				return FA_EINPUT;
			if (m->attrs[j].ngroups != r->attrs[j].ngroups)
				return bad(c, q, "does not hold the groups of the attribute");
			for (k = 0; k < m->attrs[j].ngroups; k++)
				if (strcmp(m->attrs[j].groups[k].value,
				           r->attrs[j].groups[k].value) != 0)
					return bad(c, q,
					           "does not hold the groups of the attribute");
			j++;
		}
		i++;
	}
	return 0;
}

static int read_model_best(rd *c, const cJSON *root)
{
	fa_result *r = c->r;
	const cJSON *list, *it, *gaps, *sum;
	char p[512], q[600];
	size_t a = 0;
	int k;

	if (need_per_attr(c, root, "", "model_best", &list) < 0)
		return FA_EINPUT;
	r->model_best = fa_xcalloc(r->nattrs ? r->nattrs : 1, sizeof(fa_model_best));
	cJSON_ArrayForEach(it, list)
	{
		fa_model_best *b = &r->model_best[a];
		snprintf(p, sizeof(p), "model_best[%zu]", a);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (same_attr_name(c, it, p, "attribute", a) < 0 ||
		    need_type(c, it, p, "gaps", is_object, "is not an object", &gaps) < 0 ||
		    need_type(c, it, p, "summary", is_object, "is not an object", &sum) < 0)
			return FA_EINPUT;
		snprintf(q, sizeof(q), "%s.gaps", p);
		for (k = 0; k < FA_M__COUNT; k++)
			if (get_model_ref(c, gaps, q, fa_metric_name((fa_metric)k), 1, &b->gap[k]) <
			    0)
				return FA_EINPUT;
		snprintf(q, sizeof(q), "%s.summary", p);
		for (k = 0; k < FA_S__COUNT; k++)
			if (get_model_ref(c, sum, q, fa_summary_name((fa_summary)k), 1,
			                  &b->summary[k]) < 0)
				return FA_EINPUT;
		a++;
	}
	return 0;
}

static int read_attr_diff(rd *c, const cJSON *x, const char *base, size_t a, fa_model_attr_diff *ad)
{
	const fa_attr_result *A = &c->r->attrs[a];
	const cJSON *groups, *it, *gaps, *sum, *gp;
	char p[512], q[600];
	size_t g = 0;
	int k;

	if (!cJSON_IsObject(x))
		return bad(c, base, "is not an object");
	if (same_attr_name(c, x, base, "name", a) < 0 ||
	    need_type(c, x, base, "groups", is_array, "is not an array", &groups) < 0)
		return FA_EINPUT;
	if ((size_t)cJSON_GetArraySize(groups) != A->ngroups)
		return bad(c, base, "does not hold the groups of the attribute");
	ad->ngroups = A->ngroups;
	ad->groups = fa_xcalloc(A->ngroups * FA_M__COUNT + 1, sizeof(fa_estimate));
	cJSON_ArrayForEach(it, groups)
	{
		const cJSON *v;
		snprintf(p, sizeof(p), "%s.groups[%zu]", base, g);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (need_type(c, it, p, "value", is_string, "is not a string", &v) < 0)
			return FA_EINPUT;
		if (strcmp(v->valuestring, A->groups[g].value) != 0)
			return bad(c, p, "is not the group of the same place in the attribute");
		if (read_metric_map(c, it, p, "metrics", ad->groups + g * FA_M__COUNT) < 0)
			return FA_EINPUT;
		g++;
	}
	if (need_type(c, x, base, "gaps", is_object, "is not an object", &gaps) < 0 ||
	    need_type(c, x, base, "summary", is_object, "is not an object", &sum) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, "gaps");
	for (k = 0; k < FA_M__COUNT; k++) {
		fa_gap_diff *gd = &ad->gaps[k];
		if (need_type(c, gaps, p, fa_metric_name((fa_metric)k), is_object,
		              "is not an object", &gp) < 0)
			return FA_EINPUT;
		subpath(q, sizeof(q), p, fa_metric_name((fa_metric)k));
		if (get_estimate(c, gp, q, "gap", &gd->gap) < 0 ||
		    get_estimate(c, gp, q, "ratio", &gd->ratio) < 0 ||
		    get_estimate(c, gp, q, "min", &gd->min) < 0 ||
		    get_estimate(c, gp, q, "max", &gd->max) < 0)
			return FA_EINPUT;
	}
	subpath(p, sizeof(p), base, "summary");
	for (k = 0; k < FA_S__COUNT; k++)
		if (get_estimate(c, sum, p, fa_summary_name((fa_summary)k), &ad->summary[k]) < 0)
			return FA_EINPUT;
	return 0;
}

static int read_model_diffs(rd *c, const cJSON *root)
{
	fa_result *r = c->r;
	const cJSON *list, *it, *attrs, *at;
	char p[512], q[600];
	size_t i = 0, j, k, K = r->nmodels;

	if (need_type(c, root, "", "model_differences", is_array, "is not an array", &list) < 0)
		return FA_EINPUT;
	if ((size_t)cJSON_GetArraySize(list) != K * (K - 1) / 2)
		return bad(c, "model_differences",
		           "does not hold one difference per pair of models");
	r->nmodel_diffs = K * (K - 1) / 2;
	r->model_diffs = fa_xcalloc(r->nmodel_diffs ? r->nmodel_diffs : 1, sizeof(fa_model_diff));
	cJSON_ArrayForEach(it, list)
	{
		fa_model_diff *d = &r->model_diffs[i];
		long a, b;
		snprintf(p, sizeof(p), "model_differences[%zu]", i);
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_model_ref(c, it, p, "a", 0, &a) < 0 ||
		    get_model_ref(c, it, p, "b", 0, &b) < 0)
			return FA_EINPUT;
		if (a >= b)
			return bad(c, p, "does not name model a before model b in \"models\"");
		for (k = 0; k < i; k++)
			if (r->model_diffs[k].a == (size_t)a && r->model_diffs[k].b == (size_t)b)
				return bad(c, p, "repeats a pair of models");
		d->a = (size_t)a;
		d->b = (size_t)b;
		if (read_metric_map(c, it, p, "overall", d->overall) < 0 ||
		    need_per_attr(c, it, p, "attributes", &attrs) < 0)
			return FA_EINPUT;
		/* counted now, so a failure below frees what was read */
		d->nattrs = r->nattrs;
		d->attrs = fa_xcalloc(r->nattrs ? r->nattrs : 1, sizeof(fa_model_attr_diff));
		i++;
		j = 0;
		cJSON_ArrayForEach(at, attrs)
		{
			snprintf(q, sizeof(q), "%s.attributes[%zu]", p, j);
			if (read_attr_diff(c, at, q, j, &d->attrs[j]) < 0)
				return FA_EINPUT;
			j++;
		}
	}
	return 0;
}

/* The optional models of an audit of several (--model): "models",
 * "model_best" and "model_differences", all three or none. */
static int read_models(rd *c, const cJSON *root)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "models");

	if (!ms)
		return 0;
	if (!cJSON_IsArray(ms) || cJSON_GetArraySize(ms) == 0)
		return bad(c, "models", "is not a non-empty array");
	if (read_model_list(c, ms) < 0 || read_model_best(c, root) < 0 ||
	    read_model_diffs(c, root) < 0)
		return FA_EINPUT;
	return 0;
}

/* ---- drift over time ------------------------------------------------------ */

/* A period's attribute: the groups it has records of, with their counts,
 * status and metrics, and the gaps and summaries. What the report leaves
 * out of a period is undefined here ("not in the report"). */
static int read_period_attr(rd *c, const cJSON *x, const char *base, size_t a,
			    fa_attr_result *A)
{
	const fa_attr_result *main = &c->r->attrs[a];
	const cJSON *groups, *it, *gaps, *sum, *gp, *st;
	char p[512], q[600];
	size_t i = 0, j;
	int k;

	if (!cJSON_IsObject(x))
		return bad(c, base, "is not an object");
	if (same_attr_name(c, x, base, "name", a) < 0 ||
	    need_type(c, x, base, "groups", is_array, "is not an array", &groups) < 0)
		return FA_EINPUT;
	A->name = fa_xstrdup(main->name);
	A->ncolumns = main->ncolumns;
	A->columns = fa_xcalloc(main->ncolumns ? main->ncolumns : 1, sizeof(char *));
	for (j = 0; j < main->ncolumns; j++)
		A->columns[j] = fa_xstrdup(main->columns[j]);
	A->reference = -1;
	A->ngroups = (size_t)cJSON_GetArraySize(groups);
	A->groups = fa_xcalloc(A->ngroups ? A->ngroups : 1, sizeof(fa_group_result));
	cJSON_ArrayForEach(it, groups)
	{
		fa_group_result *g = &A->groups[i];
		int withheld;
		snprintf(p, sizeof(p), "%s.groups[%zu]", base, i++);
		g->levels = fa_xcalloc(1, sizeof(char *));
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "value", 0, &g->value) < 0 ||
		    need_type(c, it, p, "status", is_string, "is not a string", &st) < 0)
			return FA_EINPUT;
		if (strcmp(st->valuestring, "ok") == 0)
			g->status = FA_GROUP_OK;
		else if (strcmp(st->valuestring, "insufficient") == 0)
			g->status = FA_GROUP_INSUFFICIENT;
		else if (strcmp(st->valuestring, "suppressed") == 0)
			g->status = FA_GROUP_SUPPRESSED;
		else {
			subpath(q, sizeof(q), p, "status");
			return bad(c, q, "is not \"ok\", \"insufficient\" or \"suppressed\"");
		}
		withheld = g->status == FA_GROUP_SUPPRESSED;
		if (get_count(c, it, p, "n", withheld, &g->n) < 0 ||
		    get_count(c, it, p, "n_pos", withheld, &g->n_pos) < 0 ||
		    get_count(c, it, p, "n_neg", withheld, &g->n_neg) < 0)
			return FA_EINPUT;
		g->own_threshold = NAN;
		for (k = 0; k < FA_M__COUNT; k++) {
			set_undefined(c, &g->diff[k], "not in the report");
			set_undefined(c, &g->ratio[k], "not in the report");
			if (withheld)
				set_undefined(c, &g->metrics[k], R_SUPPRESSED);
		}
		set_undefined(c, &g->leakage[0], "not in the report");
		set_undefined(c, &g->leakage[1], "not in the report");
		if (!withheld && read_metric_map(c, it, p, "metrics", g->metrics) < 0)
			return FA_EINPUT;
	}
	if (need_type(c, x, base, "gaps", is_object, "is not an object", &gaps) < 0 ||
	    need_type(c, x, base, "summary", is_object, "is not an object", &sum) < 0)
		return FA_EINPUT;
	subpath(p, sizeof(p), base, "gaps");
	for (k = 0; k < FA_M__COUNT; k++) {
		fa_gap *g = &A->gaps[k];
		if (need_type(c, gaps, p, fa_metric_name((fa_metric)k), is_object,
			      "is not an object", &gp) < 0)
			return FA_EINPUT;
		subpath(q, sizeof(q), p, fa_metric_name((fa_metric)k));
		g->perm_p = g->perm_p_adjusted = g->chisq = g->chisq_df = g->chisq_p =
			g->chisq_p_adjusted = NAN;
		set_undefined(c, &g->gap_corrected, "not in the report");
		if (get_estimate(c, gp, q, "gap", &g->gap) < 0 ||
		    get_estimate(c, gp, q, "ratio", &g->ratio) < 0 ||
		    get_estimate(c, gp, q, "min", &g->min) < 0 ||
		    get_estimate(c, gp, q, "max", &g->max) < 0 ||
		    get_group_ref(c, gp, q, "best", A, &g->best) < 0 ||
		    get_group_ref(c, gp, q, "worst", A, &g->worst) < 0 ||
		    get_estimate(c, gp, q, "gap_simultaneous", &g->gap_simultaneous) < 0)
			return FA_EINPUT;
	}
	subpath(p, sizeof(p), base, "summary");
	for (k = 0; k < FA_S__COUNT; k++)
		if (get_estimate(c, sum, p, fa_summary_name((fa_summary)k), &A->summary[k]) < 0)
			return FA_EINPUT;
	return 0;
}

/* The optional "periods": every period in time order; an audited one
 * holds the report's attributes in the same order. */
static int read_periods(rd *c, const cJSON *root)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "periods"), *it, *st, *attrs,
		    *at;
	fa_result *r = c->r;
	char p[512], q[600];
	size_t i = 0, j;
	int k;

	if (!list)
		return 0;
	if (!cJSON_IsArray(list))
		return bad(c, "periods", "is not an array");
	if (!r->settings.period_column)
		return bad(c, "settings.period_column", "is missing, but the report has periods");
	r->nperiods = (size_t)cJSON_GetArraySize(list);
	r->periods = fa_xcalloc(r->nperiods ? r->nperiods : 1, sizeof(fa_period));
	cJSON_ArrayForEach(it, list)
	{
		fa_period *pd = &r->periods[i];
		snprintf(p, sizeof(p), "periods[%zu]", i++);
		pd->overall.value = fa_xstrdup("overall");
		pd->overall.levels = fa_xcalloc(1, sizeof(char *));
		if (!cJSON_IsObject(it))
			return bad(c, p, "is not an object");
		if (get_string(c, it, p, "label", 0, &pd->label) < 0 ||
		    get_string(c, it, p, "first_day", 0, &pd->first_day) < 0 ||
		    get_string(c, it, p, "last_day", 0, &pd->last_day) < 0 ||
		    get_size(c, it, p, "n", &pd->n) < 0 || get_size(c, it, p, "n_pos", &pd->n_pos) < 0 ||
		    get_size(c, it, p, "n_neg", &pd->n_neg) < 0 ||
		    need_type(c, it, p, "status", is_string, "is not a string", &st) < 0 ||
		    need_type(c, it, p, "attributes", is_array, "is not an array", &attrs) < 0)
			return FA_EINPUT;
		pd->overall.n = pd->n;
		pd->overall.n_pos = pd->n_pos;
		pd->overall.n_neg = pd->n_neg;
		if (strcmp(st->valuestring, "insufficient") == 0) {
			char *why = NULL;
			pd->insufficient = 1;
			if (get_string(c, it, p, "reason", 0, &why) < 0)
				return FA_EINPUT;
			pd->reason = own_reason(c, why);
			free(why);
			for (k = 0; k < FA_M__COUNT; k++)
				set_undefined(c, &pd->overall.metrics[k], pd->reason);
			if (cJSON_GetArraySize(attrs) != 0) {
				subpath(q, sizeof(q), p, "attributes");
				return bad(c, q, "is not empty in an insufficient period");
			}
			continue;
		}
		if (strcmp(st->valuestring, "ok") != 0) {
			subpath(q, sizeof(q), p, "status");
			return bad(c, q, "is not \"ok\" or \"insufficient\"");
		}
		if (read_metric_map(c, it, p, "metrics", pd->overall.metrics) < 0 ||
		    need_per_attr(c, it, p, "attributes", &attrs) < 0)
			return FA_EINPUT;
		pd->nattrs = r->nattrs;
		pd->attrs = fa_xcalloc(r->nattrs ? r->nattrs : 1, sizeof(fa_attr_result));
		j = 0;
		cJSON_ArrayForEach(at, attrs)
		{
			snprintf(q, sizeof(q), "%s.attributes[%zu]", p, j);
			if (read_period_attr(c, at, q, j, &pd->attrs[j]) < 0)
				return FA_EINPUT;
			j++;
		}
	}
	return 0;
}

static int read_report(rd *c, const cJSON *root)
{
	fa_result *r = c->r;
	const cJSON *ver, *tool, *cmd, *overall, *attrs, *gates, *it;
	char p[512];
	size_t i;

	if (!cJSON_IsObject(root))
		return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
				    "not a fairaudit report: the JSON text is not an object");
	ver = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
	if (!ver)
		return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
				    "not a fairaudit report: \"schema_version\" is missing");
	/* a minor version only adds keys, which are ignored here */
	if (!cJSON_IsString(ver) || strncmp(ver->valuestring, "1.", 2) != 0 ||
	    ver->valuestring[2] < '0' || ver->valuestring[2] > '9') {
		char shown[128];
		clean(shown, sizeof(shown), cJSON_IsString(ver) ? ver->valuestring : "");
		return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
				    "report schema_version %s%s%s is not supported (this fairaudit reads 1.x)",
				    cJSON_IsString(ver) ? "\"" : "",
				    cJSON_IsString(ver) ? shown : "(not a string)",
				    cJSON_IsString(ver) ? "\"" : "");
	}
	if (need_type(c, root, "", "tool", is_object, "is not an object", &tool) < 0 ||
	    get_string(c, tool, "tool", "version", 0, &r->tool_version) < 0 ||
	    need_type(c, root, "", "command_line", is_string_or_null, "is not a string or null",
		      &cmd) < 0)
		return FA_EINPUT;
	r->command_line = cJSON_IsString(cmd) ? fa_xstrdup(cmd->valuestring) : NULL;
	{
		/* optional: reports written before warnings existed have none */
		const cJSON *ws = cJSON_GetObjectItemCaseSensitive(root, "warnings"), *wi;
		if (ws && !cJSON_IsArray(ws))
			return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
					    "\"warnings\" is not an array");
		cJSON_ArrayForEach(wi, ws)
		{
			if (!cJSON_IsString(wi))
				return fa_error_set(c->err, FA_EINPUT, c->file, 0, 0,
						    "\"warnings\" holds something that is not a string");
			r->warnings = fa_xrealloc(r->warnings, (r->nwarnings + 1) * sizeof(char *));
			r->warnings[r->nwarnings++] = fa_xstrdup(wi->valuestring);
		}
	}
	if (read_input(c, root) < 0 || read_settings(c, root) < 0)
		return FA_EINPUT;
	if (need_type(c, root, "", "overall", is_object, "is not an object", &overall) < 0 ||
	    read_overall(c, overall, "overall", &r->overall) < 0)
		return FA_EINPUT;
	if (need_type(c, root, "", "attributes", is_array, "is not an array", &attrs) < 0)
		return FA_EINPUT;
	r->nattrs = (size_t)cJSON_GetArraySize(attrs);
	r->attrs = fa_xcalloc(r->nattrs ? r->nattrs : 1, sizeof(fa_attr_result));
	i = 0;
	cJSON_ArrayForEach(it, attrs)
	{
		snprintf(p, sizeof(p), "attributes[%zu]", i);
		if (read_attr(c, it, p, &r->attrs[i++]) < 0)
			return FA_EINPUT;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "population_unmatched") &&
	    read_string_array(c, root, "", "population_unmatched", &r->population_unmatched,
			      &r->npopulation_unmatched) < 0)
		return FA_EINPUT;
	if (read_views(c, root) < 0 || read_models(c, root) < 0 || read_periods(c, root) < 0 ||
	    need_type(c, root, "", "gates", is_array, "is not an array", &gates) < 0)
		return FA_EINPUT;
	r->ngates = (size_t)cJSON_GetArraySize(gates);
	r->gates = fa_xcalloc(r->ngates ? r->ngates : 1, sizeof(fa_gate_result));
	i = 0;
	cJSON_ArrayForEach(it, gates)
	{
		snprintf(p, sizeof(p), "gates[%zu]", i);
		if (read_gate(c, it, p, &r->gates[i++]) < 0)
			return FA_EINPUT;
	}
	return read_outcome(c, root, "", "verdict", &r->verdict);
}

/* 1-based line and column of byte `off` in `text`. */
static void locate(const char *text, size_t off, unsigned long *line, unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* Where parsing failed. cJSON reports an error past the end of the text
 * as its last byte, and an unterminated string at the string's start, so
 * a truncated report would look like one with an error before its end.
 * Parsing again with a quote and a stray byte appended tells them apart:
 * the error moves onto those bytes only if the text ended early (the
 * quote closes a string cut short). Returns `len` for a truncated text. */
static size_t error_offset(const char *text, size_t len)
{
	char *copy = fa_xmalloc(len + 3);
	const char *end = NULL;
	cJSON *again;
	size_t off;

	memcpy(copy, text, len);
	copy[len] = '"';
	copy[len + 1] = '\x01';
	copy[len + 2] = '\0';
	again = cJSON_ParseWithLengthOpts(copy, len + 2, &end, 0);
	off = end && end >= copy ? (size_t)(end - copy) : 0;
	cJSON_Delete(again);
	free(copy);
	return off > len ? len : off;
}

int fa_result_read_json(fa_result **out, const char *text, size_t len, const char *path,
			fa_error *err)
{
	const char *end = NULL;
	cJSON *root;
	rd c;
	int rc;
	unsigned long line, col;
	size_t off;

	*out = NULL;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		off = error_offset(text, len);
		locate(text, off, &line, &col);
		return fa_error_set(err, FA_EINPUT, path, line, col, "%s",
				    off >= len ? "not valid JSON: the text ends before the report is complete"
					       : "not valid JSON");
	}
	for (off = (size_t)(end - text); off < len; off++)
		if (!strchr(" \t\r\n", text[off]) || text[off] == '\0') {
			cJSON_Delete(root);
			locate(text, off, &line, &col);
			return fa_error_set(err, FA_EINPUT, path, line, col,
					    "not valid JSON: unexpected text after the report");
		}
	memset(&c, 0, sizeof(c));
	c.r = fa_xcalloc(1, sizeof(fa_result));
	c.file = path;
	c.err = err;
	rc = read_report(&c, root);
	cJSON_Delete(root);
	if (rc < 0) {
		fa_result_free(c.r);
		return rc;
	}
	*out = c.r;
	return 0;
}
