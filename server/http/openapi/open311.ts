import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { REPORT_CATEGORIES } from '@shared/categories';
import { open311PostSchema, type Open311Attribute, type Open311Service, type Open311ServiceRequest } from '../../ingest/open311';
import { open311QuerySchema } from '../../ingest/open311-query';
import { OPEN311_CONTENT_TYPES, type Open311Format } from '../open311-format';
import { open311PlainQuery } from '../open311-routes';
import { SERVER_ERROR, errorResponses, ingestKeyOnly, json, PUBLIC, type Agrees } from './common';

/**
 * Open311 GeoReport v2 under /api/v1/open311: one path per format suffix (`.xml`, `.json`), each
 * answering in its format, with errors in the standard's format. The two unsuffixed paths of the
 * first version answer JSON with the project's errors.
 */

const BASE = '/api/v1/open311';

export const open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});
const serviceAgrees: Agrees<z.infer<typeof open311ServiceSchema>, Open311Service> = true;

const attributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })),
});
const attributeAgrees: Agrees<z.infer<typeof attributeSchema>, Open311Attribute> = true;

export const open311ServiceRequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable().meta({ description: "The citizen's text: null unless IOC_OPEN311_PUBLIC_DESCRIPTION=1." }),
  agency_responsible: z.string().meta({ description: "The ward's full name." }),
  service_notice: z.string(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().meta({ description: 'The working-day handling deadline.' }),
  address: z.string().meta({ description: 'The ward, not a street address.' }),
  lat: z.number().optional().meta({ description: 'Rounded to 3 decimals (about 100 m).' }),
  long: z.number().optional(),
});
const requestAgrees: Agrees<z.infer<typeof open311ServiceRequestSchema>, Open311ServiceRequest> = true;
void serviceAgrees;
void attributeAgrees;
void requestAgrees;

const createdSchema = z.array(z.object({ service_request_id: z.string(), service_notice: z.string() }));
const discoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) })),
});
/** GeoReport v2 errors: `[{ code, description }]` in JSON, `<errors><error><code/><description/></error></errors>` in XML. */
export const open311ErrorsSchema = z.array(z.object({ code: z.number().int(), description: z.string() }));

const XML_EXAMPLES = {
  services: '<?xml version="1.0" encoding="utf-8"?>\n<services>\n  <service>\n    <service_code>noise</service_code>\n    <service_name>Tiếng ồn</service_name>\n    …\n  </service>\n</services>',
  errors: '<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>404</code>\n    <description>service_code "parking" not found: see services.xml</description>\n  </error>\n</errors>',
};

/** One answer in the suffix's format: the JSON schema, or XML text of the same elements. */
function answer(format: Open311Format, description: string, schema: z.ZodType, xmlExample?: string) {
  const content = format === 'json' ? { [OPEN311_CONTENT_TYPES.json]: { schema } } : { [OPEN311_CONTENT_TYPES.xml]: { schema: z.string().meta({ description: 'The same document as XML (UTF-8).' }), ...(xmlExample ? { example: xmlExample } : {}) } };
  return { description, content };
}

function georeportErrors(format: Open311Format, byStatus: Record<number, string>): ZodOpenApiResponsesObject {
  return Object.fromEntries(Object.entries(byStatus).map(([status, d]) => [status, answer(format, d, open311ErrorsSchema, XML_EXAMPLES.errors)]));
}

const serviceCode = z.object({ service_code: z.enum(REPORT_CATEGORIES).meta({ description: 'A service_code of GET services.' }) });
const requestId = z.object({ service_request_id: z.string().meta({ description: 'The report id, as POST answered it.' }) });

/** The example request a citizen app sends: form fields, the key in `api_key`. */
export const OPEN311_POST_EXAMPLE = {
  api_key: 'YOUR-INGEST-KEY',
  service_code: 'environment',
  lat: '16.4786',
  long: '107.5772',
  description: 'Rác thải ven sông Hương, đoạn đường Lê Lợi',
  first_name: 'Minh',
  phone: '0911222333',
};

const postBody = {
  required: true,
  content: {
    'application/x-www-form-urlencoded': { schema: open311PostSchema, examples: { citizen: { summary: 'A citizen app', value: OPEN311_POST_EXAMPLE } } },
    'application/json': { schema: open311PostSchema, examples: { citizen: { summary: 'The same as JSON', value: OPEN311_POST_EXAMPLE } } },
  },
};
const postDescription =
  'Creates a report from a GeoReport v2 request. Needs a producer key: `api_key` in the body or `Authorization: Bearer`. ' +
  'Place it by `lat`+`long` or `attribute[ward]`; `first_name`, `last_name`, `phone` are kept as the reporter (never published or shown on a wall).';

