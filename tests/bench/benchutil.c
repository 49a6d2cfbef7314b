/* Benchmark helpers: clock, percentiles, options, the generated catalogue
 * of Indonesian grocery items and the printed report. */
#include "benchutil.h"

#include "core/barcode.h"
#include "engine/auth.h"
#include "engine/sale.h"
#include "engine/shift.h"
#include "engine/till.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- clock and statistics ---- */

int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least p of the samples at or
 * below it. */
static double rank_ms(const int64_t *sorted, size_t n, double p)
{
	size_t k = (size_t)(p * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return (double)sorted[k - 1] / 1e6;
}

void bench_percentiles(const int64_t *ns, size_t n, struct bench_stats *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	if (!n)
		return;
	int64_t *v = malloc(n * sizeof *v);
	if (!v) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(v, ns, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_i64);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	out->mean = sum / (double)n / 1e6;
	out->p50 = rank_ms(v, n, 0.50);
	out->p90 = rank_ms(v, n, 0.90);
	out->p99 = rank_ms(v, n, 0.99);
	out->max = (double)v[n - 1] / 1e6;
	free(v);
}

/* ---- options ---- */

static void usage(FILE *f, const char *prog, const char *what, long dflt, long quick)
{
	fprintf(f,
		"usage: %s [--items N] [--db PATH] [--count N] [--seed N] [--quick]\n"
		"  %s\n"
		"  --items N   catalogue size (default %ld)\n"
		"  --db PATH   cached catalogue database (default $TMPDIR or /tmp,\n"
		"              coopmart-bench-N.db; built when missing or of another size)\n"
		"  --count N   iterations to time (default %ld, %ld with --quick)\n"
		"  --quick     smoke run: %ld items and %ld iterations\n"
		"Figures are printed, never judged: the exit code is 0 unless an\n"
		"operation failed.\n",
		prog, what, BENCH_DEFAULT_ITEMS, dflt, quick, BENCH_QUICK_ITEMS, quick);
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool bench_parse_args(int argc, char **argv, const char *what, long default_count,
                      long quick_count, struct bench_opts *o, int *exit_code)
{
	memset(o, 0, sizeof *o);
	o->items = -1;
	o->count = -1;
	o->seed = 20250101;
	*exit_code = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout, argv[0], what, default_count, quick_count);
			return false;
		} else if (strcmp(a, "--quick") == 0) {
			o->quick = true;
		} else if (strcmp(a, "--items") == 0 && v && parse_long(v, 1, 10000000, &n)) {
			o->items = n;
			i++;
		} else if (strcmp(a, "--count") == 0 && v && parse_long(v, 1, 100000000, &n)) {
			o->count = n;
			i++;
		} else if (strcmp(a, "--seed") == 0 && v && parse_long(v, 0, 0x7fffffffL, &n)) {
			o->seed = (uint64_t)n;
			i++;
		} else if (strcmp(a, "--db") == 0 && v && strlen(v) < sizeof o->db) {
			snprintf(o->db, sizeof o->db, "%s", v);
			i++;
		} else {
			fprintf(stderr, "%s: bad argument '%s'\n", argv[0], a);
			usage(stderr, argv[0], what, default_count, quick_count);
			*exit_code = 2;
			return false;
		}
	}
	if (o->items < 0)
		o->items = o->quick ? BENCH_QUICK_ITEMS : BENCH_DEFAULT_ITEMS;
	if (o->count < 0)
		o->count = o->quick ? quick_count : default_count;
	if (!o->db[0]) {
		const char *dir = getenv("TMPDIR");
		snprintf(o->db, sizeof o->db, "%s/coopmart-bench-%ld.db",
		         dir && *dir ? dir : "/tmp", o->items);
	}
	return true;
}

/* ---- random numbers ---- */

uint64_t bench_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t bench_rand_below(uint64_t *state, uint64_t n)
{
	return n ? bench_rand(state) % n : 0;
}

/* ---- the catalogue vocabulary ---- */

/* A family of products. Word lists are '|'-separated; an empty field is
 * allowed (no variant). order says how a name is put together from
 * P(roduct), B(rand), V(ariant) and S(ize). Sizes go from small to large
 * and prices grow with them between lo and hi. */
