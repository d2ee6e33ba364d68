/*
 * inference.c: analytic intervals and hypothesis tests on top of the
 * engine's layout.
 *
 * Per group: Wilson score intervals for every rate, the DeLong interval for
 * the AUC. Per group and reference: Newcombe's hybrid score interval and
 * the two-proportion chi-square test for rate differences, the unpaired
 * DeLong test for AUC differences. Per attribute and metric: is there a gap
 * at all? The chi-square test of homogeneity (rates) and a permutation test
 * of the max - min gap (every metric), group labels permuted within each
 * label class. The formulas are in docs/analytic.md and docs/statistics.md.
 *
 * With --cluster every one of them counts clusters rather than records:
 * Wilson at the effective size n / deff (Korn & Graubard) and Newcombe
 * from those intervals, Obuchowski's clustered DeLong variance, the
 * Rao-Scott chi-square, and the permutation test moving whole clusters
 * (run only when no cluster spans two groups).
 */
#include "audit_internal.h"
#include "metrics_internal.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The (x, n) of a rate metric, or 0 when the metric is not a rate. */
static int rate_counts(int m, const fa_group_result *g, size_t *x, size_t *n)
{
	switch (m) {
	case FA_M_PREVALENCE: *x = g->n_pos; *n = g->n; return 1;
	case FA_M_ACCURACY: *x = g->tp + g->tn; *n = g->n; return 1;
	case FA_M_TPR: *x = g->tp; *n = g->n_pos; return 1;
	case FA_M_FNR: *x = g->fn; *n = g->n_pos; return 1;
	case FA_M_TNR: *x = g->tn; *n = g->n_neg; return 1;
	case FA_M_FPR: *x = g->fp; *n = g->n_neg; return 1;
	case FA_M_PPV: *x = g->tp; *n = g->tp + g->fp; return 1;
	case FA_M_NPV: *x = g->tn; *n = g->tn + g->fn; return 1;
	case FA_M_SELECTION_RATE: *x = g->tp + g->fp; *n = g->n; return 1;
	default: return 0;
	}
}

/* The confusion counts of one cluster. */
typedef struct ccounts {
	size_t tp, fp, tn, fn;
} ccounts;

/* The (x, n) of a rate metric over one cluster's counts, as rate_counts. */
static void cluster_rate(int m, const ccounts *c, size_t *x, size_t *n)
{
	size_t pos = c->tp + c->fn, neg = c->tn + c->fp;
	switch (m) {
	case FA_M_PREVALENCE: *x = pos; *n = pos + neg; break;
	case FA_M_ACCURACY: *x = c->tp + c->tn; *n = pos + neg; break;
	case FA_M_TPR: *x = c->tp; *n = pos; break;
	case FA_M_FNR: *x = c->fn; *n = pos; break;
	case FA_M_TNR: *x = c->tn; *n = neg; break;
	case FA_M_FPR: *x = c->fp; *n = neg; break;
	case FA_M_PPV: *x = c->tp; *n = c->tp + c->fp; break;
	case FA_M_NPV: *x = c->tn; *n = c->tn + c->fn; break;
	case FA_M_SELECTION_RATE: *x = c->tp + c->fp; *n = pos + neg; break;
	default: *x = *n = 0; break;
	}
}

/* Every rate of group g over its clusters (out[m], m < M): the
 * Korn-Graubard Wilson interval and the design effect. A metric that is
 * not a rate, or has no record, keeps n = 0 and NaN. */
static void group_cluster_rates(fa_cluster_prop *out, const engine *E, const stratum *S, size_t g,
				const fa_group_result *gr, double level)
{
	size_t lo = S->gstart[g], n = S->n[g], k = S->nclusters[g], j, c;
	/* decisions are score >= threshold (the main one or the view's), so
	 * the positive decisions are the group's last tp + fp records */
	size_t cut = n - (gr->tp + gr->fp);
	ccounts *cc = fa_xcalloc(k ? k : 1, sizeof(*cc));
	size_t *xs = fa_xmalloc((k ? k : 1) * sizeof(size_t));
	size_t *ns = fa_xmalloc((k ? k : 1) * sizeof(size_t));
	int m;

	for (j = 0; j < n; j++) {
		uint32_t v = S->idx[lo + j];
		int dec = E->d ? E->d[v & ~LABEL_BIT] != 0 : j >= cut;
		ccounts *y = &cc[S->ccode[lo + j]];
		if (v & LABEL_BIT) {
			if (dec)
				y->tp++;
			else
				y->fn++;
		} else if (dec) {
			y->fp++;
		} else {
			y->tn++;
		}
	}
	for (m = 0; m < M; m++) {
		size_t gx, gn, sx = 0, sn = 0;
		memset(&out[m], 0, sizeof(out[m]));
		out[m].estimate = out[m].var = out[m].deff = out[m].n_eff = NAN;
		out[m].df = out[m].low = out[m].high = NAN;
		if (!rate_counts(m, gr, &gx, &gn) || gn == 0)
			continue;
		for (c = 0; c < k; c++) {
			cluster_rate(m, &cc[c], &xs[c], &ns[c]);
			sx += xs[c];
			sn += ns[c];
		}
		/* the clusters' decisions are the group's */
		assert(sx == gx && sn == gn);
		(void)sx;
		(void)sn;
		fa_cluster_wilson(&out[m], xs, ns, k, level, NULL);
	}
	free(cc);
	free(xs);
	free(ns);
}

