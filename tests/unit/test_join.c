/*
 * test_join.c: models from files of their own, joined to the main input by
 * a record id (join.h).
 *
 * tests/data/join/main.csv is tests/data/models_hand.csv with an id column:
 *
 *   id     r1   r2   r3   r4   r5   r6   r7   r8
 *   label  1    1    0    0    1    1    0    0
 *   s1     0.9  0.4  0.6  0.1  0.8  0.3  0.2  0.7
 *   s2     0.6  0.7  0.2  0.3  0.8  0.35 0.1  0.65
 *   g      A    A    A    A    B    B    B    B
 *
 * b.csv holds s2 as "score" in the order r5 r3 r8 r1 r7 r2 r6 r4, b.jsonl
 * in the order r8 ... r1, and b_label.csv and b_label.jsonl with a label
 * column (true/false) in yet other orders. Joined, each must give s2 in the main input's
 * order, and an audit the hand-worked values of test_models.c: model s2
 * has overall AUC 14/16 = 0.875 and TPR 3/4, group A AUC 1, group B AUC
 * 3/4; model s1 overall AUC 12/16 = 0.75.
 *
 * Without r6 (b_missing.csv, --on-invalid skip) the positives are r1 r2 r5
 * and the negatives r3 r4 r7 r8. s2: 0.6 beats 0.2 0.3 0.1 (3), 0.7 and
 * 0.8 beat all four (4 + 4): AUC 11/12. s1: 0.9 beats all four (4), 0.4
 * beats 0.1 and 0.2 (2), 0.8 beats 0.6 0.1 0.2 0.7 (4): AUC 10/12.
 * Without r1 (b_bad_score.csv, whose r1 score is "high") s2's positives
 * are 0.7 0.8 0.35 against 0.2 0.3 0.1 0.65: 4 + 4 + 3 = 11 of 12.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdlib.h>

static const double S1[8] = {0.9, 0.4, 0.6, 0.1, 0.8, 0.3, 0.2, 0.7};
static const double S2[8] = {0.6, 0.7, 0.2, 0.3, 0.8, 0.35, 0.1, 0.65};

/* Join `main` (one or two files under tests/data/join) with the models;
 * NULL on error, with `err` filled. */
static fa_join *join(const char *main1, const char *main2, const fa_join_model *models,
		     size_t n, fa_on_invalid on_invalid, fa_error *err)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	static const char *const attrs[] = {"g"};
	const char *paths[2];
	fa_join_model m[8];
	char rel[8][256];
	size_t k;
	fa_join *j = NULL;

	if (n > 8)
		abort();
	paths[0] = test_path(main1);
	paths[1] = main2 ? test_path(main2) : NULL;
	lo.attr_columns = attrs;
	lo.attr_count = 1;
	lo.id_column = "id";
	lo.on_invalid = on_invalid;
	for (k = 0; k < n; k++) {
		m[k] = models[k];
		if (m[k].path) {
			snprintf(rel[k], sizeof(rel[k]), "%s", test_path(m[k].path));
			m[k].path = rel[k];
		}
	}
	fa_error_clear(err);
	if (fa_join_load(&j, paths, main2 ? 2 : 1, &lo, m, n, err) < 0)
		return NULL;
	return j;
}

static void check_scores(const double *got, const double *want, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		CHECK_NEAR(got[i], want[i], 0);
}

