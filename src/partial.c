/*
 * partial.c: partial audits. Building one from a table reduces the records
 * to per-group score counts and per-replicate binned counts; merging adds
 * them; the file form is a small header and a zlib-compressed body of
 * varints (docs/partial-format.md). Everything is kept in one canonical
 * order (levels, groups, scores, files), so equal sums are equal bytes.
 */
#include "partial_internal.h"

#include "audit_internal.h"
#include "fairaudit/version.h"
#include "table_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ---- small tools ---------------------------------------------------------- */

static char *dupnull(const char *s)
{
	return s ? fa_xstrdup(s) : NULL;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Adding up counts that a damaged file could make overflow. */
static int add_ok(uint64_t *sum, uint64_t x)
{
	if (*sum > UINT64_MAX - x)
		return 0;
	*sum += x;
	return 1;
}

/* FNV-1a, 64 bits: the record key of the bootstrap, hashed. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

/* The key of a unit: its kind ('c' cluster, 'i' id, 'f' file and line)
 * and its text. */
static uint64_t unit_hash(char kind, const char *text, size_t len)
{
	return fa_mix64(fnv1a(fnv1a(FNV_BASIS, &kind, 1), text, len));
}

/* Poisson(1) by inversion of u 2^-53, u < 2^53: pois_at[k] is
 * ceil(P(X <= k) 2^53), so u 2^-53 >= P(X <= k) exactly when u >= it. */
static uint64_t pois_at[16];
static pthread_once_t pois_once = PTHREAD_ONCE_INIT;

static void pois_init(void)
{
	double p = exp(-1.0), cdf = 0;
	unsigned k;
	for (k = 0; k < 16; k++) {
		cdf += p;
		p /= (double)(k + 1);
		pois_at[k] = (uint64_t)ceil(cdf * 0x1p53);
	}
}

static inline unsigned pois_draw(uint64_t u)
{
	unsigned k = 0;
	while (k < 16 && u >= pois_at[k])
		k++;
	return k;
}

static uint64_t order_key(double x)
{
	uint64_t b;
	if (x == 0)
		x = 0;
	memcpy(&b, &x, sizeof(b));
	return b >> 63 ? ~b : b | 0x8000000000000000ULL;
}

static double key_score(uint64_t k)
{
	uint64_t b = k >> 63 ? k & ~0x8000000000000000ULL : ~k;
	double x;
	memcpy(&x, &b, sizeof(x));
	return x;
}

size_t fa_partial_bin(double s, size_t bins)
{
	size_t per = bins / 10, c = 0, k;
	double sub;

	/* the engine's calibration bin: the edges (k + 1) / 10 at or below s */
	for (k = 0; k < 9; k++)
		c += s >= (double)(k + 1) / 10.0;
	sub = floor((s - (double)c / 10.0) * (double)bins);
	if (!(sub >= 0))
		sub = 0;
	if (sub > (double)(per - 1))
		sub = (double)(per - 1);
	return c * per + (size_t)sub;
}

/* ---- freeing ------------------------------------------------------------- */

static void group_free(fa_pgroup *g)
{
	free(g->lv);
	free(g->ent);
}

void fa_partial_free(fa_partial *p)
{
	size_t i, j;

	if (!p)
		return;
	free(p->tool_version);
	free(p->label_column);
	free(p->score_column);
	free(p->pred_column);
	free(p->positive);
	free(p->cluster_column);
	free(p->id_column);
	for (i = 0; p->references && i < p->nreferences; i++)
		free(p->references[i]);
	free(p->references);
	/* a partial that failed to read may have counts without arrays */
	for (i = 0; p->columns && i < p->ncolumns; i++) {
		free(p->columns[i].name);
		for (j = 0; p->columns[i].levels && j < p->columns[i].nlevels; j++)
			free(p->columns[i].levels[j]);
		free(p->columns[i].levels);
		free(p->columns[i].missing);
	}
	free(p->columns);
	for (i = 0; p->strata && i < p->nstrata; i++) {
		fa_pstratum *S = &p->strata[i];
		free(S->spec);
		free(S->cols);
		for (j = 0; S->groups && j < S->ngroups; j++)
			group_free(&S->groups[j]);
		free(S->groups);
	}
	free(p->strata);
	free(p->reps);
	for (i = 0; p->files && i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].format);
	}
	free(p->files);
	free(p->probe_column);
	free(p);
}

size_t fa_partial_rows(const fa_partial *p)
{
	return (size_t)(p->rows_read - p->rows_dropped);
}

int fa_partial_permutations_set(const fa_partial *p)
{
	return p->permutations_set;
}

/* ---- canonical orders ------------------------------------------------------ */

static int file_cmp(const void *pa, const void *pb)
{
	const fa_file_info *a = pa, *b = pb;
	int c;
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	if ((c = strcmp(a->sha256, b->sha256)) != 0)
		return c;
	if (a->rows != b->rows)
		return a->rows < b->rows ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? -1 : 1;
	if ((c = strcmp(a->format, b->format)) != 0)
		return c;
	return a->gzip - b->gzip;
}

typedef struct file_ref {
	const fa_file_info *f;
	size_t at;
} file_ref;

static int file_ref_cmp(const void *pa, const void *pb)
{
	const file_ref *a = pa, *b = pb;
	int c = strcmp(a->f->sha256, b->f->sha256);
	if (c)
		return c;
	if (a->f->rows != b->f->rows)
		return a->f->rows < b->f->rows ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* Two files of `files` with the same bytes and records: the same records
 * counted twice. Returns the index of one of them, or SIZE_MAX. */
static size_t twice(const fa_file_info *files, size_t n)
{
	file_ref *refs = fa_xmalloc((n ? n : 1) * sizeof(*refs));
	size_t i, found = SIZE_MAX;

	for (i = 0; i < n; i++) {
		refs[i].f = &files[i];
		refs[i].at = i;
	}
	qsort(refs, n, sizeof(*refs), file_ref_cmp);
	for (i = 1; i < n && found == SIZE_MAX; i++)
		if (refs[i].f->rows && refs[i].f->rows == refs[i - 1].f->rows &&
		    strcmp(refs[i].f->sha256, refs[i - 1].f->sha256) == 0)
			found = refs[i].at;
	free(refs);
	return found;
}

static const char *base_name(const char *path);

/* Without an id column the bootstrap keys a record by its file's base name
 * and its line, so two inputs of one name would give their records of one
 * line the same weights. Returns 1 and the two files when they do. */
static int same_names(const fa_partial *p, const char **a, const char **b)
{
	size_t i, j;
	if (p->id_column || !p->bootstrap)
		return 0;
	for (i = 0; i < p->nfiles; i++)
		for (j = 0; j < i; j++)
			if (strcmp(base_name(p->files[i].path), base_name(p->files[j].path)) == 0) {
				*a = p->files[j].path;
				*b = p->files[i].path;
				return 1;
			}
	return 0;
}

/* Slots of every stratum, and the replicate rows' width. */
static void assign_slots(fa_partial *p)
{
	size_t a, at = 0;
	for (a = 0; a < p->nstrata; a++) {
		p->strata[a].slot0 = at;
		at += p->strata[a].ngroups * FA_PSLOTS(p->bins);
	}
	p->nslots = at;
}

/* Cells of the replicate rows (at least 1, for the allocation). */
static size_t rep_count(const fa_partial *p)
{
	size_t n = (size_t)p->bootstrap * p->nslots;
	return n ? n : 1;
}

/* Sample counts of group g's replicate slots: the counts each replicate
 * varies around (and what the file stores replicates relative to). */
static void sample_slots(const fa_partial *p, const fa_pgroup *g, uint64_t *out)
{
	size_t K = (size_t)p->bins, e;
	memset(out, 0, FA_PSLOTS(K) * sizeof(uint64_t));
	for (e = 0; e < g->nent; e++) {
		const fa_pentry *x = &g->ent[e];
		size_t k = fa_partial_bin(x->score, K);
		out[k] += x->c[0] + x->c[1];
		out[K + k] += x->c[2] + x->c[3];
		out[2 * K] += x->c[1];
		out[2 * K + 1] += x->c[3];
	}
}

/* ---- building ------------------------------------------------------------- */

typedef struct level_ref {
	const char *text;
	int missing;
	uint32_t code;
} level_ref;

static int level_ref_cmp(const void *pa, const void *pb)
{
	const level_ref *a = pa, *b = pb;
	return fa_level_order(a->text, a->missing, b->text, b->missing);
}

/* Column c (table attribute ta): its levels in report order, and each
 * table code's index among them (UINT32_MAX when unused). */
static uint32_t *build_column(fa_pcolumn *C, const fa_table *t, size_t ta)
{
	size_t L = fa_table_attr_levels(t, ta), n = fa_table_rows(t), i, k = 0;
	const uint32_t *codes = fa_table_attr_codes(t, ta);
	uint32_t miss = fa_table_attr_missing(t, ta);
	uint32_t *rank = fa_xmalloc((L ? L : 1) * sizeof(uint32_t));
	uint8_t *used = fa_xcalloc(L ? L : 1, 1);
	level_ref *refs;

	for (i = 0; i < n; i++)
		used[codes[i]] = 1;
	C->binned = fa_table_attr_binned(t, ta);
	refs = fa_xmalloc((L ? L : 1) * sizeof(*refs));
	for (i = 0; i < L; i++) {
		rank[i] = UINT32_MAX;
		/* every bin is a level of a binned column, used or not, so
		 * partials of the same bins list the same levels */
		if (!used[i] && !(C->binned && (uint32_t)i != miss))
			continue;
		refs[k].text = fa_table_attr_level(t, ta, (uint32_t)i);
		refs[k].missing = (uint32_t)i == miss;
		refs[k++].code = (uint32_t)i;
	}
	if (!C->binned)
		qsort(refs, k, sizeof(*refs), level_ref_cmp);
	C->nlevels = k;
	C->levels = fa_xcalloc(k ? k : 1, sizeof(char *));
	C->missing = fa_xcalloc(k ? k : 1, 1);
	for (i = 0; i < k; i++) {
		C->levels[i] = fa_xstrdup(refs[i].text);
		C->missing[i] = (uint8_t)refs[i].missing;
		rank[refs[i].code] = (uint32_t)i;
	}
	free(refs);
	free(used);
	return rank;
}

typedef struct tuple_ref {
	const uint32_t *lv;
	size_t ncols;
	uint32_t code;
} tuple_ref;

/* Groups are in the order of their level tuples, column by column. */
static int lv_cmp(const uint32_t *a, const uint32_t *b, size_t ncols)
{
	size_t c;
	for (c = 0; c < ncols; c++)
		if (a[c] != b[c])
			return a[c] < b[c] ? -1 : 1;
	return 0;
}

static int tuple_cmp(const void *pa, const void *pb)
{
	const tuple_ref *a = pa, *b = pb;
	return lv_cmp(a->lv, b->lv, a->ncols);
}

/* The groups of stratum S (its columns' level indices per record in
 * `lv`, ncols per record): the tuples that occur, in order; each record's
 * group into gid. */
static int build_groups(fa_pstratum *S, const uint32_t *lv, size_t n, uint16_t *gid,
			fa_error *err)
{
	size_t i, g, nc = S->ncols;
	fa_dict d;
	uint32_t *code = fa_xmalloc((n ? n : 1) * sizeof(uint32_t)), *remap;
	tuple_ref *ts;

	fa_dict_init(&d);
	for (i = 0; i < n; i++)
		code[i] = fa_dict_intern(&d, (const char *)(lv + i * nc), nc * sizeof(uint32_t));
	if (d.count > FA_MAX_GROUPS) {
		fa_dict_free(&d);
		free(code);
		return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
				    "--group %s: %zu groups occur, more than the %d an attribute may have",
				    S->spec, d.count, FA_MAX_GROUPS);
	}
	ts = fa_xmalloc((d.count ? d.count : 1) * sizeof(*ts));
	for (g = 0; g < d.count; g++) {
		ts[g].lv = (const uint32_t *)d.names[g];
		ts[g].ncols = nc;
		ts[g].code = (uint32_t)g;
	}
	qsort(ts, d.count, sizeof(*ts), tuple_cmp);
	remap = fa_xmalloc((d.count ? d.count : 1) * sizeof(uint32_t));
	S->ngroups = d.count;
	S->groups = fa_xcalloc(d.count ? d.count : 1, sizeof(fa_pgroup));
	for (g = 0; g < d.count; g++) {
		remap[ts[g].code] = (uint32_t)g;
		S->groups[g].lv = fa_xmalloc(nc * sizeof(uint32_t));
		memcpy(S->groups[g].lv, ts[g].lv, nc * sizeof(uint32_t));
	}
	for (i = 0; i < n; i++)
		gid[i] = (uint16_t)remap[code[i]];
	free(remap);
	free(ts);
	free(code);
	fa_dict_free(&d);
	return 0;
}