struct family {
	const char *category;
	const char *sku;
	const char *order;
	const char *products;
	const char *brands;
	const char *variants;
	const char *sizes;
	enum tax_class tax;
	int lo, hi;             /* rupiah */
	bool weighed;           /* sold by the kg, scale PLU, no barcode */
	int weight;             /* how common the family is */
};

static const struct family families[] = {
	{ "Mi Instan", "MIE", "BPVS", "Goreng|Kuah|Goreng Jumbo|Kuah Jumbo|Cup|Goreng Spesial",
	  "Indomie|Mie Sedaap|Sarimi|Supermi|Lemonilo|Gaga 100|Mie Sukses|Pop Mie",
	  "Rendang|Ayam Bawang|Soto|Kari Ayam|Original|Pedas|Aceh|Cakalang|Ayam Geprek|Rawit|Salero Padang|Iga Penyet|Kaldu Ayam|Sambal Matah",
	  "68g|70g|75g|80g|85g|91g|120g|127g", TAX_STANDARD, 2500, 7000, false, 9 },
	{ "Beras", "BRS", "PBS", "Beras Premium|Beras Medium|Beras Pulen|Beras Wangi|Beras Merah|Beras Ketan",
	  "Cap Bunga|Cap Jago|Rojolele|Sania|Topi Koki|Ramos|Pandan Wangi|Setra Ramos|Anak Raja|Sumo|Maknyuss|Lahap",
	  "", "1kg|2,5kg|5kg|10kg|20kg|25kg", TAX_EXEMPT, 15000, 340000, false, 4 },
	{ "Kopi", "KOP", "PBVS", "Kopi|Kopi Instan|Kopi Bubuk",
	  "Kapal Api|ABC|Good Day|Torabika|Luwak White Koffie|Nescafe|Indocafe|Top Coffee|Kopiko|Excelso",
	  "Special Mix|Mocca|Susu|Hitam|Gula Aren|Cappuccino|Original|Latte|Creamy|Tubruk",
	  "20g|25g|10 x 20g|165g|200g|380g|Renceng 10 x 24g", TAX_STANDARD, 1500, 48000, false, 6 },
	{ "Minyak Goreng", "MYK", "PBVS", "Minyak Goreng|Minyak Kelapa",
	  "Bimoli|Filma|Sania|Sunco|Tropical|Fortune|Kunci Mas|Sovia|Hemart|Rose Brand",
	  "|Pouch|Botol|Jerigen|Klasik|Spesial", "500ml|900ml|1L|2L|5L", TAX_STANDARD, 9000, 98000, false, 3 },
	{ "Gula", "GUL", "PBS", "Gula Pasir|Gula Merah|Gula Aren|Gula Batu",
	  "Gulaku|Rose Brand|Gunung Madu|Cap Tebu|Pasir Putih|Sweet Cane", "",
	  "250g|500g|1kg|2kg", TAX_EXEMPT, 5000, 38000, false, 2 },
	{ "Teh", "TEH", "PBVS", "Teh|Teh Celup|Teh Botol|Teh Kotak|Teh Melati",
	  "Sariwangi|Sosro|Pucuk Harum|Tong Tji|Teh Gelas|2Tang|Frestea|Teh Poci|Ultra|Ichi Ocha",
	  "Original|Melati|Less Sugar|Jasmine|Apel|Lemon|Hijau|Tarik",
	  "25 x 2g|30 x 2g|250ml|350ml|450ml|500ml|1L", TAX_STANDARD, 3000, 22000, false, 5 },
	{ "Susu", "SUS", "PBVS", "Susu Kental Manis|Susu UHT|Susu Bubuk|Susu Cair|Susu Pertumbuhan",
	  "Frisian Flag|Indomilk|Ultra Milk|Bear Brand|Dancow|Milo|Hilo|Greenfields|Cimory|Lactogen|SGM|Nutrilon",
	  "Coklat|Full Cream|Plain|Stroberi|Vanila|Low Fat|Putih|Madu",
	  "125ml|190ml|200ml|250ml|370g|400g|800g|1L|1kg", TAX_STANDARD, 3000, 185000, false, 7 },
	{ "Sabun Mandi", "SAB", "PBVS", "Sabun Mandi|Sabun Cair|Body Wash",
	  "Lifebuoy|Lux|Giv|Nuvo|Dettol|Shinzui|Citra|Biore|Dove|Harmony",
	  "Total 10|Mild Care|Lemon Fresh|Soft Touch|Cool Fresh|Sakura|Bengkoang|Zaitun|Matcha",
	  "70g|75g|85g|110g|250ml|400ml|450ml|Refill 900ml", TAX_STANDARD, 3000, 55000, false, 5 },
	{ "Sampo", "SMP", "PBVS", "Sampo|Kondisioner|Sampo Anak",
	  "Sunsilk|Pantene|Clear|Head & Shoulders|Lifebuoy|Dove|Rejoice|Zinc|Emeron|Metal",
	  "Hitam Berkilau|Anti Ketombe|Lembut Halus|Hijab Refresh|Menthol|Ginseng|Aloe Vera|Smooth",
	  "Sachet 10ml|70ml|160ml|170ml|320ml|340ml|680ml", TAX_STANDARD, 1000, 75000, false, 5 },
	{ "Perawatan Gigi", "PGG", "PBVS", "Pasta Gigi|Sikat Gigi|Obat Kumur",
	  "Pepsodent|Ciptadent|Formula|Close Up|Sensodyne|Enzim|Kodomo|Colgate",
	  "Herbal|Pencegah Gigi Berlubang|Whitening|Fresh Mint|Charcoal|Anak|Siwak|Sensitive",
	  "75g|120g|150g|190g|225g|isi 3", TAX_STANDARD, 4000, 45000, false, 4 },
	{ "Deterjen", "DTR", "PBVS", "Deterjen Bubuk|Deterjen Cair|Pelembut Pakaian|Sabun Cuci Piring",
	  "Rinso|So Klin|Attack|Daia|Boom|Molto|Downy|Sunlight|Mama Lemon|Wings",
	  "Anti Noda|Rose Fresh|Lemon|Jeruk Nipis|Lavender|Pewangi|Matic|Softergent|Ekstra",
	  "400g|400ml|755ml|770g|800g|800ml|1,6L|1,8kg|Refill 700ml", TAX_STANDARD, 4000, 60000, false, 6 },
	{ "Bumbu Dapur", "KCP", "PBVS", "Kecap Manis|Kecap Asin|Saus Sambal|Saus Tomat|Saus Tiram|Sambal",
	  "ABC|Bango|Sedaap|Indofood|Del Monte|Sasa|Heinz|Lee Kum Kee|Finna",
	  "|Pedas|Extra Pedas|Original|Hot Lava|Terasi", "135ml|220ml|275ml|335ml|520ml|600ml|Refill 550ml",
	  TAX_STANDARD, 3500, 32000, false, 4 },
	{ "Bumbu Instan", "BMB", "PBVS", "Bumbu Instan|Kaldu Bubuk|Penyedap Rasa|Merica Bubuk|Ketumbar Bubuk",
	  "Bamboe|Indofood|Sasa|Masako|Royco|Ajinomoto|Ladaku|Desaku|Kokita",
	  "Rendang|Opor|Soto Ayam|Nasi Goreng|Ayam|Sapi|Rawon|Gulai|",
	  "8g|9g|20g|40g|100g|250g|500g", TAX_STANDARD, 500, 28000, false, 4 },
	{ "Biskuit", "BSK", "BPVS", "Biskuit|Wafer|Crackers|Kukis",
	  "Roma|Khong Guan|Biskuat|Oreo|Tango|Nextar|Monde|Nissin|Hatari|Good Time|Gery|Malkist",
	  "Kelapa|Coklat|Kacang|Vanila|Keju|Susu|Pandan|Stroberi|Red Velvet|Abon",
	  "30g|100g|120g|130g|230g|300g|600g|Kaleng 1,6kg", TAX_STANDARD, 1500, 95000, false, 7 },
	{ "Makanan Ringan", "SNK", "BPVS", "Keripik Kentang|Keripik Singkong|Kerupuk|Makaroni|Snack Jagung",
	  "Chitato|Qtela|Taro|Chiki|Lays|Cheetos|Potabee|Maicih|Kusuka|Japota",
	  "Sapi Panggang|Balado|Keju|Rumput Laut|Original|Ayam Bakar|Pedas Manis|Jagung Bakar|Barbeque",
	  "15g|35g|55g|68g|120g|180g", TAX_STANDARD, 1000, 28000, false, 7 },
	{ "Minuman", "AIR", "BPVS", "Air Mineral|Air Minum|Minuman Isotonik|Minuman Soda|Jus Buah",
	  "Aqua|Le Minerale|Club|Ades|Cleo|Vit|Pocari Sweat|Mizone|Coca Cola|Fanta|Sprite|Buavita",
	  "|Galon|Botol|Gelas|Dus|Jeruk|Mangga", "220ml|330ml|350ml|500ml|600ml|1,5L|19L|24 x 220ml",
	  TAX_STANDARD, 1000, 65000, false, 6 },
	{ "Telur", "TLR", "PBS", "Telur Ayam Negeri|Telur Ayam Kampung|Telur Bebek|Telur Puyuh|Telur Asin",
	  "Curah|Kemasan|Omega|Fresh Egg|Peternakan Jaya|Tiga Saudara", "",
	  "isi 6|isi 10|isi 15|isi 30", TAX_EXEMPT, 9000, 75000, false, 2 },
	{ "Bayi & Kewanitaan", "BYI", "PBVS", "Popok Bayi|Popok Dewasa|Pembalut Wanita|Tisu Basah|Tisu Wajah",
	  "MamyPoko|Sweety|Merries|Pampers|Confidence|Charm|Laurier|Softex|Paseo|Nice|Mitu|Cussons",
	  "Pants S|Pants M|Pants L|Pants XL|Night|Wing|Extra Maxi|Antiseptik|Baby",
	  "isi 2|isi 8|isi 10|isi 20|isi 34|isi 50|250 lembar", TAX_STANDARD, 3000, 190000, false, 5 },
	{ "Sayur & Buah", "SYR", "PBV", "Bawang Merah|Bawang Putih|Cabai Merah|Cabai Rawit|Tomat|Kentang|Wortel|Kol|Jeruk|Apel|Pisang|Semangka|Mangga|Salak|Anggur|Buncis|Jahe|Kunyit",
	  "Brebes|Malang|Medan|Garut|Lokal|Impor|Lembang|Pontianak|Batu|Bali",
	  "|Super|Grade A|Organik|Curah", "", TAX_EXEMPT, 8000, 90000, true, 2 },
	{ "Daging & Ikan", "DGG", "PBV", "Daging Sapi|Daging Ayam|Ikan Kembung|Ikan Bandeng|Udang|Ikan Tongkol|Ayam Fillet|Daging Giling",
	  "Segar|Beku|Lokal|Has Dalam|Sengkel|Paha|Dada", "|Premium|Potong", "",
	  TAX_EXEMPT, 30000, 160000, true, 1 },
	{ "Pangan Premium", "PRM", "PBS", "Daging Wagyu|Salmon Norwegia|Keju Parmesan|Cokelat Belgia|Beras Premium Impor",
	  "Import Select|Gourmet|Royal|Prestige", "", "200g|250g|500g|1kg", TAX_LUXURY, 85000, 950000, false, 1 },
};