/* Obuchowski for group g of S, its clusters numbered 0.. within it. */
static int group_obuchowski(fa_obuchowski *out, const engine *E, const stratum *S, size_t g,
			    double level)
{
	size_t lo = S->gstart[g], n = S->n[g], j;
	double *sc = fa_xmalloc((n ? n : 1) * sizeof(double));
	uint8_t *y = fa_xmalloc(n ? n : 1);
	int rc;

	for (j = 0; j < n; j++) {
		uint32_t v = S->idx[lo + j];
		sc[j] = E->s[v & ~LABEL_BIT];
		y[j] = (v & LABEL_BIT) != 0;
	}
	rc = fa_obuchowski_compute(out, sc, y, S->ccode + lo, n, S->nclusters[g], level, NULL);
	free(sc);
	free(y);
	return rc;
}

/* The clusters that hold records of two or more groups of S: an attribute
 * that changes within a patient (a scanner, an age band). 0 without
 * --cluster. */
static size_t clusters_across_groups(const engine *E, const stratum *S)
{
	uint32_t *first;
	uint8_t *counted;
	size_t g, j, k = 0;

	if (!E->cluster || S->ngroups < 2)
		return 0;
	first = fa_xmalloc((E->ncluster_ids ? E->ncluster_ids : 1) * sizeof(uint32_t));
	counted = fa_xcalloc(E->ncluster_ids ? E->ncluster_ids : 1, 1);
	memset(first, 0xff, E->ncluster_ids * sizeof(uint32_t));
	for (g = 0; g < S->ngroups; g++)
		for (j = S->gstart[g]; j < S->gstart[g + 1]; j++) {
			uint32_t c = E->cluster[S->idx[j] & ~LABEL_BIT];
			if (first[c] == UINT32_MAX)
				first[c] = (uint32_t)g;
			else if (first[c] != g && !counted[c]) {
				counted[c] = 1;
				k++;
			}
		}
	free(first);
	free(counted);
	return k;
}

/* DeLong for group g of S: the group's scores are already ascending. */
static int group_delong(fa_delong *out, const engine *E, const stratum *S, size_t g,
			double level)
{
	size_t lo = S->gstart[g], n = S->n[g], np = 0, nn = 0, j;
	double *pos = fa_xmalloc((n ? n : 1) * sizeof(double));
	double *neg = fa_xmalloc((n ? n : 1) * sizeof(double));
	int rc;

	for (j = 0; j < n; j++) {
		uint32_t v = S->idx[lo + j];
		double s = E->s[v & ~LABEL_BIT];
		if (v & LABEL_BIT)
			pos[np++] = s;
		else
			neg[nn++] = s;
	}
	rc = fa_delong_compute_split(out, pos, np, neg, nn, level, NULL);
	free(pos);
	free(neg);
	return rc;
}

static void set_aci(fa_estimate *e, double lo, double hi)
{
	if (isnan(e->value) || isnan(lo) || isnan(hi))
		return;
	e->has_aci = 1;
	e->aci_low = lo;
	e->aci_high = hi;
}

/* ---- permutation test of the gaps ------------------------------------ */

typedef struct perm_job {
	const engine *E;
	size_t G;
	size_t ne;          /* records of eligible groups */
	uint32_t *pos_of;   /* their sorted positions, ascending */
	uint16_t *code;     /* their groups */
	uint32_t *cls[2];   /* indices (into the list) of each label class */
	size_t ncls[2];
	/* with --cluster whole clusters move: clu_of[i] is the cluster
	 * (0 .. nclu - 1) of listed record i and cgroup[c] the group of
	 * cluster c; ccls[0..2] list the clusters of negatives only, of
	 * positives only and of both, within each of which groups are
	 * permuted. clu_of is NULL without --cluster. */
	uint32_t *clu_of;
	uint16_t *cgroup;
	size_t nclu;
	uint32_t *ccls[3];
	size_t nccls[3];
	const uint8_t *eligible;
	size_t thr;         /* first sorted position with score >= threshold */
	size_t edge[FA_ECE_BINS + 1];
	double observed[M];
	int tested[M];
	uint64_t seed;
	size_t B;
	unsigned nthreads;
	/* per thread, summed at the end */
	size_t *exceed, *valid;
} perm_job;

