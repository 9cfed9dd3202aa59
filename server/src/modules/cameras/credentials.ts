/**
 * Camera addresses keep credentials out: the stored URL has no user info, the user
 * name and password are sealed at rest and joined back only inside the media engine.
 */
export function splitCredentials(raw: string): { url: string; username: string | null; password: string | null } {
  const m = /^(rtsps?:\/\/)([^@/?#]*)@(.*)$/i.exec(raw.trim());
  if (!m) return { url: raw.trim(), username: null, password: null };
  const [, scheme, info, rest] = m as unknown as [string, string, string, string];
  const idx = info.indexOf(':');
  const user = idx >= 0 ? info.slice(0, idx) : info;
  const pass = idx >= 0 ? info.slice(idx + 1) : null;
  return { url: `${scheme}${rest}`, username: safeDecode(user) || null, password: pass === null ? null : safeDecode(pass) };
}

export function joinCredentials(url: string, username: string | null, password: string | null): string {
  if (!username) return url;
  const m = /^(rtsps?:\/\/)(.*)$/i.exec(url);
  if (!m) return url;
  const info = encodeURIComponent(username) + (password !== null ? `:${encodeURIComponent(password)}` : '');
  return `${m[1]}${info}@${m[2]}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
