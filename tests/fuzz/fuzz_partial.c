/*
 * fuzz_partial.c: fuzz target for the partial audit reader.
 *
 * An input that starts with the signature of a partial audit is a file and
 * goes to fa_partial_read() as it is: the header, zlib and the checksum
 * are what it meets. Any other input is a body: it is put in a file here
 * (compressed, with its length and CRC-32), so that the fuzzer reaches the
 * body's reader, whose mutations the checksum would otherwise stop. An
 * input that starts with "FAP+" holds two partials, which are merged.
 *
 * fa_partial_read() must return a partial or a one-line FA_EINPUT error
 * naming the file. A partial it accepts must write and read back to the
 * same bytes, add up with a copy of itself (as `fairaudit merge` would
 * add two partials of the same records), and, when small, be audited as
 * `fairaudit report` audits it, with few permutations, its report written
 * in every format. Two partials must merge in either order to the same
 * bytes, or be refused in both.
 */
#include "fairaudit/fairaudit.h"
#include "fuzz_util.h"
#include "partial_internal.h"

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char magic[8] = {0x89, 'F', 'A', 'P', '\r', '\n', 0x1a, '\n'};
/* an input of two partials: "FAP+", the first one's length (u32 LE), the
 * first, the second; each a file or a body */
static const unsigned char pair_tag[4] = {'F', 'A', 'P', '+'};

/* What an audit may cost here: the engine rebuilds every record, and the
 * gaps' simultaneous intervals look at every pair of groups per replicate. */
#define MAX_ROWS 5000
#define MAX_REP_CELLS 200000
#define MAX_GROUPS 64
#define MAX_PERMUTATIONS 10

/* A file holding `body`: header, zlib stream. */
static unsigned char *wrap(const uint8_t *body, size_t n, size_t *len)
{
	uLongf zlen = compressBound((uLong)n);
	unsigned char *f = malloc(28 + zlen);
	uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), body, (uInt)n);
	int i;

	CHECK(f != NULL);
	memcpy(f, magic, 8);
	for (i = 0; i < 4; i++) {
		f[8 + i] = (unsigned char)(FA_PARTIAL_FORMAT_VERSION >> (8 * i));
		f[12 + i] = 0;
		f[24 + i] = (unsigned char)(crc >> (8 * i));
	}
	for (i = 0; i < 8; i++)
		f[16 + i] = (unsigned char)((uint64_t)n >> (8 * i));
	CHECK(compress2(f + 28, &zlen, body, (uLong)n, 1) == Z_OK);
	*len = 28 + zlen;
	return f;
}

static void check_read_error(int rc, const fa_partial *p, const fa_error *err, const char *name)
{
	CHECK(p == NULL);
	fz_check_error(rc, err);
	CHECK(rc == FA_EINPUT);
	CHECK(strcmp(err->path, name) == 0);
}

/* Counts small enough that twice them neither wraps nor leaves what the
 * file can say (replicate counts are stored against the sample's). */
static int small_counts(const fa_partial *p)
{
	size_t i, a, g;
	const uint64_t lim = (uint64_t)1 << 40;

	if (p->rows_read > lim)
		return 0;
	for (i = 0; i < FA_DROP__COUNT; i++)
		if (p->drops[i] > lim)
			return 0;
	for (a = 0; a < p->nstrata; a++)
		for (g = 0; g < p->strata[a].ngroups; g++)
			if (p->strata[a].groups[g].nclusters > lim)
				return 0;
	for (i = 0; p->reps && i < (size_t)p->bootstrap * p->nslots; i++)
		if (p->reps[i] > lim)
			return 0;
	return 1;
}

/* p added to a copy of itself whose files are renamed and have other
 * checksums (merge refuses the same file twice, and two files of one
 * name without ids): twice the records, and a partial that writes and
 * reads back. A p whose own files merge refuses is refused alone too. */
