/* The demo store: catalogue generator and set-up. */
#include "engine/demo.h"
#include "store/store_dues.h"
#include "engine/auth.h"
#include "engine/import.h"
#include "engine/stock.h"
#include "core/barcode.h"
#include "engine/till.h"
#include "store/store_stock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct size_opt {
	const char *label;
	int mult_pct;   /* price relative to the family's base, percent */
};

/* A product family: every brand x variant x size is one item. */
struct family {
	const char *category;
	const char *product;
	const char *brands[8];
	const char *variants[8];
	struct size_opt sizes[5];
	cm_money base;
	const char *tax;   /* exempt / standard / luxury */
};

static const struct family families[] = {
	{ "Beras", "Beras", { "Cap Bunga", "Cap Jago", "Si Pulen", "Topi Koki", "Maknyuss", "Raja Platinum" },
	  { "Premium", "Medium", "Pandan Wangi", "Rojolele" },
	  { { "1 kg", 100 }, { "2 kg", 195 }, { "5 kg", 470 }, { "10 kg", 920 } }, 15500, "exempt" },
	{ "Minyak Goreng", "Minyak Goreng", { "Bimoli", "Filma", "Sania", "SunCo", "Tropical", "Fortune", "Sovia" },
	  { "Pouch", "Botol" },
	  { { "1 L", 100 }, { "2 L", 195 }, { "5 L", 470 } }, 19000, "standard" },
	{ "Gula", "Gula Pasir", { "Gulaku", "Rose Brand", "SugarLab", "Cap Dua Gajah" }, { "Putih", "Premium" },
	  { { "500 g", 52 }, { "1 kg", 100 }, { "2 kg", 198 } }, 17500, "exempt" },
	{ "Mie Instan", "Indomie", { "" },
	  { "Goreng", "Soto", "Ayam Bawang", "Kari Ayam", "Rendang", "Ayam Geprek", "Seblak", "Cabe Ijo" },
	  { { "1 bks", 100 }, { "5 bks", 490 }, { "1 dus 40", 3800 } }, 3500, "standard" },
	{ "Mie Instan", "Mie Sedaap", { "" },
	  { "Goreng", "Soto", "Kari Spesial", "Ayam Bawang", "Korean Spicy", "Baso Spesial" },
	  { { "1 bks", 100 }, { "5 bks", 490 }, { "1 dus 40", 3800 } }, 3300, "standard" },
	{ "Mie Instan", "Mi", { "Supermi", "Sarimi", "Lemonilo", "Gaga" }, { "Goreng", "Ayam Bawang", "Soto" },
	  { { "1 bks", 100 }, { "5 bks", 490 } }, 3100, "standard" },
	{ "Kopi", "Kopi", { "Kapal Api", "ABC", "Good Day", "Torabika", "Luwak White Koffie", "Nescafe", "Indocafe", "TOP Coffee" },
	  { "Special Mix", "Susu", "Mocca", "Cappuccino", "Original", "Jahe" },
	  { { "sachet", 100 }, { "renceng 10", 950 }, { "box 30", 2700 } }, 1600, "standard" },
	{ "Teh", "Teh", { "Sariwangi", "Sosro", "Tong Tji", "Sintren", "Poci" }, { "Celup", "Melati", "Hijau" },
	  { { "25 kantong", 100 }, { "50 kantong", 190 } }, 7500, "standard" },
	{ "Susu", "Susu", { "Frisian Flag", "Indomilk", "Dancow", "Bear Brand", "Ultra Milk", "Greenfields" },
	  { "Kental Manis", "UHT Coklat", "UHT Full Cream", "Bubuk Fortigro", "Strawberry" },
	  { { "kecil", 100 }, { "sedang", 185 }, { "besar", 340 } }, 6500, "standard" },
	{ "Sabun Mandi", "Sabun Mandi", { "Lifebuoy", "Lux", "Nuvo", "Dettol", "Giv", "Shinzui", "Biore" },
	  { "Batang", "Cair Refill", "Cair Botol" },
	  { { "kecil", 100 }, { "besar", 210 } }, 4500, "standard" },
	{ "Deterjen", "Deterjen", { "Rinso", "Daia", "So Klin", "Attack", "Surf", "Boom" },
	  { "Bubuk", "Cair", "Anti Noda" },
	  { { "800 g", 100 }, { "1,8 kg", 215 }, { "sachet", 10 } }, 21000, "standard" },
	{ "Sampo", "Sampo", { "Pantene", "Sunsilk", "Clear", "Lifebuoy", "Dove", "Emeron" },
	  { "Anti Ketombe", "Hitam Berkilau", "Lembut", "Anti Rontok" },
	  { { "sachet", 8 }, { "170 ml", 100 }, { "340 ml", 185 } }, 26000, "standard" },
	{ "Pasta Gigi", "Pasta Gigi", { "Pepsodent", "Ciptadent", "Close Up", "Formula", "Sensodyne" },
	  { "Pencegah Gigi Berlubang", "Herbal", "Whitening" },
	  { { "75 g", 100 }, { "190 g", 210 } }, 8500, "standard" },
	{ "Rokok", "Rokok", { "Gudang Garam Surya", "Sampoerna Mild", "Djarum Super", "Dji Sam Soe", "LA Lights", "Class Mild", "Marlboro" },
	  { "Filter", "Kretek" },
	  { { "12 btg", 100 }, { "16 btg", 130 }, { "slop", 1000 } }, 26000, "standard" },
	{ "Makanan Ringan", "Snack", { "Chitato", "Qtela", "Taro", "Oreo", "Roma Kelapa", "Khong Guan", "Tango Wafer", "Good Time" },
	  { "Original", "Keju", "Coklat", "Sapi Panggang", "Balado" },
	  { { "kecil", 100 }, { "sedang", 180 }, { "besar", 260 }, { "family", 420 } }, 5500, "standard" },
	{ "Biskuit", "Biskuit", { "Roma", "Khong Guan", "Marie Regal", "Nissin", "Hatari", "Biskuat", "Monde", "Selamat" },
	  { "Kelapa", "Coklat", "Susu", "Krim Keju", "Marie" },
	  { { "kecil", 100 }, { "besar", 240 }, { "kaleng", 650 } }, 8500, "standard" },
	{ "Minuman Serbuk", "Minuman Serbuk", { "Nutrisari", "Marimas", "Pop Ice", "Extra Joss", "Kuku Bima" },
	  { "Jeruk", "Mangga", "Anggur", "Coklat", "Original" },
	  { { "sachet", 100 }, { "renceng 10", 950 } }, 1500, "standard" },
	{ "Popok Bayi", "Popok", { "MamyPoko", "Sweety", "Merries", "Pampers", "Goon" },
	  { "Pants S", "Pants M", "Pants L", "Pants XL", "Perekat M" },
	  { { "isi 10", 100 }, { "isi 20", 190 }, { "isi 32", 290 } }, 32000, "standard" },
	{ "Pembalut", "Pembalut", { "Charm", "Laurier", "Softex", "Kotex" }, { "Day", "Night", "Slim Wing", "Maxi" },
	  { { "isi 8", 100 }, { "isi 16", 185 } }, 12000, "standard" },
	{ "Pewangi Pakaian", "Pewangi", { "Molto", "Downy", "So Klin", "Kispray" },
	  { "Biru", "Pink", "Ungu", "Sakura", "Aroma Terapi" },
	  { { "sachet", 10 }, { "refill 800 ml", 100 }, { "botol 1,8 L", 230 } }, 14000, "standard" },
	{ "Sabun Cuci Piring", "Sabun Cuci Piring", { "Sunlight", "Mama Lemon", "Mama Lime", "Wings Ekonomi" },
	  { "Jeruk Nipis", "Lemon", "Teh Hijau" },
	  { { "refill 400 ml", 100 }, { "refill 800 ml", 185 }, { "botol 750 ml", 190 } }, 9500, "standard" },
	{ "Makanan Kaleng", "Kaleng", { "Pronas", "ABC", "Maya", "Botan", "Kings Fisher" },
	  { "Sarden Tomat", "Sarden Cabai", "Kornet Sapi", "Mackerel" },
	  { { "kecil", 100 }, { "besar", 180 } }, 13000, "standard" },
	{ "Bumbu Instan", "Bumbu Instan", { "Bamboe", "Indofood", "Sasa", "Kokita" },
	  { "Rendang", "Opor", "Soto", "Nasi Goreng", "Gulai", "Rawon", "Sayur Asem" },
	  { { "sachet", 100 } }, 4500, "standard" },
	{ "Perawatan Tubuh", "Deodoran", { "Rexona", "Axe", "Nivea", "Posh" }, { "Roll On", "Spray", "Serum" },
	  { { "kecil", 100 }, { "besar", 170 } }, 16000, "standard" },
	{ "Obat Ringan", "Minyak", { "Cap Lang", "Konicare", "Freshcare", "My Baby", "Caplang Plus" },
	  { "Kayu Putih", "Telon", "Aromatherapy", "Angin" },
	  { { "30 ml", 100 }, { "60 ml", 180 }, { "120 ml", 330 } }, 12000, "standard" },
	{ "Roti", "Roti", { "Sari Roti", "Aoka", "Mr. Bread", "Breadlife" },
	  { "Tawar", "Sobek Coklat", "Sandwich Keju", "Kupas", "Gandum" }, { { "1 bks", 100 } }, 16000, "standard" },
	{ "Es Krim", "Es Krim", { "Walls", "Campina", "Aice", "Glico" }, { "Coklat", "Vanila", "Stroberi", "Cone", "Kacang Hijau" },
	  { { "stik", 100 }, { "cup", 160 }, { "700 ml", 900 } }, 5000, "standard" },
	{ "Alat Tulis", "ATK", { "Joyko", "Kenko", "Sinar Dunia", "Big Boss", "Standard" },
	  { "Buku Tulis 38", "Buku Tulis 58", "Pulpen Hitam", "Pensil 2B", "Penghapus" },
	  { { "1 pcs", 100 }, { "1 pak", 950 } }, 3500, "standard" },
	{ "Makanan Beku", "Frozen", { "Fiesta", "So Good", "Champ", "Belfoods", "Kimbo" },
	  { "Nugget Ayam", "Sosis Sapi", "Chicken Karaage", "Bakso Sapi", "Spicy Wing" },
	  { { "250 g", 100 }, { "500 g", 190 }, { "1 kg", 360 } }, 24000, "standard" },
	{ "Sirup", "Sirup", { "Marjan", "ABC", "Freiss", "Kurnia" }, { "Cocopandan", "Melon", "Jeruk", "Leci", "Stroberi" },
	  { { "460 ml", 100 }, { "600 ml", 125 } }, 19000, "standard" },
	{ "Makanan Bayi", "Bubur Bayi", { "SUN", "Promina", "Milna", "Cerelac" },
	  { "Beras Merah", "Pisang", "Kacang Hijau", "Ayam Sayur", "Biskuit" },
	  { { "sachet", 100 }, { "box 120 g", 420 } }, 4000, "standard" },
	{ "Obat Nyamuk", "Anti Nyamuk", { "Baygon", "HIT", "Autan", "Vape" }, { "Aerosol", "Bakar", "Elektrik", "Lotion" },
	  { { "kecil", 100 }, { "besar", 180 } }, 15000, "standard" },
	{ "Tisu", "Tisu", { "Paseo", "Nice", "Tessa", "Multi" }, { "Facial", "Toilet Roll", "Basah" },
	  { { "isi 1", 100 }, { "isi 4", 380 }, { "isi 10", 900 } }, 9000, "standard" },
	{ "Kacang", "Kacang", { "Garuda", "Dua Kelinci", "Mayasi", "Sukro" }, { "Kulit", "Atom", "Telur", "Koro", "Mete" },
	  { { "kecil", 100 }, { "besar", 240 } }, 6000, "standard" },
	{ "Cokelat", "Cokelat", { "SilverQueen", "Delfi", "Cadbury", "Beng-Beng", "Chocolatos" },
	  { "Almond", "Cashew", "Milk", "Original" },
	  { { "kecil", 100 }, { "besar", 260 } }, 9000, "standard" },
	{ "Minuman", "Minuman", { "Aqua", "Le Minerale", "Teh Botol Sosro", "Teh Pucuk Harum", "Pocari Sweat", "Mizone", "Coca-Cola", "Fanta" },
	  { "Dingin", "Botol" },
	  { { "330 ml", 100 }, { "600 ml", 150 }, { "1,5 L", 260 } }, 3500, "standard" },
	{ "Bumbu Dapur", "Bumbu", { "Royco", "Masako", "Sajiku", "Bango", "ABC", "Indofood", "Sasa" },
	  { "Kaldu Ayam", "Kaldu Sapi", "Kecap Manis", "Saus Sambal", "Saus Tomat", "Penyedap" },
	  { { "sachet", 100 }, { "botol", 900 } }, 1500, "standard" },
	{ "Kebutuhan Pokok", "Garam Beryodium", { "Refina", "Cap Kapal", "Dolphin" }, { "Halus", "Kasar" },
	  { { "250 g", 100 }, { "500 g", 190 } }, 4000, "exempt" },
	{ "Kebutuhan Pokok", "Telur Ayam", { "Ras", "Kampung", "Omega" }, { "Segar" },
	  { { "isi 10", 100 }, { "isi 30", 290 } }, 28000, "exempt" },
	{ "Kebutuhan Pokok", "Kedelai", { "Lokal", "Impor" }, { "Kuning" },
	  { { "1 kg", 100 } }, 14000, "exempt" },
	{ "Kebutuhan Pokok", "Tepung Terigu", { "Segitiga Biru", "Cakra Kembar", "Kunci Biru", "Rose Brand" }, { "Serbaguna" },
	  { { "500 g", 55 }, { "1 kg", 100 } }, 13000, "standard" },
};

