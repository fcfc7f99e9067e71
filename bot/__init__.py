"""Ponte: the community manager's bot for Discord and Slack."""

__version__ = "0.1.0"
