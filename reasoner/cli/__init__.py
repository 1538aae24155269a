"""The ``provlaw`` command line (typer).  Thin: each command reads its inputs, calls the API and
renders (reasoner/render).

One module per command group, each with ``register(app)``; the options they share are declared
once in options.py; exit codes, the crash boundary and error printing are in common.py.

Exit codes (README.md lists them all): 0 no conflicts, 1 conflicts found, 2 bad input or usage,
3 an explanation could not be verified, 70 internal error (a bug: one line on stderr, the
traceback with ``--debug``), 130 interrupted.  ``compat`` and the ``kb`` commands give 0/1/2
their own meaning (compat.py, kb.py).
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from .. import __version__
from ..api import batch_mode
from .common import (  # noqa: F401  (the exit codes are part of this package's interface)
    DEBUG_KEY,
    EXIT_CONFLICTS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    CrashBoundary,
    fail,
    knowledge_base_of,
)
from .options import parse_assume  # noqa: F401  (part of this package's interface)

app = typer.Typer(
    name="provlaw",
    help="Which licence obligations apply to an ML model lineage, what conflicts, and why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=CrashBoundary,
)

#: The command modules, in the order ``provlaw --help`` lists their commands.  Each has
#: ``register(app)``; a name without a dot is a module of this package.  Registering a command
#: module is one line here.
COMMAND_MODULES: tuple[str, ...] = (
    "check",      # check, obligations
    "why",        # why
    "graph",      # graph
    "catalogue",  # licenses, assumptions
    "compat",     # compat
    "kb",         # kb check|lint|docs
    "imports",    # import hf|dpi|cyclonedx|spdx3
    "fix",        # fix
    "audit",      # audit
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provlaw {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="On an internal error (exit 70), also print the traceback.")] = False,
) -> None:
    """provlaw: licence obligations and conflicts of ML model lineages."""
    ctx.meta[DEBUG_KEY] = debug
    # Every command processes one lineage as a batch: pause the cyclic GC until it returns.
    batch = batch_mode()
    batch.__enter__()
    ctx.call_on_close(lambda: batch.__exit__(None, None, None))


def register_commands(group: typer.Typer, modules: tuple[str, ...] | list[str]) -> None:
    """Call ``register(group)`` of each module (a name without a dot is a module of this package)."""
    for name in modules:
        importlib.import_module(name if "." in name else f"{__name__}.{name}").register(group)


register_commands(app, COMMAND_MODULES)
