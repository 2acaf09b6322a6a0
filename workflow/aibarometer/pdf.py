"""The PDF of the report: WeasyPrint with reproducible bytes and resources confined to
the wave's figures.

* Reproducible: SOURCE_DATE_EPOCH fixed and WeasyPrint's tag ids (memory addresses)
  numbered stably, for one render, restored afterwards (:func:`reproducible_weasyprint`).
* Confined: the URL fetcher reads only files inside the allowed folders (the wave's
  figures): no other local file, no network (:func:`confined_fetcher`).
* Tagged PDF/UA-1 with a title and a fixed identifier.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class _StableIds:
    """WeasyPrint's PDF tagging names table-header elements by ``id(box)``, a memory
    address that changes from run to run. Tagging walks the boxes in document order,
    so numbering them in the order they are first seen gives the same bytes every time."""

    def __init__(self):
        self.seen: dict[int, int] = {}

    def __call__(self, obj) -> int:
        return self.seen.setdefault(builtins_id(obj), len(self.seen) + 1)


builtins_id = id


def confined_fetcher(allowed: list[Path]):
    """A WeasyPrint URL fetcher that reads only files inside ``allowed`` (the wave's
    figures): no other local file, no network, whatever the HTML asks for."""
    import urllib.parse

    from weasyprint import default_url_fetcher

    roots = [Path(p).resolve() for p in allowed]

    def fetch(url: str, *args, **kwargs):
        if url.startswith("file:"):
            path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).resolve()
            if path.is_file() and any(path == r or r in path.parents for r in roots):
                return default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"not fetched (only the figures of this wave are read): {url[:80]}")
    return fetch


def write_pdf(html: str, base_url: str, target: str | Path, title: str, identifier: str,
              allowed: list[Path] | None = None):
    """Render to a tagged PDF/UA-1 with fixed dates and identifier (byte-reproducible);
    resources only from ``allowed`` (default: the base_url folder). Returns the layout
    check of the rendered pages (:func:`aibarometer.layout.check`)."""
    with reproducible_weasyprint():
        return _write_pdf(html, base_url, target, title, identifier, allowed)


@contextlib.contextmanager
def reproducible_weasyprint():
    """For one render: SOURCE_DATE_EPOCH fixed and WeasyPrint's tag ids numbered stably;
    both restored afterwards (jobs share one process)."""
    from weasyprint.pdf import tags

    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    tags.id = _StableIds()  # a module global that shadows the builtin inside weasyprint.pdf.tags only
    try:
        yield
    finally:
        del tags.id
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def _slivers(layout) -> list[dict]:
    from .layout import SLIVER

    return [u for u in layout.underfilled if u["fill"] < SLIVER]


def _write_pdf(html: str, base_url: str, target, title: str, identifier: str, allowed):
    from weasyprint import HTML

    from .layout import check

    fetcher = confined_fetcher(allowed if allowed is not None else [Path(base_url)])

    def render(classes: str):
        text = html.replace("<body>", f'<body class="{classes}">', 1) if classes else html
        doc = HTML(string=text, base_url=base_url, url_fetcher=fetcher).render()
        return doc, check(doc)

    classes = ""
    doc, layout = render(classes)
    if _slivers(layout) and "<body>" in html:
        # a few lines spilled onto a page of their own: set the text a little tighter (report.css,
        # body.tight) and keep that render if it has fewer such pages and no new overflow
        tight, tight_layout = render("tight")
        if len(_slivers(tight_layout)) < len(_slivers(layout)) and len(tight_layout.overflow) <= len(layout.overflow):
            doc, layout, classes = tight, tight_layout, "tight"
    tmp = Path(target).with_name(f".{Path(target).name}.tmp")
    # WeasyPrint cannot tag some tables it split or kept whole ("Table wrapper without a table"): fall
    # back to the plain render, then to one where every table may break across pages (body.breakable)
    fallbacks = ([""] if classes else []) + ["breakable"]
    while True:
        try:
            _save(doc, tmp, title, identifier)
            break
        except ValueError as e:
            tmp.unlink(missing_ok=True)  # nothing half-written left beside the report
            if "Table wrapper" not in str(e) or "<body>" not in html or not fallbacks:
                raise
            classes = fallbacks.pop(0)
            doc, layout = render(classes)
    os.replace(tmp, target)
    return layout


def _save(doc, path, title: str, identifier: str) -> None:
    doc.metadata.title = title
    doc.metadata.created = None
    doc.metadata.modified = None
    doc.write_pdf(path, pdf_variant="pdf/ua-1", pdf_identifier=identifier.encode(), uncompressed_pdf=False)
