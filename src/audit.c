/*
 * audit.c: the stratification engine.
 *
 * The records are sorted by score once. Each audited attribute (and the
 * whole population, as an attribute with one group) is then measured in a
 * single pass over the sorted records that feeds every group's accumulator
 * at once: confusion counts, the Mann-Whitney AUC numerator (ties counted
 * one half), the Brier sum and the calibration bins. The point estimate is
 * that pass with every weight 1; a bootstrap replicate is the same pass with
 * the replicate's resampling counts as weights, so no record is copied and
 * no replicate re-sorts.
 *
 * Replicate r draws its randomness from a generator seeded by (seed, r)
 * alone, so results do not depend on the number of threads.
 *
 * Several models (fa_audit_run_models) get one engine each, every one
 * with its own score order. The first engine draws each replicate's
 * counts and the others take them over record by record through a map
 * between layouts, so all models see the same resamples and the
 * difference of two models has a paired interval.
 */
#include "fairaudit/audit.h"

#include "fairaudit/version.h"
#include "metrics_internal.h"
#include "table_internal.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* -DFA_DISABLE_SIMD builds the portable code alone; its results are the
 * same, bit for bit */
#if defined(__SSE2__) && defined(__x86_64__) && !defined(FA_DISABLE_SIMD)
#define FA_HAVE_SSE2 1
#include <emmintrin.h>
#else
#define FA_HAVE_SSE2 0
#endif
/* GCC and Clang compile single functions for AVX2 and say at run time
 * whether the processor has it */
#if FA_HAVE_SSE2 && (defined(__GNUC__) || defined(__clang__))
#define FA_HAVE_AVX2 1
#include <immintrin.h>
#else
#define FA_HAVE_AVX2 0
#endif

#include "audit_internal.h"
#include "partial_internal.h"


/* ---- tables ------------------------------------------------------------ */

/* Cumulative P(X <= k) for X ~ Poisson(1), k = 0..15. */
static const double pois_cdf[] = {
	0.36787944117144233, 0.73575888234288467, 0.91969860292860584,
	0.98101184312384626, 0.99634015317265634, 0.99940581518241438,
	0.99991675885071405, 0.99998975080332880, 0.99999887479740563,
	0.99999988857452528, 0.99999998995209985, 0.99999999916823389,
	0.99999999993627798, 0.99999999999548166, 0.99999999999970124,
	0.99999999999998146,
};
#define NPOIS (sizeof(pois_cdf) / sizeof(pois_cdf[0]))

/* Poisson(1) by inversion of a uniform u in [0,1). */
static unsigned poisson_inv(double u)
{
	unsigned k = 0;
	while (k < NPOIS && u >= pois_cdf[k])
		k++;
	return k;
}

/* Inversion one byte at a time: pois_byte[b] is the value for every u in
 * [b/256, (b+1)/256) when that interval lies inside one step of the CDF,
 * and 255 when it straddles a step (then 32 more bits decide).
 * pois_pair does two bytes at once, low byte first, with 0x80 standing
 * for a straddling byte; lab_bytes spreads 8 label bits over 8 byte masks. */
static uint8_t pois_byte[256];
static uint16_t pois_pair[65536];
static uint64_t lab_bytes[256];
/* For a straddling byte v and the next 32 bits x, the inversion of
 * u = (v + x 2^-32) / 256 counts the CDF values u reaches. That u is
 * exactly K / 2^40 with the integer K = v 2^32 + x, so u >= pois_cdf[k]
 * exactly when K >= pois_key[k] = ceil(pois_cdf[k] 2^40); and u reaches
 * the first pois_lo[v] of them, as v / 256 does. */
static uint64_t pois_key[NPOIS];
static uint8_t pois_lo[256];
static pthread_once_t pois_once = PTHREAD_ONCE_INIT;

#if FA_HAVE_AVX2
/* Whether the processor has AVX2, asked with the tables. */
static int have_avx2;
#endif

static void pois_table_init(void)
{
	unsigned b, k;
	for (k = 0; k < NPOIS; k++)
		pois_key[k] = (uint64_t)ceil(pois_cdf[k] * 0x1p40);
	for (b = 0; b < 256; b++) {
		unsigned lo = poisson_inv(b / 256.0), hi = poisson_inv((b + 1) / 256.0 - 0x1p-60);
		pois_byte[b] = lo == hi ? (uint8_t)lo : 255;
		pois_lo[b] = (uint8_t)lo;
		lab_bytes[b] = 0;
		for (k = 0; k < 8; k++)
			if (b >> k & 1)
				lab_bytes[b] |= (uint64_t)0xff << (8 * k);
	}
#if FA_HAVE_AVX2
	have_avx2 = __builtin_cpu_supports("avx2");
#endif
	for (b = 0; b < 65536; b++) {
		unsigned lo = pois_byte[b & 0xff], hi = pois_byte[b >> 8];
		pois_pair[b] = (uint16_t)((lo == 255 ? 0x80 : lo) | (hi == 255 ? 0x80 : hi) << 8);
	}
}

/* ---- the pass over one group ------------------------------------------- */

/* Running sums of a pass. The AUC numerator is kept in one of two forms.
 * In `feed`: auc2 = N P + t, where N and P are the negative and positive
 * weights of the group and t sums, over records in score order,
 * w x (negatives below the record's score) for a positive and
 * -w x (positives below it) for a negative: the first sum counts the pairs
 * a positive wins, N P minus the second those it wins or ties. "Below"
 * is the weight seen when the record's run of tied scores began, so the
 * pass needs no branch and no look-ahead to a run's end. In feed_counts
 * (the bootstrap's way): auc2 = 2 t + tie_correction, t summing
 * w x (negatives before the record) over the positives. t is taken
 * modulo 2^64, where auc2 (under 2 N P) is exact.
 *
 * The floating sums have two accumulators each, one for the even and one
 * for the odd positions of the group, so consecutive records do not wait
 * on each other's additions; at every event (a bin edge, the threshold)
 * the odd one is added into the even one. Where the pass stops between
 * events changes nothing, so a pass may be fed in pieces. */
typedef struct sums {
	uint64_t cpos, cneg; /* weights so far, by label */
	uint64_t rpos, rneg; /* cpos and cneg when the current run began */
	uint64_t t, tp, fp;
	uint64_t last;       /* the bits of the last score (at first a NaN) */
	double be, bo;       /* Brier sum: even and odd positions */
	double qe, qo;       /* sum of w x score: even and odd positions */
} sums;

/* 0.0, 1.0, ..., 255.0: a weight as a double by one load */
#define D4(x) x, x + 1, x + 2, x + 3
#define D16(x) D4(x), D4(x + 4), D4(x + 8), D4(x + 12)
#define D64(x) D16(x), D16(x + 16), D16(x + 32), D16(x + 48)
static const double dbl_of[256] = {D64(0.0), D64(64.0), D64(128.0), D64(192.0)};
#undef D4
#undef D16
#undef D64

/* Feed records [lo, hi) of a group. W holds weights for [lo, ...) of the
 * group (NULL: all 1); `d` the decisions (NULL: from the threshold).
 * Written so the compiler can specialise each combination: with no
 * weights and no decision column the loop is plain arithmetic. Runs of
 * ties are told apart by the bits of the scores, which is the same as
 * comparing them: no score is NaN and -0 was made +0. */
static inline void feed(const engine *E, const uint32_t *idx, const uint8_t *W,
			const uint8_t *d, size_t lo, size_t hi, sums *x)
{
	const double *sc = E->s;
	uint64_t cpos = x->cpos, cneg = x->cneg, rpos = x->rpos, rneg = x->rneg, t = x->t,
		 tp = x->tp, fp = x->fp, last = x->last;
	double be = x->be, bo = x->bo, qe = x->qe, qo = x->qo;
	size_t j = lo;

	/* record J into the accumulators BR and Q of its parity */
#define FEED_STEP(J, BR, Q)                                                                        \
	do {                                                                                       \
		uint32_t v_ = idx[J], i_ = v_ & ~LABEL_BIT;                                        \
		uint64_t y_ = v_ >> 31, w_ = W ? W[J] : 1, bits_;                                  \
		uint64_t wp_ = w_ * y_, wn_ = w_ - wp_;                                            \
		double s_ = sc[i_], e_ = s_ - dbl_of[y_], wd_ = dbl_of[w_];                        \
		memcpy(&bits_, sc + i_, sizeof(bits_));                                            \
		rpos = bits_ != last ? cpos : rpos;                                                \
		rneg = bits_ != last ? cneg : rneg;                                                \
		last = bits_;                                                                      \
		t += wp_ * rneg - wn_ * rpos;                                                      \
		cpos += wp_;                                                                       \
		cneg += wn_;                                                                       \
		BR += wd_ * e_ * e_;                                                               \
		Q += wd_ * s_;                                                                     \
		if (d && d[i_]) {                                                                  \
			tp += wp_;                                                                 \
			fp += wn_;                                                                 \
		}                                                                                  \
	} while (0)

	if (j < hi && (j & 1)) {
		FEED_STEP(j, bo, qo);
		j++;
	}
	for (; j + 1 < hi; j += 2) {
		FEED_STEP(j, be, qe);
		FEED_STEP(j + 1, bo, qo);
	}
	if (j < hi)
		FEED_STEP(j, be, qe);
#undef FEED_STEP
	x->cpos = cpos;
	x->cneg = cneg;
	x->rpos = rpos;
	x->rneg = rneg;
	x->t = t;
	x->tp = tp;
	x->fp = fp;
	x->last = last;
	x->be = be;
	x->bo = bo;
	x->qe = qe;
	x->qo = qo;
}

/* Little-endian load of eight weights: byte k is position j + k. */
static inline uint64_t load8(const uint8_t *W)
{
	return (uint64_t)W[0] | (uint64_t)W[1] << 8 | (uint64_t)W[2] << 16 |
	       (uint64_t)W[3] << 24 | (uint64_t)W[4] << 32 | (uint64_t)W[5] << 40 |
	       (uint64_t)W[6] << 48 | (uint64_t)W[7] << 56;
}

/* The counts of a weighted pass over positions [lo, hi) of a group whose
 * weights are all at most 31: cpos, cneg and t as in `sums`, ties aside
 * (see tie_correction). Eight positions at a time from the weight bytes
 * and the label bits: with weights up to 31 the sums of eight fit a byte,
 * so a multiplication by 0x0101...01 adds them up, or forms their running
 * sums, in one go; the products of the positive weights with the running
 * negative sums go through 16-bit lanes where SSE2 has them. */
static void feed_counts(const uint8_t *W, const uint8_t *lab, size_t lo, size_t hi, sums *x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t cpos = x->cpos, cneg = x->cneg, t = x->t;
	size_t j = lo;

	for (; j < hi && (j & 7); j++) {
		uint64_t w = W[j], wp = w & (0 - (lab[j >> 3] >> (j & 7) & 1));
		t += wp * cneg;
		cpos += wp;
		cneg += w - wp;
	}
	while (hi - j >= 8) {
		/* at most 2^16 blocks between flushes of the 32-bit lanes
		 * (each block adds under 2 x 31 x 248 to a lane) */
		size_t nblk = (hi - j) / 8, end = j + 8 * (nblk < 65536 ? nblk : 65536);
#if FA_HAVE_SSE2
		__m128i acc = _mm_setzero_si128(), zero = _mm_setzero_si128();
		uint32_t lane[4];
#endif
		for (; j < end; j += 8) {
			uint64_t w8 = load8(W + j), m = lab_bytes[lab[j >> 3]];
			uint64_t wp = w8 & m, wn = w8 & ~m;
			uint64_t P = (wp * ones) >> 56, N = (wn * ones) >> 56;
			/* byte k: the negative weight at positions j .. j+k-1 */
			uint64_t pre = (wn << 8) * ones;
#if FA_HAVE_SSE2
			__m128i a = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)wp), zero);
			__m128i b = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)pre), zero);
			acc = _mm_add_epi32(acc, _mm_madd_epi16(a, b));
#else
			int k;
			for (k = 0; k < 64; k += 8)
				t += (wp >> k & 0xff) * (pre >> k & 0xff);
#endif
			t += P * cneg;
			cpos += P;
			cneg += N;
		}
#if FA_HAVE_SSE2
		_mm_storeu_si128((__m128i *)lane, acc);
		t += (uint64_t)lane[0] + lane[1] + lane[2] + lane[3];
#endif
	}
	for (; j < hi; j++) {
		uint64_t w = W[j], wp = w & (0 - (lab[j >> 3] >> (j & 7) & 1));
		t += wp * cneg;
		cpos += wp;
		cneg += w - wp;
	}
	x->cpos = cpos;
	x->cneg = cneg;
	x->t = t;
}

/* The floating sums of a weighted pass over positions [lo, hi) of a
 * group, computed as `feed` computes them. */
static void feed_scores(const double *sc, const uint32_t *idx, const uint8_t *W, size_t lo,
			size_t hi, sums *x)
{
	double be = x->be, bo = x->bo, qe = x->qe, qo = x->qo;
	size_t j = lo;

#define SCORE_STEP(J, BR, Q)                                                                       \
	do {                                                                                       \
		uint32_t v_ = idx[J];                                                              \
		double s_ = sc[v_ & ~LABEL_BIT], e_ = s_ - dbl_of[v_ >> 31], wd_ = dbl_of[W[J]];   \
		BR += wd_ * e_ * e_;                                                               \
		Q += wd_ * s_;                                                                     \
	} while (0)

	if (j < hi && (j & 1)) {
		SCORE_STEP(j, bo, qo);
		j++;
	}
	for (; j + 1 < hi; j += 2) {
		SCORE_STEP(j, be, qe);
		SCORE_STEP(j + 1, bo, qo);
	}
	if (j < hi)
		SCORE_STEP(j, be, qe);
#undef SCORE_STEP
	x->be = be;
	x->bo = bo;
	x->qe = qe;
	x->qo = qo;
}

#if FA_HAVE_AVX2
/* Four label bits as four doubles 0 or 1, lowest bit first. */
static const double lab_dbl[16][4] = {
	{0.0, 0.0, 0.0, 0.0}, {1.0, 0.0, 0.0, 0.0},
	{0.0, 1.0, 0.0, 0.0}, {1.0, 1.0, 0.0, 0.0},
	{0.0, 0.0, 1.0, 0.0}, {1.0, 0.0, 1.0, 0.0},
	{0.0, 1.0, 1.0, 0.0}, {1.0, 1.0, 1.0, 0.0},
	{0.0, 0.0, 0.0, 1.0}, {1.0, 0.0, 0.0, 1.0},
	{0.0, 1.0, 0.0, 1.0}, {1.0, 1.0, 0.0, 1.0},
	{0.0, 0.0, 1.0, 1.0}, {1.0, 0.0, 1.0, 1.0},
	{0.0, 1.0, 1.0, 1.0}, {1.0, 1.0, 1.0, 1.0},
};

/* feed_counts and feed_scores in one loop, eight positions at a time,
 * the scores gathered four by one instruction: the same operations on the
 * same values, each pair of products added to the even and the odd
 * accumulator in position order, so every rounding is as in feed_scores.
 * The integer sums, the gathers and the floating additions are
 * independent chains of work that the processor overlaps. n: the group's
 * size. `ident`: the layout is the score order itself (a stratum of one
 * group), so the scores are read in a row and the labels from their bits. */
__attribute__((target("avx2"))) static inline void feed_fast_avx2_in(const double *sc,
								       const uint32_t *idx,
								       const uint8_t *W,
								       const uint8_t *lab, size_t lo,
								       size_t hi, size_t n, int ident,
								       sums *x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	size_t j = lo, head = (lo + 7) & ~(size_t)7;

	if (head > hi)
		head = hi;
	if (head > j) {
		feed_counts(W, lab, j, head, x);
		feed_scores(sc, idx, W, j, head, x);
		j = head;
	}
	while (hi - j >= 8) {
		/* at most 2^16 blocks between flushes of the 32-bit lanes */
		size_t nblk = (hi - j) / 8, end = j + 8 * (nblk < 65536 ? nblk : 65536);
		uint64_t cpos = x->cpos, cneg = x->cneg, t = x->t;
		__m128i acc = _mm_setzero_si128(), zero = _mm_setzero_si128();
		__m128d br = _mm_set_pd(x->bo, x->be), q = _mm_set_pd(x->qo, x->qe);
		const __m128i mask = _mm_set1_epi32(0x7fffffff);
		uint32_t lane[4];
		double dl[2];
		for (; j < end; j += 8) {
			uint64_t w8 = load8(W + j), m = lab_bytes[lab[j >> 3]];
			uint64_t wp = w8 & m, wn = w8 & ~m;
			uint64_t P = (wp * ones) >> 56, N = (wn * ones) >> 56;
			uint64_t pre = (wn << 8) * ones;
			__m128i a = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)wp), zero);
			__m128i b = _mm_unpacklo_epi8(_mm_cvtsi64_si128((long long)pre), zero);
			__m128i w32 = _mm_cvtsi64_si128((long long)w8);
			__m256d s0, s1, e0, e1, wd0, wd1, t0, t1, c0, c1;

			acc = _mm_add_epi32(acc, _mm_madd_epi16(a, b));
			t += P * cneg;
			cpos += P;
			cneg += N;
			if (ident) {
				unsigned lb = lab[j >> 3];
				s0 = _mm256_loadu_pd(sc + j);
				s1 = _mm256_loadu_pd(sc + j + 4);
				e0 = _mm256_sub_pd(s0, _mm256_loadu_pd(lab_dbl[lb & 15]));
				e1 = _mm256_sub_pd(s1, _mm256_loadu_pd(lab_dbl[lb >> 4]));
			} else {
				__m128i v0 = _mm_loadu_si128((const __m128i *)(idx + j));
				__m128i v1 = _mm_loadu_si128((const __m128i *)(idx + j + 4));
				/* the groups take turns chunk by chunk, each
				 * reading a short stretch of its layout: fetch
				 * ahead, into the next chunk's stretch */
				__builtin_prefetch(idx + (j + 256 < n ? j + 256 : j), 0, 3);
				s0 = _mm256_i32gather_pd(sc, _mm_and_si128(v0, mask), 8);
				s1 = _mm256_i32gather_pd(sc, _mm_and_si128(v1, mask), 8);
				e0 = _mm256_sub_pd(s0, _mm256_cvtepi32_pd(_mm_srli_epi32(v0, 31)));
				e1 = _mm256_sub_pd(s1, _mm256_cvtepi32_pd(_mm_srli_epi32(v1, 31)));
			}
			wd0 = _mm256_cvtepi32_pd(_mm_cvtepu8_epi32(w32));
			wd1 = _mm256_cvtepi32_pd(_mm_cvtepu8_epi32(_mm_srli_epi64(w32, 32)));
			t0 = _mm256_mul_pd(_mm256_mul_pd(wd0, e0), e0);
			t1 = _mm256_mul_pd(_mm256_mul_pd(wd1, e1), e1);
			c0 = _mm256_mul_pd(wd0, s0);
			c1 = _mm256_mul_pd(wd1, s1);
			br = _mm_add_pd(br, _mm256_castpd256_pd128(t0));
			br = _mm_add_pd(br, _mm256_extractf128_pd(t0, 1));
			br = _mm_add_pd(br, _mm256_castpd256_pd128(t1));
			br = _mm_add_pd(br, _mm256_extractf128_pd(t1, 1));
			q = _mm_add_pd(q, _mm256_castpd256_pd128(c0));
			q = _mm_add_pd(q, _mm256_extractf128_pd(c0, 1));
			q = _mm_add_pd(q, _mm256_castpd256_pd128(c1));
			q = _mm_add_pd(q, _mm256_extractf128_pd(c1, 1));
		}
		_mm_storeu_si128((__m128i *)lane, acc);
		x->t = t + lane[0] + lane[1] + lane[2] + lane[3];
		x->cpos = cpos;
		x->cneg = cneg;
		_mm_storeu_pd(dl, br);
		x->be = dl[0];
		x->bo = dl[1];
		_mm_storeu_pd(dl, q);
		x->qe = dl[0];
		x->qo = dl[1];
	}
	if (hi > j) {
		feed_counts(W, lab, j, hi, x);
		feed_scores(sc, idx, W, j, hi, x);
	}
}

