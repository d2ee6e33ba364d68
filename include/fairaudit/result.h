/*
 * result.h: the outcome of an audit, as plain data.
 *
 * An fa_result holds every number a report shows: per-group counts and
 * metrics with their intervals, per-attribute gaps, and the provenance of
 * the input. It is produced by fa_audit_run() (audit.h) or read back from a
 * saved JSON report (fa_result_read_json in report.h), and it is what the
 * reporters and the gates consume. All strings and arrays in it belong to
 * the result and are freed by fa_result_free().
 */
#ifndef FAIRAUDIT_RESULT_H
#define FAIRAUDIT_RESULT_H

#include "fairaudit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ## Metrics
 *
 * The per-group metrics, defined once in docs/metrics.md.
 */
typedef enum fa_metric {
	FA_M_PREVALENCE = 0,
	FA_M_ACCURACY,
	FA_M_BALANCED_ACCURACY,
	FA_M_TPR,
	FA_M_FNR,
	FA_M_TNR,
	FA_M_FPR,
	FA_M_PPV,
	FA_M_NPV,
	FA_M_F1,
	FA_M_SELECTION_RATE,
	FA_M_AUC,
	FA_M_BRIER,
	FA_M_ECE,
	FA_M__COUNT
} fa_metric;

/** The metric's stable name ("tpr", "auc", ...). */
const char *fa_metric_name(fa_metric m);
/** The metric called `name`, or -1. */
int fa_metric_find(const char *name);
/** 1 when a larger value is better (tpr, auc), 0 when smaller is (fpr,
 * brier), -1 when neither (prevalence, selection_rate). */
int fa_metric_direction(fa_metric m);

/** A point estimate with its intervals. `value` is NaN when the metric is
 * undefined, and `reason` then says why (a static string). `ci_low` and
 * `ci_high`, the bootstrap interval, are valid when `has_ci`; `ci_dropped`
 * counts the bootstrap replicates in which the quantity was undefined and
 * left out. `aci_low` and `aci_high`, the analytic interval (Wilson for a
 * rate, DeLong for an AUC; Newcombe's hybrid score interval or the
 * unpaired DeLong interval for a difference to the reference), are valid
 * when `has_aci`. For differences to the reference, `p_value` is the
 * two-sided p-value of "no difference" and `p_adjusted` the same after
 * multiplicity adjustment over every test of the report; both are NaN
 * when no test applies. */
typedef struct fa_estimate {
	double value;
	const char *reason;
	int has_ci;
	double ci_low, ci_high;
	size_t ci_dropped;
	int has_aci;
	double aci_low, aci_high;
	double p_value, p_adjusted;
} fa_estimate;

/* A ROC curve as n points (fpr[i], tpr[i]) for the decision rule
 * score >= t as t falls from above the largest score to the smallest: the
 * first point is (0, 0), the last (1, 1), and both coordinates never
 * decrease. Every point is a vertex of the full curve, thinned so a report
 * grows with groups, not records: a vertex is kept when it lies at least
 * 1/100 (|dFPR| + |dTPR|) from the last one kept, and the vertex of the
 * decision threshold and (1, 1) are always kept. The curve's L1 length is
 * at most 2, so n <= 200 + 3. n is 0 when the curve is undefined (a group
 * with one class only) or withheld (a suppressed group). */
#define FA_CURVE_MAX_POINTS 204
typedef struct fa_curve {
	double *fpr;
	double *tpr;
	size_t n;
} fa_curve;

/* Calibration in the ten bins [k/10, (k+1)/10) of the score (the last bin
 * includes 1), the same bins as the ECE: records per bin, their mean score
 * and the fraction of them that is positive (both NaN when count is 0).
 * Filled only when every score lies in [0, 1] (settings.probabilities). */
#define FA_CALIB_BINS 10
typedef struct fa_calib {
	size_t count[FA_CALIB_BINS];
	double mean_score[FA_CALIB_BINS];
	double observed[FA_CALIB_BINS];
} fa_calib;