static void push_entry(fa_pgroup *G, size_t *cap, double s, unsigned cell)
{
	if (G->nent && G->ent[G->nent - 1].score == s) {
		G->ent[G->nent - 1].c[cell]++;
		return;
	}
	if (G->nent == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		G->ent = fa_xrealloc(G->ent, *cap * sizeof(fa_pentry));
	}
	memset(&G->ent[G->nent], 0, sizeof(fa_pentry));
	G->ent[G->nent].score = s;
	G->ent[G->nent++].c[cell] = 1;
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* With a cluster column: the distinct clusters of every group of S; a
 * record without a cluster is one of its own. */
static void count_clusters(fa_pstratum *S, const uint16_t *gid, const uint32_t *cc,
			   uint32_t miss, size_t n)
{
	uint64_t *pairs = fa_xmalloc((n ? n : 1) * sizeof(uint64_t));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (cc[i] == miss)
			S->groups[gid ? gid[i] : 0].nclusters++;
		else
			pairs[k++] = (uint64_t)(gid ? gid[i] : 0) << 32 | cc[i];
	}
	qsort(pairs, k, sizeof(uint64_t), u64_cmp);
	for (i = 0; i < k; i++)
		if (i == 0 || pairs[i] != pairs[i - 1])
			S->groups[pairs[i] >> 32].nclusters++;
	free(pairs);
}

/* The replicates: a pass over the records per replicate, replicates
 * shared out to threads. */
typedef struct rep_job {
	fa_partial *p;           /* its replicate rows are filled */
	const uint64_t *hu;     /* per record: its unit's hash */
	const uint32_t *cell;   /* per record: label * bins + bin, decision in bit 31 */
	uint16_t *const *gid;   /* per stratum (a >= 1), per record */
	size_t n;
	atomic_size_t next, done;
	const fa_audit_options *o;
} rep_job;

/* Replicates [r0, r1), at most REP_BATCH of them, a chunk of records at a
 * time: within the chunk each replicate draws every record's weight first
 * (W, one byte each), then adds them into the groups' slots one attribute
 * at a time. The chunk's records are read from memory once for the whole
 * batch rather than once for each replicate. */
#define REP_BATCH 8
#define REP_CHUNK 8192

static void replicate_batch(rep_job *J, size_t r0, size_t r1, uint8_t *W)
{
	const fa_partial *p = J->p;
	size_t K = (size_t)p->bins, S = FA_PSLOTS(K), n = J->n, c0, r, i, a;
	const uint64_t *hu = J->hu;
	const uint32_t *cell = J->cell;
	uint64_t t0 = pois_at[0], t1 = pois_at[1], t2 = pois_at[2], t3 = pois_at[3];
	uint64_t rseed[REP_BATCH];

	for (r = r0; r < r1; r++)
		rseed[r - r0] = fa_mix64(p->seed ^ fa_mix64((uint64_t)r + 1));
	for (c0 = 0; c0 < n; c0 += REP_CHUNK) {
		size_t c1 = c0 + REP_CHUNK < n ? c0 + REP_CHUNK : n;
		for (r = r0; r < r1; r++) {
			uint64_t *row = p->reps + r * p->nslots, rs = rseed[r - r0];
			/* without branches on the random values: the comparisons
			 * are summed, and only a weight of 4 or more (2% of
			 * records) takes the loop */
			for (i = c0; i < c1; i++) {
				uint64_t u = fa_mix64(rs ^ hu[i]) >> 11;
				unsigned w = (unsigned)(u >= t0) + (u >= t1) + (u >= t2) + (u >= t3);
				if (w == 4)
					w = pois_draw(u);
				W[i - c0] = (uint8_t)w;
			}
			for (a = 0; a < p->nstrata; a++) {
				uint64_t *restrict base = row + p->strata[a].slot0;
				const uint16_t *g = a ? J->gid[a] : NULL;
				for (i = c0; i < c1; i++) {
					uint64_t w = W[i - c0];
					uint32_t c = cell[i], k = c & 0x7fffffffu;
					size_t at = g ? (size_t)g[i] * S : 0;
					base[at + k] += w;
					base[at + 2 * K + (k >= K)] += w * (c >> 31);
				}
			}
		}
	}
}

/* The next batch of replicates, or 0 when none is left. */
static int next_batch(rep_job *J, size_t *r0, size_t *r1)
{
	size_t B = (size_t)J->p->bootstrap;
	*r0 = atomic_fetch_add(&J->next, REP_BATCH);
	if (*r0 >= B)
		return 0;
	*r1 = *r0 + REP_BATCH < B ? *r0 + REP_BATCH : B;
	return 1;
}

static void *rep_worker(void *arg)
{
	rep_job *J = arg;
	uint8_t *W = fa_xmalloc(REP_CHUNK);
	size_t r0, r1;
	while (next_batch(J, &r0, &r1)) {
		replicate_batch(J, r0, r1, W);
		atomic_fetch_add(&J->done, r1 - r0);
	}
	free(W);
	return NULL;
}

