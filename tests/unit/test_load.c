/*
 * test_load.c: the loader, format by format, and its messages.
 *
 * Expected values are written out by hand from the input texts: the rows of
 * tests/data/load/same.* (one small data set in every format), the label
 * and score of each row, the level text of each group value, the counts of
 * dropped rows, and the line and column of every error (counted by hand,
 * 1-based, one column per character). SHA-256 digests and sizes of the data
 * files come from coreutils: `sha256sum same.csv same.csv.gz`, `wc -c`.
 * Metrics in the last cases are worked out by hand from the stated rows.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- helpers ----------------------------------------------------------- */

static fa_table *load_mem(const char *name, const char *text, size_t len,
			  const fa_load_options *o, fa_error *err)
{
	fa_table *t = NULL;
	fa_error e;
	if (!err)
		err = &e;
	fa_error_clear(err);
	if (fa_load_memory(&t, name, text, len, o, err) < 0) {
		CHECK(t == NULL);
		return NULL;
	}
	return t;
}

static fa_table *load_str(const char *name, const char *text, const fa_load_options *o)
{
	fa_error err;
	fa_table *t = load_mem(name, text, strlen(text), o, &err);
	if (!t)
		test_fail(__FILE__, __LINE__, "%s: %s:%lu:%lu: %s", name, err.path, err.line,
			  err.column, err.message);
	return t;
}

static fa_table *load_path(const char *rel, const fa_load_options *o)
{
	const char *path = test_path(rel);
	fa_table *t = NULL;
	fa_error err;
	fa_error_clear(&err);
	if (fa_load_files(&t, &path, 1, o, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s: %s:%lu:%lu: %s", rel, err.path, err.line,
			  err.column, err.message);
	return t;
}

/* Loading `text` fails with `code` at (line, col) and a message that
 * begins with `msg`; the error names the file, but for usage errors. */
static void expect_error_at(int srcline, const char *name, const char *text, size_t len,
			    const fa_load_options *o, int code, unsigned long line,
			    unsigned long col, const char *msg)
{
	fa_error err;
	fa_table *t = load_mem(name, text, len, o, &err);
	if (t) {
		test_fail(__FILE__, srcline, "%s: loaded, want an error", name);
		fa_table_free(t);
		return;
	}
	if (err.code != code || err.line != line || err.column != col ||
	    strncmp(err.message, msg, strlen(msg)) != 0 ||
	    strcmp(err.path, code == FA_EUSAGE ? "" : name) != 0)
		test_fail(__FILE__, srcline, "%s: got %d %s:%lu:%lu \"%s\"\n    want %d %s:%lu:%lu \"%s...\"",
			  name, err.code, err.path, err.line, err.column, err.message, code, name,
			  line, col, msg);
}

#define EXPECT_ERROR(name, text, o, code, line, col, msg)                     \
	expect_error_at(__LINE__, name, text, strlen(text), o, code, line, col, msg)

static const char *level(const fa_table *t, size_t attr, size_t row)
{
	return fa_table_attr_level(t, attr, fa_table_attr_codes(t, attr)[row]);
}

/* ---- one data set in every format -------------------------------------- */

/* The six rows of tests/data/load/same.*, written out by hand. */
static const struct {
	int label;
	double score;
	const char *sex, *site, *scanner;
} SAME[6] = {
	{1, 0.9, "F", "SiteA", "GE, rev 2"},
	{0, 0.1, "M", "SiteB", "Siemens"},
	{1, 0.65, "F", "(missing)", "Philips \"X\""},
	{0, 0.35, "M", "Z\xc3\xbcrich", "GE, rev 2"},
	{1, 0.5, "(missing)", "SiteA", "Multi\\x0aline"}, /* the newline, escaped */
	{0, 0.05, "F", "SiteB", "Siemens"},
};

static const char *const SAME_GROUPS[] = {"sex", "site", "scanner"};

static void check_same(const fa_table *t, size_t first, const char *what)
{
	size_t i, a;

	if (!t)
		return;
	for (i = 0; i < 6; i++) {
		size_t r = first + i;
		if (fa_table_labels(t)[r] != SAME[i].label)
			test_fail(__FILE__, __LINE__, "%s row %zu: label %d", what, i + 1,
				  fa_table_labels(t)[r]);
		if (fa_table_scores(t)[r] != SAME[i].score)
			test_fail(__FILE__, __LINE__, "%s row %zu: score %.17g", what, i + 1,
				  fa_table_scores(t)[r]);
		for (a = 0; a < 3; a++) {
			const char *want = a == 0 ? SAME[i].sex : a == 1 ? SAME[i].site : SAME[i].scanner;
			if (strcmp(level(t, a, r), want) != 0)
				test_fail(__FILE__, __LINE__, "%s row %zu %s: got \"%s\", want \"%s\"",
					  what, i + 1, SAME_GROUPS[a], level(t, a, r), want);
		}
	}
}

static void test_load__same_records_every_format(void)
{
	static const struct {
		const char *file, *format;
		int gzip;
	} files[] = {
		{"tests/data/load/same.csv", "csv", 0},
		{"tests/data/load/same_crlf.csv", "csv", 0},
		{"tests/data/load/same_bom.csv", "csv", 0},
		{"tests/data/load/same.tsv", "tsv", 0},
		{"tests/data/load/same.json", "json", 0},
		{"tests/data/load/same.jsonl", "jsonl", 0},
		{"tests/data/load/same.csv.gz", "csv", 1},
		{"tests/data/load/same.tsv.gz", "tsv", 1},
		{"tests/data/load/same.json.gz", "json", 1},
		{"tests/data/load/same.jsonl.gz", "jsonl", 1},
	};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	size_t f;

	o.attr_columns = SAME_GROUPS;
	o.attr_count = 3;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		fa_table *t = load_path(files[f].file, &o);
		const fa_input_file *in;
		if (!t)
			continue;
		CHECK_INT(fa_table_rows(t), 6);
		CHECK_INT(fa_table_rows_read(t), 6);
		CHECK_INT(fa_table_rows_dropped(t), 0);
		CHECK_INT(fa_table_file_count(t), 1);
		in = fa_table_file(t, 0);
		CHECK_STR(in->format, files[f].format);
		CHECK_INT(in->gzip, files[f].gzip);
		CHECK_INT(in->rows, 6);
		check_same(t, 0, files[f].file);
		/* levels: text in natural order, "(missing)" last */
		CHECK_INT(fa_table_attr_levels(t, 1), 4);
		CHECK_STR(fa_table_attr_level(t, 1, 0), "SiteA");
		CHECK_STR(fa_table_attr_level(t, 1, 1), "SiteB");
		CHECK_STR(fa_table_attr_level(t, 1, 2), "Z\xc3\xbcrich");
		CHECK_STR(fa_table_attr_level(t, 1, 3), "(missing)");
		CHECK_INT(fa_table_attr_missing(t, 1), 3);
		CHECK_INT(fa_table_attr_missing(t, 2), FA_NO_CODE);
		fa_table_free(t);
	}
}

static void test_load__provenance(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t = load_path("tests/data/load/same.csv", &o);
	if (t) {
		const fa_input_file *in = fa_table_file(t, 0);
		CHECK_STR(in->sha256, "e470338183f9b652a77fa3376453032424b574f885ab6944fc43b670d26c81d8");
		CHECK_INT(in->bytes, 202);
		CHECK_STR(fa_table_label_column(t), "label");
		CHECK_STR(fa_table_score_column(t), "score");
		CHECK(fa_table_pred_column(t) == NULL);
		CHECK(fa_table_preds(t) == NULL);
		fa_table_free(t);
	}
	/* the digest and size of a gzip file are of its compressed bytes */
	t = load_path("tests/data/load/same.csv.gz", &o);
	if (t) {
		const fa_input_file *in = fa_table_file(t, 0);
		CHECK_STR(in->sha256, "7bec53f520a12b39bf78d68cb196179bf7a769b7da1da7c228f10b59a7af74dc");
		CHECK_INT(in->bytes, 163);
		fa_table_free(t);
	}
}

