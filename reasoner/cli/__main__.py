"""``python -m reasoner.cli``: the ``provlaw`` command."""

from . import app

app()
