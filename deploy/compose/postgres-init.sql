-- Roles and databases of docker-compose.yml, made once on an empty volume by postgres-init.sh
-- (which passes every name and password as a psql variable). Temporal and Đôn đốc each log in as
-- their own role, and neither may connect to the other's databases.

-- Temporal: owns its two databases; the schema job (temporalio/admin-tools) creates and updates its
-- tables there. It may not create databases or roles.
create role :"temporal_role" login password :'temporal_password';
create database :"temporal_db" owner :"temporal_role";
create database :"visibility_db" owner :"temporal_role";
revoke all on database :"temporal_db" from public;
revoke all on database :"visibility_db" from public;
-- Temporal's visibility schema uses btree_gin: made here, as the superuser, once.
\connect :visibility_db
create extension if not exists btree_gin;

-- Đôn đốc: its owner role runs the migrations (`dondoc migrate`, the job `migrate`); the API and
-- the worker log in as the application role, which may read and write rows and nothing more: no
-- table, schema or database of its own, nothing of Temporal's.
\connect postgres
create role :"dondoc_owner_role" login password :'dondoc_owner_password';
create role :"dondoc_app_role" login password :'dondoc_app_password';
create database :"dondoc_db" owner :"dondoc_owner_role";
revoke all on database :"dondoc_db" from public;
grant connect on database :"dondoc_db" to :"dondoc_app_role";
\connect :dondoc_db
revoke create on schema public from public;
grant usage on schema public to :"dondoc_app_role";
-- What the owner's migrations create, now and later: rows to read and write in every table (the
-- schema `drizzle` included, where the application role checks that no migration is pending).
alter default privileges for role :"dondoc_owner_role" grant usage on schemas to :"dondoc_app_role";
alter default privileges for role :"dondoc_owner_role"
  grant select, insert, update, delete on tables to :"dondoc_app_role";
alter default privileges for role :"dondoc_owner_role" grant usage, select on sequences to :"dondoc_app_role";
