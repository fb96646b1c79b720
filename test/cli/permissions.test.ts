// Unreadable model files and folders (EACCES) in a folder run: each is reported with a code and
// skipped, and the rest is checked. Root reads everything, so as root the run drops to the
// unprivileged user `nobody` (setpriv) to see what a user would.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const runnable = process.platform !== 'win32' && (!root || setpriv);

describe.skipIf(!runnable)('unreadable files and folders', () => {
  it('reports each unreadable entry with MC100, skips it, and checks the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmc-perm-'));
    chmodSync(dir, 0o755);
    const spec = resolve('specs/peterson.ts');
    writeFileSync(join(dir, 'good.yaml'), `spec: ${spec}\nexpect: { states: 34 }\n`);
    writeFileSync(join(dir, 'secret.yaml'), `spec: ${spec}\n`);
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'inner.yaml'), `spec: ${spec}\n`);
    chmodSync(join(dir, 'locked'), 0o000);
    const node = [process.execPath, resolve('bin/check.js'), dir, '--no-typecheck', '--no-traces'];
    const cmd = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', cwd: resolve('.'), env: { ...process.env, HOME: dir } });
    const all = r.stdout + r.stderr;
    expect(all).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    expect(all).toMatch(/secret\.yaml[^\n]*error MC100: model file [^\n]*secret\.yaml cannot be read \(EACCES\)/);
    expect(all).toMatch(/error MC100: folder [^\n]*locked cannot be read \(EACCES\); skipped/);
    expect(all).toMatch(/good\.yaml +all hold +34 .*as expected/);
    expect(all).toMatch(/3 models: 1 as expected, 2 regressions/);
    expect(r.status).toBe(151); // a config error in the folder, as for any bad model file
  }, 60_000);
});
