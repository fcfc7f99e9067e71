"""The console: a terminal (or a script) in which the user plays every member."""
