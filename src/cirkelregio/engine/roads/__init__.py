# SPDX-License-Identifier: EUPL-1.2
"""Roads (Utrechtse Asfaltstrategie): the exact models of ``docs/planning-models.md``
sections 3 and 4, asphalt mixture harmonisation and the bundling of works across road
authorities. Pure Python on numpy, shapely and HiGHS; no Django. Import the modules
themselves (``cirkelregio.engine.roads.harmonise``,
``cirkelregio.engine.roads.bundling``)."""
