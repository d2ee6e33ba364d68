/*
 * test_partial.c: partial audits (partial.h).
 *
 * - hand_counts: ten records with ties, whose counts, AUCs and per-score
 *   cells are worked out by hand in the comments.
 * - merge_*: partials of disjoint files add up exactly: every grouping and
 *   order of the merge gives the same bytes, which are the bytes of the
 *   partial of all the files at once, and so is its report; partials of
 *   other settings, or of the same records, are refused, the message
 *   naming the setting or the file.
 * - matches_audit: without a bootstrap, the audit of a partial is
 *   fa_audit_run() on the same records (to 1e-12).
 * - file_*: the file: it reads back to the same bytes, and each damaged
 *   form is refused with a message saying what is wrong.
 * - shuffle_id: with record ids as keys, the order of the records changes
 *   nothing but the file's checksum.
 * - poisson_*: the bootstrap weights of a record keyed by id, by file and
 *   line, and by cluster, recomputed here from docs/partial-format.md ("The
 *   replicate counts": FNV-1a, the SplitMix64 finaliser, and the inverse
 *   of the Poisson(1) distribution function taken from GSL), against the
 *   replicate counts the partial holds.
 * - replicate_auc: the bootstrap intervals of AUC and Brier score are the
 *   quantiles of replicates computed here, pair by pair, from those
 *   weights (scores on a grid fine enough that the binning is exact).
 * - fuzz_seeds_read: the partial files of the fuzz corpus are of the
 *   current format.
 */
#include "harness.h"

#include "fairaudit/fairaudit.h"
#include "partial_internal.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

/* ---- helpers ---------------------------------------------------------------- */

typedef struct build_spec {
	const char *const *groups; /* audit groups and the table columns they name */
	size_t ngroups;
	const char *const *columns;
	size_t ncolumns;
	const fa_bin_spec *bins;
	size_t nbins;
	const char *id;     /* --id, or NULL for file and line */
	double threshold;
	size_t bootstrap, permutations, score_bins;
	uint64_t seed;
	unsigned threads;
} build_spec;

static build_spec spec_init(void)
{
	build_spec s;
	memset(&s, 0, sizeof(s));
	s.threshold = 0.5;
	s.score_bins = FA_PARTIAL_DEFAULT_BINS;
	s.seed = 3;
	s.threads = 1;
	return s;
}

static void load_opts(fa_load_options *lo, const build_spec *s)
{
	lo->attr_columns = s->columns;
	lo->attr_count = s->ncolumns;
	lo->bins = s->bins;
	lo->bin_count = s->nbins;
	lo->id_column = s->id;
	if (!s->id)
		lo->load_flags |= FA_LOAD_KEEP_LINES;
}

static fa_partial *build_table(const fa_table *t, const build_spec *s)
{
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_partial_options po = FA_PARTIAL_OPTIONS_INIT;
	fa_partial *p = NULL;
	fa_error err;

	ao.groups = s->groups;
	ao.ngroups = s->ngroups;
	ao.threshold = s->threshold;
	ao.bootstrap = s->bootstrap;
	ao.permutations = s->permutations;
	ao.seed = s->seed;
	ao.threads = s->threads;
	ao.min_n = 1;
	ao.scheme = FA_BOOT_POISSON;
	po.id_column = s->id;
	po.bins = s->score_bins;
	po.permutations_set = 1;
	if (fa_partial_build(&p, t, &ao, &po, &err) < 0)
		test_fail(__FILE__, __LINE__, "fa_partial_build: %s", err.message);
	return p;
}

/* The partial of one in-memory file. */
static fa_partial *build_text(const char *name, const char *text, const build_spec *s)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_partial *p;
	fa_error err;

	load_opts(&lo, s);
	if (fa_load_memory(&t, name, text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load %s: %s", name, err.message);
		return NULL;
	}
	p = build_table(t, s);
	fa_table_free(t);
	return p;
}

/* The partial of files on disk, as one table. */
static fa_partial *build_files(const char *const *paths, size_t n, const build_spec *s)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_partial *p;
	fa_error err;

	load_opts(&lo, s);
	if (fa_load_files(&t, paths, n, &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return NULL;
	}
	p = build_table(t, s);
	fa_table_free(t);
	return p;
}

static void write_partial(fa_buf *out, const fa_partial *p)
{
	fa_error err;
	fa_buf_clear(out);
	if (!p || fa_partial_write(out, p, &err) < 0)
		test_fail(__FILE__, __LINE__, "fa_partial_write: %s", p ? err.message : "no partial");
}

static fa_result *audit_partial(const fa_partial *p)
{
	fa_audit_options run = FA_AUDIT_OPTIONS_INIT;
	fa_result *r = NULL;
	fa_error err;

	run.threads = 1;
	if (!p || fa_partial_audit(&r, p, &run, &err) < 0)
		test_fail(__FILE__, __LINE__, "fa_partial_audit: %s", p ? err.message : "no partial");
	return r;
}

/* The JSON report of the audit of p (a new string, or NULL). */
static char *report_of(const fa_partial *p)
{
	fa_result *r = audit_partial(p);
	fa_buf b = FA_BUF_INIT;
	fa_error err;

	if (!r)
		return NULL;
	if (fa_report_write(&b, r, FA_REPORT_JSON, &err) < 0)
		test_fail(__FILE__, __LINE__, "fa_report_write: %s", err.message);
	fa_result_free(r);
	return fa_buf_detach(&b);
}

static int same_bytes(const fa_buf *a, const fa_buf *b)
{
	return a->len == b->len && a->len > 0 && memcmp(a->ptr, b->ptr, a->len) == 0;
}

static fa_partial *merge2(const fa_partial *a, const fa_partial *b)
{
	const fa_partial *parts[2];
	fa_partial *sum = NULL;
	fa_error err;

	parts[0] = a;
	parts[1] = b;
	if (fa_partial_merge(&sum, parts, NULL, 2, &err) < 0)
		test_fail(__FILE__, __LINE__, "fa_partial_merge: %s", err.message);
	return sum;
}

static const fa_group_result *group_named(const fa_attr_result *A, const char *value)
{
	size_t g;
	for (g = 0; g < A->ngroups; g++)
		if (strcmp(A->groups[g].value, value) == 0)
			return &A->groups[g];
	test_fail(__FILE__, __LINE__, "no group %s=%s", A->name, value);
	return NULL;
}

/* ---- hand-worked counts ------------------------------------------------------ */

