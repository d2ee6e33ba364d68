/*
 * load.c: turn CSV, TSV, JSON and JSON Lines text into table rows.
 *
 * Each format's parser hands the values of the columns it was asked for to
 * one place, commit_row(), which validates them and appends a row; so every
 * format applies the same rules and gives the same records for the same
 * data. Positions in messages refer to the decompressed text.
 */
#include "fairaudit/load.h"

#include "source.h"
#include "table_internal.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the columns a run needs ------------------------------------------ */

enum { SLOT_LABEL = 0, SLOT_SCORE = 1, SLOT_PRED = 2, SLOT_ATTR0 = 3 };

typedef struct slot_value {
	const char *ptr; /* NUL-terminated */
	size_t len;
	int present; /* 0: column absent from this record (JSON) or null */
} slot_value;

typedef struct loader {
	const fa_load_options *opts;
	fa_table *t;
	size_t nslots;
	const char **slot_names;
	const fa_bin_spec **slot_bins; /* per attribute slot, or NULL */
	fa_input_file *file;
	const char *display;
	/* staging buffers for the current record's values */
	char **stage;
	size_t *stage_cap;
	slot_value *vals;
} loader;

typedef struct row_fault {
	size_t slot;
	fa_drop_reason reason;
	int code;        /* FA_EINPUT or FA_ELIMIT */
	char msg[600];
} row_fault;

