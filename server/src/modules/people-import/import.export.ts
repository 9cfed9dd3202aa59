import { formatPhone, maskIin } from '@kuzet/contracts';
import type { RegistryApartment, RegistryPerson } from '../people/people.bulk.ts';

const HEADER = ['Блок', 'Подъезд', 'Квартира', 'Фамилия', 'Имя', 'Отчество', 'ИИН', 'Дата рождения', 'Телефоны', 'Роль', 'Дата заселения', 'Архив'];
const RELATION: Record<string, string> = { owner: 'собственник', tenant: 'арендатор', registered: 'прописан', family: 'член семьи' };

/** A CSV field for Excel: quoted when it holds the separator, a quote or a line break. */
function field(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const ruDate = (d: string | null) => (d ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : '');

/**
 * The registry as Excel in Russian settings opens it: UTF-8 with a BOM (else it reads
 * cp1251), `;` between fields (its list separator), dates as 15.03.1987, and the IIN as
 * ="…" so Excel keeps it as text (a 12-digit number would lose its leading zero and show
 * as 8,71E+11). The import reads its own export back. One row per person and apartment.
 */
export function exportCsv(persons: RegistryPerson[], apartments: RegistryApartment[], fullIin: boolean): Buffer {
  const apt = new Map(apartments.map((a) => [a.id, a]));
  const lines = [HEADER.join(';')];
  for (const p of persons) {
    const iin = fullIin ? p.iin : maskIin(p.iin);
    const base = (a: RegistryApartment | undefined, relation: string, movedIn: string | null) =>
      [
        a?.buildingName ?? '',
        a ? String(a.entranceNumber) : '',
        a?.number ?? '',
        p.lastName,
        p.firstName,
        p.patronymic ?? '',
        iin ? `="${iin}"` : '',
        // The birth date is the IIN's first digits: masked with it.
        fullIin ? ruDate(p.birthDate) : '',
        p.phones.map(formatPhone).join(', '),
        RELATION[relation] ?? relation,
        ruDate(movedIn),
        p.archived ? 'да' : '',
      ]
        .map(field)
        .join(';');
    const current = p.residencies.filter((r) => !r.movedOut);
    if (!current.length) lines.push(base(undefined, '', null));
    for (const r of current) lines.push(base(apt.get(r.apartmentId), r.relation, r.movedIn));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
