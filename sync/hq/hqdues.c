/* Members' savings at HQ: the folding rule, standings, the members pull
 * and the report figures (hqdues.h). */
#include "hqdues.h"
#include "hqstore_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int32_t hqdues_today(void)
{
	const char *fake = getenv("COOPMART_FAKE_TIME");
	time_t now = fake && *fake ? (time_t)strtoll(fake, NULL, 10) : time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int32_t hqdues_month_now(void)
{
	return hqdues_today() / 100;
}

enum cm_rc hqdues_schedule_load(struct hqstore *st, struct hqdues_schedule *out)
{
	memset(out, 0, sizeof *out);
	out->inactive_after = 3;
	enum cm_rc rc = hqstore_dues_rates(st, &out->r, &out->n);
	if (rc == CM_OK) {
		rc = hqstore_setting(st, HQDUES_INACTIVE_AFTER, &out->inactive_after);
		if (rc == CM_NOTFOUND)
			rc = CM_OK;
	}
	if (rc != CM_OK)
		hqdues_schedule_free(out);
	return rc;
}

void hqdues_schedule_free(struct hqdues_schedule *s)
{
	free(s->r);
	memset(s, 0, sizeof *s);
}

/* Every member takes a new version: whoever changes members takes the
 * counter's lock first (hqstore_members_version_lock). */
static enum cm_rc touch_all(struct hqstore *st, int64_t v)
{
	enum cm_rc rc = hqstore_members_touch(st, v + 1);
	return rc == CM_OK ? hqstore_version_set(st, HQ_MEMBERS, v + 1) : rc;
}

enum cm_rc hqdues_rates_put(struct hqstore *st, const struct dues_rate *r, size_t n,
                            size_t *changed)
{
	int64_t v;
	*changed = 0;
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_members_version_lock(st, &v);
	for (size_t i = 0; rc == CM_OK && i < n; i++) {
		bool one = false;
		rc = hqstore_dues_rate_put(st, &r[i], &one);
		*changed += one;
	}
	if (rc == CM_OK && *changed)
		rc = touch_all(st, v);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		*changed = 0;
		return rc;
	}
	return hqstore_commit(st);
}

enum cm_rc hqdues_setting_put(struct hqstore *st, const char *name, int64_t value, bool *changed)
{
	int64_t v;
	*changed = false;
	enum cm_rc rc = hqstore_begin(st);
	if (rc != CM_OK)
		return rc;
	rc = hqstore_members_version_lock(st, &v);
	if (rc == CM_OK)
		rc = hqstore_setting_set(st, name, value, changed);
	if (rc == CM_OK && *changed)
		rc = touch_all(st, v);
	if (rc != CM_OK) {
		hqstore_rollback(st);
		*changed = false;
		return rc;
	}
	return hqstore_commit(st);
}

/* The core's view of a member. A member who left without a leaving date
 * owes nothing more than what HQ cannot date: no wajib months at all
 * (the import asks for left_date; older files may lack it). */
static struct dues_member core_member(const struct hq_member *m, int32_t month, int32_t *upto)
{
	*upto = month;
	if (strcmp(m->status, "left") == 0 && !m->left_date)
		*upto = 0;
	return (struct dues_member){ .type = m->type, .join_date = m->join_date,
	                             .left_date = m->left_date };
}

void hqdues_standing(const struct hqdues_schedule *s, const struct hq_member_dues *md,
                     int32_t month, struct hqdues_standing *out)
{
	const struct dues_rates rs = { s->r, s->n };
	int32_t upto;
	struct dues_member dm = core_member(&md->m, month, &upto);
	memset(out, 0, sizeof *out);
	size_t n = dues_owed(&rs, &dm, md->wajib, md->nwajib, upto, out->owed, HQDUES_MAX_OWED,
	                     &out->wajib);
	out->nowed = n < HQDUES_MAX_OWED ? n : HQDUES_MAX_OWED;
	out->pokok_owed = dm.join_date ? dues_pokok_owed(&rs, &dm, md->pokok) : 0;
	out->sukarela = md->sukarela;
	out->inactive = s->inactive_after > 0 && out->wajib.months >= s->inactive_after;
}

