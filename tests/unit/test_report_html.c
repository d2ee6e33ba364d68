/*
 * test_report_html.c: the HTML report of small audits run on inline CSV.
 *
 * - The page is well-formed XML (checked by a small parser here, so the
 *   test does not need xmllint), has unique ids and loads nothing from
 *   outside.
 * - Every drawn group has its row in each chart; suppressed groups are in
 *   no chart and show "<K" counts; no input record's text reaches the page.
 * - Geometry read back from the page: each interval runs from the pixel of
 *   its low end to that of its high end and each dot sits at its estimate,
 *   where pixels are read off the chart's own tick labels; the same for ROC
 *   curves (computed here by brute force), operating points and
 *   calibration dots.
 * - Gates filled in by hand show in the verdict, the gate table and as
 *   limits on the charts; undefined values show a dash with the reason.
 * - The page's size depends on the number of groups, not of records.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "report_html_data.h"

#include <stdlib.h>

/* ---- building audits ------------------------------------------------------ */

typedef struct audit_opts {
	size_t min_n, suppress_below, bootstrap;
	const char *const *oppoints;
	size_t noppoints;
} audit_opts;

static fa_result *audit_csv(const char *name, const char *text, const char *group,
                            const audit_opts *x)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	const char *groups[1];
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	groups[0] = group;
	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = x->bootstrap;
	ao.min_n = x->min_n;
	ao.suppress_below = x->suppress_below;
	ao.oppoints = x->oppoints;
	ao.noppoints = x->noppoints;
	ao.seed = 7;
	ao.threads = 1;
	if (fa_load_memory(&t, name, text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
	fa_table_free(t);
	return r;
}

/* Score of record i: a distinct value ending in ...417, so any copy of a
 * record's text in the page would be noticed. Label: positive mostly when
 * the score is high, with exceptions, so every group has both classes. */
static double rec_score(size_t i)
{
	return (double)((i * 7919) % 997) / 1000.0 + 0.000417;
}

static int rec_label(size_t i)
{
	return (((i * 7919) % 997) > 450) ^ (i % 6 == 0);
}

/* groups: name and size, in order */
static char *make_csv(const char *const *names, const size_t *sizes, size_t ng)
{
	fa_buf b = FA_BUF_INIT;
	size_t g, k, i = 0;
	fa_buf_puts(&b, "rid,label,score,grp\n");
	for (g = 0; g < ng; g++)
		for (k = 0; k < sizes[g]; k++, i++)
			fa_buf_printf(&b, "RID%05zu,%d,%.6f,%s\n", i, rec_label(i), rec_score(i),
			              names[g]);
	return fa_buf_detach(&b);
}

static char *render(const fa_result *r, const fa_html_curves *c)
{
	fa_buf b = FA_BUF_INIT;
	CHECK_INT(fa_report_html_curves(&b, r, c), 0);
	return fa_buf_detach(&b);
}

/* ---- a small XML well-formedness check ------------------------------------ */

static int entity_ok(const char *p)
{
	static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	size_t i;
	for (i = 0; i < 5; i++)
		if (strncmp(p, named[i], strlen(named[i])) == 0)
			return 1;
	if (p[1] == '#') {
		size_t k = 2;
		while (p[k] >= '0' && p[k] <= '9')
			k++;
		return k > 2 && p[k] == ';';
	}
	return 0;
}

/* 0 when `s` is a DOCTYPE followed by one well-formed element; else fills
 * `why` with what is wrong and where. */
static int xml_check(const char *s, char *why, size_t n)
{
	const char *p = s, *stack[256];
	size_t lens[256];
	int depth = 0, roots = 0;

	if (strncmp(p, "<!DOCTYPE html>", 15) != 0) {
		snprintf(why, n, "no DOCTYPE");
		return -1;
	}
	p += 15;
	while (*p) {
		if (*p == '&') {
			if (!entity_ok(p)) {
				snprintf(why, n, "bare & at byte %zu", (size_t)(p - s));
				return -1;
			}
			p++;
		} else if (*p != '<') {
			p++;
		} else if (strncmp(p, "<!--", 4) == 0) {
			const char *e = strstr(p, "-->");
			if (!e) {
				snprintf(why, n, "open comment");
				return -1;
			}
			p = e + 3;
		} else if (p[1] == '/') {
			size_t l = strcspn(p + 2, " >");
			if (depth == 0 || lens[depth - 1] != l ||
			    strncmp(stack[depth - 1], p + 2, l) != 0) {
				snprintf(why, n, "mismatched </%.*s> at byte %zu", (int)l, p + 2,
				         (size_t)(p - s));
				return -1;
			}
			depth--;
			p = strchr(p, '>');
			if (!p)
				return -1;
			p++;
		} else {
			const char *name = p + 1;
			size_t l = strcspn(name, " />\n");
			int closed = 0;
			if (l == 0) {
				snprintf(why, n, "bare < at byte %zu", (size_t)(p - s));
				return -1;
			}
			p = name + l;
			for (;;) {
				size_t al;
				while (*p == ' ' || *p == '\n')
					p++;
				if (*p == '>') {
					p++;
					break;
				}
				if (p[0] == '/' && p[1] == '>') {
					p += 2;
					closed = 1;
					break;
				}
				al = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
				               "Z-:_0123456789");
				if (al == 0 || p[al] != '=' || p[al + 1] != '"') {
					snprintf(why, n, "bad attribute in <%.*s> at byte %zu",
					         (int)l, name, (size_t)(p - s));
					return -1;
				}
				p += al + 2;
				while (*p && *p != '"') {
					if (*p == '<' || (*p == '&' && !entity_ok(p))) {
						snprintf(why, n,
						         "raw < or & in an attribute at byte %zu",
						         (size_t)(p - s));
						return -1;
					}
					p++;
				}
				if (!*p)
					return -1;
				p++;
			}
			if (depth == 0)
				roots++;
			if (!closed) {
				if (depth == 256)
					return -1;
				stack[depth] = name;
				lens[depth++] = l;
			}
		}
	}
	if (depth != 0 || roots != 1) {
		snprintf(why, n, "%d elements left open, %d roots", depth, roots);
		return -1;
	}
	return 0;
}

