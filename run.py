"""Entry point for `flask` (FLASK_APP=run.py). Production: gunicorn 'app:create_app()'."""

from app import create_app

app = create_app()
