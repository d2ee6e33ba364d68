/*
 * report_csv.c: the tidy CSV report, one row per (attribute, group,
 * quantity), for R, pandas and spreadsheets (columns in
 * docs/report-schema.md).
 *
 * Fields are quoted by RFC 4180 when they hold a comma, a double quote,
 * CR or LF. Numbers are written so they read back to the same double, and
 * an undefined value is an empty field, which R and pandas read as NA.
 * Rows of an operating point carry its name in the operating_point
 * column, which is empty for the main result, so one filter on that column
 * gives either. A report of several models (--model) has one more column,
 * model, last: each model's rows carry its name (the main result's rows,
 * and the operating points', the first model's), the rows of a difference
 * of two models its name "b-a", and the status of a model's gap and summary
 * rows says "best" where that model is the best one. A report of periods
 * (--period) has one more column, period, last: empty on the rows of the
 * whole data, the period's label on each period's rows, which follow.
 */
#include "fairaudit/report.h"

#include <math.h>
#include <string.h>

static void field(fa_buf *b, const char *s)
{
	const char *p;

	if (!strpbrk(s, ",\"\r\n")) {
		fa_buf_puts(b, s);
		return;
	}
	fa_buf_putc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			fa_buf_putc(b, '"');
		fa_buf_putc(b, *p);
	}
	fa_buf_putc(b, '"');
}

static void num(fa_buf *b, double x)
{
	if (isfinite(x))
		fa_buf_put_double(b, x);
}

/* value,ci_low,ci_high of one row; NULL `e` leaves them empty. */
static void numbers(fa_buf *b, const fa_estimate *e)
{
	int defined = e && isfinite(e->value);

	if (defined)
		num(b, e->value);
	fa_buf_putc(b, ',');
	if (defined && e->has_ci) {
		num(b, e->ci_low);
		fa_buf_putc(b, ',');
		num(b, e->ci_high);
	} else {
		fa_buf_putc(b, ',');
	}
}

/* aci_low,aci_high,p_value,p_adjusted. `p` and `padj`, when not NULL,
 * replace the estimate's p-values: a gap's row carries its permutation
 * test, a chi-square row its test. */
static void tests(fa_buf *b, const fa_estimate *e, const double *p, const double *padj)
{
	int defined = e && isfinite(e->value);

	fa_buf_putc(b, ',');
	if (defined && e->has_aci) {
		num(b, e->aci_low);
		fa_buf_putc(b, ',');
		num(b, e->aci_high);
	} else {
		fa_buf_putc(b, ',');
	}
	fa_buf_putc(b, ',');
	if (e)
		num(b, p ? *p : e->p_value);
	fa_buf_putc(b, ',');
	if (e)
		num(b, padj ? *padj : e->p_adjusted);
}

/* Where rows go, and the operating point they belong to ("" for the main
 * result). */
typedef struct csvw {
	fa_buf *b;
	const char *view;
	const char *model;   /* the model column, or NULL when there is none */
	int in_model;        /* a model's own rows: no power or representation */
	const fa_model_best *best; /* the attribute's best models, or NULL */
	long model_index;    /* the model the rows belong to, -1 for a difference */
	const char *period;  /* the period column, or NULL when there is none */
} csvw;

/* "best" when the model of `w` is the best for that gap or summary. */
static const char *best_status(const csvw *w, long best)
{
	return w->best && w->model_index >= 0 && best == w->model_index ? "best" : NULL;
}

/* attribute,group,metric,value,ci_low,ci_high,n,status,
 * aci_low,aci_high,p_value,p_adjusted,operating_point[,model]; `status`,
 * when not NULL, fills the status of a row without a group */