static void run_replicates(rep_job *J)
{
	unsigned T = J->o->threads, t;
	pthread_t *th;
	int *started;
	uint8_t *W;
	size_t r0, r1;

	if (T == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		T = c > 0 ? (unsigned)c : 1;
	}
	if (T > J->p->bootstrap)
		T = (unsigned)J->p->bootstrap;
	if (T == 0)
		T = 1;
	th = fa_xcalloc(T, sizeof(*th));
	started = fa_xcalloc(T, sizeof(*started));
	for (t = 1; t < T; t++)
		started[t] = pthread_create(&th[t], NULL, rep_worker, J) == 0;
	/* the calling thread draws replicates too, and reports progress */
	W = fa_xmalloc(REP_CHUNK);
	while (next_batch(J, &r0, &r1)) {
		replicate_batch(J, r0, r1, W);
		atomic_fetch_add(&J->done, r1 - r0);
		if (J->o->progress)
			J->o->progress(J->o->progress_ctx, atomic_load(&J->done), J->p->bootstrap);
	}
	free(W);
	for (t = 1; t < T; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	if (J->o->progress)
		J->o->progress(J->o->progress_ctx, J->p->bootstrap, J->p->bootstrap);
	free(th);
	free(started);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Each record's unit hash: its cluster's value, else its id, else its
 * file's base name and its line. */
static int unit_hashes(uint64_t *hu, const fa_table *t, const fa_partial *p, fa_error *err)
{
	size_t n = fa_table_rows(t), i, L, k;
	long ca = p->cluster_column ? fa_table_attr_find(t, p->cluster_column) : -1;
	long ia = p->id_column ? fa_table_attr_find(t, p->id_column) : -1;
	const uint32_t *cc = NULL, *ic = NULL;
	uint32_t cmiss = FA_NO_CODE;
	uint64_t *ch = NULL, *ih = NULL;
	char line[64];

	if (p->cluster_column && ca < 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--cluster %s: column was not loaded",
				    p->cluster_column);
	if (p->id_column && ia < 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--id %s: column was not loaded",
				    p->id_column);
	if (ia < 0 && n && fa_table_record_line(t, 0) == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "a partial audit needs each record's line: load the table with "
				    "FA_LOAD_KEEP_LINES or an id column");
	if (ca >= 0) {
		cc = fa_table_attr_codes(t, (size_t)ca);
		cmiss = fa_table_attr_missing(t, (size_t)ca);
		L = fa_table_attr_levels(t, (size_t)ca);
		ch = fa_xmalloc((L ? L : 1) * sizeof(uint64_t));
		for (k = 0; k < L; k++) {
			const char *v = fa_table_attr_level(t, (size_t)ca, (uint32_t)k);
			ch[k] = unit_hash('c', v, strlen(v));
		}
	}
	if (ia >= 0) {
		ic = fa_table_attr_codes(t, (size_t)ia);
		L = fa_table_attr_levels(t, (size_t)ia);
		if (L < n) {
			/* two records with one id would share every weight */
			uint32_t *first = fa_xmalloc((L ? L : 1) * sizeof(uint32_t));
			size_t r2 = 0, r1 = 0;
			const fa_input_file *f;
			for (k = 0; k < L; k++)
				first[k] = UINT32_MAX;
			for (i = 0; i < n; i++) {
				if (first[ic[i]] != UINT32_MAX && !(cc && cc[i] != cmiss)) {
					r1 = first[ic[i]];
					r2 = i;
					break;
				}
				first[ic[i]] = (uint32_t)i;
			}
			free(first);
			if (r2) {
				f = fa_table_file(t, fa_table_record_file(t, r2));
				free(ch);
				return fa_error_set(
				    err, FA_EINPUT, f ? f->path : NULL, fa_table_record_line(t, r2), 0,
				    "--id %s: the id \"%s\" of line %lu is that of line %lu too; the "
				    "bootstrap keys each record by its id, so ids must be unique (for "
				    "several images of one patient, give --cluster)",
				    p->id_column, fa_table_attr_level(t, (size_t)ia, ic[r2]),
				    fa_table_record_line(t, r2), fa_table_record_line(t, r1));
			}
		}
		ih = fa_xmalloc((L ? L : 1) * sizeof(uint64_t));
		for (k = 0; k < L; k++) {
			const char *v = fa_table_attr_level(t, (size_t)ia, (uint32_t)k);
			ih[k] = unit_hash('i', v, strlen(v));
		}
	}
	for (i = 0; i < n; i++) {
		if (cc && cc[i] != cmiss) {
			hu[i] = ch[cc[i]];
		} else if (ic) {
			hu[i] = ih[ic[i]];
		} else {
			const char *name = base_name(fa_table_file(t, fa_table_record_file(t, i))->path);
			uint64_t h = fnv1a(fnv1a(FNV_BASIS, "f", 1), name, strlen(name) + 1);
			int len = snprintf(line, sizeof(line), "%lu", fa_table_record_line(t, i));
			hu[i] = fa_mix64(fnv1a(h, line, (size_t)len));
		}
	}
	free(ch);
	free(ih);
	return 0;
}

/* The first record whose score is outside [0, 1], as an error. */
static int check_scores(const fa_table *t, const double *sc, fa_error *err)
{
	size_t n = fa_table_rows(t), i;

	for (i = 0; i < n; i++)
		if (!(sc[i] >= 0 && sc[i] <= 1)) {
			const fa_input_file *f = fa_table_file(t, fa_table_record_file(t, i));
			return fa_error_set(
			    err, FA_EINPUT, f ? f->path : NULL, fa_table_record_line(t, i), 0,
			    "score %g is outside [0, 1]: the bootstrap of a partial audit bins "
			    "scores in [0, 1]; map them there with an increasing function (the AUC and "
			    "ROC curve stay the same) or give --bootstrap 0",
			    sc[i]);
		}
	return 0;
}

static void settings_from(fa_partial *P, const fa_table *t, const fa_audit_options *o,
			  const fa_partial_options *po)
{
	size_t i;

	P->tool_version = fa_xstrdup(FA_VERSION_STRING);
	P->label_column = fa_xstrdup(fa_table_label_column(t));
	P->score_column = fa_xstrdup(fa_table_score_column(t));
	P->pred_column = dupnull(fa_table_pred_column(t));
	P->positive = dupnull(po->positive);
	P->threshold = o->threshold;
	P->ci_level = o->ci_level;
	P->min_n = o->min_n;
	P->suppress_below = o->suppress_below;
	P->bootstrap = o->ci_method == FA_CI_ANALYTIC ? 0 : o->bootstrap;
	P->seed = o->seed;
	P->permutations = o->permutations;
	P->permutations_set = po->permutations_set != 0;
	P->bins = po->bins;
	P->score_digits = po->score_digits < 0 ? -1 : po->score_digits;
	P->ci_method = (int)o->ci_method;
	P->bootstrap_ci = (int)o->bootstrap_ci;
	P->p_adjust = o->p_adjust;
	P->cluster_column = dupnull(o->cluster_column);
	P->id_column = dupnull(po->id_column);
	P->nreferences = o->nreferences;
	P->references = fa_xcalloc(o->nreferences ? o->nreferences : 1, sizeof(char *));
	for (i = 0; i < o->nreferences; i++)
		P->references[i] = fa_xstrdup(o->references[i]);
}

static void provenance_from(fa_partial *P, const fa_table *t)
{
	size_t i, repeats = 0;
	const char *probe = fa_table_probe(t, &repeats);

	P->nfiles = fa_table_file_count(t);
	P->files = fa_xcalloc(P->nfiles ? P->nfiles : 1, sizeof(fa_file_info));
	for (i = 0; i < P->nfiles; i++) {
		const fa_input_file *f = fa_table_file(t, i);
		P->files[i].path = fa_xstrdup(f->path);
		memcpy(P->files[i].sha256, f->sha256, 65);
		P->files[i].format = fa_xstrdup(f->format ? f->format : "csv");
		P->files[i].gzip = f->gzip;
		P->files[i].bytes = f->bytes;
		P->files[i].rows = f->rows;
	}
	qsort(P->files, P->nfiles, sizeof(fa_file_info), file_cmp);
	P->rows_read = fa_table_rows_read(t);
	P->rows_dropped = fa_table_rows_dropped(t);
	for (i = 0; i < FA_DROP__COUNT; i++)
		P->drops[i] = fa_table_drops(t, (fa_drop_reason)i);
	if (probe && repeats && !P->cluster_column)
		P->probe_column = fa_xstrdup(probe);
}

int fa_partial_build(fa_partial **out, const fa_table *t, const fa_audit_options *o,
		     const fa_partial_options *po, fa_error *err)
{
	size_t n = fa_table_rows(t), i, j, a, c;
	const double *sc = fa_table_scores(t);
	double *rounded = NULL;
	const uint8_t *lab = fa_table_labels(t), *pred = fa_table_preds(t);
	fa_partial *P;
	size_t *tcol = NULL;         /* per column: its table attribute */
	uint32_t **rank = NULL;      /* per column: table code -> level */
	uint16_t **gid = NULL;       /* per stratum: record -> group */
	uint32_t *perm = NULL;
	double *s = NULL;
	size_t *cap = NULL;
	int rc = 0;

	*out = NULL;
	if (o->noppoints)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--operating-point %s: not available in a partial audit (its "
				    "threshold is chosen again in every replicate from every record)",
				    o->oppoints[0]);
	if (po->score_digits > FA_PARTIAL_MAX_DIGITS)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "score digits: expected 0 to %d, got %d", FA_PARTIAL_MAX_DIGITS,
				    po->score_digits);
	if (po->bins < 10 || po->bins % 10 || po->bins > FA_PARTIAL_MAX_BINS)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "score bins: expected a multiple of 10 from 10 to %d, got %zu",
				    FA_PARTIAL_MAX_BINS, po->bins);
	if (!(o->ci_level > 0 && o->ci_level < 1))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--ci-level must lie strictly between 0 and 1");
	if (n >= 0x80000000u)
		return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
				    "more than %u records in one partial audit are not supported; "
				    "split the input into more partials",
				    0x7fffffffu);
	if (!sc || !lab)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "a partial audit needs the label and score columns");
	if (o->cluster_column && (o->ci_method != FA_CI_BOOTSTRAP || o->permutations))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--cluster %s: a partial audit resamples clusters in its bootstrap, but "
				    "its analytic intervals and tests would count records; give "
				    "--ci-method bootstrap (and no --permutations)",
				    o->cluster_column);
	P = fa_xcalloc(1, sizeof(*P));
	settings_from(P, t, o, po);
	/* the inputs first: a refusal should not wait for the replicates */
	provenance_from(P, t);
	if ((i = twice(P->files, P->nfiles)) != SIZE_MAX) {
		rc = fa_error_set(err, FA_EUSAGE, P->files[i].path, 0, 0,
				  "the same records are given twice (this file's bytes are those of "
				  "another input); each record must be in one partial audit once");
		goto done;
	}
	{
		const char *x, *y;
		if (same_names(P, &x, &y)) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					  "%s and %s have one name: without --id the bootstrap keys a record "
					  "by its file's name and line, so input files need distinct names "
					  "(rename one, or give --id with a column of unique record ids)",
					  x, y);
			goto done;
		}
	}
	if (P->score_digits >= 0) {
		/* to the nearest multiple of 10^-d, halves to even: the same
		 * value on every machine */
		double scale = pow(10.0, P->score_digits);
		rounded = fa_xmalloc((n ? n : 1) * sizeof(double));
		for (i = 0; i < n; i++) {
			rounded[i] = nearbyint(sc[i] * scale) / scale;
			if (rounded[i] == 0)
				rounded[i] = 0;
		}
		sc = rounded;
	}
	if (P->bootstrap && (rc = check_scores(t, sc, err)) < 0)
		goto done;

	/* columns, in order of first use, and strata */
	P->nstrata = o->ngroups + 1;
	P->strata = fa_xcalloc(P->nstrata, sizeof(fa_pstratum));
	P->strata[0].spec = fa_xstrdup("overall");
	P->strata[0].ngroups = 1;
	P->strata[0].groups = fa_xcalloc(1, sizeof(fa_pgroup));
	tcol = fa_xcalloc(1, sizeof(size_t));
	for (a = 1; a < P->nstrata; a++) {
		fa_pstratum *S = &P->strata[a];
		char *copy = fa_xstrdup(o->groups[a - 1]), *tok, *save = NULL;
		S->spec = fa_xstrdup(o->groups[a - 1]);
		for (tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
			long ta = fa_table_attr_find(t, tok);
			if (ta < 0) {
				rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						  "--group %s: column \"%s\" was not loaded", S->spec, tok);
				free(copy);
				goto done;
			}
			for (c = 0; c < P->ncolumns && strcmp(P->columns[c].name, tok) != 0; c++)
				;
			if (c == P->ncolumns) {
				P->columns = fa_xrealloc(P->columns, (c + 1) * sizeof(fa_pcolumn));
				tcol = fa_xrealloc(tcol, (c + 1) * sizeof(size_t));
				memset(&P->columns[c], 0, sizeof(fa_pcolumn));
				P->columns[c].name = fa_xstrdup(tok);
				tcol[c] = (size_t)ta;
				P->ncolumns++;
			}
			S->cols = fa_xrealloc(S->cols, (S->ncols + 1) * sizeof(size_t));
			S->cols[S->ncols++] = c;
		}
		free(copy);
		if (S->ncols == 0) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--group \"%s\" names no column",
					  S->spec);
			goto done;
		}
	}
	rank = fa_xcalloc(P->ncolumns ? P->ncolumns : 1, sizeof(uint32_t *));
	for (c = 0; c < P->ncolumns; c++)
		rank[c] = build_column(&P->columns[c], t, tcol[c]);
	gid = fa_xcalloc(P->nstrata, sizeof(uint16_t *));
	for (a = 1; a < P->nstrata; a++) {
		fa_pstratum *S = &P->strata[a];
		uint32_t *lv = fa_xmalloc((n ? n : 1) * S->ncols * sizeof(uint32_t));
		for (c = 0; c < S->ncols; c++) {
			const uint32_t *codes = fa_table_attr_codes(t, tcol[S->cols[c]]);
			for (i = 0; i < n; i++)
				lv[i * S->ncols + c] = rank[S->cols[c]][codes[i]];
		}
		gid[a] = fa_xmalloc((n ? n : 1) * sizeof(uint16_t));
		rc = build_groups(S, lv, n, gid[a], err);
		free(lv);
		if (rc < 0)
			goto done;
	}

	/* every group's distinct scores, walking the records by score */
	perm = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
	s = fa_xmalloc((n ? n : 1) * sizeof(double));
	fa_sort_by_score(sc, n, perm, s);
	for (a = 0; a < P->nstrata; a++) {
		fa_pstratum *S = &P->strata[a];
		cap = fa_xcalloc(S->ngroups ? S->ngroups : 1, sizeof(size_t));
		for (j = 0; j < n; j++) {
			size_t r = perm[j];
			unsigned d = pred ? pred[r] != 0 : s[j] >= o->threshold;
			push_entry(&S->groups[a ? gid[a][r] : 0], &cap[a ? gid[a][r] : 0], s[j],
				   (unsigned)(lab[r] != 0) * 2 + d);
		}
		free(cap);
		cap = NULL;
	}
	if (P->cluster_column) {
		long ca = fa_table_attr_find(t, P->cluster_column);
		if (ca < 0) {
			rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--cluster %s: column was not loaded",
					  P->cluster_column);
			goto done;
		}
		for (a = 0; a < P->nstrata; a++)
			count_clusters(&P->strata[a], a ? gid[a] : NULL,
				       fa_table_attr_codes(t, (size_t)ca),
				       fa_table_attr_missing(t, (size_t)ca), n);
	}
	assign_slots(P);

	if (P->bootstrap) {
		rep_job J;
		uint64_t *hu = fa_xmalloc((n ? n : 1) * sizeof(uint64_t));
		uint32_t *cell = fa_xmalloc((n ? n : 1) * sizeof(uint32_t));
		size_t K = (size_t)P->bins;

		if (P->nslots && P->bootstrap > SIZE_MAX / sizeof(uint64_t) / P->nslots) {
			free(hu);
			free(cell);
			rc = fa_error_set(err, FA_ELIMIT, NULL, 0, 0, "too many replicates for the groups");
			goto done;
		}
		if ((rc = unit_hashes(hu, t, P, err)) < 0) {
			free(hu);
			free(cell);
			goto done;
		}
		for (i = 0; i < n; i++) {
			double x = sc[i] == 0 ? 0 : sc[i];
			uint32_t d = pred ? pred[i] != 0 : x >= o->threshold;
			cell[i] = (uint32_t)((lab[i] != 0) * K + fa_partial_bin(x, K)) | d << 31;
		}
		pthread_once(&pois_once, pois_init);
		P->reps = fa_xcalloc(rep_count(P), sizeof(uint64_t));
		memset(&J, 0, sizeof(J));
		J.p = P;
		J.hu = hu;
		J.cell = cell;
		J.gid = gid;
		J.n = n;
		J.o = o;
		atomic_init(&J.next, 0);
		atomic_init(&J.done, 0);
		run_replicates(&J);
		free(hu);
		free(cell);
	}
