/* table_internal.h: the table's layout, shared by table.c and the loader. */
#ifndef FA_TABLE_INTERNAL_H
#define FA_TABLE_INTERNAL_H

#include "fairaudit/table.h"

/* A string -> code dictionary with a seeded hash, so crafted keys cannot
 * make lookups degrade. Codes are dense, in order of first appearance. */
typedef struct fa_dict {
	char **names;
	size_t *lens;
	size_t count, cap;
	uint32_t *slots; /* code + 1; 0 = empty */
	uint64_t *hashes;
	size_t nslots;
	uint64_t seed;
} fa_dict;

void fa_dict_init(fa_dict *d);
void fa_dict_free(fa_dict *d);
/* Returns the code of `s`, adding it when new. */
uint32_t fa_dict_intern(fa_dict *d, const char *s, size_t len);
/* Returns the code of `s` or FA_NO_CODE. */
uint32_t fa_dict_find(const fa_dict *d, const char *s, size_t len);

typedef struct fa_attr {
	char *name;
	uint32_t *codes;
	fa_dict dict;       /* level texts */
	uint32_t missing;   /* code of "(missing)" or FA_NO_CODE */
	int binned;
	int unlimited;      /* a cluster column: any number of values, not sorted */
	int probe;          /* the id column looked for by probe_names */
	int id;             /* the record id column (fa_load_options.id_column) */
	double *cuts;       /* for binned attributes */
	size_t ncuts;
} fa_attr;

struct fa_table {
	size_t rows, cap;
	double *scores;
	double **extra;     /* extra score columns */
	size_t nextra;
	uint8_t *labels;
	uint8_t *preds;
	fa_attr *attrs;
	size_t nattrs;
	fa_input_file *files;
	size_t nfiles;
	size_t rows_read;
	size_t probe_repeats;
	size_t drops[FA_DROP__COUNT];
	char *label_column, *score_column, *pred_column;
	/* with an id column: each record's line in its file (clamped to
	 * UINT32_MAX), and the first record of each file */
	uint32_t *lines;
	size_t *file_row0;
};

/* Make room for `rows` rows. */
void fa_table_reserve(fa_table *t, size_t rows);
/* Put levels in a stable order (numbers by value, then text in natural
 * order, "(missing)" last; bins stay in interval order), renumber the
 * codes, and make every level text safe to print: bytes that are not valid
 * UTF-8 and control characters become "\xNN". */
void fa_table_sort_levels(fa_table *t);
/* The error for a table whose every row was dropped, with the count of
 * each reason; `path` names the file, or NULL for several. */
int fa_table_all_dropped(const fa_table *t, const char *path, fa_error *err);
/* The order fa_table_sort_levels puts two levels in (< 0, 0, > 0); a
 * missing level goes last. */
int fa_level_order(const char *a, int a_missing, const char *b, int b_missing);
/* Where each record came from: its file (index) and its line in it; 0
 * for the line unless the table keeps lines (FA_LOAD_KEEP_LINES). */
size_t fa_table_record_file(const fa_table *t, size_t row);
unsigned long fa_table_record_line(const fa_table *t, size_t row);

/* ---- text helpers shared by the table and the loader ------------------ */

/* Length of the valid UTF-8 character at `s` (at most `n` bytes), or 0 when
 * the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * values above U+10FFFF are not). */
size_t fa_utf8_len(const char *s, size_t n);
/* Quote a value for a one-line message: `"` and `\` escaped, control
 * characters and invalid UTF-8 as \xNN, cut after `max` characters. */
void fa_quote_value(char *out, size_t size, const char *s, size_t len, size_t max);
/* The number of characters in `s`: a valid UTF-8 sequence counts one, and
 * so does every byte that is not part of one. Columns in messages count
 * this way. */
unsigned long fa_utf8_columns(const char *s, size_t n);
/* Append `s` to `b` with invalid UTF-8 bytes and control characters
 * (U+0000..U+001F, U+007F) written as "\xNN". Returns how many bytes were
 * escaped. */
size_t fa_text_escape(fa_buf *b, const char *s, size_t n);

#endif
