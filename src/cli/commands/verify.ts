/** verify, keygen, sign: proving the archive is as captured. */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { generateSigningKeys, openFsStore } from '../../store/index.js';
import { UsageError, loadFrom, printJson, println } from '../io.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('re-hash every blob and log entry; exit 0 if intact, 1 naming the first break')
    .option('--key <file>', 'Ed25519 public key (PEM): also check the signed log heads')
    .option('--archive <dir>', 'verify this archive folder instead of the watch list\'s')
    .option('--json', 'machine-readable output')
    .action(async (opts: { key?: string; archive?: string; json?: boolean }, cmd: Command) => {
      const root = opts.archive ?? (await loadFrom(cmd)).archive;
      const publicKeyPem = opts.key ? await readFile(opts.key, 'utf8') : undefined;
      const store = await openFsStore(root, { readOnly: true });
      const report = await store.verify({ publicKeyPem });
      if (opts.json) printJson(report);
      else if (report.ok) {
        println(`archive ${root} is intact: ${report.sources} sources, ${report.entries} log entries, ${report.blobs} blobs re-hashed${publicKeyPem ? ', signed heads valid' : ''}`);
      } else {
        println(`archive ${root} FAILED verification: ${report.problems[0].where}: ${report.problems[0].message}`);
        for (const p of report.problems.slice(1, 20)) println(`  also ${p.where}: ${p.message}`);
        if (report.problems.length > 20) println(`  … and ${report.problems.length - 20} more (use --json for all)`);
      }
      if (!report.ok) process.exitCode = 1;
    });

  program
    .command('keygen')
    .description('create an Ed25519 key pair for signing log heads')
    .argument('<prefix>', 'writes PREFIX.key (private, keep secret) and PREFIX.pub')
    .action(async (prefix: string) => {
      const keys = generateSigningKeys();
      await writeFile(`${prefix}.key`, keys.privateKeyPem, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new UsageError(`${prefix}.key exists; refusing to overwrite a private key`);
        throw err;
      });
      await writeFile(`${prefix}.pub`, keys.publicKeyPem);
      println(`wrote ${prefix}.key (private) and ${prefix}.pub (give this to anyone who verifies)`);
    });

  program
    .command('sign')
    .description('sign the current head of every source log (heads.json + heads.sig in the archive)')
    .requiredOption('--key <file>', 'Ed25519 private key (PEM) from "redline keygen"')
    .action(async (opts: { key: string }, cmd: Command) => {
      const config = await loadFrom(cmd);
      const store = await openFsStore(config.archive);
      try {
        const signed = await store.signHeads(await readFile(opts.key, 'utf8'));
        println(`signed ${Object.keys(signed.heads).length} log heads in ${config.archive}`);
      } finally {
        await store.close();
      }
    });
}
