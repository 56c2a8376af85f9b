# SPDX-License-Identifier: EUPL-1.2
from cirkelregio.cli import main

main()
