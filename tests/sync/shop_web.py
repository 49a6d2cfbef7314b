#!/usr/bin/python3
"""The members' online shop in a real browser: Debian's chromium, driven
by chromedriver through python3-selenium (tests/sync/shop_web.sh sets the
scene and runs this).

  shop_web.py URL WORKDIR

WORKDIR holds facts.json (the store, the members and their PINs). With
SCREENSHOTS=DIR set, the main pages are saved there as PNG. Exits
non-zero naming the first check that failed; prints "browser: N" checks."""
import json
import os
import subprocess
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from webtest import browser, check, done, submit

URL, WORK = sys.argv[1], sys.argv[2]
FACTS = json.load(open(os.path.join(WORK, "facts.json")))
SHOP = URL + "/shop/" + FACTS["store"]
SHOTS = os.environ.get("SCREENSHOTS", "")
def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def shot(d, name):
    if SHOTS:
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def skus(d):
    return sorted(e.get_attribute("data-sku") for e in d.find_elements(By.CSS_SELECTOR, "#items .item"))


def card(d, sku):
    return d.find_element(By.CSS_SELECTOR, f'#items .item[data-sku="{sku}"]')


def search(d, q):
    box = d.find_element(By.ID, "q")
    box.clear()
    box.send_keys(q)
    submit(d, d.find_element(By.ID, "search"))


def product(d):
    return json.loads(d.find_element(By.ID, "product-ld").get_attribute("innerHTML"))


def login(d, member, pin):
    d.get(SHOP + "/login")
    d.find_element(By.ID, "member").send_keys(member)
    d.find_element(By.ID, "pin").send_keys(pin)
    submit(d, d.find_element(By.ID, "login"))


def add(d, sku, qty):
    d.get(SHOP + "/")
    c = card(d, sku)
    q = c.find_element(By.NAME, "qty")
    q.clear()
    q.send_keys(qty)
    submit(d, c.find_element(By.CSS_SELECTOR, "button.add"))


def guest(d):
    d.get(SHOP + "/")
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id",
          "the shop speaks Bahasa Indonesia first")
    check(skus(d) == ["BERAS-K", "GULA-1", "GULA-5", "KOPI-1", "KUE-1", "TEH-25"],
          f"every item on the shelves: {skus(d)}")
    g = card(d, "GULA-1").text
    check("Rp17.500" in g and "tersedia" in g, f"a stranger sees the shelf price, available: {g}")
    check("Rp16.500" not in g, "a stranger does not see the member price")
    check("stok terbatas" in card(d, "GULA-5").text, "3 pieces are limited stock")
    check("habis" in card(d, "KUE-1").text, "no stock is sold out")
    check("Rp9.800" in card(d, "KOPI-1").text, "the store's own price comes first")
    shot(d, "shop-home")
    search(d, "gul")
    check(skus(d) == ["GULA-1", "GULA-5"], f"search: names starting with gul: {skus(d)}")
    search(d, "pasir")
    check(skus(d) == ["GULA-1"], f"search: a later word of the name: {skus(d)}")
    search(d, "ula")
    check(skus(d) == [] and "Tidak ada yang ditemukan" in text(d),
          "search is by prefix: 'ula' finds nothing")
    search(d, "%_")
    check(skus(d) == [], "LIKE wildcards in a search are plain characters")
    d.get(SHOP + "/")
    submit_link(d, "Minuman")
    check(skus(d) == ["KOPI-1", "TEH-25"], f"the category Minuman: {skus(d)}")
    # The item page and its schema.org Product.
    d.get(SHOP + "/")
    submit_link(d, "Gula Pasir 1 kg")
    p = product(d)
    check(p["@type"] == "Product" and p["name"] == "Gula Pasir 1 kg" and p["gtin13"] == "8991234567891",
          f"the Product's name and GTIN-13: {p}")
    o = p["offers"]
    check(o["price"] == "17500" and o["priceCurrency"] == "IDR" and
          o["availability"] == "https://schema.org/InStock", f"the offer: {o}")
    d.get(SHOP + "/item?sku=KUE-1")
    p = product(d)
    check(p["name"] == "Kue <Lapis> & Bolu", f"a name with markup survives the JSON-LD: {p['name']}")
    check(p["offers"]["availability"] == "https://schema.org/OutOfStock", "sold out in JSON-LD")
    check("</script>" not in d.find_element(By.ID, "product-ld").get_attribute("innerHTML").lower() and
          "\\u003c" in d.page_source, "'<' in the JSON-LD is escaped")
    # English by the switch, and back.
    d.get(SHOP + "/")
    submit_link(d, "English")
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en" and
          "available" in card(d, "GULA-1").text, "the switch gives English")
    d.get(SHOP + "/")
    check("available" in card(d, "GULA-1").text, "the switch is remembered")
    submit_link(d, "Bahasa Indonesia")
    check("tersedia" in card(d, "GULA-1").text, "and back to Bahasa Indonesia")
    d.get(URL + "/shop/" + FACTS["closed"] + "/")
    check("Toko daring toko ini tutup" in text(d), "a store without a shop says it is closed")
    d.get(SHOP + "/cart")
    check(d.current_url.endswith("/login"), "the cart needs a member")


