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
	requests BIGINT NOT NULL CHECK (requests >= 0),
	bytes    BIGINT NOT NULL CHECK (bytes >= 0),
	PRIMARY KEY (tenant, service, day)
);

-- +goose Down
DROP TABLE service_usage;
