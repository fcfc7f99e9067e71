"""Log in with Discord: OAuth2's authorization-code flow, scopes `identify` and `guilds`.
The guilds tell which servers to look at; the role in each is still asked of the bot."""

from __future__ import annotations

from bot.web.access import known_among
from bot.web.auth.provider import Identity, SignIn, basic_auth, get_json, post_form
from bot.web.state import Dashboard

SCOPES = "identify guilds"


class DiscordSignIn(SignIn):
    platform = "discord"

    def configured(self, dashboard: Dashboard) -> bool:
        settings = dashboard.settings
        return bool(settings.discord_client_id and settings.discord_client_secret)

    def authorize(self, dashboard: Dashboard) -> tuple[str, dict[str, str]]:
        settings = dashboard.settings
        return f"{settings.discord_oauth_url.rstrip('/')}/oauth2/authorize", {
            "response_type": "code",
            "client_id": settings.discord_client_id,
            "scope": SCOPES,
            "redirect_uri": dashboard.url(self.callback_path),
            "prompt": "none",
        }

    async def identify(self, dashboard: Dashboard, code: str) -> Identity:
        settings = dashboard.settings
        api = f"{settings.discord_oauth_url.rstrip('/')}/api"
        secret = settings.discord_client_secret
        assert secret is not None
        token = await post_form(
            f"{api}/oauth2/token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": dashboard.url(self.callback_path),
            },
            headers=basic_auth(settings.discord_client_id, secret.get_secret_value()),
        )
        access = str(token["access_token"])
        user = await get_json(f"{api}/users/@me", access)
        guilds = await get_json(f"{api}/users/@me/guilds", access)
        member_id = str(user["id"])
        name = str(user.get("global_name") or user.get("username") or member_id)
        listed = tuple(str(guild["id"]) for guild in guilds)
        return member_id, name, await known_among(dashboard.services, "discord", listed)


SIGN_IN = DiscordSignIn()
configured = SIGN_IN.configured
setup = SIGN_IN.setup
