"""The web dashboard: community managers' pages over the same services as the bot.

`create_web_app(app)` (bot/web/dashboard.py) builds an aiohttp application over a
running `bot.app.App`; `bot/web/serve.py` serves it beside the platforms. Every request
passes the middleware in bot/web/security.py, which loads the signed session cookie,
refuses a POST whose `csrf` field does not match the session's token, and adds the
security headers.

Adding a page:

1. Write `bot/web/pages/<page>.py` with `setup(router: web.UrlDispatcher) -> None`, and
   add the module to `PAGES` in bot/web/dashboard.py. A community's pages live under
   `/c/{platform}/{community}/<page>`.
2. Decorate each handler with `@page(Role.X)` from bot/web/access.py. It checks, on every
   request, that someone is signed in and holds the role in the community named in the
   URL, asking the community's own platform (`resolve_member`); it answers 403 otherwise.
   The handler receives a `Visit`: the community, the member with their roles, the
   language, `visit.t(key)` and `visit.render(template, **values)`.
3. Change state only through the cog's own code. Where it wants a `Context` (the review
   queue's decisions), `visit.context(WebInteraction())` gives one; what the cog answers
   is collected in the interaction, and `visit.done(page, *interaction.replies)` shows it
   as the page's notices after the redirect. A form that sets a cog's options runs the
   cog's own command with `run_command(visit, ("digest", "settings"), form)` from
   bot/web/commands.py: the same options, checks, role and handler as in the chat. A
   `UserFacingError` a cog raises becomes 403 (a role), 404 (a row of another community)
   or a notice on the page (bad input), in `refused` in bot/web/access.py.
4. Write `bot/web/templates/<page>.html` extending `base.html`. Every form is
   `method="post"` and carries `{{ csrf_field() }}`. Autoescaping is on: never mark a
   member's text `|safe`. Every string comes from the catalogs through `t("web.…")`
   (bot/locale/*/LC_MESSAGES/web.po, Italian and English).
5. Link the page from the community menu (`MENU` in bot/web/access.py) with the role it
   needs, so members see only what they may open.
"""
