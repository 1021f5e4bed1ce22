"""The `trygg` command: Django's manage.py under the project's own name.

What a command writes is recorded as "system: <command>" in the change log (core/audit.py):
Trygg's own commands set it themselves (core/commands.py); here it is set for Django's and the
libraries' commands too (``changepassword``, ``axes_reset_username`` …).
"""

import os
import sys

# Commands that serve requests: what a request writes is its person's, never the command's.
SERVERS = frozenset({"runserver", "testserver", "runserver_plus"})


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from django.core.management import execute_from_command_line

    from trygg.core.system_actor import system_actor

    name = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else ""
    if name in SERVERS or not name:
        execute_from_command_line(argv)
        return
    with system_actor(name):
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
