/* json_writer.h: the hand-written, pretty-printing JSON writer shared by
 * the JSON report (report_json.c), the JSON Lines report (report_jsonl.c)
 * and the comparison (compare.c): fixed key
 * order, and every number the shortest text that reads back to the same
 * double. Internal. */
#ifndef FA_JSON_WRITER_H
#define FA_JSON_WRITER_H

#include "fairaudit/common.h"
#include "fairaudit/result.h"

#include "table_internal.h" /* fa_utf8_len */

#include <math.h>
#include <string.h>

#define JW_MAX_DEPTH 32

/* A pretty-printing writer. Containers opened "inline" (estimates, short
 * arrays) stay on one line, and so does everything inside them. A compact
 * writer (JSON Lines, where a line is one record) writes no space and no
 * line break at all. */
typedef struct jw {
	fa_buf *b;
	int depth;
	int compact;
	unsigned char first[JW_MAX_DEPTH];
	unsigned char inl[JW_MAX_DEPTH];
} jw;

static inline void jw_indent(jw *w, int depth)
{
	int i;
	fa_buf_putc(w->b, '\n');
	for (i = 0; i < depth; i++)
		fa_buf_put(w->b, "  ", 2);
}

/* Separate the next member or element from the previous one. */
static inline void jw_item(jw *w)
{
	if (!w->first[w->depth])
		fa_buf_putc(w->b, ',');
	if (w->compact) {
		/* nothing between items */
	} else if (w->inl[w->depth]) {
		if (!w->first[w->depth])
			fa_buf_putc(w->b, ' ');
	} else {
		jw_indent(w, w->depth);
	}
	w->first[w->depth] = 0;
}

static inline void jw_open(jw *w, char c, int inline_)
{
	fa_buf_putc(w->b, c);
	w->depth++;
	w->first[w->depth] = 1;
	w->inl[w->depth] = (unsigned char)(inline_ || w->inl[w->depth - 1]);
}

static inline void jw_close(jw *w, char c)
{
	if (!w->first[w->depth] && !w->inl[w->depth] && !w->compact)
		jw_indent(w, w->depth - 1);
	w->depth--;
	fa_buf_putc(w->b, c);
}

/* A JSON string. Bytes that are not UTF-8 (possible in paths and the
 * command line, which come from the operating system) are written as the
 * text \xNN, the loader's convention, so the report stays valid JSON. */
static inline void jw_str(jw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;

	fa_buf_putc(w->b, '"');
	while (i < n) {
		unsigned char c = p[i];
		size_t k;
		switch (c) {
		case '"': fa_buf_put(w->b, "\\\"", 2); i++; continue;
		case '\\': fa_buf_put(w->b, "\\\\", 2); i++; continue;
		case '\n': fa_buf_put(w->b, "\\n", 2); i++; continue;
		case '\r': fa_buf_put(w->b, "\\r", 2); i++; continue;
		case '\t': fa_buf_put(w->b, "\\t", 2); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			fa_buf_printf(w->b, "\\u%04x", c);
			i++;
			continue;
		}
		k = fa_utf8_len((const char *)p + i, n - i);
		if (k == 0) {
			fa_buf_printf(w->b, "\\\\x%02X", c);
			i++;
			continue;
		}
		fa_buf_put(w->b, s + i, k);
		i += k;
	}
	fa_buf_putc(w->b, '"');
}

static inline void jw_key(jw *w, const char *k)
{
	jw_item(w);
	jw_str(w, k);
	fa_buf_put(w->b, ": ", w->compact ? 1 : 2);
}

static inline void jw_null(jw *w)
{
	fa_buf_puts(w->b, "null");
}

/* A finite double, or null (JSON has no NaN or infinity). */
static inline void jw_num(jw *w, double x)
{
	if (isfinite(x))
		fa_buf_put_double(w->b, x);
	else
		jw_null(w);
}

static inline void jw_size(jw *w, size_t x)
{
	fa_buf_printf(w->b, "%zu", x);
}

static inline void jw_str_or_null(jw *w, const char *s)
{
	if (s)
		jw_str(w, s);
	else
		jw_null(w);
}

static inline void jw_bool(jw *w, int x)
{
	fa_buf_puts(w->b, x ? "true" : "false");
}


/* The input files of a report, as an array of their provenance. */
static inline void jw_input_files(jw *w, const fa_file_info *files, size_t n)
{
	size_t i;

	jw_open(w, '[', 0);
	for (i = 0; i < n; i++) {
		const fa_file_info *f = &files[i];
		jw_item(w);
		jw_open(w, '{', 0);
		jw_key(w, "path");
		jw_str(w, f->path ? f->path : "");
		jw_key(w, "sha256");
		jw_str(w, f->sha256);
		jw_key(w, "format");
		jw_str(w, f->format ? f->format : "");
		jw_key(w, "gzip");
		jw_bool(w, f->gzip);
		jw_key(w, "bytes");
		jw_size(w, f->bytes);
		jw_key(w, "rows");
		jw_size(w, f->rows);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The settings both reports start with, in this order: the columns, the
 * threshold and group sizes, the bootstrap and its seed. */
static inline void jw_settings_head(jw *w, const fa_settings *s)
{
	jw_key(w, "label_column");
	jw_str_or_null(w, s->label_column);
	jw_key(w, "score_column");
	jw_str_or_null(w, s->score_column);
	jw_key(w, "pred_column");
	jw_str_or_null(w, s->pred_column);
	jw_key(w, "positive");
	jw_str_or_null(w, s->positive);
	jw_key(w, "threshold");
	jw_num(w, s->threshold);
	jw_key(w, "min_n");
	jw_size(w, s->min_n);
	jw_key(w, "suppress_below");
	jw_size(w, s->suppress_below);
	jw_key(w, "bootstrap");
	jw_size(w, s->bootstrap);
	jw_key(w, "ci_level");
	jw_num(w, s->ci_level);
	jw_key(w, "seed");
	/* a JSON reader that keeps numbers as doubles would round a larger
	 * seed, so that one is written as a decimal string */
	if (s->seed <= (1ULL << 53))
		fa_buf_printf(w->b, "%llu", (unsigned long long)s->seed);
	else
		fa_buf_printf(w->b, "\"%llu\"", (unsigned long long)s->seed);
}

/* The interval and test methods, and the cluster column. */
static inline void jw_settings_methods(jw *w, const fa_settings *s)
{
	jw_key(w, "ci_method");
	jw_str_or_null(w, s->ci_method);
	jw_key(w, "bootstrap_ci");
	jw_str_or_null(w, s->bootstrap_ci);
	jw_key(w, "permutations");
	jw_size(w, s->permutations);
	jw_key(w, "p_adjust");
	jw_str_or_null(w, s->p_adjust);
	jw_key(w, "cluster_column");
	jw_str_or_null(w, s->cluster_column);
}

#endif