typedef struct perm_worker {
	perm_job *J;
	unsigned id;
} perm_worker;

typedef struct pstate {
	double last;
	uint64_t neg_below, run_pos, run_neg, auc2, pos, tp, fp;
	double brier;
	fa_acc acc;
} pstate;

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void *perm_main(void *arg)
{
	perm_worker *w = arg;
	perm_job *J = w->J;
	const engine *E = J->E;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	uint16_t *code = fa_xmalloc((J->ne ? J->ne : 1) * sizeof(uint16_t));
	pstate *ps = fa_xmalloc(J->G * sizeof(pstate));
	double *v = fa_xmalloc(J->G * M * sizeof(double));
	const char **why = fa_xmalloc(J->G * M * sizeof(char *));
	uint16_t *cg = J->clu_of ? fa_xmalloc((J->nclu ? J->nclu : 1) * sizeof(uint16_t)) : NULL;
	size_t p, i, g, c;
	int m;

	for (p = w->id; p < J->B; p += J->nthreads) {
		size_t bin = 0;
		gsl_rng_set(rng, (unsigned long)(mix64(J->seed ^ mix64(p + 1)) & 0xffffffffUL));
		if (J->clu_of) {
			/* shuffle the clusters' groups within each kind of
			 * cluster; each record follows its cluster */
			memcpy(cg, J->cgroup, J->nclu * sizeof(uint16_t));
			for (c = 0; c < 3; c++)
				for (i = J->nccls[c]; i > 1; i--) {
					size_t j = gsl_rng_uniform_int(rng, i);
					uint32_t a = J->ccls[c][i - 1], b = J->ccls[c][j];
					uint16_t t = cg[a];
					cg[a] = cg[b];
					cg[b] = t;
				}
			for (i = 0; i < J->ne; i++)
				code[i] = cg[J->clu_of[i]];
		} else {
			memcpy(code, J->code, J->ne * sizeof(uint16_t));
			/* shuffle group labels within each label class (Fisher-Yates) */
			for (c = 0; c < 2; c++)
				for (i = J->ncls[c]; i > 1; i--) {
					size_t j = gsl_rng_uniform_int(rng, i);
					uint32_t a = J->cls[c][i - 1], b = J->cls[c][j];
					uint16_t t = code[a];
					code[a] = code[b];
					code[b] = t;
				}
		}
		memset(ps, 0, J->G * sizeof(pstate));
		for (g = 0; g < J->G; g++)
			ps[g].last = NAN;
		for (i = 0; i < J->ne; i++) {
			size_t at = J->pos_of[i] & ~LABEL_BIT;
			uint64_t y = J->pos_of[i] >> 31;
			pstate *x = &ps[code[i]];
			double s = E->s[at];
			int dec = E->d ? E->d[at] : at >= J->thr;
			while (E->probabilities && bin + 1 < FA_ECE_BINS && at >= J->edge[bin + 1])
				bin++;
			if (s != x->last) {
				x->auc2 += x->run_pos * (2 * x->neg_below + x->run_neg);
				x->neg_below += x->run_neg;
				x->run_pos = x->run_neg = 0;
				x->last = s;
			}
			if (y) {
				x->run_pos++;
				x->pos++;
				x->tp += (uint64_t)dec;
				x->brier += (1 - s) * (1 - s);
			} else {
				x->run_neg++;
				x->fp += (uint64_t)dec;
				x->brier += s * s;
			}
			if (E->probabilities) {
				x->acc.bin_w[bin]++;
				x->acc.bin_pos[bin] += y;
				x->acc.bin_s[bin] += s;
			}
		}
		for (g = 0; g < J->G; g++) {
			pstate *x = &ps[g];
			if (!J->eligible[g])
				continue;
			x->auc2 += x->run_pos * (2 * x->neg_below + x->run_neg);
			x->neg_below += x->run_neg;
			x->acc.wpos = x->pos;
			x->acc.wneg = x->neg_below;
			x->acc.tp = x->tp;
			x->acc.fp = x->fp;
			x->acc.auc2 = x->auc2;
			x->acc.brier = x->brier;
			fa_acc_metrics(&x->acc, E->probabilities, v + g * M, why + g * M);
		}
		for (m = 0; m < M; m++) {
			double lo = INFINITY, hi = -INFINITY;
			int ok = J->tested[m];
			for (g = 0; g < J->G && ok; g++) {
				if (!J->eligible[g])
					continue;
				if (isnan(v[g * M + m]))
					ok = 0;
				else {
					lo = fmin(lo, v[g * M + m]);
					hi = fmax(hi, v[g * M + m]);
				}
			}
			if (!ok)
				continue;
			J->valid[w->id * M + m]++;
			/* a permuted gap equal to the observed one (up to
			 * rounding) counts as reaching it */
			if (hi - lo >= J->observed[m] - 1e-12 * fmax(1, fabs(J->observed[m])))
				J->exceed[w->id * M + m]++;
		}
	}
	free(code);
	free(cg);
	free(ps);
	free(v);
	free(why);
	gsl_rng_free(rng);
	return NULL;
}