__attribute__((target("avx2"))) static void feed_fast_avx2(const double *sc, const uint32_t *idx,
							    const uint8_t *W, const uint8_t *lab,
							    size_t lo, size_t hi, size_t n, int ident,
							    sums *x)
{
	if (ident)
		feed_fast_avx2_in(sc, idx, W, lab, lo, hi, n, 1, x);
	else
		feed_fast_avx2_in(sc, idx, W, lab, lo, hi, n, 0, x);
}
#endif

/* What feed_counts leaves out: in each run of tied scores holding both
 * labels, a pair counts 1 (a half, doubled) whichever comes first, where
 * feed_counts counted 2 for a negative before a positive and 0 the other
 * way round. The runs are listed when the layout is built; in a run of
 * two that is +-(product of the two weights). This adds the correction of
 * group g's runs that end by position `upto`, from the cursors *pk (runs
 * of two), *sk (of three or four) and *mk (longer) on, to *corr, while
 * their counts are still in the cache. */
static void tie_correction(const stratum *S, size_t g, const uint8_t *W, size_t upto, size_t *pk,
			   size_t *sk, size_t *mk, uint64_t *corr)
{
	const uint32_t *run = S->mixed + 2 * S->mixed_at[g];
	const uint32_t *pair = S->pairs + S->pair_at[g];
	const uint32_t *shrt = S->shorts + S->short_at[g];
	size_t nshort = S->short_at[g + 1] - S->short_at[g];
	const uint8_t *lab = S->lbits + S->lbit_at[g];
	size_t nrun = S->mixed_at[g + 1] - S->mixed_at[g], k, j;
	size_t npair = S->pair_at[g + 1] - S->pair_at[g];
	uint64_t c = *corr;

	for (k = *pk; k < npair && (pair[k] & ~LABEL_BIT) + 2 <= upto; k++) {
		uint32_t v = pair[k];
		uint64_t neg = 0 - (uint64_t)(v >> 31);
		j = v & ~LABEL_BIT;
		c += (((uint64_t)W[j] * W[j + 1]) ^ neg) - neg;
	}
	*pk = k;
	for (k = *sk; k < nshort && (shrt[k] & ~LABEL_BIT) + 4 - !(shrt[k] >> 31) <= upto; k++) {
		/* a run of three or four, without a branch: the counts w and
		 * labels y of four positions, the fourth cleared in a run of
		 * three */
		uint32_t v = shrt[k];
		unsigned y, i;
		uint64_t w[4], wp[4], wn[4];
		j = v & ~LABEL_BIT;
		y = (unsigned)(lab[j >> 3] | lab[(j >> 3) + 1] << 8) >> (j & 7);
		for (i = 0; i < 4; i++) {
			w[i] = W[j + i];
			wp[i] = w[i] & (0 - (uint64_t)(y >> i & 1));
		}
		wp[3] &= 0 - (uint64_t)(v >> 31);
		w[3] &= 0 - (uint64_t)(v >> 31);
		for (i = 0; i < 4; i++)
			wn[i] = w[i] - wp[i];
		c += (wp[0] + wp[1] + wp[2] + wp[3]) * (wn[0] + wn[1] + wn[2] + wn[3]) -
		     2 * (wn[0] * (wp[1] + wp[2] + wp[3]) + wn[1] * (wp[2] + wp[3]) + wn[2] * wp[3]);
	}
	*sk = k;
	for (k = *mk; k < nrun && run[2 * k + 1] <= upto; k++) {
		uint64_t np = 0, nn = 0, before = 0;
		for (j = run[2 * k]; j < run[2 * k + 1]; j++) {
			uint64_t w = W[j], wp = w & (0 - (lab[j >> 3] >> (j & 7) & 1));
			before += wp * nn;
			np += wp;
			nn += w - wp;
		}
		c += np * nn - 2 * before;
	}
	*mk = k;
	*corr = c;
}

/* A pass over one group, which may be fed in pieces (pass_begin, then
 * pass_feed up to rising positions, then pass_end): the snapshots taken
 * at the events make the calibration bins and the decisions at the
 * threshold. */
typedef struct pass {
	sums x;
	size_t at;             /* positions fed so far */
	int order[NEV], ne, k; /* the events in position order; the next one */
	int fast;              /* feed_counts and feed_scores */
	size_t pk, sk, mk;     /* tie_correction's cursors */
	uint64_t corr;         /* and its sum so far */
	uint64_t cw[NSNAP], cp[NSNAP], thr_pos, thr_neg;
	double cs[NSNAP];
} pass;

/* `small`: W is given and no weight is above 31, so the counts may take
 * the way of feed_counts. */
static void pass_begin(const engine *E, const stratum *S, size_t g, const uint8_t *W, int small,
		       pass *p)
{
	const size_t *ev = S->evpos + g * NEV;
	int k;

	memset(p, 0, sizeof(*p));
	p->x.last = ~(uint64_t)0; /* a NaN: every score differs */
	p->fast = W && small && !E->d;
	/* events in position order: bin edges ascend; place the threshold */
	if (E->probabilities)
		for (k = 0; k < FA_ECE_BINS - 1; k++)
			p->order[p->ne++] = k;
	if (!E->d) {
		int j = p->ne++;
		while (j > 0 && ev[p->order[j - 1]] > ev[NEV - 1]) {
			p->order[j] = p->order[j - 1];
			j--;
		}
		p->order[j] = NEV - 1;
	}
}

/* Feed group g's positions from p->at up to `upto`, taking the snapshot
 * of every event on the way (those at `upto` too). */
static void pass_feed(const engine *E, const stratum *S, size_t g, const uint8_t *W, size_t upto,
		      pass *p)
{
	size_t lo = S->gstart[g];
	const uint32_t *idx = S->idx + lo;
	const size_t *ev = S->evpos + g * NEV;
	sums *x = &p->x;

	for (;;) {
		size_t next = p->k < p->ne ? ev[p->order[p->k]] - lo : (size_t)-1;
		size_t to = next < upto ? next : upto;
		if (to > p->at) {
			if (p->fast) {
				const uint8_t *lab = S->lbits + S->lbit_at[g];
#if FA_HAVE_AVX2
				if (have_avx2) {
					feed_fast_avx2(E->s, idx, W, lab, p->at, to, S->n[g],
						       S->ngroups == 1, x);
				} else
#endif
				{
					feed_counts(W, lab, p->at, to, x);
					feed_scores(E->s, idx, W, p->at, to, x);
				}
				tie_correction(S, g, W, to, &p->pk, &p->sk, &p->mk, &p->corr);
			} else if (W && E->d)
				feed(E, idx, W, E->d, p->at, to, x);
			else if (W)
				feed(E, idx, W, NULL, p->at, to, x);
			else if (E->d)
				feed(E, idx, NULL, E->d, p->at, to, x);
			else
				feed(E, idx, NULL, NULL, p->at, to, x);
			p->at = to;
		}
		if (next > upto)
			break;
		/* the event at `next`: the two accumulators become one */
		x->be += x->bo;
		x->bo = 0;
		x->qe += x->qo;
		x->qo = 0;
		if (p->order[p->k] == NEV - 1) {
			p->thr_pos = x->cpos;
			p->thr_neg = x->cneg;
		} else {
			int e = p->order[p->k] + 1; /* edge e/10 */
			p->cp[e] = x->cpos;
			p->cw[e] = x->cpos + x->cneg;
			p->cs[e] = x->qe;
		}
		p->k++;
	}
}

/* Finish group g's pass (every position fed) into `a`. */
static void pass_end(const engine *E, const stratum *S, size_t g, const uint8_t *W, pass *p,
		     fa_acc *a)
{
	sums *x = &p->x;
	int b;

	memset(a, 0, sizeof(*a));
	x->be += x->bo;
	x->qe += x->qo;
	a->wpos = x->cpos;
	a->wneg = x->cneg;
	if (p->fast) {
		tie_correction(S, g, W, S->n[g], &p->pk, &p->sk, &p->mk, &p->corr);
		a->auc2 = 2 * x->t + p->corr;
	} else {
		a->auc2 = x->cneg * x->cpos + x->t;
	}
	a->brier = x->be;
	if (E->d) {
		a->tp = x->tp;
		a->fp = x->fp;
	} else {
		a->tp = x->cpos - p->thr_pos;
		a->fp = x->cneg - p->thr_neg;
	}
	if (E->probabilities) {
		p->cw[0] = p->cp[0] = 0;
		p->cs[0] = 0;
		p->cw[FA_ECE_BINS] = x->cpos + x->cneg;
		p->cp[FA_ECE_BINS] = x->cpos;
		p->cs[FA_ECE_BINS] = x->qe;
		for (b = 0; b < FA_ECE_BINS; b++) {
			a->bin_w[b] = p->cw[b + 1] - p->cw[b];
			a->bin_pos[b] = p->cp[b + 1] - p->cp[b];
			a->bin_s[b] = p->cs[b + 1] - p->cs[b];
		}
	}
}

/* One pass over group g of S with weights W (relative to the group start;
 * NULL: all 1), into `a`; `small` as in pass_begin. */
static void group_pass(const engine *E, const stratum *S, size_t g, const uint8_t *W, int small,
		       fa_acc *a)
{
	pass p;

	pass_begin(E, S, g, W, small, &p);
	pass_feed(E, S, g, W, S->n[g], &p);
	pass_end(E, S, g, W, &p, a);
}

/* ---- threads ------------------------------------------------------------ */

/* fn(ctx, i) for i = 0 .. n-1 on up to `threads` threads (0: one per
 * online core), the calling thread among them; the jobs must be
 * independent of one another. */
typedef struct par_job {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n;
	atomic_size_t next;
} par_job;

static void *par_worker(void *arg)
{
	par_job *j = arg;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		j->fn(j->ctx, i);
	return NULL;
}

static void parallel_for(size_t n, unsigned threads, void (*fn)(void *ctx, size_t i), void *ctx)
{
	par_job j;
	pthread_t *th;
	int *started;
	unsigned T = threads, t;

	if (T == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		T = c > 0 ? (unsigned)c : 1;
	}
	if (T > n)
		T = (unsigned)n;
	j.fn = fn;
	j.ctx = ctx;
	j.n = n;
	atomic_init(&j.next, 0);
	th = fa_xcalloc(T ? T : 1, sizeof(*th));
	started = fa_xcalloc(T ? T : 1, sizeof(*started));
	for (t = 1; t < T; t++)
		started[t] = pthread_create(&th[t], NULL, par_worker, &j) == 0;
	/* the calling thread takes every job a thread that did not start
	 * would have taken */
	par_worker(&j);
	for (t = 1; t < T; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	free(th);
	free(started);
}

/* ---- building the strata --------------------------------------------- */

/* The order of a double as an unsigned key (-0 as +0; no NaN occurs). */
static uint64_t order_key(double x)
{
	uint64_t b;
	if (x == 0)
		x = 0; /* -0.0 -> +0.0 */
	memcpy(&b, &x, sizeof(b));
	return b >> 63 ? ~b : b | 0x8000000000000000ULL;
}

static void sort_by_score(const double *scores, size_t n, uint32_t *perm, double *s);

void fa_sort_by_score(const double *scores, size_t n, uint32_t *perm, double *s)
{
	sort_by_score(scores, n, perm, s);
}

/* Sort records by score, ties in input order: an LSD radix sort on the
 * keys (stable, linear), 16 bits per pass, skipping passes whose digit is
 * the same for every key. Fills perm (sorted position -> record) and s. */
static void sort_by_score(const double *scores, size_t n, uint32_t *perm, double *s)
{
	uint64_t *k = fa_xmalloc((n ? n : 1) * sizeof(uint64_t));
	uint64_t *k2 = fa_xmalloc((n ? n : 1) * sizeof(uint64_t));
	uint32_t *p2 = fa_xmalloc((n ? n : 1) * sizeof(uint32_t)), *p1 = perm;
	size_t *count = fa_xmalloc(65536 * sizeof(size_t));
	size_t i;
	int shift;

	for (i = 0; i < n; i++) {
		k[i] = order_key(scores[i]);
		p1[i] = (uint32_t)i;
	}
	for (shift = 0; shift < 64; shift += 16) {
		size_t sum = 0, d;
		uint64_t *tk;
		uint32_t *tp;
		memset(count, 0, 65536 * sizeof(size_t));
		for (i = 0; i < n; i++)
			count[(k[i] >> shift) & 0xffff]++;
		if (n && count[(k[0] >> shift) & 0xffff] == n)
			continue;
		for (d = 0; d < 65536; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			size_t at = count[(k[i] >> shift) & 0xffff]++;
			k2[at] = k[i];
			p2[at] = p1[i];
		}
		tk = k;
		k = k2;
		k2 = tk;
		tp = p1;
		p1 = p2;
		p2 = tp;
	}
	if (p1 != perm) {
		memcpy(perm, p1, n * sizeof(uint32_t));
		p2 = p1;
	}
	for (i = 0; i < n; i++)
		s[i] = scores[perm[i]] == 0 ? 0 : scores[perm[i]];
	free(k);
	free(k2);
	free(p2);
	free(count);
}

static void stratum_free(stratum *S)
{
	size_t g, c;
	free(S->name);
	for (c = 0; c < S->ncolumns; c++)
		free(S->columns[c]);
	free(S->columns);
	free(S->col);
	for (g = 0; g < S->ngroups; g++) {
		if (S->value)
			free(S->value[g]);
		if (S->levels) {
			for (c = 0; c < S->ncolumns; c++)
				free(S->levels[g][c]);
			free(S->levels[g]);
		}
	}
	free(S->value);
	free(S->levels);
	free(S->codes);
	free(S->n);
	free(S->npos);
	free(S->gstart);
	free(S->idx);
	free(S->evpos);
	free(S->minor_start);
	free(S->minor_rows);
	free(S->lbits);
	free(S->lbit_at);
	free(S->mixed);
	free(S->mixed_at);
	free(S->pairs);
	free(S->pair_at);
	free(S->shorts);
	free(S->short_at);
	free(S->cut);
	free(S->by_size);
	free(S->ccode);
	free(S->nclusters);
}

typedef struct combo {
	uint32_t *parts;
	size_t ncols;
	uint32_t code;
} combo;

static int combo_cmp(const void *pa, const void *pb)
{
	const combo *a = pa, *b = pb;
	size_t c;
	for (c = 0; c < a->ncols; c++)
		if (a->parts[c] != b->parts[c])
			return a->parts[c] < b->parts[c] ? -1 : 1;
	return 0;
}

/* Build stratum S for the spec "col1+col2+..." over the sorted records. */
static int build_stratum(stratum *S, const fa_table *t, const char *spec,
			 const uint32_t *perm, size_t n, fa_error *err)
{
	char *copy = fa_xstrdup(spec), *tok, *save = NULL;
	size_t c, i, g;
	fa_dict d;
	uint32_t *tuple, *wide;
	combo *cs;

	memset(S, 0, sizeof(*S));
	S->name = fa_xstrdup(spec);
	for (tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		long a = fa_table_attr_find(t, tok);
		if (a < 0) {
			fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				     "--group %s: column \"%s\" was not loaded", spec, tok);
			free(copy);
			return FA_EUSAGE;
		}
		S->columns = fa_xrealloc(S->columns, (S->ncolumns + 1) * sizeof(char *));
		S->col = fa_xrealloc(S->col, (S->ncolumns + 1) * sizeof(size_t));
		S->columns[S->ncolumns] = fa_xstrdup(tok);
		S->col[S->ncolumns++] = (size_t)a;
	}
	free(copy);
	if (S->ncolumns == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--group \"%s\" names no column",
				    spec);
	S->codes = fa_xmalloc((n ? n : 1) * sizeof(uint16_t));
	if (S->ncolumns == 1) {
		const uint32_t *codes = fa_table_attr_codes(t, S->col[0]);
		size_t L = fa_table_attr_levels(t, S->col[0]);
		uint32_t *used = fa_xcalloc(L ? L : 1, sizeof(uint32_t));
		/* groups are the levels that occur, in level order (perm is a
		 * permutation: the table's order finds the same levels, reading
		 * the codes in a row) */
		for (i = 0; i < n; i++)
			used[codes[i]] = 1;
		for (c = 0; c < L; c++)
			if (used[c])
				used[c] = (uint32_t)++S->ngroups;
		if (S->ngroups > FA_MAX_GROUPS) {
			free(used);
			return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
					    "--group %s: %zu values occur, more than the %d an attribute may have",
					    spec, S->ngroups, FA_MAX_GROUPS);
		}
		S->value = fa_xcalloc(S->ngroups ? S->ngroups : 1, sizeof(char *));
		S->levels = fa_xcalloc(S->ngroups ? S->ngroups : 1, sizeof(char **));
		for (c = 0; c < L; c++)
			if (used[c]) {
				g = used[c] - 1;
				S->value[g] = fa_xstrdup(fa_table_attr_level(t, S->col[0], (uint32_t)c));
				S->levels[g] = fa_xmalloc(sizeof(char *));
				S->levels[g][0] = fa_xstrdup(S->value[g]);
			}
		for (i = 0; i < n; i++)
			S->codes[i] = (uint16_t)(used[codes[perm[i]]] - 1);
		free(used);
		return 0;
	}
	/* an intersection: each combination that occurs is a group */
	fa_dict_init(&d);
	tuple = fa_xmalloc(S->ncolumns * sizeof(uint32_t));
	wide = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		for (c = 0; c < S->ncolumns; c++)
			tuple[c] = fa_table_attr_codes(t, S->col[c])[perm[i]];
		wide[i] = fa_dict_intern(&d, (const char *)tuple, S->ncolumns * sizeof(uint32_t));
	}
	S->ngroups = d.count;
	if (S->ngroups > FA_MAX_GROUPS) {
		free(wide);
		free(tuple);
		fa_dict_free(&d);
		return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
				    "--group %s: %zu combinations occur, more than the %d an attribute may have",
				    spec, S->ngroups, FA_MAX_GROUPS);
	}
	cs = fa_xmalloc((d.count ? d.count : 1) * sizeof(*cs));
	for (g = 0; g < d.count; g++) {
		cs[g].parts = fa_xmalloc(S->ncolumns * sizeof(uint32_t));
		memcpy(cs[g].parts, d.names[g], S->ncolumns * sizeof(uint32_t));
		cs[g].ncols = S->ncolumns;
		cs[g].code = (uint32_t)g;
	}
	qsort(cs, d.count, sizeof(*cs), combo_cmp);
	{
		uint32_t *remap = fa_xmalloc((d.count ? d.count : 1) * sizeof(uint32_t));
		S->value = fa_xcalloc(d.count ? d.count : 1, sizeof(char *));
		S->levels = fa_xcalloc(d.count ? d.count : 1, sizeof(char **));
		for (g = 0; g < d.count; g++) {
			fa_buf b = FA_BUF_INIT;
			remap[cs[g].code] = (uint32_t)g;
			S->levels[g] = fa_xmalloc(S->ncolumns * sizeof(char *));
			for (c = 0; c < S->ncolumns; c++) {
				const char *lv = fa_table_attr_level(t, S->col[c], cs[g].parts[c]);
				S->levels[g][c] = fa_xstrdup(lv);
				if (c)
					fa_buf_putc(&b, '+');
				fa_buf_puts(&b, lv);
			}
			S->value[g] = fa_buf_detach(&b);
			free(cs[g].parts);
		}
		for (i = 0; i < n; i++)
			S->codes[i] = (uint16_t)remap[wide[i]];
		free(remap);
		free(wide);
	}
	free(cs);
	free(tuple);
	fa_dict_free(&d);
	return 0;
}

