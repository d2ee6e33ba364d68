/* options.c: getopt_long parsing of `fairaudit audit`. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cli_usage_audit(FILE *f)
{
	fputs(
"Usage: fairaudit audit [OPTIONS] FILE...\n"
"\n"
"Audit model predictions for subgroup disparities. FILE is CSV, TSV, JSON\n"
"(an array of flat objects) or JSON Lines, optionally gzip-compressed;\n"
"\"-\" reads standard input. Several files are read as one data set.\n"
"\n"
"Columns:\n"
"  --label COL            true label column (default: label)\n"
"  --score COL            model score column (default: score)\n"
"  --model NAME=COL       a model and its score column, instead of --score;\n"
"                         repeat to audit several models of the same records\n"
"                         with paired intervals for their differences (the\n"
"                         first model is the main result; docs/models.md)\n"
"  --model NAME=FILE[:COL]  a model whose scores are in a file of its own\n"
"                         (a value with a '/' or a data extension, or\n"
"                         file:PATH; column:COL forces a column), joined to\n"
"                         FILE... by --id; its score column is COL, else\n"
"                         --score (default: score)\n"
"  --id COL               record id column of FILE... and of every model\n"
"                         file: each id once in each, in any order; with\n"
"                         the Poisson scheme, each record's bootstrap key\n"
"  --pred COL             0/1 decision column (default: score >= --threshold)\n"
"  --positive VALUE       label value meaning positive (default: 1, true, yes)\n"
"  --threshold X          decision threshold; a tie is positive (default: 0.5)\n"
"  --delimiter C          field delimiter: a character or \"tab\"\n"
"                         (default: tab for .tsv, comma otherwise)\n"
"  --on-invalid MODE      error (default) or skip: drop bad rows and count them\n"
"  --max-groups N         distinct values allowed per column (default: 1000)\n"
"  --max-line-bytes N     longest line or JSON record (default: 64 MiB)\n"
"\n"
"Groups:\n"
"  -g, --group SPEC       attribute to stratify by; A+B for an intersection\n"
"                         (repeatable)\n"
"  --bin COL=C1,C2,...    cut a numeric column into [Ci,Ci+1) intervals\n"
"  --reference ATTR=VAL   reference group of an attribute (default: largest)\n"
"  --min-n K              groups smaller than K are insufficient (default: 30)\n"
"  --suppress-below K     withhold counts and metrics of groups smaller than K\n"
"\n",
	      f);
	fputs(
"Intervals:\n"
"  --bootstrap N          bootstrap replicates; 0 turns intervals off\n"
"                         (default: 2000)\n"
"  --cluster COL          resample clusters (e.g. patient_id) within each group\n"
"                         instead of records\n"
"  --bootstrap-scheme S   stratified (default: within group x label cells) or\n"
"                         poisson (a Poisson(1) weight per record, computed\n"
"                         as a partial audit: docs/distributed.md)\n"
"  --score-bins N         with poisson: score bins of the replicates' AUC,\n"
"                         Brier score and ECE (default: 100)\n"
"  --score-digits D       with poisson: round scores to D decimals first, so\n"
"                         that fewer records have a score of their own\n"
"  --ci-level X           confidence level (default: 0.95)\n"
"  --ci-method M          both (default), bootstrap, or analytic (Wilson,\n"
"                         DeLong, Newcombe; no bootstrap)\n"
"  --bootstrap-ci M       percentile (default) or bca\n"
"  --permutations N       permutation test of every gap (default: 1000 up to\n"
"                         200000 records, off above; 0 turns it off)\n"
"  --p-adjust M           holm (default) or bh: adjustment of every p-value\n"
"  --detectable D         flag groups whose minimum detectable TPR difference\n"
"                         to the reference (80% power) exceeds D (default: 0.10)\n"
"  --power X              power for detectable differences (default: 0.8)\n"
"  --alpha X              two-sided level for them (default: 0.05)\n"
"  --population FILE      compare group shares with a population (CSV with\n"
"                         attribute,value,share)\n"
"  --operating-point P    spec=X, sens=X or threshold=X: every group at the\n"
"                         threshold reaching that target on the whole\n"
"                         population (repeatable)\n"
"  --seed N               random seed (default: 20240601)\n"
"  --threads N            worker threads (default: all cores); results do\n"
"                         not depend on it\n"
"\n",
	      f);
	fputs(
"Drift over time:\n"
"  --period COL           also audit each period of the ISO 8601 date column\n"
"                         COL on its own records (docs/drift.md)\n"
"  --every UNIT           month (default), week (ISO 8601) or quarter\n"
"  --min-period-n K       periods with fewer records are insufficient: listed,\n"
"                         not audited (default: 100)\n"
"\n",
	      f);
	/* two strings: C99 compilers need support only 4095 characters in one */
	fputs(
"Reports and gates:\n"
"  -o, --output FILE      write a report; .md, .json, .csv, .html or .jsonl\n"
"                         picks the format (repeatable; default: Markdown on\n"
"                         stdout)\n"
"  --format FMT           also write the report to stdout as md, json, csv,\n"
"                         html or jsonl (JSON Lines)\n"
"  --gate EXPR            [ATTRIBUTE:]METRIC OP NUMBER, e.g. race:tpr_gap<=0.1,\n"
"                         or on a difference of models, e.g.\n"
"                         cand-base:race:tpr_gap<=0.02 (repeatable)\n"
"  --policy FILE          a JSON file of gates and settings\n"
"  --gate-on MODE         point (default), ci-violation or ci-compliance\n"
"  --config FILE          read options from a JSON object (keys are the long\n"
"                         options, e.g. {\"group\": [\"race\"]}); the command\n"
"                         line overrides it (docs/cli.md)\n"
"  -q, --quiet            no progress on standard error\n"
"  -h, --help             this help\n"
"\n"
"Exit status: 0 all gates passed (or none), 1 a gate failed, 2 usage, input\n"
"or I/O error, 3 inconclusive (a gate could not be evaluated, none failed).\n",
	      f);
}

