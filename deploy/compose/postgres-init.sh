#!/bin/sh
# Run by the postgres image once, on an empty data volume (/docker-entrypoint-initdb.d), as the
# superuser: makes the roles and databases of postgres-init.sql with the passwords of .env.
set -e
: "${TEMPORAL_DB_PASSWORD:?set TEMPORAL_DB_PASSWORD (see deploy/compose/env.example)}"
: "${DONDOC_OWNER_DB_PASSWORD:?set DONDOC_OWNER_DB_PASSWORD (see deploy/compose/env.example)}"
: "${DONDOC_APP_DB_PASSWORD:?set DONDOC_APP_DB_PASSWORD (see deploy/compose/env.example)}"
for password in "$TEMPORAL_DB_PASSWORD" "$DONDOC_OWNER_DB_PASSWORD" "$DONDOC_APP_DB_PASSWORD"; do
  if [ "$password" = CHANGE-ME ]; then
    echo 'Replace every CHANGE-ME in .env with a random value (openssl rand -hex 24) first.' >&2
    exit 1
  fi
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v temporal_role=temporal -v temporal_db=temporal -v visibility_db=temporal_visibility \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" \
  -v dondoc_db=dondoc -v dondoc_owner_role=dondoc_owner -v dondoc_app_role=dondoc_app \
  -v dondoc_owner_password="$DONDOC_OWNER_DB_PASSWORD" -v dondoc_app_password="$DONDOC_APP_DB_PASSWORD" \
  -f /etc/dondoc/postgres-init.sql
