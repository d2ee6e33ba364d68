/* suggest.h: "did you mean" for misspelt names (columns, gate quantities,
 * attributes, option keys). */
#ifndef FA_SUGGEST_H
#define FA_SUGGEST_H

#include <stddef.h>

/* Edit distance ignoring ASCII case: insertions, deletions, substitutions
 * and swaps of two neighbours ("scroe" -> "score") each cost one.
 * (size_t)-1 when either word is longer than 200 bytes. */
size_t fa_edit_distance(const char *a, const char *b);

/* Whether a name at distance d from `want` is close enough to offer:
 * about one edit in three, and never a replacement of the whole word. */
int fa_suggest_close(size_t d, const char *want);

#endif
