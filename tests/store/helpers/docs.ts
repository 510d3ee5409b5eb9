import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The fenced code block of src/store/FORMAT.md whose first line is `# <name>…`: tests run the documented commands. */
export function formatDocBlock(name: string): string {
  const md = readFileSync(path.resolve(__dirname, '../../../src/store/FORMAT.md'), 'utf8');
  for (const match of md.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    if (match[1].startsWith(`# ${name}`)) return match[1];
  }
  throw new Error(`FORMAT.md has no code block starting with "# ${name}"`);
}