static void row_ps(const csvw *w, const char *attr, const char *group, const char *metric,
		   const char *suffix, const fa_estimate *e, const fa_group_result *g,
		   const double *p, const double *padj, const char *status)
{
	fa_buf *b = w->b;

	field(b, attr);
	fa_buf_putc(b, ',');
	field(b, group);
	fa_buf_putc(b, ',');
	fa_buf_puts(b, metric);
	fa_buf_puts(b, suffix);
	fa_buf_putc(b, ',');
	numbers(b, e);
	fa_buf_putc(b, ',');
	if (g && g->status != FA_GROUP_SUPPRESSED)
		fa_buf_printf(b, "%zu", g->n);
	fa_buf_putc(b, ',');
	if (g)
		fa_buf_puts(b, fa_group_status_name(g->status));
	else if (status)
		fa_buf_puts(b, status);
	tests(b, e, p, padj);
	fa_buf_putc(b, ',');
	field(b, w->view);
	if (w->model) {
		fa_buf_putc(b, ',');
		field(b, w->model);
	}
	if (w->period) {
		fa_buf_putc(b, ',');
		field(b, w->period);
	}
	fa_buf_putc(b, '\n');
}

static void row_p(const csvw *w, const char *attr, const char *group, const char *metric,
		  const char *suffix, const fa_estimate *e, const fa_group_result *g,
		  const double *p, const double *padj)
{
	row_ps(w, attr, group, metric, suffix, e, g, p, padj, NULL);
}

static void row(const csvw *w, const char *attr, const char *group, const char *metric,
		const char *suffix, const fa_estimate *e, const fa_group_result *g)
{
	row_p(w, attr, group, metric, suffix, e, g, NULL, NULL);
}

/* A number as an estimate without interval (NaN: empty). */
static fa_estimate plain(double x)
{
	fa_estimate e;
	memset(&e, 0, sizeof(e));
	e.value = x;
	e.p_value = e.p_adjusted = NAN;
	return e;
}

/* The rows of one attribute. In an operating point (w->view not empty) a
 * group has its metrics, its differences and ratios to the reference and
 * its own threshold; score leakage, power and representation do not depend
 * on the threshold and are in the main result's rows only. */
static void attr_rows(const csvw *w, const fa_result *r, const fa_attr_result *A)
{
	static const char *const gap_suffix[4] = {"_gap", "_gap_ratio", "_min", "_max"};
	int in_view = w->view[0] != '\0', m, q;
	size_t i;

	for (i = 0; i < A->ngroups; i++) {
		const fa_group_result *g = &A->groups[i];
		/* a suppressed group keeps its rows, all of them empty */
		int wh = g->status == FA_GROUP_SUPPRESSED;
		for (m = 0; m < FA_M__COUNT; m++)
			row(w, A->name, g->value, fa_metric_name((fa_metric)m), "",
			    wh ? NULL : &g->metrics[m], g);
		for (m = 0; m < FA_M__COUNT; m++) {
			row(w, A->name, g->value, fa_metric_name((fa_metric)m), "_diff",
			    wh ? NULL : &g->diff[m], g);
			row(w, A->name, g->value, fa_metric_name((fa_metric)m), "_ratio",
			    wh ? NULL : &g->ratio[m], g);
		}
		if (in_view) {
			fa_estimate own = plain(g->own_threshold);
			row(w, A->name, g->value, "own_threshold", "", wh ? NULL : &own, g);
			continue;
		}
		row(w, A->name, g->value, "leakage_negatives", "", wh ? NULL : &g->leakage[0], g);
		row(w, A->name, g->value, "leakage_positives", "", wh ? NULL : &g->leakage[1], g);
		if (w->in_model)
			continue;
		if (r->settings.power_annotated)
			for (m = 0; m < FA_M__COUNT; m++)
				row(w, A->name, g->value, fa_metric_name((fa_metric)m), "_mdd",
				    wh ? NULL : &g->mdd[m], g);
		if (r->settings.population) {
			fa_estimate ps = plain(g->representation.population_share);
			row(w, A->name, g->value, "audit_share", "",
			    wh ? NULL : &g->representation.audit_share, g);
			row(w, A->name, g->value, "population_share", "", &ps, g);
			row(w, A->name, g->value, "representation_ratio", "",
			    wh ? NULL : &g->representation.ratio, g);
		}
	}
	for (m = 0; m < FA_M__COUNT; m++) {
		const fa_gap *gp = &A->gaps[m];
		const fa_estimate *es[4] = {&gp->gap, &gp->ratio, &gp->min, &gp->max};
		const char *name = fa_metric_name((fa_metric)m);
		fa_estimate cs = plain(gp->chisq);
		for (q = 0; q < 4; q++)
			row_ps(w, A->name, "(all)", name, gap_suffix[q], es[q], NULL,
			       q == 0 ? &gp->perm_p : NULL, q == 0 ? &gp->perm_p_adjusted : NULL,
			       q == 0 && w->best ? best_status(w, w->best->gap[m]) : NULL);
		row(w, A->name, "(all)", name, "_gap_corrected", &gp->gap_corrected, NULL);
		row(w, A->name, "(all)", name, "_gap_simultaneous", &gp->gap_simultaneous, NULL);
		row_p(w, A->name, "(all)", name, "_chisq", &cs, NULL, &gp->chisq_p,
		      &gp->chisq_p_adjusted);
	}
	for (q = 0; q < FA_S__COUNT; q++)
		row_ps(w, A->name, "(all)", fa_summary_name((fa_summary)q), "", &A->summary[q], NULL,
		       NULL, NULL, w->best ? best_status(w, w->best->summary[q]) : NULL);
}

