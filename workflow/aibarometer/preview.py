"""Live preview of the report while writing it: a local web server that shows a wave's
report as HTML and reloads it in the browser a moment after a template is saved.

    .venv/bin/python -m aibarometer.preview --wave 2021-demo      # or: make preview WAVE=2021-demo

* The results of the wave (results/<wave>/) are read once, through the report rule's own
  :func:`aibarometer.report.load_context`, with the rule's inputs and params built here
  from config/config.yaml and the wave files (:func:`rule_inputs`), without Snakemake.
* A watcher polls the templates (every file under the templates folder, report.css
  included) and re-renders in-process on a change; a change of config/spec.yaml, a wave
  file, the codebook or the results (a rerun of the workflow) reloads the context first.
* The page served gets a small script (the preview only, never the report on disk) that
  asks for the version every 100 ms and reloads the page when it changed.
* A template error is shown in the page with file and line; the server keeps running
  and shows the report again after the next good save.
* "PDF" renders the PDF on demand with the report rule's own code
  (:func:`aibarometer.report.write_report_pdf`).

Bound to 127.0.0.1 only. The figures, trend and quality folders of the wave are served
read-only, as the HTML refers to them (../figures/figure01.svg from report/).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import traceback
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

from .authors import files as author_files
from .catalog import REPORT_ASSET_DIRS, RESULTS, Catalog
from .errors import Fault, InputError

HOST = "127.0.0.1"
POLL_S = 0.1
SERVED_DIRS = REPORT_ASSET_DIRS  # the folders of results/<wave>/ the report's HTML refers to
MARK, END_MARK = "<!-- aibarometer-preview -->", "<!-- /aibarometer-preview -->"
RUN_FIRST = "voer eerst `make run` uit (of .venv/bin/snakemake --cores all), dan bestaan de resultaten van de golf"

SCRIPT = """<script>(function(){var v=%s;function poll(){fetch("/__preview/version",{cache:"no-store"})
.then(function(r){return r.text()}).then(function(t){if(t!==v){location.reload()}else{setTimeout(poll,%d)}})
.catch(function(){setTimeout(poll,500)})}setTimeout(poll,%d)})();</script>"""
BAR = ('<div style="position:fixed;top:0;right:0;z-index:99;background:#ffd;border:1px solid #aa8;'
       'padding:2px 8px;font:12px sans-serif">Voorbeeld {wave} &middot; <a href="{pdf}">PDF</a></div>')


def rule_inputs(root: str | Path, wave: str, templates: str | Path | None = None):
    """The report rule's ``input`` and ``params`` for ``wave`` (as workflow/rules/report.smk
    declares them), from root/config/config.yaml and the wave files: paths as strings."""
    from .config import load_config, load_wave
    from .spec import load_spec

    root = Path(root).resolve()
    config_path = root / "config" / "config.yaml"
    cfg = load_config(config_path)
    if wave not in cfg["waves"]:
        raise InputError(Fault(str(config_path), f"de golf {wave!r} staat niet onder waves",
                               f"kies een van: {', '.join(cfg['waves'])} (of voeg de golf toe onder waves)"))
    waves = {w: load_wave(w, root) for w in cfg["waves"]}
    year = waves[wave]["year"]
    earlier = sorted((w for w in waves if waves[w]["year"] < year), key=lambda w: waves[w]["year"])
    spec = load_spec(root / cfg["spec"])
    templates = Path(templates).resolve() if templates else root / "workflow" / "templates"
    results = Catalog.from_spec(spec).report_inputs(wave, earlier + [wave])  # as the rule names them

    def r(path):
        return [r(p) for p in path] if isinstance(path, list) else str(root / path)

    input = SimpleNamespace(
        **{name: r(path) for name, path in results.items()},
        eurostat=str(root / "resources" / "eurostat" / "isoc_eb_ai.csv"),
        spec=str(root / cfg["spec"]), codebook=str(root / waves[wave].get("codebook", cfg["codebook"])),
        template=str(templates / "report.html.j2"), css=str(templates / "report.css"),
        config=str(config_path), wave_files=[str(root / "config" / "waves" / f"{w}.yaml") for w in waves],
        authors=author_files(wave, root))
    params = SimpleNamespace(
        wave=waves[wave], strata=cfg["strata"], config={k: cfg[k] for k in ("cleaning", "estimation")},
        waves_meta={e: {"year": waves[e]["year"], "synthetic": waves[e]["synthetic"],
                        "codebook": str(root / waves[e].get("codebook", cfg["codebook"]))} for e in earlier},
        years=[waves[e]["year"] for e in earlier + [wave]])
    return input, params


def input_files(input) -> list[str]:
    """Every file of ``input``, lists flattened."""
    out = []
    for value in vars(input).values():
        out += value if isinstance(value, list) else [value]
    return out


def require_inputs(input, wave: str) -> None:
    """Every input file must exist: one fault per missing file, with what to do."""
    results = Path(input.estimates).parents[1]
    if not results.is_dir():
        raise InputError(Fault(str(results), f"de resultaten van golf {wave} ontbreken (map bestaat niet)", RUN_FIRST))
    missing = [p for p in input_files(input) if not Path(p).is_file()]
    if missing:
        raise InputError([Fault(p, f"ontbreekt (nodig voor het voorbeeld van golf {wave})", RUN_FIRST)
                          for p in missing])


def stamp(paths) -> tuple:
    """What changes when one of ``paths`` is saved: modification time and size of each."""
    out = []
    for p in paths:
        try:
            st = Path(p).stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


def template_error(err: BaseException, templates: Path) -> str:
    """A template error as one line: file (relative to the templates folder), line and message."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if isinstance(err, TemplateNotFound):
        return f"sjabloon niet gevonden: {err.name}"
    file, line = None, None
    if isinstance(err, TemplateSyntaxError):
        file, line = err.filename, err.lineno
    else:  # jinja2 puts the template's file and line in the traceback
        for frame in traceback.extract_tb(err.__traceback__):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno
    message = getattr(err, "message", None) or str(err)
    if file is None:
        return f"{type(err).__name__}: {message}"
    try:
        name = Path(file).resolve().relative_to(templates)
    except ValueError:
        name = file
    return f"{name}, regel {line}: {type(err).__name__}: {message}"