#define NFAMILIES (sizeof families / sizeof families[0])

/* Packs and editions: empty most of the time. */
static const char packs[] = "||||||||||||isi 2|isi 3|isi 5|isi 6|isi 10|isi 12|isi 24|Karton isi 40|Bundling|Hemat|Promo";

static const char *const suppliers[] = {
	"PT Indofood Sukses Makmur", "PT Wings Surya", "PT Unilever Indonesia",
	"PT Mayora Indah", "PT Sinar Mas Agro", "CV Sumber Rejeki", "UD Tani Makmur",
	"PT Sayap Mas Utama", "PT Enseval Putera", "Koperasi Produsen Lokal",
};

static size_t field_count(const char *list)
{
	size_t n = 1;
	for (const char *p = list; *p; p++)
		n += *p == '|';
	return n;
}

/* Copies field k of a '|'-separated list into buf. */
static void field(const char *list, size_t k, char *buf, size_t n)
{
	const char *p = list;
	while (k && *p) {
		if (*p++ == '|')
			k--;
	}
	size_t len = strcspn(p, "|");
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
}

static const struct family *pick_family(uint64_t *rng)
{
	int total = 0;
	for (size_t f = 0; f < NFAMILIES; f++)
		total += families[f].weight;
	int r = (int)bench_rand_below(rng, (uint64_t)total);
	for (size_t f = 0; f < NFAMILIES; f++) {
		if (r < families[f].weight)
			return &families[f];
		r -= families[f].weight;
	}
	return &families[0];
}

