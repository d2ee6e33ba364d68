/*
 * compare.h: compare two audit results, a baseline and a candidate, and
 * gate on how much the candidate may be worse (`fairaudit compare`).
 *
 * A comparison pairs every quantity of the two results: the metrics of the
 * whole population, of every group (matched by its value) of every
 * attribute present in both, and each attribute's gaps and summaries. For
 * each it holds both estimates, the change (candidate - baseline) and
 * whether the change is a regression, i.e. worse in the quantity's
 * direction (fa_compare_direction). Attributes and groups present in one
 * result only are kept and marked as such. docs/compare.md is the manual.
 */
#ifndef FAIRAUDIT_COMPARE_H
#define FAIRAUDIT_COMPARE_H

#include "fairaudit/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ## Quantities and their direction */

/** What a compared quantity is. With a metric index (fa_metric) for all
 * kinds but FA_CMP_SUMMARY, which takes an fa_summary index. */
typedef enum fa_cmp_kind {
	FA_CMP_METRIC = 0, /* a group's (or the whole population's) metric */
	FA_CMP_GAP,        /* max - min over the eligible groups */
	FA_CMP_RATIO,      /* min / max over the eligible groups */
	FA_CMP_MIN,        /* the smallest group value */
	FA_CMP_MAX,        /* the largest group value */
	FA_CMP_SUMMARY     /* equalized_odds_diff, ... */
} fa_cmp_kind;

/** Which way a quantity improves: 1 when larger is better, 0 when smaller
 * is better, -1 when neither (a change is then never a regression).
 * Metrics, and their min and max, follow fa_metric_direction(); every gap
 * is better smaller and every ratio better larger; of the summaries,
 * equalized_odds_diff and demographic_parity_diff are better smaller,
 * disparate_impact and worst_group_auc better larger. */
int fa_compare_direction(fa_cmp_kind kind, int index);

/** Changes this close to zero, or to a --max-regression limit, count as
 * equal to it, so that decimal limits such as 0.02 behave as written
 * whatever the binary rounding of the two values. */
#define FA_COMPARE_TOLERANCE 1e-12

/** ## The comparison */

typedef enum fa_cmp_presence {
	FA_CMP_IN_BOTH = 0,
	FA_CMP_BASELINE_ONLY,
	FA_CMP_CANDIDATE_ONLY
} fa_cmp_presence;

const char *fa_cmp_presence_name(fa_cmp_presence p); /* "both", "baseline", "candidate" */

/** One quantity in both results. `change` is candidate - baseline, NaN
 * when either value is undefined. `worsening` is the change signed so that
 * a positive value is worse (-change when larger is better), NaN when the
 * change is undefined or the quantity has no direction. `regression` is 1
 * when `worsening` exceeds FA_COMPARE_TOLERANCE. The estimates are copies;
 * their `reason` strings are borrowed from the results. */
typedef struct fa_cmp_value {
	fa_estimate baseline, candidate;
	double change;
	double worsening;
	int direction; /* as fa_compare_direction */
	int regression;
} fa_cmp_value;

/** A group, matched by value. When it is in one result only, the other's
 * pointer is NULL and `metrics` is not filled. */
typedef struct fa_cmp_group {
	const char *value; /* borrowed */
	fa_cmp_presence presence;
	const fa_group_result *baseline, *candidate; /* borrowed, or NULL */
	fa_cmp_value metrics[FA_M__COUNT];
} fa_cmp_group;

typedef struct fa_cmp_gap {
	fa_cmp_value gap, ratio, min, max;
} fa_cmp_gap;

/** An attribute, matched by name. When it is in one result only, the
 * other's pointer is NULL and nothing else is filled. Groups come in the
 * baseline's order, then those only in the candidate in its order. */
typedef struct fa_cmp_attr {
	const char *name; /* borrowed */
	fa_cmp_presence presence;
	const fa_attr_result *baseline, *candidate; /* borrowed, or NULL */
	fa_cmp_group *groups;
	size_t ngroups;
	fa_cmp_gap gaps[FA_M__COUNT];
	fa_cmp_value summary[FA_S__COUNT];
} fa_cmp_attr;

/** A setting that differs between the two results, both values as text. */
typedef struct fa_cmp_setting {
	const char *name; /* "threshold", "seed", ... (static) */
	char *baseline, *candidate;
} fa_cmp_setting;

/** One check of a --max-regression gate. `where` names the quantity as
 * gates do ("race:tpr_gap", "race=Black:auc", "overall.auc"); `note` says
 * why the check is inconclusive, or is NULL. */
