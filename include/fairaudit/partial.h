/*
 * partial.h: partial audits, for audits split over machines or sites.
 *
 * A partial audit holds the integer sufficient statistics of an audit of
 * some of the records: per group of every attribute, the distinct scores
 * with their counts by label (and decision), and for every bootstrap
 * replicate the Poisson-weighted counts by label in fixed score bins and
 * at the threshold. It never holds a record. Partials of disjoint sets of
 * records add up (fa_partial_merge): merging is exact, associative and
 * commutative, so any split and any merge tree give the same partial, and
 * fa_partial_audit() turns the sum into the same result an audit of all
 * the records with the same settings gives. docs/partial-format.md
 * describes the file; docs/statistics.md the bootstrap it carries.
 */
#ifndef FAIRAUDIT_PARTIAL_H
#define FAIRAUDIT_PARTIAL_H

#include "fairaudit/audit.h"
#include "fairaudit/result.h"
#include "fairaudit/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fa_partial fa_partial;

/** The format version written, and the only one read. */
#define FA_PARTIAL_FORMAT_VERSION 1
/** Score bins of the replicates: [k/B, (k+1)/B) of [0, 1]. */
#define FA_PARTIAL_DEFAULT_BINS 100
#define FA_PARTIAL_MAX_BINS 10000

/** What a partial audit is built with, besides the audit options. */
typedef struct fa_partial_options {
	/* the record key of the bootstrap: a column of unique record ids
	 * (loaded as fa_load_options.id_column), or NULL for the input file's
	 * base name and the record's line; with --cluster the cluster's
	 * value is the key */
	const char *id_column;
	size_t bins;            /* replicate score bins, a multiple of 10 */
	const char *positive;   /* the label value read as positive, or NULL */
	int permutations_set;   /* permutations was asked for explicitly */
	/* round every score to this many decimals before anything else (0 to
	 * 9), so that few records have a score of their own; -1: as read */
	int score_digits;
} fa_partial_options;

#define FA_PARTIAL_OPTIONS_INIT {NULL, FA_PARTIAL_DEFAULT_BINS, NULL, 0, -1}
#define FA_PARTIAL_MAX_DIGITS 9

/** Build the partial audit of the records of `t` under the audit options
 * `o` (scheme, threads and progress are read; operating points are not
 * supported: FA_EUSAGE; with a cluster column only the bootstrap is, so
 * ci_method must be FA_CI_BOOTSTRAP and permutations 0). The table must have been loaded with the id
 * column of `po` or, without one, with FA_LOAD_KEEP_LINES (load.h). With a
 * bootstrap every score must lie in [0, 1] (FA_EINPUT naming the file and
 * line of the first that does not). */
int fa_partial_build(fa_partial **out, const fa_table *t, const fa_audit_options *o,
		     const fa_partial_options *po, fa_error *err);

/** The sum of `n` partials (n >= 1) built with the same settings; anything
 * else is FA_EUSAGE naming the first setting that differs (and the
 * partial, by `names`, its file names, when not NULL). */
int fa_partial_merge(fa_partial **out, const fa_partial *const *parts, const char *const *names,
		     size_t n, fa_error *err);

/** Serialize (header, zlib-compressed body, CRC-32) into `out`. */
int fa_partial_write(fa_buf *out, const fa_partial *p, fa_error *err);

/** Read a partial from `len` bytes, `name` naming them in messages.
 * FA_EINPUT when the bytes are not a partial audit of this format
 * version, are damaged (checksum) or inconsistent. */
int fa_partial_read(fa_partial **out, const char *name, const void *data, size_t len,
		    fa_error *err);

/** Read the partial audit file `path`. */
int fa_partial_load(fa_partial **out, const char *path, fa_error *err);

/** The audit of a partial: the result fa_audit_run() gives for the same
 * records and settings, with the Poisson bootstrap of the partial.
 * `threads` of `run` is used (NULL: one per core); every other setting
 * comes from the partial. */
int fa_partial_audit(fa_result **out, const fa_partial *p, const fa_audit_options *run,
		     fa_error *err);

/** Records in the partial, and whether permutations were asked for. */
size_t fa_partial_rows(const fa_partial *p);
int fa_partial_permutations_set(const fa_partial *p);

/** Change the number of permutations the audit of `p` runs (0: none), as
 * for a large audit whose permutations were not asked for. */
void fa_partial_set_permutations(fa_partial *p, size_t permutations);

void fa_partial_free(fa_partial *p);

#ifdef __cplusplus
}
#endif
#endif
