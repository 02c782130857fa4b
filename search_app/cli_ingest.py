"""`kb` commands of this area; registered by search_app/cli.py through `COMMANDS`."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
