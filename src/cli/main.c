/*
 * main.c: the fairaudit command. It parses options, runs the library's
 * stages in order (load, audit, gates, report) and maps the outcome to an
 * exit code; it does no statistics or formatting of its own.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_print_error(const fa_error *err)
{
	char line[4096];
	fa_error_format(err, line, sizeof(line));
	fprintf(stderr, "fairaudit: %s\n", line);
}

static void on_signal(int sig)
{
	static const char msg[] = "fairaudit: interrupted; no report was written\n";
	fa_report_cleanup_temps();
	(void)!write(2, msg, sizeof(msg) - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

void cli_show_progress(void *ctx, size_t done, size_t total)
{
	cli_progress *p = ctx;
	time_t now = time(NULL);
	double el;

	if (done < total && now == p->last)
		return;
	p->last = now;
	el = difftime(now, p->start);
	if (done < total && done > 0 && el > 0) {
		double rate = (double)done / el;
		fprintf(stderr, "\rbootstrap: %zu/%zu replicates, %.0f/s, about %.0f s left   ",
			done, total, rate, (double)(total - done) / rate);
	} else if (done >= total) {
		fprintf(stderr, "\rbootstrap: %zu/%zu replicates done in %.0f s%30s\n", done,
			total, el, "");
	}
}

static int exit_for(const fa_result *r)
{
	switch (r->verdict) {
	case FA_GATE_FAIL: return EXIT_GATE_FAILED;
	case FA_GATE_INCONCLUSIVE: return EXIT_INCONCLUSIVE;
	default: return EXIT_PASS;
	}
}

static int report_to_stdout(const fa_result *r, int format, fa_error *err)
{
	fa_buf b = FA_BUF_INIT;
	int rc = fa_report_write(&b, r, (fa_report_format)format, err);

	if (rc == 0 && b.len && fwrite(b.ptr, 1, b.len, stdout) != b.len)
		rc = fa_error_set(err, FA_EIO, NULL, 0, 0, "cannot write to standard output");
	fa_buf_free(&b);
	return rc;
}

/* Render every requested report, then write them all or none; then the
 * report on standard output: in `stdout_format` (--format) when it is not
 * -1, else Markdown when there are no files. */
static int emit_reports(const fa_result *r, const char *const *outputs, size_t n,
			int stdout_format, fa_error *err)
{
	fa_buf *bufs;
	size_t i;
	int rc = 0;

	if (n == 0)
		return report_to_stdout(r, stdout_format < 0 ? FA_REPORT_MARKDOWN : stdout_format,
					err);
	bufs = fa_xcalloc(n, sizeof(*bufs));
	for (i = 0; i < n && rc == 0; i++)
		rc = fa_report_write(&bufs[i], r,
				     (fa_report_format)fa_report_format_for_path(outputs[i]), err);
	if (rc == 0)
		rc = fa_report_save_all(outputs, bufs, n, err);
	for (i = 0; i < n; i++)
		fa_buf_free(&bufs[i]);
	free(bufs);
	if (rc == 0 && stdout_format >= 0)
		rc = report_to_stdout(r, stdout_format, err);
	return rc;
}

static int finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fairaudit: error: cannot write to standard output\n");
		return EXIT_ERROR;
	}
	return 0;
}

/* The end every audit shares (audit, and report of a partial audit): the
 * command line, the warnings of the run, power and representation, the
 * gates, then the reports. Returns the exit code. */
int cli_finish(fa_result *r, const cli_options *o, size_t skipped_perm)
{
	fa_error err;

	fa_error_clear(&err);
	r->command_line = fa_xstrdup(o->command_line);
	if (skipped_perm) {
		fa_buf b = FA_BUF_INIT;
		fa_buf_printf(&b,
			      "the permutation tests of the gaps were not run on %zu records (each "
			      "permutation is a pass over them); the chi-square tests and the intervals "
			      "stand; give --permutations N to run them",
			      skipped_perm);
		r->warnings = fa_xrealloc(r->warnings, (r->nwarnings + 1) * sizeof(char *));
		r->warnings[r->nwarnings++] = fa_buf_detach(&b);
	}
	if (o->load.positive && !r->settings.positive)
		r->settings.positive = fa_xstrdup(o->load.positive);
	if (fa_power_annotate(r, o->detectable, o->power, o->alpha, &err) < 0) {
		cli_print_error(&err);
		return EXIT_ERROR;
	}
	if (o->population) {
		fa_population *pop = NULL;
		if (fa_representation_read(&pop, o->population, &err) < 0) {
			cli_print_error(&err);
			return EXIT_ERROR;
		}
		fa_representation_annotate(r, pop);
		fa_population_free(pop);
	}
	if (fa_gates_evaluate(r, o->gates, o->ngates, o->gate_mode, &err) < 0) {
		cli_print_error(&err);
		return EXIT_ERROR;
	}
	if (emit_reports(r, o->outputs, o->noutputs, o->stdout_format, &err) < 0) {
		cli_print_error(&err);
		return EXIT_ERROR;
	}
	return finish_stdout() ? EXIT_ERROR : exit_for(r);
}

