"""What every ``provlaw`` command shares: exit codes, the crash boundary, how an error is
printed in the command line's terms, the vetted ``--kb`` knowledge base, input problems on
stderr and the check of an ``-o`` file.  (The shared options are in options.py.)"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from ..errors import (
    InputError,
    KbDirectoryError,
    ProvlawError,
    UnknownAssumption,
    UnsafeKnowledgeBase,
    UsageError,
    printable,
)
from ..kb import KnowledgeBase, load_checked_kb

EXIT_OK, EXIT_CONFLICTS, EXIT_INPUT = 0, 1, 2
#: an unexpected exception: a bug in provlaw (EX_SOFTWARE of sysexits.h), never "conflicts found"
EXIT_INTERNAL = 70
#: Ctrl-C (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130
#: the reader of standard output went away (``provlaw check ... | head``): as a process killed by
#: SIGPIPE would exit (128 + 13), silently
EXIT_BROKEN_PIPE = 141
#: ``ctx.meta`` key (shared by nested contexts) of the global ``--debug`` option
DEBUG_KEY = "provlaw.debug"
#: where the one-line crash message asks users to report a bug
BUG_REPORTS = "the provlaw issue tracker"


def _passes_through() -> tuple[type[BaseException], ...]:
    """The exceptions typer/click turn into exit codes and messages themselves (``typer.Exit``,
    usage errors): the crash handler lets them go."""
    kinds: list[type[BaseException]] = [typer.Exit, typer.Abort]
    for module, name in (("typer.exceptions", "TyperException"), ("click", "ClickException"),
                         ("click.exceptions", "Exit"), ("click.exceptions", "Abort")):
        try:
            kinds.append(getattr(__import__(module, fromlist=[name]), name))
        except (ImportError, AttributeError):
            continue
    return tuple(kinds)


_PASSES_THROUGH = _passes_through()


class CrashBoundary(TyperGroup):
    """A command group whose commands never end in a traceback: an exception that is not a
    :class:`ProvlawError` (every command renders those itself, exit 2) is a bug in provlaw.  It
    is reported in one line on stderr -- what failed, that it is a bug, where to report it --
    and the command exits :data:`EXIT_INTERNAL`; ``provlaw --debug`` also prints the traceback.
    Ctrl-C exits :data:`EXIT_INTERRUPTED`; a reader of standard output that goes away
    (``| head``) :data:`EXIT_BROKEN_PIPE`, silently.  Used by every group (``provlaw``, ``provlaw kb``)."""

    def invoke(self, ctx):
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a reader that went away shows here, not at interpreter exit
        except BrokenPipeError:
            # not a bug: `provlaw ... | head` stopped reading; nothing more is written to the pipe
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except _PASSES_THROUGH:
            raise
        except KeyboardInterrupt:
            stderr().print("provlaw: interrupted", markup=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # noqa: BLE001 - the one place that catches everything
            command = " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand]))
            if ctx.meta.get(DEBUG_KEY):
                sys.stderr.write(traceback.format_exc())
            what = printable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            stderr().print(
                f"provlaw: internal error in `{command}` ({what}); this is a bug in provlaw, not in your input: "
                f"please report it to {BUG_REPORTS} with the command and its input"
                + ("" if ctx.meta.get(DEBUG_KEY) else " (`provlaw --debug ...` shows the traceback)"),
                markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_INTERNAL) from None


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def in_cli_terms(exc: ProvlawError) -> ProvlawError:
    """``exc`` worded with the command-line option that gave the bad value (the API's errors
    name no options)."""
    if isinstance(exc, KbDirectoryError) and not exc.option:
        return KbDirectoryError(exc.directory, option="--kb")
    if isinstance(exc, UnknownAssumption) and not exc.option:
        return UnknownAssumption(exc.name, exc.known, option="--assume")
    return exc


def fail(exc: ProvlawError) -> NoReturn:
    """Print ``exc`` on stderr in the command line's terms and exit with its code."""
    exc = in_cli_terms(exc)
    text = exc.render()
    if isinstance(exc, UnsafeKnowledgeBase):
        text += ("\nhint: `provlaw kb lint --kb DIR` lists every problem; a licence file holds facts about its own "
                 "licence only (docs/kb-authoring.md)")
    stderr().print(text, markup=False)
    raise typer.Exit(exc.exit_code)


def knowledge_base_of(kb_dirs: list[Path] | None) -> KnowledgeBase:
    """The KB with the ``--kb`` directories, vetted (:func:`reasoner.kb.load_checked_kb`): unsafe
    licence files are refused (exit 2), other problems are printed as warnings on stderr."""
    kb_ = load_checked_kb(tuple(kb_dirs or ()))
    if kb_.warnings:
        console = stderr()
        for warning in kb_.warnings:
            console.print(warning, markup=False)
    return kb_


def print_skipped(errors: list[InputError]) -> None:
    """Records of an import that could not be read, to stderr (the rest is still converted or
    checked)."""
    if errors:
        stderr().print("\n".join(e.render() for e in errors) + f"\n{len(errors)} input problem(s); the rest was read",
                       markup=False)


def check_output(output: Path | None, example: str = "lineage.prov") -> None:
    """``-o FILE`` must name a file that can be written: checked before anything is read."""
    if output is None:
        return
    if output.is_dir():
        raise UsageError(f"-o {output}: is a directory; give a file name such as {output / example}")
    parent = output.parent
    if not parent.is_dir():
        raise UsageError(f"-o {output}: the directory {parent} does not exist" if not parent.exists()
                         else f"-o {output}: {parent} is not a directory")
