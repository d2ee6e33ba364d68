/*
 * load.c: turn CSV, TSV, JSON and JSON Lines text into table rows.
 *
 * Each format's parser hands the values of the columns it was asked for to
 * one place, commit_row(), which validates them and appends a row; so every
 * format applies the same rules and gives the same records for the same
 * data. Positions in messages are 1-based lines and characters of the
 * decompressed text; docs/errors.md lists the messages.
 */
#include "fairaudit/load.h"

#include "fairaudit/period.h"
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

/* Room for a value quoted by fa_quote_value(). */
#define QSIZE 320

typedef struct slot_value {
	const char *ptr; /* NUL-terminated */
	size_t len;
	int present;          /* 0: column absent from this record (JSON) or null */
	const char *bad_type; /* a JSON score that is not a number: its type */
} slot_value;

typedef struct loader {
	const fa_load_options *opts;
	fa_table *t;
	size_t nslots;
	const char **slot_names;       /* NULL for an unused slot (no --pred) */
	const fa_bin_spec **slot_bins; /* per attribute, or NULL */
	fa_input_file *file;
	const char *display;
	size_t max_line;
	size_t probe_slot;             /* 0: no id probe */
	size_t extra0;                 /* the slot of the first extra score */
	size_t id_slot;                /* 0: no id column */
	size_t period_slot;            /* 0: no period column */
	unsigned long rec_line;        /* where the record being committed starts */
	/* staging buffers for the current record's values */
	char **stage;
	size_t *stage_cap;
	slot_value *vals;
} loader;

typedef struct row_fault {
	size_t slot;
	fa_drop_reason reason;
	char msg[800];
} row_fault;

static int is_blank(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* 0/1, true/false, yes/no (any case), 0.0/1.0. */
static int parse_binary(const char *s, size_t len, uint8_t *out)
{
	if ((len == 1 && s[0] == '1') || (len == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (len == 3 && strncasecmp(s, "yes", 3) == 0) || (len == 3 && memcmp(s, "1.0", 3) == 0)) {
		*out = 1;
		return 0;
	}
	if ((len == 1 && s[0] == '0') || (len == 5 && strncasecmp(s, "false", 5) == 0) ||
	    (len == 2 && strncasecmp(s, "no", 2) == 0) || (len == 3 && memcmp(s, "0.0", 3) == 0)) {
		*out = 0;
		return 0;
	}
	return -1;
}

static int parse_label(const loader *L, const char *s, size_t len, uint8_t *out)
{
	const char *pos = L->opts->positive;

	if (pos) {
		*out = strlen(pos) == len && memcmp(pos, s, len) == 0;
		return 0;
	}
	return parse_binary(s, len, out);
}

/* A finite decimal number, surrounding blanks allowed; `s` is
 * NUL-terminated. Hexadecimal forms, "nan" and "inf" are refused. */
/* Clinger's fast path: a plain decimal with at most 15 significant digits
 * and at most 22 decimals is an integer below 2^53 divided by an exact
 * power of ten, one correctly rounded division, so the double is the one
 * strtod gives. Anything else returns 0 and goes to strtod. */
static int fast_decimal(const char *s, size_t len, double *out)
{
	static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	size_t i = 0;
	uint64_t m = 0;
	int digits = 0, frac = 0, neg = 0, dot = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == len)
		return 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (m || c != '0')
				digits++;
			if (digits > 15)
				return 0;
			m = m * 10 + (uint64_t)(c - '0');
			frac += dot;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			return 0;
		}
	}
	if ((dot && i == 1 + (size_t)neg) || frac > 22 || (s[len - 1] == '.' && len == 1))
		return 0;
	*out = (double)m / p10[frac];
	if (neg)
		*out = -*out;
	return 1;
}

static int parse_number(const char *s, size_t len, double *out)
{
	char *end;
	double x;

	if (len && len < 40 && fast_decimal(s, len, out))
		return 0;
	if (len == 0 || memchr(s, 'x', len) || memchr(s, 'X', len))
		return -1;
	x = strtod(s, &end);
	if (end == s)
		return -1;
	while (end < s + len && (*end == ' ' || *end == '\t' || *end == '\r'))
		end++;
	if (end != s + len || !isfinite(x))
		return -1;
	*out = x;
	return 0;
}

/* A number as people write it: "40", "0.19182", "1e+20"; digits enough to
 * read back the same double. JSON numbers become text this way, so a JSON
 * 54 and a CSV "54" are the same group, and bins are named with it. */
static void format_number(char out[40], double x)
{
	if (x == 0) {
		strcpy(out, "0");
	} else if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(out, 40, "%.0f", x);
	} else {
		snprintf(out, 40, "%.15g", x);
		if (strtod(out, NULL) != x)
			snprintf(out, 40, "%.17g", x);
	}
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

/* The code of the period holding the date `sv` of the period column: its
 * label is what the table keeps, so there are as many levels as periods,
 * not as dates. A value that is empty or not a date fills `f`. */
static int period_level(const loader *L, const slot_value *sv, fa_attr *at, uint32_t *code,
			row_fault *f)
{
	char q[QSIZE], label[FA_PERIOD_LABEL_SIZE];
	fa_date d;

	f->slot = L->period_slot;
	if (!sv->present || is_blank(sv->ptr, sv->len)) {
		f->reason = FA_DROP_MISSING_VALUE;
		snprintf(f->msg, sizeof(f->msg), "empty value in date column \"%s\"", at->name);
		return FA_EINPUT;
	}
	if (fa_date_parse(&d, sv->ptr, sv->len) < 0) {
		fa_quote_value(q, sizeof(q), sv->ptr, sv->len, 60);
		f->reason = FA_DROP_INVALID_DATE;
		snprintf(f->msg, sizeof(f->msg),
			 "expected an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]]) in column \"%s\", found \"%s\"",
			 at->name, q);
		return FA_EINPUT;
	}
	fa_period_label(label, &d, (fa_period_unit)L->opts->period_every);
	*code = fa_dict_intern(&at->dict, label, strlen(label));
	return 0;
}

/* Validate the staged values and append a row. On a bad value fills `f`
 * and returns FA_EINPUT (the row may be skipped) or FA_ELIMIT (it may not). */
