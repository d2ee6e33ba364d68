/* audit_internal.h: the engine's record layout, shared by audit.c (strata,
 * passes, bootstrap) and inference.c (analytic intervals and tests). */
#ifndef FA_AUDIT_INTERNAL_H
#define FA_AUDIT_INTERNAL_H

#include "fairaudit/analytic.h"
#include "fairaudit/audit.h"

#include <stdatomic.h>

#define M FA_M__COUNT
#define NSNAP (FA_ECE_BINS + 1)
/* group codes are 16-bit in the hot loop */
#define FA_MAX_GROUPS 65535

/* One audited attribute; strata[0] is the whole population.
 *
 * Its records are laid out group after group, each group's records in
 * ascending score order, so a pass over one group keeps all its sums in
 * registers. idx[j] is the record's position in the score-sorted arrays
 * with its label in the top bit. */
typedef struct stratum {
	char *name;
	char **columns;
	size_t ncolumns;
	size_t *col;        /* table attribute index per column */
	size_t ngroups;
	uint16_t *codes;    /* per sorted record while building; then freed */
	char **value;       /* per group */
	char ***levels;     /* per group, one per column */
	size_t *n;          /* records per group */
	size_t *npos;       /* positives per group */
	size_t *gstart;     /* ngroups + 1 */
	uint32_t *idx;      /* n: sorted position | label << 31 */
	/* snapshot positions per group: [g * NEV + k] for the bin edges
	 * k = 0..8 (scores 0.1 .. 0.9) and k = 9 the threshold */
	size_t *evpos;
	/* the smaller label cell of a group, listed when it is under 1/32 of
	 * the group, so resampling corrections can pick from it directly */
	size_t *minor_start; /* ngroups + 1 */
	uint32_t *minor_rows; /* positions relative to the group start */
	/* the labels again, one bit per position (bit j & 7 of byte j >> 3),
	 * each group's from the start of byte lbit_at[g]: the resampling
	 * counts are summed by label eight at a time */
	uint8_t *lbits;
	size_t *lbit_at;     /* ngroups */
	/* the runs of tied scores that hold both labels, positions relative
	 * to the group start, group g's at [x_at[g], x_at[g + 1]). Of two
	 * records: pairs[k], the first position, with LABEL_BIT set when that
	 * record is the negative. Of three or four: shorts[k], the first
	 * position, with LABEL_BIT set for four. Longer: mixed[2k] the first
	 * position and mixed[2k + 1] one past the last. */
	uint32_t *pairs;
	size_t *pair_at;     /* ngroups + 1 */
	uint32_t *shorts;
	size_t *short_at;    /* ngroups + 1 */
	uint32_t *mixed;
	size_t *mixed_at;    /* ngroups + 1 */
	/* the score positions in chunks of FA_CHUNK: group g's positions in
	 * chunk c start at cut[g * (nchunks + 1) + c] of its layout */
	size_t nchunks;
	uint32_t *cut;
	size_t *by_size;     /* the groups, largest first */
	/* with --cluster: each record's cluster, numbered 0.. within its group,
	 * and the number of clusters of each group */
	uint32_t *ccode;
	size_t *nclusters;
} stratum;

#define NEV (FA_ECE_BINS)
/* 2^15 scores: 256 KiB, with their share of the layouts well inside a
 * core's second-level cache */
#define FA_CHUNK ((size_t)1 << 15)

enum { VIEW_MAIN = 0, VIEW_SPEC, VIEW_SENS, VIEW_THRESHOLD };
#define LABEL_BIT 0x80000000u

typedef struct engine {
	size_t n;
	double *s;         /* scores, ascending */
	uint8_t *d;        /* decisions from --pred, or NULL */
	uint32_t *key;     /* original record index, for the Poisson scheme */
	int probabilities;
	stratum *st;
	size_t nst;
	size_t maxgroup;   /* the largest group of any stratum */
	const fa_audit_options *o;
	/* operating points: view 0 is the main threshold, views 1.. the
	 * --operating-point targets */
	size_t nviews;
	int *vkind;        /* VIEW_SPEC, VIEW_SENS, VIEW_THRESHOLD */
	double *vtarget;
	double *vthr;      /* the point threshold of each view */
	double *thr_reps;  /* [v * B + r]: the threshold chosen in replicate r */
	uint8_t *y;        /* labels in score order (kept when there are views) */
	uint32_t *cluster; /* with --cluster: each record's cluster, by score order */
	size_t ncluster_ids;
	size_t maxclusters; /* the most clusters of any group */
	/* bootstrap */
	size_t B;
	double **reps;     /* per view and stratum [v * nst + a]: [(g * M + m) * B + r] */
	atomic_size_t done;
	atomic_size_t next; /* the next replicate to draw */
	/* several models (--model): engine 0 draws every replicate's resampling
	 * counts and lists all the engines (models[0] is itself); each other
	 * engine takes the counts over through `map`, per stratum: for each
	 * position of its layout, the position (relative to the group's start)
	 * of the same record in engine 0's layout. nmodels is 1 otherwise. */
	struct engine **models;
	size_t nmodels;
	uint32_t **map;
} engine;


/* Analytic intervals (Wilson, DeLong) for every group of stratum a, and
 * for an attribute also the differences to the reference (Newcombe, the
 * unpaired DeLong test) and the tests of homogeneity (chi-square;
 * permutation test of every gap). `A` is NULL for the whole population.
 * In an operating-point view (view > 0) the tests that depend on the
 * main threshold or not on the threshold at all (permutation tests,
 * leakage) are left out. */
void fa_inference_attr(const engine *E, size_t a, fa_attr_result *A,
		       fa_group_result *groups, const uint8_t *eligible, long ref, int view);

/* Adjust every p-value of the result for multiplicity (Holm or BH). */
void fa_inference_adjust(fa_result *R, fa_p_adjust_method method);

/* With --cluster: a warning in R for every attribute that changes within
 * a cluster (its permutation tests are not run, its group comparisons are
 * approximate). */
void fa_inference_notes(const engine *E, fa_result *R);

/* The mixer of the Poisson scheme's hashes (SplitMix64's finalizer). */
static inline uint64_t fa_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
/* Sort scores ascending, ties in input order (stable, -0 as +0): perm[j]
 * is the record at sorted position j, s[j] its score. n < 2^32. */
void fa_sort_by_score(const double *scores, size_t n, uint32_t *perm, double *s);

/* Deep copies (result.c): every string, array and curve of `src` is copied
 * into `dst`, which then owns them; reasons stay shared static strings. */
void fa_group_result_copy(fa_group_result *dst, const fa_group_result *src);
void fa_attr_result_copy(fa_attr_result *dst, const fa_attr_result *src);

#endif