/* The curves of one group: filled by the engine for every group that is
 * not suppressed. */
typedef struct fa_group_curves {
	fa_curve roc;
	int has_calib;
	fa_calib calib;
} fa_group_curves;

typedef enum fa_group_status {
	FA_GROUP_OK = 0,
	FA_GROUP_INSUFFICIENT, /* fewer than --min-n records: left out of gaps */
	FA_GROUP_SUPPRESSED    /* fewer than --suppress-below: counts withheld */
} fa_group_status;

const char *fa_group_status_name(fa_group_status s);

/** How a group's share of the audited records compares with its share of a
 * population (filled by fa_representation_annotate, representation.h). */
typedef struct fa_group_representation {
	int named;               /* 1 when the population file names the group */
	/* n / the records in the groups the file names; NaN with a reason
	 * when the file does not name the group or its counts are withheld */
	fa_estimate audit_share;
	double population_share; /* as in the file; NaN when not named */
	fa_estimate ratio;       /* audit_share / population_share */
	int under_represented;   /* ratio < 0.5 */
} fa_group_representation;

typedef struct fa_group_result {
	char *value;   /* the levels joined with '+' ("F+Black"), or "overall" */
	char **levels; /* one per column of the attribute */
	size_t nlevels;
	size_t n, n_pos, n_neg;
	size_t tp, fp, tn, fn;
	size_t n_clusters;     /* with --cluster: distinct clusters; else 0 */
	fa_group_status status;
	fa_estimate metrics[FA_M__COUNT];
	/* difference and ratio to the reference group (undefined for the
	 * reference itself and for groups left out of gaps) */
	fa_estimate diff[FA_M__COUNT];
	fa_estimate ratio[FA_M__COUNT];
	/* score-attribute leakage: the AUC with which the score alone
	 * separates this group from the rest of the records of the same
	 * label, among negatives [0] and positives [1], with its DeLong
	 * interval (analytic); undefined for the whole population */
	fa_estimate leakage[2];
	fa_group_curves curves; /* ROC curve and calibration bins */
	/* in an operating-point view: the threshold this group alone would
	 * need to reach the view's target; NaN elsewhere */
	double own_threshold;
	/* Power (fa_power_annotate, power.h): the minimum detectable
	 * difference to the reference per metric (NaN with a reason where it
	 * cannot be computed), and whether the tpr one exceeds the
	 * detectable difference that matters. Zero until annotated. */
	fa_estimate mdd[FA_M__COUNT];
	int underpowered;
	/* Representation (fa_representation_annotate, representation.h) */
	fa_group_representation representation;
} fa_group_result;

/** Gaps of one metric over the eligible groups of an attribute. */
typedef struct fa_gap {
	fa_estimate gap;   /* max - min */
	fa_estimate ratio; /* min / max */
	fa_estimate min, max;
	long best, worst;  /* group indices, -1 when undefined */
	/* max - min corrected for its upward bootstrap bias:
	 * 2 gap - mean(bootstrap gaps), floored at 0 */
	fa_estimate gap_corrected;
	/* the gap with a simultaneous interval: every pair of eligible groups
	 * gets a bootstrap interval of its difference at level
	 * 1 - (1 - ci_level) / pairs (Bonferroni), and the gap lies between the
	 * largest lower bound of |difference| and the largest upper bound.
	 * Unlike the percentile interval of max - min, which excludes 0 when
	 * groups are truly equal, it holds its level: interval-mode gates on a
	 * gap judge it. */
	fa_estimate gap_simultaneous;
	/* Is there a gap at all? Tests of "every eligible group shares the
	 * metric": a permutation test of max - min (group labels permuted
	 * within each label class) and, for rates, the chi-square test of
	 * homogeneity. NaN when not run or not applicable; `_adjusted` after
	 * multiplicity adjustment over every test of the report. */
	double perm_p, perm_p_adjusted;
	double chisq, chisq_df, chisq_p, chisq_p_adjusted;
	int chisq_low_expected; /* an expected count under 5 */
} fa_gap;

