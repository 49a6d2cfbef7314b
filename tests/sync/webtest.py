"""What the browser tests share (shop_web.py, shop_e2e.py, shop_stores.py,
web_console.py): Debian's chromium, headless, driven by chromedriver
through python3-selenium, never a downloaded browser. Imported from the
script's own folder."""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser(english=False, phone=False, profile=None):
    """A new headless chromium: Indonesian first (English with english),
    a 390 px phone emulated with phone (a window cannot be narrower than
    500 px), the browser profile in the folder profile when given (so
    that a later `chromium --print-to-pdf` is logged in)."""
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--ignore-certificate-errors", "--window-size=1280,860", "--password-store=basic",
              "--hide-scrollbars"):
        o.add_argument(a)
    if profile:
        o.add_argument(f"--user-data-dir={profile}")
    if phone:
        o.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": 390, "height": 844, "pixelRatio": 2}})
    o.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en" if english else "id,en"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def submit(d, button):
    """Clicks a submit button (or a link) and waits for the next page."""
    old = d.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(d, 10).until(lambda _: old.id != d.find_element(By.TAG_NAME, "html").id)


checks = 0


def check(cond, what):
    """Counts a check; exits non-zero naming it when it fails."""
    global checks
    checks += 1
    if not cond:
        sys.exit(f"FAIL: {what}")


def done(suffix=""):
    """The count the shell side adds to its own: "browser: N"."""
    print(f"browser: {checks}{suffix}")
