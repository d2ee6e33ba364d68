/*
 * compare.c: a baseline result against a candidate (docs/compare.md).
 *
 * Pairs every quantity of two results (the whole population's metrics,
 * each group's metrics matched by group value, each attribute's gaps and
 * summaries), signs each change by the quantity's direction, judges
 * --max-regression gates on those changes, and writes the comparison as
 * Markdown or JSON. Both results are only read; the comparison borrows
 * their strings.
 */
#include "fairaudit/compare.h"

#include "json_writer.h"
#include "md_table.h"
#include "fairaudit/version.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names and directions --------------------------------------------- */

static const char *const kind_suffix[] = {"", "_gap", "_ratio", "_min", "_max"};
#define NSUFFIX 5

int fa_compare_direction(fa_cmp_kind kind, int index)
{
	switch (kind) {
	case FA_CMP_METRIC:
	case FA_CMP_MIN:
	case FA_CMP_MAX:
		return fa_metric_direction((fa_metric)index);
	case FA_CMP_GAP:
		return 0;
	case FA_CMP_RATIO:
		return 1;
	case FA_CMP_SUMMARY:
		switch ((fa_summary)index) {
		case FA_S_EQUALIZED_ODDS_DIFF:
		case FA_S_DEMOGRAPHIC_PARITY_DIFF:
			return 0;
		case FA_S_DISPARATE_IMPACT:
		case FA_S_WORST_GROUP_AUC:
			return 1;
		default:
			return -1;
		}
	}
	return -1;
}

const char *fa_cmp_presence_name(fa_cmp_presence p)
{
	switch (p) {
	case FA_CMP_IN_BOTH: return "both";
	case FA_CMP_BASELINE_ONLY: return "baseline";
	case FA_CMP_CANDIDATE_ONLY: return "candidate";
	}
	return "unknown";
}

static void quantity_name(char *out, size_t size, fa_cmp_kind kind, int index)
{
	if (kind == FA_CMP_SUMMARY)
		snprintf(out, size, "%s", fa_summary_name((fa_summary)index));
	else
		snprintf(out, size, "%s%s", fa_metric_name((fa_metric)index), kind_suffix[kind]);
}


/* ---- pairing ------------------------------------------------------------ */

static void pair(fa_cmp_value *v, const fa_estimate *b, const fa_estimate *c, int dir)
{
	v->baseline = *b;
	v->candidate = *c;
	v->direction = dir;
	v->change = isfinite(b->value) && isfinite(c->value) ? c->value - b->value : NAN;
	if (isnan(v->change) || dir < 0)
		v->worsening = NAN;
	else if (v->change == 0)
		v->worsening = 0; /* not -0 */
	else
		v->worsening = dir == 1 ? -v->change : v->change;
	v->regression = !isnan(v->worsening) && v->worsening > FA_COMPARE_TOLERANCE;
}

static void pair_undefined(fa_cmp_value *v)
{
	memset(v, 0, sizeof(*v));
	v->baseline.value = v->candidate.value = NAN;
	v->change = v->worsening = NAN;
	v->direction = -1;
}

static void pair_group(fa_cmp_group *g, const fa_group_result *b, const fa_group_result *c)
{
	int m;

	g->baseline = b;
	g->candidate = c;
	g->value = b ? b->value : c->value;
	g->presence = b && c ? FA_CMP_IN_BOTH : b ? FA_CMP_BASELINE_ONLY : FA_CMP_CANDIDATE_ONLY;
	for (m = 0; m < FA_M__COUNT; m++) {
		if (b && c)
			pair(&g->metrics[m], &b->metrics[m], &c->metrics[m],
			     fa_compare_direction(FA_CMP_METRIC, m));
		else
			pair_undefined(&g->metrics[m]);
	}
}

static const fa_group_result *find_group(const fa_attr_result *a, const char *value)
{
	size_t i;
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, value) == 0)
			return &a->groups[i];
	return NULL;
}

static void pair_attr(fa_cmp_attr *A, const fa_attr_result *b, const fa_attr_result *c)
{
	size_t i, k = 0;
	int m;

	memset(A, 0, sizeof(*A));
	A->baseline = b;
	A->candidate = c;
	A->name = b ? b->name : c->name;
	A->presence = b && c ? FA_CMP_IN_BOTH : b ? FA_CMP_BASELINE_ONLY : FA_CMP_CANDIDATE_ONLY;
	if (!b || !c)
		return;
	A->groups = fa_xcalloc(b->ngroups + c->ngroups + 1, sizeof(*A->groups));
	for (i = 0; i < b->ngroups; i++)
		pair_group(&A->groups[k++], &b->groups[i], find_group(c, b->groups[i].value));
	for (i = 0; i < c->ngroups; i++)
		if (!find_group(b, c->groups[i].value))
			pair_group(&A->groups[k++], NULL, &c->groups[i]);
	A->ngroups = k;
	for (m = 0; m < FA_M__COUNT; m++) {
		const fa_gap *gb = &b->gaps[m], *gc = &c->gaps[m];
		pair(&A->gaps[m].gap, &gb->gap, &gc->gap, fa_compare_direction(FA_CMP_GAP, m));
		pair(&A->gaps[m].ratio, &gb->ratio, &gc->ratio,
		     fa_compare_direction(FA_CMP_RATIO, m));
		pair(&A->gaps[m].min, &gb->min, &gc->min, fa_compare_direction(FA_CMP_MIN, m));
		pair(&A->gaps[m].max, &gb->max, &gc->max, fa_compare_direction(FA_CMP_MAX, m));
	}
	for (m = 0; m < FA_S__COUNT; m++)
		pair(&A->summary[m], &b->summary[m], &c->summary[m],
		     fa_compare_direction(FA_CMP_SUMMARY, m));
}

/* ---- provenance ----------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The input digests of `r`, sorted (an array of borrowed strings). */
static const char **sorted_digests(const fa_result *r)
{
	const char **d = fa_xcalloc(r->nfiles + 1, sizeof(*d));
	size_t i;
	for (i = 0; i < r->nfiles; i++)
		d[i] = r->files[i].sha256;
	qsort(d, r->nfiles, sizeof(*d), cmp_str);
	return d;
}

static int same_data(const fa_result *b, const fa_result *c)
{
	const char **db, **dc;
	size_t i;
	int same = b->nfiles == c->nfiles && b->nfiles > 0;

	if (!same)
		return 0;
	db = sorted_digests(b);
	dc = sorted_digests(c);
	for (i = 0; i < b->nfiles && same; i++)
		same = db[i][0] != '\0' && strcmp(db[i], dc[i]) == 0;
	free(db);
	free(dc);
	return same;
}

/* The digests of `r` in file order, joined by ", ". */
static void put_digests(fa_buf *b, const fa_result *r)
{
	size_t i;
	if (r->nfiles == 0)
		fa_buf_puts(b, "(none recorded)");
	for (i = 0; i < r->nfiles; i++)
		fa_buf_printf(b, "%s%s", i ? ", " : "",
			      r->files[i].sha256[0] ? r->files[i].sha256 : "(none recorded)");
}

static void add_setting(fa_comparison *c, const char *name, char *b, char *k)
{
	fa_cmp_setting *s;
	if (strcmp(b, k) == 0) {
		free(b);
		free(k);
		return;
	}
	c->settings = fa_xrealloc(c->settings, (c->nsettings + 1) * sizeof(*c->settings));
	s = &c->settings[c->nsettings++];
	s->name = name;
	s->baseline = b;
	s->candidate = k;
}

static char *dbl_text(double x)
{
	char tmp[64];
	fa_format_double(tmp, x);
	return fa_xstrdup(tmp);
}

static char *str_text(const char *s, const char *none)
{
	return fa_xstrdup(s ? s : none);
}

