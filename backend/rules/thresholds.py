"""Every rule's threshold, with its default and why; a company may override any of them.

Defaults are what a security operations manager would accept on day one; each one is a
judgement about GPS error and guard behaviour, stated next to it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

from geofence.presence import PresencePolicy


def threshold(default: float, why: str) -> Any:
    """A threshold field: its default and the reason for it, kept together."""
    return field(default=default, metadata={"why": why})


@dataclass(frozen=True)
class Thresholds:
    # --- positions ---------------------------------------------------------------
    low_accuracy_m: float = threshold(
        100.0, "A fix worse than this cannot place a guard on a site (a city block is ~100 m)."
    )
    ping_max_accuracy_m: float = threshold(50.0, "Breadcrumbs worse than this decide nothing in the presence timeline.")
    impossible_speed_mps: float = threshold(
        55.0, "~200 km/h between two fixes: no guard on patrol moves that fast; a spoofed or jumping fix does."
    )

    # --- reports ---------------------------------------------------------------------
    unit_mismatch_m: float = threshold(
        150.0, "The chosen unit is farther than this (plus GPS accuracy) from where the guard stood."
    )
    min_narrative_words: int = threshold(
        10, 'Fewer meaningful words than this (stock phrases aside) is not a report ("all good", "trespasser").'
    )
    outside_shift_grace_min: int = threshold(
        30, "An incident may be written up this long after the shift ends (or noted just before it starts)."
    )
    clock_skew_min: int = threshold(
        5, "Phone clock off by more than this: times were corrected and the manager should know."
    )

    # --- attendance ------------------------------------------------------------------
    late_clock_in_grace_min: int = threshold(5, "Clock-in more than this after the scheduled start is late.")
    early_clock_out_grace_min: int = threshold(5, "Clock-out more than this before the scheduled end is early.")
    no_show_after_min: int = threshold(
        15, "No clock-in this long after the start is a no-show (the post is unstaffed)."
    )
    missed_clock_out_after_min: int = threshold(
        30, "Still clocked in this long after the scheduled end: the guard forgot to clock out (or left)."
    )
    backdated_clock_event_min: int = threshold(
        10,
        "A clock-in/out the server receives this long after the phone's (skew-corrected) time for it was sent "
        "after the fact (an offline phone, or a time typed in later): it is flagged, and its time counts for "
        "lateness, no-shows and hours only where breadcrumbs or checkpoint scans recorded then confirm it.",
    )
    clock_evidence_window_min: int = threshold(
        10,
        "A breadcrumb on site or a checkpoint scan recorded within this long of a backdated clock event's time "
        "confirms that the guard was there then.",
    )

    # --- presence during the shift ---------------------------------------------------
    exit_buffer_m: float = threshold(
        15.0,
        "A fix is beyond the fence when its distance minus its (capped) accuracy exceeds this: the margin for "
        "GPS error beyond what the phone reports. 15 m keeps a guard pacing the fence line in (the jitter test) "
        "and puts one pacing the far sidewalk, 20-30 m off, out.",
    )
    accuracy_tolerance_cap_m: float = threshold(
        20.0,
        "The most a fix's reported accuracy may excuse on top of the exit buffer. Phones outdoors report "
        "3-10 m and 10-20 m among buildings; a figure beyond 20 m is a Wi-Fi or cell estimate that must not "
        "hide a guard 45 m outside (worse than ping_max_accuracy_m is no signal at all).",
    )
    exit_dwell_min: float = threshold(
        3.0, "...and stays beyond the buffer this long (a lone fix back on site is noise, not a return)."
    )
    return_dwell_min: float = threshold(
        2.0,
        "Once out, a guard is back only when fixes whose circle reaches the fence span this long (two fixes at "
        "least; 5 at 30 s, 3 at 60 s): a fix or two snapping back onto the site mid-excursion do not end it. "
        "The return counts from the first such fix, so the dwell costs no credited time.",
    )
    signal_gap_min: float = threshold(10.0, "No usable fix this long is 'no signal', not 'outside'.")
    out_of_position_allowed_min: int = threshold(
        15, "Outside the fence longer than this during a shift is out of position."
    )
    inactivity_radius_m: float = threshold(15.0, "Fixes staying within this radius count as not moving.")
    inactivity_allowed_min: int = threshold(
        60, "Not moving longer than this during a patrol shift is inactivity (asleep in the car)."
    )
    missed_checkpoint_grace_min: int = threshold(
        15, "A tour checkpoint not scanned this long after it was due is missed."
    )

    # --- alerts ------------------------------------------------------------------------
    alert_escalation_min: int = threshold(
        10,
        "An unacknowledged critical alert (panic, critical flag) is e-mailed to the next manager in line after "
        "this long, and again each time it passes (at least 1). Without an override: the ALERT_ESCALATION_MINUTES "
        "setting.",
    )

    # --- the client portal: how a week is judged to the client ---------------------------
    client_on_target_pct: float = threshold(
        98.0,
        "A site's week in the client portal is 'on target' when its coverage (GPS-verified time on post over "
        "scheduled time) and its tour completion are both at least this many percent: a few minutes of a "
        "12-hour shift lost to GPS is not a failure of service.",
    )
    client_attention_pct: float = threshold(
        90.0,
        "Below the target but at least this many percent is 'attention' (an hour of a 12-hour shift); lower "
        "is 'below target'.",
    )

    # --- not a threshold: read with them, in the same query ----------------------------
    agency_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The company's own words for fire, police and EMS (`RuleSettings.agency_terms`), as (service, terms)."""

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(name, default, why) for every threshold: the admin help and the docs use it."""
        return [(f.name, f.default, f.metadata["why"]) for f in fields(cls) if "why" in f.metadata]

    def with_agency_terms(self, terms: object) -> Thresholds:
        """These thresholds with the company's agency words (a `{service: [terms]}` object; anything else: none)."""
        if not isinstance(terms, dict) or not terms:
            return self
        clean = tuple(
            (str(service), tuple(t for t in words if isinstance(t, str)))
            for service, words in terms.items()
            if isinstance(words, list)
        )
        return dataclasses.replace(self, agency_terms=clean)

    def with_overrides(self, overrides: dict[str, Any]) -> Thresholds:
        known = {f.name: f for f in fields(self) if "why" in f.metadata}
        clean: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"unknown threshold {name!r}")
            default: Any = known[name].default
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a non-negative number")
            clean[name] = type(default)(value)
        return dataclasses.replace(self, **clean)

    def presence_policy(self) -> PresencePolicy:
        """The presence timeline's hysteresis as these thresholds set it."""
        return PresencePolicy(
            max_accuracy_m=self.ping_max_accuracy_m,
            exit_buffer_m=self.exit_buffer_m,
            accuracy_cap_m=self.accuracy_tolerance_cap_m,
            exit_dwell=timedelta(minutes=self.exit_dwell_min),
            return_dwell=timedelta(minutes=self.return_dwell_min),
            signal_gap=timedelta(minutes=self.signal_gap_min),
        )


DEFAULTS = Thresholds()
