import { join } from 'node:path';
import * as z from 'zod';
import { readIfExists, writeFileAtomic } from './files';
import { PIN_FILE_NAME } from './package-files';

/**
 * `.pinpack/`: PinPack's local, git-ignored state in a workspace. `scaffold.json` records the
 * SHA-256 of each file PinPack wrote (origin `scaffold`) or imported from a console zip (origin
 * `import`), which is how a re-run tells its own untouched files from the admin's edits.
 */
export const STATE_FOLDER = '.pinpack';
const STATE_FILE = `${STATE_FOLDER}/scaffold.json`;

/** Keeps PINs, built packages and PinPack's local state out of git. */
export const GITIGNORE = `# PinPack: PINs and build output never go into git.
${PIN_FILE_NAME}
*.ppkg
customizations.xml
*.zip
/out/
${STATE_FOLDER}/
`;

const ScaffoldState = z.object({
  version: z.literal(1),
  files: z.record(z.string(), z.object({ sha256: z.string(), origin: z.enum(['scaffold', 'import']) })),
});
export type ScaffoldState = z.infer<typeof ScaffoldState>;

export async function readScaffoldState(dir: string): Promise<ScaffoldState> {
  const text = await readIfExists(join(dir, STATE_FILE));
  if (text === undefined) return { version: 1, files: {} };
  try {
    const parsed = ScaffoldState.safeParse(JSON.parse(text));
    // A damaged state only costs the knowledge of which files are untouched: treat all as changed.
    return parsed.success ? parsed.data : { version: 1, files: {} };
  } catch {
    return { version: 1, files: {} };
  }
}

export async function writeScaffoldState(dir: string, state: ScaffoldState): Promise<void> {
  const files = Object.fromEntries(Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify({ version: 1, files }, null, 2)}\n`);
}
