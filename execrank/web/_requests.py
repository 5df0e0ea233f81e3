"""The bodies the API's writes accept (they also document the API in /openapi.json).

Event and signal fields are text, as in an import file, and are checked by the same rules."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_id: str
    event_type: str = Field(examples=["meeting"])
    occurred_at: str = Field(examples=["2026-11-30T10:00:00"])
    event_id: str | None = None
    asset: str | None = None
    source: str | None = None


class SignalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(examples=["news"])
    occurred_at: str = Field(examples=["2026-11-30"])
    contact_id: str | None = None
    company_id: str | None = None
    signal_id: str | None = None
    url: str | None = None
    title: str | None = None
    text: str | None = None
    source: str | None = None


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: float = Field(description="+ raises the contact's intent, - lowers it")
    reason: str
    expires_at: datetime | None = Field(None, description="when it stops counting")


class RescoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: datetime | None = Field(None, description="score as of this time (default: now)")
