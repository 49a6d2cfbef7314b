/* X/Z report text.
 *
 * Layout: store name and "LAPORAN X" / "LAPORAN Z No. n" centred; rule;
 * Tanggal / Terminal / Oleh / Jurnal fields; rule; sales (count, gross,
 * discounts, total, rounding, PPN, returns, net); rule; payments by kind
 * and the change given; rule; cash in and out; then for an X report with
 * a shift open the drawer's expected cash, for a Z the closed shifts'
 * expected, counted and difference, and the grand totals. */
#include "core/xzreport.h"
#include "core/money.h"
#include "core/receipt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	char *buf;
	size_t len, cap;
	int cols;
	bool failed;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->failed)
		return;
	if (o->len + n + 2 > o->cap) {
		size_t cap = (o->cap ? o->cap * 2 : 1024) + n;
		char *p = realloc(o->buf, cap);
		if (!p) {
			o->failed = true;
			return;
		}
		o->buf = p;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len++] = '\n';
	o->buf[o->len] = '\0';
}

static void rule(struct out *o)
{
	char line[64];
	memset(line, '-', (size_t)o->cols);
	line[o->cols] = '\0';
	put(o, line);
}

static void centre(struct out *o, const char *text)
{
	char a[64], line[160];
	receipt_ascii(text, a, (size_t)o->cols + 1);
	int pad = (o->cols - (int)strlen(a)) / 2;
	snprintf(line, sizeof line, "%*s%s", pad > 0 ? pad : 0, "", a);
	put(o, line);
}

/* "label ........ amount", the amount right-aligned. */
static void amount(struct out *o, const char *label, cm_money v)
{
	char a[32], line[96];
	money_format(v, &(struct money_fmt){ .symbol = "" }, a, sizeof a);
	int w = o->cols - (int)strlen(a) - 1;
	snprintf(line, sizeof line, "%-*.*s %s", w, w, label, a);
	put(o, line);
}

static void field(struct out *o, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void field(struct out *o, const char *label, const char *fmt, ...)
{
	char v[96], a[96], line[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	receipt_ascii(v, a, sizeof a);
	snprintf(line, sizeof line, "%-9s: %.*s", label, o->cols - 11, a);
	put(o, line);
}

static void header(struct out *o, const struct xz_report *r)
{
	char title[48], when[32];
	centre(o, r->store_name ? r->store_name : "");
	if (r->z)
		snprintf(title, sizeof title, "LAPORAN Z No. %lld", (long long)r->z_no);
	else
		snprintf(title, sizeof title, "LAPORAN X (SEMENTARA)");
	centre(o, title);
	rule(o);
	struct tm tm;
	time_t at = r->at;
	localtime_r(&at, &tm);
	strftime(when, sizeof when, "%d/%m/%Y %H:%M", &tm);
	field(o, "Tanggal", "%s", when);
	field(o, "Terminal", "%s", r->terminal ? r->terminal : "");
	field(o, "Oleh", "%s", r->user ? r->user : "");
	field(o, "Jurnal", "%lld - %lld", (long long)r->from_seq + 1, (long long)r->to_seq);
}

static void sales(struct out *o, const struct xz_figures *f)
{
	char n[32];
	rule(o);
	snprintf(n, sizeof n, "Transaksi penjualan: %lld", (long long)f->sales);
	put(o, n);
	amount(o, "Penjualan kotor", f->gross);
	amount(o, "Diskon", -f->discounts);
	amount(o, "Total penjualan", f->total);
	amount(o, "Pembulatan", f->rounding);
	amount(o, "PPN termasuk", f->tax);
	amount(o, "Retur", -f->refunds);
	amount(o, "PENJUALAN BERSIH", f->net_sales);
	snprintf(n, sizeof n, "Tiket batal: %lld", (long long)f->aborted_tickets);
	put(o, n);
	snprintf(n, sizeof n, "Baris void: %lld", (long long)f->voided_lines);
	put(o, n);
}

/* Dues are members' savings: their own block, never in sales. */
static void dues(struct out *o, const struct xz_figures *f)
{
	static const char *const label[DUES_KIND_COUNT] = {
		"  Simpanan pokok", "  Simpanan wajib", "  Simpanan sukarela"
	};
	cm_money sum = 0;
	char n[48];
	for (int k = 0; k < DUES_KIND_COUNT; k++)
		sum += f->dues[k];
	if (!sum)
		return;               /* no dues taken: no block */
	rule(o);
	snprintf(n, sizeof n, "Simpanan anggota: %lld anggota", (long long)f->dues_members);
	put(o, n);
	for (int k = 0; k < DUES_KIND_COUNT; k++) {
		char l[48];
		if (k == DUES_WAJIB)
			snprintf(l, sizeof l, "%s (%lld bln)", label[k], (long long)f->dues_count[k]);
		else
			snprintf(l, sizeof l, "%s (%lld)", label[k], (long long)f->dues_count[k]);
		amount(o, l, f->dues[k]);
	}
	amount(o, "TOTAL SIMPANAN", sum);
}

static void payments(struct out *o, const struct xz_figures *f)
{
	rule(o);
	put(o, "Pembayaran:");
	amount(o, "  Tunai diterima", f->tendered[TENDER_CASH]);
	amount(o, "  Kembalian", -f->change);
	amount(o, "  Tunai bersih", f->tendered[TENDER_CASH] - f->change);
	amount(o, "  Debit", f->tendered[TENDER_DEBIT]);
	amount(o, "  QRIS", f->tendered[TENDER_QRIS]);
	/* Credit is not cash: its own line, never in the drawer. */
	if (f->tendered[TENDER_CREDIT])
		amount(o, "  Kredit anggota", f->tendered[TENDER_CREDIT]);
	rule(o);
	char label[48];
	snprintf(label, sizeof label, "Kas masuk (%lld)", (long long)f->cash_in_count);
	amount(o, label, f->cash_in);
	snprintf(label, sizeof label, "Kas keluar (%lld)", (long long)f->cash_out_count);
	amount(o, label, -f->cash_out);
}

static void drawer(struct out *o, const struct xz_report *r)
{
	rule(o);
	if (!r->z) {
		if (!r->shift_open) {
			put(o, "Tidak ada shift terbuka");
			return;
		}
		put(o, "Laci shift terbuka:");
		amount(o, "  Modal awal", r->shift.float_amount);
		amount(o, "  Tunai seharusnya", cashcount_expected(&r->shift));
		return;
	}
	char n[48];
	snprintf(n, sizeof n, "Shift ditutup: %lld", (long long)r->f.shifts_closed);
	put(o, n);
	amount(o, "  Kas seharusnya", r->f.expected);
	amount(o, "  Kas dihitung", r->f.counted);
	amount(o, "  Selisih", r->f.counted - r->f.expected);
	rule(o);
	amount(o, "Grand total lalu", r->grand_before);
	amount(o, "GRAND TOTAL", r->grand_total);
}

char *xzreport_render(const struct xz_report *r, int columns)
{
	if (!receipt_width_ok(columns))
		return NULL;
	struct out o = { .cols = columns };
	header(&o, r);
	sales(&o, &r->f);
	dues(&o, &r->f);
	payments(&o, &r->f);
	drawer(&o, r);
	rule(&o);
	if (o.failed) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
