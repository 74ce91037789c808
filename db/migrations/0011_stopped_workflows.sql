ALTER TABLE "assignments" ADD COLUMN "workflow_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "workflow_stop_reason" text;--> statement-breakpoint
CREATE INDEX "assignments_stopped" ON "assignments" USING btree ("workflow_stopped_at") WHERE "assignments"."workflow_stopped_at" is not null;