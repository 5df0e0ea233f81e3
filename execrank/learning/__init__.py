"""The learning loop: outcomes (won and lost deals), score trajectories, the monthly review,
calibrated weights with a backtest."""

from execrank.learning._calibration import (
    CROSS_VALIDATION_FOLDS,
    HOLDOUT_SHARE,
    MIN_OUTCOMES_PER_CLASS,
    MIN_SIGNAL_AUC,
    REGULARISATION_GRID,
    Calibration,
    Difference,
    Knob,
    Measured,
    apply_knobs,
    calibrate,
)
from execrank.learning._metrics import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    Interval,
    Rate,
)
from execrank.learning._outcomes import Deal, Judged, closed_deals, deals, outcome
from execrank.learning._report import backtest_path, write_backtest
from execrank.learning._report import write as write_review
from execrank.learning._review import Adjusted, Point, Review, month_bounds, review
from execrank.learning._sources import SOURCES, Planned, prepare

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "CONFIDENCE",
    "CROSS_VALIDATION_FOLDS",
    "HOLDOUT_SHARE",
    "MIN_OUTCOMES_PER_CLASS",
    "MIN_SIGNAL_AUC",
    "REGULARISATION_GRID",
    "SOURCES",
    "Adjusted",
    "Calibration",
    "Deal",
    "Difference",
    "Interval",
    "Judged",
    "Knob",
    "Measured",
    "Planned",
    "Point",
    "Rate",
    "Review",
    "apply_knobs",
    "backtest_path",
    "calibrate",
    "closed_deals",
    "deals",
    "month_bounds",
    "outcome",
    "prepare",
    "review",
    "write_backtest",
    "write_review",
]