/* ---- folding ---- */

/* What the month (pokok: the joining) still owes of the member, before
 * this payment: > 0 means the payment counts. */
static enum cm_rc still_owed(struct hqstore *st, const struct hqdues_schedule *s,
                             const struct hq_member *m, const struct hq_dues_pay *p,
                             cm_money *owed)
{
	const struct dues_rates rs = { s->r, s->n };
	int32_t upto;
	struct dues_member dm = core_member(m, 0, &upto);
	int64_t counted = 0;
	*owed = 0;
	enum cm_rc rc = hqstore_dues_counted(st, m->number, p->kind, p->month, &counted);
	if (rc != CM_OK || !m->join_date)
		return rc;
	if (p->kind == DUES_POKOK) {
		*owed = dues_pokok_owed(&rs, &dm, counted);
		return CM_OK;
	}
	/* A wajib month outside the membership owes nothing; a month ahead
	 * of the current one may be paid in advance. */
	int32_t first = dues_month_of_date(m->join_date);
	bool left = strcmp(m->status, "left") == 0;
	if (p->month < first || (m->left_date && p->month > dues_month_of_date(m->left_date)) ||
	    (left && !m->left_date))
		return CM_OK;
	*owed = dues_rate(&rs, m->type, DUES_WAJIB, p->month) - counted;
	return CM_OK;
}

static void pay_where(const struct hq_dues_pay *p, const struct hq_member *m, const char **store,
                      const char **terminal)
{
	*store = p->payroll ? (m && m->store[0] ? m->store : "HQ") : p->store;
	*terminal = p->payroll ? "payroll" : p->terminal;
}

static enum cm_rc alert_uncounted(struct hqstore *st, const struct hq_dues_pay *p,
                                  const struct hq_member *m, enum hqdues_outcome o)
{
	char month[16] = "", what[32], detail[300];
	const char *store, *terminal;
	pay_where(p, m, &store, &terminal);
	if (p->kind == DUES_WAJIB)
		dues_month_format(p->month, month, sizeof month);
	snprintf(what, sizeof what, "%s%s%s", dues_kind_name(p->kind), month[0] ? " " : "", month);
	if (o == HQDUES_UNKNOWN_MEMBER)
		snprintf(detail, sizeof detail, "member %s is not known at HQ: %s of %lld kept "
		         "uncounted (store %s, terminal %s, receipt %s)", p->member_no, what,
		         (long long)p->amount, p->store, terminal, p->receipt[0] ? p->receipt : "-");
	else
		snprintf(detail, sizeof detail, "member %s: %s is paid already; %lld kept "
		         "uncounted for a refund or sukarela (store %s, terminal %s, receipt %s)",
		         p->member_no, what, (long long)p->amount, p->payroll ? "-" : p->store,
		         terminal, p->receipt[0] ? p->receipt : "-");
	return hqstore_alert(st, store, terminal,
	                     o == HQDUES_UNKNOWN_MEMBER ? "dues_unknown_member" : "dues_duplicate",
	                     detail);
}

enum cm_rc hqdues_fold(struct hqstore *st, const struct hqdues_schedule *s,
                       const struct hq_dues_pay *p, const struct hq_member *known, int64_t version,
                       enum hqdues_outcome *out)
{
	struct hq_member m;
	cm_money owed = 1;
	enum cm_rc rc = CM_OK;
	if (known)
		m = *known;
	else
		rc = hqstore_member_get(st, p->member_no, true, &m);
	if (rc == CM_NOTFOUND) {
		*out = HQDUES_UNKNOWN_MEMBER;
		rc = hqstore_dues_insert(st, p, false);
		return rc == CM_OK ? alert_uncounted(st, p, NULL, *out) : rc;
	}
	if (rc == CM_OK && p->kind != DUES_SUKARELA)
		rc = still_owed(st, s, &m, p, &owed);
	if (rc != CM_OK)
		return rc;
	*out = owed > 0 ? HQDUES_COUNTED : HQDUES_DUPLICATE;
	rc = hqstore_dues_insert(st, p, owed > 0);
	if (rc == CM_OK)
		rc = hqstore_member_version_set(st, p->member_no, version);
	if (rc == CM_OK && *out == HQDUES_DUPLICATE)
		rc = alert_uncounted(st, p, &m, *out);
	return rc;
}

