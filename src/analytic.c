/*
 * analytic.c: DeLong's AUC variance and unpaired test, Wilson and Newcombe
 * intervals, the chi-square test of homogeneity, Holm and
 * Benjamini-Hochberg adjustment, and a permutation test. docs/analytic.md
 * gives the formulas and the R functions each one reproduces.
 */
#include "fairaudit/analytic.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int check_level(double level, fa_error *err)
{
	if (!(level > 0 && level < 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "confidence level must be between 0 and 1, got %g", level);
	return 0;
}

/* The GSL distribution functions report failure through the error handler
 * (off in fairaudit) and a NaN result, not through a status code, so the
 * result itself is what can be checked. */
static int finite_or_fail(double v, const char *what, fa_error *err)
{
	if (isfinite(v))
		return 0;
	return fa_error_set(err, FA_EMATH, NULL, 0, 0, "%s gave %g instead of a number",
			    what, v);
}

/* The standard normal quantiles of (1 - level) / 2 and 1 - (1 - level) / 2,
 * computed from those two arguments as R's qnorm is called. */
static int normal_bounds(double *lo, double *hi, double level, fa_error *err)
{
	double a = (1 - level) / 2;

	*lo = gsl_cdf_ugaussian_Pinv(a);
	*hi = gsl_cdf_ugaussian_Pinv(1 - a);
	if (finite_or_fail(*lo, "gsl_cdf_ugaussian_Pinv", err) < 0)
		return FA_EMATH;
	return finite_or_fail(*hi, "gsl_cdf_ugaussian_Pinv", err);
}

/* Neumaier's compensated sum: the variance adds up to 10^6 terms. */
typedef struct ksum {
	double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/* ---- DeLong ------------------------------------------------------------- */

static int is_ascending(const double *x, size_t n)
{
	size_t i;
	for (i = 1; i < n; i++)
		if (!(x[i - 1] <= x[i]))
			return 0;
	return 1;
}

static int has_nan(const double *x, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (isnan(x[i]))
			return 1;
	return 0;
}

/*
 * One merge of the two ascending score lists, tie block by tie block. Every
 * positive in a block has the same placement (2 * negatives below + negatives
 * tied) / (2 n_neg), every negative (2 * positives above + positives tied) /
 * (2 n_pos) (Sun & Xu 2014). With theta < 0 the walk returns the AUC
 * numerator, twice the Mann-Whitney count, as an exact integer; otherwise it
 * adds the squared deviations of the placements from theta.
 */
static uint64_t delong_walk(const double *pos, size_t m, const double *neg, size_t n,
			    double theta, ksum *s10, ksum *s01)
{
	size_t i = 0, j = 0;
	uint64_t auc2 = 0;

	while (i < m || j < n) {
		double v = i == m ? neg[j] : j == n ? pos[i] : fmin(pos[i], neg[j]);
		size_t cp = 0, cn = 0;
		uint64_t a, b;

		while (i + cp < m && pos[i + cp] == v)
			cp++;
		while (j + cn < n && neg[j + cn] == v)
			cn++;
		/* placements: a / 2n for these positives, b / 2m for these negatives */
		a = 2 * (uint64_t)j + cn;
		b = 2 * (uint64_t)(m - i - cp) + cp;
		if (theta < 0) {
			auc2 += (uint64_t)cp * a;
		} else {
			double d;
			if (cp) {
				d = (double)a / (2.0 * (double)n) - theta;
				ksum_add(s10, (double)cp * d * d);
			}
			if (cn) {
				d = (double)b / (2.0 * (double)m) - theta;
				ksum_add(s01, (double)cn * d * d);
			}
		}
		i += cp;
		j += cn;
	}
	return auc2;
}

/* pos and neg are ascending and free of NaN. */
static int delong_sorted(fa_delong *out, const double *pos, size_t m, const double *neg,
			 size_t n, double level, fa_error *err)
{
	ksum s10 = {0, 0}, s01 = {0, 0};
	double theta, lo, hi;
	int rc;

	out->n_pos = m;
	out->n_neg = n;
	out->level = level;
	out->auc = out->var = out->se = out->ci_low = out->ci_high = NAN;
	if (m == 0 || n == 0)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "AUC needs positive and negative records, got %zu and %zu",
				    m, n);
	theta = (double)delong_walk(pos, m, neg, n, -1, NULL, NULL) /
		(2.0 * (double)m * (double)n);
	out->auc = theta;
	if (m < 2 || n < 2)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "DeLong variance needs at least 2 positive and 2 negative "
				    "records, got %zu and %zu",
				    m, n);
	delong_walk(pos, m, neg, n, theta, &s10, &s01);
	out->var = (s10.s + s10.c) / (double)(m - 1) / (double)m +
		   (s01.s + s01.c) / (double)(n - 1) / (double)n;
	out->se = sqrt(out->var);
	if ((rc = normal_bounds(&lo, &hi, level, err)) < 0)
		return rc;
	/* pROC: qnorm(p, mean = auc, sd = se), then clipped to [0, 1] */
	out->ci_low = fmin(1, fmax(0, theta + out->se * lo));
	out->ci_high = fmin(1, fmax(0, theta + out->se * hi));
	return 0;
}

