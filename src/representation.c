/*
 * representation.c: read a population file (attribute,value,share) and
 * compare each audited attribute's composition with it: shares, their
 * ratio, the under-representation flag and Pearson's chi-square goodness
 * of fit (docs/clinical.md).
 */
#include "fairaudit/representation.h"

#include "source.h"
#include "table_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 20)
#define MAX_FIELDS 16

static const char *const COLUMNS[3] = {"attribute", "value", "share"};

/* ---- reading ---------------------------------------------------------------- */

typedef struct field {
	char *text;          /* unquoted, trimmed */
	unsigned long col;   /* 1-based character column where it starts */
} field;

typedef struct reader {
	const char *path;
	fa_population *pop;
	unsigned long *first_line; /* per attribute: its first line */
	field f[MAX_FIELDS];
	size_t nf;
	size_t extra;              /* fields beyond MAX_FIELDS */
} reader;

static void fields_clear(reader *R)
{
	size_t i;
	for (i = 0; i < R->nf; i++)
		free(R->f[i].text);
	R->nf = 0;
	R->extra = 0;
}

/* `s` quoted for a message: control characters and invalid UTF-8 escaped,
 * long text shortened. */
static void quote_into(char *out, size_t size, const char *s)
{
	fa_buf b = FA_BUF_INIT;
	size_t n = strlen(s);

	fa_text_escape(&b, s, n > 60 ? 60 : n);
	snprintf(out, size, "\"%s%s\"", b.ptr ? b.ptr : "", n > 60 ? "..." : "");
	fa_buf_free(&b);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split one line into fields. Records never span lines in a population
 * file, so a line is split on its own, keeping where each field starts
 * for messages. */
static int split_line(reader *R, const char *line, size_t len, unsigned long lineno,
		      fa_error *err)
{
	size_t i = 0;

	fields_clear(R);
	for (;;) {
		fa_buf v = FA_BUF_INIT;
		size_t start, end;
		unsigned long col;

		while (i < len && is_blank(line[i]))
			i++;
		start = i;
		col = fa_utf8_columns(line, start) + 1;
		if (i < len && line[i] == '"') {
			int closed = 0;
			for (i++; i < len; i++) {
				if (line[i] == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						fa_buf_putc(&v, '"');
						i++;
					} else {
						closed = 1;
						i++;
						break;
					}
				} else {
					fa_buf_putc(&v, line[i]);
				}
			}
			if (!closed) {
				fa_buf_free(&v);
				return fa_error_set(err, FA_EINPUT, R->path, lineno, col,
						    "quoted field has no closing quote");
			}
			while (i < len && is_blank(line[i]))
				i++;
			if (i < len && line[i] != ',') {
				fa_buf_free(&v);
				return fa_error_set(err, FA_EINPUT, R->path, lineno,
						    fa_utf8_columns(line, i) + 1,
						    "unexpected text after a closing quote");
			}
		} else {
			while (i < len && line[i] != ',')
				i++;
			end = i;
			while (end > start && is_blank(line[end - 1]))
				end--;
			fa_buf_put(&v, line + start, end - start);
		}
		if (R->nf < MAX_FIELDS) {
			R->f[R->nf].text = v.ptr ? fa_buf_detach(&v) : fa_xstrdup("");
			R->f[R->nf++].col = col;
		} else {
			fa_buf_free(&v);
			R->extra++;
		}
		if (i >= len)
			break;
		i++; /* the comma */
	}
	return 0;
}

