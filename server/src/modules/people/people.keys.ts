import type { KeyRow } from './people.repository.ts';
import { kazakhSortKey, nameKeys } from './search-keys.ts';

/** The search keys of a person: name words, phones, IIN. Rebuilt whole on every change. */
export function personKeys(id: string, p: { lastName: string; firstName: string; patronymic: string | null; iin: string | null }, phones: string[]): KeyRow[] {
  const full = [p.lastName, p.firstName, p.patronymic].filter(Boolean).join(' ');
  const sortKey = kazakhSortKey(full);
  const keys: KeyRow[] = nameKeys(full).map((key) => ({ entityType: 'person', entityId: id, field: 'name', key, sortKey }));
  for (const ph of new Set(phones)) keys.push({ entityType: 'person', entityId: id, field: 'phone', key: ph, sortKey });
  if (p.iin) keys.push({ entityType: 'person', entityId: id, field: 'iin', key: p.iin, sortKey });
  return keys;
}

export function vehicleKeys(id: string, plate: string): KeyRow[] {
  return [{ entityType: 'vehicle', entityId: id, field: 'plate', key: plate, sortKey: plate }];
}

export function premiseKeys(id: string, name: string, phone: string | null): KeyRow[] {
  const sortKey = kazakhSortKey(name);
  const keys: KeyRow[] = nameKeys(name).map((key) => ({ entityType: 'premise', entityId: id, field: 'premise', key, sortKey }));
  if (phone) keys.push({ entityType: 'premise', entityId: id, field: 'phone', key: phone, sortKey });
  return keys;
}
