"""Domain services: units of work that views, API endpoints and commands call."""