static void append_word(char *buf, size_t n, const char *w)
{
	if (!w[0])
		return;
	size_t len = strlen(buf);
	snprintf(buf + len, n - len, "%s%s", len ? " " : "", w);
}

static void ean13(long serial, char *out)
{
	/* 899 (Indonesia) + 9 digits: an odd multiplier makes serial -> digits
	 * one to one below 10^9, so every barcode is different. */
	uint64_t body = ((uint64_t)serial * 104729u + 1234567u) % 1000000000u;
	snprintf(out, 16, "899%09llu", (unsigned long long)body);
	out[12] = (char)('0' + barcode_check_digit(out, 12));
	out[13] = '\0';
}

void bench_item_make(long i, struct item_rec *it, char (*codes)[16], size_t *ncodes)
{
	uint64_t rng = 0x5eed0000ULL ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL);
	const struct family *f = pick_family(&rng);
	char p[48], b[48], v[48], s[48], pack[24];
	field(f->products, bench_rand_below(&rng, field_count(f->products)), p, sizeof p);
	field(f->brands, bench_rand_below(&rng, field_count(f->brands)), b, sizeof b);
	field(f->variants, bench_rand_below(&rng, field_count(f->variants)), v, sizeof v);
	size_t nsizes = field_count(f->sizes);
	size_t si = bench_rand_below(&rng, nsizes);
	field(f->sizes, si, s, sizeof s);
	field(packs, bench_rand_below(&rng, field_count(packs)), pack, sizeof pack);
	if (f->weighed)
		pack[0] = '\0';

	memset(it, 0, sizeof *it);
	for (const char *o = f->order; *o; o++)
		append_word(it->name, sizeof it->name,
		            *o == 'P' ? p : *o == 'B' ? b : *o == 'V' ? v : s);
	append_word(it->name, sizeof it->name, pack);
	snprintf(it->sku, sizeof it->sku, "%s-%06ld", f->sku, i + 1);
	snprintf(it->receipt_name, sizeof it->receipt_name, "%.32s", it->name);
	for (char *c = it->receipt_name; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	snprintf(it->unit, sizeof it->unit, "%s", f->weighed ? "kg" : "pcs");
	it->weighed = f->weighed;

	/* Price grows with the size, +-15 %, to the 100 rupiah; packs of n
	 * cost about n times. */
	double step = nsizes > 1 ? (double)si / (double)(nsizes - 1) : 0.5;
	double base = f->lo + (f->hi - f->lo) * step;
	base *= 0.85 + 0.30 * (double)bench_rand_below(&rng, 1000) / 1000.0;
	int mult = 1;
	if (strncmp(pack, "isi ", 4) == 0)
		mult = atoi(pack + 4);
	else if (strncmp(pack, "Karton isi ", 11) == 0)
		mult = atoi(pack + 11);
	it->price = ((cm_money)(base * mult) + 50) / 100 * 100;
	if (it->price < 500)
		it->price = 500;
	if (bench_rand_below(&rng, 10) < 3) { /* member price 2-5 % lower */
		cm_money off = (it->price * (cm_money)(2 + bench_rand_below(&rng, 4)) / 100 + 50) / 100 * 100;
		it->member_price = off > 0 ? it->price - off : 0;
	}
	it->tax = f->tax;
	snprintf(it->category, sizeof it->category, "%s", f->category);
	snprintf(it->supplier, sizeof it->supplier, "%s",
	         suppliers[bench_rand_below(&rng, sizeof suppliers / sizeof suppliers[0])]);
	it->active = bench_rand_below(&rng, 200) != 0; /* 0.5 % discontinued */

	*ncodes = 0;
	if (!f->weighed) {
		ean13(2 * i, codes[(*ncodes)++]);
		if (bench_rand_below(&rng, 10) == 0) /* a second (older) barcode */
			ean13(2 * i + 1, codes[(*ncodes)++]);
	}
}

