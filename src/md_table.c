/* md_table.c: Markdown text escaping and pipe tables padded to line up in
 * a pager, shared by the Markdown report and the comparison. */
#include "md_table.h"

#include "table_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append `s` as Markdown text: punctuation that Markdown would read as
 * formatting is backslash-escaped, `|` included so table cells stay
 * whole ("\|" works inside GitHub table cells), and line breaks and other control bytes are written as \n, \r,
 * \xNN so a value stays on its line. */
void fa_md_text(fa_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	const unsigned char *s0 = p;

	if (!*p) {
		fa_buf_puts(b, "\"\"");
		return;
	}
	for (; *p; p++) {
		/* an underscore between letters or digits cannot start or end
		 * emphasis, so "score_v2" stays as it is */
		if (*p == '_' && p > s0 && isalnum(p[-1]) && isalnum(p[1]))
			fa_buf_putc(b, '_');
		else if (*p == '\n')
			fa_buf_puts(b, "\\n");
		else if (*p == '\r')
			fa_buf_puts(b, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			fa_buf_printf(b, "\\x%02X", *p);
		else {
			/* "<" and "&" matter only where they could open a tag or
			 * an entity, so "tpr_gap<=0.1" stays readable */
			if (strchr("\\`*_[]|$~", *p) ||
			    (*p == '<' && (isalpha(p[1]) || (p[1] && strchr("/!?", p[1])))) ||
			    (*p == '&' && (isalnum(p[1]) || p[1] == '#')))
				fa_buf_putc(b, '\\');
			fa_buf_putc(b, (char)*p);
		}
	}
}


void fa_mdtab_init(fa_mdtab *t, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->align = align;
	t->ncols = strlen(align);
}

/* End the cell being written in t->cur. */
void fa_mdtab_end(fa_mdtab *t)
{
	void *p = t->cells;
	fa_grow(&p, &t->cap, t->n + 1, sizeof(char *));
	t->cells = p;
	t->cells[t->n++] = fa_buf_detach(&t->cur);
}

void fa_mdtab_put(fa_mdtab *t, const char *s)
{
	fa_buf_puts(&t->cur, s);
	fa_mdtab_end(t);
}

void fa_mdtab_text(fa_mdtab *t, const char *s)
{
	fa_md_text(&t->cur, s);
	fa_mdtab_end(t);
}

void fa_mdtab_size(fa_mdtab *t, size_t x)
{
	fa_buf_printf(&t->cur, "%zu", x);
	fa_mdtab_end(t);
}

/* Columns of a terminal: UTF-8 continuation bytes take none. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void pad(fa_buf *b, size_t n)
{
	while (n--)
		fa_buf_putc(b, ' ');
}

void fa_mdtab_render(fa_mdtab *t, fa_buf *b)
{
	size_t *w = fa_xcalloc(t->ncols, sizeof(size_t));
	size_t i, c, rows = t->n / t->ncols;

	for (i = 0; i < rows * t->ncols; i++) {
		size_t x = width(t->cells[i]);
		c = i % t->ncols;
		if (x > w[c])
			w[c] = x;
	}
	for (c = 0; c < t->ncols; c++)
		if (w[c] < 3)
			w[c] = 3;
	for (i = 0; i < rows; i++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[i * t->ncols + c];
			size_t x = width(s);
			fa_buf_puts(b, c ? " | " : "| ");
			if (t->align[c] == 'r')
				pad(b, w[c] - x);
			fa_buf_puts(b, s);
			if (t->align[c] != 'r')
				pad(b, w[c] - x);
		}
		fa_buf_puts(b, " |\n");
		if (i == 0) {
			for (c = 0; c < t->ncols; c++) {
				size_t k;
				fa_buf_puts(b, c ? " | " : "| ");
				for (k = 0; k + 1 < w[c]; k++)
					fa_buf_putc(b, '-');
				fa_buf_putc(b, t->align[c] == 'r' ? ':' : '-');
			}
			fa_buf_puts(b, " |\n");
		}
	}
	fa_buf_putc(b, '\n');
	for (i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	fa_buf_free(&t->cur);
	free(w);
}

void fa_mdtab_free(fa_mdtab *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	fa_buf_free(&t->cur);
}
