"""Reminders of training due or overdue, and managers' weekly digests (``reminders send``).

- :mod:`.due`: who is reminded, and of what, in SQL over the ``assignment`` summary.
- :mod:`.digests`: who gets a digest, and what it shows (never anyone outside
  the manager's departments).
- :mod:`.series`: the record of each message (``email_message``): at most one
  every so many days per person, the same message planned twice is one row.
- :mod:`.sessions`: the live session emails (confirmation, reminder the day
  before, change, cancellation), sent after a request commits or by a run.
- :mod:`.run`: a run: plan a batch of people, claim, send, record; repeat.
"""
