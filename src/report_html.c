/*
 * report_html.c: the HTML report, one self-contained page.
 *
 * The page is XHTML served as HTML: it parses as XML (every tag closed,
 * every attribute quoted, all text from the data escaped through
 * fa_svg_escape), carries its CSS and SVG inline, and needs no network, no
 * font and no script; a few lines of script only make tables sortable.
 *
 * Order: the verdict and the gates, what was audited, an overview of the
 * gaps of every attribute, the models side by side when there are several
 * (--model: every gap per model and the paired differences), then per
 * attribute a forest plot, ROC curves, calibration plots, a representation
 * chart, a score-attribute leakage chart and the tables; then per
 * operating point a forest plot of every attribute at its threshold, each
 * group's own threshold and the tables. Charts draw only aggregates of
 * groups that are not suppressed, so the page grows with groups and never
 * with records.
 */
#include "fairaudit/report.h"

#include "report_html_data.h"
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_H 22.0 /* a group's row in the forest and representation charts */
#define MAX_PANELS 6
#define PANEL_W 255.0 /* one metric's panel in the forest and overview charts */
#define MAX_LIMITS 64
#define LABEL_CHARS 26 /* group names longer than this are cut in charts */

/* Okabe-Ito, reordered so the first colours are the most distinct on white;
 * yellow comes last because it is faint. */
static const char *const palette[] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))
#define GREY "#8c8c8c"
#define C_FAIL "#D55E00"
#define C_PASS "#009E73"
#define C_INCONCLUSIVE "#B07800"
#define C_NEUTRAL "#555555"

typedef struct html {
	fa_buf *b;
	const fa_result *r;
	const fa_html_curves *curves;
	int fig; /* numbers the ids of chart definitions (patterns) */
} html;

/* A gate limit as it is drawn on a metric's axis: the allowed region
 * [lo, hi] (an open side is infinite; NaN when it cannot be placed). */
typedef struct limit {
	int metric;
	double lo, hi;
	int on_gap; /* it bounds the spread of the groups, not each group */
	long group; /* the one group a gate names (race=Black:auc), or -1 */
	fa_gate_outcome outcome;
	char label[160];
} limit;

static const char *const metric_title[FA_M__COUNT] = {
    "Prevalence",
    "Accuracy",
    "Balanced accuracy",
    "TPR (sensitivity)",
    "FNR (miss rate)",
    "TNR (specificity)",
    "FPR (1 \xE2\x88\x92 specificity)",
    "PPV (precision)",
    "NPV",
    "F1 score",
    "Selection rate",
    "AUC",
    "Brier score",
    "ECE (calibration error)",
};

static const char *const metric_short[FA_M__COUNT] = {
    "Prev.", "Acc.", "Bal. acc.", "TPR",       "FNR", "TNR",   "FPR",
    "PPV",   "NPV",  "F1",        "Sel. rate", "AUC", "Brier", "ECE",
};

static const char *const metric_axis[FA_M__COUNT] = {
    "proportion positive",
    "proportion correct",
    "mean of TPR and TNR",
    "proportion of positives detected",
    "proportion of positives missed",
    "proportion of negatives cleared",
    "proportion of negatives flagged",
    "proportion of flagged that are positive",
    "proportion of cleared that are negative",
    "harmonic mean of PPV and TPR",
    "proportion flagged",
    "probability of ranking a positive higher",
    "mean squared error of the score",
    "mean |observed \xE2\x88\x92 predicted|, 10 bins",
};

/* Metric columns of the two group tables, in reading order; two tables so
 * each fits a printed page. -1 ends a list. */
static const int table_metrics[2][10] = {
    {FA_M_PREVALENCE, FA_M_AUC, FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_NPV, -1},
    {FA_M_TNR, FA_M_FNR, FA_M_SELECTION_RATE, FA_M_F1, FA_M_ACCURACY, FA_M_BALANCED_ACCURACY,
     FA_M_BRIER, FA_M_ECE, -1},
};

static const char *const summary_title[FA_S__COUNT] = {
    "Equalized odds difference (largest of TPR and FPR gaps)",
    "Demographic parity difference (selection rate gap)",
    "Disparate impact (selection rate ratio, min / max)",
    "Worst-group AUC",
};

/* ---- small helpers ------------------------------------------------------ */

static void esc(fa_buf *b, const char *s)
{
	fa_svg_escape(b, s);
}

static const char *group_colour(size_t g)
{
	return palette[g % NPALETTE];
}

static int group_shape(size_t g)
{
	return (int)((g / NPALETTE) % 4);
}

static int outcome_rank(fa_gate_outcome o)
{
	return o == FA_GATE_FAIL ? 2 : o == FA_GATE_INCONCLUSIVE ? 1 : 0;
}

static const char *outcome_word(fa_gate_outcome o)
{
	return o == FA_GATE_FAIL ? "FAIL" : o == FA_GATE_INCONCLUSIVE ? "INCONCLUSIVE" : "PASS";
}

static const char *outcome_class(fa_gate_outcome o)
{
	return o == FA_GATE_FAIL ? "fail" : o == FA_GATE_INCONCLUSIVE ? "inconclusive" : "pass";
}

static const char *outcome_symbol(fa_gate_outcome o)
{
	return o == FA_GATE_FAIL           ? "\xE2\x9C\x97"
	       : o == FA_GATE_INCONCLUSIVE ? "?"
	                                   : "\xE2\x9C\x93";
}

static const char *outcome_colour(fa_gate_outcome o)
{
	return o == FA_GATE_FAIL ? C_FAIL : o == FA_GATE_INCONCLUSIVE ? C_INCONCLUSIVE : C_PASS;
}

static const char *op_symbol(const char *op)
{
	if (!op)
		return "?";
	if (strcmp(op, "<=") == 0)
		return "\xE2\x89\xA4";
	if (strcmp(op, ">=") == 0)
		return "\xE2\x89\xA5";
	return op;
}

static void fmt3(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "\xE2\x80\x94");
	else
		snprintf(out, n, "%.3f", v);
}

static void put3(fa_buf *b, double v)
{
	char t[40];
	fmt3(t, sizeof(t), v);
	fa_buf_puts(b, t);
}

/* "0.821–0.869", or "-0.473 to -0.311" when an end is negative (a dash
 * between minus signs misreads), or "" without an interval */
static void fmt_ci(char *out, size_t n, const fa_estimate *e)
{
	if (!e->has_ci || isnan(e->value))
		out[0] = '\0';
	else if (e->ci_low < 0 || e->ci_high < 0)
		snprintf(out, n, "%.3f to %.3f", e->ci_low, e->ci_high);
	else
		snprintf(out, n, "%.3f\xE2\x80\x93%.3f", e->ci_low, e->ci_high);
}

static double level_pct(const fa_result *r)
{
	return r->settings.ci_level * 100;
}

static int is_drawn(const fa_group_result *g)
{
	return g->status != FA_GROUP_SUPPRESSED;
}

static const fa_group_curves *group_curves(const html *h, size_t a, size_t g)
{
	const fa_html_curves *c = h->curves;
	if (!c)
		return &h->r->attrs[a].groups[g].curves;
	if (!c->attrs || a >= c->nattrs || !c->attrs[a])
		return NULL;
	return &c->attrs[a][g];
}

/* Pixels a label of `s` needs at 12px, roughly. */
static double text_width(const char *s, size_t cut)
{
	size_t n = fa_svg_strlen(s);
	if (cut && n > cut)
		n = cut;
	return 7.0 * (double)n;
}

/* ---- gate limits -------------------------------------------------------- */

/* Which group of attribute A the gate check `where` names: -1 the attribute
 * as a whole, a group index, or -2 when it is about something else. The
 * part after the last ':' (the quantity) goes to *what. */
static long where_in_attr(const fa_attr_result *A, const char *where, const char **what)
{
	const char *colon = where ? strrchr(where, ':') : NULL;
	size_t ln = strlen(A->name), len, g;

	if (!colon)
		return -2;
	len = (size_t)(colon - where);
	*what = colon + 1;
	if (strncmp(where, A->name, ln) != 0)
		return -2;
	if (len == ln)
		return -1;
	if (len > ln && where[ln] == '=') {
		const char *v = where + ln + 1;
		size_t vl = len - ln - 1;
		for (g = 0; g < A->ngroups; g++)
			if (strlen(A->groups[g].value) == vl &&
			    strncmp(A->groups[g].value, v, vl) == 0)
				return (long)g;
	}
	return -2;
}

/* A gate names one group when its attribute part has "=" (race=Black:auc);
 * in an operating point the part after the view ("spec=0.9:"). */
static int gate_names_group(const fa_gate_result *G, int in_view)
{
	const char *e = G->expr ? G->expr : "", *colon;
	size_t k;
	if (in_view && (colon = strchr(e, ':')) != NULL)
		e = colon + 1;
	k = strcspn(e, "<>");
	return memchr(e, '=', k) != NULL;
}

/* The part of check `where` after "view:" when it belongs to operating
 * point `view`; `where` itself for the main result (view NULL); NULL when
 * it belongs elsewhere. */
static const char *where_for(const char *where, const char *view)
{
	size_t n;
	if (!where || !view)
		return where;
	n = strlen(view);
	return strncmp(where, view, n) == 0 && where[n] == ':' ? where + n + 1 : NULL;
}

static void add_limit(limit *L, size_t *n, long only, int m, double lo, double hi, int on_gap,
                      fa_gate_outcome o, const char *label)
{
	size_t i;
	for (i = 0; i < *n; i++) {
		limit *x = &L[i];
		if (x->metric == m && x->on_gap == on_gap && x->group == only &&
		    strcmp(x->label, label) == 0 &&
		    ((x->lo == lo) || (isnan(x->lo) && isnan(lo))) &&
		    ((x->hi == hi) || (isnan(x->hi) && isnan(hi)))) {
			if (outcome_rank(o) > outcome_rank(x->outcome))
				x->outcome = o;
			return;
		}
	}
	if (*n >= MAX_LIMITS)
		return;
	L[*n].metric = m;
	L[*n].lo = lo;
	L[*n].hi = hi;
	L[*n].on_gap = on_gap;
	L[*n].group = only;
	L[*n].outcome = o;
	snprintf(L[*n].label, sizeof(L[*n].label), "%s", label);
	(*n)++;
}

/* The allowed window of a bound on the spread of metric m: anchored at the
 * best group (or the lowest, for metrics with no better direction) and
 * reaching as far from it as the gap or the ratio allows. Beyond the anchor
 * it is open: a group there would move the anchor, not break the gate. */
static void spread_window(const fa_attr_result *A, int m, int is_ratio, double lim, double *lo,
                          double *hi)
{
	double mn = A->gaps[m].min.value, mx = A->gaps[m].max.value;
	*lo = *hi = NAN;
	if (isnan(mn) || isnan(mx))
		return;
	if (fa_metric_direction((fa_metric)m) == 1) {
		*hi = INFINITY;
		*lo = is_ratio ? lim * mx : mx - lim;
	} else {
		*lo = -INFINITY;
		*hi = is_ratio ? (lim > 0 ? mn / lim : INFINITY) : mn + lim;
	}
}

/* Every gate check on attribute A (of operating point `view`, or of the
 * main result when it is NULL), as limits on metric axes. */
static size_t attr_limits(const fa_result *r, const fa_attr_result *A, const char *view, limit *L)
{
	size_t n = 0, gi, ci;

	for (gi = 0; gi < r->ngates; gi++) {
		const fa_gate_result *G = &r->gates[gi];
		int upper, lower, named = gate_names_group(G, view != NULL);
		char lim[40];

		if (!G->op)
			continue;
		upper = G->op[0] == '<';
		lower = G->op[0] == '>';
		if (!upper && !lower)
			continue;
		fa_format_double(lim, G->limit);
		for (ci = 0; ci < G->nchecks; ci++) {
			const fa_gate_check *C = &G->checks[ci];
			const char *what = NULL, *us, *cw = where_for(C->where, view);
			long g = cw ? where_in_attr(A, cw, &what) : -2, only;
			char label[160], base[64];
			int m, s;
			double lo = upper ? -INFINITY : G->limit, hi = upper ? G->limit : INFINITY;
			double ref = NAN;

			if (g < -1)
				continue;
			only = named && g >= 0 ? g : -1;
			if (named && g >= 0)
				snprintf(label, sizeof(label), "%s: %s %s %s", A->groups[g].value,
				         what, op_symbol(G->op), lim);
			else
				snprintf(label, sizeof(label), "%s %s %s", what, op_symbol(G->op),
				         lim);
			if ((m = fa_metric_find(what)) >= 0) {
				add_limit(L, &n, only, m, lo, hi, 0, C->outcome, label);
				continue;
			}
			if ((s = fa_summary_find(what)) >= 0) {
				double wl, wh;
				switch (s) {
				case FA_S_EQUALIZED_ODDS_DIFF:
					if (!upper)
						wl = wh = NAN;
					else
						spread_window(A, FA_M_TPR, 0, G->limit, &wl, &wh);
					add_limit(L, &n, only, FA_M_TPR, wl, wh, 1, C->outcome,
					          label);
					if (upper)
						spread_window(A, FA_M_FPR, 0, G->limit, &wl, &wh);
					add_limit(L, &n, only, FA_M_FPR, wl, wh, 1, C->outcome,
					          label);
					break;
				case FA_S_DEMOGRAPHIC_PARITY_DIFF:
					wl = wh = NAN;
					if (upper)
						spread_window(A, FA_M_SELECTION_RATE, 0, G->limit,
						              &wl, &wh);
					add_limit(L, &n, only, FA_M_SELECTION_RATE, wl, wh, 1,
					          C->outcome, label);
					break;
				case FA_S_DISPARATE_IMPACT:
					wl = wh = NAN;
					if (lower)
						spread_window(A, FA_M_SELECTION_RATE, 1, G->limit,
						              &wl, &wh);
					add_limit(L, &n, only, FA_M_SELECTION_RATE, wl, wh, 1,
					          C->outcome, label);
					break;
				case FA_S_WORST_GROUP_AUC:
					/* a floor on the minimum binds every group */
					add_limit(L, &n, only, FA_M_AUC, lower ? lo : NAN,
					          lower ? hi : NAN, 0, C->outcome, label);
					break;
				}
				continue;
			}
			us = strrchr(what, '_');
			if (!us || (size_t)(us - what) >= sizeof(base))
				continue;
			memcpy(base, what, (size_t)(us - what));
			base[us - what] = '\0';
			if ((m = fa_metric_find(base)) < 0)
				continue;
			if (A->reference >= 0)
				ref = A->groups[A->reference].metrics[m].value;
			/* A limit that only some group need meet (a floor on the
			 * maximum, a ceiling on the minimum, a floor on a gap) has no
			 * region to hatch: it is shown as a badge alone (NaN). */
			if (strcmp(us, "_gap") == 0 || strcmp(us, "_ratio") == 0) {
				int ratio = us[1] == 'r';
				double wl = NAN, wh = NAN;
				if (ratio ? lower : upper)
					spread_window(A, m, ratio, G->limit, &wl, &wh);
				add_limit(L, &n, only, m, wl, wh, 1, C->outcome, label);
			} else if (strcmp(us, "_diff") == 0) {
				double at = ref + G->limit;
				add_limit(L, &n, only, m, upper ? -INFINITY : at,
				          upper ? at : INFINITY, 0, C->outcome, label);
			} else if (strcmp(us, "_min") == 0 || strcmp(us, "_max") == 0) {
				int binds_all = us[2] == 'i' ? lower : upper;
				add_limit(L, &n, only, m, binds_all ? lo : NAN,
				          binds_all ? hi : NAN, 0, C->outcome, label);
			}
		}
	}
	return n;
}

/* The eligible groups at the two ends of metric m's gap (-1 when none). */
static void gap_ends(const fa_attr_result *A, int m, long *lo_g, long *hi_g)
{
	const fa_gap *gp = &A->gaps[m];
	size_t g;
	*lo_g = *hi_g = -1;
	if (isnan(gp->min.value) || isnan(gp->max.value))
		return;
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_result *G = &A->groups[g];
		if (G->status != FA_GROUP_OK)
			continue;
		if (*lo_g < 0 && G->metrics[m].value == gp->min.value)
			*lo_g = (long)g;
		if (*hi_g < 0 && G->metrics[m].value == gp->max.value)
			*hi_g = (long)g;
	}
}

/* Whether eligible group g's value of metric m lies where a failing gate
 * that concerns it forbids it. */
static int breaks_limit(const limit *L, size_t n, int m, const fa_attr_result *A, size_t g)
{
	const fa_group_result *G = &A->groups[g];
	double v = G->metrics[m].value;
	size_t i;
	if (G->status != FA_GROUP_OK || isnan(v))
		return 0;
	for (i = 0; i < n; i++)
		if (L[i].metric == m && L[i].outcome == FA_GATE_FAIL &&
		    (L[i].group < 0 || L[i].group == (long)g) && (v < L[i].lo || v > L[i].hi))
			return 1;
	return 0;
}

/* The worst outcome of the limits on the spread of metric m, or -1. */
static int gap_outcome(const limit *L, size_t n, int m)
{
	size_t i;
	int worst = -1;
	for (i = 0; i < n; i++)
		if (L[i].metric == m && L[i].on_gap &&
		    (worst < 0 ||
		     outcome_rank(L[i].outcome) > outcome_rank((fa_gate_outcome)worst)))
			worst = (int)L[i].outcome;
	return worst;
}

/* The metrics a chart shows: AUC, TPR and FPR, then any other metric a gate
 * limits. */
static int chart_metrics(const limit *L, size_t nl, int *ms)
{
	int n = 0, i;
	size_t k;
	ms[n++] = FA_M_AUC;
	ms[n++] = FA_M_TPR;
	ms[n++] = FA_M_FPR;
	for (k = 0; k < nl && n < MAX_PANELS; k++) {
		int have = 0;
		for (i = 0; i < n; i++)
			have |= ms[i] == L[k].metric;
		if (!have)
			ms[n++] = L[k].metric;
	}
	return n;
}

/* ---- axis extents ------------------------------------------------------- */

typedef struct extent {
	double lo, hi;
} extent;

static void ext_init(extent *e)
{
	e->lo = INFINITY;
	e->hi = -INFINITY;
}

static void ext_add(extent *e, double v)
{
	if (!isfinite(v))
		return;
	if (v < e->lo)
		e->lo = v;
	if (v > e->hi)
		e->hi = v;
}

/* Every value a metric panel of attribute A shows. Intervals of groups
 * left out of comparisons do not widen the axis; they are clipped. */
static void ext_attr(extent *e, const fa_group_result *overall, const fa_attr_result *A, int m,
                     const limit *L, size_t nl)
{
	size_t g, i;
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_result *G = &A->groups[g];
		if (!is_drawn(G))
			continue;
		ext_add(e, G->metrics[m].value);
		if (G->status == FA_GROUP_OK && G->metrics[m].has_ci) {
			ext_add(e, G->metrics[m].ci_low);
			ext_add(e, G->metrics[m].ci_high);
		}
	}
	ext_add(e, overall->metrics[m].value);
	for (i = 0; i < nl; i++)
		if (L[i].metric == m) {
			ext_add(e, L[i].lo);
			ext_add(e, L[i].hi);
		}
}

/* Round the extent out to nice numbers, inside [0, 1] when `unit`. */
static void ext_finish_in(extent *e, int ticks, int unit)
{
	double pad;
	if (e->lo > e->hi) {
		e->lo = 0;
		e->hi = 1;
		return;
	}
	if (e->hi - e->lo < 0.05) {
		double mid = (e->lo + e->hi) / 2;
		e->lo = mid - 0.025;
		e->hi = mid + 0.025;
	}
	pad = (e->hi - e->lo) * 0.04;
	e->lo -= pad;
	e->hi += pad;
	fa_nice_extent(&e->lo, &e->hi, ticks);
	if (unit && e->lo < 0)
		e->lo = 0;
	if (unit && e->hi > 1)
		e->hi = 1;
}

/* Every metric here is a proportion or a probability: [0, 1]. */
static void ext_finish(extent *e, int ticks)
{
	ext_finish_in(e, ticks, 1);
}

/* ---- chart pieces ------------------------------------------------------- */

static void hatch_defs(html *h)
{
	fa_buf_printf(h->b,
	              "<defs><pattern id=\"hatch%d\" width=\"6\" height=\"6\" "
	              "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	              "<rect width=\"6\" height=\"6\" fill=\"" C_FAIL "\" fill-opacity=\"0.07\"/>"
	              "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" C_FAIL
	              "\" stroke-opacity=\"0.45\" stroke-width=\"1.4\"/>"
	              "</pattern></defs>\n",
	              h->fig);
}