class Preview:
    """A wave's report, kept rendered: :meth:`refresh` re-reads what changed."""

    def __init__(self, root: str | Path, wave: str, templates: str | Path | None = None):
        self.root, self.wave = Path(root).resolve(), wave
        self.templates = Path(templates).resolve() if templates else self.root / "workflow" / "templates"
        self.lock = threading.Lock()
        self.pdf_lock = threading.Lock()
        self.version = 0
        self.html, self.error = "", None
        self.ctx = None
        self._data = self._tpl = None
        from .report import environment
        self.env = environment(self.templates)  # kept: a save recompiles only the template saved
        self.input, self.params = rule_inputs(self.root, wave, self.templates)
        require_inputs(self.input, wave)
        self.refresh(strict=True)

    def _data_files(self) -> list[str]:
        return [p for p in input_files(self.input) if p not in (self.input.template, self.input.css)]

    def _template_files(self) -> list[Path]:
        return sorted(p for p in self.templates.rglob("*") if p.is_file())

    def refresh(self, strict: bool = False) -> bool:
        """Reload the context when the results or configuration changed, re-render when
        anything changed; True when the page changed. ``strict``: raise an input error
        (the first load) instead of showing it in the page."""
        from . import report

        data, tpl = stamp(self._data_files()), stamp(self._template_files())
        if data == self._data and tpl == self._tpl:
            return False
        html, error = self.html, None
        try:
            if data != self._data or self.ctx is None:
                self.input, self.params = rule_inputs(self.root, self.wave, self.templates)
                require_inputs(self.input, self.wave)
                data = stamp(self._data_files())
                self.ctx = report.load_context(self.input, self.params)
            self.ctx["css"] = Path(self.input.css).read_text(encoding="utf-8")
            html = report.render_html(self.ctx, env=self.env)
        except InputError as err:
            if strict:
                raise
            error = str(err)
        except Exception as err:  # a template error: shown in the page, the server keeps running
            error = template_error(err, self.templates)
        with self.lock:
            self._data, self._tpl = data, tpl
            self.html, self.error = html, error
            self.version += 1
        return True

    def page(self) -> str:
        """The page the browser gets: the report (or the error) with the reload script."""
        with self.lock:
            version, html, error = self.version, self.html, self.error
        script = SCRIPT % (f'"{version}"', int(POLL_S * 1000), int(POLL_S * 1000))
        if error is not None:
            return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Fout in het rapport</title>'
                    f'</head><body><h1>Het rapport kan niet worden gemaakt</h1><pre id="preview-error">'
                    f'{escape(error)}</pre><p>Het voorbeeld herstelt zich bij de volgende goede bewaring.</p>'
                    f'{MARK}{script}{END_MARK}</body></html>')
        bar = BAR.format(wave=escape(self.wave), pdf=f"ai-barometer-{escape(self.wave)}.pdf")
        inject = f"{MARK}{bar}{script}{END_MARK}"
        at = html.rfind("</body>")
        return html[:at] + inject + html[at:] if at >= 0 else html + inject

    def pdf(self) -> bytes:
        """The PDF of the current HTML, rendered now with the report rule's code."""
        from . import report

        with self.lock:
            html, error = self.html, self.error
        if error is not None:
            raise InputError(Fault(self.input.template, error, "herstel het sjabloon en vraag de PDF opnieuw"))
        html_path = Path(self.root, Catalog([], []).out("report", "html", self.wave))
        with self.pdf_lock, tempfile.TemporaryDirectory(prefix="aibarometer-preview-") as tmp:
            target = Path(tmp) / "report.pdf"
            report.write_report_pdf(html, self.input, self.params, html_path, target)
            return target.read_bytes()

    def watch(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set."""
        while not stop.wait(POLL_S):
            self.refresh()

    def static(self, url_path: str) -> Path | None:
        """The file of results/<wave>/<folder>/ a URL names, for the folders the report uses only."""
        parts = url_path.strip("/").split("/")
        if len(parts) < 2 or parts[0] not in SERVED_DIRS:
            return None
        base = (self.root / RESULTS / self.wave / parts[0]).resolve()
        path = base.joinpath(*parts[1:]).resolve()
        return path if path.is_file() and base in path.parents else None


TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css", ".json": "application/json"}


class Handler(BaseHTTPRequestHandler):
    """Routes: /report/ (the page), /report/ai-barometer-<wave>.pdf, /__preview/version,
    /figures/..., /trend/..., /quality/... ."""

    preview: Preview  # set on a subclass by :func:`make_server`

    def log_message(self, format, *args) -> None:  # quiet: the terminal is for errors
        pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {"Cache-Control": "no-store", **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        pv = self.preview
        if path == "/":
            self._send(HTTPStatus.FOUND, b"", "text/plain", {"Location": "/report/"})
        elif path in ("/report/", f"/report/ai-barometer-{pv.wave}.html"):
            self._send(HTTPStatus.OK, pv.page().encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/__preview/version":
            self._send(HTTPStatus.OK, str(pv.version).encode(), "text/plain")
        elif path == f"/report/ai-barometer-{pv.wave}.pdf":
            self._pdf()
        elif (file := pv.static(path)) is not None:
            self._file(file)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"niet gevonden", "text/plain; charset=utf-8")

    def _pdf(self) -> None:
        try:
            body = self.preview.pdf()
        except InputError as err:
            self._send(HTTPStatus.CONFLICT, str(err).encode("utf-8"), "text/plain; charset=utf-8")
            return
        self._send(HTTPStatus.OK, body, "application/pdf")

    def _file(self, file: Path) -> None:
        st = file.stat()
        etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        self._send(HTTPStatus.OK, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"), headers)


def make_server(preview: Preview, port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``preview`` on 127.0.0.1:``port`` (0: a free port)."""
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def start(root: str | Path, wave: str, templates: str | Path | None = None, port: int = 0):
    """Preview, server and watcher running in threads (for tests and the benchmark):
    returns (preview, server, url, stop) -- call stop() to end both."""
    preview = Preview(root, wave, templates)
    server = make_server(preview, port)
    stop_watch = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=preview.watch, args=(stop_watch,), daemon=True)]
    for t in threads:
        t.start()

    def stop() -> None:
        stop_watch.set()
        server.shutdown()
        server.server_close()
    return preview, server, f"http://{HOST}:{server.server_address[1]}/report/", stop


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m aibarometer.preview",
                                 description="Live voorbeeld van het rapport van een golf (alleen op 127.0.0.1).")
    ap.add_argument("--wave", required=True, help="de golf, bv. 2021-demo (zie waves in config/config.yaml)")
    ap.add_argument("--root", default=".", help="de map van de workflow (met config/ en results/)")
    ap.add_argument("--templates", default=None, help="de map met de sjablonen (standaard workflow/templates)")
    ap.add_argument("--port", type=int, default=8000, help="de poort (0: een vrije poort)")
    args = ap.parse_args(argv)
    try:
        preview = Preview(args.root, args.wave, args.templates)
        server = make_server(preview, args.port)
    except InputError as err:
        sys.stderr.write(f"[preview] {err}\n")
        return 1
    except OSError as err:
        sys.stderr.write(f"[preview] poort {args.port} op {HOST} is niet beschikbaar ({err.strerror}); "
                         "kies een andere met --port\n")
        return 1
    stop = threading.Event()
    threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
    print(f"Voorbeeld van {args.wave}: http://{HOST}:{server.server_address[1]}/report/  (Ctrl-C stopt)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