/* An ascending copy of x, or x itself when it already is ascending. */
static const double *ascending(double **copy, const double *x, size_t n)
{
	*copy = NULL;
	if (is_ascending(x, n))
		return x;
	*copy = fa_xmalloc(n ? n * sizeof(double) : 1);
	memcpy(*copy, x, n * sizeof(double));
	gsl_sort(*copy, 1, n);
	return *copy;
}

int fa_delong_compute_split(fa_delong *out, const double *pos, size_t n_pos,
			    const double *neg, size_t n_neg, double level, fa_error *err)
{
	double *cp = NULL, *cn = NULL;
	const double *p, *q;
	int rc;

	memset(out, 0, sizeof(*out));
	out->auc = out->var = out->se = out->ci_low = out->ci_high = NAN;
	out->n_pos = n_pos;
	out->n_neg = n_neg;
	out->level = level;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	if (has_nan(pos, n_pos) || has_nan(neg, n_neg))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0, "a score is NaN");
	p = ascending(&cp, pos, n_pos);
	q = ascending(&cn, neg, n_neg);
	rc = delong_sorted(out, p, n_pos, q, n_neg, level, err);
	free(cp);
	free(cn);
	return rc;
}

int fa_delong_compute(fa_delong *out, const double *scores, const uint8_t *labels,
		      size_t n, double level, fa_error *err)
{
	double *buf = NULL;
	size_t i, m = 0, k = 0;
	int rc;

	for (i = 0; i < n; i++)
		m += labels[i] != 0;
	/* positives fill buf from the front, negatives from the back, both in
	 * input order, so score-sorted input stays sorted */
	buf = fa_xmalloc(n ? n * sizeof(double) : 1);
	for (i = 0; i < n; i++) {
		if (labels[i])
			buf[k++] = scores[i];
		else
			buf[m + (i - k)] = scores[i];
	}
	rc = fa_delong_compute_split(out, buf, m, buf + m, n - m, level, err);
	free(buf);
	return rc;
}

int fa_delong_compare(fa_delong_diff *out, const fa_delong *a, const fa_delong *b,
		      double level, fa_error *err)
{
	double s, q;
	int rc;

	out->level = level;
	out->diff = a->auc - b->auc;
	out->se = out->statistic = out->df = out->p_value = out->p_normal = NAN;
	out->ci_low = out->ci_high = NAN;
	if ((rc = check_level(level, err)) < 0)
		return rc;
	if (isnan(a->var) || isnan(b->var))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "DeLong variance of %s AUC is undefined",
				    isnan(a->var) ? "the first" : "the second");
	s = a->var + b->var;
	if (!(s > 0))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "both AUCs have zero DeLong variance (each is 0 or 1)");
	out->se = sqrt(s);
	out->statistic = out->diff / out->se;
	/* pROC's degrees of freedom count all records of each group, n - 1 */
	out->df = s * s / (a->var * a->var / (double)(a->n_pos + a->n_neg - 1) +
			   b->var * b->var / (double)(b->n_pos + b->n_neg - 1));
	out->p_value = 2 * gsl_cdf_tdist_P(-fabs(out->statistic), out->df);
	if ((rc = finite_or_fail(out->p_value, "gsl_cdf_tdist_P", err)) < 0)
		return rc;
	out->p_normal = 2 * gsl_cdf_ugaussian_P(-fabs(out->statistic));
	if ((rc = finite_or_fail(out->p_normal, "gsl_cdf_ugaussian_P", err)) < 0)
		return rc;
	q = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, out->df);
	if ((rc = finite_or_fail(q, "gsl_cdf_tdist_Pinv", err)) < 0)
		return rc;
	out->ci_low = fmax(-1, out->diff - q * out->se);
	out->ci_high = fmin(1, out->diff + q * out->se);
	return 0;
}

