/*
 * cmd_partial.c: audits split over machines or sites. `partial` reduces
 * input files to a partial audit, `merge` adds partial audits, `report`
 * audits one (or the sum of several). `audit --bootstrap-scheme poisson`
 * takes the same two steps in memory, which is why its report and the
 * report of any split of its files agree.
 */
#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_partial_check(cli_options *o, fa_error *err)
{
	if (o->nmodels)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--model: a partial audit (and --bootstrap-scheme poisson) audits one "
				    "score column; audit each model on its own");
	if (o->period.column)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--period: not available in a partial audit (or with "
				    "--bootstrap-scheme poisson); audit each period's files on their own");
	if (o->noppoints)
		return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
				    "--operating-point %s: not available in a partial audit (or with "
				    "--bootstrap-scheme poisson): its threshold is chosen again in every "
				    "replicate from every record",
				    o->oppoints[0]);
	if (o->audit.cluster_column) {
		if (o->audit.ci_method != FA_CI_BOOTSTRAP)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--cluster %s: a partial audit (and --bootstrap-scheme poisson) "
					    "resamples clusters in its bootstrap only; give --ci-method bootstrap",
					    o->audit.cluster_column);
		if (o->permutations_set && o->audit.permutations)
			return fa_error_set(err, FA_EUSAGE, NULL, 0, 0,
					    "--cluster %s: the permutation tests of a partial audit would "
					    "move records, not clusters; leave out --permutations",
					    o->audit.cluster_column);
		o->audit.permutations = 0;
	}
	o->audit.scheme = FA_BOOT_POISSON;
	return 0;
}

int cli_partial_build(fa_partial **out, const fa_table *t, const cli_options *o, fa_error *err)
{
	fa_partial_options po = FA_PARTIAL_OPTIONS_INIT;

	po.id_column = o->id_column;
	po.bins = o->score_bins;
	po.score_digits = o->score_digits;
	po.positive = o->load.positive;
	po.permutations_set = o->permutations_set;
	return fa_partial_build(out, t, &o->audit, &po, err);
}

int cli_partial_result(fa_result **out, fa_partial *p, const cli_options *o, size_t *skipped_perm,
		       fa_error *err)
{
	*skipped_perm = 0;
	if (!fa_partial_permutations_set(p) && fa_partial_rows(p) > FA_PERMUTATION_MAX_ROWS) {
		*skipped_perm = fa_partial_rows(p);
		fa_partial_set_permutations(p, 0);
	}
	return fa_partial_audit(out, p, &o->audit, err);
}

static int save(const char *path, const fa_partial *p, fa_error *err)
{
	fa_buf b = FA_BUF_INIT;
	const char *paths[1];
	int rc;

	paths[0] = path;
	if ((rc = fa_partial_write(&b, p, err)) == 0)
		rc = fa_report_save_all(paths, &b, 1, err);
	fa_buf_free(&b);
	return rc;
}

void cmd_partial_usage(FILE *f)
{
	fputs("Usage: fairaudit partial [OPTIONS] FILE... -o SHARD.fap\n"
	      "\n"
	      "Reduce the records of FILE... to a partial audit: per group, the counts of\n"
	      "every distinct score by label, and the bootstrap's counts, never a record.\n"
	      "Partial audits of disjoint records add up with `fairaudit merge`, and\n"
	      "`fairaudit report` writes the audit of the sum: the same report as\n"
	      "`fairaudit audit --bootstrap-scheme poisson` over all the files.\n"
	      "\n"
	      "Takes the options of `fairaudit audit` that define the audit (--label,\n"
	      "--score, --group, --threshold, --bootstrap, --seed, ...); reports, gates,\n"
	      "--population and power belong to `fairaudit report`. Not available:\n"
	      "--model, --period, --operating-point. Also:\n"
	      "  -o FILE                the partial audit to write (one)\n"
	      "  --id COL               a column of unique record ids: the key of each\n"
	      "                         record's bootstrap weights. Without it the key is\n"
	      "                         the file's base name and the record's line, so a\n"
	      "                         file must not be split between partial audits\n"
	      "  --cluster COL          resample clusters (with --ci-method bootstrap);\n"
	      "                         keep each cluster's records in one partial audit:\n"
	      "                         the clusters of a group are counted in each and\n"
	      "                         added\n"
	      "  --score-bins N         score bins of the bootstrap's AUC, Brier score and\n"
	      "                         calibration (a multiple of 10; default 100)\n"
	      "  --score-digits D       round every score to D decimals first (0 to 9):\n"
	      "                         with scores of many digits, most records have a\n"
	      "                         score of their own, and matching it across the\n"
	      "                         attributes' tables would give back the record's\n"
	      "                         groups and label (docs/distributed.md)\n"
	      "\n"
	      "Every partial audit to be merged must be built with the same options.\n"
	      "docs/distributed.md shows runs on one server, on Slurm and across sites.\n"
	      "\n"
	      "Exit status: 0 written, 2 usage, input or I/O error.\n",
	      f);
}

