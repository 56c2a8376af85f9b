# SPDX-License-Identifier: EUPL-1.2
"""Cirkelregio: the open platform of a regional circular-economy alliance."""

__version__ = "0.1.0"
