/**
 * @module The simulator's bucket contents: files and folders by decoded path, with UPYUN's
 * directory rules (parents are created with a file, a folder is deleted only when empty).
 */
import type {StoredFile} from './sim-types.ts';

/** One entry of a folder, as a listing shows it. */
export type FolderEntry = {
  readonly name: string;
  readonly type: 'file' | 'folder';
  readonly size: number;
  /** Seconds since the epoch. */
  readonly modifiedAtS: number;
};

/** What the storage needs from the simulator. */
export type StorageDeps = {
  readonly now: () => number;
  readonly storeBodies: boolean;
};

/** The parent folder of a path (`/b/dir/a.txt` → `/b/dir`, `/b/a.txt` → `/b`). */
export const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/** The bucket of a path (`/b/dir/a.txt` → `b`). */
export const bucketOf = (path: string): string => path.split('/')[1] ?? '';

/**
 * The files and folders of every bucket. Paths are decoded, bucket first, without a trailing
 * slash (`/b/dir/a.txt`, folder `/b/dir`, bucket root `/b`).
 *
 * @example
 * ```ts
 * const storage = createStorage({now: Date.now, storeBodies: true});
 * storage.write('/b/dir/a.txt', {size: 3, body, contentType: 'text/plain'});
 * storage.isFolder('/b/dir'); // true
 * ```
 */
export const createStorage = (deps: StorageDeps) => {
  const files = new Map<string, StoredFile>();
  // Explicit folders: made by mkdir or as the parents of a file (UPYUN creates them).
  const folders = new Map<string, number>();

  const isBucketRoot = (path: string): boolean => /^\/[^/]+$/.test(path);
  const isFolder = (path: string): boolean => isBucketRoot(path) || folders.has(path);

  const addParents = (path: string): void => {
    for (let parent = parentOf(path); !isBucketRoot(parent) && parent !== ''; parent = parentOf(parent)) {
      if (!folders.has(parent)) folders.set(parent, deps.now());
    }
  };

  /** Writes a file (a PUT, a multipart `complete`, a copy). Returns whether it is new. */
  const write = (
    path: string,
    content: {
      readonly size: number;
      readonly body: Uint8Array | undefined;
      readonly contentType: string | undefined;
      readonly meta?: Readonly<Record<string, string>> | undefined;
    },
  ): boolean => {
    const previous = files.get(path);
    files.set(path, {
      path,
      size: content.size,
      writes: (previous?.writes ?? 0) + 1,
      body: deps.storeBodies ? content.body?.slice() : undefined,
      contentType: content.contentType,
      meta: {...content.meta},
      modifiedAtMs: deps.now(),
    });
    addParents(path);
    return previous === undefined;
  };

  /** The entries directly inside a folder, by name. */
  const entries = (folder: string): FolderEntry[] => {
    const prefix = `${folder}/`;
    const found: FolderEntry[] = [];
    for (const [path, modifiedAtMs] of folders) {
      if (parentOf(path) === folder) {
        found.push({
          name: path.slice(prefix.length),
          type: 'folder',
          size: 0,
          modifiedAtS: Math.floor(modifiedAtMs / 1000),
        });
      }
    }
    for (const file of files.values()) {
      if (parentOf(file.path) === folder) {
        found.push({
          name: file.path.slice(prefix.length),
          type: 'file',
          size: file.size,
          modifiedAtS: Math.floor(file.modifiedAtMs / 1000),
        });
      }
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };

  return {
    files,
    folders: folders as ReadonlyMap<string, number>,
    isBucketRoot,
    isFolder,
    write,
    entries,
    /** Makes a folder (and its parents). */
    makeFolder: (path: string): void => {
      folders.set(path, deps.now());
      addParents(path);
    },
    /** Removes an empty folder; `false` when it still has entries. */
    removeFolder: (path: string): boolean => {
      if (entries(path).length > 0) return false;
      folders.delete(path);
      return true;
    },
    /** Total bytes of the files under a folder (the whole bucket for its root). */
    usage: (folder: string): number => {
      let bytes = 0;
      for (const file of files.values()) {
        if (file.path.startsWith(`${folder}/`)) bytes += file.size;
      }
      return bytes;
    },
    /** Replaces a file's metadata, keeping everything else. */
    setMeta: (path: string, meta: Readonly<Record<string, string>>): void => {
      const file = files.get(path);
      if (file !== undefined) files.set(path, {...file, meta: {...meta}});
    },
    clear: (): void => {
      files.clear();
      folders.clear();
    },
  };
};

/** The simulator's storage. */
export type Storage = ReturnType<typeof createStorage>;