static int map_header(reader *R, int *idx, unsigned long lineno, fa_error *err)
{
	size_t i;
	int k;

	idx[0] = idx[1] = idx[2] = -1;
	for (i = 0; i < R->nf; i++) {
		char q[96];
		for (k = 0; k < 3; k++)
			if (strcmp(R->f[i].text, COLUMNS[k]) == 0)
				break;
		quote_into(q, sizeof(q), R->f[i].text);
		if (k == 3)
			return fa_error_set(err, FA_EINPUT, R->path, lineno, R->f[i].col,
					    "unknown column %s; the columns are attribute, value, share",
					    q);
		if (idx[k] >= 0)
			return fa_error_set(err, FA_EINPUT, R->path, lineno, R->f[i].col,
					    "column %s appears twice", q);
		idx[k] = (int)i;
	}
	for (k = 0; k < 3; k++)
		if (idx[k] < 0)
			return fa_error_set(err, FA_EINPUT, R->path, lineno, 0,
					    "missing column \"%s\"; the header must name attribute, value and share",
					    COLUMNS[k]);
	return 0;
}

static fa_population_attr *attr_get(reader *R, const char *name, unsigned long lineno)
{
	fa_population *p = R->pop;
	size_t i;

	for (i = 0; i < p->nattrs; i++)
		if (strcmp(p->attrs[i].name, name) == 0)
			return &p->attrs[i];
	p->attrs = fa_xrealloc(p->attrs, (p->nattrs + 1) * sizeof(*p->attrs));
	R->first_line = fa_xrealloc(R->first_line, (p->nattrs + 1) * sizeof(*R->first_line));
	memset(&p->attrs[p->nattrs], 0, sizeof(p->attrs[0]));
	p->attrs[p->nattrs].name = fa_xstrdup(name);
	R->first_line[p->nattrs] = lineno;
	return &p->attrs[p->nattrs++];
}

static int add_row(reader *R, const int *idx, const char *line, size_t len,
		   unsigned long lineno, fa_error *err)
{
	const field *fa, *fv, *fs;
	fa_population_attr *a;
	char q[96], *end;
	double share;
	size_t i;

	if (R->nf != 3 || R->extra) {
		size_t got = R->nf + R->extra;
		unsigned long col = got > 3 ? R->f[3].col : fa_utf8_columns(line, len) + 1;
		return fa_error_set(err, FA_EINPUT, R->path, lineno, col,
				    "expected 3 fields (attribute, value, share), got %zu", got);
	}
	fa = &R->f[idx[0]];
	fv = &R->f[idx[1]];
	fs = &R->f[idx[2]];
	if (!fa->text[0])
		return fa_error_set(err, FA_EINPUT, R->path, lineno, fa->col, "empty attribute");
	if (!fv->text[0])
		return fa_error_set(err, FA_EINPUT, R->path, lineno, fv->col, "empty value");
	quote_into(q, sizeof(q), fs->text);
	/* an underflow reads as 0 or a tiny share, which is what was meant;
	 * an overflow reads as infinity and is refused below */
	share = strtod(fs->text, &end);
	if (!fs->text[0] || *end || end == fs->text)
		return fa_error_set(err, FA_EINPUT, R->path, lineno, fs->col,
				    "expected a number in column \"share\", got %s", q);
	if (!isfinite(share))
		return fa_error_set(err, FA_EINPUT, R->path, lineno, fs->col,
				    "expected a finite number in column \"share\", got %s", q);
	if (share < 0)
		return fa_error_set(err, FA_EINPUT, R->path, lineno, fs->col,
				    "share must not be negative, got %s", q);
	a = attr_get(R, fa->text, lineno);
	for (i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i], fv->text) == 0) {
			char qa[96], qv[96];
			quote_into(qa, sizeof(qa), fa->text);
			quote_into(qv, sizeof(qv), fv->text);
			return fa_error_set(err, FA_EINPUT, R->path, lineno, fv->col,
					    "value %s of attribute %s is given twice (first on line %lu)",
					    qv, qa, a->lines[i]);
		}
	a->values = fa_xrealloc(a->values, (a->nvalues + 1) * sizeof(*a->values));
	a->shares = fa_xrealloc(a->shares, (a->nvalues + 1) * sizeof(*a->shares));
	a->lines = fa_xrealloc(a->lines, (a->nvalues + 1) * sizeof(*a->lines));
	a->values[a->nvalues] = fa_xstrdup(fv->text);
	a->shares[a->nvalues] = share + 0.0; /* -0 reads as 0 */
	a->lines[a->nvalues++] = lineno;
	return 0;
}