/* Weighed fresh goods: priced per kg, sold by scale label (PLU). */
static const struct { const char *category, *name; cm_money per_kg; const char *tax; } fresh[] = {
	{ "Daging", "Daging Sapi Has Dalam", 140000, "exempt" },
	{ "Daging", "Daging Sapi Giling", 125000, "exempt" },
	{ "Daging", "Ayam Potong Segar", 38000, "exempt" },
	{ "Daging", "Dada Ayam Fillet", 62000, "exempt" },
	{ "Ikan", "Ikan Kembung", 45000, "exempt" },
	{ "Ikan", "Ikan Bandeng", 38000, "exempt" },
	{ "Ikan", "Udang Vaname", 95000, "exempt" },
	{ "Sayur", "Bawang Merah", 42000, "exempt" },
	{ "Sayur", "Bawang Putih", 38000, "exempt" },
	{ "Sayur", "Cabai Merah Keriting", 55000, "exempt" },
	{ "Sayur", "Cabai Rawit", 65000, "exempt" },
	{ "Sayur", "Tomat", 16000, "exempt" },
	{ "Sayur", "Kentang", 18000, "exempt" },
	{ "Sayur", "Wortel", 15000, "exempt" },
	{ "Buah", "Jeruk Medan", 28000, "exempt" },
	{ "Buah", "Apel Fuji", 42000, "exempt" },
	{ "Buah", "Pisang Cavendish", 24000, "exempt" },
	{ "Buah", "Semangka Merah", 9000, "exempt" },
};