static fa_result *audit(const fa_join *j)
{
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	static const char *const groups[] = {"g"};
	const fa_model_input *in;
	fa_result *r = NULL;
	fa_error err;
	size_t n;

	ao.groups = groups;
	ao.ngroups = 1;
	ao.min_n = 1;
	ao.bootstrap = 0;
	ao.permutations = 0;
	in = fa_join_models(j, &n);
	if (fa_audit_run_models(&r, in, n, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s", err.message);
	return r;
}

static void test_join__shuffled_files_align(void)
{
	static const fa_join_model m[] = {
		{"a", NULL, "s1"},
		{"b", "tests/data/join/b.csv", NULL},
		{"c", "tests/data/join/b.jsonl", "score"},
		{"d", "tests/data/join/b_label.csv", NULL},
		{"e", "tests/data/join/b_label.jsonl", NULL},
	};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 5, FA_ON_INVALID_ERROR, &err);
	const fa_model_input *in;
	const fa_table *t;
	size_t n, k;

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	t = fa_join_table(j);
	in = fa_join_models(j, &n);
	CHECK_INT(n, 5);
	CHECK_INT(fa_table_rows(t), 8);
	check_scores(fa_table_scores(t), S1, 8);
	CHECK_STR(fa_table_score_column(t), "s1");
	check_scores(in[0].scores, S1, 8);
	for (k = 1; k < 5; k++) {
		CHECK(in[k].table == t);
		check_scores(in[k].scores, S2, 8);
		CHECK_STR(in[k].score_column, "score");
	}
	CHECK_STR(in[2].name, "c");
	/* the id column is gone; the group column stays */
	CHECK_INT(fa_table_attr_count(t), 1);
	CHECK_STR(fa_table_attr_name(t, 0), "g");
	/* the model files follow the main input in the provenance */
	CHECK_INT(fa_table_file_count(t), 5);
	CHECK_STR(fa_table_file(t, 3)->path, test_path("tests/data/join/b_label.csv"));
	CHECK_STR(fa_table_file(t, 2)->format, "jsonl");
	CHECK_INT(fa_table_file(t, 1)->rows, 8);
	CHECK_INT(fa_table_rows_read(t), 8);
	CHECK_INT(fa_table_rows_dropped(t), 0);
	fa_join_free(j);
}

static void test_join__audit_hand_values(void)
{
	static const fa_join_model m[] = {
		{"a", NULL, "s1"},
		{"b", "tests/data/join/b.csv", NULL},
	};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 2, FA_ON_INVALID_ERROR, &err);
	fa_result *r;

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	r = audit(j);
	if (r) {
		CHECK_INT(r->nmodels, 2);
		CHECK_NEAR(r->models[0].overall.metrics[FA_M_AUC].value, 0.75, 1e-12);
		CHECK_NEAR(r->models[1].overall.metrics[FA_M_AUC].value, 0.875, 1e-12);
		CHECK_NEAR(r->models[1].overall.metrics[FA_M_TPR].value, 0.75, 1e-12);
		CHECK_NEAR(r->models[1].attrs[0].groups[0].metrics[FA_M_AUC].value, 1, 1e-12);
		CHECK_NEAR(r->models[1].attrs[0].groups[1].metrics[FA_M_AUC].value, 0.75, 1e-12);
		CHECK_INT(r->rows_used, 8);
	}
	fa_result_free(r);
	fa_join_free(j);
}

/* Only model files: the main input needs no score column, and the first
 * model's scores become the table's. */
static void test_join__files_only(void)
{
	static const fa_join_model m[] = {
		{"b", "tests/data/join/b.jsonl", NULL},
		{"a", NULL, "s1"},
		{"c", "tests/data/join/b.csv", NULL},
	};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 3, FA_ON_INVALID_ERROR, &err);
	const fa_model_input *in;
	size_t n;

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	in = fa_join_models(j, &n);
	CHECK_STR(fa_table_score_column(fa_join_table(j)), "score");
	check_scores(fa_table_scores(fa_join_table(j)), S2, 8);
	check_scores(in[0].scores, S2, 8);
	check_scores(in[1].scores, S1, 8);
	check_scores(in[2].scores, S2, 8);
	fa_join_free(j);

	j = join("tests/data/join/main.csv", NULL, m, 1, FA_ON_INVALID_ERROR, &err);
	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	check_scores(fa_table_scores(fa_join_table(j)), S2, 8);
	fa_join_free(j);
}

/* Two main files are one data set: lines and files in messages are each
 * record's own. */
