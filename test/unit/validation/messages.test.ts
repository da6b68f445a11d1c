import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { nameSchema } from '../../../shared/validation/common.js';

const schema = z.strictObject({
  name: nameSchema,
  code: z.string().min(4).max(6),
  tags: z.array(z.string()).min(1).max(2),
  seats: z.number().int().min(1).max(500),
  ratio: z.number().gt(0).lt(1),
  note: z.string().max(10, { message: 'keeps its own words' }).optional(),
});

function messages(input: unknown): Record<string, string> {
  const issues = schema.safeParse(input).error?.issues ?? [];
  return Object.fromEntries(issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('validation messages', () => {
  it('says a missing field is required', () => {
    expect(messages({})).toEqual({
      name: 'is required',
      code: 'is required',
      tags: 'is required',
      seats: 'is required',
      ratio: 'is required',
    });
  });

  it('states every length and range in plain words, and keeps a schema’s own message', () => {
    expect(
      messages({ name: '', code: 'abc', tags: [], seats: 0, ratio: 0, note: 'x'.repeat(11) }),
    ).toEqual({
      name: 'must not be empty',
      code: 'must be at least 4 characters',
      tags: 'must have at least 1 item',
      seats: 'must be at least 1',
      ratio: 'must be more than 0',
      note: 'keeps its own words',
    });
    expect(
      messages({
        name: 'x'.repeat(121),
        code: 'abcdefg',
        tags: ['a', 'b', 'c'],
        seats: 501,
        ratio: 1,
      }),
    ).toEqual({
      name: 'must be at most 120 characters',
      code: 'must be at most 6 characters',
      tags: 'must have at most 2 items',
      seats: 'must be at most 500',
      ratio: 'must be less than 1',
    });
  });

  it('says a fraction where a count belongs must be a whole number', () => {
    expect(messages({ name: 'A', code: 'abcd', tags: ['a'], seats: 1.5, ratio: 0.5 })).toEqual({
      seats: 'must be a whole number',
    });
  });

  it('leaves a wrong type in zod’s words, which name what was expected', () => {
    expect(messages({ name: 7, code: 'abcd', tags: ['a'], seats: 2, ratio: 0.5 })).toEqual({
      name: 'Invalid input: expected string, received number',
    });
  });
});
