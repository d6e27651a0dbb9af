// A query or mutation answered with PostgreSQL's JSON text goes out through Yoga's own result
// processing: unchanged when nothing touched the result, with its data kept when a plugin added
// errors or extensions to it (Yoga then serialises a copy of the result's own properties).
import { GraphQLError } from 'graphql';
import { processRegularResult } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SplicedResult } from '../../src/server/use-sql-json-responses.js';

const TEXT = '{"data":{"customer":{"customerId":"C1","extensions":{"vip":{"level":3}}}}}';

async function sent(result: SplicedResult): Promise<string> {
  return processRegularResult(result, { Response } as never, 'application/json').text();
}

describe('a result spliced from JSON text', () => {
  it('is sent as the text itself', async () => {
    expect(await sent(new SplicedResult(TEXT))).toBe(TEXT);
  });

  it('parses its data only when read', () => {
    const result = new SplicedResult('not JSON');
    expect(() => result.data).toThrow(SyntaxError);
    expect(new SplicedResult(TEXT).data).toEqual({ customer: { customerId: 'C1', extensions: { vip: { level: 3 } } } });
  });

  it('keeps its data next to errors a plugin added', async () => {
    const result = Object.assign(new SplicedResult(TEXT), { errors: [new GraphQLError('late', { extensions: { code: 'X' } })] });
    expect(JSON.parse(await sent(result))).toEqual({
      data: { customer: { customerId: 'C1', extensions: { vip: { level: 3 } } } },
      errors: [{ message: 'late', extensions: { code: 'X' } }],
    });
  });

  it('keeps its data next to extensions a plugin added', async () => {
    const result = Object.assign(new SplicedResult(TEXT), { extensions: { cost: 7 } });
    expect(JSON.parse(await sent(result))).toEqual({
      data: { customer: { customerId: 'C1', extensions: { vip: { level: 3 } } } },
      extensions: { cost: 7 },
    });
  });
});