/* ---- building the catalogue ---- */

static void remove_db(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[1100];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* Is path a finished catalogue of nitems items? */
static bool catalogue_ok(const char *path, long nitems)
{
	if (access(path, F_OK) != 0)
		return false;
	sqlite3 *db = NULL;
	bool ok = false;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s = NULL;
		static const char sql[] =
			"SELECT (SELECT count(*) FROM items), "
			"(SELECT count(*) FROM users WHERE number IN ('" BENCH_ADMIN "', '"
			BENCH_SUPER "', '" BENCH_CASHIER "') AND locked = 0), "
			"(SELECT user_version FROM pragma_user_version)";
		/* A file of a newer schema (built by a newer program) is rebuilt. */
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			ok = sqlite3_column_int64(s, 0) == nitems && sqlite3_column_int(s, 1) == 3 &&
			     sqlite3_column_int(s, 2) <= store_latest_version();
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return ok;
}

static bool fail_rc(const char *doing, enum cm_rc rc, const char *msg)
{
	fprintf(stderr, "bench catalogue: %s: %s (%s)\n", doing, msg, cm_rc_name(rc));
	return false;
}

static bool setup_till(struct till *t)
{
	static const char *const settings[][2] = {
		{ SET_TERMINAL, "T01" }, /* first: fixed once the journal starts */
		{ SET_STORE_NAME, "Koperasi Karyawan Sejahtera" },
		{ SET_STORE_ADDRESS, "Jl. Merdeka No. 17, Bandung" },
		{ SET_NPWP, "01.234.567.8-901.000" },
		{ SET_PKP, "1" },
		{ SET_ROUND_STEP, "100" },
	};
	enum cm_rc rc;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if ((rc = till_setting_set(t, settings[i][0], settings[i][1])) != CM_OK)
			return fail_rc("setting", rc, till_errmsg(t));
	/* The first user must be an admin, who then adds the others. */
	if ((rc = auth_user_add(t, BENCH_ADMIN, "Admin Koperasi", ROLE_ADMIN, BENCH_ADMIN_PIN, NULL)) != CM_OK)
		return fail_rc("adding the admin", rc, till_errmsg(t));
	if ((rc = auth_login(t, BENCH_ADMIN, BENCH_ADMIN_PIN)) != CM_OK)
		return fail_rc("admin login", rc, till_errmsg(t));
	if ((rc = auth_user_add(t, BENCH_SUPER, "Siti Supervisor", ROLE_SUPERVISOR, BENCH_SUPER_PIN, NULL)) != CM_OK ||
	    (rc = auth_user_add(t, BENCH_CASHIER, "Budi Kasir", ROLE_CASHIER, BENCH_CASHIER_PIN, NULL)) != CM_OK)
		return fail_rc("adding users", rc, till_errmsg(t));
	/* No sale without an open shift. */
	if ((rc = shift_open(t, 500000, NULL)) != CM_OK)
		return fail_rc("opening the shift", rc, till_errmsg(t));
	if ((rc = auth_logout(t)) != CM_OK)
		return fail_rc("logout", rc, till_errmsg(t));
	return true;
}

static bool insert_items(struct store *st, long nitems)
{
	enum cm_rc rc = store_begin(st);
	if (rc != CM_OK)
		return fail_rc("begin", rc, store_errmsg(st));
	int32_t plu = 0;
	int64_t t0 = bench_now_ns();
	for (long i = 0; i < nitems; i++) {
		struct item_rec it;
		char codes[2][16];
		size_t nc;
		int64_t id;
		bench_item_make(i, &it, codes, &nc);
		if (it.weighed)
			it.plu = ++plu;
		if ((rc = store_item_upsert(st, &it, codes, nc, &id, NULL)) != CM_OK) {
			store_rollback(st);
			return fail_rc("adding an item", rc, store_errmsg(st));
		}
		if ((i + 1) % 50000 == 0)
			fprintf(stderr, "  %ld items (%.1f s)\n", i + 1,
			        (double)(bench_now_ns() - t0) / 1e9);
	}
	if ((rc = store_commit(st)) != CM_OK)
		return fail_rc("commit", rc, store_errmsg(st));
	return true;
}

/* Folds the WAL into the database file so the file can be renamed. */
static bool checkpoint(const char *path)
{
	sqlite3 *db = NULL;
	bool ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	          sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok)
		fprintf(stderr, "bench catalogue: checkpoint: %s\n", db ? sqlite3_errmsg(db) : "?");
	sqlite3_close(db);
	return ok;
}