function suffixed(format: Open311Format): ZodOpenApiPathsObject {
  const F = format.toUpperCase();
  const op = (o: Omit<ZodOpenApiOperationObject, 'tags'>): ZodOpenApiOperationObject => ({ tags: ['Open311 GeoReport v2'], ...o });
  const plainErrors = georeportErrors(format, { 400: 'An unknown or repeated argument.', 404: 'Another jurisdiction_id.' });
  return {
    [`${BASE}/services.${format}`]: {
      get: op({
        operationId: `open311-services-${format}`,
        summary: `Service list (${F})`,
        description: 'The report categories as GeoReport v2 services. Public.',
        security: PUBLIC,
        requestParams: { query: open311PlainQuery },
        responses: { 200: answer(format, 'The services.', z.array(open311ServiceSchema), XML_EXAMPLES.services), ...plainErrors },
      }),
    },
    [`${BASE}/services/{service_code}.${format}`]: {
      get: op({
        operationId: `open311-service-definition-${format}`,
        summary: `Service definition (${F})`,
        description: "A service's attributes: the ward, the way to place a request without coordinates. Public.",
        security: PUBLIC,
        requestParams: { path: serviceCode, query: open311PlainQuery },
        responses: { 200: answer(format, 'The definition.', z.object({ service_code: z.string(), attributes: z.array(attributeSchema) })), ...georeportErrors(format, { 400: 'An unknown or repeated argument.', 404: 'Unknown service_code or jurisdiction_id.' }) },
      }),
    },
    [`${BASE}/discovery.${format}`]: {
      get: op({
        operationId: `open311-discovery-${format}`,
        summary: `Discovery (${F})`,
        security: PUBLIC,
        requestParams: { query: open311PlainQuery },
        responses: { 200: answer(format, 'The endpoint, its formats and how to get a key.', discoverySchema), ...plainErrors },
      }),
    },
    [`${BASE}/requests.${format}`]: {
      get: op({
        operationId: `open311-requests-${format}`,
        summary: `Service requests (${F})`,
        description:
          'Reports by `service_request_id` (a comma list; overrides every other argument), or filtered by `service_code`, `start_date`, `end_date` ' +
          '(default the last 90 days, at most 90 days) and `status`; at most 1000, newest first. Public: only the public record (no reporter, no title; the description only when the city publishes it).',
        security: PUBLIC,
        requestParams: { query: open311QuerySchema },
        responses: { 200: answer(format, 'The requests.', z.array(open311ServiceRequestSchema)), ...georeportErrors(format, { 400: 'A bad argument or window.', 404: 'Another jurisdiction_id.' }) },
      }),
      post: op({
        operationId: `open311-create-request-${format}`,
        summary: `Create a service request (${F})`,
        description: postDescription,
        security: ingestKeyOnly,
        requestBody: postBody,
        responses: {
          201: answer(format, 'Created: the report id and a notice.', createdSchema),
          ...georeportErrors(format, { 400: 'A bad argument: each is listed.', 403: 'No api_key, or not a valid one.', 404: 'Another jurisdiction_id.', 413: 'Body over 64 KiB.', 503: 'The store cannot write: retry.' }),
        },
      }),
    },
    [`${BASE}/requests/{service_request_id}.${format}`]: {
      get: op({
        operationId: `open311-request-${format}`,
        summary: `One service request (${F})`,
        security: PUBLIC,
        requestParams: { path: requestId, query: open311PlainQuery },
        responses: { 200: answer(format, 'A list of the one request, as the standard has it.', z.array(open311ServiceRequestSchema)), ...georeportErrors(format, { 400: 'A bad argument.', 404: 'No such request, or another jurisdiction_id.' }) },
      }),
    },
  };
}

export const open311Paths: ZodOpenApiPathsObject = {
  [`${BASE}/services`]: {
    get: {
      operationId: 'open311-services',
      tags: ['Open311 GeoReport v2'],
      summary: 'Service list (first version, JSON)',
      description: 'As `services.json`; kept for the clients of the first version.',
      security: PUBLIC,
      responses: { 200: { description: 'The services.', content: json(z.array(open311ServiceSchema)) } },
    },
  },
  [`${BASE}/requests`]: {
    post: {
      operationId: 'open311-create-request',
      tags: ['Open311 GeoReport v2'],
      summary: 'Create a service request (first version, JSON, project errors)',
      description: `${postDescription} Answers JSON; errors in the project's format.`,
      security: ingestKeyOnly,
      requestBody: postBody,
      responses: {
        201: { description: 'Created.', content: json(createdSchema) },
        ...errorResponses({ 400: 'A bad argument.', 401: 'No valid key.', 404: 'Another jurisdiction_id.', 413: 'Body over 64 KiB.', 503: 'The store cannot write: retry.', ...SERVER_ERROR }),
      },
    },
  },
  ...suffixed('json'),
  ...suffixed('xml'),
};
