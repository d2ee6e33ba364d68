/*
 * fuzz_gate.c: fuzz target for the gate-expression parser.
 *
 * The input is the expression, as given to --gate. fa_gate_parse() must
 * turn it into a gate or a one-line error that names a column of the
 * expression. A gate that parses is then evaluated in every mode on two
 * saved reports (tests/fuzz/data/: gate_result.json, sex and race with
 * insufficient groups, an operating point spec=0.9 and bootstrap
 * intervals; gate_models.json, two models "base" and "cand" whose
 * differences have paired intervals), and each check must agree with its
 * value, its interval and the gate's operator and limit.
 */
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include "fuzz_util.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>

#ifndef FA_FUZZ_DATA
#define FA_FUZZ_DATA "tests/fuzz/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fa_result *load_result(const char *path)
{
	FILE *f = fopen(path, "rb");
	fa_buf b = FA_BUF_INIT;
	fa_result *r = NULL;
	fa_error err;
	char chunk[65536];
	size_t n;

	if (!f) {
		perror(path);
		abort();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fa_buf_put(&b, chunk, n);
	fclose(f);
	if (fa_result_read_json(&r, b.ptr, b.len, path, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		abort();
	}
	fa_buf_free(&b);
	return r;
}

static int complies(const char *op, double x, double limit)
{
	if (strcmp(op, "<=") == 0)
		return x <= limit;
	if (strcmp(op, "<") == 0)
		return x < limit;
	if (strcmp(op, ">=") == 0)
		return x >= limit;
	CHECK(strcmp(op, ">") == 0);
	return x > limit;
}

/* The gate result of one evaluation in `mode`. */
static void check_evaluation(const fa_result *r, const char *expr, fa_gate_mode mode)
{
	const fa_gate_result *g = &r->gates[0];
	int any_fail = 0, any_inc = 0;
	size_t i;

	CHECK(r->ngates == 1);
	CHECK(strcmp(g->expr, expr) == 0);
	CHECK(isfinite(g->limit));
	CHECK(strcmp(r->settings.gate_on, fa_gate_mode_name(mode)) == 0);
	for (i = 0; i < g->nchecks; i++) {
		const fa_gate_check *k = &g->checks[i];
		const fa_estimate *e = &k->value;
		CHECK(k->where != NULL && fz_no_controls(k->where));
		CHECK(!k->note || fz_no_controls(k->note));
		/* a check is inconclusive exactly when a note says why */
		CHECK((k->outcome == FA_GATE_INCONCLUSIVE) == (k->note != NULL));
		any_fail |= k->outcome == FA_GATE_FAIL;
		any_inc |= k->outcome == FA_GATE_INCONCLUSIVE;
		if (k->outcome == FA_GATE_INCONCLUSIVE)
			continue;
		CHECK(!isnan(e->value));
		if (mode == FA_GATE_ON_POINT) {
			CHECK(complies(g->op, e->value, g->limit) == (k->outcome == FA_GATE_PASS));
		} else {
			double lo = e->has_ci ? e->ci_low : e->aci_low;
			double hi = e->has_ci ? e->ci_high : e->aci_high;
			int lo_ok, hi_ok;
			CHECK(e->has_ci || e->has_aci);
			lo_ok = complies(g->op, lo, g->limit);
			hi_ok = complies(g->op, hi, g->limit);
			/* ci-violation fails only when the whole interval
			 * violates; ci-compliance passes only when all of it
			 * complies */
			if (mode == FA_GATE_ON_CI_VIOLATION)
				CHECK((k->outcome == FA_GATE_FAIL) == (!lo_ok && !hi_ok));
			else
				CHECK((k->outcome == FA_GATE_PASS) == (lo_ok && hi_ok));
		}
	}
	CHECK(g->outcome == (any_fail ? FA_GATE_FAIL
			     : any_inc || g->nchecks == 0 ? FA_GATE_INCONCLUSIVE
							    : FA_GATE_PASS));
	CHECK(r->verdict == g->outcome);
}

/* A parse error: "gate "EXPR": column C: ..." with C within the text. */
static void check_parse_error(int rc, const fa_error *err, const char *expr)
{
	const char *at;
	unsigned long col, chars = 0;
	size_t i;

	fz_check_error(rc, err);
	CHECK(rc == FA_EUSAGE);
	CHECK(strncmp(err->message, "gate \"", 6) == 0);
	/* past the quoted expression, in which \ escapes the next byte */
	for (at = err->message + 6; *at && *at != '"'; at++)
		if (*at == '\\' && at[1])
			at++;
	CHECK(strncmp(at, "\": column ", 10) == 0);
	col = strtoul(at + 10, NULL, 10);
	for (i = 0; expr[i]; i++)
		if (((unsigned char)expr[i] & 0xC0) != 0x80)
			chars++;
	CHECK(col >= 1 && col <= chars + 1);
	/* a message cut at the size of the record may end inside a
	 * character; one that fits must be as valid as the expression */
	if (fz_utf8(expr, strlen(expr)) && strlen(err->message) + 1 < sizeof(err->message))
		CHECK(fz_utf8(err->message, strlen(err->message)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static fa_result *results[2];
	fa_gate *g = NULL;
	fa_error err;
	char *expr;
	int rc, m, k;

	if (!results[0]) {
		gsl_set_error_handler_off();
		results[0] = load_result(FA_FUZZ_DATA "/gate_result.json");
		results[1] = load_result(FA_FUZZ_DATA "/gate_models.json");
	}
	expr = fz_string(data, size);
	fa_error_clear(&err);
	rc = fa_gate_parse(&g, expr, &err);
	if (rc < 0) {
		CHECK(g == NULL);
		check_parse_error(rc, &err, expr);
		free(expr);
		return 0;
	}
	CHECK(rc == 0 && g != NULL);
	for (k = 0; k < 2; k++) {
		fa_result *r = results[k];
		for (m = 0; m < 3; m++) {
			size_t before = r->ngates;
			fa_error_clear(&err);
			rc = fa_gates_evaluate(r, &g, 1, (fa_gate_mode)m, &err);
			if (rc == 0) {
				check_evaluation(r, expr, (fa_gate_mode)m);
			} else {
				/* an operating point, attribute, group or model
				 * the result lacks: the same for every mode, and
				 * r is unchanged */
				fz_check_error(rc, &err);
				CHECK(rc == FA_EUSAGE);
				CHECK(r->ngates == before);
				CHECK(m == 0);
				break;
			}
		}
	}
	fa_gate_free(g);
	free(expr);
	return 0;
}