static bool build(const char *tmp, long nitems)
{
	char err[320];
	struct store *st = NULL;
	struct till *t = NULL;
	enum cm_rc rc = store_open(tmp, STORE_CREATE, 0, &st, err, sizeof err);
	if (rc != CM_OK)
		return fail_rc("creating the database", rc, err);
	bool ok = (rc = till_open(st, &t, err, sizeof err)) == CM_OK ||
	          fail_rc("opening the till", rc, err);
	ok = ok && setup_till(t);
	ok = ok && insert_items(st, nitems);
	till_free(t);
	store_close(st);
	return ok && checkpoint(tmp);
}

bool bench_catalogue_ensure(const char *path, long nitems)
{
	if (catalogue_ok(path, nitems))
		return true;
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.building-%ld", path, (long)getpid());
	fprintf(stderr, "building the benchmark catalogue: %ld items in %s ...\n", nitems, path);
	int64_t t0 = bench_now_ns();
	remove_db(tmp);
	if (!build(tmp, nitems)) {
		remove_db(tmp);
		return false;
	}
	remove_db(path);
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "bench catalogue: rename %s: %s\n", tmp, strerror(errno));
		remove_db(tmp);
		return false;
	}
	fprintf(stderr, "built in %.1f s\n", (double)(bench_now_ns() - t0) / 1e9);
	return catalogue_ok(path, nitems);
}

