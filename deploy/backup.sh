#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# The nightly backup of docs/operations.md ("Schedule and retention"): a pg_dump of the
# database, the JSON export of all domain data and an archive of the uploaded files.
# The three are one set: they are written into a hidden folder first and moved into the
# backup folder only when all three have been written, so a failure halfway leaves no
# incomplete set behind (and the script exits with an error, which systemd reports).
#
# Run as the service user with the production environment: cirkelregio-backup.service
# (deploy/INSTALL.md, step 10) installs it as /usr/local/sbin/cirkelregio-backup.
#   DATABASE_URL                  the database (as for the site)
#   CIRKELREGIO_VAR_DIR           the folder that holds media/ (as for the site)
#   CIRKELREGIO_BACKUP_DIR        where the sets go (default /var/backups/cirkelregio)
#   CIRKELREGIO_BACKUP_KEEP_DAYS  local sets older than this are deleted (default 2)
#   CIRKELREGIO_BACKUP_AFTER      optional shell command run after a complete set, with
#                                 the three files as arguments: encrypt and copy them
#                                 off the server there (e.g. restic), see operations.md
set -eu
umask 077
dir=${CIRKELREGIO_BACKUP_DIR:-/var/backups/cirkelregio}
keep_days=${CIRKELREGIO_BACKUP_KEEP_DAYS:-2}
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${CIRKELREGIO_VAR_DIR:?CIRKELREGIO_VAR_DIR is not set}"

# A set left half-written by a run that was killed (no trap runs then).
find "$dir" -maxdepth 1 -type d -name '.partial-*' -mmin +720 -exec rm -rf {} +
stamp=$(date -u +%Y%m%dT%H%M%SZ)
partial="$dir/.partial-$stamp"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

pg_dump -Fc --no-owner -f "$partial/cirkelregio-$stamp.dump" "$DATABASE_URL"
cirkelregio backup export "$partial/cirkelregio-$stamp.json.gz"
tar -C "$CIRKELREGIO_VAR_DIR" -czf "$partial/media-$stamp.tar.gz" media

set -- "$dir/cirkelregio-$stamp.dump" "$dir/cirkelregio-$stamp.json.gz" \
  "$dir/media-$stamp.tar.gz"
for file in "$@"; do
  mv "$partial/$(basename "$file")" "$file"
done
echo "backup complete: $*"

if [ -n "${CIRKELREGIO_BACKUP_AFTER:-}" ]; then
  sh -c "$CIRKELREGIO_BACKUP_AFTER" cirkelregio-backup "$@"
fi
# Local copies are only the latest; the off-server copies keep the history.
find "$dir" -maxdepth 1 -type f -mtime +"$keep_days" \
  \( -name 'cirkelregio-*' -o -name 'media-*' \) -delete
