/* temporary stubs: replaced by gates.c */
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include <stdio.h>
#include <math.h>
#include "fairaudit/gates.h"
int fa_gate_parse(fa_gate **out, const char *expr, fa_error *err) { (void)out; return fa_error_set(err, FA_EUSAGE, NULL,0,0,"nyi %s", expr); }
void fa_gate_free(fa_gate *g) { (void)g; }
int fa_policy_read(fa_gate ***gates, size_t *ngates, fa_gate_mode *mode, int *mode_set, const char *path, fa_error *err) { (void)gates;(void)ngates;(void)mode;(void)mode_set; return fa_error_set(err, FA_EUSAGE, path,0,0,"nyi"); }
int fa_gates_evaluate(fa_result *r, fa_gate *const *gates, size_t ngates, fa_gate_mode mode, fa_error *err) { (void)r;(void)gates;(void)ngates;(void)mode;(void)err; return 0; }
int fa_gate_mode_find(const char *name) { (void)name; return 0; }