int cmd_partial(int argc, char **argv)
{
	cli_options o;
	cli_config cfg;
	fa_error err;
	fa_table *t = NULL;
	fa_partial *p = NULL;
	cli_progress ps;
	const char *bad;
	int rc, code = EXIT_ERROR;

	fa_error_clear(&err);
	if (cli_config_expand(&cfg, argc, argv, &err) < 0) {
		cli_print_error(&err);
		cli_config_free(&cfg);
		return EXIT_ERROR;
	}
	rc = cli_parse_audit(&o, cfg.argc, cfg.argv, &err);
	if (rc == 1) {
		cmd_partial_usage(stdout);
		cli_options_free(&o);
		cli_config_free(&cfg);
		return EXIT_PASS;
	}
	if (rc == 0 && (bad = cli_report_option_given(&o)) != NULL)
		rc = fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
				  "--%s belongs to `fairaudit report`, which reads the partial audit",
				  bad);
	if (rc == 0 && o.noutputs != 1)
		rc = fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
				  "give the partial audit to write, once: -o SHARD.fap");
	if (rc == 0 && o.scheme_set && o.audit.scheme == FA_BOOT_STRATIFIED)
		rc = fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
				  "--bootstrap-scheme stratified: a partial audit's bootstrap is the "
				  "Poisson scheme, whose weights do not depend on how the records are split");
	if (rc == 0)
		rc = cli_partial_check(&o, &err);
	if (rc < 0) {
		cli_config_blame(&cfg, o.opt_index, &err);
		cli_print_error(&err);
		fprintf(stderr, "Try 'fairaudit help partial' for the options.\n");
		goto done;
	}
	if (fa_load_files(&t, o.inputs, o.ninputs, &o.load, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	if (!o.quiet && isatty(2) && o.audit.bootstrap > 0) {
		ps.start = ps.last = time(NULL);
		o.audit.progress = cli_show_progress;
		o.audit.progress_ctx = &ps;
	}
	if (cli_partial_build(&p, t, &o, &err) < 0 || save(o.outputs[0], p, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	code = EXIT_PASS;
done:
	fa_partial_free(p);
	fa_table_free(t);
	cli_options_free(&o);
	cli_config_free(&cfg);
	return code;
}

/* Read every partial of `paths` and add them up. */
static int load_sum(fa_partial **out, const char *const *paths, size_t n, fa_error *err)
{
	fa_partial **parts = fa_xcalloc(n, sizeof(*parts));
	size_t i;
	int rc = 0;

	*out = NULL;
	for (i = 0; i < n && rc == 0; i++)
		rc = fa_partial_load(&parts[i], paths[i], err);
	if (rc == 0 && n == 1) {
		*out = parts[0];
		parts[0] = NULL;
	} else if (rc == 0) {
		rc = fa_partial_merge(out, (const fa_partial *const *)parts, paths, n, err);
	}
	for (i = 0; i < n; i++)
		fa_partial_free(parts[i]);
	free(parts);
	return rc;
}

void cmd_merge_usage(FILE *f)
{
	fputs("Usage: fairaudit merge PARTIAL.fap... -o SUM.fap\n"
	      "\n"
	      "Add partial audits of disjoint records (made by `fairaudit partial` with the\n"
	      "same options) into one. Merging is exact, and in any order or grouping\n"
	      "gives the same file. Partial audits built with different settings are\n"
	      "refused, naming the setting.\n"
	      "\n"
	      "  -o, --output FILE      the partial audit to write\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 written, 2 usage, input or I/O error.\n",
	      f);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	fa_partial *sum = NULL;
	fa_error err;
	int c, i, code = EXIT_ERROR;

	fa_error_clear(&err);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:hq", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (output) {
				fprintf(stderr, "fairaudit: error: merge writes one file: give -o once\n");
				return EXIT_ERROR;
			}
			output = optarg;
			break;
		case 'h': cmd_merge_usage(stdout); return EXIT_PASS;
		case 'q': break;
		case ':':
			fprintf(stderr, "fairaudit: error: option %s needs a value\n", argv[optind - 1]);
			return EXIT_ERROR;
		default:
			fprintf(stderr, "fairaudit: error: unknown option \"%s\" (see fairaudit help merge)\n",
				argv[optind - 1]);
			return EXIT_ERROR;
		}
	}
	if (!output || optind >= argc) {
		fprintf(stderr, "fairaudit: error: give the partial audits and the file to write: "
				"fairaudit merge A.fap B.fap -o SUM.fap\n");
		return EXIT_ERROR;
	}
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], output) == 0) {
			fprintf(stderr, "fairaudit: error: -o %s would overwrite an input file\n", output);
			return EXIT_ERROR;
		}
	if (load_sum(&sum, (const char *const *)argv + optind, (size_t)(argc - optind), &err) < 0 ||
	    save(output, sum, &err) < 0)
		cli_print_error(&err);
	else
		code = EXIT_PASS;
	fa_partial_free(sum);
	return code;
}

