import { z } from 'zod';

const workingDays = z.number().int('must be a whole number of working days').min(0).max(365);

export const kpiFileSchema = z.object({
  reportDeadlineWorkingDays: z.object({
    handle: workingDays,
    reject: workingDays,
    requestMoreInfo: workingDays,
    publishAnswer: workingDays,
  }),
});

const part = z.object({
  points: z.number().positive('must be > 0'),
  threshold: z.number().positive('must be > 0').max(1, 'is a rate: at most 1'),
});
const weight = z.number().min(0, 'must be ≥ 0');

export const indicesFileSchema = z.object({
  index766: z.object({
    progress: part,
    online: part,
    payment: part,
    digitisation: part,
    satisfaction: part,
  }),
  wardIndex: z.object({
    pillarWeights: z
      .object({ governance: weight, safety: weight, environment: weight, service: weight })
      .refine((w) => w.governance + w.safety + w.environment + w.service > 0, 'at least one pillar weight must be > 0'),
    incidentSeverityWeights: z.object({ 1: weight, 2: weight, 3: weight, 4: weight }),
    perResidents: z.number().positive(),
  }),
});

export type Index766Config = z.infer<typeof indicesFileSchema>['index766'];
export type WardIndexConfig = z.infer<typeof indicesFileSchema>['wardIndex'];

/** Everything the KPI functions need to know that is policy rather than code. */
export interface KpiConfig {
  reportDeadlineWorkingDays: z.infer<typeof kpiFileSchema>['reportDeadlineWorkingDays'];
  index766: Index766Config;
  wardIndex: WardIndexConfig;
}