/* First position in [lo, hi) of S whose score is >= x. */
static size_t group_lower_bound(const engine *E, const stratum *S, size_t lo, size_t hi,
				double x)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (E->s[S->idx[mid] & ~LABEL_BIT] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Lay the records out group by group (a stable counting sort of the
 * score order), and find each group's snapshot positions and small
 * label cells. */
static void build_layout(stratum *S, engine *E, const uint8_t *y)
{
	size_t G = S->ngroups, i, g, k, npair, nshort, nminor = 0;
	size_t *fill;

	S->n = fa_xcalloc(G, sizeof(size_t));
	S->npos = fa_xcalloc(G, sizeof(size_t));
	S->gstart = fa_xcalloc(G + 1, sizeof(size_t));
	S->idx = fa_xmalloc((E->n ? E->n : 1) * sizeof(uint32_t));
	for (i = 0; i < E->n; i++) {
		g = S->codes ? S->codes[i] : 0;
		S->n[g]++;
		S->npos[g] += y[i];
	}
	for (g = 0; g < G; g++)
		S->gstart[g + 1] = S->gstart[g] + S->n[g];
	fill = fa_xmalloc((G ? G : 1) * sizeof(size_t));
	memcpy(fill, S->gstart, G * sizeof(size_t));
	for (i = 0; i < E->n; i++) {
		g = S->codes ? S->codes[i] : 0;
		S->idx[fill[g]++] = (uint32_t)i | (y[i] ? LABEL_BIT : 0);
	}
	free(fill);
	free(S->codes);
	S->codes = NULL;
	S->evpos = fa_xmalloc((G ? G : 1) * NEV * sizeof(size_t));
	for (g = 0; g < G; g++) {
		size_t lo = S->gstart[g], hi = S->gstart[g + 1];
		for (k = 0; k < FA_ECE_BINS - 1; k++)
			S->evpos[g * NEV + k] = group_lower_bound(E, S, lo, hi, (double)(k + 1) / 10.0);
		S->evpos[g * NEV + NEV - 1] = group_lower_bound(E, S, lo, hi, E->o->threshold);
	}
	/* small label cells, listed for the resampling corrections */
	S->minor_start = fa_xcalloc(G + 1, sizeof(size_t));
	for (g = 0; g < G; g++) {
		size_t np = S->npos[g], nn = S->n[g] - np, m = np < nn ? np : nn;
		S->minor_start[g + 1] = S->minor_start[g] + (m * 32 < S->n[g] ? m : 0);
	}
	nminor = S->minor_start[G];
	S->minor_rows = fa_xmalloc((nminor ? nminor : 1) * sizeof(uint32_t));
	for (g = 0; g < G; g++) {
		size_t lo = S->gstart[g], j, o = S->minor_start[g];
		uint32_t want = S->npos[g] * 2 < S->n[g] ? LABEL_BIT : 0;
		if (S->minor_start[g + 1] == o)
			continue;
		for (j = lo; j < S->gstart[g + 1]; j++)
			if ((S->idx[j] & LABEL_BIT) == want)
				S->minor_rows[o++] = (uint32_t)(j - lo);
	}
	S->lbit_at = fa_xmalloc((G ? G : 1) * sizeof(size_t));
	for (g = 0, k = 0; g < G; g++) {
		S->lbit_at[g] = k;
		k += (S->n[g] + 7) / 8;
	}
	/* 8 bytes to spare: tie_correction reads two bytes at a time */
	S->lbits = fa_xcalloc(k + 8, 1);
	for (g = 0; g < G; g++) {
		size_t lo = S->gstart[g], j;
		uint8_t *b = S->lbits + S->lbit_at[g];
		for (j = 0; j < S->n[g]; j++)
			b[j >> 3] |= (uint8_t)((S->idx[lo + j] >> 31) << (j & 7));
	}
	/* the groups by decreasing size (stable) */
	S->by_size = fa_xmalloc((G ? G : 1) * sizeof(size_t));
	for (g = 0; g < G; g++) {
		size_t at = g;
		while (at > 0 && S->n[S->by_size[at - 1]] < S->n[g]) {
			S->by_size[at] = S->by_size[at - 1];
			at--;
		}
		S->by_size[at] = g;
	}
	/* where each group enters each chunk of score positions */
	S->nchunks = E->n > FA_CHUNK ? (E->n + FA_CHUNK - 1) / FA_CHUNK : 1;
	S->cut = fa_xmalloc((G ? G : 1) * (S->nchunks + 1) * sizeof(uint32_t));
	for (g = 0; g < G; g++) {
		uint32_t *cut = S->cut + g * (S->nchunks + 1);
		size_t lo = S->gstart[g], j, c = 0;
		for (j = 0; j < S->n[g]; j++)
			while (c <= S->nchunks && (S->idx[lo + j] & ~LABEL_BIT) >= c * FA_CHUNK)
				cut[c++] = (uint32_t)j;
		while (c <= S->nchunks)
			cut[c++] = (uint32_t)S->n[g];
	}
	/* runs of tied scores holding both labels, for tie_correction: those
	 * of two, of three or four, and longer ones apart */
	S->mixed_at = fa_xcalloc(G + 1, sizeof(size_t));
	S->pair_at = fa_xcalloc(G + 1, sizeof(size_t));
	S->short_at = fa_xcalloc(G + 1, sizeof(size_t));
	for (g = 0, k = 0, npair = 0, nshort = 0; g < G; g++) {
		size_t lo = S->gstart[g], j = 0, e;
		S->mixed_at[g] = k;
		S->pair_at[g] = npair;
		S->short_at[g] = nshort;
		for (; j < S->n[g]; j = e) {
			double sj = E->s[S->idx[lo + j] & ~LABEL_BIT];
			uint32_t labs = 0;
			for (e = j; e < S->n[g] && E->s[S->idx[lo + e] & ~LABEL_BIT] == sj; e++)
				labs |= 1u << (S->idx[lo + e] >> 31);
			if (labs != 3)
				continue;
			if (e - j == 2) {
				if ((npair & (npair - 1)) == 0)
					S->pairs = fa_xrealloc(S->pairs, (npair ? 2 * npair : 1) * sizeof(uint32_t));
				/* the top bit: the negative comes first */
				S->pairs[npair++] = (uint32_t)j | (S->idx[lo + j] & LABEL_BIT ? 0 : LABEL_BIT);
				continue;
			}
			if (e - j <= 4) {
				if ((nshort & (nshort - 1)) == 0)
					S->shorts = fa_xrealloc(S->shorts, (nshort ? 2 * nshort : 1) * sizeof(uint32_t));
				/* the top bit: a run of four */
				S->shorts[nshort++] = (uint32_t)j | (e - j == 4 ? LABEL_BIT : 0);
				continue;
			}
			if ((k & (k - 1)) == 0)
				S->mixed = fa_xrealloc(S->mixed, 2 * (k ? 2 * k : 1) * sizeof(uint32_t));
			S->mixed[2 * k] = (uint32_t)j;
			S->mixed[2 * k + 1] = (uint32_t)e;
			k++;
		}
	}
	S->mixed_at[G] = k;
	S->pair_at[G] = npair;
	S->short_at[G] = nshort;
}

/* Number each group's clusters 0.. in order of first appearance. */
static void build_clusters(stratum *S, engine *E)
{
	size_t G = S->ngroups, g, j;
	uint32_t *stamp = fa_xcalloc(E->ncluster_ids ? E->ncluster_ids : 1, sizeof(uint32_t));
	uint32_t *dense = fa_xmalloc((E->ncluster_ids ? E->ncluster_ids : 1) * sizeof(uint32_t));

	S->ccode = fa_xmalloc((E->n ? E->n : 1) * sizeof(uint32_t));
	S->nclusters = fa_xcalloc(G ? G : 1, sizeof(size_t));
	for (g = 0; g < G; g++) {
		uint32_t k = 0;
		for (j = S->gstart[g]; j < S->gstart[g + 1]; j++) {
			uint32_t c = E->cluster[S->idx[j] & ~LABEL_BIT];
			if (stamp[c] != g + 1) {
				stamp[c] = (uint32_t)g + 1;
				dense[c] = k++;
			}
			S->ccode[j] = dense[c];
		}
		S->nclusters[g] = k;
	}
	free(stamp);
	free(dense);
}

/* ---- bootstrap -------------------------------------------------------- */

/* The combined Tausworthe generator of L'Ecuyer (1996) exactly as GSL's
 * gsl_rng_taus2 defines it (seeding, sequence and gsl_rng_uniform_int),
 * so the replicates stay those of a gsl_rng; written out here because a
 * replicate takes one value per four records, too many for a call
 * through a function pointer each. */
typedef struct taus {
	uint32_t s1, s2, s3;
} taus;

static inline uint32_t taus_get(taus *t)
{
	t->s1 = ((t->s1 & 0xfffffffeu) << 12) ^ (((t->s1 << 13) ^ t->s1) >> 19);
	t->s2 = ((t->s2 & 0xfffffff8u) << 4) ^ (((t->s2 << 2) ^ t->s2) >> 25);
	t->s3 = ((t->s3 & 0xfffffff0u) << 17) ^ (((t->s3 << 3) ^ t->s3) >> 11);
	return t->s1 ^ t->s2 ^ t->s3;
}

static void taus_seed(taus *t, uint32_t s)
{
	int k;
	if (s == 0)
		s = 1;
	t->s1 = 69069u * s;
	if (t->s1 < 2)
		t->s1 += 2;
	t->s2 = 69069u * t->s1;
	if (t->s2 < 8)
		t->s2 += 8;
	t->s3 = 69069u * t->s2;
	if (t->s3 < 16)
		t->s3 += 16;
	for (k = 0; k < 6; k++)
		taus_get(t);
}

/* x / d for every 32-bit x, by one multiplication with the magic number
 * ceil(2^64 / d) of a divisor d >= 2 (Lemire, Kaser and Kurz, "Faster
 * remainder by direct computation", 2019): the high 64 bits of magic x,
 * formed from two 64-bit products since x has 32 bits. */
static inline uint64_t div_magic(uint32_t d)
{
	return UINT64_MAX / d + 1;
}

static inline uint32_t div_by(uint32_t x, uint64_t magic)
{
	return (uint32_t)(((magic >> 32) * x + (((magic & 0xffffffffu) * x) >> 32)) >> 32);
}

/* A uniform integer in [0, n), 0 < n < 2^31, by gsl_rng_uniform_int's
 * rejection; `magic` is div_magic(0xffffffff / n), the division by that
 * scale made a multiplication since the resampling corrections draw
 * often. */
static inline uint32_t taus_below(taus *t, uint32_t n, uint64_t magic)
{
	uint32_t k;
	do
		k = div_by(taus_get(t), magic);
	while (k >= n);
	return k;
}

static uint32_t taus_uniform_int(taus *t, uint32_t n)
{
	return taus_below(t, n, div_magic(0xffffffffu / n));
}

/* poisson_inv((v + x 2^-32) / 256) for a straddling byte v. */
static inline unsigned pois_refine(unsigned v, uint32_t x)
{
	uint64_t K = (uint64_t)v << 32 | x;
	unsigned w = pois_lo[v];
	while (w < NPOIS && K >= pois_key[w])
		w++;
	return w;
}

/* The Poisson(1) counts of the first `nb` (1..4) records of word x, one
 * byte each, lowest first; a straddling byte takes 32 more bits at once. */
static inline uint32_t pois_word(taus *t, uint32_t x, unsigned nb)
{
	uint32_t c = pois_pair[x & 0xffff] | (uint32_t)pois_pair[x >> 16] << 16;
	unsigned k;

	if (nb == 4 && !(c & 0x80808080u))
		return c;
	if (nb < 4)
		c &= 0xffffffffu >> (32 - 8 * nb);
	for (k = 0; k < nb; k++)
		if (c >> (8 * k) & 0x80) {
			unsigned w = pois_refine(x >> (8 * k) & 0xff, taus_get(t));
			c = (c & ~((uint32_t)0xff << (8 * k))) | (uint32_t)w << (8 * k);
		}
	return c;
}

/* The largest of n counts, at least 1. */
static unsigned max_count(const uint8_t *W, size_t n)
{
	uint8_t mx = 1;
	size_t j;
	for (j = 0; j < n; j++)
		mx = W[j] > mx ? W[j] : mx;
	return mx;
}

/* Poisson(1) counts for positions [0, k8) of a group, k8 a multiple of 8,
 * eight at a time (two values of the generator), adding up into `ht` all
 * of them and into `hp` those of the positives (label bits `lab`), and
 * raising *wmax to the largest: each count is at most 16, so eight of them
 * sum below 256 and one multiplication by 0x0101...01 adds them up. */
static void draw_counts(taus *rng, const uint8_t *lab, uint8_t *W, size_t k8, uint64_t *ht,
			uint64_t *hp, unsigned *wmax)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t st = 0, sp = 0;
	taus t = *rng;
	size_t j;

	for (j = 0; j < k8; j += 8) {
		uint32_t a = pois_word(&t, taus_get(&t), 4);
		uint32_t b = pois_word(&t, taus_get(&t), 4);
		uint64_t w8 = a | (uint64_t)b << 32, m = lab_bytes[lab[j >> 3]];
		int k;
		for (k = 0; k < 8; k++)
			W[j + k] = (uint8_t)(w8 >> (8 * k));
		st += (w8 * ones) >> 56;
		sp += ((w8 & m) * ones) >> 56;
	}
	*rng = t;
	*ht += st;
	*hp += sp;
	if (k8) {
		unsigned mx = max_count(W, k8);
		*wmax = mx > *wmax ? mx : *wmax;
	}
}

#if FA_HAVE_AVX2
/* The generator with its three components side by side in the lanes of a
 * vector (the fourth lane stays 0), stepped by per-lane shifts: the same
 * values as taus_get. */
__attribute__((target("avx2"))) static inline __m128i taus_vstep(__m128i s)
{
	const __m128i a = _mm_set_epi32(0, 3, 2, 13), b = _mm_set_epi32(0, 11, 25, 19);
	const __m128i c = _mm_set_epi32(0, (int)0xfffffff0u, (int)0xfffffff8u, (int)0xfffffffeu);
	const __m128i d = _mm_set_epi32(0, 17, 4, 12);
	__m128i x = _mm_srlv_epi32(_mm_xor_si128(_mm_sllv_epi32(s, a), s), b);
	return _mm_xor_si128(_mm_sllv_epi32(_mm_and_si128(s, c), d), x);
}

__attribute__((target("avx2"))) static inline uint32_t taus_vget(__m128i *st)
{
	__m128i s = taus_vstep(*st), x;

	*st = s;
	x = _mm_xor_si128(s, _mm_shuffle_epi32(s, 0x4e));
	x = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0xb1));
	return (uint32_t)_mm_cvtsi128_si32(x);
}

/* The counts c of word x (from pois_pair, all four bytes) with each
 * straddling byte refined by the next value of the generator. */
__attribute__((target("avx2"))) static inline uint32_t pois_vfix(__m128i *st, uint32_t x, uint32_t c)
{
	uint32_t f = c & 0x80808080u;

	while (f) {
		int k = __builtin_ctz(f) & ~7;
		unsigned w = pois_refine(x >> k & 0xff, taus_vget(st));
		c = (c & ~((uint32_t)0xff << k)) | (uint32_t)w << k;
		f &= f - 1;
	}
	return c;
}

/* draw_counts with the generator in a vector. Two values are drawn ahead
 * for eight positions; when a byte of the first straddles a step, the
 * second belongs to that byte instead. The sums go through the counts
 * afterwards, 32 at a time. */
__attribute__((target("avx2"))) static void draw_counts_avx2(taus *rng, const uint8_t *lab,
							      uint8_t *W, size_t k8, uint64_t *ht,
							      uint64_t *hp, unsigned *wmax)
{
	__m128i st = _mm_set_epi32(0, (int)rng->s3, (int)rng->s2, (int)rng->s1);
	uint32_t lane[4];
	uint64_t q[4];
	size_t j;

	for (j = 0; j < k8; j += 8) {
		__m128i s1 = taus_vstep(st), s2 = taus_vstep(s1);
		/* [a1^a3, a2, b1^b3, b2], then [a, a, b, b], then a | b << 32 */
		__m128i x = _mm_xor_si128(_mm_unpacklo_epi64(s1, s2), _mm_unpackhi_epi64(s1, s2));
		uint64_t ab, c;
		x = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0xb1));
		ab = (uint64_t)_mm_cvtsi128_si64(_mm_shuffle_epi32(x, 0x08));
		c = (uint64_t)pois_pair[ab & 0xffff] | (uint64_t)pois_pair[ab >> 16 & 0xffff] << 16 |
		    (uint64_t)pois_pair[ab >> 32 & 0xffff] << 32 | (uint64_t)pois_pair[ab >> 48] << 48;
		st = s2;
		if (c & 0x8080808080808080ULL) {
			uint32_t xa = (uint32_t)ab, xb = (uint32_t)(ab >> 32), a = (uint32_t)c;
			uint32_t b = (uint32_t)(c >> 32);
			if (a & 0x80808080u) {
				/* the second value refines the first straddling
				 * byte; the next word comes after the refinements */
				int k = __builtin_ctz(a & 0x80808080u) & ~7;
				unsigned w = pois_refine(xa >> k & 0xff, xb);
				a = (a & ~((uint32_t)0xff << k)) | (uint32_t)w << k;
				a = pois_vfix(&st, xa, a);
				xb = taus_vget(&st);
				b = pois_pair[xb & 0xffff] | (uint32_t)pois_pair[xb >> 16] << 16;
			}
			b = pois_vfix(&st, xb, b);
			c = a | (uint64_t)b << 32;
		}
		memcpy(W + j, &c, sizeof(c)); /* x86: little-endian */
	}
	_mm_storeu_si128((__m128i *)lane, st);
	rng->s1 = lane[0];
	rng->s2 = lane[1];
	rng->s3 = lane[2];
	{
		/* byte i of the four label bytes spread over lanes 8i .. 8i+7,
		 * each lane testing its bit */
		const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
							2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
		const __m256i bits = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
		__m256i zero = _mm256_setzero_si256(), st8 = zero, sp8 = zero, mx = zero;
		const uint64_t ones = 0x0101010101010101ULL;
		uint64_t sumt = 0, sump = 0;
		uint8_t top[32];
		unsigned i;
		for (j = 0; j + 32 <= k8; j += 32) {
			int l4;
			__m256i w, m;
			memcpy(&l4, lab + (j >> 3), sizeof(l4));
			w = _mm256_loadu_si256((const __m256i *)(W + j));
			m = _mm256_shuffle_epi8(_mm256_set1_epi32(l4), spread);
			m = _mm256_cmpeq_epi8(_mm256_and_si256(m, bits), bits);
			st8 = _mm256_add_epi64(st8, _mm256_sad_epu8(w, zero));
			sp8 = _mm256_add_epi64(sp8, _mm256_sad_epu8(_mm256_and_si256(w, m), zero));
			mx = _mm256_max_epu8(mx, w);
		}
		_mm256_storeu_si256((__m256i *)top, mx);
		for (i = 0; i < 32; i++)
			*wmax = top[i] > *wmax ? top[i] : *wmax;
		for (; j < k8; j += 8) {
			uint64_t w8 = load8(W + j), m = lab_bytes[lab[j >> 3]];
			sumt += (w8 * ones) >> 56;
			sump += ((w8 & m) * ones) >> 56;
			for (i = 0; i < 8; i++)
				*wmax = W[j + i] > *wmax ? W[j + i] : *wmax;
		}
		_mm256_storeu_si256((__m256i *)q, st8);
		sumt += q[0] + q[1] + q[2] + q[3];
		_mm256_storeu_si256((__m256i *)q, sp8);
		sump += q[0] + q[1] + q[2] + q[3];
		*ht += sumt;
		*hp += sump;
	}
}
#endif


