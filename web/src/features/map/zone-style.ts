import type { ZoneKind } from '@kuzet/contracts';

/** One colour per zone kind; legible on both themes (drawn with transparency). */
export const zoneColors: Record<ZoneKind, string> = {
  yard: '#4caf50',
  playground: '#ffb300',
  parking: '#42a5f5',
  perimeter: '#ef5350',
  roof: '#ab47bc',
  basement: '#8d6e63',
  other: '#90a4ae',
};
