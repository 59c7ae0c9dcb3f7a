"""Indicator progress (``plans.progress``): from the baseline (0) toward the target (1), for
numbers that must rise and numbers that must fall, and why it cannot be computed. Pure."""

from decimal import Decimal

import pytest

from plans.progress import Direction, indicator_progress


def progress(baseline, target, latest):
    def number(value):
        return None if value is None else Decimal(str(value))

    return indicator_progress(number(baseline), number(target), number(latest))


# --- A number that must fall: burglaries from 120 to 80 ----------------------------------------


def test_halfway_down():
    result = progress(120, 80, 100)
    assert result.direction == Direction.FALL == "fall"
    assert result.fraction == pytest.approx(0.5)
    assert result.latest == Decimal(100)
    assert result.missing == ""
    assert not result.reached
    assert result.clamped == pytest.approx(0.5)


def test_worse_than_the_baseline_is_negative_and_clamped_to_zero():
    result = progress(120, 80, 130)
    assert result.fraction == pytest.approx(-0.25)
    assert result.clamped == 0.0
    assert not result.reached


def test_beyond_the_target_is_more_than_one_reached_and_clamped_to_one():
    result = progress(120, 80, 70)
    assert result.fraction == pytest.approx(1.25)
    assert result.reached
    assert result.clamped == 1.0


def test_exactly_on_the_target_is_reached():
    result = progress(120, 80, 80)
    assert result.fraction == pytest.approx(1.0)
    assert result.reached


def test_at_the_baseline_is_zero():
    result = progress(120, 80, 120)
    assert result.fraction == 0
    assert result.clamped == 0
    assert not result.reached


def test_a_target_of_zero_is_a_target():
    result = progress(5, 0, 0)
    assert (result.direction, result.fraction, result.missing) == (Direction.FALL, 1.0, "")


# --- A number that must rise: BINs from 2 to 6 -------------------------------------------------


def test_halfway_up():
    result = progress(2, 6, 4)
    assert result.direction == Direction.RISE == "rise"
    assert result.fraction == pytest.approx(0.5)


def test_below_the_baseline_of_a_rising_number_is_negative():
    result = progress(2, 6, 1)
    assert result.fraction == pytest.approx(-0.25)
    assert result.clamped == 0.0


def test_above_the_target_of_a_rising_number_is_reached():
    result = progress(2, 6, 8)
    assert result.fraction == pytest.approx(1.5)
    assert result.reached
    assert result.clamped == 1.0


def test_a_baseline_of_zero_is_a_baseline():
    result = progress(0, 10, 3)
    assert (result.direction, result.missing) == (Direction.RISE, "")
    assert result.fraction == pytest.approx(0.3)


def test_decimals_keep_their_precision():
    result = progress("12.5", "7.5", "11.25")
    assert result.fraction == pytest.approx(0.25)


# --- What cannot be computed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "missing", "direction"),
    [
        (120, None, 100, "target", None),
        (None, 80, 100, "baseline", None),
        (None, None, 100, "target", None),  # the target is asked for first
        (80, 80, 100, "same", None),
        (120, 80, None, "measurement", Direction.FALL),
        (2, 6, None, "measurement", Direction.RISE),
    ],
)
def test_why_no_progress_can_be_computed(baseline, target, latest, missing, direction):
    result = progress(baseline, target, latest)
    assert result.fraction is None
    assert result.missing == missing
    assert result.direction == direction
    assert result.clamped is None
    assert not result.reached
    # The latest measurement is still shown where there is one.
    assert result.latest == (None if latest is None else Decimal(latest))
