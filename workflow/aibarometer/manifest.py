"""The run manifest: what a wave's published numbers were made from.

``results/<wave>/manifest.json`` lists the input files with their SHA-256, the
configuration values in force, the versions of Python, the package and its
dependencies, the git commit (and whether the work tree had uncommitted
changes) and the start and end of the run, so any published number can be
traced back to its inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from .catalog import STATUS

RUN_START = ".snakemake/aibarometer-run-start.txt"
DEPENDENCIES = ["snakemake", "pandas", "numpy", "pyarrow", "scipy", "jinja2", "weasyprint", "matplotlib",
                "pyyaml", "jsonschema", "pyreadstat", "openpyxl", "babel", "pydyf"]


def sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def git_state(root: str | Path = ".") -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no")) if commit else None
    return {"commit": commit or None, "uncommitted_changes": dirty}


def versions() -> dict:
    from . import __version__

    out = {"python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["aibarometer"] = __version__  # the code that ran, not the installed metadata (maybe older)
    return out


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="seconds")


def note_run_start(root: str | Path = ".") -> None:
    """Called by the Snakefile's onstart handler."""
    p = Path(root) / RUN_START
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(iso(dt.datetime.now().timestamp()) + "\n")


def build_manifest(wave: dict, inputs: dict[str, str], outputs: list[str], config: dict, root: str | Path = ".") -> dict:
    files = {name: {"path": str(p), "sha256": sha256(p), "bytes": Path(p).stat().st_size}
             for name, p in sorted(inputs.items())}
    produced = {str(p): sha256(p) for p in sorted(outputs)}
    # the Snakefile's onstart handler notes when `snakemake` started
    stamp = Path(root) / RUN_START
    start = stamp.read_text().strip() if stamp.is_file() else None
    return {
        "wave": wave["wave"], "synthetic": wave["synthetic"], "wave_config": wave,
        "inputs": files, "outputs": produced, "config": config,
        "versions": versions(), "git": git_state(root),
        "run": {"started": start, "finished": iso(dt.datetime.now().timestamp())},
    }


def run(input, output, params, log) -> None:
    """Snakemake entry point (rule ``manifest``)."""
    from .stage import write_json

    inputs = {k: v for k, v in input.items() if k in ("export", "frame", "population", "codebook", "spec", "reference")}
    outputs = [str(p) for k, v in input.items() if k == "outputs" for p in (v if isinstance(v, list) else [v])]
    manifest = build_manifest(dict(params.wave), inputs, outputs, dict(params.config))
    if getattr(input, "ingest_report", None):  # how the inputs were read: formats and tolerances
        report = json.loads(Path(input.ingest_report).read_text(encoding="utf-8"))
        manifest["input_formats"] = report.get("formats", {})
        manifest["input_readings"] = [{k: r[k] for k in ("file", "column", "reading", "count")}
                                      for r in report.get("readings", [])]
    write_json(manifest, output.manifest)
    status = Path(output.manifest).parent / STATUS  # a failed run's note: this run completed
    if status.is_file():
        status.unlink()
    log(f"manifest with {len(inputs)} inputs and {len(outputs)} outputs")
