import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { relative } from 'node:path';
import { SYSTEM_TAGS, type Tag } from '../tracking/index.js';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The tags that make a run reproducible: git commit, branch, dirty flag, remote, entry point and user.
 * Outside a git checkout only the entry point and user are recorded.
 */
export function sourceTags(cwd: string, entryPoint: string | undefined): Tag[] {
  const tags: Tag[] = [{ key: SYSTEM_TAGS.sourceType, value: 'LOCAL' }];
  const user = safeUser();
  if (user) tags.push({ key: SYSTEM_TAGS.user, value: user });
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (entryPoint)
    tags.push({ key: SYSTEM_TAGS.sourceName, value: top ? relative(top, entryPoint) : entryPoint });
  if (!top) return tags;
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  if (commit) tags.push({ key: SYSTEM_TAGS.gitCommit, value: commit });
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  if (branch) tags.push({ key: SYSTEM_TAGS.gitBranch, value: branch });
  const remote = git(cwd, ['config', '--get', 'remote.origin.url']);
  if (remote) tags.push({ key: SYSTEM_TAGS.gitRepoUrl, value: remote });
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  if (status !== undefined) tags.push({ key: SYSTEM_TAGS.gitDirty, value: String(status.length > 0) });
  return tags;
}

function safeUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