/* Resampling counts for group g of S: within each of its two label cells
 * of m records, m draws with replacement. They are drawn as independent
 * Poisson(1) counts, which given their total are multinomial, then brought
 * to the exact total m by adding uniform draws or removing uniformly chosen
 * draws; the result is exactly Multinomial(m; 1/m, ..., 1/m).
 *
 * Eight counts are drawn at a time (two values of the generator) and
 * summed by label with byte arithmetic: each count is at most 16, so eight
 * of them sum below 256. Returns whether every count is at most 31. */
static int stratified_weights(const stratum *S, size_t g, taus *rng, uint8_t *W)
{
	size_t ng = S->n[g], k8 = ng & ~(size_t)7, j = k8;
	const uint8_t *lab = S->lbits + S->lbit_at[g];
	const uint32_t *minor = S->minor_rows + S->minor_start[g];
	size_t nminor = S->minor_start[g + 1] - S->minor_start[g];
	uint32_t minor_label = S->npos[g] * 2 < ng ? 1 : 0;
	uint64_t have[2] = {0, 0}, hp = 0, ht = 0;
	/* the largest count so far, at least 1 (removals accept a draw with
	 * probability count / maxw, which must stay at most 1) */
	unsigned maxw = 1, c;
	uint64_t magic_w = 0;
	int small = 1; /* every count drawn is at most 16 */
	/* a local copy: the stores to W could otherwise alias the state */
	taus t = *rng;

#if FA_HAVE_AVX2
	if (have_avx2)
		draw_counts_avx2(&t, lab, W, k8, &ht, &hp, &maxw);
	else
#endif
		draw_counts(&t, lab, W, k8, &ht, &hp, &maxw);
	while (j < ng) {
		unsigned nb = ng - j < 4 ? (unsigned)(ng - j) : 4, k;
		uint32_t a = pois_word(&t, taus_get(&t), nb);
		for (k = 0; k < nb; k++, j++) {
			W[j] = (uint8_t)(a >> (8 * k));
			ht += W[j];
			hp += W[j] & (0 - (lab[j >> 3] >> (j & 7) & 1));
			maxw = W[j] > maxw ? W[j] : maxw;
		}
	}
	have[0] = ht - hp;
	have[1] = hp;
	for (c = 0; c < 2; c++) {
		size_t m = c ? S->npos[g] : ng - S->npos[g];
		int listed = nminor && c == minor_label;
		uint64_t magic_m = m ? div_magic(0xffffffffu / (uint32_t)m) : 0;
		uint64_t magic_n = div_magic(0xffffffffu / (uint32_t)ng);
		if (m == 0)
			continue;
		while (have[c] != m) {
			/* a uniformly chosen record of cell c */
			size_t k;
			if (listed) {
				k = minor[taus_below(&t, (uint32_t)m, magic_m)];
			} else {
				do
					k = taus_below(&t, (uint32_t)ng, magic_n);
				while ((lab[k >> 3] >> (k & 7) & 1) != c);
			}
			if (have[c] < m) {
				if (W[k] < 255) {
					W[k]++;
					have[c]++;
					maxw = W[k] > maxw ? W[k] : maxw;
					if (W[k] > 31)
						small = 0;
				}
				continue;
			}
			if (!magic_w)
				magic_w = div_magic(0xffffffffu / maxw);
			if (W[k] && taus_below(&t, maxw, magic_w) < W[k]) {
				/* accepted with probability count / maxw: a
				 * uniformly chosen draw among the cell's draws */
				W[k]--;
				have[c]--;
			}
		}
	}
	*rng = t;
	return small;
}

/* Resampling counts with --cluster: the group's k clusters are drawn k
 * times with replacement (multinomial counts, drawn as Poisson(1) and
 * corrected to the exact total as in stratified_weights), and every record
 * takes its cluster's count, so the records of one cluster move together.
 * Returns whether every count is at most 31. */
static int cluster_weights(const stratum *S, size_t g, taus *rng, uint8_t *W, uint32_t *C)
{
	size_t lo = S->gstart[g], ng = S->n[g], k = S->nclusters[g], j;
	uint64_t have = 0;
	unsigned maxc = 1;
	taus t = *rng;

	for (j = 0; j < k; j += 4) {
		unsigned nb = k - j < 4 ? (unsigned)(k - j) : 4, b;
		uint32_t a = pois_word(&t, taus_get(&t), nb);
		for (b = 0; b < nb; b++) {
			unsigned w = a >> (8 * b) & 0xff;
			C[j + b] = w;
			maxc = w > maxc ? w : maxc;
			have += w;
		}
	}
	while (have != k) {
		size_t c = taus_uniform_int(&t, (uint32_t)k);
		if (have < k) {
			C[c]++;
			have++;
			maxc = C[c] > maxc ? C[c] : maxc;
		} else if (C[c] && taus_uniform_int(&t, maxc) < C[c]) {
			C[c]--;
			have--;
		}
	}
	for (j = 0; j < ng; j++) {
		uint32_t c = C[S->ccode[lo + j]];
		W[j] = (uint8_t)(c < 255 ? c : 255);
	}
	*rng = t;
	return maxc <= 31;
}

typedef struct worker {
	engine *E;
	int is_main;
} worker;

static void store_metrics(engine *E, size_t view, size_t a, size_t g, size_t r,
			  const fa_acc *acc)
{
	double v[M];
	const char *why[M];
	size_t m;
	double *reps = E->reps[view * E->nst + a];

	fa_acc_metrics(acc, E->probabilities, v, why);
	for (m = 0; m < M; m++)
		reps[(g * M + m) * E->B + r] = v[m];
}

/* ---- operating points ---------------------------------------------------- */

/* The threshold of a view over records by ascending score: positions
 * [0, n) of `at` (NULL: all records) with weights W by score position
 * (NULL: 1). spec: the smallest score s with (negatives below s) >=
 * target x negatives; sens: the largest score s with (positives at or
 * above s) >= target x positives; INFINITY when no score reaches it. */
static double choose_threshold(const engine *E, int kind, double target, const uint32_t *at,
			       size_t n, const uint8_t *W)
{
	uint64_t npos = 0, nneg = 0, cum = 0;
	size_t k;
	double need;

	if (kind == VIEW_THRESHOLD)
		return target;
	for (k = 0; k < n; k++) {
		size_t i = at ? at[k] & ~LABEL_BIT : k;
		uint64_t w = W ? W[i] : 1;
		if (E->y[i])
			npos += w;
		else
			nneg += w;
	}
	/* integer counts against target x total, with room for the rounding
	 * of target (0.9 x 10 must reach 9) */
	if (kind == VIEW_SPEC) {
		need = target * (double)nneg - 1e-9 * (double)nneg;
		for (k = 0; k < n; k++) {
			size_t i = at ? at[k] & ~LABEL_BIT : k;
			size_t p = k ? (at ? at[k - 1] & ~LABEL_BIT : k - 1) : 0;
			if ((k == 0 || E->s[i] != E->s[p]) && (double)cum >= need)
				return E->s[i];
			if (!E->y[i])
				cum += W ? W[i] : 1;
		}
		return INFINITY;
	}
	need = target * (double)npos - 1e-9 * (double)npos;
	for (k = n; k-- > 0;) {
		size_t i = at ? at[k] & ~LABEL_BIT : k;
		size_t p = k ? (at ? at[k - 1] & ~LABEL_BIT : k - 1) : 0;
		if (E->y[i])
			cum += W ? W[i] : 1;
		if ((k == 0 || E->s[p] != E->s[i]) && (double)cum >= need)
			return E->s[i];
	}
	return INFINITY;
}

/* Group g's accumulator with the decisions taken at threshold t: the
 * counts of its records (weights W relative to the group start, NULL: 1)
 * with score >= t. */
static void acc_at(const engine *E, const stratum *S, size_t g, const uint8_t *W, double t,
		   const fa_acc *main, fa_acc *out)
{
	size_t lo = S->gstart[g], hi = S->gstart[g + 1], j;
	size_t from = group_lower_bound(E, S, lo, hi, t);
	uint64_t tp = 0, fp = 0;

	for (j = from; j < hi; j++) {
		uint64_t w = W ? W[j - lo] : 1;
		if (S->idx[j] & LABEL_BIT)
			tp += w;
		else
			fp += w;
	}
	*out = *main;
	out->tp = tp;
	out->fp = fp;
}

/* The other models' passes over group g of stratum a in replicate r: each
 * record takes the count W0 gave it in engine 0's layout, so every model
 * sees the same resample of the records. */
static void replicate_models(const engine *E0, size_t a, size_t g, size_t r, const uint8_t *W0,
                             int small, uint8_t *Wk)
{
	size_t k, j;

	for (k = 1; k < E0->nmodels; k++) {
		engine *E = E0->models[k];
		const stratum *S = &E->st[a];
		const uint32_t *map = E->map[a] + S->gstart[g];
		fa_acc x;
		for (j = 0; j < S->n[g]; j++)
			Wk[j] = W0[map[j]];
		group_pass(E, S, g, Wk, small, &x);
		store_metrics(E, 0, a, g, r, &x);
	}
}

/* A worker's buffers, allocated once for all its replicates. */
typedef struct worker_buf {
	taus rng;
	uint8_t *W;    /* a stratum's counts, in its layout */
	uint8_t *Wpos; /* the same by score position (operating points) */
	uint8_t *Wk;   /* one group's counts in another model's layout */
	fa_acc *acc;   /* per group */
	pass *ps;      /* per group */
	int *small;    /* per group: every count at most 31 */
	uint32_t *C;   /* per cluster */
} worker_buf;

/* The Poisson weight of each record of group g, or of its cluster. */
static void poisson_weights(const engine *E, const stratum *S, size_t g, uint64_t rseed,
			    uint8_t *W)
{
	const uint32_t *idx = S->idx + S->gstart[g];
	size_t j;

	for (j = 0; j < S->n[g]; j++) {
		uint32_t at = idx[j] & ~LABEL_BIT;
		uint64_t unit = E->cluster ? 0x8000000000000000ULL | E->cluster[at]
					   : (uint64_t)E->key[at];
		uint64_t h = fa_mix64(rseed ^ fa_mix64(unit));
		W[j] = (uint8_t)poisson_inv((double)(h >> 11) * 0x1p-53);
	}
}

/* The passes over every group of S with the counts W, into acc. When the
 * scores outgrow the cache, the groups advance together one chunk of
 * score positions at a time: a group's positions in a chunk are a stretch
 * of its layout, and its scores, gathered from the chunk, are then read
 * from memory once for all the groups rather than once for each. */
static void stratum_passes(const engine *E, const stratum *S, const uint8_t *W, worker_buf *sc)
{
	size_t G = S->ngroups, g, c, k;

	if (G == 1 || S->nchunks == 1) {
		for (g = 0; g < G; g++)
			group_pass(E, S, g, W + S->gstart[g], sc->small[g], &sc->acc[g]);
		return;
	}
	for (g = 0; g < G; g++)
		pass_begin(E, S, g, W + S->gstart[g], sc->small[g], &sc->ps[g]);
	/* the largest group first: its dense walk brings the chunk in */
	for (c = 1; c <= S->nchunks; c++) {
		for (k = 0; k < G; k++) {
			g = S->by_size[k];
			pass_feed(E, S, g, W + S->gstart[g], S->cut[g * (S->nchunks + 1) + c],
				  &sc->ps[g]);
		}
	}
	for (g = 0; g < G; g++)
		pass_end(E, S, g, W + S->gstart[g], &sc->ps[g], &sc->acc[g]);
}

static void replicate(engine *E, size_t r, worker_buf *sc)
{
	size_t a, g, j, v;
	const fa_audit_options *o = E->o;
	uint64_t rseed = fa_mix64(o->seed ^ fa_mix64(r + 1));
	uint8_t *W = sc->W;

	if (o->scheme == FA_BOOT_STRATIFIED)
		taus_seed(&sc->rng, (uint32_t)(rseed & 0xffffffffUL));
	for (a = 0; a < E->nst; a++) {
		stratum *S = &E->st[a];
		/* every group's counts first, in the order the random
		 * stream has them, then the passes */
		for (g = 0; g < S->ngroups; g++) {
			uint8_t *Wg = W + S->gstart[g];
			if (o->scheme == FA_BOOT_STRATIFIED && S->ccode) {
				sc->small[g] = cluster_weights(S, g, &sc->rng, Wg, sc->C);
			} else if (o->scheme == FA_BOOT_STRATIFIED) {
				sc->small[g] = stratified_weights(S, g, &sc->rng, Wg);
			} else {
				poisson_weights(E, S, g, rseed, Wg);
				sc->small[g] = 1;
			}
		}
		stratum_passes(E, S, W, sc);
		for (g = 0; g < S->ngroups; g++) {
			store_metrics(E, 0, a, g, r, &sc->acc[g]);
			if (E->nmodels > 1)
				replicate_models(E, a, g, r, W + S->gstart[g], sc->small[g], sc->Wk);
		}
		if (E->nviews < 2)
			continue;
		for (j = 0; j < E->n; j++)
			sc->Wpos[S->idx[j] & ~LABEL_BIT] = W[j];
		for (v = 1; v < E->nviews; v++) {
			double t = choose_threshold(E, E->vkind[v], E->vtarget[v], NULL, E->n, sc->Wpos);
			if (a == 0)
				E->thr_reps[v * E->B + r] = isinf(t) ? NAN : t;
			for (g = 0; g < S->ngroups; g++) {
				fa_acc x;
				acc_at(E, S, g, W + S->gstart[g], t, &sc->acc[g], &x);
				store_metrics(E, v, a, g, r, &x);
			}
		}
	}
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	engine *E = w->E;
	size_t r, a, maxg = 1;
	worker_buf sc;

	for (a = 0; a < E->nst; a++)
		maxg = E->st[a].ngroups > maxg ? E->st[a].ngroups : maxg;
	memset(&sc, 0, sizeof(sc));
	/* 8 bytes to spare: tie_correction reads four counts at a time */
	sc.W = fa_xcalloc(E->n + 8, 1);
	sc.Wpos = E->nviews > 1 ? fa_xmalloc(E->n ? E->n : 1) : NULL;
	sc.Wk = E->nmodels > 1 ? fa_xcalloc(E->maxgroup + 8, 1) : NULL;
	sc.acc = fa_xmalloc(maxg * sizeof(fa_acc));
	sc.ps = fa_xmalloc(maxg * sizeof(pass));
	sc.small = fa_xmalloc(maxg * sizeof(int));
	sc.C = fa_xmalloc((E->maxclusters ? E->maxclusters : 1) * sizeof(uint32_t));
	/* replicates are handed out one at a time, so a thread the machine
	 * slows down takes fewer; replicate r is the same whoever draws it */
	while ((r = atomic_fetch_add(&E->next, 1)) < E->B) {
		replicate(E, r, &sc);
		atomic_fetch_add(&E->done, 1);
		if (w->is_main && E->o->progress)
			E->o->progress(E->o->progress_ctx, atomic_load(&E->done), E->B);
	}
	free(sc.W);
	free(sc.Wpos);
	free(sc.Wk);
	free(sc.acc);
	free(sc.ps);
	free(sc.small);
	free(sc.C);
	return NULL;
}