static void test_join__two_main_files(void)
{
	static const fa_join_model m[] = {{"b", "tests/data/join/b.csv", NULL}};
	static const fa_join_model miss[] = {{"b", "tests/data/join/b_missing.csv", NULL}};
	fa_error err;
	fa_join *j = join("tests/data/join/main_a.csv", "tests/data/join/main_b.csv", m, 1,
			  FA_ON_INVALID_ERROR, &err);
	char want[2048];

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	check_scores(fa_join_models(j, &(size_t){0})[0].scores, S2, 8);
	fa_join_free(j);

	j = join("tests/data/join/main_a.csv", "tests/data/join/main_b_dup.csv", m, 1,
		 FA_ON_INVALID_ERROR, &err);
	CHECK(j == NULL);
	CHECK_INT(err.code, FA_EINPUT);
	CHECK_STR(err.path, test_path("tests/data/join/main_b_dup.csv"));
	CHECK_INT(err.line, 4);
	snprintf(want, sizeof(want),
		 "id \"r2\" appears twice in column \"id\", on line 3 of %s and here; every record needs an id of its own",
		 test_path("tests/data/join/main_a.csv"));
	CHECK_STR(err.message, want);
	fa_join_free(j);

	j = join("tests/data/join/main_a.csv", "tests/data/join/main_b.csv", miss, 1,
		 FA_ON_INVALID_ERROR, &err);
	CHECK(j == NULL);
	snprintf(want, sizeof(want),
		 "id \"r6\" (line 3 of %s) has no row in this file; every record needs a score from every model (--on-invalid skip drops such records)",
		 test_path("tests/data/join/main_b.csv"));
	CHECK_STR(err.message, want);
	fa_join_free(j);
}

static void test_join__missing_id(void)
{
	static const fa_join_model m[] = {{"a", NULL, "s1"},
					  {"b", "tests/data/join/b_missing.csv", NULL}};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 2, FA_ON_INVALID_ERROR, &err);
	char want[2048];

	CHECK(j == NULL);
	CHECK_INT(err.code, FA_EINPUT);
	CHECK_STR(err.path, test_path("tests/data/join/b_missing.csv"));
	CHECK_INT(err.line, 0);
	snprintf(want, sizeof(want),
		 "id \"r6\" (line 7 of %s) has no row in this file; every record needs a score from every model (--on-invalid skip drops such records)",
		 test_path("tests/data/join/main.csv"));
	CHECK_STR(err.message, want);
	fa_join_free(j);
}

static void test_join__extra_id(void)
{
	static const fa_join_model m[] = {{"a", NULL, "s1"},
					  {"b", "tests/data/join/b_extra.csv", NULL}};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 2, FA_ON_INVALID_ERROR, &err);
	char want[2048];

	CHECK(j == NULL);
	CHECK_INT(err.code, FA_EINPUT);
	CHECK_STR(err.path, test_path("tests/data/join/b_extra.csv"));
	CHECK_INT(err.line, 6);
	snprintf(want, sizeof(want), "id \"r9\" is not in the main input (%s)",
		 test_path("tests/data/join/main.csv"));
	CHECK_STR(err.message, want);
	fa_join_free(j);
}

static void test_join__duplicate_id(void)
{
	static const fa_join_model m[] = {{"a", NULL, "s1"},
					  {"b", "tests/data/join/b_dup.csv", NULL}};
	static const fa_join_model ok[] = {{"b", "tests/data/join/b.csv", NULL}};
	static const fa_join_model json[] = {{"b", "tests/data/join/b_dup.json", NULL}};
	fa_error err;
	fa_join *j;
	int pass;

	/* a repeated id is an error even when bad rows are skipped */
	for (pass = 0; pass < 2; pass++) {
		j = join("tests/data/join/main.csv", NULL, m, 2,
			 pass ? FA_ON_INVALID_SKIP : FA_ON_INVALID_ERROR, &err);
		CHECK(j == NULL);
		CHECK_INT(err.code, FA_EINPUT);
		CHECK_STR(err.path, test_path("tests/data/join/b_dup.csv"));
		CHECK_INT(err.line, 7);
		CHECK_STR(err.message,
			  "id \"r3\" appears twice in column \"id\", on lines 3 and 7; every record needs an id of its own");
		fa_join_free(j);
	}
	/* JSON: the line where each record starts */
	j = join("tests/data/join/main.csv", NULL, json, 1, FA_ON_INVALID_ERROR, &err);
	CHECK(j == NULL);
	CHECK_STR(err.path, test_path("tests/data/join/b_dup.json"));
	CHECK_INT(err.line, 10);
	CHECK_STR(err.message,
		  "id \"r2\" appears twice in column \"id\", on lines 3 and 10; every record needs an id of its own");
	fa_join_free(j);
	j = join("tests/data/join/main_dup.csv", NULL, ok, 1, FA_ON_INVALID_SKIP, &err);
	CHECK(j == NULL);
	CHECK_STR(err.path, test_path("tests/data/join/main_dup.csv"));
	CHECK_INT(err.line, 7);
	CHECK_STR(err.message,
		  "id \"r2\" appears twice in column \"id\", on lines 3 and 7; every record needs an id of its own");
	fa_join_free(j);
}