enum {
	OPT_LABEL = 256, OPT_SCORE, OPT_PRED, OPT_POSITIVE, OPT_THRESHOLD, OPT_DELIM,
	OPT_ON_INVALID, OPT_MAX_GROUPS, OPT_BIN, OPT_REFERENCE, OPT_MIN_N,
	OPT_SUPPRESS, OPT_BOOTSTRAP, OPT_SCHEME, OPT_CI_LEVEL, OPT_SEED, OPT_THREADS,
	OPT_GATE, OPT_POLICY, OPT_GATE_ON, OPT_CI_METHOD, OPT_BOOT_CI, OPT_PERMUTATIONS,
	OPT_P_ADJUST, OPT_OPPOINT, OPT_DETECTABLE, OPT_POWER, OPT_ALPHA, OPT_POPULATION,
	OPT_MAX_LINE, OPT_CLUSTER, OPT_MODEL, OPT_FORMAT, OPT_CONFIG, OPT_ID,
	OPT_PERIOD, OPT_EVERY, OPT_MIN_PERIOD_N, OPT_SCORE_BINS, OPT_SCORE_DIGITS
};

static const struct option long_opts[] = {
	{"label", required_argument, NULL, OPT_LABEL},
	{"score", required_argument, NULL, OPT_SCORE},
	{"pred", required_argument, NULL, OPT_PRED},
	{"positive", required_argument, NULL, OPT_POSITIVE},
	{"threshold", required_argument, NULL, OPT_THRESHOLD},
	{"delimiter", required_argument, NULL, OPT_DELIM},
	{"on-invalid", required_argument, NULL, OPT_ON_INVALID},
	{"max-groups", required_argument, NULL, OPT_MAX_GROUPS},
	{"group", required_argument, NULL, 'g'},
	{"bin", required_argument, NULL, OPT_BIN},
	{"reference", required_argument, NULL, OPT_REFERENCE},
	{"min-n", required_argument, NULL, OPT_MIN_N},
	{"suppress-below", required_argument, NULL, OPT_SUPPRESS},
	{"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
	{"bootstrap-scheme", required_argument, NULL, OPT_SCHEME},
	{"ci-level", required_argument, NULL, OPT_CI_LEVEL},
	{"seed", required_argument, NULL, OPT_SEED},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"output", required_argument, NULL, 'o'},
	{"gate", required_argument, NULL, OPT_GATE},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"gate-on", required_argument, NULL, OPT_GATE_ON},
	{"ci-method", required_argument, NULL, OPT_CI_METHOD},
	{"bootstrap-ci", required_argument, NULL, OPT_BOOT_CI},
	{"permutations", required_argument, NULL, OPT_PERMUTATIONS},
	{"p-adjust", required_argument, NULL, OPT_P_ADJUST},
	{"operating-point", required_argument, NULL, OPT_OPPOINT},
	{"detectable", required_argument, NULL, OPT_DETECTABLE},
	{"power", required_argument, NULL, OPT_POWER},
	{"alpha", required_argument, NULL, OPT_ALPHA},
	{"population", required_argument, NULL, OPT_POPULATION},
	{"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
	{"cluster", required_argument, NULL, OPT_CLUSTER},
	{"model", required_argument, NULL, OPT_MODEL},
	{"id", required_argument, NULL, OPT_ID},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"period", required_argument, NULL, OPT_PERIOD},
	{"every", required_argument, NULL, OPT_EVERY},
	{"min-period-n", required_argument, NULL, OPT_MIN_PERIOD_N},
	{"score-bins", required_argument, NULL, OPT_SCORE_BINS},
	{"score-digits", required_argument, NULL, OPT_SCORE_DIGITS},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

