# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio agricycling settle``: see
:mod:`cirkelregio.engine.agricycling.cli`."""

from cirkelregio.engine.agricycling.cli import settle_main as main

__all__ = ["main"]