static void test_join__skip_drops_and_counts(void)
{
	static const fa_join_model miss[] = {{"a", NULL, "s1"},
					     {"b", "tests/data/join/b_missing.csv", NULL}};
	static const fa_join_model extra[] = {{"a", NULL, "s1"},
					      {"b", "tests/data/join/b_extra.csv", NULL}};
	static const fa_join_model bad[] = {{"b", "tests/data/join/b_bad_score.csv", NULL},
					    {"a", NULL, "s1"}};
	static const double s1_no6[7] = {0.9, 0.4, 0.6, 0.1, 0.8, 0.2, 0.7};
	static const double s2_no6[7] = {0.6, 0.7, 0.2, 0.3, 0.8, 0.1, 0.65};
	static const uint8_t y_no6[7] = {1, 1, 0, 0, 1, 0, 0};
	static const uint32_t g_no6[7] = {0, 0, 0, 0, 1, 1, 1};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, miss, 2, FA_ON_INVALID_SKIP, &err);
	const fa_table *t;
	const fa_model_input *in;
	fa_result *r;
	size_t n, i;

	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	t = fa_join_table(j);
	in = fa_join_models(j, &n);
	CHECK_INT(fa_table_rows(t), 7);
	CHECK_INT(fa_table_rows_read(t), 8);
	CHECK_INT(fa_table_rows_dropped(t), 1);
	CHECK_INT(fa_table_drops(t, FA_DROP_MISSING_IN_MODEL_FILE), 1);
	CHECK_STR(fa_drop_reason_name(FA_DROP_MISSING_IN_MODEL_FILE), "missing_in_model_file");
	check_scores(in[0].scores, s1_no6, 7);
	check_scores(in[1].scores, s2_no6, 7);
	for (i = 0; i < 7; i++) {
		CHECK_INT(fa_table_labels(t)[i], y_no6[i]);
		CHECK_STR(fa_table_attr_level(t, 0, fa_table_attr_codes(t, 0)[i]),
			  g_no6[i] ? "B" : "A");
	}
	CHECK_INT(fa_join_ignored(j, 1), 0);
	r = audit(j);
	if (r) {
		CHECK_NEAR(r->models[0].overall.metrics[FA_M_AUC].value, 10.0 / 12, 1e-12);
		CHECK_NEAR(r->models[1].overall.metrics[FA_M_AUC].value, 11.0 / 12, 1e-12);
		CHECK_INT(r->rows_dropped, 1);
		CHECK_INT(r->ndrops, 1);
		CHECK_STR(r->drops[0].reason, "missing_in_model_file");
	}
	fa_result_free(r);
	fa_join_free(j);

	/* an id that is no record of the main input is ignored and counted */
	j = join("tests/data/join/main.csv", NULL, extra, 2, FA_ON_INVALID_SKIP, &err);
	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	CHECK_INT(fa_table_rows(fa_join_table(j)), 8);
	CHECK_INT(fa_join_ignored(j, 0), 0);
	CHECK_INT(fa_join_ignored(j, 1), 1);
	check_scores(fa_join_models(j, &n)[1].scores, S2, 8);
	fa_join_free(j);

	/* a row the model file's own load drops leaves its record unscored */
	j = join("tests/data/join/main.csv", NULL, bad, 2, FA_ON_INVALID_SKIP, &err);
	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	t = fa_join_table(j);
	CHECK_INT(fa_table_rows(t), 7);
	CHECK_INT(fa_table_drops(t, FA_DROP_MISSING_IN_MODEL_FILE), 1);
	CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_SCORE), 0);
	CHECK_NEAR(fa_table_scores(t)[0], 0.7, 0);
	r = audit(j);
	if (r)
		CHECK_NEAR(r->models[0].overall.metrics[FA_M_AUC].value, 11.0 / 12, 1e-12);
	fa_result_free(r);
	fa_join_free(j);

	/* without skip the bad score is the model file's error */
	j = join("tests/data/join/main.csv", NULL, bad, 2, FA_ON_INVALID_ERROR, &err);
	CHECK(j == NULL);
	CHECK_STR(err.path, test_path("tests/data/join/b_bad_score.csv"));
	CHECK_INT(err.line, 5);
	CHECK_STR(err.message, "expected a finite number in score column \"score\", got \"high\"");
	fa_join_free(j);
}

