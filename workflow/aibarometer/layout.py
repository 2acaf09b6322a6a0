"""The page checked by code: after WeasyPrint has laid out the report, walk every page and
its boxes.

* **Overflow** (an error): a box that extends past the page's content area (beyond the
  margins), named by the table or figure it belongs to (its caption) and the page. The
  report rule fails on it: a table cut off at the page edge must never reach print.
* **Under-filled pages** (reported): a page whose content ends in its upper third, unless
  the next page starts a chapter or holds a full-page element, or it is the last page; a
  page less than a fifth full (a table or a few lines left alone) is reported in any case.

Positions are WeasyPrint's CSS pixels (1/96 inch); the messages give millimetres.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

TOLERANCE_PX = 0.5  # rounding of the layout
MIN_FILL = 1 / 3
SLIVER = 0.2  # a page this empty is reported even before a new chapter
FULL_PAGE = 2 / 3  # an element this tall (of the content height) counts as a full-page element
MM_PER_PX = 25.4 / 96


@dataclass
class Layout:
    pages: int = 0
    overflow: list[dict] = field(default_factory=list)  # page, what, mm past the content area
    underfilled: list[dict] = field(default_factory=list)  # page, fill (share of the content height)
    fill: list[float] = field(default_factory=list)

    def errors(self) -> list[str]:
        return [f"pagina {o['page']}: {o['what']} steekt {o['mm']:.1f} mm buiten de bladspiegel ({o['side']})"
                for o in self.overflow]

    def notes(self) -> list[str]:
        return [f"pagina {u['page']} is maar voor {u['fill']:.0%} gevuld en er volgt geen nieuw hoofdstuk"
                for u in self.underfilled]

    def as_dict(self) -> dict:
        return asdict(self)


def _label(element) -> str:
    """A table or figure named as the reader knows it: its caption's label ("Tabel 4"), else
    its id or tag."""
    if element is None:
        return "een element"
    for child in element.iter():
        if child.tag in ("caption", "figcaption"):
            text = " ".join("".join(child.itertext()).split())
            return text.split(":")[0][:60] if text else element.tag
    return element.get("id") or element.tag


def check(document) -> Layout:
    """Check a rendered WeasyPrint Document (``HTML(...).render()``)."""
    out = Layout(pages=len(document.pages))
    starts_chapter, tall = [], []
    for number, page in enumerate(document.pages, 1):
        fill, chapter, big = _page(page._page_box, number, out.overflow)
        out.fill.append(round(fill, 3))
        starts_chapter.append(chapter)
        tall.append(big)
    for i, fill in enumerate(out.fill[:-1]):
        if (fill < MIN_FILL and not starts_chapter[i + 1] and not tall[i + 1] and not tall[i]) or fill < SLIVER:
            out.underfilled.append({"page": i + 1, "fill": fill})
    return out


def _page(pb, number: int, overflow: list[dict]) -> tuple[float, bool, bool]:
    """Walk one page's boxes: overflow past the content area (appended to ``overflow``), and
    the page's fill, whether its first line is a chapter heading, whether it holds a table or
    figure of (nearly) the full page height."""
    from weasyprint.formatting_structure import boxes as B

    x0, y0 = pb.content_box_x(), pb.content_box_y()
    x1, y1 = x0 + pb.width, y0 + pb.height
    state = {"bottom": y0, "first": None, "tall": False}
    seen: set[tuple] = set()

    def walk(box, owner, in_h1):
        if isinstance(box, B.MarginBox):  # running headers and footers live in the margins
            return
        tag = getattr(box, "element_tag", None)
        if tag in ("table", "figure") and getattr(box, "element", None) is not None:
            owner = box.element
        in_h1 = in_h1 or tag == "h1"
        w = box.border_width() if hasattr(box, "border_width") else 0
        h = box.border_height() if hasattr(box, "border_height") else 0
        bx, by = box.border_box_x(), box.border_box_y()
        if w > 0 and (bx + w > x1 + TOLERANCE_PX or bx < x0 - TOLERANCE_PX):
            what = _label(owner) if owner is not None else f"tekst ({tag or 'blok'})"
            side = "rechts" if bx + w > x1 + TOLERANCE_PX else "links"
            past = (bx + w - x1) if side == "rechts" else (x0 - bx)
            if (what, side) not in seen:
                seen.add((what, side))
                overflow.append({"page": number, "what": what, "side": side, "mm": round(past * MM_PER_PX, 1)})
        if isinstance(box, (B.LineBox, B.ReplacedBox, B.TableRowBox)) and h > 0:
            if state["first"] is None:
                state["first"] = in_h1
            state["bottom"] = max(state["bottom"], by + h)
        if tag in ("table", "figure") and h >= FULL_PAGE * (y1 - y0):
            state["tall"] = True
        for child in getattr(box, "children", []):
            walk(child, owner, in_h1)

    for child in pb.children:
        walk(child, None, False)
    return (state["bottom"] - y0) / (y1 - y0), bool(state["first"]), state["tall"]
