"""Administration in the browser (``/admin/...``): people, imports, content status, the audit log.

Each page lives in its own module and adds its routes to :data:`bp`; who may
open what is decided in :mod:`.access`. Views parse input, call the domain
packages (the same ones the CLI calls) and commit once.
"""

from awareness.admin import people  # noqa: F401 - its routes join bp
from awareness.admin.access import bp

__all__ = ["bp"]
