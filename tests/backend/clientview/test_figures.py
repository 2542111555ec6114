"""The arithmetic of a client's week: time on post, tour rounds, and the words a figure earns."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.attendance.on_post import on_post_seconds
from backend.clientview.figures import (
    ATTENTION,
    BELOW_TARGET,
    NOT_YET,
    ON_TARGET,
    TourTally,
    judge,
    percent,
    tour_tally,
    worst,
)

T0 = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_time_on_post_is_the_clocked_part_of_the_window_less_the_spells_away():
    # given an 8-hour window, a guard clocked in 10 minutes late and out on time, away twice (the spells overlap)
    seconds = on_post_seconds(
        window=(at(0), at(480)), clocked=(at(10), at(480)), away=[(at(60), at(90)), (at(80), at(100))]
    )

    # then 470 minutes clocked, less 40 minutes away (60-100, counted once)
    assert seconds == (470 - 40) * 60


def test_no_clock_in_is_no_time_on_post_and_away_outside_the_window_does_not_count():
    assert on_post_seconds(window=(at(0), at(60)), clocked=None) == 0
    assert on_post_seconds(window=(at(0), at(60)), clocked=(at(0), at(60)), away=[(at(-30), at(-10))]) == 3600
    assert on_post_seconds(window=(at(0), at(60)), clocked=(at(70), at(90))) == 0


def test_a_tour_counts_each_round_that_is_due_and_each_checkpoint_scanned_in_it():
    # given hourly rounds of two checkpoints; round 1 both scanned, round 2 one scanned (within the grace)
    scans = [(1, at(10)), (2, at(50)), (1, at(125))]

    tally = tour_tally(
        clocked=(at(0), at(480)),
        interval=timedelta(minutes=60),
        grace=timedelta(minutes=15),
        now=at(140),  # the third round is not due yet (due 180 + 15)
        checkpoints={1, 2},
        scans=scans,
    )

    assert tally == TourTally(done=3, expected=4, due_by=at(120))


def test_a_tour_counts_only_the_rounds_due_in_the_span_asked_for():
    tally = tour_tally(
        clocked=(at(0), at(240)),
        interval=timedelta(minutes=60),
        grace=timedelta(0),
        now=at(600),
        checkpoints={1},
        scans=[(1, at(5)), (1, at(65)), (1, at(125)), (1, at(185))],
        counted=(at(100), at(300)),
    )

    # rounds due at 120, 180 and 240 are in the span; the one due at 60 is not
    assert (tally.done, tally.expected) == (3, 3)


def test_tallies_add_up_and_keep_the_latest_due_time():
    total = TourTally(3, 4, at(60)) + TourTally(1, 2, at(120)) + TourTally()

    assert total == TourTally(4, 6, at(120))
    assert total.ratio == pytest.approx(4 / 6)
    assert TourTally().ratio is None


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(None, NOT_YET), (1.0, ON_TARGET), (0.98, ON_TARGET), (0.97, ATTENTION), (0.90, ATTENTION), (0.89, BELOW_TARGET)],
)
def test_a_figure_is_on_target_attention_or_below_target_by_the_thresholds(ratio, expected):
    assert judge(ratio, on_target_pct=98, attention_pct=90) == expected


def test_the_weakest_standing_wins_and_nothing_to_judge_does_not_count():
    assert worst(ON_TARGET, ATTENTION) == ATTENTION
    assert worst(NOT_YET, ON_TARGET) == ON_TARGET
    assert worst(BELOW_TARGET, NOT_YET, ON_TARGET) == BELOW_TARGET
    assert worst(NOT_YET) == NOT_YET


def test_percent_has_one_decimal_and_never_rounds_a_shortfall_up_to_a_hundred():
    assert percent(0.992) == "99.2 %"
    assert percent(0.9996) == "99.9 %"
    assert percent(1.0) == "100.0 %"
    assert percent(None) == "—"
