/** Channel kinds by the `type` name redline.yaml uses, and validation of the `alerts:` list. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ChannelConfig } from '../config/types.js';
import { atom } from './channels/atom.js';
import { discord } from './channels/discord.js';
import { email } from './channels/email.js';
import { jsonl } from './channels/jsonl.js';
import { matrix } from './channels/matrix.js';
import { slack } from './channels/slack.js';
import { teams } from './channels/teams.js';
import { webhook } from './channels/webhook.js';
import type { Alert, ChannelKind, ResolvedChannel } from './types.js';

const kinds = new Map<string, ChannelKind<any>>();

export function registerChannel(kind: ChannelKind<any>): void {
  if (kinds.has(kind.type)) throw new Error(`channel type "${kind.type}" is registered twice`);
  kinds.set(kind.type, kind);
}

for (const kind of [webhook, email, slack, discord, matrix, teams, atom, jsonl]) registerChannel(kind);

export function channelKind(type: string): ChannelKind<any> | undefined {
  return kinds.get(type);
}

export function channelTypes(): string[] {
  return [...kinds.keys()];
}

export interface ChannelProblem {
  file: string;
  /** Position in the `alerts:` list. */
  index: number;
  type: string;
  /** Dotted path inside the channel ("settings.url", "type", "sources"). */
  field: string;
  message: string;
}

export function formatProblem(p: ChannelProblem): string {
  return `${p.file}: alerts[${p.index}] (${p.type || 'no type'}) ${p.field}: ${p.message}`;
}

export interface ChannelValidation {
  channels: ResolvedChannel[];
  /** Every problem found, in list order; empty when the whole list is usable. */
  problems: ChannelProblem[];
}

function defaultId(kind: ChannelKind<any>, settings: unknown): string {
  const hash = createHash('sha256').update(kind.identity(settings)).digest('hex').slice(0, 8);
  return `${kind.type}:${hash}`;
}

/**
 * Check every channel against its kind's schema and return all problems at once, so a
 * bad alerts list is reported in full before anything runs. `sourceIds`, when given,
 * also catches routing to a source that is not in the watch list.
 */
export function validateChannels(channels: ChannelConfig[], file: string, opts: { sourceIds?: string[] } = {}): ChannelValidation {
  const problems: ChannelProblem[] = [];
  const resolved: ResolvedChannel[] = [];
  const seen = new Map<string, number>();
  const known = opts.sourceIds ? new Set(opts.sourceIds) : undefined;
  channels.forEach((config, index) => {
    const type = typeof config?.type === 'string' ? config.type : '';
    const problem = (field: string, message: string) => problems.push({ file, index, type, field, message });
    const kind = kinds.get(type);
    if (!kind) {
      problem('type', `unknown channel type "${type}"; use one of: ${channelTypes().join(', ')}`);
      return;
    }
    const sources = Array.isArray(config.sources) ? config.sources : [];
    const tags = Array.isArray(config.tags) ? config.tags : [];
    if (known) {
      for (const id of sources) if (!known.has(id)) problem('sources', `routes to source "${id}", which is not in the watch list`);
    }
    const parsed = kind.settings.safeParse(config.settings ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = ['settings', ...issue.path.map(String)].join('.');
        problem(field, issue.message);
      }
      return;
    }
    const settings = parsed.data as { name?: string; timeoutMs?: number };
    const id = settings.name ?? defaultId(kind, parsed.data);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problem(settings.name ? 'settings.name' : 'settings', `same channel id "${id}" as alerts[${earlier}]; give each a distinct settings.name`);
      return;
    }
    seen.set(id, index);
    resolved.push({
      id,
      index,
      type,
      sources,
      tags,
      settings: parsed.data,
      kind,
      baseDir: path.dirname(path.resolve(file)),
      timeoutMs: settings.timeoutMs ?? 30_000,
    });
  });
  return { channels: resolved, problems };
}

/** Routing: a channel takes an alert when each filter it sets (sources, tags) matches. */
export function channelMatches(channel: Pick<ResolvedChannel, 'sources' | 'tags'>, alert: Pick<Alert, 'source' | 'tags'>): boolean {
  if (channel.sources.length > 0 && !channel.sources.includes(alert.source)) return false;
  if (channel.tags.length > 0 && !channel.tags.some((t) => alert.tags.includes(t))) return false;
  return true;
}
