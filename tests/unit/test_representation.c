/*
 * test_representation.c: population files and the comparison of audited
 * groups with them.
 *
 * Goodness-of-fit values come from R's chisq.test(x, p = ...,
 * rescale.p = TRUE), printed by tests/reference/power_reference.R (the
 * names gof_* are the ones it prints); shares and ratios are worked by
 * hand from the counts. Every message of the population reader is
 * checked with its exact text against a file tests/data/population_*.csv.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "fairaudit/representation.h"

#include <stdlib.h>

#define CHECK_REL(got, want, tol) CHECK_NEAR((got), (want), (tol) * fmax(1, fabs(want)))

/* ---- reading ------------------------------------------------------------------ */

static fa_population *read_ok(const char *rel)
{
	fa_population *p = NULL;
	fa_error err;
	if (fa_representation_read(&p, test_path(rel), &err) < 0) {
		char line[2048];
		fa_error_format(&err, line, sizeof(line));
		test_fail(__FILE__, __LINE__, "%s", line);
	}
	return p;
}

static void test_representation__read_valid(void)
{
	fa_population *p = read_ok("tests/data/population_valid.csv");
	const fa_population_attr *a;

	if (!p)
		return;
	CHECK_INT(p->nattrs, 3);
	a = fa_population_find(p, "site");
	CHECK(a != NULL);
	if (a) {
		CHECK_INT(a->nvalues, 3);
		CHECK_STR(a->values[0], "A");
		CHECK_STR(a->values[1], "B"); /* spaces around, quotes stripped */
		CHECK_STR(a->values[2], "D");
		CHECK_NEAR(a->shares[1], 0.3, 0);
		CHECK_INT(a->lines[1], 4); /* the blank line 3 still counts */
	}
	a = fa_population_find(p, "scanner");
	CHECK(a && a->nvalues == 1 && strcmp(a->values[0], "Carestream DRX-1, rev 2") == 0);
	a = fa_population_find(p, "sex+race");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(a->values[0], "F+\"Other\"");
		CHECK(a->shares[0] == 0 && !signbit(a->shares[0]));
	}
	CHECK(fa_population_find(p, "age") == NULL);
	fa_population_free(p);
}

static void expect_error(const char *rel, int code, const char *want)
{
	fa_population *p = (fa_population *)1;
	fa_error err;
	char line[2048], full[2048];

	fa_error_clear(&err);
	CHECK_INT(fa_representation_read(&p, test_path(rel), &err), code);
	CHECK(p == NULL);
	fa_error_format(&err, line, sizeof(line));
	snprintf(full, sizeof(full), "%s%s", test_path(""), want);
	CHECK_STR(line, full);
}

