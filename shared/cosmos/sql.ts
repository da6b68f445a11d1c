declare const sqlBrand: unique symbol;

/** Query text that can only come from a literal in our own code, never from request input. */
export type SqlText = string & { readonly [sqlBrand]: true };

/**
 * Tags a literal query: `sql\`SELECT * FROM c WHERE c.type = @type\``. Interpolation is refused
 * at compile time, so values always travel as parameters.
 */
export function sql(strings: TemplateStringsArray, ...values: never[]): SqlText {
  if (values.length > 0 || strings.length !== 1) {
    throw new TypeError('sql`` takes no interpolations; pass values as parameters.');
  }
  return strings[0] as SqlText;
}

export type SqlParameterValue = string | number | boolean | null | string[] | number[];
export type SqlParameters = Record<`@${string}`, SqlParameterValue>;
