/*
 * metrics.c: metric names and the one place where each metric is computed
 * from counts. The definitions follow docs/metrics.md.
 */
#include "metrics_internal.h"

#include <math.h>
#include <string.h>

static const char *const metric_names[FA_M__COUNT] = {
	"prevalence", "accuracy", "balanced_accuracy", "tpr", "fnr", "tnr", "fpr",
	"ppv", "npv", "f1", "selection_rate", "auc", "brier", "ece",
};

/* 1: higher is better, 0: lower is better, -1: neither */
static const int metric_dir[FA_M__COUNT] = {
	-1, 1, 1, 1, 0, 1, 0, 1, 1, 1, -1, 1, 0, 0,
};

static const char *const summary_names[FA_S__COUNT] = {
	"equalized_odds_diff", "demographic_parity_diff", "disparate_impact",
	"worst_group_auc",
};

const char *fa_metric_name(fa_metric m)
{
	return (unsigned)m < FA_M__COUNT ? metric_names[m] : "unknown";
}

int fa_metric_find(const char *name)
{
	int m;
	for (m = 0; m < FA_M__COUNT; m++)
		if (strcmp(metric_names[m], name) == 0)
			return m;
	return -1;
}

int fa_metric_direction(fa_metric m)
{
	return (unsigned)m < FA_M__COUNT ? metric_dir[m] : -1;
}

const char *fa_summary_name(fa_summary s)
{
	return (unsigned)s < FA_S__COUNT ? summary_names[s] : "unknown";
}

int fa_summary_find(const char *name)
{
	int s;
	for (s = 0; s < FA_S__COUNT; s++)
		if (strcmp(summary_names[s], name) == 0)
			return s;
	return -1;
}

const char *fa_group_status_name(fa_group_status s)
{
	switch (s) {
	case FA_GROUP_OK: return "ok";
	case FA_GROUP_INSUFFICIENT: return "insufficient";
	case FA_GROUP_SUPPRESSED: return "suppressed";
	}
	return "unknown";
}

static const char R_EMPTY[] = "no records in group";
static const char R_NO_POS[] = "no positive cases in group";
static const char R_NO_NEG[] = "no negative cases in group";
static const char R_ONE_CLASS[] = "group has only one class";
static const char R_NO_PPRED[] = "no positive decisions in group";
static const char R_NO_NPRED[] = "no negative decisions in group";
static const char R_NO_F1[] = "no positive cases and no positive decisions in group";
static const char R_NOT_PROB[] = "scores are not all in [0,1]";

static void set(double *v, const char **r, fa_metric m, uint64_t num, uint64_t den,
		const char *why)
{
	if (den == 0) {
		v[m] = NAN;
		r[m] = why;
	} else {
		v[m] = (double)num / (double)den;
		r[m] = NULL;
	}
}

void fa_acc_metrics(const fa_acc *a, int probabilities, double v[FA_M__COUNT],
		    const char *r[FA_M__COUNT])
{
	uint64_t n = a->wpos + a->wneg;
	uint64_t tp = a->tp, fp = a->fp;
	uint64_t fn = a->wpos - tp, tn = a->wneg - fp;
	int b;

	set(v, r, FA_M_PREVALENCE, a->wpos, n, R_EMPTY);
	set(v, r, FA_M_ACCURACY, tp + tn, n, R_EMPTY);
	set(v, r, FA_M_TPR, tp, a->wpos, R_NO_POS);
	set(v, r, FA_M_FNR, fn, a->wpos, R_NO_POS);
	set(v, r, FA_M_TNR, tn, a->wneg, R_NO_NEG);
	set(v, r, FA_M_FPR, fp, a->wneg, R_NO_NEG);
	set(v, r, FA_M_PPV, tp, tp + fp, R_NO_PPRED);
	set(v, r, FA_M_NPV, tn, tn + fn, R_NO_NPRED);
	set(v, r, FA_M_F1, 2 * tp, 2 * tp + fp + fn, R_NO_F1);
	set(v, r, FA_M_SELECTION_RATE, tp + fp, n, R_EMPTY);
	if (a->wpos == 0 || a->wneg == 0) {
		v[FA_M_BALANCED_ACCURACY] = v[FA_M_AUC] = NAN;
		r[FA_M_BALANCED_ACCURACY] = r[FA_M_AUC] = R_ONE_CLASS;
	} else {
		v[FA_M_BALANCED_ACCURACY] = (v[FA_M_TPR] + v[FA_M_TNR]) / 2;
		r[FA_M_BALANCED_ACCURACY] = NULL;
		/* auc2 / (2 npos nneg): one rounding from exact integers */
		v[FA_M_AUC] = (double)a->auc2 / (2.0 * (double)a->wpos * (double)a->wneg);
		r[FA_M_AUC] = NULL;
	}
	if (!probabilities || n == 0) {
		v[FA_M_BRIER] = v[FA_M_ECE] = NAN;
		r[FA_M_BRIER] = r[FA_M_ECE] = n ? R_NOT_PROB : R_EMPTY;
	} else {
		double ece = 0;
		v[FA_M_BRIER] = a->brier / (double)n;
		r[FA_M_BRIER] = NULL;
		/* sum over bins of (n_b/n) |mean(y)_b - mean(s)_b| = |pos_b - S_b| / n */
		for (b = 0; b < FA_ECE_BINS; b++)
			if (a->bin_w[b])
				ece += fabs((double)a->bin_pos[b] - a->bin_s[b]);
		v[FA_M_ECE] = ece / (double)n;
		r[FA_M_ECE] = NULL;
	}
}