const struct option *cli_audit_options(void)
{
	return long_opts;
}

static int usage_error(fa_error *err, const char *fmt, const char *a, const char *b)
{
	fa_error_set(err, FA_EUSAGE, NULL, 0, 0, fmt, a, b);
	return -1;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_real(const char *s, double *out)
{
	char *end;
	double v;
	if (!*s)
		return -1;
	v = strtod(s, &end);
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static void push(const char ***arr, size_t *n, const char *s)
{
	*arr = fa_xrealloc((void *)*arr, (*n + 1) * sizeof(char *));
	(*arr)[(*n)++] = s;
}

static int parse_bin(cli_options *o, const char *arg, fa_error *err)
{
	const char *eq = strchr(arg, '=');
	fa_bin_spec *b;
	double *cuts = NULL;
	size_t n = 0;
	char *list, *tok, *save = NULL;

	if (!eq || eq == arg || !eq[1])
		return usage_error(err, "--bin %s: expected COLUMN=C1,C2,... (e.g. age=40,65)%s", arg, "");
	list = fa_xstrdup(eq + 1);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		double x;
		if (parse_real(tok, &x) < 0) {
			free(list);
			free(cuts);
			return usage_error(err, "--bin %s: \"%s\" is not a number", arg, tok);
		}
		if (n && !(x > cuts[n - 1])) {
			free(list);
			free(cuts);
			return usage_error(err, "--bin %s: cut points must increase strictly%s", arg, "");
		}
		cuts = fa_xrealloc(cuts, (n + 1) * sizeof(double));
		cuts[n++] = x;
	}
	free(list);
	o->bins = fa_xrealloc(o->bins, (o->nbins + 1) * sizeof(*o->bins));
	b = &o->bins[o->nbins++];
	b->column = fa_xstrndup(arg, (size_t)(eq - arg));
	b->cuts = cuts;
	b->ncuts = n;
	return 0;
}

/* --model NAME=COLUMN or NAME=FILE. A name is what gates write as
 * NAME-NAME, so it is letters, digits, '_' and '.'. */
static int parse_model(cli_options *o, const char *arg, fa_error *err)
{
	const char *eq = strchr(arg, '='), *p;
	char *file = NULL, *column = NULL;
	size_t i;

	if (!eq || eq == arg || !eq[1])
		return usage_error(err, "--model %s: expected NAME=COLUMN or NAME=FILE (e.g. cand=score_v2)%s", arg, "");
	if (arg[0] == '.')
		return usage_error(err, "--model %s: a model name may not start with '.'%s", arg, "");
	for (p = arg; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.'))
			return usage_error(err, "--model %s: a model name is letters, digits, '_' and '.' "
						"(gates write a difference of models as NAME-NAME)%s",
					   arg, "");
	for (i = 0; i < o->nmodels; i++)
		if (strlen(o->model_names[i]) == (size_t)(eq - arg) &&
		    strncmp(o->model_names[i], arg, (size_t)(eq - arg)) == 0)
			return usage_error(err, "--model %s: the name %s is given twice", arg,
					   o->model_names[i]);
	/* a column of the main input or a file of its own (docs/models.md) */
	if (fa_join_parse_model(&file, &column, eq + 1, err) < 0) {
		char why[sizeof(err->message)];
		snprintf(why, sizeof(why), "%s", err->message);
		return usage_error(err, "--model %s: %s", arg, why);
	}
	o->model_names = fa_xrealloc(o->model_names, (o->nmodels + 1) * sizeof(char *));
	o->model_columns = fa_xrealloc(o->model_columns, (o->nmodels + 1) * sizeof(char *));
	o->model_files = fa_xrealloc(o->model_files, (o->nmodels + 1) * sizeof(char *));
	o->model_names[o->nmodels] = fa_xstrndup(arg, (size_t)(eq - arg));
	o->model_files[o->nmodels] = file;
	o->nmodel_files += file != NULL;
	o->model_columns[o->nmodels++] = column;
	return 0;
}

static int is_binned(const cli_options *o, const char *col)
{
	size_t i;
	for (i = 0; i < o->nbins; i++)
		if (strcmp(o->bins[i].column, col) == 0)
			return 1;
	return 0;
}

/* The table columns the --group specs need, each once, binned ones apart. */
static int collect_columns(cli_options *o, fa_error *err)
{
	size_t i, j;

	for (i = 0; i < o->ngroups; i++) {
		char *copy = fa_xstrdup(o->groups[i]), *tok, *save = NULL;
		if (!copy[0] || copy[0] == '+' || copy[strlen(copy) - 1] == '+' ||
		    strstr(copy, "++")) {
			free(copy);
			return usage_error(err, "--group \"%s\": expected COLUMN or COLUMN+COLUMN+...%s",
					   o->groups[i], "");
		}
		for (tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
			int seen = is_binned(o, tok);
			for (j = 0; j < o->nattr_columns && !seen; j++)
				seen = strcmp(o->attr_columns[j], tok) == 0;
			if (!seen)
				push(&o->attr_columns, &o->nattr_columns, fa_xstrdup(tok));
		}
		free(copy);
		for (j = 0; j < i; j++)
			if (strcmp(o->groups[j], o->groups[i]) == 0)
				return usage_error(err, "--group %s is given twice%s", o->groups[i], "");
	}
	for (i = 0; i < o->nbins; i++) {
		int used = 0;
		for (j = 0; j < o->ngroups && !used; j++) {
			const char *g = o->groups[j], *c = o->bins[i].column;
			size_t lc = strlen(c);
			const char *p = g;
			while ((p = strstr(p, c)) != NULL) {
				if ((p == g || p[-1] == '+') && (p[lc] == '\0' || p[lc] == '+'))
					used = 1;
				p += lc;
			}
		}
		if (!used)
			return usage_error(err, "--bin %s: column is not used by any --group (add --group %s)",
					   o->bins[i].column, o->bins[i].column);
	}
	return 0;
}

int cli_parse_audit(cli_options *o, int argc, char **argv, fa_error *err)
{
	fa_load_options lo = FA_LOAD_OPTIONS_INIT;
	fa_audit_options ao = FA_AUDIT_OPTIONS_INIT;
	int c, i;
	fa_buf cmd = FA_BUF_INIT;

	memset(o, 0, sizeof(*o));
	o->load = lo;
	o->audit = ao;
	o->detectable = FA_POWER_DEFAULT_DETECTABLE;
	o->power = FA_POWER_DEFAULT_POWER;
	o->alpha = FA_POWER_DEFAULT_ALPHA;
	o->stdout_format = -1;
	o->score_bins = FA_PARTIAL_DEFAULT_BINS;
	o->score_digits = -1;
	o->command = argc > 0 ? argv[0] : "audit";
	{
		fa_period_options po = FA_PERIOD_OPTIONS_INIT;
		o->period = po;
	}
	for (i = 0; i < argc; i++) {
		if (i)
			fa_buf_putc(&cmd, ' ');
		if (i == 0)
			fa_buf_puts(&cmd, "fairaudit ");
		fa_buf_puts(&cmd, argv[i]);
	}
	o->command_line = fa_buf_detach(&cmd);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":g:o:qh", long_opts, NULL)) != -1) {
		size_t n;
		double x;
		o->opt_index = optind - 1;
		if (c >= 0 && c < CLI_MAX_OPT)
			o->given[c] = 1;
		switch (c) {
		case OPT_LABEL: o->load.label_column = optarg; break;
		case OPT_SCORE:
			o->load.score_column = optarg;
			o->score_set = 1;
			break;
		case OPT_MODEL:
			if (parse_model(o, optarg, err) < 0)
				return -1;
			break;
		case OPT_PRED: o->load.pred_column = optarg; break;
		case OPT_POSITIVE: o->load.positive = optarg; break;
		case OPT_THRESHOLD:
			if (parse_real(optarg, &x) < 0)
				return usage_error(err, "--threshold: expected a number, got \"%s\"%s", optarg, "");
			o->audit.threshold = x;
			break;
		case OPT_DELIM:
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
				o->load.delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n')
				o->load.delimiter = optarg[0];
			else
				return usage_error(err, "--delimiter: expected one character or \"tab\", got \"%s\"%s", optarg, "");
			break;
		case OPT_ON_INVALID:
			if (strcmp(optarg, "error") == 0)
				o->load.on_invalid = FA_ON_INVALID_ERROR;
			else if (strcmp(optarg, "skip") == 0)
				o->load.on_invalid = FA_ON_INVALID_SKIP;
			else
				return usage_error(err, "--on-invalid: expected \"error\" or \"skip\", got \"%s\"%s", optarg, "");
			break;
		case OPT_MAX_GROUPS:
			if (parse_size(optarg, &n) < 0 || n == 0 || n > 65535)
				return usage_error(err, "--max-groups: expected a whole number from 1 to 65535, got \"%s\"%s", optarg, "");
			o->load.max_groups = n;
			break;
		case 'g': push(&o->groups, &o->ngroups, optarg); break;
		case OPT_BIN:
			if (parse_bin(o, optarg, err) < 0)
				return -1;
			break;
		case OPT_REFERENCE:
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return usage_error(err, "--reference: expected ATTRIBUTE=VALUE (e.g. race=White), got \"%s\"%s", optarg, "");
			push(&o->references, &o->nreferences, optarg);
			break;
		case OPT_MIN_N:
			if (parse_size(optarg, &n) < 0)
				return usage_error(err, "--min-n: expected a whole number, got \"%s\"%s", optarg, "");
			o->audit.min_n = n;
			break;
		case OPT_SUPPRESS:
			if (parse_size(optarg, &n) < 0)
				return usage_error(err, "--suppress-below: expected a whole number, got \"%s\"%s", optarg, "");
			o->audit.suppress_below = n;
			break;
		case OPT_BOOTSTRAP:
			if (parse_size(optarg, &n) < 0 || n > 1000000)
				return usage_error(err, "--bootstrap: expected a whole number from 0 to 1000000, got \"%s\"%s", optarg, "");
			o->audit.bootstrap = n;
			break;
		case OPT_SCHEME:
			o->scheme_set = 1;
			if (strcmp(optarg, "stratified") == 0)
				o->audit.scheme = FA_BOOT_STRATIFIED;
			else if (strcmp(optarg, "poisson") == 0)
				o->audit.scheme = FA_BOOT_POISSON;
			else
				return usage_error(err, "--bootstrap-scheme: expected \"stratified\" or \"poisson\", got \"%s\"%s", optarg, "");
			break;
		case OPT_CI_LEVEL:
			if (parse_real(optarg, &x) < 0 || !(x > 0 && x < 1))
				return usage_error(err, "--ci-level: expected a number between 0 and 1 (e.g. 0.95), got \"%s\"%s", optarg, "");
			o->audit.ci_level = x;
			break;
		case OPT_SEED: {
			char *end;
			unsigned long long v;
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (!*optarg || *end || errno || optarg[0] == '-')
				return usage_error(err, "--seed: expected a whole number, got \"%s\"%s", optarg, "");
			o->audit.seed = v;
			break;
		}
		case OPT_THREADS:
			if (parse_size(optarg, &n) < 0 || n > 1024)
				return usage_error(err, "--threads: expected a whole number from 0 to 1024, got \"%s\"%s", optarg, "");
			o->audit.threads = (unsigned)n;
			break;
		case 'o':
			if (strcmp(o->command, "partial") != 0 && fa_report_format_for_path(optarg) < 0)
				return usage_error(err, "-o %s: unknown report format (use a .md, .json, .csv, .html or .jsonl file name)%s", optarg, "");
			push(&o->outputs, &o->noutputs, optarg);
			break;
		case OPT_FORMAT: {
			/* the names are the file extensions */
			char ext[16];
			int f = -1;
			if (strlen(optarg) < sizeof(ext) - 1 && !strchr(optarg, '.')) {
				snprintf(ext, sizeof(ext), ".%s", optarg);
				f = fa_report_format_for_path(ext);
			}
			if (f < 0)
				return usage_error(err, "--format: expected md, json, csv, html or jsonl, got \"%s\"%s", optarg, "");
			o->stdout_format = f;
			break;
		}
		case OPT_CONFIG: break; /* read before parsing (config.c) */
		case OPT_GATE: {
			fa_gate *g;
			if (fa_gate_parse(&g, optarg, err) < 0)
				return -1;
			o->gates = fa_xrealloc(o->gates, (o->ngates + 1) * sizeof(*o->gates));
			o->gates[o->ngates++] = g;
			break;
		}
		case OPT_POLICY: {
			fa_gate_mode m;
			int set = 0;
			if (fa_policy_read(&o->gates, &o->ngates, &m, &set, optarg, err) < 0)
				return -1;
			if (set && !o->gate_mode_set) {
				o->gate_mode = m;
				o->gate_mode_set = 1;
			}
			break;
		}
		case OPT_GATE_ON: {
			int m = fa_gate_mode_find(optarg);
			if (m < 0)
				return usage_error(err, "--gate-on: expected \"point\", \"ci-violation\" or \"ci-compliance\", got \"%s\"%s", optarg, "");
			o->gate_mode = (fa_gate_mode)m;
			o->gate_mode_set = 1;
			break;
		}
		case OPT_CI_METHOD:
			if (strcmp(optarg, "both") == 0)
				o->audit.ci_method = FA_CI_BOTH;
			else if (strcmp(optarg, "bootstrap") == 0)
				o->audit.ci_method = FA_CI_BOOTSTRAP;
			else if (strcmp(optarg, "analytic") == 0)
				o->audit.ci_method = FA_CI_ANALYTIC;
			else
				return usage_error(err, "--ci-method: expected \"both\", \"bootstrap\" or \"analytic\", got \"%s\"%s", optarg, "");
			break;
		case OPT_BOOT_CI:
			if (strcmp(optarg, "percentile") == 0)
				o->audit.bootstrap_ci = FA_BOOT_CI_PERCENTILE;
			else if (strcmp(optarg, "bca") == 0)
				o->audit.bootstrap_ci = FA_BOOT_CI_BCA;
			else
				return usage_error(err, "--bootstrap-ci: expected \"percentile\" or \"bca\", got \"%s\"%s", optarg, "");
			break;
		case OPT_PERMUTATIONS:
			if (parse_size(optarg, &n) < 0 || n > 1000000)
				return usage_error(err, "--permutations: expected a whole number from 0 to 1000000, got \"%s\"%s", optarg, "");
			o->audit.permutations = n;
			o->permutations_set = 1;
			break;
		case OPT_P_ADJUST:
			if (strcmp(optarg, "holm") == 0)
				o->audit.p_adjust = FA_P_ADJUST_HOLM;
			else if (strcmp(optarg, "bh") == 0)
				o->audit.p_adjust = FA_P_ADJUST_BH;
			else
				return usage_error(err, "--p-adjust: expected \"holm\" or \"bh\", got \"%s\"%s", optarg, "");
			break;
		case OPT_OPPOINT: push(&o->oppoints, &o->noppoints, optarg); break;
		case OPT_DETECTABLE:
			if (parse_real(optarg, &x) < 0 || !(x > 0 && x < 1))
				return usage_error(err, "--detectable: expected a number between 0 and 1 (e.g. 0.10), got \"%s\"%s", optarg, "");
			o->detectable = x;
			break;
		case OPT_POWER:
			if (parse_real(optarg, &x) < 0 || !(x > 0 && x < 1))
				return usage_error(err, "--power: expected a number between 0 and 1 (e.g. 0.8), got \"%s\"%s", optarg, "");
			o->power = x;
			break;
		case OPT_ALPHA:
			if (parse_real(optarg, &x) < 0 || !(x > 0 && x < 1))
				return usage_error(err, "--alpha: expected a number between 0 and 1 (e.g. 0.05), got \"%s\"%s", optarg, "");
			o->alpha = x;
			break;
		case OPT_POPULATION: o->population = optarg; break;
		case OPT_PERIOD:
			if (!optarg[0])
				return usage_error(err, "--period: expected a column name%s%s", "", "");
			o->period.column = optarg;
			break;
		case OPT_EVERY: {
			int u = fa_period_unit_find(optarg);
			if (u < 0)
				return usage_error(err, "--every: expected \"month\", \"week\" or \"quarter\", got \"%s\"%s", optarg, "");
			o->period.every = (fa_period_unit)u;
			o->every_set = 1;
			break;
		}
		case OPT_MIN_PERIOD_N:
			if (parse_size(optarg, &n) < 0)
				return usage_error(err, "--min-period-n: expected a whole number, got \"%s\"%s", optarg, "");
			o->period.min_n = n;
			break;
		case OPT_CLUSTER:
			o->load.cluster_column = optarg;
			o->audit.cluster_column = optarg;
			break;
		case OPT_ID:
			if (!optarg[0])
				return usage_error(err, "--id: expected a column name%s%s", "", "");
			o->id_column = optarg;
			break;
		case OPT_SCORE_BINS:
			if (parse_size(optarg, &n) < 0 || n < 10 || n % 10 || n > FA_PARTIAL_MAX_BINS)
				return usage_error(err, "--score-bins: expected a multiple of 10 from 10 to 10000, got \"%s\"%s",
						   optarg, "");
			o->score_bins = n;
			break;
		case OPT_SCORE_DIGITS:
			if (parse_size(optarg, &n) < 0 || n > 9)
				return usage_error(err, "--score-digits: expected a whole number from 0 to 9, got \"%s\"%s",
						   optarg, "");
			o->score_digits = (int)n;
			break;
		case OPT_MAX_LINE:
			if (parse_size(optarg, &n) < 0 || n < 1024)
				return usage_error(err, "--max-line-bytes: expected a whole number of at least 1024, got \"%s\"%s", optarg, "");
			o->load.max_line_bytes = n;
			break;
		case 'q': o->quiet = 1; break;
		case 'h': return 1;
		case ':':
			return usage_error(err, "option %s needs a value%s", argv[optind - 1], "");
		default:
			return usage_error(err, "unknown option \"%s\" (see fairaudit help audit)%s",
					   argv[optind - 1], "");
		}
	}
	o->opt_index = 0;
	for (i = optind; i < argc; i++)
		push(&o->inputs, &o->ninputs, argv[i]);
	if (o->ninputs == 0)
		return usage_error(err, "no input files (give FILE... or - for standard input)%s%s", "", "");
	if (o->nmodels && o->score_set && !o->nmodel_files)
		return usage_error(err, "--score and --model both name a score column; give every model "
					"with --model NAME=COLUMN%s%s", "", "");
	if (o->nmodel_files && !o->id_column) {
		size_t k = 0;
		while (!o->model_files[k])
			k++;
		return usage_error(err, "--model %s=%s: a model file is joined to the main input by a record id; give --id COLUMN",
				   o->model_names[k], o->model_files[k]);
	}
	if (o->given[OPT_SCORE_BINS] && !cli_mergeable(o))
		return usage_error(err, "--score-bins applies to the Poisson scheme (--bootstrap-scheme poisson) and partial audits%s%s", "", "");
	if (o->given[OPT_SCORE_DIGITS] && !cli_mergeable(o))
		return usage_error(err, "--score-digits applies to the Poisson scheme (--bootstrap-scheme poisson) and partial audits%s%s", "", "");
	if (o->id_column && !o->nmodel_files && !cli_mergeable(o))
		return usage_error(err, "--id %s: no --model names a file; --id joins model files to the main input%s",
				   o->id_column, "");
	if (o->id_column && !o->nmodel_files) {
		/* the record key of the Poisson bootstrap */
		o->load.id_column = o->id_column;
	} else if (cli_mergeable(o) && !o->nmodel_files) {
		/* without ids, the records are keyed by file and line */
		o->load.load_flags |= FA_LOAD_KEEP_LINES;
	}
	if (o->nmodel_files) {
		/* fa_join_load reads the column models in the main input's pass;
		 * --score (default "score") is a model file's score column */
		o->load.id_column = o->id_column;
	} else if (o->nmodels) {
		/* one pass: the first model as the score, the others as extras */
		o->load.score_column = o->model_columns[0];
		o->load.extra_scores = (const char *const *)o->model_columns + 1;
		o->load.extra_score_count = o->nmodels - 1;
	}
	for (i = 0; (size_t)i < o->noutputs; i++) {
		size_t j;
		for (j = 0; j < o->ninputs; j++)
			if (strcmp(o->outputs[i], o->inputs[j]) == 0)
				return usage_error(err, "-o %s would overwrite an input file%s", o->outputs[i], "");
		for (j = 0; j < o->nmodels; j++)
			if (o->model_files[j] && strcmp(o->outputs[i], o->model_files[j]) == 0)
				return usage_error(err, "-o %s would overwrite an input file%s", o->outputs[i], "");
	}
	if (o->every_set && !o->period.column)
		return usage_error(err, "--every needs --period COLUMN, the date column to divide%s%s", "", "");
	o->load.period_column = o->period.column;
	o->load.period_every = (int)o->period.every;
	if (collect_columns(o, err) < 0)
		return -1;
	o->load.attr_columns = o->attr_columns;
	o->load.attr_count = o->nattr_columns;
	if (!o->load.cluster_column) {
		/* look for a patient or study id, to warn when ids repeat */
		static const char *const ids[] = {
			"patient_id", "patientid", "patient", "subject_id", "subjectid", "subject",
			"study_id", "studyid", "mrn", "participant_id", "person_id",
		};
		size_t k, j;
		int used = 0;
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
			for (j = 0; j < o->nattr_columns; j++)
				used |= strcasecmp(o->attr_columns[j], ids[k]) == 0;
		if (!used) {
			o->load.probe_names = ids;
			o->load.nprobe_names = sizeof(ids) / sizeof(ids[0]);
		}
	}
	o->load.bins = o->bins;
	o->load.bin_count = o->nbins;
	o->audit.groups = o->groups;
	o->audit.ngroups = o->ngroups;
	o->audit.references = o->references;
	o->audit.nreferences = o->nreferences;
	o->audit.oppoints = o->oppoints;
	o->audit.noppoints = o->noppoints;
	return 0;
}