/* The rows of a difference of two models, named "b-a" in the model column:
 * per attribute each group's metrics, each gap and each summary, with
 * their paired intervals. */
static void diff_rows(csvw *w, const fa_result *r, const fa_model_diff *d)
{
	static const char *const gap_suffix[4] = {"_gap", "_gap_ratio", "_min", "_max"};
	size_t a, g;
	int m, q;

	for (m = 0; m < FA_M__COUNT; m++)
		row(w, "overall", "overall", fa_metric_name((fa_metric)m), "", &d->overall[m],
		    &r->overall);
	for (a = 0; a < d->nattrs && a < r->nattrs; a++) {
		const fa_attr_result *A = &r->attrs[a];
		const fa_model_attr_diff *ad = &d->attrs[a];
		for (g = 0; g < ad->ngroups && g < A->ngroups; g++) {
			const fa_group_result *gr = &A->groups[g];
			int wh = gr->status == FA_GROUP_SUPPRESSED;
			for (m = 0; m < FA_M__COUNT; m++)
				row(w, A->name, gr->value, fa_metric_name((fa_metric)m), "",
				    wh ? NULL : &ad->groups[g * FA_M__COUNT + (size_t)m], gr);
		}
		for (m = 0; m < FA_M__COUNT; m++) {
			const fa_gap_diff *gd = &ad->gaps[m];
			const fa_estimate *es[4] = {&gd->gap, &gd->ratio, &gd->min, &gd->max};
			for (q = 0; q < 4; q++)
				row(w, A->name, "(all)", fa_metric_name((fa_metric)m),
				    gap_suffix[q], es[q], NULL);
		}
		for (q = 0; q < FA_S__COUNT; q++)
			row(w, A->name, "(all)", fa_summary_name((fa_summary)q), "",
			    &ad->summary[q], NULL);
	}
}

/* Every attribute's rows, each with its best models when there are any. */
static void attrs_rows(csvw *w, const fa_result *r, const fa_attr_result *attrs, size_t n)
{
	size_t a;

	for (a = 0; a < n; a++) {
		w->best = r->model_best && !w->view[0] && a < r->nattrs ? &r->model_best[a] : NULL;
		attr_rows(w, r, &attrs[a]);
	}
	w->best = NULL;
}

/* The rows of every period, its label in the period column: the whole
 * population's metrics (n and status those of the period; empty values
 * for an insufficient one), then per attribute each group's metrics, the
 * gaps and the summaries. */
