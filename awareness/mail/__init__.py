"""Email: composing messages from templates, sending them, and the record of each.

- :mod:`.settings`: the configuration (docs/configuration.md), checked at start.
- :mod:`.links`: absolute links that start with ``AWARENESS_BASE_URL``.
- :mod:`.compose`: a message's text and HTML parts in the person's language.
- :mod:`.transport`: SMTP (STARTTLS, implicit TLS or none), or ``.eml`` files in
  ``instance/outbox/`` when no SMTP host is configured.
- :mod:`.outbox`: the ``email_message`` records: claim, send, record the outcome.
- :mod:`.later`: sending once a response has gone, so nobody waits for the server.
"""