static void merge_self(const fa_partial *p, fa_partial *copy)
{
	static const char *const names[] = {"a.fap", "b.fap"};
	const fa_partial *parts[2];
	fa_partial *sum = NULL, *back = NULL;
	fa_buf b = FA_BUF_INIT;
	fa_error err, alone;
	size_t i;
	int rc;

	for (i = 0; i < copy->nfiles; i++) {
		char *path = fa_xasprintf("%s#copy#", copy->files[i].path);
		free(copy->files[i].path);
		copy->files[i].path = path;
		snprintf(copy->files[i].sha256, sizeof(copy->files[i].sha256), "c0b1%060zx", i);
	}
	/* an input may itself hold a checksum the copy was given: then the
	 * two do hold "the same file", and the refusal is right */
	for (i = 0; i < copy->nfiles; i++) {
		size_t j;
		for (j = 0; j < p->nfiles; j++)
			if (strcmp(copy->files[i].sha256, p->files[j].sha256) == 0)
				return;
	}
	parts[0] = p;
	parts[1] = copy;
	fa_error_clear(&err);
	rc = fa_partial_merge(&sum, parts, names, 2, &err);
	if (rc < 0) {
		fz_check_error(rc, &err);
		fa_error_clear(&alone);
		if (fa_partial_merge(&sum, parts, NULL, 1, &alone) != rc) {
			fprintf(stderr, "a partial does not merge with its copy: %s\n", err.message);
			abort();
		}
		return;
	}
	CHECK(fa_partial_rows(sum) == 2 * fa_partial_rows(p));
	CHECK(fa_partial_write(&b, sum, &err) == 0);
	rc = fa_partial_read(&back, "sum.fap", b.ptr, b.len, &err);
	if (rc < 0) {
		fprintf(stderr, "the sum of a partial and its copy does not read back: %s\n",
			err.message);
		abort();
	}
	fa_partial_free(back);
	fa_partial_free(sum);
	fa_buf_free(&b);
}

static int cheap_enough(const fa_partial *p)
{
	size_t a, groups = 0;

	if (fa_partial_rows(p) > MAX_ROWS)
		return 0;
	if (p->bootstrap > MAX_REP_CELLS ||
	    (p->nslots && p->bootstrap > MAX_REP_CELLS / p->nslots))
		return 0;
	for (a = 0; a < p->nstrata; a++)
		groups += p->strata[a].ngroups;
	return groups <= MAX_GROUPS;
}

static void audit(fa_partial *p)
{
	fa_audit_options run = FA_AUDIT_OPTIONS_INIT;
	fa_result *r = NULL;
	fa_buf b = FA_BUF_INIT;
	fa_error err;
	int rc, f;

	if (p->permutations > MAX_PERMUTATIONS)
		fa_partial_set_permutations(p, MAX_PERMUTATIONS);
	run.threads = 1;
	fa_error_clear(&err);
	rc = fa_partial_audit(&r, p, &run, &err);
	if (rc < 0) {
		/* an unknown --reference, counts of an attribute that are not
		 * the whole population's, a limit */
		CHECK(r == NULL);
		fz_check_error(rc, &err);
		CHECK(rc == FA_EUSAGE || rc == FA_EINPUT || rc == FA_ELIMIT || rc == FA_EMATH);
		return;
	}
	CHECK(r != NULL);
	CHECK(r->overall.n == fa_partial_rows(p));
	CHECK(r->overall.n == r->overall.n_pos + r->overall.n_neg);
	CHECK(r->overall.tp + r->overall.fn == r->overall.n_pos);
	CHECK(r->nattrs == p->nstrata - 1);
	for (f = FA_REPORT_MARKDOWN; f <= FA_REPORT_JSONL; f++) {
		fa_buf_clear(&b);
		CHECK(fa_report_write(&b, r, (fa_report_format)f, &err) == 0);
		CHECK(b.len > 0 && strlen(b.ptr) == b.len);
	}
	fa_buf_free(&b);
	fa_result_free(r);
}

/* Read `n` bytes: a file when they start with its signature, else a body
 * put in a file here. NULL when the reader refuses them. */
static fa_partial *read_input(const uint8_t *data, size_t n, const char *name)
{
	fa_partial *p = NULL;
	unsigned char *file = NULL;
	const uint8_t *in = data;
	size_t len = n;
	fa_error err;
	int rc;

	if (n < 8 || memcmp(data, magic, 8) != 0) {
		file = wrap(data, n, &len);
		in = file;
	}
	fa_error_clear(&err);
	rc = fa_partial_read(&p, name, in, len, &err);
	free(file);
	if (rc < 0) {
		check_read_error(rc, p, &err, name);
		return NULL;
	}
	CHECK(rc == 0 && p != NULL);
	return p;
}

