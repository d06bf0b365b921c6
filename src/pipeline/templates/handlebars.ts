/**
 * Handlebars, loaded only as far as it is needed: a process whose templates are all in the
 * disk cache runs them with the runtime alone, without the compiler (and the source-map
 * library it loads), about a fifth of a cold preview's start (issue 31). The compiler is
 * loaded with require, as it is CommonJS, so the callers stay synchronous; the runtime, which
 * every render needs, is imported, so that the command line's bundle holds it
 * (scripts/bundle-cli.mjs) instead of loading its 20 files.
 */
import { createRequire } from 'node:module';
import runtimeModule from 'handlebars/runtime.js';

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
  return (runtime ??= (full ?? runtimeModule) as HandlebarsModule);
}

let version: string | undefined;
/** Part of every precompiled template's cache key: read once (require resolves the path on every call). */
export function handlebarsVersion(): string {
  return (version ??= (require('handlebars/package.json') as { version: string }).version);
}
