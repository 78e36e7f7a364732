//! QR codes drawn in the page as SVG (qrcode-generator computes the modules; no
//! request leaves the page). Each has a text alternative naming what it holds, and
//! the page always shows the same content as text beside it.
import qrcode from 'qrcode-generator';

const NS = 'http://www.w3.org/2000/svg';
/** The quiet zone the standard asks for, in modules (ISO/IEC 18004 §6.3.8). */
const QUIET = 4;

export function qrCode(text: string, label: string): SVGSVGElement {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const size = n + 2 * QUIET;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
  }
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const title = document.createElementNS(NS, 'title');
  title.textContent = label;
  const back = document.createElementNS(NS, 'rect');
  back.setAttribute('width', String(size));
  back.setAttribute('height', String(size));
  back.setAttribute('fill', '#fff');
  const dots = document.createElementNS(NS, 'path');
  dots.setAttribute('d', d);
  dots.setAttribute('fill', '#000');
  svg.append(title, back, dots);
  return svg;
}
