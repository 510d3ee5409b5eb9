/**
 * Child process for the crash test: enqueues ALERTS alerts into the outbox at ARCHIVE,
 * then delivers until nothing is pending, to the webhook at RECEIVER. Prints one line
 * per step ("enqueued <key>", "round <n>", "done") so the parent can kill it mid-way.
 */
import { Outbox } from '../../src/alert/outbox.js';
import { validateChannels } from '../../src/alert/registry.js';
import { makeAlert } from './helpers.js';

const archive = process.env.ARCHIVE!;
const receiver = process.env.RECEIVER!;
const count = Number(process.env.ALERTS ?? 20);

const { channels, problems } = validateChannels([{ type: 'webhook', sources: [], tags: [], settings: { url: receiver, secret: 'crash', timeoutMs: 5000 } }], `${archive}/redline.yaml`);
if (problems.length) throw new Error(JSON.stringify(problems));
const outbox = new Outbox({ archive, channels, concurrency: 3, backoff: { baseMs: 5, capMs: 20, maxAttempts: 1000 } });

for (let i = 0; i < count; i++) {
  const key = `crash-${i}@v1`;
  await outbox.enqueue(makeAlert({ key }));
  process.stdout.write(`enqueued ${key}\n`);
}
for (let round = 1; ; round++) {
  await outbox.deliverDue(new Date());
  process.stdout.write(`round ${round}\n`);
  const st = await outbox.status();
  if (st.pending.length === 0) break;
  if (round === 300) {
    process.stderr.write(`still pending after ${round} rounds: ${JSON.stringify(st.pending)}\n`);
    process.exit(3);
  }
  await new Promise((r) => setTimeout(r, 10));
}
process.stdout.write('done\n');
