# SPDX-License-Identifier: EUPL-1.2
"""The ``cirkelregio`` command: Django's manage.py, plus grouped subcommands.

``cirkelregio migrate`` and ``cirkelregio runserver`` are Django's own commands.
Grouped commands are written as two words, ``cirkelregio regions load-reference ...``,
and dispatch to the management command ``regions_load_reference``. Each such command
is a thin wrapper around a service.
"""

from __future__ import annotations

import os
import sys


def _rewrite_grouped(argv: list[str]) -> list[str]:
    if len(argv) >= 3 and not argv[1].startswith("-") and not argv[2].startswith("-"):
        from django.core.management import get_commands

        grouped = f"{argv[1]}_{argv[2]}".replace("-", "_")
        if grouped in get_commands():
            return [argv[0], grouped, *argv[3:]]
    return argv


# Grouped commands that work on files only and run without Django (fast start-up).
ENGINE_COMMANDS = {
    ("mki", "calculate"): "cirkelregio.engine.mki.cli",
    ("exchange", "match"): "cirkelregio.engine.optimize.exchange_cli",
    ("exchange", "site-depots"): "cirkelregio.engine.optimize.depots_cli",
    ("repair", "ords-stats"): "cirkelregio.engine.repair.cli",
    ("roads", "harmonise"): "cirkelregio.engine.roads.harmonise_cli",
    ("roads", "bundle"): "cirkelregio.engine.roads.bundling_cli",
    ("agricycling", "allocate"): "cirkelregio.engine.agricycling.allocate_cli",
    ("agricycling", "settle"): "cirkelregio.engine.agricycling.settle_cli",
    ("craftcentres", "plan"): "cirkelregio.engine.craftcentres.cli",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    module = ENGINE_COMMANDS.get(tuple(args[1:3]))  # type: ignore[arg-type]
    if module is not None:
        from importlib import import_module

        sys.exit(import_module(module).main(args[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirkelregio.conf.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    args[0] = "cirkelregio"
    execute_from_command_line(_rewrite_grouped(args))


if __name__ == "__main__":  # pragma: no cover
    main()
