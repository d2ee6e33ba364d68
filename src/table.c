/* table.c: the columnar record store and its level dictionaries. */
#include "table_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const drop_names[FA_DROP__COUNT] = {
	"ragged_row", "invalid_label", "invalid_score", "invalid_pred",
	"missing_value", "invalid_json", "invalid_bin_value",
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
	h = hash_bytes(s, len, d->seed);
	for (j = h & (d->nslots - 1); d->slots[j]; j = (j + 1) & (d->nslots - 1)) {
		uint32_t c = d->slots[j] - 1;
		if (d->hashes[c] == h && d->lens[c] == len &&
		    memcmp(d->names[c], s, len) == 0)
			return c;
	}
	return FA_NO_CODE;
}

uint32_t fa_dict_intern(fa_dict *d, const char *s, size_t len)
{
	uint32_t c = fa_dict_find(d, s, len);
	void *p;
	size_t cap;

	if (c != FA_NO_CODE)
		return c;
	if ((d->count + 1) * 2 > d->nslots)
		dict_rehash(d, d->nslots ? d->nslots * 2 : 16);
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
	{
		size_t j = d->hashes[c] & (d->nslots - 1);
		while (d->slots[j])
			j = (j + 1) & (d->nslots - 1);
		d->slots[j] = c + 1;
	}
	return c;
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
	t->labels = fa_xrealloc(t->labels, cap);
	if (t->pred_column)
		t->preds = fa_xrealloc(t->preds, cap);
	for (a = 0; a < t->nattrs; a++) {
		p = fa_xrealloc(t->attrs[a].codes, cap * sizeof(uint32_t));
		t->attrs[a].codes = p;
	}
	t->cap = cap;
}

/* Natural order: numbers by value, then text by bytes with digit runs
 * compared numerically ("site2" < "site10"). */
static int natural_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a && *b && !*ea && !*eb) {
		if (x != y)
			return x < y ? -1 : 1;
		return strcmp(a, b);
	}
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *sa = a, *sb = b;
			size_t la, lb;
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
			{
				int c = memcmp(sa, sb, la);
				if (c)
					return c;
			}
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

typedef struct level_key {
	const fa_attr *attr;
	uint32_t code;
} level_key;

static int level_cmp(const void *pa, const void *pb)
{
	const level_key *a = pa, *b = pb;
	const fa_attr *at = a->attr;
	int c;

	if (a->code == at->missing || b->code == at->missing)
		return (a->code == at->missing) - (b->code == at->missing);
	if (at->binned) /* bin levels were interned as "#<index>" first */
		return 0;
	c = natural_cmp(at->dict.names[a->code], at->dict.names[b->code]);
	return c ? c : strcmp(at->dict.names[a->code], at->dict.names[b->code]);
}

void fa_table_sort_levels(fa_table *t)
{
	size_t a, i;

	for (a = 0; a < t->nattrs; a++) {
		fa_attr *at = &t->attrs[a];
		size_t n = at->dict.count;
		level_key *keys;
		uint32_t *remap;
		fa_dict nd;

		if (at->binned || n < 2)
			continue;
		keys = fa_xmalloc(n * sizeof(*keys));
		remap = fa_xmalloc(n * sizeof(*remap));
		for (i = 0; i < n; i++) {
			keys[i].attr = at;
			keys[i].code = (uint32_t)i;
		}
		qsort(keys, n, sizeof(*keys), level_cmp);
		fa_dict_init(&nd);
		for (i = 0; i < n; i++) {
			const char *name = at->dict.names[keys[i].code];
			remap[keys[i].code] = fa_dict_intern(&nd, name, strlen(name));
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
}

size_t fa_table_rows(const fa_table *t) { return t->rows; }
const double *fa_table_scores(const fa_table *t) { return t->scores; }
const uint8_t *fa_table_labels(const fa_table *t) { return t->labels; }
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
	free(t->labels);
	free(t->preds);
	free(t->label_column);
	free(t->score_column);
	free(t->pred_column);
	free(t);
}
