/*
 * gates.h: release gates. A gate is a condition on a result, such as
 * "race:tpr_gap<=0.10", or on one of its operating points, such as
 * "spec=0.9:race:tpr_gap<=0.10"; evaluating gates fills r->gates and
 * r->verdict. The expression language, the outcomes and the modes are
 * documented in docs/gates.md.
 */
#ifndef FAIRAUDIT_GATES_H
#define FAIRAUDIT_GATES_H

#include "fairaudit/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ## Modes
 *
 * What a check judges. Every mode compares with the gate's own operator,
 * so `<=` and `>=` accept a value equal to the limit and `<` and `>` do
 * not. In the interval modes a value without an interval is inconclusive.
 */
typedef enum fa_gate_mode {
	FA_GATE_ON_POINT = 0,     /* judge the point estimate */
	FA_GATE_ON_CI_VIOLATION,  /* judge the interval end most favourable to
				   * the gate: fail only when the whole
				   * interval violates */
	FA_GATE_ON_CI_COMPLIANCE  /* judge the end least favourable: pass only
				   * when the whole interval complies */
} fa_gate_mode;

/** The mode's name: "point", "ci-violation" or "ci-compliance". */
const char *fa_gate_mode_name(fa_gate_mode m);
/** The mode called `name` ("point", "ci-violation", "ci-compliance"), or -1. */
int fa_gate_mode_find(const char *name);
/** "pass", "fail" or "inconclusive". */
const char *fa_gate_outcome_name(fa_gate_outcome o);

/** ## Gates */

typedef struct fa_gate fa_gate;

/** Parse `expr` into a new gate (free with fa_gate_free). The forms are
 * "ATTRIBUTE:QUANTITY OP NUMBER", "ATTRIBUTE=GROUP:QUANTITY OP NUMBER",
 * "QUANTITY OP NUMBER" (every audited attribute) and
 * "overall.METRIC OP NUMBER", with OP one of <=, <, >=, >, each optionally
 * after an operating point "spec=X:", "sens=X:" or "threshold=X:". The
 * quantities include the per-group leakage_negatives and
 * leakage_positives (not for the whole population, nor at an operating
 * point). Whether the operating point, attribute and group exist is
 * checked by fa_gates_evaluate(). Fails with FA_EUSAGE and a message that
 * gives the column and says what is valid when the expression does not
 * parse, names an unknown quantity or one the scope does not have, or its
 * NUMBER is not a finite number; `*out` is then NULL. */
int fa_gate_parse(fa_gate **out, const char *expr, fa_error *err);
/** Free a gate; NULL is allowed. */
void fa_gate_free(fa_gate *g);

/** Read a policy file: {"gates": ["expr", ...], "gate_on": "MODE"}, both
 * keys optional. Appends the parsed gates to *gates (an array of *ngates,
 * grown with fa_xrealloc; the caller frees it and the gates). When the file
 * sets "gate_on" and *mode_set is 0, sets *mode and *mode_set = 1; a mode
 * set earlier (*mode_set != 0) is left alone. On error nothing is appended
 * or set: FA_EIO when the file cannot be read, FA_EUSAGE for invalid JSON
 * (with line and column), an unknown or repeated key, or a gate that does
 * not parse ("gates[i]: ..."), `err->path` naming the file. */
int fa_policy_read(fa_gate ***gates, size_t *ngates, fa_gate_mode *mode, int *mode_set,
		   const char *path, fa_error *err);

/** Evaluate the gates on `r` in `mode`: replaces r->gates (one
 * fa_gate_result per gate, in order, each with one check per attribute or
 * group it concerns), sets r->verdict (fail if a gate failed, else
 * inconclusive if one was, else pass; pass when ngates is 0) and
 * r->settings.gate_on. A gate with an operating point is judged on the
 * fa_view of that name, or else of the same kind and numerically equal
 * target ("spec=0.90" is "spec=0.9"), and its checks are named after the
 * view ("spec=0.9:race:tpr_gap"). Fails with FA_EUSAGE, leaving `r`
 * unchanged, when a gate names an operating point `r` does not have (the
 * message lists those it has), an attribute that was not audited or a
 * group the attribute does not have. */
int fa_gates_evaluate(fa_result *r, fa_gate *const *gates, size_t ngates,
		      fa_gate_mode mode, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
