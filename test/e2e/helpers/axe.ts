import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The impacts that fail a screen; minor and moderate findings are reported by axe but do not. */
const FAILING_IMPACTS: ReadonlySet<string> = new Set(['serious', 'critical']);

export type ColorScheme = 'light' | 'dark';

/** One rule that failed on a screen: where, and what axe says is wrong. */
export interface AxeFinding {
  readonly screen: string;
  readonly scheme: ColorScheme;
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

let axeSource: string | null = null;

/** axe-core's browser bundle, read once from node_modules. */
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/**
 * Runs axe-core on the page as it is now and returns its serious and critical findings.
 * The script is evaluated through the DevTools protocol rather than added as a <script>
 * tag: the app's Content-Security-Policy (script-src 'self') rightly blocks inline scripts,
 * and the check must run against the real policy, not a relaxed one.
 */
export async function axeFindings(page: Page, screen: string, scheme: ColorScheme): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeScript());
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
    }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    }));
  });
  return violations.filter((v) => FAILING_IMPACTS.has(v.impact)).map((v) => ({ screen, scheme, ...v }));
}

/**
 * Findings as a list a person can act on: each rule, then each element with axe's summary
 * and the screens and themes where it failed (an element of the frame, such as the status
 * bar, fails on every screen: it is listed once).
 */
export function formatFindings(findings: readonly AxeFinding[]): string {
  const rules = new Map<string, { header: string; elements: Map<string, Set<string>> }>();
  for (const f of findings) {
    const rule = rules.get(f.rule) ?? { header: `${f.rule} [${f.impact}]: ${f.help}`, elements: new Map<string, Set<string>>() };
    rules.set(f.rule, rule);
    for (const node of f.nodes) {
      const key = `${node.target}\n        ${node.summary}`;
      const where = rule.elements.get(key) ?? new Set<string>();
      where.add(`${f.screen} (${f.scheme})`);
      rule.elements.set(key, where);
    }
  }
  const lines: string[] = [];
  for (const rule of rules.values()) {
    lines.push(`  ${rule.header}`);
    for (const [element, where] of rule.elements) {
      const screens = [...where];
      const shown = screens.length > 4 ? `${screens.slice(0, 4).join('; ')}; and ${screens.length - 4} more` : screens.join('; ');
      lines.push(`      ${element}\n        on: ${shown}`);
    }
  }
  return lines.join('\n');
}

/**
 * Checks screen after screen, each in the light and the dark theme (switched with
 * emulateMedia, so one session serves both), and collects what fails; `assertClean` then
 * fails once with every finding, so one run shows all there is to fix.
 */
export class AxeSweep {
  private readonly findings: AxeFinding[] = [];
  private readonly screens: string[] = [];

  constructor(private readonly page: Page) {}

  /** Checks the screen as shown now in both themes; leaves the page in the light theme. */
  async check(screen: string): Promise<void> {
    this.screens.push(screen);
    for (const scheme of ['light', 'dark'] as const) {
      await this.page.emulateMedia({ colorScheme: scheme });
      // Let the theme's colours (and charts that redraw with them) settle before measuring.
      await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      this.findings.push(...(await axeFindings(this.page, screen, scheme)));
    }
    await this.page.emulateMedia({ colorScheme: 'light' });
  }

  /** The screens checked so far, in order. */
  checked(): readonly string[] {
    return this.screens;
  }

  assertClean(): void {
    if (this.findings.length === 0) return;
    throw new Error(`axe-core found ${this.findings.length} serious or critical violations:\n${formatFindings(this.findings)}`);
  }
}
