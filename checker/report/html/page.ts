// One self-contained HTML page: the data as JSON, the style and the script inline. It opens from
// disk with no network (no CDN, no fonts, no external files).
import { readFileSync } from 'node:fs';
import type { DiagramData } from '../diagram-data.ts';

export interface ReportData {
  /** Lines about the model: its file, spec, parameters, network, faults, search, counts. */
  readonly facts: readonly string[];
  readonly verdicts: readonly { readonly name: string; readonly verdict: string; readonly sentence: string }[];
  readonly conclusion?: string;
  readonly conclusionKind?: 'ok' | 'unknown' | '';
}

export interface PageData {
  readonly report?: ReportData;
  readonly diagrams: readonly DiagramData[];
}

let assets: { css: string; js: string; explore: string } | undefined;
function loadAssets(): { css: string; js: string; explore: string } {
  return (assets ??= {
    css: readFileSync(new URL('./style.css', import.meta.url), 'utf8'),
    js: readFileSync(new URL('./client.js', import.meta.url), 'utf8'),
    explore: readFileSync(new URL('./explore.js', import.meta.url), 'utf8'),
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON that is safe inside a <script> element. */
function scriptJSON(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderPage(title: string, subtitle: string, data: PageData | null, opts: { explore?: boolean } = {}): string {
  const { css, js, explore } = loadAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${css}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(title)}</h1><div class="sub">${escapeHtml(subtitle)}</div></header>
${opts.explore ? '<div id="tsmc-explore"></div>' : ''}
<main id="tsmc-main"></main>
<script type="application/json" id="tsmc-data">${data ? scriptJSON(data) : ''}</script>
<script>
${js}</script>
${opts.explore ? `<script>\n${explore}</script>\n` : ''}</body>
</html>
`;
}
