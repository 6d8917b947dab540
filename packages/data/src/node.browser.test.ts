import { describe, expect, it } from 'vitest';

describe('@deltaflow/data/node in a browser bundle', () => {
  it('says in one sentence that it runs in Node only', async () => {
    await expect(import('./node.browser.js')).rejects.toMatchObject({
      name: 'DeltaflowError',
      code: 'E_ENVIRONMENT',
      message: expect.stringMatching(/^@deltaflow\/data\/node .* Node only; .*\.$/),
    });
  });
});
