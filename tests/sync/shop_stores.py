#!/usr/bin/python3
"""The shop's front page (/shop) in a real browser: Debian's chromium by
chromedriver through python3-selenium (tests/sync/shop_stores.sh sets the
scene: TOKO-A and TOKO-C have a shop, TOKO-B none).

  shop_stores.py URL

Exits non-zero naming the first check that failed; prints "browser: N"."""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = sys.argv[1]
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        sys.exit(f"FAIL: {what}")


def browser(phone=False):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--ignore-certificate-errors", "--window-size=1280,860", "--password-store=basic",
              "--hide-scrollbars"):
        o.add_argument(a)
    if phone:
        o.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": 390, "height": 844, "pixelRatio": 2}})
    o.add_experimental_option("prefs", {"intl.accept_languages": "id,en"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def follow(d, find):
    old = d.find_element(By.TAG_NAME, "html")
    find().click()
    WebDriverWait(d, 10).until(lambda _: old.id != d.find_element(By.TAG_NAME, "html").id)


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
    follow(d, lambda: d.find_element(By.ID, "lang"))
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the switch gives English")
    check(d.find_element(By.TAG_NAME, "h1").text == "Choose your store", "the heading in English")
    check("Order now, pick up from" in d.find_element(By.ID, "stores").text, "the slots in English")
    d.get(URL + "/shop/")
    check(d.find_element(By.TAG_NAME, "h1").text == "Choose your store", "English is remembered")
    follow(d, lambda: d.find_element(By.ID, "lang"))
    check(d.find_element(By.TAG_NAME, "h1").text == "Pilih toko Anda", "and back to Bahasa Indonesia")
    # A store chosen: its shelves.
    follow(d, lambda: d.find_element(By.CSS_SELECTOR, '#stores .store[data-store="TOKO-C"] a'))
    check(d.current_url.endswith("/shop/TOKO-C/"), "the link opens the store: " + d.current_url)
    check("Gula Pasir 1 kg" in d.find_element(By.TAG_NAME, "body").text, "the store's shelves")
    # An unknown store points back to the list.
    d.get(URL + "/shop/NOPE/")
    check("/shop/" in d.find_element(By.TAG_NAME, "body").text, "the unknown store's page names /shop/")
    follow(d, lambda: d.find_element(By.CSS_SELECTOR, "header b a"))
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
print(f"browser: {checks}")
