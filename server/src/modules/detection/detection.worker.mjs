// Worker thread entry: the TypeScript sources run through tsx, as in bin/kuzet.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./detection.worker.ts');
