-- One database per service, as infra/servers.sh creates them for the local servers
-- (every one is used by its service).
-- Run by the postgres image only when its data volume is empty (first start); each service's
-- Marten store then creates its own schema and tables on start.
CREATE DATABASE directory;
CREATE DATABASE dashboard;
CREATE DATABASE identity;
CREATE DATABASE referrals;
CREATE DATABASE training;
CREATE DATABASE projects;
CREATE DATABASE notifications;
