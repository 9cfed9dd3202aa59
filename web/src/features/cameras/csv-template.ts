import type { SitePlan } from '@kuzet/contracts';

/** The columns the import reads, in the order the template writes them. */
export const CSV_COLUMNS = [
  'name',
  'type',
  'main_url',
  'sub_url',
  'username',
  'password',
  'building',
  'entrance',
  'zone',
  'x',
  'y',
  'direction',
  'fov',
  'recording',
  'retention_days',
  'enabled',
  'transport',
] as const;

/** One CSV cell: quoted when it holds a separator, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The template: the header and one example row that imports into this complex
 * (the first building and its first entrance, when the plan has them).
 */
export function csvTemplate(exampleName: string, plan: SitePlan | undefined): string {
  const building = plan?.buildings[0];
  const entrance = [...(building?.entrances ?? [])].sort((a, b) => a.number - b.number)[0];
  const position = entrance?.position;
  const example: Record<(typeof CSV_COLUMNS)[number], string> = {
    name: exampleName,
    type: 'entrance',
    main_url: 'rtsp://192.168.1.64:554/Streaming/Channels/101',
    sub_url: 'rtsp://192.168.1.64:554/Streaming/Channels/102',
    username: 'viewer',
    password: '',
    building: building?.name ?? '',
    entrance: entrance ? String(entrance.number) : '',
    zone: '',
    x: position ? String(Math.round(position[0] * 10) / 10) : '',
    y: position ? String(Math.round(position[1] * 10) / 10) : '',
    direction: '180',
    fov: '90',
    recording: 'continuous',
    retention_days: '30',
    enabled: 'true',
    transport: 'auto',
  };
  const row = CSV_COLUMNS.map((c) => csvCell(example[c]));
  return `${CSV_COLUMNS.join(',')}\r\n${row.join(',')}\r\n`;
}

/** A data: URL that downloads the text as a CSV file (with a BOM, so Excel reads it as UTF-8). */
export function csvDataUrl(text: string): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${text}`)}`;
}

const REQUIRED = ['name', 'type', 'main_url'] as const;

/**
 * The required columns the CSV's header row lacks (the server would refuse the
 * whole file with CSV_INVALID): checked here so the person sees it at once.
 */
export function missingColumns(text: string): string[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = src.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const sep = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  const header = first.split(sep).map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  return REQUIRED.filter((c) => !header.includes(c));
}
