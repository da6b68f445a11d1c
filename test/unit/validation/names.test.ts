import { describe, expect, it } from 'vitest';

import { freeTextSchema, nameSchema } from '../../../shared/validation/common.js';

const messagesFor = (value: string) =>
  nameSchema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('names', () => {
  it.each([
    ['José (with a combining accent)', 'Jose\u0301'],
    ['Chinese', '李小龙'],
    ['Arabic', 'محمد'],
    ['Vietnamese', 'Nguyễn Văn An'],
    ['an emoji joined with ZWJ', '👩\u200d👩\u200d👧 Family'],
    ['an apostrophe and a hyphen', "O'Brien-Smith"],
    ['a soft hyphen inside a word', 'Anne\u00admarie'],
  ])('accepts %s', (_, name) => {
    expect(nameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b'],
    ['a Hangul filler', '\u3164'],
    ['half-width Hangul fillers', '\uffa0\u115f\u1160'],
    ['no-break and ideographic spaces around a zero-width one', '\u00a0\u3000\u200b\u00a0'],
    ['a combining mark with no letter', '\u0301\u0308'],
    ['the blank Braille pattern', '\u2800'],
    ['a byte-order mark and word joiners', '\ufeff\u2060'],
    ['a Mongolian vowel separator', '\u180e'],
  ])('refuses a name made only of %s', (_, name) => {
    expect(messagesFor(name)).toEqual(['must contain a visible character']);
  });

  it.each([
    ['a high half alone', 'Ann\ud800'],
    ['a low half alone', '\udc00Bo'],
    ['two halves in the wrong order', 'Al\udc00\ud800'],
  ])('refuses %s of a surrogate pair', (_, name) => {
    expect(messagesFor(name)).toEqual([
      'must be valid Unicode text (it holds half of a surrogate pair)',
    ]);
  });

  it('refuses a lone surrogate in free text but keeps a whole pair', () => {
    const text = freeTextSchema(100);
    expect(text.safeParse('knee \ud83d').success).toBe(false);
    expect(text.safeParse('knee 🦵').success).toBe(true);
  });
});
