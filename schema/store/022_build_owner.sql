-- Version 22: the catalogue build knows whose it is. A local import that
-- starts while another is still writing its build (two managers, or a
-- second terminal's `coopmart import items`) used to drop that build and
-- start its own; the first import then wrote its later rows into the
-- second's tables and could switch in a catalogue missing its early rows
-- while reporting success. owner: a random number the build's starter
-- chose (pos/store/store_catgen.c start); every step of an import checks,
-- inside its transaction, that the build is still its own, and gives up
-- (nothing switched) when it is not. pid: the process of the build's
-- latest step; an import waits for another build only while that process
-- lives and the build moved within the last minute (an import killed or
-- stopped with Ctrl-C is taken over at once).
ALTER TABLE catalogue_build ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE catalogue_build ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
