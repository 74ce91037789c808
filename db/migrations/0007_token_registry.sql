-- An agency is known by its registry and its code together. Agency tokens issued before this
-- belong to the registry that knows their agency (until now a deployment had one).
ALTER TABLE "api_tokens" ADD COLUMN "registry" text;--> statement-breakpoint
UPDATE "api_tokens" t SET "registry" = (
  SELECT r."key" FROM "agency_registries" r
  WHERE r."data"->'agencies' @> jsonb_build_array(jsonb_build_object('code', t."agency_code"))
  ORDER BY r."key" LIMIT 1
) WHERE t."agency_code" IS NOT NULL;
