/**
 * A chart on screen as a file: its SVG (recharts draws one) made standalone (namespace,
 * size, the theme's background and font written in, since a file has no page CSS), and a
 * PNG drawn from that SVG on a canvas. The SVG goes through a data: URL, which the page's
 * CSP allows for images (shared/csp.ts); nothing leaves the window.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The standalone SVG of the chart inside `container`, with its size; null when none is drawn. */
export function chartSvg(container: HTMLElement, background: string): { text: string; width: number; height: number } | null {
  const svg = container.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) return null;
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(Math.round(width)));
  clone.setAttribute('height', String(Math.round(height)));
  clone.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  const style = getComputedStyle(container);
  clone.setAttribute('font-family', style.fontFamily);
  clone.setAttribute('font-size', style.fontSize);
  clone.removeAttribute('class');
  const back = document.createElementNS(SVG_NS, 'rect');
  back.setAttribute('width', '100%');
  back.setAttribute('height', '100%');
  back.setAttribute('fill', background);
  clone.insertBefore(back, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

/** The SVG drawn at `scale` times its size (sharp on a high-density screen or in a slide) as a PNG. */
export async function svgToPng(svg: { text: string; width: number; height: number }, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(svg.width * scale));
  canvas.height = Math.max(1, Math.round(svg.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This window cannot draw a PNG.');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, svg.width, svg.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))), 'image/png'));
}
