#!/usr/bin/env -S node --v8-pool-size=0
// `npx dunwell …`: the CLI is TypeScript run through tsx, so the server and the engine share one source.
// The shebang gives node the options the server needs from its start (SERVER_NODE_OPTIONS in
// sync-server/heap-tuning.ts; `npm start` gives them on its command line).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sync-server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
