import { shownFeedUrl } from '../config/env';

/**
 * Where the CAP follower may send a request: a feed's own origin (the operator named it in
 * IOC_CAP_FEEDS) and the origins of IOC_CAP_FETCH_ALLOW, nothing else. A feed's entries and its
 * redirects are written by whoever controls the feed, so without this a feed could make the server
 * fetch any address it reaches — loopback, the data centre's private network, a cloud metadata
 * service — and the open /healthz would tell what answered there (issue 19). Inside addresses are
 * therefore reached only when the operator named them, as a feed or in the allow-list; https only,
 * unless the feed was marked `insecure:` (then http to those same origins too).
 */
export class FetchTargets {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowOrigins: readonly string[]) {
    this.allowed = new Set(allowOrigins.map((o) => new URL(o).origin));
  }

  /** Throws TargetRefused unless `feed` may fetch `target`. */
  check(feed: { url: string; insecure: boolean }, target: string): void {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new TargetRefused('a link or redirect to an unreadable address', target.slice(0, 200));
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && feed.insecure)) {
      throw new TargetRefused('a link or redirect to a scheme other than https was refused', shownFeedUrl(target));
    }
    if (url.origin === new URL(feed.url).origin || this.allowed.has(url.origin)) return;
    throw new TargetRefused('a link or redirect to another origin than the feed’s was refused (IOC_CAP_FETCH_ALLOW lists others)', shownFeedUrl(target));
  }
}

/** A request the follower would not send; `message` is fit for /healthz, `detail` (the address) for the log. */
export class TargetRefused extends Error {
  override name = 'TargetRefused';
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}
