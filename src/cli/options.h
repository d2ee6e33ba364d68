/* options.h: command-line options of `fairaudit audit` and `check`. */
#ifndef FA_CLI_OPTIONS_H
#define FA_CLI_OPTIONS_H

#include "fairaudit/fairaudit.h"
#include "fairaudit/period.h"

#include <stdio.h>
#include <time.h>

/* Exit codes, documented in --help, docs/cli.md and the README. */
/* Above this many records the permutation tests, which cost one pass over
 * the records per permutation, run only when --permutations asks. */
#define FA_PERMUTATION_MAX_ROWS 200000

enum {
	EXIT_PASS = 0,         /* every gate passed, or none was given */
	EXIT_GATE_FAILED = 1,  /* at least one gate failed */
	EXIT_ERROR = 2,        /* usage, input or I/O error */
	EXIT_INCONCLUSIVE = 3  /* no gate failed, but one could not be evaluated */
};

/* Option codes are below this. */
#define CLI_MAX_OPT 320

typedef struct cli_options {
	fa_load_options load;
	fa_audit_options audit;
	const char **inputs;
	size_t ninputs;
	const char **attr_columns; /* derived from --group, less binned columns */
	size_t nattr_columns;
	const char **groups;
	size_t ngroups;
	const char **references;
	size_t nreferences;
	const char **oppoints;
	size_t noppoints;
	fa_bin_spec *bins;
	size_t nbins;
	const char **outputs;
	size_t noutputs;
	fa_gate **gates;
	size_t ngates;
	fa_gate_mode gate_mode;
	int gate_mode_set;
	int quiet;
	int permutations_set;      /* --permutations was given */
	char *command_line;
	const char *population;    /* --population FILE */
	double detectable, power, alpha; /* power annotation */
	size_t max_line_bytes;
	/* --model NAME=COLUMN, in order; each string is owned */
	char **model_names;
	char **model_columns;
	size_t nmodels;
	/* --model NAME=FILE: per model its file, or NULL for a column of the
	 * main input (model_columns[k] is then the file's score column, or
	 * NULL for --score's); owned. --id COLUMN joins the files */
	char **model_files;
	size_t nmodel_files;
	const char *id_column;
	int score_set;             /* --score was given */
	int stdout_format;         /* --format: an fa_report_format, or -1 */
	int opt_index;             /* argv index of the option being parsed when
				    * an error stopped the loop, else 0 */
	fa_period_options period;  /* --period, --every, --min-period-n */
	int every_set;             /* --every was given */
	const char *command;       /* argv[0]: "audit", "partial" or "report" */
	size_t score_bins;         /* --score-bins (partial audits) */
	int score_digits;          /* --score-digits, or -1 */
	int scheme_set;            /* --bootstrap-scheme was given */
	unsigned char given[CLI_MAX_OPT]; /* per option code: it was given */
} cli_options;

/* 1 for a partial audit, its report, or an audit with the Poisson
 * bootstrap, which is computed the same way (partial.h). */
int cli_mergeable(const cli_options *o);
/* The first option given that only reports and gates use (not -o), or
 * NULL; and the first that is not one of them (nor --threads, --quiet),
 * or NULL. */
const char *cli_report_option_given(const cli_options *o);
const char *cli_audit_option_given(const cli_options *o);
/* The long name of an option code ("threshold"), or "-x" for a short one. */
const char *cli_option_name(int c);

/* Parse `argv` of the audit command (argv[0] = "audit"). On a usage error
 * prints a message and returns -1; for --help prints help and returns 1. */
int cli_parse_audit(cli_options *o, int argc, char **argv, fa_error *err);
void cli_options_free(cli_options *o);
void cli_usage_audit(FILE *f);
/* The long options of `fairaudit audit` (ending in a zeroed entry). */
const struct option *cli_audit_options(void);

/* --config FILE (config.c): a JSON object of audit options, turned into
 * arguments "--KEY=VALUE" placed before the command line's, so the option
 * parser reads both and the command line wins. */
typedef struct cli_config {
	int argc;
	char **argv;      /* argv[0], the config's options, the command line's */
	char *path;       /* the config file, NULL without --config */
	char *text;       /* its text, for positions in messages */
	int nfirst;       /* argv[1..nfirst] came from the config */
	char **origin;    /* per such argument: the key, "group[1]" for a list */
	size_t *offset;   /* per such argument: where its value starts in text */
	char **owned;     /* strings made for argv */
	size_t nowned;
	fa_error *err;    /* where expanding reports */
} cli_config;

/* Expand a --config FILE among `argv` (argv[0] = "audit"); without one,
 * c->argv is argv. Errors (a missing or invalid file, an unknown key, a
 * value of the wrong type) name the file, line and column. Free with
 * cli_config_free, also after an error. */
int cli_config_expand(cli_config *c, int argc, char **argv, fa_error *err);
/* When argument `index` of c->argv came from the config, point `err` (a
 * usage error about it) at the key in the config file. */
void cli_config_blame(const cli_config *c, int index, fa_error *err);
void cli_config_free(cli_config *c);

/* main.c: shared by the commands */
typedef struct cli_progress {
	time_t start, last;
} cli_progress;
void cli_print_error(const fa_error *err);
/* Progress of the bootstrap on standard error (ctx: a cli_progress). */
void cli_show_progress(void *ctx, size_t done, size_t total);
/* Annotate, gate and write the reports of `r` as `o` asks; the exit code. */
int cli_finish(fa_result *r, const cli_options *o, size_t skipped_perm);

/* cmd_partial.c: the two steps of a mergeable audit, shared by `audit
 * --bootstrap-scheme poisson` and `partial`/`report`. */
int cli_partial_build(fa_partial **out, const fa_table *t, const cli_options *o, fa_error *err);
int cli_partial_result(fa_result **out, fa_partial *p, const cli_options *o, size_t *skipped_perm,
		       fa_error *err);
/* A usage error for options an audit with the Poisson bootstrap (or a
 * partial audit) cannot take. */
int cli_partial_check(cli_options *o, fa_error *err);

/* Other commands, each in its own file. */
int cmd_compare(int argc, char **argv);
void cmd_compare_usage(FILE *f);
int cmd_power(int argc, char **argv);
void cmd_power_usage(FILE *f);
int cmd_schema(int argc, char **argv);
/* Partial audits (cmd_partial.c): `partial` and `merge`, and the two
 * halves `report` shares with `audit --bootstrap-scheme poisson`. */
int cmd_partial(int argc, char **argv);
void cmd_partial_usage(FILE *f);
int cmd_merge(int argc, char **argv);
void cmd_merge_usage(FILE *f);
int cmd_report(int argc, char **argv);
void cmd_report_usage(FILE *f);
void cmd_schema_usage(FILE *f);

#endif
