#!/usr/bin/env node
// `npx dunwell …`: the CLI is TypeScript run through tsx, so the server and the engine share one source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sync-server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
