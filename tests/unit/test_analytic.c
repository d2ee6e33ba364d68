/*
 * test_analytic.c: analytic intervals and tests against R.
 *
 * The r_* tables were printed by
 *
 *   Rscript tests/reference/proc_reference.R
 *
 * run from the repository root (R 4.2.2, pROC 1.18.0). That script also
 * wrote tests/data/analytic_sets.csv and tests/data/analytic_perm.csv,
 * which it reads back so that R and these tests see the same text; the
 * SiteA/SiteB/SiteC groups are data/samples/cxr_triage.csv.gz split by
 * `site`. DeLong values come from pROC (auc, var, ci.auc, roc.test) and are
 * checked to 1e-9; the closed forms (Wilson, Newcombe, chi-square,
 * p.adjust) to 1e-12. Hand-worked values and published tables check the
 * same functions independently of R.
 */
#include "harness.h"

#include "fairaudit/analytic.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

/* |got - want| <= tol max(1, |want|) */
#define CHECK_REL(got, want, tol) CHECK_NEAR((got), (want), (tol) * fmax(1, fabs(want)))

/* ---- data ----------------------------------------------------------------- */

typedef struct dataset {
	char name[32];
	double *score;
	uint8_t *label;
	size_t n, cap;
} dataset;

static dataset sets[16];
static size_t nsets;

static dataset *set_get(const char *name, int create)
{
	size_t i;
	for (i = 0; i < nsets; i++)
		if (strcmp(sets[i].name, name) == 0)
			return &sets[i];
	if (!create || nsets == sizeof(sets) / sizeof(sets[0]))
		return NULL;
	snprintf(sets[nsets].name, sizeof(sets[0].name), "%s", name);
	return &sets[nsets++];
}

static void set_add(dataset *d, double s, int y)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->score = realloc(d->score, d->cap * sizeof(double));
		d->label = realloc(d->label, d->cap);
		if (!d->score || !d->label)
			abort();
	}
	d->score[d->n] = s;
	d->label[d->n++] = (uint8_t)y;
}

/* Split one CSV line in place (no quoted field reaches the columns used). */
static size_t split(char *line, char **f, size_t max)
{
	size_t k = 0;
	int quoted = 0;
	char *p = line;

	f[k++] = p;
	for (; *p && *p != '\n' && *p != '\r'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted && k < max) {
			*p = '\0';
			f[k++] = p + 1;
		}
	}
	*p = '\0';
	return k;
}

static void load_sets(void)
{
	char line[512], *f[16];
	FILE *fp;
	gzFile gz;
	int is = -1, il = -1, isite = -1, i, k;

	if (nsets)
		return;
	fp = fopen(test_path("tests/data/analytic_sets.csv"), "r");
	if (!fp) {
		test_fail(__FILE__, __LINE__, "cannot open analytic_sets.csv");
		return;
	}
	if (!fgets(line, sizeof(line), fp))
		abort();
	while (fgets(line, sizeof(line), fp))
		if (split(line, f, 16) == 3)
			set_add(set_get(f[0], 1), strtod(f[1], NULL), atoi(f[2]));
	fclose(fp);

	gz = gzopen(test_path("data/samples/cxr_triage.csv.gz"), "rb");
	if (!gz) {
		test_fail(__FILE__, __LINE__, "cannot open cxr_triage.csv.gz");
		return;
	}
	if (!gzgets(gz, line, sizeof(line)))
		abort();
	k = (int)split(line, f, 16);
	for (i = 0; i < k; i++) {
		if (strcmp(f[i], "score") == 0)
			is = i;
		else if (strcmp(f[i], "label") == 0)
			il = i;
		else if (strcmp(f[i], "site") == 0)
			isite = i;
	}
	if (is < 0 || il < 0 || isite < 0)
		abort();
	while (gzgets(gz, line, sizeof(line)))
		if ((int)split(line, f, 16) > isite)
			set_add(set_get(f[isite], 1), strtod(f[is], NULL), atoi(f[il]));
	gzclose(gz);
}

static const dataset *set_find(const char *name)
{
	const dataset *d;
	load_sets();
	d = set_get(name, 0);
	if (!d)
		test_fail(__FILE__, __LINE__, "no data set %s", name);
	return d;
}

/* ---- DeLong: one AUC --------------------------------------------------------- */

