import { DeltaflowError } from '@deltaflow/core';

// What a browser bundle gets for @deltaflow/network/node: package.json's "browser" condition maps that Node-only
// entry point here, so no node: module reaches the bundle. A bundler reports the missing names at build time;
// where one does not, loading this module says why in one sentence.

throw new DeltaflowError(
  'E_ENVIRONMENT',
  '@deltaflow/network/node reads and writes model files and loads plugin modules from disk, so it runs in Node only; in a browser, use modelToJSON/modelFromJSON of @deltaflow/network with fetch() or a download.',
);
