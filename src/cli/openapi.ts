import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openapiDocument } from '../server/openapi.js';
import type { GlobalOptions } from './main.js';
import type { Output } from './output.js';

export function openapiCommand(program: Command, _globals: () => GlobalOptions, output: Output): void {
  program
    .command('openapi')
    .description('print the OpenAPI document generated from the route schemas')
    .option('--out <file>', 'write it to a file instead')
    .action(async (options: { out?: string }) => {
      const document = JSON.stringify(await openapiDocument(), null, 2);
      if (options.out) writeFileSync(options.out, `${document}\n`);
      else output.out(document);
    });
}
