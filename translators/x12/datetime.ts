/** X12 DT and TM checks on raw strings (no Date objects, no time zones). */
import { isX12Date } from '../common/dates.ts';

/** CCYYMMDD */
export function validDate8(value: string): boolean {
  return value.length === 8 && isX12Date(value);
}

/** YYMMDD (century by the usual X12 window: 00-49 → 20xx, 50-99 → 19xx) */
export function validDate6(value: string): boolean {
  return value.length === 6 && isX12Date(value);
}

/** HHMM, HHMMSS, HHMMSSd or HHMMSSdd */
export function validTime(value: string): boolean {
  if (!/^\d{4}(\d{2}(\d{1,2})?)?$/.test(value)) return false;
  const hh = +value.slice(0, 2);
  const mm = +value.slice(2, 4);
  const ss = value.length >= 6 ? +value.slice(4, 6) : 0;
  return hh < 24 && mm < 60 && ss < 60;
}
