"""Who reaches which block: the questionnaire's AI blocks in codebook order, the
routing of each block (all respondents, or adopters only) from the codebook, and the
break-offs and skips of the wave's parameters.

Plants, among the usable respondents: a group that stops after the first AI block
(mostly non-adopters), adopters who break off block by block so each adopter block
has the wave's base (2021: the published N of Figures 6-11), non-adopters who stop
before a later block for everyone (2021: the policy questions' N), and respondents
who skip a block but go on (2021: knowledge). Excluded respondents who answered AI
questions (rules a, b, d) answer everything; rule (c) reaches no AI block at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .context import Context
from .draw import pick
from .params import ADOPTER_SHARES, POLICY_DROP


@dataclass
class Routing:
    blocks: list[str]  # the AI blocks in questionnaire order
    adopter_blocks: set[str]  # blocks routed to adopters only
    reach: np.ndarray  # per response: how many AI blocks it reached (len(blocks) = all)
    skipped: dict[str, np.ndarray]  # block -> per response: skipped it and went on
    adopter: np.ndarray
    answering: np.ndarray  # rows that answered AI questions

    def rows(self, block: str) -> np.ndarray:
        """The responses that answer a block: reached it, did not skip it, routed to it."""
        k = self.blocks.index(block)
        rows = self.answering[self.reach[self.answering] > k]
        if block in self.skipped:
            rows = rows[~self.skipped[block][rows]]
        return rows[self.adopter[rows]] if block in self.adopter_blocks else rows

    @property
    def complete(self) -> np.ndarray:
        done = np.zeros(len(self.reach), bool)
        done[self.answering] = self.reach[self.answering] == len(self.blocks)
        return done


def ai_blocks(ctx: Context) -> tuple[list[str], set[str]]:
    order = list(dict.fromkeys(i.block for i in ctx.cb.items if i.block in ctx.cb.ai_blocks))
    adopters = {b for b in order if all(i.routing == "adopters" for i in ctx.cb.block_items(b))}
    return order, adopters


def route(ctx: Context, rules: np.ndarray, adopter: np.ndarray, answering: np.ndarray) -> Routing:
    blocks, adopter_blocks = ai_blocks(ctx)
    n, B = len(rules), len(blocks)
    reach = np.full(n, B)
    reach[np.setdiff1d(np.arange(n), answering)] = 0
    usable = np.flatnonzero(rules == "")
    stop = pick(ctx.rng, usable, ctx.p.stop_after_first, np.where(adopter[usable], 0.3, 1.0))
    reach[stop] = 1
    going = usable[reach[usable] == B]  # usable respondents past the first AI block
    _adopter_break_offs(ctx, blocks, adopter_blocks, reach, going[adopter[going]])
    _later_stops(ctx, blocks, adopter_blocks, reach, going, adopter)
    skipped = {}
    for block, count in ctx.p.skipped.items():
        k = blocks.index(block)
        skipped[block] = np.zeros(n, bool)
        skipped[block][pick(ctx.rng, usable[reach[usable] > k], count)] = True
    return Routing(blocks, adopter_blocks, reach, skipped, adopter, answering)


def _adopter_break_offs(ctx: Context, blocks, adopter_blocks, reach, adopters) -> None:
    """Adopters break off in the adopter blocks: the first in a random order stop earliest."""
    order = ctx.rng.permutation(adopters)
    cut, base = 0, len(adopters)
    for k, block in enumerate(blocks):
        if block not in adopter_blocks:
            continue
        if ctx.p.bases is not None:
            base = ctx.p.bases.get(block, base)
        elif block in ADOPTER_SHARES:
            base = int(round(len(adopters) * ADOPTER_SHARES[block]))
        if not cut <= len(adopters) - base <= len(adopters):
            raise RuntimeError(f"block {block}: base {base} does not fit the {len(adopters)} adopters left")
        reach[order[cut:len(adopters) - base]] = k
        cut = len(adopters) - base


def _later_stops(ctx: Context, blocks, adopter_blocks, reach, going, adopter) -> None:
    """Non-adopters who stop before a block for everyone that follows the adopter blocks."""
    first_adopter = min((blocks.index(b) for b in adopter_blocks), default=len(blocks))
    for k in range(first_adopter + 1, len(blocks)):
        block = blocks[k]
        if block in adopter_blocks:
            continue
        still = going[~adopter[going] & (reach[going] == len(blocks))]
        if ctx.p.bases is None or block not in ctx.p.bases:
            extra = int(round(POLICY_DROP * len(still)))
        else:
            extra = int(len(going) - ctx.p.bases[block] - (reach[going] <= k).sum())
        if extra < 0:
            raise RuntimeError(f"block {block}: adopter break-offs exceed its base")
        reach[pick(ctx.rng, still, extra)] = k
