-- The ledger is append-only: no row of ledger_entries is ever updated or deleted.
CREATE OR REPLACE FUNCTION kehou_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only' USING ERRCODE = 'P0001';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION kehou_ledger_append_only();
--> statement-breakpoint
-- Every ledger transaction balances: checked once per transaction id when the database transaction commits.
CREATE OR REPLACE FUNCTION kehou_ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total bigint;
BEGIN
  SELECT COALESCE(SUM(amount_fen), 0) INTO total FROM ledger_entries
   WHERE school_id = NEW.school_id AND txn_id = NEW.txn_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (% fen)', NEW.txn_id, total USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kehou_ledger_balanced();
