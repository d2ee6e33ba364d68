/*
 * cmd_compare.c: `fairaudit compare BASELINE.json CANDIDATE.json`. Reads
 * two saved JSON reports, compares them with the library (compare.h),
 * judges --max-regression gates and writes the comparison; the exit codes
 * are those of `audit` (options.h).
 */
#include "options.h"

#include "fairaudit/compare.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cmd_compare_usage(FILE *f)
{
	fputs("Usage: fairaudit compare [OPTIONS] BASELINE.json CANDIDATE.json\n"
	      "\n"
	      "Compare two saved JSON reports: every metric of the whole population and of\n"
	      "each group, every gap and summary, with the change (candidate - baseline)\n"
	      "and whether it is a regression.\n"
	      "\n"
	      "  --max-regression [SCOPE]QUANTITY=X\n"
	      "                         fail when the candidate is worse than the baseline\n"
	      "                         by more than X, e.g. tpr_gap=0.02, auc=0.02 (every\n"
	      "                         group), race:worst_group_auc=0.01, overall.auc=0.01\n"
	      "                         (repeatable)\n"
	      "  --allow-different-data compare reports made from different input data\n"
	      "  -o, --output FILE      write the comparison: .md Markdown, .json JSON\n"
	      "                         (repeatable; default Markdown on standard output)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 all gates passed (or none), 1 a gate failed, 2 usage, input or\n"
	      "I/O error (including reports from different data), 3 inconclusive.\n",
	      f);
}

static void print_error(const fa_error *err)
{
	char line[4096];
	fa_error_format(err, line, sizeof(line));
	fprintf(stderr, "fairaudit: %s\n", line);
}

/* Whether paths `a` and `b` name one file (by name, or by device and
 * inode when both exist). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}


static int read_report(fa_result **out, const char *path, fa_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc = fa_read_file(path, NULL, 1, &text, &len, err);
	if (rc == 0)
		rc = fa_result_read_json(out, text, len, path, err);
	free(text);
	return rc;
}

/* Render every requested output, then write them all or none. */
static int emit(const fa_comparison *c, const char *const *outputs, size_t n, fa_error *err)
{
	fa_buf *bufs;
	size_t i;
	int rc = 0;

	if (n == 0) {
		fa_buf b = FA_BUF_INIT;
		fa_compare_markdown(&b, c);
		if (b.len && fwrite(b.ptr, 1, b.len, stdout) != b.len)
			rc = fa_error_set(err, FA_EIO, "<stdout>", 0, 0, "write failed");
		fa_buf_free(&b);
		return rc;
	}
	bufs = fa_xcalloc(n, sizeof(*bufs));
	for (i = 0; i < n && rc == 0; i++)
		rc = fa_compare_write(&bufs[i], c,
				      (fa_report_format)fa_report_format_for_path(outputs[i]), err);
	if (rc == 0)
		rc = fa_report_save_all(outputs, bufs, n, err);
	for (i = 0; i < n; i++)
		fa_buf_free(&bufs[i]);
	free(bufs);
	return rc;
}

static void warn_differences(const fa_comparison *c)
{
	size_t i;

	if (!c->same_data)
		fprintf(stderr, "fairaudit: warning: %s and %s come from different data; "
				"compared as --allow-different-data asks\n",
			c->baseline_name, c->candidate_name);
	for (i = 0; i < c->nsettings; i++)
		fprintf(stderr, "fairaudit: warning: settings differ: %s is %s in %s, %s in %s\n",
			c->settings[i].name, c->settings[i].baseline, c->baseline_name,
			c->settings[i].candidate, c->candidate_name);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{"max-regression", required_argument, NULL, 'R'},
		{"allow-different-data", no_argument, NULL, 'D'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	fa_error err;
	fa_cmp_gate **gates = NULL;
	size_t ngates = 0, nout = 0, i;
	const char **outputs = NULL;
	fa_compare_options co = FA_COMPARE_OPTIONS_INIT;
	fa_result *base = NULL, *cand = NULL;
	fa_comparison *c = NULL;
	int code = EXIT_ERROR, ch, fmt;

	fa_error_clear(&err);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			gates = fa_xrealloc(gates, (ngates + 1) * sizeof(*gates));
			if (fa_compare_gate_parse(&gates[ngates], optarg, &err) < 0)
				goto usage;
			ngates++;
			break;
		case 'D':
			co.flags |= FA_COMPARE_ALLOW_DIFFERENT_DATA;
			break;
		case 'o':
			fmt = fa_report_format_for_path(optarg);
			if (fmt != FA_REPORT_MARKDOWN && fmt != FA_REPORT_JSON) {
				fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
					     "-o %s: a comparison is written as Markdown (.md) or "
					     "JSON (.json)",
					     optarg);
				goto usage;
			}
			outputs = fa_xrealloc(outputs, (nout + 1) * sizeof(*outputs));
			outputs[nout++] = optarg;
			break;
		case 'h':
			cmd_compare_usage(stdout);
			code = fflush(stdout) != 0 || ferror(stdout) ? EXIT_ERROR : EXIT_PASS;
			goto done;
		case ':':
			fa_error_set(&err, FA_EUSAGE, NULL, 0, 0, "option \"%s\" needs a value",
				     argv[optind - 1]);
			goto usage;
		default:
			fa_error_set(&err, FA_EUSAGE, NULL, 0, 0, "unknown option \"%s\"",
				     argv[optind - 1]);
			goto usage;
		}
	}
	if (argc - optind != 2) {
		fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
			     "expected two reports, BASELINE.json CANDIDATE.json; got %d",
			     argc - optind);
		goto usage;
	}
	co.baseline_name = argv[optind];
	co.candidate_name = argv[optind + 1];
	if (strcmp(co.baseline_name, "-") == 0 && strcmp(co.candidate_name, "-") == 0) {
		fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
			     "only one of the two reports can be read from standard input");
		goto usage;
	}
	for (i = 0; i < nout; i++)
		if (same_file(outputs[i], co.baseline_name) ||
		    same_file(outputs[i], co.candidate_name)) {
			fa_error_set(&err, FA_EUSAGE, NULL, 0, 0,
				     "-o %s would overwrite a report being compared", outputs[i]);
			goto usage;
		}
	if (read_report(&base, co.baseline_name, &err) < 0 ||
	    read_report(&cand, co.candidate_name, &err) < 0 ||
	    fa_compare_run(&c, base, cand, &co, &err) < 0)
		goto fail;
	warn_differences(c);
	if (fa_compare_evaluate(c, gates, ngates, &err) < 0 || emit(c, outputs, nout, &err) < 0)
		goto fail;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fairaudit: error: cannot write to standard output\n");
		goto done;
	}
	code = c->verdict == FA_GATE_FAIL	    ? EXIT_GATE_FAILED
	       : c->verdict == FA_GATE_INCONCLUSIVE ? EXIT_INCONCLUSIVE
						    : EXIT_PASS;
	goto done;
usage:
	print_error(&err);
	fprintf(stderr, "Try 'fairaudit compare --help' for the options.\n");
	goto done;
fail:
	print_error(&err);
done:
	for (i = 0; i < ngates; i++)
		fa_compare_gate_free(gates[i]);
	free(gates);
	free(outputs);
	fa_compare_free(c);
	fa_result_free(base);
	fa_result_free(cand);
	return code;
}