bool bench_load_barcodes(const char *path, char (**codes)[16], size_t *n)
{
	static const char sql[] =
		"SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id "
		"WHERE i.active = 1 AND i.weighed = 0 ORDER BY b.code";
	*codes = NULL;
	*n = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	bool ok = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	          sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK;
	int rc = SQLITE_ERROR;
	while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			char (*p)[16] = realloc(*codes, cap * sizeof *p);
			if (!p) {
				ok = false;
				break;
			}
			*codes = p;
		}
		snprintf((*codes)[(*n)++], 16, "%s", (const char *)sqlite3_column_text(s, 0));
	}
	ok = ok && rc == SQLITE_DONE && *n > 0;
	if (!ok) {
		fprintf(stderr, "loading barcodes: %s\n", db ? sqlite3_errmsg(db) : "?");
		free(*codes);
		*codes = NULL;
		*n = 0;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ok;
}

/* ---- a till session ---- */

enum cm_rc bench_cancel(struct bench_session *s, struct sale *sale)
{
	enum cm_rc rc = sale_cancel(sale, NULL);
	if (rc != CM_NEED_OVERRIDE)
		return rc;
	struct approval ap;
	rc = auth_approve_need(s->t, auth_need(s->t), BENCH_SUPER, BENCH_SUPER_PIN, "benchmark", &ap);
	return rc == CM_OK ? sale_cancel(sale, &ap) : rc;
}

