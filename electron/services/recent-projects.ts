/** The list of recently opened projects, kept as a small JSON file in the user's data folder. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../shared/contract/host-api';

const MAX_RECENT = 12;

interface StoredEntry {
  path: string;
  name: string;
  openedAt: string;
}

export class RecentProjects {
  private readonly file: string;

  constructor(dataDirectory: string) {
    this.file = path.join(dataDirectory, 'recent-projects.json');
  }

  private read(): StoredEntry[] {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((entry): entry is StoredEntry => typeof entry?.path === 'string' && typeof entry?.name === 'string' && typeof entry?.openedAt === 'string');
    } catch {
      return []; // a missing or damaged list is simply empty; it is rewritten on the next open
    }
  }

  list(): RecentProject[] {
    return this.read().map((entry) => ({ ...entry, exists: existsSync(entry.path) }));
  }

  remember(projectPath: string, name: string): void {
    const entries = [{ path: projectPath, name, openedAt: new Date().toISOString() }, ...this.read().filter((entry) => entry.path !== projectPath)].slice(0, MAX_RECENT);
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Write then rename, so a crash never leaves half a list.
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries, null, 2));
    renameSync(temporary, this.file);
  }
}
