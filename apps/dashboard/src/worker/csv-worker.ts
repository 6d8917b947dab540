// The standalone page's CSV checker: parses the person's CSV with the chosen columns off the main thread (a
// million rows take a second), and answers what it holds or the parser's one-sentence error.
import { checkCsv } from '../shared/csv-check.js';
import type { CsvCheckRequest } from '../shared/csv-check.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (message: MessageEvent<CsvCheckRequest>) => scope.postMessage(checkCsv(message.data));
