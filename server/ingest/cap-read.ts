import { readCapFeed, type FeedEntry } from './cap-feed';
import { decodeXml, parseXmlRoot, readCapDocument, type CapDocument } from './cap-parse';

/**
 * Bytes → what CAP's readers need, in one synchronous step each: the work CapReader runs off the
 * main thread (cap-read-worker). Plain data in and out, so it crosses a worker boundary as is.
 */

/** A refused document: `status` 415 for an encoding not read, 400 for everything else. */
export interface ReadRefusal {
  ok: false;
  status: 400 | 413 | 415 | 503;
  code: string;
  message: string;
}

export type DocumentRead = { ok: true; value: CapDocument } | ReadRefusal;
export type FeedRead = { ok: true; value: FeedEntry[] } | ReadRefusal;

/** A pushed or linked CAP document: one `<alert>` or an `<alerts>` wrapper. */
export function readDocumentBytes(body: Uint8Array): DocumentRead {
  const xml = decodeXml(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  if (!xml.ok) return { ok: false, status: 415, code: xml.code, message: xml.message };
  const root = parseXmlRoot(xml.value);
  if (!root.ok) return { ok: false, status: 400, code: root.code, message: root.message };
  const doc = readCapDocument(root.value);
  if (!doc.ok) return { ok: false, status: 400, code: doc.code, message: doc.message };
  return { ok: true, value: doc.value };
}

/** A followed URL's document: CAP itself, or an Atom/RSS feed of it (`base` resolves relative links). */
export function readFeedBytes(body: Uint8Array, base: string): FeedRead {
  const xml = decodeXml(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  if (!xml.ok) return { ok: false, status: 415, code: xml.code, message: xml.message };
  const entries = readCapFeed(xml.value, base);
  if (!entries.ok) return { ok: false, status: 400, code: entries.code, message: entries.message };
  return { ok: true, value: entries.value };
}