static void test_load__several_files_one_data_set(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	const char *paths[3];
	fa_table *t = NULL;
	fa_error err;

	paths[0] = test_path("tests/data/load/same.csv");
	paths[1] = test_path("tests/data/load/same.jsonl.gz");
	paths[2] = test_path("tests/data/load/same.tsv");
	o.attr_columns = SAME_GROUPS;
	o.attr_count = 3;
	if (fa_load_files(&t, paths, 3, &o, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		return;
	}
	CHECK_INT(fa_table_rows(t), 18);
	CHECK_INT(fa_table_file_count(t), 3);
	CHECK_STR(fa_table_file(t, 0)->format, "csv");
	CHECK_STR(fa_table_file(t, 1)->format, "jsonl");
	CHECK_INT(fa_table_file(t, 1)->gzip, 1);
	CHECK_STR(fa_table_file(t, 2)->format, "tsv");
	CHECK_INT(fa_table_file(t, 2)->rows, 6);
	check_same(t, 0, "file 1");
	check_same(t, 6, "file 2");
	check_same(t, 12, "file 3");
	/* one dictionary across the files: same levels as one file */
	CHECK_INT(fa_table_attr_levels(t, 0), 3);
	fa_table_free(t);
}

/* ---- CSV details -------------------------------------------------------- */

static void test_load__rfc4180_quoting(void)
{
	/* embedded commas, doubled quotes, LF and CRLF inside quotes, an empty
	 * quoted field, spaces around an unquoted field, and mixed line ends */
	static const char text[] = "label,score,note\r\n"
				   "1,0.5,\"a, b\"\n"
				   "0,0.25,\"say \"\"hi\"\"\"\r\n"
				   "1,0.75,\"two\nlines\"\n"
				   "0,0.125,\"crlf\r\ninside\"\r\n"
				   "1,1,\"\"\n"
				   "0,0,  padded  \n";
	static const char *const note[] = {"note"};
	static const char *const want[] = {"a, b", "say \"hi\"", "two\\x0alines",
					   "crlf\\x0d\\x0ainside", "(missing)", "padded"};
	static const double scores[] = {0.5, 0.25, 0.75, 0.125, 1, 0};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;
	size_t i;

	o.attr_columns = note;
	o.attr_count = 1;
	t = load_str("quotes.csv", text, &o);
	if (!t)
		return;
	CHECK_INT(fa_table_rows(t), 6);
	for (i = 0; i < 6; i++) {
		CHECK_STR(level(t, 0, i), want[i]);
		CHECK_INT(fa_table_labels(t)[i], (i + 1) % 2);
		CHECK(fa_table_scores(t)[i] == scores[i]);
	}
	fa_table_free(t);
}

static void test_load__line_endings_and_blank_lines(void)
{
	/* LF, CRLF and old Mac CR line ends, and blank lines, all give the
	 * same three rows */
	static const char *const texts[] = {
		"label,score\n1,0.5\n0,0.25\n1,0.75\n",
		"label,score\r\n1,0.5\r\n0,0.25\r\n1,0.75\r\n",
		"label,score\r1,0.5\r0,0.25\r1,0.75\r",
		"\n\nlabel,score\n\n1,0.5\n  \n0,0.25\r\n\r\n1,0.75",
	};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	size_t i;

	for (i = 0; i < 4; i++) {
		fa_table *t = load_str("ends.csv", texts[i], &o);
		if (!t)
			continue;
		CHECK_INT(fa_table_rows(t), 3);
		CHECK(fa_table_scores(t)[0] == 0.5 && fa_table_scores(t)[1] == 0.25 &&
		      fa_table_scores(t)[2] == 0.75);
		CHECK(fa_table_labels(t)[0] == 1 && fa_table_labels(t)[1] == 0 &&
		      fa_table_labels(t)[2] == 1);
		fa_table_free(t);
	}
}

static void test_load__bom(void)
{
	/* without the BOM removed, the first column would be "\xEF\xBB\xBFlabel" */
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t = load_str("bom.csv", "\xEF\xBB\xBFlabel,score\r\n1,0.5\r\n", &o);
	if (t) {
		CHECK_INT(fa_table_rows(t), 1);
		fa_table_free(t);
	}
	t = load_str("bom.jsonl", "\xEF\xBB\xBF{\"label\": 1, \"score\": 0.5}\n", &o);
	if (t) {
		CHECK_INT(fa_table_rows(t), 1);
		fa_table_free(t);
	}
	/* positions do not count the BOM */
	EXPECT_ERROR("bom2.csv", "\xEF\xBB\xBFlabel,score\n1,x\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"x\"");
	EXPECT_ERROR("utf16.csv", "\xFF\xFEl\0a\0", &o, FA_EINPUT, 1, 1,
		     "the text is UTF-16 (byte-order mark FF FE); convert the file to UTF-8");
}

static void test_load__tsv_and_delimiter(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	static const char *const g[] = {"site"};
	fa_table *t;

	o.attr_columns = g;
	o.attr_count = 1;
	/* in TSV a space is data, a comma too */
	t = load_str("x.tsv", "label\tscore\tsite\n1\t0.5\tSite A, B\n", &o);
	if (t) {
		CHECK_STR(level(t, 0, 0), "Site A, B");
		fa_table_free(t);
	}
	o.delimiter = ';';
	/* "0,5" is not a number: a comma is no decimal mark */
	EXPECT_ERROR("x.txt", "label;score;site\n1;0,5;A\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"0,5\"");
	t = load_str("x.txt", "label;score;site\n1;0.5;A,B\n", &o);
	if (t) {
		CHECK_STR(level(t, 0, 0), "A,B");
		fa_table_free(t);
	}
	/* a delimiter given wins over a JSON-looking first byte */
	EXPECT_ERROR("x.json", "[label;score;site\n1;0.5;A\n", &o, FA_EINPUT, 1, 1,
		     "label column \"label\" not found; the columns are: [label, score, site (did you mean \"[label\"?)");
}

static void test_load__stdin(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	const char *dash = "-";
	fa_table *t = NULL;
	fa_error err;
	int fds[2];
	pid_t pid;
	int saved = dup(0);

	/* a file as standard input */
	CHECK(freopen(test_path("tests/data/load/same.jsonl"), "rb", stdin) != NULL);
	if (fa_load_files(&t, &dash, 1, &o, &err) < 0)
		test_fail(__FILE__, __LINE__, "stdin: %s", err.message);
	if (t) {
		CHECK_INT(fa_table_rows(t), 6);
		CHECK_STR(fa_table_file(t, 0)->path, "-");
		CHECK_STR(fa_table_file(t, 0)->format, "jsonl");
		fa_table_free(t);
		t = NULL;
	}
	/* a gzip stream through a pipe whose first read is one byte long:
	 * the magic bytes arrive in two pieces */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		size_t len;
		char *gz = test_read("tests/data/load/same.csv.gz", &len);
		close(fds[0]);
		if (write(fds[1], gz, 1) != 1)
			_exit(1);
		{
			struct timespec ts = {0, 100000000};
			nanosleep(&ts, NULL);
		}
		if (write(fds[1], gz + 1, len - 1) != (ssize_t)(len - 1))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], 0);
	close(fds[0]);
	o.attr_columns = SAME_GROUPS;
	o.attr_count = 3;
	if (fa_load_files(&t, &dash, 1, &o, &err) < 0)
		test_fail(__FILE__, __LINE__, "stdin pipe: %s", err.message);
	if (t) {
		CHECK_INT(fa_table_file(t, 0)->gzip, 1);
		CHECK_STR(fa_table_file(t, 0)->sha256,
			  "7bec53f520a12b39bf78d68cb196179bf7a769b7da1da7c228f10b59a7af74dc");
		check_same(t, 0, "stdin pipe");
		fa_table_free(t);
		t = NULL;
	}
	waitpid(pid, NULL, 0);
	/* messages name standard input "<stdin>" */
	o.attr_count = 0;
	CHECK(freopen(test_path("tests/data/load/score_text.csv"), "rb", stdin) != NULL);
	CHECK(fa_load_files(&t, &dash, 1, &o, &err) == FA_EINPUT);
	CHECK_STR(err.path, "<stdin>");
	CHECK_INT(err.line, 3);
	CHECK_INT(err.column, 3);
	dup2(saved, 0);
	close(saved);
	clearerr(stdin);
	/* standard input twice is a usage error */
	{
		const char *two[] = {"-", "-"};
		CHECK(fa_load_files(&t, two, 2, &o, &err) == FA_EUSAGE);
		CHECK(t == NULL);
	}
}

