import { PROVINCE_NAME } from './province';
import { z } from 'zod';
import {
  DOSSIER_CHANNELS,
  DOSSIER_STATUSES,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  REPORT_CATEGORIES,
  REPORT_STATUSES,
} from './categories';
import { WARD_CODES } from './wards';

/** Longest producer id we keep; ids are keys, not documents. */
export const MAX_ID_LENGTH = 128;
/** Open311 allows 4,000 characters of description; we take the same limit for every stream. */
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_TITLE_LENGTH = 300;

/** ISO 8601 date-time with `Z` or a numeric offset (the public contract: producers must say which clock they mean). */
export const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-20T08:30:00+07:00',
});

/** Longest part of a refused value quoted back in an error message. */
const MAX_ECHO_LENGTH = 40;

/**
 * A refused value as an error message shows it: a string quoted and cut short, anything else by its
 * kind. Never the whole input: a message is no place for a megabyte string, and stringifying a deeply
 * nested value overflows the stack.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > MAX_ECHO_LENGTH ? `${JSON.stringify(value.slice(0, MAX_ECHO_LENGTH)).slice(0, -1)}…"` : JSON.stringify(value);
  if (Array.isArray(value)) return '(a list)';
  if (value === null) return 'null';
  if (typeof value === 'object') return '(an object)';
  return String(value);
}

const id = z
  .string({ error: 'must be a string: the producer\u2019s own id' })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`);

const wardCode = z.enum(WARD_CODES as [string, ...string[]], {
  error: (issue) =>
    `unknown ward ${describeValue(issue.input)}: use one of ${PROVINCE_NAME}'s ${WARD_CODES.length} official 5-digit codes (GET /api/v1/wards)`,
});

// Latitude/longitude are range-checked here; whether the point is inside Huế is checked at ingest
// against the boundaries, because those can be replaced at start (IOC_BOUNDARIES).
const lat = z.number({ error: 'must be a number (WGS84 latitude)' }).min(-90).max(90);
const lng = z.number({ error: 'must be a number (WGS84 longitude)' }).min(-180).max(180);

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

function enumOf<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, { error: (issue) => `unknown ${what} ${describeValue(issue.input)}: use one of ${values.join(', ')}` });
}

interface Located {
  ward?: string | null | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
}

/** An item needs a ward or a full coordinate pair; half a pair is always a mistake. */
function requireLocation(item: Located, ctx: z.RefinementCtx, wardMayBeNull: boolean): void {
  const hasLat = item.lat !== undefined;
  const hasLng = item.lng !== undefined;
  if (hasLat !== hasLng) {
    ctx.addIssue({ code: 'custom', path: [hasLat ? 'lng' : 'lat'], message: 'lat and lng must be sent together' });
    return;
  }
  const hasWard = wardMayBeNull ? item.ward !== undefined : item.ward !== undefined && item.ward !== null;
  if (!hasWard && !hasLat) {
    ctx.addIssue({
      code: 'custom',
      path: ['ward'],
      message: wardMayBeNull
        ? 'is required: a ward code, null for a city-level dossier, or lat+lng'
        : 'is required: send a ward code or lat+lng',
    });
  }
}

/** A citizen report (phản ánh) as a producer sends it. */
export const reportInputSchema = z
  .object({
    id,
    category: enumOf(REPORT_CATEGORIES, 'category'),
    status: enumOf(REPORT_STATUSES, 'status'),
    createdAt: isoDateTime,
    updatedAt: isoDateTime.optional(),
    respondedAt: isoDateTime.nullish(),
    satisfied: z.boolean({ error: 'must be true, false or null' }).nullish(),
    source: text(64).optional(),
    title: text(MAX_TITLE_LENGTH).optional(),
    description: text(MAX_DESCRIPTION_LENGTH).optional(),
    reporter: z
      .object({ name: text(200).optional(), phone: text(40).optional() })
      .optional(),
    ward: wardCode.optional(),
    lat: lat.optional(),
    lng: lng.optional(),
  })
  .superRefine((r, ctx) => requireLocation(r, ctx, false));
export type ReportInput = z.infer<typeof reportInputSchema>;

const pauseSchema = z
  .object({ from: isoDateTime, to: isoDateTime.nullish() })
  .refine((p) => p.to == null || Date.parse(p.to) >= Date.parse(p.from), {
    message: 'a pause must not end before it starts',
    path: ['to'],
  });
export type Pause = z.infer<typeof pauseSchema>;

/** An administrative dossier (hồ sơ thủ tục hành chính) as a producer sends it. */
export const dossierInputSchema = z
  .object({
    id,
    ward: wardCode.nullable().optional(),
    channel: enumOf(DOSSIER_CHANNELS, 'channel'),
    status: enumOf(DOSSIER_STATUSES, 'status'),
    receivedAt: isoDateTime,
    dueAt: isoDateTime,
    updatedAt: isoDateTime.optional(),
    resolvedAt: isoDateTime.nullish(),
    pauses: z.array(pauseSchema).max(100, 'at most 100 pauses').optional(),
    procedure: text(300).optional(),
    field: text(200).optional(),
    paidOnline: z.boolean({ error: 'must be true or false' }).nullish(),
    digitised: z.boolean({ error: 'must be true or false' }).nullish(),
    eResult: z.boolean({ error: 'must be true or false' }).nullish(),
    lat: lat.optional(),
    lng: lng.optional(),
  })
  .superRefine((d, ctx) => {
    requireLocation(d, ctx, true);
    if (Date.parse(d.dueAt) < Date.parse(d.receivedAt)) {
      ctx.addIssue({ code: 'custom', path: ['dueAt'], message: 'must not be before receivedAt' });
    }
  });