def submit_link(d, label):
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.LINK_TEXT, label).click()
    WebDriverWait(d, 10).until(lambda _: old.id != d.find_element(By.TAG_NAME, "html").id)


def cart_message(d):
    return d.find_element(By.ID, "msg").text


def repost(d, form_fields, action):
    """Submits a form with exactly these fields (a retried submit)."""
    old = d.find_element(By.TAG_NAME, "html")
    d.execute_script("""
        const f = document.createElement('form');
        f.method = 'post'; f.action = arguments[1];
        for (const [k, v] of Object.entries(arguments[0])) {
            const i = document.createElement('input');
            i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f); f.submit();""", form_fields, action)
    WebDriverWait(d, 10).until(lambda _: old.id != d.find_element(By.TAG_NAME, "html").id)


def scan_barcode(d):
    """The order's barcode as the cashier's scanner would read it: a
    screenshot of the SVG, decoded by zbarimg."""
    png = os.path.join(WORK, "barcode.png")
    d.find_element(By.CSS_SELECTOR, "svg.barcode").screenshot(png)
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Scode128.enable", png],
                         capture_output=True, text=True)
    return out.stdout.strip()


def member(d):
    login(d, FACTS["left"], FACTS["left_pin"])
    check("Hanya anggota aktif" in text(d), "a member who left cannot log in")
    login(d, FACTS["member"], "111112")
    check("Nomor anggota atau PIN salah" in text(d), "a wrong PIN is refused, in Indonesian")
    login(d, FACTS["member"], FACTS["pin"])
    check("Sri Wahyuni" in d.find_element(By.ID, "who").text, "the member is logged in")
    g = card(d, "GULA-1").text
    check("Rp16.500" in g and "Rp17.500" in g, f"the member sees the member price beside the shelf's: {g}")
    check("Rp8.800" in card(d, "KOPI-1").text, "the store's own member price")
    d.get(SHOP + "/item?sku=GULA-1")
    check(product(d)["offers"]["price"] == "16500", "the JSON-LD offer is the price the page shows")
    add(d, "GULA-1", "2")
    check("Gula Pasir 1 kg" in d.find_element(By.ID, "cart").text, "the cart holds the sugar")
    add(d, "KOPI-1", "1")
    add(d, "GULA-1", "5")
    check("Paling banyak 6 GULA-1 per pesanan" in cart_message(d), f"the line limit: {cart_message(d)}")
    add(d, "TEH-25", "5")
    check("Hanya tersedia 4 TEH-25" in cart_message(d), f"the stock limit: {cart_message(d)}")
    add(d, "GULA-5", "-1")
    check("Jumlah harus angka" in cart_message(d), f"a negative quantity: {cart_message(d)}")
    add(d, "GULA-5", "99999999999")
    check("Jumlah harus angka" in cart_message(d), f"a huge quantity: {cart_message(d)}")
    add(d, "GULA-5", "1,5")
    check("harus angka positif (buah utuh)" in cart_message(d), f"half a bag: {cart_message(d)}")
    add(d, "BERAS-K", "1,5")
    check(d.find_element(By.CSS_SELECTOR, '#cart tr[data-sku="BERAS-K"] input[name=qty]')
          .get_attribute("value") == "1,5", "1,5 kg of a weighed item")
    row = d.find_element(By.CSS_SELECTOR, '#cart tr[data-sku="BERAS-K"]')
    submit(d, row.find_elements(By.CSS_SELECTOR, "button")[-1])
    check(not d.find_elements(By.CSS_SELECTOR, '#cart tr[data-sku="BERAS-K"]'), "a line removed")
    check(d.find_element(By.ID, "total").text == "Rp41.800", f"the cart's total: {d.find_element(By.ID, 'total').text}")
    # A POST without the CSRF token.
    d.execute_script("document.querySelector('#cart form input[name=csrf]').remove()")
    submit(d, d.find_element(By.CSS_SELECTOR, "#cart form button"))
    check("tidak berasal dari toko ini" in text(d), "a POST without the CSRF token is refused")
    d.get(SHOP + "/cart")
    shot(d, "shop-cart")
    # Checkout for the first slot; the submit then retried.
    Select(d.find_element(By.ID, "slot")).select_by_index(0)
    form = d.find_element(By.CSS_SELECTOR, "form[action$='/checkout']")
    fields = {i.get_attribute("name"): i.get_attribute("value")
              for i in form.find_elements(By.CSS_SELECTOR, "input, select")}
    submit(d, d.find_element(By.ID, "place"))
    first = d.current_url
    oid = d.find_element(By.ID, "order-id").text
    check(oid.startswith("OL-") and d.find_element(By.ID, "status").text == "dipesan",
          f"the order placed: {oid} {text(d)}")
    check(scan_barcode(d) == oid, f"the barcode scans as the order's number {oid}")
    shot(d, "shop-order")
    repost(d, fields, SHOP + "/checkout")
    check(d.current_url == first, "a retried submit shows the same order")
    d.get(SHOP + "/cart")
    check("Keranjang kosong" in text(d), "the cart is empty after the order")
    # The second order, then a third refused (two open orders at most).
    add(d, "TEH-25", "1")
    submit(d, d.find_element(By.ID, "place"))
    second = d.find_element(By.ID, "order-id").text
    check(second != oid, "a second order")
    add(d, "TEH-25", "1")
    submit(d, d.find_element(By.ID, "place"))
    check("sudah punya 2 pesanan terbuka" in cart_message(d), f"open orders limit: {cart_message(d)}")
    d.get(SHOP + "/order?id=" + second)
    submit(d, d.find_element(By.ID, "cancel"))
    check(d.find_element(By.ID, "status").text == "dibatalkan", "the member cancels before picking")
    check(not d.find_elements(By.ID, "cancel"), "a cancelled order offers no cancel")
    d.get(SHOP + "/orders")
    rows = d.find_element(By.ID, "orders").text
    check(oid in rows and second in rows and "dipesan" in rows and "dibatalkan" in rows,
          f"my orders: {rows}")
    statuses(d)
    rate_limited(d)
    return oid