/* ---- proportions -------------------------------------------------------- */

static int wilson(fa_interval *out, size_t x, size_t n, double z)
{
	double xd = (double)x, nd = (double)n, z2 = z * z;
	double centre = (xd + z2 / 2) / (nd + z2);
	double half = z * sqrt(xd * (double)(n - x) / nd + z2 / 4) / (nd + z2);

	out->estimate = xd / nd;
	/* the closed form leaves rounding residue where the bound is exact */
	out->low = x == 0 ? 0 : fmax(0, centre - half);
	out->high = x == n ? 1 : fmin(1, centre + half);
	return 0;
}

static int check_count(size_t x, size_t n, fa_error *err)
{
	if (n == 0)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "a proportion needs at least one record");
	if (x > n)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "count %zu exceeds its total %zu", x, n);
	return 0;
}

int fa_wilson_interval(fa_interval *out, size_t x, size_t n, double level,
		       fa_error *err)
{
	double lo, z;
	int rc;

	out->estimate = out->low = out->high = NAN;
	if ((rc = check_level(level, err)) < 0 || (rc = check_count(x, n, err)) < 0)
		return rc;
	if ((rc = normal_bounds(&lo, &z, level, err)) < 0)
		return rc;
	return wilson(out, x, n, z);
}

int fa_newcombe_interval(fa_interval *out, size_t x1, size_t n1, size_t x2, size_t n2,
			 double level, fa_error *err)
{
	fa_interval a, b;
	double lo, z, d;
	int rc;

	out->estimate = out->low = out->high = NAN;
	if ((rc = check_level(level, err)) < 0 || (rc = check_count(x1, n1, err)) < 0 ||
	    (rc = check_count(x2, n2, err)) < 0)
		return rc;
	if ((rc = normal_bounds(&lo, &z, level, err)) < 0)
		return rc;
	wilson(&a, x1, n1, z);
	wilson(&b, x2, n2, z);
	d = a.estimate - b.estimate;
	out->estimate = d;
	out->low = fmax(-1, d - sqrt((a.estimate - a.low) * (a.estimate - a.low) +
				     (b.high - b.estimate) * (b.high - b.estimate)));
	out->high = fmin(1, d + sqrt((a.high - a.estimate) * (a.high - a.estimate) +
				     (b.estimate - b.low) * (b.estimate - b.low)));
	return 0;
}

int fa_chisq_homogeneity(fa_chisq *out, const size_t *x, const size_t *n, size_t k,
			 fa_error *err)
{
	double N = 0, X = 0, stat = 0, emin = INFINITY;
	size_t i;
	int col, rc;

	out->statistic = out->p_value = out->min_expected = NAN;
	out->df = k > 0 ? (unsigned)(k - 1) : 0;
	out->low_expected = 0;
	if (k < 2)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "the chi-square test needs at least 2 groups, got %zu", k);
	for (i = 0; i < k; i++) {
		if ((rc = check_count(x[i], n[i], err)) < 0)
			return rc;
		N += (double)n[i];
		X += (double)x[i];
	}
	/* as R's chisq.test: expected = row total x column total / N, and the
	 * sum runs over the success column, then the failure column */
	for (col = 0; col < 2; col++) {
		double c = col == 0 ? X : N - X;
		for (i = 0; i < k; i++) {
			double o = (double)(col == 0 ? x[i] : n[i] - x[i]);
			double e = (double)n[i] * c / N;
			emin = fmin(emin, e);
			stat += (o - e) * (o - e) / e;
		}
	}
	out->min_expected = emin;
	out->low_expected = emin < 5;
	if (X == 0 || X == N)
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "every proportion is %d: the chi-square statistic is undefined",
				    X == 0 ? 0 : 1);
	out->statistic = stat;
	out->p_value = gsl_cdf_chisq_Q(stat, (double)out->df);
	return finite_or_fail(out->p_value, "gsl_cdf_chisq_Q", err);
}

