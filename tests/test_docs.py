"""The README's CLI reference must name every command and option the CLI has, and no others."""

from __future__ import annotations

import re
from pathlib import Path

import click

from tui.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _reference() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### `whosaid ([a-z-]+)", section, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_is_documented_and_nothing_else() -> None:
    assert set(_reference()) == set(cli.commands)


def test_every_option_of_every_command_is_documented() -> None:
    reference = _reference()
    missing = []
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if longest not in reference[name]:
                    missing.append(f"{name} {longest}")
    assert not missing, f"undocumented options: {missing}"


def test_documented_options_exist() -> None:
    extra = []
    for name, doc in _reference().items():
        known = {opt for p in cli.commands[name].params for opt in p.opts} | {"--help"}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", doc):
            if option not in known:
                extra.append(f"{name} {option}")
    assert not extra, f"documented but not in the CLI: {extra}"


def test_readme_starts_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").split("## CLI reference")[0]
    assert "make demo" in head and "make test" in head
    assert "make test" in (README.parent / ".ci" / "run").read_text()
