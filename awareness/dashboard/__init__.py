"""Coverage dashboards for HR and managers: pages (:mod:`.routes`) and CSV (:mod:`.downloads`)."""

from awareness.dashboard import downloads
from awareness.dashboard.routes import bp

__all__ = ["bp", "downloads"]
