/*
 * test_period.c: dates, periods and the audit of each period.
 *
 * - Dates and labels against hand-worked calendars and against Python's
 *   datetime: ISO weeks of every day from 1995 to 2036 are checked
 *   against tests/data/period/iso_weeks.txt (the command that made it is
 *   in its header).
 * - The audit of tests/data/period/three_months.csv against values worked
 *   by hand (and checked with scikit-learn: roc_auc_score of January gives
 *   0.9375, of F 0.75 and of M 1.0; of April 0.71875, F 1.0, M 0.75):
 *
 *     January (8 records): F tpr 1/2 fpr 1/2 auc 3/4; M tpr 1 fpr 0 auc 1;
 *       overall tpr 3/4 fpr 1/4 auc 15/16; gaps tpr 1/2, fpr 1/2, auc 1/4.
 *     February: no record.   March: 3 records (under --min-period-n 6).
 *     April (8 records): F tpr 1 fpr 1 auc 1; M tpr 1/2 fpr 0 auc 3/4;
 *       overall tpr 3/4 fpr 1/2 auc 23/32 (a tie of 0.6 counts one half);
 *       gaps tpr 1/2, fpr 1, auc 1/4.
 *
 *   Its dates mix the accepted forms; 2026-01-31T23:30:00-05:00 is
 *   February in UTC but January as written, and so it counts.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "fairaudit/period.h"

#include <stdlib.h>

/* ---- dates ----------------------------------------------------------- */

static void check_date(const char *s, int y, int m, int d)
{
	fa_date out = {0, 0, 0};
	if (fa_date_parse(&out, s, strlen(s)) != 0) {
		test_fail(__FILE__, __LINE__, "\"%s\" was refused", s);
		return;
	}
	if (out.year != y || out.month != m || out.day != d)
		test_fail(__FILE__, __LINE__, "\"%s\": got %d-%d-%d, want %d-%d-%d", s, out.year,
			  out.month, out.day, y, m, d);
}

static void test_period__dates_valid(void)
{
	check_date("2026-01-05", 2026, 1, 5);
	check_date("2024-02-29", 2024, 2, 29); /* a leap year */
	check_date("2000-02-29", 2000, 2, 29); /* divisible by 400 */
	check_date("0001-01-01", 1, 1, 1);
	check_date("9999-12-31", 9999, 12, 31);
	check_date("2026-01-05T08:30", 2026, 1, 5);
	check_date("2026-01-05T08:30:15", 2026, 1, 5);
	check_date("2026-01-05 08:30:15", 2026, 1, 5);
	check_date("2026-01-05t08:30:15z", 2026, 1, 5);
	check_date("2026-01-05T08:30:15Z", 2026, 1, 5);
	check_date("2026-01-05T08:30:15.5", 2026, 1, 5);
	check_date("2026-01-05T08:30:15,123456789", 2026, 1, 5);
	check_date("2026-01-05T08:30:15.123+01:00", 2026, 1, 5);
	check_date("2026-01-05T08:30:15-0330", 2026, 1, 5);
	check_date("2026-01-05T08:30+05", 2026, 1, 5);
	check_date("2026-06-30T23:59:60Z", 2026, 6, 30); /* a leap second */
	/* the date as written, whatever the offset says in UTC */
	check_date("2026-03-31T23:30:00-05:00", 2026, 3, 31);
	check_date("2026-04-01T00:30:00+05:00", 2026, 4, 1);
}

static void test_period__dates_invalid(void)
{
	static const char *const bad[] = {
		"2023-02-29",          /* not a leap year */
		"1900-02-29",          /* divisible by 100, not 400 */
		"2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-01-32", "0000-01-01", "2026-1-05", "26-01-05", "2026/01/05",
		"20260105", "2026-01-05T", "2026-01-05T12", "2026-01-05T24:00",
		"2026-01-05T12:60", "2026-01-05T12:00:61", "2026-01-05T12:00:00.",
		"2026-01-05T12:00:5", "2026-01-05Z", "2026-01-05T12:00+24:00",
		"2026-01-05T12:00+05:60", "2026-01-05T12:00+5", "2026-01-05T12:00Zx",
		"2026-01-05T12:00+05:00:00", " 2026-01-05", "2026-01-05 ", "2026-01-05x",
		"", "2026-01-05_12:00", "２０２６-01-05",
	};
	size_t i;
	fa_date d;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fa_date_parse(&d, bad[i], strlen(bad[i])) == 0)
			test_fail(__FILE__, __LINE__, "\"%s\" was accepted", bad[i]);
	/* the length bounds the text: "2026-01-05" cut short is not a date */
	CHECK(fa_date_parse(&d, "2026-01-05", 9) != 0);
	CHECK(fa_date_parse(&d, "2026-01-05T12:00", 10) == 0);
}

static void check_label(const char *date, fa_period_unit u, const char *want)
{
	fa_date d;
	char got[FA_PERIOD_LABEL_SIZE];
	if (fa_date_parse(&d, date, strlen(date)) != 0) {
		test_fail(__FILE__, __LINE__, "\"%s\" was refused", date);
		return;
	}
	fa_period_label(got, &d, u);
	if (strcmp(got, want) != 0)
		test_fail(__FILE__, __LINE__, "%s by %s: got %s, want %s", date,
			  fa_period_unit_name(u), got, want);
}

