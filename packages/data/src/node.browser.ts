import { DeltaflowError } from '@deltaflow/tensor';

// What a browser bundle gets for @deltaflow/data/node: package.json's "browser" condition maps that Node-only
// entry point here, so no node: module reaches the bundle. A bundler reports the missing names at build time;
// where one does not, loading this module says why in one sentence.

throw new DeltaflowError(
  'E_ENVIRONMENT',
  '@deltaflow/data/node reads CSV and Arrow files from disk and runs in Node only; in a browser, read the file with fetch() or a File and parse it with parseCsv or the data sets of @deltaflow/data.',
);
