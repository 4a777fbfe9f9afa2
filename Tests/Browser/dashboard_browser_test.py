#!/usr/bin/env python3
"""The operator's dashboard in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by
Selenium, against `provisioner serve` over loopback and a real database that the calling Swift test
(Tests/OperatorServerTests/DashboardBrowserTests.swift) seeded.

It logs in through the form, checks the counts, the chart (one SVG point per minute with data), the decisions, a
failed row's error, that no session url or token is on any page, that the page fits a phone's width, then clicks
requeue on a failed row and checks the page says so. It saves screenshots (desktop and phone) for the README.

Environment: DASHBOARD_URL (http://127.0.0.1:PORT), DASHBOARD_TOKEN (never on the command line),
DASHBOARD_EXPECT (a JSON file of what the page must show), DASHBOARD_SCREENSHOTS (a directory),
CHROMIUM (default /usr/bin/chromium), CHROMEDRIVER (default /usr/bin/chromedriver).

Prints one JSON line with what it saw; exits 0 when every check passed, 1 when one failed, 2 when the browser
could not be driven at all.
"""

import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message, file=sys.stderr, flush=True)
    return condition


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in [
        # As root, in a container: no sandbox; /dev/shm may be small.
        "--no-sandbox", "--headless=new", "--disable-dev-shm-usage",
        "--window-size=1366,900", "--force-device-scale-factor=1", "--lang=en-US", "--hide-scrollbars",
        # Loopback only: nothing of Chromium's own reaches out.
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    ]:
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    return driver


def wait_for(driver, css, seconds=90):
    # Generous: the machines running the suite are shared and slow; the wait ends as soon as the element is there.
    return WebDriverWait(driver, seconds).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def count_of(driver, key):
    element = driver.find_element(By.ID, "count-" + key)
    return int(element.get_attribute("data-count")), element.text


def no_secrets(text, secrets, where):
    leaked = [secret for secret in secrets if secret in text]
    check(not leaked, f"{where} shows session urls or tokens: {leaked[:3]}")


def full_page_screenshot(driver, width, path):
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 20, 6000))
    time.sleep(0.3)
    driver.save_screenshot(path)