/* Shade what limit l forbids on scale x between y0 and y1, and draw its
 * edges. */
static void draw_limit(html *h, const limit *l, const fa_scale *x, double y0, double y1)
{
	double d0 = x->d0, d1 = x->d1;
	char attrs[160];

	if (isnan(l->lo) || isnan(l->hi))
		return;
	snprintf(attrs, sizeof(attrs), "fill=\"url(#hatch%d)\" class=\"forbid\"", h->fig);
	if (l->lo > d0)
		fa_svg_rect(h->b, x->r0, y0, fa_scale_clamp(x, l->lo) - x->r0, y1 - y0, attrs);
	if (l->hi < d1)
		fa_svg_rect(h->b, fa_scale_clamp(x, l->hi), y0, x->r1 - fa_scale_clamp(x, l->hi),
		            y1 - y0, attrs);
	snprintf(attrs, sizeof(attrs), "stroke=\"%s\" stroke-width=\"1.5\" class=\"limit\"",
	         outcome_colour(l->outcome));
	if (isfinite(l->lo) && fa_scale_side(x, l->lo) == 0)
		fa_svg_line(h->b, fa_scale_map(x, l->lo), y0, fa_scale_map(x, l->lo), y1, attrs);
	if (isfinite(l->hi) && fa_scale_side(x, l->hi) == 0)
		fa_svg_line(h->b, fa_scale_map(x, l->hi), y0, fa_scale_map(x, l->hi), y1, attrs);
}

/* A gate badge in a chart: symbol, label, coloured by outcome. */
static double svg_badge(fa_buf *b, double x, double y, const limit *l)
{
	double w = text_width(l->label, 0) * 0.92 + 26;
	char attrs[200];
	fa_buf_puts(b, "<g class=\"badge\">");
	snprintf(attrs, sizeof(attrs), "rx=\"8\" fill=\"%s\" fill-opacity=\"0.14\" stroke=\"%s\"",
	         outcome_colour(l->outcome), outcome_colour(l->outcome));
	fa_svg_rect(b, x, y - 12, w, 16, attrs);
	{
		fa_buf t = FA_BUF_INIT;
		fa_buf_printf(&t, "%s %s", outcome_symbol(l->outcome), l->label);
		fa_svg_text(b, x + 6, y, "start", "class=\"badgetext\"", t.ptr);
		fa_buf_free(&t);
	}
	fa_buf_puts(b, "</g>");
	return w;
}

static void point_marker(fa_buf *b, size_t g, const fa_group_result *G, double cx, double cy,
                         double r)
{
	char attrs[160];
	if (G->status == FA_GROUP_OK)
		snprintf(attrs, sizeof(attrs), "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"",
		         group_colour(g));
	else
		snprintf(attrs, sizeof(attrs),
		         "fill=\"#ffffff\" stroke=\"" GREY "\" stroke-width=\"1.6\"");
	fa_svg_marker(b, group_shape(g), cx, cy, r, attrs);
}

/* The label of a group's row: its name (cut), "n=…" right-aligned. */
static void row_label(fa_buf *b, const fa_attr_result *A, size_t g, double lw, double y)
{
	const fa_group_result *G = &A->groups[g];
	int ref = A->reference == (long)g;
	char n[64];
	fa_buf_puts(b, "<text x=\"4\" y=\"");
	fa_svg_num(b, y + 4);
	fa_buf_printf(b, "\" class=\"glabel%s%s\">", ref ? " ref" : "",
	              G->status != FA_GROUP_OK ? " muted" : "");
	fa_svg_escape_cut(b, G->value, LABEL_CHARS);
	if (ref)
		fa_buf_puts(b, " (ref.)");
	fa_buf_puts(b, "<title>");
	esc(b, G->value);
	if (G->status == FA_GROUP_INSUFFICIENT)
		fa_buf_puts(b, ": insufficient, left out of gaps");
	fa_buf_puts(b, "</title></text>");
	snprintf(n, sizeof(n), "n=%zu%s", G->n, G->status == FA_GROUP_INSUFFICIENT ? " (few)" : "");
	fa_svg_text(b, lw - 10, y + 4, "end", "class=\"muted small\"", n);
}

static double label_width(const fa_attr_result *A)
{
	double w = 0;
	size_t g;
	for (g = 0; g < A->ngroups; g++) {
		double t;
		if (!is_drawn(&A->groups[g]))
			continue;
		t = text_width(A->groups[g].value, LABEL_CHARS) +
		    (A->reference == (long)g ? 45 : 0);
		if (t > w)
			w = t;
	}
	w += 90; /* room for "n=12345" */
	return w < 150 ? 150 : w > 330 ? 330 : w;
}

/* Groups a chart draws (all but the suppressed). */
static size_t drawn_groups(const fa_attr_result *A, size_t *rows)
{
	size_t g, k = 0;
	for (g = 0; g < A->ngroups; g++)
		if (is_drawn(&A->groups[g]))
			rows[k++] = g;
	return k;
}

static size_t suppressed_count(const fa_attr_result *A)
{
	size_t g, k = 0;
	for (g = 0; g < A->ngroups; g++)
		k += !is_drawn(&A->groups[g]);
	return k;
}

static void estimate_text(fa_buf *t, const fa_estimate *e)
{
	char v[40], ci[80];
	fmt3(v, sizeof(v), e->value);
	fmt_ci(ci, sizeof(ci), e);
	fa_buf_puts(t, v);
	if (ci[0])
		fa_buf_printf(t, " (%s)", ci);
	else if (isnan(e->value) && e->reason)
		fa_buf_printf(t, " (%s)", e->reason);
}

/* ---- forest plot -------------------------------------------------------- */

/* The forest plot's legend: items left to right, wrapping at width W.
 * Returns the number of lines; draws only when `b` is not NULL. */
#define NLEGEND 6
static int forest_legend(fa_buf *b, const html *h, double W, double y, int limits, int few)
{
	const fa_result *r = h->r;
	double w[NLEGEND] = {215, 122, 72, 152, 255, 150};
	double lx = 4, ly = y;
	int i, lines = 1;
	char t[96];

	if (r->settings.bootstrap == 0)
		w[0] = 290;
	if (b)
		fa_buf_puts(b, "<g class=\"legend\">");
	for (i = 0; i < NLEGEND; i++) {
		if ((i == 3 && !limits) || (i == 5 && !few))
			continue;
		if (lx + w[i] > W && lx > 4) {
			lx = 4;
			ly += 22;
			lines++;
		}
		if (!b) {
			lx += w[i];
			continue;
		}
		switch (i) {
		case 0:
			fa_svg_line(b, lx, ly - 4, lx + 26, ly - 4,
			            "stroke=\"#333333\" stroke-width=\"1.5\"");
			fa_svg_circle(b, lx + 13, ly - 4, 4.5, "fill=\"#333333\"");
			if (r->settings.bootstrap > 0)
				snprintf(t, sizeof(t), "estimate and %g%% interval", level_pct(r));
			else
				snprintf(t, sizeof(t), "estimate (no intervals: --bootstrap 0)");
			fa_svg_text(b, lx + 32, ly, "start", NULL, t);
			break;
		case 1:
			fa_svg_line(b, lx, ly - 12, lx, ly + 3, "class=\"refline\"");
			fa_svg_text(b, lx + 6, ly, "start", NULL, "reference group");
			break;
		case 2:
			fa_svg_line(b, lx, ly - 12, lx, ly + 3, "class=\"overallline\"");
			fa_svg_text(b, lx + 6, ly, "start", NULL, "overall");
			break;
		case 3:
			snprintf(t, sizeof(t), "fill=\"url(#hatch%d)\" stroke=\"" C_FAIL "\"",
			         h->fig);
			fa_svg_rect(b, lx, ly - 11, 22, 13, t);
			fa_svg_text(b, lx + 28, ly, "start", NULL, "outside a gate limit");
			break;
		case 4:
			fa_svg_line(b, lx, ly - 4, lx + 26, ly - 4,
			            "stroke=\"" C_NEUTRAL "\" stroke-width=\"2.5\"");
			fa_svg_line(b, lx, ly - 9, lx, ly + 1,
			            "stroke=\"" C_NEUTRAL "\" stroke-width=\"2\"");
			fa_svg_line(b, lx + 26, ly - 9, lx + 26, ly + 1,
			            "stroke=\"" C_NEUTRAL "\" stroke-width=\"2\"");
			fa_svg_text(b, lx + 32, ly, "start", NULL,
			            "gap: lowest to highest eligible group");
			break;
		default:
			fa_svg_circle(b, lx + 5, ly - 4, 4.5,
			              "fill=\"#ffffff\" stroke=\"" GREY "\" stroke-width=\"1.6\"");
			snprintf(t, sizeof(t), "insufficient (n < %zu)", r->settings.min_n);
			fa_svg_text(b, lx + 14, ly, "start", NULL, t);
			break;
		}
		lx += w[i];
	}
	if (b)
		fa_buf_puts(b, "</g>\n");
	return lines;
}

/* The forest plot of attribute A (of the main result, or of an operating
 * point whose whole population is `overall`): panels `ms`. */
static void forest_plot(html *h, const fa_attr_result *A, const fa_group_result *overall,
                        const int *ms, int np, const limit *L, size_t nl)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t *rows = fa_xmalloc((A->ngroups + 1) * sizeof(size_t));
	size_t nrows = drawn_groups(A, rows), k, i, ninsuf = 0;
	int p, maxb = 0;
	double lw = label_width(A), W, gapx = 26, pw = PANEL_W, top, y_rows_end, y_axis, H;
	fa_scale xs[MAX_PANELS];
	double px[MAX_PANELS];
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	const fa_group_result *ref = A->reference >= 0 ? &A->groups[A->reference] : NULL;

	if (nrows == 0) {
		fa_buf_puts(b,
		            "<p class=\"note\">No group to draw: every group is suppressed.</p>\n");
		free(rows);
		return;
	}
	for (p = 0; p < np; p++) {
		int nb = 0;
		for (i = 0; i < nl; i++)
			nb += L[i].metric == ms[p];
		if (nb > maxb)
			maxb = nb;
	}
	W = lw + pw * np + gapx * (np - 1) + 10;
	top = 26 + 20.0 * maxb;
	y_rows_end = top + ROW_H * (double)nrows;
	y_axis = y_rows_end + 24;
	for (k = 0; k < nrows; k++)
		ninsuf += A->groups[rows[k]].status == FA_GROUP_INSUFFICIENT;
	H = y_axis + 44 + 22.0 * forest_legend(NULL, h, W, 0, nl > 0, ninsuf > 0) + 4;
	h->fig++;

	/* the text alternative lists every number the chart shows */
	fa_buf_printf(&label, "Forest plot of %s", A->name);
	for (p = 0; p < np; p++)
		fa_buf_printf(&label, "%s%s",
		              p == 0        ? " by group: "
		              : p == np - 1 ? " and "
		                            : ", ",
		              metric_short[ms[p]]);
	fa_buf_printf(&label, ", each with its %g%% interval", level_pct(r));
	for (k = 0; k < nrows; k++) {
		const fa_group_result *G = &A->groups[rows[k]];
		fa_buf_printf(&desc, "%s%s (n=%zu%s):", k ? "; " : "", G->value, G->n,
		              G->status == FA_GROUP_INSUFFICIENT ? ", insufficient" : "");
		for (p = 0; p < np; p++) {
			fa_buf_printf(&desc, " %s ", metric_short[ms[p]]);
			estimate_text(&desc, &G->metrics[ms[p]]);
		}
	}
	fa_buf_printf(&desc, ". Reference group: %s. Overall:", ref ? ref->value : "none");
	for (p = 0; p < np; p++) {
		fa_buf_printf(&desc, " %s ", metric_short[ms[p]]);
		put3(&desc, overall->metrics[ms[p]].value);
	}
	for (i = 0; i < nl; i++)
		fa_buf_printf(&desc, ". Gate %s: %s", L[i].label, outcome_word(L[i].outcome));
	fa_buf_putc(&desc, '.');

	fa_buf_puts(b, "<figure class=\"chart wide\">\n");
	fa_svg_begin(b, W, H, "forest", label.ptr, label.ptr, desc.ptr);
	hatch_defs(h);

	/* stripes behind alternate rows */
	for (k = 0; k < nrows; k += 2)
		fa_svg_rect(b, 0, top + ROW_H * (double)k, W, ROW_H, "class=\"stripe\"");

	for (p = 0; p < np; p++) {
		int m = ms[p], nb = 0, go;
		extent e;
		double x0 = lw + (pw + gapx) * p;
		char attrs[160];
		ext_init(&e);
		ext_attr(&e, overall, A, m, L, nl);
		ext_finish(&e, 4);
		px[p] = x0;
		fa_scale_init(&xs[p], e.lo, e.hi, x0 + 6, x0 + pw - 6);
		fa_svg_text(b, x0 + pw / 2, 14, "middle", "class=\"ptitle\"", metric_title[m]);
		for (i = 0; i < nl; i++)
			if (L[i].metric == m) {
				svg_badge(b, x0 + 4, 36 + 20.0 * nb, &L[i]);
				nb++;
			}
		fa_svg_axis(b, &xs[p], FA_AXIS_BOTTOM, y_axis, 4, y_axis - top + 4, NULL);
		fa_svg_text(b, x0 + pw / 2, y_axis + 31, "middle", "class=\"label\"",
		            metric_axis[m]);
		for (i = 0; i < nl; i++) {
			double y0 = top, y1 = y_rows_end;
			if (L[i].metric != m)
				continue;
			/* a gate on one group limits that group's row only */
			if (L[i].group >= 0) {
				for (k = 0; k < nrows && rows[k] != (size_t)L[i].group; k++)
					;
				if (k == nrows)
					continue;
				y0 = top + ROW_H * (double)k;
				y1 = y0 + ROW_H;
			}
			draw_limit(h, &L[i], &xs[p], y0, y1);
		}
		if (ref && !isnan(ref->metrics[m].value))
			fa_svg_line(b, fa_scale_clamp(&xs[p], ref->metrics[m].value), top - 4,
			            fa_scale_clamp(&xs[p], ref->metrics[m].value), y_rows_end + 4,
			            "class=\"refline\"");
		if (!isnan(overall->metrics[m].value))
			fa_svg_line(b, fa_scale_clamp(&xs[p], overall->metrics[m].value), top - 4,
			            fa_scale_clamp(&xs[p], overall->metrics[m].value),
			            y_rows_end + 4, "class=\"overallline\"");
		/* the spread of the eligible groups: what a gap gate measures */
		go = gap_outcome(L, nl, m);
		if (!isnan(A->gaps[m].min.value) && !isnan(A->gaps[m].max.value)) {
			double xa = fa_scale_clamp(&xs[p], A->gaps[m].min.value);
			double xb = fa_scale_clamp(&xs[p], A->gaps[m].max.value);
			double yy = y_rows_end + 11;
			const char *col = go < 0 ? C_NEUTRAL : outcome_colour((fa_gate_outcome)go);
			char txt[96];
			snprintf(attrs, sizeof(attrs), "class=\"gap\" stroke=\"%s\" fill=\"%s\"",
			         col, col);
			fa_buf_printf(
			    b, "<g %s><title>gap (max \xE2\x88\x92 min over eligible groups) ",
			    attrs);
			estimate_text(b, &A->gaps[m].gap);
			if (go >= 0)
				fa_buf_printf(b, "; gate %s", outcome_word((fa_gate_outcome)go));
			fa_buf_puts(b, "</title>");
			fa_svg_line(b, xa, yy, xb, yy, "stroke-width=\"2.5\"");
			fa_svg_line(b, xa, yy - 5, xa, yy + 5, "stroke-width=\"2\"");
			fa_svg_line(b, xb, yy - 5, xb, yy + 5, "stroke-width=\"2\"");
			snprintf(txt, sizeof(txt), "%s%sgap %.3f",
			         go >= 0 ? outcome_symbol((fa_gate_outcome)go) : "",
			         go >= 0 ? " " : "", A->gaps[m].gap.value);
			/* beside the bracket where there is room (the gutter between
			 * panels included), else over its line */
			if (xb + 8 + text_width(txt, 0) * 0.85 < x0 + pw)
				fa_svg_text(b, xb + 8, yy + 4, "start", "class=\"gaptext\"", txt);
			else if (xa - 8 - text_width(txt, 0) * 0.85 > x0 - gapx + 4)
				fa_svg_text(b, xa - 8, yy + 4, "end", "class=\"gaptext\"", txt);
			else
				fa_svg_text(b, x0 + pw - 4, yy + 4, "end", "class=\"gaptext halo\"",
				            txt);
			fa_buf_puts(b, "</g>");
		}
	}

	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_result *G = &A->groups[g];
		double y = top + ROW_H * (double)k + ROW_H / 2;
		const char *col = G->status == FA_GROUP_OK ? group_colour(g) : GREY;
		char attrs[160];

		fa_buf_printf(b, "<g class=\"row%s\"><title>",
		              G->status == FA_GROUP_OK ? "" : " insufficient");
		esc(b, G->value);
		fa_buf_printf(b, " (n=%zu)", G->n);
		for (p = 0; p < np; p++) {
			fa_buf_printf(b, "; %s ", metric_short[ms[p]]);
			estimate_text(b, &G->metrics[ms[p]]);
		}
		fa_buf_puts(b, "</title>");
		row_label(b, A, g, lw, y);
		for (p = 0; p < np; p++) {
			const fa_estimate *e = &G->metrics[ms[p]];
			if (isnan(e->value)) {
				fa_buf_puts(b, "<text x=\"");
				fa_svg_num(b, px[p] + 10);
				fa_buf_puts(b, "\" y=\"");
				fa_svg_num(b, y + 4);
				fa_buf_puts(b, "\" class=\"muted\">\xE2\x80\x94<title>");
				esc(b, e->reason ? e->reason : "undefined");
				fa_buf_puts(b, "</title></text>");
				continue;
			}
			if (e->has_ci) {
				snprintf(attrs, sizeof(attrs),
				         "class=\"ci\" stroke=\"%s\" fill=\"%s\"", col, col);
				fa_svg_hinterval(b, &xs[p], e->ci_low, e->ci_high, y, attrs);
			}
			if (breaks_limit(L, nl, ms[p], A, g))
				fa_svg_circle(b, fa_scale_clamp(&xs[p], e->value), y, 8.5,
				              "class=\"breaks\" fill=\"none\" stroke=\"" C_FAIL
				              "\" stroke-width=\"1.8\"");
			point_marker(b, g, G, fa_scale_clamp(&xs[p], e->value), y, 5);
		}
		fa_buf_puts(b, "</g>\n");
	}

	forest_legend(b, h, W, y_axis + 44 + 16, nl > 0, ninsuf > 0);
	fa_svg_end(b);
	fa_buf_puts(b, "<figcaption>Each row is a group: the dot is its estimate, the bar its ");
	if (r->settings.bootstrap > 0)
		fa_buf_printf(b, "%g%% bootstrap interval", level_pct(r));
	else
		fa_buf_puts(b, "interval (none: no bootstrap)");
	fa_buf_puts(b,
	            ". The dashed line is the reference group, the dotted line the whole "
	            "population. Below the rows, a bracket spans the eligible groups from lowest "
	            "to highest: its length is the gap. Hatched areas are values a gate forbids; "
	            "for a gap gate the allowed window is anchored at the best group, and a ring "
	            "marks a group that breaks a failing gate. Grey hollow markers are groups too "
	            "small to compare.");
	if (suppressed_count(A))
		fa_buf_printf(b, " %zu suppressed group%s (fewer than %zu records) %s not shown.",
		              suppressed_count(A), suppressed_count(A) == 1 ? "" : "s",
		              r->settings.suppress_below, suppressed_count(A) == 1 ? "is" : "are");
	fa_buf_puts(b, "</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(rows);
}

/* ---- ROC chart ------------------------------------------------------------ */

