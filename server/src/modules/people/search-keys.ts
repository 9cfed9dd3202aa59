/**
 * The search box's key space. Names in Kazakh Cyrillic, Russian Cyrillic and Latin
 * (official 2021 Kazakh Latin, passport transliteration, English habits) fold to one
 * "phonetic-ish" Latin skeleton: Әлібек, Алибек, Alibek and Älıbek are all `alibek`;
 * Ахметов, Akhmetov, Ahmetov are all `ahmetov`. Typos are left to the ranking
 * (trigrams find candidates, edit distance scores them).
 */

const CYRILLIC: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', і: 'i',
  к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u',
  ү: 'u', ф: 'f', х: 'h', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

const LATIN_EXTRA: Record<string, string> = {
  ä: 'a', á: 'a', à: 'a', â: 'a', ö: 'o', ó: 'o', ü: 'u', ū: 'u', ú: 'u', ğ: 'g', ş: 'sh', ç: 'ch', ı: 'i', í: 'i', ï: 'i',
  ñ: 'n', é: 'e', è: 'e', ë: 'e', ý: 'i', ž: 'zh', š: 'sh', č: 'ch',
};

/** Latin spellings that mean the same sound, longest first. */
const LATIN_RULES: [RegExp, string][] = [
  [/shch/g, 'sh'],
  [/sch/g, 'sh'],
  [/dzh|dj/g, 'zh'],
  [/kh|x/g, 'h'],
  [/gh/g, 'g'],
  [/q/g, 'k'],
  [/w/g, 'v'],
  [/j/g, 'zh'],
  [/c(?!h)/g, 'k'],
  [/y/g, 'i'],
  [/^ie/g, 'e'], // Yerlan / Ерлан
  [/([a-z])\1+/g, '$1'], // Алла / Ala, Жанна / Zhana
];

/** One word to its skeleton: lower case, Latin, phonetic folds. Non-letters are dropped. */
export function skeleton(word: string): string {
  let out = '';
  for (const ch of word.toLowerCase().normalize('NFC')) {
    const c = CYRILLIC[ch] ?? LATIN_EXTRA[ch];
    if (c !== undefined) out += c;
    else if (/[a-z0-9]/.test(ch)) out += ch;
  }
  for (const [re, to] of LATIN_RULES) out = out.replace(re, to);
  return out;
}

/** The words of a name or query (spaces, hyphens, dots and commas split). */
export function words(text: string): string[] {
  return text.split(/[\s\-.,;/]+/).filter((w) => w.length > 0);
}

/** Skeleton keys of a name: one per word, without duplicates or empties. */
export function nameKeys(text: string): string[] {
  return [...new Set(words(text).map(skeleton).filter((k) => k.length > 0))];
}

// Kazakh alphabetical order (Cyrillic), then Latin; digits first. Each letter becomes one
// printable ASCII byte so a plain byte comparison (collate "C", JS <) sorts alike everywhere.
const ORDER = [
  ...'0123456789',
  ...'аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя',
  ...'abcdefghijklmnopqrstuvwxyz',
];
const RANK = new Map(ORDER.map((c, i) => [c, String.fromCharCode(0x21 + i)]));

/** A sort key that knows Kazakh letters: Алибек < Әлібек < Бауыржан; Ахмет < Ахметов. */
export function kazakhSortKey(text: string): string {
  let out = '';
  for (const w of words(text.toLowerCase())) {
    if (out.length > 0) out += ' ';
    for (const ch of w.normalize('NFC')) out += RANK.get(LATIN_EXTRA_BASE[ch] ?? ch) ?? '';
  }
  return out;
}
const LATIN_EXTRA_BASE: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ū: 'u', ğ: 'g', ş: 's', ç: 'c', ı: 'i', ñ: 'n' };

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length]!, cap + 1);
}

