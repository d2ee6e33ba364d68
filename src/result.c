/* result.c: freeing and looking up parts of an audit result. */
#include "fairaudit/result.h"

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
	free(r->settings.gate_on);
	free(r->settings.ci_method);
	free(r->settings.bootstrap_ci);
	free(r->settings.p_adjust);
	free(r->settings.cluster_column);
	free(r->settings.population);
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
