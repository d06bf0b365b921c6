import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/app/config.js';
import { ROOT } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`### ${title}`);
  expect(start, title).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n##', start + 4));
};

describe('README', () => {
  it('lists every configuration key, with the environment variables the service reads', () => {
    const rows = section('Configuration')
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const keys = rows.map((r) => /^\| `(\w+)`/.exec(r)![1]);
    expect(keys.sort()).toEqual(Object.keys(configSchema.shape).sort());
    const envRead = [...readFileSync(join(ROOT, 'src', 'app', 'config.ts'), 'utf8').matchAll(/env\.(\w+)/g)].map(
      (m) => m[1]!,
    );
    for (const name of new Set(envRead)) expect(readme, name).toContain(`\`${name}\``);
  });

  it('documents the seals file, backups, new template versions and the Docker image', () => {
    expect(section('Seals')).toContain('"北京某某律师事务所": "seals/firm.png"');
    expect(section('Backing up `data/`')).toContain('VACUUM INTO');
    expect(section('Adding a template version')).toContain('UPDATE_LOCK=1');
    const docker = section('Docker');
    expect(docker).toContain('docker run');
    expect(docker).toContain('could not be built');
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:24-bookworm/m);
  });
});