static int check_sums(reader *R, fa_error *err)
{
	size_t i, j;

	for (i = 0; i < R->pop->nattrs; i++) {
		const fa_population_attr *a = &R->pop->attrs[i];
		double sum = 0;
		char q[96];

		for (j = 0; j < a->nvalues; j++)
			sum += a->shares[j];
		if (fabs(sum - 1) <= FA_POPULATION_SUM_TOLERANCE)
			continue;
		quote_into(q, sizeof(q), a->name);
		return fa_error_set(err, FA_EINPUT, R->path, R->first_line[i], 0,
				    "the shares of attribute %s add up to %.6g, not 1 (allowed: 1 +- %g)",
				    q, sum, FA_POPULATION_SUM_TOLERANCE);
	}
	return 0;
}

static int read_source(fa_population **out, fa_source *s, const char *display,
		       fa_error *err)
{
	reader R;
	const char *line;
	size_t len;
	unsigned long lineno = 0;
	int idx[3], have_header = 0, rows = 0, rc;

	memset(&R, 0, sizeof(R));
	R.path = display;
	R.pop = fa_xcalloc(1, sizeof(*R.pop));
	R.pop->path = fa_xstrdup(display);
	while ((rc = fa_source_next_line(s, &line, &len, &lineno, MAX_LINE, err)) > 0) {
		size_t k = 0;
		if (len && line[len - 1] == '\r')
			len--;
		while (k < len && (is_blank(line[k])))
			k++;
		if (k == len)
			continue;
		if ((rc = split_line(&R, line, len, lineno, err)) < 0)
			break;
		if (!have_header) {
			if ((rc = map_header(&R, idx, lineno, err)) < 0)
				break;
			have_header = 1;
			continue;
		}
		if ((rc = add_row(&R, idx, line, len, lineno, err)) < 0)
			break;
		rows++;
	}
	if (rc == 0 && !have_header)
		rc = fa_error_set(err, FA_EINPUT, display, 0, 0,
				  "empty file; expected the header attribute,value,share");
	else if (rc == 0 && rows == 0)
		rc = fa_error_set(err, FA_EINPUT, display, 0, 0, "no shares after the header");
	if (rc == 0)
		rc = check_sums(&R, err);
	fields_clear(&R);
	free(R.first_line);
	if (rc < 0) {
		fa_population_free(R.pop);
		return rc;
	}
	*out = R.pop;
	return 0;
}

int fa_representation_read(fa_population **out, const char *path, fa_error *err)
{
	fa_source *s = NULL;
	const char *display = strcmp(path, "-") == 0 ? "<stdin>" : path;
	int rc;

	*out = NULL;
	if ((rc = fa_source_open_path(&s, path, display, err)) < 0)
		return rc;
	rc = read_source(out, s, display, err);
	fa_source_close(s);
	return rc;
}

int fa_representation_read_memory(fa_population **out, const char *name, const void *data,
				  size_t len, fa_error *err)
{
	fa_source *s = NULL;
	int rc;

	*out = NULL;
	if ((rc = fa_source_open_memory(&s, data, len, name, err)) < 0)
		return rc;
	rc = read_source(out, s, name, err);
	fa_source_close(s);
	return rc;
}

void fa_population_free(fa_population *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->nattrs; i++) {
		fa_population_attr *a = &p->attrs[i];
		free(a->name);
		for (j = 0; j < a->nvalues; j++)
			free(a->values[j]);
		free(a->values);
		free(a->shares);
		free(a->lines);
	}
	free(p->attrs);
	free(p->path);
	free(p);
}

const fa_population_attr *fa_population_find(const fa_population *p, const char *name)
{
	size_t i;
	for (i = 0; i < p->nattrs; i++)
		if (strcmp(p->attrs[i].name, name) == 0)
			return &p->attrs[i];
	return NULL;
}

