-- SPDX-License-Identifier: EUPL-1.2
-- Copyright the Justizcloud authors.
--
-- A decision has at most one publication that is not discarded: two people
-- pressing "Zur Veröffentlichung vorbereiten" at the same moment get the same
-- one (veroeffentlichung.Service.Prepare), not two reviews of one decision.

-- +goose Up
CREATE UNIQUE INDEX publications_open ON publications (tenant, document_id) WHERE state <> 'verworfen';

-- +goose Down
DROP INDEX publications_open;
