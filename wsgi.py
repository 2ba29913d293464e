"""The WSGI entry point: ``gunicorn wsgi:app``."""

from awareness import create_app

app = create_app()
