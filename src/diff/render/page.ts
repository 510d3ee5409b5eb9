/**
 * The self-contained HTML page both HTML renderers use: inline CSS, no
 * external assets, and a Content-Security-Policy that forbids scripts and
 * remote loads, as a second line of defence behind escaping.
 */
import type { DiffReport } from '../types.js';
import { escapeHtml, summaryLine, type RenderOptions } from './shared.js';

const CSS = `
:root{color-scheme:light dark;--del:#ffe1e1;--ins:#dcfce0;--delt:#8a1111;--inst:#0b5a1d;--mv:#ece3ff;--mvt:#4b2a8a;--mute:#666}
@media (prefers-color-scheme:dark){:root{--del:#4a1c1c;--ins:#173d21;--delt:#ffb3b3;--inst:#a8f0b8;--mv:#2f2547;--mvt:#d7c6ff;--mute:#aaa}}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1.5rem;max-width:72rem}
header h1{font-size:1.35rem;margin:0 0 .3rem}
.labels,.summary{margin:.2rem 0;color:var(--mute)}
.degraded{border-left:4px solid #c90;padding:.3rem .7rem;background:rgba(204,153,0,.12)}
del{background:var(--del);color:var(--delt);text-decoration:line-through}
ins{background:var(--ins);color:var(--inst);text-decoration:none}
del.moved,ins.moved{background:var(--mv);color:var(--mvt);display:inline}
ins.moved del,del.moved del{background:var(--del);color:var(--delt)}
ins.moved ins{background:var(--ins);color:var(--inst)}
a.mv{font-size:.8em;margin:0 .3em;color:var(--mvt)}
main p{margin:0 0 1em;overflow-wrap:anywhere}
table.sbs{border-collapse:collapse;width:100%;table-layout:fixed}
table.sbs th,table.sbs td{vertical-align:top;padding:.35rem .6rem;border-bottom:1px solid rgba(128,128,128,.25);overflow-wrap:anywhere}
table.sbs th{text-align:left}
table.sbs tr.changed td{background:rgba(255,200,0,.06)}
table.sbs td.fold{text-align:center;color:var(--mute);font-style:italic}

`;

export function page(r: DiffReport, opts: RenderOptions, kind: string, body: string): string {
  const title = opts.title ?? 'Redline diff';
  const labels =
    opts.beforeLabel !== undefined || opts.afterLabel !== undefined
      ? `<p class="labels">${escapeHtml(opts.beforeLabel ?? 'before')} → ${escapeHtml(opts.afterLabel ?? 'after')}</p>`
      : '';
  const degraded = r.degraded
    ? `<p class="degraded" role="note">Part of this document was compared more coarsely than word by word: ${escapeHtml(r.degradedReason ?? '')}</p>`
    : '';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body class="${kind}">`,
    `<header><h1>${escapeHtml(title)}</h1>${labels}<p class="summary">${escapeHtml(summaryLine(r))}</p>${degraded}</header>`,
    `<main>${body}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
