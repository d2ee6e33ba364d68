/*
 * gates.c: release gates. A gate is "[ATTRIBUTE[=GROUP]:]QUANTITY OP NUMBER"
 * or "overall.METRIC OP NUMBER", optionally after an operating point
 * ("spec=0.9:"); evaluating it on a result gives one check per attribute or
 * group it concerns, each judged on the point estimate or on its confidence
 * interval (docs/gates.md). A gate may also judge the difference of two
 * models of an audit of several ("cand-base:race:tpr_gap<=0.02"), on its
 * paired interval. Policy files bundle gates and a mode in JSON.
 */
#include "fairaudit/gates.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum gate_scope {
	SC_ALL = 0, /* no prefix: every audited attribute */
	SC_ATTR,    /* "race:" */
	SC_GROUP,   /* "race=Black:" */
	SC_OVERALL  /* "overall." */
} gate_scope;

typedef enum gate_quantity {
	Q_METRIC = 0, /* a group's metric */
	Q_DIFF,       /* a group's difference to the reference */
	Q_GAP,        /* max - min over the eligible groups */
	Q_RATIO,      /* min / max */
	Q_MIN,
	Q_MAX,
	Q_SUMMARY,    /* index is an fa_summary */
	Q_LEAK        /* a group's score leakage; index 0 negatives, 1 positives */
} gate_quantity;

typedef enum gate_op { OP_LE = 0, OP_LT, OP_GE, OP_GT } gate_op;

struct fa_gate {
	char *expr;  /* as written */
	/* an operating point ("spec=0.9:"), or NULL for the main result */
	char *view;  /* as written, trimmed */
	char *view_kind;
	double view_target;
	gate_scope scope;
	char *attr;  /* SC_ATTR, SC_GROUP */
	char *group; /* SC_GROUP */
	gate_quantity q;
	int index;   /* fa_metric, or fa_summary for Q_SUMMARY */
	gate_op op;
	double limit;
	/* a difference of models ("cand-base:"): model_a minus model_b, or
	 * NULL. With pair_maybe the prefix was all there was before the
	 * quantity ("cand-base:tpr_gap"), so it may also be an attribute
	 * named so; the result decides (an attribute of that name wins). */
	char *model_a, *model_b;
	int pair_maybe;
};

static const char *const op_names[] = {"<=", "<", ">=", ">"};

/* Suffixes that turn a metric name into a quantity, indexed by gate_quantity. */
static const char *const suffixes[] = {"", "_diff", "_gap", "_ratio", "_min", "_max"};
#define NSUFFIX 6

static const char FORM[] = "write [ATTRIBUTE:]METRIC OP NUMBER with OP one of <=, <, >=, >, "
			   "e.g. race:tpr_gap<=0.1";

/* ---- names ------------------------------------------------------------- */

static const char *const mode_names[] = {"point", "ci-violation", "ci-compliance"};

const char *fa_gate_mode_name(fa_gate_mode m)
{
	return (unsigned)m < 3 ? mode_names[m] : "unknown";
}

int fa_gate_mode_find(const char *name)
{
	int m;
	for (m = 0; m < 3; m++)
		if (strcmp(mode_names[m], name) == 0)
			return m;
	return -1;
}

const char *fa_gate_outcome_name(fa_gate_outcome o)
{
	switch (o) {
	case FA_GATE_PASS: return "pass";
	case FA_GATE_FAIL: return "fail";
	case FA_GATE_INCONCLUSIVE: return "inconclusive";
	}
	return "unknown";
}

static const char *const leak_names[2] = {"leakage_negatives", "leakage_positives"};

/* The name of quantity (q, index) written into `out` (at least 64 bytes). */
static void quantity_name(char *out, size_t size, gate_quantity q, int index)
{
	if (q == Q_LEAK)
		snprintf(out, size, "%s", leak_names[index]);
	else if (q == Q_SUMMARY)
		snprintf(out, size, "%s", fa_summary_name((fa_summary)index));
	else
		snprintf(out, size, "%s%s", fa_metric_name((fa_metric)index), suffixes[q]);
}

/* Look `name` up among every quantity; 0 when found. */
static int quantity_find(const char *name, gate_quantity *q, int *index)
{
	size_t n = strlen(name);
	int s, m;

	if ((s = fa_summary_find(name)) >= 0) {
		*q = Q_SUMMARY;
		*index = s;
		return 0;
	}
	for (s = 0; s < 2; s++)
		if (strcmp(name, leak_names[s]) == 0) {
			*q = Q_LEAK;
			*index = s;
			return 0;
		}
	for (s = 0; s < NSUFFIX; s++) {
		size_t k = strlen(suffixes[s]);
		char base[64];
		if (n <= k || n - k >= sizeof(base) || strcmp(name + n - k, suffixes[s]) != 0)
			continue;
		memcpy(base, name, n - k);
		base[n - k] = '\0';
		if ((m = fa_metric_find(base)) >= 0) {
			*q = (gate_quantity)s;
			*index = m;
			return 0;
		}
	}
	return -1;
}

static int quantity_allowed(gate_scope sc, gate_quantity q)
{
	switch (sc) {
	case SC_OVERALL: return q == Q_METRIC;
	case SC_GROUP: return q == Q_METRIC || q == Q_DIFF || q == Q_LEAK;
	default: return 1;
	}
}

/* The quantity closest to `want` that scope `sc` allows, or NULL. */
static const char *closest_quantity(char *out, size_t size, const char *want, gate_scope sc)
{
	size_t best = (size_t)-1;
	char name[64];
	int s, m;

	out[0] = '\0';
	for (s = 0; s < FA_S__COUNT; s++) {
		size_t d;
		if (!quantity_allowed(sc, Q_SUMMARY))
			break;
		d = fa_edit_distance(want, fa_summary_name((fa_summary)s));
		if (d < best) {
			best = d;
			snprintf(out, size, "%s", fa_summary_name((fa_summary)s));
		}
	}
	for (s = 0; s < 2 && quantity_allowed(sc, Q_LEAK); s++) {
		size_t d = fa_edit_distance(want, leak_names[s]);
		if (d < best) {
			best = d;
			snprintf(out, size, "%s", leak_names[s]);
		}
	}
	for (s = 0; s < NSUFFIX; s++) {
		if (!quantity_allowed(sc, (gate_quantity)s))
			continue;
		for (m = 0; m < FA_M__COUNT; m++) {
			size_t d;
			quantity_name(name, sizeof(name), (gate_quantity)s, m);
			d = fa_edit_distance(want, name);
			if (d < best) {
				best = d;
				snprintf(out, size, "%s", name);
			}
		}
	}
	return out[0] && fa_suggest_close(best, want) ? out : NULL;
}

/* ---- messages ---------------------------------------------------------- */

/* Append `s` (n bytes) quoted for a one-line message: escaped, cut at 120
 * (between characters, so UTF-8 stays valid). */
