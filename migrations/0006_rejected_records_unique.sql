-- One row per distinct record and reason: earlier versions kept it so by looking the record up
-- first (a full scan of the table per rejected record); duplicates a race could have left go first.
DELETE FROM `rejected_records` WHERE `id` NOT IN (SELECT max(`id`) FROM `rejected_records` GROUP BY `reason`, `raw`);
--> statement-breakpoint
CREATE UNIQUE INDEX `rejected_records_reason_raw` ON `rejected_records` (`reason`,`raw`);