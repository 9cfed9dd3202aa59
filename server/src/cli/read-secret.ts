import crypto from 'node:crypto';

/** A password from stdin when piped (`echo … | kuzet user add …`), else a generated one. */
export async function passwordFromStdinOrGenerate(): Promise<{ password: string; generated: boolean }> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
    if (text) return { password: text, generated: false };
  }
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return { password: Array.from(crypto.randomBytes(14), (b) => alphabet[b % alphabet.length]).join(''), generated: true };
}
