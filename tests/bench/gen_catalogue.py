#!/usr/bin/env python3
"""gen_catalogue.py: a realistic generated catalogue for the benchmarks.

    gen_catalogue.py ITEMS OUT.csv [--seed N] [--price-base RP] [--queries Q.txt]

Names the way an Indonesian minimarket's catalogue spells them: brand,
product, variant, size ("Indomie Mi Goreng Rendang 91 g"), drawn from
families a store really carries, so that two-word prefix queries match
thousands of items as they do at 1,000,000. Every item has a valid EAN-13
(GS1 prefix 899, Indonesia) and a SKU; prices in rupiah. Deterministic for
a seed. --price-base adds RP to every price (a second version of the same
catalogue where every price changed). --queries writes a query set: what a
cashier types for an item (two word prefixes of 3-5 letters, brand and
product or product and variant), one "QUERY<TAB>SKU" a line, for
bench_search_rank.
"""
import csv
import random
import sys
import zlib

FAMILIES = [
    # (category, products, variants, sizes, brands)
    ("Mie Instan", ["Mi Goreng", "Mi Kuah", "Mie Cup", "Bihun Instan", "Kwetiau Instan"],
     ["Rendang", "Ayam Bawang", "Soto", "Kari Ayam", "Jumbo", "Pedas", "Ayam Geprek",
      "Cakalang", "Iga Penyet", "Salero Padang", "Sambal Matah", "Original"],
     ["70 g", "75 g", "80 g", "85 g", "91 g", "120 g", "5 x 85 g"],
     ["Indomie", "Mie Sedaap", "Supermi", "Sarimi", "Lemonilo", "Gaga", "Pop Mie", "Sakura"]),
    ("Minuman", ["Teh Botol", "Teh Kotak", "Air Mineral", "Kopi Susu", "Minuman Isotonik",
                 "Jus Jeruk", "Susu UHT", "Minuman Soda", "Teh Hijau"],
     ["Original", "Less Sugar", "Melati", "Jasmine", "Apel", "Leci", "Cokelat", "Stroberi",
      "Vanila", "Markisa", "Lemon", "Madu"],
     ["200 ml", "250 ml", "330 ml", "350 ml", "450 ml", "600 ml", "1 L", "1,5 L", "6 x 250 ml"],
     ["Sosro", "Frestea", "Aqua", "Le Minerale", "Ultra", "Frisian Flag", "Pocari Sweat",
      "Buavita", "Nu Green Tea", "Good Day", "Kapal Api", "ABC", "Coca-Cola", "Sprite",
      "Fanta", "Cimory", "Indomilk", "Club"]),
    ("Sabun & Sampo", ["Sabun Mandi", "Sabun Cair", "Sampo", "Kondisioner", "Sabun Cuci Piring",
                       "Deterjen Bubuk", "Deterjen Cair", "Pelembut Pakaian", "Pasta Gigi",
                       "Sikat Gigi"],
     ["Anti Ketombe", "Lemon", "Jeruk Nipis", "Lavender", "Mawar", "Fresh", "Herbal",
      "Whitening", "Sensitive", "Black", "Aloe Vera", "Sakura", "Total Care"],
     ["75 g", "85 g", "110 g", "170 ml", "250 ml", "400 ml", "450 ml", "800 ml", "1 kg", "1,8 L"],
     ["Lifebuoy", "Lux", "Nuvo", "Giv", "Dettol", "Sunsilk", "Pantene", "Clear", "Dove",
      "Sunlight", "Mama Lemon", "Rinso", "So Klin", "Attack", "Daia", "Molto", "Pepsodent",
      "Ciptadent", "Formula", "Close Up"]),
    ("Makanan Ringan", ["Keripik Kentang", "Keripik Singkong", "Biskuit", "Wafer", "Kacang",
                        "Kerupuk", "Cokelat Batang", "Permen", "Roti Tawar", "Roti Sobek"],
     ["Balado", "Rumput Laut", "Keju", "Original", "Pedas Manis", "Sapi Panggang", "Cokelat",
      "Vanila", "Kelapa", "Susu", "Jagung Bakar", "Ayam Bawang"],
     ["35 g", "40 g", "55 g", "68 g", "75 g", "120 g", "150 g", "200 g", "300 g"],
     ["Chitato", "Qtela", "Lays", "Taro", "Piattos", "Roma", "Khong Guan", "Tango", "Nabati",
      "Garuda", "Dua Kelinci", "Silverqueen", "Beng-Beng", "Kopiko", "Relaxa", "Sari Roti",
      "Oreo", "Good Time", "Malkist", "Richeese"]),
    ("Bumbu Dapur", ["Kecap Manis", "Saus Sambal", "Saus Tomat", "Minyak Goreng", "Gula Pasir",
                     "Garam Beryodium", "Penyedap Rasa", "Bumbu Instan", "Santan", "Tepung Terigu",
                     "Margarin", "Terasi"],
     ["Pedas", "Extra Pedas", "Original", "Ayam", "Sapi", "Rendang", "Nasi Goreng", "Opor",
      "Soto", "Rawon", "Protein Tinggi", "Serbaguna"],
     ["65 ml", "135 ml", "275 ml", "520 ml", "1 L", "2 L", "250 g", "500 g", "1 kg", "5 kg"],
     ["Bango", "ABC", "Sasa", "Masako", "Royco", "Indofood", "Bimoli", "Sania", "Filma",
      "Tropical", "Gulaku", "Kara", "Segitiga Biru", "Blue Band", "Kokita", "Finna", "Sunco"]),
    ("Beras & Telur", ["Beras Premium", "Beras Medium", "Beras Pulen", "Telur Ayam", "Telur Bebek",
                       "Kacang Hijau", "Kedelai", "Jagung Pipil"],
     ["Cap Bunga", "Cap Ayam Jago", "Setra Ramos", "Pandan Wangi", "Rojolele", "IR 64",
      "Organik", "Kampung", "Negeri"],
     ["1 kg", "2 kg", "2,5 kg", "5 kg", "10 kg", "10 butir", "30 butir", "500 g"],
     ["Sania", "Topi Koki", "Raja", "Si Pulen", "Anak Raja", "Maknyuss", "Lahap", "Fortune",
      "Ayam Jago", "Bunga Mawar"]),
    ("Susu & Bayi", ["Susu Bubuk", "Susu Kental Manis", "Susu Formula", "Popok Bayi", "Tisu Basah",
                     "Bedak Bayi", "Minyak Telon", "Bubur Bayi"],
     ["Cokelat", "Vanila", "Madu", "Original", "Tahap 1", "Tahap 2", "Tahap 3", "Pants M",
      "Pants L", "Pants XL", "Beras Merah", "Pisang"],
     ["37 g", "120 g", "370 g", "400 g", "800 g", "1 kg", "30 pcs", "50 lembar", "60 ml", "150 ml"],
     ["Dancow", "Frisian Flag", "Bendera", "Indomilk", "SGM", "Lactogen", "Bebelac", "Mamypoko",
      "Sweety", "Merries", "Cussons", "Zwitsal", "Konicare", "Promina", "Milna", "Nestle Cerelac"]),
    ("Rokok & Korek", ["Kretek Filter", "Kretek", "Rokok Mild", "Korek Api Gas", "Korek Kayu"],
     ["12 Batang", "16 Batang", "Bold", "Magnum", "Refill", "Slim", "Menthol"],
     ["1 bungkus", "1 slop", "1 pcs", "10 pcs"],
     ["Gudang Garam", "Sampoerna", "Djarum", "Dji Sam Soe", "LA Lights", "Surya", "Tokai",
      "Cricket", "Marlboro", "Esse"]),
    ("Alat Tulis & Rumah", ["Buku Tulis", "Pulpen", "Pensil", "Kantong Plastik", "Lampu LED",
                            "Baterai", "Obat Nyamuk Bakar", "Obat Nyamuk Semprot", "Pewangi Ruangan",
                            "Tisu Gulung", "Tisu Wajah", "Sapu Ijuk"],
     ["Hitam", "Biru", "Merah", "Putih", "Lavender", "Jeruk", "Apel", "AA", "AAA", "9 Watt",
      "12 Watt", "Besar", "Kecil"],
     ["1 pcs", "2 pcs", "4 pcs", "10 pcs", "38 lembar", "58 lembar", "250 lembar", "600 ml"],
     ["Sinar Dunia", "Kiky", "Standard", "Faber-Castell", "Joyko", "Philips", "Hannochs",
      "ABC", "Energizer", "Alkaline", "Baygon", "Hit", "Vape", "Stella", "Glade", "Paseo",
      "Nice", "Tessa", "See-U", "Livi"]),
    ("Kesehatan", ["Obat Flu", "Obat Batuk", "Obat Sakit Kepala", "Minyak Kayu Putih",
                   "Balsem", "Vitamin C", "Plester Luka", "Masker Medis", "Obat Maag",
                   "Minuman Herbal"],
     ["Anak", "Dewasa", "Sirup", "Tablet", "Kapsul", "Jahe", "Madu", "Hangat", "Extra",
      "Forte", "Strip", "Sachet"],
     ["10 tablet", "4 tablet", "60 ml", "100 ml", "15 ml", "30 ml", "20 g", "10 pcs", "50 pcs"],
     ["Panadol", "Bodrex", "Paramex", "Mixagrip", "Komix", "OBH Combi", "Konidin",
      "Cap Lang", "Tolak Angin", "Geliga", "Hansaplast", "Promag", "Mylanta", "Enervon-C",
      "Vitacimin", "Sensi", "Antangin", "Woods", "Tempra", "Diapet"]),
]


