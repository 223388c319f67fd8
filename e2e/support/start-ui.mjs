// Runs start-ui.ts through tsx (as bin/deckhand.mjs runs the CLI), so no build of the core is needed.
import { register } from 'tsx/esm/api';

register();
await import('./start-ui.ts');