static void test_representation__read_errors(void)
{
	expect_error("tests/data/population_unknown_column.csv", FA_EINPUT,
		     "tests/data/population_unknown_column.csv:1:23: error: unknown column \"source\"; the columns are attribute, value, share");
	expect_error("tests/data/population_duplicate_column.csv", FA_EINPUT,
		     "tests/data/population_duplicate_column.csv:1:23: error: column \"share\" appears twice");
	expect_error("tests/data/population_missing_column.csv", FA_EINPUT,
		     "tests/data/population_missing_column.csv:1: error: missing column \"share\"; the header must name attribute, value and share");
	expect_error("tests/data/population_too_many_fields.csv", FA_EINPUT,
		     "tests/data/population_too_many_fields.csv:3:11: error: expected 3 fields (attribute, value, share), got 4");
	expect_error("tests/data/population_too_few_fields.csv", FA_EINPUT,
		     "tests/data/population_too_few_fields.csv:3:6: error: expected 3 fields (attribute, value, share), got 2");
	expect_error("tests/data/population_not_a_number.csv", FA_EINPUT,
		     "tests/data/population_not_a_number.csv:3:7: error: expected a number in column \"share\", got \"half\"");
	expect_error("tests/data/population_empty_share.csv", FA_EINPUT,
		     "tests/data/population_empty_share.csv:2:7: error: expected a number in column \"share\", got \"\"");
	expect_error("tests/data/population_infinite.csv", FA_EINPUT,
		     "tests/data/population_infinite.csv:3:7: error: expected a finite number in column \"share\", got \"inf\"");
	expect_error("tests/data/population_negative.csv", FA_EINPUT,
		     "tests/data/population_negative.csv:3:7: error: share must not be negative, got \"-0.2\"");
	expect_error("tests/data/population_bad_sum.csv", FA_EINPUT,
		     "tests/data/population_bad_sum.csv:4: error: the shares of attribute \"race\" add up to 0.93, not 1 (allowed: 1 +- 0.01)");
	expect_error("tests/data/population_duplicate_value.csv", FA_EINPUT,
		     "tests/data/population_duplicate_value.csv:4:5: error: value \"F\" of attribute \"sex\" is given twice (first on line 2)");
	expect_error("tests/data/population_empty_value.csv", FA_EINPUT,
		     "tests/data/population_empty_value.csv:2:5: error: empty value");
	expect_error("tests/data/population_empty_attribute.csv", FA_EINPUT,
		     "tests/data/population_empty_attribute.csv:2:1: error: empty attribute");
	expect_error("tests/data/population_unterminated_quote.csv", FA_EINPUT,
		     "tests/data/population_unterminated_quote.csv:2:5: error: quoted field has no closing quote");
	expect_error("tests/data/population_text_after_quote.csv", FA_EINPUT,
		     "tests/data/population_text_after_quote.csv:2:8: error: unexpected text after a closing quote");
	expect_error("tests/data/population_empty.csv", FA_EINPUT,
		     "tests/data/population_empty.csv: error: empty file; expected the header attribute,value,share");
	expect_error("tests/data/population_header_only.csv", FA_EINPUT,
		     "tests/data/population_header_only.csv: error: no shares after the header");
	expect_error("tests/data/population_no_such_file.csv", FA_EIO,
		     "tests/data/population_no_such_file.csv: error: cannot open: No such file or directory");
}

static void test_representation__read_memory(void)
{
	static const char text[] = "attribute,value,share\nsex,F,0.504\nsex,M,0.496\n";
	fa_population *p = NULL;
	fa_error err;

	CHECK_INT(fa_representation_read_memory(&p, "pop", text, strlen(text), &err), 0);
	if (!p)
		return;
	CHECK_STR(p->path, "pop");
	CHECK_INT(p->attrs[0].nvalues, 2);
	CHECK_NEAR(p->attrs[0].shares[0] + p->attrs[0].shares[1], 1, 1e-15);
	fa_population_free(p);
	/* within the tolerance: 0.995 passes, 0.989 does not */
	{
		static const char ok[] = "attribute,value,share\nsex,F,0.5\nsex,M,0.495\n";
		static const char bad[] = "attribute,value,share\nsex,F,0.5\nsex,M,0.489\n";
		CHECK_INT(fa_representation_read_memory(&p, "pop", ok, strlen(ok), &err), 0);
		fa_population_free(p);
		CHECK_INT(fa_representation_read_memory(&p, "pop", bad, strlen(bad), &err), FA_EINPUT);
		CHECK_STR(err.message,
			  "the shares of attribute \"sex\" add up to 0.989, not 1 (allowed: 1 +- 0.01)");
	}
}

/* ---- comparing ---------------------------------------------------------------- */

