CREATE TABLE "lunch_accompaniments" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"staff_id" uuid NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"rating" smallint NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lunch_accompaniments_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "lunch_accompaniments_day_uq" UNIQUE("school_id","day","staff_id"),
	CONSTRAINT "lunch_accompaniments_rating_ck" CHECK ("lunch_accompaniments"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "lunch_contracts" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"caterer_name" text NOT NULL,
	"licence_no" text NOT NULL,
	"price_fen" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"file_ref" text DEFAULT '' NOT NULL,
	"charge_absent" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lunch_contracts_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "lunch_contracts_price_ck" CHECK ("lunch_contracts"."price_fen" > 0),
	CONSTRAINT "lunch_contracts_dates_ck" CHECK ("lunch_contracts"."valid_from" <= "lunch_contracts"."valid_to")
);
--> statement-breakpoint
CREATE TABLE "lunch_menus" (
	"school_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"days" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lunch_menus_school_id_week_start_pk" PRIMARY KEY("school_id","week_start")
);
--> statement-breakpoint
CREATE TABLE "lunch_statement_lines" (
	"school_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"meals" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"days" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "lunch_statement_lines_school_id_statement_id_student_id_pk" PRIMARY KEY("school_id","statement_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "lunch_statements" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"month" text NOT NULL,
	"contract_id" uuid NOT NULL,
	"price_fen" integer NOT NULL,
	"meals" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"pupils" integer NOT NULL,
	"txn_id" uuid,
	"paid_txn_id" uuid,
	"paid_at" timestamp with time zone,
	"posted_by" uuid,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lunch_statements_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "lunch_statements_month_uq" UNIQUE("school_id","term_id","month"),
	CONSTRAINT "lunch_statements_month_ck" CHECK ("lunch_statements"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "parent_committee" (
	"school_id" uuid NOT NULL,
	"guardian_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parent_committee_school_id_guardian_id_pk" PRIMARY KEY("school_id","guardian_id")
);
--> statement-breakpoint
CREATE TABLE "district_allocations" (
	"school_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"pupils" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"txn_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "district_allocations_school_id_term_id_pk" PRIMARY KEY("school_id","term_id"),
	CONSTRAINT "district_allocations_amount_ck" CHECK ("district_allocations"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "school_funding" (
	"school_id" uuid NOT NULL,
	"rate_per_pupil_fen" integer DEFAULT 0 NOT NULL,
	"rate_ranges" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "school_funding_school_id_pk" PRIMARY KEY("school_id"),
	CONSTRAINT "school_funding_rate_ck" CHECK ("school_funding"."rate_per_pupil_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "subsidy_rates" (
	"school_id" uuid NOT NULL,
	"role" text NOT NULL,
	"unit" text DEFAULT 'hour' NOT NULL,
	"rate_fen" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_rates_school_id_role_pk" PRIMARY KEY("school_id","role"),
	CONSTRAINT "subsidy_rates_role_ck" CHECK ("subsidy_rates"."role" IN ('care','duty','external')),
	CONSTRAINT "subsidy_rates_unit_ck" CHECK ("subsidy_rates"."unit" IN ('hour','session')),
	CONSTRAINT "subsidy_rates_rate_ck" CHECK ("subsidy_rates"."rate_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "subsidy_statements" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"month" text NOT NULL,
	"staff_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confirmed_minutes" integer NOT NULL,
	"unconfirmed_sessions" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"approve_txn_id" uuid,
	"paid_at" timestamp with time zone,
	"paid_txn_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subsidy_statements_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "subsidy_statements_person_uq" UNIQUE("school_id","term_id","month","staff_id"),
	CONSTRAINT "subsidy_statements_status_ck" CHECK ("subsidy_statements"."status" IN ('pending','approved','paid')),
	CONSTRAINT "subsidy_statements_kind_ck" CHECK ("subsidy_statements"."kind" IN ('subsidy','labour')),
	CONSTRAINT "subsidy_statements_month_ck" CHECK ("subsidy_statements"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "shift_swap_legs" (
	"school_id" uuid NOT NULL,
	"swap_id" uuid NOT NULL,
	"leg" smallint NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid,
	"from_staff_id" uuid NOT NULL,
	"to_staff_id" uuid NOT NULL,
	CONSTRAINT "shift_swap_legs_school_id_swap_id_leg_pk" PRIMARY KEY("school_id","swap_id","leg"),
	CONSTRAINT "shift_swap_legs_leg_ck" CHECK ("shift_swap_legs"."leg" IN (1, 2))
);
--> statement-breakpoint
CREATE TABLE "shift_swaps" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"requester_staff_id" uuid NOT NULL,
	"colleague_staff_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"accepted_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shift_swaps_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "shift_swaps_status_ck" CHECK ("shift_swaps"."status" IN ('requested','accepted','declined','cancelled','approved','refused')),
	CONSTRAINT "shift_swaps_parties_ck" CHECK ("shift_swaps"."requester_staff_id" <> "shift_swaps"."colleague_staff_id")
);
--> statement-breakpoint
ALTER TABLE "lunch_accompaniments" ADD CONSTRAINT "lunch_accompaniments_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_accompaniments" ADD CONSTRAINT "lunch_accompaniments_school_id_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_contracts" ADD CONSTRAINT "lunch_contracts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_menus" ADD CONSTRAINT "lunch_menus_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statement_lines" ADD CONSTRAINT "lunch_statement_lines_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statement_lines" ADD CONSTRAINT "lunch_statement_lines_school_id_statement_id_lunch_statements_school_id_id_fk" FOREIGN KEY ("school_id","statement_id") REFERENCES "public"."lunch_statements"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statement_lines" ADD CONSTRAINT "lunch_statement_lines_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statements" ADD CONSTRAINT "lunch_statements_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statements" ADD CONSTRAINT "lunch_statements_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lunch_statements" ADD CONSTRAINT "lunch_statements_school_id_contract_id_lunch_contracts_school_id_id_fk" FOREIGN KEY ("school_id","contract_id") REFERENCES "public"."lunch_contracts"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_committee" ADD CONSTRAINT "parent_committee_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_committee" ADD CONSTRAINT "parent_committee_school_id_guardian_id_guardians_school_id_id_fk" FOREIGN KEY ("school_id","guardian_id") REFERENCES "public"."guardians"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_allocations" ADD CONSTRAINT "district_allocations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_allocations" ADD CONSTRAINT "district_allocations_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_funding" ADD CONSTRAINT "school_funding_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_rates" ADD CONSTRAINT "subsidy_rates_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statements" ADD CONSTRAINT "subsidy_statements_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statements" ADD CONSTRAINT "subsidy_statements_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subsidy_statements" ADD CONSTRAINT "subsidy_statements_school_id_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swap_legs" ADD CONSTRAINT "shift_swap_legs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swap_legs" ADD CONSTRAINT "shift_swap_legs_school_id_swap_id_shift_swaps_school_id_id_fk" FOREIGN KEY ("school_id","swap_id") REFERENCES "public"."shift_swaps"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swap_legs" ADD CONSTRAINT "shift_swap_legs_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swap_legs" ADD CONSTRAINT "shift_swap_legs_school_id_from_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","from_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swap_legs" ADD CONSTRAINT "shift_swap_legs_school_id_to_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","to_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_school_id_term_id_terms_school_id_id_fk" FOREIGN KEY ("school_id","term_id") REFERENCES "public"."terms"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_school_id_requester_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","requester_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_school_id_colleague_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","colleague_staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lunch_statement_lines_student_idx" ON "lunch_statement_lines" USING btree ("school_id","student_id");--> statement-breakpoint
CREATE INDEX "shift_swap_legs_day_idx" ON "shift_swap_legs" USING btree ("school_id","day");--> statement-breakpoint
CREATE INDEX "shift_swaps_status_idx" ON "shift_swaps" USING btree ("school_id","status");