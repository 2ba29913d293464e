"""Live sessions: planning, audience and capacity rules, registration, attendance, calendars.

Plain domain modules, tested without HTTP; the pages are in :mod:`awareness.sessions`
and the JSON API in :mod:`awareness.api.live`. Functions here flush at most: the
caller commits. Messages are translated with Flask-Babel (they reach people).
"""
