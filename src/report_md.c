/*
 * report_md.c: the Markdown report, for people.
 *
 * It reads well both on GitHub and in a terminal pager: pipe tables padded
 * so their columns line up in plain text, at most four intervals to a table
 * so lines stay near 100 characters, rates rounded to three decimals.
 * Undefined values print as an em dash with a footnote giving the reason,
 * and every value that failed a gate is marked with a cross.
 */
#include "fairaudit/report.h"

#include "md_table.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x94"  /* U+2014 em dash */
#define CROSS "\xe2\x9c\x97" /* U+2717 ballot x */
#define GE "\xe2\x89\xa5"    /* U+2265 greater-than or equal to */
#define NDASH "\xe2\x80\x93" /* U+2013 en dash */

typedef struct md {
	fa_buf *b;
	const fa_result *r;
	const char **notes; /* distinct footnote texts; note k is [^k+1] */
	size_t nnotes;
	int analytic;       /* no bootstrap: cells show the analytic interval */
} md;

/* ---- text -------------------------------------------------------------- */

/* The footnote reference for `reason`, numbered by first use. */
static void note_ref(md *m, fa_buf *b, const char *reason)
{
	size_t i;

	if (!reason)
		reason = "undefined";
	for (i = 0; i < m->nnotes; i++)
		if (strcmp(m->notes[i], reason) == 0)
			break;
	if (i == m->nnotes) {
		m->notes = fa_xrealloc(m->notes, (m->nnotes + 1) * sizeof(char *));
		m->notes[m->nnotes++] = reason;
	}
	fa_buf_printf(b, "[^%zu]", i + 1);
}

/* A number rounded for reading: three decimals, with no "-0.000". */
static void put_num(fa_buf *b, double x, int sign, int decimals)
{
	char tmp[64];
	const char *p;

	snprintf(tmp, sizeof(tmp), sign ? "%+.*f" : "%.*f", decimals, x);
	for (p = tmp; *p; p++)
		if (*p >= '1' && *p <= '9')
			break;
	if (!*p) /* rounds to zero */
		snprintf(tmp, sizeof(tmp), "%.*f", decimals, 0.0);
	fa_buf_puts(b, tmp);
}

/* "0.846 [0.831, 0.862]", or an em dash with the reason's footnote. The
 * interval is the bootstrap one, or the analytic one in a report without
 * bootstrap: one kind throughout, so a reader can compare cells. */
static void put_estimate(md *m, fa_buf *b, const fa_estimate *e, int sign, int with_ci)
{
	int has = m->analytic ? e->has_aci : e->has_ci;

	if (!isfinite(e->value)) {
		fa_buf_puts(b, DASH);
		note_ref(m, b, e->reason);
		return;
	}
	put_num(b, e->value, sign, 3);
	if (with_ci && has) {
		/* the bounds of a signed value go unsigned: a minus sign is
		 * enough to see whether the interval holds 0 */
		fa_buf_puts(b, " [");
		put_num(b, m->analytic ? e->aci_low : e->ci_low, 0, 3);
		fa_buf_puts(b, ", ");
		put_num(b, m->analytic ? e->aci_high : e->ci_high, 0, 3);
		fa_buf_putc(b, ']');
	}
}

/* An estimate with its analytic interval whatever the report shows
 * elsewhere: for quantities that have no other (score leakage). */
static void put_estimate_aci(md *m, fa_buf *b, const fa_estimate *e)
{
	if (!isfinite(e->value)) {
		fa_buf_puts(b, DASH);
		note_ref(m, b, e->reason);
		return;
	}
	put_num(b, e->value, 0, 3);
	if (e->has_aci) {
		fa_buf_puts(b, " [");
		put_num(b, e->aci_low, 0, 3);
		fa_buf_puts(b, ", ");
		put_num(b, e->aci_high, 0, 3);
		fa_buf_putc(b, ']');
	}
}

/* A plain number, or an em dash with the footnote `why`. */
static void put_number_or(md *m, fa_buf *b, double x, int decimals, const char *why)
{
	if (!isfinite(x)) {
		fa_buf_puts(b, DASH);
		note_ref(m, b, why);
		return;
	}
	put_num(b, x, 0, decimals);
}

/* A p-value: three decimals, or "<0.001"; an em dash when there is none. */
static void put_p(fa_buf *b, double p)
{
	if (isnan(p))
		fa_buf_puts(b, DASH);
	else if (p < 0.001)
		fa_buf_puts(b, "<0.001");
	else
		put_num(b, p, 0, 3);
}

/* ---- gate marks -------------------------------------------------------- */

static int where_failed(const fa_result *r, const char *where)
{
	size_t i, j;

	for (i = 0; i < r->ngates; i++)
		for (j = 0; j < r->gates[i].nchecks; j++) {
			const fa_gate_check *c = &r->gates[i].checks[j];
			if (c->outcome == FA_GATE_FAIL && c->where && strcmp(c->where, where) == 0)
				return 1;
		}
	return 0;
}

/* Whether a gate failed on the quantity `what` of attribute `attr` (of
 * its group `group` when not NULL) in operating point `view` (NULL: the
 * main result): checks name it "attr:what" or "attr=group:what", the whole
 * population's "overall.what", each after "view:" in an operating point
 * (docs/gates.md). */
static int failed_in(const md *m, const char *view, const char *attr, const char *group,
		     const char *what)
{
	fa_buf w = FA_BUF_INIT;
	int hit;

	if (!m->r->ngates)
		return 0;
	if (view)
		fa_buf_printf(&w, "%s:", view);
	if (!attr) {
		fa_buf_printf(&w, "overall.%s", what);
		hit = where_failed(m->r, w.ptr);
	} else if (group) {
		fa_buf_printf(&w, "%s=%s:%s", attr, group, what);
		hit = where_failed(m->r, w.ptr);
	} else {
		fa_buf_printf(&w, "%s:%s", attr, what);
		hit = where_failed(m->r, w.ptr);
	}
	fa_buf_free(&w);
	return hit;
}

static int failed(const md *m, const char *attr, const char *group, const char *what)
{
	return failed_in(m, NULL, attr, group, what);
}

static void mark(fa_buf *b, int hit)
{
	if (hit)
		fa_buf_puts(b, " " CROSS);
}

/* ---- tables ------------------------------------------------------------ */

/* ---- sections ---------------------------------------------------------- */

static const char *outcome_word(fa_gate_outcome o)
{
	switch (o) {
	case FA_GATE_PASS: return "pass";
	case FA_GATE_FAIL: return "fail";
	case FA_GATE_INCONCLUSIVE: return "inconclusive";
	}
	return "inconclusive";
}

static void put_gate_list(md *m, fa_gate_outcome which)
{
	size_t i, k = 0;

	for (i = 0; i < m->r->ngates; i++)
		if (m->r->gates[i].outcome == which) {
			fa_buf_puts(m->b, k++ ? ", " : "");
			fa_md_text(m->b, m->r->gates[i].expr ? m->r->gates[i].expr : "");
		}
}

