-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- Use of the shared web services (anonymization, later translation), counted
-- per tenant, service and day, for the billing between Bund and Länder.

-- +goose Up
CREATE TABLE service_usage (
	tenant   TEXT NOT NULL,
	service  TEXT NOT NULL,
	day      TEXT NOT NULL CHECK (length(day) = 10), -- civil date YYYY-MM-DD (Europe/Berlin)
	requests INTEGER NOT NULL CHECK (requests >= 0),
	bytes    INTEGER NOT NULL CHECK (bytes >= 0),
	PRIMARY KEY (tenant, service, day)
) STRICT;

-- +goose Down
DROP TABLE service_usage;