/* ---- values ------------------------------------------------------------- */

static void test_load__labels(void)
{
	static const char text[] = "label,score\n"
				   "1,0.1\n0,0.1\ntrue,0.1\nfalse,0.1\nyes,0.1\nno,0.1\n"
				   "TRUE,0.1\nNo,0.1\n1.0,0.1\n0.0,0.1\n";
	static const int want[] = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t = load_str("labels.csv", text, &o);
	size_t i;

	if (t) {
		CHECK_INT(fa_table_rows(t), 10);
		for (i = 0; i < 10; i++)
			if (fa_table_labels(t)[i] != want[i])
				test_fail(__FILE__, __LINE__, "row %zu: label %d", i + 1,
					  fa_table_labels(t)[i]);
		fa_table_free(t);
	}
	EXPECT_ERROR("labels.csv", "label,score\n1,0.5\n2,0.5\n", &o, FA_EINPUT, 3, 1,
		     "unrecognised label \"2\" in column \"label\"");
	EXPECT_ERROR("labels.csv", "label,score\n1,0.5\n,0.5\n", &o, FA_EINPUT, 3, 1,
		     "empty value in label column \"label\"");
	/* --positive: that value is 1, every other value 0, case matters */
	o.positive = "malignant";
	t = load_str("pos.csv", "label,score\nmalignant,0.9\nbenign,0.2\nMalignant,0.3\n1,0.4\n", &o);
	if (t) {
		CHECK(fa_table_labels(t)[0] == 1 && fa_table_labels(t)[1] == 0 &&
		      fa_table_labels(t)[2] == 0 && fa_table_labels(t)[3] == 0);
		fa_table_free(t);
	}
	/* JSON booleans and numbers are labels too */
	o.positive = NULL;
	t = load_str("b.jsonl", "{\"label\": true, \"score\": 0.5}\n{\"label\": false, \"score\": 0.5}\n", &o);
	if (t) {
		CHECK(fa_table_labels(t)[0] == 1 && fa_table_labels(t)[1] == 0);
		fa_table_free(t);
	}
}

static void test_load__scores(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t = load_str("s.csv", "label,score\n1,1e-3\n0, 0.5 \n1,\" 0.25\"\n0,-2\n", &o);

	if (t) {
		CHECK(fa_table_scores(t)[0] == 0.001);
		CHECK(fa_table_scores(t)[1] == 0.5);
		CHECK(fa_table_scores(t)[2] == 0.25);
		CHECK(fa_table_scores(t)[3] == -2);
		fa_table_free(t);
	}
	EXPECT_ERROR("s.csv", "label,score\n1,0.5\n0,high\n", &o, FA_EINPUT, 3, 3,
		     "expected a finite number in score column \"score\", got \"high\"");
	EXPECT_ERROR("s.csv", "label,score\n1,NaN\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"NaN\"");
	EXPECT_ERROR("s.csv", "label,score\n1,-inf\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"-inf\"");
	EXPECT_ERROR("s.csv", "label,score\n1,1e999\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"1e999\"");
	EXPECT_ERROR("s.csv", "label,score\n1,0x1p-2\n", &o, FA_EINPUT, 2, 3,
		     "expected a finite number in score column \"score\", got \"0x1p-2\"");
	EXPECT_ERROR("s.csv", "label,score\n1,\n", &o, FA_EINPUT, 2, 3,
		     "empty value in score column \"score\"");
	EXPECT_ERROR("s.csv", "label,score\n1,\"  \"\n", &o, FA_EINPUT, 2, 3,
		     "empty value in score column \"score\"");
	EXPECT_ERROR("s.jsonl", "{\"label\": 1, \"score\": \"0.5\"}\n", &o, FA_EINPUT, 1, 23,
		     "expected a number in score column \"score\", got a string \"0.5\"");
	EXPECT_ERROR("s.jsonl", "{\"label\": 1, \"score\": null}\n", &o, FA_EINPUT, 1, 23,
		     "empty value in score column \"score\"");
}

static void test_load__pred(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.pred_column = "decision";
	t = load_str("p.csv", "label,score,decision\n1,0.9,1\n1,0.2,0\n0,0.7,true\n0,0.1,false\n", &o);
	if (t) {
		const uint8_t *p = fa_table_preds(t);
		CHECK(p != NULL);
		if (p)
			CHECK(p[0] == 1 && p[1] == 0 && p[2] == 1 && p[3] == 0);
		CHECK_STR(fa_table_pred_column(t), "decision");
		fa_table_free(t);
	}
	EXPECT_ERROR("p.csv", "label,score,decision\n1,0.9,2\n", &o, FA_EINPUT, 2, 7,
		     "expected 0 or 1 in decision column \"decision\", got \"2\"");
	EXPECT_ERROR("p.csv", "label,score\n1,0.9\n", &o, FA_EINPUT, 1, 1,
		     "decision column \"decision\" not found; the columns are: label, score");
}

static void test_load__bin(void)
{
	static const double cuts[] = {40, 65};
	static const char *const want[] = {"(-inf,40)", "[40,65)", "[40,65)", "[65,inf)",
					   "[65,inf)", "(missing)", "(-inf,40)"};
	fa_bin_spec b = {"age", cuts, 2};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;
	size_t i;

	o.bins = &b;
	o.bin_count = 1;
	t = load_str("b.csv", "label,score,age\n1,0.5,30\n0,0.5,40\n1,0.5,64.9\n0,0.5,65\n1,0.5,90\n0,0.5,\n1,0.5,-5\n", &o);
	if (t) {
		CHECK_INT(fa_table_attr_count(t), 1);
		CHECK_INT(fa_table_attr_binned(t, 0), 1);
		CHECK_INT(fa_table_attr_levels(t, 0), 4);
		CHECK_STR(fa_table_attr_level(t, 0, 3), "(missing)");
		for (i = 0; i < 7; i++)
			CHECK_STR(level(t, 0, i), want[i]);
		fa_table_free(t);
	}
	EXPECT_ERROR("b.csv", "label,score,age\n1,0.5,old\n", &o, FA_EINPUT, 2, 7,
		     "expected a number in column \"age\" (binned with --bin), got \"old\"");
}

