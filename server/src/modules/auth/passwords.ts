import { hash, verify, type Algorithm } from '@node-rs/argon2';

// argon2id with OWASP's minimum (19 MiB, 2 passes): ~30 ms on the post's box.
// Algorithm is a const enum (unusable under isolatedModules): 2 is Argon2id.
const options = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

/** Verified against when the account does not exist, so timing does not reveal it. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('kuzet-no-such-account');
  return dummy;
}
