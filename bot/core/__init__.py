"""The platform-neutral core: events, cogs, commands, cards, permissions, i18n, scheduling."""
