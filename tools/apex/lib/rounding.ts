/**
 * System.RoundingMode and rounding a number to a scale with it (Apex Reference, "RoundingMode Enum":
 * the modes of Java's BigDecimal; `Decimal.setScale` rounds HALF_UP when no mode is given).
 */
import { defineEnum } from './nativeValues.ts';
import { EnumValue } from '../run/values.ts';
import { throwEx } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';

defineEnum('System.RoundingMode', ['CEILING', 'DOWN', 'FLOOR', 'HALF_DOWN', 'HALF_EVEN', 'HALF_UP', 'UNNECESSARY', 'UP'], 'RoundingMode');

/** `x` rounded to `scale` decimal places by `mode` (an EnumValue of System.RoundingMode, or null for `fallback`). */
export function roundTo(f: Frame, x: number, scale: number, mode: unknown, fallback = 'HALF_UP'): number {
  const name = mode instanceof EnumValue ? mode.name : fallback;
  const m = Math.pow(10, scale);
  // 15 significant digits undo binary noise (1.005 * 100 = 100.49999…) before the rounding decision
  const scaled = Number((x * m).toPrecision(15));
  const down = Math.trunc(scaled);
  const frac = Math.abs(scaled - down);
  const away = down + Math.sign(scaled);
  let r: number;
  switch (name) {
    case 'UNNECESSARY':
      if (frac !== 0) throwEx(f, 'MathException', 'Rounding necessary');
      r = down;
      break;
    case 'DOWN':
      r = down;
      break;
    case 'UP':
      r = frac === 0 ? down : away;
      break;
    case 'CEILING':
      r = Math.ceil(scaled);
      break;
    case 'FLOOR':
      r = Math.floor(scaled);
      break;
    case 'HALF_DOWN':
      r = frac > 0.5 ? away : down;
      break;
    case 'HALF_EVEN':
      r = frac > 0.5 || (frac === 0.5 && down % 2 !== 0) ? away : down;
      break;
    default:
      r = frac >= 0.5 ? away : down;
  }
  return r / m;
}