static void roc_chart(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	size_t *rows = fa_xmalloc((A->ngroups + 1) * sizeof(size_t));
	size_t nrows = drawn_groups(A, rows), k, ncurves = 0;
	double ml = 58, mt = 12, side = 280, lgw = 200, W, H;
	fa_scale x, y;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	char attrs[200], op[160];

	if (nrows == 0) {
		free(rows);
		return;
	}
	for (k = 0; k < nrows; k++) {
		const fa_group_curves *c = group_curves(h, a, rows[k]);
		ncurves += c && c->roc.n >= 2;
	}
	W = ml + side + 20 + lgw;
	H = mt + side + 48;
	if (H < 40 + 18.0 * (double)(nrows + 2))
		H = 40 + 18.0 * (double)(nrows + 2);
	fa_scale_init(&x, 0, 1, ml, ml + side);
	fa_scale_init(&y, 0, 1, mt + side, mt);
	if (r->settings.pred_column)
		snprintf(op, sizeof(op), "operating point: decisions from column %s",
		         r->settings.pred_column);
	else
		snprintf(op, sizeof(op), "operating point at score \xE2\x89\xA5 %g",
		         r->settings.threshold);

	fa_buf_printf(&label, "ROC %s of %s by group, with each group's %s",
	              ncurves ? "curves" : "operating points", A->name, op);
	for (k = 0; k < nrows; k++) {
		const fa_group_result *G = &A->groups[rows[k]];
		fa_buf_printf(&desc, "%s%s: AUC ", k ? "; " : "", G->value);
		put3(&desc, G->metrics[FA_M_AUC].value);
		fa_buf_puts(&desc, ", TPR ");
		put3(&desc, G->metrics[FA_M_TPR].value);
		fa_buf_puts(&desc, " at FPR ");
		put3(&desc, G->metrics[FA_M_FPR].value);
	}
	fa_buf_putc(&desc, '.');
	if (!ncurves)
		fa_buf_puts(&desc,
		            " The result holds no curve data; only operating points are drawn.");

	fa_buf_puts(b, "<figure class=\"chart\">\n");
	fa_svg_begin(b, W, H, "roc", label.ptr, label.ptr, desc.ptr);
	fa_svg_axis(b, &x, FA_AXIS_BOTTOM, mt + side, 5, side,
	            "False positive rate (1 \xE2\x88\x92 specificity)");
	fa_svg_axis(b, &y, FA_AXIS_LEFT, ml, 5, 0, "True positive rate (sensitivity)");
	fa_svg_line(b, x.r0, y.r0, x.r1, y.r1, "class=\"chance\"");
	/* bottom right, below the diagonal, where no operating point sensibly lies */
	if (!ncurves) {
		fa_svg_text(b, ml + side - 8, mt + side - 26, "end", "class=\"muted small\"",
		            "curves not in this result:");
		fa_svg_text(b, ml + side - 8, mt + side - 11, "end", "class=\"muted small\"",
		            "operating points only");
	}
	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_curves *c = group_curves(h, a, g);
		const fa_group_result *G = &A->groups[g];
		if (!c || c->roc.n < 2)
			continue;
		if (G->status == FA_GROUP_OK)
			snprintf(attrs, sizeof(attrs), "class=\"curve\" stroke=\"%s\"",
			         group_colour(g));
		else
			snprintf(attrs, sizeof(attrs), "class=\"curve thin\" stroke=\"" GREY "\"");
		fa_buf_puts(b, "<g><title>");
		esc(b, G->value);
		fa_buf_puts(b, ": ROC curve</title>");
		fa_svg_polyline(b, &x, &y, c->roc.fpr, c->roc.tpr, c->roc.n, attrs);
		fa_buf_puts(b, "</g>\n");
	}
	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_result *G = &A->groups[g];
		double f = G->metrics[FA_M_FPR].value, t = G->metrics[FA_M_TPR].value;
		if (isnan(f) || isnan(t))
			continue;
		fa_buf_puts(b, "<g class=\"op\"><title>");
		esc(b, G->value);
		fa_buf_puts(b, ": TPR ");
		put3(b, t);
		fa_buf_puts(b, ", FPR ");
		put3(b, f);
		fa_buf_puts(b, "</title>");
		point_marker(b, g, G, fa_scale_map(&x, f), fa_scale_map(&y, t), 5.5);
		fa_buf_puts(b, "</g>\n");
	}
	/* legend */
	{
		double lx = ml + side + 24, ly = mt + 10;
		fa_buf_puts(b, "<g class=\"legend\">");
		for (k = 0; k < nrows; k++, ly += 18) {
			size_t g = rows[k];
			const fa_group_result *G = &A->groups[g];
			snprintf(attrs, sizeof(attrs), "stroke=\"%s\" stroke-width=\"2.5\"",
			         G->status == FA_GROUP_OK ? group_colour(g) : GREY);
			fa_svg_line(b, lx, ly, lx + 22, ly, attrs);
			point_marker(b, g, G, lx + 11, ly, 4.5);
			fa_buf_puts(b, "<text x=\"");
			fa_svg_num(b, lx + 30);
			fa_buf_puts(b, "\" y=\"");
			fa_svg_num(b, ly + 4);
			fa_buf_puts(b, "\">");
			fa_svg_escape_cut(b, G->value, 16);
			fa_buf_puts(b, "<tspan class=\"muted\"> AUC ");
			put3(b, G->metrics[FA_M_AUC].value);
			fa_buf_puts(b, "</tspan></text>");
		}
		ly += 6;
		fa_svg_line(b, lx, ly, lx + 22, ly, "class=\"chance\"");
		fa_svg_text(b, lx + 30, ly + 4, "start", NULL, "chance");
		ly += 18;
		fa_svg_circle(b, lx + 11, ly, 4.5, "fill=\"#333333\" stroke=\"#ffffff\"");
		fa_buf_puts(b, "<text x=\"");
		fa_svg_num(b, lx + 30);
		fa_buf_puts(b, "\" y=\"");
		fa_svg_num(b, ly + 4);
		fa_buf_puts(b, "\">");
		if (r->settings.pred_column)
			fa_buf_puts(b, "operating point (--pred)");
		else
			fa_buf_printf(b, "operating point, score \xE2\x89\xA5 %g",
			              r->settings.threshold);
		fa_buf_puts(b, "</text></g>\n");
	}
	fa_svg_end(b);
	fa_buf_puts(
	    b, "<figcaption>ROC curves: each line shows what one group's true and false "
	       "positive rates would be at every threshold; the higher and further left, the "
	       "better. The marker is where the group actually operates. Groups whose markers "
	       "sit apart at one threshold are treated unequally even if their curves overlap.");
	if (!ncurves)
		fa_buf_puts(
		    b, " This result holds no curve data, so only the operating points are drawn.");
	fa_buf_puts(b, "</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(rows);
}

/* ---- calibration ---------------------------------------------------------- */

static void calibration_plots(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	size_t g, any = 0, k;

	if (!r->settings.probabilities)
		return;
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_curves *c = group_curves(h, a, g);
		any += is_drawn(&A->groups[g]) && c && c->has_calib;
	}
	if (!any)
		return;
	fa_buf_puts(b, "<figure class=\"chart wide\"><div class=\"multiples\">\n");
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_result *G = &A->groups[g];
		const fa_group_curves *c = group_curves(h, a, g);
		const fa_calib *cb;
		double ml = 46, mt = 26, side = 150, W = ml + side + 12, H = mt + side + 42;
		size_t maxc = 0;
		fa_scale x, y;
		fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
		double px[FA_CALIB_BINS], py[FA_CALIB_BINS];
		size_t np = 0;
		char attrs[160];
		const char *col = G->status == FA_GROUP_OK ? group_colour(g) : GREY;

		if (!is_drawn(G) || !c || !c->has_calib)
			continue;
		cb = &c->calib;
		for (k = 0; k < FA_CALIB_BINS; k++)
			if (cb->count[k] > maxc)
				maxc = cb->count[k];
		fa_scale_init(&x, 0, 1, ml, ml + side);
		fa_scale_init(&y, 0, 1, mt + side, mt);
		fa_buf_printf(&label,
		              "Calibration of %s = %s: observed positive rate against mean score "
		              "in ten score bins",
		              A->name, G->value);
		for (k = 0; k < FA_CALIB_BINS; k++) {
			fa_buf_printf(&desc, "%sbin %.1f-%.1f: %zu records", k ? "; " : "",
			              k / 10.0, (k + 1) / 10.0, cb->count[k]);
			if (cb->count[k])
				fa_buf_printf(&desc, ", mean score %.3f, observed %.3f",
				              cb->mean_score[k], cb->observed[k]);
		}
		fa_buf_puts(&desc, ". ECE ");
		put3(&desc, G->metrics[FA_M_ECE].value);
		fa_buf_putc(&desc, '.');
		fa_svg_begin(b, W, H, "calib", label.ptr, label.ptr, desc.ptr);
		/* the title: name cut to fit, then the ECE */
		fa_buf_puts(b, "<text x=\"");
		fa_svg_num(b, ml);
		fa_buf_puts(b, "\" y=\"14\" class=\"ptitle\">");
		fa_svg_escape_cut(b, G->value, 14);
		fa_buf_puts(b, "<tspan class=\"muted\"> ECE ");
		put3(b, G->metrics[FA_M_ECE].value);
		fa_buf_puts(b, "</tspan></text>");
		/* counts per bin, as a histogram along the bottom */
		for (k = 0; k < FA_CALIB_BINS && maxc; k++) {
			double hgt = 26.0 * (double)cb->count[k] / (double)maxc;
			if (!cb->count[k])
				continue;
			fa_svg_rect(b, fa_scale_map(&x, k / 10.0) + 1, mt + side - hgt,
			            side / 10 - 2, hgt, "class=\"hist\"");
		}
		fa_svg_axis(b, &x, FA_AXIS_BOTTOM, mt + side, 5, side, "Mean score in bin");
		fa_svg_axis(b, &y, FA_AXIS_LEFT, ml, 5, 0, "Observed positive rate");
		fa_svg_line(b, x.r0, y.r0, x.r1, y.r1, "class=\"chance\"");
		for (k = 0; k < FA_CALIB_BINS; k++)
			if (cb->count[k] && !isnan(cb->mean_score[k]) && !isnan(cb->observed[k])) {
				px[np] = cb->mean_score[k];
				py[np++] = cb->observed[k];
			}
		snprintf(attrs, sizeof(attrs), "class=\"curve thin\" stroke=\"%s\"", col);
		fa_svg_polyline(b, &x, &y, px, py, np, attrs);
		for (k = 0; k < FA_CALIB_BINS; k++) {
			double rad;
			if (!cb->count[k] || isnan(cb->mean_score[k]) || isnan(cb->observed[k]))
				continue;
			rad = 2 + 4 * sqrt((double)cb->count[k] / (double)maxc);
			snprintf(attrs, sizeof(attrs), "fill=\"%s\" stroke=\"#ffffff\"", col);
			fa_buf_printf(b,
			              "<g><title>scores %.1f-%.1f: %zu records, mean score %.3f, "
			              "observed %.3f</title>",
			              k / 10.0, (k + 1) / 10.0, cb->count[k], cb->mean_score[k],
			              cb->observed[k]);
			fa_svg_circle(b, fa_scale_clamp(&x, cb->mean_score[k]),
			              fa_scale_clamp(&y, cb->observed[k]), rad, attrs);
			fa_buf_puts(b, "</g>");
		}
		fa_svg_end(b);
		fa_buf_free(&label);
		fa_buf_free(&desc);
	}
	fa_buf_puts(b,
	            "</div><figcaption>Calibration, one panel per group: each dot is a tenth of "
	            "the score range, placed at its mean score (across) and the share of its "
	            "records that are positive (up); bigger dots hold more records, and the grey "
	            "bars along the bottom count them. Dots on the diagonal are well calibrated; "
	            "dots below it mean the scores overstate the risk, above it understate it.");
	fa_buf_puts(b, "</figcaption></figure>\n");
}

/* ---- representation ------------------------------------------------------- */

static void representation_chart(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	size_t *rows = fa_xmalloc((A->ngroups + 1) * sizeof(size_t));
	size_t nrows = drawn_groups(A, rows), k, maxn = 0, total = 0;
	double lw = label_width(A), bw = 200, gw = 170, gapx = 30, top = 26, W, H, y_axis;
	fa_scale xn, xp;
	extent e;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	char attrs[200];

	if (nrows == 0) {
		free(rows);
		return;
	}
	for (k = 0; k < A->ngroups; k++)
		total += A->groups[k].n;
	for (k = 0; k < nrows; k++)
		if (A->groups[rows[k]].n > maxn)
			maxn = A->groups[rows[k]].n;
	W = lw + bw + gapx + gw + 10;
	y_axis = top + ROW_H * (double)nrows + 6;
	H = y_axis + 44 + 22;
	{
		double hi = (double)(maxn ? maxn : 1), lo = 0;
		fa_nice_extent(&lo, &hi, 4);
		fa_scale_init(&xn, 0, hi, lw, lw + bw - 40);
	}
	ext_init(&e);
	for (k = 0; k < nrows; k++) {
		const fa_estimate *p = &A->groups[rows[k]].metrics[FA_M_PREVALENCE];
		ext_add(&e, p->value);
		if (A->groups[rows[k]].status == FA_GROUP_OK && p->has_ci) {
			ext_add(&e, p->ci_low);
			ext_add(&e, p->ci_high);
		}
	}
	ext_add(&e, r->overall.metrics[FA_M_PREVALENCE].value);
	ext_finish(&e, 4);
	fa_scale_init(&xp, e.lo, e.hi, lw + bw + gapx + 6, lw + bw + gapx + gw - 6);

	fa_buf_printf(
	    &label,
	    "Representation of %s: records (positive and negative) and prevalence per group",
	    A->name);
	for (k = 0; k < nrows; k++) {
		const fa_group_result *G = &A->groups[rows[k]];
		fa_buf_printf(&desc, "%s%s: %zu records (%.1f%%), %zu positive, prevalence ",
		              k ? "; " : "", G->value, G->n,
		              total ? 100.0 * (double)G->n / (double)total : 0.0, G->n_pos);
		estimate_text(&desc, &G->metrics[FA_M_PREVALENCE]);
	}
	fa_buf_puts(&desc, ". Overall prevalence ");
	put3(&desc, r->overall.metrics[FA_M_PREVALENCE].value);
	fa_buf_putc(&desc, '.');

	fa_buf_puts(b, "<figure class=\"chart\">\n");
	fa_svg_begin(b, W, H, "representation", label.ptr, label.ptr, desc.ptr);
	for (k = 0; k < nrows; k += 2)
		fa_svg_rect(b, 0, top + ROW_H * (double)k, W, ROW_H, "class=\"stripe\"");
	fa_svg_text(b, lw + (bw - 40) / 2, 14, "middle", "class=\"ptitle\"", "Records");
	fa_svg_text(b, lw + bw + gapx + gw / 2, 14, "middle", "class=\"ptitle\"", "Prevalence");
	fa_svg_axis(b, &xn, FA_AXIS_BOTTOM, y_axis, 4, y_axis - top, "records (count)");
	fa_svg_axis(b, &xp, FA_AXIS_BOTTOM, y_axis, 4, y_axis - top, "proportion positive");
	if (!isnan(r->overall.metrics[FA_M_PREVALENCE].value))
		fa_svg_line(b, fa_scale_clamp(&xp, r->overall.metrics[FA_M_PREVALENCE].value),
		            top - 4, fa_scale_clamp(&xp, r->overall.metrics[FA_M_PREVALENCE].value),
		            y_axis - 6, "class=\"overallline\"");
	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_result *G = &A->groups[g];
		const fa_estimate *p = &G->metrics[FA_M_PREVALENCE];
		double y = top + ROW_H * (double)k + ROW_H / 2;
		double x1 = fa_scale_map(&xn, (double)G->n_pos),
		       x2 = fa_scale_map(&xn, (double)G->n);
		const char *col = G->status == FA_GROUP_OK ? group_colour(g) : GREY;
		char t[96];

		fa_buf_puts(b, "<g class=\"row\"><title>");
		esc(b, G->value);
		fa_buf_printf(b, ": %zu records, %zu positive, %zu negative; prevalence ", G->n,
		              G->n_pos, G->n_neg);
		estimate_text(b, p);
		fa_buf_puts(b, "</title>");
		row_label(b, A, g, lw, y);
		snprintf(attrs, sizeof(attrs), "fill=\"%s\"", col);
		fa_svg_rect(b, xn.r0, y - 7, x1 - xn.r0, 14, attrs);
		snprintf(attrs, sizeof(attrs), "fill=\"%s\" fill-opacity=\"0.35\"", col);
		fa_svg_rect(b, x1, y - 7, x2 - x1, 14, attrs);
		snprintf(t, sizeof(t), "%.1f%%",
		         total ? 100.0 * (double)G->n / (double)total : 0.0);
		fa_svg_text(b, x2 + 4, y + 4, "start", "class=\"muted small\"", t);
		if (!isnan(p->value)) {
			if (p->has_ci) {
				snprintf(attrs, sizeof(attrs),
				         "class=\"ci\" stroke=\"%s\" fill=\"%s\"", col, col);
				fa_svg_hinterval(b, &xp, p->ci_low, p->ci_high, y, attrs);
			}
			point_marker(b, g, G, fa_scale_clamp(&xp, p->value), y, 5);
		}
		fa_buf_puts(b, "</g>\n");
	}
	{
		double ly = H - 8, lx = 4;
		fa_buf_puts(b, "<g class=\"legend\">");
		fa_svg_rect(b, lx, ly - 10, 14, 12, "fill=\"#555555\"");
		fa_svg_text(b, lx + 18, ly, "start", NULL, "positive");
		fa_svg_rect(b, lx + 84, ly - 10, 14, 12, "fill=\"#555555\" fill-opacity=\"0.35\"");
		fa_svg_text(b, lx + 102, ly, "start", NULL, "negative; % of records");
		fa_svg_line(b, lx + 280, ly - 12, lx + 280, ly + 3, "class=\"overallline\"");
		fa_svg_text(b, lx + 286, ly, "start", NULL, "overall prevalence");
		fa_buf_puts(b, "</g>\n");
	}
	fa_svg_end(b);
	fa_buf_puts(b,
	            "<figcaption>Representation: how many records each group has (the solid "
	            "part are positives) and its share of all records; right, the prevalence with "
	            "its interval. Small groups give wide intervals everywhere in this report; a "
	            "prevalence far from the overall line changes what TPR, FPR and PPV can "
	            "be.</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(rows);
}

/* ---- score-attribute leakage -------------------------------------------------- */

/* "0.425 (DeLong 0.358–0.493)", or the reason it is undefined. */
static void estimate_text_aci(fa_buf *t, const fa_estimate *e)
{
	put3(t, e->value);
	if (isnan(e->value) && e->reason)
		fa_buf_printf(t, " (%s)", e->reason);
	else if (e->has_aci)
		fa_buf_printf(t, " (%.3f\xE2\x80\x93%.3f)", e->aci_low, e->aci_high);
}

static const char *const leak_title[2] = {"Among negatives", "Among positives"};

/* The AUC interval's method: with --cluster, Obuchowski's clustered
 * extension of DeLong's. */
static const char *auc_method(const fa_result *r)
{
	return r->settings.cluster_column ? "Obuchowski (clustered DeLong)" : "DeLong";
}

/* Per group and label class, the AUC with which the score alone tells the
 * group from the rest, with its DeLong interval and a line at 0.5. */
