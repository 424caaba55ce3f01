import { TABLES, type RowWrite } from '../../src/store/port.js';

/**
 * A click's first unit as the bot writes it: the request claimed (etag-checked), two audit rows, and
 * a limit counter moved from what was read (etag-checked, or created).
 */
export function claimUnit(
  id: string,
  requestEtag: string,
  counter: { etag?: string; count: number },
  by = 'dana',
): RowWrite[] {
  return [
    {
      op: 'replace',
      table: TABLES.requests,
      partition: id,
      key: 'request',
      value: { state: 'issuing', by },
      etag: requestEtag,
    },
    { op: 'create', table: TABLES.audit, partition: 'all', key: `confirmed|${id}|${by}`, value: { by } },
    { op: 'create', table: TABLES.audit, partition: `target|${id}`, key: `confirmed|${by}`, value: { by } },
    counter.etag
      ? {
          op: 'replace',
          table: TABLES.limits,
          partition: 'tenant',
          key: id,
          value: { count: counter.count },
          etag: counter.etag,
        }
      : { op: 'create', table: TABLES.limits, partition: 'tenant', key: id, value: { count: counter.count } },
  ];
}