static int commit_row(loader *L, row_fault *f)
{
	fa_table *t = L->t;
	const slot_value *v = L->vals;
	uint8_t label = 0, pred = 0;
	double score = 0;
	uint32_t codes[64], *cp = codes;
	double xbuf[16], *xs = xbuf;
	size_t a, nattr = t->nattrs;
	char q[QSIZE];
	int rc = 0;

	if (nattr > 64)
		cp = fa_xmalloc(nattr * sizeof(*cp));
	if (t->nextra > 16)
		xs = fa_xmalloc(t->nextra * sizeof(*xs));
#define FAULT(code, s, r, ...)                                                \
	do {                                                                  \
		f->slot = (s);                                                \
		f->reason = (r);                                              \
		snprintf(f->msg, sizeof(f->msg), __VA_ARGS__);                \
		rc = (code);                                                  \
		goto done;                                                    \
	} while (0)

	if (L->slot_names[SLOT_LABEL] &&
	    (!v[SLOT_LABEL].present || is_blank(v[SLOT_LABEL].ptr, v[SLOT_LABEL].len)))
		FAULT(FA_EINPUT, SLOT_LABEL, FA_DROP_MISSING_VALUE,
		      "empty value in label column \"%s\"", L->slot_names[SLOT_LABEL]);
	if (L->slot_names[SLOT_LABEL] &&
	    parse_label(L, v[SLOT_LABEL].ptr, v[SLOT_LABEL].len, &label) < 0) {
		fa_quote_value(q, sizeof(q), v[SLOT_LABEL].ptr, v[SLOT_LABEL].len, 60);
		FAULT(FA_EINPUT, SLOT_LABEL, FA_DROP_INVALID_LABEL,
		      "unrecognised label \"%s\" in column \"%s\" (expected 0/1, true/false or yes/no; use --positive VALUE for other labels)",
		      q, L->slot_names[SLOT_LABEL]);
	}
	if (!L->slot_names[SLOT_SCORE])
		goto decision;
	if (!v[SLOT_SCORE].present || is_blank(v[SLOT_SCORE].ptr, v[SLOT_SCORE].len))
		FAULT(FA_EINPUT, SLOT_SCORE, FA_DROP_MISSING_VALUE,
		      "empty value in score column \"%s\"", L->slot_names[SLOT_SCORE]);
	if (v[SLOT_SCORE].bad_type) {
		fa_quote_value(q, sizeof(q), v[SLOT_SCORE].ptr, v[SLOT_SCORE].len, 60);
		FAULT(FA_EINPUT, SLOT_SCORE, FA_DROP_INVALID_SCORE,
		      "expected a number in score column \"%s\", got %s \"%s\"",
		      L->slot_names[SLOT_SCORE], v[SLOT_SCORE].bad_type, q);
	}
	if (parse_number(v[SLOT_SCORE].ptr, v[SLOT_SCORE].len, &score) < 0) {
		fa_quote_value(q, sizeof(q), v[SLOT_SCORE].ptr, v[SLOT_SCORE].len, 60);
		FAULT(FA_EINPUT, SLOT_SCORE, FA_DROP_INVALID_SCORE,
		      "expected a finite number in score column \"%s\", got \"%s\"",
		      L->slot_names[SLOT_SCORE], q);
	}
decision:
	if (L->slot_names[SLOT_PRED]) {
		if (!v[SLOT_PRED].present || is_blank(v[SLOT_PRED].ptr, v[SLOT_PRED].len))
			FAULT(FA_EINPUT, SLOT_PRED, FA_DROP_MISSING_VALUE,
			      "empty value in decision column \"%s\"", L->slot_names[SLOT_PRED]);
		if (parse_binary(v[SLOT_PRED].ptr, v[SLOT_PRED].len, &pred) < 0) {
			fa_quote_value(q, sizeof(q), v[SLOT_PRED].ptr, v[SLOT_PRED].len, 60);
			FAULT(FA_EINPUT, SLOT_PRED, FA_DROP_INVALID_PRED,
			      "expected 0 or 1 in decision column \"%s\", got \"%s\"",
			      L->slot_names[SLOT_PRED], q);
		}
	}
	for (a = 0; a < nattr; a++) {
		const slot_value *sv = &v[SLOT_ATTR0 + a];
		fa_attr *at = &t->attrs[a];
		if (L->period_slot == SLOT_ATTR0 + a) {
			if ((rc = period_level(L, sv, at, &cp[a], f)) < 0)
				goto done;
			continue;
		}
		if (at->id && (!sv->present || is_blank(sv->ptr, sv->len))) {
			FAULT(FA_EINPUT, SLOT_ATTR0 + a, FA_DROP_MISSING_VALUE,
			      "empty value in id column \"%s\"", at->name);
		} else if (!sv->present || is_blank(sv->ptr, sv->len)) {
			if (at->missing == FA_NO_CODE)
				at->missing = fa_dict_intern(&at->dict, "(missing)", 9);
			cp[a] = at->missing;
		} else if (at->probe) {
			/* only count repeated ids; remember a bounded number */
			uint32_t c = fa_dict_find(&at->dict, sv->ptr, sv->len);
			if (c != FA_NO_CODE)
				t->probe_repeats++;
			else if (at->dict.count < FA_PROBE_MAX_IDS)
				c = fa_dict_intern(&at->dict, sv->ptr, sv->len);
			cp[a] = c == FA_NO_CODE ? 0 : c;
		} else if (L->slot_bins[a]) {
			double x;
			if (parse_number(sv->ptr, sv->len, &x) < 0) {
				fa_quote_value(q, sizeof(q), sv->ptr, sv->len, 60);
				FAULT(FA_EINPUT, SLOT_ATTR0 + a, FA_DROP_INVALID_BIN,
				      "expected a number in column \"%s\" (binned with --bin), got \"%s\"",
				      at->name, q);
			}
			cp[a] = bin_of(L->slot_bins[a], x);
		} else {
			uint32_t c = fa_dict_find(&at->dict, sv->ptr, sv->len);
			if (c == FA_NO_CODE) {
				size_t max = at->unlimited ? 0 : L->opts->max_groups;
				if (max && at->dict.count >= max + (at->missing != FA_NO_CODE))
					FAULT(FA_ELIMIT, SLOT_ATTR0 + a, FA_DROP__COUNT,
					      "column \"%s\" has more than %zu distinct values (raise --max-groups, or bin a numeric column with --bin)",
					      at->name, max);
				c = fa_dict_intern(&at->dict, sv->ptr, sv->len);
			}
			cp[a] = c;
		}
	}
	for (a = 0; a < t->nextra; a++) {
		const slot_value *sv = &v[L->extra0 + a];
		double x;
		if (!sv->present || is_blank(sv->ptr, sv->len))
			FAULT(FA_EINPUT, L->extra0 + a, FA_DROP_MISSING_VALUE,
			      "empty value in score column \"%s\"", L->slot_names[L->extra0 + a]);
		if (sv->bad_type || parse_number(sv->ptr, sv->len, &x) < 0) {
			fa_quote_value(q, sizeof(q), sv->ptr, sv->len, 60);
			FAULT(FA_EINPUT, L->extra0 + a, FA_DROP_INVALID_SCORE,
			      "expected a finite number in score column \"%s\", got \"%s\"",
			      L->slot_names[L->extra0 + a], q);
		}
		xs[a] = x;
	}
	fa_table_reserve(t, t->rows + 1);
	for (a = 0; a < t->nextra; a++)
		t->extra[a][t->rows] = xs[a];
	t->scores[t->rows] = score;
	t->labels[t->rows] = label;
	if (t->preds)
		t->preds[t->rows] = pred;
	if (t->lines)
		t->lines[t->rows] = L->rec_line < UINT32_MAX ? (uint32_t)L->rec_line : UINT32_MAX;
	for (a = 0; a < nattr; a++)
		t->attrs[a].codes[t->rows] = cp[a];
	t->rows++;
done:
#undef FAULT
	if (cp != codes)
		free(cp);
	if (xs != xbuf)
		free(xs);
	return rc;
}

/* A row fault: count it as a drop under --on-invalid skip, else an error. */
static int row_failed(loader *L, const row_fault *f, int code, unsigned long line,
		      unsigned long col, fa_error *err)
{
	if (code == FA_EINPUT && L->opts->on_invalid == FA_ON_INVALID_SKIP) {
		L->t->drops[f->reason]++;
		return 0;
	}
	return fa_error_set(err, code, L->display, line, col, "%s", f->msg);
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
	L->vals[slot].bad_type = NULL;
}

static void clear_values(loader *L)
{
	size_t i;
	for (i = 0; i < L->nslots; i++) {
		L->vals[i].present = 0;
		L->vals[i].bad_type = NULL;
		L->vals[i].ptr = "";
		L->vals[i].len = 0;
	}
}

/* `ROLE column "x" not found; the WHAT are: a, b (did you mean "y"?)` */
static int missing_column(const loader *L, const char *want, const char *role,
			  const char *what, char *const *have, size_t nhave,
			  unsigned long line, unsigned long col, fa_error *err)
{
	fa_buf b = FA_BUF_INIT;
	size_t i, best = (size_t)-1, bi = 0, shown = 0;
	char q[QSIZE];
	int rc;

	fa_quote_value(q, sizeof(q), want, strlen(want), 60);
	fa_buf_printf(&b, "%s column \"%s\" not found; the %s are: ", role, q, what);
	for (i = 0; i < nhave; i++) {
		size_t d = fa_edit_distance(want, have[i]);
		if (d < best) {
			best = d;
			bi = i;
		}
		/* list names while the message stays well inside fa_error's
		 * buffer, so it is never cut inside a character */
		if (i == shown && b.len < 600) {
			fa_quote_value(q, sizeof(q), have[i], strlen(have[i]), 60);
			fa_buf_printf(&b, "%s%s", i ? ", " : "", q);
			shown++;
		}
	}
	if (shown < nhave)
		fa_buf_printf(&b, ", ... (%zu in all)", nhave);
	if (nhave == 0)
		fa_buf_puts(&b, "(none)");
	/* 0: the name differs only in case */
	if (nhave && best <= (strlen(want) < 6 ? 1 : strlen(want) / 3)) {
		fa_quote_value(q, sizeof(q), have[bi], strlen(have[bi]), 60);
		fa_buf_printf(&b, " (did you mean \"%s\"?)", q);
	}
	rc = fa_error_set(err, FA_EINPUT, L->display, line, col, "%s", b.ptr);
	fa_buf_free(&b);
	return rc;
}