/* Threshold 0.5; a score equal to it is a positive decision.
 *
 *   line label score grp   decision
 *    2     1    0.9   A    +   TP
 *    3     0    0.8   A    +   FP
 *    4     1    0.8   A    +   TP   (tied with the negative of line 3)
 *    5     0    0.3   A    -   TN
 *    6     1    0.5   A    +   TP   (at the threshold)
 *    7     1    0.7   B    +   TP
 *    8     0    0.7   B    +   FP   (tied with line 7)
 *    9     0    0.2   B    -   TN
 *   10     1    0.4   B    -   FN
 *   11     0    0.4   B    -   TN   (tied with line 10)
 *
 * A: n 5, pos 3, neg 2; TP 3, FP 1, TN 1, FN 0. AUC over 3 x 2 = 6 pairs:
 *    0.9 beats 0.8 and 0.3 (2); 0.8 ties 0.8 and beats 0.3 (1.5); 0.5
 *    loses to 0.8 and beats 0.3 (1): 4.5 / 6 = 0.75.
 * B: n 5, pos 2, neg 3; TP 1, FP 1, TN 2, FN 1. AUC over 2 x 3 = 6 pairs:
 *    0.7 ties 0.7, beats 0.2 and 0.4 (2.5); 0.4 loses to 0.7, beats 0.2,
 *    ties 0.4 (1.5): 4 / 6.
 * All: n 10, pos 5, neg 5; TP 4, FP 2, TN 3, FN 1. AUC over 25 pairs, the
 *    negatives being 0.8 0.7 0.4 0.3 0.2: 0.9 wins 5; 0.8 wins 4 and ties
 *    1 (4.5); 0.7 wins 3, ties 1 (3.5); 0.5 wins 3; 0.4 wins 2, ties 1
 *    (2.5): 18.5 / 25 = 0.74. */
static const char HAND[] = "label,score,grp\n"
			   "1,0.9,A\n0,0.8,A\n1,0.8,A\n0,0.3,A\n1,0.5,A\n"
			   "1,0.7,B\n0,0.7,B\n0,0.2,B\n1,0.4,B\n0,0.4,B\n";

static void check_counts(const fa_group_result *g, size_t n, size_t pos, size_t tp, size_t fp,
			 size_t tn, size_t fn, double auc)
{
	if (!g)
		return;
	CHECK_INT(g->n, n);
	CHECK_INT(g->n_pos, pos);
	CHECK_INT(g->n_neg, n - pos);
	CHECK_INT(g->tp, tp);
	CHECK_INT(g->fp, fp);
	CHECK_INT(g->tn, tn);
	CHECK_INT(g->fn, fn);
	CHECK_NEAR(g->metrics[FA_M_AUC].value, auc, 1e-15);
	CHECK(!g->metrics[FA_M_AUC].has_ci);
}

static void test_partial__hand_counts(void)
{
	static const char *const groups[] = {"grp"};
	/* the whole population's distinct scores and their cells
	 * c[label * 2 + decision], from the table above */
	static const double score[] = {0.2, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9};
	static const uint64_t cells[][4] = {{1, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 1, 0}, {0, 0, 0, 1},
					    {0, 1, 0, 1}, {0, 1, 0, 1}, {0, 0, 0, 1}};
	build_spec s = spec_init();
	fa_partial *p;
	fa_result *r;
	size_t e, q;

	s.groups = s.columns = groups;
	s.ngroups = s.ncolumns = 1;
	p = build_text("hand.csv", HAND, &s);
	if (!p)
		return;
	CHECK_INT(fa_partial_rows(p), 10);
	CHECK_INT(p->nstrata, 2);
	CHECK_INT(p->strata[0].groups[0].nent, 7);
	for (e = 0; e < 7 && e < p->strata[0].groups[0].nent; e++) {
		CHECK(p->strata[0].groups[0].ent[e].score == score[e]);
		for (q = 0; q < 4; q++)
			CHECK_INT(p->strata[0].groups[0].ent[e].c[q], cells[e][q]);
	}
	CHECK(p->reps == NULL);
	r = audit_partial(p);
	if (r) {
		check_counts(&r->overall, 10, 5, 4, 2, 3, 1, 18.5 / 25);
		CHECK_INT(r->nattrs, 1);
		CHECK_INT(r->attrs[0].ngroups, 2);
		check_counts(group_named(&r->attrs[0], "A"), 5, 3, 3, 1, 1, 0, 0.75);
		check_counts(group_named(&r->attrs[0], "B"), 5, 2, 1, 1, 2, 1, 4.0 / 6);
		CHECK_INT(r->rows_read, 10);
		CHECK_INT(r->nfiles, 1);
	}
	fa_result_free(r);
	fa_partial_free(p);
}