static void verdict(md *m)
{
	const fa_result *r = m->r;
	size_t i, nfail = 0, ninc = 0;

	for (i = 0; i < r->ngates; i++) {
		nfail += r->gates[i].outcome == FA_GATE_FAIL;
		ninc += r->gates[i].outcome == FA_GATE_INCONCLUSIVE;
	}
	if (r->ngates == 0) {
		fa_buf_puts(m->b, "**Verdict: no gates given**: nothing was checked against a limit.\n\n");
	} else if (r->verdict == FA_GATE_FAIL) {
		fa_buf_printf(m->b, "**Verdict: FAIL**: %zu of %zu gate%s failed (", nfail, r->ngates,
			      r->ngates == 1 ? "" : "s");
		put_gate_list(m, FA_GATE_FAIL);
		fa_buf_puts(m->b, ").\n\n");
	} else if (r->verdict == FA_GATE_INCONCLUSIVE) {
		fa_buf_printf(m->b,
			      "**Verdict: INCONCLUSIVE**: no gate failed, but %zu of %zu could not be decided (",
			      ninc, r->ngates);
		put_gate_list(m, FA_GATE_INCONCLUSIVE);
		fa_buf_puts(m->b, ").\n\n");
	} else {
		fa_buf_printf(m->b, "**Verdict: PASS**: %s %zu gate%s passed.\n\n",
			      r->ngates == 1 ? "the" : "all", r->ngates, r->ngates == 1 ? "" : "s");
	}
}

/* A gate's value, with enough decimals to differ from its limit. */
static void put_gate_value(md *m, fa_buf *b, const fa_estimate *e, double limit)
{
	int d = 3;

	if (!isfinite(e->value)) {
		put_estimate(m, b, e, 0, 1);
		return;
	}
	while (d < 8 && e->value != limit && fabs(e->value - limit) < 0.5 * pow(10, -d))
		d++;
	put_num(b, e->value, 0, d);
	/* the interval the gate modes judge: bootstrap, else analytic */
	if (e->has_ci || e->has_aci) {
		fa_buf_puts(b, " [");
		put_num(b, e->has_ci ? e->ci_low : e->aci_low, 0, d);
		fa_buf_puts(b, ", ");
		put_num(b, e->has_ci ? e->ci_high : e->aci_high, 0, d);
		fa_buf_putc(b, ']');
	}
}

static void gates(md *m)
{
	const fa_result *r = m->r;
	fa_mdtab t;
	size_t i, j;

	if (!r->ngates)
		return;
	fa_buf_puts(m->b, "## Gates\n\n");
	if (r->settings.gate_on) {
		fa_buf_puts(m->b, "Gates are judged on: ");
		fa_md_text(m->b, r->settings.gate_on);
		fa_buf_puts(m->b, ".\n\n");
	}
	fa_mdtab_init(&t, "lllr");
	fa_mdtab_put(&t, "Gate");
	fa_mdtab_put(&t, "Outcome");
	fa_mdtab_put(&t, "Checked");
	fa_mdtab_put(&t, "Value");
	for (i = 0; i < r->ngates; i++) {
		const fa_gate_result *g = &r->gates[i];
		for (j = 0; j < g->nchecks || (j == 0 && g->nchecks == 0); j++) {
			const fa_gate_check *c = g->nchecks ? &g->checks[j] : NULL;
			fa_gate_outcome o = c ? c->outcome : g->outcome;
			if (j == 0)
				fa_md_text(&t.cur, g->expr ? g->expr : "");
			fa_mdtab_end(&t);
			if (o == FA_GATE_FAIL)
				fa_buf_puts(&t.cur, CROSS " ");
			fa_buf_puts(&t.cur, outcome_word(o));
			if (c && c->note)
				note_ref(m, &t.cur, c->note);
			fa_mdtab_end(&t);
			if (c) {
				fa_md_text(&t.cur, c->where ? c->where : "");
				fa_mdtab_end(&t);
				put_gate_value(m, &t.cur, &c->value, g->limit);
				fa_mdtab_end(&t);
			} else {
				fa_mdtab_put(&t, DASH);
				fa_mdtab_put(&t, "");
			}
		}
	}
	fa_mdtab_render(&t, m->b);
}

