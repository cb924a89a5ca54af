ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "consents" DROP CONSTRAINT "consents_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "survey_answers" DROP CONSTRAINT "survey_answers_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "agreement_signatures" DROP CONSTRAINT "agreement_signatures_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "application_choices" DROP CONSTRAINT "application_choices_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "enrollments" DROP CONSTRAINT "enrollments_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "attendance" DROP CONSTRAINT "attendance_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "daily_writes" DROP CONSTRAINT "daily_writes_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "missing_cases" DROP CONSTRAINT "missing_cases_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "teacher_checkins" DROP CONSTRAINT "teacher_checkins_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "invoices" DROP CONSTRAINT "invoices_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "pickup_records" DROP CONSTRAINT "pickup_records_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "outbox_deliveries" DROP CONSTRAINT "outbox_deliveries_school_id_schools_id_fk";
--> statement-breakpoint
DROP INDEX "enrollments_queue_idx";--> statement-breakpoint
CREATE INDEX "enrollments_queue_idx" ON "enrollments" USING btree ("school_id","offering_id","weekday","status","queue_key","id");