done:
	for (c = 0; rank && c < P->ncolumns; c++)
		free(rank[c]);
	free(rank);
	for (a = 0; gid && a < P->nstrata; a++)
		free(gid[a]);
	free(gid);
	free(tcol);
	free(perm);
	free(s);
	free(cap);
	free(rounded);
	if (rc < 0) {
		fa_partial_free(P);
		return rc;
	}
	*out = P;
	return 0;
}

/* ---- merging -------------------------------------------------------------- */

static const char *method_name(int m)
{
	return m == FA_CI_ANALYTIC ? "analytic" : m == FA_CI_BOOTSTRAP ? "bootstrap" : "both";
}

static const char *shown(const char *s)
{
	return s ? s : "(none)";
}

/* The first setting in which b differs from a, as a message. */
static int settings_differ(const fa_partial *a, const fa_partial *b, char *msg, size_t size)
{
	size_t i;

#define DIFF_STR(name, x, y)                                                            \
	if (!same_str(x, y)) {                                                          \
		snprintf(msg, size, "%s \"%s\" against \"%s\"", name, shown(x), shown(y)); \
		return 1;                                                               \
	}
#define DIFF_NUM(name, x, y)                                                            \
	if ((x) != (y)) {                                                               \
		snprintf(msg, size, "%s %.17g against %.17g", name, (double)(x), (double)(y)); \
		return 1;                                                               \
	}
	DIFF_STR("fairaudit version", a->tool_version, b->tool_version);
	DIFF_STR("label column", a->label_column, b->label_column);
	DIFF_STR("score column", a->score_column, b->score_column);
	DIFF_STR("decision column (--pred)", a->pred_column, b->pred_column);
	DIFF_STR("positive label (--positive)", a->positive, b->positive);
	DIFF_NUM("threshold", a->threshold, b->threshold);
	DIFF_NUM("--ci-level", a->ci_level, b->ci_level);
	DIFF_NUM("--min-n", a->min_n, b->min_n);
	DIFF_NUM("--suppress-below", a->suppress_below, b->suppress_below);
	DIFF_NUM("bootstrap replicates", a->bootstrap, b->bootstrap);
	DIFF_NUM("seed", a->seed, b->seed);
	DIFF_NUM("--permutations", a->permutations, b->permutations);
	DIFF_NUM("--permutations given", a->permutations_set, b->permutations_set);
	DIFF_NUM("score bins", a->bins, b->bins);
	DIFF_NUM("score digits (--score-digits; -1: not rounded)", a->score_digits, b->score_digits);
	DIFF_STR("--ci-method", method_name(a->ci_method), method_name(b->ci_method));
	DIFF_STR("--bootstrap-ci", a->bootstrap_ci ? "bca" : "percentile",
		 b->bootstrap_ci ? "bca" : "percentile");
	DIFF_STR("--p-adjust", a->p_adjust ? "bh" : "holm", b->p_adjust ? "bh" : "holm");
	DIFF_STR("--cluster", a->cluster_column, b->cluster_column);
	DIFF_STR("--id", a->id_column, b->id_column);
	DIFF_NUM("number of --reference", a->nreferences, b->nreferences);
	for (i = 0; i < a->nreferences; i++)
		DIFF_STR("--reference", a->references[i], b->references[i]);
	DIFF_NUM("number of --group", a->nstrata, b->nstrata);
	for (i = 1; i < a->nstrata; i++)
		DIFF_STR("--group", a->strata[i].spec, b->strata[i].spec);
	/* the same specs name the same columns in a file that was read (the
	 * reader checks every spec against its columns), but say so */
	DIFF_NUM("number of group columns", a->ncolumns, b->ncolumns);
	for (i = 0; i < a->ncolumns; i++)
		DIFF_STR("group column", a->columns[i].name, b->columns[i].name);
	for (i = 0; i < a->ncolumns; i++) {
		const fa_pcolumn *x = &a->columns[i], *y = &b->columns[i];
		size_t k, nx = 0, ny = 0;
		if (x->binned != y->binned) {
			snprintf(msg, size, "column \"%s\" is binned in one and not in the other",
				 x->name);
			return 1;
		}
		if (!x->binned)
			continue;
		for (k = 0; k < x->nlevels; k++)
			nx += !x->missing[k];
		for (k = 0; k < y->nlevels; k++)
			ny += !y->missing[k];
		for (k = 0; k < nx && nx == ny; k++)
			if (strcmp(x->levels[k], y->levels[k]) != 0)
				break;
		if (nx != ny || k < nx) {
			snprintf(msg, size, "the bins of column \"%s\" (--bin)", x->name);
			return 1;
		}
	}
#undef DIFF_STR
#undef DIFF_NUM
	return 0;
}

