"""The writes the API offers, each checked against the viewer's role and attributed to the
token's owner, then handed to the service: post an event or a signal, adjust a contact's
intent, rescore everyone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from execrank import service
from execrank.model import ScoringModel
from execrank.store import Store
from execrank.web._tokens import Viewer
from execrank.web._views import visible_owner


def post_event(
    store: Store, viewer: Viewer, fields: dict[str, Any], *, now: datetime
) -> tuple[service.LiveScore, list[str]]:
    """Store one event and rescore its contact at once (managers and admins); its score and
    warnings (see service.post_event)."""
    viewer.require_manager("post events")
    return service.post_event(store, fields, actor=viewer.owner, now=now)


def post_signal(
    store: Store, viewer: Viewer, fields: dict[str, Any], *, now: datetime
) -> list[service.LiveScore]:
    """Store one signal and rescore the contacts it concerns at once (managers and admins)."""
    viewer.require_manager("post signals")
    return service.post_signal(store, fields, actor=viewer.owner, now=now)


def adjust(
    store: Store,
    viewer: Viewer,
    contact_id: str,
    *,
    points: float,
    reason: str,
    expires_at: datetime | None,
    now: datetime,
) -> tuple[service.Adjustment, service.LiveScore]:
    """Raise or lower a contact's intent until `expires_at`: a rep on own contacts only."""
    visible_owner(store, viewer, contact_id)
    return service.adjust(
        store,
        contact_id,
        points=points,
        reason=reason,
        expires_at=expires_at,
        actor=viewer.owner,
        now=now,
    )


def rescore(
    store: Store, viewer: Viewer, model: ScoringModel, *, as_of: datetime | None, now: datetime
) -> service.Snapshot:
    """A full rescore as of `as_of` (default: now), refused while another runs (managers and
    admins); the snapshot records who asked for it."""
    viewer.require_manager("trigger a rescore")
    snapshot = service.rescore(store, model, as_of=as_of or now, now=now)
    store.set_snapshot_starter(snapshot.snapshot_id, viewer.owner)
    return snapshot