/* With a bootstrap every score must lie in [0, 1]; without one any does. */
static void test_partial__score_range(void)
{
	static const char text[] = "label,score\n1,0.9\n0,1.5\n";
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_partial_options po = FA_PARTIAL_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_partial *p = NULL;
	fa_error err;

	lo.load_flags = FA_LOAD_KEEP_LINES;
	ao.bootstrap = 10;
	ao.permutations = 0;
	if (fa_load_memory(&t, "range.csv", text, strlen(text), &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		return;
	}
	CHECK_INT(fa_partial_build(&p, t, &ao, &po, &err), FA_EINPUT);
	CHECK(p == NULL);
	CHECK_STR(err.path, "range.csv");
	CHECK_INT(err.line, 3);
	CHECK(strstr(err.message, "outside [0, 1]") != NULL);
	ao.bootstrap = 0;
	CHECK_INT(fa_partial_build(&p, t, &ao, &po, &err), 0);
	fa_partial_free(p);
	fa_table_free(t);
}

/* ---- merging is exact ---------------------------------------------------------- */

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

/* Records of one site: scores on a grid of 0.05 (ties within and across
 * files, and at the threshold 0.5), a label more often positive at high
 * scores, sex, a grade whose "x" only site C has, and an age to bin. */
static char *make_site(char site, size_t n, uint64_t seed)
{
	fa_buf b = FA_BUF_INIT;
	uint64_t x = seed;
	size_t i;

	fa_buf_puts(&b, "label,score,sex,grade,age,site\n");
	for (i = 0; i < n; i++) {
		unsigned k = (unsigned)(lcg(&x) % 21);
		int label = lcg(&x) % 20 < k;
		const char *sex = lcg(&x) % 2 ? "F" : "M";
		const char *grade = lcg(&x) % 3 == 0 ? (site == 'C' ? "x" : "g2") : "g1";
		unsigned age = 20 + (unsigned)(lcg(&x) % 70);
		fa_buf_printf(&b, "%d,%.2f,%s,%s,%u,Site%c\n", label, k / 20.0, sex, grade, age, site);
	}
	return fa_buf_detach(&b);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	size_t n = strlen(text);
	int ok = f && fwrite(text, 1, n, f) == n;
	if (f && fclose(f) != 0)
		ok = 0;
	return ok;
}

typedef struct three_files {
	char dir[64];
	char path[3][96];
	const char *paths[3];
} three_files;

static int make_three(three_files *F)
{
	static const char sites[] = "ABC";
	static const size_t sizes[] = {70, 45, 30};
	size_t i;

	snprintf(F->dir, sizeof(F->dir), "/tmp/fa_partial_XXXXXX");
	if (!mkdtemp(F->dir)) {
		test_fail(__FILE__, __LINE__, "mkdtemp failed");
		return 0;
	}
	for (i = 0; i < 3; i++) {
		char *text = make_site(sites[i], sizes[i], 11 + i);
		snprintf(F->path[i], sizeof(F->path[i]), "%s/%c.csv", F->dir, 'a' + (int)i);
		F->paths[i] = F->path[i];
		if (!write_file(F->path[i], text)) {
			test_fail(__FILE__, __LINE__, "cannot write %s", F->path[i]);
			free(text);
			return 0;
		}
		free(text);
	}
	return 1;
}

static void remove_three(three_files *F)
{
	size_t i;
	for (i = 0; i < 3; i++)
		unlink(F->path[i]);
	rmdir(F->dir);
}

static const char *const MERGE_GROUPS[] = {"sex", "grade", "sex+grade", "age", "site"};
static const char *const MERGE_COLUMNS[] = {"sex", "grade", "site"};
static const double AGE_CUTS[] = {40, 65};

static build_spec merge_spec(void)
{
	static fa_bin_spec age;
	build_spec s = spec_init();
	age.column = "age";
	age.cuts = AGE_CUTS;
	age.ncuts = 2;
	s.groups = MERGE_GROUPS;
	s.ngroups = 5;
	s.columns = MERGE_COLUMNS;
	s.ncolumns = 3;
	s.bins = &age;
	s.nbins = 1;
	s.bootstrap = 50;
	s.permutations = 20;
	s.seed = 3;
	return s;
}

static void test_partial__merge_exact(void)
{
	three_files F;
	build_spec s = merge_spec();
	fa_partial *part[3] = {NULL, NULL, NULL}, *all = NULL, *all2 = NULL;
	fa_partial *ab = NULL, *ab_c = NULL, *cb = NULL, *a_cb = NULL, *cba = NULL;
	const fa_partial *three[3];
	fa_buf want = FA_BUF_INIT, got = FA_BUF_INIT;
	char *rep_all = NULL, *rep_sum = NULL;
	fa_error err;
	size_t i;

	if (!make_three(&F))
		return;
	for (i = 0; i < 3; i++)
		part[i] = build_files(&F.paths[i], 1, &s);
	all = build_files(F.paths, 3, &s);
	/* the replicates do not depend on the threads that draw them */
	s.threads = 2;
	all2 = build_files(F.paths, 3, &s);
	if (!part[0] || !part[1] || !part[2] || !all || !all2)
		goto done;
	write_partial(&want, all);
	write_partial(&got, all2);
	CHECK(same_bytes(&want, &got));

	/* (a + b) + c, a + (c + b), and c + b + a in one call */
	ab = merge2(part[0], part[1]);
	ab_c = merge2(ab, part[2]);
	cb = merge2(part[2], part[1]);
	a_cb = merge2(part[0], cb);
	three[0] = part[2];
	three[1] = part[1];
	three[2] = part[0];
	CHECK_INT(fa_partial_merge(&cba, three, NULL, 3, &err), 0);
	if (!ab_c || !a_cb || !cba)
		goto done;
	write_partial(&got, ab_c);
	CHECK(same_bytes(&want, &got));
	write_partial(&got, a_cb);
	CHECK(same_bytes(&want, &got));
	write_partial(&got, cba);
	CHECK(same_bytes(&want, &got));
	CHECK_INT(fa_partial_rows(cba), 70 + 45 + 30);
	/* grade "x" of site C only, and every age bin, in the sum */
	CHECK_INT(cba->columns[1].nlevels, 3);
	CHECK_STR(cba->columns[1].levels[2], "x");

	rep_all = report_of(all);
	rep_sum = report_of(cba);
	CHECK(rep_all && rep_sum && strcmp(rep_all, rep_sum) == 0);
	/* and it has intervals from the replicates */
	CHECK(rep_all && strstr(rep_all, "\"ci\": [") != NULL);
done:
	free(rep_all);
	free(rep_sum);
	fa_buf_free(&want);
	fa_buf_free(&got);
	for (i = 0; i < 3; i++)
		fa_partial_free(part[i]);
	fa_partial_free(all);
	fa_partial_free(all2);
	fa_partial_free(ab);
	fa_partial_free(ab_c);
	fa_partial_free(cb);
	fa_partial_free(a_cb);
	fa_partial_free(cba);
	remove_three(&F);
}

/* The sum's replicate counts are the parts' added slot by slot, checked on
 * the whole population, which every part has. */
static void test_partial__merge_adds_replicates(void)
{
	three_files F;
	build_spec s = merge_spec();
	fa_partial *part[3] = {NULL, NULL, NULL}, *sum = NULL;
	const fa_partial *parts[3];
	fa_error err;
	size_t i, r, k, S, bad = 0;

	if (!make_three(&F))
		return;
	for (i = 0; i < 3; i++)
		parts[i] = part[i] = build_files(&F.paths[i], 1, &s);
	if (!part[0] || !part[1] || !part[2])
		goto done;
	if (fa_partial_merge(&sum, parts, NULL, 3, &err) < 0) {
		test_fail(__FILE__, __LINE__, "merge: %s", err.message);
		goto done;
	}
	S = FA_PSLOTS(s.score_bins);
	CHECK_INT(sum->bootstrap, 50);
	for (r = 0; r < 50; r++)
		for (k = 0; k < S; k++) {
			uint64_t want = 0;
			for (i = 0; i < 3; i++)
				want += part[i]->reps[r * part[i]->nslots + k];
			bad += sum->reps[r * sum->nslots + k] != want;
		}
	CHECK_INT(bad, 0);
done:
	for (i = 0; i < 3; i++)
		fa_partial_free(part[i]);
	fa_partial_free(sum);
	remove_three(&F);
}

/* a and b hold the same keys, texts and numbers, these to 1e-12
 * relative; a difference is reported with its path. */
static int json_near(const cJSON *a, const cJSON *b, const char *path)
{
	char sub[512];
	const cJSON *x, *y;

	if ((a->type & 0xff) != (b->type & 0xff)) {
		test_fail(__FILE__, __LINE__, "%s: of another type", path);
		return 0;
	}
	if (cJSON_IsNumber(a)) {
		double u = a->valuedouble, v = b->valuedouble;
		if (!(fabs(u - v) <= 1e-12 * fmax(1, fmax(fabs(u), fabs(v))))) {
			test_fail(__FILE__, __LINE__, "%s: %.17g against %.17g", path, u, v);
			return 0;
		}
		return 1;
	}
	if (cJSON_IsString(a)) {
		if (strcmp(a->valuestring, b->valuestring) != 0) {
			test_fail(__FILE__, __LINE__, "%s: \"%s\" against \"%s\"", path,
				  a->valuestring, b->valuestring);
			return 0;
		}
		return 1;
	}
	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) {
		test_fail(__FILE__, __LINE__, "%s: %d items against %d", path,
			  cJSON_GetArraySize(a), cJSON_GetArraySize(b));
		return 0;
	}
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
		if (x->string && (!y->string || strcmp(x->string, y->string) != 0)) {
			test_fail(__FILE__, __LINE__, "%s: key %s against %s", path, x->string,
				  y->string ? y->string : "(none)");
			return 0;
		}
		snprintf(sub, sizeof(sub), "%s.%s", path, x->string ? x->string : "[]");
		if (!json_near(x, y, sub))
			return 0;
	}
	return 1;
}