static const struct {
	const char *set;
	double level;
	size_t n_pos, n_neg;
	double auc, var, ci_low, ci_high;
} r_delong[] = {
	{"normal40", 0.94999999999999996, 19, 21, 0.80952380952380953, 0.0046594486773882636, 0.6757363653396683, 0.94331125370795077},
	{"normal40", 0.90000000000000002, 19, 21, 0.80952380952380953, 0.0046594486773882636, 0.697245846998649, 0.92180177204896996},
	{"ties60", 0.94999999999999996, 25, 35, 0.67142857142857137, 0.0052490916366546621, 0.52942797506271522, 0.81342916779442753},
	{"tiny5", 0.94999999999999996, 2, 3, 0.58333333333333326, 0.097222222222222224, 0, 1},
	{"tiny8", 0.98999999999999999, 3, 5, 0.8666666666666667, 0.022222222222222216, 0.48268470525524793, 1},
	{"small20", 0.94999999999999996, 8, 12, 0.80208333333333337, 0.010836602633477632, 0.59805303466980198, 1},
	{"discrete200", 0.94999999999999996, 63, 137, 0.73653110879388251, 0.0013297122907470322, 0.66506059033853915, 0.80800162724922586},
	{"perfect10", 0.94999999999999996, 4, 6, 1, 0, 1, 1},
	{"inverted12", 0.94999999999999996, 5, 7, 0.25714285714285712, 0.030476190476190476, 0, 0.59930222165874492},
	{"constant6", 0.94999999999999996, 3, 3, 0.5, 0, 0.5, 0.5},
	{"SiteA", 0.94999999999999996, 804, 2240, 0.89016357942430702, 4.9175377812057819e-05, 0.87641930101992738, 0.90390785782868666},
	{"SiteB", 0.94999999999999996, 791, 1447, 0.89377473075205949, 5.2056151014987087e-05, 0.87963360065266827, 0.90791586085145071},
	{"SiteC", 0.94999999999999996, 224, 494, 0.74652074898785425, 0.00041382818784026438, 0.70664965742478258, 0.78639184055092592},
};

static void test_analytic__delong_proc(void)
{
	size_t i;
	for (i = 0; i < sizeof(r_delong) / sizeof(r_delong[0]); i++) {
		const dataset *d = set_find(r_delong[i].set);
		fa_delong r;
		fa_error err;
		if (!d)
			continue;
		CHECK_INT(fa_delong_compute(&r, d->score, d->label, d->n, r_delong[i].level, &err),
			  0);
		CHECK_INT(r.n_pos, r_delong[i].n_pos);
		CHECK_INT(r.n_neg, r_delong[i].n_neg);
		CHECK_NEAR(r.auc, r_delong[i].auc, 1e-12);
		CHECK_NEAR(r.var, r_delong[i].var, 1e-9);
		CHECK_NEAR(r.se, sqrt(r_delong[i].var), 1e-9);
		CHECK_NEAR(r.ci_low, r_delong[i].ci_low, 1e-9);
		CHECK_NEAR(r.ci_high, r_delong[i].ci_high, 1e-9);
		if (test_failures_in_case) {
			fprintf(stderr, "  (data set %s)\n", r_delong[i].set);
			return;
		}
	}
}

/* pos {0.4, 0.8}, neg {0.1, 0.4, 0.9}. Placements of the positives 1.5/3
 * and 2/3, of the negatives 2/2, 1.5/2 and 0/2; theta = 7/12. S10 = 2 (1/12)^2
 * = 1/72, S01 = ((5/12)^2 + (2/12)^2 + (7/12)^2) / 2 = 13/48, so
 * var = (1/72) / 2 + (13/48) / 3 = 7/72. */
