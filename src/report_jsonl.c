/*
 * report_jsonl.c: the JSON Lines report (docs/report-schema.md, "JSON
 * Lines"): one self-contained object per line, for stream processing.
 *
 * Every line carries the layout version and a "kind", so a consumer can
 * filter lines without knowing where they sit in the file, and every data
 * line names its model, operating point, period and attribute. The numbers
 * are the JSON report's (the same fa_result, the same shortest-double
 * printing); what differs is the shape: every key is always present, null
 * when it does not apply, so each kind of line has one fixed set of
 * columns.
 *
 * A period's lines (--period) hold what the JSON report holds of a period
 * (result.h, "Drift over time"), and nothing more: what a period has
 * beyond it (confusion counts, differences to the reference, leakage, the
 * gap tests) is null, so a report read back writes the same lines.
 */
#include "fairaudit/report.h"

#include "json_writer.h"

#include <math.h>
#include <string.h>

static const char R_SUPPRESSED[] = "withheld: group smaller than --suppress-below";
static const char R_PRED[] = "decisions are read from the decision column";

/* Where the lines being written belong: a model of several (its name, or
 * NULL for an audit without --model, and its index into r->models, -1 for
 * none or a difference), an operating point (NULL for the main result)
 * and a period (NULL for the whole data). */
typedef struct jl {
	jw w;
	const fa_result *r;
	const char *model;
	long model_index;
	const char *view;
	const fa_period *period;
} jl;

static void line_open(jl *L, const char *kind)
{
	L->w.depth = 0;
	jw_open(&L->w, '{', 0);
	jw_key(&L->w, "schema_version");
	jw_str(&L->w, FA_REPORT_JSONL_VERSION);
	jw_key(&L->w, "kind");
	jw_str(&L->w, kind);
}

/* The keys every data line has after its kind. */
static void line_open_data(jl *L, const char *kind)
{
	line_open(L, kind);
	jw_key(&L->w, "model");
	jw_str_or_null(&L->w, L->model);
	jw_key(&L->w, "operating_point");
	jw_str_or_null(&L->w, L->view);
	jw_key(&L->w, "period");
	jw_str_or_null(&L->w, L->period ? L->period->label : NULL);
}

static void line_close(jl *L)
{
	jw_close(&L->w, '}');
	fa_buf_putc(L->w.b, '\n');
}

static void num_or_null(jw *w, int defined, double x)
{
	if (defined)
		jw_num(w, x);
	else
		jw_null(w);
}

/* The members of an estimate, always the same keys: an interval or p-value
 * that does not exist is null, and so is every number of an undefined or
 * withheld value (an interval around nothing means nothing). */
static void put_est_members(jw *w, const fa_estimate *e, int withheld, int with_p)
{
	int defined = isfinite(e->value) && !withheld;

	jw_key(w, "value");
	num_or_null(w, defined, e->value);
	jw_key(w, "reason");
	if (defined && !e->reason)
		jw_null(w);
	else
		jw_str(w, withheld && (isfinite(e->value) || !e->reason) ? R_SUPPRESSED
			  : e->reason                               ? e->reason
			  : isnan(e->value)                         ? "undefined"
								    : "not finite");
	jw_key(w, "ci_low");
	num_or_null(w, defined && e->has_ci, e->ci_low);
	jw_key(w, "ci_high");
	num_or_null(w, defined && e->has_ci, e->ci_high);
	jw_key(w, "aci_low");
	num_or_null(w, defined && e->has_aci, e->aci_low);
	jw_key(w, "aci_high");
	num_or_null(w, defined && e->has_aci, e->aci_high);
	if (with_p) {
		jw_key(w, "p_value");
		num_or_null(w, defined && isfinite(e->p_value), e->p_value);
		jw_key(w, "p_adjusted");
		num_or_null(w, defined && isfinite(e->p_adjusted), e->p_adjusted);
	}
}

static void put_est(jw *w, const char *key, const fa_estimate *e, int with_p)
{
	jw_key(w, key);
	jw_open(w, '{', 0);
	put_est_members(w, e, 0, with_p);
	jw_close(w, '}');
}

/* metric -> estimate, all fourteen; null as a whole when withheld. */
static void put_metric_map(jw *w, const char *key, const fa_estimate *m, int withheld,
			   int with_p)
{
	int k;

	jw_key(w, key);
	if (withheld) {
		jw_null(w);
		return;
	}
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++)
		put_est(w, fa_metric_name((fa_metric)k), &m[k], with_p);
	jw_close(w, '}');
}

