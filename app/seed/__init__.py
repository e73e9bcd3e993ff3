"""Idempotent seed data: roles, the permit catalogue and the demo accounts."""