/* Rounds a price to a believable shelf price: Rp100 steps below Rp10.000,
 * Rp500 above. */
static cm_money shelf_price(cm_money p)
{
	cm_money step = p < 10000 ? 100 : 500;
	return (p + step / 2) / step * step;
}

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bprintf(struct buf *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

static void ean13(size_t i, int company, char out[14])
{
	snprintf(out, 14, "899%04d%05zu", company % 10000, i % 100000);
	out[12] = (char)('0' + barcode_check_digit(out, 12));
	out[13] = '\0';
}

/* Stock information of the demo (stock.h CSV): the rack a family stands
 * in, a reorder level of a dozen (5 kg for fresh goods) and a cost of 80%
 * of the shelf price. */
static void stock_row(struct buf *st, const char *sku, const char *zone, cm_money price,
                      bool weighed)
{
	if (st)
		bprintf(st, "%s,%s,%s,%lld\n", sku, zone, weighed ? "5" : "12",
		        (long long)(price * 80 / 100));
}

static size_t add_families(struct buf *b, size_t n, struct buf *st)
{
	size_t count = 0;
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		const struct family *fm = &families[f];
		for (int br = 0; br < 8 && fm->brands[br]; br++)
			for (int v = 0; v < 8 && fm->variants[v]; v++)
				for (int s = 0; s < 5 && fm->sizes[s].label; s++) {
					if (count >= n)
						return count;
					char name[96], code[14];
					snprintf(name, sizeof name, "%s%s%s %s %s", fm->product,
					         fm->brands[br][0] ? " " : "", fm->brands[br],
					         fm->variants[v], fm->sizes[s].label);
					/* A little spread so equal sizes of brands differ. */
					cm_money price = shelf_price(fm->base * fm->sizes[s].mult_pct / 100 *
					                             (95 + (br * 7 + v * 3) % 12) / 100);
					ean13(count, 1000 + (int)f * 10 + br, code);
					char sku[32], zone[32];
					snprintf(sku, sizeof sku, "D%05zu", count + 1);
					snprintf(zone, sizeof zone, "R%02zu", f + 1);
					stock_row(st, sku, zone, price, false);
					bprintf(b, "D%05zu,\"%s\",%lld,%s,%lld,%s,pcs,0,,\"%s\",\"%s\"\n", count + 1, name,
					        (long long)price, code,
					        (long long)(count % 3 == 0 ? price - price / 50 / 100 * 100 : 0),
					        fm->tax, fm->category, fm->brands[br][0] ? fm->brands[br] : fm->product);
					count++;
				}
	}
	return count;
}