static size_t lower_bound(const double *s, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Permutation p-values of every metric's gap over the eligible groups. */
static void permutation_tests(const engine *E, size_t a, fa_attr_result *A,
			      const uint8_t *eligible, const fa_group_result *groups)
{
	const stratum *S = &E->st[a];
	perm_job J;
	size_t g, j, k, i;
	unsigned t, T = E->o->threads;
	pthread_t *th;
	perm_worker *ws;
	int *started, m, any = 0;
	uint32_t *order;

	memset(&J, 0, sizeof(J));
	J.E = E;
	J.G = S->ngroups;
	J.eligible = eligible;
	J.B = E->o->permutations;
	J.seed = mix64(E->o->seed ^ mix64(0x7065726dULL + a)); /* "perm" + attribute */
	for (m = 0; m < M; m++) {
		size_t defined = 0;
		for (g = 0; g < J.G; g++)
			defined += eligible[g] && !isnan(groups[g].metrics[m].value);
		J.tested[m] = defined >= 2 && !isnan(A->gaps[m].gap.value);
		J.observed[m] = A->gaps[m].gap.value;
		any |= J.tested[m];
	}
	/* a cluster in two groups cannot move whole: fa_inference_notes
	 * says so in the report */
	if (!any || clusters_across_groups(E, S))
		return;
	/* the eligible groups' records, in ascending score order */
	for (g = 0; g < J.G; g++)
		if (eligible[g])
			J.ne += S->n[g];
	order = fa_xmalloc(E->n * sizeof(uint32_t) + 1);
	memset(order, 0xff, E->n * sizeof(uint32_t));
	for (g = 0; g < J.G; g++)
		if (eligible[g])
			for (j = S->gstart[g]; j < S->gstart[g + 1]; j++)
				order[S->idx[j] & ~LABEL_BIT] = (uint32_t)g;
	J.pos_of = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint32_t));
	J.code = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint16_t));
	J.cls[0] = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint32_t));
	J.cls[1] = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint32_t));
	/* labels: from each group's layout */
	{
		uint8_t *lab = fa_xmalloc(E->n ? E->n : 1);
		for (g = 0; g < J.G; g++)
			for (j = S->gstart[g]; j < S->gstart[g + 1]; j++)
				lab[S->idx[j] & ~LABEL_BIT] = (uint8_t)(S->idx[j] >> 31);
		for (i = 0, k = 0; i < E->n; i++)
			if (order[i] != UINT32_MAX) {
				J.pos_of[k] = (uint32_t)i | (lab[i] ? LABEL_BIT : 0);
				J.code[k] = (uint16_t)order[i];
				J.cls[lab[i]][J.ncls[lab[i]]++] = (uint32_t)k;
				k++;
			}
		free(lab);
	}
	free(order);
	if (E->cluster) {
		uint32_t *local = fa_xmalloc((E->ncluster_ids ? E->ncluster_ids : 1) * sizeof(uint32_t));
		uint8_t *kind = fa_xcalloc(J.ne ? J.ne : 1, 1); /* bit 0 negative, bit 1 positive */
		memset(local, 0xff, E->ncluster_ids * sizeof(uint32_t));
		J.clu_of = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint32_t));
		J.cgroup = fa_xmalloc((J.ne ? J.ne : 1) * sizeof(uint16_t));
		for (i = 0; i < J.ne; i++) {
			uint32_t c = E->cluster[J.pos_of[i] & ~LABEL_BIT];
			if (local[c] == UINT32_MAX) {
				local[c] = (uint32_t)J.nclu;
				J.cgroup[J.nclu++] = J.code[i];
			}
			J.clu_of[i] = local[c];
			kind[local[c]] |= (J.pos_of[i] & LABEL_BIT) ? 2 : 1;
		}
		for (k = 0; k < 3; k++)
			J.ccls[k] = fa_xmalloc((J.nclu ? J.nclu : 1) * sizeof(uint32_t));
		for (i = 0; i < J.nclu; i++) {
			k = (size_t)kind[i] - 1; /* 0 negatives, 1 positives, 2 both */
			J.ccls[k][J.nccls[k]++] = (uint32_t)i;
		}
		free(local);
		free(kind);
	}
	J.thr = lower_bound(E->s, E->n, E->o->threshold);
	for (i = 1; i < FA_ECE_BINS; i++)
		J.edge[i] = lower_bound(E->s, E->n, (double)i / 10.0);
	if (T == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		T = c > 0 ? (unsigned)c : 1;
	}
	if (T > J.B)
		T = (unsigned)J.B;
	J.nthreads = T;
	J.exceed = fa_xcalloc((size_t)T * M, sizeof(size_t));
	J.valid = fa_xcalloc((size_t)T * M, sizeof(size_t));
	th = fa_xcalloc(T, sizeof(*th));
	ws = fa_xcalloc(T, sizeof(*ws));
	started = fa_xcalloc(T, sizeof(*started));
	for (t = 0; t < T; t++) {
		ws[t].J = &J;
		ws[t].id = t;
	}
	for (t = 1; t < T; t++)
		started[t] = pthread_create(&th[t], NULL, perm_main, &ws[t]) == 0;
	perm_main(&ws[0]);
	for (t = 1; t < T; t++)
		if (started[t])
			pthread_join(th[t], NULL);
		else
			perm_main(&ws[t]);
	for (m = 0; m < M; m++) {
		size_t ex = 0, va = 0;
		if (!J.tested[m])
			continue;
		for (t = 0; t < T; t++) {
			ex += J.exceed[t * M + m];
			va += J.valid[t * M + m];
		}
		A->gaps[m].perm_p = (double)(ex + 1) / (double)(va + 1);
	}
	free(th);
	free(ws);
	free(started);
	free(J.exceed);
	free(J.valid);
	free(J.pos_of);
	free(J.code);
	free(J.cls[0]);
	free(J.cls[1]);
	free(J.clu_of);
	free(J.cgroup);
	for (k = 0; k < 3; k++)
		free(J.ccls[k]);
}

