/** A template reference as a person or a client writes it: `kind@version` or `firm:kind@version`. */
import { HanjianError } from '../shared/errors.js';

const REF = /^(firm:)?[a-z][a-z-]{0,39}@[1-9][0-9]{0,3}$/;

/** A template reference from a path, query or form, bounded and well-formed, or a 422 naming the field. */
export function templateRef(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 50 || !REF.test(value)) {
    throw new HanjianError({
      code: 'TEMPLATE_REF_FORMAT',
      category: 'invalid_input',
      path: field,
      zh: '模板引用格式应为 “种类@版本”或“firm:种类@版本”',
      en: 'a template reference looks like kind@version or firm:kind@version',
    });
  }
  return value;
}
