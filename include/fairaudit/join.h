/*
 * join.h: models whose predictions come from files of their own, joined to
 * the main input's records by a record id (docs/models.md).
 *
 * The main input gives every record's label, decision and attributes; each
 * model file gives one model's score for the same records, identified by
 * an id column present in every file, in any order. The join lines the
 * scores up with the main input's rows, so the result feeds
 * fa_audit_run_models() (audit.h) as a table and one score array per model.
 */
#ifndef FAIRAUDIT_JOIN_H
#define FAIRAUDIT_JOIN_H

#include "fairaudit/audit.h"
#include "fairaudit/load.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One model of a joined audit. */
typedef struct fa_join_model {
	const char *name;         /* as reports and gates show it */
	/* the model's own file ("-": standard input), or NULL when its score
	 * is a column of the main input */
	const char *path;
	/* its score column; for a file, NULL means the default score column
	 * of model files (the `score_column` given to fa_join_load()) */
	const char *score_column;
} fa_join_model;

typedef struct fa_join fa_join;

/** Load the main input (`npaths` files read as one data set, as
 * fa_load_files() does) and every model, and join them by the id column
 * `opts->id_column` (required). Column models are read from the main input
 * in one pass; each model file is then loaded and joined in turn, so one
 * model file at a time is in memory. In `opts`, `score_column` is the score
 * column of a model file that names none (NULL: "score"), and
 * `extra_scores` and `load_flags` are ignored; a model file is read with
 * the main input's label column, `positive`, `delimiter`, `on_invalid` and
 * `max_line_bytes`, and nothing else of it but the id and the score.
 *
 * The rules (docs/models.md): ids are compared as text and must be unique
 * in the main input and in each model file; each model file must have a row
 * for every record of the main input and no other; a model file's label
 * column, when it has one, must agree with the main input's. Under
 * FA_ON_INVALID_SKIP a record that lacks a row in some model file (or whose
 * row there was dropped as invalid) is dropped and counted as
 * FA_DROP_MISSING_IN_MODEL_FILE, and a model file's rows whose id is not a
 * record of the main input are ignored and counted (fa_join_ignored());
 * duplicated ids and labels that disagree stay errors.
 *
 * On success `*out` (free with fa_join_free) holds the joined table and
 * the models. Errors: as fa_load_files() for any file; FA_EINPUT for a
 * duplicated, missing or extra id or a label that disagrees, naming the
 * file, the id and the line(s); FA_EUSAGE for no model, no id column, or
 * standard input given more than once. */
int fa_join_load(fa_join **out, const char *const *paths, size_t npaths,
		 const fa_load_options *opts, const fa_join_model *models, size_t nmodels,
		 fa_error *err);

/** The main input's records that every model scores, in the main input's
 * order, with the first model's scores as the score column. Its files are
 * the main input's followed by each model file (for provenance); its row
 * counts (read, dropped by reason) are the main input's, the join's drops
 * included. The id column is not one of its attributes. Borrowed. */
const fa_table *fa_join_table(const fa_join *j);

/** The models, in the order given, ready for fa_audit_run_models(): each
 * has the joined table and its scores aligned with the table's rows.
 * Borrowed; `*n` is set to their number. */
const fa_model_input *fa_join_models(const fa_join *j, size_t *n);

/** Rows of model `k`'s file whose id is not a record of the main input
 * (ignored under FA_ON_INVALID_SKIP); 0 for a column model. */
size_t fa_join_ignored(const fa_join *j, size_t k);

void fa_join_free(fa_join *j);

/** Read the value of `--model NAME=VALUE`: a score column of the main input
 * or a model file, by the rule of docs/models.md:
 *
 * - `column:COL` is the column COL, and `file:PATH` the file PATH;
 * - otherwise VALUE is a file when it contains a '/' or ends in a data
 *   extension (.csv, .tsv, .tab, .json, .jsonl, .ndjson, each maybe
 *   followed by .gz, or .gz alone), and a column when it does not;
 * - a file's score column may follow the last ':' when the text before it
 *   ends in a data extension (`preds.csv:prob`);
 * - a VALUE read as a column that names an existing file is ambiguous: an
 *   FA_EUSAGE error asking for `file:` or `column:`.
 *
 * Sets `*path` to the file (NULL for a column) and `*column` to the score
 * column (NULL for a file without one), both new strings to free with
 * free(). FA_EUSAGE, naming `value`, when a part is empty or ambiguous. */
int fa_join_parse_model(char **path, char **column, const char *value, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