static void provenance(md *m)
{
	const fa_result *r = m->r;
	const fa_settings *s = &r->settings;
	fa_mdtab t;
	size_t i;
	char num[40];

	fa_buf_puts(m->b, "## What was audited\n\n");
	fa_buf_printf(m->b, "Input file%s:\n\n", r->nfiles == 1 ? "" : "s");
	for (i = 0; i < r->nfiles; i++) {
		const fa_file_info *f = &r->files[i];
		fa_buf_puts(m->b, "- ");
		fa_md_text(m->b, f->path ? f->path : "");
		fa_buf_puts(m->b, " (");
		fa_md_text(m->b, f->format ? f->format : "");
		fa_buf_printf(m->b, "%s, %zu bytes, %zu rows)  \n  SHA-256 %s\n",
			      f->gzip ? ", gzip" : "", f->bytes, f->rows,
			      f->sha256[0] ? f->sha256 : "not computed");
	}
	if (!r->nfiles)
		fa_buf_puts(m->b, "- none recorded\n");
	fa_buf_putc(m->b, '\n');

	fa_mdtab_init(&t, "ll");
	fa_mdtab_put(&t, "Setting");
	fa_mdtab_put(&t, "Value");
	fa_mdtab_put(&t, "Rows");
	fa_buf_printf(&t.cur, "%zu read, %zu used, %zu dropped", r->rows_read, r->rows_used,
		      r->rows_dropped);
	fa_mdtab_end(&t);
	if (r->ndrops) {
		fa_mdtab_put(&t, "Dropped rows by reason");
		for (i = 0; i < r->ndrops; i++) {
			fa_buf_puts(&t.cur, i ? "; " : "");
			fa_md_text(&t.cur, r->drops[i].reason);
			fa_buf_printf(&t.cur, ": %zu", r->drops[i].count);
		}
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "Label column");
	fa_mdtab_text(&t, s->label_column ? s->label_column : "");
	fa_mdtab_put(&t, "Positive label");
	if (s->positive)
		fa_mdtab_text(&t, s->positive);
	else
		fa_mdtab_put(&t, "1, true or yes (the default)");
	fa_mdtab_put(&t, "Score column");
	fa_mdtab_text(&t, s->score_column ? s->score_column : "");
	fa_mdtab_put(&t, "Threshold");
	fa_format_double(num, s->threshold);
	fa_mdtab_put(&t, num);
	fa_mdtab_put(&t, "Decisions");
	if (s->pred_column) {
		fa_buf_puts(&t.cur, "from column ");
		fa_md_text(&t.cur, s->pred_column);
		fa_mdtab_end(&t);
	} else {
		fa_buf_printf(&t.cur, "score " GE " %s", num);
		fa_mdtab_end(&t);
	}
	if (s->score_rounded) {
		fa_mdtab_put(&t, "Scores rounded");
		fa_buf_printf(&t.cur, "to %d decimals (--score-digits)", s->score_digits);
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "Scores are probabilities");
	fa_mdtab_put(&t, s->probabilities ? "yes" : "no (brier and ece are undefined)");
	fa_mdtab_put(&t, "Intervals shown");
	fa_mdtab_put(&t, !m->analytic ? "bootstrap"
		     : s->cluster_column ? "analytic by patient cluster (Wilson at the design-effect "
					   "size for rates, Obuchowski for AUC)"
					 : "analytic (Wilson for rates, DeLong for AUC)");
	fa_mdtab_put(&t, "Bootstrap");
	if (s->bootstrap) {
		fa_buf_printf(&t.cur, "%zu replicates, ", s->bootstrap);
		fa_md_text(&t.cur, s->scheme ? s->scheme : "");
		fa_buf_puts(&t.cur, " scheme");
		if (s->score_bins) {
			fa_buf_printf(&t.cur, " (AUC, Brier and ECE of replicates from %zu score bins",
				      s->score_bins);
			if (s->bootstrap_key) {
				fa_buf_puts(&t.cur, "; weights keyed by ");
				fa_md_text(&t.cur, s->bootstrap_key);
			}
			fa_buf_putc(&t.cur, ')');
		}
		if (s->bootstrap_ci) {
			fa_buf_puts(&t.cur, ", ");
			fa_md_text(&t.cur, s->bootstrap_ci);
			fa_buf_puts(&t.cur, " intervals");
		}
		fa_mdtab_end(&t);
	} else {
		fa_mdtab_put(&t, "off");
	}
	if (s->ci_method) {
		fa_mdtab_put(&t, "Interval methods");
		fa_md_text(&t.cur, s->ci_method);
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "Permutation tests");
	if (s->permutations)
		fa_mdtab_size(&t, s->permutations);
	else
		fa_mdtab_put(&t, "off");
	if (s->p_adjust) {
		fa_mdtab_put(&t, "P-value adjustment");
		fa_md_text(&t.cur, s->p_adjust);
		fa_buf_puts(&t.cur, ", over every test of the report");
		fa_mdtab_end(&t);
	}
	if (s->cluster_column) {
		fa_mdtab_put(&t, "Cluster column");
		fa_mdtab_text(&t, s->cluster_column);
	}
	if (s->power_annotated) {
		fa_mdtab_put(&t, "Power");
		fa_buf_puts(&t.cur, "detectable tpr difference ");
		put_num(&t.cur, s->power_detectable, 0, 3);
		fa_buf_puts(&t.cur, ", power ");
		put_num(&t.cur, s->power_target, 0, 2);
		fa_buf_puts(&t.cur, ", alpha ");
		put_num(&t.cur, s->power_alpha, 0, 3);
		fa_mdtab_end(&t);
	}
	if (s->population) {
		fa_mdtab_put(&t, "Population file");
		fa_mdtab_text(&t, s->population);
	}
	if (r->nviews) {
		fa_mdtab_put(&t, "Operating points");
		for (i = 0; i < r->nviews; i++) {
			fa_buf_puts(&t.cur, i ? ", " : "");
			fa_md_text(&t.cur, r->views[i].name ? r->views[i].name : "");
		}
		fa_mdtab_end(&t);
	}
	if (s->period_column) {
		fa_mdtab_put(&t, "Periods");
		fa_md_text(&t.cur, s->period_every ? s->period_every : "");
		fa_buf_puts(&t.cur, " of ");
		fa_md_text(&t.cur, s->period_column);
		fa_buf_printf(&t.cur, ", at least %zu records each", s->min_period_n);
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "Seed");
	fa_buf_printf(&t.cur, "%llu", (unsigned long long)s->seed);
	fa_mdtab_end(&t);
	fa_mdtab_put(&t, "Confidence level");
	/* 0.9 * 100 is 90.000000000000014 */
	fa_buf_printf(&t.cur, "%.10g%%", s->ci_level * 100);
	fa_mdtab_end(&t);
	fa_mdtab_put(&t, "Minimum group size (min-n)");
	fa_mdtab_size(&t, s->min_n);
	fa_mdtab_put(&t, "Suppress groups below");
	if (s->suppress_below)
		fa_mdtab_size(&t, s->suppress_below);
	else
		fa_mdtab_put(&t, "off");
	fa_mdtab_put(&t, "Tool");
	fa_buf_puts(&t.cur, "fairaudit ");
	fa_md_text(&t.cur, r->tool_version ? r->tool_version : "");
	fa_mdtab_end(&t);
	fa_mdtab_render(&t, m->b);

	if (r->command_line) {
		size_t run = 0, longest = 0, k;
		const char *p;
		/* a fence longer than any run of backticks inside */
		for (p = r->command_line; *p; p++) {
			run = *p == '`' ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
		fa_buf_puts(m->b, "Command line:\n\n");
		for (k = 0; k < (longest < 3 ? 3 : longest + 1); k++)
			fa_buf_putc(m->b, '`');
		fa_buf_putc(m->b, '\n');
		for (p = r->command_line; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				fa_buf_printf(m->b, "\\x%02X", c);
			else
				fa_buf_putc(m->b, (char)c);
		}
		fa_buf_putc(m->b, '\n');
		for (k = 0; k < (longest < 3 ? 3 : longest + 1); k++)
			fa_buf_putc(m->b, '`');
		fa_buf_puts(m->b, "\n\n");
	}
}

static void put_metric_name(fa_buf *b, const char *name)
{
	fa_buf_printf(b, "`%s`", name);
}

static void overall(md *m)
{
	const fa_group_result *g = &m->r->overall;
	fa_mdtab t;
	int k;

	fa_buf_puts(m->b, "## Overall\n\n");
	fa_buf_printf(m->b, "%zu records: %zu positive, %zu negative; TP %zu, FP %zu, TN %zu, FN %zu.\n\n",
		      g->n, g->n_pos, g->n_neg, g->tp, g->fp, g->tn, g->fn);
	fa_mdtab_init(&t, "lr");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Value");
	for (k = 0; k < FA_M__COUNT; k++) {
		const char *name = fa_metric_name((fa_metric)k);
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		put_estimate(m, &t.cur, &g->metrics[k], 0, 1);
		mark(&t.cur, failed(m, NULL, NULL, name));
		fa_mdtab_end(&t);
	}
	fa_mdtab_render(&t, m->b);
}

static const char *status_word(const fa_attr_result *a, size_t i)
{
	if ((long)i == a->reference)
		return "reference";
	return fa_group_status_name(a->groups[i].status);
}

/* One table of per-group metrics (differences when `diff`). */
static void group_metrics(md *m, const fa_attr_result *a, const fa_metric *ms, int nm,
			  int diff)
{
	fa_mdtab t;
	char align[8] = "l";
	size_t i;
	int k;

	for (k = 0; k < nm; k++)
		strcat(align, "r");
	fa_mdtab_init(&t, align);
	fa_mdtab_put(&t, "Group");
	for (k = 0; k < nm; k++) {
		put_metric_name(&t.cur, fa_metric_name(ms[k]));
		fa_mdtab_end(&t);
	}
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		/* suppressed groups are listed once, in the groups table */
		if ((diff && (long)i == a->reference) || g->status == FA_GROUP_SUPPRESSED)
			continue;
		fa_mdtab_text(&t, g->value);
		for (k = 0; k < nm; k++) {
			char what[64];
			const fa_estimate *e = diff ? &g->diff[ms[k]] : &g->metrics[ms[k]];
			snprintf(what, sizeof(what), "%s%s", fa_metric_name(ms[k]), diff ? "_diff" : "");
			put_estimate(m, &t.cur, e, diff, 1);
			mark(&t.cur, failed(m, a->name, g->value, what));
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

static void attr_groups(md *m, const fa_attr_result *a)
{
	static const fa_metric first[] = {FA_M_PREVALENCE, FA_M_AUC};
	static const fa_metric rates[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_ACCURACY};
	const fa_settings *s = &m->r->settings;
	fa_mdtab t;
	size_t i, ninsuf = 0, nsupp = 0;
	int k;
	char lt[40], num[40];

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": groups\n\n");
	fa_mdtab_init(&t, "llrrrr");
	fa_mdtab_put(&t, "Group");
	fa_mdtab_put(&t, "Status");
	fa_mdtab_put(&t, "n");
	fa_mdtab_put(&t, "n_pos");
	for (k = 0; k < 2; k++) {
		put_metric_name(&t.cur, fa_metric_name(first[k]));
		fa_mdtab_end(&t);
	}
	snprintf(lt, sizeof(lt), "<%zu", s->suppress_below);
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		fa_mdtab_text(&t, g->value);
		fa_mdtab_put(&t, status_word(a, i));
		if (g->status == FA_GROUP_SUPPRESSED) {
			nsupp++;
			fa_mdtab_put(&t, lt);
			fa_mdtab_put(&t, lt);
			fa_mdtab_put(&t, "");
			fa_mdtab_put(&t, "");
			continue;
		}
		ninsuf += g->status == FA_GROUP_INSUFFICIENT;
		fa_mdtab_size(&t, g->n);
		fa_mdtab_size(&t, g->n_pos);
		for (k = 0; k < 2; k++) {
			put_estimate(m, &t.cur, &g->metrics[first[k]], 0, 1);
			mark(&t.cur, failed(m, a->name, g->value, fa_metric_name(first[k])));
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
	if (ninsuf)
		fa_buf_printf(m->b,
			      "*insufficient*: fewer than %zu records (min-n); shown, but left out of the\n"
			      "differences and gaps.\n\n",
			      s->min_n);
	if (nsupp)
		fa_buf_printf(m->b,
			      "*suppressed*: fewer than %zu records; counts and metrics are withheld.\n\n",
			      s->suppress_below);

	fa_format_double(num, s->threshold);
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	if (s->pred_column)
		fa_buf_puts(m->b, ": rates of the given decisions\n\n");
	else
		fa_buf_printf(m->b, ": rates at threshold %s\n\n", num);
	group_metrics(m, a, rates, 4, 0);
}

static void attr_diffs(md *m, const fa_attr_result *a)
{
	static const fa_metric key[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_AUC};

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": differences to the reference");
	if (a->reference < 0 || (size_t)a->reference >= a->ngroups) {
		fa_buf_puts(m->b, "\n\nNone: there is no reference group (");
		fa_md_text(m->b, a->reference_reason ? a->reference_reason : "none is eligible");
		fa_buf_puts(m->b, ").\n\n");
		return;
	}
	fa_buf_puts(m->b, " (");
	fa_md_text(m->b, a->groups[a->reference].value);
	fa_buf_puts(m->b, ")\n\n");
	if (a->ngroups < 2) {
		fa_buf_puts(m->b, "None: the reference is the only group.\n\n");
		return;
	}
	fa_buf_puts(m->b, "Group value minus reference value.\n\n");
	group_metrics(m, a, key, 4, 1);
}

static void put_group_name(md *m, fa_buf *b, const fa_attr_result *a, long g, int directed)
{
	(void)m;
	if (!directed)
		fa_buf_puts(b, "n/a");
	else if (g < 0 || (size_t)g >= a->ngroups)
		fa_buf_puts(b, DASH);
	else
		fa_md_text(b, a->groups[g].value);
}

/* Whether the groups differ at all: the bias-corrected gap and the tests
 * of equality, when any were run. */
static void attr_tests(md *m, const fa_attr_result *a)
{
	fa_mdtab t;
	int k, any = 0;

	for (k = 0; k < FA_M__COUNT; k++)
		any |= !isnan(a->gaps[k].perm_p) || !isnan(a->gaps[k].chisq_p);
	if (!any)
		return;
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": tests of equal groups\n\n");
	fa_buf_puts(m->b, "The gap corrected for its upward bootstrap bias, the permutation test of the\n"
			  "gap and the chi-square test of homogeneity (rates), with p-values adjusted\n"
			  "for every test of the report.\n\n");
	fa_mdtab_init(&t, "lrrrrr");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Gap, corrected");
	fa_mdtab_put(&t, "Permutation p");
	fa_mdtab_put(&t, "adjusted");
	fa_mdtab_put(&t, "Chi-square p");
	fa_mdtab_put(&t, "adjusted");
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_gap *gp = &a->gaps[k];
		put_metric_name(&t.cur, fa_metric_name((fa_metric)k));
		fa_mdtab_end(&t);
		put_estimate(m, &t.cur, &gp->gap_corrected, 0, 1);
		fa_mdtab_end(&t);
		put_p(&t.cur, gp->perm_p);
		fa_mdtab_end(&t);
		put_p(&t.cur, gp->perm_p_adjusted);
		fa_mdtab_end(&t);
		put_p(&t.cur, gp->chisq_p);
		if (gp->chisq_low_expected && !isnan(gp->chisq_p))
			note_ref(m, &t.cur, "an expected count is under 5: the chi-square p-value is not to be trusted");
		fa_mdtab_end(&t);
		put_p(&t.cur, gp->chisq_p_adjusted);
		fa_mdtab_end(&t);
	}
	fa_mdtab_render(&t, m->b);
}