/** «блок 3 кв 45», «Блок 3, кв. 45», «б3 к45», «block 3 apt 45», «кв 45»: building number and apartment. */
export function apartmentOfQuery(q: string): { building: string | null; apartment: string } | null {
  const s = q.toLowerCase().replace(/ё/g, 'е');
  const m =
    /^\s*(?:(?:блок|корпус|корп|дом|д|б|block|bldg|building|b|k)\.?\s*(\d+[а-яa-z]?)\s*[,/-]?\s*)?(?:кв|квартира|пәтер|apt|apartment|kv|flat)\.?\s*(\d+)\s*$/.exec(s) ??
    /^\s*(?:блок|корпус|корп|дом|block)\.?\s*(\d+[а-яa-z]?)\s*[,/-]\s*(\d+)\s*$/.exec(s);
  if (!m) return null;
  return { building: m[1] ?? null, apartment: m[2]! };
}

/** The building number a building's name carries ("Блок 3" → "3"), or its skeleton. */
export function buildingKey(name: string): string {
  const d = /(\d+[а-яa-z]?)\s*$/i.exec(name.trim());
  return d ? d[1]!.toLowerCase() : skeleton(name);
}

/** What a name query carries besides the name: the facts that tell namesakes apart. */
export interface QueryFacts {
  /** The query without the facts: the name words. */
  rest: string;
  building: string | null;
  apartment: string | null;
  birthYear: number | null;
  /** dd.mm.yyyy typed in full: yyyy-mm-dd. */
  birthDate: string | null;
  /** Digits that are part of a phone (4 or more, «8 701…» read as 7701…). */
  phone: string | null;
}

const BUILDING_WORD = String.raw`(?:блок|корпус|корп|дом|block|bldg|building)\.?\s*(\d+[а-яa-z]?)`;
const APARTMENT_WORD = String.raw`(?:кв|квартира|пәтер|apt|apartment|kv|flat)\.?\s*(\d+)`;

/**
 * Reads the facts out of a name query: «Ахметов Алибек блок 3 кв 45», «Ахметов 1985»,
 * «Ахметов 12.03.1985», «Ахметов 4567» (end of a phone), «Ахметов 45» (a short number:
 * the apartment). Deterministic, no database: the search lifts the namesake they fit.
 */
export function queryFacts(q: string): QueryFacts {
  let s = ` ${q.toLowerCase().replace(/ё/g, 'е')} `;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(s);
    if (m) s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
    return m;
  };
  const building = take(new RegExp(String.raw`(?<=[\s,])${BUILDING_WORD}(?=[\s,])`))?.[1] ?? null;
  let apartment = take(new RegExp(String.raw`(?<=[\s,])${APARTMENT_WORD}(?=[\s,])`))?.[1] ?? null;
  const date = take(/(?<=[\s,])(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})(?=[\s,])/);
  let birthDate: string | null = null;
  let birthYear: number | null = null;
  if (date) {
    const [d, m, y] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (d >= 1 && d <= 31 && m >= 1 && m <= 12) birthDate = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    birthYear = y;
  }
  const year = birthYear === null ? take(/(?<=[\s,])((?:19|20)\d{2})(?=[\s,])/) : null;
  if (year) birthYear = Number(year[1]);
  // The digits left (a phone typed in groups, or its end); a short lone number is the apartment.
  const groups: string[] = [];
  for (let m = take(/(?<=[\s,])\+?[\d()-]*\d[\d()-]*(?=[\s,])/); m; m = take(/(?<=[\s,])\+?[\d()-]*\d[\d()-]*(?=[\s,])/)) groups.push(m[0].replace(/\D/g, ''));
  let digits = groups.join('');
  if (digits.length > 0 && digits.length <= 3 && apartment === null) {
    apartment = digits;
    digits = '';
  }
  let phone: string | null = null;
  if (digits.length >= 4 && digits.length <= 11) phone = digits.length === 11 && digits[0] === '8' ? `7${digits.slice(1)}` : digits;
  return { rest: s.replace(/\s+/g, ' ').trim(), building, apartment, birthYear, birthDate, phone };
}

/** Whether the query carries any fact besides the name. */
export function hasFacts(f: QueryFacts): boolean {
  return f.building !== null || f.apartment !== null || f.birthYear !== null || f.phone !== null;
}
