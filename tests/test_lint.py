"""The Python code passes ruff with the rules in pyproject.toml ([tool.ruff]): bugs, not style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")  # pinned in the test extra and requirements.lock


def test_ruff_finds_nothing():
    assert RUFF.is_file(), f"{RUFF} missing: install the test extra (make setup)"
    proc = subprocess.run([str(RUFF), "check", "--no-cache", "workflow", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, "ruff check workflow tests bench:\n" + proc.stdout + proc.stderr