static void test_load__missing_groups(void)
{
	static const char *const g[] = {"sex", "site"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.attr_columns = g;
	o.attr_count = 2;
	/* CSV: an empty field; JSON: null or an absent key */
	t = load_str("m.csv", "label,score,sex,site\n1,0.5,,A\n0,0.5,F,\n1,0.5,M,A\n", &o);
	if (t) {
		CHECK_STR(level(t, 0, 0), "(missing)");
		CHECK_STR(level(t, 1, 1), "(missing)");
		CHECK_INT(fa_table_attr_missing(t, 0), 2); /* F, M, (missing) */
		CHECK_INT(fa_table_attr_missing(t, 1), 1); /* A, (missing) */
		fa_table_free(t);
	}
	t = load_str("m.jsonl",
		     "{\"label\": 1, \"score\": 0.5, \"site\": \"A\"}\n"
		     "{\"label\": 0, \"score\": 0.5, \"sex\": \"F\", \"site\": null}\n"
		     "{\"label\": 1, \"score\": 0.5, \"sex\": \"M\", \"site\": \"A\"}\n",
		     &o);
	if (t) {
		CHECK_STR(level(t, 0, 0), "(missing)");
		CHECK_STR(level(t, 1, 1), "(missing)");
		CHECK_INT(fa_table_attr_missing(t, 0), 2);
		fa_table_free(t);
	}
	/* a JSON number is the group its CSV text would be */
	t = load_str("n.jsonl",
		     "{\"label\": 1, \"score\": 0.5, \"sex\": 40, \"site\": 0.25}\n"
		     "{\"label\": 1, \"score\": 0.5, \"sex\": 1e20, \"site\": -0.0}\n",
		     &o);
	if (t) {
		CHECK_STR(level(t, 0, 0), "40");
		CHECK_STR(level(t, 1, 0), "0.25");
		CHECK_STR(level(t, 0, 1), "1e+20");
		CHECK_STR(level(t, 1, 1), "0");
		fa_table_free(t);
	}
	/* a group key that no record has is a misspelt column */
	EXPECT_ERROR("m.jsonl", "\n{\"label\": 1, \"score\": 0.5, \"site\": \"A\"}\n", &o, FA_EINPUT,
		     2, 1,
		     "group column \"sex\" not found; the keys of the first record are: label, score, site");
}

static void test_load__skip_counts_drops_by_reason(void)
{
	static const double cuts[] = {50};
	fa_bin_spec b = {"age", cuts, 1};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.on_invalid = FA_ON_INVALID_SKIP;
	o.pred_column = "pred";
	o.bins = &b;
	o.bin_count = 1;
	t = load_str("skip.csv",
		     "label,score,pred,age\n"
		     "1,0.9,1,30\n"     /* kept */
		     "0,0.2,0\n"        /* ragged_row */
		     "0,0.2,0,40,9\n"   /* ragged_row */
		     "2,0.2,0,40\n"     /* invalid_label */
		     "1,abc,0,40\n"     /* invalid_score */
		     "1,nan,0,40\n"     /* invalid_score */
		     ",0.5,0,40\n"      /* missing_value */
		     "1,,0,40\n"        /* missing_value */
		     "1,0.5,maybe,40\n" /* invalid_pred */
		     "1,0.5,1,old\n"    /* invalid_bin_value */
		     "0,0.4,0,60\n",    /* kept */
		     &o);
	if (t) {
		CHECK_INT(fa_table_rows(t), 2);
		CHECK_INT(fa_table_rows_read(t), 11);
		CHECK_INT(fa_table_rows_dropped(t), 9);
		CHECK_INT(fa_table_drops(t, FA_DROP_RAGGED_ROW), 2);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_LABEL), 1);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_SCORE), 2);
		CHECK_INT(fa_table_drops(t, FA_DROP_MISSING_VALUE), 2);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_PRED), 1);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_BIN), 1);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_JSON), 0);
		CHECK(fa_table_scores(t)[0] == 0.9 && fa_table_scores(t)[1] == 0.4);
		CHECK_INT(fa_table_file(t, 0)->rows, 11);
		fa_table_free(t);
	}
	o.pred_column = NULL;
	o.bin_count = 0;
	t = load_str("skip.jsonl",
		     "{\"label\": 1, \"score\": 0.9}\n"        /* kept */
		     "{\"label\": 1, \"score\": }\n"           /* invalid_json */
		     "[1, 2]\n"                                /* invalid_json */
		     "{\"label\": 1, \"score\": 0.5, \"x\": {}}\n" /* invalid_json */
		     "{\"score\": 0.5}\n"                      /* missing_value */
		     "{\"label\": 1, \"score\": \"0.5\"}\n"    /* invalid_score */
		     "{\"label\": 0, \"score\": 0.1}\n",       /* kept */
		     &o);
	if (t) {
		CHECK_INT(fa_table_rows(t), 2);
		CHECK_INT(fa_table_rows_read(t), 7);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_JSON), 3);
		CHECK_INT(fa_table_drops(t, FA_DROP_MISSING_VALUE), 1);
		CHECK_INT(fa_table_drops(t, FA_DROP_INVALID_SCORE), 1);
		fa_table_free(t);
	}
	CHECK_STR(fa_drop_reason_name(FA_DROP_RAGGED_ROW), "ragged_row");
	CHECK_STR(fa_drop_reason_name(FA_DROP_INVALID_BIN), "invalid_bin_value");
	/* problems of the file, not of a row, are errors even when skipping */
	EXPECT_ERROR("skip.csv", "label,score\n1,0.5\n0,\"0.2\n", &o, FA_EINPUT, 3, 3,
		     "unterminated quoted field");
	/* nothing left */
	o.pred_column = NULL;
	EXPECT_ERROR("skip.csv", "label,score\n1,x\n0,\n7,0.5\n", &o, FA_EINPUT, 0, 0,
		     "no usable rows: all 3 data rows were dropped (1 invalid_label, 1 invalid_score, 1 missing_value)");
}

/* ---- levels ------------------------------------------------------------- */

