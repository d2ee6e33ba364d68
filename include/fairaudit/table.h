/*
 * table.h: the loaded predictions, in columnar form.
 *
 * A table holds one record per prediction: its label (0/1), its score, an
 * optional 0/1 decision column, and any number of categorical attribute
 * columns stored as small integer codes into a per-column dictionary.
 * It also records where the records came from (files, SHA-256, counts of
 * rows dropped by reason), so reports can state their provenance.
 *
 * Every pointer returned by a getter is borrowed: it stays valid until the
 * table is freed with fa_table_free().
 */
#ifndef FAIRAUDIT_TABLE_H
#define FAIRAUDIT_TABLE_H

#include "fairaudit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fa_table fa_table;

/** Why a row was dropped under `--on-invalid skip`. */
typedef enum fa_drop_reason {
	FA_DROP_RAGGED_ROW = 0,   /* wrong number of fields */
	FA_DROP_INVALID_LABEL,    /* label not recognised */
	FA_DROP_INVALID_SCORE,    /* score not a finite number */
	FA_DROP_INVALID_PRED,     /* decision column not 0/1 */
	FA_DROP_MISSING_VALUE,    /* label or score empty / missing */
	FA_DROP_INVALID_JSON,     /* a JSON Lines record that does not parse */
	FA_DROP_INVALID_BIN,      /* non-numeric value in a binned column */
	FA_DROP_MISSING_IN_MODEL_FILE, /* no usable row for its id in a model file (join.h) */
	FA_DROP_INVALID_DATE,     /* not an ISO 8601 date in the period column */
	FA_DROP__COUNT
} fa_drop_reason;

/** The stable, machine-readable name of a drop reason ("ragged_row", ...). */
const char *fa_drop_reason_name(fa_drop_reason r);

/** Provenance of one input file. */
typedef struct fa_input_file {
	const char *path;     /* as given ("-" for standard input) */
	char sha256[65];      /* hex digest of the bytes read (compressed if gzip) */
	const char *format;   /* "csv", "tsv", "json", "jsonl" */
	int gzip;             /* 1 when the bytes were gzip-compressed */
	size_t bytes;         /* bytes read from the file */
	size_t rows;          /* data rows read (used + dropped) */
} fa_input_file;

/** The code an attribute uses for a missing value, when it has one. */
#define FA_NO_CODE UINT32_MAX

size_t fa_table_rows(const fa_table *t);
/** The scores; NULL when loaded with FA_LOAD_NO_SCORE (load.h). */
const double *fa_table_scores(const fa_table *t);
/** The labels; NULL (and fa_table_label_column() too) when loaded with
 * FA_LOAD_LABEL_OPTIONAL from a file without the label column. */
const uint8_t *fa_table_labels(const fa_table *t);
/** The k-th extra score column (fa_load_options.extra_scores), or NULL. */
const double *fa_table_extra_scores(const fa_table *t, size_t k);
size_t fa_table_extra_score_count(const fa_table *t);

/** The decision column (0/1) given with --pred, or NULL. */
const uint8_t *fa_table_preds(const fa_table *t);

/** Attribute columns, in the order they were requested. */
size_t fa_table_attr_count(const fa_table *t);
const char *fa_table_attr_name(const fa_table *t, size_t attr);
/** Index of the attribute called `name`, or -1. */
long fa_table_attr_find(const fa_table *t, const char *name);
const uint32_t *fa_table_attr_codes(const fa_table *t, size_t attr);
size_t fa_table_attr_levels(const fa_table *t, size_t attr);
/** The text of a level: the value as read, "(missing)", or a bin "[40,65)". */
const char *fa_table_attr_level(const fa_table *t, size_t attr, uint32_t code);
/** The code of the "(missing)" level, or FA_NO_CODE. */
uint32_t fa_table_attr_missing(const fa_table *t, size_t attr);
/** 1 when the attribute was binned with --bin. */
int fa_table_attr_binned(const fa_table *t, size_t attr);

size_t fa_table_file_count(const fa_table *t);
const fa_input_file *fa_table_file(const fa_table *t, size_t i);
/** Rows read from all files, and rows dropped (all reasons, or one). */
size_t fa_table_rows_read(const fa_table *t);
size_t fa_table_rows_dropped(const fa_table *t);
size_t fa_table_drops(const fa_table *t, fa_drop_reason r);
/** The label column's name and the positive value, as used. */
const char *fa_table_label_column(const fa_table *t);
const char *fa_table_score_column(const fa_table *t);
const char *fa_table_pred_column(const fa_table *t);

/** The id column found by fa_load_options.probe_names, or NULL; `*repeats`
 * is the number of records whose id an earlier record already had (ids are
 * remembered up to the first FA_PROBE_MAX_IDS distinct ones). */
const char *fa_table_probe(const fa_table *t, size_t *repeats);
#define FA_PROBE_MAX_IDS 100000

/** A new table (free with fa_table_free) of rows rows[0], ..., rows[n-1]
 * of `t`, in that order: the same columns, levels and files, with n rows
 * read and none dropped. For an audit of part of the records (a period,
 * period.h). */
fa_table *fa_table_subset(const fa_table *t, const size_t *rows, size_t n);

void fa_table_free(fa_table *t);

#ifdef __cplusplus
}
#endif
#endif
