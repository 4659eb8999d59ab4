/**
 * The report's CSS, inline in the page (its CSP allows inline styles and nothing else):
 * light and dark after the reader's system setting, system fonts only (nothing to load),
 * tables that scroll sideways on a narrow screen, and a print layout without backgrounds.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1c2329; --muted: #56616b; --border: #d3d9df; --head: #f2f4f6;
  --accent: #1d63c9; --band: rgba(29, 99, 201, 0.24); --seq: rgba(29, 99, 201, 0.10);
  --zero: #6b7680; --grid: #e6e9ed;
  --alert-bg: #fff3e0; --alert-border: #b86200; --alert-fg: #4d2a00;
  --mark-bg: #eef0f2; --flag: #b0241b; --flag-bg: #fdecea;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15191d; --fg: #e4e8ec; --muted: #a5afb9; --border: #38414a; --head: #1f252b;
    --accent: #6ea8ff; --band: rgba(110, 168, 255, 0.30); --seq: rgba(110, 168, 255, 0.13);
    --zero: #97a2ad; --grid: #2a3138;
    --alert-bg: #3a2608; --alert-border: #e39a3b; --alert-fg: #ffe3bf;
    --mark-bg: #2a3138; --flag: #ff8a80; --flag-bg: #3b1c1a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 1.6em; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin: 0 0 8px; }
section { margin: 28px 0 0; }
p { margin: 6px 0; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.summary { font-size: 1.1em; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 12px 0 0; }
.headline li { border: 1px solid var(--border); border-radius: 6px; padding: 8px 14px; min-width: 150px; }
.headline .label { display: block; color: var(--muted); font-size: 0.9em; }
.headline strong { font-size: 1.25em; font-variant-numeric: tabular-nums; }
.alert { border: 2px solid var(--alert-border); background: var(--alert-bg); color: var(--alert-fg); border-radius: 6px; padding: 12px 16px; }
.note { color: var(--muted); }
.warnings li { margin: 4px 0; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; min-width: 50%; }
caption { text-align: left; color: var(--muted); padding: 0 0 4px; }
th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th, .figures th { background: var(--head); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.too-small td { color: var(--muted); background: var(--mark-bg); }
tr.flagged td { background: var(--flag-bg); }
.mark { font-weight: 600; }
.flag { color: var(--flag); }
details { margin: 8px 0; }
summary { cursor: pointer; }
.chart-figure { margin: 8px 0; }
.chart { width: 100%; max-width: 720px; height: auto; display: block; }
.chart-text { fill: var(--muted); font-size: 11px; }
.chart-title { fill: var(--fg); font-size: 12px; }
.chart-grid { stroke: var(--grid); stroke-width: 1; }
.chart-axis { stroke: var(--muted); stroke-width: 1; }
.chart-zero { stroke: var(--zero); stroke-width: 1.5; stroke-dasharray: 5 4; }
.chart-band { fill: var(--band); stroke: none; }
.chart-seq { fill: var(--seq); stroke: var(--band); stroke-width: 1; }
.chart-band-tick { stroke: var(--band); stroke-width: 6; }
.chart-seq-tick { stroke: var(--seq); stroke-width: 10; }
.chart-line { fill: none; stroke: var(--accent); stroke-width: 2; }
.chart-dot { fill: var(--accent); }
footer { margin-top: 36px; color: var(--muted); font-size: 0.9em; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  details > :not(summary) { display: block; }
}
`;
