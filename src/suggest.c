/* suggest.c: the edit distance behind every "did you mean". */
#include "fairaudit/common.h"

#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t fa_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, r, w = lb + 1;
	size_t *d;

	if (la > 200 || lb > 200)
		return (size_t)-1;
	d = fa_xmalloc((la + 1) * w * sizeof(*d));
	for (i = 0; i <= la; i++)
		d[i * w] = i;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int ai = lower((unsigned char)a[i - 1]), bj = lower((unsigned char)b[j - 1]);
			size_t best = d[(i - 1) * w + j - 1] + (ai != bj);
			if (d[(i - 1) * w + j] + 1 < best)
				best = d[(i - 1) * w + j] + 1;
			if (d[i * w + j - 1] + 1 < best)
				best = d[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && ai == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == bj && d[(i - 2) * w + j - 2] + 1 < best)
				best = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = best;
		}
	}
	r = d[la * w + lb];
	free(d);
	return r;
}

int fa_suggest_close(size_t d, const char *want)
{
	size_t n = strlen(want);
	return d <= n / 3 + 1 && d < n;
}
