"""Live sessions in the browser: ``/sessions/`` for everyone, ``/dashboard/sessions/`` for figures.

Not to be confused with :mod:`awareness.auth.sessions` (sign-in sessions).
"""

from awareness.sessions import attendance, organise
from awareness.sessions.dashboard import report_bp
from awareness.sessions.routes import bp

__all__ = ["attendance", "bp", "organise", "report_bp"]
