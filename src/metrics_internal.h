/* metrics_internal.h: the per-group accumulator shared by the point
 * estimate and every bootstrap replicate, and the metrics made from it. */
#ifndef FA_METRICS_INTERNAL_H
#define FA_METRICS_INTERNAL_H

#include "fairaudit/result.h"

#define FA_ECE_BINS 10

/* Weighted sums over one group. Weights are whole numbers (1 for the point
 * estimate, resampling counts in a replicate), so every count and the AUC
 * numerator are exact integers; only the score sums are floating point. */
typedef struct fa_acc {
	uint64_t wpos, wneg; /* records by label */
	uint64_t tp, fp;     /* positive decisions by label */
	uint64_t auc2;       /* 2 x sum over (pos, neg) pairs of [pos > neg] + [tie]/2 */
	double brier;        /* sum of w (score - label)^2 */
	uint64_t bin_w[FA_ECE_BINS], bin_pos[FA_ECE_BINS];
	double bin_s[FA_ECE_BINS]; /* sum of w score per calibration bin */
} fa_acc;

/* Fill `value` (NaN when undefined, with `reason`) for every metric. When
 * `probabilities` is 0, brier and ece are undefined. */
void fa_acc_metrics(const fa_acc *a, int probabilities, double value[FA_M__COUNT],
		    const char *reason[FA_M__COUNT]);

#endif