static void put_count(jw *w, const char *key, size_t n, int withheld)
{
	jw_key(w, key);
	if (withheld)
		jw_null(w);
	else
		jw_size(w, n);
}

/* The counts; a period's confusion counts and clusters are not in the
 * reports. */
static void put_counts(jl *L, const fa_group_result *g, int withheld)
{
	jw *w = &L->w;
	int some = withheld || L->period;

	put_count(w, "n", g->n, withheld);
	put_count(w, "positives", g->n_pos, withheld);
	put_count(w, "negatives", g->n_neg, withheld);
	put_count(w, "tp", g->tp, some);
	put_count(w, "fp", g->fp, some);
	put_count(w, "tn", g->tn, some);
	put_count(w, "fn", g->fn, some);
	put_count(w, "n_clusters", g->n_clusters,
		  some || !(L->r->settings.cluster_column || g->n_clusters));
}

static void put_group_name(jw *w, const fa_attr_result *a, long g)
{
	if (g >= 0 && (size_t)g < a->ngroups)
		jw_str(w, a->groups[g].value);
	else
		jw_null(w);
}

/* The group of the main result that `a`'s group `g` is: every model and
 * operating point lays its attributes and groups out as the main result
 * does, and power and representation, which depend on the records alone,
 * are annotated there only. */
static const fa_group_result *main_group(const fa_result *r, size_t a, size_t g)
{
	if (a < r->nattrs && g < r->attrs[a].ngroups)
		return &r->attrs[a].groups[g];
	return NULL;
}

/* The levels of a period's group, which the reports do not hold: those of
 * the whole data's group of the same value, when exactly one has it. */
static const fa_group_result *period_levels(const fa_result *r, size_t a, const char *value)
{
	const fa_group_result *found = NULL;
	size_t g;

	for (g = 0; a < r->nattrs && g < r->attrs[a].ngroups; g++) {
		if (strcmp(r->attrs[a].groups[g].value, value) != 0)
			continue;
		if (found)
			return NULL;
		found = &r->attrs[a].groups[g];
	}
	return found;
}

static void put_group(jl *L, size_t ai, const fa_attr_result *a, size_t gi)
{
	/* a period's groups are those with records in it, not the main
	 * result's, and it holds no reference, power or representation */
	const fa_group_result *g = &a->groups[gi],
			      *mg = L->period ? NULL : main_group(L->r, ai, gi), *lv;
	int withheld = g->status == FA_GROUP_SUPPRESSED, bare = withheld || L->period;
	jw *w = &L->w;
	size_t i;

	line_open_data(L, "group");
	jw_key(w, "attribute");
	jw_str(w, a->name);
	jw_key(w, "group");
	jw_str(w, g->value);
	jw_key(w, "levels");
	lv = L->period ? period_levels(L->r, ai, g->value) : g;
	if (lv) {
		jw_open(w, '[', 0);
		for (i = 0; i < lv->nlevels; i++) {
			jw_item(w);
			jw_str(w, lv->levels[i]);
		}
		jw_close(w, ']');
	} else {
		jw_null(w);
	}
	put_counts(L, g, withheld);
	jw_key(w, "status");
	jw_str(w, fa_group_status_name(g->status));
	jw_key(w, "reference");
	if (L->period)
		jw_null(w);
	else
		jw_bool(w, a->reference >= 0 && (size_t)a->reference == gi);
	jw_key(w, "insufficient");
	jw_bool(w, g->status == FA_GROUP_INSUFFICIENT);
	jw_key(w, "suppressed");
	jw_bool(w, withheld);
	jw_key(w, "underpowered");
	if (mg && L->r->settings.power_annotated)
		jw_bool(w, mg->underpowered);
	else
		jw_null(w);
	jw_key(w, "under_represented");
	if (mg && L->r->settings.population)
		jw_bool(w, mg->representation.under_represented);
	else
		jw_null(w);
	jw_key(w, "own_threshold");
	num_or_null(w, L->view && !withheld && isfinite(g->own_threshold), g->own_threshold);
	put_metric_map(w, "metrics", g->metrics, withheld, 0);
	put_metric_map(w, "diff", g->diff, bare, 1);
	put_metric_map(w, "ratio", g->ratio, bare, 0);
	jw_key(w, "leakage");
	if (bare) {
		jw_null(w);
	} else {
		jw_open(w, '{', 0);
		put_est(w, "negatives", &g->leakage[0], 1);
		put_est(w, "positives", &g->leakage[1], 1);
		jw_close(w, '}');
	}
	line_close(L);
}