/* With no bootstrap, the audit of the partial is the audit of the records:
 * the same report as fa_audit_run() on the same table, but for the
 * bootstrap scheme it names. */
static void test_partial__matches_audit(void)
{
	three_files F;
	build_spec s = merge_spec();
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_partial *p = NULL;
	fa_result *r = NULL;
	fa_buf b = FA_BUF_INIT;
	fa_error err;
	cJSON *ja = NULL, *jp = NULL;
	char *rp = NULL;

	if (!make_three(&F))
		return;
	s.bootstrap = 0;
	s.permutations = 0;
	load_opts(&lo, &s);
	if (fa_load_files(&t, F.paths, 3, &lo, &err) < 0) {
		test_fail(__FILE__, __LINE__, "load: %s", err.message);
		goto done;
	}
	p = build_table(t, &s);
	ao.groups = s.groups;
	ao.ngroups = s.ngroups;
	ao.bootstrap = 0;
	ao.permutations = 0;
	ao.min_n = 1;
	ao.threads = 1;
	ao.seed = s.seed;
	if (!p || fa_audit_run(&r, t, &ao, &err) < 0 ||
	    fa_report_write(&b, r, FA_REPORT_JSON, &err) < 0) {
		test_fail(__FILE__, __LINE__, "audit: %s", p ? err.message : "no partial");
		goto done;
	}
	rp = report_of(p);
	ja = cJSON_Parse(b.ptr);
	jp = rp ? cJSON_Parse(rp) : NULL;
	if (!ja || !jp) {
		test_fail(__FILE__, __LINE__, "reports do not parse");
		goto done;
	}
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		      cJSON_GetObjectItemCaseSensitive(jp, "settings"), "scheme")),
		  "poisson");
	cJSON_DeleteItemFromObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(ja, "settings"), "scheme");
	cJSON_DeleteItemFromObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(jp, "settings"), "scheme");
	/* equal up to the order of floating sums (the Brier score, ECE) */
	json_near(ja, jp, "report");
done:
	cJSON_Delete(ja);
	cJSON_Delete(jp);
	free(rp);
	fa_buf_free(&b);
	fa_result_free(r);
	fa_partial_free(p);
	fa_table_free(t);
	remove_three(&F);
}

/* ---- the file ------------------------------------------------------------------ */

static fa_partial *sample_partial(void)
{
	build_spec s = merge_spec();
	char *text = make_site('C', 40, 7);
	fa_partial *p = build_text("c.csv", text, &s);
	free(text);
	return p;
}

/* Read `len` bytes, expecting FA_EINPUT with `want` in the message. */
static void refused(const void *data, size_t len, const char *want, int line)
{
	fa_partial *p = (fa_partial *)1;
	fa_error err;
	int rc;

	fa_error_clear(&err);
	rc = fa_partial_read(&p, "bad.fap", data, len, &err);
	if (rc != FA_EINPUT || p != NULL) {
		test_fail(__FILE__, line, "read: got %d, want FA_EINPUT", rc);
		fa_partial_free(p);
		return;
	}
	if (!strstr(err.message, want))
		test_fail(__FILE__, line, "message \"%s\" lacks \"%s\"", err.message, want);
	if (strcmp(err.path, "bad.fap") != 0)
		test_fail(__FILE__, line, "message names \"%s\", not bad.fap", err.path);
}

