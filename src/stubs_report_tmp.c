/* temporary stubs: replaced by report_md.c, report_json.c, report_csv.c */
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include <stdio.h>
#include <math.h>
int fa_report_markdown(fa_buf *out, const fa_result *r) { size_t a,g; int m;
 for (a=0;a<r->nattrs;a++) for (g=0;g<r->attrs[a].ngroups;g++){ const fa_group_result *G=&r->attrs[a].groups[g];
  fa_buf_printf(out,"%s=%s n=%zu pos=%zu tp=%zu fp=%zu", r->attrs[a].name, G->value, G->n, G->n_pos, G->tp, G->fp);
  for (m=0;m<FA_M__COUNT;m++){ fa_buf_printf(out," %s=%.17g",fa_metric_name((fa_metric)m),G->metrics[m].value); if (G->metrics[m].has_ci) fa_buf_printf(out,"[%.4g,%.4g]",G->metrics[m].ci_low,G->metrics[m].ci_high);}
  fa_buf_puts(out,"\n");}
 return 0; }
int fa_report_json(fa_buf *out, const fa_result *r) { (void)out; (void)r; return 0; }
int fa_report_csv(fa_buf *out, const fa_result *r) { (void)out; (void)r; return 0; }
int fa_result_read_json(fa_result **out, const char *text, size_t len, const char *path, fa_error *err) { (void)out;(void)text;(void)len; return fa_error_set(err, FA_EINPUT, path,0,0,"nyi"); }
