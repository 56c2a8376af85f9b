# SPDX-License-Identifier: EUPL-1.2
# Shared by bin/serve and bin/test: make the virtual environment and install the
# Python and npm packages. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
EXTRAS=${1:-}
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> Installing Python packages${EXTRAS:+ (with $EXTRAS)}"
  # The pip and setuptools that a new virtual environment brings can be old releases
  # with known vulnerabilities (the dependency audit checks them too): pinned here.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==26.3" "setuptools==84.2.1"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$stamp"
fi
if [ ! -f frontend/node_modules/.package-lock.json ] \
   || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  echo "==> Installing npm packages (NL Design System, Leaflet, axe-core)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
