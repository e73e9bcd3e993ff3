"""Backups that restore: `flask siap backup`, `flask siap restore`, `flask siap
prune-backups` (README, Operations → Backups)."""
