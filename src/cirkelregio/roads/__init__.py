# SPDX-License-Identifier: EUPL-1.2
"""Utrechtse Asfaltstrategie: road sections of the road authorities, their layered
materials passports, the authorities' maintenance works and the materials those
release and need."""
