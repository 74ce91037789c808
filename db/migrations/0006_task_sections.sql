-- A task's identity becomes its key: its number, or "<section>.<number>" when a plan's numbering
-- restarts in each section. Tasks imported before keep their number as their key (edited by hand:
-- drizzle-kit adds the column NOT NULL at once, which fails on a table with rows).
ALTER TABLE "tasks" ADD COLUMN "key" text;--> statement-breakpoint
UPDATE "tasks" SET "key" = "number";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "section" text;--> statement-breakpoint
DROP INDEX "tasks_plan_number";--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_plan_key" ON "tasks" USING btree ("plan_id","key");