static void test_join__label_must_agree(void)
{
	static const fa_join_model m[] = {{"a", NULL, "s1"},
					  {"b", "tests/data/join/b_label_bad.csv", NULL}};
	fa_error err;
	fa_join *j;
	char want[2048];
	int pass;

	for (pass = 0; pass < 2; pass++) {
		j = join("tests/data/join/main.csv", NULL, m, 2,
			 pass ? FA_ON_INVALID_SKIP : FA_ON_INVALID_ERROR, &err);
		CHECK(j == NULL);
		CHECK_INT(err.code, FA_EINPUT);
		CHECK_STR(err.path, test_path("tests/data/join/b_label_bad.csv"));
		CHECK_INT(err.line, 4);
		snprintf(want, sizeof(want),
			 "id \"r3\" is labelled positive here but negative on line 4 of %s; a model file's labels must agree with the main input's",
			 test_path("tests/data/join/main.csv"));
		CHECK_STR(err.message, want);
		fa_join_free(j);
	}
}

static void test_join__empty_id(void)
{
	static const fa_join_model m[] = {{"b", "tests/data/join/b_empty_id.csv", NULL}};
	fa_error err;
	fa_join *j = join("tests/data/join/main.csv", NULL, m, 1, FA_ON_INVALID_ERROR, &err);

	CHECK(j == NULL);
	CHECK_STR(err.path, test_path("tests/data/join/b_empty_id.csv"));
	CHECK_INT(err.line, 4);
	CHECK_INT(err.column, 1);
	CHECK_STR(err.message, "empty value in id column \"id\"");
	fa_join_free(j);

	/* skipped, the row is the file's own drop; r8 then has no score */
	j = join("tests/data/join/main.csv", NULL, m, 1, FA_ON_INVALID_SKIP, &err);
	if (!j) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	CHECK_INT(fa_table_rows(fa_join_table(j)), 7);
	CHECK_INT(fa_table_drops(fa_join_table(j), FA_DROP_MISSING_IN_MODEL_FILE), 1);
	CHECK_NEAR(fa_table_scores(fa_join_table(j))[6], 0.1, 0);
	fa_join_free(j);
}

static void test_join__usage(void)
{
	static const fa_join_model m[] = {{"b", "tests/data/join/b.csv", NULL}};
	static const fa_join_model in2[] = {{"b", "-", NULL}};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	const char *std = "-";
	fa_join *j = NULL;
	fa_error err;

	CHECK_INT(fa_join_load(&j, &std, 1, &lo, m, 1, &err), FA_EUSAGE);
	CHECK_STR(err.message, "model files are joined to the main input by an id column; none was given");
	lo.id_column = "id";
	CHECK_INT(fa_join_load(&j, &std, 1, &lo, in2, 1, &err), FA_EUSAGE);
	CHECK_STR(err.message, "standard input (\"-\") is given 2 times; it can be read once");
	CHECK_INT(fa_join_load(&j, &std, 1, &lo, m, 0, &err), FA_EUSAGE);
	CHECK(j == NULL);
}

typedef struct spec_case {
	const char *value;
	const char *path;   /* NULL: a column */
	const char *column; /* NULL: none given */
} spec_case;

