/*
 * fuzz_util.h: checks shared by the fuzz targets. A failed check aborts,
 * which libFuzzer reports as a crash with the input that caused it.
 */
#ifndef FA_FUZZ_UTIL_H
#define FA_FUZZ_UTIL_H

#include "fairaudit/common.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                \
			abort();                                              \
		}                                                             \
	} while (0)

/* Whether `s` (n bytes) is valid UTF-8: shortest forms, no surrogates. */
static inline int fz_utf8(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, j;

	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!k || c > 0xF4 || i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += k;
	}
	return 1;
}

/* Whether `s` holds no control character: a message stays on one line
 * and cannot move the terminal's cursor. */
static inline int fz_no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* The checks every error message passes: a status, and one line of text
 * that is not empty. */
static inline void fz_check_error(int rc, const fa_error *err)
{
	CHECK(rc < 0);
	CHECK(err->code == rc);
	CHECK(err->message[0] != '\0');
	CHECK(fz_no_controls(err->message));
	CHECK(fz_no_controls(err->path));
}

/* A NUL-terminated copy of the input. */
static inline char *fz_string(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);
	CHECK(s != NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