/* Settings that change what the numbers mean, and differ. The score and
 * decision columns are left out: they are the model, what a comparison
 * is for. The scheme, seed and level matter only when both reports have
 * intervals; a difference in bootstrap is reported anyway. */
static void diff_settings(fa_comparison *c)
{
	const fa_settings *b = &c->baseline->settings, *k = &c->candidate->settings;

	add_setting(c, "label_column", str_text(b->label_column, "(none)"),
		    str_text(k->label_column, "(none)"));
	add_setting(c, "positive", str_text(b->positive, "(default)"),
		    str_text(k->positive, "(default)"));
	add_setting(c, "threshold", dbl_text(b->threshold), dbl_text(k->threshold));
	add_setting(c, "min_n", fa_xasprintf("%zu", b->min_n), fa_xasprintf("%zu", k->min_n));
	add_setting(c, "suppress_below", fa_xasprintf("%zu", b->suppress_below),
		    fa_xasprintf("%zu", k->suppress_below));
	add_setting(c, "bootstrap", fa_xasprintf("%zu", b->bootstrap), fa_xasprintf("%zu", k->bootstrap));
	if (b->bootstrap == 0 || k->bootstrap == 0)
		return;
	add_setting(c, "scheme", str_text(b->scheme, "(none)"), str_text(k->scheme, "(none)"));
	add_setting(c, "seed", fa_xasprintf("%llu", (unsigned long long)b->seed),
		    fa_xasprintf("%llu", (unsigned long long)k->seed));
	add_setting(c, "ci_level", dbl_text(b->ci_level), dbl_text(k->ci_level));
}

/* ---- the comparison ------------------------------------------------------- */

int fa_compare_run(fa_comparison **out, const fa_result *baseline, const fa_result *candidate,
		   const fa_compare_options *o, fa_error *err)
{
	static const fa_compare_options none = FA_COMPARE_OPTIONS_INIT;
	fa_comparison *c;
	size_t i, k = 0;

	*out = NULL;
	if (!o)
		o = &none;
	if (!same_data(baseline, candidate) && !(o->flags & FA_COMPARE_ALLOW_DIFFERENT_DATA)) {
		fa_buf b = FA_BUF_INIT;
		int rc;
		fa_buf_printf(&b, "%s and %s come from different data: SHA-256 ",
			      o->baseline_name ? o->baseline_name : "the baseline",
			      o->candidate_name ? o->candidate_name : "the candidate");
		put_digests(&b, baseline);
		fa_buf_puts(&b, " (baseline) vs ");
		put_digests(&b, candidate);
		fa_buf_puts(&b, " (candidate); pass --allow-different-data to compare them anyway");
		rc = fa_error_set(err, FA_EINPUT, NULL, 0, 0, "%s", b.ptr);
		fa_buf_free(&b);
		return rc;
	}
	c = fa_xcalloc(1, sizeof(*c));
	c->baseline = baseline;
	c->candidate = candidate;
	c->baseline_name = o->baseline_name ? fa_xstrdup(o->baseline_name) : NULL;
	c->candidate_name = o->candidate_name ? fa_xstrdup(o->candidate_name) : NULL;
	c->same_data = same_data(baseline, candidate);
	diff_settings(c);
	pair_group(&c->overall, &baseline->overall, &candidate->overall);
	c->overall.value = "overall";
	c->attrs = fa_xcalloc(baseline->nattrs + candidate->nattrs + 1, sizeof(*c->attrs));
	for (i = 0; i < baseline->nattrs; i++)
		pair_attr(&c->attrs[k++], &baseline->attrs[i],
			  fa_result_attr(candidate, baseline->attrs[i].name));
	for (i = 0; i < candidate->nattrs; i++)
		if (!fa_result_attr(baseline, candidate->attrs[i].name))
			pair_attr(&c->attrs[k++], NULL, &candidate->attrs[i]);
	c->nattrs = k;
	c->verdict = FA_GATE_PASS;
	*out = c;
	return 0;
}

static void gate_results_free(fa_cmp_gate_result *g, size_t n)
{
	size_t i, j;
	for (i = 0; i < n; i++) {
		free(g[i].expr);
		free(g[i].quantity);
		for (j = 0; j < g[i].nchecks; j++) {
			free(g[i].checks[j].where);
			free(g[i].checks[j].note);
		}
		free(g[i].checks);
	}
	free(g);
}

void fa_compare_free(fa_comparison *c)
{
	size_t i;

	if (!c)
		return;
	free(c->baseline_name);
	free(c->candidate_name);
	for (i = 0; i < c->nsettings; i++) {
		free(c->settings[i].baseline);
		free(c->settings[i].candidate);
	}
	free(c->settings);
	for (i = 0; i < c->nattrs; i++)
		free(c->attrs[i].groups);
	free(c->attrs);
	gate_results_free(c->gates, c->ngates);
	free(c);
}

const fa_cmp_attr *fa_compare_attr(const fa_comparison *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->nattrs; i++)
		if (strcmp(c->attrs[i].name, name) == 0)
			return &c->attrs[i];
	return NULL;
}

/* ---- gate parsing ----------------------------------------------------------- */

typedef enum gate_scope { SC_ALL = 0, SC_ATTR, SC_GROUP, SC_OVERALL } gate_scope;

struct fa_cmp_gate {
	char *expr;
	gate_scope scope;
	char *attr, *group;
	fa_cmp_kind kind;
	int index;
	double limit;
};

static const char FORM[] = "write [ATTRIBUTE:]QUANTITY=X with X >= 0, e.g. tpr_gap=0.02";

/* Append `s` quoted for a one-line message. */
static void put_quoted(fa_buf *b, const char *s, size_t n)
{
	size_t i;

	fa_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i >= 120) {
			fa_buf_puts(b, "...");
			break;
		}
		if (ch == '"' || ch == '\\')
			fa_buf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fa_buf_printf(b, "\\x%02x", ch);
		else
			fa_buf_putc(b, (char)ch);
	}
	fa_buf_putc(b, '"');
}

