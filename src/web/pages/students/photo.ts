/**
 * A pick-up adult's photo: read the chosen image, scale it down to at most 320 px on a canvas and
 * encode it as a JPEG data URL under 200 KB (the server refuses larger ones), lowering the quality
 * until it fits. Transparent PNGs get a white background.
 */
export const PHOTO_MAX_PX = 320;
export const PHOTO_MAX_CHARS = 200 * 1024;

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close(): void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file);
      return { source: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() };
    } catch {
      // fall through to an <img>, which knows a few more formats on some browsers
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
  } catch (e) {
    URL.revokeObjectURL(url);
    throw e;
  }
}

export async function downscalePhoto(file: Blob, maxPx = PHOTO_MAX_PX, maxChars = PHOTO_MAX_CHARS): Promise<string> {
  if (!file.type.startsWith('image/')) throw new Error('not an image');
  const img = await decode(file);
  try {
    if (!img.width || !img.height) throw new Error('empty image');
    const scale = Math.min(1, maxPx / Math.max(img.width, img.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no canvas');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img.source, 0, 0, canvas.width, canvas.height);
    for (const q of [0.86, 0.76, 0.66, 0.55, 0.45, 0.35]) {
      const url = canvas.toDataURL('image/jpeg', q);
      if (url.length <= maxChars) return url;
    }
    throw new Error('photo too large');
  } finally {
    img.close();
  }
}

/** What an Avatar shows without a photo: the given name of a Chinese name (last two characters), or initials. */
export function initialsOf(name: string): string {
  const n = name.trim();
  if (!n) return '?';
  if (/[\u4e00-\u9fff]/.test(n)) return n.length <= 2 ? n : n.slice(-2);
  return n
    .split(/\s+/)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .slice(0, 2)
    .join('');
}