static void put32(unsigned char *p, uint32_t x)
{
	int i;
	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A file of this body, with its true length and the CRC-32 `crc`. */
static unsigned char *wrap_body(const unsigned char *body, size_t n, uint32_t crc, size_t *len)
{
	uLongf zlen = compressBound((uLong)n);
	unsigned char *f = fa_xmalloc(28 + zlen);
	size_t i;

	memcpy(f, "\x89" "FAP\r\n\x1a\n", 8);
	put32(f + 8, 1);
	put32(f + 12, 0);
	for (i = 0; i < 8; i++)
		f[16 + i] = (unsigned char)((uint64_t)n >> (8 * i));
	put32(f + 24, crc);
	if (compress2(f + 28, &zlen, body, (uLong)n, 9) != Z_OK)
		abort();
	*len = 28 + zlen;
	return f;
}

/* The body of a file, decompressed here with zlib. */
static unsigned char *unwrap_body(const fa_buf *file, size_t *n)
{
	const unsigned char *f = (const unsigned char *)file->ptr;
	uLongf raw = 0;
	unsigned char *body;
	int i;

	for (i = 0; i < 8; i++)
		raw |= (uLongf)f[16 + i] << (8 * i);
	body = fa_xmalloc(raw ? raw : 1);
	if (uncompress(body, &raw, f + 28, (uLong)(file->len - 28)) != Z_OK)
		abort();
	*n = raw;
	return body;
}

static void test_partial__file_round_trip(void)
{
	fa_partial *p = sample_partial(), *q = NULL;
	fa_buf one = FA_BUF_INIT, two = FA_BUF_INIT;
	const unsigned char *f;
	unsigned char *body;
	size_t n;
	fa_error err;
	char *rp, *rq;

	if (!p)
		return;
	write_partial(&one, p);
	f = (const unsigned char *)one.ptr;
	/* the header: magic, version 1, no flags, body length, CRC-32 */
	CHECK(one.len > 28 && memcmp(f, "\x89" "FAP\r\n\x1a\n", 8) == 0);
	CHECK_INT(get32(f + 8), 1);
	CHECK_INT(get32(f + 12), 0);
	body = unwrap_body(&one, &n);
	CHECK_INT(get32(f + 16), n);
	CHECK_INT(get32(f + 20), 0);
	CHECK_INT(get32(f + 24), crc32(crc32(0L, Z_NULL, 0), body, (uInt)n));
	free(body);

	if (fa_partial_read(&q, "one.fap", one.ptr, one.len, &err) < 0) {
		test_fail(__FILE__, __LINE__, "read: %s", err.message);
		goto done;
	}
	write_partial(&two, q);
	CHECK(same_bytes(&one, &two));
	rp = report_of(p);
	rq = report_of(q);
	CHECK(rp && rq && strcmp(rp, rq) == 0);
	free(rp);
	free(rq);
done:
	fa_partial_free(p);
	fa_partial_free(q);
	fa_buf_free(&one);
	fa_buf_free(&two);
}

static void test_partial__file_damaged(void)
{
	fa_partial *p = sample_partial();
	fa_buf good = FA_BUF_INIT;
	unsigned char *f, *body, *w;
	size_t len, n, wlen, k;
	static const size_t cuts[] = {1, 7, 8, 12, 20, 27, 28, 29, 40};

	if (!p)
		return;
	write_partial(&good, p);
	len = good.len;
	f = fa_xmalloc(len + 16);
	memcpy(f, good.ptr, len);

	refused("", 0, "not a partial audit", __LINE__);
	f[0] = 'P';
	refused(f, len, "not a partial audit", __LINE__);
	f[0] = 0x89;
	f[4] = '\n'; /* line-ending damage: "\r\n" became "\n\n" */
	refused(f, len, "not a partial audit", __LINE__);
	f[4] = '\r';
	put32(f + 8, 2);
	refused(f, len, "format version 2", __LINE__);
	put32(f + 8, 1);
	put32(f + 12, 1);
	refused(f, len, "flags", __LINE__);
	put32(f + 12, 0);

	/* a flipped byte in the compressed body: zlib's own check or the
	 * CRC catches it, wherever it is */
	for (k = 28; k < len; k += (len - 28) / 7 + 1) {
		f[k] ^= 0x20;
		refused(f, len, "not a valid partial audit", __LINE__);
		f[k] ^= 0x20;
	}
	f[len - 1] ^= 0x01; /* zlib's Adler-32 */
	refused(f, len, "damaged", __LINE__);
	f[len - 1] ^= 0x01;
	/* a stated length that is not the body's */
	f[16] ^= 0x01;
	refused(f, len, "not a valid partial audit", __LINE__);
	f[16] ^= 0x01;
	put32(f + 20, 0x40);
	refused(f, len, "size does not fit", __LINE__);
	put32(f + 20, 0);

	/* a body that decompresses but whose CRC was not updated */
	body = unwrap_body(&good, &n);
	body[n / 2] ^= 0x04;
	w = wrap_body(body, n, get32(f + 24), &wlen);
	refused(w, wlen, "checksum mismatch", __LINE__);
	free(w);
	body[n / 2] ^= 0x04;
	/* a body cut short, or with a byte after its end, whose CRC is right */
	w = wrap_body(body, n - 1, crc32(crc32(0L, Z_NULL, 0), body, (uInt)(n - 1)), &wlen);
	refused(w, wlen, "ends early", __LINE__);
	free(w);
	body = fa_xrealloc(body, n + 1);
	body[n] = 0;
	w = wrap_body(body, n + 1, crc32(crc32(0L, Z_NULL, 0), body, (uInt)(n + 1)), &wlen);
	refused(w, wlen, "bytes after the end", __LINE__);
	free(w);
	free(body);

	/* truncated at several points */
	for (k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++)
		refused(f, cuts[k], "partial audit", __LINE__);
	refused(f, len / 2, "damaged or cut short", __LINE__);
	refused(f, len - 1, "damaged or cut short", __LINE__);

	/* garbage after the compressed body (zlib's uncompress() alone would
	 * stop at the end of the stream and not see it) */
	memcpy(f + len, "trailing garbage", 16);
	refused(f, len + 16, "not a valid partial audit", __LINE__);
	refused(f, len + 1, "not a valid partial audit", __LINE__);

	free(f);
	fa_buf_free(&good);
	fa_partial_free(p);
}

/* ---- refused merges -------------------------------------------------------------- */

static void expect_refused(const build_spec *sa, const build_spec *sb, const char *setting,
			   int line)
{
	char *ta = make_site('A', 20, 5), *tb = make_site('B', 20, 6);
	fa_partial *a = build_text("a.csv", ta, sa), *b = build_text("b.csv", tb, sb), *sum = NULL;
	const fa_partial *parts[2];
	static const char *const names[] = {"a.fap", "b.fap"};
	fa_error err;
	int rc;

	free(ta);
	free(tb);
	if (!a || !b)
		goto done;
	parts[0] = a;
	parts[1] = b;
	rc = fa_partial_merge(&sum, parts, names, 2, &err);
	if (rc != FA_EUSAGE || sum) {
		test_fail(__FILE__, line, "merge over %s: got %d, want FA_EUSAGE", setting, rc);
		goto done;
	}
	if (!strstr(err.message, setting))
		test_fail(__FILE__, line, "message \"%s\" does not name %s", err.message, setting);
	if (strcmp(err.path, "b.fap") != 0)
		test_fail(__FILE__, line, "message names \"%s\", not b.fap", err.path);
	/* and without names */
	rc = fa_partial_merge(&sum, parts, NULL, 2, &err);
	if (rc != FA_EUSAGE || !strstr(err.message, setting))
		test_fail(__FILE__, line, "unnamed merge over %s: %d \"%s\"", setting, rc, err.message);
done:
	fa_partial_free(sum);
	fa_partial_free(a);
	fa_partial_free(b);
}

static void test_partial__merge_refused(void)
{
	static const char *const one[] = {"sex"}, *const two[] = {"grade"};
	static const char *const cols[] = {"sex", "grade"};
	static const char *const both[] = {"sex", "grade"};
	build_spec a = spec_init(), b;

	a.groups = one;
	a.ngroups = 1;
	a.columns = cols;
	a.ncolumns = 2;
	a.bootstrap = 10;

	b = a;
	b.threshold = 0.4;
	expect_refused(&a, &b, "threshold", __LINE__);
	b = a;
	b.seed = 4;
	expect_refused(&a, &b, "seed", __LINE__);
	b = a;
	b.bootstrap = 11;
	expect_refused(&a, &b, "bootstrap replicates", __LINE__);
	b = a;
	b.groups = two;
	expect_refused(&a, &b, "--group", __LINE__);
	b = a;
	b.groups = both;
	b.ngroups = 2;
	expect_refused(&a, &b, "number of --group", __LINE__);
	b = a;
	b.score_bins = 50;
	expect_refused(&a, &b, "score bins", __LINE__);
	b = a;
	b.permutations = 5;
	expect_refused(&a, &b, "--permutations", __LINE__);

	/* the same settings do merge */
	{
		char *ta = make_site('A', 20, 5), *tb = make_site('B', 20, 6);
		fa_partial *pa = build_text("a.csv", ta, &a), *pb = build_text("b.csv", tb, &a);
		fa_partial *sum = pa && pb ? merge2(pa, pb) : NULL;
		CHECK(sum != NULL);
		CHECK(!sum || fa_partial_rows(sum) == 40);
		fa_partial_free(sum);
		fa_partial_free(pa);
		fa_partial_free(pb);
		free(ta);
		free(tb);
	}
}

/* Records that would be counted twice, or share weights, are not added: a
 * partial with itself, and two files of one base name keyed by file and
 * line (their records of one line would have the same weights). */
static void test_partial__merge_refused_records(void)
{
	static const char *const groups[] = {"sex"};
	static const char *const names[] = {"x/site.fap", "y/site.fap"};
	char *ta = make_site('A', 20, 5), *tb = make_site('B', 20, 6);
	build_spec s = spec_init();
	fa_partial *a = NULL, *b = NULL, *sum = NULL;
	const fa_partial *parts[2];
	fa_error err;

	s.groups = s.columns = groups;
	s.ngroups = s.ncolumns = 1;
	s.bootstrap = 10;
	a = build_text("x/site.csv", ta, &s);
	b = build_text("y/site.csv", tb, &s);
	if (!a || !b)
		goto done;
	parts[0] = a;
	parts[1] = a;
	CHECK_INT(fa_partial_merge(&sum, parts, names, 2, &err), FA_EUSAGE);
	CHECK(sum == NULL && strstr(err.message, "x/site.csv") != NULL);
	parts[1] = b;
	CHECK_INT(fa_partial_merge(&sum, parts, names, 2, &err), FA_EUSAGE);
	CHECK(sum == NULL && strstr(err.message, "site.csv") != NULL);
	fa_partial_free(a);
	fa_partial_free(b);

	/* keyed by record ids, the names do not matter */
	s.id = "id";
	free(ta);
	free(tb);
	ta = fa_xstrdup("id,label,score,sex\na1,1,0.9,F\na2,0,0.3,M\n");
	tb = fa_xstrdup("id,label,score,sex\nb1,0,0.6,F\nb2,1,0.45,M\n");
	a = build_text("x/site.csv", ta, &s);
	b = build_text("y/site.csv", tb, &s);
	if (!a || !b)
		goto done;
	parts[0] = a;
	parts[1] = b;
	CHECK_INT(fa_partial_merge(&sum, parts, names, 2, &err), 0);
	CHECK(sum && fa_partial_rows(sum) == 4);
done:
	fa_partial_free(sum);
	fa_partial_free(a);
	fa_partial_free(b);
	free(ta);
	free(tb);
}

/* ---- weights keyed by record id ----------------------------------------------------- */

/* The report without its "input" part (file names and checksums). */
static char *report_without_input(const fa_partial *p)
{
	char *text = report_of(p), *out;
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!j)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(j, "input");
	out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return out;
}

