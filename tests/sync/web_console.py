#!/usr/bin/python3
"""The HQ web console in a real browser: Debian's chromium, driven by
chromedriver through python3-selenium (tests/sync/web_console.sh sets the
scene and runs this).

  web_console.py URL WORKDIR [english-server]

WORKDIR holds upload files (bad.csv, good.csv) and receives profile/ (the
browser profile, so that a later `chromium --print-to-pdf` is logged in),
and facts.json names what the scene holds. With SCREENSHOTS=DIR set, the
main pages are saved there as PNG (README's docs/img). Exits non-zero
naming the first check that failed."""
import json
import re
import os
import sys

from selenium.webdriver.common.by import By

from webtest import browser, check, done, submit

URL, WORK = sys.argv[1], sys.argv[2]
FACTS = json.load(open(os.path.join(WORK, "facts.json")))
SHOTS = os.environ.get("SCREENSHOTS", "")
def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def shot(d, name):
    if SHOTS:
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def login(d, name, password):
    d.get(URL + "/web/login")
    d.find_element(By.ID, "name").send_keys(name)
    d.find_element(By.ID, "password").send_keys(password)
    submit(d, d.find_element(By.ID, "login"))


def council(d):
    # Bahasa Indonesia first: the browser asks for id.
    d.get(URL + "/web/")
    check(d.current_url.endswith("/web/login"), "the overview sends a stranger to the login page")
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id",
          "the login page is in Bahasa Indonesia")
    login(d, "dewan", "salah-sekali")
    check("Nama atau kata sandi salah" in text(d), "a wrong password is refused, in Indonesian")
    login(d, "dewan", FACTS["password"])
    check(d.current_url.endswith("/web/"), "the council lands on the overview")

    d.get(URL + "/web/?days=7")
    store = FACTS["store"]
    bars = d.find_elements(By.CSS_SELECTOR, f"#s-{store} svg g.bars rect")
    check(len(bars) == 7, f"one bar per day: 7 days, {len(bars)} bars")
    heights = [int(b.get_attribute("height")) for b in bars]
    check(heights == sorted(heights) and heights[0] < heights[-1],
          f"the bars grow with the day's sales: {heights}")
    check(len(d.find_elements(By.CSS_SELECTOR, f"#s-{store} svg path.trend")) == 1,
          "the trend is a line")
    row = d.find_element(By.XPATH, f"//table[@id='summary']//tr[td/a[text()='{store}']]").text
    check(FACTS["today"] in row and FACTS["week_before"] in row and "+700%" in row,
          f"today against the same weekday: {row!r}")
    shot(d, "overview")

    d.get(URL + "/web/terminals")
    t = d.find_element(By.ID, "terminals").text
    row = d.find_element(By.XPATH, f"//table[@id='terminals']//tr[td[text()='{store}']]").text
    check("coopmart-sync/1" in row, f"the terminals page shows the agent's version: {row!r}")
    # open alerts: the tampered push and Sri's credit over the limit
    check(row.split()[-3:] == ["2", "coopmart-sync/1", "2"],
          f"2 events behind, the version, 2 open alerts: {row!r}")
    shot(d, "terminals")

    # The switch to English, kept in a cookie.
    submit(d, d.find_element(By.LINK_TEXT, "English"))
    check("Terminals" in text(d) and "Last push" in text(d), "the switch gives English")

    d.get(URL + "/web/alerts")
    check("tampered" in d.find_element(By.ID, "alerts").text, "the alert is listed")
    # A form whose CSRF token was taken out is refused, and nothing changes.
    d.execute_script("document.querySelector('#alerts form input[name=csrf]').remove()")
    submit(d, d.find_element(By.CSS_SELECTOR, "#alerts form button"))
    check("CSRF" in text(d), f"a POST without the CSRF token is refused: {text(d)[:200]!r}")
    d.get(URL + "/web/alerts")
    submit(d, d.find_element(By.CSS_SELECTOR, "#alerts form button"))
    row = d.find_element(By.ID, "alerts").text
    check("dewan," in row, f"the acknowledgement keeps who: {row!r}")
    shot(d, "alerts")

    exceptions(d, store)

    d.get(URL + f"/web/stock?store={store}")
    row = d.find_element(By.XPATH, "//table[@id='stock']//tr[td[text()='SKU-1']]").text
    # 100 at the opening, 36 sales of 2, a count's -3: 25 left
    check(row.split()[-1] == "25", f"the stock starts from the opening stock: {row!r}")
    check("-3" in d.find_element(By.ID, "counts").text, "the count's variance is shown")
    asof = d.find_element(By.ID, "as-of").text
    check("as of" in asof and "opening stock of" in asof, f"the stock page says as of when: {asof!r}")
    shot(d, "stock")

    d.get(URL + "/web/catalogue")
    d.find_element(By.ID, "file").send_keys(os.path.join(WORK, "bad.csv"))
    submit(d, d.find_element(By.ID, "upload"))
    bad = d.find_element(By.ID, "bad-lines").text
    # The import's own messages in the page's language (English since the
    # switch), not the server's (Bahasa Indonesia).
    check(re.search(r"bad\.csv: line 3:", bad) and re.search(r"bad\.csv: line 5:", bad)
          and not re.search(r"line [24]:", bad) and len(bad.splitlines()) == 2,
          f"every bad line is shown: {bad!r}")
    check("baris" not in bad, f"the bad lines are in the page's language: {bad!r}")
    check("Nothing was imported" in text(d), "the page says nothing was imported")
    shot(d, "catalogue")
    d.get(URL + "/web/catalogue")
    d.find_element(By.ID, "file").send_keys(os.path.join(WORK, "good.csv"))
    submit(d, d.find_element(By.ID, "upload"))
    check("good.csv: 3 rows" in d.find_element(By.ID, "imported").text, "a good file is imported")

    d.get(URL + "/web/members")
    m = d.find_element(By.ID, "members").text
    check("A-0001" in m and "Sri Wahyuni" in m, "the members page lists the members")
    check("A-0003" in m, "the council sees every store's members")
    members_money(d)
    shot(d, "members")
    statement(d)
    shot(d, "statement")
    d.get(URL + "/web/shu")
    runs = d.find_element(By.ID, "runs").text
    check(str(FACTS["year"]) in runs, f"the SHU page lists the posted run: {runs!r}")
    pools = d.find_element(By.ID, "pools").text
    check("jasa-usaha" in pools and "60%" in pools, f"the SHU page shows the pools: {pools!r}")
    shot(d, "shu")
    d.get(URL + "/web/members/rat")
    check(len(d.find_elements(By.CSS_SELECTOR, "section.sheet")) == 3,
          "the council's RAT print has a sheet for each of the 3 members")
    d.get(URL + f"/web/members/rat?store={FACTS['store']}")
    sheets = d.find_elements(By.CSS_SELECTOR, "section.sheet")
    check([e.get_attribute("id") for e in sheets] == ["sheet-A-0001", "sheet-A-0002"],
          f"the RAT print of a store: its members' sheets: {[e.get_attribute('id') for e in sheets]}")

    d.get(URL + "/web/audit")
    a = d.find_element(By.ID, "audit").text
    for what in ("login_failed", "login", "csrf_refused", "alert_ack", "catalogue_refused",
                 "catalogue_upload"):
        check(what in a, f"the log shows {what}")