/* Whether this line's model is the best one of a gap or summary: null
 * without several models and at an operating point. */
static void put_best_model(jl *L, const fa_model_best *best, long who)
{
	jw_key(&L->w, "best_model");
	if (best && L->model_index >= 0)
		jw_bool(&L->w, who == L->model_index);
	else
		jw_null(&L->w);
}

static void put_gap(jl *L, const fa_attr_result *a, int m, const fa_model_best *best)
{
	const fa_gap *gp = &a->gaps[m];
	jw *w = &L->w;

	line_open_data(L, "gap");
	jw_key(w, "attribute");
	jw_str(w, a->name);
	jw_key(w, "metric");
	jw_str(w, fa_metric_name((fa_metric)m));
	jw_key(w, "reference");
	put_group_name(w, a, L->period ? -1 : a->reference);
	put_est(w, "gap", &gp->gap, 0);
	put_est(w, "ratio", &gp->ratio, 0);
	put_est(w, "min", &gp->min, 0);
	put_est(w, "max", &gp->max, 0);
	jw_key(w, "best");
	put_group_name(w, a, gp->best);
	jw_key(w, "worst");
	put_group_name(w, a, gp->worst);
	/* a period's gaps have no bias correction and no tests */
	if (L->period) {
		jw_key(w, "gap_corrected");
		jw_null(w);
	} else {
		put_est(w, "gap_corrected", &gp->gap_corrected, 0);
	}
	put_est(w, "gap_simultaneous", &gp->gap_simultaneous, 0);
	jw_key(w, "perm_p");
	jw_num(w, L->period ? NAN : gp->perm_p);
	jw_key(w, "perm_p_adjusted");
	jw_num(w, L->period ? NAN : gp->perm_p_adjusted);
	jw_key(w, "chisq");
	jw_num(w, L->period ? NAN : gp->chisq);
	jw_key(w, "chisq_df");
	jw_num(w, L->period ? NAN : gp->chisq_df);
	jw_key(w, "chisq_p");
	jw_num(w, L->period ? NAN : gp->chisq_p);
	jw_key(w, "chisq_p_adjusted");
	jw_num(w, L->period ? NAN : gp->chisq_p_adjusted);
	jw_key(w, "chisq_low_expected");
	if (L->period)
		jw_null(w);
	else
		jw_bool(w, gp->chisq_low_expected);
	put_best_model(L, best, best ? best->gap[m] : -1);
	line_close(L);
}

static void put_summary(jl *L, const fa_attr_result *a, int s, const fa_model_best *best)
{
	jw *w = &L->w;

	line_open_data(L, "summary");
	jw_key(w, "attribute");
	jw_str(w, a->name);
	jw_key(w, "summary");
	jw_str(w, fa_summary_name((fa_summary)s));
	put_est_members(w, &a->summary[s], 0, 0);
	put_best_model(L, best, best ? best->summary[s] : -1);
	line_close(L);
}

static void put_overall(jl *L, const fa_group_result *g, const fa_estimate *threshold)
{
	jw *w = &L->w;

	line_open_data(L, "overall");
	put_counts(L, g, 0);
	put_est(w, "threshold", threshold, 0);
	put_metric_map(w, "metrics", g->metrics, 0, 0);
	line_close(L);
}

/* The lines of one result: its whole population, then per attribute its
 * groups, gaps and summaries. */
static void put_result(jl *L, const fa_group_result *overall, const fa_estimate *threshold,
		       const fa_attr_result *attrs, size_t nattrs)
{
	size_t a, g;
	int k;

	put_overall(L, overall, threshold);
	for (a = 0; a < nattrs; a++) {
		const fa_model_best *best = NULL;
		if (L->r->model_best && !L->view && !L->period && a < L->r->nattrs)
			best = &L->r->model_best[a];
		for (g = 0; g < attrs[a].ngroups; g++)
			put_group(L, a, &attrs[a], g);
		for (k = 0; k < FA_M__COUNT; k++)
			put_gap(L, &attrs[a], k, best);
		for (k = 0; k < FA_S__COUNT; k++)
			put_summary(L, &attrs[a], k, best);
	}
}

static void put_diff_open(jl *L, const char *kind, const fa_model_diff *d)
{
	line_open_data(L, kind);
	jw_key(&L->w, "a");
	jw_str(&L->w, L->r->models[d->a].name);
	jw_key(&L->w, "b");
	jw_str(&L->w, L->r->models[d->b].name);
}