static size_t find_level(const fa_pcolumn *C, const char *text, int missing)
{
	size_t lo = 0, hi = C->nlevels;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fa_level_order(C->levels[mid], C->missing[mid], text, missing);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* Column c of the sum: the union of the parts' levels. */
static void merge_column(fa_pcolumn *D, const fa_partial *const *parts, size_t n, size_t c)
{
	size_t k, i, cnt = 0, total = 0;
	level_ref *all;
	const fa_pcolumn *C0 = &parts[0]->columns[c];

	D->name = fa_xstrdup(C0->name);
	D->binned = C0->binned;
	if (D->binned) {
		/* the same bins in every part; "(missing)" when any has it */
		int miss = 0;
		size_t nb = 0;
		for (k = 0; k < n; k++)
			for (i = 0; i < parts[k]->columns[c].nlevels; i++)
				miss |= parts[k]->columns[c].missing[i];
		for (i = 0; i < C0->nlevels; i++)
			nb += !C0->missing[i];
		D->nlevels = nb + (size_t)miss;
		D->levels = fa_xcalloc(D->nlevels ? D->nlevels : 1, sizeof(char *));
		D->missing = fa_xcalloc(D->nlevels ? D->nlevels : 1, 1);
		for (i = 0, k = 0; i < C0->nlevels; i++)
			if (!C0->missing[i])
				D->levels[k++] = fa_xstrdup(C0->levels[i]);
		if (miss) {
			D->levels[k] = fa_xstrdup("(missing)");
			D->missing[k] = 1;
		}
		return;
	}
	for (k = 0; k < n; k++)
		total += parts[k]->columns[c].nlevels;
	all = fa_xmalloc((total ? total : 1) * sizeof(*all));
	for (k = 0; k < n; k++)
		for (i = 0; i < parts[k]->columns[c].nlevels; i++) {
			all[cnt].text = parts[k]->columns[c].levels[i];
			all[cnt].code = 0;
			all[cnt++].missing = parts[k]->columns[c].missing[i];
		}
	qsort(all, cnt, sizeof(*all), level_ref_cmp);
	D->levels = fa_xcalloc(cnt ? cnt : 1, sizeof(char *));
	D->missing = fa_xcalloc(cnt ? cnt : 1, 1);
	for (i = 0; i < cnt; i++)
		if (i == 0 || level_ref_cmp(&all[i], &all[i - 1]) != 0) {
			D->levels[D->nlevels] = fa_xstrdup(all[i].text);
			D->missing[D->nlevels++] = (uint8_t)all[i].missing;
		}
	free(all);
}

/* The level of part column C's level i in the sum's column M. */
static uint32_t map_level(const fa_pcolumn *D, const fa_pcolumn *C, size_t i)
{
	size_t k;
	if (!D->binned)
		return (uint32_t)find_level(D, C->levels[i], C->missing[i]);
	if (C->missing[i])
		return (uint32_t)(D->nlevels - 1);
	for (k = 0; k < D->nlevels; k++)
		if (!D->missing[k] && strcmp(D->levels[k], C->levels[i]) == 0)
			return (uint32_t)k;
	return 0;
}


/* Add the sorted scores `b` into G's: one pass, equal scores summed. A
 * group of the sum takes its parts' lists one after the other, so each
 * pass costs the lengths of the two lists. */
static size_t merge_two(fa_pentry *out, const fa_pentry *a, size_t na, const fa_pentry *b,
			size_t nb)
{
	size_t i = 0, j = 0, k = 0, q;

	while (i < na || j < nb) {
		uint64_t ka = i < na ? order_key(a[i].score) : UINT64_MAX;
		uint64_t kb = j < nb ? order_key(b[j].score) : UINT64_MAX;
		if (i < na && (j == nb || ka < kb)) {
			out[k++] = a[i++];
		} else if (i == na || kb < ka) {
			out[k++] = b[j++];
		} else {
			out[k] = a[i++];
			for (q = 0; q < 4; q++)
				out[k].c[q] += b[j].c[q];
			j++;
			k++;
		}
	}
	return k;
}

typedef struct elist {
	fa_pentry *e;
	size_t n;
	int owned;
} elist;

/* The sorted lists `ls` merged into G, pairwise in rounds (a tree), so
 * that each entry is copied about log2(count) times. */
static void merge_lists(fa_pgroup *G, elist *ls, size_t count)
{
	size_t i, w;

	while (count > 1) {
		for (i = 0, w = 0; i < count; i += 2) {
			elist m;
			if (i + 1 == count) {
				ls[w++] = ls[i];
				continue;
			}
			m.e = fa_xmalloc((ls[i].n + ls[i + 1].n + 1) * sizeof(fa_pentry));
			m.n = merge_two(m.e, ls[i].e, ls[i].n, ls[i + 1].e, ls[i + 1].n);
			m.owned = 1;
			if (ls[i].owned)
				free(ls[i].e);
			if (ls[i + 1].owned)
				free(ls[i + 1].e);
			ls[w++] = m;
		}
		count = w;
	}
	if (count == 0) {
		G->ent = fa_xmalloc(sizeof(fa_pentry));
		G->nent = 0;
	} else if (ls[0].owned) {
		G->ent = ls[0].e;
		G->nent = ls[0].n;
	} else {
		G->ent = fa_xmalloc((ls[0].n + 1) * sizeof(fa_pentry));
		memcpy(G->ent, ls[0].e, ls[0].n * sizeof(fa_pentry));
		G->nent = ls[0].n;
	}
}

typedef struct gref {
	uint32_t *lv;
	size_t ncols;
	size_t part, group;
	uint32_t code;
} gref;

static int gref_cmp(const void *pa, const void *pb)
{
	const gref *a = pa, *b = pb;
	return lv_cmp(a->lv, b->lv, a->ncols);
}

void fa_partial_set_permutations(fa_partial *p, size_t permutations)
{
	p->permutations = permutations;
}

int fa_partial_merge(fa_partial **out, const fa_partial *const *parts, const char *const *names,
		     size_t n, fa_error *err)
{
	const fa_partial *p0;
	fa_partial *T;
	size_t k, a, i, c, g;
	char msg[512];
	size_t **gmap; /* per part and stratum: part group -> sum group, flattened */

	*out = NULL;
	if (n == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "no partial audit to merge");
	p0 = parts[0];
	{
		/* every count of a group is at most its rows: with the rows
		 * under 2^62, no sum of counts can overflow */
		uint64_t rows = 0;
		for (k = 0; k < n; k++)
			if (!add_ok(&rows, parts[k]->rows_read) || rows >= (uint64_t)1 << 62)
				return fa_error_set(err, FA_ELIMIT, NULL, 0, 0,
						    "the partial audits hold more than 2^62 rows in all");
	}
	for (k = 1; k < n; k++)
		if (settings_differ(p0, parts[k], msg, sizeof(msg))) {
			if (names)
				return fa_error_set(err, FA_EUSAGE, names[k], 0, 0,
						    "built with other settings than %s: %s", names[0], msg);
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "partial audit %zu was built with other settings than the first: %s",
					    k + 1, msg);
		}
	T = fa_xcalloc(1, sizeof(*T));
	T->tool_version = fa_xstrdup(p0->tool_version);
	T->label_column = fa_xstrdup(p0->label_column);
	T->score_column = fa_xstrdup(p0->score_column);
	T->pred_column = dupnull(p0->pred_column);
	T->positive = dupnull(p0->positive);
	T->threshold = p0->threshold;
	T->ci_level = p0->ci_level;
	T->min_n = p0->min_n;
	T->suppress_below = p0->suppress_below;
	T->bootstrap = p0->bootstrap;
	T->seed = p0->seed;
	T->permutations = p0->permutations;
	T->permutations_set = p0->permutations_set;
	T->bins = p0->bins;
	T->score_digits = p0->score_digits;
	T->ci_method = p0->ci_method;
	T->bootstrap_ci = p0->bootstrap_ci;
	T->p_adjust = p0->p_adjust;
	T->cluster_column = dupnull(p0->cluster_column);
	T->id_column = dupnull(p0->id_column);
	T->nreferences = p0->nreferences;
	T->references = fa_xcalloc(T->nreferences ? T->nreferences : 1, sizeof(char *));
	for (i = 0; i < T->nreferences; i++)
		T->references[i] = fa_xstrdup(p0->references[i]);
	T->ncolumns = p0->ncolumns;
	T->columns = fa_xcalloc(T->ncolumns ? T->ncolumns : 1, sizeof(fa_pcolumn));
	for (c = 0; c < T->ncolumns; c++)
		merge_column(&T->columns[c], parts, n, c);

	/* groups: the union of the parts' level tuples, in order */
	T->nstrata = p0->nstrata;
	T->strata = fa_xcalloc(T->nstrata, sizeof(fa_pstratum));
	gmap = fa_xcalloc(n * T->nstrata, sizeof(size_t *));
	for (a = 0; a < T->nstrata; a++) {
		fa_pstratum *S = &T->strata[a];
		const fa_pstratum *S0 = &p0->strata[a];
		size_t total = 0, cnt = 0, nc = S0->ncols, j;
		gref *refs;
		elist *lists;
		S->spec = fa_xstrdup(S0->spec);
		S->ncols = nc;
		S->cols = fa_xmalloc((nc ? nc : 1) * sizeof(size_t));
		if (nc)
			memcpy(S->cols, S0->cols, nc * sizeof(size_t));
		for (k = 0; k < n; k++)
			total += parts[k]->strata[a].ngroups;
		refs = fa_xcalloc(total ? total : 1, sizeof(*refs));
		lists = fa_xcalloc(total ? total : 1, sizeof(*lists));
		for (k = 0; k < n; k++) {
			const fa_pstratum *Sk = &parts[k]->strata[a];
			gmap[k * T->nstrata + a] = fa_xmalloc((Sk->ngroups ? Sk->ngroups : 1) * sizeof(size_t));
			for (g = 0; g < Sk->ngroups; g++) {
				gref *r = &refs[cnt++];
				r->ncols = nc;
				r->part = k;
				r->group = g;
				r->lv = fa_xmalloc((nc ? nc : 1) * sizeof(uint32_t));
				for (c = 0; c < nc; c++)
					r->lv[c] = map_level(&T->columns[S->cols[c]],
							     &parts[k]->columns[S->cols[c]],
							     Sk->groups[g].lv[c]);
			}
		}
		qsort(refs, cnt, sizeof(*refs), gref_cmp);
		S->groups = fa_xcalloc(cnt ? cnt : 1, sizeof(fa_pgroup));
		for (i = 0; i < cnt; i++) {
			fa_pgroup *G;
			const fa_pgroup *src = &parts[refs[i].part]->strata[a].groups[refs[i].group];
			if (i == 0 || gref_cmp(&refs[i], &refs[i - 1]) != 0) {
				G = &S->groups[S->ngroups++];
				G->lv = fa_xmalloc((nc ? nc : 1) * sizeof(uint32_t));
				if (nc)
					memcpy(G->lv, refs[i].lv, nc * sizeof(uint32_t));
			}
			G = &S->groups[S->ngroups - 1];
			gmap[refs[i].part * T->nstrata + a][refs[i].group] = S->ngroups - 1;
			G->nclusters += src->nclusters;
			lists[i].e = src->ent;
			lists[i].n = src->nent;
			lists[i].owned = 0;
		}
		/* refs are in group order: each group's parts are a run */
		for (i = 0; i < cnt; i = j) {
			size_t gi = gmap[refs[i].part * T->nstrata + a][refs[i].group];
			for (j = i; j < cnt && gmap[refs[j].part * T->nstrata + a][refs[j].group] == gi; j++)
				;
			merge_lists(&S->groups[gi], lists + i, j - i);
		}
		for (i = 0; i < cnt; i++)
			free(refs[i].lv);
		free(refs);
		free(lists);
	}
	assign_slots(T);

	if (T->bootstrap) {
		size_t r, S = FA_PSLOTS(T->bins);
		T->reps = fa_xcalloc(rep_count(T), sizeof(uint64_t));
		for (k = 0; k < n; k++)
			for (a = 0; a < T->nstrata; a++) {
				const fa_pstratum *Sk = &parts[k]->strata[a];
				for (g = 0; g < Sk->ngroups; g++) {
					size_t from = Sk->slot0 + g * S;
					size_t to = T->strata[a].slot0 + gmap[k * T->nstrata + a][g] * S;
					for (r = 0; r < T->bootstrap; r++) {
						const uint64_t *x = parts[k]->reps + r * parts[k]->nslots + from;
						uint64_t *y = T->reps + r * T->nslots + to;
						for (i = 0; i < S; i++)
							y[i] += x[i];
					}
				}
			}
	}
	for (k = 0; k < n * T->nstrata; k++)
		free(gmap[k]);
	free(gmap);

	/* provenance: every file, in one order; counts added */
	for (k = 0; k < n; k++)
		T->nfiles += parts[k]->nfiles;
	T->files = fa_xcalloc(T->nfiles ? T->nfiles : 1, sizeof(fa_file_info));
	for (k = 0, i = 0; k < n; k++)
		for (c = 0; c < parts[k]->nfiles; c++, i++) {
			T->files[i] = parts[k]->files[c];
			T->files[i].path = fa_xstrdup(parts[k]->files[c].path);
			T->files[i].format = fa_xstrdup(parts[k]->files[c].format);
		}
	qsort(T->files, T->nfiles, sizeof(fa_file_info), file_cmp);
	if ((i = twice(T->files, T->nfiles)) != SIZE_MAX) {
		fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
			     "the records of %s are in two of the partial audits (the same bytes "
			     "twice); merging them would count them twice",
			     T->files[i].path);
		fa_partial_free(T);
		return FA_EUSAGE;
	}
	{
		const char *x, *y;
		if (same_names(T, &x, &y)) {
			fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				     "%s and %s, in two of the partial audits, have one name: without --id "
				     "the bootstrap keys a record by its file's name and line, so their "
				     "records would share weights (rename one and build its partial audit "
				     "again, or build all with --id)",
				     x, y);
			fa_partial_free(T);
			return FA_EUSAGE;
		}
	}
	for (k = 0; k < n; k++) {
		T->rows_read += parts[k]->rows_read;
		T->rows_dropped += parts[k]->rows_dropped;
		for (i = 0; i < FA_DROP__COUNT; i++)
			T->drops[i] += parts[k]->drops[i];
		if (parts[k]->probe_column &&
		    (!T->probe_column || strcmp(parts[k]->probe_column, T->probe_column) < 0)) {
			free(T->probe_column);
			T->probe_column = fa_xstrdup(parts[k]->probe_column);
		}
	}
	*out = T;
	return 0;
}

