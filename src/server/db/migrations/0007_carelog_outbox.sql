CREATE TABLE "activities" (
	"school_id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid NOT NULL,
	"category" text NOT NULL,
	"content" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_school_id_day_group_id_pk" PRIMARY KEY("school_id","day","group_id")
);
--> statement-breakpoint
CREATE TABLE "grade_heads" (
	"school_id" uuid NOT NULL,
	"grade" smallint NOT NULL,
	"staff_id" uuid NOT NULL,
	CONSTRAINT "grade_heads_school_id_grade_pk" PRIMARY KEY("school_id","grade"),
	CONSTRAINT "grade_heads_grade_ck" CHECK ("grade_heads"."grade" BETWEEN 1 AND 6)
);
--> statement-breakpoint
CREATE TABLE "incident_pupils" (
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	CONSTRAINT "incident_pupils_school_id_incident_id_student_id_pk" PRIMARY KEY("school_id","incident_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "incident_recipients" (
	"school_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"role" text NOT NULL,
	"level" smallint DEFAULT 1 NOT NULL,
	"notified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "incident_recipients_school_id_incident_id_account_id_pk" PRIMARY KEY("school_id","incident_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"group_id" uuid,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"description" text NOT NULL,
	"action_taken" text DEFAULT '' NOT NULL,
	"photo" text,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"reported_by" uuid NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"level" smallint DEFAULT 1 NOT NULL,
	"escalated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	CONSTRAINT "incidents_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "incidents_kind_ck" CHECK ("incidents"."kind" IN ('injury','illness','conflict','other')),
	CONSTRAINT "incidents_severity_ck" CHECK ("incidents"."severity" IN ('minor','serious','critical')),
	CONSTRAINT "incidents_status_ck" CHECK ("incidents"."status" IN ('open','closed'))
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"group_id" uuid,
	"venue_id" uuid,
	"rating" smallint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"photo" text,
	"recorded_by" uuid NOT NULL,
	CONSTRAINT "patrols_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "patrols_rating_ck" CHECK ("patrols"."rating" BETWEEN 1 AND 5),
	CONSTRAINT "patrols_target_ck" CHECK ("patrols"."group_id" IS NOT NULL OR "patrols"."venue_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "outbox_channels" (
	"school_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"max_attempts" integer DEFAULT 6 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_channels_school_id_kind_pk" PRIMARY KEY("school_id","kind"),
	CONSTRAINT "outbox_channels_kind_ck" CHECK ("outbox_channels"."kind" IN ('webhook','email','sms','wechat'))
);
--> statement-breakpoint
CREATE TABLE "outbox_deliveries" (
	"school_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"notification_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_deliveries_school_id_id_pk" PRIMARY KEY("school_id","id"),
	CONSTRAINT "outbox_deliveries_status_ck" CHECK ("outbox_deliveries"."status" IN ('pending','sending','delivered','dead'))
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_heads" ADD CONSTRAINT "grade_heads_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_heads" ADD CONSTRAINT "grade_heads_school_id_staff_id_staff_school_id_id_fk" FOREIGN KEY ("school_id","staff_id") REFERENCES "public"."staff"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_pupils" ADD CONSTRAINT "incident_pupils_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_pupils" ADD CONSTRAINT "incident_pupils_school_id_incident_id_incidents_school_id_id_fk" FOREIGN KEY ("school_id","incident_id") REFERENCES "public"."incidents"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_pupils" ADD CONSTRAINT "incident_pupils_school_id_student_id_students_school_id_id_fk" FOREIGN KEY ("school_id","student_id") REFERENCES "public"."students"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_recipients" ADD CONSTRAINT "incident_recipients_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_recipients" ADD CONSTRAINT "incident_recipients_school_id_incident_id_incidents_school_id_id_fk" FOREIGN KEY ("school_id","incident_id") REFERENCES "public"."incidents"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_school_id_group_id_care_groups_school_id_id_fk" FOREIGN KEY ("school_id","group_id") REFERENCES "public"."care_groups"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_school_id_venue_id_venues_school_id_id_fk" FOREIGN KEY ("school_id","venue_id") REFERENCES "public"."venues"("school_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_channels" ADD CONSTRAINT "outbox_channels_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_school_id_notification_id_notifications_school_id_id_fk" FOREIGN KEY ("school_id","notification_id") REFERENCES "public"."notifications"("school_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_recipients_account_idx" ON "incident_recipients" USING btree ("school_id","account_id");--> statement-breakpoint
CREATE INDEX "incidents_day_idx" ON "incidents" USING btree ("school_id","day");--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("status","severity","reported_at");--> statement-breakpoint
CREATE INDEX "patrols_day_idx" ON "patrols" USING btree ("school_id","day");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_due_idx" ON "outbox_deliveries" USING btree ("status","next_at");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_school_idx" ON "outbox_deliveries" USING btree ("school_id","created_at");