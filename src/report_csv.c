/*
 * report_csv.c: the tidy CSV report, one row per (attribute, group,
 * quantity), for R, pandas and spreadsheets (columns in
 * docs/report-schema.md).
 *
 * Fields are quoted by RFC 4180 when they hold a comma, a double quote,
 * CR or LF. Numbers are written so they read back to the same double, and
 * an undefined value is an empty field, which R and pandas read as NA.
 * Rows of an operating point carry its name in the last column, which is
 * empty for the main result, so one filter on that column gives either.
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
} csvw;

/* attribute,group,metric,value,ci_low,ci_high,n,status,
 * aci_low,aci_high,p_value,p_adjusted,operating_point */
static void row_p(const csvw *w, const char *attr, const char *group, const char *metric,
		  const char *suffix, const fa_estimate *e, const fa_group_result *g,
		  const double *p, const double *padj)
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
	tests(b, e, p, padj);
	fa_buf_putc(b, ',');
	field(b, w->view);
	fa_buf_putc(b, '\n');
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
			row_p(w, A->name, "(all)", name, gap_suffix[q], es[q], NULL,
			      q == 0 ? &gp->perm_p : NULL, q == 0 ? &gp->perm_p_adjusted : NULL);
		row(w, A->name, "(all)", name, "_gap_corrected", &gp->gap_corrected, NULL);
		row_p(w, A->name, "(all)", name, "_chisq", &cs, NULL, &gp->chisq_p,
		      &gp->chisq_p_adjusted);
	}
	for (q = 0; q < FA_S__COUNT; q++)
		row(w, A->name, "(all)", fa_summary_name((fa_summary)q), "", &A->summary[q], NULL);
}

int fa_report_csv(fa_buf *out, const fa_result *r)
{
	csvw w;
	size_t a, v;
	int m;

	w.b = out;
	w.view = "";
	fa_buf_puts(out, "attribute,group,metric,value,ci_low,ci_high,n,status,"
			 "aci_low,aci_high,p_value,p_adjusted,operating_point\n");
	for (m = 0; m < FA_M__COUNT; m++)
		row(&w, "overall", "overall", fa_metric_name((fa_metric)m), "",
		    &r->overall.metrics[m], &r->overall);
	for (a = 0; a < r->nattrs; a++)
		attr_rows(&w, r, &r->attrs[a]);
	for (v = 0; v < r->nviews; v++) {
		const fa_view *V = &r->views[v];
		w.view = V->name ? V->name : "";
		row(&w, "overall", "overall", "threshold", "", &V->threshold, &V->overall);
		for (m = 0; m < FA_M__COUNT; m++)
			row(&w, "overall", "overall", fa_metric_name((fa_metric)m), "",
			    &V->overall.metrics[m], &V->overall);
		for (a = 0; a < V->nattrs; a++)
			attr_rows(&w, r, &V->attrs[a]);
	}
	return 0;
}
