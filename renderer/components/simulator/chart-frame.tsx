import { useRef, useState, type ReactNode } from 'react';
import { useActions } from '../../store/react';
import type { ResultTableData } from '../../store/simulator/tables';
import { chartSvg, svgToPng } from './chart-export';
import { useChartColors } from '../charts/theme-colors';

interface ChartFrameProps<T> {
  readonly title: string;
  /** The file name without extension. */
  readonly name: string;
  /** What the chart says, for people who cannot see it (the chart itself is hidden from screen readers). */
  readonly summary: string;
  /** The chart's points, downloadable as CSV. */
  readonly table?: ResultTableData<T>;
  readonly children: ReactNode;
  readonly testId?: string;
}

/** A chart with a title, a one-line summary, and its downloads: SVG, PNG and the points as CSV. */
export function ChartFrame<T>({ title, name, summary, table, children, testId }: ChartFrameProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const colors = useChartColors();
  const { downloadSimulatorFile, downloadSimulatorTable, reportError } = useActions();
  const [busy, setBusy] = useState(false);
  const svg = () => (box.current ? chartSvg(box.current, colors.surface) : null);
  const saveSvg = () => {
    const drawn = svg();
    if (drawn) downloadSimulatorFile(`${name}.svg`, new Blob([drawn.text], { type: 'image/svg+xml' }));
  };
  const savePng = async () => {
    const drawn = svg();
    if (!drawn) return;
    setBusy(true);
    try {
      downloadSimulatorFile(`${name}.png`, await svgToPng(drawn));
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <figure className="sim-chart" data-testid={testId}>
      <div className="sim-table-head">
        <figcaption className="sim-subtitle">{title}</figcaption>
        <div className="inline-actions" role="group" aria-label={`Download ${title}`}>
          <button type="button" className="button button-plain button-small" aria-label={`Download ${title} as SVG`} onClick={saveSvg}>
            SVG
          </button>
          <button type="button" className="button button-plain button-small" aria-label={`Download ${title} as PNG`} disabled={busy} onClick={() => void savePng()}>
            PNG
          </button>
          {table && (
            <button type="button" className="button button-plain button-small" aria-label={`Download the points of ${title} as CSV`} onClick={() => downloadSimulatorTable(table)}>
              CSV
            </button>
          )}
        </div>
      </div>
      <div ref={box} className="chart-box" aria-hidden="true">
        {children}
      </div>
      <p className="field-hint">{summary}</p>
    </figure>
  );
}
