import { parseJsonObject } from './json-body.js';
/** A validated TAP create body; every field optional, as in Graph. */
export interface TapCreateBody {
  startDateTime?: Date;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$/;
const odataType = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';

/** Validates the create body: a JSON object with only known properties of the right types. */
export function parseTapCreateBody(raw: string | undefined): TapCreateBody | string {
  const value = parseJsonObject(raw);
  if (typeof value === 'string') return value;
  const body: TapCreateBody = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null) continue; // nullable properties: null means "use the default"
    switch (key) {
      case '@odata.type':
        if (field !== odataType) return `Invalid @odata.type '${String(field)}'.`;
        break;
      case 'startDateTime': {
        const parsed = typeof field === 'string' && isoDateTime.test(field) ? new Date(field) : undefined;
        if (!parsed || Number.isNaN(parsed.getTime()))
          return `Cannot convert the literal '${String(field)}' to the expected type 'Edm.DateTimeOffset'.`;
        body.startDateTime = parsed;
        break;
      }
      case 'lifetimeInMinutes':
        if (typeof field !== 'number' || !Number.isInteger(field))
          return `Cannot convert the literal '${String(field)}' to the expected type 'Edm.Int32'.`;
        body.lifetimeInMinutes = field;
        break;
      case 'isUsableOnce':
        if (typeof field !== 'boolean')
          return `Cannot convert the literal '${String(field)}' to the expected type 'Edm.Boolean'.`;
        body.isUsableOnce = field;
        break;
      default:
        return `The property '${key}' does not exist on type 'microsoft.graph.temporaryAccessPassAuthenticationMethod'. Make sure to only use property names that are defined by the type.`;
    }
  }
  return body;
}