/* ---- the members pull ---- */

/* Integers are written as raw JSON: cJSON prints every number as a
 * double and reads it back to check, which was most of a 5000-member
 * page's time. */
static void put_int(cJSON *o, const char *name, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	cJSON_AddRawToObject(o, name, buf);
}

static cJSON *rates_json(const struct hqdues_schedule *s)
{
	cJSON *d = cJSON_CreateObject(), *a;
	if (!d)
		return NULL;
	put_int(d, "inactive_after", s->inactive_after);
	if (!(a = cJSON_AddArrayToObject(d, "rates")))
		return d;
	for (size_t i = 0; i < s->n; i++) {
		cJSON *r = cJSON_CreateObject();
		if (!r)
			break;
		cJSON_AddItemToArray(a, r);
		cJSON_AddStringToObject(r, "type", s->r[i].type);
		cJSON_AddStringToObject(r, "kind", dues_kind_name(s->r[i].kind));
		put_int(r, "from", s->r[i].from);
		put_int(r, "amount", s->r[i].amount);
	}
	return d;
}

static void standing_json(cJSON *o, const struct hqdues_standing *sd)
{
	put_int(o, "pokok_owed", sd->pokok_owed);
	put_int(o, "wajib_through", sd->wajib.through);
	put_int(o, "wajib_paid_until", sd->wajib.paid_until);
	put_int(o, "wajib_months", sd->wajib.months);
	put_int(o, "wajib_arrears", sd->wajib.arrears);
	/* [[month, amount], ...] in one raw piece: at most 120 pairs. */
	char owed[HQDUES_MAX_OWED * 32 + 4];
	size_t used = 0;
	owed[used++] = '[';
	for (size_t i = 0; i < sd->nowed; i++)
		used += (size_t)snprintf(owed + used, sizeof owed - used, "%s[%ld,%lld]", i ? "," : "",
		                         (long)sd->owed[i].month, (long long)sd->owed[i].amount);
	snprintf(owed + used, sizeof owed - used, "]");
	cJSON_AddRawToObject(o, "wajib_owed", owed);
	put_int(o, "sukarela", sd->sukarela);
}

struct page {
	const struct hqdues_schedule *s;
	int32_t month;
	cJSON *members, *deleted;
	int64_t rows, last_v;
	char last_key[24];
	struct hqdues_standing sd;        /* scratch: large */
};

static enum cm_rc on_member(const struct hq_member_dues *md, void *ctx)
{
	struct page *pg = ctx;
	const struct hq_member *m = &md->m;
	pg->rows++;
	pg->last_v = m->version;
	snprintf(pg->last_key, sizeof pg->last_key, "%s", m->number);
	if (m->deleted) {
		cJSON_AddItemToArray(pg->deleted, cJSON_CreateString(m->number));
		return CM_OK;
	}
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return CM_NOMEM;
	cJSON_AddItemToArray(pg->members, o);
	cJSON_AddStringToObject(o, "number", m->number);
	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddStringToObject(o, "card_code", m->card_code);
	cJSON_AddStringToObject(o, "status", m->status);
	cJSON_AddStringToObject(o, "type", m->type);
	put_int(o, "join_date", m->join_date);
	put_int(o, "left_date", m->left_date);
	hqdues_standing(pg->s, md, pg->month, &pg->sd);
	standing_json(o, &pg->sd);
	put_int(o, "credit_limit", m->credit_limit);
	put_int(o, "credit_balance", m->credit_balance);
	put_int(o, "version", m->version);
	return CM_OK;
}

