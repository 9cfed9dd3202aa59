import { createContext } from 'react';
import type { LoginRequest, SessionInfo } from '@kuzet/contracts';

export type SignedOutReason = 'initial' | 'signed-out' | 'expired';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /**
   * reason: 'initial' nobody was signed in; 'signed-out' the person signed out;
   * 'expired' the server ended a session this page had (a notice on sign-in).
   */
  | { status: 'signed-out'; reason: SignedOutReason }
  | { status: 'signed-in'; session: SessionInfo };

export interface SessionValue {
  state: SessionState;
  signIn: (request: LoginRequest) => Promise<SessionInfo>;
  signOut: () => Promise<void>;
  lock: () => Promise<void>;
  unlock: (password: string) => Promise<void>;
  /** Reads the session again (after TOTP or password changes). */
  refresh: () => Promise<void>;
  /** Retries the first load after a network failure. */
  retry: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);