static const char *slot_role(const loader *L, size_t slot)
{
	if (L->extra0 && slot >= L->extra0)
		return "score";
	if (L->id_slot && slot == L->id_slot)
		return "id";
	if (L->period_slot && slot == L->period_slot)
		return "date";
	switch (slot) {
	case SLOT_LABEL: return "label";
	case SLOT_SCORE: return "score";
	case SLOT_PRED: return "decision";
	default: return "group";
	}
}

/* ---- CSV and TSV ------------------------------------------------------ */

typedef struct text_pos {
	unsigned long line, col;
} text_pos;

/* States of our own scan of the bytes given to libcsv: it mirrors
 * libcsv's state machine only to learn where each field starts. */
enum { SCAN_ROW, SCAN_FIELD, SCAN_IN, SCAN_QUOTE_END };

typedef struct csv_ctx {
	loader *L;
	fa_error *err;
	unsigned char delim;
	int failed;
	int rc;
	/* header */
	int header_done;
	char **hdr;
	size_t nhdr, hdr_cap;
	long *role; /* per header column: the slot it feeds, or -1 */
	/* the record libcsv is giving us */
	size_t field;
	/* the scan */
	int st, quoted;
	size_t spaces;
	size_t idx;          /* field being scanned */
	text_pos *fpos;      /* where each field of the record starts */
	size_t nfpos, fpos_cap;
	text_pos quote;      /* the quote that opened the field being scanned */
	text_pos rec_end;    /* the character that ended the record */
	/* a line without quotes is not scanned until a position is asked
	 * for: most lines never need one */
	const char *lazy;
	size_t lazy_n;
	unsigned long lazy_line;
	size_t rec_bytes;    /* bytes of a record that spans lines */
	unsigned long line;  /* current line; a lone CR also ends a line */
} csv_ctx;

static int csv_space(const csv_ctx *C, unsigned char c)
{
	return c != C->delim && (c == ' ' || c == '\t');
}

static int space_not_tab(unsigned char c) { return c == ' '; }
static int tab_not_space(unsigned char c) { return c == '\t'; }

static void field_at(csv_ctx *C, size_t k, unsigned long col)
{
	void *p;

	/* past the header's width one more position is all a message needs */
	if (C->header_done && k > C->nhdr)
		return;
	p = C->fpos;
	fa_grow(&p, &C->fpos_cap, k + 1, sizeof(text_pos));
	C->fpos = p;
	C->fpos[k].line = C->line;
	C->fpos[k].col = col;
	C->nfpos = k + 1;
}

static void scan_char(csv_ctx *C, unsigned char c, unsigned long col)
{
	int term = c == '\r' || c == '\n';

	switch (C->st) {
	case SCAN_ROW:
	case SCAN_FIELD:
		if (csv_space(C, c))
			return;
		if (term) {
			if (C->st == SCAN_FIELD) {
				field_at(C, C->idx, col);
				C->rec_end.line = C->line;
				C->rec_end.col = col;
				C->st = SCAN_ROW;
			}
			return; /* a blank line, which libcsv skips */
		}
		if (C->st == SCAN_ROW) {
			C->idx = 0;
			C->nfpos = 0;
			C->rec_bytes = 0;
		}
		field_at(C, C->idx, col);
		if (c == C->delim) {
			C->idx++;
			C->st = SCAN_FIELD;
			return;
		}
		C->st = SCAN_IN;
		C->quoted = c == '"';
		if (C->quoted) {
			C->quote.line = C->line;
			C->quote.col = col;
		}
		return;
	case SCAN_IN:
		if (c == '"') {
			if (C->quoted) {
				C->st = SCAN_QUOTE_END;
				C->spaces = 0;
			}
			return; /* a quote in an unquoted field: libcsv stops there */
		}
		if (C->quoted)
			return;
		break;
	case SCAN_QUOTE_END:
		if (csv_space(C, c)) {
			C->spaces++;
			return;
		}
		if (c == '"' && !C->spaces) {
			C->st = SCAN_IN; /* a doubled quote */
			return;
		}
		break;
	}
	if (c == C->delim) {
		C->idx++;
		C->st = SCAN_FIELD;
	} else if (term) {
		C->rec_end.line = C->line;
		C->rec_end.col = col;
		C->st = SCAN_ROW;
	}
}

static void scan_piece(csv_ctx *C, const char *p, size_t n, int lf)
{
	size_t i = 0;
	unsigned long col = 0;

	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		size_t k = 1;
		if (c >= 0x80 && C->delim < 0x80) {
			k = fa_utf8_len(p + i, n - i);
			if (!k)
				k = 1;
		}
		scan_char(C, c, ++col);
		i += k;
	}
	if (lf)
		scan_char(C, '\n', col + 1);
}

/* Scan the current line now if its scan was put off. */
static void ensure_positions(csv_ctx *C)
{
	if (C->lazy) {
		const char *piece = C->lazy;
		unsigned long line = C->line;
		C->lazy = NULL;
		C->line = C->lazy_line;
		scan_piece(C, piece, C->lazy_n, 1);
		C->line = line;
	}
}

static text_pos field_pos(csv_ctx *C, size_t k)
{
	ensure_positions(C);
	if (k < C->nfpos)
		return C->fpos[k];
	return C->rec_end;
}

static text_pos record_end(csv_ctx *C)
{
	ensure_positions(C);
	return C->rec_end;
}

/* Map header names to slots: role[col] = slot or -1. */
/* The first file's id column for the repeat probe, if it has one. */
static void choose_probe(loader *L, char *const *names, size_t n)
{
	size_t k, c;
	fa_attr *at;

	if (!L->probe_slot || L->slot_names[L->probe_slot] || L->t->nfiles > 1)
		return;
	at = &L->t->attrs[L->probe_slot - SLOT_ATTR0];
	for (k = 0; k < L->opts->nprobe_names; k++)
		for (c = 0; c < n; c++)
			if (strcasecmp(names[c], L->opts->probe_names[k]) == 0) {
				free(at->name);
				at->name = fa_xstrdup(names[c]);
				L->slot_names[L->probe_slot] = at->name;
				return;
			}
}

/* With FA_LOAD_LABEL_OPTIONAL, a first file without the label column
 * makes the table one without labels. */
static void choose_label(loader *L, char *const *names, size_t n)
{
	size_t c;

	if (!(L->opts->load_flags & FA_LOAD_LABEL_OPTIONAL) || !L->slot_names[SLOT_LABEL] ||
	    L->t->nfiles > 1)
		return;
	for (c = 0; c < n; c++)
		if (strcmp(names[c], L->slot_names[SLOT_LABEL]) == 0)
			return;
	L->slot_names[SLOT_LABEL] = NULL;
	free(L->t->label_column);
	L->t->label_column = NULL;
}

/* "name#k": the k-th column called "name", for a header that repeats a
 * name (ProPublica's COMPAS file has two "decile_score" columns); -1 when
 * there is none. */
static long nth_column(const csv_ctx *C, const char *spec)
{
	const char *hash = strrchr(spec, '#');
	char *end;
	unsigned long k;
	size_t c, base;

	if (!hash || hash == spec || !hash[1])
		return -1;
	k = strtoul(hash + 1, &end, 10);
	if (*end || k == 0)
		return -1;
	base = (size_t)(hash - spec);
	for (c = 0; c < C->nhdr; c++)
		if (strlen(C->hdr[c]) == base && memcmp(C->hdr[c], spec, base) == 0 && --k == 0)
			return (long)c;
	return -1;
}

