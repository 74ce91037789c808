ALTER TABLE "plans" DROP CONSTRAINT "plans_code_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "plans_registry_code" ON "plans" USING btree ("registry","code");