/** The cameras before and after `current` among the wall's cameras, going round; null where there is none. */
export function neighbours(cells: readonly (string | null)[], current: string): { previous: string | null; next: string | null } {
  const list = cells.filter((c): c is string => c !== null).filter((c, i, all) => all.indexOf(c) === i);
  const at = list.indexOf(current);
  const others = list.length - (at === -1 ? 0 : 1);
  if (others <= 0) return { previous: null, next: null };
  if (at === -1) return { previous: list[list.length - 1] ?? null, next: list[0] ?? null };
  return {
    previous: list[(at - 1 + list.length) % list.length] ?? null,
    next: list[(at + 1) % list.length] ?? null,
  };
}