static void leakage_chart(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	size_t *rows = fa_xmalloc((A->ngroups + 1) * sizeof(size_t));
	size_t nrows = drawn_groups(A, rows), k;
	double lw = label_width(A), pw = PANEL_W, gapx = 26, top = 26, W, H, y_axis;
	fa_scale xs;
	extent e;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	char attrs[200];
	int c, any = 0;

	for (k = 0; k < nrows; k++)
		for (c = 0; c < 2; c++)
			any |= !isnan(A->groups[rows[k]].leakage[c].value);
	if (nrows == 0 || !any) {
		free(rows);
		return;
	}
	W = lw + 2 * pw + gapx + 10;
	y_axis = top + ROW_H * (double)nrows + 6;
	H = y_axis + 44 + 22;
	/* one axis for both panels, so they compare at a glance */
	ext_init(&e);
	ext_add(&e, 0.5);
	for (k = 0; k < nrows; k++)
		for (c = 0; c < 2; c++) {
			const fa_estimate *l = &A->groups[rows[k]].leakage[c];
			ext_add(&e, l->value);
			if (!isnan(l->value) && l->has_aci) {
				ext_add(&e, l->aci_low);
				ext_add(&e, l->aci_high);
			}
		}
	ext_finish(&e, 4);

	fa_buf_printf(&label,
	              "Score-attribute leakage of %s: per group, the AUC with which the score "
	              "alone tells the group from the other records of the same label, among "
	              "negatives and among positives, each with its %s interval",
	              A->name, auc_method(r));
	for (k = 0; k < nrows; k++) {
		const fa_group_result *G = &A->groups[rows[k]];
		fa_buf_printf(&desc, "%s%s: among negatives ", k ? "; " : "", G->value);
		estimate_text_aci(&desc, &G->leakage[0]);
		fa_buf_puts(&desc, ", among positives ");
		estimate_text_aci(&desc, &G->leakage[1]);
	}
	fa_buf_puts(&desc, ". 0.5 means the score carries no information about the group.");

	fa_buf_puts(b, "<figure class=\"chart wide\">\n");
	fa_svg_begin(b, W, H, "leakage", label.ptr, label.ptr, desc.ptr);
	for (k = 0; k < nrows; k += 2)
		fa_svg_rect(b, 0, top + ROW_H * (double)k, W, ROW_H, "class=\"stripe\"");
	for (c = 0; c < 2; c++) {
		double x0 = lw + (pw + gapx) * c;
		fa_scale_init(&xs, e.lo, e.hi, x0 + 6, x0 + pw - 6);
		fa_svg_text(b, x0 + pw / 2, 14, "middle", "class=\"ptitle\"", leak_title[c]);
		fa_svg_axis(b, &xs, FA_AXIS_BOTTOM, y_axis, 4, y_axis - top,
		            "AUC of the score: this group against the rest");
		fa_svg_line(b, fa_scale_map(&xs, 0.5), top - 4, fa_scale_map(&xs, 0.5), y_axis,
		            "class=\"chance\"");
	}
	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_result *G = &A->groups[g];
		double y = top + ROW_H * (double)k + ROW_H / 2;
		const char *col = G->status == FA_GROUP_OK ? group_colour(g) : GREY;

		fa_buf_puts(b, "<g class=\"row\"><title>");
		esc(b, G->value);
		fa_buf_puts(b, ": among negatives ");
		estimate_text_aci(b, &G->leakage[0]);
		fa_buf_puts(b, "; among positives ");
		estimate_text_aci(b, &G->leakage[1]);
		fa_buf_puts(b, "</title>");
		row_label(b, A, g, lw, y);
		for (c = 0; c < 2; c++) {
			const fa_estimate *l = &G->leakage[c];
			double x0 = lw + (pw + gapx) * c;
			fa_scale_init(&xs, e.lo, e.hi, x0 + 6, x0 + pw - 6);
			if (isnan(l->value)) {
				fa_buf_puts(b, "<text x=\"");
				fa_svg_num(b, x0 + 10);
				fa_buf_puts(b, "\" y=\"");
				fa_svg_num(b, y + 4);
				fa_buf_puts(b, "\" class=\"muted\">\xE2\x80\x94<title>");
				esc(b, l->reason ? l->reason : "undefined");
				fa_buf_puts(b, "</title></text>");
				continue;
			}
			if (l->has_aci) {
				snprintf(attrs, sizeof(attrs), "class=\"ci\" stroke=\"%s\" fill=\"%s\"",
				         col, col);
				fa_svg_hinterval(b, &xs, l->aci_low, l->aci_high, y, attrs);
			}
			point_marker(b, g, G, fa_scale_clamp(&xs, l->value), y, 5);
		}
		fa_buf_puts(b, "</g>\n");
	}
	{
		double ly = H - 8, lx = 4;
		fa_buf_puts(b, "<g class=\"legend\">");
		fa_svg_line(b, lx, ly - 4, lx + 26, ly - 4, "stroke=\"#333333\" stroke-width=\"1.5\"");
		fa_svg_circle(b, lx + 13, ly - 4, 4.5, "fill=\"#333333\"");
		snprintf(attrs, sizeof(attrs), "AUC and %g%% %s interval", level_pct(r),
			 auc_method(r));
		fa_svg_text(b, lx + 32, ly, "start", NULL, attrs);
		fa_svg_line(b, lx + 260, ly - 12, lx + 260, ly + 3, "class=\"chance\"");
		fa_svg_text(b, lx + 266, ly, "start", NULL, "0.5: no group information");
		fa_buf_puts(b, "</g>\n");
	}
	fa_svg_end(b);
	fa_buf_puts(b, "<figcaption>Score\xE2\x80\x93" "attribute leakage: how well the score alone "
	               "tells each group from the other records with the same label, as an AUC "
	               "(left among negatives, right among positives). At 0.5 the score carries "
	               "no information about the group beyond the label; far from 0.5, in "
	               "either direction, it does. That alone does not show harm, but a score "
	               "that encodes the group can pass it on to any decision made from "
	               "it.</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(rows);
}

/* ---- operating points ------------------------------------------------------ */

static const char *view_word(const fa_view *v)
{
	if (v->kind && strcmp(v->kind, "spec") == 0)
		return "specificity";
	if (v->kind && strcmp(v->kind, "sens") == 0)
		return "sensitivity";
	return NULL;
}

/* Each group's own threshold against the one chosen on the whole
 * population (a dashed line, its interval a grey band). */
static void own_threshold_chart(html *h, const fa_view *v, const fa_attr_result *A)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const char *word = view_word(v);
	size_t *rows = fa_xmalloc((A->ngroups + 1) * sizeof(size_t));
	size_t nrows = drawn_groups(A, rows), k;
	double lw = label_width(A), pw = 1.6 * PANEL_W, top = 26, W, H, y_axis, t;
	const fa_estimate *th = &v->threshold;
	fa_scale xs;
	extent e;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	char txt[160];

	if (!word || nrows == 0) {
		free(rows);
		return;
	}
	W = lw + pw + 10;
	y_axis = top + ROW_H * (double)nrows + 6;
	H = y_axis + 44 + 22;
	ext_init(&e);
	ext_add(&e, th->value);
	if (!isnan(th->value) && th->has_ci) {
		ext_add(&e, th->ci_low);
		ext_add(&e, th->ci_high);
	}
	for (k = 0; k < nrows; k++)
		ext_add(&e, A->groups[rows[k]].own_threshold);
	/* thresholds are scores: [0, 1] only when the scores are probabilities */
	ext_finish_in(&e, 5, r->settings.probabilities);
	fa_scale_init(&xs, e.lo, e.hi, lw + 6, lw + pw - 6);

	fa_buf_printf(&label, "Own thresholds of %s at %s: the threshold each group alone would "
	                      "need for %s %g, against the threshold chosen on the whole population",
	              A->name, v->name, word, v->target);
	fa_buf_puts(&desc, "Threshold chosen on the whole population ");
	estimate_text(&desc, th);
	for (k = 0; k < nrows; k++) {
		const fa_group_result *G = &A->groups[rows[k]];
		fa_buf_printf(&desc, "; %s: ", G->value);
		put3(&desc, G->own_threshold);
	}
	fa_buf_putc(&desc, '.');

	fa_buf_puts(b, "<figure class=\"chart\">\n");
	fa_svg_begin(b, W, H, "ownthr", label.ptr, label.ptr, desc.ptr);
	for (k = 0; k < nrows; k += 2)
		fa_svg_rect(b, 0, top + ROW_H * (double)k, W, ROW_H, "class=\"stripe\"");
	fa_svg_text(b, lw + pw / 2, 14, "middle", "class=\"ptitle\"", "Own threshold");
	if (!isnan(th->value) && th->has_ci) {
		double x1 = fa_scale_clamp(&xs, th->ci_low), x2 = fa_scale_clamp(&xs, th->ci_high);
		fa_svg_rect(b, x1, top - 4, x2 - x1, y_axis - top + 4,
		            "class=\"band\" fill=\"#8c8c8c\" fill-opacity=\"0.18\"");
	}
	fa_svg_axis(b, &xs, FA_AXIS_BOTTOM, y_axis, 5, y_axis - top, "score threshold");
	if (!isnan(th->value))
		fa_svg_line(b, fa_scale_clamp(&xs, th->value), top - 4, fa_scale_clamp(&xs, th->value),
		            y_axis, "class=\"refline thr\"");
	for (k = 0; k < nrows; k++) {
		size_t g = rows[k];
		const fa_group_result *G = &A->groups[g];
		double y = top + ROW_H * (double)k + ROW_H / 2;

		fa_buf_puts(b, "<g class=\"row\"><title>");
		esc(b, G->value);
		fa_buf_puts(b, ": own threshold ");
		put3(b, G->own_threshold);
		fa_buf_puts(b, "</title>");
		row_label(b, A, g, lw, y);
		t = G->own_threshold;
		if (isnan(t)) {
			fa_buf_puts(b, "<text x=\"");
			fa_svg_num(b, lw + 10);
			fa_buf_puts(b, "\" y=\"");
			fa_svg_num(b, y + 4);
			fa_buf_puts(b, "\" class=\"muted\">\xE2\x80\x94<title>no threshold reaches the "
			               "target in this group</title></text>");
		} else {
			point_marker(b, g, G, fa_scale_clamp(&xs, t), y, 5);
		}
		fa_buf_puts(b, "</g>\n");
	}
	{
		double ly = H - 8, lx = 4;
		fa_buf_puts(b, "<g class=\"legend\">");
		fa_svg_line(b, lx, ly - 12, lx, ly + 3, "class=\"refline\"");
		snprintf(txt, sizeof(txt), "threshold chosen on the whole population%s",
		         th->has_ci ? " (grey: its interval)" : "");
		fa_svg_text(b, lx + 6, ly, "start", NULL, txt);
		fa_buf_puts(b, "</g>\n");
	}
	fa_svg_end(b);
	fa_buf_printf(b, "<figcaption>Own thresholds: the threshold at which each group alone "
	                 "would reach %s %g. The dashed line is the one threshold every group "
	                 "gets, chosen on the whole population. ",
	              word, v->target);
	if (strcmp(word, "specificity") == 0)
		fa_buf_puts(b, "A group to the right of it needs a higher threshold: at the common "
		               "one its specificity falls short of the target (more false "
		               "positives).");
	else
		fa_buf_puts(b, "A group to the left of it needs a lower threshold: at the common one "
		               "its sensitivity falls short of the target (more missed positives).");
	fa_buf_puts(b, "</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(rows);
}

/* ---- overview of every attribute -------------------------------------------- */

static void overview_chart(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t a, i, k, nl_all = 0;
	limit *all = fa_xmalloc(MAX_LIMITS * (r->nattrs + 1) * sizeof(limit));
	size_t *nls = fa_xcalloc(r->nattrs + 1, sizeof(size_t));
	int ms[MAX_PANELS], np, p;
	double lw = 150, W, gapx = 26, pw = PANEL_W, top = 26, rh = 36, y_axis, H;
	fa_scale xs[MAX_PANELS];
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;

	if (r->nattrs == 0) {
		free(all);
		free(nls);
		return;
	}
	for (a = 0; a < r->nattrs; a++) {
		double t = text_width(r->attrs[a].name, LABEL_CHARS) + 20;
		nls[a] = attr_limits(r, &r->attrs[a], NULL, all + MAX_LIMITS * a);
		/* the last block gathers every attribute's limits, to pick panels */
		for (i = 0; i < nls[a] && nl_all < MAX_LIMITS; i++)
			all[MAX_LIMITS * r->nattrs + nl_all++] = all[MAX_LIMITS * a + i];
		if (t > lw)
			lw = t;
	}
	if (lw > 260)
		lw = 260;
	np = chart_metrics(all + MAX_LIMITS * r->nattrs, nl_all, ms);
	W = lw + pw * np + gapx * (np - 1) + 10;
	y_axis = top + rh * (double)r->nattrs + 4;
	H = y_axis + 44;
	h->fig++;

	fa_buf_puts(&label, "Overview: for each attribute, where its groups lie on ");
	for (p = 0; p < np; p++)
		fa_buf_printf(&label, "%s%s",
		              p == 0        ? ""
		              : p == np - 1 ? " and "
		                            : ", ",
		              metric_short[ms[p]]);
	fa_buf_puts(&label, ", and the gap between the lowest and highest eligible group");
	for (a = 0; a < r->nattrs; a++) {
		const fa_attr_result *A = &r->attrs[a];
		fa_buf_printf(&desc, "%s%s:", a ? "; " : "", A->name);
		for (p = 0; p < np; p++) {
			const fa_gap *gp = &A->gaps[ms[p]];
			int go = gap_outcome(all + MAX_LIMITS * a, nls[a], ms[p]);
			long lo_g, hi_g;
			gap_ends(A, ms[p], &lo_g, &hi_g);
			fa_buf_printf(&desc, " %s gap ", metric_short[ms[p]]);
			estimate_text(&desc, &gp->gap);
			if (lo_g >= 0 && hi_g >= 0)
				fa_buf_printf(&desc, " (lowest %s, highest %s)",
				              A->groups[lo_g].value, A->groups[hi_g].value);
			if (go >= 0)
				fa_buf_printf(&desc, " gate %s", outcome_word((fa_gate_outcome)go));
			fa_buf_putc(&desc, ',');
		}
	}
	fa_buf_putc(&desc, '.');

	fa_buf_puts(b, "<figure class=\"chart wide\">\n");
	fa_svg_begin(b, W, H, "overview", label.ptr, label.ptr, desc.ptr);
	hatch_defs(h);
	for (k = 0; k < r->nattrs; k += 2)
		fa_svg_rect(b, 0, top + rh * (double)k, W, rh, "class=\"stripe\"");
	for (p = 0; p < np; p++) {
		int m = ms[p];
		extent e;
		double x0 = lw + (pw + gapx) * p;
		ext_init(&e);
		for (a = 0; a < r->nattrs; a++)
			ext_attr(&e, &r->overall, &r->attrs[a], m, all + MAX_LIMITS * a, nls[a]);
		ext_finish(&e, 4);
		fa_scale_init(&xs[p], e.lo, e.hi, x0 + 6, x0 + pw - 6);
		fa_svg_text(b, x0 + pw / 2, 14, "middle", "class=\"ptitle\"", metric_title[m]);
		fa_svg_axis(b, &xs[p], FA_AXIS_BOTTOM, y_axis, 4, y_axis - top, metric_axis[m]);
		if (!isnan(r->overall.metrics[m].value))
			fa_svg_line(b, fa_scale_clamp(&xs[p], r->overall.metrics[m].value), top - 4,
			            fa_scale_clamp(&xs[p], r->overall.metrics[m].value), y_axis,
			            "class=\"overallline\"");
	}
	for (a = 0; a < r->nattrs; a++) {
		const fa_attr_result *A = &r->attrs[a];
		const limit *L = all + MAX_LIMITS * a;
		double y = top + rh * (double)a + rh / 2 - 4;
		size_t g;
		fa_buf_printf(b, "<g class=\"attrrow\"><a href=\"#attr-%zu\">", a);
		fa_buf_puts(b, "<text x=\"4\" y=\"");
		fa_svg_num(b, y + 4);
		fa_buf_puts(b, "\" class=\"glabel\">");
		fa_svg_escape_cut(b, A->name, LABEL_CHARS);
		fa_buf_puts(b, "</text></a>");
		for (p = 0; p < np; p++) {
			int m = ms[p], go = gap_outcome(L, nls[a], m);
			const fa_gap *gp = &A->gaps[m];
			const char *col = go < 0 ? C_NEUTRAL : outcome_colour((fa_gate_outcome)go);
			char attrs[160];
			for (i = 0; i < nls[a]; i++)
				if (L[i].metric == m && L[i].group < 0)
					draw_limit(h, &L[i], &xs[p], y - rh / 2 + 5,
					           y + rh / 2 + 3);
			if (!isnan(gp->min.value) && !isnan(gp->max.value)) {
				double xa = fa_scale_clamp(&xs[p], gp->min.value);
				double xb = fa_scale_clamp(&xs[p], gp->max.value);
				snprintf(attrs, sizeof(attrs),
				         "stroke=\"%s\" stroke-width=\"%s\" stroke-opacity=\"0.8\"",
				         col, go == FA_GATE_FAIL ? "5" : "3");
				fa_buf_puts(b, "<g><title>");
				esc(b, A->name);
				fa_buf_printf(b, " %s gap ", metric_short[m]);
				estimate_text(b, &gp->gap);
				if (go >= 0)
					fa_buf_printf(b, "; gate %s",
					              outcome_word((fa_gate_outcome)go));
				fa_buf_puts(b, "</title>");
				fa_svg_line(b, xa, y, xb, y, attrs);
				if (go >= 0) {
					snprintf(attrs, sizeof(attrs),
					         "class=\"gaptext\" style=\"fill:%s\"", col);
					fa_svg_text(b, xb + 7, y + 4, "start", attrs,
					            outcome_symbol((fa_gate_outcome)go));
				}
				fa_buf_puts(b, "</g>");
			}
			for (g = 0; g < A->ngroups; g++) {
				const fa_group_result *G = &A->groups[g];
				double v = G->metrics[m].value;
				if (!is_drawn(G) || isnan(v))
					continue;
				fa_buf_puts(b, "<g><title>");
				esc(b, G->value);
				fa_buf_printf(b, ": %s ", metric_short[m]);
				estimate_text(b, &G->metrics[m]);
				if (breaks_limit(L, nls[a], m, A, g))
					fa_buf_puts(b, "; outside a failing gate's limit");
				fa_buf_puts(b, "</title>");
				if (breaks_limit(L, nls[a], m, A, g))
					fa_svg_circle(
					    b, fa_scale_clamp(&xs[p], v), y, 7.5,
					    "class=\"breaks\" fill=\"none\" stroke=\"" C_FAIL
					    "\" stroke-width=\"1.8\"");
				point_marker(b, g, G, fa_scale_clamp(&xs[p], v), y, 4);
				fa_buf_puts(b, "</g>");
			}
			/* name the two ends of the gap when there is room */
			{
				long lo_g, hi_g;
				double xa, xb, wl, wh, x0 = lw + (pw + gapx) * p;
				gap_ends(A, m, &lo_g, &hi_g);
				if (lo_g < 0 || hi_g < 0 || lo_g == hi_g)
					continue;
				xa = fa_scale_clamp(&xs[p], gp->min.value);
				xb = fa_scale_clamp(&xs[p], gp->max.value);
				wl = text_width(A->groups[lo_g].value, 14) * 0.8;
				wh = text_width(A->groups[hi_g].value, 14) * 0.8;
				if (xb - xa > (wl + wh) / 2 + 8) {
					fa_buf_puts(b, "<text x=\"");
					fa_svg_num(b, xa);
					fa_buf_puts(b, "\" y=\"");
					fa_svg_num(b, y + 15);
					fa_buf_printf(b, "\" text-anchor=\"%s\" class=\"tiny\">",
					              xa - wl / 2 < x0 ? "start" : "middle");
					fa_svg_escape_cut(b, A->groups[lo_g].value, 14);
					fa_buf_puts(b, "</text><text x=\"");
					fa_svg_num(b, xb);
					fa_buf_puts(b, "\" y=\"");
					fa_svg_num(b, y + 15);
					fa_buf_printf(b, "\" text-anchor=\"%s\" class=\"tiny\">",
					              xb + wh / 2 > x0 + pw ? "end" : "middle");
					fa_svg_escape_cut(b, A->groups[hi_g].value, 14);
					fa_buf_puts(b, "</text>");
				}
			}
		}
		fa_buf_puts(b, "</g>\n");
	}
	fa_svg_end(b);
	fa_buf_puts(
	    b, "<figcaption>One row per attribute: the markers are its groups (colours as in "
	       "the attribute's own charts), the bar runs from the lowest to the highest "
	       "eligible group, and its two ends are named. A thick vermilion bar with "
	       "\xE2\x9C\x97 is a "
	       "gap that fails a gate, a green one with \xE2\x9C\x93 one that passes, a grey one "
	       "one no gate limits; hatched areas are values a gate forbids, and a ring marks a "
	       "group that breaks a failing gate. The dotted line is the whole population."
	       "</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
	free(all);
	free(nls);
}

/* ---- tables ----------------------------------------------------------------- */

/* A table cell holding an estimate: the value, its interval below, or a dash
 * whose title says why the value is undefined. */
static void td_estimate(fa_buf *b, const fa_estimate *e, const fa_result *r)
{
	char v[40], ci[80];
	if (isnan(e->value)) {
		fa_buf_puts(b, "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"");
		esc(b, e->reason ? e->reason : "undefined");
		fa_buf_puts(b, "\">\xE2\x80\x94</span></td>");
		return;
	}
	fmt3(v, sizeof(v), e->value);
	fmt_ci(ci, sizeof(ci), e);
	fa_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">%s", e->value, v);
	if (ci[0]) {
		fa_buf_puts(b, "<span class=\"ci\"");
		if (e->ci_dropped)
			fa_buf_printf(b,
			              " title=\"%zu of %zu bootstrap replicates left this "
			              "undefined and were left out\"",
			              e->ci_dropped, r->settings.bootstrap);
		fa_buf_printf(b, ">%s</span>", ci);
	}
	fa_buf_puts(b, "</td>");
}

static void td_count(fa_buf *b, const fa_group_result *G, size_t n, const fa_result *r)
{
	if (G->status == FA_GROUP_SUPPRESSED)
		fa_buf_printf(b,
		              "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"withheld: "
		              "group smaller than --suppress-below\">&lt;%zu</span></td>",
		              r->settings.suppress_below);
	else
		fa_buf_printf(b, "<td class=\"num\" data-v=\"%zu\">%zu</td>", n, n);
}

static void group_row(fa_buf *b, const fa_attr_result *A, long g, const fa_group_result *G,
                      const fa_result *r, int part)
{
	size_t i;
	const char *st = G->status == FA_GROUP_OK ? "ok" : fa_group_status_name(G->status);

	fa_buf_printf(b, "<tr class=\"%s\">", g < 0 ? "overall" : st);
	fa_buf_puts(b, "<th scope=\"row\">");
	if (g >= 0)
		fa_buf_printf(b, "<span class=\"swatch\" style=\"background:%s\"></span>",
		              G->status == FA_GROUP_OK ? group_colour((size_t)g) : GREY);
	esc(b, G->value);
	if (A && A->reference == g && g >= 0)
		fa_buf_puts(b, " <span class=\"tag\">reference</span>");
	fa_buf_puts(b, "</th>");
	if (part == 0) {
		fa_buf_puts(b, "<td>");
		fa_buf_puts(b, g < 0 ? "" : fa_group_status_name(G->status));
		fa_buf_puts(b, "</td>");
		td_count(b, G, G->n, r);
		td_count(b, G, G->n_pos, r);
	}
	for (i = 0; table_metrics[part][i] >= 0; i++)
		td_estimate(b, &G->metrics[table_metrics[part][i]], r);
	fa_buf_puts(b, "</tr>\n");
}

/* The group tables of attribute a; a = -1 gives the whole population alone. */
static void group_table(html *h, long a)
{
	fa_buf *b = h->b;
	const fa_attr_result *A = a >= 0 ? &h->r->attrs[a] : NULL;
	size_t g, i;
	int part;

	for (part = 0; part < 2; part++) {
		if (A)
			fa_buf_puts(b, part == 0 ? "<h3>Groups</h3>\n"
			                         : "<h3>Groups: more metrics</h3>\n");
		else
			fa_buf_puts(b,
			            part == 0 ? "<h3>Metrics</h3>\n" : "<h3>More metrics</h3>\n");
		fa_buf_puts(b, "<div class=\"tablewrap\"><table class=\"sortable "
		               "groups\"><thead><tr><th>Group</th>");
		if (part == 0)
			fa_buf_puts(b, "<th>Status</th><th class=\"num\">n</th><th "
			               "class=\"num\">Positives</th>");
		for (i = 0; table_metrics[part][i] >= 0; i++)
			fa_buf_printf(b, "<th class=\"num\" title=\"%s\">%s</th>",
			              metric_title[table_metrics[part][i]],
			              metric_short[table_metrics[part][i]]);
		fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
		for (g = 0; A && g < A->ngroups; g++)
			group_row(b, A, (long)g, &A->groups[g], h->r, part);
		fa_buf_puts(b, A ? "</tbody>\n<tfoot>" : "");
		group_row(b, NULL, -1, &h->r->overall, h->r, part);
		fa_buf_puts(b, A ? "</tfoot></table></div>\n" : "</tbody></table></div>\n");
	}
}

static void gate_cell(fa_buf *b, int go)
{
	if (go < 0)
		fa_buf_puts(b, "<td></td>");
	else
		fa_buf_printf(b, "<td><span class=\"badge b-%s\">%s %s</span></td>",
		              outcome_class((fa_gate_outcome)go),
		              outcome_symbol((fa_gate_outcome)go),
		              outcome_word((fa_gate_outcome)go));
}

/* The worst outcome of the checks on attribute A (of operating point
 * `view`, NULL for the main result) whose quantity is `what`. */
static int check_outcome(const fa_result *r, const fa_attr_result *A, const char *view,
                         const char *what)
{
	size_t gi, ci;
	int worst = -1;
	for (gi = 0; gi < r->ngates; gi++)
		for (ci = 0; ci < r->gates[gi].nchecks; ci++) {
			const fa_gate_check *C = &r->gates[gi].checks[ci];
			const char *w = NULL, *wh = where_for(C->where, view);
			if (!wh || where_in_attr(A, wh, &w) != -1 || strcmp(w, what) != 0)
				continue;
			if (worst < 0 ||
			    outcome_rank(C->outcome) > outcome_rank((fa_gate_outcome)worst))
				worst = (int)C->outcome;
		}
	return worst;
}

static void group_at(fa_buf *b, const fa_attr_result *A, long g, const fa_estimate *e)
{
	if (g < 0 || isnan(e->value)) {
		fa_buf_puts(
		    b, "<td class=\"num\" data-v=\"\"><span class=\"na\">\xE2\x80\x94</span></td>");
		return;
	}
	fa_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">", e->value);
	put3(b, e->value);
	fa_buf_puts(b, " <span class=\"muted\">");
	esc(b, A->groups[g].value);
	fa_buf_puts(b, "</span></td>");
}

