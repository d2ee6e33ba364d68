/*
 * join.c: line up the scores of model files with the main input's records
 * by a record id.
 *
 * The main input is loaded once, with its id column and the scores of any
 * column models. Its ids live in the id column's dictionary, so a code ->
 * row array turns each model file row's id into its record with one hash
 * lookup: the join is linear in the rows. Model files are loaded one at a
 * time and freed as soon as their scores are copied out, so at most one is
 * in memory beside the main table. Records that some model lacks (under
 * --on-invalid skip) are dropped at the end by compacting the main table in
 * place, which the join owns.
 */
#include "fairaudit/join.h"

#include "table_internal.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NO_ROW UINT32_MAX

struct fa_join {
	fa_table *t;
	fa_model_input *in;
	size_t n;
	char **names, **columns; /* copies the models point to */
	double **own;            /* per model: a score array the join owns */
	size_t *ignored;
};

static const char *display(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* The loader puts the id column after every other attribute. */
static const fa_attr *id_attr(const fa_table *t)
{
	assert(t->nattrs > 0 && t->attrs[t->nattrs - 1].id);
	return &t->attrs[t->nattrs - 1];
}

static void row_id(char *q, size_t size, const fa_table *t, size_t r)
{
	const fa_attr *at = id_attr(t);
	uint32_t c = at->codes[r];
	fa_quote_value(q, size, at->dict.names[c], at->dict.lens[c], 60);
}

/* The file (index into t->files) that row `r` of a freshly loaded table
 * came from. */
static size_t file_of(const fa_table *t, size_t nfiles, size_t r)
{
	size_t i = nfiles - 1;
	while (i > 0 && t->file_row0[i] > r)
		i--;
	return i;
}

/* Map every id's code to its row. An id on two rows is an error at the
 * second, naming the first. */
static int index_ids(uint32_t **out, const fa_table *t, fa_error *err)
{
	const fa_attr *at = id_attr(t);
	size_t n = at->dict.count, r;
	uint32_t *row_of = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
	char q[400];

	*out = NULL;
	for (r = 0; r < n; r++)
		row_of[r] = NO_ROW;
	for (r = 0; r < t->rows; r++) {
		uint32_t c = at->codes[r], first = row_of[c];
		size_t f1, f2;
		if (first == NO_ROW) {
			row_of[c] = (uint32_t)r;
			continue;
		}
		f1 = file_of(t, t->nfiles, first);
		f2 = file_of(t, t->nfiles, r);
		row_id(q, sizeof(q), t, r);
		if (f1 == f2)
			fa_error_set(err, FA_EINPUT, display(t->files[f2].path), t->lines[r], 0,
				     "id \"%s\" appears twice in column \"%s\", on lines %lu and %lu; every record needs an id of its own",
				     q, at->name, (unsigned long)t->lines[first], (unsigned long)t->lines[r]);
		else
			fa_error_set(err, FA_EINPUT, display(t->files[f2].path), t->lines[r], 0,
				     "id \"%s\" appears twice in column \"%s\", on line %lu of %s and here; every record needs an id of its own",
				     q, at->name, (unsigned long)t->lines[first],
				     display(t->files[f1].path));
		free(row_of);
		return FA_EINPUT;
	}
	*out = row_of;
	return 0;
}

/* "main.csv", or "main.csv and 2 more files". */
static void main_name(char *out, size_t size, const fa_table *t, size_t nmain)
{
	if (nmain == 1)
		snprintf(out, size, "%s", display(t->files[0].path));
	else
		snprintf(out, size, "%s and %zu more file%s", display(t->files[0].path), nmain - 1,
			 nmain == 2 ? "" : "s");
}

/* Load model `m`'s file and copy its scores into `*out`, aligned with the
 * main table's rows (NaN where the file has no usable row). The file's
 * provenance goes to `*file`. */
static int join_file(double **out, size_t *ignored, fa_input_file *file, const fa_table *t,
		     size_t nmain, const uint32_t *row_of, const fa_load_options *opts,
		     const fa_join_model *m, fa_error *err)
{
	fa_load_options fo = FA_LOAD_OPTIONS_INIT;
	fa_table *mt = NULL;
	uint32_t *mrow = NULL;
	double *s = NULL;
	const fa_attr *tid = id_attr(t), *mid;
	const uint8_t *ty = fa_table_labels(t), *my;
	const char *path = display(m->path);
	char q[400], where[1200];
	size_t j, r, n = t->rows;
	int skip = opts->on_invalid == FA_ON_INVALID_SKIP, rc;

	*out = NULL;
	fo.label_column = opts->label_column;
	fo.score_column = m->score_column ? m->score_column
			  : opts->score_column ? opts->score_column : "score";
	fo.positive = opts->positive;
	fo.delimiter = opts->delimiter;
	fo.on_invalid = opts->on_invalid;
	fo.max_line_bytes = opts->max_line_bytes;
	fo.id_column = opts->id_column;
	fo.load_flags = FA_LOAD_LABEL_OPTIONAL;
	if ((rc = fa_load_files(&mt, &m->path, 1, &fo, err)) < 0)
		return rc;
	/* only to refuse a repeated id: the lookups go through the main
	 * table's dictionary */
	if ((rc = index_ids(&mrow, mt, err)) < 0)
		goto done;
	free(mrow);
	mid = id_attr(mt);
	my = fa_table_labels(mt);
	s = fa_xmalloc((n ? n : 1) * sizeof(double));
	for (r = 0; r < n; r++)
		s[r] = NAN;
	for (j = 0; j < mt->rows; j++) {
		uint32_t mc = mid->codes[j];
		uint32_t c = fa_dict_find(&tid->dict, mid->dict.names[mc], mid->dict.lens[mc]);
		size_t f;
		r = c == FA_NO_CODE ? NO_ROW : row_of[c];
		if (r == NO_ROW) {
			if (skip) {
				++*ignored;
				continue;
			}
			row_id(q, sizeof(q), mt, j);
			main_name(where, sizeof(where), t, nmain);
			rc = fa_error_set(err, FA_EINPUT, path, mt->lines[j], 0,
					  "id \"%s\" is not in the main input (%s)", q, where);
			goto done;
		}
		if (my && my[j] != ty[r]) {
			row_id(q, sizeof(q), mt, j);
			f = file_of(t, nmain, r);
			rc = fa_error_set(err, FA_EINPUT, path, mt->lines[j], 0,
					  "id \"%s\" is labelled %s here but %s on line %lu of %s; a model file's labels must agree with the main input's",
					  q, my[j] ? "positive" : "negative", ty[r] ? "positive" : "negative",
					  (unsigned long)t->lines[r], display(t->files[f].path));
			goto done;
		}
		s[r] = mt->scores[j];
	}
	for (r = 0; r < n && !skip; r++) {
		size_t f;
		if (!isnan(s[r]))
			continue;
		row_id(q, sizeof(q), t, r);
		f = file_of(t, nmain, r);
		rc = fa_error_set(err, FA_EINPUT, path, 0, 0,
				  "id \"%s\" (line %lu of %s) has no row in this file; every record needs a score from every model (--on-invalid skip drops such records)",
				  q, (unsigned long)t->lines[r], display(t->files[f].path));
		goto done;
	}
	*file = mt->files[0];
	mt->files[0].path = NULL;
	*out = s;
	s = NULL;
done:
	free(s);
	fa_table_free(mt);
	return rc;
}

/* The repeated patient ids the loader counted (fa_table_probe) were
 * among all the records read: count them again among those kept, unless
 * the loader stopped remembering ids, whose codes are then not exact. */
static void recount_probe(fa_table *t)
{
	size_t a, r;

	for (a = 0; a < t->nattrs; a++) {
		const fa_attr *at = &t->attrs[a];
		uint8_t *seen;
		if (!at->probe || at->dict.count >= FA_PROBE_MAX_IDS)
			continue;
		seen = fa_xcalloc(at->dict.count ? at->dict.count : 1, 1);
		t->probe_repeats = 0;
		for (r = 0; r < t->rows; r++) {
			uint32_t c = at->codes[r];
			if (c == at->missing)
				continue;
			if (seen[c])
				t->probe_repeats++;
			seen[c] = 1;
		}
		free(seen);
	}
}

/* Keep the records every model scores, in order; count the others. */
static void drop_unscored(fa_table *t, double **own, size_t K)
{
	size_t n = t->rows, r, w = 0, k, a;

	for (r = 0; r < n; r++) {
		int keep = 1;
		for (k = 0; k < K && keep; k++)
			keep = !own[k] || !isnan(own[k][r]);
		if (!keep)
			continue;
		if (w != r) {
			if (t->score_column)
				t->scores[w] = t->scores[r];
			t->labels[w] = t->labels[r];
			if (t->preds)
				t->preds[w] = t->preds[r];
			for (a = 0; a < t->nextra; a++)
				t->extra[a][w] = t->extra[a][r];
			for (a = 0; a < t->nattrs; a++)
				t->attrs[a].codes[w] = t->attrs[a].codes[r];
			for (k = 0; k < K; k++)
				if (own[k])
					own[k][w] = own[k][r];
		}
		w++;
	}
	t->drops[FA_DROP_MISSING_IN_MODEL_FILE] += n - w;
	t->rows = w;
	if (w < n)
		recount_probe(t);
}

/* The id column, line numbers and per-file row starts served the
 * messages; the audit needs none of them. */
static void forget_ids(fa_table *t)
{
	fa_attr *at = &t->attrs[t->nattrs - 1];

	assert(at->id);
	free(at->name);
	free(at->codes);
	free(at->cuts);
	fa_dict_free(&at->dict);
	memset(at, 0, sizeof(*at));
	t->nattrs--;
	free(t->lines);
	t->lines = NULL;
}

int fa_join_load(fa_join **out, const char *const *paths, size_t npaths,
		 const fa_load_options *opts, const fa_join_model *models, size_t nmodels,
		 fa_error *err)
{
	fa_load_options mo = *opts;
	fa_join *J = NULL;
	fa_table *t = NULL;
	const char **cols = NULL;
	size_t *col_of = NULL; /* per model: 0 the score, 1 + k extra k; or SIZE_MAX */
	fa_input_file *mfiles = NULL;
	uint32_t *row_of = NULL;
	size_t ncols = 0, nstdin = 0, nmain = npaths, nm = 0, k, i;
	int rc = 0;

	*out = NULL;
	if (nmodels == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "no model to audit");
	if (!opts->id_column || !opts->id_column[0])
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "model files are joined to the main input by an id column; none was given");
	for (i = 0; i < npaths; i++)
		nstdin += strcmp(paths[i], "-") == 0;
	for (k = 0; k < nmodels; k++)
		nstdin += models[k].path && strcmp(models[k].path, "-") == 0;
	if (nstdin > 1)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "standard input (\"-\") is given %zu times; it can be read once",
				    nstdin);

	/* the column models are read in the main input's one pass */
	cols = fa_xcalloc(nmodels, sizeof(*cols));
	col_of = fa_xcalloc(nmodels, sizeof(*col_of));
	for (k = 0; k < nmodels; k++) {
		col_of[k] = SIZE_MAX;
		if (!models[k].path) {
			col_of[k] = ncols;
			cols[ncols++] = models[k].score_column;
		}
	}
	mo.load_flags = ncols ? 0 : FA_LOAD_NO_SCORE;
	mo.score_column = ncols ? cols[0] : opts->score_column;
	mo.extra_scores = ncols > 1 ? cols + 1 : NULL;
	mo.extra_score_count = ncols ? ncols - 1 : 0;
	if ((rc = fa_load_files(&t, paths, npaths, &mo, err)) < 0)
		goto done;
	if ((rc = index_ids(&row_of, t, err)) < 0)
		goto done;

	J = fa_xcalloc(1, sizeof(*J));
	J->n = nmodels;
	J->in = fa_xcalloc(nmodels, sizeof(*J->in));
	J->names = fa_xcalloc(nmodels, sizeof(char *));
	J->columns = fa_xcalloc(nmodels, sizeof(char *));
	J->own = fa_xcalloc(nmodels, sizeof(double *));
	J->ignored = fa_xcalloc(nmodels, sizeof(size_t));
	mfiles = fa_xcalloc(nmodels, sizeof(*mfiles));
	for (k = 0; k < nmodels; k++) {
		const fa_join_model *m = &models[k];
		J->names[k] = fa_xstrdup(m->name ? m->name : "");
		J->columns[k] = fa_xstrdup(m->score_column ? m->score_column
					   : opts->score_column ? opts->score_column : "score");
		if (!m->path)
			continue;
		if ((rc = join_file(&J->own[k], &J->ignored[k], &mfiles[nm], t, nmain, row_of, opts,
				    m, err)) < 0)
			goto done;
		nm++;
	}
	free(row_of);
	row_of = NULL;
	drop_unscored(t, J->own, nmodels);
	forget_ids(t);
	if (t->rows == 0) {
		rc = fa_table_all_dropped(t, nmain == 1 ? display(t->files[0].path) : NULL, err);
		goto done;
	}
	/* the model files' provenance follows the main input's */
	t->files = fa_xrealloc(t->files, (t->nfiles + nm) * sizeof(fa_input_file));
	memcpy(t->files + t->nfiles, mfiles, nm * sizeof(fa_input_file));
	t->nfiles += nm;
	nm = 0;
	free(t->file_row0);
	t->file_row0 = NULL;

	/* the table's score column is the first model's */
	if (col_of[0] != 0) {
		size_t main_user = SIZE_MAX;
		for (k = 0; k < nmodels; k++)
			if (col_of[k] == 0)
				main_user = k;
		if (main_user != SIZE_MAX)
			J->own[main_user] = t->scores;
		else
			free(t->scores);
		t->scores = J->own[0];
		J->own[0] = NULL;
		free(t->score_column);
		t->score_column = fa_xstrdup(J->columns[0]);
	}
	for (k = 0; k < nmodels; k++) {
		J->in[k].name = J->names[k];
		J->in[k].table = t;
		J->in[k].score_column = J->columns[k];
		if (k == 0)
			J->in[k].scores = t->scores;
		else if (J->own[k])
			J->in[k].scores = J->own[k];
		else
			J->in[k].scores = col_of[k] == 0 ? t->scores : t->extra[col_of[k] - 1];
	}
	J->t = t;
	t = NULL;
	*out = J;
	J = NULL;
