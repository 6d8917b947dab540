import type { EpochEvent } from '@deltaflow/trainer';
import { describe, expect, it } from 'vitest';
import type { FeedMessage } from '../shared/feed.js';
import { Publisher } from './publisher.js';

const epoch = (n: number): EpochEvent => ({
  type: 'epoch',
  epoch: n,
  loss: 1 / n,
  metrics: { accuracy: 0.5 },
  elapsedMs: n,
  samplesPerSecond: 1000,
  lr: 0.1,
});

describe('Publisher', () => {
  it('posts everything queued in one go, in order, with the buffers to transfer', () => {
    const posts: { messages: FeedMessage[]; transfer: Transferable[] }[] = [];
    const publisher = new Publisher((messages, transfer) => posts.push({ messages, transfer }));
    publisher.event(epoch(1));
    publisher.event(epoch(2));
    publisher.state('paused');
    publisher.event(epoch(3));
    publisher.flush();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.messages.map((m) => m.type)).toEqual(['epochs', 'state', 'epochs']);
    const [first] = posts[0]!.messages;
    expect(Array.from((first as { epoch: Float64Array }).epoch)).toEqual([1, 2]);
    // every column of both runs of epochs is transferred, none twice
    expect(posts[0]!.transfer.length).toBe(new Set(posts[0]!.transfer).size);
    expect(posts[0]!.transfer.length).toBe(2 * 7);
  });

  it('posts nothing when nothing is queued', () => {
    const posts: FeedMessage[][] = [];
    const publisher = new Publisher((messages) => posts.push(messages));
    publisher.flush();
    publisher.send({ type: 'status', text: 'ready' });
    expect(posts).toEqual([[{ type: 'status', text: 'ready' }]]);
  });
});
