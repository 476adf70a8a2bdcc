import { createRequire } from 'node:module';
import type * as Http from 'node:http';

// On Node 24, `import … from 'node:http'` builds the module's ESM namespace, which reads every export;
// one of them loads undici, ~60 ms of start-up. require() reads only what is used (~10 ms).
export const http = createRequire(import.meta.url)('node:http') as typeof Http;
