/** Average advance of an 11 px UI-font character: enough to cut a label before it runs into the bars. */
const CHAR_WIDTH = 6.2;

/** The label cut to about `width` pixels, with an ellipsis when it was cut. */
export function fitLabel(text: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR_WIDTH));
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The width of a category axis that shows the longest label whole, between `min` and `max` pixels. */
export function labelWidthFor(labels: readonly string[], min: number, max: number): number {
  const longest = labels.reduce((n, label) => Math.max(n, label.length), 0);
  return Math.min(max, Math.max(min, Math.ceil(longest * CHAR_WIDTH) + 16));
}

interface AxisLabelProps {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly width: number;
  readonly fill: string;
}

/**
 * A category axis label on one line, right-aligned to the axis: cut to its width (recharts
 * would wrap it into lines that run into the next bar's label), with the full text on hover.
 */
export function AxisLabel({ x, y, text, width, fill }: AxisLabelProps) {
  return (
    <g transform={`translate(${x},${y})`}>
      <title>{text}</title>
      <text x={-4} y={0} dy="0.35em" textAnchor="end" fill={fill} fontSize={11}>
        {fitLabel(text, width)}
      </text>
    </g>
  );
}
