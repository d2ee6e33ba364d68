/*
 * load.h: read prediction records from CSV, TSV, JSON or JSON Lines,
 * plain or gzip-compressed, from files or standard input.
 *
 * The loader streams: it never holds a whole file's text, only the current
 * line or JSON record, and keeps just the columns it was asked for.
 */
#ifndef FAIRAUDIT_LOAD_H
#define FAIRAUDIT_LOAD_H

#include "fairaudit/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fa_on_invalid {
	FA_ON_INVALID_ERROR = 0, /* the first bad row is an error */
	FA_ON_INVALID_SKIP       /* bad rows are dropped and counted by reason */
} fa_on_invalid;

/** `--bin COL=c1,c2,...`: intervals (-inf,c1), [c1,c2), ..., [ck,inf). */
typedef struct fa_bin_spec {
	const char *column;
	const double *cuts; /* strictly increasing */
	size_t ncuts;
} fa_bin_spec;

typedef struct fa_load_options {
	const char *label_column;  /* default "label" */
	const char *score_column;  /* default "score" */
	const char *pred_column;   /* optional 0/1 decision column, or NULL */
	const char *const *attr_columns; /* categorical columns to keep */
	size_t attr_count;
	const fa_bin_spec *bins;   /* numeric attribute columns to bin */
	size_t bin_count;
	const char *positive;      /* label value meaning positive, or NULL */
	char delimiter;            /* 0: tab for .tsv, comma otherwise */
	fa_on_invalid on_invalid;
	size_t max_groups;         /* distinct values allowed per column; 0: none */
	size_t max_line_bytes;     /* longest line or JSON record; 0: default */
	/* a cluster column (e.g. patient_id): loaded as one more attribute,
	 * after the others, with no limit on its distinct values */
	const char *cluster_column;
	/* column names (compared without case) that look like a patient or
	 * study id: the first one the first file has is read, and records
	 * sharing an id are counted (fa_table_probe), so a report can warn
	 * that images of one patient are correlated. NULL: none */
	const char *const *probe_names;
	size_t nprobe_names;
	/* more score columns of the same records (several models), read and
	 * checked like the score column: fa_table_extra_scores() */
	const char *const *extra_scores;
	size_t extra_score_count;
	/* a record id column, to join files by record (join.h): loaded as
	 * one more attribute, after all the others, with no limit on its
	 * distinct values and its levels in order of first appearance; an
	 * empty id is a bad value (missing_value). The table then keeps each
	 * record's line for messages. NULL: none */
	const char *id_column;
	/* FA_LOAD_* bits for a file that only brings one model's scores to
	 * another file's records (join.h) */
	unsigned load_flags;
	/* a date column bucketed into periods (period.h): each ISO 8601 date
	 * is read and stored as its period's label ("2026-01"), one more
	 * attribute after the cluster column, with no limit on its values. An
	 * empty value is missing_value, any other that is not a date
	 * invalid_date. NULL: none */
	const char *period_column;
	int period_every; /* an fa_period_unit (period.h) */
} fa_load_options;

/* The label column may be absent: whether it is there is decided by the
 * first file (its header, or the keys of its first JSON record); when it
 * is not, fa_table_labels() and fa_table_label_column() return NULL. */
#define FA_LOAD_LABEL_OPTIONAL 1u
/* No score column is read (score_column is ignored): the table gives
 * labels, attributes and ids, and fa_table_scores() returns NULL. */
#define FA_LOAD_NO_SCORE 2u
/* Keep each record's line in its file, as with an id column: a partial
 * audit (partial.h) keys its bootstrap by file and line. */
#define FA_LOAD_KEEP_LINES 4u

#define FA_LOAD_DEFAULT_MAX_GROUPS 1000
#define FA_LOAD_DEFAULT_MAX_LINE (64u << 20)

#define FA_LOAD_OPTIONS_INIT                                                   \
	{"label", "score", NULL, NULL, 0, NULL, 0, NULL, 0, FA_ON_INVALID_ERROR, \
	 FA_LOAD_DEFAULT_MAX_GROUPS, 0, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0}

/** Load `npaths` files ("-" is standard input) as one data set into a new
 * table owned by the caller (free with fa_table_free). Every file must have
 * the requested columns. On error returns FA_EINPUT, FA_EIO or FA_ELIMIT
 * with `err` naming the file, line and column; `*out` is then NULL. */
int fa_load_files(fa_table **out, const char *const *paths, size_t npaths,
		  const fa_load_options *opts, fa_error *err);

/** Load one in-memory file (any supported format, possibly gzip), named
 * `name` in messages; for tests and fuzzing. */
int fa_load_memory(fa_table **out, const char *name, const void *data, size_t len,
		   const fa_load_options *opts, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
