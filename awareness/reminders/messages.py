"""The reminder and digest emails, rendered from what their records list."""

from __future__ import annotations

from datetime import date
from email.message import Message
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from awareness.mail import links
from awareness.mail.compose import Recipient, compose
from awareness.reminders.series import Planned


def reminder(message_id: int, plan: Planned, every_days: int) -> Message:
    details = plan.details
    modules = [
        {
            **module,
            "due": date.fromisoformat(module["due"]) if module["due"] else None,
            "url": links.link("learn.module", slug=module["slug"]),
        }
        for module in details["modules"]
    ]
    overdue = sum(module["overdue"] for module in modules)

    def subject() -> str:
        if overdue:
            return str(
                ngettext(
                    "%(num)d training module is overdue",
                    "%(num)d training modules are overdue",
                    overdue,
                )
            )
        return str(
            ngettext(
                "%(num)d training module is due soon",
                "%(num)d training modules are due soon",
                len(modules),
            )
        )

    return compose(
        "reminder",
        Recipient(plan.to_address, details["name"], plan.language),
        subject,
        key=f"reminder-{message_id}",
        name=details["name"],
        modules=modules,
        overdue=overdue,
        has_password=details.get("has_password", True),
        home_url=links.link("learn.index"),
        forgot_url=links.link("auth.forgot_password"),
        every_days=every_days,
    )


def digest(message_id: int, plan: Planned) -> Message:
    details: dict[str, Any] = plan.details
    shown = len(details["overdue_people"])
    return compose(
        "digest",
        Recipient(plan.to_address, details["name"], plan.language),
        lambda: _("Weekly training summary: %(department)s", department=details["root"]),
        key=f"digest-{message_id}",
        name=details["name"],
        root=details["root"],
        departments=details["departments"],
        total=details["total"],
        overdue_people=details["overdue_people"],
        more=max(0, details["overdue_people_total"] - shown),
        dashboard_url=links.link("dashboard.overview"),
        settings_url=links.link("auth.settings"),
    )
