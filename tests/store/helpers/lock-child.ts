/**
 * Child process for the lock tests: `hold ROOT` opens the archive for writing, appends one
 * check, prints "LOCKED <pid>" and keeps the lock until stdin closes; `try ROOT` attempts
 * to open it and prints "OPENED" or "REFUSED <code>".
 */
import { openFsStore, StoreError } from '../../../src/store/index.js';

const [mode, root] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'hold') {
    const store = await openFsStore(root);
    const text = await store.putBlob(Buffer.from(`held by ${process.pid}`));
    await store.append('child', { time: new Date().toISOString(), url: 'https://gov.example/', outcome: 'new', textHash: text });
    process.stdout.write(`LOCKED ${process.pid}\n`);
    process.stdin.resume();
    process.stdin.on('end', () => {
      void store.close().then(() => process.exit(0));
    });
    return;
  }
  try {
    const store = await openFsStore(root);
    process.stdout.write('OPENED\n');
    await store.close();
  } catch (err) {
    process.stdout.write(`REFUSED ${err instanceof StoreError ? err.code : String(err)}\n`);
  }
}

void main();
