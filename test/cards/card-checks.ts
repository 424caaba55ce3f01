// Shared checks for rendered cards: schema-level validity via the official adaptivecards
// parser (it parses and validates without a DOM), plus TapDesk's own card rules.
import * as AC from 'adaptivecards';
import { expect } from 'vitest';

export const REQUEST_ID = '6f1c2a1e-8d4b-4c3a-9f2e-1b2c3d4e5f60';

/** Parses the card with the adaptivecards library and returns every complaint it makes. */
export function adaptiveCardProblems(json: Record<string, unknown>): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) {
    problems.push(`parse: ${context.getEventAt(index).message}`);
  }
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  // The parser silently drops properties it does not know (a typo such as "isSubtel"),
  // so a card that does not survive a parse/serialise round trip unchanged is suspect.
  if (JSON.stringify(sortKeys(card.toJSON())) !== JSON.stringify(sortKeys(json))) {
    problems.push('round trip: the library dropped or changed a property');
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([left], [right]) => left.localeCompare(right));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/** Every object in the card tree that has a "type" starting with "Action.". */
export function collectActions(
  node: unknown,
  found: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  if (Array.isArray(node)) {
    for (const item of node) collectActions(item, found);
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record['type'] === 'string' && record['type'].startsWith('Action.')) found.push(record);
    for (const value of Object.values(record)) collectActions(value, found);
  }
  return found;
}

/** All keys used anywhere in the card tree. */
export function collectKeys(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectKeys(item, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      collectKeys(value, found);
    }
  }
  return found;
}

/** Asserts the rules every TapDesk card must follow. */
export function expectWellFormedCard(json: Record<string, unknown>): void {
  expect(adaptiveCardProblems(json)).toEqual([]);
  expect(json['type']).toBe('AdaptiveCard');
  expect(json['version']).toBe('1.5');
  expect(json['$schema']).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
  const keys = collectKeys(json);
  expect(keys.has('refresh')).toBe(false);
  // No template syntax may survive expansion.
  expect(keys.has('$data')).toBe(false);
  expect(keys.has('$when')).toBe(false);
  expect(JSON.stringify(json)).not.toContain('${');
  for (const action of collectActions(json)) {
    // A ShowCard only opens a sub-card (Reject's reason box); the Execute inside it is checked too.
    if (action['type'] === 'Action.ShowCard') continue;
    expect(action['type']).toBe('Action.Execute');
    expect(typeof action['verb']).toBe('string');
    const data = action['data'] as Record<string, unknown>;
    // Only ids of stored rows travel in a card (a bulk's card names its bulk); never anything trusted.
    expect(Object.keys(data).every((key) => ['requestId', 'bulkId', 'userId'].includes(key))).toBe(true);
    expect(data['requestId'] ?? data['bulkId']).toBe(REQUEST_ID);
  }
}

/** Every "text"/"value"/"title" string in the card, in document order. */
export function visibleStrings(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) visibleStrings(item, found);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && ['text', 'value', 'title', 'label'].includes(key)) found.push(value);
      else visibleStrings(value, found);
    }
  }
  return found;
}