static int map_header(csv_ctx *C)
{
	loader *L = C->L;
	size_t s, c;
	text_pos first = field_pos(C, 0);

	C->role = fa_xmalloc((C->nhdr + 1) * sizeof(long));
	for (c = 0; c < C->nhdr; c++)
		C->role[c] = -1;
	choose_probe(L, C->hdr, C->nhdr);
	choose_label(L, C->hdr, C->nhdr);
	for (s = 0; s < L->nslots; s++) {
		long found = -1;
		if (!L->slot_names[s])
			continue;
		for (c = 0; c < C->nhdr; c++) {
			if (strcmp(C->hdr[c], L->slot_names[s]) != 0)
				continue;
			if (found >= 0) {
				char q[QSIZE];
				text_pos at = field_pos(C, c);
				fa_quote_value(q, sizeof(q), C->hdr[c], strlen(C->hdr[c]), 60);
				return fa_error_set(C->err, FA_EINPUT, L->display, at.line, at.col,
						    "column \"%s\" appears twice in the header (fields %ld and %zu); rename one of them, or name one as \"%s#1\" or \"%s#2\"",
						    q, found + 1, c + 1, q, q);
			}
			found = (long)c;
		}
		if (found < 0)
			found = nth_column(C, L->slot_names[s]);
		if (found < 0 && L->probe_slot && s == L->probe_slot)
			continue; /* a later file without the id column */
		if (found < 0)
			return missing_column(L, L->slot_names[s], slot_role(L, s), "columns", C->hdr,
					      C->nhdr, first.line, first.col, C->err);
		/* one column may serve two roles (e.g. the label as a group too);
		 * csv_record() copies it into the second slot */
		if (C->role[found] < 0)
			C->role[found] = (long)s;
	}
	return 0;
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
	size_t s, c;
	int rc;

	(void)term;
	if (C->failed)
		return;
	if (!C->header_done) {
		C->header_done = 1;
		if ((C->rc = map_header(C)) < 0)
			C->failed = 1;
		goto next;
	}
	L->file->rows++;
	L->t->rows_read++;
	if (C->field != C->nhdr) {
		/* the first extra field, or the end of a short record */
		text_pos at = C->field > C->nhdr ? field_pos(C, C->nhdr) : record_end(C);
		if (L->opts->on_invalid == FA_ON_INVALID_SKIP) {
			L->t->drops[FA_DROP_RAGGED_ROW]++;
		} else {
			C->rc = fa_error_set(C->err, FA_EINPUT, L->display, at.line, at.col,
					     "expected %zu fields as in the header, got %zu",
					     C->nhdr, C->field);
			C->failed = 1;
		}
		goto next;
	}
	/* a column used in two roles feeds both slots */
	for (s = 0; s < L->nslots; s++) {
		if (L->vals[s].present || !L->slot_names[s])
			continue;
		for (c = 0; c < C->nhdr; c++)
			if (C->role[c] >= 0 && strcmp(C->hdr[c], L->slot_names[s]) == 0) {
				L->vals[s] = L->vals[C->role[c]];
				break;
			}
	}
	/* an unquoted line is scanned lazily, so its record starts there */
	L->rec_line = C->lazy ? C->lazy_line : C->nfpos ? C->fpos[0].line : C->line;
	if ((rc = commit_row(L, &f)) < 0) {
		text_pos at = record_end(C);
		for (c = 0; c < C->nhdr; c++)
			if (strcmp(C->hdr[c], L->slot_names[f.slot]) == 0) {
				at = field_pos(C, c);
				break;
			}
		if ((C->rc = row_failed(L, &f, rc, at.line, at.col, C->err)) < 0)
			C->failed = 1;
	}
next:
	C->field = 0;
	clear_values(L);
}

/* Give libcsv one piece of a line: the whole line, or the part up to a lone
 * CR (which ends a record as a line end does); `last` adds the "\n". */
static int csv_piece(csv_ctx *C, struct csv_parser *p, const char *piece, size_t n,
		     int last)
{
	loader *L = C->L;
	const char *nul = memchr(piece, '\0', n);
	size_t done;

	if (nul)
		return fa_error_set(C->err, FA_EINPUT, L->display, C->line,
				    fa_utf8_columns(piece, (size_t)(nul - piece)) + 1,
				    "NUL byte in the text (is this a binary or UTF-16 file?)");
	if (C->header_done && last && C->st == SCAN_ROW && !memchr(piece, '"', n)) {
		/* a whole line of unquoted fields: the scan can wait */
		C->lazy = piece;
		C->lazy_n = n;
		C->lazy_line = C->line;
	} else {
		scan_piece(C, piece, n, last);
	}
	done = csv_parse(p, piece, n, csv_field, csv_record, C);
	if (!C->failed && done == n && last)
		done += csv_parse(p, "\n", 1, csv_field, csv_record, C) - 1;
	if (done < n || C->failed)
		ensure_positions(C);
	C->lazy = NULL;
	if (C->failed)
		return C->rc;
	if (done < n)
		return fa_error_set(C->err, FA_EINPUT, L->display, C->line,
				    fa_utf8_columns(piece, done) + 1, "%s",
				    p->quoted ? "malformed quoting: text after the closing quote of a quoted field (write a quote inside a quoted field as \"\")"
					      : "malformed quoting: a quote inside an unquoted field (quote the whole field and write the quote as \"\")");
	if (C->st != SCAN_ROW) {
		/* a quoted field goes on to the next line */
		C->rec_bytes += n + (size_t)last;
		if (C->rec_bytes > L->max_line)
			return fa_error_set(C->err, FA_EINPUT, L->display, C->quote.line,
					    C->quote.col,
					    "record longer than %zu bytes, the limit for one line or record (is this quote never closed?)",
					    L->max_line);
	}
	return 0;
}

static int load_csv(loader *L, fa_source *src, unsigned char delim, fa_error *err)
{
	struct csv_parser p;
	csv_ctx C;
	const char *line;
	size_t len, i;
	unsigned long srcline, extra = 0;
	int rc;

	memset(&C, 0, sizeof(C));
	C.L = L;
	C.err = err;
	C.delim = delim;
	C.st = SCAN_ROW;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return fa_error_set(err, FA_EIO, L->display, 0, 0, "cannot start the CSV parser");
	csv_set_delim(&p, delim);
	/* libcsv's own test, space or tab, is right for any other delimiter */
	if (delim == '\t')
		csv_set_space_func(&p, space_not_tab);
	else if (delim == ' ')
		csv_set_space_func(&p, tab_not_space);
	clear_values(L);
	while ((rc = fa_source_next_line(src, &line, &len, &srcline, L->max_line, err)) > 0) {
		size_t start = 0;
		C.line = srcline + extra;
		for (;;) {
			const char *cr = memchr(line + start, '\r', len - start);
			size_t end = len;
			int last = 1;
			if (cr && (size_t)(cr - line) + 1 < len) {
				end = (size_t)(cr - line) + 1;
				last = 0;
			}
			if ((rc = csv_piece(&C, &p, line + start, end - start, last)) < 0)
				goto out;
			if (last)
				break;
			start = end;
			extra++;
			C.line++;
		}
	}
	if (rc < 0)
		goto out;
	if (csv_fini(&p, csv_field, csv_record, &C) != 0) {
		rc = fa_error_set(err, FA_EINPUT, L->display, C.quote.line, C.quote.col,
				  "unterminated quoted field: the quote opened here is never closed");
	} else if (C.failed) {
		rc = C.rc;
	} else if (!C.header_done) {
		rc = fa_error_set(err, FA_EINPUT, L->display, 1, 1,
				  "empty file: expected a header row");
	} else if (L->file->rows == 0) {
		text_pos at = C.nfpos ? C.fpos[0] : C.rec_end;
		rc = fa_error_set(err, FA_EINPUT, L->display, at.line ? at.line : 1, 1,
				  "no data rows: the file has a header only");
	}
out:
	csv_free(&p);
	for (i = 0; i < C.nhdr; i++)
		free(C.hdr[i]);
	free(C.hdr);
	free(C.role);
	free(C.fpos);
	return rc < 0 ? rc : 0;
}

