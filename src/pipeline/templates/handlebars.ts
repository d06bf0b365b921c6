/**
 * Handlebars, loaded only as far as it is needed: a process whose templates are all in the
 * disk cache runs them with the runtime alone, without the compiler (and the source-map
 * library it loads), about a fifth of a cold preview's start (issue 31). Loaded with require,
 * as both are CommonJS, so the callers stay synchronous.
 */
import { createRequire } from 'node:module';

type HandlebarsModule = typeof import('handlebars');

const require = createRequire(import.meta.url);
let full: HandlebarsModule | undefined;
let runtime: HandlebarsModule | undefined;

/** The compiler and the runtime: to compile or to parse a template. */
export function handlebarsCompiler(): HandlebarsModule {
  return (full ??= require('handlebars') as HandlebarsModule);
}

/** The runtime alone: to run a precompiled template. */
export function handlebarsRuntime(): HandlebarsModule {
  return (runtime ??= (full ?? require('handlebars/runtime')) as HandlebarsModule);
}

export function handlebarsVersion(): string {
  return (require('handlebars/package.json') as { version: string }).version;
}