/* ---- comparing -------------------------------------------------------------- */

static const char R_OVERALL[] = "the overall population has no share to compare";
static const char R_ATTR_UNNAMED[] = "the population file does not name this attribute";
static const char R_GROUP_UNNAMED[] = "the population file does not name this group";
static const char R_WITHHELD[] = "counts of a suppressed group are withheld";
static const char R_NO_RECORDS[] = "no audited record is in a group the file names";
static const char R_ZERO_SHARE[] = "population share is 0";
static const char R_ZERO_SHARE_SEEN[] =
	"a group with records has population share 0: it cannot come from this population";
static const char R_FEW_VALUES[] = "fewer than two population values with a positive share";

static void set_nan(fa_estimate *e, const char *why)
{
	memset(e, 0, sizeof(*e));
	e->value = NAN;
	e->reason = why;
	e->p_value = e->p_adjusted = NAN;
}

static void set_value(fa_estimate *e, double v)
{
	set_nan(e, NULL);
	e->value = v;
}

static void group_reset(fa_group_representation *g, const char *why)
{
	g->named = 0;
	set_nan(&g->audit_share, why);
	g->population_share = NAN;
	set_nan(&g->ratio, why);
	g->under_represented = 0;
}

static void attr_reset(fa_attr_representation *a, const char *why)
{
	size_t i;
	for (i = 0; i < a->nabsent; i++)
		free(a->absent[i].value);
	free(a->absent);
	memset(a, 0, sizeof(*a));
	a->chisq = a->p_value = a->min_expected = NAN;
	a->reason = why;
}

/* Pearson's goodness of fit of the named groups' counts `obs[j]` (j over
 * the file's values) against the file's shares rescaled to sum to 1. */
static void goodness_of_fit(fa_attr_representation *rep, const fa_population_attr *pa,
			    const double *obs, double total)
{
	double sum = 0, stat = 0, minexp = INFINITY;
	size_t j, k = 0;

	for (j = 0; j < pa->nvalues; j++)
		sum += pa->shares[j];
	if (!(total > 0)) {
		rep->reason = R_NO_RECORDS;
		return;
	}
	for (j = 0; j < pa->nvalues; j++) {
		double e;
		if (pa->shares[j] == 0) {
			/* a value with no share and no record tells nothing */
			if (obs[j] > 0) {
				rep->reason = R_ZERO_SHARE_SEEN;
				return;
			}
			continue;
		}
		e = total * pa->shares[j] / sum;
		stat += (obs[j] - e) * (obs[j] - e) / e;
		if (e < minexp)
			minexp = e;
		k++;
	}
	if (k < 2) {
		rep->reason = R_FEW_VALUES;
		return;
	}
	rep->chisq = stat;
	rep->df = (unsigned)(k - 1);
	rep->p_value = gsl_cdf_chisq_Q(stat, (double)rep->df);
	rep->min_expected = minexp;
	rep->low_expected = minexp < 5;
	rep->reason = NULL;
}