/* A difference of two models, b - a, named "b-a" in the model key. */
static void put_model_diff(jl *L, const fa_model_diff *d)
{
	const fa_result *r = L->r;
	jw *w = &L->w;
	size_t a, g;
	int k;

	put_diff_open(L, "overall_diff", d);
	put_metric_map(w, "metrics", d->overall, 0, 0);
	line_close(L);
	for (a = 0; a < d->nattrs && a < r->nattrs; a++) {
		const fa_model_attr_diff *ad = &d->attrs[a];
		const fa_attr_result *A = &r->attrs[a];
		for (g = 0; g < ad->ngroups && g < A->ngroups; g++) {
			int withheld = A->groups[g].status == FA_GROUP_SUPPRESSED;
			put_diff_open(L, "group_diff", d);
			jw_key(w, "attribute");
			jw_str(w, A->name);
			jw_key(w, "group");
			jw_str(w, A->groups[g].value);
			jw_key(w, "status");
			jw_str(w, fa_group_status_name(A->groups[g].status));
			jw_key(w, "suppressed");
			jw_bool(w, withheld);
			put_metric_map(w, "metrics", ad->groups + g * FA_M__COUNT, withheld, 0);
			line_close(L);
		}
		for (k = 0; k < FA_M__COUNT; k++) {
			const fa_gap_diff *gd = &ad->gaps[k];
			put_diff_open(L, "gap_diff", d);
			jw_key(w, "attribute");
			jw_str(w, A->name);
			jw_key(w, "metric");
			jw_str(w, fa_metric_name((fa_metric)k));
			put_est(w, "gap", &gd->gap, 0);
			put_est(w, "ratio", &gd->ratio, 0);
			put_est(w, "min", &gd->min, 0);
			put_est(w, "max", &gd->max, 0);
			line_close(L);
		}
		for (k = 0; k < FA_S__COUNT; k++) {
			put_diff_open(L, "summary_diff", d);
			jw_key(w, "attribute");
			jw_str(w, A->name);
			jw_key(w, "summary");
			jw_str(w, fa_summary_name((fa_summary)k));
			put_est_members(w, &ad->summary[k], 0, 0);
			line_close(L);
		}
	}
}

static const char *outcome_name(fa_gate_outcome o)
{
	switch (o) {
	case FA_GATE_PASS: return "pass";
	case FA_GATE_FAIL: return "fail";
	case FA_GATE_INCONCLUSIVE: return "inconclusive";
	}
	return "inconclusive";
}

static void put_gate(jl *L, const fa_gate_result *g)
{
	jw *w = &L->w;
	size_t i;

	line_open(L, "gate");
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
		put_est(w, "value", &c->value, 0);
		jw_key(w, "outcome");
		jw_str(w, outcome_name(c->outcome));
		jw_key(w, "note");
		jw_str_or_null(w, c->note);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	line_close(L);
}

static void put_string_list(jw *w, const char *key, char *const *s, size_t n)
{
	size_t i;

	jw_key(w, key);
	jw_open(w, '[', 0);
	for (i = 0; i < n; i++) {
		jw_item(w);
		jw_str(w, s[i] ? s[i] : "");
	}
	jw_close(w, ']');
}

/* A period's own line: its calendar span and records, whether it was
 * audited and why not. */
static void put_period(jl *L, const fa_period *p)
{
	jw *w = &L->w;

	line_open(L, "period");
	jw_key(w, "label");
	jw_str(w, p->label ? p->label : "");
	jw_key(w, "first_day");
	jw_str(w, p->first_day ? p->first_day : "");
	jw_key(w, "last_day");
	jw_str(w, p->last_day ? p->last_day : "");
	jw_key(w, "n");
	jw_size(w, p->n);
	jw_key(w, "positives");
	jw_size(w, p->n_pos);
	jw_key(w, "negatives");
	jw_size(w, p->n_neg);
	jw_key(w, "status");
	jw_str(w, p->insufficient ? "insufficient" : "ok");
	jw_key(w, "reason");
	if (p->insufficient)
		jw_str(w, p->reason ? p->reason : "insufficient");
	else
		jw_null(w);
	line_close(L);
}

