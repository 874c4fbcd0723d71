import type { Command } from 'commander';
import { createLogger } from '../logger.js';
import { startServer } from '../server/start.js';
import { createKey } from '../privacy/keys.js';
import { formatAt } from '../ingest/event-schema.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import type { Output } from './output.js';
import { loadDemoIfEmpty } from './demo-load.js';
import { demoAccount, demoStaffAccounts } from './demo-account.js';
import { WEB_PREFIX } from '../server/web-app.js';

export function serveCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('serve')
    .description('start the HTTP server on the embedded store')
    .option('--port <n>', 'port (PORT or BINGE_PORT too; default 8080)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--cors-origins <origins>', 'comma-separated web origins whose pages may call the API from a browser, e.g. https://player.example.com (BINGE_CORS_ORIGINS too; default none)')
    .option('--demo', 'on an empty store, load a generated demo population first, and print a demo ingest key')
    .option('--demo-members <n>', 'members in the demo population (60 hold every planted case)', '60')
    .option('--demo-seed <seed>', 'seed of the demo population', 'binge')
    .action(async (options: { port?: string; host?: string; corsOrigins?: string; demo?: boolean; demoMembers: string; demoSeed: string }) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !Number.isInteger(port)) throw usage(`--port must be a whole number, got ${options.port}`);
      const config = configFor(globals(), { port, host: options.host, corsOrigins: options.corsOrigins });
      const logger = createLogger(config.logLevel);
      if (options.demo) {
        await loadDemoIfEmpty(config, { members: Number(options.demoMembers), seed: options.demoSeed, heartbeatS: 300 }, output);
      }
      const server = await startServer(config, logger);
      const { key } = await createKey(server.store, 'ingest', options.demo ? 'demo' : 'serve');
      const demo = options.demo ? await demoAccount(server.store, server.context.privacy!, Date.now) : undefined;
      const demoStaff = demo ? await demoStaffAccounts(server.context.privacy!) : [];
      const profile = demo?.profileId ?? 'profile-demo';
      const event = {
        eventId: `demo-${Date.now()}`,
        playbackId: 'pb-demo',
        profileId: profile,
        titleId: 'demo-title',
        type: 'start',
        positionS: 0,
        at: formatAt(Date.now(), 0).replace('Z', '+00:00'),
        device: 'tv-demo',
        country: 'MX',
      };
      const lines = [
        '',
        `binge is listening on ${server.url} (data: ${config.dataDir})`,
        `ingest key for this run (stored hashed, shown once): ${key}`,
        '',
        'Send a playback event:',
        `  curl -s -X POST ${server.url}/v1/events -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\`,
        `    -d '${JSON.stringify([event])}'`,
      ];
      const appUrl = `${server.url}${WEB_PREFIX}`;
      if (demo) {
        lines.push(
          '',
          `Member web app: ${appUrl}`,
          demo.password
            ? `  sign in as ${demo.email} with password ${demo.password} (shown this once; it also works with POST /v1/sessions)`
            : `  sign in as ${demo.email} with the password printed when this data folder was first started`,
        );
        for (const staff of demoStaff) {
          lines.push(
            staff.password
              ? `  or as the demo ${staff.role}: ${staff.email} with password ${staff.password} (shown this once)`
              : `  or as the demo ${staff.role}: ${staff.email} with the password printed when this data folder was first started`,
          );
        }
        lines.push(
          "Read the demo member's history (a token for this run):",
          `  curl -s '${server.url}/v1/profiles/${profile}/history?limit=5' -H 'authorization: Bearer ${demo.token}'`,
        );
      } else {
        lines.push('', `Member web app: ${appUrl}`);
        lines.push('Members sign up with POST /v1/members and sign in with POST /v1/sessions; then:', `  curl -s ${server.url}/v1/profiles/<profile>/history -H 'authorization: Bearer <token>'`);
      }
      if (config.corsOrigins.length > 0) lines.push(`Pages on ${config.corsOrigins.join(', ')} may call the API from a browser (CORS).`);
      lines.push(`API description: ${server.url}/openapi.json    Stop with Ctrl-C.`, '');
      output.err(lines.join('\n'));
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.stop();
    });
}
