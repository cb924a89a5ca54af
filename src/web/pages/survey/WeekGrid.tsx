/** Monday–Friday × slot toggles big enough for a thumb (R2: any subset of the week per slot). */
import { SLOTS, type Slot, WEEKDAYS } from '../../../shared/plans';
import type { SurveyDays } from '../../../shared/survey';
import { useT } from '../../i18n';
import { dict } from './dict';

/** Read by screen readers, not shown (the visible label sits beside the 全周 button). */
const SR_ONLY = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

const cell = (on: boolean, readOnly: boolean) => ({
  height: 48,
  borderRadius: 10,
  border: on ? '2px solid #1677ff' : '1px solid #d9d9d9',
  background: on ? '#1677ff' : '#fff',
  color: on ? '#fff' : '#333',
  fontSize: 16,
  fontWeight: on ? 600 : 400,
  cursor: readOnly ? 'default' : 'pointer',
  padding: 0,
  WebkitTapHighlightColor: 'transparent',
});

export function WeekGrid({
  value,
  onChange,
  slots = SLOTS,
}: {
  value: SurveyDays;
  onChange?: (v: SurveyDays) => void;
  slots?: readonly Slot[];
}) {
  const t = useT(dict);
  const readOnly = !onChange;
  const set = (slot: Slot, days: number[]) => onChange?.({ ...value, [slot]: [...days].sort((a, b) => a - b) });
  return (
    <div>
      {slots.map((slot) => {
        const days = value[slot] ?? [];
        const all = days.length === WEEKDAYS.length;
        return (
          <fieldset key={slot} style={{ border: 0, padding: 0, margin: '0 0 16px', minWidth: 0 }}>
            <legend style={SR_ONLY}>{t(`slot_${slot}`)}</legend>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', minHeight: 40 }}>
              <span aria-hidden style={{ fontSize: 15, fontWeight: 600 }}>
                {t(`slot_${slot}`)}
              </span>
              {!readOnly && (
                <button
                  type="button"
                  onClick={() => set(slot, all ? [] : [...WEEKDAYS])}
                  aria-label={`${t(`slot_${slot}`)} ${all ? t('clear') : t('allWeek')}`}
                  style={{
                    height: 40,
                    border: 'none',
                    background: 'none',
                    color: '#1677ff',
                    fontSize: 14,
                    padding: '0 4px',
                    cursor: 'pointer',
                  }}
                >
                  {all ? t('clear') : t('allWeek')}
                </button>
              )}
            </div>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 8 }}>
              {WEEKDAYS.map((d) => {
                const on = days.includes(d);
                return (
                  <button
                    key={d}
                    type="button"
                    disabled={readOnly}
                    aria-pressed={on}
                    aria-label={`${t(`slot_${slot}`)} ${t(`wd_${d}`)}`}
                    data-slot={slot}
                    data-weekday={d}
                    onClick={() => set(slot, on ? days.filter((x) => x !== d) : [...days, d])}
                    style={cell(on, readOnly)}
                  >
                    {t(`wd_${d}`)}
                  </button>
                );
              })}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
