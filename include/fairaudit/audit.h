/*
 * audit.h: stratify the records, compute every metric per group, the gaps
 * between groups, and bootstrap confidence intervals.
 */
#ifndef FAIRAUDIT_AUDIT_H
#define FAIRAUDIT_AUDIT_H

#include "fairaudit/result.h"
#include "fairaudit/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fa_boot_scheme {
	/* resample with replacement within each group x label cell */
	FA_BOOT_STRATIFIED = 0,
	/* a Poisson(1) weight per record, a pure function of
	 * (seed, replicate, record index), every replicate computed exactly.
	 * The mergeable form, whose records are keyed independently of how
	 * they are split and whose replicates come from binned counts, is
	 * the audit of a partial audit (partial.h), which is what the
	 * command line's --bootstrap-scheme poisson runs. */
	FA_BOOT_POISSON
} fa_boot_scheme;

#define FA_DEFAULT_SEED 20240601u

/** Which intervals a report carries and gates judge. */
typedef enum fa_ci_method {
	FA_CI_BOTH = 0,  /* bootstrap and analytic (analytic alone without bootstrap) */
	FA_CI_BOOTSTRAP,
	FA_CI_ANALYTIC
} fa_ci_method;

/** How a bootstrap interval is read from the replicates. */
typedef enum fa_boot_ci {
	FA_BOOT_CI_PERCENTILE = 0,
	FA_BOOT_CI_BCA /* bias-corrected and accelerated (jackknife acceleration) */
} fa_boot_ci;

typedef struct fa_audit_options {
	double threshold;          /* decision = score >= threshold */
	const char *const *groups; /* "race", "sex+race", ... */
	size_t ngroups;
	const char *const *references; /* "race=White", "sex+race=F+White" */
	size_t nreferences;
	size_t min_n;              /* smaller groups are insufficient */
	size_t suppress_below;     /* smaller groups are suppressed; 0 = off */
	size_t bootstrap;          /* replicates; 0 = no intervals */
	double ci_level;
	uint64_t seed;
	unsigned threads;          /* 0 = one per online core */
	fa_boot_scheme scheme;
	/* called now and then from the calling thread; may be NULL */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	fa_ci_method ci_method;
	fa_boot_ci bootstrap_ci;
	size_t permutations;       /* permutation test of every gap; 0 = off */
	int p_adjust;              /* an fa_p_adjust_method (analytic.h) */
	/* operating points: "spec=0.90", "sens=0.95" or "threshold=0.37";
	 * each adds a view of every group at the threshold that reaches the
	 * target on the whole population (re-chosen in every replicate) */
	const char *const *oppoints;
	size_t noppoints;
	/* resample clusters (e.g. patients) instead of records, within each
	 * group: the table column holding the cluster of each record (loaded
	 * with fa_load_options.cluster_column), or NULL */
	const char *cluster_column;
} fa_audit_options;

#define FA_DEFAULT_PERMUTATIONS 1000

#define FA_AUDIT_OPTIONS_INIT                                                  \
	{0.5, NULL, 0, NULL, 0, 30, 0, 2000, 0.95, FA_DEFAULT_SEED, 0,          \
	 FA_BOOT_STRATIFIED, NULL, NULL, FA_CI_BOTH, FA_BOOT_CI_PERCENTILE,     \
	 FA_DEFAULT_PERMUTATIONS, 0, NULL, 0, NULL}

/** Audit the table. The new result (free with fa_result_free) carries the
 * table's provenance and the settings used. Fails with FA_EUSAGE for a
 * group or reference that names no column or level, FA_ELIMIT when an
 * intersection has more groups than the table allows. */
int fa_audit_run(fa_result **out, const fa_table *t, const fa_audit_options *o,
		 fa_error *err);

/** ## Several models
 *
 * One model of a multi-model audit: its name, as reports and gates show it
 * (letters, digits, '_' and '.'), and a table of the same records loaded
 * with the model's score column. */
typedef struct fa_model_input {
	const char *name;
	const fa_table *table;
	/* the model's scores, when not the table's own score column (e.g. a
	 * column loaded with fa_load_options.extra_scores), and its name */
	const double *scores;
	const char *score_column;
} fa_model_input;

/** Audit several models of the same records in one run (docs/models.md).
 * models[0] is the main result, exactly as fa_audit_run() on its table
 * would give it; r->models holds every model and r->model_diffs every
 * pair's differences, whose intervals are paired: all models are measured
 * on the same bootstrap replicates, each record taking the same resampling
 * count in every model. Operating points are computed for the first model
 * only. The tables must hold the same records in the same order (same
 * rows, labels, decisions and attribute values, and no row dropped for a
 * missing or invalid value, which could differ between score columns):
 * otherwise FA_EINPUT naming the first difference. FA_EUSAGE for a bad or
 * repeated name, and as fa_audit_run(). */
int fa_audit_run_models(fa_result **out, const fa_model_input *models, size_t nmodels,
			const fa_audit_options *o, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
