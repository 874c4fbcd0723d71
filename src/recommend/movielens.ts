// Reads the MovieLens-100k five-fold splits (uN.base / uN.test: user \t item \t rating \t time)
// as implicit feedback: every rating is one interaction. The data set's licence forbids
// redistribution: it is read from where it lies (../shared/data/movielens-100k), never copied.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RecommendError } from './errors.js';
import { interactionsFromPairs, type InteractionPair, type Interactions } from './interactions.js';

export interface MovieLensFold {
  name: string;
  train: Interactions;
  /** Held-out items per user (matrix indices); users without test items are absent. */
  test: Map<number, Set<number>>;
  /** Size of the catalogue (the items of u.item when present, else the largest id seen). */
  catalogue: number;
}

/** Names of the uN folds with both files present, in order. Throws BINGE_ML100K_MISSING when none. */
export function movieLensFoldNames(dir: string): string[] {
  const where = resolve(dir);
  const files = existsSync(where) ? readdirSync(where) : [];
  const names = files
    .map((f) => /^(u\d+)\.base$/.exec(f)?.[1])
    .filter((name): name is string => name !== undefined && files.includes(`${name}.test`))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  if (names.length === 0) {
    throw new RecommendError(
      'BINGE_ML100K_MISSING',
      `no MovieLens-100k folds (u1.base/u1.test ...) in ${where}; ` +
        'pass the folder of the unpacked ml-100k data set (for example ../shared/data/movielens-100k). ' +
        'Its licence forbids redistribution, so binge does not ship it.',
    );
  }
  return names;
}

function readRatings(path: string): { user: number; item: number; atMs: number }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [user, item, , seconds] = line.split('\t').map(Number);
      return { user: user - 1, item: item - 1, atMs: seconds * 1000 };
    });
}

function catalogueSize(dir: string): number {
  const items = join(dir, 'u.item');
  if (!existsSync(items)) return 0;
  return readFileSync(items, 'latin1').split('\n').filter((line) => line.trim() !== '').length;
}

export function readMovieLensFold(dir: string, name: string): MovieLensFold {
  const base = readRatings(join(dir, `${name}.base`));
  const held = readRatings(join(dir, `${name}.test`));
  const all = base.concat(held);
  const users = 1 + all.reduce((max, r) => Math.max(max, r.user), -1);
  const catalogue = Math.max(catalogueSize(dir), 1 + all.reduce((max, r) => Math.max(max, r.item), -1));
  const train = interactionsFromPairs(users, catalogue, base as InteractionPair[]);
  const test = new Map<number, Set<number>>();
  for (const { user, item } of held) {
    let items = test.get(user);
    if (!items) test.set(user, (items = new Set()));
    items.add(item);
  }
  return { name, train, test, catalogue };
}
