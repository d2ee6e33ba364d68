/*
 * fuzz_report.c: fuzz target for the JSON report reader.
 *
 * The input is a saved report, as given to `fairaudit check` and
 * `fairaudit compare`. fa_result_read_json() must turn it into a result or
 * a one-line error naming the file. A result it accepts then goes where
 * those commands take it: gates are evaluated on it (gates over every
 * attribute, and gates naming its first attribute, group and operating
 * point), it is written in every format and compared with itself, and its
 * JSON report must read back and write again to the same bytes.
 */
#include "fairaudit/compare.h"
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include "fuzz_util.h"

#include <gsl/gsl_errno.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Gates every result accepts: they name no attribute, group or view. */
static const char *const any_gates[] = {
	"tpr_gap<=0.1",      "auc_diff>=-0.05",   "fpr_ratio>=0.8",  "ppv_min>=0.2",
	"brier_max<=0.3",    "worst_group_auc>=0.7", "equalized_odds_diff<0.2",
	"leakage_positives<=0.6", "tnr>0.5",       "overall.auc>=0.8"};
#define NANY (sizeof(any_gates) / sizeof(any_gates[0]))

static void add_gate(fa_gate **gates, size_t *n, const char *expr)
{
	if (fa_gate_parse(&gates[*n], expr, NULL) == 0)
		++*n;
}

static void evaluate(fa_result *r, fa_gate_mode mode)
{
	fa_gate *gates[NANY + 4];
	char expr[1024];
	size_t n = 0, i, j;
	fa_error err;
	int rc;

	for (i = 0; i < NANY; i++)
		add_gate(gates, &n, any_gates[i]);
	CHECK(n == NANY);
	rc = fa_gates_evaluate(r, gates, n, mode, &err);
	CHECK(rc == 0);
	CHECK(r->ngates == NANY);
	for (i = 0; i < r->ngates; i++)
		for (j = 0; j < r->gates[i].nchecks; j++)
			CHECK((r->gates[i].checks[j].outcome == FA_GATE_INCONCLUSIVE) ==
			      (r->gates[i].checks[j].note != NULL));
	/* gates naming parts of this result, when its names allow them */
	if (r->nattrs) {
		const fa_attr_result *a = &r->attrs[0];
		snprintf(expr, sizeof(expr), "%s:tpr_gap<=0.1", a->name);
		add_gate(gates, &n, expr);
		if (a->ngroups) {
			snprintf(expr, sizeof(expr), "%s=%s:auc_diff>=-0.05", a->name,
				 a->groups[a->ngroups - 1].value);
			add_gate(gates, &n, expr);
		}
	}
	if (r->nviews && r->views[0].name) {
		snprintf(expr, sizeof(expr), "%s:tpr_gap<=0.1", r->views[0].name);
		add_gate(gates, &n, expr);
		snprintf(expr, sizeof(expr), "%s:overall.tpr>=0.5", r->views[0].name);
		add_gate(gates, &n, expr);
	}
	if (n > NANY) {
		fa_error_clear(&err);
		rc = fa_gates_evaluate(r, gates + NANY, n - NANY, mode, &err);
		if (rc < 0) {
			/* names the gate could not find again, e.g. with spaces
			 * a gate trims */
			fz_check_error(rc, &err);
			CHECK(rc == FA_EUSAGE && r->ngates == NANY);
		} else {
			CHECK(r->ngates == n - NANY);
		}
	}
	for (i = 0; i < n; i++)
		fa_gate_free(gates[i]);
}

static void write_all(const fa_result *r)
{
	fa_buf b = FA_BUF_INIT;
	fa_error err;
	int f;

	for (f = FA_REPORT_MARKDOWN; f <= FA_REPORT_JSONL; f++) {
		fa_buf_clear(&b);
		CHECK(fa_report_write(&b, r, (fa_report_format)f, &err) == 0);
		CHECK(b.len > 0 && strlen(b.ptr) == b.len);
	}
	fa_buf_free(&b);
}

static void compare_self(const fa_result *a, const fa_result *b)
{
	fa_compare_options o = FA_COMPARE_OPTIONS_INIT;
	fa_comparison *c = NULL;
	fa_buf out = FA_BUF_INIT;
	fa_error err;

	o.baseline_name = "a.json";
	o.candidate_name = "b.json";
	o.flags = FA_COMPARE_ALLOW_DIFFERENT_DATA;
	CHECK(fa_compare_run(&c, a, b, &o, &err) == 0);
	CHECK(fa_compare_write(&out, c, FA_REPORT_MARKDOWN, &err) == 0);
	fa_buf_clear(&out);
	CHECK(fa_compare_write(&out, c, FA_REPORT_JSON, &err) == 0);
	fa_buf_free(&out);
	fa_compare_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	fa_result *r = NULL, *again = NULL;
	fa_buf one = FA_BUF_INIT, two = FA_BUF_INIT;
	fa_error err;
	int rc;

	if (!ready) {
		gsl_set_error_handler_off();
		ready = 1;
	}
	fa_error_clear(&err);
	/* the text is not NUL-terminated: the reader must keep to `size` */
	rc = fa_result_read_json(&r, (const char *)data, size, "in.json", &err);
	if (rc < 0) {
		CHECK(r == NULL);
		fz_check_error(rc, &err);
		CHECK(rc == FA_EINPUT);
		CHECK(strcmp(err.path, "in.json") == 0);
		return 0;
	}
	CHECK(rc == 0 && r != NULL);
	evaluate(r, (fa_gate_mode)(size % 3));
	write_all(r);

	/* what was accepted is written so that it reads back the same */
	CHECK(fa_report_json(&one, r) == 0);
	fa_error_clear(&err);
	rc = fa_result_read_json(&again, one.ptr, one.len, "again.json", &err);
	if (rc < 0) {
		fprintf(stderr, "the report written does not read back: %s:%lu:%lu: %s\n", err.path,
			err.line, err.column, err.message);
		abort();
	}
	CHECK(fa_report_json(&two, again) == 0);
	CHECK(one.len == two.len && memcmp(one.ptr, two.ptr, one.len) == 0);
	compare_self(r, again);

	fa_buf_free(&one);
	fa_buf_free(&two);
	fa_result_free(again);
	fa_result_free(r);
	return 0;
}