static void check_page_shape(const char *page)
{
	char why[200];
	const char *p;
	size_t nid = 0, i, j;
	const char *ids[512];

	if (xml_check(page, why, sizeof(why)) < 0)
		test_fail(__FILE__, __LINE__, "not well-formed: %s", why);
	CHECK(strncmp(page, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"", 58) ==
	      0);
	/* nothing from outside: the only URLs are the two namespaces */
	for (p = page; (p = strstr(p, "http")) != NULL; p++)
		if (strncmp(p, "http://www.w3.org/1999/xhtml\"", 29) != 0 &&
		    strncmp(p, "http://www.w3.org/2000/svg\"", 27) != 0)
			test_fail(__FILE__, __LINE__, "a URL in the page: %.40s", p);
	CHECK(strstr(page, " src=") == NULL);
	CHECK(strstr(page, "@import") == NULL);
	CHECK(strstr(page, "<link") == NULL);
	for (p = page; (p = strstr(p, "url(")) != NULL; p++)
		CHECK(p[4] == '#');
	/* ids are unique */
	for (p = page; (p = strstr(p, " id=\"")) != NULL && nid < 512; p += 5)
		ids[nid++] = p + 5;
	for (i = 0; i < nid; i++)
		for (j = i + 1; j < nid; j++) {
			size_t l = strcspn(ids[i], "\"");
			if (l == strcspn(ids[j], "\"") && strncmp(ids[i], ids[j], l) == 0)
				test_fail(__FILE__, __LINE__, "duplicate id %.*s", (int)l, ids[i]);
		}
	/* each chart has a text alternative */
	for (p = page; (p = strstr(p, "<svg ")) != NULL; p++) {
		const char *end = strchr(p, '>');
		char tag[4096];
		snprintf(tag, sizeof(tag), "%.*s", (int)(end - p), p);
		CHECK(strstr(tag, "role=\"img\"") != NULL);
		CHECK(strstr(tag, "aria-label=\"") != NULL);
		CHECK(strncmp(end, "><title>", 8) == 0);
		CHECK(strstr(end, "</title><desc>") != NULL);
	}
}

/* ---- reading charts back -------------------------------------------------- */

/* The chart whose <svg> has class `cls`, number `nth` (0-based), as a new
 * string; NULL when there is none. */
