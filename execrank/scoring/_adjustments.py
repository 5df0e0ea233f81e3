"""Manual adjustments: a sales person's raise or cut of a contact's intent, with a reason and
an expiry, counted as contributions of the intent dimension.

An adjustment counts while `created_at <= as_of < expires_at` (no expiry: from `created_at` on)
and once it was ingested by `known_at`, like every other fact. Its points are intent points:
weighted by the intent weight and summed with the topic matches *inside* the intent cap and
floor, so an adjustment cannot lift intent above its cap nor below zero (a cut only cancels
intent the contact earned).
"""

from __future__ import annotations

from datetime import datetime

from execrank.model import ScoringModel
from execrank.scoring._sql import Scope, number, timestamp

ADJUSTED_DIMENSION = "intent"
ADJUSTMENT_RULE = "manual adjustment"


def adjustment_points(
    model: ScoringModel, as_of: datetime, known_at: datetime, scope: Scope
) -> str:
    at = timestamp(as_of)
    return f"""
    SELECT contact_id, dimension, '{ADJUSTMENT_RULE}' AS rule,
      points * {number(model.weights.intent)} AS points,
      reason || ' (by ' || actor || ', until '
        || coalesce(strftime(expires_at, '%Y-%m-%d'), 'withdrawn') || ')' AS evidence
    FROM {scope.table("adjustments")}
    WHERE dimension = '{ADJUSTED_DIMENSION}' AND created_at <= {at}
      AND (expires_at IS NULL OR {at} < expires_at) AND ingested_at <= {timestamp(known_at)}"""
