// Where the checker remembers work between runs (the type-check's result and build info, the
// compiled model-file schema): node_modules/.cache/tsmc in the working directory when it has a
// node_modules folder, else tsmc-cache-<user id> in the OS's temporary folder. The cache holds code
// the checker loads (the schema's validator), so a folder in the shared temporary folder is used
// only when it is this user's and nobody else can write to it; otherwise there is no cache
// (undefined) and every run does the work again.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string | undefined {
  try {
    const local = join(process.cwd(), 'node_modules');
    if (existsSync(local)) {
      const dir = join(local, '.cache', 'tsmc');
      mkdirSync(dir, { recursive: true });
      return dir;
    }
    const uid = process.getuid?.();
    const dir = join(tmpdir(), `tsmc-cache${uid === undefined ? '' : `-${uid}`}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}