static void test_load__level_order(void)
{
	static const char *const g[] = {"v"};
	static const char *const want[] = {"-1", "01", "1", "1.0", "2.5", "9", "10", "abc",
					   "nan", "site2", "site10", "(missing)"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;
	size_t i;

	o.attr_columns = g;
	o.attr_count = 1;
	t = load_str("o.csv",
		     "label,score,v\n1,0.5,site10\n1,0.5,10\n1,0.5,nan\n1,0.5,\n1,0.5,9\n"
		     "1,0.5,abc\n1,0.5,-1\n1,0.5,site2\n1,0.5,2.5\n1,0.5,1.0\n1,0.5,1\n1,0.5,01\n",
		     &o);
	if (!t)
		return;
	/* equal numbers ("01", "1", "1.0") in byte order */
	CHECK_INT(fa_table_attr_levels(t, 0), 12);
	for (i = 0; i < 12 && i < fa_table_attr_levels(t, 0); i++)
		CHECK_STR(fa_table_attr_level(t, 0, (uint32_t)i), want[i]);
	/* codes follow the new order */
	CHECK_STR(level(t, 0, 0), "site10");
	CHECK_STR(level(t, 0, 3), "(missing)");
	CHECK_INT(fa_table_attr_missing(t, 0), 11);
	fa_table_free(t);
}

static void test_load__invalid_utf8_is_escaped(void)
{
	static const char *const g[] = {"site"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;
	size_t len, i, l;
	char *text = test_read("tests/data/load/invalid_utf8.csv", &len);

	o.attr_columns = g;
	o.attr_count = 1;
	/* rows: Site\xffA, SiteB, Caf\xc3\xa9, Site\xffA */
	t = load_mem("invalid_utf8.csv", text, len, &o, NULL);
	CHECK(t != NULL);
	if (t) {
		CHECK_STR(level(t, 0, 0), "Site\\xffA");
		CHECK_STR(level(t, 0, 1), "SiteB");
		CHECK_STR(level(t, 0, 2), "Caf\xc3\xa9");
		CHECK(fa_table_attr_codes(t, 0)[0] == fa_table_attr_codes(t, 0)[3]);
		CHECK_INT(fa_table_attr_levels(t, 0), 3);
		fa_table_free(t);
	}
	free(text);
	/* overlong forms, surrogates, stray continuation bytes, truncated
	 * sequences and control characters are all escaped; the text "\xff"
	 * typed out and a raw 0xFF byte stay two groups */
	t = load_str("u.csv",
		     "label,score,site\n"
		     "1,0.5,\xc0\xaf\n"
		     "1,0.5,\xed\xa0\x80\n"
		     "1,0.5,a\x80z\n"
		     "1,0.5,\xe2\x82\n"
		     "1,0.5,\"tab\there\"\n"
		     "1,0.5,\\xff\n"
		     "1,0.5,\xff\n"
		     "1,0.5,\xf0\x9f\x98\x80\n",
		     &o);
	if (!t)
		return;
	CHECK_STR(level(t, 0, 0), "\\xc0\\xaf");
	CHECK_STR(level(t, 0, 1), "\\xed\\xa0\\x80");
	CHECK_STR(level(t, 0, 2), "a\\x80z");
	CHECK_STR(level(t, 0, 3), "\\xe2\\x82");
	CHECK_STR(level(t, 0, 4), "tab\\x09here");
	CHECK_STR(level(t, 0, 5), "\\xff");
	CHECK_STR(level(t, 0, 6), "\\xff");
	CHECK(fa_table_attr_codes(t, 0)[5] != fa_table_attr_codes(t, 0)[6]);
	CHECK_STR(level(t, 0, 7), "\xf0\x9f\x98\x80");
	/* no level holds a byte that is not valid UTF-8 or a control byte */
	for (l = 0; l < fa_table_attr_levels(t, 0); l++) {
		const unsigned char *s = (const unsigned char *)fa_table_attr_level(t, 0, (uint32_t)l);
		for (i = 0; s[i]; i++)
			CHECK(s[i] >= 0x20 && s[i] != 0x7f && s[i] != 0xff && s[i] != 0xc0);
	}
	fa_table_free(t);
}

static void test_load__max_groups(void)
{
	static const char *const g[] = {"site"};
	static const char text[] = "label,score,site\n1,0.5,A\n1,0.5,B\n1,0.5,\n1,0.5,C\n1,0.5,A\n1,0.5,D\n";
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.attr_columns = g;
	o.attr_count = 1;
	/* four values and "(missing)": the limit counts values only */
	o.max_groups = 4;
	t = load_str("g.csv", text, &o);
	if (t) {
		CHECK_INT(fa_table_attr_levels(t, 0), 5);
		fa_table_free(t);
	}
	o.max_groups = 3;
	EXPECT_ERROR("g.csv", text, &o, FA_ELIMIT, 7, 7,
		     "column \"site\" has more than 3 distinct values (raise --max-groups, or bin a numeric column with --bin)");
	/* and it is not a row to skip */
	o.on_invalid = FA_ON_INVALID_SKIP;
	EXPECT_ERROR("g.csv", text, &o, FA_ELIMIT, 7, 7, "column \"site\" has more than 3");
}

/* ---- errors and their positions ----------------------------------------- */

static void test_load__csv_error_positions(void)
{
	static const char *const g[] = {"site"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;

	o.attr_columns = g;
	o.attr_count = 1;
	EXPECT_ERROR("e.csv", "", &o, FA_EINPUT, 1, 1,
		     "empty file: expected a header row or JSON records");
	EXPECT_ERROR("e.csv", " \n\r\n\t\n", &o, FA_EINPUT, 1, 1, "empty file");
	EXPECT_ERROR("e.csv", "label,score,site\n", &o, FA_EINPUT, 1, 1,
		     "no data rows: the file has a header only");
	EXPECT_ERROR("e.csv", "\n\nlabel,score,site\n\n", &o, FA_EINPUT, 3, 1,
		     "no data rows: the file has a header only");
	EXPECT_ERROR("e.csv", "label,scroe,site\n1,0.5,A\n", &o, FA_EINPUT, 1, 1,
		     "score column \"score\" not found; the columns are: label, scroe, site (did you mean \"scroe\"?)");
	EXPECT_ERROR("e.csv", "id,site,label,score,site\n1,A,1,0.5,B\n", &o, FA_EINPUT, 1, 21,
		     "column \"site\" appears twice in the header (fields 2 and 5); rename one of them");
	/* too few fields: where the record ends; too many: the first extra */
	EXPECT_ERROR("e.csv", "label,score,site\n1,0.5,A\n0,0.2\n", &o, FA_EINPUT, 3, 6,
		     "expected 3 fields as in the header, got 2");
	EXPECT_ERROR("e.csv", "label,score,site\r\n0,0.2\r\n", &o, FA_EINPUT, 2, 6,
		     "expected 3 fields as in the header, got 2");
	EXPECT_ERROR("e.csv", "label,score,site\n0,0.2,A,extra,more\n", &o, FA_EINPUT, 2, 9,
		     "expected 3 fields as in the header, got 5");
	EXPECT_ERROR("e.csv", "label,score,site\n1,0.5,A\n0,0.2,\"B\n1,0.5,C\n", &o, FA_EINPUT, 3,
		     7, "unterminated quoted field: the quote opened here is never closed");
	EXPECT_ERROR("e.csv", "label,score,site\n0,0.2,Site \"B\"\n", &o, FA_EINPUT, 2, 12,
		     "malformed quoting: a quote inside an unquoted field");
	EXPECT_ERROR("e.csv", "label,score,site\n0,0.2,\"Site\" B\n", &o, FA_EINPUT, 2, 14,
		     "malformed quoting: text after the closing quote of a quoted field");
	{
		static const char nul[] = "label,score,site\n0,0.2,AB\0C\n";
		expect_error_at(__LINE__, "e.csv", nul, sizeof(nul) - 1, &o, FA_EINPUT, 2, 9,
				"NUL byte in the text (is this a binary or UTF-16 file?)");
	}
	/* columns count characters: "Zürich" is 6 of them, 7 bytes */
	EXPECT_ERROR("e.csv", "site,label,score\nZ\xc3\xbcrich,1,x\n", &o, FA_EINPUT, 2, 10,
		     "expected a finite number");
	/* an invalid byte counts as one column */
	EXPECT_ERROR("e.csv", "site,label,score\n\xff\xfe,1,x\n", &o, FA_EINPUT, 2, 6,
		     "expected a finite number");
	/* a record over several lines: the field is on its own line */
	EXPECT_ERROR("e.csv", "site,label,score\n\"two\nline\",1,\nx\n", &o, FA_EINPUT, 3, 9,
		     "empty value in score column");
	EXPECT_ERROR("e.csv", "site,label,score\n\"two\nline\",1,x\n", &o, FA_EINPUT, 3, 9,
		     "expected a finite number in score column \"score\", got \"x\"");
	/* old Mac line ends count as lines */
	EXPECT_ERROR("e.csv", "site,label,score\rA,1,0.5\rB,1,x\r", &o, FA_EINPUT, 3, 5,
		     "expected a finite number");
	/* leading blanks: the column of the value itself */
	EXPECT_ERROR("e.csv", "site,label,score\nA,1,   x\n", &o, FA_EINPUT, 2, 8,
		     "expected a finite number");
	/* TSV */
	EXPECT_ERROR("e.tsv", "site\tlabel\tscore\nA\t1\t\n", &o, FA_EINPUT, 2, 5,
		     "empty value in score column");
}

static void test_load__json_error_positions(void)
{
	static const char *const g[] = {"age"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;

	o.attr_columns = g;
	o.attr_count = 1;
	/* not an array of flat objects */
	EXPECT_ERROR("j.json", "[1, 2, 3]\n", &o, FA_EINPUT, 1, 2,
		     "expected a JSON object for each record, got \"1, 2, 3]\"");
	EXPECT_ERROR("j.json", "{\"records\": [{\"label\": 1, \"score\": 0.9}]}\n", &o, FA_EINPUT, 1,
		     13, "expected a flat JSON object: key \"records\" holds an array");
	EXPECT_ERROR("j.json", "[\n  {\"label\": 1, \"score\": 0.9, \"age\": {\"y\": 3}}\n]\n", &o,
		     FA_EINPUT, 2, 37, "expected a flat JSON object: key \"age\" holds an object");
	EXPECT_ERROR("j.json", "[[1]]", &o, FA_EINPUT, 1, 2,
		     "expected a JSON object for each record, got an array");
	EXPECT_ERROR("j.json", "[]", &o, FA_EINPUT, 1, 1, "no records: the JSON array is empty");
	/* mixed types in a column */
	EXPECT_ERROR("j.jsonl",
		     "{\"label\": 1, \"score\": 0.9, \"age\": 54}\n{\"label\": 0, \"score\": 0.2, \"age\": \"unknown\"}\n",
		     &o, FA_EINPUT, 2, 35,
		     "key \"age\" holds a string here but a number on line 1; a column must keep one type");
	/* invalid JSON: line and column of the first bad character */
	EXPECT_ERROR("j.json", "[\n  {\"label\": 1, \"score\": 0.9},\n  {\"label\": 0, \"score\": 0.2,, \"age\": 3}\n]\n",
		     &o, FA_EINPUT, 3, 29,
		     "invalid JSON: expected a key in double quotes at \", \\\"age\\\": 3}\"");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": 0.9}\n{\"label\": 0 \"score\": 0.2}\n", &o,
		     FA_EINPUT, 2, 13, "invalid JSON: expected ',' or '}' at \"\\\"score\\\": 0.2...\"");
	EXPECT_ERROR("j.jsonl", "{\"label\": tru, \"score\": 0.2}\n", &o, FA_EINPUT, 1, 11,
		     "invalid JSON: an invalid literal (expected true, false or null)");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": -}\n", &o, FA_EINPUT, 1, 23,
		     "invalid JSON: an invalid number");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"sc\\qore\": 0.5}\n", &o, FA_EINPUT, 1, 17,
		     "invalid JSON: an invalid escape in a string");
	/* cJSON takes a raw tab in a string, and so do we */
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"s\tcore\": 0.5}\n", &o, FA_EINPUT, 1, 1,
		     "score column \"score\" not found; the keys are: label, s\\x09core (did you mean \"s\\x09core\"?)");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": [1, 2}\n", &o, FA_EINPUT, 1, 28,
		     "invalid JSON: expected ',' or ']' at \"}\"");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1,\n \"score\": 0.5}\n", &o, FA_EINPUT, 1, 13,
		     "invalid JSON: the record ends too early (JSON Lines needs each object on one line");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": 0.5} x\n", &o, FA_EINPUT, 1, 28,
		     "invalid JSON: unexpected text after the record at \"x\"");
	EXPECT_ERROR("j.json", "[{\"label\": 1, \"score\": 0.5}\n", &o, FA_EINPUT, 1, 28,
		     "invalid JSON: the array is not closed (unexpected end of file)");
	EXPECT_ERROR("j.json", "[{\"label\": 1, \"score\": 0.5}\n{\"label\": 1}]", &o, FA_EINPUT, 2, 1,
		     "invalid JSON: expected ',' or ']', got \"{\\\"label\\\": 1}...\"");
	EXPECT_ERROR("j.json", "[{\"label\": 1, \"score\": 0.5}] x", &o, FA_EINPUT, 1, 30,
		     "invalid JSON: expected nothing after the closing ']'");
	EXPECT_ERROR("j.json", "[{\"label\": 1,\n \"score\": 0.5\n", &o, FA_EINPUT, 1, 2,
		     "invalid JSON: the record that starts here is not closed");
	/* columns count characters */
	EXPECT_ERROR("j.jsonl", "{\"n\": \"\xc3\xa9\xc3\xa9\", \"label\": 1, \"score\": \"x\"}\n", &o,
		     FA_EINPUT, 1, 34, "expected a number in score column");
	/* keys: missing, twice, NUL */
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"scroe\": 0.5}\n", &o, FA_EINPUT, 1, 1,
		     "score column \"score\" not found; the keys are: label, scroe (did you mean \"scroe\"?)");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": 0.5}\n  {\"label\": 1}\n", &o, FA_EINPUT, 2, 3,
		     "record has no key \"score\" (the score column)");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": 0.5, \"label\": 0}\n", &o, FA_EINPUT, 1, 37,
		     "key \"label\" appears twice in the record; rename one of them");
	EXPECT_ERROR("j.jsonl", "{\"label\": 1, \"score\": 0.5, \"age\": \"a\\u0000b\"}\n", &o,
		     FA_EINPUT, 1, 37, "NUL character (\\u0000) in a JSON string");
	/* the key a position names is the key, not a string value that
	 * happens to read the same */
	EXPECT_ERROR("j.jsonl", "{\"label\": \"score\", \"score\": 0.5}\n", &o, FA_EINPUT, 1, 11,
		     "unrecognised label \"score\"");
	EXPECT_ERROR("j.jsonl", "{\"age\": \"score\", \"label\": 1, \"score\": \"s\"}\n", &o, FA_EINPUT,
		     1, 39, "expected a number in score column");
}

