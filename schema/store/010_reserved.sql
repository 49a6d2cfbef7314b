-- Version 10 is taken by another branch of issue 17 (its migration is
-- numbered 010 there). This placeholder keeps the numbers without gaps on
-- this branch; delete it when that migration is merged.
SELECT 1;