static enum cm_rc page_fill(struct hqstore *st, const struct hq_terminal *t, cJSON *root,
                            struct page *pg, int64_t since, int64_t upto, int64_t after_v,
                            const char *after_key, int64_t limit)
{
	struct hq_head head;
	/* The head first: the standing may count more of this terminal's
	 * payments than acked_seq says (a push between the two reads), never
	 * fewer; the agent does not push and pull at once. */
	enum cm_rc rc = hqstore_head(st, t, &head);
	if (rc != CM_OK)
		return rc;
	put_int(root, "upto", upto);
	put_int(root, "month", pg->month);
	put_int(root, "acked_seq", head.seq);
	cJSON_AddItemToObject(root, "dues", rates_json(pg->s));
	pg->members = cJSON_AddArrayToObject(root, "members");
	pg->deleted = cJSON_AddArrayToObject(root, "deleted");
	if (!pg->members || !pg->deleted)
		return CM_NOMEM;
	if (after_v < since) {
		after_v = since;
		after_key = "";
	}
	rc = hqstore_members_dues_page(st, since, upto, after_v, after_key, limit, on_member, pg);
	if (rc != CM_OK)
		return rc;
	if (pg->rows == limit) {
		char next[64];
		snprintf(next, sizeof next, "%lld:%s", (long long)pg->last_v, pg->last_key);
		cJSON_AddStringToObject(root, "next", next);
	} else {
		cJSON_AddNullToObject(root, "next");
	}
	return CM_OK;
}

enum cm_rc hqdues_members_page(struct hqstore *st, const struct hq_terminal *t, int64_t since,
                               int64_t upto, int64_t after_v, const char *after_key,
                               int64_t limit, char **json)
{
	struct hqdues_schedule s;
	*json = NULL;
	enum cm_rc rc = hqdues_schedule_load(st, &s);
	if (rc != CM_OK)
		return rc;
	struct page *pg = calloc(1, sizeof *pg);
	cJSON *root = cJSON_CreateObject();
	if (!pg || !root) {
		rc = CM_NOMEM;
		goto out;
	}
	pg->s = &s;
	pg->month = hqdues_month_now();
	rc = page_fill(st, t, root, pg, since, upto, after_v, after_key, limit);
	if (rc == CM_OK && !(*json = cJSON_PrintUnformatted(root)))
		rc = CM_NOMEM;
out:
	cJSON_Delete(root);
	free(pg);
	hqdues_schedule_free(&s);
	return rc;
}

/* ---- reports ---- */

struct arrears {
	const struct hqdues_schedule *s;
	int32_t month;
	struct hqdues_arrear *a;
	size_t n, cap;
	struct hqdues_standing sd;
};

static enum cm_rc on_arrear(const struct hq_member_dues *md, void *ctx)
{
	struct arrears *ar = ctx;
	hqdues_standing(ar->s, md, ar->month, &ar->sd);
	if (!ar->sd.wajib.months && !ar->sd.pokok_owed)
		return CM_OK;
	if (ar->n == ar->cap) {
		size_t cap = ar->cap ? ar->cap * 2 : 64;
		void *p = realloc(ar->a, cap * sizeof *ar->a);
		if (!p)
			return CM_NOMEM;
		ar->a = p;
		ar->cap = cap;
	}
	struct hqdues_arrear *e = &ar->a[ar->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->number, sizeof e->number, "%s", md->m.number);
	snprintf(e->name, sizeof e->name, "%s", md->m.name);
	snprintf(e->type, sizeof e->type, "%s", md->m.type);
	snprintf(e->status, sizeof e->status, "%s", md->m.status);
	snprintf(e->store, sizeof e->store, "%s", md->m.store);
	e->months = ar->sd.wajib.months;
	e->wajib = ar->sd.wajib.arrears;
	e->pokok = ar->sd.pokok_owed;
	e->oldest = ar->sd.wajib.oldest;
	if (e->pokok && (!e->oldest || dues_month_of_date(md->m.join_date) < e->oldest))
		e->oldest = dues_month_of_date(md->m.join_date);
	e->inactive = ar->sd.inactive;
	return CM_OK;
}

static int arrear_cmp(const void *a, const void *b)
{
	const struct hqdues_arrear *x = a, *y = b;
	if (x->oldest != y->oldest)
		return x->oldest < y->oldest ? -1 : 1;
	return strcmp(x->number, y->number);
}

