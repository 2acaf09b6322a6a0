"""The per-wave parameter table of the synthetic demo waves.

2021 follows the published report (resources/reference/ai-barometer-2021.yaml): the
flow counts, the exclusions per rule and the number of respondents per block are the
published ones. A later demo wave is a documented departure from 2021, written as the
parameters that differ. What a question's answers aim at (its *target*) is not here
but in ``targets.py``; ``rates`` below only adds or overrides targets for one wave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Adopters answering each adopter block as a share of the adopters who got past the
# technologies, where a wave does not give the counts (a block not listed loses nobody).
ADOPTER_SHARES = {"applications": 0.975, "sources": 0.96, "budget": 0.95,
                  "competitiveness": 0.94, "employment": 0.94}
# where a wave gives no policy base: this share of the non-adopters who got that far stops before it
POLICY_DROP = 0.02


@dataclass
class WaveParams:
    year: int
    seed: int
    fieldwork: tuple[str, str]
    codebook: str = "config/codebook.yaml"
    # exclusions counted under their first rule (a, b, c, d) and the overlaps with (c)
    exclusions: dict[str, int] = field(default_factory=lambda: {"a": 170, "b": 118, "c": 662, "d": 74})
    overlap_a_c: int = 30  # of the (a) exclusions, also no AI question answered
    overlap_b_c: int = 12
    # usable respondents who stop after the first AI block (2021: 1717 - 1628)
    stop_after_first: int = 89
    # usable respondents who skip a block but go on (2021: knowledge 1628 - 1234)
    skipped: dict[str, int] = field(default_factory=lambda: {"knowledge": 394})
    # respondents per block after the first; None: ADOPTER_SHARES and POLICY_DROP
    bases: dict[str, int] | None = field(default_factory=lambda: {
        "applications": 555, "sources": 545, "budget": 540, "competitiveness": 532, "employment": 532,
        "policy": 1559})
    # multiplicative odds factor on technology use (1 = as published in 2021)
    adoption_odds: float = 1.0
    # mean number of technologies per adopter, by size class
    k_mean: dict[str, float] = field(default_factory=lambda: {"micro": 1.75, "small": 1.85, "medium": 1.95,
                                                              "large": 2.3})
    # usable responses per stratum: None = Table 2 of the reference; else a factor per size class
    usable_factor: dict[str, float] | None = None
    frame_disagree_share: float = 0.06  # usable answers that put the firm in a neighbouring size class
    population_factor: float = 1.0  # population counts relative to 2021
    undeliverable: int | None = None  # None: as published for 2021
    # targets for this wave only: var -> percentage ticked (multiple choice) or "yes" share
    rates: dict[str, float] = field(default_factory=dict)
    # drawn from the evolving register of an earlier wave (demo/register.py), and how it evolves
    evolve_from: str | None = None
    register: dict[str, float] = field(default_factory=dict)


WAVES = {
    "2021": WaveParams(year=2021, seed=20210503, fieldwork=("2021-05-03", "2021-08-31")),
    # 2023: a documented departure from 2021, to exercise the workflow on a second wave:
    # drawn from the 2021 register as it evolved (demo/register.py: firms that persist, move
    # or close, new ones, the same design, 2021 respondents who answer again), higher
    # adoption (odds x1.6), fewer micro and more large respondents, fewer bounced e-mails, a smaller exclusion split, block bases as shares,
    # and a questionnaire with one new answer option (generative AI among the
    # applications), whose rate is the only line the new option needs.
    "2023": WaveParams(
        year=2023, seed=20230502, fieldwork=("2023-05-02", "2023-08-25"), codebook="config/codebook-2023.yaml",
        exclusions={"a": 150, "b": 96, "c": 590, "d": 58}, overlap_a_c=25, overlap_b_c=10,
        stop_after_first=70, skipped={"knowledge": 330}, bases=None, adoption_odds=1.6,
        usable_factor={"micro": 0.8, "small": 1.05, "medium": 1.0, "large": 1.2},
        undeliverable=1402, rates={"app_generative_content": 26.0}, evolve_from="2021"),
}