/* ---- score-attribute leakage ------------------------------------------- */

static const char R_LEAK_SMALL[] = "needs at least one record of the group and of the rest in this label class";

/* For each group and label class: the AUC of the score for "this group"
 * against "the rest" among records of that class, with DeLong's interval. */
/* Weighted running mean and sum of squared deviations (West 1979), so the
 * DeLong variances need no second pass. */
typedef struct wmoments {
	double w, mean, m2;
} wmoments;

static void wm_add(wmoments *x, double v, double w)
{
	double d;
	if (w <= 0)
		return;
	x->w += w;
	d = v - x->mean;
	x->mean += d * w / x->w;
	x->m2 += w * d * (v - x->mean);
}

/* For each group and label class: the AUC of the score for "this group"
 * against "the rest" among records of that class, with DeLong's interval
 * (clipped to [0,1] as pROC's ci.auc). All groups at once, in one pass over
 * each class in score order: a run of tied scores gives every record of
 * group g the placement (rest below + rest tied / 2) / n_rest, and every
 * record of the rest the placement (g above + g tied / 2) / n_g. */
static void leakage(const engine *E, size_t a, fa_group_result *groups)
{
	const stratum *S = &E->st[a];
	size_t G = S->ngroups, g, j, c, i;
	uint8_t *lab = fa_xmalloc(E->n ? E->n : 1);
	uint16_t *grp = fa_xmalloc((E->n ? E->n : 1) * sizeof(uint16_t));
	size_t *ncls = fa_xcalloc(G, sizeof(size_t)), *below = fa_xcalloc(G, sizeof(size_t));
	size_t *run = fa_xcalloc(G, sizeof(size_t));
	wmoments *in = fa_xcalloc(G, sizeof(wmoments)), *out = fa_xcalloc(G, sizeof(wmoments));
	uint64_t *num = fa_xcalloc(G, sizeof(uint64_t)); /* 2 x pairs won + pairs tied */
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - E->o->ci_level) / 2);
	/* with --cluster: the records of the class, in score order, for
	 * Obuchowski's variance of each group against the rest */
	double *cs = NULL;
	uint32_t *ck = NULL;
	uint16_t *cgrp = NULL;
	uint8_t *cin = NULL;
	size_t cn = 0;

	/* every record's group and label, in ascending score order */
	for (g = 0; g < G; g++)
		for (j = S->gstart[g]; j < S->gstart[g + 1]; j++) {
			lab[S->idx[j] & ~LABEL_BIT] = (uint8_t)(S->idx[j] >> 31);
			grp[S->idx[j] & ~LABEL_BIT] = (uint16_t)g;
		}
	for (c = 0; c < 2; c++) {
		size_t total = 0, total_below = 0;
		memset(ncls, 0, G * sizeof(size_t));
		memset(below, 0, G * sizeof(size_t));
		memset(in, 0, G * sizeof(wmoments));
		memset(out, 0, G * sizeof(wmoments));
		memset(num, 0, G * sizeof(uint64_t));
		for (i = 0; i < E->n; i++)
			if (lab[i] == c) {
				ncls[grp[i]]++;
				total++;
			}
		if (E->cluster) {
			cs = fa_xrealloc(cs, (total ? total : 1) * sizeof(double));
			ck = fa_xrealloc(ck, (total ? total : 1) * sizeof(uint32_t));
			cgrp = fa_xrealloc(cgrp, (total ? total : 1) * sizeof(uint16_t));
			cin = fa_xrealloc(cin, total ? total : 1);
			for (i = 0, cn = 0; i < E->n; i++)
				if (lab[i] == c) {
					cs[cn] = E->s[i];
					ck[cn] = E->cluster[i];
					cgrp[cn++] = grp[i];
				}
		}
		for (i = 0; i < E->n;) {
			size_t end = i, R = 0;
			/* the run of records of class c with this score */
			while (end < E->n && E->s[end] == E->s[i]) {
				if (lab[end] == c) {
					run[grp[end]]++;
					R++;
				}
				end++;
			}
			if (R)
				for (g = 0; g < G; g++) {
					size_t rg = run[g], nout = total - ncls[g];
					num[g] += rg * (2 * (total_below - below[g]) + (R - rg));
					if (rg && nout)
						wm_add(&in[g],
						       ((double)(total_below - below[g]) + 0.5 * (double)(R - rg)) /
							       (double)nout,
						       (double)rg);
					if (R > rg && ncls[g])
						wm_add(&out[g],
						       ((double)(ncls[g] - below[g] - rg) + 0.5 * (double)rg) /
							       (double)ncls[g],
						       (double)(R - rg));
					below[g] += rg;
					run[g] = 0;
				}
			total_below += R;
			i = end;
		}
		for (g = 0; g < G; g++) {
			fa_estimate *e = &groups[g].leakage[c];
			size_t ni = ncls[g], no = total - ncls[g];
			memset(e, 0, sizeof(*e));
			e->value = e->p_value = e->p_adjusted = NAN;
			if (groups[g].status == FA_GROUP_SUPPRESSED) {
				e->reason = "withheld: group smaller than --suppress-below";
				continue;
			}
			if (ni == 0 || no == 0) {
				e->reason = R_LEAK_SMALL;
				continue;
			}
			/* the AUC exactly, as the main AUC: one division of integers */
			e->value = (double)num[g] / (2.0 * (double)ni * (double)no);
			if (E->cluster) {
				fa_obuchowski ob;
				for (i = 0; i < cn; i++)
					cin[i] = cgrp[i] == g;
				if (fa_obuchowski_compute(&ob, cs, cin, ck, cn, E->ncluster_ids,
							  E->o->ci_level, NULL) == 0)
					set_aci(e, ob.auc.ci_low, ob.auc.ci_high);
			} else if (ni >= 2 && no >= 2) {
				double var = in[g].m2 / (double)(ni - 1) / (double)ni +
					     out[g].m2 / (double)(no - 1) / (double)no;
				double se = sqrt(var);
				set_aci(e, fmax(0, e->value - z * se), fmin(1, e->value + z * se));
			}
		}
	}
	free(lab);
	free(grp);
	free(ncls);
	free(below);
	free(run);
	free(in);
	free(out);
	free(num);
	free(cs);
	free(ck);
	free(cgrp);
	free(cin);
}