static void attr_gaps(md *m, const fa_attr_result *a)
{
	static const char *const what[FA_S__COUNT] = {
		"larger of the tpr and fpr gaps",
		"selection_rate gap",
		"selection_rate min / max",
		"smallest group auc",
	};
	fa_mdtab t;
	int k;

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": gaps\n\n");
	fa_buf_puts(m->b, "Over the groups that are not insufficient or suppressed: gap = max - min,\n"
			  "ratio = min / max.\n\n");
	fa_mdtab_init(&t, "lrrrrll");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Gap");
	fa_mdtab_put(&t, "Ratio");
	fa_mdtab_put(&t, "Min");
	fa_mdtab_put(&t, "Max");
	fa_mdtab_put(&t, "Best");
	fa_mdtab_put(&t, "Worst");
	for (k = 0; k < FA_M__COUNT; k++) {
		const fa_gap *gp = &a->gaps[k];
		const char *name = fa_metric_name((fa_metric)k);
		const fa_estimate *es[4] = {&gp->gap, &gp->ratio, &gp->min, &gp->max};
		/* gates call the gap ratio METRIC_ratio; the CSV, METRIC_gap_ratio */
		static const char *const suffix[4] = {"_gap", "_ratio", "_min", "_max"};
		int q, directed = fa_metric_direction((fa_metric)k) >= 0;
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		for (q = 0; q < 4; q++) {
			char w[64];
			snprintf(w, sizeof(w), "%s%s", name, suffix[q]);
			put_estimate(m, &t.cur, es[q], 0, q == 0);
			mark(&t.cur, failed(m, a->name, NULL, w));
			fa_mdtab_end(&t);
		}
		put_group_name(m, &t.cur, a, gp->best, directed);
		fa_mdtab_end(&t);
		put_group_name(m, &t.cur, a, gp->worst, directed);
		fa_mdtab_end(&t);
	}
	fa_mdtab_render(&t, m->b);

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": summaries\n\n");
	fa_mdtab_init(&t, "lrl");
	fa_mdtab_put(&t, "Summary");
	fa_mdtab_put(&t, "Value");
	fa_mdtab_put(&t, "Definition");
	for (k = 0; k < FA_S__COUNT; k++) {
		const char *name = fa_summary_name((fa_summary)k);
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		put_estimate(m, &t.cur, &a->summary[k], 0, 1);
		mark(&t.cur, failed(m, a->name, NULL, name));
		fa_mdtab_end(&t);
		fa_mdtab_put(&t, what[k]);
	}
	fa_mdtab_render(&t, m->b);
	attr_tests(m, a);
}

