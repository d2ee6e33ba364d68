/* temporary stub: replaced by report_html.c */
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include <stdio.h>
#include <math.h>
int fa_report_html(fa_buf *out, const fa_result *r) { (void)out; (void)r; return 0; }