static char *catalogue(size_t n, size_t *len, struct buf *st)
{
	struct buf b = {0};
	bprintf(&b, "sku,name,price,barcodes,member_price,tax_class,unit,weighed,plu,category,supplier\n");
	size_t nfresh = sizeof fresh / sizeof fresh[0];
	size_t count = 0;
	for (size_t i = 0; i < nfresh && count < n; i++, count++) {
		bprintf(&b, "F%03zu,\"%s\",%lld,,,%s,kg,1,%zu,\"%s\",Pasar Induk\n", i + 1, fresh[i].name,
		        (long long)fresh[i].per_kg, fresh[i].tax, 101 + i, fresh[i].category);
		char sku[32];
		snprintf(sku, sizeof sku, "F%03zu", i + 1);
		stock_row(st, sku, "SEGAR", fresh[i].per_kg, true);
	}
	count += add_families(&b, n - count, st);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

char *demo_catalogue_csv(size_t n, size_t *len)
{
	return catalogue(n, len, NULL);
}

/* Members with their dues as HQ would have sent them: Budi is months
 * behind (inactive for dues), Sri is paid up, Agus joined last month and
 * owes his pokok. Paid months are counted back from this month. */
static const struct {
	const char *number, *name, *card;
	int32_t join_date;
	int behind;               /* months owed up to this month */
	cm_money sukarela, pokok_paid;
	cm_money credit_limit, credit_balance;
} members[] = {
	{ "A-0001", "Budi Santoso", "M000001", 20240115, 4, 150000, 100000, 1000000, 950000 },
	{ "A-0002", "Sri Wahyuni", "M000002", 20250301, 0, 75000, 100000, 2000000, 450000 },
	{ "A-0003", "Agus Salim", "M000003", 0, 2, 0, 0, 0, 0 },
};

/* The coop's schedule (HQ's settings in a real store). */
static const struct dues_rate demo_rates[] = {
	{ "biasa", DUES_POKOK, 202001, 100000 },
	{ "biasa", DUES_WAJIB, 202001, 25000 },
	{ "biasa", DUES_WAJIB, 202607, 30000 },
};

/* A member's standing as HQ computes it, from the months they paid. */
static enum cm_rc demo_standing(struct till *t, size_t i)
{
	struct dues_rates rs = { demo_rates, sizeof demo_rates / sizeof demo_rates[0] };
	int32_t now = dues_month_of_date(till_local_date(till_now(t)));
	int32_t join = members[i].join_date ? members[i].join_date
	                                    : dues_month_add(now, -1) * 100 + 10;
	struct dues_member dm = { "biasa", join, 0 };
	struct dues_paid paid[120];
	size_t np = 0;
	int32_t last = dues_month_add(now, -members[i].behind);
	for (int32_t m = dues_month_of_date(join); m <= last && np < 120; m = dues_month_add(m, 1))
		paid[np++] = (struct dues_paid){ m, dues_rate(&rs, "biasa", DUES_WAJIB, m) };
	struct dues_owed owed[120];
	struct dues_standing ds;
	size_t n = dues_owed(&rs, &dm, paid, np, now, owed, 120, &ds);
	struct member_standing h = {
		.pokok_owed = dues_pokok_owed(&rs, &dm, members[i].pokok_paid),
		.wajib_through = ds.through, .wajib_paid_until = ds.paid_until,
		.wajib_months = ds.months, .wajib_arrears = ds.arrears,
		.sukarela = members[i].sukarela, .month = now, .seq = 0,
		.credit_limit = members[i].credit_limit, .credit_balance = members[i].credit_balance,
	};
	return store_member_standing_put(till_store(t), members[i].number, &h, owed, n < 120 ? n : 120);
}

static enum cm_rc demo_settings(struct till *t)
{
	static const char *const kv[][2] = {
		{ SET_TERMINAL, "K01" }, /* first: it names the journal chain */
		{ SET_DEMO, "1" },
		{ SET_STORE_NAME, "KOPERASI DEMO SEJAHTERA" },
		{ SET_STORE_ADDRESS, "Jl. Pahlawan No. 17, Semarang" },
		{ SET_NPWP, "01.234.567.8-517.000" },
		{ SET_PKP, "1" },
		{ SET_RECEIPT_FOOTER, "Terima kasih - Belanja di koperasi, untung bersama" },
		{ SET_CREDIT_EXCESS, "100000" },
	};
	enum cm_rc rc = CM_OK;
	for (size_t i = 0; rc == CM_OK && i < sizeof kv / sizeof kv[0]; i++)
		rc = till_setting_set(t, kv[i][0], kv[i][1]);
	return rc;
}

static enum cm_rc demo_people(struct till *t)
{
	enum cm_rc rc = auth_user_add(t, DEMO_ADMIN, "Admin Demo", ROLE_ADMIN, DEMO_ADMIN_PIN, NULL);
	if (rc == CM_OK)
		rc = auth_login(t, DEMO_ADMIN, DEMO_ADMIN_PIN);
	if (rc == CM_OK)
		rc = auth_user_add(t, DEMO_CASHIER, "Siti Kasir", ROLE_CASHIER, DEMO_CASHIER_PIN, NULL);
	if (rc == CM_OK)
		rc = auth_user_add(t, DEMO_SUPERVISOR, "Pak Darto", ROLE_SUPERVISOR, DEMO_SUPERVISOR_PIN, NULL);
	if (rc == CM_OK)
		rc = till_scale_format_set(t, "20", "PPIIIIIWWWWWC");
	struct store *st = till_store(t);
	if (rc == CM_OK && (rc = store_begin(st)) == CM_OK) {
		for (size_t i = 0; rc == CM_OK && i < sizeof members / sizeof members[0]; i++) {
			struct member_rec m = {0};
			snprintf(m.number, sizeof m.number, "%s", members[i].number);
			snprintf(m.name, sizeof m.name, "%s", members[i].name);
			snprintf(m.card_code, sizeof m.card_code, "%s", members[i].card);
			snprintf(m.type, sizeof m.type, "biasa");
			m.join_date = members[i].join_date ? members[i].join_date
			            : dues_month_add(dues_month_of_date(till_local_date(till_now(t))), -1) * 100 + 10;
			rc = store_member_add(st, &m, NULL);
			if (rc == CM_OK)
				rc = demo_standing(t, i);
		}
		if (rc == CM_OK)
			rc = store_dues_rates_put(st, demo_rates, sizeof demo_rates / sizeof demo_rates[0], 3);
		if (rc == CM_OK)
			rc = store_commit(st);
		if (rc != CM_OK) {
			till_store_fail(t, rc);
			store_rollback(st);
		}
	}
	return rc;
}

/* The demo's stock as if pulled from HQ (a snapshot): a few dozen of
 * each item, a few kg of fresh goods, some below their reorder level;
 * deterministic from the SKU. */
static enum cm_rc demo_snapshot(struct till *t, char *stock_csv)
{
	struct store *st = till_store(t);
	enum cm_rc rc = store_begin(st);
	char *save = NULL;
	strtok_r(stock_csv, "\n", &save); /* the header */
	for (char *line = strtok_r(NULL, "\n", &save); rc == CM_OK && line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, ",")] = '\0';
		unsigned h = 5381;
		for (const char *p = line; *p; p++)
			h = h * 33 + (unsigned char)*p;
		struct item_rec it;
		if ((rc = store_item_by_sku(st, line, &it)) != CM_OK)
			break;
		cm_qty qty = it.weighed ? (cm_qty)(h % 12 + 1) * 1000 + (cm_qty)(h % 4) * 250
		                        : (cm_qty)(h % 40 + 4) * 1000;
		rc = store_stock_snapshot_put(st, it.id, qty, till_now(t));
	}
	if (rc == CM_OK)
		rc = store_commit(st);
	if (rc != CM_OK) {
		till_store_fail(t, rc);
		store_rollback(st);
	}
	return rc;
}

