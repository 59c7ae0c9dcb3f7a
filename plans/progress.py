"""How far an indicator has come from its baseline (nulmeting) toward its target
(streefwaarde): one pure function, for numbers that must rise and numbers that must fall."""

from dataclasses import dataclass
from decimal import Decimal


class Direction:
    RISE = "rise"
    FALL = "fall"


@dataclass(frozen=True)
class IndicatorProgress:
    """``fraction``: 0 at the baseline, 1 at the target (may lie outside [0, 1]: worse than
    the baseline, or beyond the target); None when it cannot be computed, ``missing`` says
    why ("baseline", "target", "measurement" or "same": target equals baseline)."""

    fraction: float | None
    direction: str | None
    latest: Decimal | None
    missing: str = ""

    @property
    def reached(self) -> bool:
        return self.fraction is not None and self.fraction >= 1

    @property
    def clamped(self) -> float | None:
        return None if self.fraction is None else max(0.0, min(1.0, self.fraction))


def indicator_progress(
    baseline: Decimal | None, target: Decimal | None, latest: Decimal | None
) -> IndicatorProgress:
    """Progress toward the target of the latest measurement. The direction follows from the
    baseline and the target: a target below the baseline is a number that must fall (e.g.
    burglaries), above it one that must rise."""
    if target is None:
        return IndicatorProgress(None, None, latest, "target")
    if baseline is None:
        return IndicatorProgress(None, None, latest, "baseline")
    if target == baseline:
        return IndicatorProgress(None, None, latest, "same")
    direction = Direction.RISE if target > baseline else Direction.FALL
    if latest is None:
        return IndicatorProgress(None, direction, None, "measurement")
    fraction = float((Decimal(latest) - baseline) / (target - baseline))
    return IndicatorProgress(fraction, direction, latest)
