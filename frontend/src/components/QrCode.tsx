import { useEffect, useRef, useState } from 'preact/hooks';

/** A QR code of a link, drawn locally on a canvas; the library loads only when one is shown. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void import('qrcode')
      .then(async (qrcode) => {
        if (live && canvas.current) {
          await qrcode.toCanvas(canvas.current, text, { width: 220, margin: 2, errorCorrectionLevel: 'M' });
        }
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p class="muted">The QR code could not be drawn.</p>;
  return <canvas ref={canvas} class="qr" role="img" aria-label={label} width={220} height={220} />;
}
