import type { Command } from 'commander';
import { openStore } from '../store/open-store.js';
import { configFrom, withStoreOptions } from './options.js';

/** `loopwatch migrate`: opening a store applies its pending migrations; this says where. */
export function migrateCommand(program: Command): void {
  withStoreOptions(program.command('migrate'))
    .description('apply pending schema migrations and exit')
    .action(async (opts) => {
      const config = configFrom(opts);
      const store = await openStore(config);
      process.stdout.write(`schema up to date (${store.engine} at ${store.location})\n`);
      await store.close();
    });
}
