"""What every part of the generator shares: the wave's parameters, the questionnaire,
the strata, the published figures it is calibrated to and one random generator.

One generator, drawn from in a fixed order, makes a wave reproducible byte for byte;
parts that plant extra rows use generators of their own (seed + k), so adding them
leaves every other value as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ..config import Codebook
from ..strata import Strata
from .params import WaveParams

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "resources" / "reference" / "ai-barometer-2021.yaml"


def load_reference(path: Path = REFERENCE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Context:
    p: WaveParams
    cb: Codebook
    strata: Strata
    ref: dict
    rng: np.random.Generator = field(init=False)
    # a wave evolved from an earlier one (register.py): its population and usable responses
    # per stratum, and the earlier wave's usable respondents (enterprise, technology answers)
    population_override: np.ndarray | None = None
    usable_override: np.ndarray | None = None
    panel: object = None

    def __post_init__(self):
        self.rng = np.random.default_rng(self.p.seed)

    @property
    def sectors(self) -> list[str]:
        return list(self.strata.sector_codes)

    @property
    def sizes(self) -> list[str]:
        return [c.code for c in self.strata.size_classes]

    def matrix(self, key: str) -> np.ndarray:
        """A published sector x size table of the reference, shape (S, C)."""
        t = self.ref[key]
        return np.array([t[c] for c in self.sizes], dtype=int).T

    def population(self) -> np.ndarray:
        if self.population_override is not None:
            return self.population_override
        pop = self.matrix("table1_population")
        return np.round(pop * self.p.population_factor).astype(int) if self.p.population_factor != 1 else pop

    def usable_counts(self) -> np.ndarray:
        """Usable responses per stratum: Table 2, or scaled per size class for a later wave."""
        if self.usable_override is not None:
            return self.usable_override
        n = self.matrix("table2_responses")
        if self.p.usable_factor:
            f = np.array([self.p.usable_factor[c] for c in self.sizes])
            n = np.maximum(1, np.round(n * f[None, :])).astype(int)
        return n