/* --model NAME=FILE: the model files joined to the inputs by --id. */
static int load_joined(fa_join **out, const cli_options *o, fa_error *err)
{
	fa_join_model *m = fa_xcalloc(o->nmodels, sizeof(*m));
	size_t k;
	int rc;

	for (k = 0; k < o->nmodels; k++) {
		m[k].name = o->model_names[k];
		m[k].path = o->model_files[k];
		m[k].score_column = o->model_columns[k];
	}
	rc = fa_join_load(out, o->inputs, o->ninputs, &o->load, m, o->nmodels, err);
	free(m);
	return rc;
}

/* Rows of a model file that no record of the inputs has were ignored
 * (--on-invalid skip): the report says so. */
static void join_warnings(fa_result *r, const fa_join *j, const cli_options *o)
{
	size_t k;

	for (k = 0; j && k < o->nmodels; k++) {
		size_t n = fa_join_ignored(j, k);
		if (!n)
			continue;
		r->warnings = fa_xrealloc(r->warnings, (r->nwarnings + 1) * sizeof(char *));
		r->warnings[r->nwarnings++] = fa_xasprintf(
		    "model %s: %zu row%s of %s %s an id that no record of the input has, and %s ignored",
		    o->model_names[k], n, n == 1 ? "" : "s", o->model_files[k],
		    n == 1 ? "has" : "have", n == 1 ? "was" : "were");
	}
}

/* --model: every model's score column was loaded in the same pass (the
 * first as the score, the others as extra scores of the same records), or
 * the models were joined by --id (`joined`, whose table `t` is). */
static int audit_models(fa_result **out, const fa_table *t, const fa_join *joined,
			const cli_options *o, fa_error *err)
{
	fa_model_input *in;
	size_t k;
	int rc;

	if (joined) {
		const fa_model_input *jm = fa_join_models(joined, &k);
		return fa_audit_run_models(out, jm, k, &o->audit, err);
	}
	in = fa_xcalloc(o->nmodels, sizeof(*in));
	for (k = 0; k < o->nmodels; k++) {
		in[k].name = o->model_names[k];
		in[k].table = t;
		in[k].scores = k ? fa_table_extra_scores(t, k - 1) : NULL;
		in[k].score_column = o->model_columns[k];
	}
	rc = fa_audit_run_models(out, in, o->nmodels, &o->audit, err);
	free(in);
	return rc;
}

/* --bootstrap-scheme poisson: the audit is the report of the partial audit
 * of all the records, so that it equals the report of any split of them
 * (cmd_partial.c). */
static int audit_poisson(const fa_table *t, cli_options *o)
{
	fa_partial *p = NULL;
	fa_result *r = NULL;
	fa_error err;
	cli_progress ps;
	size_t skipped = 0;
	int code = EXIT_ERROR;

	fa_error_clear(&err);
	if (!o->quiet && isatty(2) && o->audit.bootstrap > 0) {
		ps.start = ps.last = time(NULL);
		o->audit.progress = cli_show_progress;
		o->audit.progress_ctx = &ps;
	}
	if (cli_partial_build(&p, t, o, &err) < 0 || cli_partial_result(&r, p, o, &skipped, &err) < 0)
		cli_print_error(&err);
	else
		code = cli_finish(r, o, skipped);
	fa_partial_free(p);
	fa_result_free(r);
	return code;
}