static void test_load__gzip_errors(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	size_t len, glen;
	char *gz = test_read("tests/data/load/same.csv.gz", &glen);
	char *text = test_read("tests/data/load/same.csv", &len);
	char *two = malloc(2 * glen + 8);
	fa_table *t;
	fa_error err;

	/* two gzip members one after the other are one text */
	memcpy(two, gz, glen);
	memcpy(two + glen, gz, glen);
	t = load_mem("two.csv.gz", two, 2 * glen, &o, &err);
	CHECK(t == NULL); /* the second member repeats the header: "label" is no label */
	CHECK_INT(err.line, 9);
	CHECK_INT(err.column, 4);
	/* trailing bytes that are not another member */
	memcpy(two + glen, "junk", 4);
	expect_error_at(__LINE__, "junk.csv.gz", two, glen + 4, &o, FA_EINPUT, 9, 1,
			"trailing bytes after the gzip data (from byte 164 of the file)");
	/* cut short: the error is where the decompressed text stops */
	t = load_mem("cut.csv.gz", gz, glen - 8, &o, &err);
	CHECK(t == NULL);
	CHECK_STR(err.message, "truncated gzip data: the compressed stream ends before its end marker");
	CHECK_INT(err.line, 9);
	CHECK_INT(err.column, 1);
	/* a damaged byte in the middle */
	memcpy(two, gz, glen);
	two[glen / 2] ^= 0x55;
	t = load_mem("bad.csv.gz", two, glen, &o, &err);
	CHECK(t == NULL);
	CHECK(strncmp(err.message, "corrupt gzip data: ", 19) == 0 ||
	      strncmp(err.message, "truncated gzip data", 19) == 0);
	CHECK(err.line >= 1 && err.column >= 1);
	/* the committed broken files */
	free(two);
	two = test_read("tests/data/load/garbage.csv.gz", &len);
	t = load_mem("garbage.csv.gz", two, len, &o, &err);
	CHECK(t == NULL);
	CHECK(strncmp(err.message, "corrupt gzip data: ", 19) == 0);
	CHECK_INT(err.line, 1);
	CHECK_INT(err.column, 1);
	free(two);
	free(gz);
	free(text);
}

static void test_load__line_limit(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	char *text;
	size_t i;

	o.max_line_bytes = 100;
	text = malloc(400);
	strcpy(text, "label,score,note\n1,0.5,");
	for (i = strlen(text); i < 200; i++)
		text[i] = 'a';
	strcpy(text + 200, "\n");
	/* the first character past 100 bytes of line 2 is column 101 */
	EXPECT_ERROR("long.csv", text, &o, FA_EINPUT, 2, 101,
		     "line longer than 100 bytes, the limit for one line or record");
	/* a quoted field over many short lines is bounded too */
	strcpy(text, "label,score,note\n1,0.5,\"");
	for (i = strlen(text); i < 300; i += 2)
		memcpy(text + i, "a\n", 2);
	text[300] = '\0';
	EXPECT_ERROR("long.csv", text, &o, FA_EINPUT, 2, 7,
		     "record longer than 100 bytes, the limit for one line or record");
	/* and a JSON record in an array */
	strcpy(text, "[{\"label\": 1,\n");
	for (i = strlen(text); i < 300; i += 2)
		memcpy(text + i, " \n", 2);
	text[300] = '\0';
	EXPECT_ERROR("long.json", text, &o, FA_EINPUT, 1, 2, "record longer than 100 bytes");
	/* blank input cannot pile up either */
	memset(text, ' ', 300);
	text[300] = '\0';
	EXPECT_ERROR("blank.csv", text, &o, FA_EINPUT, 1, 101, "line longer than 100 bytes");
	free(text);
}

static void test_load__io_errors(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	const char *path = "/nonexistent/x.csv";
	fa_table *t = NULL;
	fa_error err;

	CHECK(fa_load_files(&t, &path, 1, &o, &err) == FA_EIO);
	CHECK(t == NULL);
	CHECK_STR(err.path, "/nonexistent/x.csv");
	CHECK_STR(err.message, "cannot open: No such file or directory");
	CHECK_INT(err.line, 0);
	CHECK(fa_load_files(&t, NULL, 0, &o, &err) == FA_EUSAGE);
	/* a NULL buffer is an empty file */
	EXPECT_ERROR("null.csv", "", &o, FA_EINPUT, 1, 1, "empty file");
	CHECK(fa_load_memory(&t, "null.csv", NULL, 0, &o, &err) == FA_EINPUT);
	/* the error record may be NULL */
	CHECK(fa_load_memory(&t, "x.jsonl", "{\"label\": 1}", 12, &o, NULL) == FA_EINPUT);
	CHECK(t == NULL);
}

