"""Coverage dashboards for HR and managers."""

from awareness.dashboard.routes import bp

__all__ = ["bp"]