static void test_period__labels(void)
{
	/* months and quarters, across month and year ends */
	check_label("2025-12-31T23:59:59", FA_PERIOD_MONTH, "2025-12");
	check_label("2026-01-01", FA_PERIOD_MONTH, "2026-01");
	check_label("2024-02-29", FA_PERIOD_MONTH, "2024-02");
	check_label("2026-03-31T23:30:00-05:00", FA_PERIOD_MONTH, "2026-03");
	check_label("0001-01-01", FA_PERIOD_MONTH, "0001-01");
	check_label("2026-03-31", FA_PERIOD_QUARTER, "2026-Q1");
	check_label("2026-04-01", FA_PERIOD_QUARTER, "2026-Q2");
	check_label("2026-09-30", FA_PERIOD_QUARTER, "2026-Q3");
	check_label("2026-10-01", FA_PERIOD_QUARTER, "2026-Q4");
	check_label("2025-12-31", FA_PERIOD_QUARTER, "2025-Q4");
	/* ISO weeks, from Python's date.isocalendar() */
	check_label("2021-01-03", FA_PERIOD_WEEK, "2020-W53");
	check_label("2021-01-04", FA_PERIOD_WEEK, "2021-W01");
	check_label("2024-12-30", FA_PERIOD_WEEK, "2025-W01");
	check_label("2020-12-31", FA_PERIOD_WEEK, "2020-W53");
	check_label("2026-01-01", FA_PERIOD_WEEK, "2026-W01");
	check_label("2026-01-29", FA_PERIOD_WEEK, "2026-W05");
	check_label("2026-02-02", FA_PERIOD_WEEK, "2026-W06");
	check_label("2016-01-03", FA_PERIOD_WEEK, "2015-W53");
	check_label("2027-01-01", FA_PERIOD_WEEK, "2026-W53");
	check_label("2008-12-29", FA_PERIOD_WEEK, "2009-W01");
	check_label("2010-01-03", FA_PERIOD_WEEK, "2009-W53");
	check_label("2005-01-02", FA_PERIOD_WEEK, "2004-W53");
	check_label("2024-02-29", FA_PERIOD_WEEK, "2024-W09");
	check_label("1999-12-31", FA_PERIOD_WEEK, "1999-W52");
	check_label("2026-01-31T23:30:00-05:00", FA_PERIOD_WEEK, "2026-W05");
}

static void check_bounds(const char *label, fa_period_unit u, const char *first,
			 const char *last)
{
	fa_date f, l;
	char got[2][32];
	if (fa_period_bounds(&f, &l, label, u) != 0) {
		test_fail(__FILE__, __LINE__, "%s refused", label);
		return;
	}
	snprintf(got[0], sizeof(got[0]), "%04d-%02d-%02d", f.year, f.month, f.day);
	snprintf(got[1], sizeof(got[1]), "%04d-%02d-%02d", l.year, l.month, l.day);
	CHECK_STR(got[0], first);
	CHECK_STR(got[1], last);
}

static void test_period__bounds(void)
{
	fa_date d;

	check_bounds("2024-02", FA_PERIOD_MONTH, "2024-02-01", "2024-02-29");
	check_bounds("2023-02", FA_PERIOD_MONTH, "2023-02-01", "2023-02-28");
	check_bounds("2025-12", FA_PERIOD_MONTH, "2025-12-01", "2025-12-31");
	check_bounds("2026-Q1", FA_PERIOD_QUARTER, "2026-01-01", "2026-03-31");
	check_bounds("2026-Q4", FA_PERIOD_QUARTER, "2026-10-01", "2026-12-31");
	/* from Python: date.fromisocalendar(y, w, 1) and six days on */
	check_bounds("2020-W53", FA_PERIOD_WEEK, "2020-12-28", "2021-01-03");
	check_bounds("2026-W53", FA_PERIOD_WEEK, "2026-12-28", "2027-01-03");
	check_bounds("2025-W01", FA_PERIOD_WEEK, "2024-12-30", "2025-01-05");
	check_bounds("2026-W01", FA_PERIOD_WEEK, "2025-12-29", "2026-01-04");
	check_bounds("2009-W01", FA_PERIOD_WEEK, "2008-12-29", "2009-01-04");
	/* not labels: 2021 has 52 weeks */
	CHECK(fa_period_bounds(&d, NULL, "2021-W53", FA_PERIOD_WEEK) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-W00", FA_PERIOD_WEEK) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-13", FA_PERIOD_MONTH) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-Q5", FA_PERIOD_QUARTER) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-01", FA_PERIOD_WEEK) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-Q1", FA_PERIOD_MONTH) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-1", FA_PERIOD_MONTH) != 0);
	CHECK(fa_period_bounds(&d, NULL, "2026-01x", FA_PERIOD_MONTH) != 0);
}

/* Every day from 1995-01-02 to 2036-12-28 gets the ISO week Python gives:
 * the week-year is the one whose week 1 starts last on or before it. */
