// Written by scripts/bundle.mjs: the entry of the action, the code is in action.js.
import module from 'node:module';
module.enableCompileCache?.();
await import('./action.js');
