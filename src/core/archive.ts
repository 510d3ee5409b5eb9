/** Reading the archive: versions by number or date, and their text. */
import type { Store, VersionInfo } from '../store/types.js';

export class ArchiveLookupError extends Error {
  override name = 'ArchiveLookupError';
}

export async function requireVersions(store: Store, source: string): Promise<VersionInfo[]> {
  const versions = await store.versions(source);
  if (versions.length === 0) {
    const known = (await store.sources()).join(', ') || '(none)';
    throw new ArchiveLookupError(`no versions of "${source}" in ${store.root}; archived sources: ${known}. Run "redline check ${source}" first.`);
  }
  return versions;
}

/** Version N (1-based); negative counts back from the latest (-1 = latest). */
export async function versionByNumber(store: Store, source: string, n: number): Promise<VersionInfo> {
  const versions = await requireVersions(store, source);
  const v = n < 0 ? versions[versions.length + n] : versions.find((x) => x.version === n);
  if (!v) throw new ArchiveLookupError(`"${source}" has versions 1–${versions.length}; there is no version ${n}`);
  return v;
}

/** The version that was current at the given instant (what a reader saw then). */
export async function versionAt(store: Store, source: string, at: Date): Promise<VersionInfo> {
  if (Number.isNaN(at.getTime())) throw new ArchiveLookupError('--at needs a date such as 2020-10-11 or 2020-10-11T09:00Z');
  const versions = await requireVersions(store, source);
  let found: VersionInfo | undefined;
  for (const v of versions) if (Date.parse(v.time) <= at.getTime()) found = v;
  if (!found) throw new ArchiveLookupError(`"${source}" was first captured ${versions[0].time}; nothing is archived at ${at.toISOString()}`);
  return found;
}

export async function versionText(store: Store, v: VersionInfo): Promise<string> {
  return (await store.getBlob(v.textHash)).toString('utf8');
}
