/*
 * representation.h: who is in the test set, compared with the population
 * the model is meant to serve.
 *
 * A population file gives, per attribute, the share of each group in that
 * population. fa_representation_annotate() sets each audited group's share
 * of the records beside its population share, flags groups with less than
 * half their population share, and tests the attribute's composition with
 * Pearson's chi-square goodness of fit. docs/clinical.md shows how to read
 * the result.
 */
#ifndef FAIRAUDIT_REPRESENTATION_H
#define FAIRAUDIT_REPRESENTATION_H

#include "fairaudit/common.h"
#include "fairaudit/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ## The population file
 *
 * CSV (UTF-8, LF or CRLF line endings, optionally gzip-compressed) with
 * the header `attribute,value,share` (the three columns in any order, no
 * other). Each further line gives the share (a number >= 0) of one group
 * of one attribute. `attribute` and `value` are written as the audit names
 * them: `fitzpatrick,V,0.24`, or for an intersection `sex+race,F+Black,
 * 0.07`. Fields may be quoted as in RFC 4180; spaces around an unquoted
 * field are ignored; blank lines are skipped. The shares of one attribute
 * must add up to 1 within 0.01.
 */

/** The tolerance on the sum of an attribute's shares. */
#define FA_POPULATION_SUM_TOLERANCE 0.01

/** Below this ratio of audit share to population share a group is
 * under-represented. */
#define FA_UNDER_REPRESENTED_RATIO 0.5

typedef struct fa_population_attr {
	char *name;
	char **values;
	double *shares;
	unsigned long *lines; /* the line of each value in the file */
	size_t nvalues;
} fa_population_attr;

/** A population file as read: attributes in the order they first appear,
 * values in file order. */
typedef struct fa_population {
	char *path;
	fa_population_attr *attrs;
	size_t nattrs;
} fa_population;

/** Read the population file at `path` ("-" is standard input). The new
 * object belongs to the caller (free with fa_population_free). FA_EIO when
 * the file cannot be read; FA_EINPUT, with path, line and column, for a
 * header that is not `attribute,value,share`, a line without exactly three
 * fields, an empty attribute or value, a share that is not a finite number
 * or is negative, a value given twice, or an attribute whose shares do not
 * add up to 1 within FA_POPULATION_SUM_TOLERANCE. */
int fa_representation_read(fa_population **out, const char *path, fa_error *err);

/** As fa_representation_read(), from `len` bytes of text at `data` named
 * `name` in messages. */
int fa_representation_read_memory(fa_population **out, const char *name, const void *data,
				  size_t len, fa_error *err);

void fa_population_free(fa_population *p);

/** The attribute called `name`, or NULL. */
const fa_population_attr *fa_population_find(const fa_population *p, const char *name);

/** Compare every attribute of `r` that `p` names with its population:
 * per group `representation` (audit share among the records of the
 * groups the file names, population share, their ratio, and the
 * under-representation flag), per attribute `representation` (records in
 * named and unnamed groups, the goodness-of-fit test of the named groups'
 * counts against the file's shares rescaled to sum to 1, as R's
 * chisq.test(x, p = shares, rescale.p = TRUE), and the file's values that
 * no record has), and in `r` the attributes of the file that were not
 * audited and the file's path. Groups the file does not name are marked
 * so, not dropped. May be called again; earlier annotations are
 * replaced. */
void fa_representation_annotate(fa_result *r, const fa_population *p);

#ifdef __cplusplus
}
#endif
#endif
