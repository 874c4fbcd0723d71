#!/usr/bin/env node
// Builds the optional native EASE inverse (binge_spd.node) with node-gyp.
// It never fails an install: when headers, libraries or node-gyp are missing it says what is
// missing, that binge will use its TypeScript inverse instead, and exits 0.
// Flags: --strict exits 1 on failure (for CI that must prove the native path);
// BINGE_NATIVE=0 in the environment skips the build.
import { existsSync, realpathSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const strict = process.argv.includes('--strict');
const FALLBACK = 'binge will use the pure TypeScript inverse (slower, same model).';

function finish(ok, message) {
  console.log(`[binge native] ${message}`);
  process.exit(ok || !strict ? 0 : 1);
}

function firstExisting(paths) {
  return paths.find((p) => p && existsSync(p));
}

function nodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, 'include', 'node', 'node_api.h'))) return configured;
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return undefined;
}

function nodeGypScript() {
  const fromNpm = process.env.npm_execpath
    ? join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
    : undefined;
  let fromNpmOnPath;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) {
    const npmCli = realpathSync(which.stdout.trim());
    fromNpmOnPath = join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  }
  return firstExisting([
    process.env.npm_config_node_gyp,
    fromNpm,
    fromNpmOnPath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]);
}

function libraryPresent(name) {
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((d) => existsSync(join(d, `lib${name}.so`)) || existsSync(join(d, `lib${name}.a`)));
}

if (process.env.BINGE_NATIVE === '0') finish(true, `skipped (BINGE_NATIVE=0); ${FALLBACK}`);

const dir = nodeDir();
if (!dir) finish(false, `cannot build: node_api.h not found (install Node's headers, or set npm_config_nodedir); ${FALLBACK}`);
const missing = [];
if (!firstExisting(['/usr/include/lapacke.h', '/usr/local/include/lapacke.h'])) missing.push('lapacke.h');
if (!libraryPresent('lapacke')) missing.push('liblapacke');
if (!libraryPresent('openblas')) missing.push('libopenblas');
if (missing.length > 0) {
  finish(false, `cannot build: missing ${missing.join(', ')} (Debian/Ubuntu: apt-get install -y libopenblas-dev liblapacke-dev); ${FALLBACK}`);
}
const gyp = nodeGypScript();
if (!gyp) finish(false, `cannot build: node-gyp not found (it ships with npm); ${FALLBACK}`);

const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], { cwd: here, stdio: 'inherit' });
if (result.status !== 0) finish(false, `node-gyp failed (exit ${result.status}); ${FALLBACK}`);
finish(true, `built ${join(here, 'build', 'Release', 'binge_spd.node')}`);
