import { execFileSync } from 'node:child_process';

/**
 * Bytes received so far on each established TCP connection to `port` (the simulator)
 * owned by one of `pids`, from the kernel's counters (`ss -ti`: tcp_info
 * bytes_received). Independent of the pipeline under test, so every side of the
 * benchmark is checked the same way: a camera is "really receiving" when its
 * connection's counter grows.
 */
export function tcpReceived(port: number, pids: number[]): Map<string, number> {
  const out = new Map<string, number>();
  const want = new Set(pids);
  let text: string;
  try {
    text = execFileSync('ss', ['-tinpH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`ss (iproute2) failed: ${String(err)}; install it with: apt-get install iproute2`);
  }
  let key: string | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('\t') && !line.startsWith(' ')) {
      const owners = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
      const local = line.trim().split(/\s+/)[2];
      key = local && owners.some((p) => want.has(p)) ? local : null;
      continue;
    }
    const m = /bytes_received:(\d+)/.exec(line);
    if (key) out.set(key, m ? Number(m[1]) : 0);
    key = null;
  }
  return out;
}

/** Connections whose counter grew from `a` to `b`, and the bytes they received in between. */
export function growth(a: Map<string, number>, b: Map<string, number>): { flowing: number; bytes: number } {
  let flowing = 0;
  let bytes = 0;
  for (const [k, v] of b) {
    const d = v - (a.get(k) ?? 0);
    if (d > 0) flowing++;
    bytes += Math.max(0, d);
  }
  return { flowing, bytes };
}
