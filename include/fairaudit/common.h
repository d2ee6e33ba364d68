/*
 * common.h: status codes, the error record, a growable buffer and the
 * allocation policy shared by every fairaudit module.
 */
#ifndef FAIRAUDIT_COMMON_H
#define FAIRAUDIT_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ## Status codes
 *
 * A function that can fail returns 0 or one of these negative values.
 */
typedef enum fa_status {
	FA_OK = 0,
	FA_EUSAGE = -1, /* bad option, argument or gate expression */
	FA_EINPUT = -2, /* malformed or unusable input data */
	FA_EIO = -3,    /* a file could not be read or written */
	FA_EMATH = -4,  /* a numerical routine failed */
	FA_ELIMIT = -5, /* a configured limit (e.g. --max-groups) was exceeded */
	FA_EINTR = -6   /* interrupted by a signal */
} fa_status;

/** ## Errors
 *
 * Every fallible function takes a `fa_error *err` last (NULL allowed) and
 * fills it on failure. `line` and `column` are 1-based, 0 when unknown.
 * A lower level's error is passed up unchanged.
 */
typedef struct fa_error {
	int code;
	char path[1024];
	unsigned long line;
	unsigned long column;
	char message[1024];
} fa_error;

/** Fill `err` (if not NULL) and return `code`. `path` may be NULL. */
int fa_error_set(fa_error *err, int code, const char *path, unsigned long line,
		 unsigned long column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/** Clear an error record. */
void fa_error_clear(fa_error *err);

/** Format `err` as one line, compiler style: "path:line:col: error: msg".
 * Parts that are unknown are left out. Returns the length written. */
size_t fa_error_format(const fa_error *err, char *buf, size_t size);

/** ## Allocation
 *
 * Out of memory is not an input error: these print a message to stderr and
 * abort, so error paths stay for real input problems.
 */
void *fa_xmalloc(size_t size);
void *fa_xcalloc(size_t n, size_t size);
void *fa_xrealloc(void *ptr, size_t size);
char *fa_xstrdup(const char *s);
char *fa_xstrndup(const char *s, size_t n);
/** A new string formatted like printf (free with free()). */
char *fa_xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/** Grow `*ptr` (an array of `elem`-sized items with capacity `*cap`) so it
 * holds at least `need` items. */
void fa_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/** ## Growable buffer
 *
 * Reporters write into an `fa_buf`; the caller flushes it. `ptr` is always
 * NUL-terminated once anything has been written.
 */
typedef struct fa_buf {
	char *ptr;
	size_t len;
	size_t cap;
} fa_buf;

#define FA_BUF_INIT {NULL, 0, 0}

void fa_buf_put(fa_buf *b, const char *s, size_t n);
void fa_buf_puts(fa_buf *b, const char *s);
void fa_buf_putc(fa_buf *b, char c);
void fa_buf_printf(fa_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void fa_buf_vprintf(fa_buf *b, const char *fmt, va_list ap);
/** Append `x` in the shortest form that reads back to the same double
 * ("%.17g" trimmed); NaN and infinities are written as "nan", "inf". */
void fa_buf_put_double(fa_buf *b, double x);
void fa_buf_clear(fa_buf *b);
void fa_buf_free(fa_buf *b);
/** Take ownership of the buffer's memory; the buffer is left empty. */
char *fa_buf_detach(fa_buf *b);

/** ## Positions in JSON text
 *
 * cJSON keeps no positions; these find them again in text it accepted, for
 * messages that name a line and column of a policy or config file. */
struct cJSON;
/** Where each top-level member of the object `text` (`n` bytes) starts:
 * its key, its value and, for a list, each element, in the order of the
 * text (cJSON's order). Free with fa_json_members_free. */
typedef struct fa_json_member {
	size_t key, value;
	size_t *elems;
	size_t nelems;
} fa_json_member;
fa_json_member *fa_json_members(const char *text, size_t n, size_t *count);
void fa_json_members_free(fa_json_member *m, size_t count);
/** The 1-based line and column (in characters) of byte `off` of `text`. */
void fa_text_position(const char *text, size_t off, unsigned long *line, unsigned long *col);
/** "a string", "a number", "a boolean", "null", "a list" or "an object". */
const char *fa_json_kind(const struct cJSON *v);

/** Read the whole file `path` into a new NUL-terminated string `*out`
 * (free with free()) of `*len` bytes; "-" is standard input when
 * `stdin_ok`. `what` names the file in messages ("policy file"), or NULL.
 * FA_EIO when it cannot be opened or read. */
int fa_read_file(const char *path, const char *what, int stdin_ok, char **out, size_t *len,
		 fa_error *err);

/** Format `x` like fa_buf_put_double into `out` (at least 32 bytes). */
void fa_format_double(char *out, double x);

/** Edit distance ignoring ASCII case, for "did you mean": insertions,
 * deletions, substitutions and swaps of two neighbours ("scroe" ->
 * "score") each cost one. (size_t)-1 when a word is over 200 bytes. */
size_t fa_edit_distance(const char *a, const char *b);

/** Whether a name at distance `d` from `want` is close enough to offer:
 * about one edit in three, and never a replacement of the whole word. */
int fa_suggest_close(size_t d, const char *want);

#ifdef __cplusplus
}
#endif
#endif
