/*
 * fuzz_load.c: fuzz target for the loader.
 *
 * The first input byte picks the options, the rest is the file, which
 * fa_load_memory() must turn into a table or an error: never a crash, a
 * hang or a leak. Both outcomes are then checked: every level text is
 * valid UTF-8 without control characters, every code is in range, and an
 * input error is one line naming a line and column.
 */
#include "fairaudit/load.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The option byte. */
enum {
	OPT_NAME = 3,        /* bits 0-1: name "f.csv", "f.tsv", "f.json" or "f" */
	OPT_GZIP = 1 << 2,   /* gzip the rest before loading it */
	OPT_POSITIVE = 1 << 3, /* --positive */
	OPT_SKIP = 1 << 4,   /* --on-invalid skip */
	OPT_DERM = 1 << 5,   /* the columns of derm_lesions.jsonl, else cxr_small.csv */
	OPT_EXTRA = 1 << 6,  /* a --pred column and a --bin column */
	OPT_SMALL = 1 << 7   /* tight limits: 4 groups, 256-byte lines */
};

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c))                                                     \
			abort();                                              \
	} while (0)

static unsigned char *gzip_bytes(const uint8_t *data, size_t size, size_t *out_len)
{
	z_stream zs;
	unsigned char *out;
	size_t cap;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	cap = deflateBound(&zs, (uLong)size) + 32;
	out = malloc(cap);
	CHECK(out != NULL);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)size;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
	*out_len = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

/* Valid UTF-8 with no control characters. */
static int clean_text(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, j;

	while (s[i]) {
		unsigned char c = s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!k || c > 0xF4)
			return 0;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += k;
	}
	return 1;
}

static void check_table(const fa_table *t, int pred)
{
	size_t n = fa_table_rows(t), i, a;
	const double *scores = fa_table_scores(t);
	const uint8_t *labels = fa_table_labels(t), *preds = fa_table_preds(t);

	CHECK(n > 0);
	CHECK(fa_table_rows_read(t) == n + fa_table_rows_dropped(t));
	CHECK(!pred == !preds);
	for (i = 0; i < n; i++) {
		CHECK(isfinite(scores[i]));
		CHECK(labels[i] <= 1);
		CHECK(!preds || preds[i] <= 1);
	}
	for (a = 0; a < fa_table_attr_count(t); a++) {
		size_t levels = fa_table_attr_levels(t, a), l;
		const uint32_t *codes = fa_table_attr_codes(t, a);
		uint32_t missing = fa_table_attr_missing(t, a);
		for (i = 0; i < n; i++)
			CHECK(codes[i] < levels);
		for (l = 0; l < levels; l++)
			CHECK(clean_text(fa_table_attr_level(t, a, (uint32_t)l)));
		CHECK(missing == FA_NO_CODE || missing == levels - 1);
	}
}

static void check_error(int rc, const fa_error *err)
{
	CHECK(rc == FA_EINPUT || rc == FA_ELIMIT || rc == FA_EIO);
	CHECK(err->code == rc);
	CHECK(err->message[0] != '\0');
	CHECK(strchr(err->message, '\n') == NULL);
	CHECK(clean_text(err->message));
	/* an input error names where it is, but for the count of rows dropped */
	if (rc != FA_EIO && strncmp(err->message, "no usable rows", 14) != 0)
		CHECK(err->line >= 1 && err->column >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"f.csv", "f.tsv", "f.json", "f"};
	static const char *const cxr_groups[] = {"sex", "race", "site"};
	static const char *const derm_groups[] = {"fitzpatrick", "sex", "body_site"};
	static const double cuts[] = {40, 65};
	static int ready;
	fa_load_options o = FA_LOAD_OPTIONS_INIT;
	fa_bin_spec bin = {"age", cuts, 2};
	fa_table *t = NULL;
	fa_error err;
	unsigned char *gz = NULL;
	const uint8_t *text;
	size_t len;
	unsigned opt;
	int rc;

	if (!ready) {
		gsl_set_error_handler_off();
		ready = 1;
	}
	if (size < 1)
		return 0;
	opt = data[0];
	text = data + 1;
	len = size - 1;
	if (opt & OPT_GZIP) {
		gz = gzip_bytes(text, len, &len);
		text = gz;
	}
	if (opt & OPT_DERM) {
		o.label_column = "malignant";
		o.score_column = "prob";
		o.attr_columns = derm_groups;
	} else {
		o.attr_columns = cxr_groups;
	}
	o.attr_count = 3;
	if (opt & OPT_POSITIVE)
		o.positive = opt & OPT_DERM ? "true" : "1";
	if (opt & OPT_SKIP)
		o.on_invalid = FA_ON_INVALID_SKIP;
	if (opt & OPT_EXTRA) {
		o.pred_column = "pred";
		o.bins = &bin;
		o.bin_count = 1;
	}
	if (opt & OPT_SMALL) {
		o.max_groups = 4;
		o.max_line_bytes = 256;
	} else {
		/* well above -max_len, so lines are never cut by the limit alone */
		o.max_line_bytes = 1u << 20;
	}
	fa_error_clear(&err);
	rc = fa_load_memory(&t, names[opt & OPT_NAME], text, len, &o, &err);
	if (rc == 0) {
		CHECK(t != NULL);
		check_table(t, (opt & OPT_EXTRA) != 0);
	} else {
		CHECK(t == NULL);
		check_error(rc, &err);
	}
	fa_table_free(t);
	free(gz);
	return 0;
}
