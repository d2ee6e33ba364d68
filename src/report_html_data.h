/*
 * report_html_data.h: the HTML report with curve data given beside the
 * result, overriding each group's own `curves` (result.h); for tests.
 */
#ifndef FA_REPORT_HTML_DATA_H
#define FA_REPORT_HTML_DATA_H

#include "fairaudit/result.h"

/* Curves for a whole result: attrs[a][g] belongs to r->attrs[a].groups[g].
 * attrs, or any attrs[a], may be NULL when there are none. */
typedef struct fa_html_curves {
	const fa_group_curves *const *attrs;
	size_t nattrs;
} fa_html_curves;

/* fa_report_html() with curve data; `c` may be NULL. */
int fa_report_html_curves(fa_buf *out, const fa_result *r, const fa_html_curves *c);

#endif
