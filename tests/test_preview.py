"""The live preview (aibarometer.preview): the same HTML and PDF as the report rule, and in a
real browser an edit, an error with file and line, and the recovery.

One preview server (on a free port, against a copy of the templates and the demo run's
results) and one headless Chromium session for the whole module. Without Chromium the
browser test is skipped -- except under CI (CI=true), where it fails.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from aibarometer import preview as pv

sys.path.insert(0, str(Path(__file__).parent))
from browser import NoBrowser, chrome, page_has, wait_for  # noqa: E402

pytestmark = pytest.mark.slow  # the demo run (the workflow) served to a headless browser

WAVE = "2021-demo"
CHAPTER = "chapters/1-introduction.html.j2"
SENTENCE = "Artificiële intelligentie verandert hoe bedrijven produceren, verkopen en beslissen."


def strip_preview(page: str) -> str:
    """The served page without what the preview injects (bar and reload script)."""
    return re.sub(re.escape(pv.MARK) + ".*?" + re.escape(pv.END_MARK), "", page, flags=re.S)


@pytest.fixture(scope="module")
def templates(tmp_path_factory, root):
    copy = tmp_path_factory.mktemp("preview") / "templates"
    shutil.copytree(root / "workflow" / "templates", copy)
    return copy


@pytest.fixture(scope="module")
def server(demo_run, templates):
    preview, srv, url, stop = pv.start(demo_run.parents[1], WAVE, templates, port=0)
    yield {"preview": preview, "server": srv, "url": url, "base": url.rsplit("/report/", 1)[0]}
    stop()


@pytest.fixture(scope="module")
def browser():
    try:
        driver = chrome()
    except NoBrowser as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI the browser test must run: {err}")
        pytest.skip(str(err))
    yield driver
    driver.quit()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_served_html_is_the_rules_html(server, demo_run):
    status, body = get(server["url"])
    assert status == 200
    page = body.decode("utf-8")
    assert pv.MARK in page and "/__preview/version" in page
    rule_html = (demo_run / "report" / f"ai-barometer-{WAVE}.html").read_text(encoding="utf-8")
    assert pv.MARK not in rule_html and "__preview" not in rule_html  # the report on disk has no script
    assert strip_preview(page) == rule_html


def test_pdf_on_demand_is_the_rules_pdf(server, demo_run):
    status, body = get(server["base"] + f"/report/ai-barometer-{WAVE}.pdf")
    assert status == 200
    assert body == (demo_run / "report" / f"ai-barometer-{WAVE}.pdf").read_bytes()


def test_only_the_waves_figure_folders_are_served(server):
    assert server["server"].server_address[0] == "127.0.0.1"
    assert get(server["base"] + "/figures/figure01.svg")[0] == 200
    assert get(server["base"] + "/quality/response.svg")[0] == 200
    assert get(server["base"] + "/clean/flow.csv")[0] == 404
    host, port = server["server"].server_address
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/figures/../clean/flow.csv")  # sent as is, not normalised by a client
    assert conn.getresponse().status == 404
    conn.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_text(driver) -> str:
    try:
        return driver.execute_script("var e = document.getElementById('preview-error'); return e ? e.textContent : ''")
    except Exception:
        return ""


def wait_error(driver, expected: str, timeout: float = 10.0) -> str:
    import time
    t0 = time.perf_counter()
    while expected not in (text := error_text(driver)):
        assert time.perf_counter() - t0 < timeout, f"no error {expected!r} in the page; it shows: {text[:300]!r}"
        time.sleep(0.02)
    return text


def test_edit_error_and_recovery_in_the_browser(browser, server, templates):
    chapter = templates / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    try:
        browser.get(server["url"])
        wait_for(browser, SENTENCE)
        new = "In deze zin staat nu een bewerking uit de browsertest."
        edit(chapter, SENTENCE, new)
        wait_for(browser, new, timeout=5)
        assert not page_has(browser, SENTENCE)

        lines = original.splitlines(keepends=True)  # a syntax error on line 4
        chapter.write_text("".join(lines[:3]) + "{% if %}\n" + "".join(lines[3:]), encoding="utf-8")
        text = wait_error(browser, f"{CHAPTER}, regel 4")
        assert "TemplateSyntaxError" in text

        chapter.write_text("".join(lines[:4]) + "{{ geen_bestaande_naam }}\n" + "".join(lines[4:]), encoding="utf-8")
        text = wait_error(browser, f"{CHAPTER}, regel 5")  # an undefined name on line 5, found at render time
        assert "UndefinedError" in text and "geen_bestaande_naam" in text

        chapter.write_text(original, encoding="utf-8")
        wait_for(browser, SENTENCE, timeout=5)
        assert error_text(browser) == ""
    finally:
        chapter.write_text(original, encoding="utf-8")


def test_a_changed_wave_file_reaches_the_page(server, demo_run):
    wave_file = demo_run.parents[1] / "config" / "waves" / f"{WAVE}.yaml"
    original = wave_file.read_text(encoding="utf-8")
    preview = server["preview"]
    try:
        edit(wave_file, "contact: \"ai-barometer@example.org (fictief adres)\"",
             "contact: \"voorbeeld-herladen@example.org\"")
        import time
        t0 = time.perf_counter()
        while "voorbeeld-herladen@example.org" not in preview.page():
            assert time.perf_counter() - t0 < 20, "the wave file's change did not reach the page"
            time.sleep(0.05)
    finally:
        wave_file.write_text(original, encoding="utf-8")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aibarometer.preview", *args], capture_output=True, text=True,
                          timeout=120)


def test_unknown_wave_and_missing_results_are_plain_errors(demo_run, tmp_path, root):
    proc = run_cli("--wave", "2099-geen", "--root", str(demo_run.parents[1]), "--port", "0")
    assert proc.returncode == 1
    assert "'2099-geen' staat niet onder waves" in proc.stderr and "Traceback" not in proc.stderr
    shutil.copytree(root / "config", tmp_path / "config")
    proc = run_cli("--wave", WAVE, "--root", str(tmp_path), "--port", "0")
    assert proc.returncode == 1
    assert f"results/{WAVE}" in proc.stderr and "make run" in proc.stderr and "Traceback" not in proc.stderr
