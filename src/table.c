/* table.c: the columnar record store and its level dictionaries. */
#include "table_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const drop_names[FA_DROP__COUNT] = {
	"ragged_row", "invalid_label", "invalid_score", "invalid_pred",
	"missing_value", "invalid_json", "invalid_bin_value", "missing_in_model_file",
	"invalid_date",
};

const char *fa_drop_reason_name(fa_drop_reason r)
{
	return (unsigned)r < FA_DROP__COUNT ? drop_names[r] : "unknown";
}

/* ---- dictionary ------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t hash_bytes(const char *s, size_t len, uint64_t seed)
{
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = mix64(h ^ w);
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = mix64(h ^ w ^ 0xff);
	}
	return mix64(h);
}

void fa_dict_init(fa_dict *d)
{
	static uint64_t counter;
	memset(d, 0, sizeof(*d));
	/* The seed only spreads keys over slots; codes do not depend on it. */
	d->seed = mix64((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
			(uint64_t)(uintptr_t)d ^ ++counter);
}

void fa_dict_free(fa_dict *d)
{
	size_t i;
	for (i = 0; i < d->count; i++)
		free(d->names[i]);
	free(d->names);
	free(d->lens);
	free(d->slots);
	free(d->hashes);
	memset(d, 0, sizeof(*d));
}

static void dict_rehash(fa_dict *d, size_t nslots)
{
	uint32_t *slots = fa_xcalloc(nslots, sizeof(*slots));
	size_t i;

	for (i = 0; i < d->count; i++) {
		size_t j = d->hashes[i] & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(d->slots);
	d->slots = slots;
	d->nslots = nslots;
}

uint32_t fa_dict_find(const fa_dict *d, const char *s, size_t len)
{
	uint64_t h;
	size_t j;

	if (!d->nslots)
		return FA_NO_CODE;
	/* a handful of values (sex, site, race): comparing beats hashing */
	if (d->count <= 8) {
		for (j = 0; j < d->count; j++)
			if (d->lens[j] == len && memcmp(d->names[j], s, len) == 0)
				return (uint32_t)j;
		return FA_NO_CODE;
	}
	h = hash_bytes(s, len, d->seed);
	for (j = h & (d->nslots - 1); d->slots[j]; j = (j + 1) & (d->nslots - 1)) {
		uint32_t c = d->slots[j] - 1;
		if (d->hashes[c] == h && d->lens[c] == len &&
		    memcmp(d->names[c], s, len) == 0)
			return c;
	}
	return FA_NO_CODE;
}

/* Add `s` as a new code, whether or not it is already there. */
static uint32_t dict_append(fa_dict *d, const char *s, size_t len)
{
	void *p;
	size_t cap, j;
	uint32_t c;

	if ((d->count + 1) * 2 > d->nslots)
		dict_rehash(d, d->nslots ? d->nslots * 2 : 16);
	/* the three arrays grow together from the same capacity */
	cap = d->cap;
	p = d->names;
	fa_grow(&p, &cap, d->count + 1, sizeof(char *));
	d->names = p;
	p = d->lens;
	cap = d->cap;
	fa_grow(&p, &cap, d->count + 1, sizeof(size_t));
	d->lens = p;
	p = d->hashes;
	fa_grow(&p, &d->cap, d->count + 1, sizeof(uint64_t));
	d->hashes = p;
	c = (uint32_t)d->count++;
	d->names[c] = fa_xstrndup(s, len);
	d->lens[c] = len;
	d->hashes[c] = hash_bytes(s, len, d->seed);
	j = d->hashes[c] & (d->nslots - 1);
	while (d->slots[j])
		j = (j + 1) & (d->nslots - 1);
	d->slots[j] = c + 1;
	return c;
}

uint32_t fa_dict_intern(fa_dict *d, const char *s, size_t len)
{
	uint32_t c = fa_dict_find(d, s, len);
	return c != FA_NO_CODE ? c : dict_append(d, s, len);
}

/* ---- text ------------------------------------------------------------- */

size_t fa_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	/* the second byte's range rules out overlong forms, surrogates and
	 * code points above U+10FFFF */
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < k; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return k;
}

