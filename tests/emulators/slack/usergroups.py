"""User groups (``@handle``, ``S…``): ``usergroups.list`` and ``usergroups.users.list``.

Both need ``usergroups:read``. ``usergroups.list`` leaves out disabled groups unless
``include_disabled``, and gives each group's ``users`` only with ``include_users`` and
``user_count`` only with ``include_count``. ``usergroups.users.list`` answers
``no_such_subteam`` for an unknown group, and for a disabled one without
``include_disabled``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .state import Usergroup

if TYPE_CHECKING:
    from .web_api import CallContext, Handler, WebApi


def usergroup_api(
    group: Usergroup, *, include_users: bool = False, include_count: bool = False
) -> dict[str, Any]:
    """A group as ``usergroups.list`` shows it."""
    data: dict[str, Any] = {
        "id": group.id,
        "team_id": group.team_id,
        "is_usergroup": True,
        "is_subteam": True,
        "name": group.name,
        "description": group.description,
        "handle": group.handle,
        "is_external": False,
        "date_create": group.date_create,
        "date_update": group.date_update,
        "date_delete": group.date_delete,
        "auto_type": None,
        "auto_provision": False,
        "enterprise_subteam_id": "",
        "created_by": group.created_by,
        "updated_by": group.created_by,
        "deleted_by": None,
        "prefs": {"channels": [], "groups": []},
    }
    if include_users:
        data["users"] = list(group.users)
    if include_count:
        data["user_count"] = len(group.users)
    return data


def usergroup_handlers(api: WebApi) -> dict[str, Handler]:
    from .web_api import ApiError, _flag, _str

    ws = api.ws

    def scope(ctx: CallContext) -> None:
        if ctx.token_kind == "bot":
            api._require_scope("usergroups:read")

    def usergroups_list(ctx: CallContext) -> dict[str, Any]:
        scope(ctx)
        include_disabled = _flag(ctx.params, "include_disabled")
        return {
            "usergroups": [
                usergroup_api(
                    group,
                    include_users=_flag(ctx.params, "include_users"),
                    include_count=_flag(ctx.params, "include_count"),
                )
                for group in ws.usergroups.values()
                if include_disabled or not group.disabled
            ]
        }

    def usergroups_users_list(ctx: CallContext) -> dict[str, Any]:
        scope(ctx)
        group = ws.usergroups.get(_str(ctx.params, "usergroup") or "")
        if group is None or (group.disabled and not _flag(ctx.params, "include_disabled")):
            raise ApiError("no_such_subteam")
        return {"users": list(group.users)}

    return {"usergroups.list": usergroups_list, "usergroups.users.list": usergroups_users_list}