/* How well the score alone tells each group from the rest. */
static void attr_leakage(md *m, const fa_attr_result *a)
{
	static const char *const what[2] = {"leakage_negatives", "leakage_positives"};
	fa_mdtab t;
	size_t i;
	int c, any = 0;

	for (i = 0; i < a->ngroups; i++)
		any |= a->groups[i].status != FA_GROUP_SUPPRESSED;
	if (!any)
		return;
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": score" NDASH "attribute leakage\n\n");
	fa_buf_printf(m->b, "The AUC with which the score alone tells the group from the other records\n"
			  "of the same label, with %s interval. Far from 0.5 (either way) the\n"
			  "score carries group information beyond the label; that alone does not show\n"
			  "harm.\n\n",
		      m->r->settings.cluster_column ? "Obuchowski's clustered DeLong" : "DeLong's");
	fa_mdtab_init(&t, "lrr");
	fa_mdtab_put(&t, "Group");
	fa_mdtab_put(&t, "AUC among negatives");
	fa_mdtab_put(&t, "AUC among positives");
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		if (g->status == FA_GROUP_SUPPRESSED)
			continue;
		fa_mdtab_text(&t, g->value);
		for (c = 0; c < 2; c++) {
			put_estimate_aci(m, &t.cur, &g->leakage[c]);
			mark(&t.cur, failed(m, a->name, g->value, what[c]));
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

/* The smallest difference to the reference each group could show (power
 * annotation, power.h). */
static void attr_power(md *m, const fa_attr_result *a)
{
	static const fa_metric key[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_AUC};
	const fa_settings *s = &m->r->settings;
	fa_mdtab t;
	size_t i;
	int k;

	if (!s->power_annotated)
		return;
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": minimum detectable differences\n\n");
	fa_buf_puts(m->b, "The smallest worsening against the reference each group's counts would detect\n");
	fa_buf_puts(m->b, "(power ");
	put_num(m->b, s->power_target, 0, 2);
	fa_buf_puts(m->b, ", alpha ");
	put_num(m->b, s->power_alpha, 0, 3);
	fa_buf_puts(m->b, "); *underpowered*: the tpr one exceeds ");
	put_num(m->b, s->power_detectable, 0, 3);
	fa_buf_puts(m->b, ".\n\n");
	fa_mdtab_init(&t, "lrrrrl");
	fa_mdtab_put(&t, "Group");
	for (k = 0; k < 4; k++) {
		put_metric_name(&t.cur, fa_metric_name(key[k]));
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "Underpowered");
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		if (g->status == FA_GROUP_SUPPRESSED)
			continue;
		fa_mdtab_text(&t, g->value);
		for (k = 0; k < 4; k++) {
			put_estimate(m, &t.cur, &g->mdd[key[k]], 0, 0);
			fa_mdtab_end(&t);
		}
		fa_mdtab_put(&t, g->underpowered ? "yes" : "no");
	}
	fa_mdtab_render(&t, m->b);
}

/* Each group's share of the records against its share of the population
 * file, and the goodness-of-fit test (representation.h). */
static void attr_representation(md *m, const fa_attr_result *a)
{
	const fa_attr_representation *p = &a->representation;
	fa_mdtab t;
	size_t i;

	if (!m->r->settings.population)
		return;
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": representation\n\n");
	if (!p->named) {
		fa_buf_puts(m->b, "The population file does not name this attribute.\n\n");
		return;
	}
	fa_mdtab_init(&t, "lrrrl");
	fa_mdtab_put(&t, "Group");
	fa_mdtab_put(&t, "Audit share");
	fa_mdtab_put(&t, "Population share");
	fa_mdtab_put(&t, "Ratio");
	fa_mdtab_put(&t, "Under-represented");
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		const fa_group_representation *gr = &g->representation;
		if (g->status == FA_GROUP_SUPPRESSED)
			continue;
		fa_mdtab_text(&t, g->value);
		put_estimate(m, &t.cur, &gr->audit_share, 0, 0);
		fa_mdtab_end(&t);
		put_number_or(m, &t.cur, gr->population_share, 3, "the population file does not name the group");
		fa_mdtab_end(&t);
		put_estimate(m, &t.cur, &gr->ratio, 0, 0);
		fa_mdtab_end(&t);
		fa_mdtab_put(&t, gr->under_represented ? "yes" : "no");
	}
	for (i = 0; i < p->nabsent; i++) {
		fa_md_text(&t.cur, p->absent[i].value);
		fa_buf_puts(&t.cur, " (no record)");
		fa_mdtab_end(&t);
		fa_mdtab_put(&t, "0");
		put_num(&t.cur, p->absent[i].share, 0, 3);
		fa_mdtab_end(&t);
		fa_mdtab_put(&t, "0");
		fa_mdtab_put(&t, "yes");
	}
	fa_mdtab_render(&t, m->b);
	fa_buf_printf(m->b, "%zu records in groups the file names, %zu in others. ", p->n_named,
		      p->n_unnamed);
	if (isnan(p->p_value)) {
		fa_buf_puts(m->b, "No goodness-of-fit test");
		if (p->reason) {
			fa_buf_puts(m->b, " (");
			fa_md_text(m->b, p->reason);
			fa_buf_putc(m->b, ')');
		}
		fa_buf_puts(m->b, ".\n\n");
		return;
	}
	fa_buf_puts(m->b, "Goodness of fit to the population: chi-square ");
	put_num(m->b, p->chisq, 0, 2);
	fa_buf_printf(m->b, ", df %u, p ", p->df);
	put_p(m->b, p->p_value);
	fa_buf_puts(m->b, p->low_expected ? " (an expected count is under 5: approximate).\n\n"
					  : ".\n\n");
}

