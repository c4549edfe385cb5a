import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import type { ItemKind } from '@shared/categories';
import type { IngestResult, ItemError } from '@shared/protocol';
import { itemInputSchemas, type DossierInput, type IncidentInput, type ReportInput } from '@shared/schemas';
import { MAX_BATCH_ITEMS } from '../../ingest/ingest-service';
import { MAX_BODY_BYTES } from '../ingest-routes';
import { SERVER_ERROR, errorResponse, errorResponses, ingestKeyOnly, json, retryAfter, type Agrees } from './common';

/**
 * `POST /api/v1/{reports,dossiers,incidents}`. The bodies are the very schemas ingest validates
 * with (`itemInputSchemas`), and the examples are sent to a real server by the OpenAPI test, so
 * neither the schema nor an example can drift from what the endpoint takes.
 */

export const itemErrorSchema = z.object({
  index: z.number().int().meta({ description: 'Position in the batch (0 for a single object).' }),
  id: z.string().optional(),
  field: z.string().optional().meta({ description: 'The field at fault, e.g. `ward` or `pauses.0.to`.' }),
  code: z.string(),
  message: z.string(),
});
const itemErrorAgrees: Agrees<z.infer<typeof itemErrorSchema>, ItemError> = true;
void itemErrorAgrees;

export const ingestResultSchema = z.object({
  accepted: z.number().int().meta({ description: 'New items and updates applied.' }),
  duplicate: z.number().int().meta({ description: 'Items already held in this version (sent twice).' }),
  stale: z.number().int().meta({ description: 'Updates older (by updatedAt) than the version held: kept out.' }),
  rejected: z.number().int(),
  errors: z.array(itemErrorSchema),
});
const ingestResultAgrees: Agrees<z.infer<typeof ingestResultSchema>, IngestResult> = true;
void ingestResultAgrees;

/** One example per stream, as a producer would send it (Phường Phú Xuân, 19753). */
export const INGEST_EXAMPLES: { report: ReportInput; dossier: DossierInput; incident: IncidentInput } = {
  report: {
    id: 'hue-s-2026-118234',
    category: 'environment',
    status: 'received',
    createdAt: '2026-11-20T08:30:00+07:00',
    source: 'hue-s',
    title: 'Rác thải tồn đọng ven sông Hương',
    description: 'Rác thải sinh hoạt tồn đọng nhiều ngày tại bờ sông đoạn đường Lê Lợi.',
    reporter: { name: 'Nguyễn Văn An', phone: '0905123456' },
    ward: '19753',
    lat: 16.47865,
    lng: 107.57725,
  },
  dossier: {
    id: 'dvc-000.00.19.H57-261120-0042',
    ward: '19753',
    channel: 'online',
    status: 'processing',
    receivedAt: '2026-11-20T09:00:00+07:00',
    dueAt: '2026-11-27T17:00:00+07:00',
    procedure: 'Cấp bản sao trích lục hộ tịch',
    field: 'Hộ tịch',
    paidOnline: true,
    digitised: true,
  },
  incident: {
    id: 'pccc-2026-0317',
    type: 'fire',
    severity: 3,
    status: 'responding',
    occurredAt: '2026-11-20T14:05:00+07:00',
    title: 'Cháy nhà dân',
    description: 'Cháy nhà cấp 4, lực lượng PCCC đang xử lý.',
    ward: '19753',
    lat: 16.47865,
    lng: 107.57725,
  },
};

const PATHS: Record<ItemKind, { path: string; noun: string; summary: string; example: 'report' | 'dossier' | 'incident' }> = {
  report: { path: '/api/v1/reports', noun: 'report', summary: 'Send citizen reports (phản ánh)', example: 'report' },
  dossier: { path: '/api/v1/dossiers', noun: 'dossier', summary: 'Send administrative dossiers (hồ sơ thủ tục hành chính)', example: 'dossier' },
  incident: { path: '/api/v1/incidents', noun: 'incident', summary: 'Send incidents (vụ việc)', example: 'incident' },
};

const COMPONENT_NAMES: Record<ItemKind, string> = { report: 'ReportInput', dossier: 'DossierInput', incident: 'IncidentInput' };

/** The item schemas as named components, so each body refers to them. */
export const ingestComponents = {
  [COMPONENT_NAMES.report]: itemInputSchemas.report,
  [COMPONENT_NAMES.dossier]: itemInputSchemas.dossier,
  [COMPONENT_NAMES.incident]: itemInputSchemas.incident,
  IngestResult: ingestResultSchema,
};

/** One item, or a batch of at most MAX_BATCH_ITEMS. */
export function ingestBodySchema(kind: ItemKind) {
  const item = itemInputSchemas[kind];
  return z.union([item, z.array(item).min(1).max(MAX_BATCH_ITEMS)]);
}

export const ingestPaths: ZodOpenApiPathsObject = Object.fromEntries(
  (Object.keys(PATHS) as ItemKind[]).map((kind) => {
    const p = PATHS[kind];
    const example = INGEST_EXAMPLES[p.example];
    return [
      p.path,
      {
        post: {
          operationId: `ingest-${kind}`,
          tags: ['Ingest'],
          summary: p.summary,
          description:
            `One ${p.noun} as a JSON object, or a batch as an array of at most ${MAX_BATCH_ITEMS}. Each carries the producer's own \`id\`: ` +
            `the same item sent twice counts once, and a later version (by \`updatedAt\`) of the same id updates it. ` +
            'In a batch each bad item is listed by its index and the rest are accepted; all bad is a 400. ' +
            'Durable before the 202. Any content type is read as JSON.',
          security: ingestKeyOnly,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ingestBodySchema(kind),
                examples: {
                  one: { summary: `One ${p.noun}`, value: example },
                  batch: { summary: 'A batch of one', value: [example] },
                },
              },
            },
          },
          responses: {
            202: { description: 'Taken: counts per outcome, and the rejected items of a batch with why.', content: json(ingestResultSchema) },
            ...errorResponses({
              400: 'Not valid at all: no body, not JSON, the single object fails validation (the field is named), or every item of a batch does.',
              401: 'No valid ingest key.',
              409: 'Every item belongs to another producer (`owner_conflict`): only the producer that first sent an id may update it.',
              413: `Body over ${MAX_BODY_BYTES / 1024 / 1024} MiB, or a batch of more than ${MAX_BATCH_ITEMS} items.`,
              415: 'Not UTF-8.',
            }),
            503: { ...errorResponse('The store cannot write (a full disk, Redis away): nothing was accepted; retry.'), headers: retryAfter },
            ...errorResponses(SERVER_ERROR),
          },
        },
      },
    ];
  }),
);
