DROP INDEX "report_filings_period";--> statement-breakpoint
CREATE INDEX "report_filings_period_agency" ON "report_filings" USING btree ("period","agency_code");