static enum cm_rc demo_items(struct till *t, size_t items)
{
	size_t len;
	struct buf stock = {0};
	bprintf(&stock, "sku,zone,reorder_level,cost\n");
	char *csv = catalogue(items, &len, &stock);
	if (!csv || stock.oom) {
		free(csv);
		free(stock.p);
		return CM_NOMEM;
	}
	struct import_report rep;
	enum cm_rc rc = import_items(t, csv, len, false, &rep);
	if (rc != CM_OK && rep.nerrors)
		till_seterr(t, "%s", rep.errors[0].msg);
	import_report_free(&rep);
	free(csv);
	struct stock_import_report srep;
	if (rc == CM_OK) {
		rc = stock_info_import(t, stock.p, stock.len, &srep);
		if (rc != CM_OK && srep.nerrors)
			till_seterr(t, "%s", srep.errors[0]);
		stock_import_report_free(&srep);
	}
	if (rc == CM_OK)
		rc = demo_snapshot(t, stock.p);
	free(stock.p);
	return rc;
}

enum cm_rc demo_create(const char *path, size_t items, char *err, size_t errlen)
{
	struct stat sb;
	if (stat(path, &sb) == 0) {
		snprintf(err, errlen, _("%s exists already"), path);
		return CM_CONFLICT;
	}
	struct store *st;
	struct till *t = NULL;
	enum cm_rc rc = store_open(path, STORE_CREATE, 0, &st, err, errlen);
	if (rc != CM_OK)
		return rc;
	if ((rc = till_open(st, &t, err, errlen)) == CM_OK) {
		rc = demo_settings(t);
		if (rc == CM_OK)
			rc = demo_people(t);
		if (rc == CM_OK)
			rc = demo_items(t, items);
		if (rc != CM_OK)
			snprintf(err, errlen, "%s", till_errmsg(t));
		auth_logout(t);
		till_free(t);
	}
	store_close(st);
	if (rc != CM_OK) {
		/* Half a demo is no demo: remove it so the next start is clean. */
		char side[1100];
		remove(path);
		snprintf(side, sizeof side, "%s-wal", path);
		remove(side);
		snprintf(side, sizeof side, "%s-shm", path);
		remove(side);
	}
	return rc;
}

enum cm_rc demo_check(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return CM_NOTFOUND;
	struct store *st;
	enum cm_rc rc = store_open(path, 0, 0, &st, err, errlen);
	if (rc != CM_OK)
		return rc;
	bool demo = store_setting_int(st, SET_DEMO, 0) == 1;
	store_close(st);
	if (!demo) {
		snprintf(err, errlen, _("%s is a real store, not the demo; the demo never opens it"), path);
		return CM_DENIED;
	}
	return CM_OK;
}
