/* GET /web/receipt?store=S&receipt=R: one sale as HQ holds it
 * (hqstore_sale_view): when and who, the lines (voided ones struck
 * through), the approvals on its ticket with who approved and why, the
 * taxes (PPN), the tenders and the total; printable. The drill-down of
 * the exceptions and the members' statements link their receipt
 * numbers here (web_receipt_link). A manager sees the own store's
 * receipts only (web_store_arg: 403, logged). */
#include "web.h"
#include "hqstore_sale_view.h"

#include <stdio.h>
#include <string.h>

void web_receipt_link(struct html *h, const char *store, const char *receipt)
{
	if (!receipt || !*receipt) {
		html_raw(h, "-");
		return;
	}
	html_f(h, "<a href=\"/web/receipt?store=%s&amp;receipt=%s\">%s</a>", store, receipt, receipt);
}

static const char *note_label(const char *type)
{
	if (!strcmp(type, "line_voided"))
		return _("line voided");
	if (!strcmp(type, "qty_reduced"))
		return _("quantity reduced");
	if (!strcmp(type, "price_override"))
		return _("price override");
	if (!strcmp(type, "line_discount"))
		return _("line discount");
	if (!strcmp(type, "ticket_discount"))
		return _("ticket discount");
	return type;
}

static void head(struct web *w, const struct hq_sale_view *v)
{
	struct html *h = &w->h;
	html_f(h, "<table id=\"sale\" class=\"narrow\"><tr><th>%s</th><td>%s</td></tr>"
	       "<tr><th>%s</th><td>%s</td></tr><tr><th>%s</th><td>", _("Store"), v->store,
	       _("Terminal"), v->terminal, _("Date"));
	html_date(h, v->date);
	html_f(h, "</td></tr><tr><th>%s</th><td>", _("Paid at"));
	html_time(h, v->at);
	html_f(h, "</td></tr><tr><th>%s</th><td id=\"cashier\">", _("Cashier"));
	if (v->cashier_name[0])
		html_text(h, v->cashier_name);
	else
		html_int(h, v->cashier);
	html_f(h, "</td></tr><tr><th>%s</th><td id=\"member\">", _("Member"));
	if (v->member_no[0])
		html_f(h, "%s %s", v->member_no, v->member_name);
	else
		html_raw(h, "-");
	html_raw(h, "</td></tr></table>");
}

static void lines(struct web *w, const struct hq_sale_view *v)
{
	struct html *h = &w->h;
	html_f(h, "<h2>%s</h2><div class=\"scroll\"><table id=\"lines\"><tr><th class=\"n\">#</th>"
	       "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	       "<th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th></tr>", _("Lines"),
	       _("Item"), _("Qty"), _("Price"), _("Amount"), _("Discount"), _("Net"), _("Tax"));
	for (size_t i = 0; i < v->nlines; i++) {
		const struct hq_sale_line *l = &v->lines[i];
		html_raw(h, l->voided ? "<tr class=\"voided\"><td class=\"n\">" : "<tr><td class=\"n\">");
		html_int(h, l->line);
		html_f(h, "</td><td>%s", l->sku);
		if (l->voided)
			html_f(h, " <b>(%s)</b>", _("voided"));
		if (l->price != l->list_price) {
			html_f(h, " <span class=\"muted\">%s ", _("list price"));
			html_money(h, l->list_price);
			html_raw(h, "</span>");
		}
		html_raw(h, "</td><td class=\"n\">");
		html_qty(h, l->qty);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, l->price);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, l->amount);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, l->discount);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, l->voided ? 0 : l->net);
		html_f(h, "</td><td>%s</td></tr>", l->tax);
	}
	html_raw(h, "</table></div>");
}

static void notes(struct web *w, const struct hq_sale_view *v)
{
	struct html *h = &w->h;
	if (!v->nnotes)
		return;
	html_f(h, "<h2>%s</h2><div class=\"scroll\"><table id=\"approvals\"><tr><th>%s</th>"
	       "<th>%s</th><th class=\"n\">%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	       "<th>%s</th></tr>", _("Changes and approvals"), _("When"), _("What"), _("Line"),
	       _("Item"), _("By"), _("Approved by"), _("Reason"), _("Approved"));
	for (size_t i = 0; i < v->nnotes; i++) {
		const struct hq_sale_note *n = &v->notes[i];
		html_raw(h, "<tr><td>");
		html_time(h, n->at);
		html_f(h, "</td><td>%s</td><td class=\"n\">", note_label(n->type));
		if (n->line)
			html_int(h, n->line);
		html_f(h, "</td><td>%s</td><td>", n->sku);
		if (n->user[0])
			html_text(h, n->user);
		else
			html_int(h, n->user_id);
		html_f(h, "</td><td class=\"approver\">%s</td><td class=\"reason\">%s</td>"
		       "<td class=\"muted\">%s</td></tr>", n->approved_by ? n->approver : "-",
		       n->reason[0] ? n->reason : "-", n->approved);
	}
	html_raw(h, "</table></div>");
}

static void money_row(struct html *h, const char *id, const char *label, int64_t rupiah)
{
	html_f(h, "<tr id=\"%s\"><th>%s</th><td class=\"n\">", id, label);
	html_money(h, rupiah);
	html_raw(h, "</td></tr>");
}

static void totals(struct web *w, const struct hq_sale_view *v)
{
	struct html *h = &w->h;
	html_f(h, "<h2>%s</h2><table id=\"totals\" class=\"narrow\">", _("Totals"));
	money_row(h, "gross", _("Gross"), v->gross);
	money_row(h, "discount", _("Discount"), v->discount);
	money_row(h, "total", _("Total"), v->total);
	if (v->rounding)
		money_row(h, "rounding", _("Rounding"), v->rounding);
	money_row(h, "due", _("Due"), v->due);
	for (size_t i = 0; i < v->ntenders; i++) {
		html_f(h, "<tr class=\"tender\"><th>%s %s</th><td class=\"n\">", _("Paid by"),
		       v->tenders[i].kind);
		html_money(h, v->tenders[i].amount);
		html_raw(h, "</td></tr>");
	}
	money_row(h, "change", _("Change given"), v->change);
	html_raw(h, "</table>");
	if (!v->ntaxes)
		return;
	html_f(h, "<table id=\"taxes\" class=\"narrow\"><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	       "</tr>", _("Tax class"), _("Sales"), _("PPN"));
	for (size_t i = 0; i < v->ntaxes; i++) {
		html_f(h, "<tr><td>%s</td><td class=\"n\">", v->taxes[i].cls);
		html_money(h, v->taxes[i].total);
		html_raw(h, "</td><td class=\"n\">");
		html_money(h, v->taxes[i].tax);
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</table>");
}

void web_receipt(struct web *w)
{
	const char *receipt = web_arg(w, "receipt");
	const char *store = web_store_arg(w, NULL);
	char title[80];
	struct hq_sale_view v;
	if (!store)
		return;
	if (!*store || !*receipt) {
		web_error(w, 400, _("Which store and receipt?"));
		return;
	}
	enum cm_rc rc = hqstore_sale_view(w->st, store, receipt, &v);
	if (rc == CM_NOTFOUND) {
		web_error(w, 404, hqstore_errmsg());
		return;
	}
	if (rc != CM_OK) {
		web_fail_store(w, rc);
		return;
	}
	snprintf(title, sizeof title, _("Receipt %s"), v.receipt);
	web_begin(w, title);
	head(w, &v);
	lines(w, &v);
	notes(w, &v);
	totals(w, &v);
	hqstore_sale_view_free(&v);
	web_end(w);
	web_send(w, 200);
}
