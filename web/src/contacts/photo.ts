//! A contact's photo from a file the user picks: decoded by the browser, drawn into a
//! canvas at most 256 px on its longer side and stored as JPEG (docs/web.md §5: phone
//! photos of several MB are fine to pick, but an embedded photo stays small — a 161 MB
//! contact made DAVx5 run out of memory, nextcloud/contacts#2743).

/** Files larger than this are refused before being decoded. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const PHOTO_SIDE = 256;

export class PhotoError extends Error {
  constructor(public kind: 'too-big' | 'unreadable') {
    super(kind);
  }
}

/** The picked image, resized, as base64 JPEG (no data: prefix). */
export async function resizePhoto(file: File): Promise<string> {
  if (file.size > MAX_PHOTO_BYTES) throw new PhotoError('too-big');
  if (!/^image\//.test(file.type)) throw new PhotoError('unreadable');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoError('unreadable');
  }
  const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new PhotoError('unreadable');
  // JPEG has no transparency: a white background under transparent PNGs.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const url = canvas.toDataURL('image/jpeg', 0.85);
  return url.slice(url.indexOf(',') + 1);
}
