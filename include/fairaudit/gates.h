/*
 * gates.h: release gates. A gate is a condition on a result, such as
 * "race:tpr_gap<=0.10"; evaluating gates fills r->gates and r->verdict.
 */
#ifndef FAIRAUDIT_GATES_H
#define FAIRAUDIT_GATES_H

#include "fairaudit/result.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fa_gate_mode {
	FA_GATE_ON_POINT = 0,     /* judge the point estimate */
	FA_GATE_ON_CI_VIOLATION,  /* fail only when the whole interval violates */
	FA_GATE_ON_CI_COMPLIANCE  /* pass only when the whole interval complies */
} fa_gate_mode;

const char *fa_gate_mode_name(fa_gate_mode m);
/** The mode called `name` ("point", "ci-violation", "ci-compliance"), or -1. */
int fa_gate_mode_find(const char *name);
const char *fa_gate_outcome_name(fa_gate_outcome o);

typedef struct fa_gate fa_gate;

/** Parse "[ATTRIBUTE:]METRIC OP NUMBER" (or "overall.METRIC OP NUMBER")
 * into a new gate (free with fa_gate_free). FA_EUSAGE with a message that
 * says what is valid when it does not parse or names an unknown metric. */
int fa_gate_parse(fa_gate **out, const char *expr, fa_error *err);
void fa_gate_free(fa_gate *g);

/** Read a policy file: {"gates": ["expr", ...], "gate_on": "...", ...}.
 * Appends parsed gates to *gates (a growing array of *ngates). */
int fa_policy_read(fa_gate ***gates, size_t *ngates, fa_gate_mode *mode, int *mode_set,
		   const char *path, fa_error *err);

/** Evaluate the gates on `r`, replacing r->gates and setting r->verdict.
 * FA_EUSAGE when a gate names an attribute that was not audited. */
int fa_gates_evaluate(fa_result *r, fa_gate *const *gates, size_t ngates,
		      fa_gate_mode mode, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
