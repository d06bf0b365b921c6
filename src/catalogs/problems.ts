/** A reason a firm's template version was not loaded: the version, the file and line, and what is wrong. */
import { HanjianError } from '../shared/errors.js';

export interface LoadProblem {
  /** kind@version (the folder), or "(catalogue)" for the catalogue as a whole. */
  version: string;
  file: string;
  line: number | null;
  code: string;
  problem: string;
}

/**
 * From an error of the pipeline: its path may already say `file:line` (a missing field, a markup
 * error), a Handlebars parse error says "on line N"; a refused example lists its issues.
 */
export function problemOf(e: unknown, version: string, file: string): LoadProblem {
  if (!(e instanceof HanjianError))
    return { version, file, line: null, code: 'INTERNAL', problem: String((e as Error)?.message ?? e) };
  const at = /^(.*):(\d+)$/.exec(e.path);
  const parseLine = /on line (\d+)/.exec(e.en);
  return {
    version,
    file: at ? at[1]! : e.path && e.category === 'template' ? e.path.replace(/ \(rendered line \d+\)$/, '') : file,
    line: at ? Number(at[2]) : parseLine ? Number(parseLine[1]) : null,
    code: e.code,
    problem: `${e.zh} / ${e.en}`,
  };
}

/** `file:line: [CODE] problem` — one line for a log or a terminal. */
export function formatProblem(p: LoadProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: [${p.code}] ${p.problem}`;
}
