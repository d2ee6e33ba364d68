/*
 * report_csv.c: the tidy CSV report, one row per (attribute, group,
 * quantity), for R, pandas and spreadsheets (columns in
 * docs/report-schema.md).
 *
 * Fields are quoted by RFC 4180 when they hold a comma, a double quote,
 * CR or LF. Numbers are written so they read back to the same double, and
 * an undefined value is an empty field, which R and pandas read as NA.
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

/* attribute,group,metric,value,ci_low,ci_high,n,status */
static void row(fa_buf *b, const char *attr, const char *group, const char *metric,
		const char *suffix, const fa_estimate *e, const fa_group_result *g)
{
	field(b, attr);
	fa_buf_putc(b, ',');
	field(b, group);
	fa_buf_putc(b, ',');
	fa_buf_puts(b, metric);
	fa_buf_puts(b, suffix);
	fa_buf_putc(b, ',');
	if (e) {
		num(b, e->value);
		fa_buf_putc(b, ',');
		if (e->has_ci && isfinite(e->value)) {
			num(b, e->ci_low);
			fa_buf_putc(b, ',');
			num(b, e->ci_high);
		} else {
			fa_buf_putc(b, ',');
		}
	} else {
		fa_buf_puts(b, ",,");
	}
	fa_buf_putc(b, ',');
	if (g && g->status != FA_GROUP_SUPPRESSED)
		fa_buf_printf(b, "%zu", g->n);
	fa_buf_putc(b, ',');
	if (g)
		fa_buf_puts(b, fa_group_status_name(g->status));
	fa_buf_putc(b, '\n');
}

int fa_report_csv(fa_buf *out, const fa_result *r)
{
	static const char *const gap_suffix[4] = {"_gap", "_gap_ratio", "_min", "_max"};
	size_t a, i;
	int m, q;

	fa_buf_puts(out, "attribute,group,metric,value,ci_low,ci_high,n,status\n");
	for (m = 0; m < FA_M__COUNT; m++)
		row(out, "overall", "overall", fa_metric_name((fa_metric)m), "",
		    &r->overall.metrics[m], &r->overall);
	for (a = 0; a < r->nattrs; a++) {
		const fa_attr_result *A = &r->attrs[a];
		for (i = 0; i < A->ngroups; i++) {
			const fa_group_result *g = &A->groups[i];
			/* a suppressed group keeps its rows, all of them empty */
			int wh = g->status == FA_GROUP_SUPPRESSED;
			for (m = 0; m < FA_M__COUNT; m++)
				row(out, A->name, g->value, fa_metric_name((fa_metric)m), "",
				    wh ? NULL : &g->metrics[m], g);
			for (m = 0; m < FA_M__COUNT; m++) {
				row(out, A->name, g->value, fa_metric_name((fa_metric)m), "_diff",
				    wh ? NULL : &g->diff[m], g);
				row(out, A->name, g->value, fa_metric_name((fa_metric)m), "_ratio",
				    wh ? NULL : &g->ratio[m], g);
			}
		}
		for (m = 0; m < FA_M__COUNT; m++) {
			const fa_gap *gp = &A->gaps[m];
			const fa_estimate *es[4] = {&gp->gap, &gp->ratio, &gp->min, &gp->max};
			for (q = 0; q < 4; q++)
				row(out, A->name, "(all)", fa_metric_name((fa_metric)m), gap_suffix[q],
				    es[q], NULL);
		}
		for (q = 0; q < FA_S__COUNT; q++)
			row(out, A->name, "(all)", fa_summary_name((fa_summary)q), "", &A->summary[q],
			    NULL);
	}
	return 0;
}
