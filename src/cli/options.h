/* options.h: command-line options of `fairaudit audit` and `check`. */
#ifndef FA_CLI_OPTIONS_H
#define FA_CLI_OPTIONS_H

#include "fairaudit/fairaudit.h"

#include <stdio.h>

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
	int score_set;             /* --score was given */
} cli_options;

/* Parse `argv` of the audit command (argv[0] = "audit"). On a usage error
 * prints a message and returns -1; for --help prints help and returns 1. */
int cli_parse_audit(cli_options *o, int argc, char **argv, fa_error *err);
void cli_options_free(cli_options *o);
void cli_usage_audit(FILE *f);

/* Other commands, each in its own file. */
int cmd_compare(int argc, char **argv);
void cmd_compare_usage(FILE *f);
int cmd_power(int argc, char **argv);
void cmd_power_usage(FILE *f);

#endif
