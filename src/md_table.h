/* md_table.h: Markdown text escaping and tables (internal). */
#ifndef FA_MD_TABLE_H
#define FA_MD_TABLE_H

#include "fairaudit/common.h"

/* Append `s` as Markdown text: formatting characters escaped, `|` too,
 * control bytes as \n, \xNN, so a value stays in its table cell. */
void fa_md_text(fa_buf *b, const char *s);

/* A pipe table, filled cell by cell (header row first), rendered with
 * columns padded to line up. */
typedef struct fa_mdtab {
	size_t ncols;
	const char *align; /* 'l' or 'r' per column */
	char **cells;      /* row by row; the first row is the header */
	size_t n, cap;
	fa_buf cur;        /* the cell being written */
} fa_mdtab;

void fa_mdtab_init(fa_mdtab *t, const char *align);
/* End the cell being written in t->cur. */
void fa_mdtab_end(fa_mdtab *t);
void fa_mdtab_put(fa_mdtab *t, const char *s);  /* a cell, as it is */
void fa_mdtab_text(fa_mdtab *t, const char *s); /* a cell, escaped */
void fa_mdtab_size(fa_mdtab *t, size_t x);
/* Append the table to `b` and free it. */
void fa_mdtab_render(fa_mdtab *t, fa_buf *b);
void fa_mdtab_free(fa_mdtab *t);

#endif