static void test_partial__shuffle_id(void)
{
	static const char *const groups[] = {"sex", "grade"};
	build_spec s = merge_spec();
	fa_buf text = FA_BUF_INIT, shuffled = FA_BUF_INIT, one = FA_BUF_INIT, two = FA_BUF_INIT;
	char *site = make_site('C', 60, 21), **line, *save = NULL, *tok;
	fa_partial *p = NULL, *q = NULL, *r = NULL;
	size_t n = 0, i;
	uint64_t x = 99;
	char *ra, *rb;

	s.groups = groups;
	s.ngroups = 2;
	s.ncolumns = 2;
	s.nbins = 0;
	s.id = "id";
	/* an id in front of every record, then the same lines in another
	 * order (Fisher-Yates over the records, the header staying first) */
	line = fa_xcalloc(61, sizeof(char *));
	for (tok = strtok_r(site, "\n", &save); tok && n < 61; tok = strtok_r(NULL, "\n", &save))
		line[n++] = tok;
	CHECK_INT(n, 61);
	fa_buf_printf(&text, "id,%s\n", line[0]);
	for (i = 1; i < n; i++)
		line[i] = fa_xasprintf("img%03zu,%s", i * 7 % 1000, line[i]);
	for (i = 1; i < n; i++)
		fa_buf_printf(&text, "%s\n", line[i]);
	for (i = n - 1; i > 1; i--) {
		size_t j = 1 + (size_t)(lcg(&x) % i);
		char *t = line[i];
		line[i] = line[j];
		line[j] = t;
	}
	fa_buf_printf(&shuffled, "id,%s\n", line[0]);
	for (i = 1; i < n; i++)
		fa_buf_printf(&shuffled, "%s\n", line[i]);
	CHECK(strcmp(text.ptr, shuffled.ptr) != 0 && text.len == shuffled.len);

	p = build_text("ids.csv", text.ptr, &s);
	q = build_text("ids.csv", shuffled.ptr, &s);
	if (!p || !q)
		goto done;
	/* only the file's checksum differs */
	CHECK(strcmp(p->files[0].sha256, q->files[0].sha256) != 0);
	memcpy(q->files[0].sha256, p->files[0].sha256, sizeof(q->files[0].sha256));
	write_partial(&one, p);
	write_partial(&two, q);
	CHECK(same_bytes(&one, &two));
	ra = report_without_input(p);
	rb = report_without_input(q);
	CHECK(ra && rb && strcmp(ra, rb) == 0);
	CHECK(ra && strstr(ra, "\"ci\":[") != NULL);
	free(ra);
	free(rb);
	/* keyed by file and line instead, the weights move with the lines */
	s.id = NULL;
	r = build_text("ids.csv", shuffled.ptr, &s);
	if (r) {
		memcpy(r->files[0].sha256, p->files[0].sha256, sizeof(r->files[0].sha256));
		free(r->id_column);
		r->id_column = fa_xstrdup("id");
		write_partial(&two, r);
		CHECK(two.len > 0 && !same_bytes(&one, &two));
	}
done:
	fa_partial_free(p);
	fa_partial_free(q);
	fa_partial_free(r);
	fa_buf_free(&text);
	fa_buf_free(&shuffled);
	fa_buf_free(&one);
	fa_buf_free(&two);
	for (i = 1; i < n; i++)
		free(line[i]);
	free(line);
	free(site);
}