static void test_join__parse_model(void)
{
	static const spec_case cases[] = {
		{"score_v2", NULL, "score_v2"},
		{"column:preds.csv", NULL, "preds.csv"},
		{"column:a/b", NULL, "a/b"},
		{"preds.csv", "preds.csv", NULL},
		{"PREDS.CSV.GZ", "PREDS.CSV.GZ", NULL},
		{"preds.gz", "preds.gz", NULL},
		{"out/preds", "out/preds", NULL},
		{"preds.jsonl:prob", "preds.jsonl", "prob"},
		{"runs/12:00/preds.tsv", "runs/12:00/preds.tsv", NULL},
		{"runs/12:00/preds.tsv:p", "runs/12:00/preds.tsv", "p"},
		{"file:preds", "preds", NULL},
		{"file:preds.ndjson:p:q", "preds.ndjson:p:q", NULL},
		{"file:p.tab:q", "p.tab", "q"},
		{"file:-", "-", NULL},
		{"a:b", NULL, "a:b"},
	};
	size_t i;
	char *path, *column, want[256];
	fa_error err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (fa_join_parse_model(&path, &column, cases[i].value, &err) < 0) {
			test_fail(__FILE__, __LINE__, "%s: %s", cases[i].value, err.message);
			continue;
		}
		if (!cases[i].path != !path || (path && strcmp(path, cases[i].path) != 0) ||
		    !cases[i].column != !column || (column && strcmp(column, cases[i].column) != 0))
			test_fail(__FILE__, __LINE__, "%s: path %s, column %s", cases[i].value,
				  path ? path : "(none)", column ? column : "(none)");
		free(path);
		free(column);
	}
	CHECK_INT(fa_join_parse_model(&path, &column, "file:", &err), FA_EUSAGE);
	CHECK_STR(err.message, "\"file:\": no file after \"file:\"");
	CHECK_INT(fa_join_parse_model(&path, &column, "column:", &err), FA_EUSAGE);
	CHECK_INT(fa_join_parse_model(&path, &column, "p.csv:", &err), FA_EUSAGE);
	CHECK_STR(err.message, "\"p.csv:\": no column after the last ':'");
	CHECK(path == NULL && column == NULL);
	/* a word that names a file here could be either: an error */
	snprintf(want, sizeof(want), "%s", test_path("CMakeLists.txt"));
	CHECK_INT(fa_join_parse_model(&path, &column, "column:x", &err), 0);
	free(column);
	CHECK_INT(fa_join_parse_model(&path, &column, want, &err), 0); /* has a '/' */
	CHECK_STR(path, want);
	free(path);
}

static void test_join__ambiguous_word(void)
{
	char *path = NULL, *column = NULL;
	fa_error err;
	FILE *f;

	/* "fa_join_word" as a file in the working folder */
	f = fopen("fa_join_word", "w");
	if (!f) {
		test_fail(__FILE__, __LINE__, "cannot create fa_join_word here");
		return;
	}
	fclose(f);
	CHECK_INT(fa_join_parse_model(&path, &column, "fa_join_word", &err), FA_EUSAGE);
	CHECK_STR(err.message,
		  "\"fa_join_word\" is a file here but reads as a column name; write file:fa_join_word or column:fa_join_word");
	CHECK(path == NULL && column == NULL);
	remove("fa_join_word");
	CHECK_INT(fa_join_parse_model(&path, &column, "fa_join_word", &err), 0);
	CHECK_STR(column, "fa_join_word");
	free(column);
}

test_case test_join__cases[] = {
	{"join/shuffled_files_align", test_join__shuffled_files_align},
	{"join/audit_hand_values", test_join__audit_hand_values},
	{"join/files_only", test_join__files_only},
	{"join/two_main_files", test_join__two_main_files},
	{"join/missing_id", test_join__missing_id},
	{"join/extra_id", test_join__extra_id},
	{"join/duplicate_id", test_join__duplicate_id},
	{"join/skip_drops_and_counts", test_join__skip_drops_and_counts},
	{"join/label_must_agree", test_join__label_must_agree},
	{"join/empty_id", test_join__empty_id},
	{"join/usage", test_join__usage},
	{"join/parse_model", test_join__parse_model},
	{"join/ambiguous_word", test_join__ambiguous_word},
	{NULL, NULL},
};
