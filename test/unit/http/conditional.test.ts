import functions from '@azure/functions';
import { describe, expect, it } from 'vitest';

import { ValidationError } from '../../../shared/errors.js';
import { readIfMatch } from '../../../shared/http/conditional.js';

const withIfMatch = (value?: string) =>
  new functions.HttpRequest({
    method: 'PUT',
    url: 'http://127.0.0.1/api/admin/services/svc_1',
    headers: value === undefined ? {} : { 'If-Match': value },
  });

describe('readIfMatch', () => {
  it('reads *, one tag, and a list with weak tags, commas inside tags and empty elements', () => {
    expect(readIfMatch(withIfMatch())).toBeUndefined();
    expect(readIfMatch(withIfMatch(' * '))).toBe('*');
    expect(readIfMatch(withIfMatch('"abc"'))).toEqual(['"abc"']);
    expect(readIfMatch(withIfMatch('"a,b" , W/"c",,"" '))).toEqual(['"a,b"', 'W/"c"', '""']);
  });

  it('answers 422 naming header.If-Match for anything that is not * or a list of tags', () => {
    for (const value of ['abc', '"abc', 'W/abc', '"a" "b"', '*, "a"', '**', ',', '"a"x']) {
      let caught: unknown;
      try {
        readIfMatch(withIfMatch(value));
      } catch (error) {
        caught = error;
      }
      expect(caught, value).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).details).toEqual([
        {
          path: 'header.If-Match',
          message:
            'must be * or the ETag of the item as loaded (a quoted entity tag such as "abc", as the ETag header or the version field gives it), or a comma-separated list of them',
        },
      ]);
    }
  });
});