/** Named summaries of an attribute. */
typedef enum fa_summary {
	FA_S_EQUALIZED_ODDS_DIFF = 0, /* max(tpr_gap, fpr_gap) */
	FA_S_DEMOGRAPHIC_PARITY_DIFF, /* selection_rate_gap */
	FA_S_DISPARATE_IMPACT,        /* selection_rate_ratio */
	FA_S_WORST_GROUP_AUC,         /* auc_min */
	FA_S__COUNT
} fa_summary;

const char *fa_summary_name(fa_summary s);
int fa_summary_find(const char *name);

/** A population value that no audited record has. */
typedef struct fa_population_value {
	char *value;
	double share;
} fa_population_value;

/** An attribute's composition against a population (filled by
 * fa_representation_annotate, representation.h). */
typedef struct fa_attr_representation {
	int named;          /* 1 when the population file names the attribute */
	size_t n_named;     /* records in groups the file names */
	size_t n_unnamed;   /* records in groups it does not name */
	/* Pearson's goodness-of-fit test of the counts of the groups the file
	 * names against its shares; NaN with `reason` when not computable */
	double chisq;
	unsigned df;
	double p_value;
	double min_expected;
	int low_expected;   /* min_expected < 5: p_value is not to be trusted */
	const char *reason; /* static string, or NULL */
	fa_population_value *absent; /* values of the file with no record */
	size_t nabsent;
} fa_attr_representation;

typedef struct fa_attr_result {
	char *name;     /* "race", "sex+race" */
	char **columns; /* the table columns it combines */
	size_t ncolumns;
	long reference; /* group index, -1 when none is eligible */
	const char *reference_reason; /* why there is none */
	fa_group_result *groups;
	size_t ngroups;
	fa_gap gaps[FA_M__COUNT];
	fa_estimate summary[FA_S__COUNT];
	fa_attr_representation representation;
} fa_attr_result;

/** An operating point: every group at one threshold chosen on the whole
 * population to reach a target ("spec=0.90": specificity at least 0.90;
 * "sens=0.95"; or a fixed "threshold=0.37"). Its groups and attributes have
 * the same layout as the main result, with the confusion-matrix metrics
 * taken at that threshold. */
typedef struct fa_view {
	char *name;           /* as given, e.g. "spec=0.9" */
	char *kind;           /* "spec", "sens" or "threshold" */
	double target;
	/* the threshold: chosen on the data, with its bootstrap interval (it is
	 * chosen again in every replicate) */
	fa_estimate threshold;
	fa_group_result overall;
	fa_attr_result *attrs; /* parallel to fa_result.attrs */
	size_t nattrs;
} fa_view;

/** ## Several models
 *
 * An audit of several score columns of the same records (--model
 * NAME=COLUMN) keeps the first model's result as the main one (overall,
 * attrs, views) and adds every model, the first included, below. Every
 * model is measured on the same bootstrap replicates (each record has the
 * same resampling count in a replicate for every model), so a difference
 * between two models gets a paired interval: the percentile interval of the
 * per-replicate differences. docs/models.md explains them. */

/** One model: its name (as given to --model), its score column, and its
 * whole population and attributes laid out as the main result's (groups in
 * the same order; power and representation are not annotated here, and
 * operating points are the main result's, the first model's, only). */
typedef struct fa_model {
	char *name;
	char *score_column;
	fa_group_result overall;
	fa_attr_result *attrs; /* parallel to fa_result.attrs */
	size_t nattrs;
} fa_model;

/** Differences (model b minus model a) of the quantities of one gap. */
typedef struct fa_gap_diff {
	fa_estimate gap, ratio, min, max;
} fa_gap_diff;

/** Differences of one attribute's quantities between two models, each with
 * its paired interval: per group and metric ([g * FA_M__COUNT + m], groups
 * as in the attribute; undefined for a suppressed group), per metric's gap,
 * and per summary. */