/* A p-value cell: the raw p-value, the adjusted one below it. */
static void td_p(fa_buf *b, double p, double padj, const char *low_note)
{
	if (isnan(p)) {
		fa_buf_puts(b, "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"not run or "
		               "not applicable\">\xE2\x80\x94</span></td>");
		return;
	}
	fa_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">", p);
	if (p < 0.001)
		fa_buf_puts(b, "&lt;0.001");
	else
		fa_buf_printf(b, "%.3f", p);
	if (low_note) {
		fa_buf_puts(b, "<span class=\"na\" title=\"");
		esc(b, low_note);
		fa_buf_puts(b, "\">*</span>");
	}
	if (!isnan(padj)) {
		if (padj < 0.001)
			fa_buf_puts(b, "<span class=\"ci\">adj. &lt;0.001</span>");
		else
			fa_buf_printf(b, "<span class=\"ci\">adj. %.3f</span>", padj);
	}
	fa_buf_puts(b, "</td>");
}

/* The gaps of metrics `ms` and the summaries `ss` of attribute A (of
 * operating point `view`, NULL for the main result), with the tests of
 * homogeneity when any was run. */
static void gap_table(html *h, const fa_attr_result *A, const char *view, const int *ms, int nm,
                      const int *ss, int ns)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	int k, perm = 0, chisq = 0;

	for (k = 0; k < nm; k++) {
		perm |= !isnan(A->gaps[ms[k]].perm_p);
		chisq |= !isnan(A->gaps[ms[k]].chisq_p);
	}
	fa_buf_puts(b, "<h3>Gaps between eligible groups</h3>\n<div class=\"tablewrap\"><table "
	               "class=\"sortable gaps inline\"><thead><tr>"
	               "<th>Metric</th><th class=\"num\">Gap (max \xE2\x88\x92 min)</th><th "
	               "class=\"num\">Ratio (min / max)</th>"
	               "<th class=\"num\">Lowest</th><th "
	               "class=\"num\">Highest</th>");
	if (perm)
		fa_buf_puts(b, "<th class=\"num\" title=\"permutation test of the gap: group labels "
		               "permuted within each label class\">Permutation p</th>");
	if (chisq)
		fa_buf_puts(b, "<th class=\"num\" title=\"chi-square test of homogeneity of the "
		               "rate over the eligible groups\">Chi-square p</th>");
	fa_buf_puts(b, "<th>Gate</th></tr></thead>\n<tbody>\n");
	for (k = 0; k < nm; k++) {
		int m = ms[k];
		const fa_gap *gp = &A->gaps[m];
		char name[64];
		long lo_g, hi_g;
		int go_gap, go_ratio, go;
		gap_ends(A, m, &lo_g, &hi_g);
		fa_buf_printf(b, "<tr><th scope=\"row\" title=\"%s\">%s</th>", metric_title[m],
		              metric_short[m]);
		td_estimate(b, &gp->gap, r);
		td_estimate(b, &gp->ratio, r);
		group_at(b, A, lo_g, &gp->min);
		group_at(b, A, hi_g, &gp->max);
		if (perm)
			td_p(b, gp->perm_p, gp->perm_p_adjusted, NULL);
		if (chisq)
			td_p(b, gp->chisq_p, gp->chisq_p_adjusted,
			     gp->chisq_low_expected ? "an expected count is under 5: the chi-square "
			                              "p-value is not to be trusted"
			                            : NULL);
		snprintf(name, sizeof(name), "%s_gap", fa_metric_name((fa_metric)m));
		go_gap = check_outcome(r, A, view, name);
		snprintf(name, sizeof(name), "%s_ratio", fa_metric_name((fa_metric)m));
		go_ratio = check_outcome(r, A, view, name);
		go = go_gap;
		if (go < 0 || (go_ratio >= 0 && outcome_rank((fa_gate_outcome)go_ratio) >
		                                    outcome_rank((fa_gate_outcome)go)))
			go = go_ratio;
		gate_cell(b, go);
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
	if (perm || chisq)
		fa_buf_printf(b, "<p class=\"note\">Is there a gap at all? The p-values test that "
		                 "every eligible group shares the metric%s. A * marks a chi-square "
		                 "test with an expected count under 5.</p>\n",
		              view ? "; at an operating point they are not adjusted for multiplicity"
		                   : "; beside each, the p-value adjusted for every test of the "
		                     "report");

	fa_buf_puts(
	    b, "<h3>Summaries</h3>\n<div class=\"tablewrap\"><table class=\"summaries "
	       "inline\"><thead><tr>"
	       "<th>Summary</th><th class=\"num\">Value</th><th>Gate</th></tr></thead>\n<tbody>\n");
	for (k = 0; k < ns; k++) {
		int sm = ss[k];
		fa_buf_printf(b, "<tr><th scope=\"row\">%s <code>%s</code></th>", summary_title[sm],
		              fa_summary_name((fa_summary)sm));
		td_estimate(b, &A->summary[sm], r);
		gate_cell(b, check_outcome(r, A, view, fa_summary_name((fa_summary)sm)));
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
}

/* A cell with an estimate and its analytic interval (leakage has no
 * other). */
static void td_estimate_aci(fa_buf *b, const fa_estimate *e)
{
	if (isnan(e->value)) {
		fa_buf_puts(b, "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"");
		esc(b, e->reason ? e->reason : "undefined");
		fa_buf_puts(b, "\">\xE2\x80\x94</span></td>");
		return;
	}
	fa_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">%.3f", e->value, e->value);
	if (e->has_aci)
		fa_buf_printf(b, "<span class=\"ci\">%.3f\xE2\x80\x93%.3f</span>", e->aci_low,
		              e->aci_high);
	fa_buf_puts(b, "</td>");
}

/* A plain number cell, or a dash whose title says why there is none. */
static void td_number(fa_buf *b, double x, const char *why)
{
	if (isnan(x)) {
		fa_buf_puts(b, "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"");
		esc(b, why);
		fa_buf_puts(b, "\">\xE2\x80\x94</span></td>");
		return;
	}
	fa_buf_printf(b, "<td class=\"num\" data-v=\"%.17g\">%.3f</td>", x, x);
}

static void group_head(fa_buf *b, const fa_attr_result *A, size_t g)
{
	const fa_group_result *G = &A->groups[g];
	fa_buf_printf(b, "<tr class=\"%s\"><th scope=\"row\"><span class=\"swatch\" "
	                 "style=\"background:%s\"></span>",
	              G->status == FA_GROUP_OK ? "ok" : fa_group_status_name(G->status),
	              G->status == FA_GROUP_OK ? group_colour(g) : GREY);
	esc(b, G->value);
	if (A->reference == (long)g)
		fa_buf_puts(b, " <span class=\"tag\">reference</span>");
	fa_buf_puts(b, "</th>");
}

static void leakage_table(html *h, const fa_attr_result *A)
{
	fa_buf *b = h->b;
	size_t g;
	int c;

	fa_buf_puts(b, "<h3>Score\xE2\x80\x93" "attribute leakage</h3>\n<div class=\"tablewrap\"><table "
	               "class=\"sortable leakage\"><thead><tr><th>Group</th><th class=\"num\" "
	               "title=\"AUC of the score, this group against the rest, among "
	               "negatives\">AUC among negatives</th><th class=\"num\" title=\"AUC of the "
	               "score, this group against the rest, among positives\">AUC among "
	               "positives</th></tr></thead>\n<tbody>\n");
	for (g = 0; g < A->ngroups; g++) {
		if (!is_drawn(&A->groups[g]))
			continue;
		group_head(b, A, g);
		for (c = 0; c < 2; c++)
			td_estimate_aci(b, &A->groups[g].leakage[c]);
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
}

/* Power and representation, when the result was annotated with them. */
static void power_table(html *h, const fa_attr_result *A)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_settings *s = &r->settings;
	size_t g;

	if (!s->power_annotated && !s->population)
		return;
	fa_buf_puts(b, "<h3>");
	fa_buf_puts(b, s->power_annotated && s->population ? "Power and representation"
	               : s->power_annotated               ? "Power"
	                                                  : "Representation");
	fa_buf_puts(b, "</h3>\n<div class=\"tablewrap\"><table class=\"sortable power\"><thead><tr>"
	               "<th>Group</th>");
	if (s->power_annotated)
		fa_buf_puts(b, "<th class=\"num\" title=\"minimum detectable difference of TPR to the "
		               "reference\">TPR MDD</th><th class=\"num\" title=\"minimum detectable "
		               "difference of FPR to the reference\">FPR MDD</th><th class=\"num\" "
		               "title=\"minimum detectable difference of AUC to the reference\">AUC "
		               "MDD</th><th>Underpowered</th>");
	if (s->population)
		fa_buf_puts(b, "<th class=\"num\">Audit share</th><th class=\"num\">Population "
		               "share</th><th class=\"num\">Ratio</th><th>Under-represented</th>");
	fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_result *G = &A->groups[g];
		if (!is_drawn(G))
			continue;
		group_head(b, A, g);
		if (s->power_annotated) {
			td_estimate(b, &G->mdd[FA_M_TPR], r);
			td_estimate(b, &G->mdd[FA_M_FPR], r);
			td_estimate(b, &G->mdd[FA_M_AUC], r);
			fa_buf_printf(b, "<td>%s</td>", G->underpowered ? "yes" : "no");
		}
		if (s->population) {
			td_estimate(b, &G->representation.audit_share, r);
			td_number(b, G->representation.population_share,
			          "the population file does not name the group");
			td_estimate(b, &G->representation.ratio, r);
			fa_buf_printf(b, "<td>%s</td>",
			              G->representation.under_represented ? "yes" : "no");
		}
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
	if (s->power_annotated)
		fa_buf_printf(b, "<p class=\"note\">MDD: the smallest worsening against the reference "
		                 "each group's counts would detect (power %g, alpha %g); underpowered: "
		                 "the TPR one exceeds %g.</p>\n",
		              s->power_target, s->power_alpha, s->power_detectable);
	if (s->population) {
		const fa_attr_representation *p = &A->representation;
		fa_buf_puts(b, "<p class=\"note\">");
		if (!p->named) {
			fa_buf_puts(b, "The population file does not name this attribute.");
		} else if (isnan(p->p_value)) {
			fa_buf_puts(b, "No goodness-of-fit test");
			if (p->reason) {
				fa_buf_puts(b, ": ");
				esc(b, p->reason);
			}
			fa_buf_putc(b, '.');
		} else {
			fa_buf_printf(b, "Goodness of fit to the population: chi-square %.2f, df %u, "
			                 "p %s%.3f%s.",
			              p->chisq, p->df, p->p_value < 0.001 ? "&lt; " : "",
			              p->p_value < 0.001 ? 0.001 : p->p_value,
			              p->low_expected ? " (an expected count is under 5: approximate)"
			                              : "");
		}
		for (g = 0; g < p->nabsent; g++) {
			fa_buf_puts(b, g ? ", " : " No record of: ");
			esc(b, p->absent[g].value);
			fa_buf_printf(b, " (population share %.3f)", p->absent[g].share);
		}
		fa_buf_puts(b, "</p>\n");
	}
}

/* The groups of attribute A at an operating point: the rates at its
 * threshold and each group's own threshold. */
static void view_group_table(html *h, const fa_view *v, const fa_attr_result *A)
{
	static const int ms[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_NPV, FA_M_SELECTION_RATE};
	fa_buf *b = h->b;
	int own = view_word(v) != NULL;
	size_t g, i;

	fa_buf_puts(b, "<h3>Groups at this threshold</h3>\n<div class=\"tablewrap\"><table "
	               "class=\"sortable groups\"><thead><tr><th>Group</th><th "
	               "class=\"num\">n</th>");
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		fa_buf_printf(b, "<th class=\"num\" title=\"%s\">%s</th>", metric_title[ms[i]],
		              metric_short[ms[i]]);
	if (own)
		fa_buf_puts(b, "<th class=\"num\" title=\"the threshold this group alone would need "
		               "for the target\">Own threshold</th>");
	fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (g = 0; g < A->ngroups; g++) {
		const fa_group_result *G = &A->groups[g];
		if (!is_drawn(G))
			continue;
		group_head(b, A, g);
		td_count(b, G, G->n, h->r);
		for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
			td_estimate(b, &G->metrics[ms[i]], h->r);
		if (own)
			td_number(b, G->own_threshold, "no threshold reaches the target in this group");
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
}

/* ---- several models ------------------------------------------------------------ */

/* The gaps the models chart draws, one row each: every metric whose gap can
 * differ between models and is not another's twin (fnr's gap is tpr's,
 * tnr's fpr's). */
static const int model_chart_metrics[] = {FA_M_TPR,
                                          FA_M_FPR,
                                          FA_M_PPV,
                                          FA_M_NPV,
                                          FA_M_SELECTION_RATE,
                                          FA_M_ACCURACY,
                                          FA_M_BALANCED_ACCURACY,
                                          FA_M_F1,
                                          FA_M_AUC,
                                          FA_M_BRIER,
                                          FA_M_ECE};
#define NMODEL_CHART ((int)(sizeof(model_chart_metrics) / sizeof(model_chart_metrics[0])))
#define MODEL_ROW_H 15.0

static const char *model_colour(size_t k)
{
	return palette[k % NPALETTE];
}

static int model_shape(size_t k)
{
	return (int)(k % 4);
}

/* A model's name with its colour, for tables and legends. */
static void model_swatch(fa_buf *b, const fa_result *r, size_t k)
{
	fa_buf_printf(b, "<span class=\"swatch\" style=\"background:%s\"></span>", model_colour(k));
	esc(b, r->models[k].name);
}

/* "b − a" of a difference. */
static void pair_text(fa_buf *b, const fa_result *r, const fa_model_diff *d)
{
	esc(b, r->models[d->b].name);
	fa_buf_puts(b, " \xE2\x88\x92 ");
	esc(b, r->models[d->a].name);
}

/* The difference of models[k] and models[0], the pair the chart draws. */
static const fa_model_diff *diff_to_first(const fa_result *r, size_t k)
{
	size_t i;
	for (i = 0; i < r->nmodel_diffs; i++)
		if (r->model_diffs[i].a == 0 && r->model_diffs[i].b == k)
			return &r->model_diffs[i];
	return NULL;
}

/* Widen [lo, hi] to hold an estimate and its interval. */
static void ext_estimate(double *lo, double *hi, const fa_estimate *e)
{
	if (isnan(e->value))
		return;
	*lo = fmin(*lo, e->value);
	*hi = fmax(*hi, e->value);
	if (e->has_ci) {
		*lo = fmin(*lo, e->ci_low);
		*hi = fmax(*hi, e->ci_high);
	}
}

/* An estimate as a point with its interval on scale x at height y. */
static void model_point(fa_buf *b, const fa_scale *x, const fa_estimate *e, double y, size_t k,
                        int ring)
{
	char attrs[160];
	const char *col = model_colour(k);

	if (isnan(e->value))
		return;
	if (e->has_ci) {
		snprintf(attrs, sizeof(attrs), "class=\"ci\" stroke=\"%s\" fill=\"%s\"", col, col);
		fa_svg_hinterval(b, x, e->ci_low, e->ci_high, y, attrs);
	}
	if (ring)
		fa_svg_circle(b, fa_scale_clamp(x, e->value), y, 7,
		              "fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"");
	snprintf(attrs, sizeof(attrs), "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"", col);
	fa_svg_marker(b, model_shape(k), fa_scale_clamp(x, e->value), y, 4.5, attrs);
}

/* Attribute a's gaps per model (points with intervals, the best model
 * ringed) and, beside them, each model's difference from the first with
 * its paired interval. */
static void models_chart(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_model_best *best = r->model_best ? &r->model_best[a] : NULL;
	size_t K = r->nmodels, k;
	double lw = 150, pw = 300, gapx = 30, top = 30, rh = MODEL_ROW_H * (double)K + 10, y, H, W;
	double lo1 = 0, hi1 = -INFINITY, lo2 = 0, hi2 = 0, y_axis, x2;
	fa_scale x1s, x2s;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;
	int i;

	for (i = 0; i < NMODEL_CHART; i++)
		for (k = 0; k < K; k++) {
			const fa_model_diff *d = k ? diff_to_first(r, k) : NULL;
			ext_estimate(&lo1, &hi1,
			             &r->models[k].attrs[a].gaps[model_chart_metrics[i]].gap);
			if (d)
				ext_estimate(&lo2, &hi2,
				             &d->attrs[a].gaps[model_chart_metrics[i]].gap);
		}
	if (!(hi1 > lo1))
		hi1 = lo1 + 0.1;
	if (!(hi2 > lo2))
		hi2 = lo2 + 0.1;
	fa_nice_extent(&lo1, &hi1, 4);
	fa_nice_extent(&lo2, &hi2, 4);
	W = lw + 2 * pw + gapx + 10;
	y_axis = top + rh * NMODEL_CHART + 4;
	H = y_axis + 52 + 18 * (double)((K + 3) / 4);
	x2 = lw + pw + gapx;
	fa_scale_init(&x1s, lo1, hi1, lw + 6, lw + pw - 6);
	fa_scale_init(&x2s, lo2, hi2, x2 + 6, x2 + pw - 6);

	fa_buf_puts(&label, "Gaps of ");
	fa_buf_puts(&label, r->attrs[a].name);
	fa_buf_puts(&label, " by model, and each model's difference from ");
	fa_buf_puts(&label, r->models[0].name);
	for (i = 0; i < NMODEL_CHART; i++) {
		int m = model_chart_metrics[i];
		fa_buf_printf(&desc, "%s%s gap:", i ? "; " : "", metric_short[m]);
		for (k = 0; k < K; k++) {
			fa_buf_printf(&desc, " %s ", r->models[k].name);
			estimate_text(&desc, &r->models[k].attrs[a].gaps[m].gap);
			if (best && best->gap[m] == (long)k)
				fa_buf_puts(&desc, " (best)");
			fa_buf_putc(&desc, ',');
		}
	}
	fa_buf_putc(&desc, '.');

	fa_buf_puts(b, "<figure class=\"chart wide\">\n");
	fa_svg_begin(b, W, H, "models", label.ptr, label.ptr, desc.ptr);
	for (i = 0; i < NMODEL_CHART; i += 2)
		fa_svg_rect(b, 0, top + rh * i, W, rh, "class=\"stripe\"");
	fa_svg_text(b, lw + pw / 2, 14, "middle", "class=\"ptitle\"",
	            "Gap (max \xE2\x88\x92 min) by model");
	{
		fa_buf t = FA_BUF_INIT;
		fa_buf_puts(&t, "Difference from ");
		fa_buf_puts(&t, r->models[0].name);
		fa_buf_puts(&t, ", paired");
		fa_svg_text(b, x2 + pw / 2, 14, "middle", "class=\"ptitle\"", t.ptr);
		fa_buf_free(&t);
	}
	fa_svg_axis(b, &x1s, FA_AXIS_BOTTOM, y_axis, 4, y_axis - top, "gap");
	fa_svg_axis(b, &x2s, FA_AXIS_BOTTOM, y_axis, 4, y_axis - top, "model minus the first");
	if (lo2 <= 0 && hi2 >= 0)
		fa_svg_line(b, fa_scale_map(&x2s, 0), top - 4, fa_scale_map(&x2s, 0), y_axis,
		            "class=\"refline\"");
	for (i = 0; i < NMODEL_CHART; i++) {
		int m = model_chart_metrics[i];
		long bm = best ? best->gap[m] : -1;
		y = top + rh * i + 5 + MODEL_ROW_H / 2;
		fa_buf_puts(b, "<g><text x=\"4\" y=\"");
		fa_svg_num(b, y + 4);
		fa_buf_printf(b, "\" class=\"glabel\">%s gap</text>", metric_short[m]);
		if (bm >= 0 && (size_t)bm < K) {
			fa_buf_puts(b, "<text x=\"4\" y=\"");
			fa_svg_num(b, y + 18);
			fa_buf_puts(b, "\" class=\"tiny\">best: ");
			fa_svg_escape_cut(b, r->models[bm].name, 16);
			fa_buf_puts(b, "</text>");
		}
		for (k = 0; k < K; k++) {
			const fa_estimate *e = &r->models[k].attrs[a].gaps[m].gap;
			const fa_model_diff *d = k ? diff_to_first(r, k) : NULL;
			double yk = y + MODEL_ROW_H * (double)k;
			fa_buf_puts(b, "<g><title>");
			esc(b, r->models[k].name);
			fa_buf_printf(b, ": %s gap ", metric_short[m]);
			estimate_text(b, e);
			if (bm == (long)k)
				fa_buf_puts(b, "; the best model");
			if (d) {
				fa_buf_puts(b, "; difference from ");
				esc(b, r->models[0].name);
				fa_buf_putc(b, ' ');
				estimate_text(b, &d->attrs[a].gaps[m].gap);
			}
			fa_buf_puts(b, "</title>");
			model_point(b, &x1s, e, yk, k, bm == (long)k);
			if (d)
				model_point(b, &x2s, &d->attrs[a].gaps[m].gap, yk, k, 0);
			fa_buf_puts(b, "</g>");
		}
		fa_buf_puts(b, "</g>\n");
	}
	/* the legend: one marker per model */
	for (k = 0; k < K; k++) {
		double lx = lw + (double)(k % 4) * 150, ly = y_axis + 52 + 18 * (double)(k / 4);
		char attrs[120];
		snprintf(attrs, sizeof(attrs), "fill=\"%s\"", model_colour(k));
		fa_svg_marker(b, model_shape(k), lx, ly - 4, 4.5, attrs);
		fa_buf_puts(b, "<text x=\"");
		fa_svg_num(b, lx + 9);
		fa_buf_puts(b, "\" y=\"");
		fa_svg_num(b, ly);
		fa_buf_puts(b, "\" class=\"small\">");
		fa_svg_escape_cut(b, r->models[k].name, 18);
		fa_buf_puts(b, "</text>");
	}
	fa_svg_end(b);
	fa_buf_puts(b, "<figcaption>Left: each gap of ");
	esc(b, r->attrs[a].name);
	fa_buf_puts(b, " for every model, the marker its estimate and the bar its ");
	if (r->settings.bootstrap > 0)
		fa_buf_printf(b, "%g%% bootstrap interval", level_pct(r));
	else
		fa_buf_puts(b, "interval (none: no bootstrap)");
	fa_buf_puts(b, "; the ringed marker is the best model (the smallest gap). Right: each "
	               "model's gap minus the first model's, with the paired interval from the "
	               "replicates the models share; a bar clear of the dashed zero line is a "
	               "difference the data show.</figcaption>\n</figure>\n");
	fa_buf_free(&label);
	fa_buf_free(&desc);
}

/* The models' gaps and summaries of attribute a side by side, the best
 * one marked, and the differences of every pair. */
static void models_tables(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_model_best *best = r->model_best ? &r->model_best[a] : NULL;
	size_t k, i;

	fa_buf_puts(b, "<div class=\"tablewrap\"><table class=\"models inline\"><thead><tr>"
	               "<th>Quantity</th>");
	for (k = 0; k < r->nmodels; k++) {
		fa_buf_puts(b, "<th class=\"num\">");
		model_swatch(b, r, k);
		fa_buf_puts(b, "</th>");
	}
	fa_buf_puts(b, "<th>Best</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < FA_M__COUNT + FA_S__COUNT; i++) {
		int is_sum = i >= FA_M__COUNT, at = is_sum ? (int)(i - FA_M__COUNT) : (int)i;
		long bm = !best ? -1 : is_sum ? best->summary[at] : best->gap[at];
		fa_buf_puts(b, "<tr><th scope=\"row\"><code>");
		if (is_sum)
			fa_buf_puts(b, fa_summary_name((fa_summary)at));
		else
			fa_buf_printf(b, "%s_gap", fa_metric_name((fa_metric)at));
		fa_buf_puts(b, "</code></th>");
		for (k = 0; k < r->nmodels; k++) {
			const fa_attr_result *A = &r->models[k].attrs[a];
			td_estimate(b, is_sum ? &A->summary[at] : &A->gaps[at].gap, r);
		}
		if (bm >= 0 && (size_t)bm < r->nmodels) {
			fa_buf_puts(b, "<td><b>");
			model_swatch(b, r, (size_t)bm);
			fa_buf_puts(b, "</b></td>");
		} else {
			fa_buf_puts(b, "<td><span class=\"na\" title=\"the models do not differ\">"
			               "\xE2\x80\x94</span></td>");
		}
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
	if (!r->nmodel_diffs)
		return;
	fa_buf_puts(b, "<h4>Differences between models (paired)</h4>\n<div class=\"tablewrap\">"
	               "<table class=\"modeldiffs inline\"><thead><tr><th>Quantity</th>");
	for (k = 0; k < r->nmodel_diffs; k++) {
		fa_buf_puts(b, "<th class=\"num\">");
		pair_text(b, r, &r->model_diffs[k]);
		fa_buf_puts(b, "</th>");
	}
	fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < FA_M__COUNT + FA_S__COUNT; i++) {
		int is_sum = i >= FA_M__COUNT, at = is_sum ? (int)(i - FA_M__COUNT) : (int)i;
		fa_buf_puts(b, "<tr><th scope=\"row\"><code>");
		if (is_sum)
			fa_buf_puts(b, fa_summary_name((fa_summary)at));
		else
			fa_buf_printf(b, "%s_gap", fa_metric_name((fa_metric)at));
		fa_buf_puts(b, "</code></th>");
		for (k = 0; k < r->nmodel_diffs; k++) {
			const fa_model_attr_diff *ad = &r->model_diffs[k].attrs[a];
			td_estimate(b, is_sum ? &ad->summary[at] : &ad->gaps[at].gap, r);
		}
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
}

static const int model_overall_metrics[] = {FA_M_AUC, FA_M_TPR,   FA_M_FPR,
                                            FA_M_PPV, FA_M_BRIER, FA_M_ECE};
#define NMODEL_OVERALL 6

/* Several models (--model): the whole population per model and the
 * differences, then per attribute the chart and tables of the gaps. */
static void models_section(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t k, a;
	int j;

	if (!r->nmodels)
		return;
	fa_buf_puts(b, "<section class=\"models\" id=\"models\">\n<h2>Models</h2>\n<p>");
	if (r->nmodels == 1) {
		fa_buf_puts(b, "One model, <b>");
		esc(b, r->models[0].name);
		fa_buf_puts(b, "</b> (score column <code>");
		esc(b, r->models[0].score_column ? r->models[0].score_column : "");
		fa_buf_puts(b, "</code>).</p>\n</section>\n");
		return;
	}
	fa_buf_printf(b,
	              "%zu models of the same records, measured on the same bootstrap "
	              "replicates, so a difference between two models has a paired interval "
	              "(docs/models.md). The other sections of this page are those of the "
	              "first model, <b>",
	              r->nmodels);
	esc(b, r->models[0].name);
	fa_buf_puts(b, "</b>.");
	if (r->settings.bootstrap == 0)
		fa_buf_puts(b,
		            " Without bootstrap replicates (--bootstrap 0) the differences have no "
		            "intervals.");
	fa_buf_puts(b, "</p>\n<div class=\"tablewrap\"><table class=\"models inline\"><thead>"
	               "<tr><th>Model</th><th>Score column</th>");
	for (j = 0; j < NMODEL_OVERALL; j++)
		fa_buf_printf(b, "<th class=\"num\">%s</th>",
		              metric_short[model_overall_metrics[j]]);
	fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (k = 0; k < r->nmodels; k++) {
		fa_buf_puts(b, "<tr><th scope=\"row\">");
		model_swatch(b, r, k);
		fa_buf_puts(b, "</th><td><code>");
		esc(b, r->models[k].score_column ? r->models[k].score_column : "");
		fa_buf_puts(b, "</code></td>");
		for (j = 0; j < NMODEL_OVERALL; j++)
			td_estimate(b, &r->models[k].overall.metrics[model_overall_metrics[j]], r);
		fa_buf_puts(b, "</tr>\n");
	}
	for (k = 0; k < r->nmodel_diffs; k++) {
		fa_buf_puts(b, "<tr><th scope=\"row\">");
		pair_text(b, r, &r->model_diffs[k]);
		fa_buf_puts(b, "</th><td>paired difference</td>");
		for (j = 0; j < NMODEL_OVERALL; j++)
			td_estimate(b, &r->model_diffs[k].overall[model_overall_metrics[j]], r);
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_puts(b, "</tbody></table></div>\n");
	for (a = 0; a < r->nattrs; a++) {
		fa_buf_puts(b, "<h3>");
		esc(b, r->attrs[a].name);
		fa_buf_puts(b, ": gaps by model</h3>\n");
		models_chart(h, a);
		models_tables(h, a);
	}
	fa_buf_puts(b, "</section>\n");
}

/* ---- page sections ------------------------------------------------------------ */

static const char *const page_css[] = {
    ":root{color-scheme:light}\n",
    "body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\",\"Liberation "
    "Sans\",Arial,sans-serif;",
    "color:#1a1a1a;background:#fff;max-width:1180px;margin:0 auto;padding:12px 24px 48px}\n",
    "h1{font-size:24px;margin:6px 0 2px}\n",
    "h2{font-size:19px;border-bottom:2px solid #ddd;padding-bottom:3px;margin:30px 0 10px}\n",
    "h3{font-size:15px;margin:18px 0 6px}\n",
    "p{margin:6px 0}\n",
    "a{color:#0b5c99}\n",
    ".sub{color:#555;margin:0 0 8px}\n",
    ".verdict{display:flex;flex-wrap:wrap;gap:6px 16px;align-items:baseline;border:2px "
    "solid;border-radius:6px;padding:10px 16px;margin:10px 0}\n",
    ".verdict .word{font-size:26px;font-weight:700;letter-spacing:.03em}\n",
    ".v-pass{border-color:#009E73;background:#e8f6f1}.v-pass .word{color:#00664a}\n",
    ".v-fail{border-color:#D55E00;background:#fcefe6}.v-fail .word{color:#9c4300}\n",
    ".v-inconclusive{border-color:#E69F00;background:#fdf6e4}.v-inconclusive "
    ".word{color:#7a5300}\n",
    ".v-none{border-color:#999;background:#f5f5f5}.v-none .word{color:#444}\n"
    ".warning{border-left:4px solid #E69F00;background:#fff8e6;padding:.4em .8em}\n",
    ".badge{display:inline-block;padding:0 "
    "7px;border-radius:9px;font-size:12px;font-weight:700;white-space:nowrap;border:1px solid}\n",
    ".b-pass{background:#dcf2ea;color:#00573f;border-color:#009E73}\n",
    ".b-fail{background:#fbe0cf;color:#8a3a00;border-color:#D55E00}\n",
    ".b-inconclusive{background:#fcefcc;color:#6b4800;border-color:#E69F00}\n",
    "table{border-collapse:collapse;font-size:13px;margin:4px 0}\n",
    "th,td{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\n",
    "thead th{border-bottom:2px solid #bbb;background:#fafafa}\n",
    "tfoot th,tfoot td{border-top:2px solid #bbb}\n",
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n",
    ".ci{display:block;font-size:11px;color:#666;white-space:nowrap}\n",
    "table.inline .ci{display:inline;margin-left:6px}\n",
    "table.inline .ci::before{content:\"(\"}table.inline .ci::after{content:\")\"}\n",
    ".na{color:#888}\n",
    "span[title]{cursor:help}\n",
    "tr.insufficient,tr.suppressed{color:#777}\n",
    "tr.suppressed{font-style:italic}\n",
    ".tag{font-size:11px;font-weight:400;color:#555;border:1px solid "
    "#bbb;border-radius:3px;padding:0 3px}\n",
    ".swatch{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}\n",
    ".muted{color:#666;fill:#666}\n",
    ".note{color:#555;font-style:italic}\n",
    ".tablewrap{overflow-x:auto}\n",
    "table.kv th{font-weight:600;white-space:nowrap;color:#333;width:9em}\n",
    "table.kv td,table.kv th{border-bottom:1px solid #eee}\n",
    "code{font-family:ui-monospace,\"DejaVu Sans Mono\",\"Liberation "
    "Mono\",monospace;font-size:12px;word-break:break-all}\n",
    "nav{margin:8px 0;font-size:14px}\n",
    "nav a{margin-right:12px}\n",
    "figure{margin:10px 0 18px;break-inside:avoid;page-break-inside:avoid}\n",
    "figcaption{font-size:12.5px;color:#444;margin-top:4px;max-width:62em}\n",
    ".charts{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 "
    "28px;align-items:start}\n",
    "@media (max-width:900px){.charts{grid-template-columns:minmax(0,1fr)}}\n",
    ".multiples{display:flex;flex-wrap:wrap;gap:4px 14px}\n",
    "svg{max-width:100%;height:auto;display:block;overflow:visible}\n",
    "svg text{font-size:12px;fill:#222}\n",
    "svg .axis line{stroke:#444}\n",
    "svg .axis line.grid{stroke:#e8e8e8}\n",
    "svg .axis text{font-size:11px;fill:#444}\n",
    "svg text.label{font-size:11.5px;fill:#333}\n",
    "svg text.ptitle{font-size:13px;font-weight:700}\n",
    "svg text.glabel{font-size:12.5px}\n",
    "svg text.ref{font-weight:700}\n",
    "svg text.small{font-size:11px}\n",
    "svg text.tiny{font-size:10px;fill:#333}\n",
    "svg text.muted,svg tspan.muted{fill:#666}\n",
    "svg text.badgetext{font-size:11px;font-weight:700}\n",
    "svg text.gaptext{font-size:11px;font-weight:700;stroke:none}\n",
    "svg text.halo{stroke:#fff;stroke-width:4px;stroke-linejoin:round;paint-order:stroke}\n",
    "table.gates td.num,table.gates code{white-space:nowrap}\n",
    "svg .stripe{fill:#f4f6f8}\n",
    "svg .refline{stroke:#333;stroke-width:1.3;stroke-dasharray:6 3}\n",
    "svg .overallline{stroke:#333;stroke-width:1.3;stroke-dasharray:1.5 3}\n",
    "svg .chance{stroke:#999;stroke-width:1;stroke-dasharray:4 4}\n",
    "svg .curve{fill:none;stroke-width:2;stroke-linejoin:round}\n",
    "svg .curve.thin{stroke-width:1.5}\n",
    "svg .hist{fill:#d0d0d0}\n",
    "svg .ci line{stroke-width:1.6}\n",
    "svg .ci path.clip{stroke:none}\n",
    "th.sorted-asc::after{content:\" \\25B2\"}th.sorted-desc::after{content:\" \\25BC\"}\n",
    "thead th{cursor:pointer}\n",
    "footer{margin-top:36px;color:#666;font-size:12px;border-top:1px solid #ddd;padding-top:8px}\n",
    "@page{margin:12mm}\n",
    "@media print{body{max-width:none;padding:0;font-size:10pt}",
    "h2,h3{break-after:avoid;page-break-after:avoid}",
    "section.attr,section.op{break-before:page;page-break-before:always}",
    "figure,svg,tr,.verdict{break-inside:avoid;page-break-inside:avoid}",
    "thead{display:table-header-group}",
    ".tablewrap{overflow:visible}table{font-size:8pt}.ci{font-size:7pt}",
    "nav{display:none}a{color:inherit;text-decoration:none}",
    "th.sorted-asc::after,th.sorted-desc::after{content:none}}\n",
    NULL,
};

/* Sorting by a column header click; the page reads the same without it. It
 * uses no '<' or '&' so the page stays XML without a CDATA section. */
static const char page_js[] =
    "(function () {\n"
    "  function key(td) {\n"
    "    if (!td) return null;\n"
    "    var v = td.getAttribute('data-v');\n"
    "    if (v === null) return td.textContent.trim().toLowerCase();\n"
    "    return v === '' ? null : parseFloat(v);\n"
    "  }\n"
    "  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (t) {\n"
    "    Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th) {\n"
    "      th.addEventListener('click', function () {\n"
    "        var body = t.tBodies[0], i = th.cellIndex;\n"
    "        var dir = th.className.indexOf('sorted-asc') === -1 ? 1 : -1;\n"
    "        var rows = Array.prototype.slice.call(body.rows);\n"
    "        rows.sort(function (a, b) {\n"
    "          var x = key(a.cells[i]), y = key(b.cells[i]);\n"
    "          if (x === y) return 0;\n"
    "          if (x === null) return 1;\n"
    "          if (y === null) return -1;\n"
    "          return (x > y ? 1 : -1) * dir;\n"
    "        });\n"
    "        rows.forEach(function (r) { body.appendChild(r); });\n"
    "        Array.prototype.forEach.call(t.tHead.rows[0].cells, function (c) { c.className = "
    "c.className.replace(/ ?sorted-(asc|desc)/, ''); });\n"
    "        th.className += dir === 1 ? ' sorted-asc' : ' sorted-desc';\n"
    "      });\n"
    "    });\n"
    "  });\n"
    "})();\n";

static void page_head(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t i;
	fa_buf_puts(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" "
	               "xml:lang=\"en\">\n<head>\n"
	               "<meta charset=\"utf-8\"/>\n"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	               "<meta name=\"generator\" content=\"fairaudit ");
	esc(b, r->tool_version ? r->tool_version : "");
	fa_buf_puts(b, "\"/>\n<title>Fairness audit");
	if (r->nfiles) {
		const char *p = r->files[0].path, *slash = strrchr(p, '/');
		fa_buf_puts(b, ": ");
		esc(b, slash ? slash + 1 : p);
		if (r->nfiles > 1)
			fa_buf_printf(b, " and %zu more", r->nfiles - 1);
	}
	fa_buf_puts(b, "</title>\n<style>\n");
	for (i = 0; page_css[i]; i++)
		fa_buf_puts(b, page_css[i]);
	fa_buf_puts(b, "</style>\n</head>\n<body>\n");
}

static void verdict_section(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t i, nfail = 0, ninc = 0;

	fa_buf_puts(b, "<header>\n<h1>Fairness audit</h1>\n<p class=\"sub\">");
	for (i = 0; i < r->nfiles; i++) {
		if (i)
			fa_buf_puts(b, ", ");
		fa_buf_puts(b, "<code>");
		esc(b, r->files[i].path);
		fa_buf_puts(b, "</code>");
	}
	fa_buf_printf(b, "%s%zu records used", r->nfiles ? " \xC2\xB7 " : "", r->rows_used);
	fa_buf_printf(b, " \xC2\xB7 %zu attribute%s", r->nattrs, r->nattrs == 1 ? "" : "s");
	fa_buf_puts(b, " \xC2\xB7 fairaudit ");
	esc(b, r->tool_version ? r->tool_version : "");
	fa_buf_puts(b, "</p>\n");
	for (i = 0; i < r->ngates; i++) {
		nfail += r->gates[i].outcome == FA_GATE_FAIL;
		ninc += r->gates[i].outcome == FA_GATE_INCONCLUSIVE;
	}
	for (i = 0; i < r->nwarnings; i++) {
		fa_buf_puts(b, "<p class=\"warning\" role=\"note\"><strong>Warning:</strong> ");
		esc(b, r->warnings[i]);
		fa_buf_puts(b, "</p>\n");
	}
	if (r->ngates == 0) {
		fa_buf_puts(b, "<div class=\"verdict v-none\" role=\"status\"><span "
		               "class=\"word\">No gates</span>"
		               "<span>No release gate was given, so nothing passes or fails: the "
		               "report describes the model only.</span></div>\n");
	} else {
		fa_buf_printf(b,
		              "<div class=\"verdict v-%s\" role=\"status\"><span class=\"word\">%s "
		              "%s</span><span>",
		              outcome_class(r->verdict), outcome_symbol(r->verdict),
		              outcome_word(r->verdict));
		if (r->verdict == FA_GATE_FAIL)
			fa_buf_printf(b, "%zu of %zu gate%s failed", nfail, r->ngates,
			              r->ngates == 1 ? "" : "s");
		else if (r->verdict == FA_GATE_INCONCLUSIVE)
			fa_buf_printf(b, "no gate failed, but %zu of %zu could not be decided",
			              ninc, r->ngates);
		else
			fa_buf_printf(b, "all %zu gate%s passed", r->ngates,
			              r->ngates == 1 ? "" : "s");
		if (r->settings.gate_on && strcmp(r->settings.gate_on, "ci-violation") == 0)
			fa_buf_printf(
			    b, "; a gate fails only when its whole %g%% interval violates it",
			    level_pct(r));
		else if (r->settings.gate_on && strcmp(r->settings.gate_on, "ci-compliance") == 0)
			fa_buf_printf(b,
			              "; a gate passes only when its whole %g%% interval complies",
			              level_pct(r));
		else
			fa_buf_puts(b, "; gates judged on the point estimate");
		fa_buf_puts(b, "</span></div>\n");
	}
	fa_buf_puts(b, "</header>\n");
}

static void gates_section(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	size_t gi, ci, a, v;

	if (r->ngates == 0)
		return;
	fa_buf_puts(b, "<section id=\"gates\">\n<h2>Gates</h2>\n<div class=\"tablewrap\"><table "
	               "class=\"gates\"><thead><tr>"
	               "<th>Gate</th><th>Checked</th><th class=\"num\">Value</th><th "
	               "class=\"num\">Interval</th>"
	               "<th class=\"num\">Limit</th><th>Outcome</th></tr></thead>\n<tbody>\n");
	for (gi = 0; gi < r->ngates; gi++) {
		const fa_gate_result *G = &r->gates[gi];
		size_t n = G->nchecks ? G->nchecks : 1;
		char lim[40];
		fa_format_double(lim, G->limit);
		for (ci = 0; ci < n; ci++) {
			const fa_gate_check *C = G->nchecks ? &G->checks[ci] : NULL;
			fa_buf_printf(b, "<tr class=\"%s\">", ci == 0 ? "first" : "more");
			if (ci == 0) {
				fa_buf_printf(b, "<td rowspan=\"%zu\"><code>", n);
				esc(b, G->expr);
				fa_buf_printf(
				    b, "</code><br/><span class=\"badge b-%s\">%s %s</span></td>",
				    outcome_class(G->outcome), outcome_symbol(G->outcome),
				    outcome_word(G->outcome));
			}
			if (!C) {
				fa_buf_puts(b, "<td>\xE2\x80\x94</td><td></td><td></td><td></"
				               "td><td></td></tr>\n");
				continue;
			}
			fa_buf_puts(b, "<td>");
			/* a check of an operating point links to its section */
			for (v = 0; v < r->nviews; v++)
				if (r->views[v].name && where_for(C->where, r->views[v].name))
					break;
			for (a = 0; v == r->nviews && a < r->nattrs; a++) {
				const char *w;
				if (where_in_attr(&r->attrs[a], C->where, &w) >= -1)
					break;
			}
			if (v < r->nviews)
				fa_buf_printf(b, "<a href=\"#op-%zu\">", v);
			else if (a < r->nattrs)
				fa_buf_printf(b, "<a href=\"#attr-%zu\">", a);
			esc(b, C->where);
			if (v < r->nviews || a < r->nattrs)
				fa_buf_puts(b, "</a>");
			fa_buf_puts(b, "</td>");
			if (isnan(C->value.value)) {
				fa_buf_puts(b, "<td class=\"num\"><span class=\"na\" title=\"");
				esc(b, C->value.reason ? C->value.reason : "undefined");
				fa_buf_puts(b, "\">\xE2\x80\x94</span></td><td></td>");
			} else {
				char ci_s[80];
				fa_buf_puts(b, "<td class=\"num\">");
				put3(b, C->value.value);
				fmt_ci(ci_s, sizeof(ci_s), &C->value);
				fa_buf_printf(b, "</td><td class=\"num\">%s</td>", ci_s);
			}
			fa_buf_printf(b, "<td class=\"num\">%s %s</td>", op_symbol(G->op), lim);
			fa_buf_printf(b, "<td><span class=\"badge b-%s\">%s %s</span>",
			              outcome_class(C->outcome), outcome_symbol(C->outcome),
			              outcome_word(C->outcome));
			if (C->note) {
				fa_buf_puts(b, " <span class=\"muted\">");
				esc(b, C->note);
				fa_buf_puts(b, "</span>");
			}
			fa_buf_puts(b, "</td></tr>\n");
		}
	}
	fa_buf_puts(b, "</tbody></table></div>\n</section>\n");
}

static void kv_open(fa_buf *b, const char *key)
{
	fa_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", key);
}

static void audited_section(html *h)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_settings *s = &r->settings;
	size_t i;

	fa_buf_puts(
	    b,
	    "<section id=\"audited\">\n<h2>What was audited</h2>\n<table class=\"kv\"><tbody>\n");
	for (i = 0; i < r->nfiles; i++) {
		const fa_file_info *f = &r->files[i];
		kv_open(b, r->nfiles > 1 ? "Input file" : "Input");
		fa_buf_puts(b, "<code>");
		esc(b, f->path);
		fa_buf_puts(b, "</code> <span class=\"muted\">");
		esc(b, f->format ? f->format : "");
		fa_buf_printf(b, "%s, %zu bytes, %zu rows</span><br/>SHA-256 <code>",
		              f->gzip ? " (gzip)" : "", f->bytes, f->rows);
		esc(b, f->sha256);
		fa_buf_puts(b, "</code></td></tr>\n");
	}
	kv_open(b, "Rows");
	fa_buf_printf(b, "%zu read, %zu used, %zu dropped", r->rows_read, r->rows_used,
	              r->rows_dropped);
	for (i = 0; i < r->ndrops; i++) {
		fa_buf_puts(b, i ? ", " : ": ");
		esc(b, r->drops[i].reason);
		fa_buf_printf(b, " %zu", r->drops[i].count);
	}
	fa_buf_puts(b, "</td></tr>\n");
	kv_open(b, "Columns");
	fa_buf_puts(b, "label from <code>");
	esc(b, s->label_column);
	fa_buf_puts(b, "</code> (positive: ");
	esc(b, s->positive ? s->positive : "1, true or yes");
	fa_buf_puts(b, "), score from <code>");
	esc(b, s->score_column);
	fa_buf_puts(b, "</code>");
	if (s->pred_column) {
		fa_buf_puts(b, ", decisions from <code>");
		esc(b, s->pred_column);
		fa_buf_puts(b, "</code>");
	}
	fa_buf_puts(b, "</td></tr>\n");
	kv_open(b, "Decision");
	if (s->pred_column)
		fa_buf_puts(b, "the decision column (threshold not used)");
	else
		fa_buf_printf(b, "positive when score \xE2\x89\xA5 %g", s->threshold);
	fa_buf_printf(b, "; scores %s probabilities", s->probabilities ? "are" : "are not all");
	fa_buf_puts(b, "</td></tr>\n");
	kv_open(b, "Groups");
	fa_buf_printf(b, "compared when n \xE2\x89\xA5 %zu (--min-n); ", s->min_n);
	if (s->suppress_below)
		fa_buf_printf(b, "counts withheld below %zu (--suppress-below)", s->suppress_below);
	else
		fa_buf_puts(b, "no suppression");
	fa_buf_puts(b, "</td></tr>\n");
	kv_open(b, "Intervals");
	if (s->bootstrap)
		fa_buf_printf(b, "%g%% %s bootstrap, %zu replicates, ", level_pct(r),
		              s->bootstrap_ci && strcmp(s->bootstrap_ci, "bca") == 0 ? "BCa"
		                                                                     : "percentile",
		              s->bootstrap);
	else
		fa_buf_puts(b, "none (--bootstrap 0)");
	if (s->bootstrap) {
		esc(b, s->scheme ? s->scheme : "");
		if (s->score_bins) {
			fa_buf_printf(b, " (AUC, Brier and ECE of replicates from %zu score bins",
				      s->score_bins);
			if (s->bootstrap_key) {
				fa_buf_puts(b, "; weights keyed by ");
				esc(b, s->bootstrap_key);
			}
			fa_buf_putc(b, ')');
		}
		fa_buf_printf(b, " resampling, seed %llu", (unsigned long long)s->seed);
	}
	fa_buf_puts(b, "</td></tr>\n");
	if (r->nviews) {
		kv_open(b, "Operating points");
		for (i = 0; i < r->nviews; i++) {
			fa_buf_printf(b, "%s<a href=\"#op-%zu\"><code>", i ? ", " : "", i);
			esc(b, r->views[i].name ? r->views[i].name : "");
			fa_buf_puts(b, "</code></a>");
		}
		fa_buf_puts(b, "</td></tr>\n");
	}
	if (s->period_column) {
		kv_open(b, "Periods");
		fa_buf_printf(b, "<a href=\"#periods\">%zu</a>, by ", r->nperiods);
		esc(b, s->period_every ? s->period_every : "period");
		fa_buf_puts(b, " of <code>");
		esc(b, s->period_column);
		fa_buf_printf(b, "</code>; at least %zu records each (--min-period-n); each "
				 "period's seed derives from the seed and its label</td></tr>\n",
			      s->min_period_n);
	}
	kv_open(b, "Gates judged on");
	esc(b, s->gate_on ? s->gate_on : "point");
	fa_buf_puts(b, "</td></tr>\n");
	kv_open(b, "Version");
	fa_buf_puts(b, "fairaudit ");
	esc(b, r->tool_version ? r->tool_version : "");
	fa_buf_puts(b, "</td></tr>\n");
	if (r->command_line) {
		kv_open(b, "Command");
		fa_buf_puts(b, "<code>");
		esc(b, r->command_line);
		fa_buf_puts(b, "</code></td></tr>\n");
	}
	fa_buf_puts(b, "</tbody></table>\n</section>\n");
}

static void attr_section(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	limit L[MAX_LIMITS];
	size_t nl = attr_limits(r, A, NULL, L), g, ninsuf = 0, nsup = 0, i;
	int ms[MAX_PANELS], np = chart_metrics(L, nl, ms), all_m[FA_M__COUNT], all_s[FA_S__COUNT];

	for (g = 0; g < A->ngroups; g++) {
		ninsuf += A->groups[g].status == FA_GROUP_INSUFFICIENT;
		nsup += A->groups[g].status == FA_GROUP_SUPPRESSED;
	}
	fa_buf_printf(b, "<section class=\"attr\" id=\"attr-%zu\">\n<h2>", a);
	esc(b, A->name);
	if (A->ncolumns > 1) {
		fa_buf_puts(b, " <span class=\"muted\">(intersection of ");
		for (i = 0; i < A->ncolumns; i++) {
			fa_buf_puts(b, i == 0 ? "" : i + 1 == A->ncolumns ? " and " : ", ");
			esc(b, A->columns[i]);
		}
		fa_buf_puts(b, ")</span>");
	}
	fa_buf_puts(b, "</h2>\n<p>");
	fa_buf_printf(b, "%zu group%s", A->ngroups, A->ngroups == 1 ? "" : "s");
	if (ninsuf)
		fa_buf_printf(b, ", %zu insufficient (n &lt; %zu)", ninsuf, r->settings.min_n);
	if (nsup)
		fa_buf_printf(b, ", %zu suppressed (n &lt; %zu)", nsup, r->settings.suppress_below);
	fa_buf_puts(b, ". Reference group: ");
	if (A->reference >= 0) {
		fa_buf_puts(b, "<b>");
		esc(b, A->groups[A->reference].value);
		fa_buf_puts(b, "</b>.");
	} else {
		fa_buf_puts(b, "none (");
		esc(b, A->reference_reason ? A->reference_reason : "no eligible group");
		fa_buf_puts(b, ").");
	}
	if (nl) {
		fa_buf_puts(b, " Gates: ");
		for (i = 0; i < nl; i++) {
			fa_buf_printf(b, "<span class=\"badge b-%s\">%s ",
			              outcome_class(L[i].outcome), outcome_symbol(L[i].outcome));
			esc(b, L[i].label);
			fa_buf_puts(b, "</span> ");
		}
	}
	fa_buf_puts(b, "</p>\n");
	forest_plot(h, A, &r->overall, ms, np, L, nl);
	fa_buf_puts(b, "<div class=\"charts\">\n");
	roc_chart(h, a);
	representation_chart(h, a);
	fa_buf_puts(b, "</div>\n");
	calibration_plots(h, a);
	leakage_chart(h, a);
	group_table(h, (long)a);
	for (i = 0; i < FA_M__COUNT; i++)
		all_m[i] = (int)i;
	for (i = 0; i < FA_S__COUNT; i++)
		all_s[i] = (int)i;
	gap_table(h, A, NULL, all_m, FA_M__COUNT, all_s, FA_S__COUNT);
	leakage_table(h, A);
	power_table(h, A);
	fa_buf_puts(b, "</section>\n");
}

/* One operating point: the threshold, then per attribute a forest plot of
 * TPR and FPR at it, each group's own threshold and the tables. */
static void view_section(html *h, size_t k)
{
	static const int gm[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_NPV, FA_M_SELECTION_RATE,
	                         FA_M_ACCURACY};
	static const int gs[] = {FA_S_EQUALIZED_ODDS_DIFF, FA_S_DEMOGRAPHIC_PARITY_DIFF,
	                         FA_S_DISPARATE_IMPACT};
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_view *v = &r->views[k];
	const char *word = view_word(v);
	const fa_group_result *o = &v->overall;
	size_t a, i;

	fa_buf_printf(b, "<section class=\"op\" id=\"op-%zu\">\n<h2>Operating point <code>", k);
	esc(b, v->name ? v->name : "");
	fa_buf_puts(b, "</code></h2>\n<p>");
	if (word) {
		fa_buf_printf(b, "Every group at the one threshold that reaches %s %g on the whole "
		                 "population: ",
		              word, v->target);
		estimate_text(b, &v->threshold);
		if (v->threshold.has_ci)
			fa_buf_puts(b, ". The threshold is chosen again in every bootstrap replicate, "
			               "so every interval here includes the uncertainty of that "
			               "choice");
	} else {
		fa_buf_puts(b, "Every group at the fixed threshold ");
		put3(b, v->threshold.value);
	}
	fa_buf_puts(b, ". Overall: TPR ");
	estimate_text(b, &o->metrics[FA_M_TPR]);
	fa_buf_puts(b, ", FPR ");
	estimate_text(b, &o->metrics[FA_M_FPR]);
	fa_buf_puts(b, ", PPV ");
	estimate_text(b, &o->metrics[FA_M_PPV]);
	fa_buf_puts(b, ".</p>\n");
	for (a = 0; a < v->nattrs; a++) {
		const fa_attr_result *A = &v->attrs[a];
		limit L[MAX_LIMITS];
		size_t nl = attr_limits(r, A, v->name, L);
		int ms[MAX_PANELS], np = 0;
		ms[np++] = FA_M_TPR;
		ms[np++] = FA_M_FPR;
		for (i = 0; i < nl && np < MAX_PANELS; i++) {
			int have = 0, p;
			for (p = 0; p < np; p++)
				have |= ms[p] == L[i].metric;
			if (!have)
				ms[np++] = L[i].metric;
		}
		fa_buf_puts(b, "<h3>");
		esc(b, A->name);
		fa_buf_puts(b, " at <code>");
		esc(b, v->name ? v->name : "");
		fa_buf_puts(b, "</code></h3>\n");
		forest_plot(h, A, o, ms, np, L, nl);
		own_threshold_chart(h, v, A);
		view_group_table(h, v, A);
		gap_table(h, A, v->name, gm, (int)(sizeof(gm) / sizeof(gm[0])), gs,
		          (int)(sizeof(gs) / sizeof(gs[0])));
	}
	fa_buf_puts(b, "</section>\n");
}

/* ---- drift over time ------------------------------------------------------ */

/* The gaps drawn over time, and those in the table beside the chart. */
static const int period_chart_gaps[] = {FA_M_TPR, FA_M_FPR, FA_M_AUC};
static const int period_table_gaps[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_AUC};
#define PERIOD_PANEL_H 128.0

/* The gap of metric m of attribute a in period p; NULL when the period was
 * not audited. */
static const fa_estimate *period_gap(const fa_period *p, size_t a, int m)
{
	return !p->insufficient && a < p->nattrs ? &p->attrs[a].gaps[m].gap : NULL;
}

/* The groups of A in its gaps. */
static size_t eligible_groups(const fa_attr_result *A)
{
	size_t g, k = 0;
	for (g = 0; g < A->ngroups; g++)
		k += A->groups[g].status == FA_GROUP_OK;
	return k;
}

static int period_defined(const fa_estimate *e)
{
	return e && isfinite(e->value);
}

static int period_has_ci(const fa_estimate *e)
{
	return e && isfinite(e->value) && e->has_ci && isfinite(e->ci_low) && isfinite(e->ci_high);
}

/* One panel: metric m's gap period by period, from pixel `top` down. */
static void period_panel(html *h, size_t a, int m, double left, double step, double top)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_estimate *whole = &r->attrs[a].gaps[m].gap;
	size_t np = r->nperiods, i, j, every;
	double pt = top + 20, pb = top + PERIOD_PANEL_H, x1 = left + step * (double)np;
	fa_scale xs, ys;
	extent e;
	char attrs[200], t[160];
	double *px, *py;

	ext_init(&e);
	ext_add(&e, 0);
	ext_add(&e, whole->value);
	for (i = 0; i < np; i++) {
		const fa_estimate *g = period_gap(&r->periods[i], a, m);
		if (!g)
			continue;
		ext_add(&e, g->value);
		if (period_has_ci(g)) {
			ext_add(&e, g->ci_low);
			ext_add(&e, g->ci_high);
		}
	}
	ext_finish(&e, 4);
	fa_scale_init(&xs, -0.5, (double)np - 0.5, left, x1);
	fa_scale_init(&ys, e.lo, e.hi, pb, pt);
	snprintf(t, sizeof(t), "%s gap", metric_short[m]);
	fa_svg_text(b, left, top + 12, "start", "class=\"ptitle\"", t);
	/* periods that were not audited, or whose gap is undefined: a column
	 * across the panel, never a point at zero */
	for (i = 0; i < np; i++) {
		const fa_period *p = &r->periods[i];
		const fa_estimate *g = period_gap(p, a, m);
		double xc = fa_scale_map(&xs, (double)i);
		if (g && isfinite(g->value))
			continue;
		fa_buf_puts(b, "<g><title>");
		esc(b, p->label);
		if (!g) {
			fa_buf_printf(b, ": insufficient, n = %zu (", p->n);
			esc(b, p->reason ? p->reason : "not audited");
			fa_buf_puts(b, ")</title>");
			snprintf(attrs, sizeof(attrs), "fill=\"url(#nodata%d)\" class=\"insufficient\"",
				 h->fig);
		} else {
			fa_buf_printf(b, ": %s gap undefined (", metric_short[m]);
			esc(b, g->reason ? g->reason : "undefined");
			fa_buf_puts(b, ")</title>");
			snprintf(attrs, sizeof(attrs), "fill=\"#eeeeee\" class=\"undefined\"");
		}
		fa_svg_rect(b, xc - step / 2, pt, step, pb - pt, attrs);
		fa_buf_puts(b, "</g>");
	}
	fa_svg_axis(b, &ys, FA_AXIS_LEFT, left, 4, x1 - left, NULL);
	fa_buf_puts(b, "<g class=\"axis\">");
	fa_svg_line(b, left, pb, x1, pb, "class=\"domain\"");
	every = (size_t)ceil(64.0 / step);
	for (i = 0; i < np; i += every) {
		double xc = fa_scale_map(&xs, (double)i);
		fa_svg_line(b, xc, pb, xc, pb + 4, NULL);
		fa_svg_text(b, xc, pb + 16, "middle",
			    r->periods[i].insufficient ? "class=\"muted\"" : NULL,
			    r->periods[i].label);
	}
	fa_buf_puts(b, "</g>\n");
	if (isfinite(whole->value)) {
		double yw = fa_scale_clamp(&ys, whole->value);
		fa_svg_line(b, left, yw, x1, yw, "class=\"overallline\"");
		fa_svg_text(b, x1 - 2, yw - 4, "end", "class=\"tiny halo\"", "whole data");
	}
	/* the interval: a band over consecutive periods, a bar where one
	 * stands alone */
	for (i = 0; i < np; i = j) {
		const fa_estimate *g = period_gap(&r->periods[i], a, m);
		size_t k;
		j = i + 1;
		if (!period_has_ci(g))
			continue;
		while (j < np && period_has_ci(period_gap(&r->periods[j], a, m)))
			j++;
		if (j - i == 1) {
			double xc = fa_scale_map(&xs, (double)i);
			double ylo = fa_scale_clamp(&ys, g->ci_low), yhi = fa_scale_clamp(&ys, g->ci_high);
			snprintf(attrs, sizeof(attrs), "stroke=\"%s\" stroke-width=\"1.6\"", palette[0]);
			fa_svg_line(b, xc, ylo, xc, yhi, attrs);
			fa_svg_line(b, xc - 3, ylo, xc + 3, ylo, attrs);
			fa_svg_line(b, xc - 3, yhi, xc + 3, yhi, attrs);
			continue;
		}
		fa_buf_printf(b, "<path class=\"band\" fill=\"%s\" fill-opacity=\"0.18\" d=\"",
			      palette[0]);
		for (k = i; k < j; k++) {
			fa_buf_puts(b, k == i ? "M" : " L");
			fa_svg_num(b, fa_scale_map(&xs, (double)k));
			fa_buf_putc(b, ' ');
			fa_svg_num(b, fa_scale_clamp(&ys, period_gap(&r->periods[k], a, m)->ci_high));
		}
		for (k = j; k-- > i;) {
			fa_buf_puts(b, " L");
			fa_svg_num(b, fa_scale_map(&xs, (double)k));
			fa_buf_putc(b, ' ');
			fa_svg_num(b, fa_scale_clamp(&ys, period_gap(&r->periods[k], a, m)->ci_low));
		}
		fa_buf_puts(b, " Z\"/>\n");
	}
	/* the line, broken where a period has no value */
	px = fa_xmalloc(np * sizeof(double));
	py = fa_xmalloc(np * sizeof(double));
	for (i = 0; i < np;) {
		size_t n = 0;
		while (i < np && !period_defined(period_gap(&r->periods[i], a, m)))
			i++;
		while (i < np && period_defined(period_gap(&r->periods[i], a, m))) {
			px[n] = (double)i;
			py[n++] = period_gap(&r->periods[i], a, m)->value;
			i++;
		}
		if (n > 1) {
			snprintf(attrs, sizeof(attrs), "class=\"curve thin\" stroke=\"%s\"", palette[0]);
			fa_svg_polyline(b, &xs, &ys, px, py, n, attrs);
		}
	}
	free(px);
	free(py);
	for (i = 0; i < np; i++) {
		const fa_period *p = &r->periods[i];
		const fa_estimate *g = period_gap(p, a, m);
		if (!g || !isfinite(g->value))
			continue;
		size_t k = eligible_groups(&p->attrs[a]), all = r->attrs[a].ngroups;
		fa_buf_puts(b, "<g><title>");
		esc(b, p->label);
		fa_buf_printf(b, ": %s gap ", metric_short[m]);
		estimate_text(b, g);
		fa_buf_printf(b, ", n = %zu, over %zu of %zu groups</title>", p->n, k, all);
		/* hollow: some group of the whole data is not in this gap */
		if (k < all)
			snprintf(attrs, sizeof(attrs),
				 "fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.6\"", palette[0]);
		else
			snprintf(attrs, sizeof(attrs),
				 "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"", palette[0]);
		fa_svg_circle(b, fa_scale_map(&xs, (double)i), fa_scale_clamp(&ys, g->value), 3.5,
			      attrs);
		fa_buf_puts(b, "</g>");
	}
	fa_buf_putc(b, '\n');
}

static void period_chart(html *h, size_t a)
{
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_attr_result *A = &r->attrs[a];
	size_t np = r->nperiods, i;
	int nm = (int)(sizeof(period_chart_gaps) / sizeof(period_chart_gaps[0])), p;
	double left = 52, step, W, H, panel = PERIOD_PANEL_H + 40;
	fa_buf label = FA_BUF_INIT, desc = FA_BUF_INIT;

	if (np == 0)
		return;
	step = 900.0 / (double)np;
	if (step > 60)
		step = 60;
	if (step < 6)
		step = 6;
	W = left + step * (double)np + 16;
	if (W < 420)
		W = 420;
	H = panel * nm + 4;
	h->fig++;
	fa_buf_printf(&label, "Drift of the gaps of %s by %s: ", A->name,
		      r->settings.period_every ? r->settings.period_every : "period");
	for (p = 0; p < nm; p++)
		fa_buf_printf(&label, "%s%s", p == 0 ? "" : p == nm - 1 ? " and " : ", ",
			      metric_short[period_chart_gaps[p]]);
	fa_buf_puts(&label, " gap per period, with intervals");
	for (i = 0; i < np; i++) {
		const fa_period *pd = &r->periods[i];
		fa_buf_printf(&desc, "%s%s (n %zu):", i ? "; " : "", pd->label, pd->n);
		if (pd->insufficient) {
			fa_buf_puts(&desc, " insufficient");
			continue;
		}
		for (p = 0; p < nm; p++) {
			fa_buf_printf(&desc, " %s gap ", metric_short[period_chart_gaps[p]]);
			estimate_text(&desc, period_gap(pd, a, period_chart_gaps[p]));
			if (p + 1 < nm)
				fa_buf_putc(&desc, ',');
		}
	}
	fa_buf_putc(&desc, '.');
	fa_buf_puts(b, "<figure class=\"chart wide\">\n");
	fa_svg_begin(b, W, H, "drift", label.ptr, label.ptr, desc.ptr);
	fa_buf_printf(b,
		      "<defs><pattern id=\"nodata%d\" width=\"6\" height=\"6\" "
		      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		      "<rect width=\"6\" height=\"6\" fill=\"" GREY "\" fill-opacity=\"0.10\"/>"
		      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" GREY
		      "\" stroke-opacity=\"0.6\" stroke-width=\"1.2\"/>"
		      "</pattern></defs>\n",
		      h->fig);
	for (p = 0; p < nm; p++)
		period_panel(h, a, period_chart_gaps[p], left, step, panel * p);
	fa_svg_end(b);
	fa_buf_printf(b,
		      "<figcaption>Each period's gap between the lowest and highest eligible group, "
		      "with its %g%% interval as a band (a bar for a period that stands alone; none "
		      "without bootstrap). The dotted line is the gap over the whole data. A hatched "
		      "column is an insufficient period (fewer than %zu records, or no positive or "
		      "no negative record), which was not audited; a grey column a period whose gap "
		      "is undefined. Neither is drawn as zero. A hollow point is a gap over fewer "
		      "groups than the whole data's (one is insufficient, suppressed or absent in "
		      "that period).</figcaption>\n</figure>\n",
		      level_pct(r), r->settings.min_period_n);
	fa_buf_free(&label);
	fa_buf_free(&desc);
}

static void period_status_cell(fa_buf *b, const fa_period *p)
{
	if (!p->insufficient) {
		fa_buf_puts(b, "<td>ok</td>");
		return;
	}
	fa_buf_puts(b, "<td><span title=\"");
	esc(b, p->reason ? p->reason : "insufficient");
	fa_buf_puts(b, "\">insufficient</span></td>");
}

/* An empty cell for a period that was not audited: blank, not zero. */
static void td_blank(fa_buf *b)
{
	fa_buf_puts(b, "<td class=\"num\" data-v=\"\"></td>");
}

static void periods_section(html *h)
{
	static const int om[] = {FA_M_AUC, FA_M_TPR, FA_M_FPR};
	fa_buf *b = h->b;
	const fa_result *r = h->r;
	const fa_settings *s = &r->settings;
	size_t i, a, nins = 0;
	int k, nk = (int)(sizeof(period_table_gaps) / sizeof(period_table_gaps[0]));

	if (!s->period_column)
		return;
	for (i = 0; i < r->nperiods; i++)
		nins += r->periods[i].insufficient;
	fa_buf_puts(b, "<section class=\"attr\" id=\"periods\">\n<h2>Drift over time</h2>\n<p>By ");
	esc(b, s->period_every ? s->period_every : "period");
	fa_buf_puts(b, " of <code>");
	esc(b, s->period_column);
	fa_buf_puts(b, "</code> (the calendar date as written)");
	if (r->nperiods) {
		fa_buf_printf(b, ": %zu period%s from ", r->nperiods, r->nperiods == 1 ? "" : "s");
		esc(b, r->periods[0].label);
		fa_buf_puts(b, " to ");
		esc(b, r->periods[r->nperiods - 1].label);
		if (nins)
			fa_buf_printf(b, ", %zu insufficient", nins);
		else
			fa_buf_puts(b, ", none insufficient");
	}
	fa_buf_printf(b,
		      ". Each period is audited on its own records with the settings above; gates "
		      "judge the whole data only. A period with fewer than %zu records "
		      "(--min-period-n), or without a positive or a negative record, is "
		      "insufficient: listed with its counts, not audited.</p>\n",
		      s->min_period_n);
	fa_buf_puts(b, "<div class=\"tablewrap\"><table class=\"sortable periods\"><thead><tr>"
		       "<th>Period</th><th>First day</th><th>Last day</th><th class=\"num\">n</th>"
		       "<th class=\"num\">Positives</th><th>Status</th>");
	for (k = 0; k < 3; k++)
		fa_buf_printf(b, "<th class=\"num\" title=\"%s\">%s</th>", metric_title[om[k]],
			      metric_short[om[k]]);
	fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < r->nperiods; i++) {
		const fa_period *p = &r->periods[i];
		fa_buf_printf(b, "<tr class=\"%s\"><th scope=\"row\">",
			      p->insufficient ? "insufficient" : "ok");
		esc(b, p->label);
		fa_buf_puts(b, "</th><td>");
		esc(b, p->first_day);
		fa_buf_puts(b, "</td><td>");
		esc(b, p->last_day);
		fa_buf_printf(b, "</td><td class=\"num\" data-v=\"%zu\">%zu</td>"
				 "<td class=\"num\" data-v=\"%zu\">%zu</td>",
			      p->n, p->n, p->n_pos, p->n_pos);
		period_status_cell(b, p);
		for (k = 0; k < 3; k++) {
			if (p->insufficient)
				td_blank(b);
			else
				td_estimate(b, &p->overall.metrics[om[k]], r);
		}
		fa_buf_puts(b, "</tr>\n");
	}
	fa_buf_printf(b, "</tbody>\n<tfoot><tr class=\"overall\"><th scope=\"row\">whole "
			 "data</th><td></td><td></td><td class=\"num\">%zu</td>"
			 "<td class=\"num\">%zu</td><td></td>",
		      r->overall.n, r->overall.n_pos);
	for (k = 0; k < 3; k++)
		td_estimate(b, &r->overall.metrics[om[k]], r);
	fa_buf_puts(b, "</tr></tfoot></table></div>\n");
	for (a = 0; a < r->nattrs; a++) {
		const fa_attr_result *A = &r->attrs[a];
		fa_buf_puts(b, "<h3>");
		esc(b, A->name);
		fa_buf_puts(b, ": gaps by ");
		esc(b, s->period_every ? s->period_every : "period");
		fa_buf_puts(b, "</h3>\n");
		period_chart(h, a);
		fa_buf_puts(b, "<div class=\"tablewrap\"><table class=\"sortable periods\"><thead><tr>"
			       "<th>Period</th><th class=\"num\">n</th><th>Status</th>"
			       "<th class=\"num\" title=\"groups in the gaps (neither insufficient nor "
			       "suppressed) of the whole data's\">Groups</th>");
		for (k = 0; k < nk; k++)
			fa_buf_printf(b, "<th class=\"num\" title=\"%s: largest minus smallest eligible group\">%s gap</th>",
				      metric_title[period_table_gaps[k]],
				      metric_short[period_table_gaps[k]]);
		fa_buf_puts(b, "</tr></thead>\n<tbody>\n");
		for (i = 0; i < r->nperiods; i++) {
			const fa_period *p = &r->periods[i];
			fa_buf_printf(b, "<tr class=\"%s\"><th scope=\"row\">",
				      p->insufficient ? "insufficient" : "ok");
			esc(b, p->label);
			fa_buf_printf(b, "</th><td class=\"num\" data-v=\"%zu\">%zu</td>", p->n, p->n);
			period_status_cell(b, p);
			if (p->insufficient || a >= p->nattrs)
				td_blank(b);
			else
				fa_buf_printf(b, "<td class=\"num\" data-v=\"%zu\">%zu/%zu</td>",
					      eligible_groups(&p->attrs[a]), eligible_groups(&p->attrs[a]),
					      A->ngroups);
			for (k = 0; k < nk; k++) {
				const fa_estimate *g = period_gap(p, a, period_table_gaps[k]);
				if (g)
					td_estimate(b, g, r);
				else
					td_blank(b);
			}
			fa_buf_puts(b, "</tr>\n");
		}
		fa_buf_printf(b, "</tbody>\n<tfoot><tr class=\"overall\"><th scope=\"row\">whole "
				 "data</th><td class=\"num\">%zu</td><td></td><td class=\"num\">%zu/%zu</td>",
			      r->overall.n, eligible_groups(A), A->ngroups);
		for (k = 0; k < nk; k++)
			td_estimate(b, &A->gaps[period_table_gaps[k]].gap, r);
		fa_buf_puts(b, "</tr></tfoot></table></div>\n");
	}
	fa_buf_puts(b, "</section>\n");
}

int fa_report_html_curves(fa_buf *out, const fa_result *r, const fa_html_curves *c)
{
	html h;
	size_t a;

	h.b = out;
	h.r = r;
	h.curves = c;
	h.fig = 0;
	page_head(&h);
	verdict_section(&h);
	gates_section(&h);
	audited_section(&h);
	if (r->nattrs) {
		fa_buf_puts(out, "<section id=\"overview\">\n<h2>Overview</h2>\n<nav>Attributes: ");
		for (a = 0; a < r->nattrs; a++) {
			fa_buf_printf(out, "<a href=\"#attr-%zu\">", a);
			esc(out, r->attrs[a].name);
			fa_buf_puts(out, "</a>");
		}
		for (a = 0; a < r->nviews; a++) {
			fa_buf_printf(out, "%s<a href=\"#op-%zu\">", a ? "" : " Operating points: ", a);
			esc(out, r->views[a].name ? r->views[a].name : "");
			fa_buf_puts(out, "</a>");
		}
		if (r->nmodels > 1)
			fa_buf_puts(out, " <a href=\"#models\">Models</a>");
		if (r->settings.period_column)
			fa_buf_puts(out, " <a href=\"#periods\">Drift over time</a>");
		fa_buf_puts(out, "</nav>\n");
		overview_chart(&h);
		fa_buf_puts(out, "</section>\n");
	}
	models_section(&h);
	for (a = 0; a < r->nattrs; a++)
		attr_section(&h, a);
	for (a = 0; a < r->nviews; a++)
		view_section(&h, a);
	periods_section(&h);
	if (r->nattrs == 0) {
		fa_buf_puts(
		    out,
		    "<section id=\"overall\">\n<h2>Whole population</h2>\n<p>No attribute was "
		    "audited (give one with --group), so there are no groups to compare.</p>\n");
		group_table(&h, -1);
		fa_buf_puts(out, "</section>\n");
	}
	fa_buf_puts(out, "<footer>Made by fairaudit ");
	esc(out, r->tool_version ? r->tool_version : "");
	fa_buf_puts(
	    out,
	    ". Metrics are defined in docs/metrics.md; charts in docs/html-report.md.</footer>\n");
	fa_buf_puts(out, "<script>\n");
	fa_buf_puts(out, page_js);
	fa_buf_puts(out, "</script>\n</body>\n</html>\n");
	return 0;
}

int fa_report_html(fa_buf *out, const fa_result *r)
{
	return fa_report_html_curves(out, r, NULL);
}
