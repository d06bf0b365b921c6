/** Turns zod issues into the project's `{ path, code, message }` with Chinese and English text. */
import type { z } from 'zod';
import { type Issue, makeIssue } from '../../shared/errors.js';

export function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  int: '整数',
};

export function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): Issue[] {
  const path = pathOf(issue.path);
  switch (issue.code) {
    case 'custom': {
      const p = (issue.params ?? {}) as { code?: string; zh?: string; en?: string };
      return [makeIssue(path, p.code ?? 'INVALID', p.zh ?? '无效', p.en ?? issue.message)];
    }
    case 'invalid_type': {
      if (valueAt(input, issue.path) === undefined) {
        return [makeIssue(path, 'REQUIRED', '缺少必填字段', 'required field is missing')];
      }
      const t = issue.expected;
      return [makeIssue(path, 'INVALID_TYPE', `类型错误，应为${TYPE_ZH[t] ?? t}`, `wrong type, expected ${t}`)];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) =>
        makeIssue(
          pathOf([...issue.path, k]),
          'UNKNOWN_FIELD',
          `未知字段“${k}”（请检查拼写）`,
          `unknown field "${k}" (check the spelling)`,
        ),
      );
    case 'invalid_value': {
      if (valueAt(input, issue.path) === undefined) {
        return [makeIssue(path, 'REQUIRED', '缺少必填字段', 'required field is missing')];
      }
      const opts = issue.values.map((x) => JSON.stringify(x)).join(', ');
      return [makeIssue(path, 'INVALID_VALUE', `取值无效，可选：${opts}`, `invalid value, expected one of ${opts}`)];
    }
    case 'invalid_union':
      return [
        makeIssue(
          path,
          'INVALID_VALUE',
          '取值不符合任何允许的形式（请检查 type 字段）',
          'value matches none of the allowed forms (check the type field)',
        ),
      ];
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = String(small ? issue.minimum : issue.maximum);
      const what =
        issue.origin === 'array'
          ? ['项数', 'number of items']
          : issue.origin === 'string'
            ? ['长度', 'length']
            : ['数值', 'value'];
      return [
        makeIssue(
          path,
          'OUT_OF_RANGE',
          `${what[0]}${small ? '不能小于' : '不能大于'} ${bound}`,
          `${what[1]} must be ${small ? 'at least' : 'at most'} ${bound}`,
        ),
      ];
    }
    case 'invalid_format':
      return [
        makeIssue(
          path,
          'INVALID_FORMAT',
          '格式不符合要求',
          `invalid format${issue.format === 'regex' ? '' : ` (expected ${issue.format})`}`,
        ),
      ];
    default:
      return [makeIssue(path, 'INVALID', '取值无效', 'invalid value')];
  }
}

/**
 * Every issue of a failed parse in the project's bilingual form: the one mapping for all request
 * bodies (letters, events, plan settings, requests), so no raw zod English reaches a caller.
 * An issue on the whole body is named `body`.
 */
export function zodIssues(error: z.ZodError, input: unknown): Issue[] {
  return error.issues
    .flatMap((i) => fromZodIssue(i, input))
    .map((i) => (i.path ? i : { ...i, path: 'body', message: `body: ${i.message}` }));
}
