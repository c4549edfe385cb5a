import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from './env';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configFromEnv', () => {
  it('reads IOC_766_PERIOD, the month to date by default, and refuses an unknown period', () => {
    expect(configFromEnv({}).index766Period).toBe('month');
    expect(configFromEnv({ IOC_766_PERIOD: 'quarter' }).index766Period).toBe('quarter');
    expect(configFromEnv({ IOC_766_PERIOD: 'rolling30' }).index766Period).toBe('rolling30');
    expect(configError({ IOC_766_PERIOD: 'week' }).message).toBe('IOC_766_PERIOD must be one of month, quarter, rolling30, got "week"');
  });

  it('names a bad IOC_USERS entry by its user name, never showing the password', () => {
    const err = configError({ IOC_USERS: 'ops:officer:fine-password-1,lan:chief:S3cret-Passw0rd' });
    expect(err.message).toContain('IOC_USERS');
    expect(err.message).toContain('entry 2');
    expect(err.message).toContain('"lan"');
    expect(err.message).not.toContain('S3cret');
    expect(err.message).not.toContain('chief:');
  });

  it('names a bad IOC_INGEST_KEYS entry by its source, never showing the key', () => {
    const err = configError({ IOC_INGEST_KEYS: 'hue-s:short7' });
    expect(err.message).toContain('"hue-s"');
    expect(err.message).not.toContain('short7');
  });

  it('shows nothing of an entry with no separator at all (it may be a bare secret)', () => {
    const err = configError({ IOC_USERS: 'just-a-password-pasted-here' });
    expect(err.message).not.toContain('just-a-password');
  });

  it('reads IOC_METRICS_TOKEN, and refuses one too short to be a secret', () => {
    expect(configFromEnv({}).metricsToken).toBeNull();
    expect(configFromEnv({ IOC_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe('scrape-token-0123456789');
    const err = configError({ IOC_METRICS_TOKEN: 'short' });
    expect(err.message).toMatch(/IOC_METRICS_TOKEN.*16/);
    expect(err.message).not.toContain('short"');
  });

  it('keeps report descriptions out of the public Open311 answers unless IOC_OPEN311_PUBLIC_DESCRIPTION=1', () => {
    expect(configFromEnv({}).open311PublicDescription).toBe(false);
    expect(configFromEnv({ IOC_OPEN311_PUBLIC_DESCRIPTION: '1' }).open311PublicDescription).toBe(true);
    expect(configFromEnv({ IOC_OPEN311_PUBLIC_DESCRIPTION: 'false' }).open311PublicDescription).toBe(false);
    expect(configError({ IOC_OPEN311_PUBLIC_DESCRIPTION: 'yes' }).message).toBe('IOC_OPEN311_PUBLIC_DESCRIPTION must be 1 or 0, got "yes"');
  });

  it('reads the CAP follower and feed settings: URLs, the poll interval (default 60 s) and a feed token of 16 characters or more', () => {
    const c = configFromEnv({ IOC_CAP_FEEDS: 'https://kttv.example/cap.atom, local=insecure:http://10.0.0.5:8080/alerts.xml?key=s3cret', IOC_CAP_POLL_S: '120', IOC_CAP_FEED_TOKEN: 'feed-token-0123456789' });
    // Each feed is its own producer: named, or by its host and path (never its query).
    expect(c.capFeeds).toEqual([
      { url: 'https://kttv.example/cap.atom', producer: 'feed:kttv.example/cap.atom', insecure: false },
      { url: 'http://10.0.0.5:8080/alerts.xml?key=s3cret', producer: 'feed:local', insecure: true },
    ]);
    expect(c.capPollMs).toBe(120_000);
    expect(c.capFeedToken).toBe('feed-token-0123456789');
    expect(configFromEnv({})).toMatchObject({ capFeeds: [], capPollMs: 60_000, capFeedToken: null });
    expect(configError({ IOC_CAP_FEEDS: 'ftp://x.example/a' }).message).toMatch(/IOC_CAP_FEEDS: entry 1/);
    // A refused URL is named without its query, which may hold a key.
    expect(configError({ IOC_CAP_FEEDS: 'https://ok.example/a,file:///etc/passwd?k=s3cret' }).message).not.toContain('s3cret');
    expect(configError({ IOC_CAP_POLL_S: '1' }).message).toMatch(/IOC_CAP_POLL_S/);
    // Plain http only when marked insecure; two feeds that would be one producer must be named.
    expect(configError({ IOC_CAP_FEEDS: 'http://kttv.example/cap.atom?k=s3cret' }).message).toMatch(/entry 1 \("http:\/\/kttv.example\/cap.atom"\): .*insecure:http/);
    expect(configError({ IOC_CAP_FEEDS: 'https://a.example/x?p=1,https://a.example/x?p=2' }).message).toMatch(/one producer feed:a.example\/x; name them/);
    expect(configFromEnv({ IOC_CAP_FEEDS: 'p1=https://a.example/x?p=1,p2=https://a.example/x?p=2' }).capFeeds.map((f) => f.producer)).toEqual(['feed:p1', 'feed:p2']);
  });

  it('reads IOC_CAP_SENDERS (sender=producer|producer) and IOC_CAP_FETCH_ALLOW (origins)', () => {
    const c = configFromEnv({ IOC_CAP_SENDERS: 'kttv@hue.gov.vn=feed:kttv|kttv-push, pccc@hue.gov.vn=fire-desk', IOC_CAP_FETCH_ALLOW: 'https://cdn.kttv.example/docs/, http://10.1.2.3:8080' });
    expect(c.capSenders).toEqual(
      new Map([
        ['kttv@hue.gov.vn', new Set(['feed:kttv', 'kttv-push'])],
        ['pccc@hue.gov.vn', new Set(['fire-desk'])],
      ]),
    );
    expect(c.capFetchAllow).toEqual(['https://cdn.kttv.example', 'http://10.1.2.3:8080']);
    expect(configError({ IOC_CAP_SENDERS: 'kttv@hue.gov.vn' }).message).toMatch(/IOC_CAP_SENDERS: entry 1.*expected sender=producer/);
    expect(configError({ IOC_CAP_FETCH_ALLOW: 'ftp://x.example' }).message).toMatch(/IOC_CAP_FETCH_ALLOW: entry 1/);
    expect(configFromEnv({})).toMatchObject({ capSenders: new Map(), capFetchAllow: [] });
    expect(configError({ IOC_CAP_FEED_TOKEN: 'short' }).message).toMatch(/IOC_CAP_FEED_TOKEN.*16/);
  });
});
