/** Small display helpers of the apply pages. */
import { FEE_MODE_LABELS } from '../../../shared/plans';
import { formatMoney } from '../../i18n';
import type { Offering } from './types';

export const WD = ['', '一', '二', '三', '四', '五'];
export const weekdayLabel = (d: number) => `周${WD[d]}`;
export const daysLabel = (ds: number[]) =>
  `周${[...ds]
    .sort()
    .map((d) => WD[d])
    .join('、')}`;
export const feeLabel = (o: Pick<Offering, 'feeMode' | 'feeFen'>) =>
  o.feeMode === 'free' || o.feeFen === 0
    ? FEE_MODE_LABELS.free
    : `${formatMoney(o.feeFen)} / ${FEE_MODE_LABELS[o.feeMode].replace('按', '')}`;
