/**
 * JSON request bodies, bounded before any route sees them: the media type, the size (413),
 * the encoding (UTF-8 only: invalid bytes are refused, not silently replaced by U+FFFD), and
 * the shape (depth, number of values, prototype keys), so nothing deeper than the limit ever
 * reaches zod, structured clone or a worker thread.
 */
import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { checkInputBounds } from '../pipeline/index.js';
import { sendProblem } from '../server-kit/problem.js';
import { HanjianError } from '../shared/errors.js';

export const INVALID_UTF8 = 'hanjian.invalid-utf8';

export function boundedJson(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, res, next) => {
    if (!req.is('application/json'))
      return sendProblem(
        res,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        '请求体必须是 application/json / the body must be application/json',
      );
    next();
  };
  const parse = express.json({
    limit: limitBytes,
    type: 'application/json',
    strict: true,
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw Object.assign(new Error('invalid UTF-8'), { type: INVALID_UTF8, status: 400 });
    },
  });
  const bounded: RequestHandler = (req, _res, next) => {
    const issues = checkInputBounds(req.body);
    if (!issues.length) return next();
    // Named by the first shape problem (INPUT_TOO_DEEP, INPUT_TOO_LARGE, FORBIDDEN_KEY); every issue is listed.
    const code = issues[0]!.code;
    next(
      new HanjianError({
        code,
        category: 'invalid_input',
        path: issues[0]!.path,
        zh: '请求体的结构超出限制',
        en: 'the body exceeds the limits on its structure',
        issues,
      }),
    );
  };
  return [requireJson, parse, bounded];
}
