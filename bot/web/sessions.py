"""Sessions in a signed cookie: who is signed in, their CSRF token, a notice or two."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from itsdangerous import BadSignature, URLSafeTimedSerializer

log = logging.getLogger(__name__)
COOKIE = "ponte_session"
MAX_AGE_SECONDS = 12 * 3600
MAX_NOTICES = 3
MAX_NOTICE = 400


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class Session:
    csrf: str = field(default_factory=new_token)
    platform: str | None = None
    member_id: str | None = None
    name: str = ""
    # The communities the provider said the member belongs to (Discord's guilds); None:
    # every community of the platform, each still checked for the member's role.
    communities: tuple[str, ...] | None = None
    notices: list[str] = field(default_factory=list)
    # The `state` of a sign-in sent to a provider, checked when the provider sends it back.
    state: str | None = None
    changed: bool = False

    @property
    def signed_in(self) -> bool:
        return self.platform is not None and self.member_id is not None

    def notice(self, text: str) -> None:
        self.notices = [*self.notices, text[:MAX_NOTICE]][-MAX_NOTICES:]
        self.changed = True

    def take_notices(self) -> list[str]:
        taken, self.notices = self.notices, []
        if taken:
            self.changed = True
        return taken

    def to_json(self) -> dict[str, Any]:
        return {
            "c": self.csrf,
            "p": self.platform,
            "m": self.member_id,
            "n": self.name,
            "g": list(self.communities) if self.communities is not None else None,
            "f": self.notices,
            "s": self.state,
        }

    @classmethod
    def from_json(cls, data: Any) -> Session | None:
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        groups = data.get("g")
        return cls(
            csrf=data["c"],
            platform=data.get("p") if isinstance(data.get("p"), str) else None,
            member_id=data.get("m") if isinstance(data.get("m"), str) else None,
            name=str(data.get("n") or ""),
            communities=tuple(str(g) for g in groups) if isinstance(groups, list) else None,
            notices=[str(text) for text in data.get("f") or []][:MAX_NOTICES],
            state=data.get("s") if isinstance(data.get("s"), str) else None,
        )


def signed_in_as(
    platform: str, member_id: str, name: str, communities: tuple[str, ...] | None
) -> Session:
    """A new session for a sign-in: a new CSRF token too, so nothing from before carries."""
    log.info("dashboard sign-in", extra={"platform": platform, "member": member_id})
    return Session(
        platform=platform, member_id=member_id, name=name, communities=communities, changed=True
    )


SESSION = web.RequestKey("session", Session)


class SessionCodec:
    def __init__(self, secret: str, *, secure: bool) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="ponte-dashboard-session")
        self.secure = secure

    def load(self, request: web.Request) -> Session:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                found = Session.from_json(self._serializer.loads(raw, max_age=MAX_AGE_SECONDS))
            except BadSignature:
                found = None
            if found is not None:
                return found
        return Session(changed=True)

    def store(self, response: web.StreamResponse, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self._serializer.dumps(session.to_json()),
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=self.secure,
            path="/",
        )