def ean13(body12):
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - s % 10) % 10)


def products(n, rng):
    """n distinct (category, brand, product, variant, size) in a shuffled order."""
    combos = []
    for fam in FAMILIES:
        cat, prods, variants, sizes, brands = fam
        combos.append((cat, prods, variants, sizes, brands,
                       len(prods) * len(variants) * len(sizes) * len(brands)))
    total = sum(c[5] for c in combos)
    seen = set()
    # Items beyond the natural combinations carry a line number (a store's
    # own packs, "Isi 2", "Isi 3"...), as big catalogues do.
    while len(seen) < n:
        k = rng.randrange(total)
        for cat, prods, variants, sizes, brands, cnt in combos:
            if k < cnt:
                break
            k -= cnt
        b = brands[k % len(brands)]; k //= len(brands)
        p = prods[k % len(prods)]; k //= len(prods)
        v = variants[k % len(variants)]; k //= len(variants)
        s = sizes[k % len(sizes)]
        pack = 1 + rng.randrange(max(1, n // total + 1)) if n > total // 2 else 1
        key = (b, p, v, s, pack)
        if key in seen:
            continue
        seen.add(key)
        yield cat, b, p, v, s, pack


def main():
    args = sys.argv[1:]
    seed, base, qpath = 1, 0, None
    while len(args) > 2:
        if args[-2] == "--seed":
            seed = int(args[-1])
        elif args[-2] == "--price-base":
            base = int(args[-1])
        elif args[-2] == "--queries":
            qpath = args[-1]
        else:
            break
        args = args[:-2]
    n, out = int(args[0]), args[1]
    rng = random.Random(seed)
    queries = open(qpath, "w") if qpath else None
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sku", "name", "price", "barcodes", "category"])
        for i, (cat, b, p, v, s, pack) in enumerate(products(n, rng)):
            name = f"{b} {p} {v} {s}" + (f" Isi {pack}" if pack > 1 else "")
            price = base + 500 * (2 + zlib.crc32(f"{b}|{p}|{v}|{s}".encode()) % 200) * pack
            code = ean13("899" + f"{i:09d}")
            w.writerow([f"C{i:07d}", name, price, code, cat])
            if queries and i % max(1, n // 2000) == 0:
                words = [w for w in (b + " " + p + " " + v).split() if w.isalpha()]
                if len(words) >= 2:
                    a = rng.randrange(len(words) - 1)
                    w1, w2 = words[a], words[a + 1 + rng.randrange(len(words) - a - 1)]
                    q = w1[:rng.randint(3, 5)] + " " + w2[:rng.randint(3, 5)]
                    queries.write(f"{q.lower()}\t{name}\tC{i:07d}\n")
    if queries:
        queries.close()


if __name__ == "__main__":
    main()
