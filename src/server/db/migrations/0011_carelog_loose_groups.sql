ALTER TABLE "activities" DROP CONSTRAINT "activities_school_id_group_id_care_groups_school_id_id_fk";
--> statement-breakpoint
ALTER TABLE "incidents" DROP CONSTRAINT "incidents_school_id_group_id_care_groups_school_id_id_fk";
--> statement-breakpoint
ALTER TABLE "patrols" DROP CONSTRAINT "patrols_school_id_group_id_care_groups_school_id_id_fk";
--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "group_label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "group_label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "patrols" ADD COLUMN "group_label" text DEFAULT '' NOT NULL;