/* buf.c: allocation helpers and the growable output buffer. */
#include "fairaudit/common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t size)
{
	fprintf(stderr, "fairaudit: out of memory (requested %zu bytes)\n", size);
	abort();
}

void *fa_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *fa_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *fa_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

char *fa_xstrdup(const char *s)
{
	return fa_xstrndup(s, strlen(s));
}

char *fa_xstrndup(const char *s, size_t n)
{
	char *p = fa_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *fa_xasprintf(const char *fmt, ...)
{
	fa_buf b = FA_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	fa_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return fa_buf_detach(&b);
}

void fa_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap;

	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need)
		c += c / 2;
	*ptr = fa_xrealloc(*ptr, c * elem);
	*cap = c;
}

static void buf_reserve(fa_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	void *p = b->ptr;

	fa_grow(&p, &b->cap, need, 1);
	b->ptr = p;
}

void fa_buf_put(fa_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void fa_buf_puts(fa_buf *b, const char *s)
{
	fa_buf_put(b, s, strlen(s));
}

void fa_buf_putc(fa_buf *b, char c)
{
	fa_buf_put(b, &c, 1);
}

void fa_buf_vprintf(fa_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void fa_buf_printf(fa_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fa_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void fa_format_double(char *out, double x)
{
	int prec;

	if (isnan(x)) {
		strcpy(out, "nan");
		return;
	}
	if (isinf(x)) {
		strcpy(out, x > 0 ? "inf" : "-inf");
		return;
	}
	/* whole numbers as such (40, not 4e+01) */
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(out, 32, "%.0f", x);
		return;
	}
	/* The shortest precision that reads back to the same double. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			break;
	}
}

void fa_buf_put_double(fa_buf *b, double x)
{
	char tmp[40];

	fa_format_double(tmp, x);
	fa_buf_puts(b, tmp);
}

void fa_buf_clear(fa_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void fa_buf_free(fa_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

char *fa_buf_detach(fa_buf *b)
{
	char *p = b->ptr ? b->ptr : fa_xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

int fa_read_file(const char *path, const char *what, int stdin_ok, char **out, size_t *len,
		 fa_error *err)
{
	int std = stdin_ok && strcmp(path, "-") == 0;
	FILE *f = std ? stdin : fopen(path, "rb");
	fa_buf b = FA_BUF_INIT;
	char chunk[65536];
	size_t n;
	int bad;

	*out = NULL;
	*len = 0;
	if (!f)
		return what ? fa_error_set(err, FA_EIO, path, 0, 0, "cannot open %s: %s", what,
					   strerror(errno))
			    : fa_error_set(err, FA_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fa_buf_put(&b, chunk, n);
	bad = ferror(f);
	if (!std)
		fclose(f);
	if (bad) {
		fa_buf_free(&b);
		return what ? fa_error_set(err, FA_EIO, path, 0, 0, "cannot read %s", what)
			    : fa_error_set(err, FA_EIO, path, 0, 0, "read failed");
	}
	*len = b.len;
	*out = b.ptr ? fa_buf_detach(&b) : fa_xstrdup("");
	return 0;
}
