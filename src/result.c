/* result.c: freeing, copying and looking up parts of an audit result. */
#include "fairaudit/result.h"

#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

static void group_free(fa_group_result *g)
{
	size_t i;
	free(g->curves.roc.fpr);
	free(g->curves.roc.tpr);
	free(g->value);
	for (i = 0; i < g->nlevels; i++)
		free(g->levels[i]);
	free(g->levels);
}

static void attr_free(fa_attr_result *a)
{
	size_t j;
	free(a->name);
	for (j = 0; j < a->ncolumns; j++)
		free(a->columns[j]);
	free(a->columns);
	for (j = 0; j < a->ngroups; j++)
		group_free(&a->groups[j]);
	free(a->groups);
	for (j = 0; j < a->representation.nabsent; j++)
		free(a->representation.absent[j].value);
	free(a->representation.absent);
}

static void model_free(fa_model *m)
{
	size_t j;
	free(m->name);
	free(m->score_column);
	group_free(&m->overall);
	for (j = 0; j < m->nattrs; j++)
		attr_free(&m->attrs[j]);
	free(m->attrs);
}

static void period_free(fa_period *p)
{
	size_t j;
	free(p->label);
	free(p->first_day);
	free(p->last_day);
	group_free(&p->overall);
	for (j = 0; j < p->nattrs; j++)
		attr_free(&p->attrs[j]);
	free(p->attrs);
}

static void model_diff_free(fa_model_diff *d)
{
	size_t j;
	for (j = 0; j < d->nattrs; j++)
		free(d->attrs[j].groups);
	free(d->attrs);
}

void fa_result_free(fa_result *r)
{
	size_t i, j;

	if (!r)
		return;
	free(r->tool_version);
	free(r->command_line);
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].format);
	}
	free(r->files);
	for (i = 0; i < r->ndrops; i++)
		free(r->drops[i].reason);
	free(r->drops);
	free(r->settings.label_column);
	free(r->settings.score_column);
	free(r->settings.pred_column);
	free(r->settings.positive);
	free(r->settings.scheme);
	free(r->settings.bootstrap_key);
	free(r->settings.gate_on);
	free(r->settings.ci_method);
	free(r->settings.bootstrap_ci);
	free(r->settings.p_adjust);
	free(r->settings.cluster_column);
	free(r->settings.population);
	free(r->settings.period_column);
	free(r->settings.period_every);
	group_free(&r->overall);
	for (i = 0; i < r->nattrs; i++)
		attr_free(&r->attrs[i]);
	free(r->attrs);
	for (i = 0; i < r->nviews; i++) {
		fa_view *v = &r->views[i];
		free(v->name);
		free(v->kind);
		group_free(&v->overall);
		for (j = 0; j < v->nattrs; j++)
			attr_free(&v->attrs[j]);
		free(v->attrs);
	}
	free(r->views);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	for (i = 0; i < r->ngates; i++) {
		fa_gate_result *g = &r->gates[i];
		free(g->expr);
		free(g->op);
		for (j = 0; j < g->nchecks; j++) {
			free(g->checks[j].where);
			free(g->checks[j].note);
		}
		free(g->checks);
	}
	free(r->gates);
	for (i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	for (i = 0; i < r->npopulation_unmatched; i++)
		free(r->population_unmatched[i]);
	free(r->population_unmatched);
	for (i = 0; i < r->nmodels; i++)
		model_free(&r->models[i]);
	free(r->models);
	for (i = 0; i < r->nmodel_diffs; i++)
		model_diff_free(&r->model_diffs[i]);
	free(r->model_diffs);
	free(r->model_best);
	for (i = 0; i < r->nperiods; i++)
		period_free(&r->periods[i]);
	free(r->periods);
	free(r);
}

const fa_attr_result *fa_result_attr(const fa_result *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nattrs; i++)
		if (strcmp(r->attrs[i].name, name) == 0)
			return &r->attrs[i];
	return NULL;
}

const char *fa_result_own(fa_result *r, char *s)
{
	r->owned = fa_xrealloc(r->owned, (r->nowned + 1) * sizeof(char *));
	r->owned[r->nowned++] = s;
	return s;
}

long fa_result_model(const fa_result *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nmodels; i++)
		if (r->models[i].name && strcmp(r->models[i].name, name) == 0)
			return (long)i;
	return -1;
}

const fa_model_diff *fa_result_model_diff(const fa_result *r, size_t i, size_t j, int *sign)
{
	size_t k, lo = i < j ? i : j, hi = i < j ? j : i;

	for (k = 0; k < r->nmodel_diffs; k++)
		if (r->model_diffs[k].a == lo && r->model_diffs[k].b == hi && lo != hi) {
			if (sign)
				*sign = i == hi ? 1 : -1;
			return &r->model_diffs[k];
		}
	return NULL;
}

/* ---- deep copies, for the engine's copy of the main result ---------------- */

static char *dup_or_null(const char *s)
{
	return s ? fa_xstrdup(s) : NULL;
}

static double *dup_doubles(const double *x, size_t n)
{
	double *y;
	if (!x || !n)
		return NULL;
	y = fa_xmalloc(n * sizeof(double));
	memcpy(y, x, n * sizeof(double));
	return y;
}

void fa_group_result_copy(fa_group_result *dst, const fa_group_result *src)
{
	size_t i;

	*dst = *src;
	dst->value = dup_or_null(src->value);
	dst->levels = fa_xcalloc(src->nlevels ? src->nlevels : 1, sizeof(char *));
	for (i = 0; i < src->nlevels; i++)
		dst->levels[i] = fa_xstrdup(src->levels[i]);
	dst->curves.roc.fpr = dup_doubles(src->curves.roc.fpr, src->curves.roc.n);
	dst->curves.roc.tpr = dup_doubles(src->curves.roc.tpr, src->curves.roc.n);
}

void fa_attr_result_copy(fa_attr_result *dst, const fa_attr_result *src)
{
	size_t i;

	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->columns = fa_xcalloc(src->ncolumns ? src->ncolumns : 1, sizeof(char *));
	for (i = 0; i < src->ncolumns; i++)
		dst->columns[i] = fa_xstrdup(src->columns[i]);
	dst->groups = fa_xcalloc(src->ngroups ? src->ngroups : 1, sizeof(fa_group_result));
	for (i = 0; i < src->ngroups; i++)
		fa_group_result_copy(&dst->groups[i], &src->groups[i]);
	dst->representation.absent = NULL;
	dst->representation.nabsent = 0;
	if (src->representation.nabsent) {
		dst->representation.absent =
		    fa_xcalloc(src->representation.nabsent, sizeof(fa_population_value));
		for (i = 0; i < src->representation.nabsent; i++) {
			dst->representation.absent[i].value =
			    fa_xstrdup(src->representation.absent[i].value);
			dst->representation.absent[i].share = src->representation.absent[i].share;
		}
		dst->representation.nabsent = src->representation.nabsent;
	}
}