typedef struct fa_model_attr_diff {
	fa_estimate *groups;
	size_t ngroups;
	fa_gap_diff gaps[FA_M__COUNT];
	fa_estimate summary[FA_S__COUNT];
} fa_model_attr_diff;

/** Model b minus model a (indices into fa_result.models, a < b), for every
 * pair of models. */
typedef struct fa_model_diff {
	size_t a, b;
	fa_estimate overall[FA_M__COUNT];
	fa_model_attr_diff *attrs; /* parallel to fa_result.attrs */
	size_t nattrs;
} fa_model_diff;

/** The best model of one attribute, by point estimate: per metric the one
 * with the smallest gap, and per summary the one with the smallest
 * equalized_odds_diff or demographic_parity_diff, the disparate_impact
 * nearest 1 (the largest) or the largest worst_group_auc. Values equal up
 * to rounding (1e-12 relative) tie, and a tie goes to the model listed
 * first; -1 when fewer than two models have a value or every model has the
 * same one (as the prevalence gap always is). */
typedef struct fa_model_best {
	long gap[FA_M__COUNT];
	long summary[FA_S__COUNT];
} fa_model_best;

/** ## Drift over time
 *
 * With a period column (--period, period.h) every calendar period from the
 * first record's to the last record's is audited on its own records. A
 * period's attributes are laid out as the main result's (same attributes,
 * same order), but its groups are those that have records in the period.
 * Reports show of a period only its counts, its whole population's
 * metrics and, per attribute, each group's counts, status and metrics, the
 * gaps (gap, ratio, min, max, best, worst, gap_simultaneous) and the
 * summaries: a period read back from a JSON report holds only these. */
typedef struct fa_period {
	char *label;       /* "2026-01", "2026-W05", "2026-Q1" */
	char *first_day;   /* "2026-01-01" */
	char *last_day;    /* "2026-01-31" */
	size_t n, n_pos, n_neg;
	int insufficient;  /* not audited: too few records, or one class only */
	const char *reason; /* why it is insufficient (owned by the result), or NULL */
	/* the period's whole population (counts, and metrics when audited) */
	fa_group_result overall;
	fa_attr_result *attrs; /* parallel to fa_result.attrs; NULL when insufficient */
	size_t nattrs;
} fa_period;

typedef struct fa_file_info {
	char *path;
	char sha256[65];
	char *format;
	int gzip;
	size_t bytes;
	size_t rows;
} fa_file_info;

typedef struct fa_drop_count {
	char *reason;
	size_t count;
} fa_drop_count;

/** A gate's outcome (filled by gates.h). */
typedef enum fa_gate_outcome {
	FA_GATE_PASS = 0,
	FA_GATE_FAIL,
	FA_GATE_INCONCLUSIVE
} fa_gate_outcome;

typedef struct fa_gate_check {
	char *where;   /* "race:tpr_gap" or "race=Black:auc" */
	fa_estimate value;
	fa_gate_outcome outcome;
	char *note;    /* why it is inconclusive, or NULL */
} fa_gate_check;

typedef struct fa_gate_result {
	char *expr;    /* as written */
	char *op;      /* "<=", "<", ">=", ">" */
	double limit;
	fa_gate_outcome outcome;
	fa_gate_check *checks; /* one per (attribute, group) it concerned */
	size_t nchecks;
} fa_gate_result;

