/* error.c: the fa_error record and its one-line, compiler-style format. */
#include "fairaudit/common.h"

#include <stdio.h>
#include <string.h>

int fa_error_set(fa_error *err, int code, const char *path, unsigned long line,
		 unsigned long column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->line = line;
	err->column = column;
	err->path[0] = '\0';
	if (path)
		snprintf(err->path, sizeof(err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void fa_error_clear(fa_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

size_t fa_error_format(const fa_error *err, char *buf, size_t size)
{
	int n;

	if (err->path[0] && err->line && err->column)
		n = snprintf(buf, size, "%s:%lu:%lu: error: %s", err->path, err->line,
			     err->column, err->message);
	else if (err->path[0] && err->line)
		n = snprintf(buf, size, "%s:%lu: error: %s", err->path, err->line,
			     err->message);
	else if (err->path[0])
		n = snprintf(buf, size, "%s: error: %s", err->path, err->message);
	else
		n = snprintf(buf, size, "error: %s", err->message);
	return n < 0 ? 0 : (size_t)n;
}