/* The first line: where the numbers come from and how they were made. */
static void put_run(jl *L)
{
	const fa_result *r = L->r;
	const fa_settings *s = &r->settings;
	jw *w = &L->w;
	size_t i;

	line_open(L, "run");
	jw_key(w, "report_schema_version");
	jw_str(w, FA_REPORT_SCHEMA_VERSION);
	jw_key(w, "tool");
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, "fairaudit");
	jw_key(w, "version");
	jw_str(w, r->tool_version ? r->tool_version : "");
	jw_close(w, '}');
	jw_key(w, "command_line");
	jw_str_or_null(w, r->command_line);
	jw_key(w, "inputs");
	jw_input_files(w, r->files, r->nfiles);
	jw_key(w, "rows_read");
	jw_size(w, r->rows_read);
	jw_key(w, "rows_used");
	jw_size(w, r->rows_used);
	jw_key(w, "rows_dropped");
	jw_size(w, r->rows_dropped);
	jw_key(w, "settings");
	jw_open(w, '{', 0);
	jw_settings_head(w, s);
	jw_settings_methods(w, s);
	jw_key(w, "gate_on");
	jw_str_or_null(w, s->gate_on);
	jw_key(w, "period_column");
	jw_str_or_null(w, s->period_column);
	jw_key(w, "period_every");
	jw_str_or_null(w, s->period_column ? s->period_every : NULL);
	jw_key(w, "min_period_n");
	if (s->period_column)
		jw_size(w, s->min_period_n);
	else
		jw_null(w);
	jw_close(w, '}');
	jw_key(w, "models");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nmodels; i++) {
		jw_item(w);
		jw_str(w, r->models[i].name ? r->models[i].name : "");
	}
	jw_close(w, ']');
	jw_key(w, "attributes");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nattrs; i++) {
		jw_item(w);
		jw_str(w, r->attrs[i].name);
	}
	jw_close(w, ']');
	jw_key(w, "operating_points");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nviews; i++) {
		jw_item(w);
		jw_str(w, r->views[i].name ? r->views[i].name : "");
	}
	jw_close(w, ']');
	put_string_list(w, "warnings", r->warnings, r->nwarnings);
	jw_key(w, "verdict");
	jw_str(w, outcome_name(r->verdict));
	line_close(L);
}

int fa_report_jsonl(fa_buf *out, const fa_result *r)
{
	jl L;
	fa_estimate thr;
	size_t k;

	memset(&L, 0, sizeof(L));
	L.w.b = out;
	L.w.compact = 1;
	L.r = r;
	L.model = r->nmodels ? r->models[0].name : NULL;
	L.model_index = r->nmodels ? 0 : -1;
	put_run(&L);

	/* the main result (the first model's), then its operating points */
	memset(&thr, 0, sizeof(thr));
	thr.value = r->settings.pred_column ? NAN : r->settings.threshold;
	thr.reason = r->settings.pred_column ? R_PRED : NULL;
	thr.p_value = thr.p_adjusted = NAN;
	put_result(&L, &r->overall, &thr, r->attrs, r->nattrs);
	for (k = 0; k < r->nviews; k++) {
		const fa_view *v = &r->views[k];
		L.view = v->name ? v->name : "";
		put_result(&L, &v->overall, &v->threshold, v->attrs, v->nattrs);
	}
	L.view = NULL;

	for (k = 1; k < r->nmodels; k++) {
		const fa_model *m = &r->models[k];
		L.model = m->name;
		L.model_index = (long)k;
		put_result(&L, &m->overall, &thr, m->attrs, m->nattrs);
	}
	L.model_index = -1;
	for (k = 0; k < r->nmodel_diffs; k++) {
		const fa_model_diff *d = &r->model_diffs[k];
		fa_buf name = FA_BUF_INIT;
		if (d->a >= r->nmodels || d->b >= r->nmodels)
			continue;
		fa_buf_printf(&name, "%s-%s", r->models[d->b].name, r->models[d->a].name);
		L.model = name.ptr;
		put_model_diff(&L, d);
		fa_buf_free(&name);
	}
	/* every period, then an audited one's lines: the main result's
	 * model, at no operating point */
	L.model = r->nmodels ? r->models[0].name : NULL;
	L.model_index = -1;
	for (k = 0; k < r->nperiods; k++) {
		const fa_period *p = &r->periods[k];
		put_period(&L, p);
		if (p->insufficient)
			continue;
		L.period = p;
		put_result(&L, &p->overall, &thr, p->attrs, p->nattrs);
		L.period = NULL;
	}
	for (k = 0; k < r->ngates; k++)
		put_gate(&L, &r->gates[k]);
	return 0;
}
