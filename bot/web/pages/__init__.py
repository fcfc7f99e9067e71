"""The dashboard's pages, one module each; see bot/web/__init__.py for adding one."""