def exceptions(d, store):
    """The exceptions audit: three voids after subtotal by one cashier,
    flagged, and the drill-down to the receipts."""
    d.get(URL + "/web/exceptions")
    rows = d.find_elements(By.CSS_SELECTOR, "#exceptions tr.flagged")
    check(len(rows) == 1 and store in rows[0].text and "void after subtotal" in rows[0].text
          and "3 !" in rows[0].text and "Rp10.500" in rows[0].text,
          f"the voids after subtotal are counted and flagged: {[r.text for r in rows]}")
    shot(d, "exceptions")
    submit(d, rows[0].find_element(By.LINK_TEXT, "events"))
    receipts = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#events td.receipt")]
    check(receipts == ["K01-000001", "K01-000002", "K01-000003"],
          f"the drill-down names the receipts of the voided tickets: {receipts}")
    receipt(d, store)


def money(rupiah):
    return "Rp" + f"{rupiah:,}".replace(",", ".")


def receipt(d, store):
    """The drill-down's receipt opens the sale as HQ holds it: its lines,
    the voided one marked, the approval of the void with who approved
    and why, the taxes, tenders and total, as the till pushed them."""
    sale = FACTS["sale1"]
    submit(d, d.find_element(By.LINK_TEXT, sale["receipt"]))
    check(d.current_url.endswith(f"/web/receipt?store={store}&receipt={sale['receipt']}"),
          f"the drill-down links the receipt's page: {d.current_url}")
    rows = d.find_elements(By.CSS_SELECTOR, "#lines tr")[1:]
    check(len(rows) == len(sale["lines"]), f"every line pushed is shown: {[r.text for r in rows]}")
    for r, line in zip(rows, sale["lines"]):
        cells = [c.text for c in r.find_elements(By.TAG_NAME, "td")]
        qty = line["qty"] // 1000 if line["qty"] % 1000 == 0 else line["qty"] / 1000
        check(cells[0] == str(line["line"]) and cells[1].startswith(line["sku"])
              and cells[2] == str(qty) and cells[3] == money(line["price"])
              and cells[4] == money(line["amount"])
              and cells[6] == money(0 if line.get("voided") else line["net"]),
              f"line {line['line']} as pushed ({line}): {cells}")
        check(("voided" in r.get_attribute("class")) == bool(line.get("voided")),
              f"line {line['line']} is marked voided only when it was: {cells}")
    check(d.find_element(By.CSS_SELECTOR, "#totals #total td").text == money(sale["total"]),
          "the receipt's total is the one pushed")
    check(d.find_element(By.CSS_SELECTOR, "#totals #change td").text == money(sale["change"]),
          "the receipt's change is the one pushed")
    tenders = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#totals tr.tender")]
    check(tenders == [f"Paid by {t['kind']} {money(t['amount'])}" for t in sale["tenders"]],
          f"the tenders as pushed: {tenders}")
    taxes = d.find_element(By.ID, "taxes").text
    check(all(money(t["tax"]) in taxes for t in sale["taxes"]), f"the PPN as pushed: {taxes!r}")
    approvals = d.find_elements(By.CSS_SELECTOR, "#approvals tr")[1:]
    check(len(approvals) == 1, f"one void on the ticket: {[a.text for a in approvals]}")
    a = approvals[0]
    check(a.find_element(By.CLASS_NAME, "approver").text == "201"
          and a.find_element(By.CLASS_NAME, "reason").text == "Wrong scan"
          and "line voided" in a.text, f"the void's approval, who and why: {a.text!r}")
    shot(d, "receipt")