/* ---- the file ------------------------------------------------------------- */

/* "\x89FAP\r\n\x1a\n": a binary file, and line-ending damage shows. */
static const unsigned char magic[8] = {0x89, 'F', 'A', 'P', '\r', '\n', 0x1a, '\n'};
#define HEADER_BYTES 28

static void put_u(fa_buf *b, uint64_t x)
{
	char tmp[10];
	size_t n = 0;
	do {
		unsigned char byte = x & 0x7f;
		x >>= 7;
		tmp[n++] = (char)(byte | (x ? 0x80 : 0));
	} while (x);
	fa_buf_put(b, tmp, n);
}

static void put_s(fa_buf *b, const char *s)
{
	size_t n = strlen(s);
	put_u(b, n);
	fa_buf_put(b, s, n);
}

/* An optional string: 0 for none, else its length + 1. */
static void put_os(fa_buf *b, const char *s)
{
	if (!s) {
		put_u(b, 0);
		return;
	}
	put_u(b, strlen(s) + 1);
	fa_buf_puts(b, s);
}

static void put_f(fa_buf *b, double x)
{
	uint64_t v;
	char tmp[8];
	int i;
	memcpy(&v, &x, sizeof(v));
	for (i = 0; i < 8; i++)
		tmp[i] = (char)(v >> (8 * i) & 0xff);
	fa_buf_put(b, tmp, 8);
}

