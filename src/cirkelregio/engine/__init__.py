# SPDX-License-Identifier: EUPL-1.2
"""The computational engine of Cirkelregio: a pure Python library.

It never imports Django (an import-linter contract in CI holds it to that). Inputs and
outputs are dataclasses and numpy arrays, so the engine can be used from the command
line, from notebooks or from another application.
"""

__all__: list[str] = []