/* Quote a value for a one-line message: `"` and `\` escaped, control
 * characters and invalid UTF-8 as \xNN, cut after `max` characters. */
void fa_quote_value(char *out, size_t size, const char *s, size_t len, size_t max)
{
	fa_buf b = FA_BUF_INIT;
	size_t i = 0, chars = 0;

	while (i < len && chars < max) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : fa_utf8_len(s + i, len - i);
		if (c == '"' || c == '\\')
			fa_buf_printf(&b, "\\%c", c);
		else if (k == 0 || c < 0x20 || c == 0x7f)
			fa_buf_printf(&b, "\\x%02x", c);
		else
			fa_buf_put(&b, s + i, k);
		i += k ? k : 1;
		chars++;
	}
	if (i < len)
		fa_buf_puts(&b, "...");
	snprintf(out, size, "%s", b.ptr ? b.ptr : "");
	fa_buf_free(&b);
}

unsigned long fa_utf8_columns(const char *s, size_t n)
{
	unsigned long cols = 0;
	size_t i = 0;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
		} else {
			size_t k = fa_utf8_len(s + i, n - i);
			i += k ? k : 1;
		}
		cols++;
	}
	return cols;
}

size_t fa_text_escape(fa_buf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0, escaped = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : fa_utf8_len(s + i, n - i);
		if (k && c >= 0x20 && c != 0x7f) {
			i += k;
			continue;
		}
		fa_buf_put(b, s + run, i - run);
		fa_buf_printf(b, "\\x%02x", c);
		escaped++;
		run = ++i;
	}
	fa_buf_put(b, s + run, i - run);
	return escaped;
}

/* ---- table ------------------------------------------------------------ */

void fa_table_reserve(fa_table *t, size_t rows)
{
	size_t cap, a;
	void *p;

	if (rows <= t->cap)
		return;
	cap = t->cap < 1024 ? 1024 : t->cap;
	while (cap < rows)
		cap += cap / 2;
	t->scores = fa_xrealloc(t->scores, cap * sizeof(double));
	for (a = 0; a < t->nextra; a++)
		t->extra[a] = fa_xrealloc(t->extra[a], cap * sizeof(double));
	t->labels = fa_xrealloc(t->labels, cap);
	if (t->pred_column)
		t->preds = fa_xrealloc(t->preds, cap);
	if (t->lines)
		t->lines = fa_xrealloc(t->lines, cap * sizeof(uint32_t));
	for (a = 0; a < t->nattrs; a++) {
		p = fa_xrealloc(t->attrs[a].codes, cap * sizeof(uint32_t));
		t->attrs[a].codes = p;
	}
	t->cap = cap;
}

/* A level that is a plain decimal number ("42", "-1.5", "1e3"), so it sorts
 * by value; "nan", "inf" and hex forms are text. */
static int level_number(const char *s, double *x)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.'))
		return 0;
	if (strpbrk(s, "xXnNiI"))
		return 0;
	*x = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*x);
}

