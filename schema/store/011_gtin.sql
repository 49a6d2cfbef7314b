-- Version 11: one catalogue key per GTIN (pos/core/barcode.h). Every GTIN
-- is a 14-digit number once zeros are put in front of it; the key is that
-- number with a leading 0 dropped: 13 digits for EAN-8, UPC-A and EAN-13,
-- 14 only for carton codes with an indicator digit 1..9. Barcodes stored
-- before were EAN-13 or UPC-A (already 13 digits) or EAN-8 (8 digits, so
-- an EAN-13 scan of "0000040123455" never found "40123455").
--
-- A code whose key is already held by another row is dropped rather than
-- kept unreachable: the row holding the key is the one every scan finds.
UPDATE OR IGNORE barcodes SET code = '00000' || code
 WHERE length(code) = 8 AND code NOT GLOB '*[^0-9]*';
DELETE FROM barcodes WHERE length(code) = 8 AND code NOT GLOB '*[^0-9]*';
UPDATE OR IGNORE barcodes SET code = substr(code, 2)
 WHERE length(code) = 14 AND code GLOB '0*' AND code NOT GLOB '*[^0-9]*';
DELETE FROM barcodes WHERE length(code) = 14 AND code GLOB '0*' AND code NOT GLOB '*[^0-9]*';

-- Barcodes parked for HQ on deliveries still being received go out under
-- their key too; a posted delivery never changes.
UPDATE delivery_parked SET barcode = '00000' || barcode
 WHERE length(barcode) = 8 AND barcode NOT GLOB '*[^0-9]*'
   AND delivery_id IN (SELECT id FROM deliveries WHERE state = 0);

-- Scale label prefixes: "02" (UPC-A number system 2, random weight) joins
-- "20".."29". SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE scale_formats_new (
	prefix   TEXT PRIMARY KEY CHECK (length(prefix) = 2 AND
	                                 (prefix BETWEEN '20' AND '29' OR prefix = '02')),
	template TEXT NOT NULL CHECK (length(template) = 13)
) WITHOUT ROWID;
INSERT INTO scale_formats_new SELECT prefix, template FROM scale_formats;
DROP TABLE scale_formats;
ALTER TABLE scale_formats_new RENAME TO scale_formats;