/* ---- per attribute ------------------------------------------------------ */

void fa_inference_attr(const engine *E, size_t a, fa_attr_result *A,
		       fa_group_result *groups, const uint8_t *eligible, long ref, int view)
{
	const stratum *S = &E->st[a];
	const fa_audit_options *o = E->o;
	size_t G = S->ngroups, g, x, n;
	double level = o->ci_level;
	int clustered = S->ccode != NULL;
	fa_delong *dl = fa_xcalloc(G, sizeof(*dl));
	fa_obuchowski *ob = clustered ? fa_xcalloc(G, sizeof(*ob)) : NULL;
	fa_cluster_prop *cr = clustered ? fa_xcalloc(G * M, sizeof(*cr)) : NULL;
	int *dl_ok = fa_xcalloc(G, sizeof(int));
	int m;
	fa_interval iv;

	if (A && !view) {
		leakage(E, a, groups);
	} else {
		size_t c;
		for (c = 0; c < 2; c++) {
			memset(&groups[0].leakage[c], 0, sizeof(fa_estimate));
			groups[0].leakage[c].value = NAN;
			groups[0].leakage[c].p_value = groups[0].leakage[c].p_adjusted = NAN;
			groups[0].leakage[c].reason = "not defined for the whole population";
		}
		if (A)
			for (g = 0; g < G; g++)
				for (c = 0; c < 2; c++) {
					memset(&groups[g].leakage[c], 0, sizeof(fa_estimate));
					groups[g].leakage[c].value = NAN;
					groups[g].leakage[c].p_value = NAN;
					groups[g].leakage[c].p_adjusted = NAN;
					groups[g].leakage[c].reason = "see the main result";
				}
	}
	if (A)
		for (m = 0; m < M; m++) {
			A->gaps[m].perm_p = A->gaps[m].perm_p_adjusted = NAN;
			A->gaps[m].chisq = A->gaps[m].chisq_df = NAN;
			A->gaps[m].chisq_p = A->gaps[m].chisq_p_adjusted = NAN;
		}
	if (o->ci_method == FA_CI_BOOTSTRAP && !(A && o->permutations && !view))
		goto done;
	/* per group: Wilson for rates, DeLong for the AUC; with clusters the
	 * Korn-Graubard Wilson and Obuchowski */
	for (g = 0; g < G; g++) {
		fa_group_result *gr = &groups[g];
		if (gr->status == FA_GROUP_SUPPRESSED)
			continue;
		if (clustered) {
			dl_ok[g] = group_obuchowski(&ob[g], E, S, g, level) == 0;
			group_cluster_rates(cr + g * M, E, S, g, gr, level);
		} else {
			dl_ok[g] = group_delong(&dl[g], E, S, g, level) == 0;
		}
		if (o->ci_method == FA_CI_BOOTSTRAP)
			continue;
		for (m = 0; m < M; m++)
			if (clustered)
				set_aci(&gr->metrics[m], cr[g * M + m].low, cr[g * M + m].high);
			else if (rate_counts(m, gr, &x, &n) && n > 0 &&
				 fa_wilson_interval(&iv, x, n, level, NULL) == 0)
				set_aci(&gr->metrics[m], iv.low, iv.high);
		if (dl_ok[g] && clustered)
			set_aci(&gr->metrics[FA_M_AUC], ob[g].auc.ci_low, ob[g].auc.ci_high);
		else if (dl_ok[g])
			set_aci(&gr->metrics[FA_M_AUC], dl[g].ci_low, dl[g].ci_high);
	}
	if (!A)
		goto done;
	/* differences to the reference */
	if (ref >= 0 && o->ci_method != FA_CI_BOOTSTRAP)
		for (g = 0; g < G; g++) {
			fa_group_result *gr = &groups[g], *rg = &groups[ref];
			if (!eligible[g] || (long)g == ref)
				continue;
			for (m = 0; m < M; m++) {
				size_t x2, n2;
				fa_chisq cs;
				size_t xs[2], ns[2];
				if (!rate_counts(m, gr, &x, &n) || !rate_counts(m, rg, &x2, &n2) ||
				    n == 0 || n2 == 0)
					continue;
				xs[0] = x;
				xs[1] = x2;
				ns[0] = n;
				ns[1] = n2;
				if (clustered) {
					const fa_cluster_prop *p1 = &cr[g * M + m], *p2 = &cr[ref * M + m];
					fa_interval i1, i2;
					double ds[2];
					i1.estimate = p1->estimate;
					i1.low = p1->low;
					i1.high = p1->high;
					i2.estimate = p2->estimate;
					i2.low = p2->low;
					i2.high = p2->high;
					fa_newcombe_hybrid(&iv, &i1, &i2);
					set_aci(&gr->diff[m], iv.low, iv.high);
					ds[0] = p1->deff;
					ds[1] = p2->deff;
					if (!isnan(gr->diff[m].value) &&
					    fa_chisq_rao_scott(&cs, NULL, xs, ns, ds, 2, NULL) == 0)
						gr->diff[m].p_value = cs.p_value;
					continue;
				}
				if (fa_newcombe_interval(&iv, x, n, x2, n2, level, NULL) == 0)
					set_aci(&gr->diff[m], iv.low, iv.high);
				if (!isnan(gr->diff[m].value) &&
				    fa_chisq_homogeneity(&cs, xs, ns, 2, NULL) == 0)
					gr->diff[m].p_value = cs.p_value;
			}
			if (dl_ok[g] && dl_ok[ref]) {
				fa_delong_diff dd;
				int rc = clustered ? fa_obuchowski_compare(&dd, &ob[g], &ob[ref], level, NULL)
						   : fa_delong_compare(&dd, &dl[g], &dl[ref], level, NULL);
				if (rc == 0) {
					set_aci(&gr->diff[FA_M_AUC], dd.ci_low, dd.ci_high);
					gr->diff[FA_M_AUC].p_value = dd.p_value;
				}
			}
		}
	/* is there a gap at all? chi-square for rates over eligible groups,
	 * with clusters corrected by the mean design effect (Rao-Scott) */
	for (m = 0; m < M; m++) {
		size_t *xs = fa_xmalloc(G * sizeof(size_t)), *ns = fa_xmalloc(G * sizeof(size_t));
		double *ds = fa_xmalloc(G * sizeof(double));
		size_t k = 0;
		fa_chisq cs;
		int rc;
		for (g = 0; g < G; g++)
			if (eligible[g] && rate_counts(m, &groups[g], &xs[k], &ns[k]) && ns[k] > 0) {
				ds[k] = clustered ? cr[g * M + m].deff : 1;
				k++;
			}
		if (k >= 2 && !isnan(A->gaps[m].gap.value)) {
			rc = clustered ? fa_chisq_rao_scott(&cs, NULL, xs, ns, ds, k, NULL)
				       : fa_chisq_homogeneity(&cs, xs, ns, k, NULL);
			if (rc == 0) {
				A->gaps[m].chisq = cs.statistic;
				A->gaps[m].chisq_df = cs.df;
				A->gaps[m].chisq_p = cs.p_value;
				A->gaps[m].chisq_low_expected = cs.low_expected;
			}
		}
		free(xs);
		free(ns);
		free(ds);
	}
	if (o->permutations && !view)
		permutation_tests(E, a, A, eligible, groups);
done:
	free(dl);
	free(ob);
	free(cr);
	free(dl_ok);
}