void cmd_report_usage(FILE *f)
{
	fputs("Usage: fairaudit report PARTIAL.fap... [OPTIONS]\n"
	      "\n"
	      "Write the audit of a partial audit (of the sum, given several) and\n"
	      "evaluate gates, exactly as `fairaudit audit` does: the same reports as\n"
	      "`fairaudit audit --bootstrap-scheme poisson` over the same records, but for\n"
	      "the list of input files and the command line.\n"
	      "\n"
	      "  -o, --output FILE      write a report (.json .jsonl .md .html .csv);\n"
	      "                         repeatable\n"
	      "  --format FMT           also print a report on standard output\n"
	      "  --gate EXPR, --policy FILE, --gate-on MODE\n"
	      "                         gates, as for `fairaudit audit`\n"
	      "  --population FILE      compare each group's share with a population\n"
	      "  --detectable D, --power P, --alpha A\n"
	      "                         the power annotation, as for `fairaudit audit`\n"
	      "  --threads N            threads (0: one per core)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Everything else (groups, threshold, bootstrap, ...) was fixed when the\n"
	      "partial audits were built.\n"
	      "\n"
	      "Exit status: 0 all gates passed (or none), 1 a gate failed, 2 usage,\n"
	      "input or I/O error, 3 inconclusive.\n",
	      f);
}

int cmd_report(int argc, char **argv)
{
	cli_options o;
	cli_config cfg;
	fa_error err;
	fa_partial *p = NULL;
	fa_result *r = NULL;
	const char *bad;
	size_t skipped = 0;
	int rc, code = EXIT_ERROR;

	fa_error_clear(&err);
	if (cli_config_expand(&cfg, argc, argv, &err) < 0) {
		cli_print_error(&err);
		cli_config_free(&cfg);
		return EXIT_ERROR;
	}
	rc = cli_parse_audit(&o, cfg.argc, cfg.argv, &err);
	if (rc == 1) {
		cmd_report_usage(stdout);
		cli_options_free(&o);
		cli_config_free(&cfg);
		return EXIT_PASS;
	}
	if (rc == 0 && (bad = cli_audit_option_given(&o)) != NULL)
		rc = fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
				  "--%s was fixed when the partial audit was built; report takes the "
				  "reports, gates, --population and power options",
				  bad);
	if (rc < 0) {
		cli_config_blame(&cfg, o.opt_index, &err);
		cli_print_error(&err);
		fprintf(stderr, "Try 'fairaudit help report' for the options.\n");
		goto done;
	}
	if (load_sum(&p, o.inputs, o.ninputs, &err) < 0 ||
	    cli_partial_result(&r, p, &o, &skipped, &err) < 0) {
		cli_print_error(&err);
		goto done;
	}
	fa_partial_free(p);
	p = NULL;
	code = cli_finish(r, &o, skipped);
done:
	fa_result_free(r);
	fa_partial_free(p);
	cli_options_free(&o);
	cli_config_free(&cfg);
	return code;
}