/* ---- JSON and JSON Lines ---------------------------------------------- */

enum { JT_NONE = 0, JT_BOOL, JT_NUMBER, JT_STRING };

typedef struct json_ctx {
	loader *L;
	fa_error *err;
	int lines;                 /* JSON Lines rather than an array */
	int *types;                /* per slot: the JSON type first seen */
	unsigned long *type_line;  /* and the line where it was */
	int *seen;                 /* per slot: the key occurred (even as null) */
	char **first_keys;         /* keys of the first object, for messages */
	size_t nfirst;
	int have_first;
	text_pos first_at;
} json_ctx;

static const char *json_type_name(const cJSON *v)
{
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "an invalid value";
}

static const char *jt_name(int jt)
{
	switch (jt) {
	case JT_BOOL: return "a boolean";
	case JT_NUMBER: return "a number";
	default: return "a string";
	}
}

/* Move (line, col) over the first `off` bytes of `text`. */
static void advance_pos(const char *text, size_t off, unsigned long *line,
			unsigned long *col)
{
	const char *p = text, *end = text + off, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		++*line;
		*col = 1;
		p = nl + 1;
	}
	*col += fa_utf8_columns(p, (size_t)(end - p));
}

static int json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Offset just past the string starting at t[i] == '"'. */
static size_t skip_string(const char *t, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '"')
			return i + 1;
	}
	return n;
}

static size_t skip_value(const char *t, size_t n, size_t i)
{
	int depth = 0;

	if (i < n && t[i] == '"')
		return skip_string(t, n, i);
	if (i < n && (t[i] == '{' || t[i] == '[')) {
		while (i < n) {
			if (t[i] == '"') {
				i = skip_string(t, n, i);
				continue;
			}
			if (t[i] == '{' || t[i] == '[')
				depth++;
			else if ((t[i] == '}' || t[i] == ']') && --depth == 0)
				return i + 1;
			i++;
		}
		return n;
	}
	while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' && !json_blank(t[i]))
		i++;
	return i;
}

/* Offset of the value of the `nth` (0-based) top-level key `key` in an
 * object that cJSON accepted, or 0 (the object itself) when not found,
 * e.g. for a key written with escapes. */
static size_t value_offset(const char *t, size_t n, const char *key, int nth)
{
	size_t i = 0, kl = strlen(key);

	while (i < n && json_blank(t[i]))
		i++;
	if (i >= n || t[i] != '{')
		return 0;
	i++;
	for (;;) {
		size_t ks, ke;
		int match;
		while (i < n && json_blank(t[i]))
			i++;
		if (i >= n || t[i] != '"')
			return 0;
		ks = i + 1;
		i = skip_string(t, n, i);
		ke = i - 1;
		match = ke >= ks && ke - ks == kl && memcmp(t + ks, key, kl) == 0;
		while (i < n && json_blank(t[i]))
			i++;
		if (i >= n || t[i] != ':')
			return 0;
		i++;
		while (i < n && json_blank(t[i]))
			i++;
		if (match && nth-- == 0)
			return i;
		i = skip_value(t, n, i);
		while (i < n && json_blank(t[i]))
			i++;
		if (i >= n || t[i] != ',')
			return 0;
		i++;
	}
}

static text_pos key_pos(const char *text, size_t len, const char *key, int nth,
			unsigned long line, unsigned long col)
{
	text_pos p;
	p.line = line;
	p.col = col;
	advance_pos(text, value_offset(text, len, key, nth), &p.line, &p.col);
	return p;
}

/* Offset of a "\u0000" escape, which C strings cannot hold, or -1. */
static long nul_escape(const char *t, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i++) {
		if (t[i] != '\\')
			continue;
		if (t[i + 1] == 'u' && i + 5 < n && memcmp(t + i + 2, "0000", 4) == 0)
			return (long)i;
		i++;
	}
	return -1;
}

/* A JSON syntax check, run only when cJSON has refused a record, to point
 * at the first offending character and say what was expected. It accepts
 * what cJSON accepts (raw control characters in strings, any byte up to a
 * space as a blank, numbers as strtod reads them), so it never blames a
 * spot that cJSON let pass. */
typedef struct json_check {
	const char *t;
	size_t n, i;
	const char *what; /* set at the first error */
} json_check;

static void jc_blank(json_check *c)
{
	while (c->i < c->n && (unsigned char)c->t[c->i] <= ' ')
		c->i++;
}

static int jc_fail(json_check *c, const char *what)
{
	if (!c->what)
		c->what = c->i >= c->n ? NULL : what;
	return -1;
}

static int jc_string(json_check *c)
{
	for (c->i++; c->i < c->n; c->i++) {
		unsigned char ch = (unsigned char)c->t[c->i];
		if (ch == '"') {
			c->i++;
			return 0;
		}
		if (ch == '\\') {
			size_t at = c->i, k;
			if (++c->i >= c->n)
				break;
			if (c->t[c->i] == 'u') {
				for (k = 1; k <= 4; k++) {
					char h;
					if (c->i + k >= c->n) {
						c->i = c->n;
						return jc_fail(c, "");
					}
					h = c->t[c->i + k];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F'))) {
						c->i = at;
						return jc_fail(c, "an invalid \\u escape in a string");
					}
				}
				c->i += 4;
			} else if (!c->t[c->i] || !strchr("\"\\/bfnrt", c->t[c->i])) {
				c->i = at;
				return jc_fail(c, "an invalid escape in a string");
			}
		}
	}
	return jc_fail(c, "");
}

/* A number the way cJSON reads one: strtod over the longest run of
 * characters that can be part of a number. */
static int jc_number(json_check *c)
{
	size_t start = c->i, n = 0;
	char *run, *end;

	while (start + n < c->n && strchr("0123456789+-.eE", c->t[start + n]) && c->t[start + n])
		n++;
	run = fa_xstrndup(c->t + start, n);
	(void)strtod(run, &end);
	n = (size_t)(end - run);
	free(run);
	if (n == 0)
		return jc_fail(c, "an invalid number");
	c->i += n;
	return 0;
}

