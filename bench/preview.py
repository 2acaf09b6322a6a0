"""Edit-to-visible of the live preview (issue 13), in headless Chromium: called by bench/run.py.

    .venv/bin/python bench/preview.py WORKDIR WAVE EDITS

WORKDIR holds a finished run (config/, workflow/templates/, results/WAVE/). The preview
serves a copy of the templates; each edit writes a new sentence into a chapter template,
and the clock runs from just before the file is written until the sentence is in the
browser's DOM (the watcher's poll, the re-render, the page's poll, the reload and the
browser's layout all inside). Then the PDF link is fetched EDITS times: a PDF on demand.
Prints one JSON line: {"edit_to_visible_s": [...], "pdf_on_demand_s": [...]}.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import chrome, wait_for  # noqa: E402

from aibarometer import preview as pv  # noqa: E402

CHAPTER = "chapters/1-introduction.html.j2"


def main(work: Path, wave: str, edits: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="aibarometer-preview-bench-") as tmp:
        templates = Path(tmp) / "templates"
        shutil.copytree(work / "workflow" / "templates", templates)
        chapter = templates / CHAPTER
        original = chapter.read_text(encoding="utf-8")
        _, _, url, stop = pv.start(work, wave, templates, port=0)
        driver = chrome()
        try:
            driver.get(url)
            visible = []
            for i in range(edits + 1):  # the first edit warms the browser's cache up: not counted
                sentence = f"Bewerking nummer {i} van de meting."
                text = original.replace("</h1>", f"</h1>\n<p>{sentence}</p>", 1)
                time.sleep(0.3)  # let the page settle on its poll, as between two saves by hand
                t0 = time.perf_counter()
                chapter.write_text(text, encoding="utf-8")
                wait_for(driver, sentence, timeout=10, step=0.005)
                if i:
                    visible.append(time.perf_counter() - t0)
            pdf = []
            for _ in range(edits):
                t0 = time.perf_counter()
                with urllib.request.urlopen(url.rsplit("/report/", 1)[0] + f"/report/ai-barometer-{wave}.pdf",
                                            timeout=120) as r:
                    assert r.read(5) == b"%PDF-"
                pdf.append(time.perf_counter() - t0)
        finally:
            driver.quit()
            stop()
    return {"edit_to_visible_s": visible, "pdf_on_demand_s": pdf}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))))
