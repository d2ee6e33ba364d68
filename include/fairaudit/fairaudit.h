/*
 * fairaudit.h: the umbrella header of the fairaudit library.
 *
 * The pipeline runs one way: load (load.h) -> table (table.h) -> audit
 * (audit.h, and period.h for each period of a date column) -> result
 * (result.h) -> gates (gates.h) -> report (report.h).
 */
#ifndef FAIRAUDIT_H
#define FAIRAUDIT_H
#include "fairaudit/version.h"
#include "fairaudit/common.h"
#include "fairaudit/table.h"
#include "fairaudit/load.h"
#include "fairaudit/result.h"
#include "fairaudit/audit.h"
#include "fairaudit/period.h"
#include "fairaudit/join.h"
#include "fairaudit/gates.h"
#include "fairaudit/report.h"
#include "fairaudit/analytic.h"
#include "fairaudit/compare.h"
#include "fairaudit/power.h"
#include "fairaudit/representation.h"
#include "fairaudit/partial.h"
#endif