/* ---- notes ---------------------------------------------------------------- */

void fa_inference_notes(const engine *E, fa_result *R)
{
	size_t a;

	for (a = 1; a < E->nst; a++) {
		size_t k = clusters_across_groups(E, &E->st[a]);
		fa_buf b = FA_BUF_INIT;
		if (!k)
			continue;
		fa_buf_printf(&b,
			      "attribute \"%s\" changes within clusters of --cluster %s (%zu %s "
			      "records of two or more of its groups): ",
			      E->st[a].name, E->o->cluster_column, k,
			      k == 1 ? "cluster holds" : "clusters hold");
		if (E->o->permutations)
			fa_buf_puts(&b, "its permutation tests were not run, as a cluster cannot "
					"move whole between groups; ");
		fa_buf_puts(&b, "its differences between groups, their intervals and tests treat "
				"the groups as independent samples of clusters, which they are only "
				"approximately");
		R->warnings = fa_xrealloc(R->warnings, (R->nwarnings + 1) * sizeof(char *));
		R->warnings[R->nwarnings++] = fa_buf_detach(&b);
	}
}

/* ---- multiplicity ------------------------------------------------------- */

void fa_inference_adjust(fa_result *R, fa_p_adjust_method method)
{
	double **slot = NULL, **adj = NULL, *p, *out;
	size_t k = 0, cap = 0, a, g, i;
	int m;

#define ADD(pv, pa)                                                           \
	do {                                                                  \
		if (!isnan(pv)) {                                             \
			if (k == cap) {                                       \
				cap = cap ? 2 * cap : 64;                     \
				slot = fa_xrealloc(slot, cap * sizeof(*slot)); \
				adj = fa_xrealloc(adj, cap * sizeof(*adj));   \
			}                                                     \
			slot[k] = &(pv);                                      \
			adj[k++] = &(pa);                                     \
		}                                                             \
	} while (0)

	for (a = 0; a < R->nattrs; a++) {
		fa_attr_result *A = &R->attrs[a];
		for (m = 0; m < M; m++) {
			ADD(A->gaps[m].perm_p, A->gaps[m].perm_p_adjusted);
			ADD(A->gaps[m].chisq_p, A->gaps[m].chisq_p_adjusted);
			for (g = 0; g < A->ngroups; g++)
				ADD(A->groups[g].diff[m].p_value, A->groups[g].diff[m].p_adjusted);
		}
	}
#undef ADD
	if (k) {
		p = fa_xmalloc(k * sizeof(double));
		out = fa_xmalloc(k * sizeof(double));
		for (i = 0; i < k; i++)
			p[i] = *slot[i];
		fa_p_adjust(out, p, k, method);
		for (i = 0; i < k; i++)
			*adj[i] = out[i];
		free(p);
		free(out);
	}
	free(slot);
	free(adj);
}