static void test_analytic__delong_hand(void)
{
	const double s[] = {0.4, 0.8, 0.1, 0.4, 0.9};
	const uint8_t y[] = {1, 1, 0, 0, 0};
	double z = 1.959963984540054; /* qnorm(0.975) */
	fa_delong r;

	CHECK_INT(fa_delong_compute(&r, s, y, 5, 0.95, NULL), 0);
	CHECK_NEAR(r.auc, 7.0 / 12, 1e-15);
	CHECK_NEAR(r.var, 7.0 / 72, 1e-15);
	CHECK_NEAR(r.se, sqrt(7.0 / 72), 1e-15);
	CHECK(r.ci_low == 0);   /* 7/12 - z sqrt(7/72) < 0: clipped */
	CHECK(r.ci_high == 1);
	CHECK_NEAR(r.level, 0.95, 0);

	/* at level 0.5 nothing is clipped: z = qnorm(0.75) */
	z = 0.6744897501960817;
	CHECK_INT(fa_delong_compute(&r, s, y, 5, 0.5, NULL), 0);
	CHECK_NEAR(r.ci_low, 7.0 / 12 - z * sqrt(7.0 / 72), 1e-15);
	CHECK_NEAR(r.ci_high, 7.0 / 12 + z * sqrt(7.0 / 72), 1e-15);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The same records in input order, sorted by score, reversed and split by
 * class give the same numbers, bit for bit. */
static void test_analytic__delong_any_order(void)
{
	const dataset *d = set_find("ties60");
	double *s, *pos, *neg;
	uint8_t *y;
	size_t i, n, m = 0, k = 0;
	fa_delong a, b, c, e;

	if (!d)
		return;
	n = d->n;
	s = malloc(n * sizeof(double));
	pos = malloc(n * sizeof(double));
	neg = malloc(n * sizeof(double));
	y = malloc(n);
	CHECK_INT(fa_delong_compute(&a, d->score, d->label, n, 0.95, NULL), 0);

	for (i = 0; i < n; i++) {
		if (d->label[i])
			pos[m++] = d->score[i];
		else
			neg[k++] = d->score[i];
	}
	qsort(pos, m, sizeof(double), cmp_double);
	qsort(neg, k, sizeof(double), cmp_double);
	/* ascending records: merge the sorted classes */
	{
		size_t p = 0, q = 0;
		for (i = 0; i < n; i++) {
			if (q == k || (p < m && pos[p] <= neg[q])) {
				s[i] = pos[p++];
				y[i] = 1;
			} else {
				s[i] = neg[q++];
				y[i] = 0;
			}
		}
	}
	CHECK_INT(fa_delong_compute(&b, s, y, n, 0.95, NULL), 0);
	/* descending records */
	for (i = 0; i < n / 2; i++) {
		double t = s[i];
		uint8_t u = y[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = t;
		y[i] = y[n - 1 - i];
		y[n - 1 - i] = u;
	}
	CHECK_INT(fa_delong_compute(&c, s, y, n, 0.95, NULL), 0);
	CHECK_INT(fa_delong_compute_split(&e, pos, m, neg, k, 0.95, NULL), 0);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK(memcmp(&a, &c, sizeof(a)) == 0);
	CHECK(memcmp(&a, &e, sizeof(a)) == 0);
	CHECK_NEAR(a.auc, 0.67142857142857137, 1e-12); /* pROC, r_delong */
	free(s);
	free(pos);
	free(neg);
	free(y);
}

static void test_analytic__delong_undefined(void)
{
	const double s[] = {0.2, 0.7, 0.4, NAN};
	const uint8_t y1[] = {0, 1, 0, 0}, y0[] = {0, 0, 0, 0};
	fa_delong r;
	fa_error err;

	/* one positive: AUC defined (both negatives below), variance not */
	CHECK_INT(fa_delong_compute(&r, s, y1, 3, 0.95, &err), FA_EINPUT);
	CHECK_NEAR(r.auc, 1.0, 0);
	CHECK_NAN(r.var);
	CHECK_NAN(r.ci_low);
	CHECK(strstr(err.message, "at least 2 positive") != NULL);
	/* no positive: nothing defined */
	CHECK_INT(fa_delong_compute(&r, s, y0, 3, 0.95, &err), FA_EINPUT);
	CHECK_NAN(r.auc);
	CHECK_INT(r.n_neg, 3);
	/* empty input */
	CHECK_INT(fa_delong_compute(&r, s, y0, 0, 0.95, &err), FA_EINPUT);
	/* a NaN score */
	CHECK_INT(fa_delong_compute(&r, s, y1, 4, 0.95, &err), FA_EINPUT);
	CHECK_STR(err.message, "a score is NaN");
	/* levels outside (0, 1) */
	CHECK_INT(fa_delong_compute(&r, s, y1, 3, 1.0, &err), FA_EUSAGE);
	CHECK_INT(fa_delong_compute(&r, s, y1, 3, 0.0, &err), FA_EUSAGE);
	CHECK_INT(fa_delong_compute(&r, s, y1, 3, NAN, NULL), FA_EUSAGE);
}

/* ---- DeLong: two independent AUCs ---------------------------------------------- */

static const struct {
	const char *a, *b;
	double level, diff, se, statistic, df, p_value, p_normal, ci_low, ci_high;
} r_diff[] = {
	{"normal40", "ties60", 0.94999999999999996, 0.13809523809523816, 0.099541651151881766, 1.3873111054239085, 95.908266229155259, 0.16856226589295506, 0.16534691818950265, -0.059495789687766282, 0.33568626587824257},
	{"tiny8", "small20", 0.94999999999999996, 0.064583333333333326, 0.18182085924255184, 0.35520310267139399, 14.243756179185102, 0.72764226485994066, 0.72243744049694414, -0.32475846273672748, 0.45392512940339413},
	{"discrete200", "normal40", 0.90000000000000002, -0.072992700729927029, 0.077389669647410286, -0.94318403299153519, 63.423544877418855, 0.34916585412818824, 0.34558677898399304, -0.20217431243002096, 0.0561889109701669},
	{"tiny5", "tiny8", 0.94999999999999996, -0.28333333333333344, 0.34560735588879532, -0.81981279768970017, 5.8625297248329726, 0.44436668234119509, 0.41232283429207145, -1, 0.56716761068675414},
	{"perfect10", "small20", 0.94999999999999996, 0.19791666666666663, 0.10409900399848998, 1.9012349692561663, 19, 0.072547805937639362, 0.057271242636973682, -0.019965052742119654, 0.41579838607545294},
	{"SiteB", "SiteA", 0.94999999999999996, 0.0036111513277524709, 0.01006138801692117, 0.35891184413912497, 5108.4433543371979, 0.71967587149958867, 0.71966103884440735, -0.016113480239906771, 0.023335782895411713},
	{"SiteC", "SiteA", 0.94999999999999996, -0.14364283043645276, 0.021517517646148735, -6.6756227553117569, 894.55103733703675, 4.3155441940971773e-11, 2.4618449625200954e-11, -0.18587352860960804, -0.10141213226329748},
	{"inverted12", "discrete200", 0.98999999999999999, -0.47938825165102539, 0.17834209476996032, -2.688026358944466, 11.979565950348784, 0.019767033790233566, 0.0071875722658636858, -1, 0.06553392337279873},
};

static void test_analytic__delong_compare_proc(void)
{
	size_t i;
	for (i = 0; i < sizeof(r_diff) / sizeof(r_diff[0]); i++) {
		const dataset *da = set_find(r_diff[i].a), *db = set_find(r_diff[i].b);
		fa_delong a, b;
		fa_delong_diff t;
		fa_error err;
		if (!da || !db)
			continue;
		fa_delong_compute(&a, da->score, da->label, da->n, 0.95, NULL);
		fa_delong_compute(&b, db->score, db->label, db->n, 0.95, NULL);
		CHECK_INT(fa_delong_compare(&t, &a, &b, r_diff[i].level, &err), 0);
		CHECK_NEAR(t.diff, r_diff[i].diff, 1e-12);
		CHECK_NEAR(t.se, r_diff[i].se, 1e-9);
		CHECK_REL(t.statistic, r_diff[i].statistic, 1e-9);
		CHECK_REL(t.df, r_diff[i].df, 1e-9);
		CHECK_NEAR(t.p_value, r_diff[i].p_value, 1e-9);
		CHECK_NEAR(t.p_normal, r_diff[i].p_normal, 1e-9);
		CHECK_NEAR(t.ci_low, r_diff[i].ci_low, 1e-9);
		CHECK_NEAR(t.ci_high, r_diff[i].ci_high, 1e-9);
		if (test_failures_in_case) {
			fprintf(stderr, "  (%s vs %s)\n", r_diff[i].a, r_diff[i].b);
			return;
		}
	}
}

/* Hand-made summaries: the statistic, df and interval follow from the
 * formulas in docs/analytic.md; with df = 1e7 Student's t is the normal to
 * 1e-7, and a p-value below 0.05 goes with an interval that excludes 0. */
static void test_analytic__delong_compare_hand(void)
{
	fa_delong a = {100, 100, 0.95, 0.9, 0.0004, 0.02, 0, 0};
	fa_delong b = {100, 100, 0.95, 0.8, 0.0005, 0, 0, 0};
	fa_delong_diff t;
	fa_error err;
	double df;

	b.se = sqrt(b.var);
	CHECK_INT(fa_delong_compare(&t, &a, &b, 0.95, &err), 0);
	CHECK_NEAR(t.diff, 0.1, 1e-15);
	CHECK_NEAR(t.se, 0.03, 1e-15);
	CHECK_NEAR(t.statistic, 0.1 / 0.03, 1e-13);
	df = 0.0009 * 0.0009 / (0.0004 * 0.0004 / 199 + 0.0005 * 0.0005 / 199);
	CHECK_NEAR(t.df, df, 1e-9);
	CHECK(t.p_value < 0.05 && t.ci_low > 0);
	CHECK(t.p_value > t.p_normal); /* t has heavier tails */

	a.n_pos = a.n_neg = 5000000;
	b.n_pos = b.n_neg = 5000000;
	CHECK_INT(fa_delong_compare(&t, &a, &b, 0.95, &err), 0);
	CHECK_NEAR(t.p_value, t.p_normal, 1e-7);
	CHECK_NEAR(t.ci_low, 0.1 - 1.959963984540054 * 0.03, 1e-7);

	/* both AUCs perfect: zero variance, no test */
	a.var = b.var = 0;
	CHECK_INT(fa_delong_compare(&t, &a, &b, 0.95, &err), FA_EINPUT);
	CHECK_NAN(t.p_value);
	/* an undefined variance */
	a.var = NAN;
	CHECK_INT(fa_delong_compare(&t, &a, &b, 0.95, &err), FA_EINPUT);
	CHECK_NEAR(t.diff, 0.1, 1e-15);
}

/* ---- Wilson and Newcombe ------------------------------------------------------------ */

static const struct {
	size_t x, n;
	double level, low, high;
} r_wilson[] = {
	{81, 263, 0.94999999999999996, 0.25528851987827422, 0.36620957698280004},
	{15, 148, 0.94999999999999996, 0.062386399530736283, 0.16048724172330803},
	{0, 20, 0.94999999999999996, 0, 0.16112515805281932},
	{1, 29, 0.94999999999999996, 0.0061132142927626532, 0.17175521879320285},
	{29, 29, 0.94999999999999996, 0.88303020150025935, 1},
	{0, 1, 0.94999999999999996, 0, 0.79345068562276255},
	{1, 1, 0.94999999999999996, 0.20654931437723745, 1},
	{5, 10, 0.90000000000000002, 0.26927182113826731, 0.73072817886173269},
	{1819, 6000, 0.98999999999999999, 0.28810664620054888, 0.31866152921550878},
	{1, 1000000, 0.94999999999999996, 1.7652457674537134e-07, 5.6649118043114403e-06},
	{7, 12, 0.5, 0.48601720020425693, 0.67456170056696529},
};

static void test_analytic__wilson_r(void)
{
	size_t i;
	for (i = 0; i < sizeof(r_wilson) / sizeof(r_wilson[0]); i++) {
		fa_interval r;
		CHECK_INT(fa_wilson_interval(&r, r_wilson[i].x, r_wilson[i].n, r_wilson[i].level,
					     NULL),
			  0);
		CHECK_NEAR(r.estimate, (double)r_wilson[i].x / (double)r_wilson[i].n, 0);
		CHECK_NEAR(r.low, r_wilson[i].low, 1e-12);
		CHECK_NEAR(r.high, r_wilson[i].high, 1e-12);
	}
}

/* The worked examples of Newcombe (1998a), Statistics in Medicine
 * 17:857-872, method 3 (score interval without continuity correction), to
 * the 4 decimals printed there. */
static void test_analytic__wilson_published(void)
{
	static const struct {
		size_t x, n;
		double low, high;
	} t[] = {
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fa_interval r;
		CHECK_INT(fa_wilson_interval(&r, t[i].x, t[i].n, 0.95, NULL), 0);
		CHECK_NEAR(r.low, t[i].low, 5e-5);
		CHECK_NEAR(r.high, t[i].high, 5e-5);
	}
}

static void test_analytic__wilson_errors(void)
{
	fa_interval r;
	fa_error err;
	CHECK_INT(fa_wilson_interval(&r, 0, 0, 0.95, &err), FA_EINPUT);
	CHECK_NAN(r.estimate);
	CHECK_INT(fa_wilson_interval(&r, 3, 2, 0.95, &err), FA_EINPUT);
	CHECK_STR(err.message, "count 3 exceeds its total 2");
	CHECK_INT(fa_wilson_interval(&r, 1, 2, 1.5, &err), FA_EUSAGE);
	CHECK_INT(fa_newcombe_interval(&r, 1, 2, 0, 0, 0.95, &err), FA_EINPUT);
	CHECK_INT(fa_newcombe_interval(&r, 1, 2, 5, 4, 0.95, &err), FA_EINPUT);
	CHECK_INT(fa_newcombe_interval(&r, 1, 2, 1, 4, -0.95, &err), FA_EUSAGE);
}

static const struct {
	size_t x1, n1, x2, n2;
	double level, diff, low, high;
} r_newcombe[] = {
	{56, 70, 48, 80, 0.94999999999999996, 0.20000000000000007, 0.052431472402364898, 0.33387265403690591},
	{9, 10, 3, 10, 0.94999999999999996, 0.60000000000000009, 0.17052272393450302, 0.80901797353548799},
	{6, 7, 2, 7, 0.94999999999999996, 0.5714285714285714, 0.058227927482312425, 0.80624963752422774},
	{5, 56, 0, 29, 0.94999999999999996, 0.089285714285714288, -0.038137147903536853, 0.19256001385511157},
	{0, 10, 0, 20, 0.94999999999999996, 0, -0.16112515805281932, 0.27753279986288915},
	{0, 10, 0, 10, 0.94999999999999996, 0, -0.27753279986288915, 0.27753279986288915},
	{10, 10, 0, 20, 0.94999999999999996, 1, 0.67908603714191473, 1},
	{10, 10, 0, 10, 0.94999999999999996, 1, 0.60750935043052423, 1},
	{803, 2238, 803, 3044, 0.94999999999999996, 0.095004867542941851, 0.069726403179283386, 0.1202948502387525},
	{3, 40, 12, 35, 0.90000000000000002, -0.26785714285714285, -0.41377309152655584, -0.11540803243937153},
};

static void test_analytic__newcombe_r(void)
{
	size_t i;
	for (i = 0; i < sizeof(r_newcombe) / sizeof(r_newcombe[0]); i++) {
		fa_interval r;
		CHECK_INT(fa_newcombe_interval(&r, r_newcombe[i].x1, r_newcombe[i].n1,
					       r_newcombe[i].x2, r_newcombe[i].n2,
					       r_newcombe[i].level, NULL),
			  0);
		CHECK_NEAR(r.estimate, r_newcombe[i].diff, 1e-15);
		CHECK_NEAR(r.low, r_newcombe[i].low, 1e-12);
		CHECK_NEAR(r.high, r_newcombe[i].high, 1e-12);
	}
}

/* The worked examples of Newcombe (1998b), Statistics in Medicine
 * 17:873-890, method 10, to the 4 decimals printed there. */
static void test_analytic__newcombe_published(void)
{
	static const struct {
		size_t x1, n1, x2, n2;
		double low, high;
	} t[] = {
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0},
		{10, 10, 0, 10, 0.6075, 1.0},
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fa_interval r;
		CHECK_INT(fa_newcombe_interval(&r, t[i].x1, t[i].n1, t[i].x2, t[i].n2, 0.95, NULL),
			  0);
		CHECK_NEAR(r.low, t[i].low, 5e-5);
		CHECK_NEAR(r.high, t[i].high, 5e-5);
	}
}

/* ---- chi-square ------------------------------------------------------------------------ */

static const struct {
	size_t k, x[8], n[8];
	double statistic;
	unsigned df;
	double p_value, min_expected;
	int low_expected;
} r_chisq[] = {
	{3, {804, 791, 224}, {3044, 2238, 718}, 49.000867332648554, 2, 2.2887420800315397e-11, 217.67366666666666, 0},
	{2, {15, 25}, {50, 50}, 4.166666666666667, 1, 0.041226833337163572, 20, 0},
	{5, {12, 30, 22, 5, 40}, {100, 120, 90, 30, 150}, 9.0818089634820129, 4, 0.059086859046327572, 6.6734693877551017, 0},
	{3, {1, 3, 2}, {8, 10, 6}, 1.0222222222222221, 2, 0.59982873204150833, 1.5, 1},
	{2, {5, 5}, {10, 10}, 0, 1, 1, 5, 0},
	{3, {0, 4, 9}, {20, 20, 20}, 11.980360065466449, 2, 0.002503213349291742, 4.333333333333333, 1},
};

static void test_analytic__chisq_r(void)
{
	size_t i;
	for (i = 0; i < sizeof(r_chisq) / sizeof(r_chisq[0]); i++) {
		fa_chisq r;
		fa_error err;
		CHECK_INT(fa_chisq_homogeneity(&r, r_chisq[i].x, r_chisq[i].n, r_chisq[i].k, &err),
			  0);
		CHECK_REL(r.statistic, r_chisq[i].statistic, 1e-12);
		CHECK_INT(r.df, r_chisq[i].df);
		CHECK_REL(r.p_value, r_chisq[i].p_value, 1e-12);
		CHECK_REL(r.min_expected, r_chisq[i].min_expected, 1e-12);
		CHECK_INT(r.low_expected, r_chisq[i].low_expected);
	}
}

/* 2 x 2 by hand: 15/50 vs 25/50. Expected 20 and 30 in each row, so
 * X2 = 4 (25/20 + 25/30) = 25/6, and for one degree of freedom the upper
 * tail is erfc(sqrt(X2 / 2)). */
static void test_analytic__chisq_hand(void)
{
	const size_t x[] = {15, 25}, n[] = {50, 50}, z[] = {0, 0, 0}, nn[] = {3, 4, 5};
	const size_t full[] = {3, 4}, zero_n[] = {0, 4};
	fa_chisq r;
	fa_error err;

	CHECK_INT(fa_chisq_homogeneity(&r, x, n, 2, &err), 0);
	CHECK_NEAR(r.statistic, 25.0 / 6, 1e-14);
	CHECK_NEAR(r.p_value, erfc(sqrt(25.0 / 12)), 1e-14);
	CHECK_INT(r.low_expected, 0);
	CHECK_INT(fa_chisq_homogeneity(&r, z, nn, 3, &err), FA_EINPUT);
	CHECK_NAN(r.statistic);
	CHECK_INT(fa_chisq_homogeneity(&r, full, full, 2, &err), FA_EINPUT);
	CHECK_INT(fa_chisq_homogeneity(&r, x, n, 1, &err), FA_EINPUT);
	CHECK_INT(fa_chisq_homogeneity(&r, x, zero_n, 2, &err), FA_EINPUT);
}

/* ---- p.adjust ----------------------------------------------------------------------------- */

static const struct {
	size_t m;
	double p[25], holm[25], bh[25];
} r_padj[] = {
	{8, {0.01, 0.040000000000000001, 0.029999999999999999, 0.0050000000000000001, 0.5, 0.040000000000000001, 0.20000000000000001, NAN}, {0.059999999999999998, 0.16, 0.14999999999999999, 0.035000000000000003, 0.5, 0.16, 0.40000000000000002, NAN}, {0.035000000000000003, 0.055999999999999994, 0.055999999999999994, 0.035000000000000003, 0.5, 0.055999999999999994, 0.23333333333333336, NAN}},
	{25, {0.96709599999999996, 0.062923999999999994, 0.001549, 0.000339, 0.014482, 0.496813, 0.039326, 0.91850699999999996, 0.0045620000000000001, 0.096768000000000007, 0.0050660000000000002, 0.012403000000000001, 0.46155299999999999, 0.00089300000000000002, 0.093235999999999999, 0.00060800000000000003, 0.17624300000000001, 9.9999999999999995e-07, 0.95781899999999998, 0.031730000000000001, 0.261467, 0.025731, 0.99014400000000002, 0.74373, 0.96659600000000001}, {1, 0.81801199999999996, 0.032529000000000002, 0.0081360000000000009, 0.246194, 1, 0.55056400000000005, 1, 0.091240000000000002, 1, 0.096254000000000006, 0.22325400000000001, 1, 0.019646, 1, 0.013984, 1, 2.4999999999999998e-05, 1, 0.47595000000000004, 1, 0.41169600000000001, 1, 1, 1}, {0.99014400000000002, 0.1210076923076923, 0.0077450000000000001, 0.0042374999999999999, 0.040227777777777779, 0.65370131578947377, 0.081929166666666678, 0.99014400000000002, 0.018092857142857143, 0.16128000000000001, 0.018092857142857143, 0.038759375000000006, 0.64104583333333331, 0.0055812500000000003, 0.16128000000000001, 0.0050666666666666672, 0.27537968750000003, 2.4999999999999998e-05, 0.99014400000000002, 0.07211363636363638, 0.38451029411764709, 0.064327499999999996, 0.99014400000000002, 0.92966250000000006, 0.99014400000000002}},
	{6, {0.02, 0.02, 0.02, 1, 0.90000000000000002, 0.0001}, {0.10000000000000001, 0.10000000000000001, 0.10000000000000001, 1, 1, 0.00060000000000000006}, {0.029999999999999999, 0.029999999999999999, 0.029999999999999999, 1, 1, 0.00060000000000000006}},
	{1, {0.29999999999999999}, {0.29999999999999999}, {0.29999999999999999}},
};

static void test_analytic__p_adjust_r(void)
{
	size_t i, j;
	double out[25];
	for (i = 0; i < sizeof(r_padj) / sizeof(r_padj[0]); i++) {
		size_t m = r_padj[i].m;
		fa_p_adjust(out, r_padj[i].p, m, FA_P_ADJUST_HOLM);
		for (j = 0; j < m; j++)
			CHECK_NEAR(out[j], r_padj[i].holm[j], 1e-12);
		fa_p_adjust(out, r_padj[i].p, m, FA_P_ADJUST_BH);
		for (j = 0; j < m; j++)
			CHECK_NEAR(out[j], r_padj[i].bh[j], 1e-12);
		/* in place */
		memcpy(out, r_padj[i].p, m * sizeof(double));
		fa_p_adjust(out, out, m, FA_P_ADJUST_BH);
		for (j = 0; j < m; j++)
			CHECK_NEAR(out[j], r_padj[i].bh[j], 1e-12);
	}
}

/* Holm by hand for p = (0.01, 0.04, 0.03): sorted 0.01, 0.03, 0.04 times
 * 3, 2, 1 gives 0.03, 0.06, 0.04, then the running maximum 0.03, 0.06, 0.06.
 * BH: 0.04 x 3/3, 0.03 x 3/2, 0.01 x 3/1 and the running minimum from the
 * top gives 0.04, 0.04, 0.03. */
static void test_analytic__p_adjust_hand(void)
{
	const double p[] = {0.01, 0.04, 0.03};
	double out[3];

	fa_p_adjust(out, p, 3, FA_P_ADJUST_HOLM);
	CHECK_NEAR(out[0], 0.03, 1e-17);
	CHECK_NEAR(out[1], 0.06, 1e-17);
	CHECK_NEAR(out[2], 0.06, 1e-17);
	fa_p_adjust(out, p, 3, FA_P_ADJUST_BH);
	CHECK_NEAR(out[0], 0.03, 1e-17);
	CHECK_NEAR(out[1], 0.04, 1e-17);
	CHECK_NEAR(out[2], 0.04, 1e-17);
	fa_p_adjust(out, p, 0, FA_P_ADJUST_BH); /* nothing to do */
}

/* ---- permutation test ----------------------------------------------------------------------- */

typedef struct perm_ctx {
	const double *score;
	size_t pos1, neg1; /* group 1's positives and negatives, which no
			      permutation may change */
	size_t calls, broken;
} perm_ctx;

/* |mean score of group 1 - mean score of group 0| */
static int mean_gap(double *out, const uint32_t *codes, const uint8_t *labels, size_t n,
		    void *ctx, fa_error *err)
{
	perm_ctx *c = ctx;
	double s[2] = {0, 0};
	size_t k[2] = {0, 0}, pos1 = 0, neg1 = 0, i;

	(void)err;
	for (i = 0; i < n; i++) {
		s[codes[i]] += c->score[i];
		k[codes[i]]++;
		if (codes[i] == 1) {
			pos1 += labels[i] != 0;
			neg1 += labels[i] == 0;
		}
	}
	c->calls++;
	c->broken += pos1 != c->pos1 || neg1 != c->neg1;
	*out = fabs(s[1] / (double)k[1] - s[0] / (double)k[0]);
	return 0;
}

static int constant_stat(double *out, const uint32_t *codes, const uint8_t *labels,
			 size_t n, void *ctx, fa_error *err)
{
	(void)codes, (void)labels, (void)n, (void)ctx, (void)err;
	*out = 0.5;
	return 0;
}

static int failing_stat(double *out, const uint32_t *codes, const uint8_t *labels,
			size_t n, void *ctx, fa_error *err)
{
	size_t *calls = ctx;
	(void)codes, (void)labels, (void)n;
	*out = 1;
	if (++*calls < 3)
		return 0;
	return fa_error_set(err, FA_EMATH, NULL, 0, 0, "statistic failed");
}

/* The exact permutation p-value (all 166320 arrangements) is from
 * proc_reference.R; 20000 permutations estimate it with a standard error
 * of sqrt(p (1 - p) / 20000), about 0.0029. */
static void test_analytic__perm_exact(void)
{
	const double observed = 0.61811111111111128, exact = 0.21345598845598845;
	const size_t B = 20000;
	char line[128], *f[4];
	double score[64];
	uint32_t codes[64];
	uint8_t labels[64];
	size_t n = 0;
	perm_ctx c = {score, 0, 0, 0, 0};
	fa_perm_result r, r2, r3;
	fa_error err;
	FILE *fp = fopen(test_path("tests/data/analytic_perm.csv"), "r");

	if (!fp) {
		test_fail(__FILE__, __LINE__, "cannot open analytic_perm.csv");
		return;
	}
	if (!fgets(line, sizeof(line), fp))
		abort();
	while (n < 64 && fgets(line, sizeof(line), fp))
		if (split(line, f, 4) == 3) {
			codes[n] = (uint32_t)atoi(f[0]);
			labels[n] = (uint8_t)atoi(f[1]);
			score[n] = strtod(f[2], NULL);
			c.pos1 += codes[n] == 1 && labels[n];
			c.neg1 += codes[n] == 1 && !labels[n];
			n++;
		}
	fclose(fp);
	CHECK_INT(n, 22);

	CHECK_INT(fa_perm_test(&r, codes, labels, n, mean_gap, &c, B, 20240611, &err), 0);
	CHECK_NEAR(r.observed, observed, 1e-12);
	CHECK_INT(r.permutations, B);
	CHECK_INT(c.calls, B + 1);
	CHECK_INT(c.broken, 0);
	CHECK(r.p_value == (double)(r.exceed + 1) / (double)(B + 1));
	CHECK_NEAR(r.p_value, exact, 4 * sqrt(exact * (1 - exact) / (double)B));
	/* the input is left as it was */
	CHECK_INT(codes[0], 1);
	CHECK_INT(codes[21], 0);

	/* reproducible from the seed, and the seed matters */
	CHECK_INT(fa_perm_test(&r2, codes, labels, n, mean_gap, &c, B, 20240611, &err), 0);
	CHECK_INT(r2.exceed, r.exceed);
	CHECK_INT(fa_perm_test(&r3, codes, labels, n, mean_gap, &c, B, 7, &err), 0);
	CHECK(r3.exceed != r.exceed);
	CHECK_NEAR(r3.p_value, exact, 4 * sqrt(exact * (1 - exact) / (double)B));
}

static void test_analytic__perm_edges(void)
{
	const uint32_t codes[] = {0, 1, 0, 1, 1};
	const uint8_t labels[] = {1, 1, 0, 0, 0};
	fa_perm_result r;
	fa_error err;
	size_t calls = 0;

	/* every arrangement ties the observed statistic: p = 1 */
	CHECK_INT(fa_perm_test(&r, codes, labels, 5, constant_stat, NULL, 99, 1, &err), 0);
	CHECK_INT(r.exceed, 99);
	CHECK(r.p_value == 1);
	CHECK_INT(fa_perm_test(&r, codes, labels, 5, constant_stat, NULL, 0, 1, &err), FA_EUSAGE);
	/* a failing statistic stops the test with its own error */
	CHECK_INT(fa_perm_test(&r, codes, labels, 5, failing_stat, &calls, 10, 1, &err), FA_EMATH);
	CHECK_STR(err.message, "statistic failed");
	CHECK_INT(calls, 3);
}

test_case test_analytic__cases[] = {
	{"delong_proc", test_analytic__delong_proc},
	{"delong_hand", test_analytic__delong_hand},
	{"delong_any_order", test_analytic__delong_any_order},
	{"delong_undefined", test_analytic__delong_undefined},
	{"delong_compare_proc", test_analytic__delong_compare_proc},
	{"delong_compare_hand", test_analytic__delong_compare_hand},
	{"wilson_r", test_analytic__wilson_r},
	{"wilson_published", test_analytic__wilson_published},
	{"wilson_errors", test_analytic__wilson_errors},
	{"newcombe_r", test_analytic__newcombe_r},
	{"newcombe_published", test_analytic__newcombe_published},
	{"chisq_r", test_analytic__chisq_r},
	{"chisq_hand", test_analytic__chisq_hand},
	{"p_adjust_r", test_analytic__p_adjust_r},
	{"p_adjust_hand", test_analytic__p_adjust_hand},
	{"perm_exact", test_analytic__perm_exact},
	{"perm_edges", test_analytic__perm_edges},
	{NULL, NULL},
};