typedef struct fa_settings {
	char *label_column, *score_column, *pred_column; /* pred may be NULL */
	char *positive;        /* NULL: 0/1, true/false, yes/no */
	double threshold;
	size_t min_n;
	size_t suppress_below;
	size_t bootstrap;      /* replicates; 0 = no intervals */
	double ci_level;
	uint64_t seed;
	char *scheme;          /* "stratified" or "poisson" */
	/* with the Poisson scheme of partial audits (partial.h): the score
	 * bins of the replicates' AUC, Brier score and ECE; 0 otherwise */
	size_t score_bins;
	/* and the key of each record's weights: "cluster:COL", "id:COL", or
	 * "file:line" (the input file's base name and the record's line);
	 * NULL otherwise */
	char *bootstrap_key;
	/* a partial audit's scores were rounded to score_digits decimals
	 * (--score-digits) when score_rounded is 1 */
	int score_rounded;
	int score_digits;
	char *gate_on;         /* "point", "ci-violation", "ci-compliance" */
	int probabilities;     /* 1 when every score lies in [0,1] */
	char *ci_method;       /* "bootstrap", "analytic" or "both" */
	char *bootstrap_ci;    /* "percentile" or "bca" */
	size_t permutations;   /* permutation test replicates; 0 = not run */
	char *p_adjust;        /* "holm" or "bh" */
	char *cluster_column;  /* --cluster, or NULL */
	/* fa_power_annotate (power.h): 1 once it has run, and its settings */
	int power_annotated;
	double power_detectable; /* the tpr difference that must be detectable */
	double power_target;     /* the power asked for (0.8) */
	double power_alpha;      /* two-sided level (0.05) */
	/* fa_representation_annotate (representation.h): the population
	 * file's path, NULL when there is none */
	char *population;
	/* fa_audit_run_periods (period.h): the date column (NULL without
	 * periods), the unit ("month", "week", "quarter") and the minimum
	 * records of a period */
	char *period_column;
	char *period_every;
	size_t min_period_n;
} fa_settings;

typedef struct fa_result {
	char *tool_version;
	char *command_line;    /* may be NULL */
	fa_file_info *files;
	size_t nfiles;
	size_t rows_read, rows_used, rows_dropped;
	fa_drop_count *drops;  /* only reasons with a non-zero count */
	size_t ndrops;
	fa_settings settings;
	fa_group_result overall;
	fa_attr_result *attrs;
	size_t nattrs;
	char **warnings;         /* things a reader must know, one sentence each */
	size_t nwarnings;
	fa_view *views;          /* operating points (--operating-point) */
	size_t nviews;
	fa_gate_result *gates;
	size_t ngates;
	fa_gate_outcome verdict; /* over all gates; PASS when there are none */
	/* strings the result owns that are referred to by const pointers
	 * elsewhere (e.g. reasons read back from a JSON report); add with
	 * fa_result_own() */
	char **owned;
	size_t nowned;
	/* attributes the population file names that were not audited */
	char **population_unmatched;
	size_t npopulation_unmatched;
	/* several models (--model): every model, the first being the main
	 * result; the difference of every pair, models[b] - models[a] for
	 * a < b, in the order (0,1), (0,2), ..., (1,2), ...; and the best
	 * model per attribute (parallel to attrs). All empty (0, NULL) for an
	 * audit of one score column without --model. */
	fa_model *models;
	size_t nmodels;
	fa_model_diff *model_diffs;
	size_t nmodel_diffs;
	fa_model_best *model_best;
	/* drift over time (--period): every period in time order; empty
	 * without a period column */
	fa_period *periods;
	size_t nperiods;
} fa_result;

/** Give `r` ownership of the heap string `s` and return it. */
const char *fa_result_own(fa_result *r, char *s);

void fa_result_free(fa_result *r);

/** The attribute called `name`, or NULL. */
const fa_attr_result *fa_result_attr(const fa_result *r, const char *name);

/** The model called `name`, as an index into r->models, or -1. */
long fa_result_model(const fa_result *r, const char *name);

/** The difference of models `i` and `j` (indices into r->models): the
 * stored fa_model_diff of the pair, with *sign = 1 when it is models[i] -
 * models[j] as asked, -1 when it is the reverse (j - i); NULL when there is
 * no such pair (i == j, or an index out of range). */
const fa_model_diff *fa_result_model_diff(const fa_result *r, size_t i, size_t j, int *sign);

#ifdef __cplusplus
}
#endif
#endif