/* Options of the reports and gates, which a partial audit leaves to
 * `report`; and options fixed when a partial audit is built, which
 * `report` cannot change. */
static const int report_opts[] = {
	'o', OPT_FORMAT, OPT_GATE, OPT_POLICY, OPT_GATE_ON, OPT_DETECTABLE, OPT_POWER,
	OPT_ALPHA, OPT_POPULATION,
};

static int is_report_opt(int c)
{
	size_t i;
	for (i = 0; i < sizeof(report_opts) / sizeof(report_opts[0]); i++)
		if (report_opts[i] == c)
			return 1;
	return 0;
}

const char *cli_report_option_given(const cli_options *o)
{
	int c;
	for (c = 0; c < CLI_MAX_OPT; c++)
		if (o->given[c] && is_report_opt(c) && c != 'o')
			return cli_option_name(c);
	return NULL;
}

const char *cli_audit_option_given(const cli_options *o)
{
	int c;
	for (c = 0; c < CLI_MAX_OPT; c++)
		if (o->given[c] && !is_report_opt(c) && c != 'q' && c != 'h' && c != OPT_THREADS &&
		    c != OPT_CONFIG)
			return cli_option_name(c);
	return NULL;
}

int cli_mergeable(const cli_options *o)
{
	return strcmp(o->command, "partial") == 0 || strcmp(o->command, "report") == 0 ||
	       o->audit.scheme == FA_BOOT_POISSON;
}

const char *cli_option_name(int c)
{
	size_t i;
	static char shortname[3];

	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == c)
			return long_opts[i].name;
	shortname[0] = '-';
	shortname[1] = (char)c;
	return shortname;
}

void cli_options_free(cli_options *o)
{
	size_t i;
	for (i = 0; i < o->nattr_columns; i++)
		free((char *)o->attr_columns[i]);
	free(o->attr_columns);
	for (i = 0; i < o->nbins; i++) {
		free((char *)o->bins[i].column);
		free((double *)o->bins[i].cuts);
	}
	free(o->bins);
	free(o->inputs);
	free(o->groups);
	free(o->references);
	free(o->oppoints);
	free(o->outputs);
	for (i = 0; i < o->ngates; i++)
		fa_gate_free(o->gates[i]);
	free(o->gates);
	free(o->command_line);
	for (i = 0; i < o->nmodels; i++) {
		free(o->model_names[i]);
		free(o->model_columns[i]);
		free(o->model_files[i]);
	}
	free(o->model_names);
	free(o->model_columns);
	free(o->model_files);
}