def members_money(d):
    """Sri's credit and SHU on the members page are the CLI's figures."""
    row = d.find_element(By.ID, "m-A-0001")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    check(FACTS["limit_sri"] in cells, f"Sri's credit limit is shown: {cells}")
    over = row.find_elements(By.CSS_SELECTOR, "td.credit-over")
    check(len(over) == 1 and over[0].text == FACTS["credit_sri"] + " !",
          f"Sri's credit balance, flagged over the limit, as the CLI says: {cells}")
    check(FACTS["shu_sri"] in cells, f"Sri's SHU as `shu slip` says ({FACTS['shu_sri']}): {cells}")
    joko = [c.text for c in d.find_element(By.ID, "m-A-0002").find_elements(By.TAG_NAME, "td")]
    check(not d.find_element(By.ID, "m-A-0002").find_elements(By.CSS_SELECTOR, "td.credit-over"),
          f"a member without credit is not over the limit: {joko}")


def statement(d):
    d.get(URL + "/web/members/statement?m=A-0001")
    sheet = d.find_element(By.ID, "sheet-A-0001").text
    closing = d.find_element(By.CSS_SELECTOR, "#sheet-A-0001 tr.credit-closing").text
    check(closing.endswith(FACTS["credit_sri"]), f"the statement's closing credit balance: {closing!r}")
    check("over the limit" in sheet, "the statement says the credit is over the limit")
    total = d.find_element(By.CSS_SELECTOR, "#sheet-A-0001 tr.shu-total").text
    check(total.endswith(FACTS["shu_sri"]), f"the statement's SHU slip: {total!r}")
    d.get(URL + f"/web/members/statement?m=A-0001&period={FACTS['purchase_period']}")
    rows = d.find_element(By.CSS_SELECTOR, "#sheet-A-0001 table.credit-rows").text
    check("K01-900001" in rows and "Rp120.000" in rows,
          f"the statement of the purchase's month lists its receipt: {rows!r}")
    submit(d, d.find_element(By.LINK_TEXT, "K01-900001"))
    member = d.find_element(By.ID, "member").text
    tenders = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#totals tr.tender")]
    check(member == "A-0001 Sri Wahyuni" and tenders == ["Paid by credit Rp120.000"],
          f"the statement's receipt opens the member's credit sale: {member!r} {tenders}")
    d.get(URL + "/web/members/statement?m=A-0001")
    check("Rp100.000" in d.find_element(By.CSS_SELECTOR, "#sheet-A-0001 table.savings").text,
          "the statement counts the sukarela paid")


