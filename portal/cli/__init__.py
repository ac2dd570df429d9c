"""The `portal` console script: every command-line verb of the project.

Each verb lives in its own module; `COMMANDS` names them so that `portal --help` stays cheap
(nothing heavy is imported until a verb runs).
"""

import importlib

import click

# (module, attribute) of each top-level command or group, in the order `portal --help` lists them.
COMMANDS = [
    ("portal.cli.db", "db"),
    ("portal.cli.serve", "serve"),
    ("portal.cli.dev", "dev"),
    ("portal.cli.charter", "charter"),
    ("portal.cli.charter", "lifecycle"),
    ("portal.cli.sla", "sla"),
    ("portal.cli.contacts", "contacts"),
    ("portal.cli.kb", "kb"),
    ("portal.cli.static", "build_static"),
    ("portal.cli.tools", "tools"),
    ("portal.cli.catalog", "catalog"),
    ("portal.cli.sweep", "sweep"),
    ("portal.cli.mail", "mail"),
    ("portal.cli.data", "data"),
]


class PortalGroup(click.Group):
    """A click group whose commands are imported only when used."""

    def list_commands(self, ctx):
        return [attr.replace("_", "-") for _, attr in COMMANDS]

    def get_command(self, ctx, name):
        for module_name, attr in COMMANDS:
            if attr.replace("_", "-") == name:
                return getattr(importlib.import_module(module_name), attr)
        return None


@click.group(cls=PortalGroup)
def main():
    """Support portal: applies a vendor's support charter."""


if __name__ == "__main__":  # pragma: no cover
    main()
