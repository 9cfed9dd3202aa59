/**
 * Test-only: writes a Cyrillic name the ways people type it, with its own tables
 * (deliberately not the search's skeleton tables), and adds one typo. Used to check the
 * search with queries the search's own code did not produce.
 */
const PASSPORT: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', і: 'i', к: 'k', қ: 'k',
  л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h',
  ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};
const KAZAKH_LATIN_2021: Record<string, string> = {
  а: 'a', ә: 'ä', б: 'b', в: 'v', г: 'g', ғ: 'ğ', д: 'd', е: 'e', ё: 'io', ж: 'j', з: 'z', и: 'i', й: 'i', і: 'ı', к: 'k', қ: 'q',
  л: 'l', м: 'm', н: 'n', ң: 'ñ', о: 'o', ө: 'ö', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'ū', ү: 'ü', ф: 'f', х: 'h', һ: 'h',
  ц: 'ts', ч: 'ç', ш: 'ş', щ: 'şş', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};
const KAZAKH_TO_RUSSIAN: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };

function apply(word: string, table: Record<string, string>, keepOthers: boolean): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const t = table[lower];
    const v = t === undefined ? (keepOthers ? lower : '') : t;
    out += ch !== lower && v.length ? v[0]!.toUpperCase() + v.slice(1) : v;
  }
  return out;
}

export type Scheme = 'passport' | 'kazakh-latin' | 'russian-cyrillic';

export function retype(name: string, scheme: Scheme): string {
  return name
    .split(' ')
    .map((w) => {
      if (scheme === 'russian-cyrillic') return apply(w, KAZAKH_TO_RUSSIAN, true);
      // Passports write a word-initial Е as Ye (Ерлан → Yerlan).
      if (scheme === 'passport' && /^[Ее]/.test(w)) return `Ye${apply(w.slice(1), PASSPORT, false)}`;
      return apply(w, scheme === 'passport' ? PASSPORT : KAZAKH_LATIN_2021, false);
    })
    .join(' ');
}

/** One typo (substitution, deletion, doubled letter or swapped neighbours) past the first letter of one word of 4+ letters. */
export function oneTypo(text: string, r: () => number): string {
  const ws = text.split(' ');
  const idx = ws.map((w, i) => (w.length >= 4 ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return text;
  const wi = idx[Math.floor(r() * idx.length)]!;
  const w = [...ws[wi]!];
  const pos = 1 + Math.floor(r() * (w.length - 1));
  const letters = /[a-zäğqñöūüış]/i.test(w.join('')) ? 'aeiouklmnrst' : 'аеиоуклмнрст';
  switch (Math.floor(r() * 4)) {
    case 0: {
      let c = letters[Math.floor(r() * letters.length)]!;
      if (c === w[pos]) c = letters[(letters.indexOf(c) + 1) % letters.length]!;
      w[pos] = c;
      break;
    }
    case 1:
      w.splice(pos, 1);
      break;
    case 2:
      w.splice(pos, 0, w[pos]!);
      break;
    default:
      if (pos < w.length - 1) [w[pos], w[pos + 1]] = [w[pos + 1]!, w[pos]!];
      else w.splice(pos, 1);
  }
  ws[wi] = w.join('');
  return ws.join(' ');
}