static void run_bootstrap(engine *E)
{
	unsigned T = E->o->threads, t;
	pthread_t *th;
	worker *ws;
	int *started;

	pthread_once(&pois_once, pois_table_init);
	if (T == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		T = c > 0 ? (unsigned)c : 1;
	}
	if (T > E->B)
		T = (unsigned)E->B;
	if (T == 0)
		T = 1;
	th = fa_xcalloc(T, sizeof(*th));
	ws = fa_xcalloc(T, sizeof(*ws));
	started = fa_xcalloc(T, sizeof(*started));
	for (t = 0; t < T; t++) {
		ws[t].E = E;
		ws[t].is_main = t == 0;
	}
	for (t = 1; t < T; t++)
		started[t] = pthread_create(&th[t], NULL, worker_main, &ws[t]) == 0;
	/* the calling thread draws replicates too, and every replicate a
	 * thread that could not start would have drawn */
	worker_main(&ws[0]);
	for (t = 1; t < T; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	if (E->o->progress)
		E->o->progress(E->o->progress_ctx, E->B, E->B);
	free(th);
	free(ws);
	free(started);
}

/* ---- derived quantities ----------------------------------------------- */

static const char R_NOT_ELIGIBLE[] = "group is left out of comparisons (insufficient or suppressed)";
static const char R_IS_REF[] = "this is the reference group";
static const char R_UNDEF_PAIR[] = "metric undefined in this group or in the reference";
static const char R_REF_ZERO[] = "reference value is 0";
static const char R_FEW_GROUPS[] = "fewer than two eligible groups with a defined value";
static const char R_MAX_ZERO[] = "largest value is 0";
static const char R_SUPPRESSED[] = "withheld: group smaller than --suppress-below";

/* Quantities derived from a G x M table of group values `v`. */
typedef struct derived {
	double *diff, *ratio; /* G x M */
	double gap[4][M];     /* gap, ratio, min, max */
	double summary[FA_S__COUNT];
	long best[M], worst[M];
} derived;

enum { D_GAP = 0, D_RATIO, D_MIN, D_MAX };

/* `use[g * M + m]` says whether group g takes part in metric m's gap. */
static void derive(const double *v, size_t G, const uint8_t *eligible, const uint8_t *use,
		   long ref, derived *d)
{
	size_t g;
	int m;

	for (m = 0; m < M; m++) {
		double lo = INFINITY, hi = -INFINITY;
		long ilo = -1, ihi = -1;
		size_t k = 0;
		int bad = 0;
		for (g = 0; g < G; g++) {
			double x = v[g * M + m];
			double rv = ref >= 0 ? v[(size_t)ref * M + m] : NAN;
			d->diff[g * M + m] = eligible[g] && ref >= 0 && (long)g != ref ? x - rv : NAN;
			d->ratio[g * M + m] =
				eligible[g] && ref >= 0 && (long)g != ref && rv != 0 ? x / rv : NAN;
			if (!use[g * M + m])
				continue;
			if (isnan(x)) {
				bad = 1;
				continue;
			}
			k++;
			if (x < lo) {
				lo = x;
				ilo = (long)g;
			}
			if (x > hi) {
				hi = x;
				ihi = (long)g;
			}
		}
		if (bad || k < 2) {
			d->gap[D_GAP][m] = d->gap[D_RATIO][m] = d->gap[D_MIN][m] =
				d->gap[D_MAX][m] = NAN;
			d->best[m] = d->worst[m] = -1;
			continue;
		}
		d->gap[D_GAP][m] = hi - lo;
		d->gap[D_RATIO][m] = hi != 0 ? lo / hi : NAN;
		d->gap[D_MIN][m] = lo;
		d->gap[D_MAX][m] = hi;
		switch (fa_metric_direction((fa_metric)m)) {
		case 1: d->best[m] = ihi; d->worst[m] = ilo; break;
		case 0: d->best[m] = ilo; d->worst[m] = ihi; break;
		default: d->best[m] = d->worst[m] = -1; break;
		}
	}
	{
		double tg = d->gap[D_GAP][FA_M_TPR], fg = d->gap[D_GAP][FA_M_FPR];
		d->summary[FA_S_EQUALIZED_ODDS_DIFF] = isnan(tg) || isnan(fg) ? NAN : (tg > fg ? tg : fg);
	}
	d->summary[FA_S_DEMOGRAPHIC_PARITY_DIFF] = d->gap[D_GAP][FA_M_SELECTION_RATE];
	d->summary[FA_S_DISPARATE_IMPACT] = d->gap[D_RATIO][FA_M_SELECTION_RATE];
	d->summary[FA_S_WORST_GROUP_AUC] = d->gap[D_MIN][FA_M_AUC];
}

/* Order statistic k (from 0) of x[0..n), left at x[k] with everything
 * before it <= and everything after it >= (Hoare's selection, median of
 * three as the pivot): a quantile needs two order statistics, not the
 * whole sort. */
static void select_kth(double *x, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;

	while (hi > lo) {
		ptrdiff_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double p, t;
#define SWAP_(a, b) (t = x[a], x[a] = x[b], x[b] = t)
		if (x[mid] < x[lo])
			SWAP_(mid, lo);
		if (x[hi] < x[lo])
			SWAP_(hi, lo);
		if (x[hi] < x[mid])
			SWAP_(hi, mid);
		p = x[mid];
		while (i <= j) {
			while (x[i] < p)
				i++;
			while (x[j] > p)
				j--;
			if (i <= j) {
				SWAP_(i, j);
				i++;
				j--;
			}
		}
#undef SWAP_
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			return;
	}
}

/* The f-quantile of the n > 0 values x (reordered), by R's type 7 rule
 * exactly as gsl_stats_quantile_from_sorted_data computes it from the
 * sorted values. */
static double quantile7(double *x, size_t n, double f)
{
	const double index = f * (double)(n - 1);
	const size_t lhs = (size_t)(int)index;
	const double delta = index - (double)lhs;
	double a, b;
	size_t i;

	select_kth(x, n, lhs);
	a = x[lhs];
	if (lhs == n - 1)
		return a;
	for (b = x[lhs + 1], i = lhs + 2; i < n; i++)
		b = x[i] < b ? x[i] : b;
	return (1 - delta) * a + delta * b;
}

/* Percentile interval (R type 7) of the defined values in xs[0..B). */
/* Bootstrap interval of the defined values in xs[0..B) (reordered):
 * percentile (R type 7 quantiles) when `accel` is NaN, else BCa with that
 * acceleration and the bias correction z0 from the share of replicates
 * below the point estimate (Efron 1987). BCa falls back to the percentile
 * interval when z0 is infinite (every replicate on one side). */
static void interval(fa_estimate *e, double *xs, size_t B, double level, double accel)
{
	size_t k = 0, r, below = 0, equal = 0;
	double lo = (1 - level) / 2, hi = (1 + level) / 2;

	e->has_ci = 0;
	e->ci_dropped = 0;
	if (B == 0 || isnan(e->value))
		return;
	for (r = 0; r < B; r++)
		if (!isnan(xs[r]))
			xs[k++] = xs[r];
	e->ci_dropped = B - k;
	if (k == 0)
		return;
	if (!isnan(accel)) {
		double p0, z0, zl, zh, dl, dh;
		for (r = 0; r < k; r++) {
			below += xs[r] < e->value;
			equal += xs[r] == e->value;
		}
		p0 = ((double)below + 0.5 * (double)equal) / (double)k;
		if (p0 > 0 && p0 < 1) {
			z0 = gsl_cdf_ugaussian_Pinv(p0);
			zl = gsl_cdf_ugaussian_Pinv(lo);
			zh = gsl_cdf_ugaussian_Pinv(hi);
			dl = 1 - accel * (z0 + zl);
			dh = 1 - accel * (z0 + zh);
			if (dl > 0 && dh > 0) {
				lo = gsl_cdf_ugaussian_P(z0 + (z0 + zl) / dl);
				hi = gsl_cdf_ugaussian_P(z0 + (z0 + zh) / dh);
			}
		}
	}
	e->ci_low = quantile7(xs, k, lo);
	e->ci_high = quantile7(xs, k, hi);
	e->has_ci = 1;
}

/* ---- jackknife acceleration for BCa ------------------------------------- */

/* Running sums of d = (leave-one-out value - full-sample value), from
 * which the acceleration follows without cancellation. */
typedef struct moments {
	double n, s1, s2, s3;
} moments;

static void moments_add(moments *mo, double d)
{
	if (isnan(d))
		return;
	mo->n++;
	mo->s1 += d;
	mo->s2 += d * d;
	mo->s3 += d * d * d;
}

/* a = sum (mean - x_i)^3 / (6 (sum (mean - x_i)^2)^(3/2)); NaN if undefined */
static double moments_accel(const moments *mo)
{
	double m, c2, c3;
	if (mo->n < 2)
		return NAN;
	m = mo->s1 / mo->n;
	c2 = mo->s2 - mo->n * m * m;
	c3 = mo->s3 - 3 * m * mo->s2 + 2 * mo->n * m * m * m;
	if (!(c2 > 0))
		return 0;
	return -c3 / (6 * pow(c2, 1.5));
}

/* Leave-one-out metric vectors of group g, one record at a time, passed to
 * `each(ctx, j, v)`. A record's removal changes the counts by its label
 * and decision, the AUC numerator by the pairs it takes part in, the Brier
 * sum and its calibration bin by its own terms. */
static void group_jackknife(const engine *E, const stratum *S, size_t g, const fa_acc *acc,
			    void (*each)(void *ctx, const double *v), void *ctx)
{
	size_t lo = S->gstart[g], hi = S->gstart[g + 1], j = lo, k;
	uint64_t P = acc->wpos, pos_below = 0, neg_below = 0;
	double thr = E->o->threshold, v[M];
	const char *why[M];

	while (j < hi) {
		double s = E->s[S->idx[j] & ~LABEL_BIT];
		uint64_t rp = 0, rn = 0;
		size_t end = j;
		while (end < hi && E->s[S->idx[end] & ~LABEL_BIT] == s) {
			if (S->idx[end] & LABEL_BIT)
				rp++;
			else
				rn++;
			end++;
		}
		for (k = j; k < end; k++) {
			uint32_t at = S->idx[k] & ~LABEL_BIT;
			int y = (S->idx[k] & LABEL_BIT) != 0;
			int dec = E->d ? E->d[at] : s >= thr;
			fa_acc x = *acc;
			int b = 0;
			if (y) {
				x.wpos--;
				x.tp -= (uint64_t)dec;
				x.auc2 -= 2 * neg_below + rn;
			} else {
				x.wneg--;
				x.fp -= (uint64_t)dec;
				x.auc2 -= 2 * (P - pos_below - rp) + rp;
			}
			x.brier -= (s - y) * (s - y);
			if (E->probabilities) {
				while (b + 1 < FA_ECE_BINS && s >= (double)(b + 1) / 10.0)
					b++;
				x.bin_w[b]--;
				x.bin_pos[b] -= (uint64_t)y;
				x.bin_s[b] -= s;
			}
			fa_acc_metrics(&x, E->probabilities, v, why);
			each(ctx, v);
		}
		pos_below += rp;
		neg_below += rn;
		j = end;
	}
}

typedef struct jk_ctx {
	size_t G, g;
	const double *point;  /* G x M point values */
	double *vals;         /* scratch G x M */
	const uint8_t *eligible, *use;
	long ref;
	derived *P, *D;
	moments *metric;      /* G x M */
	moments *diff, *ratio; /* G x M */
	moments *gap;         /* 4 x M */
	moments *summary;     /* FA_S__COUNT */
	int attr;             /* 0 for the whole population */
} jk_ctx;

static void jk_each(void *ctx, const double *v)
{
	jk_ctx *c = ctx;
	size_t g = c->g, h;
	int m, q;

	for (m = 0; m < M; m++)
		moments_add(&c->metric[g * M + m], v[m] - c->point[g * M + m]);
	if (!c->attr)
		return;
	memcpy(c->vals + g * M, v, M * sizeof(double));
	derive(c->vals, c->G, c->eligible, c->use, c->ref, c->D);
	memcpy(c->vals + g * M, c->point + g * M, M * sizeof(double));
	for (h = 0; h < c->G * M; h++) {
		moments_add(&c->diff[h], c->D->diff[h] - c->P->diff[h]);
		moments_add(&c->ratio[h], c->D->ratio[h] - c->P->ratio[h]);
	}
	for (q = 0; q < 4; q++)
		for (m = 0; m < M; m++)
			moments_add(&c->gap[q * M + m], c->D->gap[q][m] - c->P->gap[q][m]);
	for (q = 0; q < FA_S__COUNT; q++)
		moments_add(&c->summary[q], c->D->summary[q] - c->P->summary[q]);
}

static void point(fa_estimate *e, double v, const char *why)
{
	memset(e, 0, sizeof(*e));
	e->value = v;
	e->reason = isnan(v) ? why : NULL;
	e->p_value = e->p_adjusted = NAN;
}

/* Jackknife accelerations of every quantity of stratum a, for BCa; NaN
 * everywhere unless BCa intervals were asked for. */
typedef struct accels {
	double *metric, *diff, *ratio; /* G x M */
	double gap[4 * M];
	double summary[FA_S__COUNT];
} accels;

static void compute_accels(const engine *E, size_t view, size_t a, const fa_acc *acc,
			   const double *v,
			   const uint8_t *eligible, const uint8_t *use, long ref, derived *P,
			   int attr, accels *out)
{
	const stratum *S = &E->st[a];
	size_t G = S->ngroups, i;
	jk_ctx c;
	derived D;

	out->metric = fa_xmalloc(G * M * sizeof(double));
	out->diff = fa_xmalloc(G * M * sizeof(double));
	out->ratio = fa_xmalloc(G * M * sizeof(double));
	for (i = 0; i < G * M; i++)
		out->metric[i] = out->diff[i] = out->ratio[i] = NAN;
	for (i = 0; i < 4 * M; i++)
		out->gap[i] = NAN;
	for (i = 0; i < FA_S__COUNT; i++)
		out->summary[i] = NAN;
	/* the jackknife takes decisions at the main threshold: operating
	 * points get percentile intervals */
	if (E->o->bootstrap_ci != FA_BOOT_CI_BCA || E->B == 0 || view)
		return;
	memset(&c, 0, sizeof(c));
	c.G = G;
	c.point = v;
	c.vals = fa_xmalloc(G * M * sizeof(double));
	memcpy(c.vals, v, G * M * sizeof(double));
	c.eligible = eligible;
	c.use = use;
	c.ref = ref;
	c.P = P;
	c.attr = attr;
	D.diff = fa_xmalloc(G * M * sizeof(double));
	D.ratio = fa_xmalloc(G * M * sizeof(double));
	c.D = &D;
	c.metric = fa_xcalloc(G * M, sizeof(moments));
	c.diff = fa_xcalloc(G * M, sizeof(moments));
	c.ratio = fa_xcalloc(G * M, sizeof(moments));
	c.gap = fa_xcalloc(4 * M, sizeof(moments));
	c.summary = fa_xcalloc(FA_S__COUNT, sizeof(moments));
	for (c.g = 0; c.g < G; c.g++)
		group_jackknife(E, S, c.g, &acc[c.g], jk_each, &c);
	for (i = 0; i < G * M; i++) {
		out->metric[i] = moments_accel(&c.metric[i]);
		out->diff[i] = moments_accel(&c.diff[i]);
		out->ratio[i] = moments_accel(&c.ratio[i]);
	}
	for (i = 0; i < 4 * M; i++)
		out->gap[i] = moments_accel(&c.gap[i]);
	for (i = 0; i < FA_S__COUNT; i++)
		out->summary[i] = moments_accel(&c.summary[i]);
	free(c.vals);
	free(D.diff);
	free(D.ratio);
	free(c.metric);
	free(c.diff);
	free(c.ratio);
	free(c.gap);
	free(c.summary);
}

static void accels_free(accels *x)
{
	free(x->metric);
	free(x->diff);
	free(x->ratio);
}

/* The simultaneous interval of metric m's gap (see fa_gap in result.h):
 * `reps` are the stratum's replicate values [(g * M + m) * B + r]. */
static void gap_simultaneous(fa_gap *gp, const double *reps, size_t G, int m, size_t B,
			     const uint8_t *use, double level)
{
	fa_estimate *e = &gp->gap_simultaneous;
	size_t i, j, r, pairs = 0, k;
	double lo = 0, hi = 0, alpha, *d;

	*e = gp->gap;
	e->has_ci = 0;
	e->has_aci = 0;
	if (isnan(gp->gap.value) || !reps || B == 0)
		return;
	for (i = 0; i < G; i++)
		for (j = i + 1; j < G; j++)
			pairs += use[i * M + m] && use[j * M + m];
	if (pairs == 0 || pairs > 5000)
		return;
	alpha = (1 - level) / (double)pairs;
	d = fa_xmalloc(B * sizeof(double));
	for (i = 0; i < G; i++)
		for (j = i + 1; j < G; j++) {
			double a, b;
			if (!use[i * M + m] || !use[j * M + m])
				continue;
			for (r = 0, k = 0; r < B; r++) {
				double x = reps[(i * M + (size_t)m) * B + r] - reps[(j * M + (size_t)m) * B + r];
				if (!isnan(x))
					d[k++] = x;
			}
			if (k == 0) {
				free(d);
				return;
			}
			a = quantile7(d, k, alpha / 2);
			b = quantile7(d, k, 1 - alpha / 2);
			/* bounds on |difference| */
			lo = fmax(lo, a > 0 ? a : b < 0 ? -b : 0);
			hi = fmax(hi, fmax(fabs(a), fabs(b)));
		}
	free(d);
	e->has_ci = 1;
	e->ci_low = lo;
	e->ci_high = hi;
}

/* The max - min gap less its bootstrap estimate of bias (the mean of the
 * replicate gaps minus the gap), floored at 0; its interval is the
 * percentile interval shifted by the same amount. `reps` are the replicate
 * gaps (NaN where undefined). */
static void gap_corrected(fa_gap *gp, const double *reps, size_t B, double level)
{
	fa_estimate *e = &gp->gap_corrected;
	double sum = 0, bias;
	size_t k = 0, r;

	*e = gp->gap;
	e->has_ci = 0;
	e->has_aci = 0;
	if (isnan(gp->gap.value) || !reps) {
		if (!isnan(gp->gap.value)) {
			e->value = NAN;
			e->reason = "needs bootstrap replicates";
		}
		return;
	}
	for (r = 0; r < B; r++)
		if (!isnan(reps[r])) {
			sum += reps[r];
			k++;
		}
	if (k == 0) {
		e->value = NAN;
		e->reason = "no bootstrap replicate defined";
		return;
	}
	bias = sum / (double)k - gp->gap.value;
	e->value = fmax(0, gp->gap.value - bias);
	if (gp->gap.has_ci) {
		e->has_ci = 1;
		e->ci_low = fmax(0, gp->gap.ci_low - bias);
		e->ci_high = fmax(0, gp->gap.ci_high - bias);
	}
	(void)level;
}

/* ---- assembling the result --------------------------------------------- */

static char *dupnull(const char *s)
{
	return s ? fa_xstrdup(s) : NULL;
}

/* The settings every audit records, from its options. */
static void fill_settings(fa_result *R, const fa_audit_options *o, int probabilities)
{
	R->tool_version = fa_xstrdup(FA_VERSION_STRING);
	R->settings.threshold = o->threshold;
	R->settings.min_n = o->min_n;
	R->settings.suppress_below = o->suppress_below;
	R->settings.bootstrap = o->ci_method == FA_CI_ANALYTIC ? 0 : o->bootstrap;
	R->settings.ci_level = o->ci_level;
	R->settings.seed = o->seed;
	R->settings.scheme = fa_xstrdup(o->scheme == FA_BOOT_POISSON ? "poisson" : "stratified");
	R->settings.gate_on = fa_xstrdup("point");
	R->settings.probabilities = probabilities;
	R->settings.ci_method = fa_xstrdup(o->ci_method == FA_CI_ANALYTIC    ? "analytic"
					   : o->ci_method == FA_CI_BOOTSTRAP ? "bootstrap"
									     : "both");
	R->settings.bootstrap_ci = fa_xstrdup(o->bootstrap_ci == FA_BOOT_CI_BCA ? "bca" : "percentile");
	R->settings.permutations = o->permutations;
	R->settings.cluster_column = o->cluster_column ? fa_xstrdup(o->cluster_column) : NULL;
	R->settings.p_adjust = fa_xstrdup(o->p_adjust == FA_P_ADJUST_BH ? "bh" : "holm");
}

static void add_warning(fa_result *R, char *w)
{
	R->warnings = fa_xrealloc(R->warnings, (R->nwarnings + 1) * sizeof(char *));
	R->warnings[R->nwarnings++] = w;
}

static void fill_provenance(fa_result *R, const fa_table *t, const fa_audit_options *o,
			    int probabilities)
{
	size_t i, k = 0;

	fill_settings(R, o, probabilities);
	R->nfiles = fa_table_file_count(t);
	R->files = fa_xcalloc(R->nfiles ? R->nfiles : 1, sizeof(fa_file_info));
	for (i = 0; i < R->nfiles; i++) {
		const fa_input_file *f = fa_table_file(t, i);
		R->files[i].path = fa_xstrdup(f->path);
		memcpy(R->files[i].sha256, f->sha256, 65);
		R->files[i].format = fa_xstrdup(f->format ? f->format : "csv");
		R->files[i].gzip = f->gzip;
		R->files[i].bytes = f->bytes;
		R->files[i].rows = f->rows;
	}
	R->rows_read = fa_table_rows_read(t);
	R->rows_used = fa_table_rows(t);
	R->rows_dropped = fa_table_rows_dropped(t);
	R->drops = fa_xcalloc(FA_DROP__COUNT, sizeof(fa_drop_count));
	for (i = 0; i < FA_DROP__COUNT; i++)
		if (fa_table_drops(t, (fa_drop_reason)i)) {
			R->drops[k].reason = fa_xstrdup(fa_drop_reason_name((fa_drop_reason)i));
			R->drops[k++].count = fa_table_drops(t, (fa_drop_reason)i);
		}
	R->ndrops = k;
	R->settings.label_column = fa_xstrdup(fa_table_label_column(t));
	R->settings.score_column = fa_xstrdup(fa_table_score_column(t));
	R->settings.pred_column = dupnull(fa_table_pred_column(t));
	{
		size_t repeats = 0;
		const char *probe = fa_table_probe(t, &repeats);
		if (probe && repeats && !o->cluster_column)
			add_warning(R, fa_xasprintf(
			    "column \"%s\" repeats ids (%zu records share an id with an earlier one): "
			    "records of one patient are correlated, so intervals that treat them as "
			    "independent may be too narrow; give --cluster %s",
			    probe, repeats, probe));
	}
}

/* The ROC curve and calibration bins of group g, for the HTML report.
 * The curve walks the group's records from the highest score down, adding
 * a vertex when the score changes and it lies at least 1/100 (|dFPR| +
 * |dTPR|) from the last vertex kept; the vertex of the decision threshold
 * and (1, 1) are always kept, so at most FA_CURVE_MAX_POINTS remain. */
static void group_curves(const engine *E, const stratum *S, size_t g, const fa_acc *acc,
			 fa_group_curves *out)
{
	size_t lo = S->gstart[g], j = S->gstart[g + 1], b;
	uint64_t tp = 0, fp = 0, np = acc->wpos, nn = acc->wneg;
	double last = NAN, thr = E->d ? NAN : E->o->threshold;
	fa_curve *c = &out->roc;

	memset(out, 0, sizeof(*out));
	if (E->probabilities) {
		out->has_calib = 1;
		for (b = 0; b < FA_CALIB_BINS; b++) {
			out->calib.count[b] = acc->bin_w[b];
			out->calib.mean_score[b] = acc->bin_w[b] ? acc->bin_s[b] / (double)acc->bin_w[b] : NAN;
			out->calib.observed[b] =
				acc->bin_w[b] ? (double)acc->bin_pos[b] / (double)acc->bin_w[b] : NAN;
		}
	}
	if (!np || !nn)
		return;
	c->fpr = fa_xmalloc(FA_CURVE_MAX_POINTS * sizeof(double));
	c->tpr = fa_xmalloc(FA_CURVE_MAX_POINTS * sizeof(double));
	c->fpr[0] = c->tpr[0] = 0;
	c->n = 1;
	while (j-- > lo) {
		uint32_t v = S->idx[j];
		double s = E->s[v & ~LABEL_BIT];
		if (s != last && !isnan(last)) {
			double f = (double)fp / (double)nn, t = (double)tp / (double)np;
			int force = last >= thr && s < thr;
			if ((force || fabs(f - c->fpr[c->n - 1]) + fabs(t - c->tpr[c->n - 1]) >= 0.01) &&
			    c->n < FA_CURVE_MAX_POINTS - 1) {
				c->fpr[c->n] = f;
				c->tpr[c->n++] = t;
			}
		}
		last = s;
		if (v & LABEL_BIT)
			tp++;
		else
			fp++;
	}
	c->fpr[c->n] = 1;
	c->tpr[c->n++] = 1;
}

/* Fill one attribute's result from its point values and replicates. */
static void fill_attr(engine *E, size_t view, size_t a, fa_attr_result *A,
		      fa_group_result *groups, const fa_acc *acc, const char *ref_spec,
		      fa_error *err, int *rc)
{
	stratum *S = &E->st[a];
	const double *reps = E->reps ? E->reps[view * E->nst + a] : NULL;
	size_t G = S->ngroups, g, r, B = E->B;
	int m, q;
	double *v = fa_xmalloc(G * M * sizeof(double));
	const char **why = fa_xmalloc(G * M * sizeof(char *));
	uint8_t *eligible = fa_xcalloc(G, 1), *use = fa_xcalloc(G * M, 1);
	derived P, D;
	double *xs = fa_xmalloc((B ? B : 1) * sizeof(double));
	double *dreps_diff = NULL, *dreps_ratio = NULL, *dreps_gap = NULL, *dreps_sum = NULL;
	double *rv = fa_xmalloc(G * M * sizeof(double));
	long ref = -1;
	const fa_audit_options *o = E->o;
	accels ax;

	memset(&ax, 0, sizeof(ax));
	for (g = 0; g < G; g++) {
		fa_group_result *gr = &groups[g];
		size_t c;
		fa_acc_metrics(&acc[g], E->probabilities, v + g * M, why + g * M);
		gr->value = fa_xstrdup(S->value ? S->value[g] : "overall");
		gr->nlevels = S->levels ? S->ncolumns : 0;
		gr->levels = fa_xcalloc(gr->nlevels ? gr->nlevels : 1, sizeof(char *));
		for (c = 0; c < gr->nlevels; c++)
			gr->levels[c] = fa_xstrdup(S->levels[g][c]);
		gr->n = S->n[g];
		gr->n_clusters = S->nclusters ? S->nclusters[g] : 0;
		gr->n_pos = acc[g].wpos;
		gr->n_neg = acc[g].wneg;
		gr->tp = acc[g].tp;
		gr->fp = acc[g].fp;
		gr->fn = acc[g].wpos - acc[g].tp;
		gr->tn = acc[g].wneg - acc[g].fp;
		if (a > 0 && o->suppress_below && gr->n < o->suppress_below)
			gr->status = FA_GROUP_SUPPRESSED;
		else if (a > 0 && gr->n < o->min_n)
			gr->status = FA_GROUP_INSUFFICIENT;
		else
			gr->status = FA_GROUP_OK;
		eligible[g] = gr->status == FA_GROUP_OK;
		for (m = 0; m < M; m++)
			use[g * M + m] = eligible[g] && !isnan(v[g * M + m]);
		gr->own_threshold = NAN;
		if (gr->status != FA_GROUP_SUPPRESSED && view == 0)
			group_curves(E, S, g, &acc[g], &gr->curves);
	}
	if (!A) {
		/* the whole population */
		compute_accels(E, view, a, acc, v, eligible, use, -1, NULL, 0, &ax);
		for (m = 0; m < M; m++) {
			point(&groups[0].metrics[m], v[m], why[m]);
			for (r = 0; r < B; r++)
				xs[r] = reps[(size_t)m * B + r];
			interval(&groups[0].metrics[m], xs, B, o->ci_level, ax.metric[m]);
		}
		fa_inference_attr(E, a, NULL, groups, eligible, -1, (int)view);
		goto done;
	}
	/* the reference group: named, or the largest eligible group */
	if (ref_spec) {
		for (g = 0; g < G; g++)
			if (strcmp(S->value[g], ref_spec) == 0)
				ref = (long)g;
		if (ref < 0) {
			fa_buf b = FA_BUF_INIT;
			for (g = 0; g < G && g < 30; g++)
				fa_buf_printf(&b, "%s\"%s\"", g ? ", " : "", S->value[g]);
			*rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					   "--reference %s=%s: no such group; the groups are %s",
					   S->name, ref_spec, b.ptr ? b.ptr : "(none)");
			fa_buf_free(&b);
			goto done;
		}
		if (!eligible[ref]) {
			A->reference_reason = "the named reference group is insufficient or suppressed";
			ref = -1;
		}
	} else {
		for (g = 0; g < G; g++)
			if (eligible[g] && (ref < 0 || S->n[g] > S->n[ref]))
				ref = (long)g;
		if (ref < 0)
			A->reference_reason = "no group has enough records";
	}
	A->reference = ref;
	P.diff = fa_xmalloc(G * M * sizeof(double));
	P.ratio = fa_xmalloc(G * M * sizeof(double));
	D.diff = fa_xmalloc(G * M * sizeof(double));
	D.ratio = fa_xmalloc(G * M * sizeof(double));
	derive(v, G, eligible, use, ref, &P);
	compute_accels(E, view, a, acc, v, eligible, use, ref, &P, 1, &ax);
	if (B) {
		dreps_diff = fa_xmalloc(G * M * B * sizeof(double));
		dreps_ratio = fa_xmalloc(G * M * B * sizeof(double));
		dreps_gap = fa_xmalloc(4 * M * B * sizeof(double));
		dreps_sum = fa_xmalloc(FA_S__COUNT * B * sizeof(double));
		for (r = 0; r < B; r++) {
			for (g = 0; g < G * M; g++)
				rv[g] = reps[g * B + r];
			derive(rv, G, eligible, use, ref, &D);
			for (g = 0; g < G * M; g++) {
				dreps_diff[g * B + r] = D.diff[g];
				dreps_ratio[g * B + r] = D.ratio[g];
			}
			for (q = 0; q < 4; q++)
				for (m = 0; m < M; m++)
					dreps_gap[(q * M + m) * B + r] = D.gap[q][m];
			for (q = 0; q < FA_S__COUNT; q++)
				dreps_sum[q * B + r] = D.summary[q];
		}
	}
	for (g = 0; g < G; g++) {
		fa_group_result *gr = &groups[g];
		for (m = 0; m < M; m++) {
			size_t k = g * M + (size_t)m;
			const char *dwhy = !eligible[g]        ? R_NOT_ELIGIBLE
					   : ref < 0           ? A->reference_reason
					   : (long)g == ref    ? R_IS_REF
								: R_UNDEF_PAIR;
			if (gr->status == FA_GROUP_SUPPRESSED) {
				point(&gr->metrics[m], NAN, R_SUPPRESSED);
				point(&gr->diff[m], NAN, R_SUPPRESSED);
				point(&gr->ratio[m], NAN, R_SUPPRESSED);
				continue;
			}
			point(&gr->metrics[m], v[k], why[k]);
			point(&gr->diff[m], P.diff[k], dwhy);
			point(&gr->ratio[m], P.ratio[k],
			      !isnan(P.diff[k]) ? R_REF_ZERO : dwhy);
			if (!B)
				continue;
			for (r = 0; r < B; r++)
				xs[r] = reps[k * B + r];
			interval(&gr->metrics[m], xs, B, o->ci_level, ax.metric[k]);
			memcpy(xs, dreps_diff + k * B, B * sizeof(double));
			interval(&gr->diff[m], xs, B, o->ci_level, ax.diff[k]);
			memcpy(xs, dreps_ratio + k * B, B * sizeof(double));
			interval(&gr->ratio[m], xs, B, o->ci_level, ax.ratio[k]);
		}
		if (gr->status == FA_GROUP_SUPPRESSED)
			gr->n = gr->n_pos = gr->n_neg = gr->tp = gr->fp = gr->tn = gr->fn = 0;
	}
	for (m = 0; m < M; m++) {
		fa_estimate *es[4] = {&A->gaps[m].gap, &A->gaps[m].ratio, &A->gaps[m].min,
				      &A->gaps[m].max};
		for (q = 0; q < 4; q++) {
			point(es[q], P.gap[q][m],
			      q == D_RATIO && !isnan(P.gap[D_GAP][m]) ? R_MAX_ZERO : R_FEW_GROUPS);
			if (B) {
				memcpy(xs, dreps_gap + ((size_t)q * M + m) * B, B * sizeof(double));
				interval(es[q], xs, B, o->ci_level, ax.gap[q * M + m]);
			}
		}
		A->gaps[m].best = P.best[m];
		A->gaps[m].worst = P.worst[m];
		gap_corrected(&A->gaps[m], B ? dreps_gap + (size_t)m * B : NULL, B, o->ci_level);
		gap_simultaneous(&A->gaps[m], reps, G, m, B, use, o->ci_level);
	}
	for (q = 0; q < FA_S__COUNT; q++) {
		point(&A->summary[q], P.summary[q],
		      q == FA_S_DISPARATE_IMPACT && !isnan(P.gap[D_GAP][FA_M_SELECTION_RATE])
			      ? R_MAX_ZERO
			      : R_FEW_GROUPS);
		if (B) {
			memcpy(xs, dreps_sum + (size_t)q * B, B * sizeof(double));
			interval(&A->summary[q], xs, B, o->ci_level, ax.summary[q]);
		}
	}
	free(P.diff);
	free(P.ratio);
	free(D.diff);
	free(D.ratio);
	fa_inference_attr(E, a, A, groups, eligible, ref, (int)view);
done:
	accels_free(&ax);
	free(dreps_diff);
	free(dreps_ratio);
	free(dreps_gap);
	free(dreps_sum);
	free(rv);
	free(xs);
	free(v);
	free(why);
	free(eligible);
	free(use);
}