enum cm_rc hqdues_arrears(struct hqstore *st, const char *store, int32_t month,
                          struct hqdues_arrear **out, size_t *n)
{
	struct hqdues_schedule s;
	*out = NULL;
	*n = 0;
	enum cm_rc rc = hqdues_schedule_load(st, &s);
	if (rc != CM_OK)
		return rc;
	struct arrears *ar = calloc(1, sizeof *ar);
	if (!ar) {
		hqdues_schedule_free(&s);
		return CM_NOMEM;
	}
	ar->s = &s;
	ar->month = month;
	rc = hqstore_members_dues_each(st, store, on_arrear, ar);
	if (rc == CM_OK) {
		if (ar->n)
			qsort(ar->a, ar->n, sizeof *ar->a, arrear_cmp);
		*out = ar->a;
		*n = ar->n;
	} else {
		free(ar->a);
	}
	free(ar);
	hqdues_schedule_free(&s);
	return rc;
}

struct stmt_build {
	struct hqdues_statement *s;
	size_t cap;
	struct dues_paid *paid;           /* counted wajib, every year */
	size_t npaid, paidcap;
	cm_money pokok, sukarela;
	enum cm_rc rc;
};

static enum cm_rc keep_paid(struct stmt_build *b, const struct hq_dues_pay *p)
{
	if (!p->counted)
		return CM_OK;
	if (p->kind == DUES_POKOK) {
		b->pokok += p->amount;
		return CM_OK;
	}
	if (p->kind == DUES_SUKARELA) {
		b->sukarela += p->amount;
		return CM_OK;
	}
	if (b->npaid == b->paidcap) {
		size_t cap = b->paidcap ? b->paidcap * 2 : 32;
		void *q = realloc(b->paid, cap * sizeof *b->paid);
		if (!q)
			return CM_NOMEM;
		b->paid = q;
		b->paidcap = cap;
	}
	b->paid[b->npaid++] = (struct dues_paid){ .month = p->month, .amount = p->amount };
	return CM_OK;
}

static enum cm_rc on_pay(const struct hq_dues_pay *p, void *ctx)
{
	struct stmt_build *b = ctx;
	struct hqdues_statement *s = b->s;
	enum cm_rc rc = keep_paid(b, p);
	if (rc != CM_OK || (s->year && p->date / 10000 != s->year))
		return rc;
	if (s->npays == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		void *q = realloc(s->pays, cap * sizeof *s->pays);
		if (!q)
			return CM_NOMEM;
		s->pays = q;
		b->cap = cap;
	}
	s->pays[s->npays++] = *p;
	if (p->counted)
		s->counted[p->kind] += p->amount;
	else
		s->uncounted += p->amount;
	return CM_OK;
}

enum cm_rc hqdues_statement(struct hqstore *st, const char *number, int year, int32_t month,
                            struct hqdues_statement *out)
{
	struct hqdues_schedule sch;
	struct stmt_build b = { .s = out };
	memset(out, 0, sizeof *out);
	out->year = year;
	out->month = month;
	enum cm_rc rc = hqstore_member_get(st, number, false, &out->m);
	if (rc == CM_NOTFOUND)
		return db_fail(CM_NOTFOUND, _("member %s is not known at HQ"), number);
	if (rc != CM_OK || (rc = hqdues_schedule_load(st, &sch)) != CM_OK)
		return rc;
	/* Every year is read: the standing counts them all. */
	rc = hqstore_dues_ledger_each(st, number, 0, on_pay, &b);
	if (rc == CM_OK) {
		struct hq_member_dues md = { .m = out->m, .pokok = b.pokok, .sukarela = b.sukarela,
		                             .wajib = b.paid, .nwajib = b.npaid };
		hqdues_standing(&sch, &md, month, &out->standing);
	}
	free(b.paid);
	hqdues_schedule_free(&sch);
	if (rc != CM_OK)
		hqdues_statement_free(out);
	return rc;
}

void hqdues_statement_free(struct hqdues_statement *s)
{
	free(s->pays);
	s->pays = NULL;
	s->npays = 0;
}