static fa_result *audit_text(const char *text, const char *col, size_t suppress_below)
{
	const char *const cols[] = {col};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = cols;
	lo.attr_count = 1;
	ao.groups = cols;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	ao.threads = 1;
	ao.min_n = 1;
	ao.suppress_below = suppress_below;
	if (fa_load_memory(&t, "test.csv", text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "audit: %s", err.message);
	fa_table_free(t);
	return r;
}

/* A CSV of label,score,site with `counts[i]` records of site `names[i]`. */
static char *sites_csv(const char *const *names, const size_t *counts, size_t k)
{
	fa_buf b = FA_BUF_INIT;
	size_t i, j;

	fa_buf_puts(&b, "label,score,site\n");
	for (i = 0; i < k; i++)
		for (j = 0; j < counts[i]; j++)
			fa_buf_printf(&b, "%zu,0.%zu,%s\n", j % 2, j % 10, names[i]);
	return fa_buf_detach(&b);
}

static const fa_group_result *group(const fa_result *r, const char *attr, const char *value)
{
	const fa_attr_result *a = fa_result_attr(r, attr);
	size_t i;
	for (i = 0; a && i < a->ngroups; i++)
		if (strcmp(a->groups[i].value, value) == 0)
			return &a->groups[i];
	test_fail(__FILE__, __LINE__, "no group %s=%s", attr, value);
	return NULL;
}

static void test_representation__derm(void)
{
	/* The worked example of docs/clinical.md: 3000 lesions, I 292,
	 * II 843, III 800, IV 570, V 334, VI 161, against the illustrative
	 * catchment shares 0.05, 0.15, 0.20, 0.18, 0.24, 0.18. */
	static const struct {
		const char *type;
		size_t n;
		double pop;
		int under;
	} want[] = {
		{"I", 292, 0.05, 0}, {"II", 843, 0.15, 0}, {"III", 800, 0.20, 0},
		{"IV", 570, 0.18, 0}, {"V", 334, 0.24, 1}, {"VI", 161, 0.18, 1},
	};
	static const char *const cols[] = {"fitzpatrick"};
	const char *path = test_path("data/samples/derm_lesions.jsonl");
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_population *p = read_ok("tests/data/population_derm.csv");
	fa_table *t = NULL;
	fa_result *r = NULL;
	const fa_attr_representation *rep;
	fa_error err;
	size_t i;

	if (!p)
		return;
	lo.label_column = "malignant";
	lo.score_column = "prob";
	lo.attr_columns = cols;
	lo.attr_count = 1;
	ao.groups = cols;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	ao.threads = 1;
	if (fa_load_files(&t, &path, 1, &lo, &err) < 0 || fa_audit_run(&r, t, &ao, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		fa_table_free(t);
		fa_population_free(p);
		return;
	}
	fa_table_free(t);
	fa_representation_annotate(r, p);
	CHECK(r->settings.population && strstr(r->settings.population, "population_derm.csv"));
	CHECK_INT(r->npopulation_unmatched, 0);
	for (i = 0; i < 6; i++) {
		const fa_group_result *g = group(r, "fitzpatrick", want[i].type);
		if (!g)
			continue;
		CHECK_INT(g->n, want[i].n);
		CHECK_INT(g->representation.named, 1);
		CHECK_NEAR(g->representation.audit_share.value, (double)want[i].n / 3000, 1e-15);
		CHECK_NEAR(g->representation.population_share, want[i].pop, 0);
		CHECK_NEAR(g->representation.ratio.value, (double)want[i].n / 3000 / want[i].pop,
			   1e-14);
		CHECK_INT(g->representation.under_represented, want[i].under);
	}
	/* by hand: V 334 / 3000 / 0.24 = 0.46389, VI 161 / 3000 / 0.18 =
	 * 0.29815 */
	CHECK_NEAR(group(r, "fitzpatrick", "V")->representation.ratio.value, 0.46389, 5e-6);
	CHECK_NEAR(group(r, "fitzpatrick", "VI")->representation.ratio.value, 0.29815, 5e-6);
	rep = &fa_result_attr(r, "fitzpatrick")->representation;
	CHECK_INT(rep->named, 1);
	CHECK_INT(rep->n_named, 3000);
	CHECK_INT(rep->n_unnamed, 0);
	CHECK_INT(rep->nabsent, 0);
	CHECK(rep->reason == NULL);
	/* gof_derm_*: chisq.test(counts, p = shares, rescale.p = TRUE) */
	CHECK_REL(rep->chisq, 1018.9207407407407, 1e-12);
	CHECK_INT(rep->df, 5);
	CHECK_REL(rep->p_value, 4.813709431046449e-218, 1e-9);
	CHECK_NEAR(rep->min_expected, 150, 1e-12);
	CHECK_INT(rep->low_expected, 0);
	CHECK_INT(r->overall.representation.named, 0);
	CHECK_NAN(r->overall.representation.audit_share.value);
	fa_result_free(r);
	fa_population_free(p);
}

static void test_representation__absent_and_unnamed(void)
{
	/* data: A 40, B 25, X 10; file: A 0.5, B 0.3, D 0.2. X is reported
	 * as not named; D as absent (observed 0 in the test). */
	static const char *const names[] = {"A", "B", "X"};
	static const size_t counts[] = {40, 25, 10};
	char *csv = sites_csv(names, counts, 3);
	fa_result *r = audit_text(csv, "site", 0);
	fa_population *p = read_ok("tests/data/population_absent.csv");
	const fa_attr_representation *rep;
	const fa_group_result *g;

	free(csv);
	if (!r || !p)
		goto done;
	fa_representation_annotate(r, p);
	rep = &fa_result_attr(r, "site")->representation;
	CHECK_INT(rep->n_named, 65);
	CHECK_INT(rep->n_unnamed, 10);
	CHECK_INT(rep->nabsent, 1);
	if (rep->nabsent == 1) {
		CHECK_STR(rep->absent[0].value, "D");
		CHECK_NEAR(rep->absent[0].share, 0.2, 0);
	}
	/* gof_absent_*: chisq.test(c(40, 25, 0), p = c(0.5, 0.3, 0.2)) */
	CHECK_REL(rep->chisq, 16.282051282051281, 1e-12);
	CHECK_INT(rep->df, 2);
	CHECK_REL(rep->p_value, 0.00029133823650037845, 1e-10);
	/* expected: 65 x (0.5, 0.3, 0.2) = 32.5, 19.5, 13 */
	CHECK_NEAR(rep->min_expected, 13, 1e-12);
	g = group(r, "site", "A");
	if (g) {
		/* 40 / 65 = 0.61538, against 0.5 */
		CHECK_NEAR(g->representation.audit_share.value, 40.0 / 65, 1e-15);
		CHECK_NEAR(g->representation.ratio.value, 40.0 / 65 / 0.5, 1e-14);
		CHECK_INT(g->representation.under_represented, 0);
	}
	g = group(r, "site", "X");
	if (g) {
		CHECK_INT(g->representation.named, 0);
		CHECK_NAN(g->representation.audit_share.value);
		CHECK_STR(g->representation.audit_share.reason,
			  "the population file does not name this group");
		CHECK_INT(g->representation.under_represented, 0);
	}
	/* again, with another file: the earlier annotation is replaced */
	fa_population_free(p);
	p = read_ok("tests/data/population_small.csv");
	if (!p)
		goto done;
	fa_representation_annotate(r, p);
	rep = &fa_result_attr(r, "site")->representation;
	CHECK_INT(rep->nabsent, 1);
	CHECK_STR(rep->absent[0].value, "C");
	CHECK_INT(r->npopulation_unmatched, 1);
	CHECK_STR(r->population_unmatched[0], "region");
done:
	fa_result_free(r);
	fa_population_free(p);
}

static void test_representation__low_expected(void)
{
	/* A 6, B 3, C 1 against 0.5, 0.3, 0.2. gof_small_*: chisq.test(c(6,
	 * 3, 1), p = c(0.5, 0.3, 0.2)), which warns: expected 5, 3, 2. By
	 * hand: 1/5 + 0/3 + 1/2 = 0.7. C: 0.1 / 0.2 = 0.5, not below 0.5. */
	static const char *const names[] = {"A", "B", "C"};
	static const size_t counts[] = {6, 3, 1};
	char *csv = sites_csv(names, counts, 3);
	fa_result *r = audit_text(csv, "site", 0);
	fa_population *p = read_ok("tests/data/population_small.csv");
	const fa_attr_representation *rep;

	free(csv);
	if (!r || !p)
		goto done;
	fa_representation_annotate(r, p);
	rep = &fa_result_attr(r, "site")->representation;
	CHECK_NEAR(rep->chisq, 0.7, 1e-14);
	CHECK_REL(rep->chisq, 0.69999999999999996, 1e-12);
	CHECK_INT(rep->df, 2);
	CHECK_REL(rep->p_value, 0.70468808971871355, 1e-12);
	CHECK_NEAR(rep->min_expected, 2, 1e-14);
	CHECK_INT(rep->low_expected, 1);
	CHECK_NEAR(group(r, "site", "C")->representation.ratio.value, 0.5, 1e-15);
	CHECK_INT(group(r, "site", "C")->representation.under_represented, 0);
done:
	fa_result_free(r);
	fa_population_free(p);
}

static void test_representation__suppressed(void)
{
	/* With --suppress-below 5, B (3 records) and C (1) are withheld:
	 * their shares and the test cannot be computed, but A's share still
	 * can, since the withheld records (10 - 6 = 4) all belong to groups
	 * the file names: 6 / 10. */
	static const char *const names[] = {"A", "B", "C"};
	static const size_t counts[] = {6, 3, 1};
	char *csv = sites_csv(names, counts, 3);
	fa_result *r = audit_text(csv, "site", 5);
	fa_population *p = read_ok("tests/data/population_small.csv");
	const fa_attr_representation *rep;
	const fa_group_result *g;

	free(csv);
	if (!r || !p)
		goto done;
	fa_representation_annotate(r, p);
	rep = &fa_result_attr(r, "site")->representation;
	CHECK_NAN(rep->chisq);
	CHECK_STR(rep->reason, "counts of a suppressed group are withheld");
	CHECK_INT(rep->n_named, 10);
	g = group(r, "site", "C");
	if (g) {
		CHECK_INT(g->status, FA_GROUP_SUPPRESSED);
		CHECK_NAN(g->representation.audit_share.value);
		CHECK_STR(g->representation.audit_share.reason,
			  "counts of a suppressed group are withheld");
		CHECK_NEAR(g->representation.population_share, 0.2, 0);
	}
	g = group(r, "site", "B");
	if (g)
		CHECK_INT(g->status, FA_GROUP_SUPPRESSED);
	g = group(r, "site", "A");
	if (g)
		CHECK_NEAR(g->representation.audit_share.value, 0.6, 1e-15);
done:
	fa_result_free(r);
	fa_population_free(p);
}

static void test_representation__unnamed_attribute(void)
{
	static const char *const names[] = {"A", "B"};
	static const size_t counts[] = {5, 5};
	static const char text[] = "attribute,value,share\nsex,F,0.5\nsex,M,0.5\n";
	char *csv = sites_csv(names, counts, 2);
	fa_result *r = audit_text(csv, "site", 0);
	fa_population *p = NULL;
	fa_error err;

	free(csv);
	if (!r)
		return;
	CHECK_INT(fa_representation_read_memory(&p, "pop.csv", text, strlen(text), &err), 0);
	if (p) {
		fa_representation_annotate(r, p);
		CHECK_INT(fa_result_attr(r, "site")->representation.named, 0);
		CHECK_STR(fa_result_attr(r, "site")->representation.reason,
			  "the population file does not name this attribute");
		CHECK_STR(group(r, "site", "A")->representation.audit_share.reason,
			  "the population file does not name this attribute");
		CHECK_INT(r->npopulation_unmatched, 1);
		CHECK_STR(r->population_unmatched[0], "sex");
	}
	fa_result_free(r);
	fa_population_free(p);
}

test_case test_representation__cases[] = {
	{"read_valid", test_representation__read_valid},
	{"read_errors", test_representation__read_errors},
	{"read_memory", test_representation__read_memory},
	{"derm", test_representation__derm},
	{"absent_and_unnamed", test_representation__absent_and_unnamed},
	{"low_expected", test_representation__low_expected},
	{"suppressed", test_representation__suppressed},
	{"unnamed_attribute", test_representation__unnamed_attribute},
	{NULL, NULL},
};
