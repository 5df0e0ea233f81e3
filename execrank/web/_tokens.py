"""API tokens: who a request acts for, and what each role may do.

A token is shown once when created; the store keeps only its SHA-256 hash (tokens are 256 random
bits, so a plain hash is enough: there is nothing to guess that a slow hash would protect).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from execrank.errors import ExecrankError
from execrank.store import Store

TOKEN_BYTES = 32  # 256 random bits


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    rep = "rep"


class AccessError(ExecrankError):
    """A request has no valid token (401) or its role may not do what it asks (403)."""

    def __init__(self, message: str, *, authenticated: bool) -> None:
        super().__init__(message)
        self.authenticated = authenticated


@dataclass(frozen=True)
class Viewer:
    """The person a request acts for: a token's role and owner name."""

    role: Role
    owner: str

    @property
    def sees_only(self) -> str | None:
        """The owner whose contacts this viewer may see, or None for all contacts."""
        return self.owner if self.role is Role.rep else None

    def may_see(self, contact_owner: str | None) -> bool:
        return self.sees_only is None or contact_owner == self.sees_only

    def require_manager(self, action: str) -> None:
        """Refuse `action` unless this viewer is a manager or an admin."""
        if self.role is Role.rep:
            raise AccessError(
                f"a rep may not {action}; use a manager or admin token", authenticated=True
            )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(store: Store, role: Role, owner: str, *, now: datetime) -> str:
    """Store a new token for `owner` with `role`; return the token (it is not stored)."""
    if not owner.strip():
        raise ExecrankError("a token needs an owner name (--owner), e.g. --owner li.wei")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store.save_token(_hash(token), role.value, owner.strip(), now)
    return token


def authenticate(store: Store, token: str | None) -> Viewer:
    """The viewer a token stands for; AccessError when it is missing or unknown."""
    if not token:
        raise AccessError(
            "no token: log in, or send `Authorization: Bearer TOKEN`", authenticated=False
        )
    found = store.token(_hash(token))
    if found is None:
        raise AccessError(
            "unknown token; create one with `execrank token create`", authenticated=False
        )
    role, owner = found
    return Viewer(Role(role), owner)
