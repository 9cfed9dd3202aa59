import fs from 'node:fs';

/** CPU and memory of processes from /proc, as performance.md asks: utime+stime, VmRSS, PSS. */
const TICKS = 100; // USER_HZ on Linux

export function cpuTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : rssKb(pid);
  } catch {
    return rssKb(pid);
  }
}

/**
 * % of one core used by `pids` over `ms`, and their memory: the median of five readings
 * spread over the window (one reading lands wherever the garbage collector happens to be).
 */
export async function measure(pids: () => number[], ms: number): Promise<{ cpuPct: number; rssMb: number; pssMb: number }> {
  const before = new Map(pids().map((p) => [p, cpuTicks(p)]));
  const rss: number[] = [];
  const pss: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, ms / 5));
    const list = pids();
    rss.push(list.reduce((s, p) => s + rssKb(p), 0) / 1024);
    pss.push(list.reduce((s, p) => s + pssKb(p), 0) / 1024);
  }
  let ticks = 0;
  for (const p of pids()) ticks += cpuTicks(p) - (before.get(p) ?? cpuTicks(p));
  return { cpuPct: (ticks / TICKS / (ms / 1000)) * 100, rssMb: median(rss), pssMb: median(pss) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `roots` and every process below them (ffmpeg's or a shell's children count too); one scan of /proc. */
export function withDescendants(...roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      continue; // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  for (const r of roots) walk(r);
  return out;
}