static char *svg_of(const char *page, const char *cls, int nth)
{
	const char *p = page;
	char want[64];
	snprintf(want, sizeof(want), "class=\"%s\"", cls);
	while ((p = strstr(p, "<svg ")) != NULL) {
		const char *tag_end = strchr(p, '>'), *hit = strstr(p, want);
		const char *end = strstr(p, "</svg>");
		if (hit && hit < tag_end && nth-- == 0)
			return fa_xstrndup(p, (size_t)(end - p) + 6);
		p = end;
	}
	return NULL;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;
	while (hay && (p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static double attr_num(const char *from, const char *name)
{
	char key[64];
	const char *p;
	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(from, key);
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* An axis read from its tick labels: the pixel of value v. */
typedef struct axis {
	double v0, p0, v1, p1; /* first and last tick: value and pixel */
	double lo, hi;         /* the values at the ends of the axis line */
	int ok;
} axis;

static double axis_px(const axis *a, double v)
{
	return a->p0 + (v - a->v0) / (a->v1 - a->v0) * (a->p1 - a->p0);
}

/* The nth <g class="axis"> of `svg`: its first and last tick labels. */
static axis axis_of(const char *svg, int nth)
{
	axis a = {0, 0, 0, 0, 0, 0, 0};
	int vertical = 0;
	const char *dom;
	const char *p = svg, *end, *t;
	int first = 1;
	while (nth-- >= 0) {
		p = strstr(p, "<g class=\"axis\">");
		if (!p)
			return a;
		p++;
	}
	end = strstr(p, "</g>");
	for (t = p; (t = strstr(t, "<text ")) != NULL && t < end; t++) {
		const char *gt = strchr(t, '>');
		double v, pos;
		if (strstr(t, "class=\"label\"") && strstr(t, "class=\"label\"") < gt)
			continue;
		vertical =
		    strstr(t, "text-anchor=\"end\"") && strstr(t, "text-anchor=\"end\"") < gt;
		v = strtod(gt + 1, NULL);
		pos = vertical ? attr_num(t, "y") - 4 : attr_num(t, "x");
		if (first) {
			a.v0 = v;
			a.p0 = pos;
			first = 0;
		} else {
			a.v1 = v;
			a.p1 = pos;
			a.ok = 1;
		}
	}
	dom = strstr(p, "class=\"domain\"");
	if (a.ok && dom && dom < end) {
		for (; dom > p && strncmp(dom, "<line", 5) != 0; dom--)
			;
		a.lo = a.v0 + (attr_num(dom, vertical ? "y1" : "x1") - a.p0) / (a.p1 - a.p0) *
		                  (a.v1 - a.v0);
		a.hi = a.v0 + (attr_num(dom, vertical ? "y2" : "x2") - a.p0) / (a.p1 - a.p0) *
		                  (a.v1 - a.v0);
	}
	return a;
}

/* Pixels are written with one decimal; ticks too, so allow a little more. */
#define PX_TOL 0.16

/* ---- the tests -------------------------------------------------------------- */

static const char *const three[] = {"alpha", "beta", "zq"};

/* Every group's row in each chart, the geometry of the forest plot, no
 * record text. */
static void test_report_html__rows_and_forest_geometry(void)
{
	static const size_t sizes[] = {60, 50, 8};
	audit_opts x = {10, 0, 60, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	char *page, *forest, *rep, *roc;
	const char *row;
	static const int ms[] = {FA_M_AUC, FA_M_TPR, FA_M_FPR};
	axis ax[3];
	size_t g, i, nchecked = 0;

	if (!r)
		goto out0;
	page = render(r, NULL);
	check_page_shape(page);
	forest = svg_of(page, "forest", 0);
	rep = svg_of(page, "representation", 0);
	roc = svg_of(page, "roc", 0);
	CHECK(forest && rep && roc);
	if (!forest || !rep || !roc)
		goto out;
	CHECK_INT(r->attrs[0].groups[2].status, FA_GROUP_INSUFFICIENT);
	/* one row per group in the forest and representation charts, one
	 * operating point per group in the ROC chart */
	CHECK_INT(count(forest, "<g class=\"row"), 3);
	CHECK_INT(count(forest, "<g class=\"row insufficient\">"), 1);
	CHECK_INT(count(rep, "<g class=\"row\">"), 3);
	CHECK_INT(count(roc, "<g class=\"op\">"), 3);
	for (g = 0; g < 3; g++) {
		char t[64];
		snprintf(t, sizeof(t), "<title>%s (n=%zu)", three[g], sizes[g]);
		CHECK(strstr(forest, t) != NULL);
		snprintf(t, sizeof(t), "<title>%s: %zu records", three[g], sizes[g]);
		CHECK(strstr(rep, t) != NULL);
	}
	/* no record's text: ids, scores or lines */
	for (i = 0; i < 118; i++) {
		char s[64];
		snprintf(s, sizeof(s), "%.6f", rec_score(i));
		if (strstr(page, s))
			test_fail(__FILE__, __LINE__, "record score %s in the page", s);
		snprintf(s, sizeof(s), "RID%05zu", i);
		CHECK(strstr(page, s) == NULL);
	}
	/* geometry: intervals from x(low) to x(high), dots at x(value) */
	for (i = 0; i < 3; i++) {
		ax[i] = axis_of(forest, (int)i);
		CHECK(ax[i].ok);
	}
	row = forest;
	for (g = 0; g < 3; g++) {
		const fa_group_result *G = &r->attrs[0].groups[g];
		const char *end;
		row = strstr(row, "<g class=\"row");
		if (!row)
			break;
		end = strstr(row, "</g>\n");
		row = strstr(row, "</title>");
		for (i = 0; i < 3; i++) {
			const fa_estimate *e = &G->metrics[ms[i]];
			const char *ci = strstr(row, "<g class=\"ci\""), *dot;
			CHECK(!isnan(e->value) && e->has_ci);
			CHECK(ci && ci < end);
			if (!ci || ci > end)
				break;
			/* the interval; an end beyond the axis is clipped to the axis */
			CHECK_NEAR(attr_num(ci, "x1"),
			           axis_px(&ax[i], e->ci_low < ax[i].lo ? ax[i].lo : e->ci_low),
			           PX_TOL);
			CHECK_NEAR(attr_num(ci, "x2"),
			           axis_px(&ax[i], e->ci_high > ax[i].hi ? ax[i].hi : e->ci_high),
			           PX_TOL);
			nchecked += e->ci_low >= ax[i].lo && e->ci_high <= ax[i].hi;
			dot = strstr(ci, "<circle");
			CHECK_NEAR(attr_num(dot, "cx"), axis_px(&ax[i], e->value), PX_TOL);
			row = dot + 1;
		}
		row = end;
	}
	CHECK(nchecked >= 6); /* the two eligible groups at least */
	/* reference and overall lines at their values */
	{
		const char *l = strstr(forest, "class=\"refline\"");
		const fa_group_result *ref = &r->attrs[0].groups[r->attrs[0].reference];
		CHECK(l != NULL);
		for (; l > forest && strncmp(l, "<line", 5) != 0; l--)
			;
		CHECK_NEAR(attr_num(l, "x1"), axis_px(&ax[0], ref->metrics[FA_M_AUC].value),
		           PX_TOL);
		l = strstr(forest, "class=\"overallline\"");
		for (; l > forest && strncmp(l, "<line", 5) != 0; l--)
			;
		CHECK_NEAR(attr_num(l, "x1"), axis_px(&ax[0], r->overall.metrics[FA_M_AUC].value),
		           PX_TOL);
	}
	/* the gap bracket spans the eligible groups only (zq is insufficient) */
	{
		const char *gp = strstr(forest, "<g class=\"gap\"");
		double lo = r->attrs[0].gaps[FA_M_AUC].min.value,
		       hi = r->attrs[0].gaps[FA_M_AUC].max.value;
		double a0 = r->attrs[0].groups[0].metrics[FA_M_AUC].value;
		double a1 = r->attrs[0].groups[1].metrics[FA_M_AUC].value;
		CHECK_NEAR(lo, a0 < a1 ? a0 : a1, 0);
		CHECK_NEAR(hi, a0 < a1 ? a1 : a0, 0);
		CHECK(gp != NULL);
		gp = strstr(gp, "<line");
		CHECK_NEAR(attr_num(gp, "x1"), axis_px(&ax[0], lo), PX_TOL);
		CHECK_NEAR(attr_num(gp, "x2"), axis_px(&ax[0], hi), PX_TOL);
	}
	/* ROC operating points at (FPR, TPR) */
	{
		axis rx = axis_of(roc, 0), ry = axis_of(roc, 1);
		const char *op = roc;
		CHECK(rx.ok && ry.ok);
		for (g = 0; g < 3; g++) {
			const fa_group_result *G = &r->attrs[0].groups[g];
			op = strstr(op, "<g class=\"op\">");
			if (!op)
				break;
			op = strstr(op, "<circle");
			CHECK_NEAR(attr_num(op, "cx"), axis_px(&rx, G->metrics[FA_M_FPR].value),
			           PX_TOL);
			CHECK_NEAR(attr_num(op, "cy"), axis_px(&ry, G->metrics[FA_M_TPR].value),
			           PX_TOL);
		}
		/* the engine fills every group's curve: one polyline each */
		CHECK(strstr(roc, ">operating points only</text>") == NULL);
		CHECK(strstr(roc, "<polyline") != NULL);
	}
	/* tables: every group, with counts */
	CHECK(strstr(page, "<td class=\"num\" data-v=\"60\">60</td>") != NULL);
	CHECK(strstr(page, "<td class=\"num\" data-v=\"8\">8</td>") != NULL);
	CHECK(strstr(page, "<tr class=\"insufficient\">") != NULL);
	/* no gates: a neutral verdict */
	CHECK(strstr(page, "class=\"verdict v-none\"") != NULL);
	CHECK(strstr(page, "<section id=\"gates\">") == NULL);
out:
	free(forest);
	free(rep);
	free(roc);
	free(page);
out0:
	fa_result_free(r);
	free(csv);
}

/* A suppressed group is in no chart and its counts read <K. */
static void test_report_html__suppressed_absent_from_charts(void)
{
	static const size_t sizes[] = {40, 40, 6};
	audit_opts x = {5, 10, 20, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	char *page;
	const char *p;
	size_t nsvg = 0;

	if (!r)
		goto out;
	CHECK_INT(r->attrs[0].groups[2].status, FA_GROUP_SUPPRESSED);
	page = render(r, NULL);
	check_page_shape(page);
	for (p = page; (p = strstr(p, "<svg ")) != NULL; p++) {
		const char *end = strstr(p, "</svg>");
		char *svg = fa_xstrndup(p, (size_t)(end - p));
		nsvg++;
		if (strstr(svg, "zq"))
			test_fail(__FILE__, __LINE__, "suppressed group in a chart: %.60s", p);
		free(svg);
	}
	CHECK(nsvg >= 4); /* overview, forest, ROC, representation */
	/* the table row is there, with withheld counts */
	p = strstr(page, "<tr class=\"suppressed\">");
	CHECK(p != NULL);
	if (p) {
		const char *end = strstr(p, "</tr>");
		char *row = fa_xstrndup(p, (size_t)(end - p));
		CHECK(strstr(row, "zq") != NULL);
		CHECK_INT(count(row, "&lt;10</span>"), 2);
		CHECK(strstr(row, ">6<") == NULL);
		free(row);
	}
	CHECK(strstr(page, "1 suppressed group (fewer than 10 records) is not shown") != NULL);
	free(page);
out:
	fa_result_free(r);
	free(csv);
}

static char *xstr(const char *s)
{
	return fa_xstrdup(s);
}

/* Gates filled in by hand: the verdict, the gate table, the limits drawn. */
static void test_report_html__gates(void)
{
	static const size_t sizes[] = {60, 50, 40};
	audit_opts x = {10, 0, 40, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	const fa_attr_result *A;
	fa_gate_result *G;
	char *page = NULL, *forest = NULL, *over = NULL, want[200];
	const char *p;
	size_t g;
	long low = -1;
	axis tpr;
	double limit_x;

	if (!r)
		goto out;
	A = &r->attrs[0];
	/* a gate on one group: the lowest non-reference group on TPR, with an
	 * upper limit just below its difference to the reference, so it fails
	 * there and would fail for every higher group were it applied to them */
	for (g = 0; g < 3; g++)
		if ((long)g != A->reference &&
		    (low < 0 ||
		     A->groups[g].metrics[FA_M_TPR].value < A->groups[low].metrics[FA_M_TPR].value))
			low = (long)g;
	G = fa_xcalloc(3, sizeof(*G));
	G[0].expr = xstr("grp:tpr_gap<=0.05");
	G[0].op = xstr("<=");
	G[0].limit = 0.05;
	G[0].outcome = FA_GATE_FAIL;
	G[0].nchecks = 1;
	G[0].checks = fa_xcalloc(1, sizeof(fa_gate_check));
	G[0].checks[0].where = xstr("grp:tpr_gap");
	G[0].checks[0].value = A->gaps[FA_M_TPR].gap;
	G[0].checks[0].outcome = FA_GATE_FAIL;
	G[1].expr = xstr("grp:auc>=0.5");
	G[1].op = xstr(">=");
	G[1].limit = 0.5;
	G[1].outcome = FA_GATE_PASS;
	G[1].nchecks = 3;
	G[1].checks = fa_xcalloc(3, sizeof(fa_gate_check));
	for (g = 0; g < 3; g++) {
		snprintf(want, sizeof(want), "grp=%s:auc", three[g]);
		G[1].checks[g].where = xstr(want);
		G[1].checks[g].value = A->groups[g].metrics[FA_M_AUC];
		G[1].checks[g].outcome = FA_GATE_PASS;
	}
	snprintf(want, sizeof(want), "grp=%s:tpr_diff<=-0.5", three[low]);
	G[2].expr = xstr(want);
	G[2].op = xstr("<=");
	G[2].limit = A->groups[low].diff[FA_M_TPR].value - 0.01;
	G[2].outcome = FA_GATE_FAIL;
	G[2].nchecks = 1;
	G[2].checks = fa_xcalloc(1, sizeof(fa_gate_check));
	snprintf(want, sizeof(want), "grp=%s:tpr_diff", three[low]);
	G[2].checks[0].where = xstr(want);
	G[2].checks[0].value = A->groups[low].diff[FA_M_TPR];
	G[2].checks[0].outcome = FA_GATE_FAIL;
	r->gates = G;
	r->ngates = 3;
	r->verdict = FA_GATE_FAIL;
	CHECK(A->gaps[FA_M_TPR].gap.value > 0.05);

	page = render(r, NULL);
	check_page_shape(page);
	CHECK(strstr(page,
	             "<div class=\"verdict v-fail\" role=\"status\"><span "
	             "class=\"word\">\xE2\x9C\x97 FAIL</span><span>2 of 3 gates failed") != NULL);
	CHECK(strstr(page, "<code>grp:tpr_gap&lt;=0.05</code>") != NULL);
	CHECK(strstr(page, "<code>grp:auc&gt;=0.5</code>") != NULL);
	/* the gap check: value, interval, limit, badge */
	snprintf(want, sizeof(want),
	         "<td><a href=\"#attr-0\">grp:tpr_gap</a></td><td class=\"num\">%.3f</td><td "
	         "class=\"num\">%.3f\xE2\x80\x93%.3f</td><td class=\"num\">\xE2\x89\xA4 "
	         "0.05</td><td><span class=\"badge b-fail\">",
	         A->gaps[FA_M_TPR].gap.value, A->gaps[FA_M_TPR].gap.ci_low,
	         A->gaps[FA_M_TPR].gap.ci_high);
	CHECK(strstr(page, want) != NULL);
	CHECK_INT(count(page, "<tr class=\"more\">"), 2); /* three checks of the auc gate */
	/* the gap table marks the failing gap */
	p = strstr(page, "<th scope=\"row\" title=\"TPR (sensitivity)\">TPR</th>");
	CHECK(p != NULL);
	if (p)
		CHECK(strstr(p, "b-fail") < strstr(p, "</tr>"));
	/* on the forest plot: badges, the forbidden area, the limit where it
	 * belongs: TPR allowed within 0.05 of the best group */
	forest = svg_of(page, "forest", 0);
	CHECK(forest != NULL);
	if (!forest)
		goto out;
	CHECK(strstr(forest, ">\xE2\x9C\x97 tpr_gap \xE2\x89\xA4 0.05</text>") != NULL);
	CHECK(strstr(forest, ">\xE2\x9C\x93 auc \xE2\x89\xA5 0.5</text>") != NULL);
	CHECK(count(forest, "class=\"forbid\"") >= 2);
	tpr = axis_of(forest, 1);
	CHECK(tpr.ok);
	limit_x = axis_px(&tpr, A->gaps[FA_M_TPR].max.value - 0.05);
	p = strstr(forest, "stroke=\"#D55E00\" stroke-width=\"1.5\" class=\"limit\"");
	CHECK(p != NULL);
	if (p) {
		for (; p > forest && strncmp(p, "<line", 5) != 0; p--)
			;
		CHECK_NEAR(attr_num(p, "x1"), limit_x, PX_TOL);
	}
	/* the AUC limit line (passing) at 0.5, if 0.5 is on the axis */
	p = strstr(forest, "stroke=\"#009E73\" stroke-width=\"1.5\" class=\"limit\"");
	CHECK(p != NULL);
	if (p) {
		axis auc = axis_of(forest, 0);
		for (; p > forest && strncmp(p, "<line", 5) != 0; p--)
			;
		CHECK_NEAR(attr_num(p, "x1"), axis_px(&auc, 0.5), PX_TOL);
	}
	/* a ring marks each group beyond the failing window, in both charts */
	{
		size_t outside = 0;
		for (g = 0; g < 3; g++)
			outside += A->groups[g].metrics[FA_M_TPR].value <
			           A->gaps[FA_M_TPR].max.value - 0.05;
		CHECK(outside >= 1);
		/* ... and the group of the one-group gate, which only it breaks */
		outside +=
		    A->groups[low].metrics[FA_M_TPR].value >= A->gaps[FA_M_TPR].max.value - 0.05;
		CHECK_INT(count(forest, "class=\"breaks\""), outside);
		over = svg_of(page, "overview", 0);
		CHECK_INT(count(over, "class=\"breaks\""), outside);
		free(over);
		over = NULL;
	}
	/* an interval with a negative end reads "a to b", not "a–b" */
	{
		const fa_estimate *d = &A->groups[low].diff[FA_M_TPR];
		CHECK(d->has_ci && d->ci_low < 0);
		snprintf(want, sizeof(want), "<td class=\"num\">%.3f to %.3f</td>", d->ci_low,
		         d->ci_high);
		CHECK(strstr(page, want) != NULL);
	}
	/* the one-group gate is hatched on that group's row only */
	{
		const char *row = forest, *hatch;
		double cy;
		for (g = 0; g <= (size_t)low; g++)
			row = strstr(row, "<g class=\"row") + 1;
		cy = attr_num(strstr(row, "<circle"), "cy");
		hatch = strstr(forest, "height=\"22.0\" fill=\"url(#hatch");
		CHECK(hatch != NULL);
		if (hatch) {
			for (; hatch > forest && strncmp(hatch, "<rect", 5) != 0; hatch--)
				;
			CHECK_NEAR(attr_num(hatch, "y") + 11, cy, 1e-9);
		}
	}
	/* the TPR gap bracket is drawn in the failing colour */
	CHECK(strstr(forest, "<g class=\"gap\" stroke=\"#D55E00\"") != NULL);
	/* the overview shows the failing gap as a thick vermilion bar */
	over = svg_of(page, "overview", 0);
	CHECK(over && strstr(over, "stroke=\"#D55E00\" stroke-width=\"5\"") != NULL);
out:
	free(over);
	free(forest);
	free(page);
	fa_result_free(r);
	free(csv);
}

/* Undefined values: a dash whose title gives the reason. */
static void test_report_html__undefined_values(void)
{
	/* group "neg" has no positive cases: TPR, FNR, AUC undefined */
	const char *csv = "label,score,grp\n"
	                  "0,0.1,neg\n0,0.7,neg\n0,0.3,neg\n"
	                  "1,0.9,pos\n0,0.2,pos\n1,0.6,pos\n0,0.4,pos\n";
	audit_opts x = {1, 0, 0, NULL, 0};
	fa_result *r = audit_csv("u.csv", csv, "grp", &x);
	char *page, *forest;
	if (!r)
		return;
	page = render(r, NULL);
	check_page_shape(page);
	CHECK(strstr(page, "<td class=\"num\" data-v=\"\"><span class=\"na\" title=\"no positive "
	                   "cases in group\">\xE2\x80\x94</span></td>") != NULL);
	CHECK(strstr(page,
	             "<span class=\"na\" title=\"group has only one class\">\xE2\x80\x94</span>") !=
	      NULL);
	forest = svg_of(page, "forest", 0);
	CHECK(forest &&
	      strstr(forest, ">\xE2\x80\x94<title>no positive cases in group</title></text>") !=
	          NULL);
	/* without intervals the legend says so */
	CHECK(forest && strstr(forest, "no intervals") != NULL);
	free(forest);
	free(page);
	fa_result_free(r);
}

/* Text from the data is escaped everywhere. */
static void test_report_html__escaping(void)
{
	const char *csv = "label,score,grp\n"
	                  "0,0.1,\"<i>&\"\"x'\"\n1,0.8,\"<i>&\"\"x'\"\n0,0.3,\"<i>&\"\"x'\"\n"
	                  "1,0.9,]]>\n0,0.2,]]>\n1,0.6,]]>\n";
	audit_opts x = {1, 0, 0, NULL, 0};
	fa_result *r = audit_csv("dir/a<b>&c.csv", csv, "grp", &x);
	char *page;
	if (!r)
		return;
	r->command_line = xstr("fairaudit audit --group '<script>alert(1)</script>' \"a&b\"");
	page = render(r, NULL);
	check_page_shape(page);
	CHECK(strstr(page, "&lt;i&gt;&amp;&quot;x&#39;") != NULL);
	CHECK(strstr(page, "<i>") == NULL);
	CHECK(strstr(page, "dir/a&lt;b&gt;&amp;c.csv") != NULL);
	CHECK(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(page, "<script>alert") == NULL);
	CHECK_INT(count(page, "<script>"), 1); /* the page's own */
	free(page);
	fa_result_free(r);
}

/* Without any attribute the page still shows the whole population. The
 * overall AUC of these four records is 3.5 / 4 (pairs (0.4,0.2) = 1,
 * (0.4,0.4) = 1/2, (0.8,0.2) = 1, (0.8,0.4) = 1). */
static void test_report_html__no_attribute(void)
{
	const char *csv = "label,score\n0,0.2\n1,0.4\n0,0.4\n1,0.8\n";
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	char *page;

	ao.bootstrap = 0;
	ao.threshold = 0.4;
	if (fa_load_memory(&t, "n.csv", csv, strlen(csv), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		fa_table_free(t);
		return;
	}
	page = render(r, NULL);
	check_page_shape(page);
	CHECK(strstr(page, "<h2>Whole population</h2>") != NULL);
	CHECK(strstr(page, "<td class=\"num\" data-v=\"0.875\">0.875</td>") != NULL);
	CHECK(strstr(page, "<svg ") == NULL);
	CHECK(strstr(page, "none (--bootstrap 0)</td>") != NULL);
	free(page);
	fa_result_free(r);
	fa_table_free(t);
}

/* The same groups over 100 times the records: the page hardly grows. */
static void test_report_html__size_grows_with_groups(void)
{
	static const size_t small[] = {120, 100, 80}, big[] = {12000, 10000, 8000};
	static const char *const six[] = {"g1", "g2", "g3", "g4", "g5", "g6"};
	static const size_t more[] = {12000, 10000, 8000, 5000, 4000, 3000};
	audit_opts x = {10, 0, 0, NULL, 0};
	char *c1 = make_csv(three, small, 3), *c2 = make_csv(three, big, 3),
	     *c3 = make_csv(six, more, 6);
	fa_result *r1 = audit_csv("s.csv", c1, "grp", &x), *r2 = audit_csv("s.csv", c2, "grp", &x);
	fa_result *r3 = audit_csv("s.csv", c3, "grp", &x);
	char *p1, *p2, *p3;
	double l1, l2, l3;

	if (!r1 || !r2 || !r3)
		goto out;
	p1 = render(r1, NULL);
	p2 = render(r2, NULL);
	p3 = render(r3, NULL);
	l1 = (double)strlen(p1);
	l2 = (double)strlen(p2);
	l3 = (double)strlen(p3);
	/* 100 times the records: only the digits of numbers and the number of
	 * ROC vertices (at most FA_CURVE_MAX_POINTS a group) differ */
	CHECK(fabs(l2 - l1) < 1000 + 3 * FA_CURVE_MAX_POINTS * 2 * 8.0);
	/* three more groups: a row in each chart and table, about 3 kB */
	CHECK(l3 - l2 > 3 * 1000.0);
	free(p1);
	free(p2);
	free(p3);
out:
	fa_result_free(r1);
	fa_result_free(r2);
	fa_result_free(r3);
	free(c1);
	free(c2);
	free(c3);
}

/* ROC curves and calibration, computed here from the records by brute
 * force: for every distinct score t, TPR and FPR of "score >= t". */
typedef struct brute {
	double fpr[200], tpr[200];
	size_t n;
	fa_calib cal;
} brute;

static int desc_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? 1 : a > b ? -1 : 0;
}

static void brute_curves(brute *out, const size_t *idx, size_t n)
{
	size_t i, j, k, npos = 0, nneg, ncut = 0;
	double cuts[200], ssum[FA_CALIB_BINS] = {0};
	size_t pos[FA_CALIB_BINS] = {0};

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		double s = rec_score(idx[i]);
		int seen = 0;
		npos += (size_t)rec_label(idx[i]);
		for (j = 0; j < ncut; j++)
			seen |= cuts[j] == s;
		if (!seen)
			cuts[ncut++] = s;
		k = (size_t)(s * 10);
		out->cal.count[k]++;
		ssum[k] += s;
		pos[k] += (size_t)rec_label(idx[i]);
	}
	nneg = n - npos;
	qsort(cuts, ncut, sizeof(double), desc_cmp);
	/* a threshold above every score first, then each score downwards */
	out->n = 1;
	for (j = 0; j < ncut; j++) {
		size_t tp = 0, fp = 0;
		for (i = 0; i < n; i++)
			if (rec_score(idx[i]) >= cuts[j]) {
				tp += (size_t)rec_label(idx[i]);
				fp += (size_t)!rec_label(idx[i]);
			}
		out->fpr[out->n] = (double)fp / (double)nneg;
		out->tpr[out->n++] = (double)tp / (double)npos;
	}
	for (k = 0; k < FA_CALIB_BINS; k++) {
		out->cal.mean_score[k] =
		    out->cal.count[k] ? ssum[k] / (double)out->cal.count[k] : NAN;
		out->cal.observed[k] =
		    out->cal.count[k] ? (double)pos[k] / (double)out->cal.count[k] : NAN;
	}
}

static void test_report_html__roc_and_calibration(void)
{
	static const size_t sizes[] = {40, 30, 20};
	audit_opts x = {10, 0, 0, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	brute cv[3];
	fa_group_curves gc[3];
	const fa_group_curves *attrs[1];
	fa_html_curves curves;
	size_t g, i, k, start = 0;
	char *page = NULL, *roc = NULL;

	if (!r)
		goto out;
	CHECK_INT(r->settings.probabilities, 1);
	for (g = 0; g < 3; g++) {
		size_t idx[64];
		for (i = 0; i < sizes[g]; i++)
			idx[i] = start + i;
		start += sizes[g];
		brute_curves(&cv[g], idx, sizes[g]);
		gc[g].roc.fpr = cv[g].fpr;
		gc[g].roc.tpr = cv[g].tpr;
		gc[g].roc.n = cv[g].n;
		gc[g].has_calib = 1;
		gc[g].calib = cv[g].cal;
		/* the curve ends at (1, 1) */
		CHECK_NEAR(cv[g].fpr[cv[g].n - 1], 1, 0);
		CHECK_NEAR(cv[g].tpr[cv[g].n - 1], 1, 0);
	}
	attrs[0] = gc;
	curves.attrs = attrs;
	curves.nattrs = 1;
	page = render(r, &curves);
	check_page_shape(page);
	roc = svg_of(page, "roc", 0);
	CHECK(roc != NULL);
	if (!roc)
		goto out;
	CHECK_INT(count(roc, "<polyline"), 3);
	CHECK(strstr(roc, "operating points only") == NULL);
	{
		axis rx = axis_of(roc, 0), ry = axis_of(roc, 1);
		const char *p = roc;
		for (g = 0; g < 3; g++) {
			p = strstr(p, "<polyline points=\"");
			if (!p)
				break;
			p += 18;
			for (i = 0; i < cv[g].n; i++) {
				char *e;
				double px = strtod(p, &e), py = strtod(e + 1, &e);
				CHECK_NEAR(px, axis_px(&rx, cv[g].fpr[i]), PX_TOL);
				CHECK_NEAR(py, axis_px(&ry, cv[g].tpr[i]), PX_TOL);
				p = e;
			}
			CHECK(*p == '"');
		}
	}
	/* one calibration plot per group, a dot per non-empty bin where the
	 * mean score and observed rate say */
	for (g = 0; g < 3; g++) {
		char *cal = svg_of(page, "calib", (int)g);
		axis cx, cy;
		const char *p;
		CHECK(cal != NULL);
		if (!cal)
			continue;
		cx = axis_of(cal, 0);
		cy = axis_of(cal, 1);
		p = strstr(cal, "class=\"chance\"");
		for (k = 0; k < FA_CALIB_BINS; k++) {
			if (!cv[g].cal.count[k])
				continue;
			p = strstr(p, "<g><title>scores ");
			CHECK(p != NULL);
			if (!p)
				break;
			p = strstr(p, "<circle");
			CHECK_NEAR(attr_num(p, "cx"), axis_px(&cx, cv[g].cal.mean_score[k]),
			           PX_TOL);
			CHECK_NEAR(attr_num(p, "cy"), axis_px(&cy, cv[g].cal.observed[k]), PX_TOL);
		}
		free(cal);
	}
	CHECK(svg_of(page, "calib", 3) == NULL);
	/* with scores that are not probabilities there is no calibration plot */
	r->settings.probabilities = 0;
	free(page);
	page = render(r, &curves);
	CHECK(strstr(page, "class=\"calib\"") == NULL);
out:
	free(roc);
	free(page);
	fa_result_free(r);
	free(csv);
}

/* ---- leakage and operating points ----------------------------------------- */

/* The records of group g of make_csv(three, sizes, 3): [*lo, *hi). */
static void group_span(const size_t *sizes, size_t g, size_t *lo, size_t *hi)
{
	size_t k;
	*lo = 0;
	for (k = 0; k < g; k++)
		*lo += sizes[k];
	*hi = *lo + sizes[g];
}

/* AUC of the score for "in [lo, hi)" against the rest, among records of
 * label c, by counting pairs (ties count one half). */
static double brute_leakage(size_t n, size_t lo, size_t hi, int c)
{
	double wins = 0, pairs = 0;
	size_t i, j;
	for (i = lo; i < hi; i++) {
		if (rec_label(i) != c)
			continue;
		for (j = 0; j < n; j++) {
			if ((j >= lo && j < hi) || rec_label(j) != c)
				continue;
			pairs++;
			wins += rec_score(i) > rec_score(j) ? 1 : rec_score(i) == rec_score(j) ? 0.5 : 0;
		}
	}
	return wins / pairs;
}

/* The lowest score s of records [lo, hi) (all n when lo = hi = 0) that
 * leaves at least `spec` of the negatives below it: the threshold that
 * reaches that specificity. */
static double brute_spec_threshold(size_t lo, size_t hi, double spec)
{
	double best = INFINITY;
	size_t i, j, nneg = 0;
	for (j = lo; j < hi; j++)
		nneg += !rec_label(j);
	for (i = lo; i < hi; i++) {
		size_t below = 0;
		for (j = lo; j < hi; j++)
			below += !rec_label(j) && rec_score(j) < rec_score(i);
		if ((double)below >= spec * (double)nneg - 1e-9 && rec_score(i) < best)
			best = rec_score(i);
	}
	return best;
}

/* TPR or FPR (label 1 or 0) of records [lo, hi) at score >= t. */
static double brute_rate(size_t lo, size_t hi, int label, double t)
{
	size_t i, k = 0, n = 0;
	for (i = lo; i < hi; i++)
		if (rec_label(i) == label) {
			n++;
			k += rec_score(i) >= t;
		}
	return (double)k / (double)n;
}

/* The dot of each row of `svg` in panel `panel` (0-based): cx of the
 * panel-th <circle> after the row's </title>; NaN when absent. */
static double row_dot(const char *svg, size_t row, int panel)
{
	const char *p = svg;
	size_t k;
	for (k = 0; k <= row; k++) {
		p = strstr(p, "<g class=\"row");
		if (!p)
			return NAN;
		p++;
	}
	p = strstr(p, "</title>");
	for (k = 0; p && (int)k <= panel; k++) {
		p = strstr(p + 1, "<circle");
	}
	return p ? attr_num(p, "cx") : NAN;
}

/* The leakage chart: a dot per group and label class at the AUC counted
 * here pair by pair, a line at 0.5; the table beside it. */
static void test_report_html__leakage(void)
{
	static const size_t sizes[] = {40, 30, 20};
	audit_opts x = {10, 0, 0, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	char *page = NULL, *lk = NULL;
	size_t g, lo, hi;
	int c;
	axis ax[2];

	if (!r)
		goto out;
	page = render(r, NULL);
	check_page_shape(page);
	lk = svg_of(page, "leakage", 0);
	CHECK(lk != NULL);
	if (!lk)
		goto out;
	CHECK_INT(count(lk, "<g class=\"row\">"), 3);
	ax[0] = axis_of(lk, 0);
	ax[1] = axis_of(lk, 1);
	CHECK(ax[0].ok && ax[1].ok);
	for (g = 0; g < 3; g++) {
		group_span(sizes, g, &lo, &hi);
		for (c = 0; c < 2; c++) {
			double want = brute_leakage(90, lo, hi, c);
			CHECK_NEAR(r->attrs[0].groups[g].leakage[c].value, want, 1e-12);
			CHECK_NEAR(row_dot(lk, g, c), axis_px(&ax[c], want), PX_TOL);
		}
	}
	/* the line at 0.5 in each panel */
	{
		const char *l = strstr(lk, "class=\"chance\"");
		for (c = 0; c < 2 && l; c++) {
			const char *t = l;
			for (; t > lk && strncmp(t, "<line", 5) != 0; t--)
				;
			CHECK_NEAR(attr_num(t, "x1"), axis_px(&ax[c], 0.5), PX_TOL);
			l = strstr(l + 1, "class=\"chance\"");
		}
	}
	CHECK(strstr(page, "<h3>Score\xE2\x80\x93" "attribute leakage</h3>") != NULL);
	{
		char want[160];
		const fa_estimate *e = &r->attrs[0].groups[0].leakage[1];
		snprintf(want, sizeof(want), "<td class=\"num\" data-v=\"%.17g\">%.3f<span "
		                             "class=\"ci\">%.3f\xE2\x80\x93%.3f</span></td>",
		         e->value, e->value, e->aci_low, e->aci_high);
		CHECK(e->has_aci && strstr(page, want) != NULL);
	}
out:
	free(lk);
	free(page);
	fa_result_free(r);
	free(csv);
}

/* Operating points: a section each, a forest plot at the view's threshold
 * with the rates counted here, each group's own threshold where the brute
 * force puts it, and the threshold chosen on the whole population. */
static void test_report_html__operating_points(void)
{
	static const size_t sizes[] = {40, 30, 20};
	static const char *const ops[] = {"spec=0.8", "threshold=0.5"};
	audit_opts x = {10, 0, 30, ops, 2};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	char *page = NULL, *sec = NULL, *forest = NULL, *own = NULL;
	const char *p, *e;
	size_t g, lo, hi;
	double t;
	axis ax[2], ox;

	if (!r)
		goto out;
	CHECK_INT(r->nviews, 2);
	page = render(r, NULL);
	check_page_shape(page);
	p = strstr(page, "<section class=\"op\" id=\"op-0\">");
	e = p ? strstr(p, "</section>") : NULL;
	CHECK(p && e);
	if (!p || !e)
		goto out;
	sec = fa_xstrndup(p, (size_t)(e - p));
	CHECK(strstr(page, "<a href=\"#op-0\"><code>spec=0.8</code></a>") != NULL);
	CHECK(strstr(page, "<section class=\"op\" id=\"op-1\">") != NULL);
	/* the threshold: the lowest score leaving 80% of the negatives below */
	t = brute_spec_threshold(0, 90, 0.8);
	CHECK_NEAR(r->views[0].threshold.value, t, 0);
	forest = svg_of(sec, "forest", 0);
	own = svg_of(sec, "ownthr", 0);
	CHECK(forest && own);
	if (!forest || !own)
		goto out;
	ax[0] = axis_of(forest, 0);
	ax[1] = axis_of(forest, 1);
	ox = axis_of(own, 0);
	CHECK(ax[0].ok && ax[1].ok && ox.ok);
	for (g = 0; g < 3; g++) {
		double tpr, fpr, mine;
		group_span(sizes, g, &lo, &hi);
		tpr = brute_rate(lo, hi, 1, t);
		fpr = brute_rate(lo, hi, 0, t);
		mine = brute_spec_threshold(lo, hi, 0.8);
		CHECK_NEAR(r->views[0].attrs[0].groups[g].metrics[FA_M_TPR].value, tpr, 1e-15);
		CHECK_NEAR(r->views[0].attrs[0].groups[g].own_threshold, mine, 0);
		CHECK_NEAR(row_dot(forest, g, 0), axis_px(&ax[0], tpr), PX_TOL);
		CHECK_NEAR(row_dot(forest, g, 1), axis_px(&ax[1], fpr), PX_TOL);
		CHECK_NEAR(row_dot(own, g, 0), axis_px(&ox, mine), PX_TOL);
	}
	/* the common threshold as a dashed line, its interval as a band */
	{
		const char *l = strstr(own, "class=\"refline thr\"");
		const char *band = strstr(own, "class=\"band\"");
		CHECK(l && band && r->views[0].threshold.has_ci);
		if (l && band) {
			for (; l > own && strncmp(l, "<line", 5) != 0; l--)
				;
			CHECK_NEAR(attr_num(l, "x1"), axis_px(&ox, t), PX_TOL);
			for (; band > own && strncmp(band, "<rect", 5) != 0; band--)
				;
			CHECK_NEAR(attr_num(band, "x"), axis_px(&ox, r->views[0].threshold.ci_low),
			           PX_TOL);
		}
	}
	/* the groups' table with their own thresholds */
	{
		char want[96];
		snprintf(want, sizeof(want), "<td class=\"num\" data-v=\"%.17g\">%.3f</td></tr>",
		         r->views[0].attrs[0].groups[1].own_threshold,
		         r->views[0].attrs[0].groups[1].own_threshold);
		CHECK(strstr(sec, want) != NULL);
	}
	/* a fixed threshold has no own thresholds */
	p = strstr(page, "<section class=\"op\" id=\"op-1\">");
	CHECK(p && strstr(p, "class=\"ownthr\"") == NULL);
	CHECK(p && strstr(p, "Every group at the fixed threshold 0.500") != NULL);
out:
	free(own);
	free(forest);
	free(sec);
	free(page);
	fa_result_free(r);
	free(csv);
}

/* The gap table carries the tests of homogeneity. */
static void test_report_html__gap_tests(void)
{
	static const size_t sizes[] = {60, 50, 40};
	audit_opts x = {10, 0, 30, NULL, 0};
	char *csv = make_csv(three, sizes, 3);
	fa_result *r = audit_csv("small.csv", csv, "grp", &x);
	char *page = NULL, want[200];
	const fa_gap *gp;

	if (!r)
		goto out;
	gp = &r->attrs[0].gaps[FA_M_TPR];
	CHECK(!isnan(gp->perm_p) && !isnan(gp->chisq_p) && !isnan(gp->chisq_p_adjusted));
	page = render(r, NULL);
	check_page_shape(page);
	CHECK(strstr(page, ">Permutation p</th>") != NULL);
	CHECK(strstr(page, ">Chi-square p</th>") != NULL);
	if (gp->chisq_p >= 0.001 && gp->chisq_p_adjusted >= 0.001) {
		snprintf(want, sizeof(want),
		         "<td class=\"num\" data-v=\"%.17g\">%.3f%s<span class=\"ci\">adj. %.3f</span></td>",
		         gp->chisq_p, gp->chisq_p, gp->chisq_low_expected ? "<span" : "",
		         gp->chisq_p_adjusted);
		if (!gp->chisq_low_expected)
			CHECK(strstr(page, want) != NULL);
	}
	CHECK(strstr(page, "Is there a gap at all?") != NULL);
	/* no test run: no columns */
	r->attrs[0].gaps[FA_M_TPR].perm_p = NAN;
	{
		int m;
		for (m = 0; m < FA_M__COUNT; m++)
			r->attrs[0].gaps[m].perm_p = r->attrs[0].gaps[m].chisq_p = NAN;
	}
	free(page);
	page = render(r, NULL);
	CHECK(strstr(page, ">Permutation p</th>") == NULL && strstr(page, ">Chi-square p</th>") == NULL);
out:
	free(page);
	fa_result_free(r);
	free(csv);
}

test_case test_report_html__cases[] = {
    {"report_html/rows_and_forest_geometry", test_report_html__rows_and_forest_geometry},
    {"report_html/suppressed_absent_from_charts", test_report_html__suppressed_absent_from_charts},
    {"report_html/gates", test_report_html__gates},
    {"report_html/undefined_values", test_report_html__undefined_values},
    {"report_html/escaping", test_report_html__escaping},
    {"report_html/size_grows_with_groups", test_report_html__size_grows_with_groups},
    {"report_html/no_attribute", test_report_html__no_attribute},
    {"report_html/roc_and_calibration", test_report_html__roc_and_calibration},
    {"report_html/leakage", test_report_html__leakage},
    {"report_html/operating_points", test_report_html__operating_points},
    {"report_html/gap_tests", test_report_html__gap_tests},
    {NULL, NULL},
};
