import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { securityEventSchema } from '../../src/audit/security-event.js';
import { eventFieldsOf, runRule } from './checks/kql.js';

// Each Sentinel analytics rule in infra/sentinel reads only fields the security event schema has, and
// its own text, run over its sample events (infra/sentinel/samples/<rule>.json), raises an alert; the
// same events with the decisive fact changed do not.

const dir = new URL('../../infra/sentinel/', import.meta.url);
const rules = readdirSync(dir).filter((f) => f.endsWith('.kql'));
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const sample = (rule: string) => JSON.parse(read(`samples/${rule.replace(/\.kql$/, '.json')}`)) as unknown[];

/** Whether a dotted path names a field of the schema (through nullable objects and arrays). */
function inSchema(path: string): boolean {
  let shape: z.ZodTypeAny = securityEventSchema;
  for (const part of path.split('.')) {
    while (shape instanceof z.ZodNullable || shape instanceof z.ZodArray)
      shape = shape instanceof z.ZodNullable ? shape.unwrap() : (shape as z.ZodArray<z.ZodTypeAny>).element;
    if (!(shape instanceof z.ZodObject)) return false;
    const next = (shape.shape as Record<string, z.ZodTypeAny>)[part];
    if (!next) return false;
    shape = next;
  }
  return true;
}

/** The sample with the fact each rule keys on undone: what must not alert. */
const harmless: Record<string, (events: Record<string, unknown>[]) => unknown[]> = {
  'privileged-target.kql': (events) => events.map((e) => ({ ...e, targetPrivileged: false })),
  'issuer-burst.kql': (events) => events.slice(0, 5),
  'same-person-24h.kql': (events) => events.slice(0, 1),
  'outside-hours.kql': (events) => events.map((e) => ({ ...e, time: '2026-03-02T10:00:00.000Z' })),
  'pass-without-face-check.kql': (events) =>
    events.map((e) => ({ ...e, verification: 'verified-id-face-check', faceCheckScore: 87 })),
};

describe('Sentinel analytics rules', () => {
  it('ships the rules', () => {
    expect(rules.sort()).toEqual(Object.keys(harmless).sort());
  });

  it.each(rules)('%s reads only fields the schema has', (rule) => {
    const fields = eventFieldsOf(read(rule));
    expect(fields).toContain('eventType');
    for (const field of fields) expect(inSchema(field), field).toBe(true);
    expect(inSchema('actor.nope')).toBe(false);
  });

  it.each(rules)('%s alerts on its sample, and not on it with the decisive fact undone', (rule) => {
    const events = sample(rule);
    for (const event of events) securityEventSchema.parse(event);
    expect(runRule(read(rule), events).length).toBeGreaterThan(0);
    expect(runRule(read(rule), harmless[rule]!(events as Record<string, unknown>[]))).toEqual([]);
  });

  it('ignores events of another schema or major version', () => {
    const events = sample('privileged-target.kql') as Record<string, unknown>[];
    const v2 = events.map((e) => ({ ...e, schemaVersion: '2.0' }));
    expect(runRule(read('privileged-target.kql'), v2)).toEqual([]);
  });
});