static void annotate_attr(fa_attr_result *A, const fa_population_attr *pa, size_t rows_used)
{
	fa_attr_representation *rep = &A->representation;
	long *match = fa_xmalloc((A->ngroups ? A->ngroups : 1) * sizeof(long));
	double *obs = fa_xcalloc(pa->nvalues ? pa->nvalues : 1, sizeof(double));
	unsigned char *seen = fa_xcalloc(pa->nvalues ? pa->nvalues : 1, 1);
	size_t known_named = 0, known_unnamed = 0, withheld, n_named = 0, g, j;
	int supp_named = 0, supp_unnamed = 0, named_known;

	rep->named = 1;
	for (g = 0; g < A->ngroups; g++) {
		fa_group_result *G = &A->groups[g];
		int supp = G->status == FA_GROUP_SUPPRESSED;
		match[g] = -1;
		for (j = 0; j < pa->nvalues; j++)
			if (strcmp(pa->values[j], G->value) == 0)
				match[g] = (long)j;
		if (match[g] >= 0) {
			seen[match[g]] = 1;
			if (supp)
				supp_named = 1;
			else
				known_named += G->n;
		} else if (supp) {
			supp_unnamed = 1;
		} else {
			known_unnamed += G->n;
		}
	}
	/* Suppressed groups show no counts, but their total is what the
	 * known counts leave of rows_used; it belongs to the named side or
	 * the unnamed side only when the suppressed groups are all on one */
	withheld = rows_used > known_named + known_unnamed ? rows_used - known_named - known_unnamed
							   : 0;
	named_known = !(supp_named && supp_unnamed);
	if (!supp_named)
		n_named = known_named;
	else if (!supp_unnamed)
		n_named = known_named + withheld;
	rep->n_named = named_known ? n_named : known_named;
	rep->n_unnamed = supp_named ? known_unnamed : known_unnamed + withheld;
	for (g = 0; g < A->ngroups; g++) {
		fa_group_result *G = &A->groups[g];
		fa_group_representation *gr = &G->representation;
		if (match[g] < 0)
			continue;
		gr->named = 1;
		gr->population_share = pa->shares[match[g]];
		if (G->status == FA_GROUP_SUPPRESSED || !named_known) {
			set_nan(&gr->audit_share, R_WITHHELD);
			set_nan(&gr->ratio, R_WITHHELD);
			continue;
		}
		if (n_named == 0) {
			set_nan(&gr->audit_share, R_NO_RECORDS);
			set_nan(&gr->ratio, R_NO_RECORDS);
			continue;
		}
		set_value(&gr->audit_share, (double)G->n / (double)n_named);
		obs[match[g]] = (double)G->n;
		if (gr->population_share > 0) {
			set_value(&gr->ratio, gr->audit_share.value / gr->population_share);
			gr->under_represented = gr->ratio.value < FA_UNDER_REPRESENTED_RATIO;
		} else {
			set_nan(&gr->ratio, R_ZERO_SHARE);
		}
	}
	for (j = 0; j < pa->nvalues; j++) {
		if (seen[j])
			continue;
		rep->absent = fa_xrealloc(rep->absent, (rep->nabsent + 1) * sizeof(*rep->absent));
		rep->absent[rep->nabsent].value = fa_xstrdup(pa->values[j]);
		rep->absent[rep->nabsent++].share = pa->shares[j];
	}
	if (supp_named)
		rep->reason = R_WITHHELD;
	else
		goodness_of_fit(rep, pa, obs, (double)n_named);
	free(match);
	free(obs);
	free(seen);
}

void fa_representation_annotate(fa_result *r, const fa_population *p)
{
	size_t a, g, i;

	free(r->settings.population);
	r->settings.population = fa_xstrdup(p->path);
	for (i = 0; i < r->npopulation_unmatched; i++)
		free(r->population_unmatched[i]);
	free(r->population_unmatched);
	r->population_unmatched = NULL;
	r->npopulation_unmatched = 0;
	for (i = 0; i < p->nattrs; i++) {
		if (fa_result_attr(r, p->attrs[i].name))
			continue;
		r->population_unmatched =
			fa_xrealloc(r->population_unmatched,
				    (r->npopulation_unmatched + 1) * sizeof(char *));
		r->population_unmatched[r->npopulation_unmatched++] = fa_xstrdup(p->attrs[i].name);
	}
	group_reset(&r->overall.representation, R_OVERALL);
	for (a = 0; a < r->nattrs; a++) {
		fa_attr_result *A = &r->attrs[a];
		const fa_population_attr *pa = fa_population_find(p, A->name);
		attr_reset(&A->representation, pa ? NULL : R_ATTR_UNNAMED);
		for (g = 0; g < A->ngroups; g++)
			group_reset(&A->groups[g].representation,
				    pa ? R_GROUP_UNNAMED : R_ATTR_UNNAMED);
		if (pa)
			annotate_attr(A, pa, r->rows_used);
	}
}