/* ---- the Poisson weights, recomputed ----------------------------------------------- */

/* SplitMix64's finalizer (Steele, Lea and Flood 2014), written out here
 * from its published constants. */
static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* FNV-1a, 64 bits, over n bytes (n includes a NUL when one is hashed). */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The weight of the unit hashed `unit` in replicate r: the smallest k with
 * u 2^-53 < P(X <= k) for X ~ Poisson(1). */
static unsigned weight_of(uint64_t seed, size_t r, uint64_t unit)
{
	uint64_t rs = splitmix(seed ^ splitmix((uint64_t)r + 1));
	double u = (double)(splitmix(rs ^ unit) >> 11) * 0x1p-53;
	unsigned k = 0;
	while (k < 16 && !(u < gsl_cdf_poisson_P(k, 1.0)))
		k++;
	return k;
}

/* The replicates of a partial whose records all have the key `unit`: in
 * every replicate the weight where each record's label and score bin put
 * it, and at its decision (slots[], one per record and decision; SIZE_MAX
 * for none); 0 elsewhere. */
static void check_weights(const fa_partial *p, uint64_t unit, const size_t *slots, size_t n,
			  int line)
{
	size_t r, k, i, S = FA_PSLOTS(p->bins), bad = 0, zeros = 0, total = 0;

	if (p->nslots != S || p->bootstrap != 200) {
		test_fail(__FILE__, line, "layout: %zu slots, %zu replicates", p->nslots,
			  (size_t)p->bootstrap);
		return;
	}
	for (r = 0; r < 200; r++) {
		unsigned w = weight_of(p->seed, r, unit);
		const uint64_t *row = p->reps + r * S;
		zeros += w == 0;
		total += w;
		for (k = 0; k < S; k++) {
			uint64_t want = 0;
			for (i = 0; i < n; i++)
				want += slots[i] == k ? w : 0;
			if (row[k] != want && bad++ < 5)
				test_fail(__FILE__, line, "replicate %zu slot %zu: got %llu, want %llu", r,
					  k, (unsigned long long)row[k], (unsigned long long)want);
		}
	}
	/* about e^-1 of the weights are 0 and they average about 1 (three
	 * standard deviations: 0.368 +- 0.102, 1 +- 0.21) */
	CHECK(zeros > 53 && zeros < 94);
	CHECK(total > 158 && total < 242);
}

static void check_one_record(const fa_partial *p, uint64_t unit, size_t cell, size_t decided,
			     int line)
{
	size_t slots[2];
	slots[0] = cell;
	slots[1] = decided;
	check_weights(p, unit, slots, 2, line);
}

static void test_partial__poisson_id(void)
{
	/* label 1, score 0.625: decided positive at 0.5; of 100 bins, in
	 * [0.62, 0.63), bin 62 of the positives (slot 100 + 62); and the
	 * positives decided positive (slot 2 * 100 + 1) */
	static const char text[] = "rid,label,score\nrec-17,1,0.625\n";
	build_spec s = spec_init();
	fa_partial *p;
	uint64_t unit;

	s.id = "rid";
	s.bootstrap = 200;
	s.seed = 12345;
	p = build_text("one.csv", text, &s);
	if (!p)
		return;
	unit = splitmix(fnv(fnv(0xcbf29ce484222325ULL, "i", 1), "rec-17", 6));
	check_one_record(p, unit, 100 + 62, 201, __LINE__);
	fa_partial_free(p);

	/* another seed draws other weights */
	s.seed = 12346;
	p = build_text("one.csv", text, &s);
	if (p)
		check_one_record(p, unit, 100 + 62, 201, __LINE__);
	fa_partial_free(p);
}

static void test_partial__poisson_line(void)
{
	/* keyed by the file's base name, a NUL and the line: "one.csv\0" "2".
	 * Label 0, score 0.375: decided negative; bin 37 of the negatives. */
	static const char text[] = "label,score\n0,0.375\n";
	build_spec s = spec_init();
	fa_partial *p;
	uint64_t unit;

	s.bootstrap = 200;
	s.seed = 7;
	p = build_text("some/folder/one.csv", text, &s);
	if (!p)
		return;
	unit = splitmix(fnv(fnv(fnv(0xcbf29ce484222325ULL, "f", 1), "one.csv", 8), "2", 1));
	check_one_record(p, unit, 37, SIZE_MAX, __LINE__);
	fa_partial_free(p);
}

