# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio agricycling allocate``: see
:mod:`cirkelregio.engine.agricycling.cli`."""

from cirkelregio.engine.agricycling.cli import allocate_main as main

__all__ = ["main"]
