/*
 * cmd_power.c: `fairaudit power`, the planning question. With --gap it
 * prints the cases each group needs to detect that gap; with counts
 * (--n-pos, --n-neg, --n) the smallest gap those counts can detect. The
 * statistics and the table are power.h's; this file parses options.
 */
#include "options.h"

#include "fairaudit/power.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { POWER_EXIT_OK = 0, POWER_EXIT_USAGE = 2 };

void cmd_power_usage(FILE *f)
{
	fputs(
"Usage: fairaudit power --metric M --gap G [OPTIONS]\n"
"       fairaudit power --metric M --n-pos N1,N2,... [OPTIONS]\n"
"\n"
"Plan or judge the size of a subgroup audit. With --gap: the cases each\n"
"group needs to detect a gap of G from the reference group. With counts:\n"
"the smallest gap each group can detect, the first count being the\n"
"reference group's. Gaps are in the harmful direction (a lower tpr, tnr,\n"
"ppv, npv, accuracy or auc; a higher fpr or fnr).\n"
"\n"
"  --metric M          tpr (default), fnr, tnr, fpr, ppv, npv, accuracy, auc\n"
"  --gap G             the gap to detect\n"
"  --p0 X              the reference group's value (default 0.8 for tpr and\n"
"                      tnr; required for the other rates)\n"
"  --auc0 X            the reference group's AUC (required for auc)\n"
"  --power X           power to reach (default: 0.8)\n"
"  --alpha X           two-sided significance level (default: 0.05)\n"
"  --ratio K           the reference group has K times the group's cases\n"
"                      (default: 1; with --gap)\n"
"  --kappa K           auc: negatives per positive (default: 1; with --gap)\n"
"  --prevalence P      auc: the same as --kappa (1-P)/P\n"
"  --n-pos LIST        positives per group, reference first (tpr, fnr, auc)\n"
"  --n-neg LIST        negatives per group, reference first (tnr, fpr, auc)\n"
"  --n LIST            the metric's denominator per group (ppv: positive\n"
"                      decisions, npv: negative decisions, accuracy: records)\n"
"  --json              one JSON object instead of the table\n"
"  -h, --help          this help\n"
"\n"
"Methods (docs/clinical.md): rates by the normal approximation for two\n"
"independent proportions (R's power.prop.test when the sizes are equal);\n"
"auc by Obuchowski's binormal variance (pROC's power.roc.test).\n"
"\n"
"Exit status: 0 done, 2 usage error.\n",
	      f);
}

enum {
	OPT_METRIC = 256, OPT_GAP, OPT_P0, OPT_AUC0, OPT_POWER, OPT_ALPHA, OPT_RATIO,
	OPT_KAPPA, OPT_PREVALENCE, OPT_NPOS, OPT_NNEG, OPT_N, OPT_JSON
};

static const struct option power_opts[] = {
	{"metric", required_argument, NULL, OPT_METRIC},
	{"gap", required_argument, NULL, OPT_GAP},
	{"p0", required_argument, NULL, OPT_P0},
	{"auc0", required_argument, NULL, OPT_AUC0},
	{"power", required_argument, NULL, OPT_POWER},
	{"alpha", required_argument, NULL, OPT_ALPHA},
	{"ratio", required_argument, NULL, OPT_RATIO},
	{"kappa", required_argument, NULL, OPT_KAPPA},
	{"prevalence", required_argument, NULL, OPT_PREVALENCE},
	{"n-pos", required_argument, NULL, OPT_NPOS},
	{"n-neg", required_argument, NULL, OPT_NNEG},
	{"n", required_argument, NULL, OPT_N},
	{"json", no_argument, NULL, OPT_JSON},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static const char *opt_name(int c)
{
	size_t i;
	for (i = 0; power_opts[i].name; i++)
		if (power_opts[i].val == c)
			return power_opts[i].name;
	return "?";
}

static int parse_number(double *out, int opt, const char *s, fa_error *err)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	if (!*s || *end || errno == ERANGE || !isfinite(*out))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--%s: expected a number, got \"%s\"",
				    opt_name(opt), s);
	return 0;
}

