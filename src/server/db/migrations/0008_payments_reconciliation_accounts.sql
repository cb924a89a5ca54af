CREATE TABLE "expenses" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"account" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"description" text NOT NULL,
	"spent_on" date NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expenses_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "expenses_amount_ck" CHECK ("expenses"."amount_fen" > 0),
	CONSTRAINT "expenses_account_ck" CHECK ("expenses"."account" IN ('expense.materials', 'expense.other'))
);
--> statement-breakpoint
CREATE TABLE "receipt_counters" (
	"school_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "receipt_counters_school_id_year_pk" PRIMARY KEY("school_id","year")
);
--> statement-breakpoint
CREATE TABLE "statement_lines" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"source" text NOT NULL,
	"line_no" integer NOT NULL,
	"occurred_on" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"payer" text DEFAULT '' NOT NULL,
	"matched_payment_id" uuid,
	"imported_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_lines_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "statement_lines_payment_uq" UNIQUE("school_id","matched_payment_id"),
	CONSTRAINT "statement_lines_amount_ck" CHECK ("statement_lines"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "term_account_reports" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "term_account_reports_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "term_account_reports_version_uq" UNIQUE("school_id","term_id","version")
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "checkout_url" text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_school_id_matched_payment_id_payments_school_id_id_fk" FOREIGN KEY ("school_id","matched_payment_id") REFERENCES "public"."payments"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_account_reports" ADD CONSTRAINT "term_account_reports_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "term_account_reports" ADD CONSTRAINT "term_account_reports_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expenses_term_idx" ON "expenses" USING btree ("school_id","term_id");--> statement-breakpoint
CREATE INDEX "statement_lines_batch_idx" ON "statement_lines" USING btree ("school_id","batch_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_idx" ON "refunds" USING btree ("school_id","payment_id");--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_idem_uq" UNIQUE("school_id","idempotency_key");