// The offline queue in a file, for players in Node: what the server has not acknowledged survives
// a restart of the player. Written whole after each change, to a temporary file then renamed, so
// a crash leaves the old list or the new one, never half of one.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QueueStore } from './queue.js';
import type { WireEvent } from './wire.js';

export function fileQueue(path: string): QueueStore {
  mkdirSync(dirname(path), { recursive: true });
  return {
    read() {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        return Array.isArray(parsed) ? (parsed as WireEvent[]) : [];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new Error(`the player's queue file ${path} cannot be read (${(error as Error).message}): move it aside to start empty`);
      }
    },
    write(events) {
      if (events.length === 0) {
        rmSync(path, { force: true });
        return;
      }
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(events));
      renameSync(temporary, path);
    },
  };
}
