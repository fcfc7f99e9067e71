"""Ways to sign in: a one-time link printed on the console, Discord OAuth2, Slack OIDC."""
