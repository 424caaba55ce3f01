// Validates Graph bodies against reference/graph-openapi-tap.yaml (Microsoft's published OpenAPI subset).
import { readFileSync } from 'node:fs';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const yamlUrl = new URL('../../reference/graph-openapi-tap.yaml', import.meta.url);
const annotationKeys = new Set(['@odata.context', '@odata.type', '@odata.count', '@odata.id', '@odata.etag']);

/**
 * Microsoft's generator marks every schema `additionalProperties: {type: object}` (an OData "open
 * type" artefact) which, read literally, rejects every string or number property inherited through
 * allOf. Drop it everywhere and instead reject unknown top-level properties with unevaluatedProperties.
 */
function dropAdditionalProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropAdditionalProperties);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    if (key !== 'additionalProperties') out[key] = dropAdditionalProperties(value);
  return out;
}

const doc = dropAdditionalProperties(parse(readFileSync(yamlUrl, 'utf8'))) as Json;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2019) => Ajv2019;
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi');
const compiled = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi${ref}`, unevaluatedProperties: false });
    compiled.set(ref, validate);
  }
  return validate;
}

function stripAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripAnnotations);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    if (!annotationKeys.has(key)) out[key] = stripAnnotations(value);
  return out;
}

function resolve(node: Json | undefined): Json | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string') return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json | undefined>((at, part) => at?.[part] as Json | undefined, doc);
}

function operation(method: string, pathTemplate: string): Json {
  const paths = doc.paths as Record<string, Json>;
  const key =
    pathTemplate in paths
      ? pathTemplate
      : Object.keys(paths).find((t) =>
          new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\$/g, '\\$')}$`, 'i').test(pathTemplate),
        );
  const op = key ? (paths[key]?.[method.toLowerCase()] as Json | undefined) : undefined;
  if (!op) throw new Error(`No operation ${method} ${pathTemplate} in graph-openapi-tap.yaml`);
  return op;
}

function schemaRef(content: unknown): string | undefined {
  const schema = ((content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as
    Json | undefined;
  const ref = schema?.$ref;
  return typeof ref === 'string' ? ref : undefined;
}

function check(ref: string, body: unknown): { valid: boolean; errors: string[] } {
  // OData polymorphism: a body naming a derived type in @odata.type is checked against that type.
  const declared = (body as Json | null)?.['@odata.type'];
  let target = ref;
  if (typeof declared === 'string') {
    const derived = `#/components/schemas/${declared.replace(/^#/, '')}`;
    if (resolve({ $ref: derived })) target = derived;
  }
  const validate = validatorFor(target);
  const valid = validate(stripAnnotations(body));
  return {
    valid,
    errors: (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    ),
  };
}

/** Checks a Graph response body against the OpenAPI operation's response for that status. */
export function validateGraphResponse(method: string, pathTemplate: string, status: number, body: unknown) {
  const responses = operation(method, pathTemplate).responses as Json;
  const declared = (responses[String(status)] ??
    responses[`${Math.floor(status / 100)}XX`] ??
    responses.default) as Json;
  const response = resolve(declared);
  const ref = schemaRef(response?.content);
  if (!ref) {
    const empty = body === undefined || body === null || body === '';
    return { valid: empty, errors: empty ? [] : [`expected no body for ${status}`] };
  }
  return check(ref, body);
}

/** Checks a Graph request body against the OpenAPI operation's requestBody schema. */
export function validateGraphRequestBody(method: string, pathTemplate: string, body: unknown) {
  const requestBody = resolve(operation(method, pathTemplate).requestBody as Json | undefined);
  const ref = schemaRef(requestBody?.content);
  if (!ref) throw new Error(`${method} ${pathTemplate} has no JSON request body in the OpenAPI document`);
  return check(ref, body);
}
