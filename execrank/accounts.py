"""The account view: per company, the executives we know, the buying committee's coverage, an
account score and tier, and hints about the executives missing.

From the latest snapshot and the model it was scored with (`accounts` section):
- score: the sum of the company's best contact totals times `contact_weights` (best first), so
  a second and third engaged executive raise an account, but less than the first;
- tier: the best tier among its contacts (A > B > C > -);
- seats: each seat of `accounts.seats` is filled by the company's best-scored contact whose title
  is one of the seat's seniorities x functions, or who states one of its buying roles on an
  opportunity; a title with one of the model's `role.zero_point_flags` (former, assistant: they
  earn no role points) fills no seat by its title, nor one without the flag the seat's
  `only_with_flag` asks of its seniority (the economic buyer's board seat: chair or
  chief_executive); the seat is
  engaged when that contact's engagement is at least `engaged_min`;
- hints: a seat nobody fills ("missing"), or one filled by a contact not engaged yet.
`build` is pure; `accounts` reads the store.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from execrank.model import TIER_NAMES, UNRANKED_TIER, Accounts, Seat
from execrank.service import JSON_DECIMALS, latest_snapshot, snapshot_model
from execrank.store import Store


@dataclass(frozen=True)
class Member:
    """A contact of the account as the snapshot scored it."""

    contact_id: str
    name: str | None
    title: str | None
    seniority: str | None
    function: str | None
    flags: list[str]  # the title's flags (former, acting, assistant, founder)
    tier: str
    total: float
    engagement: float
    buying_roles: list[str]


@dataclass(frozen=True)
class SeatStatus:
    seat: str
    contact_id: str | None  # who fills it (None: nobody known)
    name: str | None
    engaged: bool


@dataclass(frozen=True)
class Account:
    company_id: str
    name: str | None
    score: float
    tier: str
    members: list[Member]  # best total first
    seats: list[SeatStatus]
    hints: list[str]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = round(self.score, JSON_DECIMALS)
        for member in data["members"]:
            member["total"] = round(member["total"], JSON_DECIMALS)
            member["engagement"] = round(member["engagement"], JSON_DECIMALS)
        return data


def _fills(seat: Seat, member: Member, no_seat_flags: frozenset[str]) -> bool:
    stated = {" ".join(role.split()).casefold() for role in member.buying_roles}
    wanted = {" ".join(role.split()).casefold() for role in seat.buying_roles}
    needed = next((f for s, f in seat.only_with_flag.items() if s == member.seniority), None)
    by_title = (
        member.seniority in seat.seniorities
        and member.function in seat.functions
        and no_seat_flags.isdisjoint(member.flags)
        and (needed is None or not set(needed).isdisjoint(member.flags))
    )
    return by_title or bool(stated & wanted)


def _seat(
    seat: Seat, members: list[Member], engaged_min: float, no_seat_flags: frozenset[str]
) -> SeatStatus:
    filler = next((m for m in members if _fills(seat, m, no_seat_flags)), None)
    if filler is None:
        return SeatStatus(seat.name, None, None, engaged=False)
    return SeatStatus(seat.name, filler.contact_id, filler.name, filler.engagement >= engaged_min)


def _hint(seat: Seat, status: SeatStatus, company: str) -> str | None:
    if status.contact_id is None:
        wanted = " or ".join(f"{s} {f}" for s in seat.seniorities for f in seat.functions)
        return f"missing {seat.name} at {company}: no {wanted} known; find one and add them"
    if not status.engaged:
        who = status.name or status.contact_id
        return f"{seat.name} {who} is known but not engaged: invite them to a briefing"
    return None


def _best_tier(members: list[Member]) -> str:
    tiers = {m.tier for m in members}
    return next((t for t in TIER_NAMES if t in tiers), UNRANKED_TIER)


def build(
    settings: Accounts,
    company_id: str,
    name: str | None,
    members: list[Member],
    no_seat_flags: frozenset[str] = frozenset(),
) -> Account:
    """One account from its members (any order); titles with one of `no_seat_flags` fill no
    seat by their title."""
    ordered = sorted(members, key=lambda m: (-m.total, m.contact_id))
    score = sum(w * m.total for w, m in zip(settings.contact_weights, ordered, strict=False))
    seats = [_seat(seat, ordered, settings.engaged_min, no_seat_flags) for seat in settings.seats]
    hints = [
        hint
        for seat, status in zip(settings.seats, seats, strict=True)
        if (hint := _hint(seat, status, name or company_id)) is not None
    ]
    return Account(company_id, name, score, _best_tier(ordered), ordered, seats, hints)


def accounts(store: Store, *, top: int | None = None) -> list[Account]:
    """Every company with contacts in the latest snapshot, best account score first."""
    snapshot = latest_snapshot(store)
    model = snapshot_model(store, snapshot)
    settings = model.accounts
    if settings is None:
        return []
    no_seat_flags = frozenset(model.role.zero_point_flags)
    grouped: dict[tuple[str, str | None], list[Member]] = {}
    for company_id, company, *fields in store.account_members(snapshot.snapshot_id):
        grouped.setdefault((company_id, company), []).append(Member(*fields))
    found = [
        build(settings, key[0], key[1], members, no_seat_flags) for key, members in grouped.items()
    ]
    found.sort(key=lambda a: (-a.score, a.company_id))
    return found[:top] if top is not None else found