static int gate_error(fa_error *err, const char *expr, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* FA_EUSAGE: --max-regression "EXPR": <what>. */
static int gate_error(fa_error *err, const char *expr, const char *fmt, ...)
{
	fa_buf b = FA_BUF_INIT;
	va_list ap;

	fa_buf_puts(&b, "--max-regression ");
	put_quoted(&b, expr, strlen(expr));
	fa_buf_puts(&b, ": ");
	va_start(ap, fmt);
	fa_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
	fa_buf_free(&b);
	return FA_EUSAGE;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static char *trimmed(const char *s, size_t lo, size_t hi)
{
	while (lo < hi && is_space(s[lo]))
		lo++;
	while (hi > lo && is_space(s[hi - 1]))
		hi--;
	return fa_xstrndup(s + lo, hi - lo);
}

/* Look up `name`; 0 when found. `*is_diff` is set for METRIC_diff. */
static int quantity_find(const char *name, fa_cmp_kind *kind, int *index, int *is_diff)
{
	size_t n = strlen(name);
	int s, m;

	*is_diff = 0;
	if ((s = fa_summary_find(name)) >= 0) {
		*kind = FA_CMP_SUMMARY;
		*index = s;
		return 0;
	}
	if (n > 5 && strcmp(name + n - 5, "_diff") == 0) {
		char *base = fa_xstrndup(name, n - 5);
		m = fa_metric_find(base);
		free(base);
		if (m >= 0) {
			*is_diff = 1;
			*kind = FA_CMP_METRIC;
			*index = m;
			return 0;
		}
	}
	for (s = 0; s < NSUFFIX; s++) {
		size_t k = strlen(kind_suffix[s]);
		char *base;
		if (n <= k || strcmp(name + n - k, kind_suffix[s]) != 0)
			continue;
		base = fa_xstrndup(name, n - k);
		m = fa_metric_find(base);
		free(base);
		if (m >= 0) {
			*kind = (fa_cmp_kind)s;
			*index = m;
			return 0;
		}
	}
	return -1;
}

/* The gate quantity nearest to `want`, if close enough to suggest. */
static int closest_quantity(char *out, size_t size, const char *want)
{
	size_t best = (size_t)-1, d;
	char name[64];
	int s, m;

	out[0] = '\0';
	for (s = 0; s < FA_S__COUNT; s++) {
		quantity_name(name, sizeof(name), FA_CMP_SUMMARY, s);
		if ((d = fa_edit_distance(want, name)) < best) {
			best = d;
			snprintf(out, size, "%s", name);
		}
	}
	for (s = 0; s < NSUFFIX; s++)
		for (m = 0; m < FA_M__COUNT; m++) {
			if (fa_compare_direction((fa_cmp_kind)s, m) < 0)
				continue;
			quantity_name(name, sizeof(name), (fa_cmp_kind)s, m);
			if ((d = fa_edit_distance(want, name)) < best) {
				best = d;
				snprintf(out, size, "%s", name);
			}
		}
	return out[0] && fa_suggest_close(best, want);
}

static int unknown_quantity(fa_error *err, const char *expr, const char *name)
{
	fa_buf b = FA_BUF_INIT;
	char best[64];
	int m, rc;

	fa_buf_puts(&b, "unknown quantity ");
	put_quoted(&b, name, strlen(name));
	if (closest_quantity(best, sizeof(best), name))
		fa_buf_printf(&b, " (did you mean \"%s\"?)", best);
	fa_buf_puts(&b, "; valid: METRIC, METRIC_gap, METRIC_ratio, METRIC_min, METRIC_max, "
			"equalized_odds_diff, demographic_parity_diff, disparate_impact, "
			"worst_group_auc; METRIC is one of ");
	for (m = 0; m < FA_M__COUNT; m++)
		fa_buf_printf(&b, "%s%s", m ? ", " : "", fa_metric_name((fa_metric)m));
	rc = gate_error(err, expr, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

/* Parse the quantity `name` and check it suits the gate's scope. */
static int parse_quantity(fa_cmp_gate *g, const char *name, fa_error *err)
{
	int is_diff;
	const char *metric;

	if (!*name)
		return gate_error(err, g->expr, "expected a quantity before \"=\"; %s", FORM);
	if (quantity_find(name, &g->kind, &g->index, &is_diff) < 0)
		return unknown_quantity(err, g->expr, name);
	metric = g->kind == FA_CMP_SUMMARY ? NULL : fa_metric_name((fa_metric)g->index);
	if (is_diff)
		return gate_error(err, g->expr,
				  "%s is a group's difference to its attribute's reference group, "
				  "which can be another group in each report; gate on the group's "
				  "metric (%s) or on the attribute's gap (%s_gap) instead",
				  name, metric, metric);
	if (fa_compare_direction(g->kind, g->index) < 0)
		return gate_error(err, g->expr,
				  "%s is neither better larger nor better smaller, so no change "
				  "of it is a regression; gate on %s_gap or %s_ratio instead",
				  name, metric, metric);
	if (g->scope == SC_OVERALL && g->kind != FA_CMP_METRIC)
		return gate_error(err, g->expr,
				  "%s compares groups, and the whole population is one group; "
				  "write overall.METRIC=X, or ATTRIBUTE:%s=X",
				  name, name);
	if (g->scope == SC_GROUP && g->kind != FA_CMP_METRIC)
		return gate_error(err, g->expr,
				  "%s is a quantity of a whole attribute; write %s:%s=X, or for "
				  "one group its metric (%s=%s:METRIC=X)",
				  name, g->attr, name, g->attr, g->group);
	return 0;
}

int fa_compare_gate_parse(fa_cmp_gate **out, const char *expr, fa_error *err)
{
	fa_cmp_gate *g = fa_xcalloc(1, sizeof(*g));
	size_t n = strlen(expr), i, eq = (size_t)-1, colon = (size_t)-1, qlo = 0;
	char *num = NULL, *name = NULL, *end;
	int rc = 0;

	*out = NULL;
	g->expr = fa_xstrdup(expr);
	/* the limit follows the last '=': a group value may hold one */
	for (i = 0; i < n; i++)
		if (expr[i] == '=')
			eq = i;
	if (eq == (size_t)-1) {
		rc = gate_error(err, expr, "expected \"=\" and the largest worsening allowed; %s",
				FORM);
		goto done;
	}
	num = trimmed(expr, eq + 1, n);
	g->limit = strtod(num, &end);
	if (!*num || *end || !isfinite(g->limit) || g->limit < 0) {
		fa_buf b = FA_BUF_INIT;
		put_quoted(&b, num, strlen(num));
		rc = gate_error(err, expr, "expected a finite number >= 0 after \"=\", got %s; %s",
				*num ? b.ptr : "nothing", FORM);
		fa_buf_free(&b);
		goto done;
	}
	for (i = 0; i < eq; i++)
		if (expr[i] == ':')
			colon = i;
	if (colon != (size_t)-1) {
		size_t ge = (size_t)-1;
		for (i = 0; i < colon && ge == (size_t)-1; i++)
			if (expr[i] == '=')
				ge = i;
		g->attr = trimmed(expr, 0, ge == (size_t)-1 ? colon : ge);
		if (ge != (size_t)-1)
			g->group = trimmed(expr, ge + 1, colon);
		if (!*g->attr || (g->group && !*g->group)) {
			rc = gate_error(err, expr, "expected %s before \":\"; %s",
					*g->attr ? "a group after \"=\"" : "an attribute", FORM);
			goto done;
		}
		g->scope = g->group ? SC_GROUP : SC_ATTR;
		qlo = colon + 1;
	}
	name = trimmed(expr, qlo, eq);
	if (g->scope == SC_ALL && strncmp(name, "overall.", 8) == 0) {
		char *rest = trimmed(name, 8, strlen(name));
		free(name);
		name = rest;
		g->scope = SC_OVERALL;
	}
	rc = parse_quantity(g, name, err);
done:
	free(num);
	free(name);
	if (rc < 0) {
		fa_compare_gate_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void fa_compare_gate_free(fa_cmp_gate *g)
{
	if (!g)
		return;
	free(g->expr);
	free(g->attr);
	free(g->group);
	free(g);
}

/* ---- gate evaluation ----------------------------------------------------------- */

typedef struct checks {
	fa_cmp_check *v;
	size_t n, cap;
} checks;

/* Append a check; a `note` (owned) makes it inconclusive outright. */
static void push_check(checks *c, char *where, const fa_cmp_value *v, char *note)
{
	fa_cmp_check *k;
	void *p = c->v;

	fa_grow(&p, &c->cap, c->n + 1, sizeof(*c->v));
	c->v = p;
	k = &c->v[c->n++];
	memset(k, 0, sizeof(*k));
	k->where = where;
	if (v)
		k->value = *v;
	else
		pair_undefined(&k->value);
	k->note = note;
	k->outcome = note ? FA_GATE_INCONCLUSIVE : FA_GATE_PASS;
}

static const char *side_name(fa_cmp_presence p)
{
	return p == FA_CMP_BASELINE_ONLY ? "baseline" : "candidate";
}

static int eligible(const fa_group_result *g)
{
	return g && g->status == FA_GROUP_OK;
}

/* Why group `g` of `a` cannot be judged in result `r` ("the baseline"). */
static void put_ineligible(fa_buf *b, const fa_result *r, const char *side, const char *attr,
			   const fa_group_result *g)
{
	if (g->status == FA_GROUP_SUPPRESSED)
		fa_buf_printf(b, "%s=%s is suppressed in the %s: fewer than %zu records "
				 "(suppress-below)",
			      attr, g->value, side, r->settings.suppress_below);
	else
		fa_buf_printf(b, "%s=%s is insufficient in the %s: %zu records, fewer than %zu "
				 "(min-n)",
			      attr, g->value, side, g->n, r->settings.min_n);
}

static char *ineligible_note(const fa_comparison *c, const fa_cmp_attr *a,
			     const fa_cmp_group *g)
{
	fa_buf b = FA_BUF_INIT;
	if (!eligible(g->baseline))
		put_ineligible(&b, c->baseline, "baseline", a->name, g->baseline);
	if (!eligible(g->candidate)) {
		if (b.len)
			fa_buf_puts(&b, "; ");
		put_ineligible(&b, c->candidate, "candidate", a->name, g->candidate);
	}
	return fa_buf_detach(&b);
}

static const fa_cmp_value *attr_value(const fa_cmp_attr *a, const fa_cmp_gate *g)
{
	switch (g->kind) {
	case FA_CMP_GAP: return &a->gaps[g->index].gap;
	case FA_CMP_RATIO: return &a->gaps[g->index].ratio;
	case FA_CMP_MIN: return &a->gaps[g->index].min;
	case FA_CMP_MAX: return &a->gaps[g->index].max;
	case FA_CMP_SUMMARY: return &a->summary[g->index];
	default: return NULL;
	}
}

/* The check of metric `m` of group `g`. */
static void group_check(checks *k, const fa_comparison *c, const fa_cmp_attr *a,
			const fa_cmp_group *g, int m, const char *q)
{
	char *where = fa_xasprintf("%s=%s:%s", a->name, g->value, q);

	if (g->presence != FA_CMP_IN_BOTH)
		push_check(k, where, NULL,
			   fa_xasprintf("%s=%s is only in the %s", a->name, g->value,
				   side_name(g->presence)));
	else if (!eligible(g->baseline) || !eligible(g->candidate))
		push_check(k, where, &g->metrics[m], ineligible_note(c, a, g));
	else
		push_check(k, where, &g->metrics[m], NULL);
}

/* The checks of gate `gt` on attribute `a` (scopes ALL and ATTR). */
static void attr_checks(checks *k, const fa_comparison *c, const fa_cmp_attr *a,
			const fa_cmp_gate *gt, const char *q)
{
	size_t i, before = k->n;

	if (a->presence != FA_CMP_IN_BOTH) {
		push_check(k, fa_xasprintf("%s:%s", a->name, q), NULL,
			   fa_xasprintf("%s is only in the %s", a->name, side_name(a->presence)));
		return;
	}
	if (gt->kind != FA_CMP_METRIC) {
		push_check(k, fa_xasprintf("%s:%s", a->name, q), attr_value(a, gt), NULL);
		return;
	}
	for (i = 0; i < a->ngroups; i++) {
		const fa_cmp_group *g = &a->groups[i];
		const fa_group_result *only = g->baseline ? g->baseline : g->candidate;
		/* ineligible groups are skipped, as gates over all groups skip
		 * them; a group in one report only, eligible there, makes an
		 * inconclusive check rather than vanish */
		if (g->presence == FA_CMP_IN_BOTH ? eligible(g->baseline) && eligible(g->candidate)
						  : eligible(only))
			group_check(k, c, a, g, gt->index, q);
	}
	if (k->n == before)
		push_check(k, fa_xasprintf("%s:%s", a->name, q), NULL,
			   fa_xasprintf("no group of %s is eligible in both reports (each is "
				   "insufficient or suppressed in one of them)",
				   a->name));
}

/* Whether `g` names an attribute or group in neither result: FA_EUSAGE. */
static int gate_validate(const fa_comparison *c, const fa_cmp_gate *g, fa_error *err)
{
	const fa_cmp_attr *a;
	fa_buf b = FA_BUF_INIT;
	size_t i;
	int rc;

	if (g->scope != SC_ATTR && g->scope != SC_GROUP)
		return 0;
	a = fa_compare_attr(c, g->attr);
	if (a && g->scope == SC_ATTR)
		return 0;
	if (a && a->presence != FA_CMP_IN_BOTH)
		return 0; /* inconclusive: the attribute is in one report only */
	if (a) {
		for (i = 0; i < a->ngroups; i++)
			if (strcmp(a->groups[i].value, g->group) == 0)
				return 0;
		fa_buf_printf(&b, "%s has no group ", a->name);
		put_quoted(&b, g->group, strlen(g->group));
		fa_buf_puts(&b, " in either report; the groups are ");
		for (i = 0; i < a->ngroups && i < 30; i++) {
			if (i)
				fa_buf_puts(&b, ", ");
			put_quoted(&b, a->groups[i].value, strlen(a->groups[i].value));
		}
		if (a->ngroups > 30)
			fa_buf_printf(&b, ", ... (%zu in all)", a->ngroups);
		if (a->ngroups == 0)
			fa_buf_puts(&b, "(none)");
	} else {
		fa_buf_puts(&b, "attribute ");
		put_quoted(&b, g->attr, strlen(g->attr));
		fa_buf_puts(&b, " is in neither report; ");
		if (c->nattrs == 0)
			fa_buf_puts(&b, "neither audited an attribute");
		else
			fa_buf_puts(&b, "the attributes are ");
		for (i = 0; i < c->nattrs; i++) {
			if (i)
				fa_buf_puts(&b, ", ");
			put_quoted(&b, c->attrs[i].name, strlen(c->attrs[i].name));
		}
	}
	rc = gate_error(err, g->expr, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

static char *undefined_note(const fa_cmp_value *v)
{
	int b = !isfinite(v->baseline.value), k = !isfinite(v->candidate.value);
	const char *rb = v->baseline.reason ? v->baseline.reason : "no value";
	const char *rk = v->candidate.reason ? v->candidate.reason : "no value";

	if (b && k && strcmp(rb, rk) == 0)
		return fa_xasprintf("undefined in both reports: %s", rb);
	if (b && k)
		return fa_xasprintf("undefined in the baseline: %s; in the candidate: %s", rb, rk);
	return fa_xasprintf("undefined in the %s: %s", b ? "baseline" : "candidate", b ? rb : rk);
}

static void judge(fa_cmp_check *k, double limit)
{
	if (k->note)
		return;
	if (isnan(k->value.worsening)) {
		k->outcome = FA_GATE_INCONCLUSIVE;
		k->note = undefined_note(&k->value);
		return;
	}
	k->outcome = k->value.worsening > limit + FA_COMPARE_TOLERANCE ? FA_GATE_FAIL
								       : FA_GATE_PASS;
}

int fa_compare_evaluate(fa_comparison *c, fa_cmp_gate *const *gates, size_t ngates,
			fa_error *err)
{
	fa_cmp_gate_result *res;
	size_t i, j;
	int rc;

	for (i = 0; i < ngates; i++)
		if ((rc = gate_validate(c, gates[i], err)) < 0)
			return rc;
	res = fa_xcalloc(ngates + 1, sizeof(*res));
	for (i = 0; i < ngates; i++) {
		const fa_cmp_gate *g = gates[i];
		const fa_cmp_attr *a;
		checks k = {NULL, 0, 0};
		char q[64];
		int any_fail = 0, any_inc = 0;

		quantity_name(q, sizeof(q), g->kind, g->index);
		switch (g->scope) {
		case SC_OVERALL:
			push_check(&k, fa_xasprintf("overall.%s", q), &c->overall.metrics[g->index],
				   NULL);
			break;
		case SC_GROUP:
			a = fa_compare_attr(c, g->attr);
			if (a->presence != FA_CMP_IN_BOTH) {
				push_check(&k, fa_xasprintf("%s=%s:%s", a->name, g->group, q), NULL,
					   fa_xasprintf("%s is only in the %s", a->name,
						   side_name(a->presence)));
				break;
			}
			for (j = 0; j < a->ngroups; j++)
				if (strcmp(a->groups[j].value, g->group) == 0)
					group_check(&k, c, a, &a->groups[j], g->index, q);
			break;
		case SC_ATTR:
			attr_checks(&k, c, fa_compare_attr(c, g->attr), g, q);
			break;
		case SC_ALL:
			for (j = 0; j < c->nattrs; j++)
				attr_checks(&k, c, &c->attrs[j], g, q);
			if (c->nattrs == 0)
				push_check(&k, fa_xstrdup(q), NULL,
					   fa_xstrdup("no attribute was audited in either report"));
			break;
		}
		for (j = 0; j < k.n; j++) {
			judge(&k.v[j], g->limit);
			any_fail |= k.v[j].outcome == FA_GATE_FAIL;
			any_inc |= k.v[j].outcome == FA_GATE_INCONCLUSIVE;
		}
		res[i].expr = fa_xstrdup(g->expr);
		res[i].quantity = fa_xstrdup(q);
		res[i].limit = g->limit;
		res[i].checks = k.v;
		res[i].nchecks = k.n;
		res[i].outcome = any_fail ? FA_GATE_FAIL
				 : any_inc || k.n == 0 ? FA_GATE_INCONCLUSIVE
						       : FA_GATE_PASS;
	}
	gate_results_free(c->gates, c->ngates);
	c->gates = res;
	c->ngates = ngates;
	c->verdict = FA_GATE_PASS;
	for (i = 0; i < ngates; i++)
		if (res[i].outcome == FA_GATE_FAIL)
			c->verdict = FA_GATE_FAIL;
		else if (res[i].outcome == FA_GATE_INCONCLUSIVE && c->verdict == FA_GATE_PASS)
			c->verdict = FA_GATE_INCONCLUSIVE;
	return 0;
}

/* Whether a gate check on `where` failed. */
static int check_failed(const fa_comparison *c, const char *where)
{
	size_t i, j;
	for (i = 0; i < c->ngates; i++)
		for (j = 0; j < c->gates[i].nchecks; j++)
			if (c->gates[i].checks[j].outcome == FA_GATE_FAIL &&
			    strcmp(c->gates[i].checks[j].where, where) == 0)
				return 1;
	return 0;
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

static const char *better_name(int dir)
{
	return dir == 1 ? "higher" : dir == 0 ? "lower" : NULL;
}

/* ---- Markdown ------------------------------------------------------------------ */

#define DASH "\xe2\x80\x94"  /* U+2014 em dash */
#define CROSS "\xe2\x9c\x97" /* U+2717 ballot x */
#define MINUS "\xe2\x88\x92" /* U+2212 minus sign */

typedef struct md {
	fa_buf *b;
	const fa_comparison *c;
	char **notes; /* distinct footnote texts (owned); note k is [^k+1] */
	size_t nnotes;
} md;


static void note_ref(md *m, fa_buf *b, const char *text)
{
	size_t i;

	for (i = 0; i < m->nnotes; i++)
		if (strcmp(m->notes[i], text) == 0)
			break;
	if (i == m->nnotes) {
		m->notes = fa_xrealloc(m->notes, (m->nnotes + 1) * sizeof(char *));
		m->notes[m->nnotes++] = fa_xstrdup(text);
	}
	fa_buf_printf(b, "[^%zu]", i + 1);
}

/* A number rounded for reading, with no "-0.000". */
static void put_num(fa_buf *b, double x, int sign, int decimals)
{
	char tmp[64];
	const char *p;

	snprintf(tmp, sizeof(tmp), sign ? "%+.*f" : "%.*f", decimals, x);
	for (p = tmp; *p; p++)
		if (*p >= '1' && *p <= '9')
			break;
	if (!*p)
		snprintf(tmp, sizeof(tmp), "%.*f", decimals, 0.0);
	fa_buf_puts(b, tmp);
}

static void put_estimate(md *m, fa_buf *b, const fa_estimate *e)
{
	if (!isfinite(e->value)) {
		fa_buf_puts(b, DASH);
		note_ref(m, b, e->reason ? e->reason : "undefined");
		return;
	}
	put_num(b, e->value, 0, 3);
	if (e->has_ci) {
		fa_buf_puts(b, " [");
		put_num(b, e->ci_low, 0, 3);
		fa_buf_puts(b, ", ");
		put_num(b, e->ci_high, 0, 3);
		fa_buf_putc(b, ']');
	}
}

/* A change: signed, three decimals, or two significant digits when it is
 * too small to show in three, so a flagged change never reads +0.000. */
static void put_change(fa_buf *b, double x)
{
	if (isnan(x))
		fa_buf_puts(b, DASH);
	else if (x != 0 && fabs(x) < 0.0005)
		fa_buf_printf(b, "%+.1e", x);
	else
		put_num(b, x, 1, 3);
}

/* The cells Baseline, Candidate, Change and Regression of `v`, the last
 * marked with a cross when a gate check on `where` failed. */
static void tab_value(md *m, fa_mdtab *t, const fa_cmp_value *v, const char *where)
{
	put_estimate(m, &t->cur, &v->baseline);
	fa_mdtab_end(t);
	put_estimate(m, &t->cur, &v->candidate);
	fa_mdtab_end(t);
	put_change(&t->cur, v->change);
	fa_mdtab_end(t);
	if (v->regression)
		fa_buf_puts(&t->cur, "worse");
	if (where && check_failed(m->c, where))
		fa_buf_puts(&t->cur, v->regression ? " " CROSS : CROSS);
	fa_mdtab_end(t);
}

static void tab_code(fa_mdtab *t, const char *name)
{
	fa_buf_printf(&t->cur, "`%s`", name);
	fa_mdtab_end(t);
}

static void tab_better(fa_mdtab *t, int dir)
{
	fa_mdtab_put(t, better_name(dir) ? better_name(dir) : "n/a");
}

static const char *name_or(const char *name, const char *dflt)
{
	return name ? name : dflt;
}

static void md_gate_list(md *m, fa_gate_outcome which)
{
	size_t i, k = 0;
	for (i = 0; i < m->c->ngates; i++)
		if (m->c->gates[i].outcome == which) {
			fa_buf_puts(m->b, k++ ? ", " : "");
			fa_md_text(m->b, m->c->gates[i].expr);
		}
}

static void md_verdict(md *m)
{
	const fa_comparison *c = m->c;
	size_t i, nfail = 0, ninc = 0;

	for (i = 0; i < c->ngates; i++) {
		nfail += c->gates[i].outcome == FA_GATE_FAIL;
		ninc += c->gates[i].outcome == FA_GATE_INCONCLUSIVE;
	}
	if (c->ngates == 0) {
		fa_buf_puts(m->b, "**Verdict: no gates given**: no change was checked against a "
				  "limit.\n\n");
	} else if (c->verdict == FA_GATE_FAIL) {
		fa_buf_printf(m->b, "**Verdict: FAIL**: %zu of %zu gate%s failed (", nfail,
			      c->ngates, c->ngates == 1 ? "" : "s");
		md_gate_list(m, FA_GATE_FAIL);
		fa_buf_puts(m->b, ").\n\n");
	} else if (c->verdict == FA_GATE_INCONCLUSIVE) {
		fa_buf_printf(m->b, "**Verdict: INCONCLUSIVE**: no gate failed, but %zu of %zu "
				    "could not be decided (",
			      ninc, c->ngates);
		md_gate_list(m, FA_GATE_INCONCLUSIVE);
		fa_buf_puts(m->b, ").\n\n");
	} else {
		fa_buf_printf(m->b, "**Verdict: PASS**: %s %zu gate%s passed.\n\n",
			      c->ngates == 1 ? "the" : "all", c->ngates, c->ngates == 1 ? "" : "s");
	}
}

static void md_paths(fa_buf *b, const fa_result *r)
{
	size_t i;
	if (r->nfiles == 0)
		fa_buf_puts(b, "(none recorded)");
	for (i = 0; i < r->nfiles; i++) {
		if (i)
			fa_buf_puts(b, ", ");
		fa_md_text(b, r->files[i].path ? r->files[i].path : "");
	}
}

static void md_decision(fa_buf *b, const fa_settings *s)
{
	if (s->pred_column) {
		fa_buf_puts(b, "column ");
		fa_md_text(b, s->pred_column);
		return;
	}
	fa_md_text(b, s->score_column ? s->score_column : "score");
	fa_buf_puts(b, " \xe2\x89\xa5 "); /* U+2265 */
	fa_buf_put_double(b, s->threshold);
}

static void md_bootstrap(fa_buf *b, const fa_settings *s)
{
	if (s->bootstrap == 0)
		fa_buf_puts(b, "off");
	else
		fa_buf_printf(b, "%zu replicates, %s, seed %llu, %g%%", s->bootstrap,
			      s->scheme ? s->scheme : "stratified", (unsigned long long)s->seed,
			      s->ci_level * 100);
}

static void md_inputs(md *m)
{
	const fa_comparison *c = m->c;
	const fa_result *r[2] = {c->baseline, c->candidate};
	const char *rows[] = {"Report", "Input", "SHA-256", "Rows used", "Label column",
			      "Score column", "Decision", "min-n", "suppress-below",
			      "Intervals", "Tool"};
	fa_mdtab t;
	size_t i;
	int k;

	fa_buf_puts(m->b, "## What was compared\n\n");
	fa_mdtab_init(&t, "lll");
	fa_mdtab_put(&t, "");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fa_mdtab_put(&t, rows[i]);
		for (k = 0; k < 2; k++) {
			const fa_settings *s = &r[k]->settings;
			fa_buf *b = &t.cur;
			switch (i) {
			case 0:
				fa_md_text(b, name_or(k ? c->candidate_name : c->baseline_name, "-"));
				break;
			case 1: md_paths(b, r[k]); break;
			case 2:
				if (k && c->same_data)
					fa_buf_puts(b, "the same");
				else
					put_digests(b, r[k]);
				break;
			case 3: fa_buf_printf(b, "%zu", r[k]->rows_used); break;
			case 4: fa_md_text(b, s->label_column ? s->label_column : "-"); break;
			case 5: fa_md_text(b, s->score_column ? s->score_column : "-"); break;
			case 6: md_decision(b, s); break;
			case 7: fa_buf_printf(b, "%zu", s->min_n); break;
			case 8:
				if (s->suppress_below)
					fa_buf_printf(b, "%zu", s->suppress_below);
				else
					fa_buf_puts(b, "off");
				break;
			case 9: md_bootstrap(b, s); break;
			default:
				fa_buf_puts(b, "fairaudit ");
				fa_md_text(b, r[k]->tool_version ? r[k]->tool_version : "?");
				break;
			}
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

static void md_notices(md *m)
{
	const fa_comparison *c = m->c;
	size_t i;

	fa_buf_puts(m->b, "Each change is candidate " MINUS " baseline. A change marked *worse*\n"
			  "moves against the quantity's direction, given in the Better column\n"
			  "(docs/compare.md). The intervals are each report's own: the two\n"
			  "reports are not paired, so they do not make an interval for the\n"
			  "change.\n\n");
	if (!c->same_data) {
		fa_buf_puts(m->b, "**Different data**: the reports come from different input "
				  "(SHA-256 ");
		put_digests(m->b, c->baseline);
		fa_buf_puts(m->b, " vs ");
		put_digests(m->b, c->candidate);
		fa_buf_puts(m->b, "); a change mixes the models' difference with the\ndata's.\n\n");
	}
	if (c->nsettings) {
		fa_buf_puts(m->b, "**Settings differ**: ");
		for (i = 0; i < c->nsettings; i++) {
			fa_buf_printf(m->b, "%s%s ", i ? "; " : "", c->settings[i].name);
			fa_md_text(m->b, c->settings[i].baseline);
			fa_buf_puts(m->b, " in the baseline, ");
			fa_md_text(m->b, c->settings[i].candidate);
			fa_buf_puts(m->b, " in the candidate");
		}
		fa_buf_puts(m->b, ".\n\n");
	}
}

/* A limit or worsening with enough decimals to tell them apart. */
static void put_gate_num(fa_buf *b, double x, double limit)
{
	char a[64], l[64];
	int d;

	for (d = 3; d < 9; d++) {
		snprintf(a, sizeof(a), "%.*f", d, x);
		snprintf(l, sizeof(l), "%.*f", d, limit);
		if (strcmp(a, l) != 0 || fabs(x - limit) <= FA_COMPARE_TOLERANCE)
			break;
	}
	put_num(b, x, 0, d);
}

static void md_gates(md *m)
{
	const fa_comparison *c = m->c;
	fa_mdtab t;
	size_t i, j;

	if (!c->ngates)
		return;
	fa_buf_puts(m->b, "## Gates\n\n"
			  "A check fails when the candidate is worse than the baseline by more\n"
			  "than the amount allowed. Worsening is the change signed so that\n"
			  "positive is worse.\n\n");
	fa_mdtab_init(&t, "llrrrrrl");
	fa_mdtab_put(&t, "Gate");
	fa_mdtab_put(&t, "Check");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	fa_mdtab_put(&t, "Change");
	fa_mdtab_put(&t, "Worsening");
	fa_mdtab_put(&t, "Allowed");
	fa_mdtab_put(&t, "Outcome");
	for (i = 0; i < c->ngates; i++) {
		const fa_cmp_gate_result *g = &c->gates[i];
		for (j = 0; j < g->nchecks; j++) {
			const fa_cmp_check *k = &g->checks[j];
			fa_buf_putc(&t.cur, '`');
			fa_buf_puts(&t.cur, g->expr); /* in a code span: no escaping */
			fa_buf_putc(&t.cur, '`');
			fa_mdtab_end(&t);
			fa_mdtab_text(&t, k->where);
			if (k->value.direction < 0 && isnan(k->value.baseline.value) &&
			    isnan(k->value.candidate.value) && k->note) {
				/* nothing was compared */
				fa_mdtab_put(&t, DASH);
				fa_mdtab_put(&t, DASH);
				fa_mdtab_put(&t, DASH);
				fa_mdtab_put(&t, DASH);
			} else {
				put_estimate(m, &t.cur, &k->value.baseline);
				fa_mdtab_end(&t);
				put_estimate(m, &t.cur, &k->value.candidate);
				fa_mdtab_end(&t);
				put_change(&t.cur, k->value.change);
				fa_mdtab_end(&t);
				if (isnan(k->value.worsening))
					fa_buf_puts(&t.cur, DASH);
				else
					put_gate_num(&t.cur, k->value.worsening, g->limit);
				fa_mdtab_end(&t);
			}
			put_gate_num(&t.cur, g->limit,
				     isnan(k->value.worsening) ? g->limit : k->value.worsening);
			fa_mdtab_end(&t);
			fa_buf_puts(&t.cur, outcome_name(k->outcome));
			if (k->outcome == FA_GATE_FAIL)
				fa_buf_puts(&t.cur, " " CROSS);
			if (k->note)
				note_ref(m, &t.cur, k->note);
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

static void md_overall(md *m)
{
	fa_mdtab t;
	int k;
	char where[96];

	fa_buf_puts(m->b, "## Overall\n\n");
	fa_buf_printf(m->b, "%zu records in the baseline, %zu in the candidate.\n\n",
		      m->c->baseline->overall.n, m->c->candidate->overall.n);
	fa_mdtab_init(&t, "llrrrl");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Better");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	fa_mdtab_put(&t, "Change");
	fa_mdtab_put(&t, "Regression");
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_cmp_value *v = &m->c->overall.metrics[k];
		snprintf(where, sizeof(where), "overall.%s", fa_metric_name((fa_metric)k));
		tab_code(&t, fa_metric_name((fa_metric)k));
		tab_better(&t, v->direction);
		tab_value(m, &t, v, where);
	}
	fa_mdtab_render(&t, m->b);
}

static size_t count_presence(const fa_cmp_attr *a, fa_cmp_presence p)
{
	size_t i, k = 0;
	for (i = 0; i < a->ngroups; i++)
		k += a->groups[i].presence == p;
	return k;
}

/* "F, M": the groups of `a` present as `p`. */
static void md_group_list(md *m, const fa_cmp_attr *a, fa_cmp_presence p)
{
	size_t i, k = 0;
	for (i = 0; i < a->ngroups; i++)
		if (a->groups[i].presence == p) {
			fa_buf_puts(m->b, k++ ? ", " : "");
			fa_md_text(m->b, a->groups[i].value);
		}
}

static void put_status(fa_buf *b, const char *side, const fa_group_result *g, int *first)
{
	if (!g || g->status == FA_GROUP_OK)
		return;
	fa_buf_printf(b, "%s%s in the %s", *first ? "" : "; ", fa_group_status_name(g->status),
		      side);
	if (g->status == FA_GROUP_INSUFFICIENT)
		fa_buf_printf(b, " (%zu records)", g->n);
	*first = 0;
}

static void md_attr(md *m, const fa_cmp_attr *a)
{
	fa_buf *b = m->b;
	fa_buf w = FA_BUF_INIT;
	fa_mdtab t;
	size_t i;
	int k;

	fa_buf_puts(b, "## Attribute ");
	fa_md_text(b, a->name);
	fa_buf_puts(b, "\n\n");
	if (a->presence != FA_CMP_IN_BOTH) {
		fa_buf_printf(b, "Only in the %s report: not compared.\n\n",
			      side_name(a->presence));
		return;
	}
	fa_buf_puts(b, "Groups in both reports: ");
	if (count_presence(a, FA_CMP_IN_BOTH))
		md_group_list(m, a, FA_CMP_IN_BOTH);
	else
		fa_buf_puts(b, "none");
	fa_buf_puts(b, ".");
	for (k = FA_CMP_BASELINE_ONLY; k <= FA_CMP_CANDIDATE_ONLY; k++) {
		if (!count_presence(a, (fa_cmp_presence)k))
			continue;
		fa_buf_printf(b, " Only in the %s: ", side_name((fa_cmp_presence)k));
		md_group_list(m, a, (fa_cmp_presence)k);
		fa_buf_puts(b, ".");
	}
	fa_buf_puts(b, "\n\n");

	fa_buf_puts(b, "### ");
	fa_md_text(b, a->name);
	fa_buf_puts(b, ": summaries\n\n");
	fa_mdtab_init(&t, "llrrrl");
	fa_mdtab_put(&t, "Summary");
	fa_mdtab_put(&t, "Better");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	fa_mdtab_put(&t, "Change");
	fa_mdtab_put(&t, "Regression");
	for (k = 0; k < FA_S__COUNT; k++) {
		fa_buf_clear(&w);
		fa_buf_printf(&w, "%s:%s", a->name, fa_summary_name((fa_summary)k));
		tab_code(&t, fa_summary_name((fa_summary)k));
		tab_better(&t, a->summary[k].direction);
		tab_value(m, &t, &a->summary[k], w.ptr);
	}
	fa_mdtab_render(&t, b);

	fa_buf_puts(b, "### ");
	fa_md_text(b, a->name);
	fa_buf_puts(b, ": gaps\n\nmax " MINUS " min over the groups that are neither insufficient "
		       "nor\nsuppressed; smaller is better. Ratios, minima and maxima are in the "
		       "JSON\ncomparison.\n\n");
	fa_mdtab_init(&t, "lrrrl");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	fa_mdtab_put(&t, "Change");
	fa_mdtab_put(&t, "Regression");
	for (k = 0; k < FA_M__COUNT; k++) {
		fa_buf_clear(&w);
		fa_buf_printf(&w, "%s:%s_gap", a->name, fa_metric_name((fa_metric)k));
		tab_code(&t, fa_metric_name((fa_metric)k));
		tab_value(m, &t, &a->gaps[k].gap, w.ptr);
	}
	fa_mdtab_render(&t, b);

	fa_buf_puts(b, "### ");
	fa_md_text(b, a->name);
	fa_buf_puts(b, ": groups\n\n");
	fa_mdtab_init(&t, "lllrrrl");
	fa_mdtab_put(&t, "Group");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Better");
	fa_mdtab_put(&t, "Baseline");
	fa_mdtab_put(&t, "Candidate");
	fa_mdtab_put(&t, "Change");
	fa_mdtab_put(&t, "Regression");
	for (i = 0; i < a->ngroups; i++) {
		const fa_cmp_group *g = &a->groups[i];
		fa_buf status = FA_BUF_INIT;
		int first = 1;
		if (g->presence != FA_CMP_IN_BOTH)
			continue;
		put_status(&status, "baseline", g->baseline, &first);
		put_status(&status, "candidate", g->candidate, &first);
		for (k = 0; k < FA_M__COUNT; k++) {
			fa_md_text(&t.cur, g->value);
			if (status.len)
				note_ref(m, &t.cur, status.ptr);
			fa_mdtab_end(&t);
			tab_code(&t, fa_metric_name((fa_metric)k));
			tab_better(&t, g->metrics[k].direction);
			fa_buf_clear(&w);
			fa_buf_printf(&w, "%s=%s:%s", a->name, g->value,
				      fa_metric_name((fa_metric)k));
			tab_value(m, &t, &g->metrics[k], w.ptr);
		}
		fa_buf_free(&status);
	}
	if (t.n > t.ncols) {
		fa_mdtab_render(&t, b);
	} else {
		fa_buf_puts(b, "No group is in both reports.\n\n");
		fa_mdtab_free(&t);
	}
	fa_buf_free(&w);
}

int fa_compare_markdown(fa_buf *out, const fa_comparison *c)
{
	md m;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.b = out;
	m.c = c;
	fa_buf_puts(out, "# Fairness comparison\n\n");
	md_verdict(&m);
	fa_buf_puts(out, "Baseline: ");
	fa_md_text(out, name_or(c->baseline_name, "(unnamed)"));
	fa_buf_puts(out, ". Candidate: ");
	fa_md_text(out, name_or(c->candidate_name, "(unnamed)"));
	fa_buf_puts(out, ".\n\n");
	md_notices(&m);
	md_inputs(&m);
	md_gates(&m);
	md_overall(&m);
	for (i = 0; i < c->nattrs; i++)
		md_attr(&m, &c->attrs[i]);
	for (i = 0; i < m.nnotes; i++) {
		fa_buf_printf(out, "%s[^%zu]: ", i ? "" : "---\n\n", i + 1);
		fa_md_text(out, m.notes[i]);
		fa_buf_puts(out, "\n");
		free(m.notes[i]);
	}
	free(m.notes);
	return 0;
}

/* ---- JSON ------------------------------------------------------------------------ */

/* Written by hand, as the JSON report is (report_json.c): the key order is
 * fixed here and every number is the shortest text that reads back to the
 * same double. */

static void jw_estimate(jw *w, const fa_estimate *e)
{
	int defined = isfinite(e->value);

	jw_open(w, '{', 1);
	jw_key(w, "value");
	jw_num(w, e->value);
	if (!defined || e->reason) {
		jw_key(w, "reason");
		jw_str(w, e->reason ? e->reason : "undefined");
	}
	if (e->has_ci && defined) {
		jw_key(w, "ci");
		jw_open(w, '[', 1);
		jw_item(w);
		jw_num(w, e->ci_low);
		jw_item(w);
		jw_num(w, e->ci_high);
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

/* {"baseline", "candidate", "change", "worsening", "better", "regression"} */
static void jw_value(jw *w, const fa_cmp_value *v)
{
	jw_open(w, '{', 0);
	jw_key(w, "baseline");
	jw_estimate(w, &v->baseline);
	jw_key(w, "candidate");
	jw_estimate(w, &v->candidate);
	jw_key(w, "change");
	jw_num(w, v->change);
	jw_key(w, "worsening");
	jw_num(w, v->worsening);
	jw_key(w, "better");
	jw_str_or_null(w, better_name(v->direction));
	jw_key(w, "regression");
	fa_buf_puts(w->b, isnan(v->change) ? "null" : v->regression ? "true" : "false");
	jw_close(w, '}');
}

static void jw_metrics(jw *w, const fa_cmp_value *v)
{
	int k;
	jw_key(w, "metrics");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++) {
		jw_key(w, fa_metric_name((fa_metric)k));
		jw_value(w, &v[k]);
	}
	jw_close(w, '}');
}

static void jw_side(jw *w, const char *key, const fa_result *r, const char *name)
{
	const fa_settings *s = &r->settings;
	size_t i;

	jw_key(w, key);
	jw_open(w, '{', 0);
	jw_key(w, "report");
	jw_str_or_null(w, name);
	jw_key(w, "tool_version");
	jw_str_or_null(w, r->tool_version);
	jw_key(w, "files");
	jw_open(w, '[', 0);
	for (i = 0; i < r->nfiles; i++) {
		jw_item(w);
		jw_open(w, '{', 1);
		jw_key(w, "path");
		jw_str(w, r->files[i].path ? r->files[i].path : "");
		jw_key(w, "sha256");
		jw_str(w, r->files[i].sha256);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_key(w, "rows_used");
	fa_buf_printf(w->b, "%zu", r->rows_used);
	jw_key(w, "settings");
	jw_open(w, '{', 0);
	jw_settings_head(w, s);
	jw_key(w, "scheme");
	jw_str_or_null(w, s->scheme);
	jw_close(w, '}');
	jw_close(w, '}');
}

static void jw_group_side(jw *w, const char *key, const fa_group_result *g)
{
	jw_key(w, key);
	if (!g) {
		fa_buf_puts(w->b, "null");
		return;
	}
	jw_open(w, '{', 1);
	jw_key(w, "n");
	if (g->status == FA_GROUP_SUPPRESSED)
		fa_buf_puts(w->b, "null");
	else
		fa_buf_printf(w->b, "%zu", g->n);
	jw_key(w, "status");
	jw_str(w, fa_group_status_name(g->status));
	jw_close(w, '}');
}

static void jw_attr(jw *w, const fa_cmp_attr *a)
{
	static const char *const gap_keys[4] = {"gap", "ratio", "min", "max"};
	size_t i;
	int k, q;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "name");
	jw_str(w, a->name);
	jw_key(w, "in");
	jw_str(w, fa_cmp_presence_name(a->presence));
	if (a->presence != FA_CMP_IN_BOTH) {
		jw_close(w, '}');
		return;
	}
	jw_key(w, "groups");
	jw_open(w, '[', 0);
	for (i = 0; i < a->ngroups; i++) {
		const fa_cmp_group *g = &a->groups[i];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "value");
		jw_str(w, g->value);
		jw_key(w, "in");
		jw_str(w, fa_cmp_presence_name(g->presence));
		jw_group_side(w, "baseline", g->baseline);
		jw_group_side(w, "candidate", g->candidate);
		if (g->presence == FA_CMP_IN_BOTH)
			jw_metrics(w, g->metrics);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_key(w, "gaps");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_cmp_value *v[4] = {&a->gaps[k].gap, &a->gaps[k].ratio, &a->gaps[k].min,
					    &a->gaps[k].max};
		jw_key(w, fa_metric_name((fa_metric)k));
		jw_open(w, '{', 0);
		for (q = 0; q < 4; q++) {
			jw_key(w, gap_keys[q]);
			jw_value(w, v[q]);
		}
		jw_close(w, '}');
	}
	jw_close(w, '}');
	jw_key(w, "summary");
	jw_open(w, '{', 0);
	for (k = 0; k < FA_S__COUNT; k++) {
		jw_key(w, fa_summary_name((fa_summary)k));
		jw_value(w, &a->summary[k]);
	}
	jw_close(w, '}');
	jw_close(w, '}');
}

static void jw_gate(jw *w, const fa_cmp_gate_result *g)
{
	size_t i;

	jw_item(w);
	jw_open(w, '{', 0);
	jw_key(w, "expr");
	jw_str(w, g->expr);
	jw_key(w, "quantity");
	jw_str(w, g->quantity);
	jw_key(w, "max_regression");
	jw_num(w, g->limit);
	jw_key(w, "outcome");
	jw_str(w, outcome_name(g->outcome));
	jw_key(w, "checks");
	jw_open(w, '[', 0);
	for (i = 0; i < g->nchecks; i++) {
		const fa_cmp_check *k = &g->checks[i];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "where");
		jw_str(w, k->where);
		jw_key(w, "baseline");
		jw_estimate(w, &k->value.baseline);
		jw_key(w, "candidate");
		jw_estimate(w, &k->value.candidate);
		jw_key(w, "change");
		jw_num(w, k->value.change);
		jw_key(w, "worsening");
		jw_num(w, k->value.worsening);
		jw_key(w, "outcome");
		jw_str(w, outcome_name(k->outcome));
		jw_key(w, "note");
		jw_str_or_null(w, k->note);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

int fa_compare_json(fa_buf *out, const fa_comparison *c)
{
	jw w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.b = out;
	jw_open(&w, '{', 0);
	jw_key(&w, "comparison_version");
	jw_str(&w, "1.0");
	jw_key(&w, "tool");
	jw_open(&w, '{', 1);
	jw_key(&w, "name");
	jw_str(&w, "fairaudit");
	jw_key(&w, "version");
	jw_str(&w, FA_VERSION_STRING);
	jw_close(&w, '}');
	jw_side(&w, "baseline", c->baseline, c->baseline_name);
	jw_side(&w, "candidate", c->candidate, c->candidate_name);
	jw_key(&w, "same_data");
	fa_buf_puts(out, c->same_data ? "true" : "false");
	jw_key(&w, "settings_differ");
	jw_open(&w, '[', 0);
	for (i = 0; i < c->nsettings; i++) {
		jw_item(&w);
		jw_open(&w, '{', 1);
		jw_key(&w, "setting");
		jw_str(&w, c->settings[i].name);
		jw_key(&w, "baseline");
		jw_str(&w, c->settings[i].baseline);
		jw_key(&w, "candidate");
		jw_str(&w, c->settings[i].candidate);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "tolerance");
	jw_num(&w, FA_COMPARE_TOLERANCE);
	jw_key(&w, "overall");
	jw_open(&w, '{', 0);
	jw_group_side(&w, "baseline", c->overall.baseline);
	jw_group_side(&w, "candidate", c->overall.candidate);
	jw_metrics(&w, c->overall.metrics);
	jw_close(&w, '}');
	jw_key(&w, "attributes");
	jw_open(&w, '[', 0);
	for (i = 0; i < c->nattrs; i++)
		jw_attr(&w, &c->attrs[i]);
	jw_close(&w, ']');
	jw_key(&w, "gates");
	jw_open(&w, '[', 0);
	for (i = 0; i < c->ngates; i++)
		jw_gate(&w, &c->gates[i]);
	jw_close(&w, ']');
	jw_key(&w, "verdict");
	jw_str(&w, outcome_name(c->verdict));
	jw_close(&w, '}');
	fa_buf_putc(out, '\n');
	return 0;
}

int fa_compare_write(fa_buf *out, const fa_comparison *c, fa_report_format format,
		     fa_error *err)
{
	switch (format) {
	case FA_REPORT_MARKDOWN: return fa_compare_markdown(out, c);
	case FA_REPORT_JSON: return fa_compare_json(out, c);
	default:
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "a comparison is written as Markdown (.md) or JSON (.json)");
	}
}
