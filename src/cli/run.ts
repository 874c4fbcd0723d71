// The process entry: everything else returns values; only this sets the exit code.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