/* ---- multiple testing --------------------------------------------------- */

typedef struct pv {
	double p;
	size_t i;
} pv;

/* ascending p, ties in input order (as R's order()) */
static int pv_cmp(const void *pa, const void *pb)
{
	const pv *a = pa, *b = pb;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

void fa_p_adjust(double *out, const double *p, size_t m, fa_p_adjust_method method)
{
	pv *v = fa_xmalloc(m ? m * sizeof(*v) : 1);
	size_t i, L = 0;
	double run;

	for (i = 0; i < m; i++)
		if (!isnan(p[i])) {
			v[L].p = p[i];
			v[L++].i = i;
		}
	qsort(v, L, sizeof(*v), pv_cmp);
	for (i = 0; i < m; i++)
		if (isnan(p[i]))
			out[i] = NAN;
	if (method == FA_P_ADJUST_HOLM) {
		/* cummax over ascending p of (L + 1 - rank) p, capped at 1 */
		run = 0;
		for (i = 0; i < L; i++) {
			run = fmax(run, (double)(L - i) * v[i].p);
			out[v[i].i] = fmin(1, run);
		}
	} else {
		/* cummin over descending p of (L / rank) p, capped at 1 */
		run = INFINITY;
		for (i = L; i-- > 0;) {
			run = fmin(run, (double)L / (double)(i + 1) * v[i].p);
			out[v[i].i] = fmin(1, run);
		}
	}
	free(v);
}

/* ---- permutation test --------------------------------------------------- */

int fa_perm_test(fa_perm_result *out, const uint32_t *codes, const uint8_t *labels,
		 size_t n, fa_perm_stat stat, void *ctx, size_t permutations,
		 unsigned long seed, fa_error *err)
{
	uint32_t *work = NULL, *pool = NULL;
	size_t *where = NULL;
	gsl_rng *rng = NULL;
	size_t i, b, m = 0, k = 0;
	double t, tol;
	int rc;

	out->observed = out->p_value = NAN;
	out->permutations = permutations;
	out->exceed = 0;
	if (permutations == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "a permutation test needs at least one permutation");
	if ((rc = stat(&out->observed, codes, labels, n, ctx, err)) < 0)
		return rc;
	if (isnan(out->observed))
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				    "the statistic of the data is undefined");
	tol = 1e-12 * fmax(1, fabs(out->observed));

	/* pool holds the codes of the positives, then of the negatives, and
	 * where[] the record each slot goes back to */
	work = fa_xmalloc(n ? n * sizeof(*work) : 1);
	pool = fa_xmalloc(n ? n * sizeof(*pool) : 1);
	where = fa_xmalloc(n ? n * sizeof(*where) : 1);
	for (i = 0; i < n; i++)
		m += labels[i] != 0;
	for (i = 0; i < n; i++) {
		size_t slot = labels[i] ? k++ : m + (i - k);
		pool[slot] = codes[i];
		where[slot] = i;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		rc = fa_error_set(err, FA_EMATH, NULL, 0, 0, "gsl_rng_alloc: %s",
				  gsl_strerror(GSL_ENOMEM));
		goto done;
	}
	gsl_rng_set(rng, seed);
	for (b = 0; b < permutations; b++) {
		if (m > 1)
			gsl_ran_shuffle(rng, pool, m, sizeof(*pool));
		if (n - m > 1)
			gsl_ran_shuffle(rng, pool + m, n - m, sizeof(*pool));
		for (i = 0; i < n; i++)
			work[where[i]] = pool[i];
		if ((rc = stat(&t, work, labels, n, ctx, err)) < 0)
			goto done;
		if (t >= out->observed - tol)
			out->exceed++;
	}
	out->p_value = (double)(out->exceed + 1) / (double)(permutations + 1);
	rc = 0;
done:
	gsl_rng_free(rng);
	free(work);
	free(pool);
	free(where);
	return rc;
}
