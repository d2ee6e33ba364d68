/*
 * period.h: drift over time. Records are bucketed by a date column into
 * calendar months, ISO 8601 weeks or quarters, and each period is audited
 * on its own records with the options of the whole-data audit
 * (docs/drift.md).
 *
 * The loader turns each date into its period's label as it reads it
 * (fa_load_options.period_column and period_every), so the table holds one
 * level per period, never one per distinct date or time;
 * fa_audit_run_periods() then audits every period and adds the periods to
 * a result.
 */
#ifndef FAIRAUDIT_PERIOD_H
#define FAIRAUDIT_PERIOD_H

#include "fairaudit/audit.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How long a period is. */
typedef enum fa_period_unit {
	FA_PERIOD_MONTH = 0, /* "2026-01" */
	FA_PERIOD_WEEK,      /* ISO 8601 week, Monday to Sunday: "2026-W05" */
	FA_PERIOD_QUARTER    /* "2026-Q1" */
} fa_period_unit;

/** "month", "week" or "quarter". */
const char *fa_period_unit_name(fa_period_unit u);
/** The unit called `name` ("month", "week", "quarter"), or -1. */
int fa_period_unit_find(const char *name);

/** ## Dates
 *
 * A calendar date of the proleptic Gregorian calendar, years 1 to 9999. */
typedef struct fa_date {
	int year, month, day;
} fa_date;

/** Read the `len` bytes at `s` as an ISO 8601 date, YYYY-MM-DD, or a date
 * and time: YYYY-MM-DDThh:mm, with optional :ss and a fraction (.s or ,s,
 * any number of digits), then optionally Z or an offset +hh:mm, +hhmm or
 * +hh (or -). A space or a lower-case t may stand for the T, and z for Z.
 * The date must exist (month 1 to 12, the day within its month, 29
 * February in leap years only); hours run 00 to 23, minutes 00 to 59,
 * seconds 00 to 60 (a leap second). No blank may surround the text.
 * `*out` is the calendar date as written: a time and an offset are checked
 * but do not move the date, so 2026-03-31T23:30:00-05:00 is 31 March.
 * Returns 0, or FA_EINPUT when the text is not such a date. */
int fa_date_parse(fa_date *out, const char *s, size_t len);

/** Room for any label fa_period_label() writes, with its NUL. */
#define FA_PERIOD_LABEL_SIZE 16

/** Write the label of the period holding date `d`: "2026-01" (month),
 * "2026-Q1" (quarter), or the ISO 8601 week "2026-W05", whose year is the
 * ISO week-year (the year of the week's Thursday: 2021-01-03 is in
 * 2020-W53, 2024-12-30 in 2025-W01). Labels of one unit sort
 * chronologically as text. */
void fa_period_label(char out[FA_PERIOD_LABEL_SIZE], const fa_date *d, fa_period_unit u);

/** The first and last day of the period labelled `label` (either pointer
 * may be NULL). Returns 0, or FA_EINPUT when `label` is not a label of
 * unit `u`. */
int fa_period_bounds(fa_date *first, fa_date *last, const char *label, fa_period_unit u);

/** The bootstrap seed of the period labelled `label` in an audit seeded
 * with `seed`: a hash of both, so a period's intervals do not depend on
 * which other periods the data holds. */
uint64_t fa_period_seed(uint64_t seed, const char *label);

/** ## Auditing every period */

/** Fewer records than this make a period insufficient, by default. */
#define FA_DEFAULT_MIN_PERIOD_N 100
/** At most this many periods from the first to the last (empty ones
 * included); more is an FA_ELIMIT error, usually a mistyped date. */
#define FA_MAX_PERIODS 2000

typedef struct fa_period_options {
	/* the date column: loaded with fa_load_options.period_column and the
	 * same unit as `every` */
	const char *column;
	fa_period_unit every;
	/* a period with fewer records, or without a positive or a negative
	 * record, is insufficient: listed with its counts, not audited */
	size_t min_n;
} fa_period_options;

#define FA_PERIOD_OPTIONS_INIT {NULL, FA_PERIOD_MONTH, FA_DEFAULT_MIN_PERIOD_N}

/** Audit every period of table `t` and add them to `r`, the result of the
 * whole-data audit of `t` with options `o`: r->periods lists every period
 * from the first to the last that holds a record, in time order, those
 * without records included (n = 0, insufficient), and the settings record
 * the column, unit and minimum. A sufficient period is audited on its own
 * records with `o`, except that its seed is fa_period_seed(o->seed, label),
 * it has no operating points and no permutation tests, and a --reference
 * group it has no record of is left for the engine to choose. Fails with
 * FA_EUSAGE when the column was not loaded, FA_ELIMIT when the dates span
 * more than FA_MAX_PERIODS periods, or as fa_audit_run() on a period (the
 * message then names the period); `r` is then unchanged. */
int fa_audit_run_periods(fa_result *r, const fa_table *t, const fa_audit_options *o,
			 const fa_period_options *po, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
