/*
 * report_html_data.h: per-group curve data the HTML report draws when it is
 * given: a thinned ROC curve and calibration bins.
 *
 * These types are meant to move into include/fairaudit/result.h, as fields
 * of fa_group_result filled by the engine (fa_curve roc; fa_calib calib;).
 * Until then the report takes them beside the result through
 * fa_report_html_curves(); fa_report_html() draws without them (operating
 * points only, no calibration plots).
 */
#ifndef FA_REPORT_HTML_DATA_H
#define FA_REPORT_HTML_DATA_H

#include "fairaudit/result.h"

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

/* The curves of one group. */
typedef struct fa_group_curves {
	fa_curve roc;
	int has_calib;
	fa_calib calib;
} fa_group_curves;

/* Curves for a whole result: attrs[a][g] belongs to r->attrs[a].groups[g].
 * attrs, or any attrs[a], may be NULL when there are none. */
typedef struct fa_html_curves {
	const fa_group_curves *const *attrs;
	size_t nattrs;
} fa_html_curves;

/* fa_report_html() with curve data; `c` may be NULL. */
int fa_report_html_curves(fa_buf *out, const fa_result *r, const fa_html_curves *c);

#endif