typedef struct fa_cmp_check {
	char *where;
	fa_cmp_value value;
	fa_gate_outcome outcome;
	char *note;
} fa_cmp_check;

typedef struct fa_cmp_gate_result {
	char *expr;     /* as written: "race:tpr_gap=0.02" */
	char *quantity; /* "tpr_gap" */
	double limit;   /* the largest worsening allowed */
	fa_gate_outcome outcome;
	fa_cmp_check *checks;
	size_t nchecks;
} fa_cmp_gate_result;

typedef struct fa_comparison {
	const fa_result *baseline, *candidate; /* borrowed */
	char *baseline_name, *candidate_name;  /* as shown; may be NULL */
	int same_data; /* 1 when the input digests are the same */
	fa_cmp_setting *settings; /* the settings that differ */
	size_t nsettings;
	fa_cmp_group overall; /* the whole population, always in both */
	fa_cmp_attr *attrs;   /* the baseline's order, then the candidate's own */
	size_t nattrs;
	fa_cmp_gate_result *gates; /* filled by fa_compare_evaluate */
	size_t ngates;
	fa_gate_outcome verdict;   /* over all gates; PASS when there are none */
} fa_comparison;

/** Compare even when the two results come from different data. */
#define FA_COMPARE_ALLOW_DIFFERENT_DATA (1u << 0)

typedef struct fa_compare_options {
	const char *baseline_name;  /* how the reports name it (a path); may be NULL */
	const char *candidate_name;
	unsigned flags;             /* FA_COMPARE_* */
} fa_compare_options;

#define FA_COMPARE_OPTIONS_INIT {NULL, NULL, 0}

/** Compare `candidate` with `baseline` into a new comparison (free with
 * fa_compare_free). It borrows from both results, which must outlive it.
 * The data are the same when the two results list the same multiset of
 * input SHA-256 digests (file order does not matter); otherwise, unless
 * FA_COMPARE_ALLOW_DIFFERENT_DATA, it fails with FA_EINPUT and a one-line
 * message naming both digests. `o` may be NULL. */
int fa_compare_run(fa_comparison **out, const fa_result *baseline, const fa_result *candidate,
		   const fa_compare_options *o, fa_error *err);

void fa_compare_free(fa_comparison *c);

/** The attribute called `name`, or NULL. */
const fa_cmp_attr *fa_compare_attr(const fa_comparison *c, const char *name);

/** ## Regression gates
 *
 * `--max-regression [SCOPE]QUANTITY=X`: fail when the candidate is worse
 * than the baseline by more than X (X >= 0) on the quantity. SCOPE is
 * empty (every attribute, every eligible group), `ATTRIBUTE:`,
 * `ATTRIBUTE=GROUP:` or `overall.`, as for gates (docs/gates.md).
 */
typedef struct fa_cmp_gate fa_cmp_gate;

/** Parse a gate into a new object (free with fa_compare_gate_free).
 * FA_EUSAGE with a message saying what is valid when it does not parse,
 * names an unknown quantity, a quantity without a direction (prevalence,
 * selection_rate and their min and max), a difference to the reference
 * (METRIC_diff), or a negative or non-finite X. */
int fa_compare_gate_parse(fa_cmp_gate **out, const char *expr, fa_error *err);
void fa_compare_gate_free(fa_cmp_gate *g);

/** Judge the gates on `c`, replacing c->gates and setting c->verdict. A
 * check fails when its worsening exceeds the limit (by more than
 * FA_COMPARE_TOLERANCE), is inconclusive when the change is undefined or
 * the attribute or group is in one result only, and passes otherwise; a
 * gate and the verdict combine checks as gates.h does (fail, else
 * inconclusive, else pass). Groups that are insufficient or suppressed in
 * either result are skipped by a gate over all groups, and make a gate
 * that names them inconclusive. FA_EUSAGE when a gate names an attribute
 * or a group that is in neither result. */
int fa_compare_evaluate(fa_comparison *c, fa_cmp_gate *const *gates, size_t ngates,
			fa_error *err);

/** ## Writing */

/** Append the comparison as Markdown, for people. */
int fa_compare_markdown(fa_buf *out, const fa_comparison *c);
/** Append the comparison as JSON (keys in docs/compare.md). */
int fa_compare_json(fa_buf *out, const fa_comparison *c);
/** Append the comparison in `format`: FA_REPORT_MARKDOWN or
 * FA_REPORT_JSON; any other is FA_EUSAGE. */
int fa_compare_write(fa_buf *out, const fa_comparison *c, fa_report_format format,
		     fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
