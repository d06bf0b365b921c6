/** Where the package's own data lives, whether running from src/ (tests) or dist/ (built). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('hanjian: package root not found');
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot();
export const rulesPath = (...p: string[]): string => join(PACKAGE_ROOT, 'rules', ...p);
export const templatesPath = (...p: string[]): string => join(PACKAGE_ROOT, 'templates', ...p);
export const fontsPath = (...p: string[]): string => join(PACKAGE_ROOT, 'fonts', ...p);

/**
 * A worker thread's module beside the caller's: workers run compiled JavaScript, so when the
 * caller itself runs from src/ (tests) the file is taken from `dist/<folder>/<name>`.
 */
export function workerFile(callerUrl: string, folder: string, name: string): string {
  const sibling = fileURLToPath(new URL(`./${name}`, callerUrl));
  return existsSync(sibling) ? sibling : join(PACKAGE_ROOT, 'dist', folder, name);
}