static void test_partial__poisson_cluster(void)
{
	/* two records of cluster "P1" weigh the cluster's weight: label 1 at
	 * 0.625 (slot 100 + 62, and 2 * 100 + 1 decided), label 0 at 0.375
	 * (slot 37) */
	static const char text[] = "pid,label,score\nP1,1,0.625\nP1,0,0.375\n";
	static const size_t slots[] = {162, 201, 37};
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	fa_partial_options po = FA_PARTIAL_OPTIONS_INIT;
	fa_table *t = NULL;
	fa_partial *p = NULL;
	fa_error err;

	lo.cluster_column = "pid";
	lo.load_flags = FA_LOAD_KEEP_LINES;
	ao.cluster_column = "pid";
	ao.ci_method = FA_CI_BOOTSTRAP;
	ao.permutations = 0;
	ao.bootstrap = 200;
	ao.seed = 99;
	ao.threads = 1;
	if (fa_load_memory(&t, "pid.csv", text, strlen(text), &lo, &err) < 0 ||
	    fa_partial_build(&p, t, &ao, &po, &err) < 0) {
		test_fail(__FILE__, __LINE__, "%s", err.message);
		goto done;
	}
	CHECK_INT(p->strata[0].groups[0].nclusters, 1);
	check_weights(p, splitmix(fnv(fnv(0xcbf29ce484222325ULL, "c", 1), "P1", 2)), slots, 3,
		      __LINE__);
done:
	fa_partial_free(p);
	fa_table_free(t);
}

/* The partial files among the seeds of fuzz_partial read: a change of the
 * format (which must come with a new format version) leaves them behind,
 * and the fuzzer would then try only the reader's first checks. They are
 * made again with tests/fuzz/make_seeds.py. */
/* The replicates' AUC and Brier score, computed here from the weights of
 * the documented formula: with scores on a grid of 0.01 and 10000 score
 * bins, no bin holds two distinct scores, so the binned replicates are
 * exact and the bootstrap interval must be the type-7 quantiles of these
 * values. */
static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile7(const double *sorted, size_t n, double f)
{
	double h = (double)(n - 1) * f;
	size_t lo = (size_t)h;
	return lo + 1 < n ? sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo])
			  : sorted[lo];
}

static void test_partial__replicate_auc(void)
{
	enum { N = 60, B = 200 };
	build_spec s = spec_init();
	fa_buf text = FA_BUF_INIT;
	double sc[N], auc[B], brier[B];
	int y[N];
	uint64_t unit[N];
	size_t i, j, r, na = 0;
	fa_partial *p;
	fa_result *res;

	fa_buf_puts(&text, "rid,label,score\n");
	for (i = 0; i < N; i++) {
		char id[16];
		int len = snprintf(id, sizeof(id), "r%zu", i);
		y[i] = (int)(i % 3 == 0);
		/* ties across labels, and positives somewhat higher */
		sc[i] = (double)((i * 37) % 50 + (y[i] ? 30 : 10)) / 100.0;
		unit[i] = splitmix(fnv(fnv(0xcbf29ce484222325ULL, "i", 1), id, (size_t)len));
		fa_buf_printf(&text, "%s,%d,%.2f\n", id, y[i], sc[i]);
	}
	s.id = "rid";
	s.bootstrap = B;
	s.seed = 11;
	s.score_bins = 10000;
	p = build_text("grid.csv", text.ptr, &s);
	fa_buf_free(&text);
	if (!p)
		return;
	res = audit_partial(p);
	fa_partial_free(p);
	if (!res)
		return;
	for (r = 0; r < B; r++) {
		double wpos = 0, wneg = 0, num = 0, sq = 0;
		unsigned w[N];
		for (i = 0; i < N; i++) {
			w[i] = weight_of(11, r, unit[i]);
			if (y[i])
				wpos += w[i];
			else
				wneg += w[i];
			sq += w[i] * (sc[i] - y[i]) * (sc[i] - y[i]);
		}
		for (i = 0; i < N; i++)
			for (j = 0; j < N; j++)
				if (y[i] && !y[j])
					num += w[i] * w[j] * (sc[i] > sc[j] ? 1.0 : sc[i] == sc[j] ? 0.5 : 0.0);
		if (wpos > 0 && wneg > 0)
			auc[na++] = num / (wpos * wneg);
		brier[r] = sq / (wpos + wneg);
	}
	qsort(auc, na, sizeof(double), cmp_dbl);
	qsort(brier, B, sizeof(double), cmp_dbl);
	CHECK(na > 190);
	CHECK(res->overall.metrics[FA_M_AUC].has_ci);
	CHECK_NEAR(res->overall.metrics[FA_M_AUC].ci_low, quantile7(auc, na, 0.025), 1e-12);
	CHECK_NEAR(res->overall.metrics[FA_M_AUC].ci_high, quantile7(auc, na, 0.975), 1e-12);
	CHECK_NEAR(res->overall.metrics[FA_M_BRIER].ci_low, quantile7(brier, B, 0.025), 1e-12);
	CHECK_NEAR(res->overall.metrics[FA_M_BRIER].ci_high, quantile7(brier, B, 0.975), 1e-12);
	fa_result_free(res);
}

static void test_partial__fuzz_seeds_read(void)
{
	size_t i, files = 0;
	char rel[64];

	for (i = 0; i < 100; i++) {
		const char *path;
		fa_partial *p = NULL;
		fa_error err;
		FILE *f;
		char head[8];

		snprintf(rel, sizeof(rel), "tests/fuzz/corpus/partial/seed-%03zu", i);
		path = test_path(rel);
		if (!(f = fopen(path, "rb")))
			break;
		if (fread(head, 1, 8, f) == 8 && memcmp(head, "\x89" "FAP\r\n\x1a\n", 8) == 0) {
			files++;
			if (fa_partial_load(&p, path, &err) < 0)
				test_fail(__FILE__, __LINE__,
					  "%s: %s (run tests/fuzz/make_seeds.py with a fairaudit binary)",
					  rel, err.message);
			fa_partial_free(p);
		}
		fclose(f);
	}
	CHECK(files >= 4);
}

test_case test_partial__cases[] = {
	{"partial/hand_counts", test_partial__hand_counts},
	{"partial/score_range", test_partial__score_range},
	{"partial/merge_exact", test_partial__merge_exact},
	{"partial/merge_adds_replicates", test_partial__merge_adds_replicates},
	{"partial/matches_audit", test_partial__matches_audit},
	{"partial/file_round_trip", test_partial__file_round_trip},
	{"partial/file_damaged", test_partial__file_damaged},
	{"partial/merge_refused", test_partial__merge_refused},
	{"partial/merge_refused_records", test_partial__merge_refused_records},
	{"partial/shuffle_id", test_partial__shuffle_id},
	{"partial/poisson_id", test_partial__poisson_id},
	{"partial/poisson_line", test_partial__poisson_line},
	{"partial/poisson_cluster", test_partial__poisson_cluster},
	{"partial/replicate_auc", test_partial__replicate_auc},
	{"partial/fuzz_seeds_read", test_partial__fuzz_seeds_read},
	{NULL, NULL},
};