static void test_period__weeks_every_day(void)
{
	char *text = test_read("tests/data/period/iso_weeks.txt", NULL), *line, *save = NULL;
	long mon1[64], nweeks[64];
	int years[64], ny = 0, y = 1995, m = 1, d = 1, k;
	long day = 0;
	size_t bad = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#' && ny < 64 &&
		    sscanf(line, "%d %ld %ld", &years[ny], &mon1[ny], &nweeks[ny]) == 3)
			ny++;
	free(text);
	CHECK_INT(ny, 42);
	for (; y < 2037; day++) {
		static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int leapy = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (day >= 1 && !(y == 2036 && m == 12 && d > 28)) {
			char date[16], want[FA_PERIOD_LABEL_SIZE], got[FA_PERIOD_LABEL_SIZE];
			fa_date fd;
			for (k = ny - 1; k > 0 && mon1[k] > day; k--)
				;
			snprintf(want, sizeof(want), "%04d-W%02ld", years[k], (day - mon1[k]) / 7 + 1);
			if ((day - mon1[k]) / 7 + 1 > nweeks[k])
				bad++;
			snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
			fa_date_parse(&fd, date, strlen(date));
			fa_period_label(got, &fd, FA_PERIOD_WEEK);
			if (strcmp(got, want) != 0 && bad++ < 5)
				test_fail(__FILE__, __LINE__, "%s: got %s, want %s", date, got, want);
		}
		if (++d > mdays[m - 1] + (m == 2 && leapy)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK(day > 15000);
}

/* ---- loading ----------------------------------------------------------- */

static fa_table *load_text(const char *name, const char *text, fa_period_unit u, int skip,
			   fa_error *err)
{
	static const char *groups[] = {"sex"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.period_column = "date";
	lo.period_every = (int)u;
	lo.on_invalid = skip ? FA_ON_INVALID_SKIP : FA_ON_INVALID_ERROR;
	fa_error_clear(err);
	fa_load_memory(&t, name, text, strlen(text), &lo, err);
	return t;
}

static void test_period__load_errors(void)
{
	fa_error err;
	fa_table *t;
	char msg[2048];

	/* the third field of line 3 */
	t = load_text("d.csv", "label,score,date,sex\n1,0.5,2026-01-05,F\n0,0.25,2023-02-29,M\n",
		      FA_PERIOD_MONTH, 0, &err);
	CHECK(t == NULL);
	fa_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "d.csv:3:8: error: expected an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]]) in column \"date\", found \"2023-02-29\"");
	/* a quoted value: the field starts at its quote */
	t = load_text("d.csv", "sex,label,date,score\nF,1,\"2026-01-05T25:00\",0.5\n",
		      FA_PERIOD_MONTH, 0, &err);
	CHECK(t == NULL);
	fa_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "d.csv:2:5: error: expected an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]]) in column \"date\", found \"2026-01-05T25:00\"");
	/* empty is a missing value */
	t = load_text("d.csv", "label,score,date,sex\n1,0.5,,F\n", FA_PERIOD_MONTH, 0, &err);
	CHECK(t == NULL);
	fa_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "d.csv:2:7: error: empty value in date column \"date\"");
	/* JSON Lines: at the key's value; a number is not a date */
	t = load_text("d.jsonl",
		      "{\"label\": 1, \"score\": 0.5, \"sex\": \"F\", \"date\": \"2026-01-05\"}\n"
		      "{\"label\": 0, \"score\": 0.5, \"sex\": \"F\", \"date\": \"2026-01-05\"}\n"
		      "{\"label\": 0, \"score\": 0.5, \"sex\": \"F\", \"date\": \"05/01/2026\"}\n",
		      FA_PERIOD_MONTH, 0, &err);
	CHECK(t == NULL);
	fa_error_format(&err, msg, sizeof(msg));
	CHECK_STR(msg, "d.jsonl:3:48: error: expected an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]]) in column \"date\", found \"05/01/2026\"");
}

static void test_period__load_skip(void)
{
	fa_error err;
	fa_table *t = load_text("d.csv",
				"label,score,date,sex\n"
				"1,0.5,2026-01-05,F\n"
				"0,0.25,2023-02-29,M\n"     /* invalid_date */
				"0,0.25,,M\n"               /* missing_value */
				"0,0.25,2026-02-01T10:00,M\n"
				"1,0.75,yesterday,F\n"      /* invalid_date */
				"1,0.75,2026-01-31 23:00,F\n",
				FA_PERIOD_MONTH, 1, &err);
	long a;

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(fa_table_rows(t), 3);
	CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_DATE), 2);
	CHECK_INT(fa_table_drops(t, FA_DROP_MISSING_VALUE), 1);
	CHECK_STR(fa_drop_reason_name(FA_DROP_INVALID_DATE), "invalid_date");
	/* the table keeps periods, not dates */
	a = fa_table_attr_find(t, "date");
	CHECK(a >= 0);
	if (a >= 0) {
		CHECK_INT(fa_table_attr_levels(t, (size_t)a), 2);
		CHECK_STR(fa_table_attr_level(t, (size_t)a, fa_table_attr_codes(t, (size_t)a)[2]),
			  "2026-01");
		CHECK_STR(fa_table_attr_level(t, (size_t)a, fa_table_attr_codes(t, (size_t)a)[1]),
			  "2026-02");
	}
	fa_table_free(t);
}

