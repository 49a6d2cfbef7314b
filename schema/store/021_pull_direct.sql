-- Version 21: a big catalogue pull writes its pages straight into the
-- build (pos/store/store_catgen.c, store_catgen_pull_*), each row once,
-- instead of staging them all first. direct = 1: this build's rows came
-- that way; nothing of it is staged, so it cannot be built again from the
-- staging: a live catalogue that changed under it means pulling again.
-- In such a build, phase 1 (applying) is the pages being written, and
-- cursor the rows of the page being written that are in the build (the
-- page at sync_pull.next, or the first page while no sync_pull row is).
ALTER TABLE catalogue_build ADD COLUMN direct INTEGER NOT NULL DEFAULT 0
	CHECK (direct IN (0, 1));
