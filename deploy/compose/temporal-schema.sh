#!/bin/sh
# The one-shot job `temporal-schema` (temporalio/admin-tools): creates Temporal's tables in the two
# databases that postgres-init.sql made for it, or brings them up to this server version. Safe to run
# on every `docker compose up`: setup-schema leaves a schema already set up alone, and update-schema
# applies only the versions that are missing. Connects as the `temporal` role (SQL_* variables).
set -eu
: "${SQL_PASSWORD:?set TEMPORAL_DB_PASSWORD in .env}"
schemas=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$schemas/temporal/versioned" ;;
    *) dir="$schemas/visibility/versioned" ;;
  esac
  echo "Temporal schema of database $db"
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$dir"
done
echo 'Temporal schemas are up to date'