static void attribute(md *m, const fa_attr_result *a)
{
	size_t i;

	fa_buf_puts(m->b, "## Attribute ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, "\n\n");
	if (a->ncolumns > 1) {
		fa_buf_puts(m->b, "The intersection of the columns ");
		for (i = 0; i < a->ncolumns; i++) {
			fa_buf_puts(m->b, i == 0 ? "" : i + 1 == a->ncolumns ? " and " : ", ");
			fa_md_text(m->b, a->columns[i]);
		}
		fa_buf_puts(m->b, ".\n\n");
	}
	fa_buf_printf(m->b, "%zu group%s. Reference group: ", a->ngroups, a->ngroups == 1 ? "" : "s");
	if (a->reference >= 0 && (size_t)a->reference < a->ngroups) {
		fa_buf_puts(m->b, "**");
		fa_md_text(m->b, a->groups[a->reference].value);
		fa_buf_puts(m->b, "**.\n\n");
	} else {
		fa_buf_puts(m->b, "none (");
		fa_md_text(m->b, a->reference_reason ? a->reference_reason : "none is eligible");
		fa_buf_puts(m->b, ").\n\n");
	}
	attr_groups(m, a);
	attr_diffs(m, a);
	attr_gaps(m, a);
	attr_leakage(m, a);
	attr_power(m, a);
	attr_representation(m, a);
}

/* ---- several models ------------------------------------------------------- */

/* "b - a" of difference d, as Markdown text. */
static void put_pair_name(md *m, fa_buf *b, const fa_model_diff *d)
{
	fa_md_text(b, m->r->models[d->b].name);
	fa_buf_puts(b, " - ");
	fa_md_text(b, m->r->models[d->a].name);
}

/* Whether a gate on difference d failed at `what` of `attr` (and `group`;
 * the whole population when `attr` is NULL): its checks are named
 * "b-a:..." or, for a gate written the other way round, "a-b:...". */
static int pair_failed(const md *m, const fa_model_diff *d, const char *attr, const char *group,
                       const char *what)
{
	const char *an = m->r->models[d->a].name, *bn = m->r->models[d->b].name;
	fa_buf v = FA_BUF_INIT;
	int hit;

	if (!m->r->ngates)
		return 0;
	fa_buf_printf(&v, "%s-%s", bn, an);
	hit = failed_in(m, v.ptr, attr, group, what);
	fa_buf_clear(&v);
	fa_buf_printf(&v, "%s-%s", an, bn);
	hit |= failed_in(m, v.ptr, attr, group, what);
	fa_buf_free(&v);
	return hit;
}

/* four intervals to a table, as elsewhere */
static const fa_metric model_overall_metrics[] = {FA_M_AUC, FA_M_TPR, FA_M_FPR, FA_M_BRIER};
#define NMODEL_OVERALL 4
#define MAX_MODEL_COLUMNS 40

/* The models side by side over the whole population, and their
 * differences. */
static void models_overall(md *m)
{
	const fa_result *r = m->r;
	fa_mdtab t;
	char align[16] = "ll";
	size_t k;
	int j;

	fa_buf_puts(m->b, "## Models\n\n");
	if (r->nmodels == 1) {
		fa_buf_puts(m->b, "One model, **");
		fa_md_text(m->b, r->models[0].name);
		fa_buf_puts(m->b, "** (score column ");
		fa_md_text(m->b, r->models[0].score_column ? r->models[0].score_column : "");
		fa_buf_puts(m->b, ").\n\n");
		return;
	}
	fa_buf_printf(m->b,
	              "%zu models of the same records, measured on the same bootstrap replicates,\n"
	              "so a difference between two models has a paired interval (docs/models.md).\n"
	              "The other sections of this report are those of the first model, **",
	              r->nmodels);
	fa_md_text(m->b, r->models[0].name);
	fa_buf_puts(m->b, "**.");
	if (r->settings.bootstrap == 0)
		fa_buf_puts(
		    m->b, "\nWithout bootstrap replicates (--bootstrap 0) the differences have no\n"
		          "intervals.");
	fa_buf_puts(m->b, "\n\n");
	for (j = 0; j < NMODEL_OVERALL; j++)
		strcat(align, "r");
	fa_mdtab_init(&t, align);
	fa_mdtab_put(&t, "Model");
	fa_mdtab_put(&t, "Score column");
	for (j = 0; j < NMODEL_OVERALL; j++) {
		put_metric_name(&t.cur, fa_metric_name(model_overall_metrics[j]));
		fa_mdtab_end(&t);
	}
	for (k = 0; k < r->nmodels; k++) {
		const fa_model *M = &r->models[k];
		fa_mdtab_text(&t, M->name);
		fa_mdtab_text(&t, M->score_column ? M->score_column : "");
		for (j = 0; j < NMODEL_OVERALL; j++) {
			put_estimate(m, &t.cur, &M->overall.metrics[model_overall_metrics[j]], 0,
			             1);
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
	if (!r->nmodel_diffs)
		return;
	fa_buf_puts(m->b, "### Differences between models, overall\n\n");
	fa_mdtab_init(&t, "lrrrr");
	fa_mdtab_put(&t, "Difference");
	for (j = 0; j < NMODEL_OVERALL; j++) {
		put_metric_name(&t.cur, fa_metric_name(model_overall_metrics[j]));
		fa_mdtab_end(&t);
	}
	for (k = 0; k < r->nmodel_diffs; k++) {
		const fa_model_diff *d = &r->model_diffs[k];
		put_pair_name(m, &t.cur, d);
		fa_mdtab_end(&t);
		for (j = 0; j < NMODEL_OVERALL; j++) {
			const char *name = fa_metric_name(model_overall_metrics[j]);
			put_estimate(m, &t.cur, &d->overall[model_overall_metrics[j]], 1, 1);
			mark(&t.cur, pair_failed(m, d, NULL, NULL, name));
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

/* The name of row i of the model tables: a metric's gap, then the
 * summaries. */
static void model_row_name(char *out, size_t size, size_t i)
{
	if (i >= FA_M__COUNT)
		snprintf(out, size, "%s", fa_summary_name((fa_summary)(i - FA_M__COUNT)));
	else
		snprintf(out, size, "%s_gap", fa_metric_name((fa_metric)i));
}

static const fa_estimate *model_row(const fa_attr_result *A, size_t i)
{
	return i >= FA_M__COUNT ? &A->summary[i - FA_M__COUNT] : &A->gaps[i].gap;
}

/* One attribute of several models: each gap and summary per model with the
 * best model, their paired differences, and the groups' differences. */
static void models_attr(md *m, size_t a)
{
	static const fa_metric group_ms[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_AUC};
	const fa_result *r = m->r;
	const fa_attr_result *A = &r->attrs[a];
	const fa_model_best *best = r->model_best ? &r->model_best[a] : NULL;
	size_t nm = r->nmodels < MAX_MODEL_COLUMNS ? r->nmodels : MAX_MODEL_COLUMNS;
	size_t nd = r->nmodel_diffs < MAX_MODEL_COLUMNS ? r->nmodel_diffs : MAX_MODEL_COLUMNS;
	char align[MAX_MODEL_COLUMNS + 3] = "l", name[64];
	fa_mdtab t;
	size_t k, i, g;
	int j;

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, A->name);
	fa_buf_puts(m->b, ": gaps by model\n\n");
	fa_buf_puts(m->b, "Best: the model with the smallest gap (for `disparate_impact` and\n"
	                  "`worst_group_auc`, the largest value), by point estimate; " DASH
	                  " when the\nmodels do not differ.\n\n");
	for (k = 0; k < nm; k++)
		strcat(align, "r");
	strcat(align, "l");
	fa_mdtab_init(&t, align);
	fa_mdtab_put(&t, "Quantity");
	for (k = 0; k < nm; k++)
		fa_mdtab_text(&t, r->models[k].name);
	fa_mdtab_put(&t, "Best");
	for (i = 0; i < FA_M__COUNT + FA_S__COUNT; i++) {
		long b = !best              ? -1
		         : i >= FA_M__COUNT ? best->summary[i - FA_M__COUNT]
		                            : best->gap[i];
		model_row_name(name, sizeof(name), i);
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		for (k = 0; k < nm; k++) {
			put_estimate(m, &t.cur, model_row(&r->models[k].attrs[a], i), 0, 1);
			/* plain gates judge the first model */
			if (k == 0)
				mark(&t.cur, failed(m, A->name, NULL, name));
			fa_mdtab_end(&t);
		}
		if (b >= 0 && (size_t)b < r->nmodels)
			fa_mdtab_text(&t, r->models[b].name);
		else
			fa_mdtab_put(&t, DASH);
	}
	fa_mdtab_render(&t, m->b);

	if (!nd)
		return;
	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, A->name);
	fa_buf_puts(m->b, ": differences between models\n\n");
	fa_buf_puts(m->b,
	            "Each value is the first model named minus the second, with the paired\n"
	            "interval of the difference over the shared replicates: an interval that\n"
	            "excludes 0 shows that the two models differ.\n\n");
	align[1] = '\0';
	for (k = 0; k < nd; k++)
		strcat(align, "r");
	fa_mdtab_init(&t, align);
	fa_mdtab_put(&t, "Quantity");
	for (k = 0; k < nd; k++) {
		put_pair_name(m, &t.cur, &r->model_diffs[k]);
		fa_mdtab_end(&t);
	}
	for (i = 0; i < FA_M__COUNT + FA_S__COUNT; i++) {
		model_row_name(name, sizeof(name), i);
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		for (k = 0; k < nd; k++) {
			const fa_model_diff *d = &r->model_diffs[k];
			const fa_model_attr_diff *ad = &d->attrs[a];
			const fa_estimate *e =
			    i >= FA_M__COUNT ? &ad->summary[i - FA_M__COUNT] : &ad->gaps[i].gap;
			put_estimate(m, &t.cur, e, 1, 1);
			mark(&t.cur, pair_failed(m, d, A->name, NULL, name));
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);

	for (k = 0; k < r->nmodel_diffs; k++) {
		const fa_model_diff *d = &r->model_diffs[k];
		const fa_model_attr_diff *ad = &d->attrs[a];
		fa_buf_puts(m->b, "### ");
		fa_md_text(m->b, A->name);
		fa_buf_puts(m->b, ": groups, ");
		put_pair_name(m, m->b, d);
		fa_buf_puts(m->b, "\n\n");
		fa_mdtab_init(&t, "lrrrr");
		fa_mdtab_put(&t, "Group");
		for (j = 0; j < 4; j++) {
			put_metric_name(&t.cur, fa_metric_name(group_ms[j]));
			fa_mdtab_end(&t);
		}
		for (g = 0; g < A->ngroups && g < ad->ngroups; g++) {
			const fa_group_result *gr = &A->groups[g];
			if (gr->status == FA_GROUP_SUPPRESSED)
				continue;
			fa_mdtab_text(&t, gr->value);
			for (j = 0; j < 4; j++) {
				put_estimate(m, &t.cur, &ad->groups[g * FA_M__COUNT + group_ms[j]],
				             1, 1);
				mark(&t.cur, pair_failed(m, d, A->name, gr->value,
				                         fa_metric_name(group_ms[j])));
				fa_mdtab_end(&t);
			}
		}
		fa_mdtab_render(&t, m->b);
	}
}

static void models_section(md *m)
{
	size_t a;

	if (!m->r->nmodels)
		return;
	models_overall(m);
	if (m->r->nmodels < 2)
		return;
	for (a = 0; a < m->r->nattrs; a++)
		models_attr(m, a);
}

/* ---- operating points ---------------------------------------------------- */

static const char *view_target_word(const fa_view *v)
{
	if (v->kind && strcmp(v->kind, "spec") == 0)
		return "specificity";
	if (v->kind && strcmp(v->kind, "sens") == 0)
		return "sensitivity";
	return NULL;
}

/* One attribute at an operating point: its groups at the view's threshold
 * with each group's own threshold, and its gaps. */
static void view_attr(md *m, const fa_view *v, const fa_attr_result *a)
{
	static const fa_metric rates[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV};
	static const fa_metric gapm[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_NPV,
					 FA_M_SELECTION_RATE, FA_M_ACCURACY};
	static const fa_summary sums[] = {FA_S_EQUALIZED_ODDS_DIFF, FA_S_DEMOGRAPHIC_PARITY_DIFF,
					  FA_S_DISPARATE_IMPACT};
	int own = view_target_word(v) != NULL, k;
	fa_mdtab t;
	size_t i;

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, v->name);
	fa_buf_puts(m->b, ", ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": groups\n\n");
	fa_mdtab_init(&t, own ? "lrrrrr" : "lrrrr");
	fa_mdtab_put(&t, "Group");
	fa_mdtab_put(&t, "n");
	for (k = 0; k < 3; k++) {
		put_metric_name(&t.cur, fa_metric_name(rates[k]));
		fa_mdtab_end(&t);
	}
	if (own)
		fa_mdtab_put(&t, "Own threshold");
	for (i = 0; i < a->ngroups; i++) {
		const fa_group_result *g = &a->groups[i];
		if (g->status == FA_GROUP_SUPPRESSED)
			continue;
		fa_mdtab_text(&t, g->value);
		fa_mdtab_size(&t, g->n);
		for (k = 0; k < 3; k++) {
			put_estimate(m, &t.cur, &g->metrics[rates[k]], 0, 1);
			mark(&t.cur, failed_in(m, v->name, a->name, g->value, fa_metric_name(rates[k])));
			fa_mdtab_end(&t);
		}
		if (own) {
			put_number_or(m, &t.cur, g->own_threshold, 3,
				      "no threshold reaches the target in this group");
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, v->name);
	fa_buf_puts(m->b, ", ");
	fa_md_text(m->b, a->name);
	fa_buf_puts(m->b, ": gaps\n\n");
	fa_mdtab_init(&t, "lrrrrr");
	fa_mdtab_put(&t, "Metric");
	fa_mdtab_put(&t, "Gap");
	fa_mdtab_put(&t, "Ratio");
	fa_mdtab_put(&t, "Min");
	fa_mdtab_put(&t, "Max");
	fa_mdtab_put(&t, "Chi-square p");
	for (k = 0; k < 6; k++) {
		const fa_gap *gp = &a->gaps[gapm[k]];
		const char *name = fa_metric_name(gapm[k]);
		const fa_estimate *es[4] = {&gp->gap, &gp->ratio, &gp->min, &gp->max};
		static const char *const suffix[4] = {"_gap", "_ratio", "_min", "_max"};
		int q;
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		for (q = 0; q < 4; q++) {
			char w[64];
			snprintf(w, sizeof(w), "%s%s", name, suffix[q]);
			put_estimate(m, &t.cur, es[q], 0, q == 0);
			mark(&t.cur, failed_in(m, v->name, a->name, NULL, w));
			fa_mdtab_end(&t);
		}
		put_p(&t.cur, gp->chisq_p);
		if (gp->chisq_low_expected && !isnan(gp->chisq_p))
			note_ref(m, &t.cur, "an expected count is under 5: the chi-square p-value is not to be trusted");
		fa_mdtab_end(&t);
	}
	for (k = 0; k < 3; k++) {
		const char *name = fa_summary_name(sums[k]);
		put_metric_name(&t.cur, name);
		fa_mdtab_end(&t);
		put_estimate(m, &t.cur, &a->summary[sums[k]], 0, 1);
		mark(&t.cur, failed_in(m, v->name, a->name, NULL, name));
		fa_mdtab_end(&t);
		fa_mdtab_put(&t, "");
		fa_mdtab_put(&t, "");
		fa_mdtab_put(&t, "");
		fa_mdtab_put(&t, "");
	}
	fa_mdtab_render(&t, m->b);
}

static void view_section(md *m, const fa_view *v)
{
	const char *word = view_target_word(v);
	const fa_group_result *o = &v->overall;
	size_t a;

	fa_buf_puts(m->b, "## Operating point ");
	fa_md_text(m->b, v->name ? v->name : "");
	fa_buf_puts(m->b, "\n\n");
	if (word) {
		fa_buf_printf(m->b, "- Target: %s at least ", word);
		put_num(m->b, v->target, 0, 3);
		fa_buf_puts(m->b, " on the whole population.\n- Threshold chosen: ");
		put_estimate(m, m->b, &v->threshold, 0, 1);
	} else {
		fa_buf_puts(m->b, "- A fixed threshold: ");
		put_estimate(m, m->b, &v->threshold, 0, 0);
	}
	fa_buf_puts(m->b, ".\n- Overall: TPR ");
	put_estimate(m, m->b, &o->metrics[FA_M_TPR], 0, 1);
	mark(m->b, failed_in(m, v->name, NULL, NULL, "tpr"));
	fa_buf_puts(m->b, ", FPR ");
	put_estimate(m, m->b, &o->metrics[FA_M_FPR], 0, 1);
	mark(m->b, failed_in(m, v->name, NULL, NULL, "fpr"));
	fa_buf_puts(m->b, ", PPV ");
	put_estimate(m, m->b, &o->metrics[FA_M_PPV], 0, 1);
	mark(m->b, failed_in(m, v->name, NULL, NULL, "ppv"));
	fa_buf_puts(m->b, ".\n\n");
	if (word && v->threshold.has_ci && !m->analytic)
		fa_buf_puts(m->b, "The threshold is chosen again in every bootstrap replicate, so every\n"
				  "interval below includes the uncertainty of that choice. ");
	if (word) {
		fa_buf_printf(m->b, "*Own threshold*:\nthe threshold a group alone would need for %s ",
			      word);
		put_num(m->b, v->target, 0, 3);
		fa_buf_puts(m->b, ".\n");
	}
	fa_buf_puts(m->b, "The chi-square p-values of an operating point are not adjusted for\n"
			  "multiplicity.\n\n");
	for (a = 0; a < v->nattrs; a++)
		view_attr(m, v, &v->attrs[a]);
}

/* ---- drift over time ------------------------------------------------------ */

static const fa_metric period_metrics[] = {FA_M_AUC, FA_M_TPR, FA_M_FPR};
static const fa_metric period_gaps[] = {FA_M_TPR, FA_M_FPR, FA_M_PPV, FA_M_AUC};

/* The status cell of a period: "ok", or "insufficient" with its reason. */
static void period_status(md *m, fa_buf *b, const fa_period *p)
{
	if (!p->insufficient) {
		fa_buf_puts(b, "ok");
		return;
	}
	fa_buf_puts(b, "insufficient");
	note_ref(m, b, p->reason);
}

/* "eligible/all": the groups of A in its gaps, of the `all` the whole data
 * has; a period's gaps may span fewer groups than the whole data's. */
static void put_eligible(fa_buf *b, const fa_attr_result *A, size_t all)
{
	size_t g, k = 0;
	for (g = 0; g < A->ngroups; g++)
		k += A->groups[g].status == FA_GROUP_OK;
	fa_buf_printf(b, "%zu/%zu", k, all);
}

/* One attribute's main gaps period by period, the whole data first. */
static void period_attr(md *m, size_t a)
{
	const fa_result *r = m->r;
	const fa_attr_result *A = &r->attrs[a];
	fa_mdtab t;
	size_t i;
	int k, nk = (int)(sizeof(period_gaps) / sizeof(period_gaps[0]));

	fa_buf_puts(m->b, "### ");
	fa_md_text(m->b, A->name);
	fa_buf_puts(m->b, ": gaps by ");
	fa_md_text(m->b, r->settings.period_every ? r->settings.period_every : "period");
	fa_buf_puts(m->b, "\n\n");
	fa_mdtab_init(&t, "lrlrrrrr");
	fa_mdtab_put(&t, "Period");
	fa_mdtab_put(&t, "n");
	fa_mdtab_put(&t, "Status");
	fa_mdtab_put(&t, "Groups");
	for (k = 0; k < nk; k++) {
		put_metric_name(&t.cur, fa_metric_name(period_gaps[k]));
		fa_buf_puts(&t.cur, " gap");
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "whole data");
	fa_mdtab_size(&t, r->overall.n);
	fa_mdtab_put(&t, "");
	put_eligible(&t.cur, A, A->ngroups);
	fa_mdtab_end(&t);
	for (k = 0; k < nk; k++) {
		put_estimate(m, &t.cur, &A->gaps[period_gaps[k]].gap, 0, 1);
		fa_mdtab_end(&t);
	}
	for (i = 0; i < r->nperiods; i++) {
		const fa_period *p = &r->periods[i];
		const fa_attr_result *P = a < p->nattrs ? &p->attrs[a] : NULL;
		fa_mdtab_text(&t, p->label);
		fa_mdtab_size(&t, p->n);
		period_status(m, &t.cur, p);
		fa_mdtab_end(&t);
		if (P)
			put_eligible(&t.cur, P, A->ngroups);
		fa_mdtab_end(&t);
		for (k = 0; k < nk; k++) {
			/* an insufficient period has no gaps: blank, not zero */
			if (P)
				put_estimate(m, &t.cur, &P->gaps[period_gaps[k]].gap, 0, 1);
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
}

static void periods_section(md *m)
{
	const fa_result *r = m->r;
	const fa_settings *s = &r->settings;
	const char *every = s->period_every ? s->period_every : "period";
	fa_mdtab t;
	size_t i, a, nins = 0;
	int k, nk = (int)(sizeof(period_metrics) / sizeof(period_metrics[0]));

	if (!s->period_column)
		return;
	for (i = 0; i < r->nperiods; i++)
		nins += r->periods[i].insufficient;
	fa_buf_puts(m->b, "## Drift over time\n\n");
	fa_buf_puts(m->b, "By ");
	fa_md_text(m->b, every);
	fa_buf_puts(m->b, " of ");
	fa_md_text(m->b, s->period_column);
	fa_buf_puts(m->b, ", the calendar date as written");
	if (r->nperiods) {
		fa_buf_printf(m->b, ": %zu period%s from %s to %s, ", r->nperiods,
			      r->nperiods == 1 ? "" : "s", r->periods[0].label,
			      r->periods[r->nperiods - 1].label);
		if (nins)
			fa_buf_printf(m->b, "%zu insufficient", nins);
		else
			fa_buf_puts(m->b, "none insufficient");
	}
	fa_buf_printf(m->b, ".\n\n"
			    "Each period is audited on its own records with the settings above (its\n"
			    "bootstrap seed derives from the seed and its label); gates judge the whole\n"
			    "data only. A period with fewer than %zu records (min-period-n), or without a\n"
			    "positive or a negative record, is *insufficient*: listed with its counts, not\n"
			    "audited.\n\n",
		      s->min_period_n);
	fa_mdtab_init(&t, "llrrlrrr");
	fa_mdtab_put(&t, "Period");
	fa_mdtab_put(&t, "First day");
	fa_mdtab_put(&t, "n");
	fa_mdtab_put(&t, "n_pos");
	fa_mdtab_put(&t, "Status");
	for (k = 0; k < nk; k++) {
		put_metric_name(&t.cur, fa_metric_name(period_metrics[k]));
		fa_mdtab_end(&t);
	}
	fa_mdtab_put(&t, "whole data");
	fa_mdtab_put(&t, "");
	fa_mdtab_size(&t, r->overall.n);
	fa_mdtab_size(&t, r->overall.n_pos);
	fa_mdtab_put(&t, "");
	for (k = 0; k < nk; k++) {
		put_estimate(m, &t.cur, &r->overall.metrics[period_metrics[k]], 0, 1);
		fa_mdtab_end(&t);
	}
	for (i = 0; i < r->nperiods; i++) {
		const fa_period *p = &r->periods[i];
		fa_mdtab_text(&t, p->label);
		fa_mdtab_text(&t, p->first_day);
		fa_mdtab_size(&t, p->n);
		fa_mdtab_size(&t, p->n_pos);
		period_status(m, &t.cur, p);
		fa_mdtab_end(&t);
		for (k = 0; k < nk; k++) {
			if (!p->insufficient)
				put_estimate(m, &t.cur, &p->overall.metrics[period_metrics[k]], 0, 1);
			fa_mdtab_end(&t);
		}
	}
	fa_mdtab_render(&t, m->b);
	if (r->nattrs)
		fa_buf_puts(m->b, "*Groups*: the groups in a period's gaps (neither insufficient nor suppressed\n"
				  "there) of those of the whole data. A gap over fewer groups can be smaller\n"
				  "only because a group is missing from it.\n\n");
	for (a = 0; a < r->nattrs; a++)
		period_attr(m, a);
}

int fa_report_markdown(fa_buf *out, const fa_result *r)
{
	md m;
	size_t i, start = out->len;

	memset(&m, 0, sizeof(m));
	m.b = out;
	m.r = r;
	m.analytic = r->settings.bootstrap == 0;
	fa_buf_puts(out, "# Fairness audit\n\n");
	verdict(&m);
	for (i = 0; i < r->nwarnings; i++) {
		fa_buf_puts(m.b, "> **Warning:** ");
		fa_md_text(m.b, r->warnings[i]);
		fa_buf_puts(m.b, "\n\n");
	}
	gates(&m);
	provenance(&m);
	overall(&m);
	models_section(&m);
	for (i = 0; i < r->nattrs; i++)
		attribute(&m, &r->attrs[i]);
	for (i = 0; i < r->nviews; i++)
		view_section(&m, &r->views[i]);
	periods_section(&m);
	if (r->verdict == FA_GATE_FAIL)
		fa_buf_puts(out, CROSS " marks a value that failed a gate.\n\n");
	for (i = 0; i < m.nnotes; i++) {
		fa_buf_printf(out, "[^%zu]: ", i + 1);
		fa_md_text(out, m.notes[i]);
		fa_buf_putc(out, '\n');
	}
	free(m.notes);
	/* end with one newline, not a blank line */
	if (out->len >= start + 2 && out->ptr[out->len - 2] == '\n' && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
	return 0;
}
