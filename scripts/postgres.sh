#!/usr/bin/env bash
# A local PostgreSQL with PostGIS for the team store's tests (and to try a team set-up):
# installs Debian's packages when missing (as root), starts the cluster, and creates the
# role and database the tests use: postgresql://geodata:geodata@127.0.0.1:5432/geodata_test
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis >/dev/null
fi
version=$(pg_lsclusters --no-header | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  cluster=main
  pg_createcluster "$version" "$cluster" >/dev/null
fi
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
SELECT 'CREATE ROLE geodata LOGIN SUPERUSER PASSWORD ''geodata'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'geodata')\gexec
SELECT 'CREATE DATABASE geodata_test OWNER geodata'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'geodata_test')\gexec
SQL
su postgres -c "psql -q -d geodata_test -c 'CREATE EXTENSION IF NOT EXISTS postgis'"
echo "PostgreSQL $version with PostGIS: postgresql://geodata:geodata@127.0.0.1:5432/geodata_test"
