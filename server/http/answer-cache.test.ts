import { describe, expect, it } from 'vitest';
import { AnswerCache } from './answer-cache';

const answer = (body: string) => ({ body, contentType: 'text/plain' });

function cache(opts: { ttlMs?: number; maxBytes?: number } = {}) {
  let nowMs = 0;
  const c = new AnswerCache({ ttlMs: opts.ttlMs ?? 5_000, maxBytes: opts.maxBytes ?? 1_000, now: () => nowMs });
  return { c, advance: (ms: number) => (nowMs += ms) };
}

describe('AnswerCache', () => {
  it('serves an answer until its age reaches ttlMs, then not', () => {
    const { c, advance } = cache();
    c.set('k', answer('hello'));
    advance(4_999);
    expect(c.get('k')?.body.toString()).toBe('hello');
    advance(1);
    expect(c.get('k')).toBeUndefined();
  });

  it('clear() drops every answer at once (a report was stored)', () => {
    const { c } = cache();
    c.set('a', answer('1'));
    c.set('b', answer('2'));
    c.clear();
    expect([c.get('a'), c.get('b')]).toEqual([undefined, undefined]);
  });

  it('keeps within maxBytes by dropping the oldest; an answer larger than that is returned but not kept', () => {
    const { c } = cache({ maxBytes: 10 });
    c.set('a', answer('aaaa'));
    c.set('b', answer('bbbb'));
    c.set('c', answer('cccc'));
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')?.body.toString()).toBe('bbbb');
    expect(c.get('c')?.body.toString()).toBe('cccc');
    const big = c.set('big', answer('x'.repeat(11)));
    expect(big.body.length).toBe(11);
    expect(c.get('big')).toBeUndefined();
    expect(c.get('c')).toBeDefined();
  });

  it('the ETag is the body’s: equal bodies, equal tags; a different body, another tag', () => {
    const { c } = cache();
    const one = c.set('a', answer('same'));
    const two = c.set('b', answer('same'));
    const three = c.set('c', answer('other'));
    expect(one.etag).toBe(two.etag);
    expect(one.etag).not.toBe(three.etag);
    expect(one.etag).toMatch(/^"[\w-]+"$/);
  });
});