static void period_rows(csvw *w, const fa_result *r)
{
	static const char *const gap_suffix[5] = {"_gap", "_gap_ratio", "_min", "_max",
						  "_gap_simultaneous"};
	size_t i, a, g;
	int m, q;

	for (i = 0; i < r->nperiods; i++) {
		const fa_period *p = &r->periods[i];
		fa_group_result whole = p->overall;
		whole.n = p->n;
		whole.status = p->insufficient ? FA_GROUP_INSUFFICIENT : FA_GROUP_OK;
		w->period = p->label;
		for (m = 0; m < FA_M__COUNT; m++)
			row(w, "overall", "overall", fa_metric_name((fa_metric)m), "",
			    p->insufficient ? NULL : &p->overall.metrics[m], &whole);
		for (a = 0; a < p->nattrs; a++) {
			const fa_attr_result *A = &p->attrs[a];
			for (g = 0; g < A->ngroups; g++) {
				const fa_group_result *G = &A->groups[g];
				int wh = G->status == FA_GROUP_SUPPRESSED;
				for (m = 0; m < FA_M__COUNT; m++)
					row(w, A->name, G->value, fa_metric_name((fa_metric)m), "",
					    wh ? NULL : &G->metrics[m], G);
			}
			for (m = 0; m < FA_M__COUNT; m++) {
				const fa_gap *gp = &A->gaps[m];
				const fa_estimate *es[5] = {&gp->gap, &gp->ratio, &gp->min, &gp->max,
							    &gp->gap_simultaneous};
				for (q = 0; q < 5; q++)
					row(w, A->name, "(all)", fa_metric_name((fa_metric)m),
					    gap_suffix[q], es[q], NULL);
			}
			for (q = 0; q < FA_S__COUNT; q++)
				row(w, A->name, "(all)", fa_summary_name((fa_summary)q), "",
				    &A->summary[q], NULL);
		}
	}
}

int fa_report_csv(fa_buf *out, const fa_result *r)
{
	csvw w;
	size_t v, k;
	int m;

	memset(&w, 0, sizeof(w));
	w.b = out;
	w.view = "";
	w.model = r->nmodels ? r->models[0].name : NULL;
	w.model_index = 0;
	fa_buf_puts(out, "attribute,group,metric,value,ci_low,ci_high,n,status,"
			 "aci_low,aci_high,p_value,p_adjusted,operating_point");
	fa_buf_puts(out, r->nmodels ? ",model" : "");
	fa_buf_puts(out, r->settings.period_column ? ",period\n" : "\n");
	w.period = r->settings.period_column ? "" : NULL;
	for (m = 0; m < FA_M__COUNT; m++)
		row(&w, "overall", "overall", fa_metric_name((fa_metric)m), "",
		    &r->overall.metrics[m], &r->overall);
	attrs_rows(&w, r, r->attrs, r->nattrs);
	for (v = 0; v < r->nviews; v++) {
		const fa_view *V = &r->views[v];
		w.view = V->name ? V->name : "";
		row(&w, "overall", "overall", "threshold", "", &V->threshold, &V->overall);
		for (m = 0; m < FA_M__COUNT; m++)
			row(&w, "overall", "overall", fa_metric_name((fa_metric)m), "",
			    &V->overall.metrics[m], &V->overall);
		attrs_rows(&w, r, V->attrs, V->nattrs);
	}
	/* the other models, then the differences */
	w.view = "";
	w.in_model = 1;
	for (k = 1; k < r->nmodels; k++) {
		const fa_model *M = &r->models[k];
		w.model = M->name;
		w.model_index = (long)k;
		for (m = 0; m < FA_M__COUNT; m++)
			row(&w, "overall", "overall", fa_metric_name((fa_metric)m), "",
			    &M->overall.metrics[m], &M->overall);
		attrs_rows(&w, r, M->attrs, M->nattrs);
	}
	w.model_index = -1;
	for (k = 0; k < r->nmodel_diffs; k++) {
		const fa_model_diff *d = &r->model_diffs[k];
		fa_buf name = FA_BUF_INIT;
		if (d->a >= r->nmodels || d->b >= r->nmodels)
			continue;
		fa_buf_printf(&name, "%s-%s", r->models[d->b].name, r->models[d->a].name);
		w.model = name.ptr;
		diff_rows(&w, r, d);
		fa_buf_free(&name);
	}
	/* the periods are the first model's */
	w.model = r->nmodels ? r->models[0].name : NULL;
	w.model_index = 0;
	w.in_model = 0;
	if (w.period)
		period_rows(&w, r);
	return 0;
}
