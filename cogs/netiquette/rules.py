"""A community's own rules and category choices, and the one Checker built from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.core.errors import UserFacingError
from bot.core.model import Community
from bot.core.per_community import REFRESH_SECONDS, PerCommunity
from bot.storage.database import Database
from cogs.netiquette.engine import (
    Checker,
    CheckerConfig,
    CustomRule,
    InvalidPattern,
    RuleKind,
    Severity,
    validate_regex,
)
from cogs.netiquette.models import NetiquetteCategory, NetiquetteRule

MAX_RULES = 200
MAX_PATTERN = 200
MAX_WORD = 60
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True, slots=True)
class RuleView:
    id: int
    kind: str
    pattern: str
    severity: str


def clean_domain(text: str) -> str:
    """`https://www.Example.com/x` → `example.com`; refused unless it is a domain."""
    cleaned = text.strip().lower()
    cleaned = re.sub(r"^[a-z][a-z0-9+.-]*://", "", cleaned).split("/", 1)[0]
    cleaned = cleaned.removeprefix("www.").rstrip(".")
    if not _DOMAIN.match(cleaned):
        raise UserFacingError("netiquette.rules.bad_domain", value=text.strip()[:80])
    return cleaned


def clean_pattern(kind: RuleKind, text: str) -> str:
    pattern = text.strip()
    if not pattern:
        raise UserFacingError("netiquette.rules.empty")
    if kind in (RuleKind.DENY_DOMAIN, RuleKind.ALLOW_DOMAIN):
        return clean_domain(pattern)
    if kind is RuleKind.REGEX:
        if len(pattern) > MAX_PATTERN:
            raise UserFacingError("netiquette.rules.too_long", limit=MAX_PATTERN)
        try:
            validate_regex(pattern)
        except InvalidPattern as error:
            raise UserFacingError("netiquette.rules.bad_regex", reason=error.reason) from None
        return pattern
    if len(pattern) > MAX_WORD:
        raise UserFacingError("netiquette.rules.too_long", limit=MAX_WORD)
    return pattern


class RuleStore:
    """Rules live in tables; the Checker of each community is cached and rebuilt whenever
    a rule or a category of that community changes."""

    def __init__(self, db: Database, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.db = db
        self._checkers = PerCommunity(self._build, refresh_seconds)

    async def checker(self, community: Community) -> Checker:
        """The community's Checker; rebuilt at once after a change made here, and within
        `refresh_seconds` after one made by another process (only when the rules really
        changed: a rebuild compiles the community's own words)."""
        return await self._checkers.get(community)

    async def _build(self, community: Community) -> Checker:
        config = await self.config(community)
        built = self._checkers.last(community)
        if built is None:
            return Checker(config)
        # The flood and repeat memory carries over: a change of rules is no fresh start.
        return built if built.config == config else Checker(config, windows=built.windows)

    def forget(self, community: Community) -> None:
        self._checkers.forget(community)

    async def config(self, community: Community) -> CheckerConfig:
        rules = await self.own(community)
        severities: dict[str, Severity] = {}
        disabled: set[str] = set()
        for category, severity, enabled in await self.categories(community):
            if not enabled:
                disabled.add(category)
            elif severity:
                severities[category] = Severity(severity)
        custom = tuple(
            CustomRule(rule.id, RuleKind(rule.kind), rule.pattern, Severity(rule.severity))
            for rule in rules
        )
        return CheckerConfig(custom=custom, severities=severities, disabled=frozenset(disabled))

    async def own(self, community: Community) -> list[RuleView]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(NetiquetteRule)
                .where(
                    NetiquetteRule.platform == community.platform,
                    NetiquetteRule.community_id == community.id,
                )
                .order_by(NetiquetteRule.id)
            )
            return [RuleView(row.id, row.kind, row.pattern, row.severity) for row in rows.all()]

    async def add(
        self,
        community: Community,
        kind: RuleKind,
        pattern: str,
        severity: Severity,
        author_id: str,
        now: datetime,
    ) -> int:
        cleaned = clean_pattern(kind, pattern)
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(NetiquetteRule)
                .where(
                    NetiquetteRule.platform == community.platform,
                    NetiquetteRule.community_id == community.id,
                )
            )
            if int(count or 0) >= MAX_RULES:
                raise UserFacingError("netiquette.rules.too_many", limit=MAX_RULES)
            same = await session.scalar(
                select(NetiquetteRule.id).where(
                    NetiquetteRule.platform == community.platform,
                    NetiquetteRule.community_id == community.id,
                    NetiquetteRule.kind == kind.value,
                    func.lower(NetiquetteRule.pattern) == cleaned.lower(),
                )
            )
            if same is not None:
                raise UserFacingError("netiquette.rules.exists", id=same)
            row = NetiquetteRule(
                platform=community.platform,
                community_id=community.id,
                kind=kind.value,
                pattern=cleaned,
                severity=severity.value,
                created_by=author_id,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            rule_id = row.id
        self.forget(community)
        return rule_id

    async def remove(self, community: Community, rule_id: int) -> RuleView | None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(NetiquetteRule).where(
                    NetiquetteRule.id == rule_id,
                    NetiquetteRule.platform == community.platform,
                    NetiquetteRule.community_id == community.id,
                )
            )
            if row is None:
                return None
            view = RuleView(row.id, row.kind, row.pattern, row.severity)
            await session.execute(delete(NetiquetteRule).where(NetiquetteRule.id == rule_id))
        self.forget(community)
        return view

    async def categories(self, community: Community) -> list[tuple[str, str | None, bool]]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    NetiquetteCategory.category,
                    NetiquetteCategory.severity,
                    NetiquetteCategory.enabled,
                ).where(
                    NetiquetteCategory.platform == community.platform,
                    NetiquetteCategory.community_id == community.id,
                )
            )
            return list(rows.tuples())

    async def set_category(
        self,
        community: Community,
        category: str,
        *,
        enabled: bool | None = None,
        severity: Severity | None = None,
    ) -> None:
        for attempt in range(2):
            try:
                async with self.db.session() as session:
                    row = await session.scalar(
                        select(NetiquetteCategory).where(
                            NetiquetteCategory.platform == community.platform,
                            NetiquetteCategory.community_id == community.id,
                            NetiquetteCategory.category == category,
                        )
                    )
                    if row is None:
                        row = NetiquetteCategory(
                            platform=community.platform,
                            community_id=community.id,
                            category=category,
                            enabled=True,
                        )
                        session.add(row)
                    if enabled is not None:
                        row.enabled = enabled
                    if severity is not None:
                        row.severity = severity.value
                break
            except IntegrityError:
                if attempt:
                    raise
        self.forget(community)
