/* source.h: a byte source (file, stdin or memory) that hashes what it reads
 * with SHA-256 and inflates gzip input recognised by its magic bytes, and a
 * line reader over it. Internal to the loader. */
#ifndef FA_SOURCE_H
#define FA_SOURCE_H

#include "fairaudit/common.h"

typedef struct fa_source fa_source;

/* Open `path` ("-" = standard input). `display` names it in messages and
 * must outlive the source. */
int fa_source_open_path(fa_source **out, const char *path, const char *display,
			fa_error *err);
/* Read from memory (not copied: `data` must outlive the source). */
int fa_source_open_memory(fa_source **out, const void *data, size_t len,
			  const char *display, fa_error *err);
void fa_source_close(fa_source *s);

/* The next line, without its "\n" (a trailing "\r" is kept: CSV needs it
 * to end a record the way the file did). Returns 1 with a line, 0 at the
 * end, or a negative status. `*line` is valid until the next call. A UTF-8
 * byte-order mark at the start of the text is skipped; a UTF-16 one is an
 * error. A line longer than `max_len` bytes (0: no limit) is an error
 * that names the limit, raised before the whole line is buffered. */
int fa_source_next_line(fa_source *s, const char **line, size_t *len,
			unsigned long *lineno, size_t max_len, fa_error *err);

/* Skip blank lines (spaces, tabs, CR) at the start and return the first
 * byte that is not blank, or -1 when the text is blank or empty. Lines
 * skipped here still count in line numbers. */
int fa_source_peek(fa_source *s, size_t max_len, fa_error *err);

int fa_source_is_gzip(const fa_source *s);
size_t fa_source_bytes(const fa_source *s);
/* Finish reading (to the end, so the digest covers the whole input) and
 * write the hex SHA-256 of the raw bytes into `hex` (65 bytes). */
int fa_source_finish(fa_source *s, char hex[65], fa_error *err);

#endif