done:
	for (i = 0; i < nm; i++)
		free((char *)mfiles[i].path);
	free(mfiles);
	free(row_of);
	free(cols);
	free(col_of);
	fa_table_free(t);
	fa_join_free(J);
	return rc;
}

const fa_table *fa_join_table(const fa_join *j) { return j->t; }

const fa_model_input *fa_join_models(const fa_join *j, size_t *n)
{
	*n = j->n;
	return j->in;
}

size_t fa_join_ignored(const fa_join *j, size_t k) { return k < j->n ? j->ignored[k] : 0; }

void fa_join_free(fa_join *j)
{
	size_t k;

	if (!j)
		return;
	for (k = 0; k < j->n; k++) {
		free(j->names[k]);
		free(j->columns[k]);
		free(j->own[k]);
	}
	free(j->names);
	free(j->columns);
	free(j->own);
	free(j->ignored);
	free(j->in);
	fa_table_free(j->t);
	free(j);
}

/* ---- --model NAME=VALUE ------------------------------------------------- */

/* The first `len` bytes of `s` end in a data extension (any case, as the
 * loader reads them): .csv, .tsv, .tab, .json, .jsonl, .ndjson, each maybe
 * followed by .gz, or .gz alone. */
static int data_extension(const char *s, size_t len)
{
	static const char *const exts[] = {".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson",
					   ".gz"};
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t l = strlen(exts[i]);
		if (len > l && strncasecmp(s + len - l, exts[i], l) == 0)
			return 1;
	}
	return 0;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int fa_join_parse_model(char **path, char **column, const char *value, fa_error *err)
{
	const char *v = value, *colon;
	int file;

	*path = NULL;
	*column = NULL;
	if (strncmp(v, "column:", 7) == 0) {
		if (!v[7])
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "\"%s\": no column after \"column:\"", value);
		*column = fa_xstrdup(v + 7);
		return 0;
	}
	file = strncmp(v, "file:", 5) == 0;
	colon = strrchr(v, ':');
	if (file)
		v += 5;
	else
		file = strchr(v, '/') != NULL || data_extension(v, strlen(v)) ||
		       (colon && data_extension(v, (size_t)(colon - v)));
	if (!file) {
		if (!v[0])
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "\"%s\": empty", value);
		if (is_file(v))
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "\"%s\" is a file here but reads as a column name; write file:%s or column:%s",
					    value, value, value);
		*column = fa_xstrdup(v);
		return 0;
	}
	colon = strrchr(v, ':');
	if (colon && data_extension(v, (size_t)(colon - v))) {
		if (!colon[1])
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "\"%s\": no column after the last ':'", value);
		*path = fa_xstrndup(v, (size_t)(colon - v));
		*column = fa_xstrdup(colon + 1);
		return 0;
	}
	if (!v[0])
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "\"%s\": no file after \"file:\"",
				    value);
	*path = fa_xstrdup(v);
	return 0;
}
