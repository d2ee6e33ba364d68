/*
 * period.c: calendar periods of a date column, and an audit of each.
 *
 * Dates are read as ISO 8601 and bucketed by the calendar date as written
 * (a timestamp's own offset is not applied), so a record keeps the day its
 * source system gave it. Every period is numbered by an integer that
 * counts periods since year 0 (months, quarters) or 1970-01-05, a Monday
 * (weeks); the periods between the first and the last that hold a record
 * are the integers between theirs, so empty ones are listed too. Day
 * arithmetic uses the proleptic Gregorian calendar, counted in days from
 * 1970-01-01 (Howard Hinnant's days_from_civil and civil_from_days).
 */
#include "fairaudit/period.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_names[] = {"month", "week", "quarter"};

const char *fa_period_unit_name(fa_period_unit u)
{
	return (unsigned)u < 3 ? unit_names[u] : "month";
}

int fa_period_unit_find(const char *name)
{
	int i;
	for (i = 0; i < 3; i++)
		if (strcmp(name, unit_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the calendar ------------------------------------------------------ */

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d. */
static long days_from_civil(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static fa_date civil_from_days(long z)
{
	fa_date out;
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out.year = (int)(yoe + era * 400 + (out.month <= 2));
	return out;
}

/* 0 for Monday ... 6 for Sunday; 1970-01-01 was a Thursday. */
static long weekday(long z)
{
	return ((z % 7) + 7 + 3) % 7;
}

/* 1970-01-05, the Monday weeks are counted from. */
#define WEEK0 4L

/* ---- reading dates ----------------------------------------------------- */

/* `k` digits at s[*i], as a number; -1 when they are not all digits. */
static int digits(const char *s, size_t len, size_t *i, int k)
{
	int v = 0, j;

	if (*i + (size_t)k > len)
		return -1;
	for (j = 0; j < k; j++) {
		char c = s[*i + (size_t)j];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)k;
	return v;
}

static int at(const char *s, size_t len, size_t i, char c)
{
	return i < len && s[i] == c;
}

/* hh:mm[:ss[.fff]][Z|+hh[:]mm|+hh] from s[*i]. */
static int parse_time(const char *s, size_t len, size_t i)
{
	int hh, mm, ss;

	if ((hh = digits(s, len, &i, 2)) < 0 || hh > 23 || !at(s, len, i++, ':') ||
	    (mm = digits(s, len, &i, 2)) < 0 || mm > 59)
		return -1;
	if (at(s, len, i, ':')) {
		i++;
		if ((ss = digits(s, len, &i, 2)) < 0 || ss > 60)
			return -1;
		if (at(s, len, i, '.') || at(s, len, i, ',')) {
			size_t start = ++i;
			while (i < len && s[i] >= '0' && s[i] <= '9')
				i++;
			if (i == start)
				return -1;
		}
	}
	if (i == len)
		return 0;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len)
		return 0;
	if (s[i] != '+' && s[i] != '-')
		return -1;
	i++;
	if ((hh = digits(s, len, &i, 2)) < 0 || hh > 23)
		return -1;
	if (i == len)
		return 0;
	if (at(s, len, i, ':'))
		i++;
	if ((mm = digits(s, len, &i, 2)) < 0 || mm > 59)
		return -1;
	return i == len ? 0 : -1;
}

int fa_date_parse(fa_date *out, const char *s, size_t len)
{
	size_t i = 0;
	int y, m, d;

	if ((y = digits(s, len, &i, 4)) < 1 || !at(s, len, i++, '-') ||
	    (m = digits(s, len, &i, 2)) < 1 || m > 12 || !at(s, len, i++, '-') ||
	    (d = digits(s, len, &i, 2)) < 1 || d > month_days(y, m))
		return FA_EINPUT;
	if (i < len) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return FA_EINPUT;
		if (parse_time(s, len, i + 1) < 0)
			return FA_EINPUT;
	}
	out->year = y;
	out->month = m;
	out->day = d;
	return 0;
}

/* ---- periods ------------------------------------------------------------ */

/* The number of the period holding day z. */
static long period_of_day(long z, fa_period_unit u)
{
	fa_date d;

	if (u == FA_PERIOD_WEEK)
		return (z - weekday(z) - WEEK0) / 7;
	d = civil_from_days(z);
	if (u == FA_PERIOD_QUARTER)
		return (long)d.year * 4 + (d.month - 1) / 3;
	return (long)d.year * 12 + d.month - 1;
}

/* The first and last day of period k. */
static void period_days(long k, fa_period_unit u, long *first, long *last)
{
	int y, m;

	if (u == FA_PERIOD_WEEK) {
		*first = k * 7 + WEEK0;
		*last = *first + 6;
		return;
	}
	if (u == FA_PERIOD_QUARTER) {
		y = (int)(k / 4);
		m = (int)(k % 4) * 3 + 1;
		*first = days_from_civil(y, m, 1);
		*last = days_from_civil(y, m + 2, month_days(y, m + 2));
		return;
	}
	y = (int)(k / 12);
	m = (int)(k % 12) + 1;
	*first = days_from_civil(y, m, 1);
	*last = days_from_civil(y, m, month_days(y, m));
}

static void label_of(char out[FA_PERIOD_LABEL_SIZE], long k, fa_period_unit u)
{
	long first, last;

	if (u == FA_PERIOD_WEEK) {
		/* the week belongs to the year of its Thursday */
		long thu;
		fa_date t;
		period_days(k, u, &first, &last);
		thu = first + 3;
		t = civil_from_days(thu);
		snprintf(out, FA_PERIOD_LABEL_SIZE, "%04d-W%02ld", t.year,
			 (thu - days_from_civil(t.year, 1, 1)) / 7 + 1);
	} else if (u == FA_PERIOD_QUARTER) {
		snprintf(out, FA_PERIOD_LABEL_SIZE, "%04ld-Q%ld", k / 4, k % 4 + 1);
	} else {
		snprintf(out, FA_PERIOD_LABEL_SIZE, "%04ld-%02ld", k / 12, k % 12 + 1);
	}
}

void fa_period_label(char out[FA_PERIOD_LABEL_SIZE], const fa_date *d, fa_period_unit u)
{
	label_of(out, period_of_day(days_from_civil(d->year, d->month, d->day), u), u);
}

/* The number of the period labelled `label`; -1 when it is no label of u. */
static int period_of_label(const char *label, fa_period_unit u, long *out)
{
	size_t len = strlen(label), i = 0;
	char again[FA_PERIOD_LABEL_SIZE];
	int y, v;
	long k;

	if ((y = digits(label, len, &i, 4)) < 1 || !at(label, len, i++, '-'))
		return -1;
	if (u == FA_PERIOD_MONTH) {
		if ((v = digits(label, len, &i, 2)) < 1 || v > 12)
			return -1;
		k = (long)y * 12 + v - 1;
	} else if (u == FA_PERIOD_QUARTER) {
		if (!at(label, len, i++, 'Q') || (v = digits(label, len, &i, 1)) < 1 || v > 4)
			return -1;
		k = (long)y * 4 + v - 1;
	} else {
		long jan4 = days_from_civil(y, 1, 4);
		if (!at(label, len, i++, 'W') || (v = digits(label, len, &i, 2)) < 1 || v > 53)
			return -1;
		k = (jan4 - weekday(jan4) - WEEK0) / 7 + v - 1;
	}
	/* W53 of a year of 52 weeks names the next year's first week */
	label_of(again, k, u);
	if (i != len || strcmp(again, label) != 0)
		return -1;
	*out = k;
	return 0;
}

int fa_period_bounds(fa_date *first, fa_date *last, const char *label, fa_period_unit u)
{
	long k, f, l;

	if (period_of_label(label, u, &k) < 0)
		return FA_EINPUT;
	period_days(k, u, &f, &l);
	if (first)
		*first = civil_from_days(f);
	if (last)
		*last = civil_from_days(l);
	return 0;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t fa_period_seed(uint64_t seed, const char *label)
{
	/* FNV-1a of the label, then mixed with the seed */
	uint64_t h = 0xcbf29ce484222325ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)label; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return mix64(seed ^ mix64(h));
}

/* ---- the audit of every period -------------------------------------------- */

static char *day_text(long z)
{
	fa_date d = civil_from_days(z);
	return fa_xasprintf("%04d-%02d-%02d", d.year, d.month, d.day);
}

/* Whether some record of `rows` is in the group `value` of the attribute
 * `spec` ("sex+race", "F+Black"), the levels joined by '+' as the engine
 * names groups. A column that was not loaded counts as present: the
 * engine reports it. */
static int group_present(const fa_table *t, const char *spec, size_t speclen, const char *value,
			 const size_t *rows, size_t n)
{
	char *copy = fa_xstrndup(spec, speclen), *tok, *save = NULL;
	size_t cols[64], nc = 0, i, c;
	fa_buf b = FA_BUF_INIT;
	int found = 0;

	for (tok = strtok_r(copy, "+", &save); tok && nc < 64; tok = strtok_r(NULL, "+", &save)) {
		long a = fa_table_attr_find(t, tok);
		if (a < 0) {
			free(copy);
			return 1;
		}
		cols[nc++] = (size_t)a;
	}
	free(copy);
	for (i = 0; i < n && !found; i++) {
		fa_buf_clear(&b);
		for (c = 0; c < nc; c++) {
			if (c)
				fa_buf_putc(&b, '+');
			fa_buf_puts(&b, fa_table_attr_level(t, cols[c],
							    fa_table_attr_codes(t, cols[c])[rows[i]]));
		}
		found = strcmp(b.ptr ? b.ptr : "", value) == 0;
	}
	fa_buf_free(&b);
	return found;
}

/* The --reference options that name a group the period has. */
static size_t period_references(const fa_table *t, const fa_audit_options *o,
				const size_t *rows, size_t n, const char **out)
{
	size_t i, k, m = 0;

	for (i = 0; i < o->nreferences; i++) {
		const char *r = o->references[i];
		int keep = 1;
		for (k = 0; k < o->ngroups; k++) {
			size_t ln = strlen(o->groups[k]);
			if (strncmp(r, o->groups[k], ln) == 0 && r[ln] == '=') {
				keep = group_present(t, r, ln, r + ln + 1, rows, n);
				break;
			}
		}
		if (keep)
			out[m++] = r;
	}
	return m;
}

static void drop_curves(fa_group_result *g)
{
	free(g->curves.roc.fpr);
	free(g->curves.roc.tpr);
	memset(&g->curves, 0, sizeof(g->curves));
}

/* Audit period p on its rows; its overall and attributes move into p. */
static int audit_period(fa_period *p, const fa_table *t, const fa_audit_options *o,
			const size_t *rows, fa_error *err)
{
	fa_audit_options po = *o;
	fa_table *sub = fa_table_subset(t, rows, p->n);
	fa_result *pr = NULL;
	const char **refs = fa_xcalloc(o->nreferences ? o->nreferences : 1, sizeof(char *));
	fa_error e;
	size_t a, g;
	int rc;

	po.seed = fa_period_seed(o->seed, p->label);
	po.oppoints = NULL;
	po.noppoints = 0;
	po.permutations = 0;
	po.progress = NULL;
	po.progress_ctx = NULL;
	po.references = refs;
	po.nreferences = period_references(t, o, rows, p->n, refs);
	fa_error_clear(&e);
	rc = fa_audit_run(&pr, sub, &po, &e);
	fa_table_free(sub);
	free(refs);
	if (rc < 0) {
		fa_error_set(err, rc, e.path[0] ? e.path : NULL, e.line, e.column, "period %s: %s",
			     p->label, e.message);
		return rc;
	}
	free(p->overall.value);
	free(p->overall.levels);
	p->overall = pr->overall;
	memset(&pr->overall, 0, sizeof(pr->overall));
	drop_curves(&p->overall);
	p->attrs = pr->attrs;
	p->nattrs = pr->nattrs;
	pr->attrs = NULL;
	pr->nattrs = 0;
	for (a = 0; a < p->nattrs; a++)
		for (g = 0; g < p->attrs[a].ngroups; g++)
			drop_curves(&p->attrs[a].groups[g]);
	fa_result_free(pr);
	return 0;
}

int fa_audit_run_periods(fa_result *r, const fa_table *t, const fa_audit_options *o,
			 const fa_period_options *po, fa_error *err)
{
	long col = po->column ? fa_table_attr_find(t, po->column) : -1, lo = LONG_MAX,
	     hi = LONG_MIN, *lk = NULL;
	size_t n = fa_table_rows(t), L, i, np = 0, c;
	const uint32_t *codes;
	const uint8_t *y = fa_table_labels(t);
	size_t *cnt = NULL, *start = NULL, *rows = NULL, *fill = NULL;
	fa_period *ps = NULL;
	char *few = NULL; /* one text for every period under --min-period-n */
	int rc = 0;

	if (col < 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--period %s: column was not loaded",
				    po->column ? po->column : "(none)");
	codes = fa_table_attr_codes(t, (size_t)col);
	L = fa_table_attr_levels(t, (size_t)col);
	lk = fa_xcalloc(L ? L : 1, sizeof(long));
	cnt = fa_xcalloc(L ? L : 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		cnt[codes[i]]++;
	/* a level without a record (its row failed after the date was read)
	 * does not widen the span */
	for (c = 0; c < L; c++) {
		const char *lab = fa_table_attr_level(t, (size_t)col, (uint32_t)c);
		if (period_of_label(lab, po->every, &lk[c]) < 0) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "--period %s: \"%s\" is not a %s; load the column with the same unit",
					  po->column, lab, fa_period_unit_name(po->every));
			goto done;
		}
		if (cnt[c] && lk[c] < lo)
			lo = lk[c];
		if (cnt[c] && lk[c] > hi)
			hi = lk[c];
	}
	if (lo > hi)
		goto done; /* no records: nothing to list */
	if (hi - lo >= FA_MAX_PERIODS) {
		char a[FA_PERIOD_LABEL_SIZE], b[FA_PERIOD_LABEL_SIZE];
		label_of(a, lo, po->every);
		label_of(b, hi, po->every);
		rc = fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
				  "--period %s: the dates run from %s to %s, %ld %ss, more than the %d that can be audited (is a date mistyped? a longer --every gives fewer periods)",
				  po->column, a, b, hi - lo + 1, fa_period_unit_name(po->every),
				  FA_MAX_PERIODS);
		goto done;
	}
	np = (size_t)(hi - lo + 1);
	ps = fa_xcalloc(np, sizeof(fa_period));
	start = fa_xcalloc(np + 1, sizeof(size_t));
	fill = fa_xcalloc(np, sizeof(size_t));
	rows = fa_xmalloc((n ? n : 1) * sizeof(size_t));
	for (i = 0; i < n; i++) {
		fa_period *p = &ps[lk[codes[i]] - lo];
		p->n++;
		p->n_pos += y[i];
	}
	for (i = 0; i < np; i++)
		start[i + 1] = start[i] + ps[i].n;
	/* each period's rows, in table order */
	for (i = 0; i < n; i++) {
		size_t k = (size_t)(lk[codes[i]] - lo);
		rows[start[k] + fill[k]++] = i;
	}
	for (i = 0; i < np && rc == 0; i++) {
		fa_period *p = &ps[i];
		char lab[FA_PERIOD_LABEL_SIZE];
		long first, last;
		int m;
		label_of(lab, lo + (long)i, po->every);
		period_days(lo + (long)i, po->every, &first, &last);
		p->label = fa_xstrdup(lab);
		p->first_day = day_text(first);
		p->last_day = day_text(last);
		p->n_neg = p->n - p->n_pos;
		p->overall.value = fa_xstrdup("overall");
		p->overall.levels = fa_xcalloc(1, sizeof(char *));
		p->overall.n = p->n;
		p->overall.n_pos = p->n_pos;
		p->overall.n_neg = p->n_neg;
		if (p->n == 0)
			p->reason = "no records in this period";
		else if (p->n < po->min_n)
			p->reason = few ? few
					: (few = fa_xasprintf("fewer than %zu records (--min-period-n)",
							      po->min_n));
		else if (p->n_pos == 0)
			p->reason = "no positive records in this period";
		else if (p->n_neg == 0)
			p->reason = "no negative records in this period";
		if (p->reason) {
			p->insufficient = 1;
			for (m = 0; m < FA_M__COUNT; m++) {
				fa_estimate *e = &p->overall.metrics[m];
				memset(e, 0, sizeof(*e));
				e->value = e->p_value = e->p_adjusted = NAN;
				e->reason = p->reason;
			}
			continue;
		}
		rc = audit_period(p, t, o, rows + start[i], err);
	}
	if (rc < 0) {
		/* a result of its own frees what the periods hold */
		fa_result *tmp = fa_xcalloc(1, sizeof(*tmp));
		tmp->periods = ps;
		tmp->nperiods = np;
		ps = NULL;
		fa_result_free(tmp);
		free(few);
		goto done;
	}
	if (few)
		fa_result_own(r, few);
	r->periods = ps;
	r->nperiods = np;
	ps = NULL;
	free(r->settings.period_column);
	free(r->settings.period_every);
	r->settings.period_column = fa_xstrdup(po->column);
	r->settings.period_every = fa_xstrdup(fa_period_unit_name(po->every));
	r->settings.min_period_n = po->min_n;
done:
	free(ps);
	free(lk);
	free(cnt);
	free(start);
	free(fill);
	free(rows);
	return rc;
}