def main():
    base = os.environ["DASHBOARD_URL"].rstrip("/")
    token = os.environ["DASHBOARD_TOKEN"]
    with open(os.environ["DASHBOARD_EXPECT"]) as f:
        expect = json.load(f)
    shots = os.environ["DASHBOARD_SCREENSHOTS"]
    os.makedirs(shots, exist_ok=True)
    seen = {}
    try:
        driver = browser()
    except WebDriverException as error:
        print(f"cannot start Chromium: {error}", file=sys.stderr)
        return 2
    try:
        # Not signed in: the dashboard answers with the login form, shows nothing else.
        driver.get(base + "/")
        wait_for(driver, "#login-form")
        check(not driver.find_elements(By.ID, "overview"), "the dashboard is shown before logging in")
        check(token not in driver.page_source, "the login page shows the token")

        # A wrong token: refused, still the form.
        driver.find_element(By.ID, "token").send_keys("not-the-dashboard-token-0000")
        driver.find_element(By.ID, "login").click()
        wait_for(driver, "#login-form")
        check("not the dashboard token" in driver.page_source, "a wrong token is not refused with a message")

        # Log in through the form.
        field = driver.find_element(By.ID, "token")
        field.clear()
        field.send_keys(token)
        driver.find_element(By.ID, "login").click()
        wait_for(driver, "#overview")
        cookies = {c["name"]: c for c in driver.get_cookies()}
        session = cookies.get("provisioner_session")
        if check(session is not None, "no session cookie after login"):
            check(session.get("httpOnly") is True, "the session cookie is not HttpOnly")
            check(session.get("sameSite") == "Strict", f"the session cookie is SameSite={session.get('sameSite')}")
            check(session["value"] != token and token not in session["value"], "the cookie holds the token")
        check(driver.execute_script("return document.cookie") == "", "a script can read the session cookie")

        # The queue by status.
        counts = {}
        for key, expected in expect["counts"].items():
            value, text = count_of(driver, key)
            counts[key] = value
            check(value == expected, f"count of {key}: page {value}, database {expected}")
            check(text.replace(",", "") == str(expected), f"count of {key} reads {text!r}")
        seen["counts"] = counts

        # The chart: one point per minute with data, their counts add up, the cap line.
        points = driver.find_elements(By.CSS_SELECTOR, "#chart-day circle.point")
        minutes = [p.get_attribute("data-minute") for p in points]
        total = sum(int(p.get_attribute("data-count")) for p in points)
        seen.update(dayPoints=len(points), dayTotal=total)
        check(len(points) == expect["dayPoints"], f"day chart: {len(points)} points, {expect['dayPoints']} minutes")
        check(len(set(minutes)) == len(minutes), "day chart: two points for one minute")
        check(total == expect["dayTotal"], f"day chart: {total} sessions, database {expect['dayTotal']}")
        caps = driver.find_elements(By.CSS_SELECTOR, "#chart-day line.cap")
        check(len(caps) == 1 and caps[0].get_attribute("data-cap") == expect["cap"], "day chart: no cap line at the cap")
        run_points = driver.find_elements(By.CSS_SELECTOR, "#chart-run circle.point")
        seen["runPoints"] = len(run_points)
        check(len(run_points) == expect["runPoints"], f"run chart: {len(run_points)} points, {expect['runPoints']}")
        check(f"Run #{expect['latestRun']}" in driver.find_element(By.ID, "charts").text, "run chart not titled")
        check(driver.find_element(By.ID, "cap-value").get_attribute("data-cap") == expect["cap"], "drain: cap")
        check("the cap run #" in driver.find_element(By.ID, "cap-source").text, "drain: the cap's source unsaid")

        # Decisions as a funnel.
        for stage in ("approved", "declined"):
            cell = driver.find_element(By.CSS_SELECTOR, f"#decisions tr[data-stage={stage}] td[data-count]")
            check(int(cell.get_attribute("data-count")) == expect[stage], f"decisions: {stage}")

        # The last runs, each with how it ended.
        runs_text = driver.find_element(By.ID, "runs").text
        for outcome in ("completed", "rows failed", "crashed", "running"):
            check(outcome in runs_text, f"runs: no run shown as {outcome}")

        no_secrets(driver.page_source, expect["secrets"], "the dashboard")
        live = driver.execute_async_script(
            "var done = arguments[0]; fetch('/live', {credentials: 'same-origin'})"
            ".then(function (r) { return r.text(); }).then(done, function (e) { done('error ' + e); });")
        check(live.startswith("{") and '"running":true' in live, f"/live: {live[:120]}")
        no_secrets(live, expect["secrets"], "/live")

        # Screenshots: the whole page on a laptop, the top on a phone (no sideways scrolling).
        full_page_screenshot(driver, 1366, os.path.join(shots, "dashboard.png"))
        driver.set_window_size(390, 844)
        time.sleep(0.3)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 1, f"on a phone the page scrolls sideways by {overflow} px")
        driver.save_screenshot(os.path.join(shots, "dashboard-phone.png"))
        driver.set_window_size(1366, 900)

        # The failed rows, filtered: each with its last error.
        driver.find_element(By.CSS_SELECTOR, "nav.tabs a[data-filter=failed]").click()
        wait_for(driver, "#rows-table")
        listed = [int(r.get_attribute("data-row-id")) for r in driver.find_elements(By.CSS_SELECTOR, "tr[data-row-id]")]
        seen["failedListed"] = listed
        check(sorted(listed) == sorted(expect["failedRows"]), f"failed filter lists {listed}")
        row = driver.find_element(By.CSS_SELECTOR, f"tr[data-row-id='{expect['failedRow']}']")
        error = row.find_element(By.CSS_SELECTOR, "td.error").text
        seen["failedError"] = error
        check(expect["failedError"] in error, f"failed row's error reads {error!r}")
        no_secrets(driver.page_source, expect["secrets"], "the failed rows")

        # Requeue it: the page says what was done, the row leaves the failed list, the counts move.
        row.find_element(By.CSS_SELECTOR, "button.act-requeue").click()
        notice = wait_for(driver, "#notice").text
        seen["notice"] = notice
        check(f"Requeued 1 row (#{expect['failedRow']})" in notice, f"notice after requeue: {notice!r}")
        check(not driver.find_elements(By.CSS_SELECTOR, f"tr[data-row-id='{expect['failedRow']}']"),
              "the requeued row is still listed as failed")
        check(count_of(driver, "failed")[0] == expect["counts"]["failed"] - 1, "failed count did not go down")
        check(count_of(driver, "pending")[0] == expect["counts"]["pending"] + 1, "pending count did not go up")
        seen["requeued"] = expect["failedRow"]

        # Logout ends the session: the next page is the login form again.
        driver.find_element(By.ID, "logout").click()
        wait_for(driver, "#login-form")
        driver.get(base + "/")
        wait_for(driver, "#login-form")
        check(not driver.find_elements(By.ID, "overview"), "the dashboard is shown after logout")
    except Exception as error:  # noqa: BLE001 - any failure of the page is a failed check
        check(False, f"{type(error).__name__}: {error}")
        try:
            driver.save_screenshot(os.path.join(shots, "dashboard-failure.png"))
        except WebDriverException:
            pass
    finally:
        driver.quit()
    seen["ok"] = not FAILURES
    seen["failures"] = FAILURES
    print(json.dumps(seen))
    return 0 if not FAILURES else 1


if __name__ == "__main__":
    sys.exit(main())
