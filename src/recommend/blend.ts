// A weighted blend of recommenders. Each part's scores are divided by that part's largest
// score for the user first, so the weights compare like with like whatever the models' scales.
import { recommenderFrom, type Recommender } from './ranking.js';

export interface BlendPart {
  model: Recommender;
  weight: number;
}

export function blendRecommenders(kind: string, parts: readonly BlendPart[]): Recommender {
  const items = parts[0]?.model.items ?? 0;
  const scoreUser = (userItems: ArrayLike<number>) => {
    const total = new Float64Array(items);
    for (const { model, weight } of parts) {
      const scores = model.scoreUser(userItems);
      let max = 0;
      for (let j = 0; j < items; j++) if (scores[j] > max) max = scores[j];
      const scale = max > 0 ? weight / max : weight;
      for (let j = 0; j < items; j++) total[j] += scale * scores[j];
    }
    return total;
  };
  return recommenderFrom(kind, items, scoreUser);
}
