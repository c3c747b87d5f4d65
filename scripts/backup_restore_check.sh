#!/usr/bin/env bash
# Back up a PostgreSQL database with pg_dump, restore it into a scratch database with pg_restore,
# and check that every table came back with the same number of rows. Then drop the scratch copy.
#
#   scripts/backup_restore_check.sh [DATABASE_URL] [BACKUP_DIR]
#
# DATABASE_URL defaults to $DATABASE_URL; BACKUP_DIR (default /tmp/twh-backups) keeps the dump, named
# after the database and the time, so the same command is the nightly backup from cron.
set -euo pipefail

url="${1:-${DATABASE_URL:-}}"
backup_dir="${2:-${BACKUP_DIR:-/tmp/twh-backups}}"
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "Give a postgres:// URL (argument or DATABASE_URL)." >&2; exit 2 ;;
esac
url="${url/#postgres:\/\//postgresql://}"
name="${url##*/}"; name="${name%%\?*}"
server="${url%/*}"
scratch="${name}_restore_check_$$"

mkdir -p "$backup_dir"
dump="$backup_dir/${name}-$(date -u +%Y%m%dT%H%M%SZ).dump"

echo "Backing up $name to $dump"
pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$url"

cleanup() { psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
psql -q "$server/postgres" -c "CREATE DATABASE \"$scratch\"" >/dev/null
echo "Restoring into the scratch database $scratch"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$server/$scratch" "$dump"

count_rows() {
  psql -At "$1" -c "
    SELECT string_agg(table_name || '=' || (xpath('/row/c/text()',
             query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
                          false, true, '')))[1]::text, ' ' ORDER BY table_name)
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
before="$(count_rows "$url")"
after="$(count_rows "$server/$scratch")"
if [ "$before" != "$after" ]; then
  echo "MISMATCH between $name and its restored copy:" >&2
  diff <(tr ' ' '\n' <<<"$before") <(tr ' ' '\n' <<<"$after") >&2 || true
  exit 1
fi
tables=$(tr ' ' '\n' <<<"$before" | wc -l)
rows=$(tr ' ' '\n' <<<"$before" | awk -F= '{s += $2} END {print s}')
echo "OK: $tables tables and $rows rows restored identically from $dump ($(du -h "$dump" | cut -f1))."
