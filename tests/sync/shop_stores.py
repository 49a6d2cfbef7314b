#!/usr/bin/python3
"""The shop's front page (/shop) in a real browser: Debian's chromium by
chromedriver through python3-selenium (tests/sync/shop_stores.sh sets the
scene: TOKO-A and TOKO-C have a shop, TOKO-B none).

  shop_stores.py URL

Exits non-zero naming the first check that failed; prints "browser: N"."""
import sys

from selenium.webdriver.common.by import By

from webtest import browser, check, done, submit

URL = sys.argv[1]
def stores(d):
    return [e.get_attribute("data-store") for e in d.find_elements(By.CSS_SELECTOR, "#stores .store")]


d = browser()
try:
    d.get(URL + "/shop")
    html = d.find_element(By.TAG_NAME, "html")
    check(html.get_attribute("lang") == "id", "Bahasa Indonesia first")
    check(d.find_element(By.TAG_NAME, "h1").text == "Pilih toko Anda", "the heading in Indonesian")
    check(stores(d) == ["TOKO-A", "TOKO-C"], "the stores with a shop, by code: %r" % stores(d))
    a = d.find_element(By.CSS_SELECTOR, '#stores .store[data-store="TOKO-A"]')
    check("Pesan sekarang, ambil mulai" in a.text, "each store's next pickup slot")
    check(not d.find_elements(By.ID, "login-link"), "no login without a store")
    # English by the switch, and it stays.
    submit(d, d.find_element(By.ID, "lang"))
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the switch gives English")
    check(d.find_element(By.TAG_NAME, "h1").text == "Choose your store", "the heading in English")
    check("Order now, pick up from" in d.find_element(By.ID, "stores").text, "the slots in English")
    d.get(URL + "/shop/")
    check(d.find_element(By.TAG_NAME, "h1").text == "Choose your store", "English is remembered")
    submit(d, d.find_element(By.ID, "lang"))
    check(d.find_element(By.TAG_NAME, "h1").text == "Pilih toko Anda", "and back to Bahasa Indonesia")
    # A store chosen: its shelves.
    submit(d, d.find_element(By.CSS_SELECTOR, '#stores .store[data-store="TOKO-C"] a'))
    check(d.current_url.endswith("/shop/TOKO-C/"), "the link opens the store: " + d.current_url)
    check("Gula Pasir 1 kg" in d.find_element(By.TAG_NAME, "body").text, "the store's shelves")
    # An unknown store points back to the list.
    d.get(URL + "/shop/NOPE/")
    check("/shop/" in d.find_element(By.TAG_NAME, "body").text, "the unknown store's page names /shop/")
    submit(d, d.find_element(By.CSS_SELECTOR, "header b a"))
    check(stores(d) == ["TOKO-A", "TOKO-C"], "and its header leads back to the list")
finally:
    d.quit()

d = browser(phone=True)
try:
    d.get(URL + "/shop/")
    width = d.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, "fits a 390 px phone (scrollWidth %s)" % width)
finally:
    d.quit()
done()