/* "120,35,..." into a new array of counts. */
static int parse_counts(size_t **out, size_t *n, int opt, const char *s, fa_error *err)
{
	const char *p = s;
	size_t k = 0;

	free(*out);
	*out = NULL;
	*n = 0;
	for (;;) {
		char *end;
		unsigned long long v;
		errno = 0;
		if (*p < '0' || *p > '9')
			goto bad;
		v = strtoull(p, &end, 10);
		if (errno == ERANGE || (*end != ',' && *end != '\0'))
			goto bad;
		*out = fa_xrealloc(*out, (k + 1) * sizeof(**out));
		(*out)[k++] = (size_t)v;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*n = k;
	return 0;
bad:
	free(*out);
	*out = NULL;
	return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
			    "--%s: expected whole numbers separated by commas, got \"%s\"",
			    opt_name(opt), s);
}

typedef struct power_args {
	fa_power_plan_options o;
	int metric_set, json, have_gap, have_p0, have_auc0, have_ratio, have_kappa, have_prev;
	double prevalence;
	size_t *npos, *nneg, *nall;
	size_t nnpos, nnneg, nnall;
} power_args;

/* The counts list that `metric` takes, checked against what was given. */
static int pick_counts(power_args *a, fa_error *err)
{
	fa_metric m = a->o.metric;
	const char *name = fa_metric_name(m);
	int pos = m == FA_M_TPR || m == FA_M_FNR || m == FA_M_AUC;
	int neg = m == FA_M_TNR || m == FA_M_FPR || m == FA_M_AUC;
	int all = !pos && !neg;

	if ((a->npos && !pos) || (a->nneg && !neg) || (a->nall && !all))
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--metric %s takes its counts from %s", name,
				    m == FA_M_AUC ? "--n-pos and --n-neg"
				    : pos        ? "--n-pos"
				    : neg        ? "--n-neg"
						 : "--n");
	if (m == FA_M_AUC) {
		if (!a->npos || !a->nneg)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--metric auc needs both --n-pos and --n-neg");
		if (a->nnpos != a->nnneg)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--n-pos has %zu counts but --n-neg has %zu", a->nnpos,
					    a->nnneg);
	}
	a->o.counts = pos ? a->npos : neg ? a->nneg : a->nall;
	a->o.ncounts = pos ? a->nnpos : neg ? a->nnneg : a->nnall;
	a->o.counts_neg = m == FA_M_AUC ? a->nneg : NULL;
	return 0;
}

