"""Documentation cannot drift from the code: every code and every command is documented."""

from __future__ import annotations

import re

from goalkeeper.cli.group import main
from goalkeeper.constants import CODES

from .conftest import ROOT


def test_every_diagnostic_code_is_documented_with_its_severity() -> None:
    doc = (ROOT / "docs" / "diagnostics.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", doc, re.M))
    assert rows == {code: str(c.severity) for code, c in CODES.items()}


def test_every_command_is_in_the_readme_and_the_lazy_table() -> None:
    import importlib

    from goalkeeper.cli import COMMANDS

    for module in set(COMMANDS.values()):
        importlib.import_module(f"goalkeeper.cli.{module}")
    assert set(main.commands) == set(COMMANDS)  # every defined command is reachable
    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert f"goalkeeper {name}" in readme, f"README does not show `goalkeeper {name}`"


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "python3 tasks.py demo" in readme and "python3 tasks.py test" in readme
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()
