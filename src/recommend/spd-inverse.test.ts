import assert from 'node:assert/strict';
import { test } from 'node:test';
import { easeWeightsFromInverse } from './ease.js';
import { randomSpd } from './random-spd.js';
import { invertSpd, nativeStatus } from './spd-inverse.js';

const native = nativeStatus();

test('the TypeScript inverse runs in a worker and leaves the event loop free', async () => {
  const n = 240;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const { inverse, path } = await invertSpd(randomSpd(n, 11), n, { prefer: 'typescript' });
  clearInterval(timer);
  assert.equal(path, 'typescript-worker');
  assert.equal(inverse.length, n * n);
  assert.ok(ticks > 0, 'timers fired while the inverse ran');
});

test('native and TypeScript inverses give the same EASE model (max |ΔB| < 1e-8)', { skip: native.available ? false : `native addon not built: ${native.available ? '' : native.reason}` }, async () => {
  const n = 300;
  const a = randomSpd(n, 7, { ridge: 50 });
  const fromNative = await invertSpd(a.slice(), n, { prefer: 'native' });
  const fromTs = await invertSpd(a.slice(), n, { prefer: 'typescript' });
  assert.equal(fromNative.path, 'native');
  assert.equal(fromTs.path, 'typescript-worker');
  const bNative = easeWeightsFromInverse(fromNative.inverse, n);
  const bTs = easeWeightsFromInverse(fromTs.inverse, n);
  let worst = 0;
  for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(bNative[i] - bTs[i]));
  assert.ok(worst < 1e-8, `max |ΔB| = ${worst}`);
});

test('the native inverse rejects a matrix that is not positive definite with the same code', { skip: native.available ? false : 'native addon not built' }, async () => {
  await assert.rejects(invertSpd(new Float64Array([1, 2, 2, 1]), 2, { prefer: 'native' }), {
    code: 'BINGE_RECOMMEND_NOT_POSITIVE_DEFINITE',
  });
});

test('asking for the native path when the addon cannot load is a coded error naming the build command', async () => {
  await assert.rejects(invertSpd(new Float64Array([1]), 1, { prefer: 'native', addonPath: '/nonexistent/binge_spd.node' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'BINGE_RECOMMEND_NATIVE_UNAVAILABLE');
    assert.match(error.message, /node native\/build\.mjs/);
    return true;
  });
});

test('auto falls back to the TypeScript worker when the addon cannot load', async () => {
  const { inverse, path } = await invertSpd(new Float64Array([4]), 1, { addonPath: '/nonexistent/binge_spd.node' });
  assert.equal(path, 'typescript-worker');
  assert.equal(inverse[0], 0.25);
});