static int jc_value(json_check *c, int depth)
{
	char ch;

	jc_blank(c);
	if (c->i >= c->n)
		return jc_fail(c, "");
	ch = c->t[c->i];
	if (ch == '{' || ch == '[') {
		char close = ch == '{' ? '}' : ']';
		if (depth >= 1000)
			return jc_fail(c, "nesting deeper than 1000 levels");
		c->i++;
		jc_blank(c);
		if (c->i < c->n && c->t[c->i] == close) {
			c->i++;
			return 0;
		}
		for (;;) {
			if (ch == '{') {
				jc_blank(c);
				if (c->i >= c->n || c->t[c->i] != '"')
					return jc_fail(c, "expected a key in double quotes");
				if (jc_string(c) < 0)
					return -1;
				jc_blank(c);
				if (c->i >= c->n || c->t[c->i] != ':')
					return jc_fail(c, "expected ':' after the key");
				c->i++;
			}
			if (jc_value(c, depth + 1) < 0)
				return -1;
			jc_blank(c);
			if (c->i < c->n && c->t[c->i] == ',') {
				c->i++;
				continue;
			}
			if (c->i < c->n && c->t[c->i] == close) {
				c->i++;
				return 0;
			}
			return jc_fail(c, ch == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
	if (ch == '"')
		return jc_string(c);
	if (ch == '-' || (ch >= '0' && ch <= '9'))
		return jc_number(c);
	if (ch == 't' || ch == 'f' || ch == 'n') {
		const char *lit = ch == 't' ? "true" : ch == 'f' ? "false" : "null";
		size_t k = strlen(lit);
		if (c->n - c->i >= k && memcmp(c->t + c->i, lit, k) == 0) {
			c->i += k;
			return 0;
		}
		if (c->n - c->i < k && memcmp(c->t + c->i, lit, c->n - c->i) == 0) {
			c->i = c->n;
			return jc_fail(c, "");
		}
		return jc_fail(c, "an invalid literal (expected true, false or null)");
	}
	return jc_fail(c, "expected a value");
}

static int json_syntax_error(json_ctx *J, const char *text, size_t len, unsigned long line,
			     unsigned long col, size_t off, int trailing)
{
	loader *L = J->L;
	json_check c;
	char q[QSIZE];
	const char *what = "invalid JSON";

	memset(&c, 0, sizeof(c));
	c.t = text;
	c.n = len;
	if (trailing) {
		what = "unexpected text after the record";
	} else if (jc_value(&c, 0) < 0) {
		off = c.i;
		what = c.what;
	} else {
		/* cJSON refused what the check accepts (e.g. a lone UTF-16
		 * surrogate in a \u escape): keep cJSON's position */
	}
	if (off > len)
		off = len;
	advance_pos(text, off, &line, &col);
	if (off >= len || !what)
		return fa_error_set(J->err, FA_EINPUT, L->display, line, col,
				    "invalid JSON: the record ends too early%s",
				    J->lines ? " (JSON Lines needs each object on one line; put multi-line objects in an array)"
					     : "");
	fa_quote_value(q, sizeof(q), text + off, len - off, 12);
	return fa_error_set(J->err, FA_EINPUT, L->display, line, col,
			    "invalid JSON: %s at \"%s\"", what, q);
}

static int json_drop(loader *L, fa_drop_reason r)
{
	L->t->drops[r]++;
	return 0;
}

/* Handle one JSON object whose text starts at (line, col). */
static int json_object(json_ctx *J, const char *text, size_t len, unsigned long line,
		       unsigned long col)
{
	loader *L = J->L;
	const char *end = NULL;
	cJSON *obj, *it;
	size_t s, off = 0;
	row_fault f;
	long nul;
	int rc = 0, skip = L->opts->on_invalid == FA_ON_INVALID_SKIP;
	text_pos at;

	L->file->rows++;
	L->t->rows_read++;
	obj = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (obj) {
		off = end && end >= text ? (size_t)(end - text) : len;
		while (off < len && json_blank(text[off]))
			off++;
		if (off < len) {
			cJSON_Delete(obj);
			return skip ? json_drop(L, FA_DROP_INVALID_JSON)
				    : json_syntax_error(J, text, len, line, col, off, 1);
		}
	} else {
		off = end && end >= text ? (size_t)(end - text) : 0;
		return skip ? json_drop(L, FA_DROP_INVALID_JSON)
			    : json_syntax_error(J, text, len, line, col, off, 0);
	}
	if (!cJSON_IsObject(obj)) {
		rc = skip ? json_drop(L, FA_DROP_INVALID_JSON)
			  : fa_error_set(J->err, FA_EINPUT, L->display, line, col,
					 "expected a JSON object for each record, got %s",
					 json_type_name(obj));
		goto done;
	}
	cJSON_ArrayForEach(it, obj)
	{
		if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			char q[QSIZE];
			if (skip) {
				rc = json_drop(L, FA_DROP_INVALID_JSON);
				goto done;
			}
			at = key_pos(text, len, it->string, 0, line, col);
			fa_quote_value(q, sizeof(q), it->string, strlen(it->string), 60);
			rc = fa_error_set(J->err, FA_EINPUT, L->display, at.line, at.col,
					  "expected a flat JSON object: key \"%s\" holds %s",
					  q, json_type_name(it));
			goto done;
		}
	}
	if ((nul = nul_escape(text, len)) >= 0) {
		at.line = line;
		at.col = col;
		advance_pos(text, (size_t)nul, &at.line, &at.col);
		rc = fa_error_set(J->err, FA_EINPUT, L->display, at.line, at.col,
				  "NUL character (\\u0000) in a JSON string");
		goto done;
	}
	if (!J->have_first) {
		size_t cap = 0;
		cJSON_ArrayForEach(it, obj)
		{
			void *p = J->first_keys;
			fa_grow(&p, &cap, J->nfirst + 1, sizeof(char *));
			J->first_keys = p;
			J->first_keys[J->nfirst++] = fa_xstrdup(it->string);
		}
		J->have_first = 1;
		J->first_at.line = line;
		J->first_at.col = col;
		choose_probe(L, J->first_keys, J->nfirst);
		choose_label(L, J->first_keys, J->nfirst);
	}
	clear_values(L);
	for (s = 0; s < L->nslots; s++) {
		cJSON *v = NULL;
		int jt, count = 0;
		if (!L->slot_names[s])
			continue;
		cJSON_ArrayForEach(it, obj)
		{
			if (strcmp(it->string, L->slot_names[s]) != 0)
				continue;
			if (count++ == 0) {
				v = it;
			} else {
				char q[QSIZE];
				at = key_pos(text, len, L->slot_names[s], 1, line, col);
				fa_quote_value(q, sizeof(q), it->string, strlen(it->string), 60);
				rc = fa_error_set(J->err, FA_EINPUT, L->display, at.line, at.col,
						  "key \"%s\" appears twice in the record; rename one of them",
						  q);
				goto done;
			}
		}
		if (!v)
			continue;
		J->seen[s] = 1;
		if (cJSON_IsNull(v))
			continue;
		jt = cJSON_IsBool(v) ? JT_BOOL : cJSON_IsNumber(v) ? JT_NUMBER : JT_STRING;
		if (cJSON_IsString(v)) {
			stage_value(L, s, v->valuestring, strlen(v->valuestring));
		} else if (cJSON_IsBool(v)) {
			stage_value(L, s, cJSON_IsTrue(v) ? "true" : "false", cJSON_IsTrue(v) ? 4 : 5);
		} else {
			/* cJSON keeps numbers as doubles; print them back exactly */
			char tmp[40];
			format_number(tmp, v->valuedouble);
			stage_value(L, s, tmp, strlen(tmp));
		}
		if (s == SLOT_SCORE || (L->extra0 && s >= L->extra0)) {
			/* a score must be a number; any other type is a bad value */
			if (jt != JT_NUMBER)
				L->vals[s].bad_type = jt_name(jt);
			continue;
		}
		if (J->types[s] && J->types[s] != jt) {
			char q[QSIZE];
			at = key_pos(text, len, L->slot_names[s], 0, line, col);
			fa_quote_value(q, sizeof(q), L->slot_names[s], strlen(L->slot_names[s]), 60);
			rc = fa_error_set(J->err, FA_EINPUT, L->display, at.line, at.col,
					  "key \"%s\" holds %s here but %s on line %lu; a column must keep one type",
					  q, jt_name(jt), jt_name(J->types[s]), J->type_line[s]);
			goto done;
		}
		if (!J->types[s]) {
			J->types[s] = jt;
			J->type_line[s] = line;
		}
	}
	for (s = 0; s < SLOT_ATTR0; s++) {
		if (!L->slot_names[s] || cJSON_GetObjectItemCaseSensitive(obj, L->slot_names[s]))
			continue;
		if (skip) {
			rc = json_drop(L, FA_DROP_MISSING_VALUE);
		} else if (!J->seen[s]) {
			char **keys = NULL;
			size_t nk = 0, cap = 0;
			cJSON_ArrayForEach(it, obj)
			{
				void *p = keys;
				fa_grow(&p, &cap, nk + 1, sizeof(char *));
				keys = p;
				keys[nk++] = it->string;
			}
			rc = missing_column(L, L->slot_names[s], slot_role(L, s), "keys", keys, nk,
					    line, col, J->err);
			free(keys);
		} else {
			char q[QSIZE];
			fa_quote_value(q, sizeof(q), L->slot_names[s], strlen(L->slot_names[s]), 60);
			rc = fa_error_set(J->err, FA_EINPUT, L->display, line, col,
					  "record has no key \"%s\" (the %s column)", q,
					  slot_role(L, s));
		}
		goto done;
	}
	L->rec_line = line;
	if ((rc = commit_row(L, &f)) < 0) {
		at = key_pos(text, len, L->slot_names[f.slot], 0, line, col);
		rc = row_failed(L, &f, rc, at.line, at.col, J->err);
	}
done:
	cJSON_Delete(obj);
	return rc;
}

static int nul_in_line(loader *L, const char *line, size_t len, unsigned long lineno,
		       fa_error *err)
{
	const char *nul = memchr(line, '\0', len);
	if (!nul)
		return 0;
	return fa_error_set(err, FA_EINPUT, L->display, lineno,
			    fa_utf8_columns(line, (size_t)(nul - line)) + 1,
			    "NUL byte in the text (is this a binary or UTF-16 file?)");
}

static int load_jsonl(json_ctx *J, fa_source *src)
{
	loader *L = J->L;
	const char *line;
	size_t len;
	unsigned long lineno;
	int rc;

	while ((rc = fa_source_next_line(src, &line, &len, &lineno, L->max_line, J->err)) > 0) {
		size_t i = 0;
		if ((rc = nul_in_line(L, line, len, lineno, J->err)) < 0)
			return rc;
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
static int load_json_array(json_ctx *J, fa_source *src)
{
	loader *L = J->L;
	const char *line;
	size_t len;
	unsigned long lineno = 0, last_col = 0;
	text_pos el_at = {0, 0};
	fa_buf el = FA_BUF_INIT;
	int rc, depth = 0, in_str = 0, esc = 0;
	enum { BEFORE_ARRAY, WANT_ELEMENT, IN_ELEMENT, WANT_COMMA, AFTER_ARRAY } st =
		BEFORE_ARRAY;

	while ((rc = fa_source_next_line(src, &line, &len, &lineno, L->max_line, J->err)) > 0) {
		size_t i = 0;
		unsigned long col = 0;
		if ((rc = nul_in_line(L, line, len, lineno, J->err)) < 0)
			goto out;
		while (i < len) {
			char c = line[i];
			size_t k = 1;
			if ((unsigned char)c >= 0x80) {
				k = fa_utf8_len(line + i, len - i);
				if (!k)
					k = 1;
			}
			col++;
			if (st == IN_ELEMENT) {
				fa_buf_put(&el, line + i, k);
				i += k;
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
				} else if ((c == '}' || c == ']') && --depth == 0) {
					rc = json_object(J, el.ptr, el.len, el_at.line, el_at.col);
					fa_buf_clear(&el);
					if (rc < 0)
						goto out;
					st = WANT_COMMA;
				}
				continue;
			}
			i += k;
			if (c == ' ' || c == '\t' || c == '\r')
				continue;
			if (st == BEFORE_ARRAY && c == '[') {
				st = WANT_ELEMENT;
			} else if (st == WANT_ELEMENT && c == ']' && L->file->rows == 0) {
				st = AFTER_ARRAY;
			} else if (st == WANT_ELEMENT && (c == '{' || c == '[')) {
				st = IN_ELEMENT;
				depth = 1;
				in_str = esc = 0;
				el_at.line = lineno;
				el_at.col = col;
				fa_buf_putc(&el, c);
			} else if (st == WANT_COMMA && c == ',') {
				st = WANT_ELEMENT;
			} else if (st == WANT_COMMA && c == ']') {
				st = AFTER_ARRAY;
			} else {
				const char *want = st == BEFORE_ARRAY   ? "invalid JSON: expected '['"
						   : st == WANT_ELEMENT ? "expected a JSON object for each record"
						   : st == WANT_COMMA   ? "invalid JSON: expected ',' or ']'"
									: "invalid JSON: expected nothing after the closing ']'";
				char q[QSIZE];
				fa_quote_value(q, sizeof(q), line + i - k, len - (i - k), 12);
				rc = fa_error_set(J->err, FA_EINPUT, L->display, lineno, col,
						  "%s, got \"%s\"", want, q);
				goto out;
			}
		}
		last_col = col;
		if (st == IN_ELEMENT) {
			fa_buf_putc(&el, '\n');
			if (el.len > L->max_line) {
				rc = fa_error_set(J->err, FA_EINPUT, L->display, el_at.line, el_at.col,
						  "record longer than %zu bytes, the limit for one line or record",
						  L->max_line);
				goto out;
			}
		}
	}
	if (rc == 0 && st == IN_ELEMENT)
		rc = fa_error_set(J->err, FA_EINPUT, L->display, el_at.line, el_at.col,
				  "invalid JSON: the record that starts here is not closed (unexpected end of file)");
	else if (rc == 0 && st != AFTER_ARRAY)
		rc = fa_error_set(J->err, FA_EINPUT, L->display, lineno ? lineno : 1, last_col + 1,
				  "invalid JSON: the array is not closed (unexpected end of file)");
out:
	fa_buf_free(&el);
	return rc < 0 ? rc : 0;
}

static int load_json(loader *L, fa_source *src, int array, fa_error *err)
{
	json_ctx J;
	size_t s;
	int rc;

	memset(&J, 0, sizeof(J));
	J.L = L;
	J.err = err;
	J.lines = !array;
	J.types = fa_xcalloc(L->nslots, sizeof(int));
	J.type_line = fa_xcalloc(L->nslots, sizeof(unsigned long));
	J.seen = fa_xcalloc(L->nslots, sizeof(int));
	rc = array ? load_json_array(&J, src) : load_jsonl(&J, src);
	if (rc == 0 && L->file->rows == 0)
		rc = fa_error_set(err, FA_EINPUT, L->display, 1, 1,
				  "no records: the JSON array is empty");
	/* a key no record has is a misspelt column, as in a CSV header */
	for (s = 0; rc == 0 && J.have_first && s < L->nslots; s++)
		if (L->slot_names[s] && !J.seen[s] && (!L->probe_slot || s != L->probe_slot))
			rc = missing_column(L, L->slot_names[s], slot_role(L, s),
					    "keys of the first record", J.first_keys, J.nfirst,
					    J.first_at.line, J.first_at.col, err);
	for (s = 0; s < J.nfirst; s++)
		free(J.first_keys[s]);
	free(J.first_keys);
	free(J.types);
	free(J.type_line);
	free(J.seen);
	return rc;
}

/* ---- driver ----------------------------------------------------------- */

static int has_suffix(const char *s, const char *suf)
{
	size_t ls = strlen(s), lf = strlen(suf);
	return ls >= lf && strcasecmp(s + ls - lf, suf) == 0;
}

/* The name ends in `ext`, with or without a further ".gz". */
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

	first = fa_source_peek(src, L->max_line, err);
	if (first < -1)
		return first;
	if (first == -1)
		return fa_error_set(err, FA_EINPUT, L->display, 1, 1,
				    "empty file: expected a header row or JSON records");
	if (!delim && (name_is(path, ".tsv") || name_is(path, ".tab")))
		delim = '\t';
	if (!delim && !name_is(path, ".csv") &&
	    (first == '[' || first == '{' || name_is(path, ".json") ||
	     name_is(path, ".jsonl") || name_is(path, ".ndjson"))) {
		L->file->format = first == '[' ? "json" : "jsonl";
		rc = load_json(L, src, first == '[', err);
	} else {
		L->file->format = delim == '\t' ? "tsv" : "csv";
		rc = load_csv(L, src, (unsigned char)(delim ? delim : ','), err);
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
	size_t a, b, nattr = o->attr_count + o->bin_count + (o->cluster_column != NULL) +
				(o->nprobe_names != 0) + (o->id_column != NULL) +
				(o->period_column != NULL);
	int no_score = (o->load_flags & FA_LOAD_NO_SCORE) != 0;

	t->label_column = fa_xstrdup(o->label_column);
	t->score_column = no_score ? NULL : fa_xstrdup(o->score_column);
	t->pred_column = o->pred_column ? fa_xstrdup(o->pred_column) : NULL;
	if (o->id_column || (o->load_flags & FA_LOAD_KEEP_LINES))
		t->lines = fa_xmalloc(1);
	t->nattrs = nattr;
	t->attrs = fa_xcalloc(nattr ? nattr : 1, sizeof(fa_attr));
	L->nslots = SLOT_ATTR0 + nattr + o->extra_score_count;
	L->extra0 = SLOT_ATTR0 + nattr;
	t->nextra = o->extra_score_count;
	t->extra = fa_xcalloc(t->nextra ? t->nextra : 1, sizeof(double *));
	L->slot_names = fa_xcalloc(L->nslots, sizeof(char *));
	L->slot_bins = fa_xcalloc(nattr ? nattr : 1, sizeof(fa_bin_spec *));
	L->stage = fa_xcalloc(L->nslots, sizeof(char *));
	L->stage_cap = fa_xcalloc(L->nslots, sizeof(size_t));
	L->vals = fa_xcalloc(L->nslots, sizeof(slot_value));
	L->slot_names[SLOT_LABEL] = o->label_column;
	L->slot_names[SLOT_SCORE] = no_score ? NULL : o->score_column;
	L->slot_names[SLOT_PRED] = o->pred_column;
	for (a = 0; a < nattr; a++) {
		fa_attr *at = &t->attrs[a];
		fa_dict_init(&at->dict);
		at->missing = FA_NO_CODE;
		if (a < o->attr_count) {
			at->name = fa_xstrdup(o->attr_columns[a]);
		} else if (a == nattr - 1 && o->id_column) {
			at->name = fa_xstrdup(o->id_column);
			at->unlimited = 1;
			at->id = 1;
			L->id_slot = SLOT_ATTR0 + a;
		} else if (a == o->attr_count + o->bin_count && o->cluster_column) {
			at->name = fa_xstrdup(o->cluster_column);
			at->unlimited = 1;
		} else if (o->period_column &&
			   a == o->attr_count + o->bin_count + (o->cluster_column != NULL)) {
			/* levels are period labels, as many as there are periods */
			at->name = fa_xstrdup(o->period_column);
			at->unlimited = 1;
			L->period_slot = SLOT_ATTR0 + a;
		} else if (a == nattr - 1 - (o->id_column != NULL) && o->nprobe_names) {
			/* named when the first file's columns are known */
			at->name = fa_xstrdup("");
			at->unlimited = 1;
			at->probe = 1;
			L->probe_slot = SLOT_ATTR0 + a;
			continue;
		} else {
			const fa_bin_spec *bs = &o->bins[a - o->attr_count];
			at->name = fa_xstrdup(bs->column);
			at->binned = 1;
			at->ncuts = bs->ncuts;
			at->cuts = fa_xmalloc((bs->ncuts + 1) * sizeof(double));
			if (bs->ncuts)
				memcpy(at->cuts, bs->cuts, bs->ncuts * sizeof(double));
			L->slot_bins[a] = bs;
			for (b = 0; b <= bs->ncuts; b++) {
				char lo[40], hi[40], name[100];
				if (b == 0)
					strcpy(lo, "-inf");
				else
					format_number(lo, bs->cuts[b - 1]);
				if (b == bs->ncuts)
					strcpy(hi, "inf");
				else
					format_number(hi, bs->cuts[b]);
				snprintf(name, sizeof(name), "%s%s,%s)", b == 0 ? "(" : "[", lo, hi);
				fa_dict_intern(&at->dict, name, strlen(name));
			}
		}
		L->slot_names[SLOT_ATTR0 + a] = at->name;
	}
	for (a = 0; a < o->extra_score_count; a++)
		L->slot_names[L->extra0 + a] = o->extra_scores[a];
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

/* The period column holds period labels, not its values: it cannot be
 * read for another purpose too. */
static int check_period(const fa_load_options *o, fa_error *err)
{
	const char *p = o->period_column, *other = NULL;
	size_t j;

	if (!p[0])
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--period: the column name must not be empty");
	if (o->period_every < FA_PERIOD_MONTH || o->period_every > FA_PERIOD_QUARTER)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--period %s: unknown period length", p);
	for (j = 0; j < o->attr_count && !other; j++)
		if (strcmp(o->attr_columns[j], p) == 0)
			other = "a group";
	for (j = 0; j < o->bin_count && !other; j++)
		if (strcmp(o->bins[j].column, p) == 0)
			other = "binned";
	if (!other && o->cluster_column && strcmp(o->cluster_column, p) == 0)
		other = "the cluster column";
	if (!other && o->id_column && strcmp(o->id_column, p) == 0)
		other = "the id column";
	if (other)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--period %s: the date column cannot also be %s", p, other);
	return 0;
}

static int check_options(const fa_load_options *o, fa_error *err)
{
	size_t i, j;

	if (!o->label_column || !o->label_column[0] ||
	    (!(o->load_flags & FA_LOAD_NO_SCORE) && (!o->score_column || !o->score_column[0])))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "the label and score column names must not be empty");
	if (o->id_column && !o->id_column[0])
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "the id column name must not be empty");
	if (o->delimiter == '"' || o->delimiter == '\r' || o->delimiter == '\n')
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--delimiter: a quote or line break cannot separate fields");
	for (i = 0; i < o->bin_count; i++) {
		for (j = 0; j < o->bins[i].ncuts; j++)
			if (!isfinite(o->bins[i].cuts[j]) ||
			    (j > 0 && !(o->bins[i].cuts[j - 1] < o->bins[i].cuts[j])))
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "--bin %s: cut points must be finite and increase strictly",
						    o->bins[i].column);
		for (j = 0; j < o->attr_count; j++)
			if (strcmp(o->attr_columns[j], o->bins[i].column) == 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "column \"%s\" is both binned and used as it is",
						    o->bins[i].column);
	}
	if (o->cluster_column) {
		for (j = 0; j < o->attr_count; j++)
			if (strcmp(o->attr_columns[j], o->cluster_column) == 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "--cluster %s: the cluster column cannot also be a group",
						    o->cluster_column);
		for (j = 0; j < o->bin_count; j++)
			if (strcmp(o->bins[j].column, o->cluster_column) == 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "--cluster %s: the cluster column cannot also be binned",
						    o->cluster_column);
	}
	if (o->period_column)
		return check_period(o, err);
	return 0;
}

/* Every row was dropped: say how many for each reason. */
int fa_table_all_dropped(const fa_table *t, const char *path, fa_error *err)
{
	fa_buf b = FA_BUF_INIT;
	size_t r;
	int rc;

	for (r = 0; r < FA_DROP__COUNT; r++)
		if (t->drops[r])
			fa_buf_printf(&b, "%s%zu %s", b.len ? ", " : "", t->drops[r],
				      fa_drop_reason_name((fa_drop_reason)r));
	rc = fa_error_set(err, FA_EINPUT, path, 0, 0,
			  "no usable rows: all %zu data rows were dropped (%s)", t->rows_read,
			  b.ptr ? b.ptr : "");
	fa_buf_free(&b);
	return rc;
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
	L.max_line = opts->max_line_bytes ? opts->max_line_bytes : FA_LOAD_DEFAULT_MAX_LINE;
	t = L.t = new_table(&L, opts);
	t->files = fa_xcalloc(n ? n : 1, sizeof(fa_input_file));
	t->file_row0 = fa_xcalloc(n ? n : 1, sizeof(size_t));
	if (opts->pred_column)
		t->preds = fa_xmalloc(1);
	for (i = 0; i < n && rc == 0; i++) {
		int std = strcmp(paths[i], "-") == 0;
		t->nfiles = i + 1;
		t->file_row0[i] = t->rows;
		L.file = &t->files[i];
		L.file->path = fa_xstrdup(paths[i]);
		L.display = std ? "<stdin>" : paths[i];
		if (!srcs[i] && (rc = fa_source_open_path(&srcs[i], paths[i], L.display, err)) < 0)
			break;
		rc = load_one(&L, srcs[i], paths[i], err);
	}
	free_loader(&L);
	if (rc == 0 && t->rows == 0)
		rc = fa_table_all_dropped(t, t->nfiles == 1 ? t->files[0].path : NULL, err);
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
	fa_source **srcs;
	size_t i, nstdin = 0;
	int rc;

	*out = NULL;
	if (npaths == 0)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "no input files");
	for (i = 0; i < npaths; i++)
		nstdin += strcmp(paths[i], "-") == 0;
	if (nstdin > 1)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "standard input (\"-\") is given %zu times; it can be read once",
				    nstdin);
	srcs = fa_xcalloc(npaths, sizeof(*srcs));
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

	if (!name)
		name = "<memory>";
	fa_source_open_memory(&src, data, len, name, err);
	rc = load_sources(out, &src, &name, 1, opts, err);
	fa_source_close(src);
	return rc;
}
