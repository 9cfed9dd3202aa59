/**
 * Test helper: the UDP sockets this process has bound, read from the kernel
 * (/proc/self/fd → socket inodes, matched against /proc/self/net/udp{,6}). Unlike a
 * count of libuv handles this sees a socket whatever holds it, so a test built on it
 * catches a port left bound after a reconnect. Linux only.
 */
import fs from 'node:fs';

export interface BoundUdpSocket {
  inode: number;
  localPort: number;
}

export function boundUdpSockets(): BoundUdpSocket[] {
  const inodes = new Set<number>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let link = '';
    try {
      link = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the fd of the directory listing itself, closed meanwhile
    }
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(Number(m[1]));
  }
  const out: BoundUdpSocket[] = [];
  for (const table of ['/proc/self/net/udp', '/proc/self/net/udp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const inode = Number(cols[9]);
      if (!inodes.has(inode)) continue;
      const local = cols[1] ?? '';
      out.push({ inode, localPort: parseInt(local.slice(local.lastIndexOf(':') + 1), 16) });
    }
  }
  return out;
}
