"""Welcome templates, rendered safely: only known placeholders, no attributes, no code."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS = ("member", "name", "community", "count")
_PLACEHOLDER = re.compile(r"\{(\w{1,20})\}")


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Replace `{member}`, `{name}`, `{community}`, `{count}`; leave everything else as typed."""

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        return values[key] if key in PLACEHOLDERS and key in values else match.group(0)

    return _PLACEHOLDER.sub(substitute, template)