bool bench_session_open(const char *path, struct bench_session *s)
{
	char err[320];
	memset(s, 0, sizeof *s);
	enum cm_rc rc = store_open(path, 0, 0, &s->st, err, sizeof err);
	if (rc != CM_OK)
		return fail_rc("opening the database", rc, err);
	if ((rc = till_open(s->st, &s->t, err, sizeof err)) != CM_OK) {
		fail_rc("opening the till", rc, err);
		goto fail;
	}
	if ((rc = auth_login(s->t, BENCH_CASHIER, BENCH_CASHIER_PIN)) != CM_OK) {
		fail_rc("login", rc, till_errmsg(s->t));
		goto fail;
	}
	/* A cached database made before shifts existed (or whose shift a
	 * benchmark closed) has none open: no sale without one. */
	struct shift_rec cur;
	if (shift_current(s->t, &cur) == CM_NOTFOUND && (rc = shift_open(s->t, 500000, NULL)) != CM_OK) {
		fail_rc("opening the shift", rc, till_errmsg(s->t));
		goto fail;
	}
	/* A ticket left active by an interrupted run. */
	struct sale *old = NULL;
	rc = sale_restore(s->t, &old);
	if (rc == CM_OK) {
		rc = bench_cancel(s, old);
		if (rc != CM_OK)
			fail_rc("cancelling an old ticket", rc, sale_errmsg(old));
		sale_free(old);
		if (rc != CM_OK)
			goto fail;
	} else if (rc != CM_NOTFOUND) {
		fail_rc("restoring an old ticket", rc, till_errmsg(s->t));
		goto fail;
	}
	return true;
fail:
	bench_session_close(s);
	return false;
}

void bench_session_close(struct bench_session *s)
{
	if (s->t && till_user(s->t))
		auth_logout(s->t);
	till_free(s->t);
	store_close(s->st);
	memset(s, 0, sizeof *s);
}

/* ---- search queries ---- */

/* A word a cashier would type the start of: letters only, 3 or more. */
static bool query_word(const char *w, size_t len)
{
	if (len < 3)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalpha((unsigned char)w[i]))
			return false;
	return true;
}

void bench_make_query(long nitems, uint64_t *rng, char *buf, size_t n)
{
	for (;;) {
		struct item_rec it;
		char codes[2][16];
		size_t nc;
		bench_item_make((long)bench_rand_below(rng, (uint64_t)nitems), &it, codes, &nc);
		const char *words[16];
		size_t nw = 0;
		for (const char *p = it.name; *p && nw < 16;) {
			size_t len = strcspn(p, " ");
			if (query_word(p, len))
				words[nw++] = p;
			p += len;
			p += *p == ' ';
		}
		if (nw < 2)
			continue;
		/* Mostly the first two words, sometimes the first and a later one. */
		size_t second = bench_rand_below(rng, 10) < 7 ? 1 : 1 + bench_rand_below(rng, nw - 1);
		snprintf(buf, n, "%.3s %.3s", words[0], words[second]);
		for (char *c = buf; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return;
	}
}

void bench_fts_text(const char *query, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (const char *p = query; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		int w = snprintf(buf + o, n - o, "%s\"%.*s\"*", o ? " " : "", (int)len, p);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
		p += len;
	}
}

/* ---- report ---- */

static void print_load(const char *when)
{
	double la[3];
	if (getloadavg(la, 3) == 3)
		printf("load average %s: %.2f %.2f %.2f (%ld CPUs online)\n", when, la[0], la[1],
		       la[2], sysconf(_SC_NPROCESSORS_ONLN));
}

void bench_print_header(const char *what, const struct bench_opts *o)
{
	printf("coopmart %s: %ld items, database %s, %ld timed iterations, sqlite %s\n",
	       what, o->items, o->db, o->count, sqlite3_libversion());
	print_load("at start");
	fflush(stdout);
}

void bench_print_footer(void)
{
	print_load("at end");
}

void bench_print_result(const char *label, const struct bench_stats *eng,
                        const struct bench_stats *raw, double target_ms)
{
	printf("%-24s n=%zu  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms   "
	       "raw sqlite p50 %.3f ms  p99 %.3f ms  ratio %.1fx   target p99 < %g ms: %s\n",
	       label, eng->n, eng->p50, eng->p90, eng->p99, eng->max, raw->p50, raw->p99,
	       raw->p99 > 0 ? eng->p99 / raw->p99 : 0.0, target_ms,
	       eng->p99 < target_ms ? "MET" : "NOT MET");
	fflush(stdout);
}