def prices(d):
    """A manager uploads the own store's prices, not the catalogue, and
    not another store's prices."""
    d.get(URL + "/web/catalogue")
    check(not d.find_elements(By.ID, "file") and d.find_elements(By.ID, "prices-file"),
          "a manager does not upload the catalogue, only the store's prices")
    d.find_element(By.ID, "prices-file").send_keys(os.path.join(WORK, "prices-bad.csv"))
    submit(d, d.find_element(By.ID, "prices-upload"))
    bad = d.find_element(By.ID, "bad-lines").text
    check(re.search(r"prices-bad\.csv: line 3: .*NOPE-1", bad) and len(bad.splitlines()) == 1,
          f"a price of an unknown item is shown: {bad!r}")
    d.get(URL + "/web/catalogue")
    d.find_element(By.ID, "prices-file").send_keys(os.path.join(WORK, "prices.csv"))
    submit(d, d.find_element(By.ID, "prices-upload"))
    check("prices.csv: 1 rows" in d.find_element(By.ID, "imported").text,
          "the store's prices are imported")
    d.get(URL + "/web/catalogue")
    d.execute_script("document.getElementById('prices-store').removeAttribute('readonly');"
                     "document.getElementById('prices-store').value = arguments[0]", FACTS["other"])
    d.find_element(By.ID, "prices-file").send_keys(os.path.join(WORK, "prices.csv"))
    submit(d, d.find_element(By.ID, "prices-upload"))
    check("You may not see store" in text(d), "a manager is refused another store's prices")


