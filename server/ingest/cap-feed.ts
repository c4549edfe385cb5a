import { attributeOf, childrenNamed, localName, parseXmlRoot, readCapAlert, readCapDocument, textOf, type CapAlert, type CapResult, type XmlElement } from './cap-parse';

/**
 * What a followed URL holds, read into entries: a CAP document (one `<alert>` or an `<alerts>`
 * wrapper), or an Atom or RSS feed whose entries carry CAP inline (Atom `<content>` holding an
 * `<alert>`) or link to it (a `<link>` of type application/cap+xml, `<content src>`, an RSS
 * `<link>` or `<enclosure>`). Linked documents are fetched and read with readCapDocument.
 */

/** Most entries read from one feed document per poll; a feed is a window of current warnings, not an archive. */
export const MAX_FEED_ENTRIES = 500;

export type FeedEntry =
  /** Alerts carried in the document itself. */
  | { key: string; alerts: CapResult<CapAlert>[] }
  /** An entry that points at its CAP document. */
  | { key: string; link: string };

/** Reads a fetched document; `base` resolves relative links. */
export function readCapFeed(xml: string, base: string): CapResult<FeedEntry[]> {
  const root = parseXmlRoot(xml);
  if (!root.ok) return root;
  const name = localName(root.value.name);
  if (name === 'alert' || name === 'alerts') {
    const doc = readCapDocument(root.value);
    if (!doc.ok) return doc;
    return { ok: true, value: [{ key: 'document', alerts: doc.value.wrapped ? doc.value.alerts : [doc.value.alert] }] };
  }
  let entries: XmlElement[];
  if (name === 'feed') entries = childrenNamed(root.value, 'entry');
  else if (name === 'rss') entries = childrenNamed(root.value, 'channel').flatMap((c) => childrenNamed(c, 'item'));
  else return { ok: false, code: 'not_a_feed', message: `the document is neither CAP nor an Atom or RSS feed (root <${root.value.name.slice(0, 80)}>)` };
  const out: FeedEntry[] = [];
  for (const [i, entry] of entries.slice(0, MAX_FEED_ENTRIES).entries()) {
    const key = `${textOf(childrenNamed(entry, name === 'feed' ? 'id' : 'guid')[0] ?? entry) ?? `#${i}`}|${textOf(childrenNamed(entry, name === 'feed' ? 'updated' : 'pubDate')[0] ?? entry) ?? ''}`;
    const inline = [entry, ...childrenNamed(entry, 'content'), ...childrenNamed(entry, 'description')].flatMap((e) => childrenNamed(e, 'alert'));
    if (inline.length > 0) {
      out.push({ key, alerts: inline.map(readCapAlert) });
      continue;
    }
    const link = capLinkOf(entry);
    const resolved = link === undefined ? undefined : absolute(link, base);
    if (resolved) out.push({ key, link: resolved });
  }
  return { ok: true, value: out };
}

/** The entry's CAP link: one typed as CAP, then `<content src>`, then an enclosure, then the entry's own link. */
function capLinkOf(entry: XmlElement): string | undefined {
  const links = childrenNamed(entry, 'link');
  const typed = links.find((l) => /cap/i.test(attributeOf(l, 'type') ?? ''));
  if (typed) return attributeOf(typed, 'href');
  const src = childrenNamed(entry, 'content').map((c) => attributeOf(c, 'src')).find((s) => s !== undefined);
  if (src) return src;
  const enclosure = childrenNamed(entry, 'enclosure').map((e) => attributeOf(e, 'url')).find((u) => u !== undefined);
  if (enclosure) return enclosure;
  const alternate = links.find((l) => (attributeOf(l, 'rel') ?? 'alternate') === 'alternate');
  if (alternate) return attributeOf(alternate, 'href') ?? textOf(alternate);
  return undefined;
}

function absolute(link: string, base: string): string | undefined {
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