def sql(statement):
    subprocess.run(FACTS["sql"] + [statement], check=True, capture_output=True)


def statuses(d):
    """The third order (TEH-25 was left in the cart) through what the
    till's events write: picked with a substitution, past its expiry,
    collected."""
    d.get(SHOP + "/cart")
    submit(d, d.find_element(By.ID, "place"))
    third = d.find_element(By.ID, "order-id").text
    sql(f"UPDATE shop_order_lines SET pick_status = 'substituted', picked_qty = 1000, "
        f"sub_sku = 'KOPI-1' WHERE order_id = '{third}'")
    sql(f"UPDATE shop_orders SET status = 'ready', picked_total = 8800 WHERE id = '{third}'")
    d.get(SHOP + "/order?id=" + third)
    check(d.find_element(By.ID, "status").text == "siap diambil", "picked: ready for pickup")
    lines = d.find_element(By.ID, "lines").text
    check("diganti dengan: 1 × Kopi Bubuk 200 g" in lines, f"the picking shows the substitution: {lines}")
    check(d.find_element(By.ID, "picked-total").text == "Rp8.800", "the picked total")
    check(not d.find_elements(By.ID, "cancel"), "a picked order cannot be cancelled")
    sql(f"UPDATE shop_orders SET expires_at = placed_at - 1 WHERE id = '{third}'")
    d.get(SHOP + "/order?id=" + third)
    check(d.find_element(By.ID, "status").text == "kedaluwarsa", "past its expiry: expired")
    sql(f"UPDATE shop_orders SET status = 'collected', collected_total = 8800, "
        f"sale_receipt = 'K01-000007', collected_at = placed_at WHERE id = '{third}'")
    d.get(SHOP + "/order?id=" + third)
    check(d.find_element(By.ID, "status").text == "sudah diambil", "collected")
    check(d.find_element(By.ID, "collected-total").text == "Rp8.800", "the collected total")
    d.get(SHOP + "/orders")
    check("sudah diambil" in d.find_element(By.ID, "orders").text, "collected in my orders")


def rate_limited(d):
    """Cart changes per member are limited: a script posting as fast as it
    can is refused with a message."""
    d.get(SHOP + "/cart")
    token = d.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    for _ in range(40):
        repost(d, {"csrf": token, "op": "set", "sku": "GULA-5", "qty": "x"}, SHOP + "/cart")
        if "Terlalu banyak permintaan" in text(d):
            break
    check("Terlalu banyak permintaan" in text(d), "cart changes per member are rate limited")


def other(oid):
    d = browser(phone=True)
    try:
        login(d, FACTS["other"], FACTS["other_pin"])
        check("Joko Susilo" in d.find_element(By.ID, "who").text, "the other member is logged in")
        d.get(SHOP + "/order?id=" + oid)
        check("Tidak ada pesanan itu" in text(d) and oid not in text(d),
              "another member's order is not found")
        d.get(SHOP + "/orders")
        check(oid not in text(d), "another member's orders are not listed")
        for page in ("/", "/orders", "/cart"):
            d.get(SHOP + page)
            w = d.execute_script("return document.documentElement.scrollWidth")
            check(w <= 390, f"{page} fits a phone's width ({w} px)")
        shot(d, "shop-phone")
        submit(d, d.find_element(By.ID, "logout"))
        check(d.find_elements(By.ID, "login-link"), "logged out")
        for _ in range(4):
            login(d, FACTS["other"], "222223")
        check("Dikunci selama 30 detik" in text(d), f"wrong PINs lock out: {text(d)}")
        login(d, FACTS["other"], FACTS["other_pin"])
        check("Terlalu banyak PIN salah" in text(d), "the right PIN waits for the lockout")
    finally:
        d.quit()


def main():
    d = browser()
    try:
        guest(d)
        oid = member(d)
        submit(d, d.find_element(By.ID, "logout"))
        d.get(SHOP + "/order?id=" + oid)
        check(d.current_url.endswith("/login"), "after logging out the order needs a login")
    finally:
        d.quit()
    other(oid)
    done()


main()
