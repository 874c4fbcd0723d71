// Item-kNN with cosine similarity on binary interactions:
//   sim(i, j) = |users(i) ∩ users(j)| / (sqrt(|users(i)|·|users(j)|) + shrink)
// keeping each item's strongest neighbours; a user's score for j sums sim(i, j) over their items.
import { itemDegrees, type Interactions } from './interactions.js';
import { itemNeighbours, scoreByNeighbours, type ItemNeighbours } from './item-neighbours.js';
import { recommenderFrom, type Recommender } from './ranking.js';

export const DEFAULT_ITEM_KNN = Object.freeze({ neighbours: 100, shrink: 0 });

export interface ItemKnnParams {
  neighbours?: number;
  /** Damps similarities resting on few co-occurrences; 0 is plain cosine. */
  shrink?: number;
}

export interface ItemKnnModel extends Recommender {
  readonly kind: 'item-knn';
  readonly similarities: ItemNeighbours;
}

export function trainItemKnn(x: Interactions, params: ItemKnnParams = {}): ItemKnnModel {
  const { neighbours, shrink } = { ...DEFAULT_ITEM_KNN, ...params };
  const degree = itemDegrees(x);
  const similarities = itemNeighbours(x, {
    userWeight: () => 1,
    weigh: (i, j, c) => c / (Math.sqrt(degree[i] * degree[j]) + shrink),
    neighbours,
  });
  const scoreUser = (userItems: ArrayLike<number>) => scoreByNeighbours(similarities, userItems);
  return { ...recommenderFrom('item-knn', x.items, scoreUser), kind: 'item-knn', similarities };
}
