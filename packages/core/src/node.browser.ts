import { DeltaflowError } from './errors.js';

// What a browser bundle gets for @deltaflow/core/node: package.json's "browser" condition maps that Node-only
// entry point here, so no node: module reaches the bundle. A bundler reports the missing names at build time;
// where one does not, loading this module says why in one sentence.

throw new DeltaflowError(
  'E_ENVIRONMENT',
  '@deltaflow/core/node writes files (writeFileAtomic, openFileAtomic) and runs in Node only; import it from server code, never from a page or a Web Worker.',
);
