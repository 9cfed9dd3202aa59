import { formatPhone, maskIin } from '@kuzet/contracts';
import type { RegistryApartment, RegistryPerson } from '../people/people.bulk.ts';

const HEADER = ['Блок', 'Подъезд', 'Квартира', 'Фамилия', 'Имя', 'Отчество', 'ИИН', 'Дата рождения', 'Телефоны', 'Роль', 'Дата заселения', 'Архив'];
const RELATION: Record<string, string> = { owner: 'собственник', tenant: 'арендатор', registered: 'прописан', family: 'член семьи' };

/** A CSV field for Excel: quoted when it holds the separator, a quote or a line break. */
function field(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Text Excel must not read as a number or a formula, written as a formula of that text (the import unwraps it). */
const asText = (v: string) => (v ? `="${v.replace(/"/g, '')}"` : '');

/** A name that starts like a formula (=, +, -, @) gets a leading apostrophe: no formula runs from a list. */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const ruDate = (d: string | null) => (d ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : '');

/**
 * The registry as Excel in Russian settings opens it: UTF-8 with a BOM (else it reads
 * cp1251), `;` between fields (its list separator), dates as 15.03.1987, and the IIN and
 * phones as text formulas (a 12-digit number would lose its leading zero and show as
 * 8,71E+11; «+7 701…» would be read as a formula). The import reads its own export back.
 * One row per person and current apartment.
 */
export function exportCsv(persons: RegistryPerson[], apartments: RegistryApartment[], fullIin: boolean): Buffer {
  const apt = new Map(apartments.map((a) => [a.id, a]));
  const lines = [HEADER.join(';')];
  for (const p of persons) {
    const iin = fullIin ? p.iin : maskIin(p.iin);
    const line = (a: RegistryApartment | undefined, relation: string, movedIn: string | null) =>
      [
        safe(a?.buildingName ?? ''),
        a ? String(a.entranceNumber) : '',
        safe(a?.number ?? ''),
        safe(p.lastName),
        safe(p.firstName),
        safe(p.patronymic ?? ''),
        asText(iin ?? ''),
        // The birth date is the IIN's first digits: masked with it.
        fullIin ? ruDate(p.birthDate) : '',
        asText(p.phones.map(formatPhone).join(', ')),
        RELATION[relation] ?? relation,
        ruDate(movedIn),
        p.archived ? 'да' : '',
      ]
        .map(field)
        .join(';');
    const current = p.residencies.filter((r) => !r.movedOut);
    if (!current.length) lines.push(line(undefined, '', null));
    for (const r of current) lines.push(line(apt.get(r.apartmentId), r.relation, r.movedIn));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
