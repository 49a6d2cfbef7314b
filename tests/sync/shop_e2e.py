#!/usr/bin/python3
"""The member's side of tests/sync/shop_e2e.sh in a real browser (Debian's
chromium through chromedriver and python3-selenium; the pieces are
tests/sync/shop_web.py's).

  shop_e2e.py URL STORE MEMBER PIN place SKU=QTY...   prints the order's id
  shop_e2e.py URL STORE MEMBER PIN check ID           prints its status word,
                                                      data-status and paid total
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from webtest import browser, submit

URL, STORE, MEMBER, PIN, MODE = sys.argv[1:6]
SHOP = URL + "/shop/" + STORE


def login(d):
    d.get(SHOP + "/login")
    d.find_element(By.ID, "member").send_keys(MEMBER)
    d.find_element(By.ID, "pin").send_keys(PIN)
    submit(d, d.find_element(By.ID, "login"))
    if not d.find_elements(By.ID, "logout"):
        sys.exit("FAIL: the member could not log in: " + d.find_element(By.TAG_NAME, "body").text)


def add(d, sku, qty):
    d.get(SHOP + "/")
    c = d.find_element(By.CSS_SELECTOR, f'#items .item[data-sku="{sku}"]')
    q = c.find_element(By.NAME, "qty")
    q.clear()
    q.send_keys(qty)
    submit(d, c.find_element(By.CSS_SELECTOR, "button.add"))


def place(d, lines):
    for line in lines:
        sku, qty = line.split("=")
        add(d, sku, qty)
    d.get(SHOP + "/cart")
    Select(d.find_element(By.ID, "slot")).select_by_index(0)
    submit(d, d.find_element(By.ID, "place"))
    print(d.find_element(By.ID, "order-id").text)


def check(d, oid):
    d.get(SHOP + "/order?id=" + oid)
    st = d.find_element(By.ID, "status")
    paid = d.find_elements(By.ID, "collected-total")
    print(st.text, st.get_attribute("data-status"), paid[0].text if paid else "-", sep="|")


def main():
    d = browser()
    try:
        login(d)
        if MODE == "place":
            place(d, sys.argv[6:])
        else:
            check(d, sys.argv[6])
    finally:
        d.quit()


main()
