"""Administration in the browser (``/admin/...``): people, imports, content status, the audit log.

Each page lives in its own module and adds its routes to :data:`bp`; who may
open what is decided in :mod:`.access`. Views parse input, call the domain
packages (the same ones the CLI calls) and commit once.
"""

from awareness.admin import audit, content, imports, people  # noqa: F401 - they add their routes to bp
from awareness.admin.access import bp

__all__ = ["bp"]