/* Quote a value for a one-line message: escaped, cut at 60 bytes. */
static void quote_value(char *out, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= 60) {
			o += (size_t)snprintf(out + o, size - o, "...");
			break;
		}
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static int parse_label(const loader *L, const char *s, size_t len, uint8_t *out)
{
	const char *pos = L->opts->positive;

	if (pos) {
		*out = strlen(pos) == len && memcmp(pos, s, len) == 0;
		return 0;
	}
	if ((len == 1 && s[0] == '1') || (len == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (len == 3 && strncasecmp(s, "yes", 3) == 0) || (len == 3 && strcmp(s, "1.0") == 0)) {
		*out = 1;
		return 0;
	}
	if ((len == 1 && s[0] == '0') || (len == 5 && strncasecmp(s, "false", 5) == 0) ||
	    (len == 2 && strncasecmp(s, "no", 2) == 0) || (len == 3 && strcmp(s, "0.0") == 0)) {
		*out = 0;
		return 0;
	}
	return -1;
}

static int parse_number(const char *s, size_t len, double *out)
{
	char *end;
	double x;

	if (len == 0)
		return -1;
	x = strtod(s, &end);
	while (end < s + len && (*end == ' ' || *end == '\t' || *end == '\r'))
		end++;
	if (end != s + len || !isfinite(x))
		return -1;
	*out = x;
	return 0;
}

static uint32_t bin_of(const fa_bin_spec *b, double x)
{
	size_t lo = 0, hi = b->ncuts;
	/* number of cuts <= x */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (b->cuts[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* Validate the staged values and append a row, or describe the fault. */
static int commit_row(loader *L, row_fault *f)
{
	fa_table *t = L->t;
	const slot_value *v = L->vals;
	uint8_t label = 0, pred = 0;
	double score = 0;
	uint32_t codes[64], *cp = codes;
	size_t a, nattr = t->nattrs;
	char q[200];
	int rc = 0;

	if (nattr > 64)
		cp = fa_xmalloc(nattr * sizeof(*cp));
	f->code = FA_EINPUT;
#define FAULT(s, r, ...)                                                      \
	do {                                                                  \
		f->slot = (s);                                                \
		f->reason = (r);                                              \
		snprintf(f->msg, sizeof(f->msg), __VA_ARGS__);                \
		rc = -1;                                                      \
		goto done;                                                    \
	} while (0)

	if (!v[SLOT_LABEL].present || v[SLOT_LABEL].len == 0)
		FAULT(SLOT_LABEL, FA_DROP_MISSING_VALUE, "empty value in label column \"%s\"",
		      L->slot_names[SLOT_LABEL]);
	if (parse_label(L, v[SLOT_LABEL].ptr, v[SLOT_LABEL].len, &label) < 0) {
		quote_value(q, sizeof(q), v[SLOT_LABEL].ptr, v[SLOT_LABEL].len);
		FAULT(SLOT_LABEL, FA_DROP_INVALID_LABEL,
		      "unrecognised label \"%s\" in column \"%s\" (expected 0/1, true/false or yes/no; use --positive VALUE for other labels)",
		      q, L->slot_names[SLOT_LABEL]);
	}
	if (!v[SLOT_SCORE].present || v[SLOT_SCORE].len == 0)
		FAULT(SLOT_SCORE, FA_DROP_MISSING_VALUE, "empty value in score column \"%s\"",
		      L->slot_names[SLOT_SCORE]);
	if (parse_number(v[SLOT_SCORE].ptr, v[SLOT_SCORE].len, &score) < 0) {
		quote_value(q, sizeof(q), v[SLOT_SCORE].ptr, v[SLOT_SCORE].len);
		FAULT(SLOT_SCORE, FA_DROP_INVALID_SCORE,
		      "expected a finite number in score column \"%s\", got \"%s\"", q[0] ? L->slot_names[SLOT_SCORE] : L->slot_names[SLOT_SCORE], q);
	}
	if (L->opts->pred_column) {
		if (!v[SLOT_PRED].present || v[SLOT_PRED].len == 0)
			FAULT(SLOT_PRED, FA_DROP_MISSING_VALUE,
			      "empty value in decision column \"%s\"", L->slot_names[SLOT_PRED]);
		if (v[SLOT_PRED].len == 1 && (v[SLOT_PRED].ptr[0] == '0' || v[SLOT_PRED].ptr[0] == '1'))
			pred = v[SLOT_PRED].ptr[0] == '1';
		else if (v[SLOT_PRED].len == 4 && strncasecmp(v[SLOT_PRED].ptr, "true", 4) == 0)
			pred = 1;
		else if (v[SLOT_PRED].len == 5 && strncasecmp(v[SLOT_PRED].ptr, "false", 5) == 0)
			pred = 0;
		else {
			quote_value(q, sizeof(q), v[SLOT_PRED].ptr, v[SLOT_PRED].len);
			FAULT(SLOT_PRED, FA_DROP_INVALID_PRED,
			      "expected 0 or 1 in decision column \"%s\", got \"%s\"",
			      L->slot_names[SLOT_PRED], q);
		}
	}
	for (a = 0; a < nattr; a++) {
		const slot_value *sv = &v[SLOT_ATTR0 + a];
		fa_attr *at = &t->attrs[a];
		if (!sv->present || sv->len == 0) {
			if (at->missing == FA_NO_CODE)
				at->missing = fa_dict_intern(&at->dict, "(missing)", 9);
			cp[a] = at->missing;
		} else if (L->slot_bins[a]) {
			double x;
			if (parse_number(sv->ptr, sv->len, &x) < 0) {
				quote_value(q, sizeof(q), sv->ptr, sv->len);
				FAULT(SLOT_ATTR0 + a, FA_DROP_INVALID_BIN,
				      "expected a number in column \"%s\" (binned with --bin), got \"%s\"",
				      at->name, q);
			}
			cp[a] = bin_of(L->slot_bins[a], x);
		} else {
			uint32_t c = fa_dict_find(&at->dict, sv->ptr, sv->len);
			if (c == FA_NO_CODE) {
				size_t max = L->opts->max_groups;
				if (max && at->dict.count >= max + (at->missing != FA_NO_CODE)) {
					f->code = FA_ELIMIT;
					FAULT(SLOT_ATTR0 + a, FA_DROP__COUNT,
					      "column \"%s\" has more than %zu distinct values (raise --max-groups, or bin a numeric column with --bin)",
					      at->name, max);
				}
				if (memchr(sv->ptr, '\0', sv->len))
					FAULT(SLOT_ATTR0 + a, FA_DROP__COUNT,
					      "NUL byte in a value of column \"%s\"", at->name);
				c = fa_dict_intern(&at->dict, sv->ptr, sv->len);
			}
			cp[a] = c;
		}
	}
	fa_table_reserve(t, t->rows + 1);
	t->scores[t->rows] = score;
	t->labels[t->rows] = label;
	if (t->preds)
		t->preds[t->rows] = pred;
	for (a = 0; a < nattr; a++)
		t->attrs[a].codes[t->rows] = cp[a];
	t->rows++;
done:
#undef FAULT
	if (cp != codes)
		free(cp);
	return rc;
}

static void stage_value(loader *L, size_t slot, const char *s, size_t len)
{
	void *p = L->stage[slot];
	fa_grow(&p, &L->stage_cap[slot], len + 1, 1);
	L->stage[slot] = p;
	memcpy(L->stage[slot], s, len);
	L->stage[slot][len] = '\0';
	L->vals[slot].ptr = L->stage[slot];
	L->vals[slot].len = len;
	L->vals[slot].present = 1;
}

static void clear_values(loader *L)
{
	size_t i;
	for (i = 0; i < L->nslots; i++)
		L->vals[i].present = 0;
}

/* Levenshtein distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, r;

	if (la > 200 || lb > 200)
		return (size_t)-1;
	row = fa_xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	r = row[lb];
	free(row);
	return r;
}

/* "column "x" not found; columns are: a, b (did you mean "y"?)" */
static int missing_column(loader *L, const char *want, const char *role,
			  char *const *have, size_t nhave, unsigned long line,
			  fa_error *err)
{
	fa_buf b = FA_BUF_INIT;
	size_t i, best = (size_t)-1, bi = 0;
	char q[200];

	quote_value(q, sizeof(q), want, strlen(want));
	fa_buf_printf(&b, "%s column \"%s\" not found; the columns are: ", role, q);
	for (i = 0; i < nhave && i < 40; i++) {
		size_t d = edit_distance(want, have[i]);
		char h[200];
		if (d < best) {
			best = d;
			bi = i;
		}
		quote_value(h, sizeof(h), have[i], strlen(have[i]));
		fa_buf_printf(&b, "%s%s", i ? ", " : "", h);
	}
	if (nhave > 40)
		fa_buf_printf(&b, ", ... (%zu in all)", nhave);
	for (; i < nhave; i++) {
		size_t d = edit_distance(want, have[i]);
		if (d < best) {
			best = d;
			bi = i;
		}
	}
	if (nhave && best <= (strlen(want) + 2) / 3 + 1) {
		quote_value(q, sizeof(q), have[bi], strlen(have[bi]));
		fa_buf_printf(&b, " (did you mean \"%s\"?)", q);
	}
	fa_error_set(err, FA_EINPUT, L->display, line, line ? 1 : 0, "%s", b.ptr);
	fa_buf_free(&b);
	return FA_EINPUT;
}

static const char *slot_role(size_t slot)
{
	switch (slot) {
	case SLOT_LABEL: return "label";
	case SLOT_SCORE: return "score";
	case SLOT_PRED: return "decision";
	default: return "group";
	}
}

/* Map header names to slots: fills role[col] = slot or -1. */
static int map_header(loader *L, char *const *names, size_t n, long *role,
		      const size_t *name_cols, unsigned long line, fa_error *err)
{
	size_t s, c;

	for (c = 0; c < n; c++)
		role[c] = -1;
	for (s = 0; s < L->nslots; s++) {
		long found = -1;
		if (!L->slot_names[s])
			continue;
		for (c = 0; c < n; c++) {
			if (strcmp(names[c], L->slot_names[s]) != 0)
				continue;
			if (found >= 0) {
				char q[200];
				quote_value(q, sizeof(q), names[c], strlen(names[c]));
				return fa_error_set(err, FA_EINPUT, L->display, line,
						    name_cols ? name_cols[c] : 0,
						    "column \"%s\" appears twice in the header (fields %ld and %zu); rename one of them",
						    q, found + 1, c + 1);
			}
			found = (long)c;
		}
		if (found < 0)
			return missing_column(L, L->slot_names[s], slot_role(s), names, n,
					      line, err);
		if (role[found] >= 0) {
			/* one column asked for in two roles: allowed (e.g. label as group) */
			continue;
		}
		role[found] = (long)s;
	}
	return 0;
}

/* ---- CSV -------------------------------------------------------------- */

typedef struct csv_ctx {
	loader *L;
	char delim;
	int header_done;
	char **hdr;
	size_t nhdr, hdr_cap;
	long *role;
	long *dup_role; /* slots sharing a column with another slot */
	size_t field;
	int failed;
	int rc;
	fa_error *err;
	unsigned long line, record_line;
	const char *line_text;
	size_t line_len;
	int at_record_start;
} csv_ctx;

/* Byte column (1-based, in characters) where field `k` starts in `line`. */
static unsigned long field_column(const char *line, size_t len, size_t k, char delim)
{
	size_t i = 0, f = 0;
	int inq = 0;
	unsigned long col = 1;

	for (i = 0; i < len && f < k; i++) {
		char c = line[i];
		if (inq) {
			if (c == '"')
				inq = 0;
		} else if (c == '"') {
			inq = 1;
		} else if (c == delim) {
			f++;
		}
		if (((unsigned char)c & 0xC0) != 0x80)
			col++;
	}
	return col;
}

static unsigned long csv_col(const csv_ctx *C, size_t k)
{
	if (C->record_line != C->line || !C->line_text)
		return 0;
	return field_column(C->line_text, C->line_len, k, C->delim);
}

static void csv_field(void *s, size_t len, void *data)
{
	csv_ctx *C = data;
	loader *L = C->L;

	if (C->failed)
		return;
	if (!C->header_done) {
		void *p = C->hdr;
		fa_grow(&p, &C->hdr_cap, C->nhdr + 1, sizeof(char *));
		C->hdr = p;
		C->hdr[C->nhdr++] = fa_xstrndup(s ? s : "", s ? len : 0);
	} else if (C->field < C->nhdr && C->role[C->field] >= 0) {
		stage_value(L, (size_t)C->role[C->field], s ? s : "", s ? len : 0);
	}
	C->field++;
}

static void csv_record(int term, void *data)
{
	csv_ctx *C = data;
	loader *L = C->L;
	row_fault f;
	size_t s;

	(void)term;
	if (C->failed)
		return;
	C->at_record_start = 1;
	if (!C->header_done) {
		size_t *cols = fa_xmalloc((C->nhdr + 1) * sizeof(*cols));
		size_t i;
		for (i = 0; i < C->nhdr; i++)
			cols[i] = csv_col(C, i);
		C->role = fa_xmalloc((C->nhdr + 1) * sizeof(long));
		C->header_done = 1;
		C->field = 0;
		C->rc = map_header(L, C->hdr, C->nhdr, C->role, cols, C->record_line, C->err);
		free(cols);
		if (C->rc < 0)
			C->failed = 1;
		clear_values(L);
		return;
	}
	L->file->rows++;
	L->t->rows_read++;
	if (C->field != C->nhdr) {
		if (L->opts->on_invalid == FA_ON_INVALID_SKIP) {
			L->t->drops[FA_DROP_RAGGED_ROW]++;
		} else {
			C->rc = fa_error_set(C->err, FA_EINPUT, L->display, C->record_line,
					     C->field > C->nhdr ? csv_col(C, C->nhdr) : 0,
					     "expected %zu fields as in the header, got %zu",
					     C->nhdr, C->field);
			C->failed = 1;
		}
		goto next;
	}
	/* a column used in two roles feeds both slots */
	for (s = 0; s < L->nslots; s++) {
		if (!L->vals[s].present && L->slot_names[s]) {
			size_t c;
			for (c = 0; c < C->nhdr; c++)
				if (C->role[c] >= 0 && strcmp(C->hdr[c], L->slot_names[s]) == 0) {
					L->vals[s] = L->vals[C->role[c]];
					break;
				}
		}
	}
	if (commit_row(L, &f) < 0) {
		if (L->opts->on_invalid == FA_ON_INVALID_SKIP && f.code == FA_EINPUT &&
		    f.reason < FA_DROP__COUNT) {
			L->t->drops[f.reason]++;
		} else {
			size_t c, col = 0;
			for (c = 0; c < C->nhdr; c++)
				if (C->role[c] == (long)f.slot) {
					col = c;
					break;
				}
			C->rc = fa_error_set(C->err, f.code, L->display, C->record_line,
					     csv_col(C, col), "%s", f.msg);
			C->failed = 1;
		}
	}
next:
	C->field = 0;
	clear_values(L);
}

static int space_only(unsigned char c)
{
	return c == ' ';
}

static int load_csv(loader *L, fa_source *src, char delim, fa_error *err)
{
	struct csv_parser p;
	csv_ctx C;
	const char *line;
	size_t len, i;
	int rc;
	size_t max_line = L->opts->max_line_bytes ? L->opts->max_line_bytes
						  : FA_LOAD_DEFAULT_MAX_LINE;

	memset(&C, 0, sizeof(C));
	C.L = L;
	C.err = err;
	C.delim = delim;
	C.at_record_start = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return fa_error_set(err, FA_EIO, L->display, 0, 0, "cannot start the CSV parser");
	csv_set_delim(&p, (unsigned char)delim);
	if (delim == '\t')
		csv_set_space_func(&p, space_only);
	clear_values(L);
	while ((rc = fa_source_next_line(src, &line, &len, &C.line, max_line, err)) > 0) {
		size_t done;
		if (C.at_record_start) {
			/* libcsv skips blank lines; so do we, before numbering records */
			if (len == 0 || (len == 1 && line[0] == '\r'))
				continue;
			C.record_line = C.line;
			C.at_record_start = 0;
		}
		C.line_text = line;
		C.line_len = len;
		done = csv_parse(&p, line, len, csv_field, csv_record, &C);
		if (!C.failed && done == len)
			done += csv_parse(&p, "\n", 1, csv_field, csv_record, &C) - 1;
		if (C.failed) {
			rc = C.rc;
			break;
		}
		if (done < len) {
			unsigned long col = 1;
			for (i = 0; i < done; i++)
				if (((unsigned char)line[i] & 0xC0) != 0x80)
					col++;
			rc = fa_error_set(err, FA_EINPUT, L->display, C.line, col,
					  "malformed quoting: a quote inside an unquoted field, or text after a closing quote");
			break;
		}
	}
	if (rc == 0) {
		C.line_text = NULL;
		if (csv_fini(&p, csv_field, csv_record, &C) != 0) {
			rc = fa_error_set(err, FA_EINPUT, L->display, C.record_line, 0,
					  "unterminated quoted field (the quote opened in the record starting on line %lu is never closed)",
					  C.record_line);
		} else if (C.failed) {
			rc = C.rc;
		} else if (!C.header_done) {
			rc = fa_error_set(err, FA_EINPUT, L->display, 0, 0,
					  "empty file: expected a header row");
		} else if (L->file->rows == 0) {
			rc = fa_error_set(err, FA_EINPUT, L->display, 1, 0,
					  "no data rows after the header");
		}
	}
	csv_free(&p);
	for (i = 0; i < C.nhdr; i++)
		free(C.hdr[i]);
	free(C.hdr);
	free(C.role);
	free(C.dup_role);
	return rc < 0 ? rc : 0;
}

/* ---- JSON ------------------------------------------------------------- */

typedef struct json_ctx {
	loader *L;
	fa_error *err;
	int *types; /* per slot: first JSON type seen (cJSON type bits), 0 none */
	unsigned long *type_line;
	char numbuf[64];
	char **stash; /* converted numbers/bools, per slot */
} json_ctx;

static const char *json_type_name(int type)
{
	switch (type & 0xff) {
	case cJSON_False:
	case cJSON_True: return "a boolean";
	case cJSON_NULL: return "null";
	case cJSON_Number: return "a number";
	case cJSON_String: return "a string";
	case cJSON_Array: return "an array";
	case cJSON_Object: return "an object";
	default: return "invalid";
	}
}

/* Line/column of byte `off` in `text`, starting at (line, col). */
static void advance_pos(const char *text, size_t off, unsigned long *line,
			unsigned long *col)
{
	size_t i;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

/* Column of the value of `key` inside the object text, or of the object. */
static void key_pos(const char *text, size_t len, const char *key, unsigned long line,
		    unsigned long col, unsigned long *oline, unsigned long *ocol)
{
	size_t kl = strlen(key), i;

	*oline = line;
	*ocol = col;
	for (i = 0; i + kl + 2 <= len; i++) {
		if (text[i] == '"' && memcmp(text + i + 1, key, kl) == 0 &&
		    text[i + 1 + kl] == '"') {
			size_t j = i + kl + 2;
			while (j < len && (text[j] == ' ' || text[j] == ':' || text[j] == '\t' ||
					   text[j] == '\n' || text[j] == '\r'))
				j++;
			advance_pos(text, j, oline, ocol);
			return;
		}
	}
}

/* Handle one JSON object whose text starts at (line, col). */
static int json_object(json_ctx *J, const char *text, size_t len, unsigned long line,
		       unsigned long col)
{
	loader *L = J->L;
	const char *end = NULL;
	cJSON *obj = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	cJSON *it;
	size_t s;
	row_fault f;
	int rc = 0;

	L->file->rows++;
	L->t->rows_read++;
	if (!obj) {
		unsigned long el = line, ec = col;
		size_t off = end && end >= text ? (size_t)(end - text) : 0;
		if (L->opts->on_invalid == FA_ON_INVALID_SKIP) {
			L->t->drops[FA_DROP_INVALID_JSON]++;
			return 0;
		}
		advance_pos(text, off, &el, &ec);
		return fa_error_set(J->err, FA_EINPUT, L->display, el, ec,
				    "invalid JSON: unexpected %s",
				    off < len ? "character" : "end of record");
	}
	if (!cJSON_IsObject(obj)) {
		rc = fa_error_set(J->err, FA_EINPUT, L->display, line, col,
				  "expected a flat JSON object for each record, got %s",
				  json_type_name(obj->type));
		goto done;
	}
	clear_values(L);
	cJSON_ArrayForEach(it, obj)
	{
		if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			unsigned long kl, kc;
			key_pos(text, len, it->string ? it->string : "", line, col, &kl, &kc);
			rc = fa_error_set(J->err, FA_EINPUT, L->display, kl, kc,
					  "expected a flat JSON object: key \"%s\" holds %s",
					  it->string ? it->string : "", json_type_name(it->type));
			goto done;
		}
	}
	for (s = 0; s < L->nslots; s++) {
		cJSON *v;
		int type;
		if (!L->slot_names[s])
			continue;
		v = cJSON_GetObjectItemCaseSensitive(obj, L->slot_names[s]);
		if (!v || cJSON_IsNull(v))
			continue;
		type = cJSON_IsBool(v) ? cJSON_True : (v->type & 0xff);
		if (J->types[s] && J->types[s] != type) {
			unsigned long kl, kc;
			key_pos(text, len, L->slot_names[s], line, col, &kl, &kc);
			rc = fa_error_set(J->err, FA_EINPUT, L->display, kl, kc,
					  "key \"%s\" holds %s here but %s on line %lu; a column must keep one type",
					  L->slot_names[s], json_type_name(type),
					  json_type_name(J->types[s]), J->type_line[s]);
			goto done;
		}
		if (!J->types[s]) {
			J->types[s] = type;
			J->type_line[s] = line;
		}
		if (cJSON_IsString(v)) {
			stage_value(L, s, v->valuestring, strlen(v->valuestring));
		} else if (cJSON_IsBool(v)) {
			stage_value(L, s, cJSON_IsTrue(v) ? "true" : "false", cJSON_IsTrue(v) ? 4 : 5);
		} else {
			/* cJSON keeps numbers as doubles; print them back exactly */
			char tmp[40];
			fa_format_double(tmp, v->valuedouble);
			stage_value(L, s, tmp, strlen(tmp));
		}
	}
	if (J->types[SLOT_SCORE] && J->types[SLOT_SCORE] != cJSON_Number &&
	    L->vals[SLOT_SCORE].present && L->opts->on_invalid != FA_ON_INVALID_SKIP) {
		unsigned long kl, kc;
		key_pos(text, len, L->slot_names[SLOT_SCORE], line, col, &kl, &kc);
		rc = fa_error_set(J->err, FA_EINPUT, L->display, kl, kc,
				  "expected a number for score key \"%s\", got %s",
				  L->slot_names[SLOT_SCORE], json_type_name(J->types[SLOT_SCORE]));
		goto done;
	}
	for (s = 0; s < SLOT_ATTR0; s++) {
		if (L->slot_names[s] && !cJSON_GetObjectItemCaseSensitive(obj, L->slot_names[s])) {
			if (L->opts->on_invalid == FA_ON_INVALID_SKIP) {
				L->t->drops[FA_DROP_MISSING_VALUE]++;
				goto done;
			}
			if (L->file->rows == 1) {
				/* first record: name the keys that exist */
				char **keys = NULL;
				size_t nk = 0, cap = 0;
				cJSON_ArrayForEach(it, obj)
				{
					void *p = keys;
					fa_grow(&p, &cap, nk + 1, sizeof(char *));
					keys = p;
					keys[nk++] = it->string;
				}
				rc = missing_column(L, L->slot_names[s], slot_role(s), keys, nk, line,
						    J->err);
				J->err->column = col;
				free(keys);
			} else {
				rc = fa_error_set(J->err, FA_EINPUT, L->display, line, col,
						  "record has no key \"%s\" (the %s column)",
						  L->slot_names[s], slot_role(s));
			}
			goto done;
		}
	}
	if (commit_row(L, &f) < 0) {
		if (L->opts->on_invalid == FA_ON_INVALID_SKIP && f.code == FA_EINPUT &&
		    f.reason < FA_DROP__COUNT) {
			L->t->drops[f.reason]++;
		} else {
			unsigned long kl, kc;
			key_pos(text, len, L->slot_names[f.slot], line, col, &kl, &kc);
			rc = fa_error_set(J->err, f.code, L->display, kl, kc, "%s", f.msg);
		}
	}
done:
	cJSON_Delete(obj);
	return rc;
}

static int load_jsonl(json_ctx *J, fa_source *src, size_t max_line)
{
	const char *line;
	size_t len;
	unsigned long lineno;
	int rc;

	while ((rc = fa_source_next_line(src, &line, &len, &lineno, max_line, J->err)) > 0) {
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len)
			continue;
		if ((rc = json_object(J, line + i, len - i, lineno, i + 1)) < 0)
			return rc;
	}
	return rc;
}

/* A JSON array of objects, streamed: each top-level element is cut out by
 * tracking strings and nesting, then parsed on its own. */
static int load_json_array(json_ctx *J, fa_source *src, size_t max_line)
{
	loader *L = J->L;
	const char *line;
	size_t len;
	unsigned long lineno = 0, el_line = 0, el_col = 0;
	fa_buf el = FA_BUF_INIT;
	int rc, depth = 0, in_str = 0, esc = 0;
	enum { BEFORE_ARRAY, WANT_ELEMENT, IN_ELEMENT, WANT_COMMA, AFTER_ARRAY } st =
		BEFORE_ARRAY;

	while ((rc = fa_source_next_line(src, &line, &len, &lineno, max_line, J->err)) > 0) {
		size_t i;
		unsigned long col = 0;
		for (i = 0; i < len; i++) {
			char c = line[i];
			if (((unsigned char)c & 0xC0) != 0x80)
				col++;
			if (st == IN_ELEMENT) {
				fa_buf_putc(&el, c);
				if (in_str) {
					if (esc)
						esc = 0;
					else if (c == '\\')
						esc = 1;
					else if (c == '"')
						in_str = 0;
				} else if (c == '"') {
					in_str = 1;
				} else if (c == '{' || c == '[') {
					depth++;
				} else if (c == '}' || c == ']') {
					if (--depth == 0) {
						rc = json_object(J, el.ptr, el.len, el_line, el_col);
						fa_buf_clear(&el);
						if (rc < 0)
							goto out;
						st = WANT_COMMA;
					}
				}
				continue;
			}
			if (c == ' ' || c == '\t' || c == '\r')
				continue;
			if (st == BEFORE_ARRAY && c == '[') {
				st = WANT_ELEMENT;
			} else if (st == WANT_ELEMENT && c == ']' && L->file->rows == 0) {
				st = AFTER_ARRAY;
			} else if (st == WANT_ELEMENT && (c == '{' || c == '[')) {
				st = IN_ELEMENT;
				depth = 1;
				el_line = lineno;
				el_col = col;
				fa_buf_putc(&el, c);
			} else if (st == WANT_COMMA && c == ',') {
				st = WANT_ELEMENT;
			} else if (st == WANT_COMMA && c == ']') {
				st = AFTER_ARRAY;
			} else {
				const char *want = st == BEFORE_ARRAY   ? "'['"
						   : st == WANT_ELEMENT ? "an object"
						   : st == WANT_COMMA   ? "',' or ']'"
									: "nothing after the closing ']'";
				rc = fa_error_set(J->err, FA_EINPUT, L->display, lineno, col,
						  "invalid JSON: expected %s, got '%c'", want, c);
				goto out;
			}
		}
		if (st == IN_ELEMENT)
			fa_buf_putc(&el, '\n');
	}
	if (rc == 0 && st != AFTER_ARRAY)
		rc = fa_error_set(J->err, FA_EINPUT, L->display, lineno ? lineno : 1, 0,
				  "invalid JSON: the array is not closed (unexpected end of file)");
out:
	fa_buf_free(&el);
	return rc < 0 ? rc : 0;
}

static int load_json(loader *L, fa_source *src, int array, fa_error *err)
{
	json_ctx J;
	size_t max_line = L->opts->max_line_bytes ? L->opts->max_line_bytes
						  : FA_LOAD_DEFAULT_MAX_LINE;
	int rc;

	memset(&J, 0, sizeof(J));
	J.L = L;
	J.err = err;
	J.types = fa_xcalloc(L->nslots, sizeof(int));
	J.type_line = fa_xcalloc(L->nslots, sizeof(unsigned long));
	rc = array ? load_json_array(&J, src, max_line) : load_jsonl(&J, src, max_line);
	if (rc == 0 && L->file->rows == 0)
		rc = fa_error_set(err, FA_EINPUT, L->display, 0, 0,
				  "no records: expected at least one JSON object");
	free(J.types);
	free(J.type_line);
	return rc;
}

/* ---- driver ----------------------------------------------------------- */

static int has_suffix(const char *s, const char *suf)
{
	size_t ls = strlen(s), lf = strlen(suf);
	return ls >= lf && strcasecmp(s + ls - lf, suf) == 0;
}

/* The name without a trailing ".gz". */
static int name_is(const char *path, const char *ext)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s.gz", ext);
	return has_suffix(path, ext) || has_suffix(path, buf);
}

static int load_one(loader *L, fa_source *src, const char *path, fa_error *err)
{
	int first, rc;
	char delim = L->opts->delimiter;

	L->display = L->file->path;
	first = fa_source_peek(src, err);
	if (first < -1)
		return first;
	if (first == -1)
		return fa_error_set(err, FA_EINPUT, L->display, 0, 0,
				    "empty file: expected a header row or JSON records");
	if (!delim && (name_is(path, ".tsv") || name_is(path, ".tab")))
		delim = '\t';
	if (!L->opts->delimiter && !name_is(path, ".csv") && !name_is(path, ".tsv") &&
	    (first == '[' || first == '{')) {
		L->file->format = first == '[' ? "json" : "jsonl";
		rc = load_json(L, src, first == '[', err);
	} else {
		L->file->format = delim == '\t' ? "tsv" : "csv";
		rc = load_csv(L, src, delim ? delim : ',', err);
	}
	if (rc < 0)
		return rc;
	L->file->gzip = fa_source_is_gzip(src);
	rc = fa_source_finish(src, L->file->sha256, err);
	L->file->bytes = fa_source_bytes(src);
	return rc;
}

static fa_table *new_table(loader *L, const fa_load_options *o)
{
	fa_table *t = fa_xcalloc(1, sizeof(*t));
	size_t a, b, nattr = o->attr_count + o->bin_count;

	t->label_column = fa_xstrdup(o->label_column);
	t->score_column = fa_xstrdup(o->score_column);
	t->pred_column = o->pred_column ? fa_xstrdup(o->pred_column) : NULL;
	t->nattrs = nattr;
	t->attrs = fa_xcalloc(nattr ? nattr : 1, sizeof(fa_attr));
	L->nslots = SLOT_ATTR0 + nattr;
	L->slot_names = fa_xcalloc(L->nslots, sizeof(char *));
	L->slot_bins = fa_xcalloc(nattr ? nattr : 1, sizeof(fa_bin_spec *));
	L->stage = fa_xcalloc(L->nslots, sizeof(char *));
	L->stage_cap = fa_xcalloc(L->nslots, sizeof(size_t));
	L->vals = fa_xcalloc(L->nslots, sizeof(slot_value));
	L->slot_names[SLOT_LABEL] = o->label_column;
	L->slot_names[SLOT_SCORE] = o->score_column;
	L->slot_names[SLOT_PRED] = o->pred_column;
	for (a = 0; a < nattr; a++) {
		fa_attr *at = &t->attrs[a];
		fa_dict_init(&at->dict);
		at->missing = FA_NO_CODE;
		if (a < o->attr_count) {
			at->name = fa_xstrdup(o->attr_columns[a]);
		} else {
			const fa_bin_spec *bs = &o->bins[a - o->attr_count];
			at->name = fa_xstrdup(bs->column);
			at->binned = 1;
			at->ncuts = bs->ncuts;
			at->cuts = fa_xmalloc((bs->ncuts + 1) * sizeof(double));
			memcpy(at->cuts, bs->cuts, bs->ncuts * sizeof(double));
			L->slot_bins[a] = bs;
			for (b = 0; b <= bs->ncuts; b++) {
				char lo[40], hi[40], name[100];
				if (b == 0)
					strcpy(lo, "-inf");
				else
					fa_format_double(lo, bs->cuts[b - 1]);
				if (b == bs->ncuts)
					strcpy(hi, "inf");
				else
					fa_format_double(hi, bs->cuts[b]);
				snprintf(name, sizeof(name), "%s%s,%s)", b == 0 ? "(" : "[", lo, hi);
				fa_dict_intern(&at->dict, name, strlen(name));
			}
		}
		L->slot_names[SLOT_ATTR0 + a] = at->name;
	}
	return t;
}

static void free_loader(loader *L)
{
	size_t i;
	for (i = 0; i < L->nslots; i++)
		free(L->stage[i]);
	free(L->stage);
	free(L->stage_cap);
	free(L->vals);
	free(L->slot_names);
	free(L->slot_bins);
}

static int check_options(const fa_load_options *o, fa_error *err)
{
	size_t i, j;

	for (i = 0; i < o->bin_count; i++) {
		for (j = 1; j < o->bin_count + 0 && j < o->bins[i].ncuts; j++)
			;
		for (j = 1; j < o->bins[i].ncuts; j++)
			if (!(o->bins[i].cuts[j - 1] < o->bins[i].cuts[j]))
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "--bin %s: cut points must increase strictly",
						    o->bins[i].column);
		for (j = 0; j < o->attr_count; j++)
			if (strcmp(o->attr_columns[j], o->bins[i].column) == 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "column \"%s\" is both binned and used as it is",
						    o->bins[i].column);
	}
	return 0;
}

static int load_sources(fa_table **out, fa_source **srcs, const char *const *paths,
			size_t n, const fa_load_options *opts, fa_error *err)
{
	loader L;
	fa_table *t;
	size_t i;
	int rc = 0;

	*out = NULL;
	if ((rc = check_options(opts, err)) < 0)
		return rc;
	memset(&L, 0, sizeof(L));
	L.opts = opts;
	t = L.t = new_table(&L, opts);
	t->files = fa_xcalloc(n ? n : 1, sizeof(fa_input_file));
	if (opts->pred_column)
		t->preds = fa_xmalloc(1);
	for (i = 0; i < n && rc == 0; i++) {
		t->nfiles = i + 1;
		L.file = &t->files[i];
		L.file->path = fa_xstrdup(strcmp(paths[i], "-") == 0 ? "-" : paths[i]);
		if (!srcs[i]) {
			rc = fa_source_open_path(&srcs[i], paths[i],
						 strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i],
						 err);
			if (rc < 0)
				break;
		}
		rc = load_one(&L, srcs[i], paths[i], err);
		if (rc < 0 && err && strcmp(paths[i], "-") == 0 && strcmp(err->path, "-") == 0)
			snprintf(err->path, sizeof(err->path), "<stdin>");
	}
	free_loader(&L);
	if (rc < 0) {
		fa_table_free(t);
		return rc;
	}
	fa_table_sort_levels(t);
	*out = t;
	return 0;
}

int fa_load_files(fa_table **out, const char *const *paths, size_t npaths,
		  const fa_load_options *opts, fa_error *err)
{
	fa_source **srcs = fa_xcalloc(npaths ? npaths : 1, sizeof(*srcs));
	size_t i;
	int rc;

	if (npaths == 0) {
		free(srcs);
		*out = NULL;
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "no input files");
	}
	rc = load_sources(out, srcs, paths, npaths, opts, err);
	for (i = 0; i < npaths; i++)
		fa_source_close(srcs[i]);
	free(srcs);
	return rc;
}

int fa_load_memory(fa_table **out, const char *name, const void *data, size_t len,
		   const fa_load_options *opts, fa_error *err)
{
	fa_source *src = NULL;
	int rc;

	fa_source_open_memory(&src, data, len, name, err);
	rc = load_sources(out, &src, &name, 1, opts, err);
	fa_source_close(src);
	return rc;
}