def manager():
    d = browser(english=True)
    try:
        login(d, "budi", FACTS["password"])
        d.get(URL + f"/web/stock?store={FACTS['other']}")
        check("You may not see store" in text(d), "a manager is refused another store's page")
        d.get(URL + f"/web/stock?store={FACTS['store']}")
        check("SKU-1" in text(d), "a manager sees the own store's stock")
        d.get(URL + "/web/?days=7")
        cards = d.find_elements(By.CSS_SELECTOR, ".card svg")
        check(len(cards) == 1, f"a manager's overview has the own store only: {len(cards)}")
        d.get(URL + f"/web/exceptions?store={FACTS['other']}")
        check("You may not see store" in text(d), "a manager is refused another store's exceptions")
        d.get(URL + f"/web/receipt?store={FACTS['other']}&receipt={FACTS['other_receipt']}")
        check("You may not see store" in text(d), "a manager is refused another store's receipt")
        d.get(URL + f"/web/receipt?store={FACTS['store']}&receipt={FACTS['sale1']['receipt']}")
        check(d.find_element(By.CSS_SELECTOR, "#totals #total td").text
              == money(FACTS["sale1"]["total"]), "a manager sees the own store's receipt")
        d.get(URL + "/web/members")
        m = d.find_element(By.ID, "members").text
        check("A-0001" in m and "A-0003" not in m, f"a manager sees the own store's members only: {m!r}")
        d.get(URL + "/web/members/statement?m=A-0003")
        check("You may not see store" in text(d), "a manager is refused another store's member")
        d.get(URL + "/web/members/rat")
        check(len(d.find_elements(By.CSS_SELECTOR, "section.sheet")) == 2,
              "a manager's RAT print has the own store's 2 members")
        d.get(URL + f"/web/members/rat?store={FACTS['other']}")
        check("You may not see store" in text(d), "a manager is refused another store's RAT print")
        prices(d)
        submit(d, d.find_element(By.CSS_SELECTOR, "header form button"))
        check(d.current_url.endswith("/web/login"), "logging out leads to the login page")
        d.get(URL + f"/web/stock?store={FACTS['store']}")
        check(d.current_url.endswith("/web/login"), "after logging out the session is gone")
        # Lockout: three wrong passwords are allowed, the fourth locks.
        d.delete_all_cookies()
        for _ in range(4):
            login(d, "siti", "bukan-ini")
        check("Locked for 30 seconds" in text(d), f"the fourth wrong password locks: {text(d)[:200]!r}")
        login(d, "siti", FACTS["password"])
        check("Too many wrong passwords" in text(d), "the right password waits for the lock")
        login(d, "siti", "bukan-ini-juga")
        check("Too many wrong passwords" in text(d), "a locked operator is not checked again")
    finally:
        d.quit()


def english_server():
    """The server was started in English: a reader asking for Bahasa
    Indonesia gets it (the store's messages too), and one asking for
    English gets English; the switch works both ways."""
    d = browser()
    try:
        d.get(URL + "/web/login")
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id",
              "an Indonesian reader's login page says lang=id")
        login(d, "dewan", "salah-sekali")
        check("Nama atau kata sandi salah" in text(d),
              f"an English server answers an Indonesian reader in Indonesian: {text(d)[:200]!r}")
        login(d, "dewan", FACTS["password"])
        store, no = FACTS["store"], FACTS["sale1"]["receipt"]
        d.get(URL + f"/web/receipt?store={store}&receipt={no}")
        check("Struk" in d.title and "Kembalian" in text(d),
              f"the receipt page in Indonesian: {d.title!r}")
        d.get(URL + f"/web/receipt?store={store}&receipt=K01-999999")
        check("tidak memegang penjualan" in text(d),
              f"the store's message in Indonesian too: {text(d)[:200]!r}")
        d.get(URL + f"/web/receipt?store={store}&receipt={no}&lang=en")
        check("Receipt" in d.title and "Change" in text(d), "the switch gives English")
        d.get(URL + f"/web/receipt?store={store}&receipt={no}&lang=id")
        check("Struk" in d.title, "and back to Bahasa Indonesia")
    finally:
        d.quit()
    d = browser(english=True)
    try:
        login(d, "dewan", FACTS["password"])
        check("Overview" in text(d), "an English reader gets English")
    finally:
        d.quit()


def main():
    if sys.argv[3:] == ["english-server"]:
        english_server()
        done(" checks")
        return
    d = browser(profile=os.path.join(WORK, "profile"))
    try:
        council(d)
    finally:
        d.quit()  # writes the session cookie to the profile for --print-to-pdf
    manager()
    done(" checks")


main()