export type DossierInput = z.infer<typeof dossierInputSchema>;

/** Longest ring we keep for an incident's area (a CAP polygon); more is not a warning area. */
export const MAX_AREA_POSITIONS = 2000;

/** An area on the map (a CAP polygon or circle turned into a ring): GeoJSON Polygon, [lng, lat]. */
const areaSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z
    .array(z.array(z.tuple([lng, lat])).min(4, 'a ring needs at least 4 positions').max(MAX_AREA_POSITIONS, `at most ${MAX_AREA_POSITIONS} positions`))
    .min(1)
    .max(10),
});

/** Most areas, shapes per area and CAP messages kept for one warning: enough for any real warning, bounded for the store. */
export const MAX_WARNING_AREAS = 20;
export const MAX_WARNING_SHAPES = 20;
export const MAX_WARNING_MESSAGES = 50;

const warningText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/**
 * What a CAP warning said, kept on the incident it became so that the wall can show the warning
 * itself (event, urgency, severity, expiry, sender) and draw every polygon and circle of its area,
 * not only the one point and ring that located it. Positions are GeoJSON order, [lng, lat].
 */
export const capWarningSchema = z.object({
  sender: warningText(300),
  /** The identifier and `sent` of the latest CAP message applied. */
  identifier: warningText(300),
  sent: isoDateTime,
  msgType: z.enum(['Alert', 'Update', 'Cancel']),
  event: warningText(300),
  category: z.array(warningText(20)).max(12),
  urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: warningText(20),
  senderName: warningText(300).optional(),
  headline: warningText(MAX_TITLE_LENGTH).optional(),
  instruction: warningText(MAX_DESCRIPTION_LENGTH).optional(),
  effective: isoDateTime.optional(),
  onset: isoDateTime.optional(),
  expires: isoDateTime.optional(),
  areas: z
    .array(
      z.object({
        areaDesc: warningText(500),
        polygons: z.array(z.array(z.tuple([lng, lat])).min(4).max(MAX_AREA_POSITIONS)).max(MAX_WARNING_SHAPES),
        circles: z.array(z.object({ lng, lat, radiusKm: z.number().min(0).max(20_000) })).max(MAX_WARNING_SHAPES),
      }),
    )
    .max(MAX_WARNING_AREAS),
  /** `sender,identifier,sent` of every CAP message applied to this incident: what a feed follower has seen. */
  messages: z.array(warningText(700)).max(MAX_WARNING_MESSAGES),
});
export type CapWarning = z.infer<typeof capWarningSchema>;

/** An incident (vụ việc) as a producer sends it. */
export const incidentInputSchema = z
  .object({
    id,
    type: enumOf(INCIDENT_TYPES, 'type'),
    severity: z
      .number({ error: 'must be a whole number from 1 to 4' })
      .int('must be a whole number from 1 to 4')
      .min(1, 'must be from 1 to 4')
      .max(4, 'must be from 1 to 4'),
    status: enumOf(INCIDENT_STATUSES, 'status'),
    occurredAt: isoDateTime,
    updatedAt: isoDateTime.optional(),
    title: text(MAX_TITLE_LENGTH).optional(),
    description: text(MAX_DESCRIPTION_LENGTH).optional(),
    ward: wardCode.optional(),
    lat: lat.optional(),
    lng: lng.optional(),
    /** The area it concerns (e.g. a CAP warning's polygon), drawn on the map. */
    area: areaSchema.optional(),
    /** The CAP warning it came from, when it came from one. */
    warning: capWarningSchema.optional(),
  })
  .superRefine((i, ctx) => requireLocation(i, ctx, false));
export type IncidentInput = z.infer<typeof incidentInputSchema>;

export const itemInputSchemas = {
  report: reportInputSchema,
  dossier: dossierInputSchema,
  incident: incidentInputSchema,
} as const;

/**
 * What ingest records of who sent an item: the `source` name of the ingest key that first stored
 * it (IOC_INGEST_KEYS `source:key`), or `simulator`. Only that producer may update the item. It is
 * an operator's label for a system, not personal data, so it travels with the item to the walls.
 * Absent on items stored before it was recorded; the first producer to update such an item owns it.
 */
export interface Produced {
  producer?: string;
}

/**
 * Stored items: the producer's fields after ingest has filled in what it derives:
 * `ward` from the coordinates when only they came, `updatedAt` (the version used to order
 * updates), for a report or dossier that arrives finished without its time, that time, and
 * the `producer` that owns it.
 */
export type Report = Omit<ReportInput, 'ward' | 'updatedAt'> & { ward: string; updatedAt: string } & Produced;
export type Dossier = Omit<DossierInput, 'ward' | 'updatedAt'> & { ward: string | null; updatedAt: string } & Produced;
export type Incident = Omit<IncidentInput, 'ward' | 'updatedAt' | 'severity'> & {
  ward: string;
  updatedAt: string;
  severity: 1 | 2 | 3 | 4;
} & Produced;

/** What a wall may see of a report: never the reporter (personal data). */
export type PublicReport = Omit<Report, 'reporter'>;

export interface ItemByKind {
  report: Report;
  dossier: Dossier;
  incident: Incident;
}
export interface InputByKind {
  report: ReportInput;
  dossier: DossierInput;
  incident: IncidentInput;
}

/** Drops personal data from a report before it leaves the server. */
export function toPublicReport(r: Report): PublicReport {
  // Destructuring keeps the rest typed; `reporter` is discarded on purpose.
  const { reporter: _reporter, ...rest } = r;
  return rest;
}