static void le32(unsigned char *p, uint32_t x)
{
	int i;
	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static void le64(unsigned char *p, uint64_t x)
{
	int i;
	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static uint32_t crc_of(const void *data, size_t len)
{
	const unsigned char *p = data;
	uLong crc = crc32(0L, Z_NULL, 0);
	while (len) {
		uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
		crc = crc32(crc, p, chunk);
		p += chunk;
		len -= chunk;
	}
	return (uint32_t)crc;
}

static uint64_t zigzag(int64_t x)
{
	return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
}

static void body_write(fa_buf *b, const fa_partial *p)
{
	size_t i, j, a, g, e, r, q;
	size_t S = FA_PSLOTS(p->bins);
	uint64_t *base = fa_xmalloc(S * sizeof(uint64_t));

	put_s(b, p->tool_version);
	put_s(b, p->label_column);
	put_s(b, p->score_column);
	put_os(b, p->pred_column);
	put_os(b, p->positive);
	put_f(b, p->threshold);
	put_f(b, p->ci_level);
	put_u(b, p->min_n);
	put_u(b, p->suppress_below);
	put_u(b, p->bootstrap);
	put_u(b, p->seed);
	put_u(b, p->permutations);
	put_u(b, (uint64_t)p->permutations_set);
	put_u(b, p->bins);
	put_u(b, (uint64_t)(p->score_digits + 1));
	put_u(b, (uint64_t)p->ci_method);
	put_u(b, (uint64_t)p->bootstrap_ci);
	put_u(b, (uint64_t)p->p_adjust);
	put_os(b, p->cluster_column);
	put_os(b, p->id_column);
	put_u(b, p->nreferences);
	for (i = 0; i < p->nreferences; i++)
		put_s(b, p->references[i]);
	put_u(b, p->ncolumns);
	for (i = 0; i < p->ncolumns; i++) {
		const fa_pcolumn *C = &p->columns[i];
		put_s(b, C->name);
		put_u(b, (uint64_t)C->binned);
		put_u(b, C->nlevels);
		for (j = 0; j < C->nlevels; j++) {
			put_s(b, C->levels[j]);
			put_u(b, C->missing[j]);
		}
	}
	put_u(b, p->nstrata);
	for (a = 0; a < p->nstrata; a++) {
		const fa_pstratum *St = &p->strata[a];
		put_s(b, St->spec);
		put_u(b, St->ncols);
		for (j = 0; j < St->ncols; j++)
			put_u(b, St->cols[j]);
		put_u(b, St->ngroups);
		for (g = 0; g < St->ngroups; g++) {
			const fa_pgroup *G = &St->groups[g];
			uint64_t prev = 0;
			for (j = 0; j < St->ncols; j++)
				put_u(b, G->lv[j]);
			put_u(b, G->nclusters);
			put_u(b, G->nent);
			/* scores as increments of their order keys: small for
			 * scores written with few digits */
			for (e = 0; e < G->nent; e++) {
				uint64_t key = order_key(G->ent[e].score);
				put_u(b, key - prev);
				prev = key;
				for (q = 0; q < 4; q++)
					put_u(b, G->ent[e].c[q]);
			}
		}
	}
	/* replicates slot by slot, each as its difference to the sample's
	 * count: a few bits where the count is large */
	for (a = 0; a < p->nstrata && p->bootstrap; a++)
		for (g = 0; g < p->strata[a].ngroups; g++) {
			size_t s0 = p->strata[a].slot0 + g * S, k;
			sample_slots(p, &p->strata[a].groups[g], base);
			for (k = 0; k < S; k++)
				for (r = 0; r < p->bootstrap; r++)
					put_u(b, zigzag((int64_t)(p->reps[r * p->nslots + s0 + k] - base[k])));
		}
	put_u(b, p->nfiles);
	for (i = 0; i < p->nfiles; i++) {
		const fa_file_info *f = &p->files[i];
		put_s(b, f->path);
		put_s(b, f->sha256);
		put_s(b, f->format);
		put_u(b, (uint64_t)f->gzip);
		put_u(b, f->bytes);
		put_u(b, f->rows);
	}
	put_u(b, p->rows_read);
	put_u(b, p->rows_dropped);
	put_u(b, FA_DROP__COUNT);
	for (i = 0; i < FA_DROP__COUNT; i++)
		put_u(b, p->drops[i]);
	put_os(b, p->probe_column);
	free(base);
}

int fa_partial_write(fa_buf *out, const fa_partial *p, fa_error *err)
{
	fa_buf body = FA_BUF_INIT;
	unsigned char head[HEADER_BYTES];
	uLongf zlen;
	unsigned char *z;
	int zrc;

	body_write(&body, p);
	zlen = compressBound((uLong)body.len);
	z = fa_xmalloc(zlen ? zlen : 1);
	zrc = compress2(z, &zlen, (const Bytef *)body.ptr, (uLong)body.len, 6);
	if (zrc != Z_OK) {
		free(z);
		fa_buf_free(&body);
		return fa_error_set(err, FA_EIO, NULL, 0, 0, "zlib could not compress the partial audit");
	}
	memcpy(head, magic, 8);
	le32(head + 8, FA_PARTIAL_FORMAT_VERSION);
	le32(head + 12, 0);
	le64(head + 16, (uint64_t)body.len);
	le32(head + 24, crc_of(body.ptr, body.len));
	fa_buf_put(out, (const char *)head, HEADER_BYTES);
	fa_buf_put(out, (const char *)z, zlen);
	free(z);
	fa_buf_free(&body);
	return 0;
}

/* ---- reading ---------------------------------------------------------------- */

typedef struct reader {
	const unsigned char *p, *end, *start;
	const char *name;
	fa_error *err;
	int bad;
} reader;

static int bad(reader *R, const char *what)
{
	if (!R->bad)
		fa_error_set(R->err, FA_EINPUT, R->name, 0, 0,
			     "not a valid partial audit: %s (at byte %zu of its body)", what,
			     (size_t)(R->p - R->start));
	R->bad = 1;
	return FA_EINPUT;
}

static uint64_t get_u(reader *R)
{
	uint64_t x = 0;
	unsigned shift = 0;
	while (!R->bad) {
		unsigned char byte;
		if (R->p >= R->end) {
			bad(R, "it ends early");
			return 0;
		}
		byte = *R->p++;
		if (shift == 63 && byte > 1) {
			bad(R, "a number is too large");
			return 0;
		}
		x |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return x;
		shift += 7;
		if (shift > 63) {
			bad(R, "a number is too large");
			return 0;
		}
	}
	return 0;
}

/* A count of things each taking at least `each` bytes: never more than
 * what is left, so a damaged count cannot ask for a huge allocation. */
static size_t get_count(reader *R, size_t each)
{
	uint64_t n = get_u(R);
	if (R->bad)
		return 0;
	if (n > (uint64_t)(R->end - R->p) / (each ? each : 1)) {
		bad(R, "a count is larger than the data");
		return 0;
	}
	return (size_t)n;
}

static char *get_text(reader *R, uint64_t n)
{
	char *s;
	if (R->bad)
		return NULL;
	if (n > (uint64_t)(R->end - R->p)) {
		bad(R, "a text runs past the end");
		return NULL;
	}
	if (memchr(R->p, 0, (size_t)n)) {
		bad(R, "a text holds a NUL byte");
		return NULL;
	}
	s = fa_xmalloc((size_t)n + 1);
	memcpy(s, R->p, (size_t)n);
	s[n] = '\0';
	R->p += n;
	return s;
}

static char *get_s(reader *R)
{
	return get_text(R, get_u(R));
}

static char *get_os(reader *R)
{
	uint64_t n = get_u(R);
	return n == 0 || R->bad ? NULL : get_text(R, n - 1);
}

static double get_f(reader *R)
{
	uint64_t v = 0;
	double x;
	int i;
	if (R->bad)
		return 0;
	if (R->end - R->p < 8) {
		bad(R, "it ends early");
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)R->p[i] << (8 * i);
	R->p += 8;
	memcpy(&x, &v, sizeof(x));
	return x;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}


static int body_read(reader *R, fa_partial *p, uint8_t **used)
{
	size_t i, j, a, g, e, q, r;
	uint8_t *used_cols = NULL;
	uint64_t total0 = 0;
	size_t S;
	uint64_t *base = NULL;

	p->tool_version = get_s(R);
	p->label_column = get_s(R);
	p->score_column = get_s(R);
	p->pred_column = get_os(R);
	p->positive = get_os(R);
	p->threshold = get_f(R);
	p->ci_level = get_f(R);
	p->min_n = get_u(R);
	p->suppress_below = get_u(R);
	p->bootstrap = get_u(R);
	p->seed = get_u(R);
	p->permutations = get_u(R);
	p->permutations_set = get_u(R) != 0;
	p->bins = get_u(R);
	{
		uint64_t d = get_u(R);
		if (!R->bad && d > FA_PARTIAL_MAX_DIGITS + 1)
			return bad(R, "the score digits are not valid");
		p->score_digits = (int)d - 1;
	}
	{
		uint64_t cm = get_u(R), bc = get_u(R), pa = get_u(R);
		if (!R->bad && (cm > FA_CI_ANALYTIC || bc > 1 || pa > 1))
			return bad(R, "an interval or adjustment method is not valid");
		p->ci_method = (int)cm;
		p->bootstrap_ci = (int)bc;
		p->p_adjust = (int)pa;
	}
	p->cluster_column = get_os(R);
	p->id_column = get_os(R);
	if (R->bad)
		return FA_EINPUT;
	if (!isfinite(p->threshold) || !(p->ci_level > 0 && p->ci_level < 1))
		return bad(R, "the threshold or the interval level is not valid");
	if (p->bins < 10 || p->bins % 10 || p->bins > FA_PARTIAL_MAX_BINS)
		return bad(R, "the number of score bins is not valid");
	S = FA_PSLOTS(p->bins);
	p->nreferences = get_count(R, 1);
	p->references = fa_xcalloc(p->nreferences ? p->nreferences : 1, sizeof(char *));
	for (i = 0; i < p->nreferences && !R->bad; i++)
		p->references[i] = get_s(R);
	p->ncolumns = get_count(R, 3);
	p->columns = fa_xcalloc(p->ncolumns ? p->ncolumns : 1, sizeof(fa_pcolumn));
	for (i = 0; i < p->ncolumns && !R->bad; i++) {
		fa_pcolumn *C = &p->columns[i];
		C->name = get_s(R);
		C->binned = get_u(R) != 0;
		C->nlevels = get_count(R, 2);
		C->levels = fa_xcalloc(C->nlevels ? C->nlevels : 1, sizeof(char *));
		C->missing = fa_xcalloc(C->nlevels ? C->nlevels : 1, 1);
		for (j = 0; j < C->nlevels && !R->bad; j++) {
			C->levels[j] = get_s(R);
			C->missing[j] = get_u(R) != 0;
			if (!R->bad && !C->binned && j > 0 &&
			    fa_level_order(C->levels[j - 1], C->missing[j - 1], C->levels[j],
					   C->missing[j]) >= 0)
				return bad(R, "the levels of a column are not in order");
		}
	}
	p->nstrata = get_count(R, 3);
	if (!R->bad && p->nstrata == 0)
		return bad(R, "there is no whole population");
	/* freed by the caller, whichever way this returns */
	used_cols = *used = fa_xcalloc(p->ncolumns ? p->ncolumns : 1, 1);
	p->strata = fa_xcalloc(p->nstrata ? p->nstrata : 1, sizeof(fa_pstratum));
	for (a = 0; a < p->nstrata && !R->bad; a++) {
		fa_pstratum *St = &p->strata[a];
		uint64_t total = 0;
		St->spec = get_s(R);
		St->ncols = get_count(R, 1);
		St->cols = fa_xcalloc(St->ncols ? St->ncols : 1, sizeof(size_t));
		for (j = 0; j < St->ncols && !R->bad; j++)
			if ((St->cols[j] = (size_t)get_u(R)) >= p->ncolumns)
				return bad(R, "an attribute names a column that is not there");
		if (!R->bad && (a == 0) != (St->ncols == 0))
			return bad(R, "the whole population has columns, or an attribute has none");
		if (!R->bad && a > 0) {
			/* the attribute's name is its columns' names joined by '+' */
			fa_buf joined = FA_BUF_INIT;
			int ok;
			for (j = 0; j < St->ncols; j++) {
				size_t q2;
				for (q2 = 0; q2 < j; q2++)
					if (St->cols[q2] == St->cols[j])
						break;
				if (q2 < j) {
					fa_buf_free(&joined);
					return bad(R, "an attribute names one column twice");
				}
				if (j)
					fa_buf_putc(&joined, '+');
				fa_buf_puts(&joined, p->columns[St->cols[j]].name);
				used_cols[St->cols[j]] = 1;
			}
			ok = St->spec && joined.len == strlen(St->spec) &&
			     memcmp(joined.ptr, St->spec, joined.len) == 0;
			fa_buf_free(&joined);
			if (!ok)
				return bad(R, "an attribute's name is not that of its columns");
		}
		St->ngroups = get_count(R, St->ncols + 2);
		if (!R->bad && (St->ngroups > FA_MAX_GROUPS || (a == 0 && St->ngroups != 1)))
			return bad(R, "an attribute has too many groups");
		St->groups = fa_xcalloc(St->ngroups ? St->ngroups : 1, sizeof(fa_pgroup));
		for (g = 0; g < St->ngroups && !R->bad; g++) {
			fa_pgroup *G = &St->groups[g];
			uint64_t key = 0;
			G->lv = fa_xcalloc(St->ncols ? St->ncols : 1, sizeof(uint32_t));
			for (j = 0; j < St->ncols && !R->bad; j++) {
				uint64_t v = get_u(R);
				if (v >= p->columns[St->cols[j]].nlevels)
					return bad(R, "a group names a level that is not there");
				G->lv[j] = (uint32_t)v;
			}
			if (g > 0 && !R->bad && lv_cmp(St->groups[g - 1].lv, G->lv, St->ncols) >= 0)
				return bad(R, "the groups of an attribute are not in order");
			G->nclusters = get_u(R);
			G->nent = get_count(R, 5);
			G->ent = fa_xcalloc(G->nent ? G->nent : 1, sizeof(fa_pentry));
			for (e = 0; e < G->nent && !R->bad; e++) {
				uint64_t d = get_u(R), cnt = 0;
				if (!R->bad && (e > 0 ? d == 0 : 0) )
					return bad(R, "the scores of a group are not in order");
				if (!add_ok(&key, d))
					return bad(R, "a score is not valid");
				G->ent[e].score = key_score(key);
				if (!isfinite(G->ent[e].score) || (G->ent[e].score == 0 && signbit(G->ent[e].score)))
					return bad(R, "a score is not a finite number");
				for (q = 0; q < 4; q++) {
					G->ent[e].c[q] = get_u(R);
					if (!add_ok(&cnt, G->ent[e].c[q]))
						return bad(R, "a count is too large");
				}
				if (!R->bad && cnt == 0)
					return bad(R, "a score has no record");
				if (!add_ok(&total, cnt))
					return bad(R, "a count is too large");
				if (!p->pred_column && !R->bad &&
				    (G->ent[e].score >= p->threshold ? G->ent[e].c[0] || G->ent[e].c[2]
								     : G->ent[e].c[1] || G->ent[e].c[3]))
					return bad(R, "a decision disagrees with the threshold");
			}
		}
		if (R->bad)
			break;
		if (a == 0)
			total0 = total;
		else if (total != total0)
			return bad(R, "an attribute does not count every record");
	}
	if (R->bad)
		return FA_EINPUT;
	for (i = 0; i < p->ncolumns; i++)
		if (!used_cols[i])
			return bad(R, "a column belongs to no attribute");
	assign_slots(p);
	if (p->bootstrap) {
		/* each replicate count takes a byte at least */
		if (p->nslots && p->bootstrap > (uint64_t)(R->end - R->p) / p->nslots)
			return bad(R, "the replicates are larger than the data");
		p->reps = fa_xcalloc(rep_count(p), sizeof(uint64_t));
		base = fa_xmalloc(S * sizeof(uint64_t));
		for (a = 0; a < p->nstrata && !R->bad; a++)
			for (g = 0; g < p->strata[a].ngroups && !R->bad; g++) {
				size_t s0 = p->strata[a].slot0 + g * S, k;
				sample_slots(p, &p->strata[a].groups[g], base);
				for (k = 0; k < S && !R->bad; k++)
					for (r = 0; r < p->bootstrap && !R->bad; r++) {
						uint64_t z = get_u(R);
						int64_t d = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
						uint64_t v = base[k] + (uint64_t)d;
						if (d < 0 ? -(uint64_t)d > base[k] : v < base[k]) {
							free(base);
							return bad(R, "a replicate count is negative");
						}
						p->reps[r * p->nslots + s0 + k] = v;
					}
			}
		free(base);
	}
	p->nfiles = get_count(R, 6);
	p->files = fa_xcalloc(p->nfiles ? p->nfiles : 1, sizeof(fa_file_info));
	for (i = 0; i < p->nfiles && !R->bad; i++) {
		fa_file_info *f = &p->files[i];
		char *sha;
		f->path = get_s(R);
		sha = get_s(R);
		if (sha && strlen(sha) == 64 && strspn(sha, "0123456789abcdef") == 64)
			memcpy(f->sha256, sha, 65);
		else if (!R->bad)
			bad(R, "a file's SHA-256 is not 64 hex digits");
		free(sha);
		f->format = get_s(R);
		f->gzip = get_u(R) != 0;
		f->bytes = (size_t)get_u(R);
		f->rows = (size_t)get_u(R);
	}
	p->rows_read = get_u(R);
	p->rows_dropped = get_u(R);
	if (!R->bad && get_u(R) != FA_DROP__COUNT)
		return bad(R, "the drop reasons are not this version's");
	for (i = 0; i < FA_DROP__COUNT; i++)
		p->drops[i] = get_u(R);
	p->probe_column = get_os(R);
	if (R->bad)
		return FA_EINPUT;
	if (p->rows_dropped > p->rows_read || p->rows_read - p->rows_dropped != total0)
		return bad(R, "the row counts disagree with the groups");
	{
		uint64_t rows = 0, dropped = 0;
		for (i = 0; i < p->nfiles; i++) {
			if (i > 0 && file_cmp(&p->files[i - 1], &p->files[i]) >= 0)
				return bad(R, "the input files are not in order");
			if (!add_ok(&rows, p->files[i].rows))
				return bad(R, "a count is too large");
		}
		for (i = 0; i < FA_DROP__COUNT; i++)
			if (!add_ok(&dropped, p->drops[i]))
				return bad(R, "a count is too large");
		if (rows != p->rows_read || dropped != p->rows_dropped)
			return bad(R, "the rows of the input files or the dropped rows do not add up");
	}
	if (R->p != R->end)
		return bad(R, "there are bytes after the end");
	return 0;
}

int fa_partial_read(fa_partial **out, const char *name, const void *data, size_t len,
		    fa_error *err)
{
	const unsigned char *d = data;
	uint64_t raw;
	uint32_t version;
	unsigned char *body;
	uLongf got;
	uLong zlen;
	fa_partial *p;
	uint8_t *used = NULL;
	reader R;
	int rc;

	*out = NULL;
	if (len < HEADER_BYTES || memcmp(d, magic, 8) != 0)
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "not a partial audit (it does not start with the partial audit "
				    "signature; make one with fairaudit partial)");
	version = rd32(d + 8);
	if (version != FA_PARTIAL_FORMAT_VERSION)
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "partial audit format version %u; this fairaudit reads version %d",
				    (unsigned)version, FA_PARTIAL_FORMAT_VERSION);
	if (rd32(d + 12) != 0)
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "not a valid partial audit: unknown flags in the header");
	raw = rd64(d + 16);
	/* deflate shrinks by at most about 1032 times */
	if (raw > (uint64_t)(len - HEADER_BYTES) * 1100 + 64 || raw > ((uint64_t)1 << 40))
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "not a valid partial audit: its stated size does not fit the file");
	body = fa_xmalloc(raw ? (size_t)raw : 1);
	got = (uLongf)raw;
	zlen = (uLong)(len - HEADER_BYTES);
	rc = uncompress2(body, &got, d + HEADER_BYTES, &zlen);
	if (rc != Z_OK || got != raw || zlen != (uLong)(len - HEADER_BYTES)) {
		free(body);
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "not a valid partial audit: its compressed body is damaged or cut short");
	}
	if (crc_of(body, (size_t)raw) != rd32(d + 24)) {
		free(body);
		return fa_error_set(err, FA_EINPUT, name, 0, 0,
				    "not a valid partial audit: checksum mismatch (the file is damaged)");
	}
	p = fa_xcalloc(1, sizeof(*p));
	R.p = R.start = body;
	R.end = body + raw;
	R.name = name;
	R.err = err;
	R.bad = 0;
	rc = body_read(&R, p, &used);
	free(used);
	free(body);
	if (rc < 0) {
		if (!R.bad)
			bad(&R, "inconsistent");
		fa_partial_free(p);
		return FA_EINPUT;
	}
	*out = p;
	return 0;
}

int fa_partial_load(fa_partial **out, const char *path, fa_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = fa_read_file(path, NULL, 0, &data, &len, err)) < 0)
		return rc;
	rc = fa_partial_read(out, path, data, len, err);
	free(data);
	return rc;
}