/* ---- sizes past the buffers -------------------------------------------- */

/* Row i of the big input: label i % 2, score (i % 1000) / 1000 written
 * with three decimals, group "g<i % 7>", and on row 5000 a note of 200,000
 * characters, longer than the loader's first text buffer (64 KiB). */
static char *big_csv(size_t rows, size_t *len)
{
	fa_buf b = FA_BUF_INIT;
	size_t i, k;

	fa_buf_puts(&b, "label,score,group,note\n");
	for (i = 0; i < rows; i++) {
		fa_buf_printf(&b, "%zu,%.3f,g%zu,", i % 2, (double)(i % 1000) / 1000.0, i % 7);
		if (i == 5000)
			for (k = 0; k < 200000; k++)
				fa_buf_putc(&b, 'x');
		fa_buf_puts(&b, i % 3 ? "n\n" : "\"quoted, note\"\r\n");
	}
	*len = b.len;
	return fa_buf_detach(&b);
}

static void check_big(const fa_table *t, size_t rows, const char *what)
{
	size_t i, bad = 0;

	if (!t)
		return;
	CHECK_INT(fa_table_rows(t), rows);
	CHECK_INT(fa_table_attr_levels(t, 0), 7);
	for (i = 0; i < fa_table_rows(t) && i < rows; i++) {
		char want[16];
		snprintf(want, sizeof(want), "g%zu", i % 7);
		if (fa_table_labels(t)[i] != i % 2 ||
		    fa_table_scores(t)[i] != (double)(i % 1000) / 1000.0 ||
		    strcmp(level(t, 0, i), want) != 0)
			bad++;
	}
	if (bad)
		test_fail(__FILE__, __LINE__, "%s: %zu rows differ", what, bad);
}

static unsigned char *gzip_mem(const char *text, size_t len, size_t *out_len)
{
	z_stream zs;
	unsigned char *out;
	size_t cap;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	cap = deflateBound(&zs, (uLong)len);
	out = malloc(cap);
	zs.next_in = (Bytef *)text;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*out_len = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

static void test_load__big_input(void)
{
	static const char *const g[] = {"group"};
	const size_t rows = 30000;
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	size_t len, glen;
	char *text = big_csv(rows, &len);
	unsigned char *gz = gzip_mem(text, len, &glen);
	char path[] = "/tmp/fa_test_load_XXXXXX";
	const char *pp = path;
	fa_table *t;
	fa_error err;
	int fd;

	o.attr_columns = g;
	o.attr_count = 1;
	/* about 800 kB in memory: many raw chunks, buffer moves and growth */
	t = load_mem("big.csv", text, len, &o, &err);
	if (!t)
		test_fail(__FILE__, __LINE__, "big.csv: %lu:%lu %s", err.line, err.column, err.message);
	check_big(t, rows, "memory");
	fa_table_free(t);
	/* the same, gzip-compressed */
	t = load_mem("big.csv.gz", (const char *)gz, glen, &o, &err);
	if (!t)
		test_fail(__FILE__, __LINE__, "big.csv.gz: %s", err.message);
	check_big(t, rows, "gzip");
	fa_table_free(t);
	/* and from a file, read in several chunks */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(write(fd, text, len) == (ssize_t)len);
		close(fd);
		t = NULL;
		if (fa_load_files(&t, &pp, 1, &o, &err) < 0)
			test_fail(__FILE__, __LINE__, "file: %s", err.message);
		check_big(t, rows, "file");
		if (t)
			CHECK_INT(fa_table_file(t, 0)->bytes, len);
		fa_table_free(t);
		unlink(path);
	}
	/* a position past the long line still counts right: row 20000 is
	 * line 20002; its score starts after "0,", at column 3 */
	{
		char *at = text, *bad;
		size_t line = 1;
		while (line < 20002) {
			at = strchr(at, '\n') + 1;
			line++;
		}
		bad = at + 2;
		*bad = 'x';
		expect_error_at(__LINE__, "big.csv", text, len, &o, FA_EINPUT, 20002, 3,
				"expected a finite number in score column");
	}
	free(gz);
	free(text);
}

static void test_load__column_in_two_roles(void)
{
	/* the label column also as a group, and the score column as a bin */
	static const char *const g[] = {"label"};
	static const double cuts[] = {0.5};
	fa_bin_spec b = {"score", cuts, 1};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.attr_columns = g;
	o.attr_count = 1;
	o.bins = &b;
	o.bin_count = 1;
	t = load_str("two.csv", "score,label\n0.25,1\n0.75,0\n0.5,yes\n", &o);
	if (!t)
		return;
	CHECK_STR(level(t, 0, 0), "1");
	CHECK_STR(level(t, 0, 1), "0");
	CHECK_STR(level(t, 0, 2), "yes");
	CHECK_STR(level(t, 1, 0), "(-inf,0.5)");
	CHECK_STR(level(t, 1, 1), "[0.5,inf)");
	CHECK_STR(level(t, 1, 2), "[0.5,inf)");
	CHECK(fa_table_labels(t)[0] == 1 && fa_table_labels(t)[1] == 0 && fa_table_labels(t)[2] == 1);
	fa_table_free(t);
}

static void test_load__many_group_columns(void)
{
	/* more group columns than commit_row keeps on its stack */
	char names[70][8];
	const char *g[70];
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_buf b = FA_BUF_INIT;
	fa_table *t;
	size_t i;

	fa_buf_puts(&b, "label,score");
	for (i = 0; i < 70; i++) {
		snprintf(names[i], sizeof(names[i]), "c%zu", i);
		g[i] = names[i];
		fa_buf_printf(&b, ",%s", names[i]);
	}
	fa_buf_puts(&b, "\n1,0.5");
	for (i = 0; i < 70; i++)
		fa_buf_printf(&b, ",v%zu", i * 3);
	fa_buf_puts(&b, "\n");
	o.attr_columns = g;
	o.attr_count = 70;
	t = load_str("wide.csv", b.ptr, &o);
	if (t) {
		CHECK_INT(fa_table_attr_count(t), 70);
		CHECK_STR(fa_table_attr_name(t, 69), "c69");
		CHECK_INT(fa_table_attr_find(t, "c42"), 42);
		CHECK_INT(fa_table_attr_find(t, "nope"), -1);
		CHECK_STR(level(t, 69, 0), "v207");
		fa_table_free(t);
	}
	fa_buf_free(&b);
}

static void test_load__options_checked(void)
{
	static const double up[] = {1, 2}, down[] = {2, 1}, nan_cut[1] = {NAN};
	static const char *const g[] = {"age"};
	fa_bin_spec b = {"age", up, 2};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	static const char text[] = "label,score,age\n1,0.5,3\n";

	o.score_column = "";
	EXPECT_ERROR("o.csv", text, &o, FA_EUSAGE, 0, 0, "the label and score column names must not be empty");
	o.score_column = "score";
	o.delimiter = '"';
	EXPECT_ERROR("o.csv", text, &o, FA_EUSAGE, 0, 0, "--delimiter: a quote or line break cannot separate fields");
	o.delimiter = 0;
	o.bins = &b;
	o.bin_count = 1;
	b.cuts = down;
	EXPECT_ERROR("o.csv", text, &o, FA_EUSAGE, 0, 0, "--bin age: cut points must be finite and increase strictly");
	b.cuts = nan_cut;
	b.ncuts = 1;
	EXPECT_ERROR("o.csv", text, &o, FA_EUSAGE, 0, 0, "--bin age: cut points must be finite");
	b.cuts = up;
	b.ncuts = 2;
	o.attr_columns = g;
	o.attr_count = 1;
	EXPECT_ERROR("o.csv", text, &o, FA_EUSAGE, 0, 0, "column \"age\" is both binned and used as it is");
	/* a space as the delimiter: tabs are then the blanks around fields */
	o.bin_count = 0;
	o.delimiter = ' ';
	{
		fa_table *t = load_str("sp.txt", "label score age\n1\t 0.5 \t3\n", &o);
		if (t) {
			CHECK(fa_table_scores(t)[0] == 0.5);
			CHECK_STR(level(t, 0, 0), "3");
			fa_table_free(t);
		}
	}
}

