/** The school's rates and the district's range for them. */
import { sql } from 'drizzle-orm';
import { type RateRanges, type Rates, rangesOf, type SubsidyRole } from '../../../shared/subsidies';
import { type Db, queryRows } from '../../db/client';

export async function schoolRates(db: Db, schoolId: string): Promise<{ rates: Rates; ranges: RateRanges }> {
  const rows = await queryRows<{ role: SubsidyRole; unit: 'hour' | 'session'; rateFen: number }>(
    db,
    sql`SELECT role, unit, rate_fen AS "rateFen" FROM subsidy_rates WHERE school_id = ${schoolId}`,
  );
  const [f] = await queryRows<{ rateRanges: unknown }>(
    db,
    sql`SELECT rate_ranges AS "rateRanges" FROM school_funding WHERE school_id = ${schoolId}`,
  );
  return {
    rates: Object.fromEntries(rows.map((r) => [r.role, { rateFen: r.rateFen, unit: r.unit }])) as Rates,
    ranges: rangesOf(f?.rateRanges),
  };
}