static void put_quoted(fa_buf *b, const char *s, size_t n)
{
	size_t i;

	fa_buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= 120 && (c & 0xC0) != 0x80) {
			fa_buf_puts(b, "...");
			break;
		}
		if (c == '"' || c == '\\')
			fa_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fa_buf_printf(b, "\\x%02x", c);
		else
			fa_buf_putc(b, (char)c);
	}
	fa_buf_putc(b, '"');
}

/* A copy of `s` with control characters written \xNN, for a name put in a
 * message unquoted: the message stays on one line. */
static char *escaped(const char *s)
{
	fa_buf b = FA_BUF_INIT;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fa_buf_printf(&b, "\\x%02x", c);
		else
			fa_buf_putc(&b, (char)c);
	}
	return b.ptr ? fa_buf_detach(&b) : fa_xstrdup("");
}

/* 1-based column of byte offset `off` in `s`, counting UTF-8 characters. */
static unsigned long column_of(const char *s, size_t off)
{
	unsigned long col = 1;
	size_t i;
	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* FA_EUSAGE: gate "EXPR": column C: <what>; <advice>. */
static int parse_error(fa_error *err, const char *expr, size_t off, const char *advice,
		       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int parse_error(fa_error *err, const char *expr, size_t off, const char *advice,
		       const char *fmt, ...)
{
	fa_buf b = FA_BUF_INIT;
	va_list ap;

	fa_buf_puts(&b, "gate ");
	put_quoted(&b, expr, strlen(expr));
	fa_buf_printf(&b, ": column %lu: ", column_of(expr, off));
	va_start(ap, fmt);
	fa_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (advice)
		fa_buf_printf(&b, "; %s", advice);
	fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
	fa_buf_free(&b);
	return FA_EUSAGE;
}

/* What follows `off` in a message: "got "rest"" or "got nothing". */
static void put_got(fa_buf *b, const char *s, size_t off, size_t end)
{
	if (off >= end) {
		fa_buf_puts(b, "got nothing");
		return;
	}
	fa_buf_puts(b, "got ");
	put_quoted(b, s + off, end - off);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Trim [*lo, *hi) of surrounding white space. */
static void trim(const char *s, size_t *lo, size_t *hi)
{
	while (*lo < *hi && is_space(s[*lo]))
		++*lo;
	while (*hi > *lo && is_space(s[*hi - 1]))
		--*hi;
}

/* ---- parsing ------------------------------------------------------------ */

static const char QUANTITIES[] =
	"valid: METRIC, METRIC_diff, METRIC_gap, METRIC_ratio, METRIC_min, METRIC_max, "
	"equalized_odds_diff, demographic_parity_diff, disparate_impact, worst_group_auc, "
	"leakage_negatives, leakage_positives; METRIC is one of ";

/* The list of metric names, for messages. */
static void put_metric_list(fa_buf *b)
{
	int m;
	for (m = 0; m < FA_M__COUNT; m++)
		fa_buf_printf(b, "%s%s", m ? ", " : "", fa_metric_name((fa_metric)m));
}

static int unknown_quantity(fa_error *err, const fa_gate *g, size_t off, const char *name)
{
	fa_buf b = FA_BUF_INIT;
	char best[64];
	const char *dot = strchr(name, '.');
	gate_quantity q;
	int idx, rc;

	fa_buf_puts(&b, "unknown quantity ");
	put_quoted(&b, name, strlen(name));
	if (dot && g->scope == SC_ALL && quantity_find(dot + 1, &q, &idx) == 0) {
		/* "race.auc": the dot form is for the whole population only */
		char *attr = fa_xstrndup(name, (size_t)(dot - name)), *shown = escaped(attr);
		fa_buf_printf(&b, "; only the whole population is written with a dot (overall.%s); "
				  "for an attribute write %s:%s",
			      dot + 1, shown, dot + 1);
		rc = parse_error(err, g->expr, off, NULL, "%s", b.ptr);
		fa_buf_free(&b);
		free(attr);
		free(shown);
		return rc;
	}
	if (closest_quantity(best, sizeof(best), name, g->scope))
		fa_buf_printf(&b, " (did you mean \"%s\"?)", best);
	switch (g->scope) {
	case SC_OVERALL:
		fa_buf_puts(&b, "; valid for overall: a metric, one of ");
		break;
	case SC_GROUP:
		fa_buf_puts(&b, "; valid for one group: METRIC, METRIC_diff, leakage_negatives or "
				"leakage_positives; METRIC is one of ");
		break;
	default:
		fa_buf_printf(&b, "; %s", QUANTITIES);
		break;
	}
	put_metric_list(&b);
	rc = parse_error(err, g->expr, off, NULL, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

/* A quantity that exists but not in this scope. */
static int misplaced_quantity(fa_error *err, const fa_gate *g, size_t off, const char *name)
{
	/* the per-group metric behind a summary */
	static const fa_metric behind[FA_S__COUNT] = {FA_M_TPR, FA_M_SELECTION_RATE,
						      FA_M_SELECTION_RATE, FA_M_AUC};
	const char *metric = fa_metric_name(g->q == Q_SUMMARY ? behind[g->index]
					    : g->q == Q_LEAK  ? FA_M_AUC
							      : (fa_metric)g->index);
	char *attr, *group;
	int rc;

	if (g->scope == SC_OVERALL && g->q == Q_LEAK)
		return parse_error(err, g->expr, off, NULL,
				   "%s measures how well the score tells one group from the rest, "
				   "and the whole population is one group; write ATTRIBUTE:%s or "
				   "ATTRIBUTE=GROUP:%s",
				   name, name, name);
	if (g->scope == SC_OVERALL)
		return parse_error(err, g->expr, off, NULL,
				   "%s compares groups, and the whole population is one group; "
				   "write overall.METRIC (e.g. overall.%s), or ATTRIBUTE:%s",
				   name, metric, name);
	attr = escaped(g->attr);
	group = escaped(g->group);
	rc = parse_error(err, g->expr, off, NULL,
			 "%s is a quantity of a whole attribute; write %s:%s, or for one "
			 "group its metric (%s=%s:%s) or the metric's difference to the "
			 "reference (%s=%s:%s_diff)",
			 name, attr, name, attr, group, metric, attr, group, metric);
	free(attr);
	free(group);
	return rc;
}

/* Parse the number in [lo, hi) of `s`. */
static int parse_limit(fa_gate *g, size_t lo, size_t hi, const char *op, fa_error *err)
{
	const char *s = g->expr;
	char *copy, *end;
	double x = 0;
	int rc = 0;

	trim(s, &lo, &hi);
	copy = fa_xstrndup(s + lo, hi - lo);
	end = copy;
	if (hi > lo)
		x = strtod(copy, &end);
	if (hi == lo || end == copy || *end || !isfinite(x)) {
		fa_buf b = FA_BUF_INIT;
		fa_buf_printf(&b, "expected a %snumber after \"%s\", ",
			      hi > lo && end == copy + (hi - lo) ? "finite " : "", op);
		put_got(&b, s, lo, hi);
		rc = parse_error(err, s, lo, FORM, "%s", b.ptr);
		fa_buf_free(&b);
	}
	free(copy);
	g->limit = x;
	return rc;
}

/* Whether [lo, hi) of `s` names an operating point: "spec=X", "sens=X" or
 * "threshold=X" with X a finite number, spaces allowed around each part.
 * Sets the gate's view when it does. */
static int parse_view(fa_gate *g, const char *s, size_t lo, size_t hi)
{
	static const char *const kinds[] = {"spec", "sens", "threshold"};
	size_t eq, klo = lo, khi, nlo, nhi = hi, k;
	char *num, *end;
	double x;

	trim(s, &klo, &nhi);
	for (eq = klo; eq < nhi && s[eq] != '='; eq++)
		;
	if (eq == nhi)
		return 0;
	khi = eq;
	nlo = eq + 1;
	trim(s, &klo, &khi);
	trim(s, &nlo, &nhi);
	for (k = 0; k < 3; k++)
		if (khi - klo == strlen(kinds[k]) && strncmp(s + klo, kinds[k], khi - klo) == 0)
			break;
	if (k == 3 || nlo == nhi)
		return 0;
	num = fa_xstrndup(s + nlo, nhi - nlo);
	x = strtod(num, &end);
	if (end == num || *end || !isfinite(x)) {
		free(num);
		return 0;
	}
	free(num);
	g->view = fa_xstrndup(s + klo, nhi - klo);
	g->view_kind = fa_xstrdup(kinds[k]);
	g->view_target = x;
	return 1;
}

static int is_model_char(char c)
{
	return is_ident(c) || c == '.';
}

/* Whether [lo, hi) of `s` is "NAME-NAME" (spaces allowed around each
 * part), NAME being a model name: letters, digits, '_' and '.'. Sets the
 * gate's models when it is. */
static int parse_pair(fa_gate *g, const char *s, size_t lo, size_t hi)
{
	size_t dash = (size_t)-1, i, alo, ahi, blo, bhi;

	trim(s, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (s[i] == '-') {
			if (dash != (size_t)-1)
				return 0;
			dash = i;
		}
	if (dash == (size_t)-1)
		return 0;
	alo = lo;
	ahi = dash;
	blo = dash + 1;
	bhi = hi;
	trim(s, &alo, &ahi);
	trim(s, &blo, &bhi);
	if (alo == ahi || blo == bhi)
		return 0;
	for (i = alo; i < ahi; i++)
		if (!is_model_char(s[i]))
			return 0;
	for (i = blo; i < bhi; i++)
		if (!is_model_char(s[i]))
			return 0;
	g->model_a = fa_xstrndup(s + alo, ahi - alo);
	g->model_b = fa_xstrndup(s + blo, bhi - blo);
	return 1;
}

/* Parse the left-hand side [0, hi) of the expression. */
static int parse_lhs(fa_gate *g, size_t hi, const char *op, fa_error *err)
{
	const char *s = g->expr;
	size_t colon = (size_t)-1, first = (size_t)-1, i, start = 0, mlo, mhi = hi;
	char *name;
	int rc = 0;

	/* an operating point comes first: "spec=0.9:race:tpr_gap" */
	for (i = 0; i < hi && first == (size_t)-1; i++)
		if (s[i] == ':')
			first = i;
	if (first != (size_t)-1 && parse_view(g, s, 0, first))
		start = first + 1;
	/* then a difference of models: "cand-base:race:tpr_gap" */
	for (i = start, first = (size_t)-1; i < hi && first == (size_t)-1; i++)
		if (s[i] == ':')
			first = i;
	if (first != (size_t)-1 && parse_pair(g, s, start, first)) {
		size_t rlo = first + 1, rhi = hi;
		int more = 0;
		for (i = first + 1; i < hi; i++)
			more |= s[i] == ':';
		trim(s, &rlo, &rhi);
		if (more || (rhi - rlo > 8 && strncmp(s + rlo, "overall.", 8) == 0))
			start = first + 1;
		else
			g->pair_maybe = 1;
	}
	mlo = start;
	for (i = start; i < hi; i++)
		if (s[i] == ':')
			colon = i;
	if (colon != (size_t)-1) {
		size_t alo = start, ahi = colon, eq = (size_t)-1;
		for (i = alo; i < ahi; i++)
			if (s[i] == '=') {
				eq = i;
				break;
			}
		if (eq != (size_t)-1) {
			size_t glo = eq + 1, ghi = ahi;
			ahi = eq;
			trim(s, &glo, &ghi);
			if (glo == ghi)
				return parse_error(err, s, eq + 1, NULL,
						   "expected a group after \"=\"; write "
						   "ATTRIBUTE=GROUP:METRIC OP NUMBER, e.g. race=Black:auc>=0.8");
			g->group = fa_xstrndup(s + glo, ghi - glo);
		}
		trim(s, &alo, &ahi);
		if (alo == ahi)
			return parse_error(err, s, alo, FORM, "expected an attribute before \"%s\"",
					   eq != (size_t)-1 ? "=" : ":");
		g->attr = fa_xstrndup(s + alo, ahi - alo);
		g->scope = g->group ? SC_GROUP : SC_ATTR;
		mlo = colon + 1;
	}
	trim(s, &mlo, &mhi);
	if (g->scope == SC_ALL && mhi - mlo > 8 && strncmp(s + mlo, "overall.", 8) == 0) {
		g->scope = SC_OVERALL;
		mlo += 8;
		trim(s, &mlo, &mhi);
	}
	if (mlo == mhi)
		return parse_error(err, s, mlo, FORM, "expected a metric before \"%s\"", op);
	name = fa_xstrndup(s + mlo, mhi - mlo);
	if (quantity_find(name, &g->q, &g->index) < 0)
		rc = unknown_quantity(err, g, mlo, name);
	else if (!quantity_allowed(g->scope, g->q))
		rc = misplaced_quantity(err, g, mlo, name);
	else if (g->model_a && !g->pair_maybe && g->view)
		rc = parse_error(err, s, 0, NULL,
				 "a difference of models is taken at the main threshold: operating "
				 "points are computed for the first model only; write it without "
				 "\"%s:\"",
				 g->view);
	else if (g->model_a && !g->pair_maybe && (g->q == Q_DIFF || g->q == Q_LEAK))
		rc = parse_error(err, s, mlo, NULL,
				 "%s is not compared between models; valid for a difference of "
				 "models: METRIC, METRIC_gap, METRIC_ratio, METRIC_min, METRIC_max, "
				 "equalized_odds_diff, demographic_parity_diff, disparate_impact, "
				 "worst_group_auc",
				 name);
	else if (g->view && g->q == Q_LEAK) {
		/* the view keeps no leakage of its own: it is the main result's */
		char *view = escaped(g->view);
		rc = parse_error(err, s, mlo, NULL,
				 "%s does not depend on the threshold, so an operating point has "
				 "none; write it without \"%s:\"",
				 name, view);
		free(view);
	}
	free(name);
	return rc;
}

int fa_gate_parse(fa_gate **out, const char *expr, fa_error *err)
{
	fa_gate *g = fa_xcalloc(1, sizeof(*g));
	size_t n = strlen(expr), i, op_at = (size_t)-1, op_len;
	int rc;

	*out = NULL;
	g->expr = fa_xstrdup(expr);
	/* The operator is the last '<' or '>': the number after it has none,
	 * while group values ("<65") may. */
	for (i = 0; i < n; i++)
		if (expr[i] == '<' || expr[i] == '>')
			op_at = i;
	if (op_at == (size_t)-1) {
		size_t lo = 0, hi = n, at;
		fa_buf b = FA_BUF_INIT;
		trim(expr, &lo, &hi);
		if (lo == hi) {
			rc = parse_error(err, expr, 0, FORM, "empty expression");
			goto fail;
		}
		/* point after the metric name, where the operator belongs */
		at = lo;
		for (i = lo; i < hi; i++)
			if (expr[i] == ':')
				at = i + 1;
		while (at < hi && is_space(expr[at]))
			at++;
		while (at < hi && (is_ident(expr[at]) || expr[at] == '.'))
			at++;
		while (at < hi && is_space(expr[at]))
			at++;
		fa_buf_puts(&b, "expected <=, <, >= or >, ");
		put_got(&b, expr, at, hi);
		rc = parse_error(err, expr, at, FORM, "%s", b.ptr);
		fa_buf_free(&b);
		goto fail;
	}
	if (op_at > 0 && expr[op_at - 1] == '=') {
		rc = parse_error(err, expr, op_at - 1, FORM,
				 "\"=%c\" is not an operator (did you mean \"%c=\"?)", expr[op_at],
				 expr[op_at]);
		goto fail;
	}
	op_len = op_at + 1 < n && expr[op_at + 1] == '=' ? 2 : 1;
	g->op = expr[op_at] == '<' ? (op_len == 2 ? OP_LE : OP_LT) : (op_len == 2 ? OP_GE : OP_GT);
	if ((rc = parse_lhs(g, op_at, op_names[g->op], err)) < 0 ||
	    (rc = parse_limit(g, op_at + op_len, n, op_names[g->op], err)) < 0)
		goto fail;
	*out = g;
	return 0;
fail:
	fa_gate_free(g);
	return rc;
}

void fa_gate_free(fa_gate *g)
{
	if (!g)
		return;
	free(g->expr);
	free(g->view);
	free(g->view_kind);
	free(g->attr);
	free(g->group);
	free(g->model_a);
	free(g->model_b);
	free(g);
}

/* ---- policy files -------------------------------------------------------- */

/* Offset of the nth (from 0) top-level key `key` of the object `text`, or,
 * when elem >= 0, of element `elem` of the list it holds (the key's when
 * there is no such element); 0 when not found. */
static size_t js_locate(const char *text, size_t n, const char *key, int nth, long elem)
{
	size_t count, i, kl = strlen(key), at = 0;
	fa_json_member *m = fa_json_members(text, n, &count);

	for (i = 0; i < count; i++) {
		size_t ks = m[i].key + 1;
		if (ks + kl < n && memcmp(text + ks, key, kl) == 0 && text[ks + kl] == '"' &&
		    nth-- == 0) {
			at = m[i].key;
			if (elem >= 0 && (size_t)elem < m[i].nelems)
				at = m[i].elems[elem];
			break;
		}
	}
	fa_json_members_free(m, count);
	return at;
}

static int policy_error(fa_error *err, const char *path, const char *text, size_t off,
			const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int policy_error(fa_error *err, const char *path, const char *text, size_t off,
			const char *fmt, ...)
{
	char msg[sizeof(err->message)];
	unsigned long line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* offset 0 means unknown: a key or element never starts there */
	if (text && off)
		fa_text_position(text, off, &line, &col);
	return fa_error_set(err, FA_EUSAGE, path, line, col, "%s", msg);
}

int fa_policy_read(fa_gate ***gates, size_t *ngates, fa_gate_mode *mode, int *mode_set,
		   const char *path, fa_error *err)
{
	char *text = NULL;
	size_t len = 0, i, nnew = 0;
	const char *end = NULL;
	cJSON *root = NULL, *it, *list = NULL, *on = NULL;
	fa_gate **fresh = NULL;
	int rc = 0, seen_gates = 0, seen_on = 0;

	if ((rc = fa_read_file(path, "policy file", 0, &text, &len, err)) < 0)
		return rc;
	if (strlen(text) != len) {
		rc = policy_error(err, path, text, strlen(text), "NUL byte in policy file");
		goto done;
	}
	/* the length includes the NUL, so trailing text is an error */
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!root) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0;
		unsigned long line, col;
		fa_text_position(text, off, &line, &col);
		rc = fa_error_set(err, FA_EUSAGE, path, line, col, "invalid JSON: unexpected %s",
				  off < len ? "character" : "end of file");
		goto done;
	}
	if (!cJSON_IsObject(root)) {
		rc = policy_error(err, path, text, 0,
				  "expected a JSON object such as {\"gates\": [\"race:tpr_gap<=0.1\"], "
				  "\"gate_on\": \"point\"}, got %s",
				  fa_json_kind(root));
		goto done;
	}
	cJSON_ArrayForEach(it, root)
	{
		const char *k = it->string ? it->string : "";
		int *seen = strcmp(k, "gates") == 0 ? &seen_gates
			    : strcmp(k, "gate_on") == 0 ? &seen_on : NULL;
		if (!seen) {
			fa_buf b = FA_BUF_INIT;
			size_t dg = fa_edit_distance(k, "gates"), dm = fa_edit_distance(k, "gate_on");
			fa_buf_puts(&b, "unknown key ");
			put_quoted(&b, k, strlen(k));
			if (fa_suggest_close(dg < dm ? dg : dm, k))
				fa_buf_printf(&b, " (did you mean \"%s\"?)", dg <= dm ? "gates" : "gate_on");
			fa_buf_puts(&b, "; a policy has \"gates\" (a list of gate expressions) "
					"and \"gate_on\" (\"point\", \"ci-violation\" or \"ci-compliance\")");
			rc = policy_error(err, path, text, js_locate(text, len, k, 0, -1), "%s",
					  b.ptr);
			fa_buf_free(&b);
			goto done;
		}
		if (*seen) {
			rc = policy_error(err, path, text, js_locate(text, len, k, 1, -1),
					  "key \"%s\" appears twice", k);
			goto done;
		}
		*seen = 1;
		if (strcmp(k, "gates") == 0)
			list = it;
		else
			on = it;
	}
	if (list) {
		cJSON *e;
		long idx = 0;
		if (!cJSON_IsArray(list)) {
			rc = policy_error(err, path, text, js_locate(text, len, "gates", 0, -1),
					  "\"gates\" must be a list of gate expressions such as "
					  "[\"race:tpr_gap<=0.1\"], got %s",
					  fa_json_kind(list));
			goto done;
		}
		fresh = fa_xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*fresh));
		cJSON_ArrayForEach(e, list)
		{
			size_t off = js_locate(text, len, "gates", 0, idx);
			if (!cJSON_IsString(e)) {
				rc = policy_error(err, path, text, off,
						  "gates[%ld]: expected a gate expression in a string "
						  "such as \"race:tpr_gap<=0.1\", got %s",
						  idx, fa_json_kind(e));
				goto done;
			}
			if ((rc = fa_gate_parse(&fresh[nnew], e->valuestring, err)) < 0) {
				char inner[sizeof(err->message)];
				snprintf(inner, sizeof(inner), "%s", err ? err->message : "");
				rc = policy_error(err, path, text, off, "gates[%ld]: %s", idx, inner);
				goto done;
			}
			nnew++;
			idx++;
		}
	}
	if (on) {
		int m = cJSON_IsString(on) ? fa_gate_mode_find(on->valuestring) : -1;
		if (m < 0) {
			fa_buf b = FA_BUF_INIT;
			fa_buf_puts(&b, "\"gate_on\": expected \"point\", \"ci-violation\" or "
					"\"ci-compliance\", got ");
			if (cJSON_IsString(on))
				put_quoted(&b, on->valuestring, strlen(on->valuestring));
			else
				fa_buf_puts(&b, fa_json_kind(on));
			rc = policy_error(err, path, text, js_locate(text, len, "gate_on", 0, -1),
					  "%s", b.ptr);
			fa_buf_free(&b);
			goto done;
		}
		/* a mode set earlier (command line, or an earlier policy) wins */
		if (!*mode_set) {
			*mode = (fa_gate_mode)m;
			*mode_set = 1;
		}
	}
	*gates = fa_xrealloc(*gates, (*ngates + nnew + 1) * sizeof(**gates));
	for (i = 0; i < nnew; i++)
		(*gates)[(*ngates)++] = fresh[i];
	nnew = 0;
done:
	for (i = 0; i < nnew; i++)
		fa_gate_free(fresh[i]);
	free(fresh);
	cJSON_Delete(root);
	free(text);
	return rc;
}

/* ---- evaluation ------------------------------------------------------------ */

static const char R_NOTHING[] = "no group to check";

typedef struct checks {
	fa_gate_check *v;
	size_t n, cap;
	/* what each check depends on, for the power rule: an attribute (its
	 * index in the main result, -1 none) and one group of it (-1: all) */
	long *dattr, *dgroup;
	size_t dcap;
	long cur_attr, cur_group;
} checks;

/* Append a check; `note` (owned, or NULL) makes it inconclusive outright. */
static fa_gate_check *push_check(checks *c, char *where, const fa_estimate *e, char *note)
{
	fa_gate_check *k;
	void *p = c->v;
	fa_grow(&p, &c->cap, c->n + 1, sizeof(*c->v));
	c->v = p;
	p = c->dattr;
	fa_grow(&p, &c->dcap, c->n + 1, sizeof(long));
	c->dattr = p;
	c->dgroup = fa_xrealloc(c->dgroup, c->dcap * sizeof(long));
	c->dattr[c->n] = c->cur_attr;
	c->dgroup[c->n] = c->cur_group;
	k = &c->v[c->n++];
	memset(k, 0, sizeof(*k));
	k->where = where;
	k->value = *e;
	k->note = note;
	k->outcome = note ? FA_GATE_INCONCLUSIVE : FA_GATE_PASS;
	return k;
}

static void push_nothing(checks *c, char *where, char *note)
{
	fa_estimate e;
	memset(&e, 0, sizeof(e));
	e.value = NAN;
	e.reason = R_NOTHING;
	push_check(c, where, &e, note);
}

static int complies(gate_op op, double x, double limit)
{
	switch (op) {
	case OP_LE: return x <= limit;
	case OP_LT: return x < limit;
	case OP_GE: return x >= limit;
	case OP_GT: return x > limit;
	}
	return 0;
}

/* Judge a check that has no note yet. In the interval modes the same
 * comparison as for the point estimate is applied to one end of the
 * interval: ci-violation to the end most favourable to the gate (it fails
 * only when even that end violates), ci-compliance to the least favourable
 * (it passes only when even that end complies). */
static void judge(fa_gate_check *k, const fa_gate *g, fa_gate_mode mode, const fa_result *r)
{
	const fa_estimate *e = &k->value;
	int upper_bad = g->op == OP_LE || g->op == OP_LT;
	double x, lo, hi;

	if (k->note)
		return;
	if (isnan(e->value)) {
		k->outcome = FA_GATE_INCONCLUSIVE;
		k->note = fa_xasprintf("undefined: %s", e->reason ? e->reason : "no value");
		return;
	}
	if (mode == FA_GATE_ON_POINT) {
		k->outcome = complies(g->op, e->value, g->limit) ? FA_GATE_PASS : FA_GATE_FAIL;
		return;
	}
	if (!e->has_ci && !e->has_aci) {
		k->outcome = FA_GATE_INCONCLUSIVE;
		if (r->settings.bootstrap == 0)
			k->note = fa_xasprintf("no interval (bootstrap was off); %s needs one",
					  fa_gate_mode_name(mode));
		else
			k->note = fa_xasprintf("no interval (undefined in every bootstrap replicate); "
					  "%s needs one",
					  fa_gate_mode_name(mode));
		return;
	}
	/* the bootstrap interval when there is one, else the analytic one */
	lo = e->has_ci ? e->ci_low : e->aci_low;
	hi = e->has_ci ? e->ci_high : e->aci_high;
	if (mode == FA_GATE_ON_CI_VIOLATION)
		x = upper_bad ? lo : hi;
	else
		x = upper_bad ? hi : lo;
	k->outcome = complies(g->op, x, g->limit) ? FA_GATE_PASS : FA_GATE_FAIL;
}

static long find_group(const fa_attr_result *a, const char *value)
{
	size_t i;
	for (i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, value) == 0)
			return (long)i;
	return -1;
}

/* Why a group that is not eligible cannot be judged. */
/* The index of attribute `a` (of the main result or of an operating
 * point, whose attributes are parallel to the main ones), or -1. */
static long attr_pos(const fa_result *r, const fa_attr_result *a)
{
	size_t v;
	if (r->nattrs && a >= r->attrs && a < r->attrs + r->nattrs)
		return (long)(a - r->attrs);
	for (v = 0; v < r->nviews; v++)
		if (r->views[v].nattrs && a >= r->views[v].attrs &&
		    a < r->views[v].attrs + r->views[v].nattrs)
			return (long)(a - r->views[v].attrs);
	return -1;
}

static char *ineligible_note(const fa_result *r, const fa_attr_result *a,
			     const fa_group_result *gr)
{
	if (gr->status == FA_GROUP_SUPPRESSED)
		return fa_xasprintf("%s=%s is suppressed: fewer than %zu records (suppress-below)",
			       a->name, gr->value, r->settings.suppress_below);
	return fa_xasprintf("%s=%s is insufficient: %zu records, fewer than %zu (min-n)", a->name,
		       gr->value, gr->n, r->settings.min_n);
}

static void group_check(checks *c, const fa_result *r, const fa_attr_result *a, size_t gi,
			const fa_gate *g, const char *qname)
{
	const fa_group_result *gr = &a->groups[gi];
	long saved = c->cur_group;
	const fa_estimate *e = g->q == Q_DIFF   ? &gr->diff[g->index]
			       : g->q == Q_LEAK ? &gr->leakage[g->index]
						: &gr->metrics[g->index];
	c->cur_group = (long)gi;
	push_check(c, fa_xasprintf("%s=%s:%s", a->name, gr->value, qname), e,
		   gr->status == FA_GROUP_OK ? NULL : ineligible_note(r, a, gr));
	c->cur_group = saved;
}

/* The checks of gate `g` on attribute `a` (scopes ALL and ATTR). */
static void attr_checks(checks *c, const fa_result *r, const fa_attr_result *a,
			const fa_gate *g, const char *qname)
{
	const fa_gap *gap = &a->gaps[g->index];
	size_t gi, before = c->n;

	c->cur_attr = attr_pos(r, a);
	c->cur_group = -1;
	switch (g->q) {
	case Q_SUMMARY:
		push_check(c, fa_xasprintf("%s:%s", a->name, qname), &a->summary[g->index], NULL);
		return;
	case Q_GAP:
		/* the simultaneous interval: the percentile interval of max - min
		 * excludes 0 when groups are truly equal (docs/statistics.md) */
		push_check(c, fa_xasprintf("%s:%s", a->name, qname),
			   gap->gap_simultaneous.has_ci ? &gap->gap_simultaneous : &gap->gap, NULL);
		return;
	case Q_RATIO:
		push_check(c, fa_xasprintf("%s:%s", a->name, qname), &gap->ratio, NULL);
		return;
	case Q_MIN:
		push_check(c, fa_xasprintf("%s:%s", a->name, qname), &gap->min, NULL);
		return;
	case Q_MAX:
		push_check(c, fa_xasprintf("%s:%s", a->name, qname), &gap->max, NULL);
		return;
	case Q_METRIC:
	case Q_DIFF:
	case Q_LEAK:
		break;
	}
	for (gi = 0; gi < a->ngroups; gi++)
		if (a->groups[gi].status == FA_GROUP_OK &&
		    !(g->q == Q_DIFF && (long)gi == a->reference))
			group_check(c, r, a, gi, g, qname);
	if (c->n > before)
		return;
	/* nothing to check in this attribute: say so rather than pass */
	if (g->q == Q_DIFF && a->reference >= 0)
		push_nothing(c, fa_xasprintf("%s:%s", a->name, qname),
			     fa_xasprintf("no eligible group in %s besides the reference %s", a->name,
				     a->groups[a->reference].value));
	else
		push_nothing(c, fa_xasprintf("%s:%s", a->name, qname),
			     fa_xasprintf("no eligible group in %s (each is insufficient or suppressed)",
				     a->name));
}

/* The power rule (docs/clinical.md): a check that would pass but depends
 * on an underpowered group is inconclusive. */
static void power_rule(fa_gate_check *k, const fa_result *r, long ai, long gi)
{
	const fa_attr_result *a;
	size_t g;

	if (k->outcome != FA_GATE_PASS || !r->settings.power_annotated || ai < 0 ||
	    (size_t)ai >= r->nattrs)
		return;
	a = &r->attrs[ai];
	for (g = 0; g < a->ngroups; g++) {
		const fa_group_result *gr = &a->groups[g];
		if ((gi >= 0 && (long)g != gi) || !gr->underpowered)
			continue;
		k->outcome = FA_GATE_INCONCLUSIVE;
		if (isnan(gr->mdd[FA_M_TPR].value))
			k->note = fa_xasprintf("%s=%s is underpowered: no tpr difference can be detected "
					  "(%s)", a->name, gr->value,
					  gr->mdd[FA_M_TPR].reason ? gr->mdd[FA_M_TPR].reason : "undefined");
		else
			k->note = fa_xasprintf("%s=%s is underpowered: the smallest tpr difference it can "
					  "detect is %.3g (detectable: %g)",
					  a->name, gr->value, gr->mdd[FA_M_TPR].value,
					  r->settings.power_detectable);
		return;
	}
}

static void gate_result_clear(fa_gate_result *gr)
{
	size_t j;
	free(gr->expr);
	free(gr->op);
	for (j = 0; j < gr->nchecks; j++) {
		free(gr->checks[j].where);
		free(gr->checks[j].note);
	}
	free(gr->checks);
}

/* The operating point of `r` that gate `g` names: the one of the same name,
 * else the one of the same kind whose target is the same number (spec=0.90
 * is spec=0.9). NULL for a gate on the main result, or when there is none. */
static const fa_view *gate_view(const fa_result *r, const fa_gate *g)
{
	size_t i;

	if (!g->view)
		return NULL;
	for (i = 0; i < r->nviews; i++)
		if (r->views[i].name && strcmp(r->views[i].name, g->view) == 0)
			return &r->views[i];
	for (i = 0; i < r->nviews; i++)
		if (r->views[i].kind && strcmp(r->views[i].kind, g->view_kind) == 0 &&
		    r->views[i].target == g->view_target)
			return &r->views[i];
	return NULL;
}

/* The attribute called `name` of view `v`, or of the main result when `v`
 * is NULL. */
static const fa_attr_result *scope_attr(const fa_result *r, const fa_view *v, const char *name)
{
	size_t i;

	if (!v)
		return fa_result_attr(r, name);
	for (i = 0; i < v->nattrs; i++)
		if (strcmp(v->attrs[i].name, name) == 0)
			return &v->attrs[i];
	return NULL;
}

/* ---- differences of models -------------------------------------------------- */

/* Whether gate `g` judges a difference of models of `r`: it has a
 * "cand-base:" prefix, unless the prefix may name an attribute and `r` has
 * an attribute of that name. */
static int gate_is_pair(const fa_result *r, const fa_gate *g)
{
	if (!g->model_a)
		return 0;
	if (!g->pair_maybe)
		return 1;
	return !fa_result_attr(r, g->attr) && r->nmodels > 0;
}

/* Whether the models a pair gate names exist in `r`: FA_EUSAGE listing the
 * models when one does not. */
static int pair_validate(const fa_result *r, const fa_gate *g, fa_error *err)
{
	const char *names[2];
	fa_buf b = FA_BUF_INIT;
	size_t i, k, bd;
	const char *best;
	int rc;

	names[0] = g->model_a;
	names[1] = g->model_b;
	for (k = 0; k < 2; k++) {
		if (fa_result_model(r, names[k]) >= 0)
			continue;
		fa_buf_puts(&b, "gate ");
		put_quoted(&b, g->expr, strlen(g->expr));
		fa_buf_puts(&b, ": no model ");
		put_quoted(&b, names[k], strlen(names[k]));
		if (r->nmodels == 0) {
			fa_buf_puts(&b, " in this result, which audits one score column (audit "
			                "several models with --model NAME=COLUMN)");
		} else {
			fa_buf_puts(&b, "; the models are ");
			best = NULL;
			bd = (size_t)-1;
			for (i = 0; i < r->nmodels; i++) {
				size_t d = fa_edit_distance(names[k], r->models[i].name);
				if (d < bd) {
					bd = d;
					best = r->models[i].name;
				}
				if (i)
					fa_buf_puts(&b, ", ");
				put_quoted(&b, r->models[i].name, strlen(r->models[i].name));
			}
			if (best && fa_suggest_close(bd, names[k]))
				fa_buf_printf(&b, " (did you mean \"%s\"?)", best);
		}
		rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
		fa_buf_free(&b);
		return rc;
	}
	fa_buf_puts(&b, "gate ");
	put_quoted(&b, g->expr, strlen(g->expr));
	if (strcmp(names[0], names[1]) == 0)
		fa_buf_puts(&b, ": a model minus itself is always 0; name two different models");
	else if (g->view)
		fa_buf_printf(&b,
		              ": a difference of models is taken at the main threshold: operating "
		              "points are computed for the first model only; write it without "
		              "\"%s:\"",
		              g->view);
	else if (g->q == Q_DIFF || g->q == Q_LEAK)
		fa_buf_puts(&b,
		            ": this quantity is not compared between models; valid for a "
		            "difference of models: METRIC, METRIC_gap, METRIC_ratio, METRIC_min, "
		            "METRIC_max, equalized_odds_diff, demographic_parity_diff, "
		            "disparate_impact, worst_group_auc");
	else {
		fa_buf_free(&b);
		return 0;
	}
	rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

/* `e` times `sign` (1 or -1): the difference the other way round, its
 * intervals mirrored. 0 - x keeps a zero unsigned. */
static fa_estimate signed_estimate(const fa_estimate *e, int sign)
{
	fa_estimate x = *e;
	double lo, hi;

	if (sign > 0)
		return x;
	x.value = 0.0 - e->value;
	lo = e->ci_low;
	hi = e->ci_high;
	x.ci_low = 0.0 - hi;
	x.ci_high = 0.0 - lo;
	lo = e->aci_low;
	hi = e->aci_high;
	x.aci_low = 0.0 - hi;
	x.aci_high = 0.0 - lo;
	return x;
}

static long attr_index(const fa_result *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nattrs; i++)
		if (strcmp(r->attrs[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* The checks of a pair gate on attribute `ai` (scopes ALL and ATTR). */
static void pair_attr_checks(checks *c, const fa_result *r, const fa_gate *g,
                             const fa_model_diff *d, int sign, size_t ai, const char *pre,
                             const char *qname)
{
	const fa_attr_result *a = &r->attrs[ai];
	const fa_model_attr_diff *ad = &d->attrs[ai];
	const fa_gap_diff *gp = &ad->gaps[g->index];
	const fa_estimate *one = NULL;
	fa_estimate e;
	size_t gi, before = c->n;

	switch (g->q) {
	case Q_SUMMARY:
		one = &ad->summary[g->index];
		break;
	case Q_GAP:
		one = &gp->gap;
		break;
	case Q_RATIO:
		one = &gp->ratio;
		break;
	case Q_MIN:
		one = &gp->min;
		break;
	case Q_MAX:
		one = &gp->max;
		break;
	default:
		break;
	}
	if (one) {
		e = signed_estimate(one, sign);
		push_check(c, fa_xasprintf("%s%s:%s", pre, a->name, qname), &e, NULL);
		return;
	}
	for (gi = 0; gi < a->ngroups && gi < ad->ngroups; gi++)
		if (a->groups[gi].status == FA_GROUP_OK) {
			e = signed_estimate(&ad->groups[gi * FA_M__COUNT + (size_t)g->index], sign);
			push_check(c,
			           fa_xasprintf("%s%s=%s:%s", pre, a->name, a->groups[gi].value, qname),
			           &e, NULL);
		}
	if (c->n == before)
		push_nothing(c, fa_xasprintf("%s%s:%s", pre, a->name, qname),
		             fa_xasprintf("no eligible group in %s (each is insufficient or suppressed)",
		                     a->name));
}

/* The checks of a gate on a difference of models, named after the pair:
 * "cand-base:race:tpr_gap". */
static void pair_checks(checks *c, const fa_result *r, const fa_gate *g, const char *qname)
{
	long ia = fa_result_model(r, g->model_a), ib = fa_result_model(r, g->model_b), ai;
	int sign = 1;
	const fa_model_diff *d = fa_result_model_diff(r, (size_t)ia, (size_t)ib, &sign);
	gate_scope sc = g->pair_maybe ? SC_ALL : g->scope;
	char *pre = fa_xasprintf("%s-%s:", g->model_a, g->model_b);
	fa_estimate e;
	size_t j;

	if (!d) {
		push_nothing(
		    c, fa_xasprintf("%s%s", pre, qname),
		    fa_xasprintf("the result holds no difference of %s and %s", g->model_a, g->model_b));
		free(pre);
		return;
	}
	switch (sc) {
	case SC_OVERALL:
		e = signed_estimate(&d->overall[g->index], sign);
		push_check(c, fa_xasprintf("%soverall.%s", pre, qname), &e, NULL);
		break;
	case SC_GROUP: {
		const fa_attr_result *a;
		long gi;
		ai = attr_index(r, g->attr);
		a = &r->attrs[ai];
		gi = find_group(a, g->group);
		e = signed_estimate(
		    &d->attrs[ai].groups[(size_t)gi * FA_M__COUNT + (size_t)g->index], sign);
		push_check(c, fa_xasprintf("%s%s=%s:%s", pre, a->name, a->groups[gi].value, qname), &e,
		           a->groups[gi].status == FA_GROUP_OK
		               ? NULL
		               : ineligible_note(r, a, &a->groups[gi]));
		break;
	}
	case SC_ATTR:
		pair_attr_checks(c, r, g, d, sign, (size_t)attr_index(r, g->attr), pre, qname);
		break;
	case SC_ALL:
		for (j = 0; j < r->nattrs; j++)
			pair_attr_checks(c, r, g, d, sign, j, pre, qname);
		if (r->nattrs == 0)
			push_nothing(c, fa_xasprintf("%s%s", pre, qname),
			             fa_xstrdup("no attribute was audited"));
		break;
	}
	free(pre);
}

/* Whether `g` names an operating point, attribute, group or model that `r`
 * lacks: FA_EUSAGE. */
static int gate_validate(const fa_result *r, const fa_gate *g, fa_error *err)
{
	const fa_attr_result *a;
	const fa_view *v = gate_view(r, g);
	fa_buf b = FA_BUF_INIT;
	const char *best = NULL;
	size_t i, bd = (size_t)-1;
	int rc;

	if (gate_is_pair(r, g)) {
		if ((rc = pair_validate(r, g, err)) < 0)
			return rc;
		if (g->pair_maybe)
			return 0;
		v = NULL;
	}

	if (g->view && !v) {
		fa_buf_puts(&b, "gate ");
		put_quoted(&b, g->expr, strlen(g->expr));
		fa_buf_puts(&b, ": no operating point ");
		put_quoted(&b, g->view, strlen(g->view));
		if (r->nviews == 0) {
			char *view = escaped(g->view);
			fa_buf_printf(&b, " in this result; none was computed (audit with "
					  "--operating-point %s)", view);
			free(view);
		} else {
			fa_buf_puts(&b, "; the operating points are ");
			for (i = 0; i < r->nviews; i++) {
				const char *n = r->views[i].name ? r->views[i].name : "";
				if (i)
					fa_buf_puts(&b, ", ");
				put_quoted(&b, n, strlen(n));
			}
		}
		rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
		fa_buf_free(&b);
		return rc;
	}
	if (g->scope != SC_ATTR && g->scope != SC_GROUP)
		return 0;
	a = scope_attr(r, v, g->attr);
	if (a && (g->scope == SC_ATTR || find_group(a, g->group) >= 0))
		return 0;
	fa_buf_puts(&b, "gate ");
	put_quoted(&b, g->expr, strlen(g->expr));
	if (!a) {
		fa_buf_puts(&b, ": attribute ");
		put_quoted(&b, g->attr, strlen(g->attr));
		if (r->nattrs == 0) {
			fa_buf_puts(&b, " was not audited; no attribute was (audit with --group)");
		} else {
			fa_buf_puts(&b, " was not audited; the audited attributes are ");
			for (i = 0; i < r->nattrs; i++) {
				size_t d = fa_edit_distance(g->attr, r->attrs[i].name);
				if (d < bd) {
					bd = d;
					best = r->attrs[i].name;
				}
				if (i)
					fa_buf_puts(&b, ", ");
				put_quoted(&b, r->attrs[i].name, strlen(r->attrs[i].name));
			}
			if (best && fa_suggest_close(bd, g->attr))
				fa_buf_printf(&b, " (did you mean \"%s\"?)", best);
		}
		if (strcmp(g->attr, "overall") == 0)
			fa_buf_puts(&b, "; the whole population is written with a dot, "
					"e.g. overall.auc>=0.8");
		if (g->pair_maybe && r->nmodels == 0)
			fa_buf_puts(&b, "; a difference of models (NAME-NAME:) needs an audit of "
					"several models (--model NAME=COLUMN)");
	} else {
		fa_buf_printf(&b, ": %s has no group ", a->name);
		put_quoted(&b, g->group, strlen(g->group));
		fa_buf_puts(&b, "; the groups are ");
		for (i = 0; i < a->ngroups; i++) {
			size_t d = fa_edit_distance(g->group, a->groups[i].value);
			if (d < bd) {
				bd = d;
				best = a->groups[i].value;
			}
			if (i < 30) {
				if (i)
					fa_buf_puts(&b, ", ");
				put_quoted(&b, a->groups[i].value, strlen(a->groups[i].value));
			}
		}
		if (a->ngroups > 30)
			fa_buf_printf(&b, ", ... (%zu in all)", a->ngroups);
		if (a->ngroups == 0)
			fa_buf_puts(&b, "(none)");
		if (best && fa_suggest_close(bd, g->group))
			fa_buf_printf(&b, " (did you mean \"%s\"?)", best);
	}
	rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

int fa_gates_evaluate(fa_result *r, fa_gate *const *gates, size_t ngates,
		      fa_gate_mode mode, fa_error *err)
{
	fa_gate_result *res;
	size_t i, j;
	int rc;

	for (i = 0; i < ngates; i++)
		if ((rc = gate_validate(r, gates[i], err)) < 0)
			return rc;
	res = fa_xcalloc(ngates ? ngates : 1, sizeof(*res));
	for (i = 0; i < ngates; i++) {
		const fa_gate *g = gates[i];
		fa_gate_result *gr = &res[i];
		checks c;
		char qname[64];
		int any_fail = 0, any_inc = 0;
		/* the main result, or the operating point the gate names */
		const fa_view *v = gate_view(r, g);
		const fa_group_result *overall = v ? &v->overall : &r->overall;
		const fa_attr_result *attrs = v ? v->attrs : r->attrs;
		size_t nattrs = v ? v->nattrs : r->nattrs;

		memset(&c, 0, sizeof(c));
		c.cur_attr = c.cur_group = -1;
		quantity_name(qname, sizeof(qname), g->q, g->index);
		if (gate_is_pair(r, g)) {
			pair_checks(&c, r, g, qname);
			v = NULL;
		} else switch (g->scope) {
		case SC_OVERALL:
			push_check(&c, fa_xasprintf("overall.%s", qname), &overall->metrics[g->index],
				   NULL);
			break;
		case SC_GROUP: {
			const fa_attr_result *a = scope_attr(r, v, g->attr);
			c.cur_attr = attr_pos(r, a);
			group_check(&c, r, a, (size_t)find_group(a, g->group), g, qname);
			break;
		}
		case SC_ATTR:
			attr_checks(&c, r, scope_attr(r, v, g->attr), g, qname);
			break;
		case SC_ALL:
			for (j = 0; j < nattrs; j++)
				attr_checks(&c, r, &attrs[j], g, qname);
			if (nattrs == 0)
				push_nothing(&c, fa_xstrdup(qname),
					     fa_xstrdup("no attribute was audited"));
			break;
		}
		/* a check in an operating point is named after it:
		 * "spec=0.9:race:tpr_gap" */
		for (j = 0; v && j < c.n; j++) {
			char *w = fa_xasprintf("%s:%s", v->name ? v->name : g->view, c.v[j].where);
			free(c.v[j].where);
			c.v[j].where = w;
		}
		for (j = 0; j < c.n; j++) {
			judge(&c.v[j], g, mode, r);
			if (!gate_is_pair(r, g) && g->q != Q_LEAK)
				power_rule(&c.v[j], r, c.dattr[j], c.dgroup[j]);
			any_fail |= c.v[j].outcome == FA_GATE_FAIL;
			any_inc |= c.v[j].outcome == FA_GATE_INCONCLUSIVE;
		}
		gr->expr = fa_xstrdup(g->expr);
		gr->op = fa_xstrdup(op_names[g->op]);
		gr->limit = g->limit;
		gr->checks = c.v;
		gr->nchecks = c.n;
		free(c.dattr);
		free(c.dgroup);
		gr->outcome = any_fail ? FA_GATE_FAIL
			      : any_inc || c.n == 0 ? FA_GATE_INCONCLUSIVE
						    : FA_GATE_PASS;
	}
	for (i = 0; i < r->ngates; i++)
		gate_result_clear(&r->gates[i]);
	free(r->gates);
	r->gates = res;
	r->ngates = ngates;
	r->verdict = FA_GATE_PASS;
	for (i = 0; i < ngates; i++)
		if (res[i].outcome == FA_GATE_FAIL)
			r->verdict = FA_GATE_FAIL;
		else if (res[i].outcome == FA_GATE_INCONCLUSIVE && r->verdict == FA_GATE_PASS)
			r->verdict = FA_GATE_INCONCLUSIVE;
	free(r->settings.gate_on);
	r->settings.gate_on = fa_xstrdup(fa_gate_mode_name(mode));
	return 0;
}