/* ---- through the audit -------------------------------------------------- */

static fa_result *audit_file(const char *rel)
{
	static const char *const g[] = {"sex"};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t;
	fa_result *r = NULL;
	fa_error err;

	lo.attr_columns = g;
	lo.attr_count = 1;
	ao.groups = g;
	ao.ngroups = 1;
	ao.bootstrap = 0;
	ao.min_n = 1;
	t = load_path(rel, &lo);
	if (!t)
		return NULL;
	if (fa_audit_run(&r, t, &ao, &err) < 0)
		test_fail(__FILE__, __LINE__, "%s: %s", rel, err.message);
	fa_table_free(t);
	return r;
}

static const fa_group_result *group(const fa_result *r, const char *value)
{
	size_t g;
	for (g = 0; r && g < r->attrs[0].ngroups; g++)
		if (strcmp(r->attrs[0].groups[g].value, value) == 0)
			return &r->attrs[0].groups[g];
	test_fail(__FILE__, __LINE__, "no group %s", value);
	return NULL;
}

static void test_load__one_class_group(void)
{
	/* F: labels 1,1,1, scores 0.9,0.6,0.3 -> no negatives;
	 * M: labels 0,1,0, scores 0.2,0.7,0.4 */
	fa_result *r = audit_file("tests/data/load/one_class.csv");
	const fa_group_result *f, *m;

	if (!r)
		return;
	f = group(r, "F");
	m = group(r, "M");
	if (f && m) {
		CHECK_INT(f->n_pos, 3);
		CHECK_INT(f->n_neg, 0);
		CHECK_NEAR(f->metrics[FA_M_TPR].value, 2.0 / 3.0, 1e-15);
		CHECK_NAN(f->metrics[FA_M_FPR].value);
		CHECK(f->metrics[FA_M_FPR].reason != NULL);
		CHECK_NAN(f->metrics[FA_M_AUC].value);
		CHECK(f->metrics[FA_M_AUC].reason != NULL);
		CHECK_NEAR(m->metrics[FA_M_TPR].value, 1.0, 0);
		CHECK_NEAR(m->metrics[FA_M_FPR].value, 0.0, 0);
		CHECK_NEAR(m->metrics[FA_M_AUC].value, 1.0, 0);
	}
	fa_result_free(r);
}

static void test_load__identical_scores(void)
{
	/* every score 0.5: all pairs tie, so AUC is 1/2; 0.5 >= 0.5 is a
	 * positive decision, so TPR = FPR = 1 */
	fa_result *r = audit_file("tests/data/load/identical_scores.csv");
	size_t g;

	if (!r)
		return;
	CHECK_NEAR(r->overall.metrics[FA_M_AUC].value, 0.5, 0);
	for (g = 0; g < r->attrs[0].ngroups; g++) {
		CHECK_NEAR(r->attrs[0].groups[g].metrics[FA_M_AUC].value, 0.5, 0);
		CHECK_NEAR(r->attrs[0].groups[g].metrics[FA_M_TPR].value, 1, 0);
		CHECK_NEAR(r->attrs[0].groups[g].metrics[FA_M_FPR].value, 1, 0);
	}
	fa_result_free(r);
}

static void test_load__single_row(void)
{
	fa_result *r = audit_file("tests/data/load/single_row.csv");
	if (!r)
		return;
	CHECK_INT(r->overall.n, 1);
	CHECK_INT(r->overall.n_pos, 1);
	CHECK_NEAR(r->overall.metrics[FA_M_TPR].value, 1, 0);
	CHECK_NAN(r->overall.metrics[FA_M_AUC].value);
	fa_result_free(r);
}

/* A header that repeats a name: "name#k" picks the k-th column of it.
 * tests/data/load/dup_header.csv has decile_score 3, 8 in field 2 and 4, 9
 * in field 5. */
static void test_load__duplicate_header_pick(void)
{
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;
	fa_error err;
	const char *path = test_path("tests/data/load/dup_header.csv");

	o.score_column = "decile_score#2";
	t = load_path("tests/data/load/dup_header.csv", &o);
	if (t) {
		CHECK_INT(fa_table_rows(t), 2);
		CHECK_NEAR(fa_table_scores(t)[0], 4, 0);
		CHECK_NEAR(fa_table_scores(t)[1], 9, 0);
		fa_table_free(t);
	}
	o.score_column = "decile_score#1";
	t = load_path("tests/data/load/dup_header.csv", &o);
	if (t) {
		CHECK_NEAR(fa_table_scores(t)[0], 3, 0);
		fa_table_free(t);
	}
	o.score_column = "decile_score#3";
	t = NULL;
	CHECK_INT(fa_load_files(&t, &path, 1, &o, &err), FA_EINPUT);
	CHECK(strstr(err.message, "score column \"decile_score#3\" not found") != NULL);
}

/* Extra score columns (several models of the same records), from CSV and
 * JSON Lines, checked like the score. */
static void test_load__extra_scores(void)
{
	static const char *extra[] = {"s2"};
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_table *t;

	o.extra_scores = extra;
	o.extra_score_count = 1;
	t = load_str("x.csv", "label,score,s2\n1,0.5,0.25\n0,0.1,0.75\n", &o);
	if (t) {
		CHECK_INT(fa_table_extra_score_count(t), 1);
		CHECK_NEAR(fa_table_extra_scores(t, 0)[0], 0.25, 0);
		CHECK_NEAR(fa_table_extra_scores(t, 0)[1], 0.75, 0);
		CHECK(fa_table_extra_scores(t, 1) == NULL);
		fa_table_free(t);
	}
	t = load_str("x.jsonl", "{\"label\":1,\"score\":0.5,\"s2\":0.25}\n", &o);
	if (t) {
		CHECK_NEAR(fa_table_extra_scores(t, 0)[0], 0.25, 0);
		fa_table_free(t);
	}
	EXPECT_ERROR("x.csv", "label,score,s2\n1,0.5,abc\n", &o, FA_EINPUT, 2, 7,
		     "expected a finite number in score column \"s2\", got \"abc\"");
	EXPECT_ERROR("x.csv", "label,score,s3\n1,0.5,0.2\n", &o, FA_EINPUT, 1, 1,
		     "score column \"s2\" not found; the columns are: label, score, s3 (did you mean \"s3\"?)");
}

test_case test_load__cases[] = {
	{"load/extra_scores", test_load__extra_scores},
	{"load/duplicate_header_pick", test_load__duplicate_header_pick},
	{"same_records_every_format", test_load__same_records_every_format},
	{"provenance", test_load__provenance},
	{"several_files_one_data_set", test_load__several_files_one_data_set},
	{"rfc4180_quoting", test_load__rfc4180_quoting},
	{"line_endings_and_blank_lines", test_load__line_endings_and_blank_lines},
	{"bom", test_load__bom},
	{"tsv_and_delimiter", test_load__tsv_and_delimiter},
	{"stdin", test_load__stdin},
	{"labels", test_load__labels},
	{"scores", test_load__scores},
	{"pred", test_load__pred},
	{"bin", test_load__bin},
	{"missing_groups", test_load__missing_groups},
	{"skip_counts_drops_by_reason", test_load__skip_counts_drops_by_reason},
	{"level_order", test_load__level_order},
	{"invalid_utf8_is_escaped", test_load__invalid_utf8_is_escaped},
	{"max_groups", test_load__max_groups},
	{"csv_error_positions", test_load__csv_error_positions},
	{"json_error_positions", test_load__json_error_positions},
	{"gzip_errors", test_load__gzip_errors},
	{"line_limit", test_load__line_limit},
	{"io_errors", test_load__io_errors},
	{"big_input", test_load__big_input},
	{"column_in_two_roles", test_load__column_in_two_roles},
	{"many_group_columns", test_load__many_group_columns},
	{"options_checked", test_load__options_checked},
	{"one_class_group", test_load__one_class_group},
	{"identical_scores", test_load__identical_scores},
	{"single_row", test_load__single_row},
	{NULL, NULL},
};
