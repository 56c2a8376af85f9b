#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Migrate the database and load the reference data of a production installation: the
# region, the insulation-material catalogue, the open repair data and the monitoring
# indicators. No demo data. Safe to run again (after every upgrade).
# Run as the service user with the production environment, from the install folder
# (deploy/INSTALL.md), or in the container: docker compose run --rm web deploy/load-data.sh
set -euo pipefail
cli=${CIRKELREGIO_CLI:-cirkelregio}
data=${CIRKELREGIO_DATA_DIR:-data}
region=${CIRKELREGIO_REGION:-nl-utrecht}

echo "==> Migrating the database"
"$cli" migrate --noinput
echo "==> Loading reference data ($region)"
"$cli" regions load-reference "$data/regions/$region"
echo "==> Loading the insulation-material catalogue"
"$cli" biobased load-materials "$data/biobased/materials.csv"
echo "==> Loading the open repair data (ORDS, CC BY-SA 4.0; skipped when unchanged)"
for file in "$data/ords/OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv" \
  "$data/ords/OpenRepairData_v0.3_FixitClinic_202507.csv"; do
  "$cli" repair import-ords "$file" --skip-unchanged
done
echo "==> Loading the monitoring indicators and computing their values"
"$cli" monitoring load-indicators
"$cli" monitoring compute
echo "==> Done"
