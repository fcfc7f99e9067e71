"""Sign in with Slack: OpenID Connect's authorization-code flow (`openid profile`). The
user info names the workspace and the member; the role is still asked of the bot."""

from __future__ import annotations

from bot.web.auth.provider import Identity, ProviderError, SignIn, get_json, post_form
from bot.web.state import Dashboard

SCOPES = "openid profile"
USER_ID = "https://slack.com/user_id"
TEAM_ID = "https://slack.com/team_id"


class SlackSignIn(SignIn):
    platform = "slack"

    def configured(self, dashboard: Dashboard) -> bool:
        settings = dashboard.settings
        return bool(settings.slack_client_id and settings.slack_client_secret)

    def authorize(self, dashboard: Dashboard) -> tuple[str, dict[str, str]]:
        settings = dashboard.settings
        return f"{settings.slack_oidc_url.rstrip('/')}/openid/connect/authorize", {
            "response_type": "code",
            "client_id": settings.slack_client_id,
            "scope": SCOPES,
            "redirect_uri": dashboard.url(self.callback_path),
        }

    async def identify(self, dashboard: Dashboard, code: str) -> Identity:
        settings = dashboard.settings
        api = f"{settings.slack_oidc_url.rstrip('/')}/api"
        secret = settings.slack_client_secret
        assert secret is not None
        token = await post_form(
            f"{api}/openid.connect.token",
            {
                "client_id": settings.slack_client_id,
                "client_secret": secret.get_secret_value(),
                "code": code,
                "redirect_uri": dashboard.url(self.callback_path),
            },
        )
        if not token.get("ok"):
            raise ProviderError(str(token.get("error")))
        info = await get_json(f"{api}/openid.connect.userInfo", str(token["access_token"]))
        if not info.get("ok"):
            raise ProviderError(str(info.get("error")))
        member_id, team_id = str(info[USER_ID]), str(info[TEAM_ID])
        return member_id, str(info.get("name") or member_id), (team_id,)


SIGN_IN = SlackSignIn()
configured = SIGN_IN.configured
setup = SIGN_IN.setup
