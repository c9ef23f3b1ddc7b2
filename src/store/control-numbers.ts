/**
 * Control numbers we send (ISA13, GS06, ST02, cXML payload sequence), allocated from Postgres in the
 * caller's transaction so a stored outbound document and its numbers commit together. Never reused:
 * a number whose transaction rolls back is skipped, which X12 allows.
 */
import type { Queryable } from '../db/pool.ts';
import { GatewayError } from '../errors.ts';

export async function nextControlNumber(db: Queryable, scope: string): Promise<string> {
  const r = await db.query<{ last_value: string }>(
    `insert into control_numbers (scope, last_value) values ($1, 1)
     on conflict (scope) do update set last_value = control_numbers.last_value + 1
     returning last_value`,
    [scope],
  ).catch((err: unknown) => {
    if ((err as { code?: string }).code === '23514') {
      throw new GatewayError('control-numbers-exhausted', `control numbers of ${scope} reached 999999999`, { cause: err });
    }
    throw err;
  });
  return String(r.rows[0]!.last_value).padStart(9, '0');
}

/** `count` consecutive control numbers in one statement (for a file that may need many). */
export async function nextControlNumbers(db: Queryable, scope: string, count: number): Promise<string[]> {
  const r = await db.query<{ last_value: string }>(
    `insert into control_numbers (scope, last_value) values ($1, $2)
     on conflict (scope) do update set last_value = control_numbers.last_value + $2
     returning last_value`,
    [scope, count],
  ).catch((err: unknown) => {
    if ((err as { code?: string }).code === '23514') {
      throw new GatewayError('control-numbers-exhausted', `control numbers of ${scope} reached 999999999`, { cause: err });
    }
    throw err;
  });
  const last = Number(r.rows[0]!.last_value);
  return Array.from({ length: count }, (_, i) => String(last - count + 1 + i).padStart(9, '0'));
}
