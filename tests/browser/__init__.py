"""Browser tests: the built site in Debian's chromium, served on 127.0.0.1."""