/* One partial: it writes and reads back to the same bytes, merges with a
 * copy of itself, and is audited when small. */
static void one_partial(fa_partial *p)
{
	fa_partial *again = NULL;
	fa_buf one = FA_BUF_INIT, two = FA_BUF_INIT;
	fa_error err;
	int rc;

	CHECK(fa_partial_write(&one, p, &err) == 0);
	fa_error_clear(&err);
	rc = fa_partial_read(&again, "again.fap", one.ptr, one.len, &err);
	if (rc < 0) {
		fprintf(stderr, "the partial written does not read back: %s\n", err.message);
		abort();
	}
	CHECK(fa_partial_write(&two, again, &err) == 0);
	CHECK(one.len == two.len && memcmp(one.ptr, two.ptr, one.len) == 0);
	CHECK(fa_partial_rows(again) == fa_partial_rows(p));
	if (small_counts(p))
		merge_self(p, again);
	if (cheap_enough(p))
		audit(p);
	fa_buf_free(&one);
	fa_buf_free(&two);
	fa_partial_free(again);
}

/* Two partials: merged in both orders, the same bytes or the same refusal;
 * a sum writes and reads back, and is audited when small. */
static void two_partials(const fa_partial *a, const fa_partial *b)
{
	static const char *const names[] = {"a.fap", "b.fap"};
	const fa_partial *ab[2], *ba[2];
	fa_partial *x = NULL, *y = NULL, *back = NULL;
	fa_buf bx = FA_BUF_INIT, by = FA_BUF_INIT;
	fa_error ex, ey;
	int rx, ry;

	ab[0] = ba[1] = a;
	ab[1] = ba[0] = b;
	fa_error_clear(&ex);
	fa_error_clear(&ey);
	rx = fa_partial_merge(&x, ab, names, 2, &ex);
	ry = fa_partial_merge(&y, ba, NULL, 2, &ey);
	if (rx < 0 || ry < 0) {
		/* other settings, or the same records twice: refused either way */
		CHECK(rx < 0 && ry < 0 && x == NULL && y == NULL);
		fz_check_error(rx, &ex);
		fz_check_error(ry, &ey);
		CHECK(rx == FA_EUSAGE && ry == FA_EUSAGE);
		return;
	}
	CHECK(fa_partial_rows(x) == fa_partial_rows(a) + fa_partial_rows(b));
	CHECK(fa_partial_write(&bx, x, &ex) == 0);
	CHECK(fa_partial_write(&by, y, &ey) == 0);
	if (bx.len != by.len || memcmp(bx.ptr, by.ptr, bx.len) != 0) {
		fprintf(stderr, "a + b and b + a differ\n");
		abort();
	}
	if (small_counts(a) && small_counts(b)) {
		if (fa_partial_read(&back, "sum.fap", bx.ptr, bx.len, &ex) < 0) {
			fprintf(stderr, "a sum does not read back: %s\n", ex.message);
			abort();
		}
		fa_partial_free(back);
		if (cheap_enough(x))
			audit(x);
	}
	fa_buf_free(&bx);
	fa_buf_free(&by);
	fa_partial_free(x);
	fa_partial_free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	fa_partial *p, *q;
	size_t n1;

	if (!ready) {
		gsl_set_error_handler_off();
		ready = 1;
	}
	if (size >= 8 && memcmp(data, pair_tag, 4) == 0) {
		n1 = (size_t)data[4] | (size_t)data[5] << 8 | (size_t)data[6] << 16 |
		     (size_t)data[7] << 24;
		if (n1 > size - 8)
			return 0;
		p = read_input(data + 8, n1, "a.fap");
		q = p ? read_input(data + 8 + n1, size - 8 - n1, "b.fap") : NULL;
		if (p && q)
			two_partials(p, q);
		fa_partial_free(p);
		fa_partial_free(q);
		return 0;
	}
	p = read_input(data, size, "in.fap");
	if (p)
		one_partial(p);
	fa_partial_free(p);
	return 0;
}