/* Text in natural order: bytes, except that runs of digits compare by
 * their value ("site2" < "site10"). With strcmp to break ties this is a
 * total order, as qsort requires. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *sa = a, *sb = b;
			size_t la, lb;
			int c;
			while (*sa == '0')
				sa++;
			while (*sb == '0')
				sb++;
			a = sa;
			b = sb;
			while (*a >= '0' && *a <= '9')
				a++;
			while (*b >= '0' && *b <= '9')
				b++;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(sa, sb, la)) != 0)
				return c < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

typedef struct level_key {
	const char *name;
	uint32_t code;
	int missing, number;
	double x;
} level_key;

/* "(missing)" last, numbers before text, numbers by value. */
static int level_cmp(const void *pa, const void *pb)
{
	const level_key *a = pa, *b = pb;
	int c;

	if (a->missing != b->missing)
		return a->missing - b->missing;
	if (a->number != b->number)
		return b->number - a->number;
	if (a->number && a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (!a->number && (c = natural_cmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

int fa_level_order(const char *a, int a_missing, const char *b, int b_missing)
{
	level_key x, y;

	x.name = a;
	y.name = b;
	x.code = y.code = 0;
	x.x = y.x = 0;
	x.missing = a_missing != 0;
	y.missing = b_missing != 0;
	x.number = !x.missing && level_number(a, &x.x);
	y.number = !y.missing && level_number(b, &y.x);
	return level_cmp(&x, &y);
}

size_t fa_table_record_file(const fa_table *t, size_t row)
{
	size_t lo = 0, hi = t->nfiles;

	if (!t->file_row0 || hi == 0)
		return 0;
	/* the last file whose first record is at or before row */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->file_row0[mid] <= row)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

unsigned long fa_table_record_line(const fa_table *t, size_t row)
{
	return t->lines ? t->lines[row] : 0;
}

void fa_table_sort_levels(fa_table *t)
{
	size_t a, i;
	fa_buf esc = FA_BUF_INIT;

	for (a = 0; a < t->nattrs; a++) {
		fa_attr *at = &t->attrs[a];
		size_t n = at->dict.count;
		level_key *keys;
		uint32_t *remap;
		fa_dict nd;

		if (at->binned || at->unlimited || n == 0)
			continue;
		keys = fa_xmalloc(n * sizeof(*keys));
		remap = fa_xmalloc(n * sizeof(*remap));
		for (i = 0; i < n; i++) {
			keys[i].name = at->dict.names[i];
			keys[i].code = (uint32_t)i;
			keys[i].missing = (uint32_t)i == at->missing;
			keys[i].number = !keys[i].missing && level_number(keys[i].name, &keys[i].x);
		}
		qsort(keys, n, sizeof(*keys), level_cmp);
		fa_dict_init(&nd);
		for (i = 0; i < n; i++) {
			uint32_t c = keys[i].code;
			fa_buf_clear(&esc);
			fa_text_escape(&esc, at->dict.names[c], at->dict.lens[c]);
			/* Escaping can make two levels read alike ("\xff" typed and a
			 * raw 0xFF byte); they stay two groups, never merge. */
			remap[c] = dict_append(&nd, esc.len ? esc.ptr : "", esc.len);
		}
		if (at->missing != FA_NO_CODE)
			at->missing = remap[at->missing];
		for (i = 0; i < t->rows; i++)
			at->codes[i] = remap[at->codes[i]];
		fa_dict_free(&at->dict);
		at->dict = nd;
		free(keys);
		free(remap);
	}
	fa_buf_free(&esc);
}

size_t fa_table_rows(const fa_table *t) { return t->rows; }
const double *fa_table_scores(const fa_table *t) { return t->score_column ? t->scores : NULL; }
const uint8_t *fa_table_labels(const fa_table *t) { return t->label_column ? t->labels : NULL; }
const uint8_t *fa_table_preds(const fa_table *t) { return t->preds; }
size_t fa_table_attr_count(const fa_table *t) { return t->nattrs; }

const char *fa_table_attr_name(const fa_table *t, size_t attr)
{
	return t->attrs[attr].name;
}

long fa_table_attr_find(const fa_table *t, const char *name)
{
	size_t a;
	for (a = 0; a < t->nattrs; a++)
		if (strcmp(t->attrs[a].name, name) == 0)
			return (long)a;
	return -1;
}

const uint32_t *fa_table_attr_codes(const fa_table *t, size_t attr)
{
	return t->attrs[attr].codes;
}

size_t fa_table_attr_levels(const fa_table *t, size_t attr)
{
	return t->attrs[attr].dict.count;
}

const char *fa_table_attr_level(const fa_table *t, size_t attr, uint32_t code)
{
	return t->attrs[attr].dict.names[code];
}

uint32_t fa_table_attr_missing(const fa_table *t, size_t attr)
{
	return t->attrs[attr].missing;
}

int fa_table_attr_binned(const fa_table *t, size_t attr)
{
	return t->attrs[attr].binned;
}

size_t fa_table_file_count(const fa_table *t) { return t->nfiles; }
const fa_input_file *fa_table_file(const fa_table *t, size_t i) { return &t->files[i]; }
size_t fa_table_rows_read(const fa_table *t) { return t->rows_read; }

size_t fa_table_rows_dropped(const fa_table *t)
{
	size_t r, n = 0;
	for (r = 0; r < FA_DROP__COUNT; r++)
		n += t->drops[r];
	return n;
}

size_t fa_table_drops(const fa_table *t, fa_drop_reason r)
{
	return (unsigned)r < FA_DROP__COUNT ? t->drops[r] : 0;
}

const char *fa_table_label_column(const fa_table *t) { return t->label_column; }
const char *fa_table_score_column(const fa_table *t) { return t->score_column; }
const char *fa_table_pred_column(const fa_table *t) { return t->pred_column; }

const double *fa_table_extra_scores(const fa_table *t, size_t k)
{
	return k < t->nextra ? t->extra[k] : NULL;
}

size_t fa_table_extra_score_count(const fa_table *t) { return t->nextra; }

const char *fa_table_probe(const fa_table *t, size_t *repeats)
{
	size_t a;
	for (a = 0; a < t->nattrs; a++)
		if (t->attrs[a].probe && t->attrs[a].name[0]) {
			*repeats = t->probe_repeats;
			return t->attrs[a].name;
		}
	*repeats = 0;
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? fa_xstrdup(s) : NULL;
}

fa_table *fa_table_subset(const fa_table *t, const size_t *rows, size_t n)
{
	fa_table *s = fa_xcalloc(1, sizeof(*s));
	size_t a, i, k;

	s->label_column = dup_or_null(t->label_column);
	s->score_column = dup_or_null(t->score_column);
	s->pred_column = dup_or_null(t->pred_column);
	s->nextra = t->nextra;
	s->extra = fa_xcalloc(t->nextra ? t->nextra : 1, sizeof(double *));
	if (t->preds)
		s->preds = fa_xmalloc(1);
	if (t->lines)
		s->lines = fa_xmalloc(1);
	s->nattrs = t->nattrs;
	s->attrs = fa_xcalloc(t->nattrs ? t->nattrs : 1, sizeof(fa_attr));
	for (a = 0; a < t->nattrs; a++) {
		const fa_attr *from = &t->attrs[a];
		fa_attr *to = &s->attrs[a];
		*to = *from;
		to->name = fa_xstrdup(from->name);
		to->codes = NULL;
		to->cuts = NULL;
		if (from->cuts) {
			to->cuts = fa_xmalloc((from->ncuts + 1) * sizeof(double));
			memcpy(to->cuts, from->cuts, (from->ncuts + 1) * sizeof(double));
		}
		/* the same codes: appended in order, duplicates kept */
		fa_dict_init(&to->dict);
		for (k = 0; k < from->dict.count; k++)
			dict_append(&to->dict, from->dict.names[k], from->dict.lens[k]);
	}
	fa_table_reserve(s, n ? n : 1);
	for (i = 0; i < n; i++) {
		size_t r = rows[i];
		s->scores[i] = t->scores[r];
		s->labels[i] = t->labels[r];
		if (t->preds)
			s->preds[i] = t->preds[r];
		if (t->lines)
			s->lines[i] = t->lines[r];
		for (k = 0; k < t->nextra; k++)
			s->extra[k][i] = t->extra[k][r];
		for (a = 0; a < t->nattrs; a++)
			s->attrs[a].codes[i] = t->attrs[a].codes[r];
	}
	s->rows = n;
	s->rows_read = n;
	s->nfiles = t->nfiles;
	s->files = fa_xcalloc(t->nfiles ? t->nfiles : 1, sizeof(fa_input_file));
	for (i = 0; i < t->nfiles; i++) {
		s->files[i] = t->files[i];
		s->files[i].path = fa_xstrdup(t->files[i].path);
	}
	return s;
}

void fa_table_free(fa_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nattrs; i++) {
		free(t->attrs[i].name);
		free(t->attrs[i].codes);
		free(t->attrs[i].cuts);
		fa_dict_free(&t->attrs[i].dict);
	}
	for (i = 0; i < t->nfiles; i++)
		free((char *)t->files[i].path);
	free(t->attrs);
	free(t->files);
	free(t->scores);
	for (i = 0; i < t->nextra; i++)
		free(t->extra[i]);
	free(t->extra);
	free(t->labels);
	free(t->preds);
	free(t->label_column);
	free(t->score_column);
	free(t->pred_column);
	free(t->lines);
	free(t->file_row0);
	free(t);
}