static int cmd_audit(int argc, char **argv)
{
	cli_options o;
	cli_config cfg;
	fa_error err;
	fa_table *t = NULL;
	fa_join *joined = NULL;
	const fa_table *tab;
	fa_result *r = NULL;
	cli_progress ps;
	int rc, code = EXIT_ERROR;
	size_t skipped_perm = 0;

	fa_error_clear(&err);
	if (cli_config_expand(&cfg, argc, argv, &err) < 0) {
		cli_print_error(&err);
		cli_config_free(&cfg);
		return EXIT_ERROR;
	}
	rc = cli_parse_audit(&o, cfg.argc, cfg.argv, &err);
	if (rc == 1) {
		cli_usage_audit(stdout);
		cli_options_free(&o);
		cli_config_free(&cfg);
		return finish_stdout() ? EXIT_ERROR : EXIT_PASS;
	}
	if (rc < 0) {
		cli_config_blame(&cfg, o.opt_index, &err);
		cli_print_error(&err);
		fprintf(stderr, "Try 'fairaudit help audit' for the options.\n");
		goto done;
	}
	if (o.audit.scheme == FA_BOOT_POISSON && cli_partial_check(&o, &err) < 0) {
		cli_print_error(&err);
		fprintf(stderr, "Try 'fairaudit help audit' for the options.\n");
		goto done;
	}
	if (o.nmodel_files ? load_joined(&joined, &o, &err) < 0
			   : fa_load_files(&t, o.inputs, o.ninputs, &o.load, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	if (o.audit.scheme == FA_BOOT_POISSON) {
		code = audit_poisson(t, &o);
		goto done;
	}
	tab = joined ? fa_join_table(joined) : t;
	if (!o.permutations_set && fa_table_rows(tab) > FA_PERMUTATION_MAX_ROWS) {
		skipped_perm = fa_table_rows(tab);
		o.audit.permutations = 0;
	}
	if (!o.quiet && isatty(2) && o.audit.bootstrap > 0) {
		ps.start = ps.last = time(NULL);
		o.audit.progress = cli_show_progress;
		o.audit.progress_ctx = &ps;
	}
	if (o.nmodels) {
		if (audit_models(&r, tab, joined, &o, &err) < 0) {
			cli_print_error(&err);
			goto done;
		}
	} else if (fa_audit_run(&r, t, &o.audit, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	/* drift over time: every period of the date column on its own */
	if (o.period.column && fa_audit_run_periods(r, tab, &o.audit, &o.period, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	fa_table_free(t);
	t = NULL;
	join_warnings(r, joined, &o);
	fa_join_free(joined);
	joined = NULL;
	code = cli_finish(r, &o, skipped_perm);
done:
	fa_result_free(r);
	fa_table_free(t);
	fa_join_free(joined);
	cli_options_free(&o);
	cli_config_free(&cfg);
	return code;
}

static void usage_check(FILE *f)
{
	fputs("Usage: fairaudit check [OPTIONS] REPORT.json\n"
	      "\n"
	      "Evaluate gates on a saved JSON report, without the data.\n"
	      "\n"
	      "  --gate EXPR        [ATTRIBUTE:]METRIC OP NUMBER, or MODEL-MODEL:... on a\n"
	      "                     difference of models (repeatable)\n"
	      "  --policy FILE      a JSON file of gates and settings\n"
	      "  --gate-on MODE     point (default), ci-violation or ci-compliance\n"
	      "  -o, --output FILE  write the report again with the new gates\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "Exit status: 0 all gates passed, 1 a gate failed, 2 usage, input or I/O\n"
	      "error, 3 inconclusive.\n",
	      f);
}


static int cmd_check(int argc, char **argv)
{
	fa_error err;
	fa_gate **gates = NULL;
	size_t ngates = 0, i, nout = 0;
	const char **outputs = NULL;
	fa_gate_mode mode = FA_GATE_ON_POINT;
	int mode_set = 0, code = EXIT_ERROR, c;
	char *text = NULL;
	size_t len = 0;
	fa_result *r = NULL;
	static const struct option opts[] = {
		{"gate", required_argument, NULL, 'G'},
		{"policy", required_argument, NULL, 'P'},
		{"gate-on", required_argument, NULL, 'M'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};

	fa_error_clear(&err);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		fa_gate *g;
		int m;
		switch (c) {
		case 'G':
			if (fa_gate_parse(&g, optarg, &err) < 0)
				goto fail;
			gates = fa_xrealloc(gates, (ngates + 1) * sizeof(*gates));
			gates[ngates++] = g;
			break;
		case 'P':
			if (fa_policy_read(&gates, &ngates, &mode, &mode_set, optarg, &err) < 0)
				goto fail;
			break;
		case 'M':
			m = fa_gate_mode_find(optarg);
			if (m < 0) {
				fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
					     "--gate-on: expected \"point\", \"ci-violation\" or \"ci-compliance\", got \"%s\"",
					     optarg);
				goto fail;
			}
			mode = (fa_gate_mode)m;
			mode_set = 2;
			break;
		case 'o':
			if (fa_report_format_for_path(optarg) < 0) {
				fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
					     "-o %s: unknown report format (use a .md, .json, .csv, .html or .jsonl file name)",
					     optarg);
				goto fail;
			}
			outputs = fa_xrealloc(outputs, (nout + 1) * sizeof(*outputs));
			outputs[nout++] = optarg;
			break;
		case 'h':
			usage_check(stdout);
			code = finish_stdout() ? EXIT_ERROR : EXIT_PASS;
			goto done;
		default:
			fa_error_set(&err, FA_EUSAGE, NULL, 0, 0, "unknown option \"%s\" or missing value",
				     argv[optind - 1]);
			goto fail;
		}
	}
	if (optind != argc - 1) {
		fa_error_set(&err, FA_EUSAGE, NULL, 0, 0, "expected exactly one REPORT.json");
		goto fail;
	}
	if (fa_read_file(argv[optind], NULL, 1, &text, &len, &err) < 0 ||
	    fa_result_read_json(&r, text, len, argv[optind], &err) < 0 ||
	    fa_gates_evaluate(r, gates, ngates, mode, &err) < 0 ||
	    emit_reports(r, outputs, nout, -1, &err) < 0)
		goto fail;
	code = finish_stdout() ? EXIT_ERROR : exit_for(r);
	goto done;
fail:
	cli_print_error(&err);
done:
	for (i = 0; i < ngates; i++)
		fa_gate_free(gates[i]);
	free(gates);
	free(outputs);
	free(text);
	fa_result_free(r);
	return code;
}

static void usage_main(FILE *f)
{
	fputs("Usage: fairaudit COMMAND [OPTIONS] ...\n"
	      "\n"
	      "Subgroup fairness audits of model predictions.\n"
	      "\n"
	      "Commands:\n"
	      "  audit FILE...        audit predictions: per-group metrics, gaps, intervals,\n"
	      "                       gates and reports\n"
	      "  check REPORT.json    evaluate gates on a saved JSON report\n"
	      "  compare BASELINE.json CANDIDATE.json\n"
	      "                       compare two saved reports, with regression gates\n"
	      "  power                the group sizes a gap needs, or the gap a size can\n"
	      "                       detect\n"
	      "  schema [jsonl]       print the JSON Schema of the JSON (or JSON Lines)\n"
	      "                       report\n"
	      "  partial FILE... -o SHARD.fap\n"
	      "                       reduce records to a partial audit (no record in it)\n"
	      "  merge A.fap B.fap... -o SUM.fap\n"
	      "                       add partial audits of disjoint records\n"
	      "  report SUM.fap       reports and gates of a partial audit\n"
	      "  help [COMMAND]       show help for a command\n"
	      "\n"
	      "  -h, --help           this help\n"
	      "  -V, --version        print the version\n"
	      "\n"
	      "Exit status: 0 all gates passed (or none), 1 a gate failed, 2 usage,\n"
	      "input or I/O error, 3 inconclusive.\n",
	      f);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	gsl_set_error_handler_off();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* one handler at a time: a second signal waits */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		usage_main(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage_main(stdout);
		return finish_stdout() ? EXIT_ERROR : EXIT_PASS;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("fairaudit %s\n", FA_VERSION_STRING);
		return finish_stdout() ? EXIT_ERROR : EXIT_PASS;
	}
	if (strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);
	if (strcmp(argv[1], "power") == 0)
		return cmd_power(argc - 1, argv + 1);
	if (strcmp(argv[1], "partial") == 0)
		return cmd_partial(argc - 1, argv + 1);
	if (strcmp(argv[1], "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "schema") == 0) {
		int rc = cmd_schema(argc - 1, argv + 1);
		return rc ? EXIT_ERROR : finish_stdout() ? EXIT_ERROR : EXIT_PASS;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3)
			usage_main(stdout);
		else if (strcmp(argv[2], "audit") == 0)
			cli_usage_audit(stdout);
		else if (strcmp(argv[2], "check") == 0)
			usage_check(stdout);
		else if (strcmp(argv[2], "compare") == 0)
			cmd_compare_usage(stdout);
		else if (strcmp(argv[2], "power") == 0)
			cmd_power_usage(stdout);
		else if (strcmp(argv[2], "schema") == 0)
			cmd_schema_usage(stdout);
		else if (strcmp(argv[2], "partial") == 0)
			cmd_partial_usage(stdout);
		else if (strcmp(argv[2], "merge") == 0)
			cmd_merge_usage(stdout);
		else if (strcmp(argv[2], "report") == 0)
			cmd_report_usage(stdout);
		else {
			fprintf(stderr, "fairaudit: error: no help for \"%s\"; the commands are audit, check, compare, power, schema, partial, merge, report\n",
				argv[2]);
			return EXIT_ERROR;
		}
		return finish_stdout() ? EXIT_ERROR : EXIT_PASS;
	}
	fprintf(stderr, "fairaudit: error: unknown command \"%s\"; the commands are audit, check, compare, power, schema, partial, merge, report, help\n",
		argv[1]);
	return EXIT_ERROR;
}