/* More distinct dates than --max-groups allows values: the period column
 * is not limited. */
static void test_period__many_dates(void)
{
	static const char *groups[] = {"sex"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_buf b = FA_BUF_INIT;
	fa_table *t = NULL;
	fa_error err;
	int i;

	fa_buf_puts(&b, "label,score,sex,date\n");
	for (i = 0; i < 3000; i++)
		fa_buf_printf(&b, "%d,0.%d,F,2026-01-%02dT%02d:%02d:%02d\n", i % 2, i % 10,
			      1 + i % 28, i % 24, i % 60, (i / 60) % 60);
	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.max_groups = 10;
	lo.period_column = "date";
	CHECK(fa_load_memory(&t, "many.csv", b.ptr, b.len, &lo, &err) == 0);
	if (t)
		CHECK_INT(fa_table_attr_levels(t, (size_t)fa_table_attr_find(t, "date")), 1);
	fa_table_free(t);
	fa_buf_free(&b);
}

static void test_period__usage(void)
{
	static const char *groups[] = {"date"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_error err;
	const char *text = "label,score,date\n1,0.5,2026-01-01\n";

	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.period_column = "date";
	CHECK(fa_load_memory(&t, "u.csv", text, strlen(text), &lo, &err) == FA_EUSAGE);
	CHECK_STR(err.message, "--period date: the date column cannot also be a group");
	lo.attr_count = 0;
	lo.cluster_column = "date";
	CHECK(fa_load_memory(&t, "u.csv", text, strlen(text), &lo, &err) == FA_EUSAGE);
	CHECK_STR(err.message, "--period date: the date column cannot also be the cluster column");
	fa_table_free(t);
}

/* ---- the audit of every period ------------------------------------------- */

static fa_result *audit_periods(const char *text, size_t bootstrap, size_t min_period_n,
				const char *const *refs, size_t nrefs)
{
	static const char *groups[] = {"sex"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_period_options po = FA_PERIOD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.period_column = "date";
	ao.groups = groups;
	ao.ngroups = 1;
	ao.references = refs;
	ao.nreferences = nrefs;
	ao.min_n = 1;
	ao.bootstrap = bootstrap;
	ao.seed = 7;
	ao.threads = 2;
	po.column = "date";
	po.min_n = min_period_n;
	if (fa_load_memory(&t, "p.csv", text, strlen(text), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0 || fa_audit_run_periods(r, t, &ao, &po, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		fa_result_free(r);
		r = NULL;
	}
	fa_table_free(t);
	return r;
}

static const fa_group_result *group_of(const fa_attr_result *A, const char *value)
{
	size_t g;
	for (g = 0; g < A->ngroups; g++)
		if (strcmp(A->groups[g].value, value) == 0)
			return &A->groups[g];
	test_fail(__FILE__, __LINE__, "no group %s", value);
	return &A->groups[0];
}

static void test_period__hand_worked(void)
{
	char *text = test_read("tests/data/period/three_months.csv", NULL);
	fa_result *r = audit_periods(text, 0, 6, NULL, 0);
	const fa_period *p;
	const fa_attr_result *A;

	free(text);
	if (!r)
		return;
	CHECK_STR(r->settings.period_column, "date");
	CHECK_STR(r->settings.period_every, "month");
	CHECK_INT(r->settings.min_period_n, 6);
	CHECK_INT(r->overall.n, 19);
	CHECK_INT(r->nperiods, 4);
	if (r->nperiods != 4)
		goto done;
	/* January */
	p = &r->periods[0];
	CHECK_STR(p->label, "2026-01");
	CHECK_STR(p->first_day, "2026-01-01");
	CHECK_STR(p->last_day, "2026-01-31");
	CHECK_INT(p->n, 8);
	CHECK_INT(p->n_pos, 4);
	CHECK_INT(p->n_neg, 4);
	CHECK(!p->insufficient);
	CHECK_NEAR(p->overall.metrics[FA_M_TPR].value, 0.75, 1e-15);
	CHECK_NEAR(p->overall.metrics[FA_M_FPR].value, 0.25, 1e-15);
	CHECK_NEAR(p->overall.metrics[FA_M_AUC].value, 15.0 / 16, 1e-15);
	CHECK_INT(p->nattrs, 1);
	A = &p->attrs[0];
	CHECK_INT(A->ngroups, 2);
	CHECK_NEAR(group_of(A, "F")->metrics[FA_M_TPR].value, 0.5, 1e-15);
	CHECK_NEAR(group_of(A, "F")->metrics[FA_M_AUC].value, 0.75, 1e-15);
	CHECK_NEAR(group_of(A, "M")->metrics[FA_M_TPR].value, 1.0, 1e-15);
	CHECK_NEAR(group_of(A, "M")->metrics[FA_M_AUC].value, 1.0, 1e-15);
	CHECK_INT(group_of(A, "F")->n, 4);
	CHECK_NEAR(A->gaps[FA_M_TPR].gap.value, 0.5, 1e-15);
	CHECK_NEAR(A->gaps[FA_M_FPR].gap.value, 0.5, 1e-15);
	CHECK_NEAR(A->gaps[FA_M_AUC].gap.value, 0.25, 1e-15);
	/* February: between the first and last, without a record */
	p = &r->periods[1];
	CHECK_STR(p->label, "2026-02");
	CHECK_STR(p->last_day, "2026-02-28");
	CHECK_INT(p->n, 0);
	CHECK(p->insufficient);
	CHECK_STR(p->reason, "no records in this period");
	CHECK_INT(p->nattrs, 0);
	CHECK_NAN(p->overall.metrics[FA_M_AUC].value);
	/* March: too few */
	p = &r->periods[2];
	CHECK_STR(p->label, "2026-03");
	CHECK_INT(p->n, 3);
	CHECK_INT(p->n_pos, 2);
	CHECK(p->insufficient);
	CHECK_STR(p->reason, "fewer than 6 records (--min-period-n)");
	CHECK_INT(p->nattrs, 0);
	/* April */
	p = &r->periods[3];
	CHECK_STR(p->label, "2026-04");
	CHECK_STR(p->last_day, "2026-04-30");
	CHECK_INT(p->n, 8);
	CHECK(!p->insufficient);
	CHECK_NEAR(p->overall.metrics[FA_M_TPR].value, 0.75, 1e-15);
	CHECK_NEAR(p->overall.metrics[FA_M_FPR].value, 0.5, 1e-15);
	CHECK_NEAR(p->overall.metrics[FA_M_AUC].value, 23.0 / 32, 1e-15);
	A = &p->attrs[0];
	CHECK_NEAR(group_of(A, "F")->metrics[FA_M_FPR].value, 1.0, 1e-15);
	CHECK_NEAR(group_of(A, "M")->metrics[FA_M_AUC].value, 0.75, 1e-15);
	CHECK_NEAR(A->gaps[FA_M_TPR].gap.value, 0.5, 1e-15);
	CHECK_NEAR(A->gaps[FA_M_FPR].gap.value, 1.0, 1e-15);
	CHECK_NEAR(A->gaps[FA_M_AUC].gap.value, 0.25, 1e-15);
done:
	fa_result_free(r);
}

/* Quarters and weeks of the same records: hand-counted. */
static void test_period__units(void)
{
	static const char *groups[] = {"sex"};
	char *text = test_read("tests/data/period/three_months.csv", NULL);
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_period_options po = FA_PERIOD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;
	size_t i, total = 0;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.period_column = "date";
	lo.period_every = FA_PERIOD_QUARTER;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.min_n = 1;
	po.column = "date";
	po.every = FA_PERIOD_QUARTER;
	po.min_n = 1;
	if (fa_load_memory(&t, "p.csv", text, strlen(text), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0 || fa_audit_run_periods(r, t, &ao, &po, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		goto done;
	}
	/* Q1: January and March, 11 records; Q2: April, 8 */
	CHECK_INT(r->nperiods, 2);
	CHECK_STR(r->periods[0].label, "2026-Q1");
	CHECK_INT(r->periods[0].n, 11);
	CHECK_STR(r->periods[1].label, "2026-Q2");
	CHECK_STR(r->periods[1].first_day, "2026-04-01");
	CHECK_STR(r->periods[1].last_day, "2026-06-30");
	CHECK_INT(r->periods[1].n, 8);
	fa_result_free(r);
	fa_table_free(t);
	r = NULL;
	t = NULL;
	/* weeks: 2026-W01 (Jan 1, 2) to 2026-W18 (Apr 30), 18 of them */
	lo.period_every = FA_PERIOD_WEEK;
	po.every = FA_PERIOD_WEEK;
	if (fa_load_memory(&t, "p.csv", text, strlen(text), &lo, &err) < 0 ||
	    fa_audit_run(&r, t, &ao, &err) < 0 || fa_audit_run_periods(r, t, &ao, &po, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		goto done;
	}
	CHECK_INT(r->nperiods, 18);
	if (r->nperiods == 18) {
		CHECK_STR(r->periods[0].label, "2026-W01");
		CHECK_STR(r->periods[0].first_day, "2025-12-29");
		CHECK_INT(r->periods[0].n, 2); /* 2026-01-01, 2026-01-02 */
		CHECK_STR(r->periods[4].label, "2026-W05");
		CHECK_INT(r->periods[4].n, 2); /* 2026-01-31 twice */
		CHECK_STR(r->periods[17].label, "2026-W18");
		CHECK_INT(r->periods[17].n, 1); /* 2026-04-30 */
		for (i = 0; i < r->nperiods; i++)
			total += r->periods[i].n;
		CHECK_INT(total, 19);
	}
done:
	fa_result_free(r);
	fa_table_free(t);
	free(text);
}

static int same_estimate(const fa_estimate *a, const fa_estimate *b)
{
	int same_v = (isnan(a->value) && isnan(b->value)) || a->value == b->value;
	if (!same_v || a->has_ci != b->has_ci)
		return 0;
	return !a->has_ci || (a->ci_low == b->ci_low && a->ci_high == b->ci_high);
}

/* The header and the lines of `text` holding `part`. */
static char *lines_with(const char *text, const char *part)
{
	fa_buf b = FA_BUF_INIT;
	const char *p = text, *nl;
	int first = 1;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		char *line = fa_xstrndup(p, (size_t)(nl - p));
		if (first || strstr(line, part)) {
			fa_buf_put(&b, p, (size_t)(nl - p));
			fa_buf_putc(&b, '\n');
		}
		free(line);
		first = 0;
		p = *nl ? nl + 1 : nl;
	}
	return fa_buf_detach(&b);
}

/* A period's result is the audit of its records alone with the period's
 * seed, intervals included, and does not depend on the other periods. */
static void test_period__equals_audit_of_its_rows(void)
{
	static const char *groups[] = {"sex"};
	char *text = test_read("tests/data/period/three_months.csv", NULL);
	char *jan = lines_with(text, "2026-01-"), *two = NULL;
	fa_result *r = audit_periods(text, 300, 6, NULL, 0), *alone = NULL, *r2 = NULL;
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_error err;
	size_t g;
	int m;

	lo.attr_columns = groups;
	lo.attr_count = 1;
	ao.groups = groups;
	ao.ngroups = 1;
	ao.min_n = 1;
	ao.bootstrap = 300;
	ao.threads = 1;
	ao.permutations = 0;
	ao.seed = fa_period_seed(7, "2026-01");
	if (!r || fa_load_memory(&t, "jan.csv", jan, strlen(jan), &lo, &err) < 0 ||
	    fa_audit_run(&alone, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", r ? err.message : "no result");
		goto done;
	}
	CHECK_INT(alone->overall.n, 8);
	for (m = 0; m < FA_M__COUNT; m++) {
		CHECK(same_estimate(&r->periods[0].overall.metrics[m], &alone->overall.metrics[m]));
		CHECK(same_estimate(&r->periods[0].attrs[0].gaps[m].gap, &alone->attrs[0].gaps[m].gap));
		CHECK(same_estimate(&r->periods[0].attrs[0].gaps[m].gap_simultaneous,
				    &alone->attrs[0].gaps[m].gap_simultaneous));
		for (g = 0; g < 2; g++)
			CHECK(same_estimate(&r->periods[0].attrs[0].groups[g].metrics[m],
					    &alone->attrs[0].groups[g].metrics[m]));
	}
	CHECK(r->periods[0].overall.metrics[FA_M_AUC].has_ci);
	/* without March, January's numbers stay */
	two = lines_with(text, "2026-0");
	{
		char *p;
		while ((p = strstr(two, "2026-03")) != NULL) {
			char *start = p, *end = strchr(p, '\n');
			while (start > two && start[-1] != '\n')
				start--;
			memmove(start, end + 1, strlen(end + 1) + 1);
		}
	}
	r2 = audit_periods(two, 300, 6, NULL, 0);
	CHECK(r2 != NULL);
	if (r2) {
		CHECK_INT(r2->nperiods, 4);
		CHECK_INT(r2->periods[2].n, 0);
		for (m = 0; m < FA_M__COUNT; m++)
			CHECK(same_estimate(&r->periods[0].attrs[0].gaps[m].gap,
					    &r2->periods[0].attrs[0].gaps[m].gap));
	}
	/* and another seed moves the intervals */
	CHECK(fa_period_seed(7, "2026-01") != fa_period_seed(7, "2026-04"));
	CHECK(fa_period_seed(7, "2026-01") != fa_period_seed(8, "2026-01"));
done:
	fa_result_free(r);
	fa_result_free(r2);
	fa_result_free(alone);
	fa_table_free(t);
	free(jan);
	free(two);
	free(text);
}

/* --reference sex=F: a period without F gets the engine's reference; the
 * whole data keeps F. */
static void test_period__reference_absent(void)
{
	static const char *refs[] = {"sex=F"};
	const char *text = "label,score,sex,date\n"
			   "1,0.9,F,2026-01-05\n0,0.2,F,2026-01-06\n"
			   "1,0.8,M,2026-01-07\n0,0.6,M,2026-01-08\n"
			   "1,0.7,M,2026-02-05\n0,0.1,M,2026-02-06\n"
			   "1,0.4,M,2026-02-07\n0,0.3,M,2026-02-08\n";
	fa_result *r = audit_periods(text, 0, 1, refs, 1);

	if (!r)
		return;
	CHECK_STR(r->attrs[0].groups[r->attrs[0].reference].value, "F");
	CHECK_INT(r->nperiods, 2);
	CHECK_INT(r->periods[1].attrs[0].ngroups, 1);
	CHECK_STR(r->periods[1].attrs[0].groups[0].value, "M");
	/* one group: no gap, and why */
	CHECK_NAN(r->periods[1].attrs[0].gaps[FA_M_TPR].gap.value);
	CHECK(r->periods[1].attrs[0].gaps[FA_M_TPR].gap.reason != NULL);
	CHECK_NEAR(r->periods[1].overall.metrics[FA_M_TPR].value, 0.5, 1e-15);
	fa_result_free(r);
}

/* One class only, and a span too long to list. */
static void test_period__insufficient_and_limits(void)
{
	const char *one_class = "label,score,sex,date\n"
				"1,0.9,F,2026-01-05\n0,0.2,M,2026-01-06\n"
				"1,0.7,M,2026-02-05\n1,0.1,F,2026-02-06\n"
				"0,0.7,M,2026-03-05\n0,0.1,F,2026-03-06\n";
	fa_result *r = audit_periods(one_class, 0, 1, NULL, 0);
	static const char *groups[] = {"sex"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_period_options po = FA_PERIOD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r2 = NULL;
	fa_error err;
	const char *span = "label,score,sex,date\n1,0.9,F,1826-01-05\n0,0.2,M,2026-01-06\n";

	if (r) {
		CHECK_INT(r->nperiods, 3);
		CHECK(!r->periods[0].insufficient);
		CHECK(r->periods[1].insufficient);
		CHECK_STR(r->periods[1].reason, "no negative records in this period");
		CHECK_STR(r->periods[2].reason, "no positive records in this period");
		fa_result_free(r);
	}
	/* 1826-01 to 2026-01 is 2401 months */
	lo.attr_columns = groups;
	lo.attr_count = 1;
	lo.period_column = "date";
	ao.groups = groups;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	po.column = "date";
	CHECK(fa_load_memory(&t, "s.csv", span, strlen(span), &lo, &err) == 0);
	CHECK(fa_audit_run(&r2, t, &ao, &err) == 0);
	if (r2) {
		CHECK_INT(fa_audit_run_periods(r2, t, &ao, &po, &err), FA_ELIMIT);
		CHECK_STR(err.message, "--period date: the dates run from 1826-01 to 2026-01, 2401 months, more than the 2000 that can be audited (is a date mistyped? a longer --every gives fewer periods)");
		CHECK_INT(r2->nperiods, 0);
		/* in years it fits */
		fa_table_free(t);
		t = NULL;
		lo.period_every = FA_PERIOD_QUARTER;
		po.every = FA_PERIOD_QUARTER;
		CHECK(fa_load_memory(&t, "s.csv", span, strlen(span), &lo, &err) == 0);
		CHECK_INT(fa_audit_run_periods(r2, t, &ao, &po, &err), 0);
		CHECK_INT(r2->nperiods, 801);
		/* a column loaded with another unit */
		po.every = FA_PERIOD_MONTH;
		CHECK_INT(fa_audit_run_periods(r2, t, &ao, &po, &err), FA_EUSAGE);
		po.column = "sex";
		CHECK_INT(fa_audit_run_periods(r2, t, &ao, &po, &err), FA_EUSAGE);
		po.column = "nope";
		CHECK_INT(fa_audit_run_periods(r2, t, &ao, &po, &err), FA_EUSAGE);
		CHECK_STR(err.message, "--period nope: column was not loaded");
	}
	fa_result_free(r2);
	fa_table_free(t);
}

/* ---- reports -------------------------------------------------------------- */

static char *render(const fa_result *r, int (*fn)(fa_buf *, const fa_result *))
{
	fa_buf b = FA_BUF_INIT;
	fn(&b, r);
	return fa_buf_detach(&b);
}

static void test_period__json_roundtrip(void)
{
	char *text = test_read("tests/data/period/three_months.csv", NULL);
	fa_result *r = audit_periods(text, 100, 6, NULL, 0), *back = NULL;
	char *json = NULL, *again = NULL;
	fa_error err;
	size_t i;
	int m;

	free(text);
	if (!r)
		return;
	json = render(r, fa_report_json);
	CHECK(strstr(json, "\"period_column\": \"date\"") != NULL);
	CHECK(strstr(json, "\"reason\": \"fewer than 6 records (--min-period-n)\"") != NULL);
	if (fa_result_read_json(&back, json, strlen(json), "r.json", &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		goto done;
	}
	again = render(back, fa_report_json);
	CHECK_STR(again, json);
	CHECK_INT(back->nperiods, 4);
	CHECK_STR(back->settings.period_every, "month");
	CHECK_INT(back->settings.min_period_n, 6);
	for (i = 0; i < back->nperiods && i < r->nperiods; i++) {
		CHECK_STR(back->periods[i].label, r->periods[i].label);
		CHECK_STR(back->periods[i].first_day, r->periods[i].first_day);
		CHECK_INT(back->periods[i].n, r->periods[i].n);
		CHECK_INT(back->periods[i].insufficient, r->periods[i].insufficient);
		CHECK_INT(back->periods[i].nattrs, r->periods[i].nattrs);
		for (m = 0; m < FA_M__COUNT; m++) {
			CHECK(same_estimate(&back->periods[i].overall.metrics[m],
					    &r->periods[i].overall.metrics[m]));
			if (r->periods[i].nattrs)
				CHECK(same_estimate(&back->periods[i].attrs[0].gaps[m].gap,
						    &r->periods[i].attrs[0].gaps[m].gap));
		}
	}
	/* every report of the read-back result is the same */
	{
		int (*fns[3])(fa_buf *, const fa_result *) = {fa_report_markdown, fa_report_csv,
							       fa_report_html};
		int k;
		for (k = 0; k < 3; k++) {
			char *a = render(r, fns[k]), *b = render(back, fns[k]);
			CHECK_STR(b, a);
			free(a);
			free(b);
		}
	}
	/* an insufficient period with attributes is refused */
	{
		fa_result *bad = NULL;
		char *p = strstr(json, "\"reason\": \"no records in this period\",\n      \"attributes\": []");
		CHECK(p != NULL);
		if (p) {
			fa_buf b = FA_BUF_INIT;
			size_t at = (size_t)(strstr(p, "[]") - json);
			fa_buf_put(&b, json, at);
			fa_buf_puts(&b, "[{}]");
			fa_buf_puts(&b, json + at + 2);
			CHECK(fa_result_read_json(&bad, b.ptr, b.len, "r.json", &err) == FA_EINPUT);
			CHECK_STR(err.message, "not a fairaudit report: \"periods[1].attributes\" is not empty in an insufficient period");
			fa_result_free(bad);
			fa_buf_free(&b);
		}
	}
done:
	free(json);
	free(again);
	fa_result_free(back);
	fa_result_free(r);
}

static int has(const char *text, const char *part)
{
	if (strstr(text, part))
		return 1;
	test_fail(__FILE__, __LINE__, "missing: %s", part);
	return 0;
}

static void test_period__markdown_csv_html(void)
{
	char *text = test_read("tests/data/period/three_months.csv", NULL);
	fa_result *r = audit_periods(text, 0, 6, NULL, 0);
	char *md, *csv, *html;
	const char *p;
	size_t rows = 0;

	free(text);
	if (!r)
		return;
	md = render(r, fa_report_markdown);
	has(md, "## Drift over time\n\nBy month of date, the calendar date as written: 4 periods from 2026-01 to 2026-04, 2 insufficient.");
	/* hand-worked gaps; insufficient periods blank with their reason */
	has(md, "| 2026-01    |   8 | ok               |    2/2 |     0.500 |     0.500 |     0.500 |     0.250 |");
	has(md, "| 2026-02    |   0 | insufficient[^");
	has(md, "| 2026-03    |   3 | insufficient[^");
	has(md, "| 2026-04    |   8 | ok               |    2/2 |     0.500 |     1.000 |     0.500 |     0.250 |");
	/* blank, not zero */
	has(md, "] |        |           |           |           |           |\n| 2026-03    |   3 |");
	/* without bootstrap the cells carry analytic intervals: Wilson's for
	 * 3/4 and 1/4 of 4, by hand [0.3006, 0.9544] and [0.0456, 0.6994] */
	has(md, "| 2026-01    | 2026-01-01 |   8 |     4 | ok               | 0.938 [");
	has(md, "| 0.750 [0.301, 0.954] | 0.250 [0.046, 0.699] |\n| 2026-02");
	has(md, "| 2026-02    | 2026-02-01 |   0 |     0 | insufficient[^");
	has(md, ": fewer than 6 records (--min-period-n)\n");
	has(md, ": no records in this period\n");
	csv = render(r, fa_report_csv);
	has(csv, ",operating_point,period\n");
	has(csv, "\noverall,overall,auc,0.9375,,,8,ok,");
	has(csv, "\noverall,overall,auc,,,,0,insufficient,,,,,,2026-02\n");
	has(csv, "\noverall,overall,auc,,,,3,insufficient,,,,,,2026-03\n");
	has(csv, "\nsex,(all),fpr_gap,1,,,,,,,,,,2026-04\n");
	has(csv, "\nsex,(all),auc_gap,0.25,,,,,,,,,,2026-01\n");
	has(csv, "\nsex,F,tpr,0.5,,,4,ok,");
	/* whole data (1 + 14 + 2 x 44 + 102) + four periods of 14 overall rows
	 * + two audited ones with 2 x 14 group rows, 70 gap rows, 4 summaries */
	for (p = csv; *p; p++)
		rows += *p == '\n';
	CHECK_INT(rows, 1 + 14 + 2 * 44 + 102 + 4 * 14 + 2 * (28 + 70 + 4));
	html = render(r, fa_report_html);
	has(html, "<section class=\"attr\" id=\"periods\">");
	has(html, "class=\"drift\"");
	has(html, "fill=\"url(#nodata");
	has(html, "<title>2026-03: insufficient, n = 3 (fewer than 6 records (--min-period-n))</title>");
	fa_result_free(r);
	free(md);
	free(csv);
	free(html);
}

test_case test_period__cases[] = {
	{"dates_valid", test_period__dates_valid},
	{"dates_invalid", test_period__dates_invalid},
	{"labels", test_period__labels},
	{"bounds", test_period__bounds},
	{"weeks_every_day", test_period__weeks_every_day},
	{"load_errors", test_period__load_errors},
	{"load_skip", test_period__load_skip},
	{"many_dates", test_period__many_dates},
	{"usage", test_period__usage},
	{"hand_worked", test_period__hand_worked},
	{"units", test_period__units},
	{"equals_audit_of_its_rows", test_period__equals_audit_of_its_rows},
	{"reference_absent", test_period__reference_absent},
	{"insufficient_and_limits", test_period__insufficient_and_limits},
	{"json_roundtrip", test_period__json_roundtrip},
	{"markdown_csv_html", test_period__markdown_csv_html},
	{NULL, NULL},
};