/* The reference value named for attribute `name`, or NULL. */
static const char *reference_for(const fa_audit_options *o, const char *name, size_t *used)
{
	size_t i, ln = strlen(name);
	for (i = 0; i < o->nreferences; i++) {
		const char *r = o->references[i];
		if (strncmp(r, name, ln) == 0 && r[ln] == '=') {
			used[i] = 1;
			return r + ln + 1;
		}
	}
	return NULL;
}

/* ---- operating-point views ---------------------------------------------- */

static int parse_views(engine *E, const fa_audit_options *o, int has_pred, fa_error *err)
{
	size_t k;

	E->nviews = 1 + o->noppoints;
	E->vkind = fa_xcalloc(E->nviews, sizeof(int));
	E->vtarget = fa_xcalloc(E->nviews, sizeof(double));
	E->vthr = fa_xcalloc(E->nviews, sizeof(double));
	E->vkind[0] = VIEW_MAIN;
	E->vtarget[0] = o->threshold;
	for (k = 0; k < o->noppoints; k++) {
		const char *spec = o->oppoints[k], *eq = strchr(spec, '=');
		char *end;
		double x;
		int kind;
		if (eq && (size_t)(eq - spec) == 4 && strncmp(spec, "spec", 4) == 0)
			kind = VIEW_SPEC;
		else if (eq && (size_t)(eq - spec) == 4 && strncmp(spec, "sens", 4) == 0)
			kind = VIEW_SENS;
		else if (eq && (size_t)(eq - spec) == 9 && strncmp(spec, "threshold", 9) == 0)
			kind = VIEW_THRESHOLD;
		else
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--operating-point %s: expected spec=X, sens=X or threshold=X (e.g. spec=0.90)",
					    spec);
		x = strtod(eq + 1, &end);
		if (!eq[1] || *end || !isfinite(x) ||
		    (kind != VIEW_THRESHOLD && !(x >= 0 && x <= 1)))
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--operating-point %s: expected a number%s after '='", spec,
					    kind == VIEW_THRESHOLD ? "" : " from 0 to 1");
		if (has_pred)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--operating-point %s: the decisions come from --pred, so no threshold can be chosen",
					    spec);
		E->vkind[k + 1] = kind;
		E->vtarget[k + 1] = x;
	}
	return 0;
}

static void fill_views(engine *E, fa_result *R, size_t *ref_used, fa_error *err, int *rc)
{
	const fa_audit_options *o = E->o;
	size_t v, a, g, r;
	fa_acc *acc = NULL, *at = NULL;
	double *xs = fa_xmalloc((E->B ? E->B : 1) * sizeof(double));
	static const char *const kinds[] = {"main", "spec", "sens", "threshold"};

	R->nviews = E->nviews - 1;
	R->views = fa_xcalloc(R->nviews, sizeof(fa_view));
	for (v = 1; v < E->nviews && *rc == 0; v++) {
		fa_view *V = &R->views[v - 1];
		double t = choose_threshold(E, E->vkind[v], E->vtarget[v], NULL, E->n, NULL);
		V->name = fa_xstrdup(o->oppoints[v - 1]);
		V->kind = fa_xstrdup(kinds[E->vkind[v]]);
		V->target = E->vtarget[v];
		memset(&V->threshold, 0, sizeof(V->threshold));
		V->threshold.value = isinf(t) ? NAN : t;
		V->threshold.reason = isinf(t) ? "no observed score reaches the target: every decision is negative" : NULL;
		V->threshold.p_value = V->threshold.p_adjusted = NAN;
		if (E->B && E->vkind[v] != VIEW_THRESHOLD) {
			memcpy(xs, E->thr_reps + v * E->B, E->B * sizeof(double));
			interval(&V->threshold, xs, E->B, o->ci_level, NAN);
		}
		V->nattrs = R->nattrs;
		V->attrs = fa_xcalloc(V->nattrs ? V->nattrs : 1, sizeof(fa_attr_result));
		for (a = 0; a < E->nst && *rc == 0; a++) {
			stratum *S = &E->st[a];
			fa_group_result *groups;
			acc = fa_xrealloc(acc, (S->ngroups ? S->ngroups : 1) * sizeof(fa_acc));
			at = fa_xrealloc(at, (S->ngroups ? S->ngroups : 1) * sizeof(fa_acc));
			for (g = 0; g < S->ngroups; g++) {
				group_pass(E, S, g, NULL, 0, &acc[g]);
				acc_at(E, S, g, NULL, t, &acc[g], &at[g]);
			}
			if (a == 0) {
				groups = &V->overall;
				fill_attr(E, v, 0, NULL, groups, at, NULL, err, rc);
			} else {
				fa_attr_result *A = &V->attrs[a - 1];
				A->name = fa_xstrdup(S->name);
				A->ncolumns = S->ncolumns;
				A->columns = fa_xcalloc(S->ncolumns, sizeof(char *));
				for (g = 0; g < S->ncolumns; g++)
					A->columns[g] = fa_xstrdup(S->columns[g]);
				A->ngroups = S->ngroups;
				A->groups = fa_xcalloc(S->ngroups ? S->ngroups : 1, sizeof(fa_group_result));
				groups = A->groups;
				fill_attr(E, v, a, A, A->groups, at, reference_for(o, S->name, ref_used),
					  err, rc);
			}
			/* the threshold each group alone would need for the target */
			for (g = 0; g < S->ngroups; g++) {
				double own;
				if (groups[g].status == FA_GROUP_SUPPRESSED || E->vkind[v] == VIEW_THRESHOLD)
					continue;
				own = choose_threshold(E, E->vkind[v], E->vtarget[v],
						       S->idx + S->gstart[g], S->n[g], NULL);
				groups[g].own_threshold = isinf(own) ? NAN : own;
			}
		}
	}
	(void)r;
	free(acc);
	free(at);
	free(xs);
}

/* ---- building an engine --------------------------------------------------- */

static void engine_free(engine *E)
{
	size_t a, i;

	for (a = 0; a < E->nst; a++)
		stratum_free(&E->st[a]);
	for (i = 0; E->reps && i < E->nviews * E->nst; i++)
		free(E->reps[i]);
	for (a = 0; E->map && a < E->nst; a++)
		free(E->map[a]);
	free(E->map);
	free(E->reps);
	free(E->thr_reps);
	free(E->y);
	free(E->cluster);
	free(E->vkind);
	free(E->vtarget);
	free(E->vthr);
	free(E->st);
	free(E->s);
	free(E->d);
	free(E->key);
}

/* The layout (and clusters) of one stratum, strata on several threads:
 * each writes only its own stratum. */
typedef struct layout_job {
	engine *E;
	const uint8_t *y;
} layout_job;

static void layout_one(void *ctx, size_t a)
{
	layout_job *lj = ctx;
	build_layout(&lj->E->st[a], lj->E, lj->y);
	if (lj->E->cluster)
		build_clusters(&lj->E->st[a], lj->E);
}

/* Sort the records of `t` by score, stratify them and lay every stratum
 * out. The sort order (sorted position -> record) is left in E->key.
 * Without `with_views` the operating points are left out (only the first
 * model has them). */
static int engine_build(engine *E, const fa_table *t, const double *scores_in,
                        const fa_audit_options *o, int with_views, fa_error *err)
{
	size_t n = fa_table_rows(t), i, a;
	const double *scores = scores_in ? scores_in : fa_table_scores(t);
	const uint8_t *labels = fa_table_labels(t), *preds = fa_table_preds(t);
	uint32_t *perm;
	uint8_t *y;
	int rc;

	E->o = o;
	E->n = n;
	E->B = o->ci_method == FA_CI_ANALYTIC ? 0 : o->bootstrap;
	E->nmodels = 1;
	if (with_views) {
		if ((rc = parse_views(E, o, preds != NULL, err)) < 0)
			return rc;
	} else {
		E->nviews = 1;
		E->vkind = fa_xcalloc(1, sizeof(int));
		E->vtarget = fa_xcalloc(1, sizeof(double));
		E->vthr = fa_xcalloc(1, sizeof(double));
		E->vtarget[0] = o->threshold;
	}
	/* sort once by score; ties keep input order */
	perm = E->key = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
	E->s = fa_xmalloc((n ? n : 1) * sizeof(double));
	sort_by_score(scores, n, perm, E->s);
	y = fa_xmalloc(n ? n : 1);
	E->d = preds ? fa_xmalloc(n ? n : 1) : NULL;
	E->probabilities = 1;
	for (i = 0; i < n; i++) {
		y[i] = labels[perm[i]];
		if (E->d)
			E->d[i] = preds[perm[i]];
		if (!(E->s[i] >= 0 && E->s[i] <= 1))
			E->probabilities = 0;
	}
	E->nst = o->ngroups + 1;
	E->st = fa_xcalloc(E->nst, sizeof(stratum));
	E->st[0].name = fa_xstrdup("overall");
	E->st[0].ngroups = 1;
	for (a = 1; a < E->nst; a++)
		if ((rc = build_stratum(&E->st[a], t, o->groups[a - 1], perm, n, err)) < 0) {
			free(y);
			return rc;
		}
	if (o->cluster_column) {
		long ca = fa_table_attr_find(t, o->cluster_column);
		const uint32_t *cc;
		uint32_t miss, next;
		if (ca < 0) {
			free(y);
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
			                    "--cluster %s: column was not loaded",
			                    o->cluster_column);
		}
		cc = fa_table_attr_codes(t, (size_t)ca);
		miss = fa_table_attr_missing(t, (size_t)ca);
		next = (uint32_t)fa_table_attr_levels(t, (size_t)ca);
		E->cluster = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
		/* a record without a cluster id is a cluster of its own */
		for (i = 0; i < n; i++)
			E->cluster[i] = cc[perm[i]] == miss ? next++ : cc[perm[i]];
		E->ncluster_ids = next;
	}
	{
		layout_job lj;
		lj.E = E;
		lj.y = y;
		parallel_for(E->nst, o->threads, layout_one, &lj);
	}
	for (a = 0; a < E->nst; a++) {
		size_t g;
		for (g = 0; g < E->st[a].ngroups; g++) {
			if (E->st[a].n[g] > E->maxgroup)
				E->maxgroup = E->st[a].n[g];
			if (E->cluster && E->st[a].nclusters[g] > E->maxclusters)
				E->maxclusters = E->st[a].nclusters[g];
		}
	}
	if (E->nviews > 1)
		E->y = y; /* choose_threshold needs the labels by score */
	else
		free(y);
	return 0;
}

