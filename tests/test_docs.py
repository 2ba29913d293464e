"""The reference in docs/ keeps up with the code: commands, options, settings and links."""

from __future__ import annotations

import re
from pathlib import Path

import click

from awareness import config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
#: The command groups that are Awareness's own (``db`` is Flask-Migrate's: only upgrade).
GROUPS = ("content", "people", "reminders", "audit", "demo")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_command_and_option_is_in_cli_md(app):
    text = (DOCS / "cli.md").read_text()
    missing = []
    for group in GROUPS:
        commands = app.cli.get_command(None, group)
        assert isinstance(commands, click.Group)
        for name, command in commands.commands.items():
            if f"## {group} {name}\n" not in text:
                missing.append(f"{group} {name}: no section")
            missing += [
                f"{group} {name} {option}"
                for param in command.params
                if isinstance(param, click.Option)
                for option in param.opts
                if option.startswith("--") and option not in text
            ]
    assert "## db upgrade\n" in text
    assert not missing, missing


def test_every_environment_variable_is_in_configuration_md():
    read = set(config.ENVIRONMENT) | set(
        re.findall(r'"(AWARENESS_[A-Z_]+)"', Path(config.__file__).read_text())
    )
    text = (DOCS / "configuration.md").read_text()
    assert {"DATABASE_URL", "AWARENESS_TRUSTED_PROXIES", "AWARENESS_SECURE_COOKIES"} <= read
    assert [name for name in sorted(read) if f"`{name}`" not in text] == []


def test_links_between_pages_reach_a_file_and_a_heading():
    broken = []
    for page in PAGES:
        for target in LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and anchor not in anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, broken


def anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown page's headings."""
    if page.suffix != ".md":
        return set()
    headings = re.findall(r"^#+ (.+)$", page.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}
