#!/usr/bin/env bash
# Backup and restore, proved: dump the PostgreSQL database (pg_dump custom format) and the
# private media, restore both into a fresh database and folder, and compare them with the
# originals (row counts of every table, checksums of the key tables, every media file).
#
# Usage:
#   scripts/backup_restore_check.sh                   # DATABASE_URL, DJANGO_PRIVATE_MEDIA_ROOT
#   scripts/backup_restore_check.sh --compare URL_A URL_B    # only compare two databases
# Environment:
#   DATABASE_URL               postgres://user[:pw]@host[:port]/name (required)
#   DJANGO_PRIVATE_MEDIA_ROOT  private files folder [private_media]
#   BACKUP_DIR                 keep the backup here (db.dump, private-media.tar.gz) [a temp dir, removed]
#   KEEP_RESTORED=1            keep the restored database (its name is printed) [dropped]
# The role in DATABASE_URL must be allowed to CREATE DATABASE. Exit 0 = identical.
# Operators: the same pg_dump/pg_restore/tar commands are the backup and restore of
# docs/deploy.md; run this monthly as a restore drill.
set -euo pipefail

CHECKSUM_TABLES=(portal_user portal_orgunit auth_group portal_user_groups leaderboard_pointentry
  leaderboard_score wagtailcore_page wagtailcore_site)

die() { echo "backup-restore-check: $*" >&2; exit 2; }

# table<TAB>rows, for every table in the public schema
table_counts() {
  psql -X -q -A -t -F $'\t' -d "$1" -c "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')))[1]::text
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

# table<TAB>md5 of all its rows (in a stable order), for the key tables that exist
table_checksums() {
  local url=$1 table
  for table in "${CHECKSUM_TABLES[@]}"; do
    if [[ -n $(psql -X -q -A -t -d "$url" -c "SELECT to_regclass('public.$table')") ]]; then
      printf '%s\t' "$table"
      psql -X -q -A -t -d "$url" -c "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), 'empty') FROM public.$table t"
    fi
  done
}

compare_databases() {
  local a=$1 b=$2 status=0
  diff <(table_counts "$a") <(table_counts "$b") >&2 || { echo "row counts differ (< original, > restored)" >&2; status=1; }
  diff <(table_checksums "$a") <(table_checksums "$b") >&2 || { echo "table checksums differ" >&2; status=1; }
  if [[ $status == 0 ]]; then
    local tables rows
    tables=$(table_counts "$a" | wc -l)
    rows=$(table_counts "$a" | awk -F '\t' '{s += $2} END {print s + 0}')
    echo "databases identical: $tables tables, $rows rows; checksums equal for: $(table_checksums "$a" | cut -f1 | tr '\n' ' ')"
  fi
  return $status
}

if [[ ${1:-} == "--compare" ]]; then
  [[ $# == 3 ]] || die "usage: $0 --compare URL_A URL_B"
  compare_databases "$2" "$3"
  exit
fi

url=${DATABASE_URL:-}
[[ $url == postgres://* || $url == postgresql://* ]] || die "DATABASE_URL must be a postgres:// URL (got '${url:-unset}')"
private=${DJANGO_PRIVATE_MEDIA_ROOT:-private_media}
for tool in pg_dump pg_restore psql tar; do command -v $tool >/dev/null || die "$tool not found (apt-get install postgresql-client)"; done

name=${url##*/}; name=${name%%\?*}
base=${url%/*}
restored_name="${name}_restore_check_$$"
restored_url="$base/$restored_name"
admin_url="$base/postgres"

work=$(mktemp -d)
backup=${BACKUP_DIR:-$work/backup}
mkdir -p "$backup" "$work/restored-media"
cleanup() {
  if [[ ${KEEP_RESTORED:-0} != 1 ]]; then
    psql -X -q -d "$admin_url" -c "DROP DATABASE IF EXISTS \"$restored_name\"" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "1/4 dump $name (pg_dump, custom format) and the private media ($private)"
pg_dump --format=custom --no-owner --no-privileges --file="$backup/db.dump" -d "$url"
if [[ -d $private ]]; then
  tar -C "$private" -czf "$backup/private-media.tar.gz" .
else
  echo "    (no private media folder: nothing to archive)"
  tar -czf "$backup/private-media.tar.gz" -T /dev/null
fi
ls -l "$backup"

echo "2/4 restore into a fresh database $restored_name"
psql -X -q -v ON_ERROR_STOP=1 -d "$admin_url" -c "CREATE DATABASE \"$restored_name\""
pg_restore --no-owner --no-privileges --exit-on-error -d "$restored_url" "$backup/db.dump"
tar -C "$work/restored-media" -xzf "$backup/private-media.tar.gz"

echo "3/4 compare the databases"
compare_databases "$url" "$restored_url"

echo "4/4 compare the private media"
if [[ -d $private ]]; then
  diff -r "$private" "$work/restored-media" >&2 || { echo "private media differ" >&2; exit 1; }
  echo "private media identical: $(find "$private" -type f | wc -l) files"
fi
[[ ${KEEP_RESTORED:-0} == 1 ]] && echo "kept: $restored_url"
echo "backup and restore OK"