/* Point each position of E's layouts at the same record's position in
 * E0's: the groups hold the same records in both, in different orders.
 * Both engines still have their sort orders in `key`. */
static void build_maps(const engine *E0, engine *E)
{
	uint32_t *at = fa_xmalloc((E->n ? E->n : 1) * sizeof(uint32_t));
	size_t a, g, j;

	E->map = fa_xcalloc(E->nst, sizeof(uint32_t *));
	for (a = 0; a < E->nst; a++) {
		const stratum *S0 = &E0->st[a], *S = &E->st[a];
		assert(S->ngroups == S0->ngroups);
		for (g = 0; g < S0->ngroups; g++) {
			assert(S->gstart[g] == S0->gstart[g]);
			for (j = S0->gstart[g]; j < S0->gstart[g + 1]; j++)
				at[E0->key[S0->idx[j] & ~LABEL_BIT]] =
				    (uint32_t)(j - S0->gstart[g]);
		}
		E->map[a] = fa_xmalloc((E->n ? E->n : 1) * sizeof(uint32_t));
		for (j = 0; j < E->n; j++)
			E->map[a][j] = at[E->key[S->idx[j] & ~LABEL_BIT]];
	}
	free(at);
}

/* Whether model `t` holds the records of model `t0`: the same rows, labels,
 * decisions and attribute values, and no row dropped that a score could
 * have decided (the loader drops a row whose score is missing or invalid,
 * and one model's score may be missing where another's is not). */
static int same_records(const fa_table *t0, const char *name0, const fa_table *t, const char *name,
                        fa_error *err)
{
	size_t n = fa_table_rows(t0), i, a, c, L;
	const uint8_t *y0 = fa_table_labels(t0), *y = fa_table_labels(t);
	const uint8_t *d0 = fa_table_preds(t0), *d = fa_table_preds(t);
	const char *col = fa_table_score_column(t);
	int r;

#define MISMATCH(...)                                                                              \
	do {                                                                                       \
		char what_[512];                                                                   \
		snprintf(what_, sizeof(what_), __VA_ARGS__);                                       \
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,                                    \
		                    "model %s (column %s): %s; every model must score the "        \
		                    "same records",                                                \
		                    name, col, what_);                                             \
	} while (0)

	for (r = 0; r < FA_DROP__COUNT; r++) {
		size_t k0 = fa_table_drops(t0, (fa_drop_reason)r),
		       k = fa_table_drops(t, (fa_drop_reason)r);
		if (k0 != k)
			MISMATCH("%zu row%s dropped as %s, but %zu for model %s", k,
			         k == 1 ? " was" : "s were", fa_drop_reason_name((fa_drop_reason)r),
			         k0, name0);
		if (k && (r == FA_DROP_INVALID_SCORE || r == FA_DROP_MISSING_VALUE))
			MISMATCH(
			    "%zu row%s dropped as %s, and which records the other models "
			    "kept cannot be told apart; fix those rows or audit each model alone",
			    k, k == 1 ? " was" : "s were", fa_drop_reason_name((fa_drop_reason)r));
	}
	if (fa_table_rows(t) != n)
		MISMATCH("%zu records, but model %s has %zu", fa_table_rows(t), name0, n);
	for (i = 0; i < n; i++)
		if (y[i] != y0[i])
			MISMATCH("record %zu has label %d, but %d for model %s", i + 1, y[i], y0[i],
			         name0);
	if (!d0 != !d)
		MISMATCH("it %s a decision column and model %s %s", d ? "has" : "has no", name0,
		         d0 ? "has" : "has none");
	for (i = 0; d && i < n; i++)
		if (d[i] != d0[i])
			MISMATCH("record %zu has decision %d, but %d for model %s", i + 1, d[i],
			         d0[i], name0);
	if (fa_table_attr_count(t) != fa_table_attr_count(t0))
		MISMATCH("%zu attribute columns, but model %s has %zu", fa_table_attr_count(t),
		         name0, fa_table_attr_count(t0));
	for (a = 0; a < fa_table_attr_count(t0); a++) {
		const uint32_t *c0 = fa_table_attr_codes(t0, a), *c1 = fa_table_attr_codes(t, a);
		const char *an = fa_table_attr_name(t0, a);
		L = fa_table_attr_levels(t0, a);
		if (strcmp(an, fa_table_attr_name(t, a)) != 0 || fa_table_attr_levels(t, a) != L)
			MISMATCH("column %s has other values than for model %s", an, name0);
		for (c = 0; c < L; c++)
			if (strcmp(fa_table_attr_level(t0, a, (uint32_t)c),
			           fa_table_attr_level(t, a, (uint32_t)c)) != 0)
				MISMATCH("column %s has other values than for model %s", an, name0);
		for (i = 0; i < n; i++)
			if (c0[i] != c1[i])
				MISMATCH("record %zu has %s \"%s\", but \"%s\" for model %s", i + 1,
				         an, fa_table_attr_level(t, a, c1[i]),
				         fa_table_attr_level(t0, a, c0[i]), name0);
	}
#undef MISMATCH
	return 0;
}

/* ---- filling a result ------------------------------------------------------ */

/* The whole population and every attribute of engine E, at the main
 * threshold. */
/* Stratum a of engine E into its result: the whole population (a = 0)
 * or attribute a - 1. */
static void fill_stratum(engine *E, size_t a, fa_group_result *overall, fa_attr_result *attrs,
                         size_t *ref_used, fa_error *err, int *rc)
{
	stratum *S = &E->st[a];
	fa_acc *acc = fa_xmalloc((S->ngroups ? S->ngroups : 1) * sizeof(fa_acc));
	size_t g;

	for (g = 0; g < S->ngroups; g++)
		group_pass(E, S, g, NULL, 0, &acc[g]);
	if (a == 0) {
		fill_attr(E, 0, 0, NULL, overall, acc, NULL, err, rc);
	} else {
		fa_attr_result *A = &attrs[a - 1];
		A->name = fa_xstrdup(S->name);
		A->ncolumns = S->ncolumns;
		A->columns = fa_xcalloc(S->ncolumns, sizeof(char *));
		for (g = 0; g < S->ncolumns; g++)
			A->columns[g] = fa_xstrdup(S->columns[g]);
		A->ngroups = S->ngroups;
		A->groups = fa_xcalloc(S->ngroups ? S->ngroups : 1, sizeof(fa_group_result));
		fill_attr(E, 0, a, A, A->groups, acc, reference_for(E->o, S->name, ref_used), err,
		          rc);
	}
	free(acc);
}

/* The strata of fill_result: each has its own error and its own marks of
 * the references it used. */
typedef struct fill_job {
	engine *E;
	fa_group_result *overall;
	fa_attr_result *attrs;
	size_t nref;
	size_t *used; /* [a * nref + i] */
	fa_error *err;
	int *rc;
} fill_job;

static void fill_one(void *ctx, size_t a)
{
	fill_job *j = ctx;
	fill_stratum(j->E, a, j->overall, j->attrs, j->used + a * j->nref, &j->err[a], &j->rc[a]);
}

/* The whole population and every attribute of engine E, at the main
 * threshold. The strata are independent (each writes its own result and
 * only reads the engine), so they are filled on as many threads as the
 * bootstrap has; the first error, in stratum order, is the one reported. */
static void fill_result(engine *E, fa_group_result *overall, fa_attr_result *attrs,
                        size_t *ref_used, fa_error *err, int *rc)
{
	fill_job j;
	size_t a, i;

	j.E = E;
	j.overall = overall;
	j.attrs = attrs;
	j.nref = E->o->nreferences;
	j.used = fa_xcalloc(E->nst * j.nref + 1, sizeof(size_t));
	j.err = fa_xcalloc(E->nst, sizeof(fa_error));
	j.rc = fa_xcalloc(E->nst, sizeof(int));
	parallel_for(E->nst, E->o->threads, fill_one, &j);
	for (a = 0; a < E->nst; a++)
		for (i = 0; i < j.nref; i++)
			ref_used[i] |= j.used[a * j.nref + i];
	for (a = 0; a < E->nst; a++)
		if (j.rc[a] < 0) {
			if (err)
				*err = j.err[a];
			*rc = j.rc[a];
			break;
		}
	free(j.used);
	free(j.err);
	free(j.rc);
}

/* ---- several models ---------------------------------------------------------- */

/* The difference b - a of two estimates with its paired interval: the
 * percentile interval of the replicate differences rb[r] - ra[r] (NULL:
 * no replicates). */
static void paired(fa_estimate *e, const fa_estimate *ea, const fa_estimate *eb, const double *ra,
                   const double *rb, size_t B, double level, double *xs)
{
	size_t r;
	int na = isnan(ea->value);

	point(e, na || isnan(eb->value) ? NAN : eb->value - ea->value,
	      na ? ea->reason : eb->reason);
	if (!B || !ra || !rb)
		return;
	for (r = 0; r < B; r++)
		xs[r] = isnan(ra[r]) || isnan(rb[r]) ? NAN : rb[r] - ra[r];
	interval(e, xs, B, level, NAN);
}

/* The replicate values of attribute A's gaps ([(q * M + m) * B + r]) and
 * summaries ([q * B + r]) in engine E's stratum a, derived as fill_attr
 * derives them. */
static void derived_reps(const engine *E, size_t a, const fa_attr_result *A, double *gap,
                         double *sum)
{
	const double *reps = E->reps[a];
	size_t G = A->ngroups, B = E->B, g, r;
	uint8_t *eligible = fa_xcalloc(G ? G : 1, 1), *use = fa_xcalloc(G * M + 1, 1);
	double *rv = fa_xmalloc((G * M + 1) * sizeof(double));
	derived D;
	int m, q;

	D.diff = fa_xmalloc((G * M + 1) * sizeof(double));
	D.ratio = fa_xmalloc((G * M + 1) * sizeof(double));
	for (g = 0; g < G; g++) {
		eligible[g] = A->groups[g].status == FA_GROUP_OK;
		for (m = 0; m < M; m++)
			use[g * M + m] = eligible[g] && !isnan(A->groups[g].metrics[m].value);
	}
	for (r = 0; r < B; r++) {
		for (g = 0; g < G * M; g++)
			rv[g] = reps[g * B + r];
		derive(rv, G, eligible, use, A->reference, &D);
		for (q = 0; q < 4; q++)
			for (m = 0; m < M; m++)
				gap[((size_t)q * M + m) * B + r] = D.gap[q][m];
		for (q = 0; q < FA_S__COUNT; q++)
			sum[(size_t)q * B + r] = D.summary[q];
	}
	free(D.diff);
	free(D.ratio);
	free(rv);
	free(eligible);
	free(use);
}

/* Every pair of models' differences, with paired intervals. */
static void model_differences(engine *E, size_t K, fa_result *R)
{
	size_t B = E[0].B, na = R->nattrs, i, j, a, g, p = 0, k;
	double level = E[0].o->ci_level;
	double *xs = fa_xmalloc((B ? B : 1) * sizeof(double));
	double **gap = fa_xcalloc(K * na + 1, sizeof(double *));
	double **sum = fa_xcalloc(K * na + 1, sizeof(double *));
	int m, q;

	for (k = 0; B && k < K; k++)
		for (a = 0; a < na; a++) {
			gap[k * na + a] = fa_xmalloc(4 * M * B * sizeof(double));
			sum[k * na + a] = fa_xmalloc(FA_S__COUNT * B * sizeof(double));
			derived_reps(&E[k], a + 1, &R->models[k].attrs[a], gap[k * na + a],
			             sum[k * na + a]);
		}
	R->nmodel_diffs = K * (K - 1) / 2;
	R->model_diffs = fa_xcalloc(R->nmodel_diffs ? R->nmodel_diffs : 1, sizeof(fa_model_diff));
	for (i = 0; i < K; i++)
		for (j = i + 1; j < K; j++) {
			fa_model_diff *D = &R->model_diffs[p++];
			const fa_model *Mi = &R->models[i], *Mj = &R->models[j];
			D->a = i;
			D->b = j;
			for (m = 0; m < M; m++)
				paired(&D->overall[m], &Mi->overall.metrics[m],
				       &Mj->overall.metrics[m],
				       B ? E[i].reps[0] + (size_t)m * B : NULL,
				       B ? E[j].reps[0] + (size_t)m * B : NULL, B, level, xs);
			D->nattrs = na;
			D->attrs = fa_xcalloc(na ? na : 1, sizeof(fa_model_attr_diff));
			for (a = 0; a < na; a++) {
				fa_model_attr_diff *AD = &D->attrs[a];
				const fa_attr_result *Ai = &Mi->attrs[a], *Aj = &Mj->attrs[a];
				const double *gi = gap[i * na + a], *gj = gap[j * na + a];
				AD->ngroups = Ai->ngroups;
				AD->groups = fa_xcalloc(Ai->ngroups * M + 1, sizeof(fa_estimate));
				for (g = 0; g < Ai->ngroups; g++)
					for (m = 0; m < M; m++) {
						size_t at = g * M + (size_t)m;
						if (Ai->groups[g].status == FA_GROUP_SUPPRESSED) {
							point(&AD->groups[at], NAN, R_SUPPRESSED);
							continue;
						}
						paired(&AD->groups[at], &Ai->groups[g].metrics[m],
						       &Aj->groups[g].metrics[m],
						       B ? E[i].reps[a + 1] + at * B : NULL,
						       B ? E[j].reps[a + 1] + at * B : NULL, B,
						       level, xs);
					}
				for (m = 0; m < M; m++) {
					const fa_gap *pi = &Ai->gaps[m], *pj = &Aj->gaps[m];
					const fa_estimate *ei[4] = {&pi->gap, &pi->ratio, &pi->min,
					                            &pi->max};
					const fa_estimate *ej[4] = {&pj->gap, &pj->ratio, &pj->min,
					                            &pj->max};
					fa_estimate *out[4] = {&AD->gaps[m].gap, &AD->gaps[m].ratio,
					                       &AD->gaps[m].min, &AD->gaps[m].max};
					for (q = 0; q < 4; q++) {
						size_t at = ((size_t)q * M + m) * B;
						paired(out[q], ei[q], ej[q], B ? gi + at : NULL,
						       B ? gj + at : NULL, B, level, xs);
					}
				}
				for (q = 0; q < FA_S__COUNT; q++)
					paired(&AD->summary[q], &Ai->summary[q], &Aj->summary[q],
					       B ? sum[i * na + a] + (size_t)q * B : NULL,
					       B ? sum[j * na + a] + (size_t)q * B : NULL, B, level,
					       xs);
			}
		}
	for (k = 0; k < K * na; k++) {
		free(gap[k]);
		free(sum[k]);
	}
	free(gap);
	free(sum);
	free(xs);
}

/* Values equal up to rounding: the same quantity summed in another order
 * (two models' ECE gaps of 0.1, say) differs in its last bits. */
static int nearly_equal(double x, double y)
{
	return fabs(x - y) <= 1e-12 * fmax(1, fmax(fabs(x), fabs(y)));
}

/* The model with the smallest (largest when `larger`) of K values: -1 when
 * fewer than two are defined or every defined value is the same. */
static long best_model(const double *v, size_t K, int larger)
{
	long best = -1;
	int differ = 0;
	size_t k;

	for (k = 0; k < K; k++) {
		if (isnan(v[k]))
			continue;
		if (best < 0) {
			best = (long)k;
			continue;
		}
		if (nearly_equal(v[k], v[best]))
			continue;
		differ = 1;
		if (larger ? v[k] > v[best] : v[k] < v[best])
			best = (long)k;
	}
	return differ ? best : -1;
}

static void model_best(fa_result *R)
{
	size_t K = R->nmodels, a, k;
	double *v = fa_xmalloc((K ? K : 1) * sizeof(double));
	int m, q;

	R->model_best = fa_xcalloc(R->nattrs ? R->nattrs : 1, sizeof(fa_model_best));
	for (a = 0; a < R->nattrs; a++) {
		fa_model_best *mb = &R->model_best[a];
		for (m = 0; m < M; m++) {
			for (k = 0; k < K; k++)
				v[k] = R->models[k].attrs[a].gaps[m].gap.value;
			mb->gap[m] = best_model(v, K, 0);
		}
		for (q = 0; q < FA_S__COUNT; q++) {
			for (k = 0; k < K; k++)
				v[k] = R->models[k].attrs[a].summary[q].value;
			/* disparate impact is min / max <= 1: nearest 1 is largest */
			mb->summary[q] = best_model(
			    v, K, q == FA_S_DISPARATE_IMPACT || q == FA_S_WORST_GROUP_AUC);
		}
	}
	free(v);
}

/* Every model's result (the first one copied from the main result), the
 * differences and the best models. */
static void fill_models(engine *E, const fa_model_input *in, size_t K, fa_result *R, fa_error *err,
                        int *rc)
{
	const fa_audit_options *o = E[0].o;
	size_t *scratch = fa_xcalloc(o->nreferences ? o->nreferences : 1, sizeof(size_t));
	size_t k, a;

	R->nmodels = K;
	R->models = fa_xcalloc(K, sizeof(fa_model));
	for (k = 0; k < K && *rc == 0; k++) {
		fa_model *Mk = &R->models[k];
		Mk->name = fa_xstrdup(in[k].name);
		Mk->score_column = fa_xstrdup(in[k].score_column ? in[k].score_column
								 : fa_table_score_column(in[k].table));
		Mk->nattrs = R->nattrs;
		Mk->attrs = fa_xcalloc(R->nattrs ? R->nattrs : 1, sizeof(fa_attr_result));
		if (k == 0) {
			fa_group_result_copy(&Mk->overall, &R->overall);
			for (a = 0; a < R->nattrs; a++)
				fa_attr_result_copy(&Mk->attrs[a], &R->attrs[a]);
			continue;
		}
		fill_result(&E[k], &Mk->overall, Mk->attrs, scratch, err, rc);
		if (*rc == 0) {
			/* each model's p-values are adjusted as in its own audit */
			fa_result one;
			memset(&one, 0, sizeof(one));
			one.attrs = Mk->attrs;
			one.nattrs = Mk->nattrs;
			fa_inference_adjust(&one, (fa_p_adjust_method)o->p_adjust);
		}
	}
	free(scratch);
	if (*rc < 0)
		return;
	model_differences(E, K, R);
	model_best(R);
}

/* A model name is written in gates as NAME-NAME: letters, digits, '_' and
 * '.', not starting with '.'. */
