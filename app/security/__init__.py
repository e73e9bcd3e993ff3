"""Accounts, roles, the password rule and HTTP security defaults."""
