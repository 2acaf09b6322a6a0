"""Headless Chromium driven by Selenium, for the preview's browser test and the benchmark.

Chromium and its driver come from Debian (``chromium``, ``chromium-driver``; `make setup`
installs them). The explicit paths keep Selenium Manager from looking for a driver online.
"""

from __future__ import annotations

import shutil
import time


class NoBrowser(Exception):
    """Chromium or its driver is missing or does not start."""


def chrome():
    """A headless Chromium session (also as root in a container: no sandbox, no /dev/shm)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        raise NoBrowser("chromium and chromedriver not found on PATH (Debian packages chromium, "
                        "chromium-driver; `make setup` installs them)")
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--window-size=1200,900"):
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except WebDriverException as err:
        raise NoBrowser(f"chromium does not start: {err.msg or err}") from None


def page_has(driver, text: str) -> bool:
    """Is ``text`` in the page's DOM now? (False while the page is being reloaded.)"""
    try:
        return bool(driver.execute_script(
            "return document.body !== null && document.body.textContent.includes(arguments[0])", text))
    except Exception:  # navigating: no document to ask yet
        return False


def wait_for(driver, text: str, timeout: float = 10.0, step: float = 0.01) -> float:
    """Seconds until ``text`` is in the DOM; raises TimeoutError after ``timeout``."""
    t0 = time.perf_counter()
    while not page_has(driver, text):
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"not in the page after {timeout} s: {text!r}")
        time.sleep(step)
    return time.perf_counter() - t0