static int model_name_ok(const char *s)
{
	const char *p;
	if (!*s || *s == '.')
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

static int audit_models(fa_result **out, const fa_model_input *in, size_t K, int with_models,
                        const fa_audit_options *o, fa_error *err)
{
	engine *E = NULL, **list = NULL;
	fa_result *R = NULL;
	size_t n = fa_table_rows(in[0].table), i, k;
	size_t *ref_used = NULL;
	int rc = 0;

	*out = NULL;
	if (n >= LABEL_BIT)
		return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
		                    "more than %u records are not supported", LABEL_BIT - 1);
	if (!(o->ci_level > 0 && o->ci_level < 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
		                    "--ci-level must lie strictly between 0 and 1");
	for (k = 0; with_models && k < K; k++) {
		if (!in[k].name || !model_name_ok(in[k].name))
			return fa_error_set(
			    err, FA_EUSAGE, NULL, 0, 0,
			    "--model %s: a model name is letters, digits, '_' and '.'",
			    in[k].name ? in[k].name : "(null)");
		for (i = 0; i < k; i++)
			if (strcmp(in[i].name, in[k].name) == 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				                    "--model %s is named twice", in[k].name);
	}
	for (k = 1; k < K; k++)
		if (in[k].table != in[0].table &&
		    (rc = same_records(in[0].table, in[0].name, in[k].table, in[k].name, err)) < 0)
			return rc;
	/* the loader checks its score columns; scores given by the caller are
	 * checked here, since the sort and the passes assume finite values */
	for (k = 0; k < K; k++)
		for (i = 0; in[k].scores && i < fa_table_rows(in[k].table); i++)
			if (!isfinite(in[k].scores[i]))
				return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
				                    "model %s: the score of record %zu is not a finite number",
				                    in[k].name ? in[k].name : "(unnamed)", i + 1);
	E = fa_xcalloc(K, sizeof(engine));
	list = fa_xcalloc(K, sizeof(engine *));
	for (k = 0; k < K; k++) {
		list[k] = &E[k];
		if ((rc = engine_build(&E[k], in[k].table, in[k].scores, o, k == 0, err)) < 0)
			goto done;
	}
	if (K > 1) {
		E[0].models = list;
		E[0].nmodels = K;
		for (k = 1; k < K; k++)
			build_maps(&E[0], &E[k]);
	}
	/* the Poisson scheme keys its weights by record */
	for (k = 0; k < K; k++)
		if (k > 0 || o->scheme != FA_BOOT_POISSON) {
			free(E[k].key);
			E[k].key = NULL;
		}
	ref_used = fa_xcalloc(o->nreferences ? o->nreferences : 1, sizeof(size_t));

	/* bootstrap replicates */
	if (E[0].B) {
		for (k = 0; k < K; k++) {
			engine *Ek = &E[k];
			size_t v, a;
			Ek->reps = fa_xcalloc(Ek->nviews * Ek->nst, sizeof(double *));
			for (v = 0; v < Ek->nviews; v++)
				for (a = 0; a < Ek->nst; a++)
					Ek->reps[v * Ek->nst + a] = fa_xmalloc(
					    Ek->st[a].ngroups * M * Ek->B * sizeof(double));
			Ek->thr_reps = fa_xmalloc(Ek->nviews * Ek->B * sizeof(double));
		}
		run_bootstrap(&E[0]);
	}

	R = fa_xcalloc(1, sizeof(*R));
	fill_provenance(R, in[0].table, o, E[0].probabilities);
	R->nattrs = o->ngroups;
	R->attrs = fa_xcalloc(R->nattrs ? R->nattrs : 1, sizeof(fa_attr_result));
	fill_result(&E[0], &R->overall, R->attrs, ref_used, err, &rc);
	if (rc == 0 && E[0].nviews > 1)
		fill_views(&E[0], R, ref_used, err, &rc);
	if (rc == 0) {
		fa_inference_adjust(R, (fa_p_adjust_method)o->p_adjust);
		fa_inference_notes(&E[0], R);
	}
	for (i = 0; i < o->nreferences && rc == 0; i++)
		if (!ref_used[i])
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
			                  "--reference %s: its attribute is not audited (give it "
			                  "with --group, as ATTRIBUTE=VALUE)",
			                  o->references[i]);
	if (rc == 0 && with_models)
		fill_models(E, in, K, R, err, &rc);
done:
	for (k = 0; E && k < K; k++)
		engine_free(&E[k]);
	free(E);
	free(list);
	free(ref_used);
	if (rc < 0) {
		fa_result_free(R);
		return rc;
	}
	*out = R;
	return 0;
}

int fa_audit_run(fa_result **out, const fa_table *t, const fa_audit_options *o, fa_error *err)
{
	fa_model_input one;

	memset(&one, 0, sizeof(one));
	one.table = t;
	return audit_models(out, &one, 1, 0, o, err);
}

int fa_audit_run_models(fa_result **out, const fa_model_input *models, size_t nmodels,
                        const fa_audit_options *o, fa_error *err)
{
	*out = NULL;
	if (nmodels == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "no model to audit");
	return audit_models(out, models, nmodels, 1, o, err);
}

/* ---- the audit of a partial ------------------------------------------------ */

/* The records of a partial, rebuilt from its counts: every distinct score
 * of the whole population, its records by label and decision in that
 * order, and in every stratum each group taking its records of a score in
 * group order. Every quantity of the audit depends on the records only
 * through these counts, so the order is free; this one is canonical. */
static int engine_build_partial(engine *E, const fa_partial *p, const fa_audit_options *o,
                                fa_error *err)
{
	const fa_pgroup *G0 = &p->strata[0].groups[0];
	size_t n = 0, e, q, i, a, g, c, k, ncell = G0->nent * 4;
	size_t *cell, *cursor;
	uint8_t *y;
	int rc = 0;

	E->o = o;
	E->B = o->ci_method == FA_CI_ANALYTIC ? 0 : o->bootstrap;
	E->nmodels = 1;
	E->nviews = 1;
	E->vkind = fa_xcalloc(1, sizeof(int));
	E->vtarget = fa_xcalloc(1, sizeof(double));
	E->vthr = fa_xcalloc(1, sizeof(double));
	E->vtarget[0] = o->threshold;
	for (e = 0; e < G0->nent; e++)
		for (q = 0; q < 4; q++)
			n += G0->ent[e].c[q];
	if (n >= LABEL_BIT)
		return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
		                    "more than %u records are not supported in one report", LABEL_BIT - 1);
	E->n = n;
	E->s = fa_xmalloc((n ? n : 1) * sizeof(double));
	E->d = p->pred_column ? fa_xmalloc(n ? n : 1) : NULL;
	y = fa_xmalloc(n ? n : 1);
	cell = fa_xmalloc((ncell + 1) * sizeof(size_t));
	cursor = fa_xmalloc((ncell + 1) * sizeof(size_t));
	E->probabilities = 1;
	for (e = 0, i = 0; e < G0->nent; e++)
		for (q = 0; q < 4; q++) {
			cell[e * 4 + q] = i;
			for (k = 0; k < G0->ent[e].c[q]; k++, i++) {
				E->s[i] = G0->ent[e].score;
				y[i] = (uint8_t)(q >> 1);
				if (E->d)
					E->d[i] = (uint8_t)(q & 1);
			}
			if (!(G0->ent[e].score >= 0 && G0->ent[e].score <= 1))
				E->probabilities = 0;
		}
	cell[ncell] = n;
	E->nst = p->nstrata;
	E->st = fa_xcalloc(E->nst, sizeof(stratum));
	E->st[0].name = fa_xstrdup("overall");
	E->st[0].ngroups = 1;
	if (p->cluster_column) {
		E->st[0].nclusters = fa_xcalloc(1, sizeof(size_t));
		E->st[0].nclusters[0] = (size_t)G0->nclusters;
	}
	for (a = 1; a < E->nst && rc == 0; a++) {
		const fa_pstratum *P = &p->strata[a];
		stratum *S = &E->st[a];
		S->name = fa_xstrdup(P->spec);
		S->ncolumns = P->ncols;
		S->columns = fa_xcalloc(P->ncols ? P->ncols : 1, sizeof(char *));
		for (c = 0; c < P->ncols; c++)
			S->columns[c] = fa_xstrdup(p->columns[P->cols[c]].name);
		S->ngroups = P->ngroups;
		S->value = fa_xcalloc(P->ngroups ? P->ngroups : 1, sizeof(char *));
		S->levels = fa_xcalloc(P->ngroups ? P->ngroups : 1, sizeof(char **));
		for (g = 0; g < P->ngroups; g++) {
			fa_buf b = FA_BUF_INIT;
			S->levels[g] = fa_xmalloc((P->ncols ? P->ncols : 1) * sizeof(char *));
			for (c = 0; c < P->ncols; c++) {
				const char *lv = p->columns[P->cols[c]].levels[P->groups[g].lv[c]];
				S->levels[g][c] = fa_xstrdup(lv);
				if (c)
					fa_buf_putc(&b, '+');
				fa_buf_puts(&b, lv);
			}
			S->value[g] = fa_buf_detach(&b);
		}
		if (p->cluster_column) {
			S->nclusters = fa_xcalloc(P->ngroups ? P->ngroups : 1, sizeof(size_t));
			for (g = 0; g < P->ngroups; g++)
				S->nclusters[g] = (size_t)P->groups[g].nclusters;
		}
		S->codes = fa_xmalloc((n ? n : 1) * sizeof(uint16_t));
		memcpy(cursor, cell, (ncell + 1) * sizeof(size_t));
		for (g = 0; g < P->ngroups && rc == 0; g++) {
			const fa_pgroup *G = &P->groups[g];
			size_t j = 0;
			for (e = 0; e < G->nent && rc == 0; e++) {
				while (j < G0->nent && G0->ent[j].score < G->ent[e].score)
					j++;
				if (j == G0->nent || G0->ent[j].score != G->ent[e].score) {
					rc = FA_EINPUT;
					break;
				}
				for (q = 0; q < 4; q++) {
					size_t at = cursor[j * 4 + q], cnt = (size_t)G->ent[e].c[q];
					if (cnt > cell[j * 4 + q] + G0->ent[j].c[q] - at) {
						rc = FA_EINPUT;
						break;
					}
					for (k = 0; k < cnt; k++)
						S->codes[at + k] = (uint16_t)g;
					cursor[j * 4 + q] = at + cnt;
				}
			}
		}
	}
	free(cell);
	free(cursor);
	if (rc < 0) {
		free(y);
		return fa_error_set(err, FA_EINPUT, NULL, 0, 0,
		                    "the partial audit is inconsistent: an attribute's counts of a "
		                    "score disagree with the whole population's");
	}
	{
		layout_job lj;
		lj.E = E;
		lj.y = y;
		parallel_for(E->nst, o->threads, layout_one, &lj);
	}
	for (a = 0; a < E->nst; a++)
		for (g = 0; g < E->st[a].ngroups; g++)
			if (E->st[a].n[g] > E->maxgroup)
				E->maxgroup = E->st[a].n[g];
	free(y);
	return 0;
}

/* Every replicate's metrics of every group, from the partial's binned
 * counts. Counts by label and decision are exact; the AUC, the Brier
 * score and the calibration sums take each score bin's records as having
 * the sample's make-up within the bin: the sample's mean score and mean
 * squared error per label, and the sample's AUC of the pairs inside the
 * bin (docs/statistics.md bounds the error this makes). */
static void partial_reps(engine *E, const fa_partial *p)
{
	size_t K = (size_t)p->bins, SL = FA_PSLOTS(K), per = K / 10, B = E->B;
	size_t a, g, k, e, r, m;
	uint64_t *np = fa_xmalloc(K * sizeof(uint64_t)), *nn = fa_xmalloc(K * sizeof(uint64_t));
	double *sp = fa_xmalloc(K * sizeof(double)), *sn = fa_xmalloc(K * sizeof(double));
	double *bp = fa_xmalloc(K * sizeof(double)), *bn = fa_xmalloc(K * sizeof(double));
	double *within = fa_xmalloc(K * sizeof(double));
	uint64_t *below = fa_xmalloc(K * sizeof(uint64_t));

	for (a = 0; a < p->nstrata; a++)
		for (g = 0; g < p->strata[a].ngroups; g++) {
			const fa_pgroup *G = &p->strata[a].groups[g];
			double *reps = E->reps[a];
			memset(np, 0, K * sizeof(uint64_t));
			memset(nn, 0, K * sizeof(uint64_t));
			memset(below, 0, K * sizeof(uint64_t));
			memset(sp, 0, K * sizeof(double));
			memset(sn, 0, K * sizeof(double));
			memset(bp, 0, K * sizeof(double));
			memset(bn, 0, K * sizeof(double));
			memset(within, 0, K * sizeof(double));
			for (e = 0; e < G->nent; e++) {
				double s = G->ent[e].score;
				uint64_t P = G->ent[e].c[2] + G->ent[e].c[3];
				uint64_t N = G->ent[e].c[0] + G->ent[e].c[1];
				k = fa_partial_bin(s, K);
				sp[k] += (double)P * s;
				sn[k] += (double)N * s;
				bp[k] += (double)P * (1 - s) * (1 - s);
				bn[k] += (double)N * s * s;
				/* pairs inside the bin: won, and tied at half */
				within[k] += (double)P * (double)below[k] + 0.5 * (double)P * (double)N;
				below[k] += N;
				np[k] += P;
				nn[k] += N;
			}
			for (k = 0; k < K; k++) {
				sp[k] = np[k] ? sp[k] / (double)np[k] : 0;
				bp[k] = np[k] ? bp[k] / (double)np[k] : 0;
				sn[k] = nn[k] ? sn[k] / (double)nn[k] : 0;
				bn[k] = nn[k] ? bn[k] / (double)nn[k] : 0;
				within[k] = np[k] && nn[k] ? within[k] / ((double)np[k] * (double)nn[k]) : 0;
			}
			for (r = 0; r < B; r++) {
				const uint64_t *row = p->reps + r * p->nslots + p->strata[a].slot0 + g * SL;
				fa_acc x;
				double v[M], num = 0, negs = 0;
				const char *why[M];
				memset(&x, 0, sizeof(x));
				x.fp = row[2 * K];
				x.tp = row[2 * K + 1];
				for (k = 0; k < K; k++) {
					uint64_t wn = row[k], wp = row[K + k];
					size_t cb = k / per;
					x.wneg += wn;
					x.wpos += wp;
					x.bin_w[cb] += wn + wp;
					x.bin_pos[cb] += wp;
					x.bin_s[cb] += (double)wp * sp[k] + (double)wn * sn[k];
					x.brier += (double)wp * bp[k] + (double)wn * bn[k];
					num += (double)wp * (negs + (double)wn * within[k]);
					negs += (double)wn;
				}
				fa_acc_metrics(&x, E->probabilities, v, why);
				if (x.wpos && x.wneg)
					v[FA_M_AUC] = num / ((double)x.wpos * (double)x.wneg);
				for (m = 0; m < M; m++)
					reps[(g * M + m) * B + r] = v[m];
			}
		}
	free(np);
	free(nn);
	free(sp);
	free(sn);
	free(bp);
	free(bn);
	free(within);
	free(below);
}

static void fill_provenance_partial(fa_result *R, const fa_partial *p,
                                    const fa_audit_options *o, int probabilities)
{
	size_t i, k = 0;

	fill_settings(R, o, probabilities);
	R->nfiles = p->nfiles;
	R->files = fa_xcalloc(R->nfiles ? R->nfiles : 1, sizeof(fa_file_info));
	for (i = 0; i < R->nfiles; i++) {
		R->files[i] = p->files[i];
		R->files[i].path = fa_xstrdup(p->files[i].path);
		R->files[i].format = fa_xstrdup(p->files[i].format);
	}
	R->rows_read = (size_t)p->rows_read;
	R->rows_used = (size_t)(p->rows_read - p->rows_dropped);
	R->rows_dropped = (size_t)p->rows_dropped;
	R->drops = fa_xcalloc(FA_DROP__COUNT, sizeof(fa_drop_count));
	for (i = 0; i < FA_DROP__COUNT; i++)
		if (p->drops[i]) {
			R->drops[k].reason = fa_xstrdup(fa_drop_reason_name((fa_drop_reason)i));
			R->drops[k++].count = (size_t)p->drops[i];
		}
	R->ndrops = k;
	R->settings.label_column = fa_xstrdup(p->label_column);
	R->settings.score_column = fa_xstrdup(p->score_column);
	R->settings.pred_column = dupnull(p->pred_column);
	R->settings.positive = dupnull(p->positive);
	/* a partial knows that ids repeat, not how often over all its parts */
	if (p->probe_column)
		add_warning(R, fa_xasprintf(
		    "column \"%s\" repeats ids: records of one patient are correlated, so intervals "
		    "that treat them as independent may be too narrow; give --cluster %s",
		    p->probe_column, p->probe_column));
}

int fa_partial_audit(fa_result **out, const fa_partial *p, const fa_audit_options *run,
                     fa_error *err)
{
	fa_audit_options o = FA_AUDIT_OPTIONS_INIT;
	const char **groups = fa_xcalloc(p->nstrata, sizeof(char *));
	size_t *ref_used = fa_xcalloc(p->nreferences + 1, sizeof(size_t));
	engine E;
	fa_result *R = NULL;
	size_t a, i;
	int rc = 0;

	*out = NULL;
	for (a = 1; a < p->nstrata; a++)
		groups[a - 1] = p->strata[a].spec;
	o.threshold = p->threshold;
	o.groups = groups;
	o.ngroups = p->nstrata - 1;
	o.references = (const char *const *)p->references;
	o.nreferences = p->nreferences;
	o.min_n = (size_t)p->min_n;
	o.suppress_below = (size_t)p->suppress_below;
	o.bootstrap = (size_t)p->bootstrap;
	o.ci_level = p->ci_level;
	o.seed = p->seed;
	o.threads = run ? run->threads : 0;
	o.scheme = FA_BOOT_POISSON;
	o.ci_method = (fa_ci_method)p->ci_method;
	o.bootstrap_ci = (fa_boot_ci)p->bootstrap_ci;
	o.permutations = (size_t)p->permutations;
	o.p_adjust = p->p_adjust;
	o.cluster_column = p->cluster_column;
	if (o.ci_method == FA_CI_ANALYTIC)
		o.bootstrap = 0;
	memset(&E, 0, sizeof(E));
	if ((rc = engine_build_partial(&E, p, &o, err)) < 0)
		goto done;
	if (E.B) {
		E.reps = fa_xcalloc(E.nst, sizeof(double *));
		for (a = 0; a < E.nst; a++)
			E.reps[a] = fa_xmalloc(E.st[a].ngroups * M * E.B * sizeof(double));
		E.thr_reps = fa_xmalloc(E.B * sizeof(double));
		partial_reps(&E, p);
	}
	R = fa_xcalloc(1, sizeof(*R));
	fill_provenance_partial(R, p, &o, E.probabilities);
	R->settings.score_bins = E.B ? (size_t)p->bins : 0;
	R->settings.score_rounded = p->score_digits >= 0;
	R->settings.score_digits = p->score_digits >= 0 ? p->score_digits : 0;
	if (E.B)
		R->settings.bootstrap_key = p->cluster_column ? fa_xasprintf("cluster:%s", p->cluster_column)
					    : p->id_column   ? fa_xasprintf("id:%s", p->id_column)
							     : fa_xstrdup("file:line");
	R->nattrs = o.ngroups;
	R->attrs = fa_xcalloc(R->nattrs ? R->nattrs : 1, sizeof(fa_attr_result));
	fill_result(&E, &R->overall, R->attrs, ref_used, err, &rc);
	if (rc == 0) {
		fa_inference_adjust(R, (fa_p_adjust_method)o.p_adjust);
		fa_inference_notes(&E, R);
	}
	for (i = 0; i < o.nreferences && rc == 0; i++)
		if (!ref_used[i])
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
			                  "--reference %s: its attribute is not audited (give it "
			                  "with --group, as ATTRIBUTE=VALUE)",
			                  o.references[i]);
done:
	engine_free(&E);
	free(groups);
	free(ref_used);
	if (rc < 0) {
		fa_result_free(R);
		return rc;
	}
	*out = R;
	return 0;
}
