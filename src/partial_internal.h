/* partial_internal.h: the layout of a partial audit, shared by partial.c
 * (build, merge, files) and audit.c (the audit of a partial). */
#ifndef FA_PARTIAL_INTERNAL_H
#define FA_PARTIAL_INTERNAL_H

#include "fairaudit/partial.h"
#include "metrics_internal.h"

/* A distinct score of a group and its records by label and decision:
 * c[label * 2 + decision]. Without a decision column the decision is
 * score >= threshold, so two of the four are 0. */
typedef struct fa_pentry {
	double score;
	uint64_t c[4];
} fa_pentry;

typedef struct fa_pgroup {
	uint32_t *lv;       /* per column of its stratum: the level's index */
	fa_pentry *ent;     /* ascending score */
	size_t nent;
	uint64_t nclusters; /* with a cluster column, summed over partials */
} fa_pgroup;

/* An attribute column. Levels are in report order: a binned column's are
 * all its bins in interval order, then "(missing)" if any record had none;
 * any other column's are the values some record has, in the order
 * fa_level_order gives. */
typedef struct fa_pcolumn {
	char *name;
	int binned;
	char **levels;
	uint8_t *missing;
	size_t nlevels;
} fa_pcolumn;

/* An audited attribute ("sex+race"), or the whole population (strata[0],
 * one group, no column). Its groups are in the order of their level
 * indices, column by column. */
typedef struct fa_pstratum {
	char *spec;
	size_t *cols;   /* indices into fa_partial.columns */
	size_t ncols;
	fa_pgroup *groups;
	size_t ngroups;
	size_t slot0;   /* its first replicate slot */
} fa_pstratum;

/* The replicate slots of a group: negatives by score bin, positives by
 * score bin, then the negatives and the positives decided positive. */
#define FA_PSLOTS(bins) (2 * (size_t)(bins) + 2)

struct fa_partial {
	/* settings: partials merge only when all of these agree */
	char *tool_version;
	char *label_column, *score_column, *pred_column, *positive;
	double threshold, ci_level;
	uint64_t min_n, suppress_below, bootstrap, seed, permutations, bins;
	int ci_method, bootstrap_ci, p_adjust, permutations_set;
	int score_digits;   /* scores rounded to this many decimals; -1: not */
	char *cluster_column, *id_column;
	char **references;
	size_t nreferences;
	fa_pcolumn *columns;
	size_t ncolumns;
	fa_pstratum *strata;
	size_t nstrata;
	/* bootstrap: B rows of nslots weighted counts, [r * nslots + slot] */
	size_t nslots;
	uint64_t *reps;
	/* provenance */
	fa_file_info *files;
	size_t nfiles;
	uint64_t rows_read, rows_dropped;
	uint64_t drops[FA_DROP__COUNT];
	char *probe_column; /* a probed id column that repeats ids, or NULL */
};

/* The replicate score bin of a score in [0, 1]: inside its calibration bin
 * (the engine's edges k/10), bins / 10 equal parts. */
size_t fa_partial_bin(double s, size_t bins);

#endif
