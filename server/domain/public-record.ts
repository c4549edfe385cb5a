import type { Incident, PublicReport } from '@shared/schemas';

/** Coordinates are published to 0.001° (about 110 m): enough to see the street, not the doorway the citizen reported from. */
export const PUBLIC_COORDINATE_DECIMALS = 3;

/** A coordinate as anyone may see it (Open311's public answers, the anonymous wall). */
export function publicCoordinate(x: number): number {
  return Number(x.toFixed(PUBLIC_COORDINATE_DECIMALS));
}

/**
 * A report as a reader who has not signed in may see it: no more than Open311's public record of it
 * (issue 19, item 9). Coordinates rounded to PUBLIC_COORDINATE_DECIMALS (a heat layer needs no more);
 * no title (the first line of the description) and no producer, as Open311 leaves them out; the
 * citizen's description only when the city publishes it (IOC_OPEN311_PUBLIC_DESCRIPTION). The
 * channel (`source`: Hue-S, hotline 1022, open311) stays: it names no one.
 */
export function anonymousReport(r: PublicReport, publishDescription: boolean): PublicReport {
  const { title: _title, description, producer: _producer, lat, lng, ...rest } = r;
  return {
    ...rest,
    ...(publishDescription && description !== undefined ? { description } : {}),
    ...(lat !== undefined ? { lat: publicCoordinate(lat) } : {}),
    ...(lng !== undefined ? { lng: publicCoordinate(lng) } : {}),
  };
}

/**
 * An incident as a reader who has not signed in may see it: its free text goes (a producer's title or
 * description may name the caller, as the CAP feed's test shows), its place and kind stay: a fire or a
 * flood is where it is, and the wall's incident layer shows that.
 */
export function anonymousIncident(i: Incident): Incident {
  const { title: _title, description: _description, ...rest } = i;
  return rest;
}