static int parse_power(power_args *a, int argc, char **argv, int *help, fa_error *err)
{
	int c, m, rc = 0;
	double x;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", power_opts, NULL)) != -1) {
		switch (c) {
		case OPT_METRIC:
			m = fa_metric_find(optarg);
			if (m < 0)
				return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						    "--metric: unknown metric \"%s\"; use tpr, fnr, tnr, fpr, ppv, npv, accuracy or auc",
						    optarg);
			a->o.metric = (fa_metric)m;
			a->metric_set = 1;
			break;
		case OPT_GAP:
			rc = parse_number(&a->o.gap, c, optarg, err);
			a->have_gap = 1;
			break;
		case OPT_P0:
			rc = parse_number(&a->o.p0, c, optarg, err);
			a->have_p0 = 1;
			break;
		case OPT_AUC0:
			rc = parse_number(&a->o.p0, c, optarg, err);
			a->have_auc0 = 1;
			break;
		case OPT_POWER: rc = parse_number(&a->o.power, c, optarg, err); break;
		case OPT_ALPHA: rc = parse_number(&a->o.alpha, c, optarg, err); break;
		case OPT_RATIO:
			rc = parse_number(&a->o.ratio, c, optarg, err);
			a->have_ratio = 1;
			break;
		case OPT_KAPPA:
			rc = parse_number(&a->o.kappa, c, optarg, err);
			a->have_kappa = 1;
			break;
		case OPT_PREVALENCE:
			rc = parse_number(&x, c, optarg, err);
			if (rc == 0 && !(x > 0 && x < 1))
				rc = fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
						  "--prevalence must be between 0 and 1, got %g", x);
			a->prevalence = x;
			a->have_prev = 1;
			break;
		case OPT_NPOS: rc = parse_counts(&a->npos, &a->nnpos, c, optarg, err); break;
		case OPT_NNEG: rc = parse_counts(&a->nneg, &a->nnneg, c, optarg, err); break;
		case OPT_N: rc = parse_counts(&a->nall, &a->nnall, c, optarg, err); break;
		case OPT_JSON: a->json = 1; break;
		case 'h': *help = 1; return 0;
		case ':':
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "%s needs a value",
					    argv[optind - 1]);
		default:
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "unknown option \"%s\"",
					    argv[optind - 1]);
		}
		if (rc < 0)
			return rc;
	}
	if (optind < argc)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "unexpected argument \"%s\"",
				    argv[optind]);
	if (a->have_auc0 && a->o.metric != FA_M_AUC)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--auc0 is for --metric auc; give the reference's %s with --p0",
				    fa_metric_name(a->o.metric));
	if (a->have_p0 && a->o.metric == FA_M_AUC)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--metric auc takes the reference's AUC with --auc0");
	if (a->have_kappa && a->have_prev)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "give --kappa or --prevalence, not both");
	if ((a->have_kappa || a->have_prev) && a->o.metric != FA_M_AUC)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0, "--%s is for --metric auc",
				    a->have_kappa ? "kappa" : "prevalence");
	if (a->have_prev)
		a->o.kappa = (1 - a->prevalence) / a->prevalence;
	if (a->npos || a->nneg || a->nall) {
		if (a->have_gap)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "give --gap (cases needed) or counts (detectable gap), not both");
		if (a->have_ratio || a->have_kappa || a->have_prev)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--%s is for --gap; with counts the sizes are given",
					    a->have_ratio ? "ratio" : a->have_kappa ? "kappa" : "prevalence");
		a->o.mode = FA_POWER_DETECTABLE;
		return pick_counts(a, err);
	}
	if (!a->have_gap)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "give --gap to find the cases needed, or counts (--n-pos, --n-neg, --n) to find the detectable gap");
	a->o.mode = FA_POWER_SAMPLE_SIZE;
	return 0;
}

int cmd_power(int argc, char **argv)
{
	power_args a;
	fa_power_plan *plan = NULL;
	fa_buf b = FA_BUF_INIT;
	fa_error err;
	int help = 0, code = POWER_EXIT_USAGE;
	fa_power_plan_options init = FA_POWER_PLAN_OPTIONS_INIT;

	memset(&a, 0, sizeof(a));
	a.o = init;
	fa_error_clear(&err);
	if (parse_power(&a, argc, argv, &help, &err) < 0)
		goto fail;
	if (help) {
		cmd_power_usage(stdout);
		code = POWER_EXIT_OK;
		goto flush;
	}
	if (fa_power_plan_run(&plan, &a.o, &err) < 0)
		goto fail;
	if (a.json)
		fa_power_plan_write_json(&b, plan);
	else
		fa_power_plan_write_text(&b, plan);
	if (b.len && fwrite(b.ptr, 1, b.len, stdout) != b.len) {
		fprintf(stderr, "fairaudit: error: cannot write to standard output\n");
		goto done;
	}
	code = POWER_EXIT_OK;
flush:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fairaudit: error: cannot write to standard output\n");
		code = POWER_EXIT_USAGE;
	}
	goto done;
fail: {
	char line[2048];
	fa_error_format(&err, line, sizeof(line));
	fprintf(stderr, "fairaudit: %s\n", line);
}
done:
	fa_power_plan_free(plan);
	fa_buf_free(&b);
	free(a.npos);
	free(a.nneg);
	free(a.nall);
	return code;
}
